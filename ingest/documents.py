"""A document file becomes facts: read, normalise, find known names, extract, resolve.

Stages: `ingest.read` (1), `ingest.normalise` (2), `ingest.tables` (3, inside the plan
extractor), `kb.morph` / `ingest.abbreviations` / `ingest.gazetteer` (4),
`ingest.extract` (5), `ingest.resolve` (6); `ingest.load` (7) writes the result.
"""
from __future__ import annotations

from pathlib import Path

from ingest.extract.run import extract_all
from ingest.gazetteer import Gazetteer
from ingest.load import Extraction
from ingest.prepare import Prepared, prepare
from ingest.resolve import NAMES_OF, NameIndex, Resolution, resolve
from kb.schema import Document
from kb.store import Store

GAZETTEER_LABELS = ("Region", "Confession", "StateBody", "Council", "ReligiousAssociation", "Programme",
                    "LegalAct", "Person", "Event", "Publication")


def gazetteer_from(store: Store) -> Gazetteer:
    rows = store.rows(f"MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels) RETURN n.id AS id, {NAMES_OF}",
                      {"labels": list(GAZETTEER_LABELS)})
    return Gazetteer.from_names({r["id"]: r["names"] for r in rows})


def document_node(p: Prepared) -> Document:
    title = next((line.strip() for line in p.doc.text.splitlines() if line.strip()), p.raw.path.stem)[:200]
    return Document(
        id=p.doc.doc_id, name=title, language=p.raw.language, content_hash=p.raw.content_hash,
        origin=p.raw.path.name, char_count=len(p.raw.text), date=p.doc.date,
    )


def extract_document(path: Path, gazetteer: Gazetteer, store: Store,
                     index: NameIndex | None = None) -> tuple[Extraction, Resolution]:
    p = prepare(path, gazetteer)
    found = extract_all(p.doc)
    ex, resolution = resolve(found, p.doc, p.norm, document_node(p), store, index)
    ex.warnings = list(p.raw.warnings) + ex.warnings
    ex.authoritative = False
    ex.summary = {
        "entities new": len(resolution.new), "entities merged": len(resolution.merged),
        "known names": len({m.node_id for m in p.doc.matches}),
        "observations": sum(type(n).__name__ == "Observation" for n in ex.nodes),
        "ambiguous": len(resolution.ambiguous),
    }
    return ex, resolution
