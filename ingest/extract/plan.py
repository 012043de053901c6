"""A programme's action plan (stage 3's rebuilt table) as Measures: each PART_OF its programme,
with every body of its executors cell RESPONSIBLE_FOR it (`lead` for the one that collects reports).

Collective executors ("облыстардың, Астана, Алматы қалаларының әкімдіктері") become group
endpoints that the resolver expands against the graph as of the document's date:
`akimats-of-regions@<date>` and `akimat-of:<region id>`.
"""
from __future__ import annotations

import re

from ingest.extract.base import DocText, Finding, Found, Link
from ingest.tables import ActionPlan, PlanRow, parse_action_plan, split_executors
from kb.text import fold

BODY_PREFIXES = ("statebody", "council", "association")
_COLLECTIVE = re.compile(r"әкімдік|акимат", re.I)
_ALL_REGIONS = re.compile(r"облыстар|областей|областные", re.I)
FUNDING_UNIT = "million KZT"


def extract_plan(doc: DocText, found: Found) -> Found:
    plan = parse_action_plan(doc.text, page_breaks=doc.page_breaks, abbreviations=tuple(doc.abbreviations))
    out = Found()
    if plan is None or not plan.rows:
        return out
    out.warnings += plan.warnings
    programme = _programme_of(plan, found)
    if programme is None:
        out.warnings.append("an action plan without a programme it belongs to: its measures are not linked")
    prefix = _measure_prefix(programme)
    for row in plan.rows:
        measure = _measure(row, prefix)
        out.findings.append(measure)
        if programme is not None:
            out.links.append(Link("PART_OF", measure.key, programme.key, row.measure.pieces[0] if row.measure.pieces
                                  else (row.measure.start, row.measure.end), method="table", confidence=0.9))
        out.links += _responsible(doc, row, measure.key, out.warnings)
    return out


def _programme_of(plan: ActionPlan, found: Found) -> Finding | None:
    """The programme of the same period as the plan's funding years, else the first with a budget."""
    programmes = [f for f in found.findings if f.label == "Programme"]
    years = plan.header_years
    for f in programmes:
        if years and f.props.get("period_start") == min(years) and f.props.get("period_end") == max(years):
            return f
    return next((f for f in programmes if f.props.get("budget_total")), programmes[0] if programmes else None)


def _measure_prefix(programme: Finding | None) -> str:
    from ingest.resolve import stable_id

    base = stable_id(programme).split(":", 1)[1] if programme is not None else "unattached"
    return f"measure:{base[:70]}"


def _measure(row: PlanRow, prefix: str) -> Finding:
    years = sorted(y for y, v in row.funding.items() if v is not None)
    return Finding(
        label="Measure", name=row.measure.text, start=row.measure.start, end=row.measure.end,
        key=f"{prefix}#{row.number}", method="table", confidence=0.9,
        props={
            "number": row.number, "direction": row.direction, "completion_form": row.completion_form.text,
            "deadline": row.deadline.text, "funding_years": years, "funding_amounts": [row.funding[y] for y in years],
            "funding_unit": FUNDING_UNIT if years else None,
            "funding_source": row.funding_source.text if row.funding_source else None,
        },
    )


def _responsible(doc: DocText, row: PlanRow, measure_key: str, warnings: list[str]) -> list[Link]:
    pieces = row.executors.pieces or [(row.executors.start, row.executors.end)]
    hits = [m for s, e in pieces for m in doc.known_in(s, e, nested=True)]
    evidence = (pieces[0][0], pieces[-1][1]) if len(pieces) == 1 else pieces[0]
    links = []
    for name, lead in split_executors(row.executors.text):
        ends = _bodies_named(name, hits, doc)
        if not ends:
            warnings.append(f"measure {row.number}: executor {name!r} is not a known body; not linked")
        for end in ends:
            props = {"lead": True} if lead else {}
            links.append(Link("RESPONSIBLE_FOR", end, measure_key, evidence, props=props, method="table", confidence=0.9))
    return links


def _bodies_named(name: str, hits, doc: DocText) -> list[str]:
    key = fold(name)
    if _COLLECTIVE.search(name):
        regions = [m.node_id for m in hits if m.node_id.startswith("region:") and fold(m.text) in key]
        ends = [f"akimat-of:{r}" for r in dict.fromkeys(regions)]
        if _ALL_REGIONS.search(name):
            ends.insert(0, f"akimats-of-regions@{doc.date or 'now'}")
        return ends
    bodies = [m for m in hits if not m.nested and m.node_id.split(":", 1)[0] in BODY_PREFIXES]
    exact = [m.node_id for m in bodies if fold(m.text) == key or key.startswith(fold(m.text))]
    return list(dict.fromkeys(exact))
