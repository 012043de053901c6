"""The path view: the shortest path between two entities, drawn left to right, every step labelled."""
from __future__ import annotations

from viz.i18n import check_lang, t
from viz.views import display_name, render_graph_html

STEP_X, STEP_Y = 300.0, 70.0


def path_html(store, source: str, target: str, *, lang: str = "en", max_length: int = 4,
              api_base: str = "/v1") -> str:
    """The shortest path from `source` to `target` (any direction, at most `max_length` relationships);
    when there is none, the two entities and a note that says so."""
    from kb.queries import entity, shortest_path

    check_lang(lang)
    a, b = entity(store, source), entity(store, target)
    path = shortest_path(store, source, target, max_length=max_length)
    if path is None:
        nodes, rels = [a, b], []
        note = t("no_path", lang, n=max_length)
    else:
        nodes, rels = path["nodes"], path["relationships"]
        note = t("path_note", lang, n=len(rels))
    positions = {n["id"]: (i * STEP_X, STEP_Y * (i % 2)) for i, n in enumerate(nodes)}
    return render_graph_html(
        nodes,
        rels,
        title=t("path_title", lang, a=display_name(a, lang), b=display_name(b, lang)),
        lang=lang,
        note=note,
        centre=source,
        highlight=[n["id"] for n in nodes],
        view="path",
        positions=positions,
        api_base=api_base,
    )
