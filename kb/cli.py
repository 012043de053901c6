"""`kb`: the command line. Every command honours KB_DATA_DIR (and KB_STORE / NEO4J_URI)."""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kb.store import Store, StoreError, open_store

app = typer.Typer(help="A graph knowledge base of religious associations, councils, state bodies and programmes.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)  # messages stay one line, greppable


@contextmanager
def _store(read_only: bool = False) -> Iterator[Store]:
    try:
        store = open_store(read_only=read_only)
    except StoreError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    try:
        yield store
    except StoreError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    finally:
        store.close()


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=False, disable=not err.is_terminal)


@app.command()
def ingest(
    inputs: list[str] = typer.Argument(..., help="`reference`, or `registry FILE...`, or document paths (.txt, .pdf, .docx, .html)"),
) -> None:
    """Load data into the knowledge base.

    \b
    kb ingest reference               regions, confessions, state bodies shipped with the project
    kb ingest registry FILE.csv|json  associations, one per row (see ingest/registry.py for columns)
    kb ingest PATH...                 documents: entities found by name, each mention with its sentence

    Re-running with the same inputs changes nothing; a changed file replaces what it said before.
    """
    from ingest.pipeline import ingest as run_ingest

    kind, paths = _ingest_kind(inputs)
    failures = 0
    with _store() as store, _progress() as progress:
        task = progress.add_task(f"ingest {kind}", total=len(paths))
        for outcome in run_ingest(store, kind, paths):
            progress.advance(task)
            if outcome.error:
                err.print(f"[red]error:[/] {outcome.error}")
            for row in outcome.rejected_rows:
                err.print(f"[yellow]rejected:[/] {row}")
            failures += not outcome.ok
            if report := outcome.report:
                out.print(report.describe() + (f", {len(outcome.rejected_rows)} rows rejected" if outcome.rejected_rows else ""))
                for w in report.warnings:
                    err.print(f"[yellow]warning:[/] {outcome.path}: {w}")
    if failures:
        raise typer.Exit(1)


def _ingest_kind(inputs: list[str]) -> tuple[str, list[Path]]:
    from ingest.reference import reference_files

    if inputs == ["reference"]:
        return "reference", reference_files()
    if inputs[0] == "registry":
        if len(inputs) < 2:
            err.print("[red]error:[/] `kb ingest registry` needs at least one FILE.csv or FILE.json")
            raise typer.Exit(2)
        return "registry", [Path(p) for p in inputs[1:]]
    return "documents", [Path(p) for p in inputs]


@app.command()
def export(
    format: str = typer.Option("json", "--format", "-f", help="json (APOC JSON lines), graphml, csv (a directory)"),
    output: Path = typer.Option(..., "-o", "--output", help="File (json, graphml) or directory (csv)"),
) -> None:
    """Export the whole graph."""
    from kb import export as ex

    writers = {"json": ex.write_json, "graphml": ex.write_graphml, "csv": ex.write_csv}
    if format not in writers:
        err.print(f"[red]error:[/] unknown format {format!r}; choose one of {', '.join(writers)}")
        raise typer.Exit(2)
    with _store(read_only=True) as store:
        count = writers[format](store, output)
    out.print(f"wrote {count} records to {output}")


@app.command()
def stats() -> None:
    """Count nodes per label and relationships per type."""
    from kb.queries import stats as graph_stats

    with _store(read_only=True) as store:
        s = graph_stats(store)
    for title, counts in (("label", s["nodes"]), ("relationship", s["relationships"])):
        table = Table(title=f"{sum(counts.values())} {title}s" if title == "relationship" else f"{sum(counts.values())} nodes")
        table.add_column(title)
        table.add_column("count", justify="right")
        for k, v in counts.items():
            table.add_row(k, str(v))
        out.print(table)


@app.command()
def cypher(
    file: Path = typer.Argument(..., help="A .cypher file: statements separated by `;`"),
    param: list[str] = typer.Option([], "--param", "-p", help="key=value (value parsed as JSON when it can be)"),
    write: bool = typer.Option(False, "--write", help="Run as schema/write statements (e.g. cypher/schema.cypher)"),
    as_json: bool = typer.Option(False, "--json", help="Print rows as JSON lines"),
) -> None:
    """Run a Cypher script on the configured store (read-only unless --write)."""
    from kb.store import Statement

    if not file.exists():
        err.print(f"[red]error:[/] {file}: no such file")
        raise typer.Exit(2)
    params = dict(_parse_param(p) for p in param)
    statements = [s.strip() for s in _strip_comments(file.read_text(encoding="utf-8")).split(";") if s.strip()]
    with _store(read_only=not write) as store:
        for st in statements:
            if write:
                (store.run_schema([st]) if st.upper().startswith(("CREATE CONSTRAINT", "CREATE INDEX", "DROP "))
                 else store.write([Statement(st, params)]))
                continue
            rows = store.rows(st, params)
            _print_rows(rows, as_json)


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def _parse_param(text: str) -> tuple[str, object]:
    key, _, value = text.partition("=")
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


def _print_rows(rows: list[dict], as_json: bool) -> None:
    if as_json or not rows:
        for r in rows:
            out.print_json(json.dumps(r, ensure_ascii=False))
        if not rows:
            out.print("(no rows)")
        return
    table = Table()
    for col in rows[0]:
        table.add_column(col)
    for r in rows:
        table.add_row(*(json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v for v in r.values()))
    out.print(table)


@app.command("eval")
def evaluate(
    gold: Path = typer.Option(Path("tests/data/gold"), help="Directory of <document stem>.yaml expectations"),
    samples: list[Path] = typer.Argument(None, help="Documents (default: ingest/samples/*.txt)"),
    details: bool = typer.Option(False, "--details", help="List what was missed and what was spurious"),
) -> None:
    """Precision and recall of extraction against hand-made expectations, per stage and type."""
    from ingest.evaluate import evaluate as run_eval

    paths = samples or sorted(Path("ingest/samples").glob("*.txt"))
    table = Table(title=f"Extraction vs {gold} ({len(paths)} documents)")
    for col in ("stage", "category", "gold", "predicted", "precision", "recall"):
        table.add_column(col, justify="right" if col in ("gold", "predicted", "precision", "recall") else "left")
    fmt = lambda x: "-" if x is None else f"{x:.2f}"  # noqa: E731
    for stage, scores in sorted(run_eval(paths, gold).items()):
        for name, s in sorted(scores.items()):
            table.add_row(stage, name, str(s.gold), str(s.predicted), fmt(s.precision), fmt(s.recall))
            if details and (s.missed or s.spurious):
                err.print(f"[bold]{stage} / {name}[/] missed: {s.missed[:15]} spurious: {s.spurious[:15]}")
    out.print(table)


@app.command()
def schema() -> None:
    """Print the constraints and indexes derived from the schema (the text of cypher/schema.cypher)."""
    from kb.constraints import schema_cypher

    sys.stdout.write(schema_cypher())


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to bind"),
    port: int = typer.Option(8000, help="Port"),
) -> None:
    """Serve the HTTP API (/v1, docs at /docs) and the views."""
    import uvicorn

    from api.app import create_app

    with _store() as store:
        out.print(f"serving {store.name} store on http://{host}:{port} (docs at /docs)")
        uvicorn.run(create_app(store), host=host, port=port, log_level="info", access_log=False)  # the app logs JSON lines


from viz.cli import view_app  # noqa: E402 - `kb view …`: neighbourhood, programme, confessions, path, structure

app.add_typer(view_app, name="view")
