"""What extractors find, before it is resolved against the graph (stage 6).

A `Finding` is a thing named in the text (an entity or an observation); a `Link` is a fact
between two findings or between a finding and a known node. Both carry the clean-text span
of their evidence; resolution turns them into schema nodes and relationships with sources.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ingest.gazetteer import Match, sentence_around

_SENTENCE = re.compile(r"(?<=[.!?…])\s+(?=[«\"(А-ЯЁӘҒҚҢӨҰҮҺІA-Z0-9])|\n\s*\n")


@dataclass
class Finding:
    """An entity or observation named in the text."""

    label: str                      # a schema label
    name: str                       # its name in normal form (or as written)
    start: int                      # span of the name (or of the figure) in the clean text
    end: int
    key: str                        # local key, so links can point at it before it has an id
    props: dict[str, Any] = field(default_factory=dict)
    ref: str | None = None          # an existing node id, when the extractor already knows it
    aliases: list[str] = field(default_factory=list)
    method: str = "pattern"
    confidence: float = 0.8


@dataclass
class Link:
    """A relationship between two findings (by key) or known nodes (by id)."""

    type: str
    start: str
    end: str
    evidence: tuple[int, int]       # clean-text span of the sentence or cell that states it
    props: dict[str, Any] = field(default_factory=dict)
    method: str = "pattern"
    confidence: float = 0.8


@dataclass
class Found:
    findings: list[Finding] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def extend(self, other: "Found") -> None:
        self.findings += other.findings
        self.links += other.links
        self.warnings += other.warnings


@dataclass
class DocText:
    """One document as extractors see it: clean text plus what earlier stages learned."""

    doc_id: str
    text: str                                   # normalised text
    language: str
    date: str | None = None                     # the document's own date, when known
    matches: list[Match] = field(default_factory=list)        # gazetteer hits (known nodes)
    abbreviations: dict[str, str] = field(default_factory=dict)
    page_breaks: tuple[int, ...] = ()                          # where the normaliser joined pages

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        return sentence_around(self.text, start, end)

    def known_in(self, start: int, end: int, prefix: str | None = None, *, nested: bool = False) -> list[Match]:
        """Gazetteer hits inside [start, end), optionally only ids with `prefix`; names nested in a
        longer name (`Алматы` in `Алматы қаласы әкімдігі`) only when asked for."""
        return [m for m in self.matches if start <= m.start and m.end <= end and (nested or not m.nested)
                and (prefix is None or m.node_id.startswith(prefix + ":"))]

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        spans, last = [], 0
        for m in _SENTENCE.finditer(self.text):
            if m.start() > last:
                spans.append((last, m.start()))
            last = m.end()
        if last < len(self.text):
            spans.append((last, len(self.text)))
        return spans
