"""Where text becomes facts (first stage): a Document node and a MENTIONS
relationship, with its span and sentence, for every known name found in the text."""
from __future__ import annotations

from pathlib import Path

from ingest.gazetteer import Gazetteer, sentence_around
from ingest.load import Extraction
from ingest.read import read_text
from kb.schema import Document, Mentions, Source
from kb.store import Store
from kb.text import slugify

GAZETTEER_LABELS = ("Region", "Confession", "StateBody", "Council", "ReligiousAssociation", "Programme",
                    "LegalAct", "Person", "Event", "Publication")


def gazetteer_from(store: Store) -> Gazetteer:
    rows = store.rows(
        "MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels) "
        "RETURN n.id AS id, [x IN [n.name, n.name_kk, n.name_ru, n.name_en] WHERE x IS NOT NULL] + "
        "coalesce(n.aliases, []) AS names",
        {"labels": list(GAZETTEER_LABELS)},
    )
    return Gazetteer.from_names({r["id"]: r["names"] for r in rows})


def document_id(path: Path) -> str:
    return f"doc:{slugify(path.stem, 80)}"


def extract_document(path: Path, gazetteer: Gazetteer) -> Extraction:
    raw = read_text(path)
    text = raw.text
    title = next((line.strip() for line in text.splitlines() if line.strip()), path.stem)[:200]
    doc = Document(
        id=document_id(path), name=title, language=raw.language, content_hash=raw.content_hash,
        origin=path.name, char_count=len(text),
    )
    ex = Extraction(document=doc, warnings=list(raw.warnings))
    for m in gazetteer.find(text):
        q_start, q_end = sentence_around(text, m.start, m.end)
        confidence = 1.0 if m.exact else 0.8
        source = Source(doc=doc.id, start=m.start, end=m.end, raw_start=m.start, raw_end=m.end,
                        quote=text[q_start:q_end], method="gazetteer", confidence=confidence)
        ex.relations.append(Mentions(
            start=doc.id, end=m.node_id, span_start=m.start, span_end=m.end, raw_start=m.start, raw_end=m.end,
            quote=text[q_start:q_end], method="gazetteer", confidence=confidence, sources=[source],
        ))
    ambiguous = {name for name in gazetteer.ambiguous}
    if ambiguous:
        ex.warnings.append(f"names shared by several entities were not matched: {', '.join(sorted(ambiguous)[:10])}")
    return ex
