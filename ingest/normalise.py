"""Stage 2 of extraction: repair PDF-extraction artifacts, keeping an offset map back to the raw text.

`normalise(raw)` returns a `Normalised`: the clean text plus every edit made, each edit a raw span
replaced by a clean span.  Edits never overlap and are sorted, so the map between the two texts is
the sorted edit list searched with `bisect` (no per-character tables): `to_raw` and `raw_span` are
O(log edits).  Every stage finds its candidates with C-level regex scans and decides only those in
Python; stage edits are composed with numpy-vectorised bookkeeping; the word-count vocabulary is
counted chunk by chunk (one entry per distinct word, never a list of all words).  Time and memory are
linear in the text: on the artifact-dense decree sample repeated to 36 MB, 13 s and 0.5 GB (so about
70 s for 200 MB), memory going mostly to the Edit objects (one per repair, trailing spaces included).

Edit kinds (one edit per repaired thing):

``latin_lookalike``  a Latin letter inside an otherwise Cyrillic word -> its Cyrillic twin (``дiни`` ->
    ``діни``; a e o p c x y i and capitals A B C E H K M O P T X I).  Only when the word has Cyrillic
    letters and every Latin letter in it has a twin, so ``Phd``, ``II``, ``WT``, ``iPhone`` stay.
``soft_hyphen``      a U+00AD soft hyphen inside a line, removed.
``letter_spacing``   one letter-spaced word joined (``ж ы л ғ ы`` -> ``жылғы``, ``2 0 0 7`` -> ``2007``,
    ``6 8 , 1`` -> ``68,1``); the 2-space gap the extractor puts between spaced words becomes one space
    (``Б Ғ М ,  Әділет`` -> ``БҒМ, Әділет``).  A run is single characters separated by single spaces,
    *ended by two spaces* (the extractor's word end), with >= 2 letters/digits.  A run of exactly two
    letters/digits also needs context: its line holds nothing but single characters, or another run of
    >= 3, or it opens a line continuing a line-end hyphen (so Russian ``и в  ...`` survives).  Never
    joined: digits counting 1, 2, ..., N (N >= 3) -- a table's column-number row, which also lacks the
    two-space end -- and ``N 5``, ``с 1 января`` (no two-space end).
``line_hyphen``      a word broken at a line end: hyphen, line break, blank lines or a page break and
    the next line's indentation removed (``Мемле-\\nкет`` -> ``Мемлекет``), a U+00AD at a line end; and,
    when the document shows the joined word (or a word starting with it), a detached hyphen that could
    also be a dash, a bullet or an empty table cell: ``тоқ - \\nсаны``, ``Мемле \\n-кет``, a hyphen
    alone on a line (``Жер\\n-\\nгі``).
``compound_hyphen``  a real hyphen at a line end: hyphen kept, the break removed (``іс-\\nшара`` ->
    ``іс-шара``, ``2008-\\n2009``, ``БАҚ-\\nта``, ``әлеуметтік-\\n\\n\\n\\nэкономикалық``).
``split_word``       one word rejoined across stray spaces around ``і`` (``Үк імет ін ің`` -> ``Үкіметінің``).
``inline_hyphen``    a hyphen the extractor left inside a lowercase word before a Kazakh suffix, removed
    when the joined word occurs in the document (``шілде-ге`` -> ``шілдеге``).  Kazakh hyphenates a
    suffix only after digits, abbreviations and foreign words, none lowercase Cyrillic; ``БАҚ-та``,
    ``ҚазҰУ-дың``, ``40-тан`` are never touched.
``hyphen_space``     the space before a mid-line hyphen between lowercase letters (``іс -қимыл`` -> ``іс-қимыл``).
``punct_space``      space before , ; : . ! ? (``сөз ,`` -> ``сөз,``, ``31 ,6`` -> ``31,6``); also the line
    break before a line that starts with ``,`` or ``;``.
``page_break``       the three blank lines of a page break removed (one newline stays) when the sentence
    continues: the next line starts lowercase, or with a digit after a line not ending a sentence.
``trailing_space``   spaces/tabs at a line end.

Other line breaks are kept: paragraphs are not reflowed.

Line-end hyphen, soft or real?  Kept (``compound_hyphen``) when the left part ends in a digit, is an
abbreviation (>= 2 capitals: ``БАҚ``, ``ҚазҰУ``) or Latin; when the document has the hyphenated form
(``іс-шара``), or the same left part hyphenated to a right part with the same first 4 letters
(``қарым-қатынас`` for ``қарым-\\nқатынасының``), more often than the joined form; when the pair is in
``KNOWN_COMPOUNDS``; for Russian ``из-за``, ``по-русски``, ``что-то``, ``социально-экономический``; for
Kazakh adjective + word (``мемлекеттік-\\nконфессиялық``).  Otherwise joined (``line_hyphen``).  No edit
when the next line starts with a capital or a digit after a letter, with ``және``/``немесе``/``и``/``или``
... (a hanging ``теле- және``), or when a detached hyphen has no evidence (see ``line_hyphen``).

Stray spaces around ``і``: a chain of words linked by single spaces where the right word starts with
``і`` (or the left one is a lone ``і``).  Joined where the joined form occurs unbroken in the document
(longest group first); otherwise a lone ``і`` always joins, and on justified lines (they hold a double
space) an ``і``-piece joins if it is not a word: never seen alone in the document and not a Kazakh
``і``-word (``іс``, ``іске``, ``ішінде``, ``істеу``, ``ілім``, ...).  The list markers ``і)``, ``і.`` stay.

Idempotent by construction: the whole pipeline is rerun on its own output until a round makes no edit
(normally the second round; at most ``MAX_ROUNDS``), so ``normalise(normalise(x).text)`` makes no edit.
A later round's repair that overlaps an earlier one is merged into one edit of kind ``"a+b"``;
`counts()` counts it under both kinds.

Known limitations: tables extracted cell by cell stay one cell per line, and a word split across
cells of different rows (``жөнінде-`` ... ``гі``) stays split; column text interleaved by the extractor
(``мемлекеттік- ның атауы``) is not untangled; inside one edit's replacement, offsets map to the edit's
raw start and `raw_span` widens to whole edits; the vocabulary evidence is per document, so a word
seen only broken gets the default decision.
"""
from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

__all__ = ["Edit", "Normalised", "normalise", "KINDS", "apply_edits"]

KINDS = (
    "latin_lookalike", "soft_hyphen", "letter_spacing", "line_hyphen", "compound_hyphen", "split_word",
    "inline_hyphen", "hyphen_space", "punct_space", "page_break", "trailing_space",
)


@dataclass(frozen=True, slots=True)
class Edit:
    kind: str  # one of KINDS; "a+b" if a later round had to widen an earlier edit
    raw_start: int
    raw_end: int
    clean_start: int
    clean_end: int
    before: str
    after: str


@dataclass(frozen=True)
class Normalised:
    raw: str
    text: str
    edits: tuple[Edit, ...]
    _cs: array = field(init=False, repr=False, compare=False)
    _ce: array = field(init=False, repr=False, compare=False)
    _rs: array = field(init=False, repr=False, compare=False)
    _re: array = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name, attr in (("_cs", "clean_start"), ("_ce", "clean_end"), ("_rs", "raw_start"), ("_re", "raw_end")):
            object.__setattr__(self, name, array("q", [getattr(e, attr) for e in self.edits]))

    def to_raw(self, clean_offset: int) -> int:
        """Raw offset of a clean offset (0..len(text)).  A point just after deleted text maps past it;
        a point inside a replacement maps to the start of the replaced raw span."""
        o = clean_offset
        if not 0 <= o <= len(self.text):
            raise IndexError(f"clean offset {o} outside 0..{len(self.text)}")
        k = bisect_right(self._cs, o) - 1
        if k < 0:
            return o
        if o < self._ce[k]:
            return self._rs[k]
        return self._re[k] + (o - self._ce[k])

    def _to_raw_end(self, o: int) -> int:
        # the end of a span: stays before text deleted at o, and a point inside a replacement maps
        # to the end of the replaced raw span
        k = bisect_left(self._cs, o) - 1
        if k < 0:
            return o
        if o <= self._ce[k]:
            return self._re[k]
        return self._re[k] + (o - self._ce[k])

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw span of clean text[start:end]; widened to whole edits where it cuts through one."""
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"bad clean span {start}..{end} for a text of {len(self.text)}")
        if start == end:
            r = self.to_raw(start)
            return r, r
        return self.to_raw(start), self._to_raw_end(end)

    def counts(self) -> dict[str, int]:
        """Edits per kind (an "a+b" edit counts for both)."""
        c: Counter[str] = Counter()
        for e in self.edits:
            for k in e.kind.split("+"):
                c[k] += 1
        return dict(c)


def apply_edits(raw: str, edits) -> str:
    """The clean text rebuilt from raw and edits (a consistency check)."""
    parts, pos = [], 0
    for e in edits:
        parts.append(raw[pos:e.raw_start])
        parts.append(e.after)
        pos = e.raw_end
    parts.append(raw[pos:])
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# character classes and word lists

_LOOKALIKE = {
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і",
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О", "P": "Р",
    "T": "Т", "X": "Х", "I": "І",
}
_HYPHENS = "-\u2010\u2011"
_SOFT = "\u00ad"
_SENTENCE_END = ".!?:;"

# a next-line word that is no suffix: a line-end hyphen before it hangs (теле- және радио)
_HANGING_NEXT = {"және", "немесе", "мен", "бен", "пен", "әрі", "яки", "и", "или", "либо", "но"}

# Kazakh words and stems starting with і: such a piece after a word is no stray split
_I_WORDS = {"іс", "із", "іш", "іт", "ілу", "ірі", "іні"}
_I_PREFIXES = ("іск", "іст", "ісі", "іш", "ізд", "ізг", "ізі", "ілім", "ілгер", "ілік", "ілесп", "ілтипат",
               "ірге", "ірік", "іні", "інжу", "індет", "іңір", "ітмұрын", "іркіт")

# Kazakh suffixes an extractor leaves hyphenated inside a lowercase word (шілде-ге, шеңберін-де)
_KK_SUFFIXES = {
    "ға", "ге", "қа", "ке", "а", "е", "на", "не", "да", "де", "та", "те", "нда", "нде", "дан", "ден", "тан",
    "тен", "нан", "нен", "ның", "нің", "дың", "дің", "тың", "тің", "ды", "ді", "ты", "ті", "ны", "ні", "н",
    "ын", "ін", "мен", "бен", "пен", "лар", "лер", "дар", "дер", "тар", "тер", "сы", "сі", "ы", "і", "ым",
    "ім", "ың", "ің", "лы", "лі", "ғы", "гі", "қы", "кі", "сын", "сін", "нды", "нді", "ндағы", "ндегі",
    "дағы", "дегі", "тағы", "тегі", "тары", "тері", "дары", "дері", "лары", "лері",
}

# left part -> first letters of right parts: hyphenated compounds that may break at their hyphen
KNOWN_COMPOUNDS: dict[str, tuple[str, ...]] = {
    "іс": ("шара", "қимыл", "әрекет", "тәжірибе"), "қарым": ("қатынас",), "жан": ("жақты",),
    "сын": ("қатер",), "ар": ("ождан",), "әдет": ("ғұрып",), "салт": ("дәстүр", "сана"), "жай": ("күй",),
    "ой": ("өріс", "пікір"), "тепе": ("теңдік",), "үгіт": ("насихат",), "зорлық": ("зомбылық",),
    "ғылыми": ("зерттеу", "әдіс", "практика", "қолданба", "техника", "танымал", "көпшілік"),
    "әлеуметтік": ("экономика", "саяси", "мәдени", "психолог", "демограф", "гуманитар"),
    "ақпараттық": ("түсіндір", "насихат", "ағарт", "талдау", "коммуника", "анықтама"),
    "оқу": ("әдістеме", "тәрбие", "ағарту"), "қоғамдық": ("саяси",), "діни": ("экстрем", "ағарту"),
    "мемлекеттік": ("конфессия", "жекешелік", "құқық"), "құқық": ("қорғау",), "ұлттық": ("мәдени",),
    "қаржы": ("экономика",), "теле": ("радио",), "аудио": ("бейне",), "интернет": ("ресурс", "кеңістік"),
    "семинар": ("тренинг", "кеңес"), "из": ("за", "под"), "кое": ("",), "кой": ("",),
    "научно": ("исследоват", "практич", "техничес"), "социально": ("экономич", "политич", "культур"),
    "общественно": ("политич",), "военно": ("промышлен",), "северо": ("запад", "восток"),
    "юго": ("запад", "восток"),
}
_RU_PRONOUNS = {"что", "кто", "где", "когда", "как", "какой", "какая", "какое", "какие", "чей", "чья", "чьё",
                "куда", "откуда", "почему", "зачем", "сколько", "чем", "чему", "кого", "кому", "чего"}
_RU_ADJ_LEFT = ("ально", "ично", "чно", "ьно", "нно", "ско", "ико", "тно", "рно", "вно", "дно")
_RU_ADJ_END = ("ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ого", "его", "ому", "ему", "ым", "им",
               "ыми", "ими", "ых", "их", "ую", "юю")
_KK_ADJ_LEFT = ("лық", "лік", "тық", "тік", "дық", "дік", "ғы", "гі", "қы", "кі", "ми", "ди", "ни")


def _is_cyr(c: str) -> bool:
    return "\u0400" <= c <= "\u04ff"


def _is_lower_letter(c: str) -> bool:
    return c.isalpha() and c.islower()


def _is_abbrev(w: str) -> bool:
    return sum(1 for c in w if c.isupper()) >= 2


def _is_latin_word(w: str) -> bool:
    return any(c.isalpha() for c in w) and all(c.isascii() for c in w)


# ---------------------------------------------------------------------------------------------
# vocabulary: word counts of the document, counted chunk by chunk

_WORDS = re.compile(r"\w+(?:[-\u2010\u2011]\w+)*")
_CHUNK = 1 << 22


def _chunks(text: str):
    i, n = 0, len(text)
    while i < n:
        j = min(n, i + _CHUNK)
        if j < n:
            k = text.find("\n", j)
            j = n if k < 0 else k + 1
        yield text[i:j]
        i = j


class _Vocab:
    """Lower-cased counts of words (`words`), of hyphenated words (`hyph`, hyphens as "-"), and the
    right parts seen after each left part in hyphenated words (`pairs`)."""

    def __init__(self, text: str):
        tokens: Counter[str] = Counter()
        for chunk in _chunks(text):
            tokens.update(_WORDS.findall(chunk.lower()))
        hyph = [w for w in tokens if "-" in w or "\u2010" in w or "\u2011" in w]
        self.hyph: Counter[str] = Counter()
        self.pairs: dict[str, Counter[str]] = {}
        for w in hyph:
            n = tokens.pop(w)
            w = w.replace("\u2010", "-").replace("\u2011", "-")
            self.hyph[w] += n
            parts = w.split("-")
            for part in parts:
                tokens[part] += n
            for a, b in zip(parts, parts[1:]):
                self.pairs.setdefault(a, Counter())[b] += n
        self.words: Counter[str] = tokens
        self._sorted: list[str] | None = None

    def count(self, w: str) -> int:
        return self.hyph.get(w, 0) if "-" in w else self.words.get(w, 0)

    def add(self, w: str, n: int = 1) -> None:
        if "-" in w:
            self.hyph[w] += n
        else:
            self.words[w] += n
        self._sorted = None

    def has_prefix(self, p: str) -> bool:
        if self._sorted is None:
            self._sorted = sorted(self.words)
        i = bisect_left(self._sorted, p)
        return i < len(self._sorted) and self._sorted[i].startswith(p)


class _Context:
    """Shared by the stages of one round: the vocabulary (made on first use, after letter spacing)."""

    def __init__(self) -> None:
        self.vocab: _Vocab | None = None

    def get_vocab(self, text: str) -> _Vocab:
        if self.vocab is None:
            self.vocab = _Vocab(text)
        return self.vocab


# ---------------------------------------------------------------------------------------------
# stages: each returns sorted, disjoint, non-empty (start, end, replacement, kind) on its input

Change = tuple[int, int, str, str]


def _stage_lookalike(text: str, ctx: _Context) -> list[Change]:
    out: list[Change] = []
    last_word_start = -1
    for m in re.finditer(r"[A-Za-z]+", text):
        s, e = m.start(), m.end()
        if not ((s > 0 and _is_cyr(text[s - 1])) or (e < len(text) and _is_cyr(text[e]))):
            continue
        while s > 0 and text[s - 1].isalpha():
            s -= 1
        if s == last_word_start:
            continue
        last_word_start = s
        w = re.compile(r"[^\W\d_]+").match(text, s).group()
        latin = [i for i, c in enumerate(w) if c.isascii()]
        if all(w[i] in _LOOKALIKE for i in latin) and len(latin) <= len(w) - len(latin):
            out.extend((s + i, s + i + 1, _LOOKALIKE[w[i]], "latin_lookalike") for i in latin)
    return out


def _stage_soft_hyphen(text: str, ctx: _Context) -> list[Change]:
    if _SOFT not in text:
        return []
    return [(m.start(), m.end(), "", "soft_hyphen") for m in re.finditer(r"\u00ad(?![ \t]*(?:\n|\Z))", text)]


_RUN = re.compile(r"(?<![^ \n])(\S(?: \S)+)(?=  )")


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    return s, (len(text) if e < 0 else e)


def _prev_line_ends_with_hyphen(text: str, line_start: int) -> bool:
    if line_start == 0:
        return False
    ps = text.rfind("\n", 0, line_start - 1) + 1
    return text[ps:line_start - 1].rstrip().endswith(tuple(_HYPHENS))


def _stage_letter_spacing(text: str, ctx: _Context) -> list[Change]:
    by_line: dict[int, list[re.Match]] = {}
    for m in _RUN.finditer(text):
        by_line.setdefault(text.rfind("\n", 0, m.start()) + 1, []).append(m)
    out: list[Change] = []
    for ls, runs in by_line.items():
        _, le = _line_bounds(text, ls)
        line = text[ls:le]
        good = []
        for m in runs:
            chars = m.group(1)[::2]
            alnum = sum(c.isalnum() for c in chars)
            if alnum < 2:
                continue
            if chars.isdigit() and len(chars) >= 3 and chars == "".join(str(i + 1) for i in range(len(chars))):
                continue  # a table's column-number row 1 2 3 ... N
            good.append((m, alnum))
        if not good:
            continue
        context = any(a >= 3 for _, a in good) or all(len(t) == 1 for t in line.split())
        consumed_to = ls
        for m, alnum in good:
            if alnum == 2 and not context:
                if text[ls:m.start()].strip() or not _prev_line_ends_with_hyphen(text, ls):
                    continue
            s, e = m.start(1), m.end(1)
            rep = m.group(1)[::2]
            if rep[-1] in _HYPHENS and not text[e:le].strip():
                # "м е р -" at a line end: join the letters, leave the hyphen to the line-hyphen stage
                out.append((s, e - 1, rep[:-1], "letter_spacing"))
                consumed_to = e - 1
                continue
            # the two-space gap before, after a non-space not already in the previous edit
            if s - 2 > consumed_to and text[s - 2:s] == "  " and text[s - 3] not in " \n":
                s -= 2
                rep = " " + rep
            # the two-space gap after, before a non-space on the same line
            if text[e:e + 2] == "  " and e + 2 < le and text[e + 2] not in " \n":
                e += 2
                rep = rep + " "
            out.append((s, e, rep, "letter_spacing"))
            consumed_to = e
    out.sort()
    return out


# ---- line-end hyphens ------------------------------------------------------------------------

_BLANKS = re.compile(r"(?:[ \t]*\n){1,5}[ \t]*")  # the line's newline, up to 4 blank lines, indentation
_INDENT = re.compile(r"[ \t]*")
_LEFT_WORD = re.compile(r"\w+(?:[-\u2010\u2011]\w+)*$")
_WORD_PART = re.compile(r"\w+")
_SITE_EOL = re.compile(r"[-\u2010\u2011\u00ad][ \t]*\n")
_SITE_BOL = re.compile(r"\n[ \t]*[-\u2010\u2011](?=[^\W\d_]|[ \t]*\n)")


class _HyphenJudge:
    def __init__(self, vocab: Callable[[], _Vocab]):
        self._get = vocab
        self._cache: dict[tuple, str | None] = {}

    def _pair_evidence(self, v: _Vocab, left: str, right: str) -> int:
        rights = v.pairs.get(left)
        if not rights or len(right) < 4:
            return 0
        return sum(n for r, n in rights.items() if len(r) >= 4 and r[:4] == right[:4])

    def _known(self, v: _Vocab, left: str, right: str, complete: bool) -> bool:
        if left in KNOWN_COMPOUNDS and any(right.startswith(p) for p in KNOWN_COMPOUNDS[left]):
            return True
        if left == "по" and complete and right.endswith(("ски", "цки", "ому", "ему", "ьи")):
            return True
        if left == "во" and right.startswith(("перв", "втор", "трет", "четв")):
            return True
        if complete and (right in ("либо", "нибудь", "таки") or (right == "то" and left in _RU_PRONOUNS)):
            return True
        if (complete and len(left) >= 6 and left.endswith(_RU_ADJ_LEFT) and len(right) >= 5
                and right.endswith(_RU_ADJ_END)):
            return True
        if complete and len(left) >= 5 and left.endswith(_KK_ADJ_LEFT) and len(right) >= 5 and v.words.get(right, 0):
            return True
        return False

    def decide(self, left_full: str, right: str, complete: bool, spaced: bool) -> str | None:
        key = (left_full, right, complete, spaced)
        if key not in self._cache:
            self._cache[key] = self._decide(left_full, right, complete, spaced)
        return self._cache[key]

    def _decide(self, left_full: str, right: str, complete: bool, spaced: bool) -> str | None:
        """'join' (soft hyphen), 'keep' (real hyphen) or None (leave the line break).  `spaced`: the
        hyphen is not glued to the end of the line's last word (``X -``, ``X\n-Y``, ``X\n-\nY``), so it
        may be a dash or a list bullet: a join then needs the document's evidence."""
        if not right:
            return None
        left_last = left_full.replace("\u2010", "-").replace("\u2011", "-").rsplit("-", 1)[-1]
        if not left_last:
            return None
        if right[0].isdigit():
            return "keep" if left_last[-1].isdigit() and not spaced else None
        if not _is_lower_letter(right[0]):
            return None
        if left_last[-1].isdigit() or _is_abbrev(left_last) or _is_latin_word(left_last):
            return None if spaced else "keep"
        v = self._get()
        ll, rl = left_last.lower(), right.lower()
        joined = (left_full + right).lower().replace("\u2010", "-").replace("\u2011", "-")
        jc = v.count(joined) if complete else 0
        if complete and rl in _HANGING_NEXT and jc == 0:
            return None
        hc = v.hyph.get(f"{ll}-{rl}", 0) if complete and len(rl) >= 3 else 0
        hc += self._pair_evidence(v, ll, rl)
        if hc > jc:
            return "keep"
        if jc > hc:
            return "join"
        if spaced:
            return "join" if len(joined) >= 5 and v.has_prefix(joined) else None
        if self._known(v, ll, rl, complete):
            return "keep"
        return "join"


def _left_word(text: str, end: int) -> tuple[int, str]:
    ls = text.rfind("\n", 0, end) + 1
    m = _LEFT_WORD.search(text, max(ls, end - 200), end)
    if not m:
        return end, ""
    return m.start(), m.group()


def _right_word(text: str, start: int) -> tuple[str, bool]:
    """The first word part at `start`, and whether it is whole (not broken again at its line end)."""
    m = _WORD_PART.match(text, start)
    if not m:
        return "", False
    e = m.end()
    if e < len(text) and text[e] in _HYPHENS + _SOFT:
        rest = _INDENT.match(text, e + 1).end()
        if rest >= len(text) or text[rest] == "\n":
            return m.group(), False
    if text[e:e + 1] == " " and text[e + 1:e + 2] in tuple(_HYPHENS):
        rest = _INDENT.match(text, e + 2).end()
        if rest >= len(text) or text[rest] == "\n":
            return m.group(), False
    return m.group(), True


def _hyphen_sites(text: str) -> list[tuple[str, int, int, int, int]]:
    """(kind, start of a joining edit, hyphen position, end of the left word, start of the right word):
    a: ``X-\\n`` (or U+00AD: kind soft), b: ``X -\\n``, c: ``X\\n-\\nY``, d: ``X\\n-Y``."""
    sites = []
    n = len(text)
    positions = sorted({m.start() for m in _SITE_EOL.finditer(text)} | {m.end() - 1 for m in _SITE_BOL.finditer(text)})
    for p in positions:
        ch = text[p]
        after = _INDENT.match(text, p + 1).end()
        if after < n and text[after] == "\n":
            if p > 0 and text[p - 1].isalnum():
                sites.append(("soft" if ch == _SOFT else "a", p, p, p, _BLANKS.match(text, after).end()))
            elif ch != _SOFT and p > 1 and text[p - 1] == " " and text[p - 2].isalnum():
                sites.append(("b", p - 1, p, p - 1, _BLANKS.match(text, after).end()))
            elif ch != _SOFT:
                ls = text.rfind("\n", 0, p) + 1
                if ls > 0 and not text[ls:p].strip():
                    prev_s = text.rfind("\n", 0, ls - 1) + 1
                    prev = text[prev_s:ls - 1].rstrip(" \t")
                    if prev and prev[-1].isalnum():
                        end = prev_s + len(prev)
                        sites.append(("c", end, p, end, _INDENT.match(text, after + 1).end()))
            continue
        if ch == _SOFT or after != p + 1 or not text[p + 1:p + 2].isalpha():
            continue
        ls = text.rfind("\n", 0, p) + 1
        if ls == 0 or text[ls:p].strip():
            continue
        prev_s = text.rfind("\n", 0, ls - 1) + 1
        prev = text[prev_s:ls - 1].rstrip(" \t")
        if prev and prev[-1].isalnum():
            end = prev_s + len(prev)
            sites.append(("d", end, p, end, p + 1))
    return sites


def _hyphen_decisions(text: str, sites, judge: _HyphenJudge, spaced_ok: bool):
    out = []  # (start, end, replacement, kind, the whole word when known)
    carry_pos, carry_text = -1, ""  # a chain: where the last joined right part began, what precedes it
    for kind, start, hpos, left_end, rstart in sites:
        if kind in "bcd" and not spaced_ok:
            continue
        if out and start < out[-1][1]:
            continue
        lstart, left = _left_word(text, left_end)
        if not left:
            continue
        left_full = (carry_text + left) if lstart == carry_pos else left
        right, complete = _right_word(text, rstart)
        if kind == "soft":
            verdict = "join" if right and _is_lower_letter(right[0]) else None
        else:
            verdict = judge.decide(left_full, right, complete, spaced=(kind in "bcd"))
        if verdict is None:
            carry_pos = -1
            continue
        if verdict == "join":
            out.append((start, rstart, "", "line_hyphen", None))
            carry_text = left_full
        else:
            if kind == "a":
                out.append((hpos + 1, rstart, "", "compound_hyphen", None))
            else:
                out.append((start, rstart, "-", "compound_hyphen", None))
            carry_text = left_full + "-"
        carry_pos = rstart
        if complete:
            out[-1] = out[-1][:4] + ((carry_text + right).lower(),)
    return out


def _stage_line_hyphen(text: str, ctx: _Context) -> list[Change]:
    sites = _hyphen_sites(text)
    if not sites:
        return []
    judge = _HyphenJudge(lambda: ctx.get_vocab(text))
    # glued hyphens first; the words they make are evidence for the others (тоқ - саны, Мемле -кет)
    decisions = _hyphen_decisions(text, sites, judge, spaced_ok=False)
    made = Counter(d[4] for d in decisions if d[4])
    if any(s[0] in "bcd" for s in sites):
        v = ctx.get_vocab(text)
        for w, k in made.items():
            v.add(w, k)
        decisions = _hyphen_decisions(text, sites, _HyphenJudge(lambda: v), spaced_ok=True)
        made = Counter(d[4] for d in decisions if d[4])
    elif made and ctx.vocab is not None:
        for w, k in made.items():
            ctx.vocab.add(w, k)
    return [d[:4] for d in decisions]


# ---- stray spaces around і -----------------------------------------------------------------

def _junctions(text: str):
    """Spaces before an і after a letter, and after a lone і before a letter, in order."""
    n, last = len(text), -1
    for m in re.finditer(" і", text):
        p = m.start()
        if p > last and p > 0 and text[p - 1].isalpha():
            yield p
            last = p
        if p + 2 > last and p + 3 < n and text[p + 2] == " " and text[p + 3].isalpha():
            yield p + 2
            last = p + 2
_NONSPACE = re.compile(r"\S*")
_CORE = re.compile(r"([\"'«(\[]*)(.*?)([\"'»)\].,;:!?]*)$")
_JUSTIFIED = re.compile(r"\S  +\S")  # a line with a double space between words


def _token_at(text: str, start: int) -> tuple[int, int, str, str, str]:
    """(core start, core end, core, leading punctuation, trailing punctuation)."""
    end = _NONSPACE.match(text, start).end()
    lead, core, trail = _CORE.match(text[start:end]).groups()
    cs = start + len(lead)
    return cs, cs + len(core), core, lead, trail


def _chains(text: str):
    chain: list = []
    chain_end = -1
    for p in _junctions(text):
        lo = max(0, p - 100)
        ls = max(text.rfind(" ", lo, p), text.rfind("\n", lo, p), text.rfind("\t", lo, p)) + 1
        if ls == 0 and lo > 0:
            continue  # a 100-character "word"
        a = _token_at(text, ls)
        b = _token_at(text, p + 1)
        ok = (
            a[1] == p and not a[4] and not b[3] and a[2] and b[2]
            and all(_is_cyr(c) and c.isalpha() for c in a[2] + b[2])
            and (b[2][0] == "і" or (a[2] == "і" and b[2][0].islower()))
            and not (b[2] == "і" and b[4][:1] in (")", "."))  # the list marker і) or і.
        )
        if not ok:
            continue
        if chain and chain_end == p:
            chain.append(b)
        else:
            if chain:
                yield chain
            chain = [a, b]
        chain_end = b[1]
    if chain:
        yield chain


def _stage_split_word(text: str, ctx: _Context) -> list[Change]:
    if " і" not in text:
        return []
    chains = list(_chains(text))
    if not chains:
        return []
    v = ctx.get_vocab(text)
    in_chains = Counter(t[2].lower() for ch in chains for t in ch)
    made: set[str] = set()

    def known(w: str) -> bool:
        return w in made or v.words.get(w, 0) > 0

    def not_a_word(piece: str) -> bool:
        p = piece.lower()
        return (v.words.get(p, 0) - in_chains.get(p, 0) <= 0 and p not in _I_WORDS
                and not p.startswith(_I_PREFIXES))

    justified = [_JUSTIFIED.search(text, *_line_bounds(text, ch[0][0])) is not None for ch in chains]
    decided: list[list[tuple[int, int]]] = [[] for _ in chains]
    for _ in range(4):  # to a fixpoint: a join made by rule is evidence for the same join elsewhere
        changed = False
        for ci, chain in enumerate(chains):
            cores = [t[2] for t in chain]
            groups: list[tuple[int, int]] = []
            i = 0
            while i < len(cores):
                j = next((j for j in range(len(cores) - 1, i, -1) if known("".join(cores[i:j + 1]).lower())), i)
                groups.append((i, j))
                i = j + 1
            merged: list[tuple[int, int]] = []
            for g in groups:
                if merged:
                    a_core, b_core = cores[merged[-1][1]], cores[g[0]]
                    if b_core == "і":
                        ok = True  # a lone і is never a word
                    elif a_core == "і":
                        ok = not_a_word(b_core)
                    else:
                        ok = justified[ci] and b_core[0] == "і" and not_a_word(b_core)
                    if ok:
                        merged[-1] = (merged[-1][0], g[1])
                        continue
                merged.append(g)
            new = [g for g in merged if g[1] > g[0]]
            if new != decided[ci]:
                decided[ci] = new
                changed = True
            for a, b in new:
                made.add("".join(cores[a:b + 1]).lower())
        if not changed:
            break
    out: list[Change] = []
    for chain, groups in zip(chains, decided):
        for a, b in groups:
            out.append((chain[a][0], chain[b][1], "".join(t[2] for t in chain[a:b + 1]), "split_word"))
    for w in made:
        v.add(w)
    out.sort()
    return out


# ---- small local repairs ---------------------------------------------------------------------

_INLINE_LEFT = re.compile(r"(?<![\w\u2010\u2011-])[^\W\d_]+$")
_INLINE_RIGHT = re.compile(r"[^\W\d_]{1,5}(?![\w\u2010\u2011-])")


def _stage_inline_hyphen(text: str, ctx: _Context) -> list[Change]:
    cands = []
    for m in re.finditer(r"[-\u2010\u2011](?=[^\W\d_])", text):
        p = m.start()
        if p == 0 or not text[p - 1].isalpha():
            continue
        r = _INLINE_RIGHT.match(text, p + 1)
        if r is None or r.group() not in _KK_SUFFIXES:
            continue
        lm = _INLINE_LEFT.search(text, max(0, p - 60), p)
        if lm is None:
            continue
        left = lm.group()
        if len(left) >= 2 and left.islower() and all(_is_cyr(c) for c in left):
            cands.append((p, (left + r.group()).lower()))
    if not cands:
        return []
    v = ctx.get_vocab(text)
    return [(p, p + 1, "", "inline_hyphen") for p, joined in cands if v.words.get(joined, 0) > 0]


def _stage_hyphen_space(text: str, ctx: _Context) -> list[Change]:
    return [(m.start(), m.start() + 1, "", "hyphen_space")
            for m in re.finditer(r" [-\u2010\u2011](?=[^\W\d_])", text)
            if m.start() >= 2 and text[m.start() - 1].isalpha() and text[m.start() - 1].islower()
            and text[m.start() - 2].isalpha() and text[m.end()].islower()]


def _stage_punct_space(text: str, ctx: _Context) -> list[Change]:
    out: list[Change] = []
    for m in re.finditer(r"[ \t](?=[,;:.!?])" if "\t" in text else r" (?=[,;:.!?])", text):
        s, e = m.start(), m.end()
        while s > 0 and text[s - 1] in " \t":
            s -= 1
        if s > 0 and (text[s - 1].isalnum() or text[s - 1] in ")]»\"%_") and text[e + 1:e + 2] != ".":
            out.append((s, e, "", "punct_space"))
    for m in re.finditer(r"\n[ \t]*(?=[,;][ \t\n])", text):
        s = m.start()
        while s > 0 and text[s - 1] in " \t":
            s -= 1
        if s > 0 and (text[s - 1].isalnum() or text[s - 1] in ")]»\"_"):
            out.append((s, m.end(), "", "punct_space"))
    out.sort()
    res: list[Change] = []
    for c in out:
        if not res or c[0] >= res[-1][1]:
            res.append(c)
    return res


PAGE_BREAK_BLANKS = 3
_PAGE_BREAK = re.compile(r"(?<=\n)((?:[ \t]*\n){%d})(?=[ \t]*\S)" % PAGE_BREAK_BLANKS)


def _stage_page_break(text: str, ctx: _Context) -> list[Change]:
    out: list[Change] = []
    for m in _PAGE_BREAK.finditer(text):
        s = m.start()
        prev_s = text.rfind("\n", 0, s - 1) + 1
        prev = text[prev_s:s - 1].rstrip()
        if not prev:
            continue  # more blank lines than a page break
        nxt = text[_INDENT.match(text, m.end()).end()]
        if _is_lower_letter(nxt) or (nxt.isdigit() and prev[-1] not in _SENTENCE_END):
            out.append((m.start(), m.end(), "", "page_break"))
    return out


def _stage_trailing_space(text: str, ctx: _Context) -> list[Change]:
    pattern = r"[ \t]+(?=\n|\Z)" if "\t" in text else r" +(?=\n|\Z)"
    return [(m.start(), m.end(), "", "trailing_space") for m in re.finditer(pattern, text)]


_STAGES = (
    _stage_lookalike, _stage_soft_hyphen, _stage_letter_spacing, _stage_line_hyphen, _stage_split_word,
    _stage_inline_hyphen, _stage_hyphen_space, _stage_punct_space, _stage_page_break, _stage_trailing_space,
)


# ---------------------------------------------------------------------------------------------
# composing stage changes into edits of the raw text

class _Edits:
    """Sorted, disjoint edits raw -> current text, as parallel arrays."""

    def __init__(self) -> None:
        self.rs = np.zeros(0, np.int64)
        self.re = np.zeros(0, np.int64)
        self.cs = np.zeros(0, np.int64)
        self.ce = np.zeros(0, np.int64)
        self.after = np.zeros(0, object)
        self.kind = np.zeros(0, object)

    def __len__(self) -> int:
        return len(self.rs)

    def compose(self, changes: list[Change], cur: str) -> None:
        """Follow the current edits by `changes` (on the current text)."""
        m = len(changes)
        s = np.fromiter((c[0] for c in changes), np.int64, m)
        e = np.fromiter((c[1] for c in changes), np.int64, m)
        n_prev = len(self.rs)
        lo = np.searchsorted(self.ce, s, "right")  # first edit ending after s
        hi = np.searchsorted(self.cs, e, "left")   # first edit starting at or after e
        # shift raw - current after edit k, for mapping current offsets that are in no edit
        shift = self.re - self.ce
        base = np.where(lo > 0, shift[np.maximum(lo - 1, 0)] if n_prev else 0, 0)
        new_rs = s + base
        new_re = e + base
        new_after = np.empty(m, object)
        new_after[:] = [c[2] for c in changes]
        new_kind = np.empty(m, object)
        new_kind[:] = [c[3] for c in changes]
        keep = np.ones(n_prev, bool)
        for i in np.nonzero(hi > lo)[0]:  # changes touching earlier edits: widen into one edit
            a, b = int(lo[i]), int(hi[i])
            si, ei = int(s[i]), int(e[i])
            rs_, re_ = min(si, int(self.cs[a])), max(ei, int(self.ce[b - 1]))
            new_rs[i] = self.rs[a] if self.cs[a] <= si else si + (int(base[i]))
            new_re[i] = int(self.re[b - 1]) + (re_ - int(self.ce[b - 1]))
            new_after[i] = cur[rs_:si] + changes[i][2] + cur[ei:re_]
            kinds: list[str] = []
            for k in list(self.kind[a:b]) + [changes[i][3]]:
                for part in k.split("+"):
                    if part not in kinds:
                        kinds.append(part)
            new_kind[i] = "+".join(kinds)
            keep[a:b] = False
        rs = np.concatenate([self.rs[keep], new_rs])
        order = np.argsort(rs, kind="stable")
        self.rs = rs[order]
        self.re = np.concatenate([self.re[keep], new_re])[order]
        self.after = np.concatenate([self.after[keep], new_after])[order]
        self.kind = np.concatenate([self.kind[keep], new_kind])[order]
        lens = np.fromiter((len(a) for a in self.after), np.int64, len(self.after))
        delta = lens - (self.re - self.rs)
        self.cs = self.rs + np.concatenate([[0], np.cumsum(delta)[:-1]]) if len(delta) else self.rs.copy()
        self.ce = self.cs + lens


def _disjoint(changes: list[Change]) -> list[Change]:
    """Sorted, non-empty, non-overlapping changes (a stage should give them so; this makes sure)."""
    if any(changes[i][0] > changes[i + 1][0] for i in range(len(changes) - 1)):
        changes = sorted(changes)
    out: list[Change] = []
    for c in changes:
        if c[0] < c[1] and (not out or c[0] >= out[-1][1]):
            out.append(c)
    return out


def _apply(text: str, changes: list[Change]) -> str:
    parts, pos = [], 0
    for s, e, rep, _ in changes:
        parts.append(text[pos:s])
        parts.append(rep)
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


MAX_ROUNDS = 4


def normalise(raw: str) -> Normalised:
    """Repair PDF-extraction artifacts in `raw` (see the module docstring for what and how)."""
    text = raw
    edits = _Edits()
    for _ in range(MAX_ROUNDS):
        ctx = _Context()
        made = False
        for stage in _STAGES:
            changes = _disjoint(stage(text, ctx))
            if not changes:
                continue
            made = True
            edits.compose(changes, text)
            text = _apply(text, changes)
        if not made:
            break
    final = tuple(
        Edit(k, rs, re_, cs, ce, raw[rs:re_], a)
        for k, rs, re_, cs, ce, a in zip(edits.kind.tolist(), edits.rs.tolist(), edits.re.tolist(),
                                         edits.cs.tolist(), edits.ce.tolist(), edits.after.tolist())
    )
    return Normalised(raw=raw, text=text, edits=final)


def _main(argv: list[str] | None = None) -> int:
    """`python -m ingest.normalise FILE...`: print the repairs per kind of each file."""
    import sys
    from pathlib import Path

    paths = sys.argv[1:] if argv is None else argv
    for p in paths:
        result = normalise(Path(p).read_text(encoding="utf-8"))
        counts = result.counts()
        print(p)
        for kind in KINDS:
            if counts.get(kind):
                print(f"  {kind:16} {counts[kind]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
