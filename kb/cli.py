"""`kb`: the command line. Every command honours KB_DATA_DIR (and KB_STORE / NEO4J_URI)."""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kb.store import StoreError
from kb.terminal import err, opened_store, out

if TYPE_CHECKING:
    from ingest.pipeline import Outcome

app = typer.Typer(help="A graph knowledge base of religious associations, councils, state bodies and programmes.",
                  no_args_is_help=True, pretty_exceptions_enable=False)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=False, disable=not err.is_terminal)


@app.command()
def ingest(
    inputs: list[str] = typer.Argument(..., help="`reference`, or `registry FILE...`, or `graph FILE.jsonl...`, or document paths (.txt, .pdf, .docx, .html)"),
    chunk_lines: int = typer.Option(None, "--chunk-lines", min=1,
                                    help="Graph files: lines per transaction (default 20000)"),
) -> None:
    """Load data into the knowledge base.

    \b
    kb ingest reference               regions, confessions, state bodies shipped with the project
    kb ingest registry FILE.csv|json  associations, one per row (see ingest/registry.py for columns)
    kb ingest graph FILE.jsonl        nodes and relationships in bulk, APOC JSON lines (see ingest/bulk.py);
                                      resumable: an interrupted load continues where it stopped
    kb ingest PATH...                 documents: entities found by name, each mention with its sentence

    Re-running with the same inputs changes nothing; a changed file replaces what it said before.
    """
    from ingest.pipeline import ingest as run_ingest

    kind, paths = _ingest_kind(inputs)
    failures = 0
    with opened_store() as store, _progress() as progress:
        task = progress.add_task(f"ingest {kind}", total=len(paths))
        lines_task: dict[Path, int] = {}

        def on_lines(path: Path, done: int, total: int) -> None:
            if err.is_terminal:
                if path not in lines_task:
                    lines_task[path] = progress.add_task(f"  {path.name}", total=total)
                progress.update(lines_task[path], completed=done)
            else:  # one line per committed chunk, for logs (and for the resumable-load test)
                err.print(f"{path}: {done}/{total} lines", highlight=False)

        done = 0
        try:
            for outcome in run_ingest(store, kind, paths, progress=on_lines if kind == "graph" else None,
                                      chunk_lines=chunk_lines):
                done += 1
                progress.advance(task)
                _report(outcome)
                failures += not outcome.ok
        except StoreError as exc:
            # A document is written in one transaction and marked finished last (a graph file per
            # chunk, with its progress): a rerun skips finished files and redoes or resumes this one.
            err.print(f"[red]error:[/] {paths[done]}: not loaded, the store failed: {exc}")
            err.print(f"{done} of {len(paths)} files were loaded before it; run the same command again to finish")
            raise typer.Exit(2) from None
    if failures:
        raise typer.Exit(1)


def _report(outcome: Outcome) -> None:
    if outcome.error:
        err.print(f"[red]error:[/] {outcome.error}")
    for row in outcome.rejected_rows:
        err.print(f"[yellow]rejected:[/] {row}")
    if report := outcome.report:
        out.print(report.describe() + (f", {len(outcome.rejected_rows)} rows rejected" if outcome.rejected_rows else ""))
        for w in report.warnings:
            err.print(f"[yellow]warning:[/] {outcome.path}: {w}")


def _ingest_kind(inputs: list[str]) -> tuple[str, list[Path]]:
    from ingest.reference import reference_files

    if inputs == ["reference"]:
        return "reference", reference_files()
    if inputs[0] in ("registry", "graph"):
        if len(inputs) < 2:
            what = "FILE.csv or FILE.json" if inputs[0] == "registry" else "FILE.jsonl"
            err.print(f"[red]error:[/] `kb ingest {inputs[0]}` needs at least one {what}")
            raise typer.Exit(2)
        return inputs[0], [Path(p) for p in inputs[1:]]
    return "documents", [Path(p) for p in inputs]


@app.command()
def export(
    format: str = typer.Option("json", "--format", "-f", help="json (APOC JSON lines), graphml, csv (a directory), "
                                                             "neo4j-admin (a directory: CSVs per label and type + import.sh)"),
    output: Path = typer.Option(..., "-o", "--output", help="File (json, graphml) or directory (csv, neo4j-admin)"),
) -> None:
    """Export the whole graph."""
    from kb import export as ex

    writers = {"json": ex.write_json, "graphml": ex.write_graphml, "csv": ex.write_csv,
               "neo4j-admin": ex.write_neo4j_admin}
    if format not in writers:
        err.print(f"[red]error:[/] unknown format {format!r}; choose one of {', '.join(writers)}")
        raise typer.Exit(2)
    with opened_store(read_only=True) as store:
        count = writers[format](store, output)
    out.print(f"wrote {count} records to {output}")


@app.command()
def stats() -> None:
    """Count nodes per label and relationships per type."""
    from kb.queries import stats as graph_stats

    with opened_store(read_only=True) as store:
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
    with opened_store(read_only=not write) as store:
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

    with opened_store(wait_for_server=True) as store:
        out.print(f"serving {store.name} store on http://{host}:{port} (docs at /docs)")
        uvicorn.run(create_app(store), host=host, port=port, log_level="info", access_log=False)  # the app logs JSON lines



@app.command()
def migrate(
    to: str = typer.Option(..., "--to", help="Target: a Bolt URI (neo4j://host:7687, neo4j+s://xxx.databases.neo4j.io, "
                                             "bolt://host:7687), `embedded` (KB_DATA_DIR) or an embedded data directory"),
    source: str = typer.Option(None, "--from", help="Source, as --to, or an export FILE.jsonl; default: the configured store"),
    replace: bool = typer.Option(False, "--replace", help="Delete what the target holds first"),
    resume: bool = typer.Option(False, "--resume", help="Finish a copy that stopped (MERGE over what is there)"),
    deep: bool = typer.Option(False, "--deep", help="Verify every property, not only ids"),
    batch_size: int = typer.Option(5000, "--batch-size", min=1, help="Rows per transaction"),
) -> None:
    """Copy the knowledge base into another store (embedded <-> Neo4j) and verify the copy.

    \b
    kb migrate --to neo4j://db.example.org:7687               the embedded store into a Neo4j server or cluster
    kb migrate --from neo4j://db.example.org:7687 --to embedded   and back (into KB_DATA_DIR)
    kb migrate --from graph.jsonl --to ./kbdata2               restore an export as it was

    Credentials: NEO4J_USER, NEO4J_PASSWORD (NEO4J_DATABASE). Verification compares, per label and
    per relationship type, the counts and a sha256 of the sorted ids; exit 1 when they differ.
    """
    from kb import migrate as mg
    from kb.settings import get_settings

    settings = get_settings()
    src_spec = source or ("embedded" if settings.store == "embedded" else settings.neo4j_uri or "")
    if mg.describe(src_spec, settings) == mg.describe(to, settings):
        err.print(f"[red]error:[/] the source and the target are the same store ({mg.describe(to, settings)})")
        raise typer.Exit(2)
    try:
        if src_spec.endswith(".jsonl") and not mg.is_bolt_uri(src_spec):
            if not Path(src_spec).exists():
                err.print(f"[red]error:[/] {src_spec}: no such file")
                raise typer.Exit(2)
            src_store, src = None, mg.JsonlSource(Path(src_spec))
        else:
            src_store = mg.open_target(src_spec, settings, read_only=True)
            src = mg.StoreSource(src_store)
    except StoreError as exc:
        err.print(f"[red]error:[/] source {src_spec}: {exc}")
        raise typer.Exit(2) from None
    try:
        try:
            target = mg.open_target(to, settings)
        except StoreError as exc:
            err.print(f"[red]error:[/] target {to}: {exc}")
            raise typer.Exit(2) from None
        try:
            nodes, rels = src.counts()
            with _progress() as progress:
                tasks = {"nodes": progress.add_task("nodes", total=nodes),
                         "relationships": progress.add_task("relationships", total=rels)}
                report = mg.copy_graph(src, target, batch=batch_size, replace=replace, resume=resume, deep=deep,
                                       progress=lambda what, n: progress.advance(tasks[what], n))
        except mg.MigrateError as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(2) from None
        except StoreError as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(2) from None
        finally:
            target.close()
    finally:
        if src_store is not None:
            src_store.close()
    table = Table(title=f"{mg.describe(src_spec, settings)} -> {mg.describe(to, settings)}")
    for col in ("", "name", "source", "target", "ids sha256"):
        table.add_column(col, justify="right" if col in ("source", "target") else "left")
    for kind, a, b in (("label", report.source.nodes, report.target.nodes),
                       ("type", report.source.relationships, report.target.relationships)):
        for name in sorted(set(a) | set(b)):
            sa, sb = a.get(name, (0, "")), b.get(name, (0, ""))
            table.add_row(kind, name, str(sa[0]), str(sb[0]),
                          sa[1][:12] + (" =" if sa == sb else " != " + sb[1][:12]))
    out.print(table)
    if not report.verified:
        for d in report.differences:
            err.print(f"[red]differs:[/] {d}")
        raise typer.Exit(1)
    out.print(f"copied {report.nodes} nodes and {report.relationships} relationships; verified"
              + (" (every property)" if deep else " (counts and ids)"))


@app.command()
def synth(
    nodes: int = typer.Option(10_000, "--nodes", min=1000, help="About how many nodes (10k ... 1M)"),
    seed: int = typer.Option(1, "--seed", help="Same seed and size, same files"),
    output: Path = typer.Option(..., "-o", "--output", help="Directory to write the inputs into"),
) -> None:
    """Write a realistic synthetic knowledge base as ingest inputs (registries, graph files, letters).

    Power-law degrees, the schema's label and relationship mix, observations as yearly series,
    provenance by file and line. Load it with the steps printed (or `kb bench`).
    """
    from kb.synth import synthesize

    manifest = synthesize(nodes, seed, output)
    out.print(f"wrote {manifest['nodes']} nodes and {manifest['relationships']} relationships to {output} "
              f"(max degree {manifest['degree']['max']}, median {manifest['degree']['median']}); load with:")
    for step in manifest["steps"]:
        out.print(f"  (cd {output} && {step})" if "reference" not in step else f"  {step}", highlight=False)


@app.command()
def bench(
    sizes: str = typer.Option("10000,100000", "--sizes", help="Comma-separated node counts, e.g. 10000,100000,1000000"),
    seed: int = typer.Option(1, "--seed"),
    workdir: Path = typer.Option(Path("/tmp/kb-bench"), "--workdir", help="Where inputs and stores are made (emptied per size)"),
    profile: bool = typer.Option(False, "--profile", help="cProfile the load of each size and print the top items"),
    baselines: bool = typer.Option(True, "--baselines/--no-baselines", help="Also time the naive load and networkx"),
    json_out: Path = typer.Option(None, "--json", help="Write every figure to this file"),
    keep: bool = typer.Option(False, "--keep", help="Keep the generated inputs and stores"),
) -> None:
    """Load, re-load and query synthetic knowledge bases of each size; print the figures as a table.

    One process, one run: per size, load throughput (nodes/s, relationships/s), re-load time, the
    API's query latencies (p50/p99), peak memory and disk size, each beside a baseline measured in
    the same run (one MERGE per row for loading, networkx in memory for queries).
    """
    from kb.bench import bench_size, rows_for_table

    try:
        counts = [int(s.replace("_", "")) for s in sizes.split(",") if s.strip()]
    except ValueError:
        err.print(f"[red]error:[/] --sizes {sizes!r}: give node counts separated by commas")
        raise typer.Exit(2) from None
    results = []
    for n in counts:
        results.append(bench_size(n, seed, workdir, profile=profile, baselines=baselines,
                                  log=lambda m: err.print(m, highlight=False)))
        if json_out:  # after each size, so a long run's figures survive an interruption
            json_out.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        if not keep:
            shutil.rmtree(workdir / f"{n}", ignore_errors=True)
    table = Table(title=f"kb bench (embedded store, seed {seed}, {os.cpu_count()} cores)")
    table.add_column("")
    for r in results:
        table.add_column(f"{r['size']:,}", justify="right")
    for name, cells in rows_for_table(results):
        table.add_row(name, *cells)
    out.print(table)
    if results and results[-1].get("plans"):
        out.print(f"query plans at {results[-1]['size']:,} nodes (EXPLAIN; estimated rows):")
        for name, steps in results[-1]["plans"].items():
            out.print(f"  {name}: " + " -> ".join(steps), highlight=False, markup=False)
    for r in results:
        if r.get("profile"):
            out.print(f"profile of the load at {r['size']:,} nodes (top 15 by own time):")
            out.print(r["profile"], highlight=False, markup=False)
    if json_out:
        json_out.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


from viz.cli import view_app  # noqa: E402 - `kb view …`: neighbourhood, programme, confessions, path, structure

app.add_typer(view_app, name="view")
