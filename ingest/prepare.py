"""Stages 1, 2 and 4 for one document: read, normalise, learn abbreviations, find known names.

The result, a `DocText`, is what every extractor (stage 5) works on.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingest.abbreviations import learn_abbreviations
from ingest.extract.base import DocText
from ingest.gazetteer import Gazetteer
from ingest.normalise import Normalised, normalise
from ingest.read import RawText, read_text
from ingest.tables import page_breaks_of
from ingest.reference import read_reference, reference_files
from kb.text import slugify


@dataclass
class Prepared:
    raw: RawText
    norm: Normalised
    doc: DocText


def document_id(path: Path) -> str:
    return f"doc:{slugify(path.stem, 80)}"


def prepare(path: Path, gazetteer: Gazetteer) -> Prepared:
    raw = read_text(path)
    norm = normalise(raw.text)
    doc = DocText(
        doc_id=document_id(path), text=norm.text, language=raw.language,
        matches=gazetteer.find(norm.text, raw.language), abbreviations=learn_abbreviations(norm.text),
        page_breaks=tuple(page_breaks_of(norm)),
    )
    return Prepared(raw, norm, doc)


def reference_gazetteer() -> Gazetteer:
    """The gazetteer of the shipped reference data alone (no store needed): for tests and tools."""
    names = {}
    for path in reference_files():
        for node in read_reference(path).nodes:
            names[node.id] = node.all_names()
    return Gazetteer.from_names(names)
