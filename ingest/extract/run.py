"""All extractors over one prepared document."""
from __future__ import annotations

from typing import Callable

from ingest.extract.base import DocText, Found

Extractor = Callable[[DocText], Found]


def extractors() -> list[Extractor]:
    """Every pattern family after the legal acts; each works on the prepared document alone."""
    from ingest.extract.bodies import extract_bodies
    from ingest.extract.councils import extract_councils
    from ingest.extract.events import extract_events
    from ingest.extract.observations import extract_observations
    from ingest.extract.people import extract_people
    from ingest.extract.programmes import extract_programmes

    return [extract_programmes, extract_councils, extract_bodies, extract_people, extract_events, extract_observations]


def extract_all(doc: DocText) -> Found:
    """Legal acts first: the document's own act (a decree's) dates the document, which later
    families need (collective bodies as of that date, years of events). Measures last: they
    belong to a programme found before."""
    from ingest.extract.acts import extract_legal_acts
    from ingest.extract.plan import extract_plan

    found = extract_legal_acts(doc)
    own = next((f for f in found.findings if f.props.get("document_act") and f.props.get("date")), None)
    if doc.date is None and own is not None:
        doc.date = own.props["date"]
    for extract in extractors():
        found.extend(extract(doc))
    found.extend(extract_plan(doc, found))
    return found
