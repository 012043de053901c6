"""Find the graph's known names in a text: a trie over the match keys of every name and alias.

Names and text are keyed word by word with `kb.morph` (Kazakh stems, Russian lemmas), so
`Әділет министрлігі` is found as `Әділет министрлігінің`, and `Үкімет` is not found in
`үкіметтік` (another word). Abbreviations keep their case in the key, so `МАМ` never matches
`мамандар`. A name that belongs to several entities is reported, not guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kb.morph import key_tokens
from kb.text import fold

_SENTENCE_END = re.compile(r"[.!?…]\s|\n\s*\n")


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    node_id: str
    text: str
    exact: bool  # the text has the name's own form, not an inflected one
    nested: bool = False  # inside a longer name of something else


@dataclass
class _Entry:
    node_ids: set[str] = field(default_factory=set)
    surfaces: set[str] = field(default_factory=set)  # folded forms of the names, to tell exact hits


class Gazetteer:
    def __init__(self) -> None:
        self._trie: dict = {}
        self.ambiguous: dict[str, set[str]] = {}

    @classmethod
    def from_names(cls, names: dict[str, list[str]]) -> "Gazetteer":
        g = cls()
        for node_id, node_names in names.items():
            for name in node_names:
                g.add(name, node_id)
        return g

    def add(self, name: str, node_id: str) -> None:
        """Keyed as written and as Kazakh and as Russian: a Kazakh text keys every word as Kazakh,
        so a name with no Kazakh letter (`Ресей`, `Иудаизм`) must be found that way too."""
        for keys in _name_keys(name):
            if not keys or sum(len(k) for k in keys) < 2:
                continue
            node = self._trie
            for key in keys:
                node = node.setdefault(key, {})
            entry = node.setdefault(None, _Entry())
            entry.node_ids.add(node_id)
            entry.surfaces.add(fold(name))
            if len(entry.node_ids) > 1:
                self.ambiguous[name] = set(entry.node_ids)

    def find(self, text: str, lang: str | None = None) -> list[Match]:
        """Every name at every position, longest first. A name inside a longer one is kept when it
        names something else (`Алматы` in `Алматы қаласы Ішкі саясат басқармасы`) and marked
        `nested`; ambiguous names are skipped."""
        tokens = key_tokens(text, lang)
        found: list[tuple[int, int, _Entry]] = []
        for i in range(len(tokens)):
            node = self._trie
            for j in range(i, len(tokens)):
                node = node.get(tokens[j].key)
                if node is None:
                    break
                entry = node.get(None)
                if entry is not None and len(entry.node_ids) == 1:
                    found.append((tokens[i].start, tokens[j].end, entry))
        found.sort(key=lambda f: (f[0], -f[1]))
        matches: list[Match] = []
        outer: list[Match] = []  # the longest matches so far, to tell nested ones
        for start, end, entry in found:
            node_id = next(iter(entry.node_ids))
            around = [m for m in outer if m.start <= start and end <= m.end]
            if any(m.node_id == node_id and m.start <= start and end <= m.end for m in matches[-20:]):
                continue
            surface = text[start:end]
            match = Match(start, end, node_id, surface, fold(surface) in entry.surfaces, nested=bool(around))
            matches.append(match)
            if not around:
                outer = [m for m in outer if m.end > start] + [match]
        return matches


@lru_cache(maxsize=200_000)
def _name_keys(name: str) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(t.key for t in key_tokens(name, lang)) for lang in (None, "kk", "ru"))


def sentence_around(text: str, start: int, end: int, limit: int = 400) -> tuple[int, int]:
    """The sentence holding [start, end), cut to `limit` characters around the span."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - limit), start)),
               default=max(0, start - limit // 2))
    right_match = _SENTENCE_END.search(text, end, min(len(text), end + limit))
    right = right_match.start() + 1 if right_match else min(len(text), end + limit // 2)
    while left < start and text[left].isspace():
        left += 1
    while right > end and text[right - 1].isspace():
        right -= 1
    return left, right
