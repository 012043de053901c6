"""Council and body structure: who is attached to, part of, member of or holds a position in what.

Drawn top-down: wholes above their parts, bodies above the councils attached to them, organisations above
their members. Relationships dated with `valid_from`/`valid_to` (a committee moved between ministries)
and bodies with a founding year follow the year slider.
"""
from __future__ import annotations

from viz import layout as layouts
from viz.aggregate import NODE_CAP
from viz.i18n import check_lang, label_name, t
from viz.views import display_name, primary_label, render_graph_html

LABEL_ORDER = {"StateBody": 0, "Council": 1, "ReligiousAssociation": 2, "Person": 3}


def structure_html(store, root: str | None = None, *, lang: str = "en", year: int | None = None,
                   cap: int = NODE_CAP, api_base: str = "/v1") -> str:
    from kb.view_queries import STRUCTURE_TYPES, structure

    check_lang(lang)
    data = structure(store, root=root)
    nodes, rels = data["nodes"], data["relationships"]
    types = sorted({r["type"] for r in rels}, key=STRUCTURE_TYPES.index)

    def positions(drawn: list[dict], drawn_rels: list[dict]) -> dict[str, tuple[float, float]]:
        order = {n["id"]: (LABEL_ORDER.get(primary_label(n), 9), display_name(n, lang)) for n in drawn}
        return layouts.layered([n["id"] for n in drawn], [(r["start"], r["end"]) for r in drawn_rels], order=order)

    root_node = data["root"]
    title = (t("structure_root_title", lang, name=display_name(root_node, lang)) if root_node
             else t("structure_title", lang))
    note = t("structure_note", lang, types=", ".join(types) or "–")
    counts = {}
    for n in nodes:
        counts[primary_label(n)] = counts.get(primary_label(n), 0) + 1
    note += " · " + ", ".join(f"{c} {label_name(lab, lang, plural=True)}" for lab, c in
                              sorted(counts.items(), key=lambda kv: LABEL_ORDER.get(kv[0], 9)))
    return render_graph_html(
        nodes,
        rels,
        title=title,
        lang=lang,
        note=note,
        centre=root_node["id"] if root_node else None,
        view="structure",
        positions=positions,
        initial_year=year,
        cap=cap,
        api_base=api_base,
    )
