"""All extractors over one prepared document."""
from __future__ import annotations

from typing import Callable

from ingest.extract.base import DocText, Found

Extractor = Callable[[DocText], Found]


def extractors() -> list[Extractor]:
    """Every pattern family; each works on the prepared document alone."""
    from ingest.extract.events import extract_events
    from ingest.extract.observations import extract_observations
    from ingest.extract.people import extract_people

    return [extract_people, extract_events, extract_observations]


def extract_all(doc: DocText) -> Found:
    from ingest.extract.plan import extract_plan

    found = Found()
    for extract in extractors():
        found.extend(extract(doc))
    found.extend(extract_plan(doc, found))  # measures belong to a programme found above
    return found
