"""All extractors over one prepared document."""
from __future__ import annotations

from typing import Callable

from ingest.extract.base import DocText, Found

Extractor = Callable[[DocText], Found]


def extractors() -> list[Extractor]:
    """Every pattern family, in an order where earlier findings are not needed by later ones."""
    return []


def extract_all(doc: DocText) -> Found:
    found = Found()
    for extract in extractors():
        found.extend(extract(doc))
    return found
