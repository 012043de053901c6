"""`kb view …`: write the interactive views as self-contained HTML files (they work with no network).

    kb view neighbourhood statebody:kz-government -o gov.html --depth 2 --lang kk
    kb view statebody:kz-government -o gov.html          (the same: an id first means the neighbourhood)
    kb view programme programme:… -o programme.html --lang kk [--year 2008]
    kb view confessions -o confessions.html [--year 2007] [--metric religious_associations]
    kb view path association:kz-almaty-central-mosque statebody:kz-ministry-of-justice -o path.html
    kb view structure -o structure.html [--root statebody:kz-government] [--year 2017]

Mounted on the main CLI by `kb/cli.py` (`app.add_typer(view_app, name="view")`). Opens the store read-only,
so it works while `kb serve` runs. A bad id or parameter exits 2 with `error: …`, like every command.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import typer
from typer.core import TyperGroup

from kb.terminal import err, opened_store, out


LANG_HELP = "Language of names and page text: kk, ru or en (falls back to the recorded name)"
API_HELP = "Base of the API links in the page's panel (e.g. http://127.0.0.1:8000/v1 for a file opened from disk)"


class _ViewGroup(TyperGroup):
    """`kb view ID -o FILE` (the command before there were several views) still means the neighbourhood."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["neighbourhood", *args]
        return super().parse_args(ctx, args)


view_app = typer.Typer(cls=_ViewGroup, no_args_is_help=True, pretty_exceptions_enable=False,
                       help="Write an interactive view (self-contained HTML that works with no network).")


def _write(output: Path, render: Callable) -> None:
    from kb.queries import NotFound

    with opened_store(read_only=True) as store:
        try:
            html = render(store)
        except (NotFound, ValueError) as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(2) from None
    output.write_text(html, encoding="utf-8")
    out.print(f"wrote {output}")


@view_app.command()
def neighbourhood(
    node_id: str = typer.Argument(..., help="Centre entity id, e.g. statebody:kz-ministry-of-justice"),
    output: Path = typer.Option(..., "-o", "--output", help="HTML file to write"),
    depth: int = typer.Option(1, min=1, max=3),
    label: list[str] = typer.Option([], "--label", help="Only neighbours with these labels"),
    rel_type: list[str] = typer.Option([], "--type", help="Only these relationship types"),
    limit: int = typer.Option(10_000, min=1, help="Neighbours fetched (beyond 2,000 drawn, leaves are grouped)"),
    lang: str = typer.Option("en", help=LANG_HELP),
    api: str = typer.Option("/v1", help=API_HELP),
) -> None:
    """The neighbourhood of an entity, depth 1–3, with label and relationship type filters."""
    from viz.views import neighbourhood_html

    _write(output, lambda s: neighbourhood_html(s, node_id, depth=depth, labels=label or None, types=rel_type or None,
                                                lang=lang, limit=limit, api_base=api))


@view_app.command()
def programme(
    programme_id: str = typer.Argument(..., help="Programme id (kb cypher: MATCH (p:Programme) RETURN p.id, p.name)"),
    output: Path = typer.Option(..., "-o", "--output", help="HTML file to write"),
    lang: str = typer.Option("en", help=LANG_HELP),
    year: int = typer.Option(None, help="Year selected when the page opens (edge widths: that year's funding)"),
    api: str = typer.Option("/v1", help=API_HELP),
) -> None:
    """Programme map: programme → measures (coloured by direction) → responsible bodies; width = funding."""
    from viz.views import programme_map_html

    _write(output, lambda s: programme_map_html(s, programme_id, lang=lang, year=year, api_base=api))


@view_app.command()
def confessions(
    output: Path = typer.Option(..., "-o", "--output", help="HTML file to write"),
    lang: str = typer.Option("en", help=LANG_HELP),
    year: int = typer.Option(None, help="Year selected when the page opens"),
    metric: str = typer.Option("religious_associations", help="Observation metric that sizes the nodes"),
    api: str = typer.Option("/v1", help=API_HELP),
) -> None:
    """Confession landscape: confessions, their associations and regions, sized by the latest observed count."""
    from viz.views import confession_landscape_html

    _write(output, lambda s: confession_landscape_html(s, lang=lang, year=year, metric=metric, api_base=api))


@view_app.command()
def path(
    source: str = typer.Argument(..., help="From this entity id"),
    target: str = typer.Argument(..., help="To this entity id"),
    output: Path = typer.Option(..., "-o", "--output", help="HTML file to write"),
    max_length: int = typer.Option(4, min=1, max=8, help="Longest path searched, in relationships"),
    lang: str = typer.Option("en", help=LANG_HELP),
    api: str = typer.Option("/v1", help=API_HELP),
) -> None:
    """The shortest path between two entities."""
    from viz.views import path_html

    _write(output, lambda s: path_html(s, source, target, lang=lang, max_length=max_length, api_base=api))


@view_app.command()
def structure(
    output: Path = typer.Option(..., "-o", "--output", help="HTML file to write"),
    root: str = typer.Option(None, help="Only what is above and below this entity"),
    lang: str = typer.Option("en", help=LANG_HELP),
    year: int = typer.Option(None, help="Year selected when the page opens"),
    api: str = typer.Option("/v1", help=API_HELP),
) -> None:
    """Council and body structure: who is attached to, part of or member of what."""
    from viz.views import structure_html

    _write(output, lambda s: structure_html(s, root, lang=lang, year=year, api_base=api))
