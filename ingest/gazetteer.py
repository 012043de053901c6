"""Find the graph's known names in a text: a token trie over every name and alias.

Kazakh and Russian inflect the last word of a name (`Алматы` → `Алматыда`,
`министрлік` → `министрлігінің`), so the last token may carry a suffix, with the
Kazakh voicing of a final к/қ/п before it. Abbreviations (`МАМ`, `ҚМДБ`) match
case-sensitively and whole, so `МАМ` never matches `маман`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.text import fold

TOKEN = re.compile(r"\w+", re.UNICODE)
MAX_SUFFIX = 8
MIN_STEM = 4
_VOICING = {"к": "г", "қ": "ғ", "п": "б"}
# derivational suffixes make another word (`үкіметтік` "governmental", `қазақстандық` "Kazakhstani"), not a form of the name
_DERIVATIONAL = ("тық", "тік", "дық", "дік", "лық", "лік", "шыл", "шіл", "сыз", "сіз")
_SENTENCE_END = re.compile(r"[.!?…]\s|\n\s*\n")


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    node_id: str
    text: str
    exact: bool


@dataclass
class _Entry:
    node_ids: set[str] = field(default_factory=set)
    originals: set[tuple[str, ...]] = field(default_factory=set)  # case-sensitive forms, for abbreviations
    abbreviation: bool = False


def is_abbreviation(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and name == name.upper() and len(name.replace(" ", "")) <= 10


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
        tokens = TOKEN.findall(name)
        if not tokens or sum(len(t) for t in tokens) < 2:
            return
        node = self._trie
        for tok in tokens:
            node = node.setdefault(fold(tok), {})
        entry = node.setdefault(None, _Entry())
        entry.node_ids.add(node_id)
        if is_abbreviation(name):
            entry.abbreviation = True
            entry.originals.add(tuple(tokens))
        if len(entry.node_ids) > 1:
            self.ambiguous[name] = set(entry.node_ids)

    def find(self, text: str) -> list[Match]:
        """Longest non-overlapping matches, left to right. Ambiguous names are skipped."""
        tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
        folded = [fold(t[2]) for t in tokens]
        matches: list[Match] = []
        i = 0
        while i < len(tokens):
            best = self._longest_at(tokens, folded, i)
            if best is None:
                i += 1
                continue
            j, entry, exact = best
            start, end = tokens[i][0], tokens[j][1]
            if len(entry.node_ids) == 1:
                matches.append(Match(start, end, next(iter(entry.node_ids)), text[start:end], exact))
            i = j + 1
        return matches

    def _longest_at(self, tokens, folded, i):
        best = None
        node = self._trie
        for j in range(i, len(tokens)):
            tok = folded[j]
            nxt = node.get(tok)
            if nxt is not None and None in nxt and self._case_ok(nxt[None], tokens, i, j):
                best = (j, nxt[None], True)
            # the last word of a name may carry an inflectional suffix
            if best is None or best[0] < j:
                for stem in _stems(tok):
                    if tok[len(stem):].startswith(_DERIVATIONAL):
                        continue
                    child = node.get(stem)
                    if child is not None and None in child and not child[None].abbreviation:
                        best = (j, child[None], False)
                        break
            if nxt is None:
                break
            node = nxt
        return best

    @staticmethod
    def _case_ok(entry: _Entry, tokens, i: int, j: int) -> bool:
        if not entry.abbreviation:
            return True
        return tuple(t[2] for t in tokens[i:j + 1]) in entry.originals


_UNVOICING = {v: k for k, v in _VOICING.items()}


def _stems(token: str):
    """Candidate dictionary forms of an inflected token, longest first (`министрлігінің` →
    ..., `министрлігі`, `министрлік`, ...)."""
    for cut in range(1, MAX_SUFFIX + 1):
        stem = token[:-cut]
        if len(stem) < MIN_STEM:
            return
        yield stem
        if stem[-1] in _UNVOICING:
            yield stem[:-1] + _UNVOICING[stem[-1]]


def sentence_around(text: str, start: int, end: int, limit: int = 400) -> tuple[int, int]:
    """The sentence holding [start, end), cut to `limit` characters around the span."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - limit), start)), default=max(0, start - limit // 2))
    right_match = _SENTENCE_END.search(text, end, min(len(text), end + limit))
    right = right_match.start() + 1 if right_match else min(len(text), end + limit // 2)
    while left < start and text[left].isspace():
        left += 1
    while right > end and text[right - 1].isspace():
        right -= 1
    return left, right
