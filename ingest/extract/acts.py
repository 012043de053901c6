"""Legal acts named in a document: resolutions, decrees, laws, codes and their articles,
messages, the Constitution, orders, decisions; Kazakh and Russian.

A reference to an act is built from *elements* around an act noun:

    [«Title»] [issuer] [date] [N number] NOUN            Kazakh: elements precede the noun
    «Title» атты ... Жолдауы                              (messages: issuer, date, title, noun)
    NOUN [issuer] [от date] [№ number] [«Title»]          Russian: elements follow the noun

Kazakh act dates are attributive (`2007 жылғы 5 желтоқсандағы`, "of 5 December 2007"), Russian
ones follow `от` (`от 5 декабря 2007 года`); an event's date (`2007 жылы 5 желтоқсанда`) is
neither, so it is never taken for an act's date. A plural noun (`қаулыларына`, `жолдаулары`)
takes every dated/numbered item of its clause. A dated and numbered reference with no noun
next to it (badly extracted PDF text moves words about) takes the nearest unclaimed noun after
it, else a kind from context (`№ ДС-384-ке қатысты` in a reply to deputies: a deputy inquiry).

Mentions of one act (the header, the approval stamp `N 1185 қаулысымен бекітілген`, later
citations) share one key, `legalact:<kind>:<date>:<number>`; a mention missing the date or
the number joins the act of the same kind with the same number (or date).

Codes come from the noun (`Қылмыстық кодексі`, `Уголовный кодекс`), from the document's
abbreviations whose full name is a code (`ҚР ҚК - Қазақстан Республикасы Қылмыстық кодексі`)
and from the usual code abbreviations (ҚК, ӘҚБК, УК, КоАП, ...); articles (`ҚР ҚК 164,
170-баптары`, `статья 174 УК РК`) become `code_article` acts named after their code.

The document's own act is the one its first enacting formula (`ҚАУЛЫ ЕТЕДІ:`, `ПОСТАНОВЛЯЕТ:`,
`БҰЙЫРАМЫН:`) follows (a law or code cited as the basis just before the formula is not it), else
a reference standing right under the document's heading; its heading is its title.

Links: `REFERS_TO` from the document to every act it cites (not to its own act), and
`APPROVED` from an act to the programmes it approves: in its title (`«... бағдарламаны бекіту
туралы»`, `«Об утверждении Программы ...»`, `«... жоспары туралы»`; not a draft's title), by an
approval word next to both (`қаулысымен бекітілген <programme>`, `Жарлығымен <programme>
бекітілді`, `<programme>, утвержденная постановлением ...`, `Постановлением ... утверждена
<programme>`), and in the operative part after an enacting formula (`... бағдарлама
бекітілсін`, `Утвердить ... Программу`), where the enacted act's issuer approves it too.

The helpers at the top (dates, numbers, quotes, clause bounds, the reference index) are shared
by the programme, council and body extractors.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.dates import KK_MONTHS, month_number

from ingest.extract.base import DocText, Finding, Found, Link
from kb.morph import match_key, ru_lemma
from kb.text import fold, slugify

__all__ = [
    "extract_legal_acts", "ActRef", "find_acts", "find_dates", "find_numbers", "quote_spans",
    "clause_start", "reference_index", "resolve_body", "strip_country", "UPPER", "kk_genitive", "operative_owners",
]

UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_U = f"[{UPPER}]"

# ---------------------------------------------------------------------------------- dates

_KK_MONTH_RE = "|".join(KK_MONTHS)
# attributive Kazakh date: `2007 жылғы 5 желтоқсандағы` (the month takes -дағы/-дегі/-тағы/-тегі)
_KK_DATE = re.compile(
    rf"(?P<y>\d{{4}})\s*(?P<yw>жылғы|жылы|ж\.)\s*(?P<d>\d{{1,2}})\s*(?P<m>{_KK_MONTH_RE})(?P<suf>\w*)", re.IGNORECASE)
_RU_DATE = re.compile(
    r"(?P<ot>\bот\s+)?(?P<d>\d{1,2})\s+(?P<m>январ[яь]|феврал[яь]|марта?|апрел[яь]|ма[яй]|июн[яь]|июл[яь]|"
    r"августа?|сентябр[яь]|октябр[яь]|ноябр[яь]|декабр[яь])\s+(?P<y>\d{4})(?:\s*(?:года|г\.?)(?!\w))?", re.IGNORECASE)
_NUM_DATE = re.compile(
    r"(?P<ot>\bот\s+)?(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?:\s*(?:жылғы|ж\.|года|г\.?)(?!\w))?",
    re.IGNORECASE)


@dataclass(frozen=True)
class DateRef:
    start: int
    end: int
    iso: str
    attributive: bool   # an act's date (`жылғы ... -дағы`, `от ...`), not an event's
    text: str


def find_dates(text: str) -> list[DateRef]:
    """Every full date in `text`: Kazakh, Russian and numeric forms."""
    out: list[DateRef] = []
    for m in _KK_DATE.finditer(text):
        month = month_number(m.group("m"))
        suf = m.group("suf").lower()
        attributive = m.group("yw").lower() != "жылы" and (suf.endswith(("ғы", "гі")) or suf == "")
        out.append(_date(m, month, attributive))
    for m in _RU_DATE.finditer(text):
        stem = m.group("m").lower()
        month = month_number(stem)
        out.append(_date(m, month, bool(m.group("ot"))))
    for m in _NUM_DATE.finditer(text):
        if 1 <= int(m.group("m")) <= 12:
            out.append(_date(m, int(m.group("m")), True))
    return sorted(out, key=lambda d: d.start)


def _date(m: re.Match, month: int, attributive: bool) -> DateRef:
    day, year = int(m.group("d")), int(m.group("y"))
    iso = f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 else f"{year:04d}-{month:02d}"
    start = m.start("ot") if "ot" in m.groupdict() and m.group("ot") else m.start()
    return DateRef(start, m.end(), iso, attributive, " ".join(m.group(0).split()))


# -------------------------------------------------------------------------------- numbers

_NUMBER = re.compile(
    rf"(?<!\w)(?P<sign>N|№|No\.?)\s*(?P<num>(?:{_U}{{1,6}}\s?-\s?)?\d+(?:[-/.]\d+)*(?:-?[IVXLC]{{1,5}}(?![\w]))?"
    rf"(?:-{_U}{{1,6}}(?![\w]))?)")


@dataclass(frozen=True)
class NumberRef:
    start: int
    end: int
    number: str
    text: str


def find_numbers(text: str) -> list[NumberRef]:
    out = []
    for m in _NUMBER.finditer(text):
        num = re.sub(r"\s+", "", m.group("num"))
        out.append(NumberRef(m.start(), m.end(), num, f"{m.group('sign')} {num}"))
    return out


# --------------------------------------------------------------------------------- quotes

_OPEN_Q = "«“„"
_CLOSE_Q = "»”"
QUOTES = _OPEN_Q + _CLOSE_Q + '"'


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(opening, closing) index pairs of «...», “...” and "..." quotes. A straight quote opens
    after a space or bracket and before a letter, and closes otherwise."""
    spans, stack = [], []
    n = len(text)
    for i, ch in enumerate(text):
        if ch in _OPEN_Q:
            stack.append(i)
        elif ch in _CLOSE_Q:
            if stack:
                spans.append((stack.pop(), i))
        elif ch == '"':
            prev = text[i - 1] if i else " "
            nxt = text[i + 1] if i + 1 < n else " "
            opening = (prev.isspace() or prev in "([«-–—:") and not nxt.isspace()
            if not opening and stack:
                spans.append((stack.pop(), i))
            elif opening or not stack:
                if opening:
                    stack.append(i)
    return sorted(spans)


def inside_quote(spans: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The innermost quote span holding [start, end)."""
    best = None
    for a, b in spans:
        if a < start and end <= b + 1 and (best is None or a > best[0]):
            best = (a, b)
    return best


# -------------------------------------------------------------------------- clause bounds

_CLAUSE_END = re.compile(
    rf"\n[ \t]*\n|[;!?]|:(?!\d)|(?<!\b{_U})(?<![\d])\.(?=\s+[«\"“(]?{_U})|\n[ \t]*\d+(?:\.\d+)*[.)][ \t]")


def clause_start(text: str, pos: int, limit: int = 600, quotes: list[tuple[int, int]] | None = None,
                 blank_lines: bool = True) -> int:
    """Where the clause holding `pos` starts: after the last sentence end, `;`, `:`, blank line or
    list number before it (ones inside quotes do not count)."""
    lo = max(0, pos - limit)
    cut = lo
    for m in _CLAUSE_END.finditer(text, lo, pos):
        if not blank_lines and m.group().startswith("\n") and not m.group().strip():
            continue
        if quotes and any(a < m.start() < b for a, b in quotes):
            continue
        cut = max(cut, m.end())
    return cut


# ------------------------------------------------------------------------- reference data

_COUNTRY_WORDS = {"қазақстан", "республика", "республикасы", "ҚР", "РК", "казахстан", "республики", "kazakhstan",
                  "republic", "of", "the"}


def strip_country(key: str) -> str:
    """A match key without the country words (`қазақстан республика үкімет` → `үкімет`)."""
    words = [w for w in key.split() if w not in _COUNTRY_WORDS and fold(w) not in _COUNTRY_WORDS]
    return " ".join(words)


@dataclass
class RefIndex:
    by_key: dict[str, set[str]] = field(default_factory=dict)        # match key (no country) -> ids
    nodes: dict[str, dict] = field(default_factory=dict)             # id -> raw reference node
    relations: list[dict] = field(default_factory=list)


@lru_cache(maxsize=1)
def reference_index() -> RefIndex:
    """Names of the shipped reference data (state bodies, councils, regions), keyed by match key
    without country words, plus the reference relationships (akimats' regions, councils' bodies)."""
    import yaml

    from ingest.reference import reference_files

    idx = RefIndex()
    for path in reference_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for node in data.get("nodes") or []:
            idx.nodes[node["id"]] = node
            names = [node.get(k) for k in ("name", "name_kk", "name_ru", "name_en")] + list(node.get("aliases") or [])
            for name in names:
                if name:
                    key = strip_country(match_key(name))
                    if key:
                        idx.by_key.setdefault(key, set()).add(node["id"])
        idx.relations += data.get("relationships") or []
    return idx


def resolve_body(text: str, prefixes: tuple[str, ...] = ("statebody",)) -> str | None:
    """The one reference node (of `prefixes`) whose name has the match key of `text` (country
    words ignored), else None."""
    key = strip_country(match_key(text))
    if not key:
        return None
    ids = {i for i in reference_index().by_key.get(key, set()) if i.split(":")[0] in prefixes}
    return next(iter(ids)) if len(ids) == 1 else None


# ------------------------------------------------------------------------------ morphology

_BACK_VOWELS = set("аоұыяё")
_FRONT_VOWELS = set("әөүіеэи")


def kk_genitive(word: str) -> str:
    """`кодексі` → `кодексінің`, `Заңы` → `Заңының` (3rd-person possessive + genitive)."""
    last_vowel = next((c for c in reversed(word.lower()) if c in _BACK_VOWELS | _FRONT_VOWELS), "а")
    back = last_vowel in _BACK_VOWELS
    if word[-1:].lower() in "ыіаәеоөұүяюу":
        return word + ("ның" if back else "нің")
    return word + ("тың" if back else "тің")


def _capital(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def _collapse(s: str) -> str:
    return " ".join(s.split())


def _norm_quotes(s: str) -> str:
    """Straight and curly quotes as «», and no blanks just inside them."""
    out, depth = [], 0
    for i, ch in enumerate(s):
        if ch in _OPEN_Q:
            out.append("«")
            depth += 1
        elif ch in _CLOSE_Q:
            out.append("»")
            depth = max(0, depth - 1)
        elif ch == '"':
            prev = s[i - 1] if i else " "
            nxt = s[i + 1] if i + 1 < len(s) else " "
            opening = (prev.isspace() or prev in "([«") and not nxt.isspace()
            out.append("«" if opening else "»")
        else:
            out.append(ch)
    res = _collapse("".join(out))
    return re.sub(r"«\s+", "«", re.sub(r"\s+»", "»", res))


# ------------------------------------------------------------------------------ act nouns

@dataclass(frozen=True)
class _NounSpec:
    kind: str
    lang: str
    pattern: str
    nominative: str           # Kazakh: 3rd-person possessive form; Russian: lemma


_KK_CASE = r"(?:ның|нің|на|не|н|нда|нде|мен|ға|ге|да|де|дан|ден)?"
_NOUNS = [
    _NounSpec("resolution", "kk", rf"қаулы(?:сы{_KK_CASE}|лары{_KK_CASE})?", "қаулысы"),
    _NounSpec("decree", "kk", rf"жарлы(?:ғы{_KK_CASE}|қтары{_KK_CASE}|қ)", "Жарлығы"),
    _NounSpec("law", "kk", rf"заң(?:ы{_KK_CASE}|дары{_KK_CASE}|дар)?", "Заңы"),
    _NounSpec("code", "kk", rf"кодекс(?:і{_KK_CASE}|тің|ке|те|тен|пен|ті|тері{_KK_CASE}|тер)?", "кодексі"),
    _NounSpec("constitution", "kk", rf"конституция(?:сы{_KK_CASE})?", "Конституциясы"),
    _NounSpec("message", "kk", rf"жолдау(?:ы{_KK_CASE}|лары{_KK_CASE}|лар)?", "Жолдауы"),
    _NounSpec("order", "kk", rf"бұйры(?:ғы{_KK_CASE}|қ)", "бұйрығы"),
    _NounSpec("order", "kk", rf"өкім(?:і{_KK_CASE})?", "өкімі"),
    _NounSpec("decision", "kk", rf"шешім(?:і{_KK_CASE}|дері{_KK_CASE})?", "шешімі"),
    _NounSpec("resolution", "ru", r"постановлени(?:е|я|ем|ю|и|ями|ям|ях)", "Постановление"),
    _NounSpec("decree", "ru", r"указ(?:а|ом|е|у|ы|ов|ами|ам|ах)?", "Указ"),
    _NounSpec("law", "ru", r"закон(?:а|ом|е|у|ы|ов|ами|ам|ах)?", "Закон"),
    _NounSpec("code", "ru", r"кодекс(?:а|ом|е|у|ы|ов|ами|ам|ах)?", "Кодекс"),
    _NounSpec("constitution", "ru", r"конституци(?:я|и|ей|ю)", "Конституция"),
    _NounSpec("message", "ru", r"послани(?:е|я|ем|ю|и)", "Послание"),
    _NounSpec("order", "ru", r"приказ(?:а|ом|е|у|ы|ов|ами)?", "Приказ"),
    _NounSpec("order", "ru", r"распоряжени(?:е|я|ем|ю|и|ями)", "Распоряжение"),
    _NounSpec("decision", "ru", r"решени(?:е|я|ем|ю|и|ями)", "Решение"),
]
_NOUN_RE = re.compile("|".join(f"(?P<n{i}>(?<![\\w-]){s.pattern}(?![\\w]))" for i, s in enumerate(_NOUNS)),
                      re.IGNORECASE)
_PLURAL = re.compile(r"(?:лар|лер|дар|дер|тар|тер)\w*$|(?:ями|ям|ях|ами|ах|ов)$", re.IGNORECASE)
# kinds that need a date, a number or a title to be a reference to one act
_NEEDS_IDENT = {"resolution", "decree", "order", "decision", "law", "message"}
_OPERATIVE = re.compile(r"(?:ҚАУЛЫ\s+ЕТЕДІ|ҚАУЛЫ\s+ЕТЕМІН|ПОСТАНОВЛЯЕТ|ПОСТАНОВЛЯЮ|БҰЙЫРАМЫН|ПРИКАЗЫВАЮ|"
                        r"ШЕШІМ\s+ҚАБЫЛДАДЫ|РЕШИЛ[АИ]?|ҚАУЛЫ\s+ЕТТІ|ШЕШТІ)\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class _Noun:
    start: int
    end: int
    spec: _NounSpec
    plural: bool
    draft: bool


def _nouns(text: str) -> list[_Noun]:
    out = []
    for m in _NOUN_RE.finditer(text):
        i = int(m.lastgroup[1:])
        spec = _NOUNS[i]
        word = m.group()
        after = text[m.end():m.end() + 20]
        if spec.kind == "resolution" and spec.lang == "kk" and re.match(r"\s+ет", after, re.IGNORECASE):
            continue  # `ҚАУЛЫ ЕТЕДІ` "resolves"
        draft = bool(re.match(r"\s*(?:жобасы|жобасын\w*|жобасына)\b", after, re.IGNORECASE)) or (
            spec.lang == "ru" and bool(re.search(r"\bпроект\w*\s*$", text[max(0, m.start() - 12):m.start()], re.IGNORECASE)))
        out.append(_Noun(m.start(), m.end(), spec, bool(_PLURAL.search(word)), draft))
    return out


# ------------------------------------------------------------------------------ elements

@dataclass
class _Item:
    date: object = None       # DateRef
    number: object = None     # NumberRef
    title: tuple[int, int] | None = None
    issuers: list = field(default_factory=list)   # (start, end, id or None)
    fill: tuple[int, int] | None = None           # words between a message's title and noun
    start: int = 0
    end: int = 0

    def empty(self) -> bool:
        return not (self.date or self.number or self.title)


_FILLER_KK = re.compile(r"(?:атты|халқына|Қазақстан|Республикасы(?:ның)?|ҚР|мемлекеттік)$")
_INITIALS = re.compile(rf"{_U}\.\s?(?:{_U}\.\s?)?{_U}\w+$")
_CONJ = re.compile(r"(?:және|мен|бен|пен|и|а\s+также|сондай-ақ)$", re.IGNORECASE)


class _Ctx:
    """Everything the element parser looks up by position."""

    def __init__(self, doc: DocText):
        self.doc = doc
        self.text = doc.text
        self.quotes = quote_spans(doc.text)
        self.dates = [d for d in find_dates(doc.text) if d.attributive]
        self.numbers = find_numbers(doc.text)
        self.date_by_end = {d.end: d for d in self.dates}
        self.num_by_end = {n.end: n for n in self.numbers}
        self.num_by_start = {n.start: n for n in self.numbers}
        self.open_at = {a: b for a, b in self.quotes}
        self.hit_by_end: dict[int, tuple[int, int, str]] = {}
        self.hit_by_start: dict[int, tuple[int, int, str]] = {}
        for m in doc.matches:
            if m.node_id.split(":")[0] in ("statebody", "region"):
                if m.end not in self.hit_by_end or m.start < self.hit_by_end[m.end][0]:
                    self.hit_by_end[m.end] = (m.start, m.end, m.node_id)
                if m.start not in self.hit_by_start or m.end > self.hit_by_start[m.start][1]:
                    self.hit_by_start[m.start] = (m.start, m.end, m.node_id)

    def back_ws(self, pos: int, lo: int, commas: bool = False) -> int:
        while pos > lo and (self.text[pos - 1].isspace() or (commas and self.text[pos - 1] == ",")):
            pos -= 1
        return pos

    def fwd_ws(self, pos: int, hi: int, commas: bool = False) -> int:
        while pos < hi and (self.text[pos].isspace() or (commas and self.text[pos] == ",")):
            pos += 1
        return pos

    def unpaired_title(self, close: int, lo: int) -> tuple[int, int] | None:
        """A closing quote with no opening (nested titles lose their inner opening quote):
        from the latest quote span that starts before it in the clause."""
        best = None
        for a, b in self.quotes:
            if lo <= a < close and b < close and (best is None or a < best[0]):
                best = (a, b)
        return (best[0], close) if best else None


def _kk_items(ctx: _Ctx, end: int, lo: int, plural: bool, kind: str) -> list[_Item]:
    """Elements before a Kazakh noun at `end`, right to left, grouped into items."""
    text = ctx.text
    items = [_Item(end=end)]
    pos = end
    others = 0
    while pos > lo:
        pos = ctx.back_ws(pos, lo, commas=plural)
        if pos <= lo:
            break
        cur = items[-1]
        if pos in ctx.num_by_end:
            n = ctx.num_by_end[pos]
            if kind in ("message", "constitution"):
                break  # not numbered
            if cur.number or cur.date:
                if not plural:
                    break
                items.append(_Item(end=pos))
                cur = items[-1]
            cur.number, cur.start, pos = n, n.start, n.start
            others = 0
            continue
        if pos in ctx.date_by_end:
            d = ctx.date_by_end[pos]
            if cur.date:
                if not plural:
                    break
                items.append(_Item(end=pos))
                cur = items[-1]
            cur.date, cur.start, pos = d, d.start, d.start
            others = 0
            continue
        if text[pos - 1] in _CLOSE_Q + '"':
            close = pos - 1
            span = next(((a, b) for a, b in ctx.quotes if b == close), None) or ctx.unpaired_title(close, lo)
            if span is None:
                break
            if cur.title:
                if not plural:
                    break
                items.append(_Item(end=pos))
                cur = items[-1]
            cur.title, cur.start, pos = span, span[0], span[0]
            others = 0
            continue
        hit = ctx.hit_by_end.get(pos)
        if hit and not (kind == "message" and hit[2].startswith("region:")):  # `Қазақстан халқына Жолдауы`
            cur.issuers.insert(0, hit)
            cur.start = pos = hit[0]
            continue
        before = text[max(lo, pos - 40):pos]
        m = _INITIALS.search(before)
        if m:
            cur.issuers.insert(0, (pos - len(m.group()), pos, None))
            cur.start = pos = pos - len(m.group())
            continue
        m = re.search(r"\S+$", before)
        if not m:
            break
        word = m.group()
        if re.fullmatch(r"м\.\s?а\.(?:\s?қ\.)?|и\.\s?о\.", word):
            pos -= len(word)   # `министрінің м.а.` "acting"
            continue
        if (cur.date or cur.number) and not cur.issuers and re.search(r"(?:ның|нің|дың|дің|тың|тің)$", word):
            # an issuer the gazetteer does not know: `... министрінің`, `... мәслихатының`
            base = max(lo, pos - 120)
            words = list(re.finditer(r"[^\s,;:()«»\"]+", text[base:pos]))[:-1][-5:]
            start = pos - len(word)
            window = []
            for w in reversed(words):
                if w.group().lower() in _ISSUER_STOP or re.search(r"\d", w.group()):
                    break
                window.insert(0, w)
            first = next((w for w in window if w.group()[:1].isupper()), None)
            if first is not None:
                start = base + first.start()
            if text[start:start + 1].isupper():
                cur.issuers.insert(0, (start, pos, None))
                cur.start = pos = start
                continue
        if _FILLER_KK.search(word) and fold(word) == fold(_FILLER_KK.search(word).group()):
            if kind == "message" and not cur.title and not cur.date:
                cur.fill = (pos - len(word), cur.fill[1] if cur.fill else pos)
            pos -= len(word)
            continue
        if plural and _CONJ.search(word) and fold(word) == fold(_CONJ.search(word).group()):
            pos -= len(word)
            continue
        if plural and others < 2:
            others += 1
            pos -= len(word)
            continue
        break
    items = [it for it in items if not it.empty()]
    return list(reversed(items))


_ISSUER_STOP = {"осы", "бұл", "сол", "сәйкес", "бойынша", "негізінде", "бекітілген", "туралы", "үшін",
                "жылғы", "жылы", "атты", "қаулысымен", "қаулысына"}
_RU_ISSUER_STOP = re.compile(r"^(?:от|№|N|No|о|об|или|в|на|с|со|по|был\w*|утвержд\w*|принят\w*|признан\w*|"
                             r"вступ\w*|является|считать)$", re.IGNORECASE)


def _ru_items(ctx: _Ctx, start: int, hi: int, plural: bool) -> list[_Item]:
    """Elements after a Russian noun at `start`, left to right."""
    text = ctx.text
    items = [_Item(start=start)]
    pos = start
    issuer_words = 0
    while pos < hi:
        pos = ctx.fwd_ws(pos, hi, commas=plural)
        if pos >= hi:
            break
        cur = items[-1]
        d = next((d for d in ctx.dates if d.start == pos), None)
        if d:
            if cur.date:
                if not plural:
                    break
                items.append(_Item(start=pos))
                cur = items[-1]
            cur.date, cur.end, pos = d, d.end, d.end
            continue
        n = ctx.num_by_start.get(pos)
        if n:
            if cur.number:
                if not plural:
                    break
                items.append(_Item(start=pos))
                cur = items[-1]
            cur.number, cur.end, pos = n, n.end, n.end
            continue
        if pos in ctx.open_at:
            if cur.title:
                break
            cur.title = (pos, ctx.open_at[pos])
            cur.end = pos = ctx.open_at[pos] + 1
            continue
        hit = ctx.hit_by_start.get(pos)
        if hit and not (cur.date or cur.number):
            cur.issuers.append(hit)
            cur.end = pos = hit[1]
            continue
        m = re.match(r"[\w.-]+", text[pos:hi])
        if not m:
            break
        word = m.group()
        if plural and word.lower() in ("и", "а") and (cur.date or cur.number):
            items.append(_Item(start=pos + len(word)))
            pos += len(word)
            continue
        if not (cur.date or cur.number or cur.title) and issuer_words < 8 and not _RU_ISSUER_STOP.match(word) and (
                issuer_words or word[:1].isupper() or re.match(r"(?:маслихат|акимат|министр|правительств|президент|"
                                                               r"агентств|комитет|ведомств)", word, re.IGNORECASE)):
            cur.issuers.append((pos, pos + len(word), None))
            cur.end = pos = pos + len(word)
            issuer_words += 1
            continue
        break
    return [it for it in items if not it.empty()]


# ---------------------------------------------------------------------------------- acts

@dataclass
class ActRef:
    """One mention of a legal act."""

    kind: str
    lang: str
    start: int
    end: int
    name: str
    date: str | None = None
    number: str | None = None
    title: tuple[int, int] | None = None       # quoted title span (quotes included)
    heading: tuple[int, int] | None = None     # the document heading that titles its own act
    issuer: str | None = None
    draft: bool = False
    key: str = ""
    own: bool = False                           # the document's own act
    code_key: str | None = None                 # code articles: the code's key
    aliases: tuple[str, ...] = ()


def _issuer_id(ctx: _Ctx, issuers: list) -> str | None:
    for a, b, node_id in reversed(issuers):
        if node_id and node_id.startswith("statebody:"):
            return node_id
    if issuers:
        a, b = issuers[0][0], issuers[-1][1]
        return resolve_body(ctx.text[a:b])
    return None


def _ru_nominative(word: str) -> str:
    lemma = ru_lemma(word)
    return _capital(lemma) if word[:1].isupper() else lemma


def _act_name(ctx: _Ctx, item: _Item, noun: _Noun | None, kind: str, lang: str) -> str:
    text = ctx.text
    title = _norm_quotes(text[item.title[0]:item.title[1] + 1]) if item.title else ""
    issuer = _collapse(text[item.issuers[0][0]:item.issuers[-1][1]]) if item.issuers else ""
    date = item.date.text if item.date else ""
    number = item.number.text if item.number else ""
    if noun is None:
        head = {"deputy_inquiry": "депутаттық сауалы" if lang == "kk" else "депутатский запрос"}.get(kind, "")
    elif lang == "kk":
        head = noun.spec.nominative          # `қаулысы`, `бұйрығы`; `Жарлығы`, `Заңы`, `Жолдауы` as official texts write them
        if noun.draft:
            head = kk_genitive(head) + " жобасы"
    else:
        head = _ru_nominative(text[noun.start:noun.end])
        if noun.draft:
            head = "Проект " + head.lower()
    if lang == "kk":
        fill = _collapse(text[item.fill[0]:item.fill[1]]) if item.fill else ""
        parts = [issuer, date, title, fill, head] if kind == "message" else [title, issuer, date, number, head]
    else:
        parts = [head, issuer, date, number, title]
    return _capital(_collapse(" ".join(p for p in parts if p)))


def _act_key(kind: str, date: str | None, number: str | None, name: str, draft: bool) -> str:
    if date or number:
        return f"legalact:{kind}:{date or ''}:{''.join((number or '').split()).lower()}"
    return f"legalact:{kind}{':draft' if draft else ''}:{slugify(match_key(name), 60)}"


def _heading(ctx: _Ctx, start: int) -> tuple[int, int] | None:
    """The heading paragraph right before a line-initial act reference, when it ends `туралы` or
    starts `О`/`Об` (`... бағдарламаны бекіту туралы`, `Об утверждении Программы ...`)."""
    text = ctx.text
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():
        return None
    end = ctx.back_ws(line_start, 0)
    if end == 0:
        return None
    para = text.rfind("\n\n", 0, end)
    a = para + 2 if para != -1 else 0
    while a < end and text[a].isspace():
        a += 1
    chunk = text[a:end]
    if not chunk or len(chunk) > 500 or "\n\n" in chunk:
        return None
    if re.search(r"туралы\W*$", chunk) or re.match(r"(?:О|Об)\s", chunk):
        return a, end
    return None


def _inquiry_context(text: str) -> bool:
    """A reply to deputies: the numbered, dated reference it answers is their inquiry."""
    head = text[:4000]
    return bool(re.search(r"депутат", head, re.IGNORECASE) and re.search(r"сауал|запрос", head, re.IGNORECASE))


def find_acts(doc: DocText) -> list[ActRef]:
    """Every mention of a legal act in the document, with keys shared by mentions of one act."""
    ctx = _Ctx(doc)
    text = doc.text
    nouns = _nouns(text)
    acts: list[ActRef] = []
    claimed_dates: set[int] = set()
    claimed_numbers: set[int] = set()
    nouns_with_items: set[int] = set()

    def add(item: _Item, noun: _Noun | None, kind: str, lang: str, span: tuple[int, int]):
        name = _act_name(ctx, item, noun, kind, lang)
        issuer = _issuer_id(ctx, item.issuers)
        draft = bool(noun and noun.draft)
        a = ActRef(kind, lang, span[0], span[1], name, item.date.iso if item.date else None,
                   item.number.number if item.number else None, item.title, None, issuer, draft)
        if item.date:
            claimed_dates.add(item.date.start)
        if item.number:
            claimed_numbers.add(item.number.start)
        acts.append(a)

    prev_end = 0
    for noun in nouns:
        if noun.spec.kind == "code":
            prev_end = noun.end
            continue
        lang = noun.spec.lang
        if lang == "kk":
            lo = max(prev_end, clause_start(text, noun.start, 600, ctx.quotes))
            items = _kk_items(ctx, noun.start, lo, noun.plural, noun.spec.kind)
            chosen = items if noun.plural else items[-1:]
            shared = next((it.issuers for it in chosen if it.issuers), [])
            fill = next((it.fill for it in chosen if it.fill), None)
            for it in chosen:
                if not it.issuers:
                    it.issuers = shared
                if not it.fill:
                    it.fill = fill
                add(it, noun, noun.spec.kind, lang, (it.start, noun.end))
        else:
            hi = min(len(text), noun.end + 300)
            nxt = next((n.start for n in nouns if n.start >= noun.end), hi)
            items = _ru_items(ctx, noun.end, min(hi, nxt), noun.plural)
            chosen = items if noun.plural else items[:1]
            for it in chosen:
                add(it, noun, noun.spec.kind, lang, (noun.start, it.end))
        if chosen:
            nouns_with_items.add(noun.start)
        elif noun.spec.kind == "constitution":
            add(_Item(), noun, "constitution", lang, (noun.start, noun.end))
            acts[-1].name = "Қазақстан Республикасының Конституциясы" if lang == "kk" else "Конституция Республики Казахстан"
            nouns_with_items.add(noun.start)
        prev_end = noun.end

    # dated and numbered references with no noun beside them
    for n in ctx.numbers:
        if n.start in claimed_numbers:
            continue
        date = next((d for d in ctx.dates if n.start - 8 <= d.end <= n.start and d.start not in claimed_dates), None)
        if date is None:
            continue
        item = _Item(date=date, number=n, start=date.start, end=n.end)
        before = _kk_items(ctx, date.start, clause_start(text, date.start, 300, ctx.quotes), False, "resolution")
        if before and not before[-1].date and not before[-1].number:
            item.title, item.issuers = before[-1].title, before[-1].issuers
            item.start = before[-1].start
        elif date.start in ctx.hit_by_end or ctx.back_ws(date.start, 0) in ctx.hit_by_end:
            hit = ctx.hit_by_end[ctx.back_ws(date.start, 0)]
            item.issuers, item.start = [hit], hit[0]
        noun = next((x for x in nouns if n.end <= x.start <= n.end + 120 and x.start not in nouns_with_items
                     and x.spec.kind not in ("code", "constitution")), None)
        if noun:
            nouns_with_items.add(noun.start)
            add(item, noun, noun.spec.kind, noun.spec.lang, (item.start, n.end))
        elif _inquiry_context(text):
            add(item, None, "deputy_inquiry", doc.language if doc.language in ("kk", "ru") else "kk", (item.start, n.end))

    acts = [a for a in acts if a.kind not in _NEEDS_IDENT or a.date or a.number or a.title]
    acts = [a for a in acts if not (a.kind == "message" and not (a.date or a.title))]
    acts += _codes(doc, ctx, nouns)
    _assign_keys(acts)
    _mark_own(ctx, acts)
    return sorted(acts, key=lambda a: a.start)


def _assign_keys(acts: list[ActRef]) -> None:
    for a in acts:
        if not a.key:
            a.key = _act_key(a.kind, a.date, a.number, a.name, a.draft)
    # a mention missing its date (or number) joins the one act of its kind with that number (date)
    full = [a for a in acts if a.date and a.number]
    for a in acts:
        if a.kind == "code_article" or a.kind == "code":
            continue
        if a.number and not a.date:
            same = {b.key for b in full if b.kind == a.kind and fold(b.number) == fold(a.number)}
        elif a.date and not a.number and a.kind not in ("message",):
            same = {b.key for b in full if b.kind == a.kind and b.date == a.date}
        else:
            continue
        if len(same) == 1:
            a.key = next(iter(same))
    # one name per act: the most informative mention's
    best: dict[str, ActRef] = {}
    for a in acts:
        b = best.get(a.key)
        if b is None or _informative(a) > _informative(b):
            best[a.key] = a
    for a in acts:
        b = best[a.key]
        a.date, a.number = a.date or b.date, a.number or b.number
        a.issuer = a.issuer or b.issuer


def _informative(a: ActRef) -> tuple:
    return bool(a.title), bool(a.date) + bool(a.number), bool(a.issuer)


_ENACTED = {"resolution", "decree", "order", "decision"}
# words that cite a basis (`... Заңының 10-бабына сәйкес БҰЙЫРАМЫН`): the act before them is not the one enacted
_BASIS = re.compile(r"сәйкес|негізінде|орындау\s+үшін|бабы|тармақ|соответстви|основани|во\s+исполнение|стать|пункт",
                    re.IGNORECASE)


def operative_owners(text: str, acts: list[ActRef]) -> list[tuple[int, ActRef | None]]:
    """Each enacting formula (`ҚАУЛЫ ЕТЕДІ:`, `ПОСТАНОВЛЯЕТ:`, `БҰЙЫРАМЫН:`, ...) with the act it
    enacts: the (non-draft) act reference ending just before it, if any."""
    out = []
    for m in _OPERATIVE.finditer(text):
        owner = max((a for a in acts if a.end <= m.start() and m.start() - a.end <= 250 and not a.draft
                     and a.kind in _ENACTED and not _BASIS.search(text, a.end, m.start())),
                    key=lambda a: a.end, default=None)
        out.append((m.start(), owner))
    return out


def _mark_own(ctx: _Ctx, acts: list[ActRef]) -> None:
    """The document's own act: the one its first enacting formula follows, else a reference at
    the top right under the document's heading."""
    owners = [o for pos, o in operative_owners(ctx.text, acts) if pos < 2000]
    own = owners[0] if owners else None
    heading = _heading(ctx, own.start) if own else None
    if own is None:
        for a in acts:
            if a.start > 800 or a.draft or a.kind in ("code", "code_article", "constitution"):
                continue
            heading = _heading(ctx, a.start)
            if heading:
                own = a
                break
    if own is None:
        return
    own.heading = heading
    for b in acts:
        if b.key == own.key:
            b.own = True


# ---------------------------------------------------------------------------------- codes

# usual code abbreviations: abbreviation -> (language, specific words of the name)
_CODE_ABBREVIATIONS = {
    "ҚК": ("kk", "Қылмыстық"), "ӘҚБК": ("kk", "Әкімшілік құқық бұзушылық туралы"),
    "ҚПК": ("kk", "Қылмыстық-процестік"), "АК": ("kk", "Азаматтық"), "ЕК": ("kk", "Еңбек"),
    "УК": ("ru", "Уголовный"), "КоАП": ("ru", "об административных правонарушениях"),
    "УПК": ("ru", "Уголовно-процессуальный"), "ГК": ("ru", "Гражданский"), "ТК": ("ru", "Трудовой"),
}
_CODE_ARTICLE_KK = re.compile(
    r"(?P<nums>\d+(?:\.\d+)?(?:\s*(?:,|және|мен)\s*\d+(?:\.\d+)?)*)\s*-\s*(?:бап|баб)\w*", re.IGNORECASE)
_CODE_ARTICLE_RU = re.compile(
    r"(?:\bстать(?:я|и|ей|ю|ям|ями|ях)|\bст\.)\s*(?P<nums>\d+(?:-\d+)?(?:\s*(?:,|и)\s*\d+(?:-\d+)?)*)\s+",
    re.IGNORECASE)
_COUNTRY_KK = re.compile(r"(?:Қазақстан\s+Республикасы(?:ның)?|ҚР|еліміздің)\s*$")


@dataclass
class _Code:
    key: str
    name: str
    lang: str
    aliases: list[str] = field(default_factory=list)


def _code_key(specific: str) -> str:
    return "legalact:code:" + slugify(strip_country(match_key(specific)), 60)


def _code_specific_kk(full: str) -> str:
    s = re.sub(r"\bкодекс\w*", "", full, flags=re.IGNORECASE)
    s = re.sub(r"Қазақстан\s+Республикасы(?:ның)?|ҚР", "", s)
    return _collapse(s)


def _code_specific_ru(full: str) -> str:
    s = re.sub(r"\bкодекс\w*", "", full, flags=re.IGNORECASE)
    s = re.sub(r"Республик\w+\s+Казахстан|\bРК\b", "", s)
    return _collapse(" ".join(ru_lemma(w) if not w.startswith(("об", "о")) else w for w in s.split()))


def _codes(doc: DocText, ctx: _Ctx, nouns: list[_Noun]) -> list[ActRef]:
    text = doc.text
    out: list[ActRef] = []
    codes: dict[str, _Code] = {}
    code_spans: list[tuple[int, int, str]] = []     # (start, end, code key) of every code mention

    def code_from_full(full: str, lang: str, alias: str | None = None) -> _Code | None:
        spec = _code_specific_kk(full) if lang == "kk" else _code_specific_ru(full)
        if not spec:
            return None
        key = _code_key(spec)
        if key not in codes:
            if lang == "kk":
                name = f"Қазақстан Республикасының {spec} кодексі"
            else:
                name = _ru_code_name(full)
            codes[key] = _Code(key, name, lang)
        if alias and alias not in codes[key].aliases:
            codes[key].aliases.append(alias)
        return codes[key]

    # code nouns with their names
    for noun in nouns:
        if noun.spec.kind != "code" or noun.plural:
            continue
        if noun.spec.lang == "kk":
            lo = clause_start(text, noun.start, 200, ctx.quotes)
            seg_start = lo + max((i + 1 for i, c in enumerate(text[lo:noun.start]) if c in ",.;:()«»\"“”"), default=0)
            segment = text[seg_start:noun.start]
            country = None
            for cm in re.finditer(r"(?:Қазақстан\s+Республикасы(?:ның)?|ҚР|еліміздің)\s+", segment):
                country = cm
            if country and len(segment[country.end():].split()) <= 6:
                start = seg_start + country.end()
            else:
                words = list(re.finditer(r"\S+", segment))[-4:]
                first = next((w for w in words if w.group()[:1].isupper()), None)
                if first is None:
                    continue
                start = seg_start + first.start()
            specific = _collapse(text[start:noun.start])
            if not specific or not _code_specific_kk(specific):
                continue
            code = code_from_full(specific + " кодексі", "kk")
            if country:
                start = seg_start + country.start()
        else:
            m = re.search(r"(\w+)\s*$", text[max(0, noun.start - 40):noun.start])
            start = noun.start
            if m and re.search(r"(?:ый|ий|ой|ого|ому|ым|ом|ая|ой|ую)$", m.group(1)):
                start = noun.start - len(m.group(0))
            tail = re.match(r"(?:\s+Республики\s+Казахстан|\s+РК)?(?:\s+(?:об?|о)\s+[\w\s-]{3,80}?)(?=[,.;:()«»\"]|\s+(?:и|от|№)\s|$)",
                            text[noun.end:noun.end + 120])
            if tail is None:
                tail = re.match(r"(?:\s+Республики\s+Казахстан|\s+РК)?", text[noun.end:noun.end + 40])
            end = noun.end + (len(tail.group()) if tail else 0)
            full = text[start:end]
            if start == noun.start and not (tail and re.search(r"\bоб?\b", tail.group())):
                continue
            code = code_from_full(full, "ru")
            start_end = (start, end)
        if code is None:
            continue
        span = (start, noun.end) if noun.spec.lang == "kk" else start_end
        code_spans.append((span[0], span[1], code.key))
        out.append(ActRef("code", noun.spec.lang, span[0], span[1], code.name, key=code.key))

    # codes the document abbreviates, and the usual code abbreviations (these only next to a number)
    abbrevs: dict[str, tuple[str, str, bool]] = {}      # abbreviation -> (full name, lang, defined here)
    for abbr, full in doc.abbreviations.items():
        if re.search(r"кодекс", full, re.IGNORECASE):
            abbrevs[abbr] = (full, "kk" if re.search(r"[әғқңөұүһі]", full.lower()) else "ru", True)
    for abbr, (lang, spec) in _CODE_ABBREVIATIONS.items():
        full = (f"Қазақстан Республикасы {spec} кодексі" if lang == "kk" else
                f"Кодекс Республики Казахстан {spec}" if spec.startswith("об") else f"{spec} кодекс Республики Казахстан")
        for variant in ((f"ҚР {abbr}", abbr) if lang == "kk" else (f"{abbr} РК", abbr)):
            abbrevs.setdefault(variant, (full, lang, False))
    for abbr in sorted(abbrevs, key=len, reverse=True):
        full, lang, defined = abbrevs[abbr]
        pattern = r"(?<![\w])" + r"\s+".join(map(re.escape, abbr.split())) + r"(?![\w])"
        for m in re.finditer(pattern, text):
            if any(a <= m.start() < b for a, b, _ in code_spans):
                continue
            if not defined and not re.search(r"\d", text[m.end():m.end() + 30] + text[max(0, m.start() - 40):m.start()]):
                continue
            code = code_from_full(full, lang, abbr)
            if code is None:
                continue
            code_spans.append((m.start(), m.end(), code.key))
            out.append(ActRef("code", lang, m.start(), m.end(), code.name, key=code.key))

    # articles
    for m in _CODE_ARTICLE_KK.finditer(text):
        pos = ctx.back_ws(m.start(), 0)
        ref = next((c for c in code_spans if c[1] <= pos and pos - c[1] <= 6
                    and re.fullmatch(r"[\s-]*(?:[а-яәғқңөұүһі]{1,5})?\s*", text[c[1]:m.start()])), None)
        if ref is None:
            continue
        code = codes[ref[2]]
        gen = _kk_code_genitive(code.name)
        for num in re.findall(r"\d+(?:\.\d+)?", m.group("nums")):
            out.append(ActRef("code_article", "kk", ref[0], m.end(), f"{gen} {num}-бабы", number=num,
                              key=f"legalact:code_article:{ref[2].split(':')[-1]}:{num}", code_key=ref[2]))
    for m in _CODE_ARTICLE_RU.finditer(text):
        ref = next((c for c in code_spans if c[0] == m.end() or (0 <= c[0] - m.end() <= 40 and re.fullmatch(
            r"[\s\w]*?", text[m.end():c[0]]) and len(text[m.end():c[0]].split()) <= 3)), None)
        if ref is None:
            continue
        code = codes[ref[2]]
        for num in re.findall(r"\d+", m.group("nums")):
            out.append(ActRef("code_article", "ru", m.start(), ref[1], f"Статья {num} {_ru_genitive(code.name)}",
                              number=num, key=f"legalact:code_article:{ref[2].split(':')[-1]}:{num}",
                              code_key=ref[2]))
    for a in out:
        if a.kind == "code":
            a.aliases = tuple(codes[a.key].aliases)
    return out


def _kk_code_genitive(name: str) -> str:
    words = name.split()
    return " ".join(words[:-1] + [kk_genitive(words[-1])])


def _ru_code_name(full: str) -> str:
    """`Уголовного кодекса Республики Казахстан` → `Уголовный кодекс Республики Казахстан`."""
    words = full.split()
    out = []
    for i, w in enumerate(words):
        if i < 2 and re.match(r"[Кк]одекс|\w+(?:ый|ий|ой|ого|ому|ым|ом|ая|ую)$", w) and not w.lower().startswith(("республик",)):
            out.append(_ru_nominative(w) if not w[:1].isupper() else _capital(ru_lemma(w)))
            if w.lower().startswith("кодекс"):
                out.extend(words[i + 1:])
                break
        else:
            out.extend(words[i:])
            break
    name = " ".join(out)
    if "Республики Казахстан" not in name and "РК" not in name:
        name = re.sub(r"([Кк]одекс)", r"\1 Республики Казахстан", name, count=1)
    return _capital(name)


def _ru_genitive(name: str) -> str:
    """`Уголовный кодекс Республики Казахстан` → `Уголовного кодекса Республики Казахстан`."""
    from kb.morph import _analyzer

    words = name.split()
    out = []
    for i, w in enumerate(words):
        if w.lower().startswith("кодекс") or (i + 1 < len(words) and words[i + 1].lower().startswith("кодекс")):
            p = _analyzer().parse(w)[0]
            g = p.inflect({"gent"})
            word = g.word if g else w
            out.append(_capital(word) if w[:1].isupper() else word)
        else:
            out.append(w)
    return " ".join(out)


# ------------------------------------------------------------------------------ approvals

_APPROVE_AFTER_ACT = re.compile(r"бекітілген|бекітілді|утвержден[аоы]?\b|утверждается|утверждены", re.IGNORECASE)
_APPROVED_BY_ACT = re.compile(r"утвержденн\w+|бекітілген", re.IGNORECASE)
_OPERATIVE_APPROVE = re.compile(r"бекітілсін|Утвердить|утвердить", re.IGNORECASE)
_TITLE_TAIL = re.compile(r"^[\s,»\"“”]*(?:\([^)]{0,60}\)\s*)?(?:(?:және|мен|и)\s*)?(?:бекіту\s+|қабылдау\s+)?туралы\W*$",
                         re.IGNORECASE)
_TITLE_HEAD_RU = re.compile(r"^[\W]*(?:Об?\s+утверждении|О)\s*$")


def _approvals(doc: DocText, acts: list[ActRef], progs: list) -> list[Link]:
    """APPROVED links from acts (and the own act's issuer) to programmes."""
    text = doc.text
    links: list[Link] = []
    top = [p for p in progs if not any(q is not p and q.start <= p.start and p.end <= q.end and
                                       (q.start, q.end) != (p.start, p.end) for q in progs)]

    def link(act: ActRef, prog, evidence: tuple[int, int], method_conf: float = 0.8):
        if act.draft or act.kind in ("code", "code_article", "constitution"):
            return
        links.append(Link("APPROVED", act.key, prog.key, doc.sentence(*evidence), confidence=method_conf))

    # 1. in an act's title
    titled = [(a, a.title) for a in acts if a.title] + [(a, a.heading) for a in acts if a.heading]
    for p in progs:
        holders = [(a, t) for a, t in titled if t[0] <= p.start and p.end <= t[1] + 1]
        if not holders:
            continue
        act, (t0, t1) = min(holders, key=lambda x: x[1][1] - x[1][0])
        inner = [q for q in progs if t0 <= q.start and q.end <= t1 + 1]
        if any(q is not p and q.start <= p.start and p.end <= q.end and (q.start, q.end) != (p.start, p.end) for q in inner):
            continue  # nested in another programme of the title (`бағдарламасын орындау жөніндегі жоспар`)
        tail = text[p.end:t1 + 1]
        inner_top = [q for q in inner if q.start >= p.end and not any(
            r is not q and r.start <= q.start and q.end <= r.end and (r.start, r.end) != (q.start, q.end) for r in inner)]
        for q in sorted({(q.start, q.end) for q in inner_top}, reverse=True):
            tail = tail[: q[0] - p.end] + tail[q[1] - p.end:]
        head = text[t0:p.start].lstrip(QUOTES + " ")
        if _TITLE_TAIL.match(tail) or _TITLE_HEAD_RU.match(head):
            link(act, p, (p.start, p.end))
    # 2. an approval word between an act and a programme
    for m in _APPROVE_AFTER_ACT.finditer(text):
        act = max((a for a in acts if a.end <= m.start() and m.start() - a.end <= 60
                   and not re.search(r"[.;]\s", text[a.end:m.start()])), key=lambda a: a.end, default=None)
        if act:
            prog = min((p for p in top if m.end() <= p.start <= m.end() + 40
                        and not re.search(r"[.;]\s|\n\s*\n\s*\S+\s*\n", text[m.end():p.start])),
                       key=lambda p: p.start, default=None)
            if prog:
                link(act, prog, (act.start, prog.end))
    # `<act>-мен <programme> бекітілді`
    for m in _APPROVE_AFTER_ACT.finditer(text):
        prog = max((p for p in top if p.end <= m.start() and m.start() - p.end <= 20), key=lambda p: p.end, default=None)
        if prog is None:
            continue
        act = max((a for a in acts if a.end <= prog.start and prog.start - a.end <= 20
                   and not re.search(r"[.;,]", text[a.end:prog.start])), key=lambda a: a.end, default=None)
        if act:
            link(act, prog, (act.start, m.end()))
    for m in _APPROVED_BY_ACT.finditer(text):
        prog = max((p for p in top if p.end <= m.start() and m.start() - p.end <= 40
                    and not re.search(r"[.;]", text[p.end:m.start()])), key=lambda p: p.end, default=None)
        act = min((a for a in acts if m.end() <= a.start <= m.end() + 40), key=lambda a: a.start, default=None)
        if prog and act:
            link(act, prog, (prog.start, act.end))
    # 3. the operative part of an act: `... бағдарлама бекітілсін`, `Утвердить ... Программу`
    formulas = operative_owners(text, acts)
    for m in _OPERATIVE_APPROVE.finditer(text):
        owner = next((o for pos, o in reversed(formulas) if pos < m.start()), None)
        if owner is None:
            continue
        if m.group().lower() == "бекітілсін":
            cands = [p for p in top if p.end <= m.start() and not re.search(r"[.;]\s", text[p.end:m.start()])
                     and m.start() - p.end <= 200]
            prog = max(cands, key=lambda p: p.end, default=None)
            # the full name, not the abbreviation defined between it and the verb
            if prog is not None:
                prog = min((p for p in cands if p.key == prog.key), key=lambda p: p.start)
        else:
            prog = min((p for p in top if m.end() <= p.start <= m.end() + 60), key=lambda p: p.start, default=None)
        if prog is None:
            continue
        link(owner, prog, (prog.start, m.end()))
        if owner.issuer:
            links.append(Link("APPROVED", owner.issuer, prog.key, doc.sentence(prog.start, m.end())))
    return links


# ----------------------------------------------------------------------------------- API

def extract_legal_acts(doc: DocText) -> Found:
    """LegalAct findings (props: kind, number, date, issuer, status, code, title), REFERS_TO
    from the document to every act it cites, and APPROVED from acts to programmes."""
    from ingest.extract.programmes import programme_mentions

    found = Found()
    acts = find_acts(doc)
    seen: set[str] = set()
    for a in acts:
        same = [b for b in acts if b.key == a.key]
        canonical = max(same, key=lambda b: (_informative(b), -b.start))
        props = {"kind": a.kind, "number": a.number, "date": a.date}
        if a.issuer:
            props["issuer"] = a.issuer
        if a.draft:
            props["status"] = "draft"
        if a.code_key:
            props["code"] = a.code_key
        if canonical.title:
            props["quoted_title"] = _norm_quotes(doc.text[canonical.title[0]:canonical.title[1] + 1]).strip("«»")
        elif canonical.heading:
            props["quoted_title"] = _collapse(doc.text[canonical.heading[0]:canonical.heading[1]])
        if a.own:
            props["document_act"] = True
        aliases = sorted(set(a.aliases) - {canonical.name})      # abbreviations (`ҚР ҚК`), not mention variants
        found.findings.append(Finding(
            "LegalAct", canonical.name, a.start, a.end, a.key, props=props, aliases=aliases,
            confidence=0.9 if (a.date and a.number) or a.kind in ("code", "constitution") else 0.75))
        if a.key not in seen:
            seen.add(a.key)
            if not a.own:
                found.links.append(Link("REFERS_TO", doc.doc_id, a.key, doc.sentence(a.start, a.end)))
    found.links += _approvals(doc, acts, programme_mentions(doc))
    return found
