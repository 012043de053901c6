"""Programmes, concepts, plans, strategies, road maps and projects named in a document.

A programme is found by its head noun and the name around it:

    Kazakh   [Қазақстан Республикасында ... жөніндегі] [2007-2009 жылдарға арналған] бағдарлама(сы)
             the name runs back from the head to the clause start, a quote, a comma or a bracket;
             it starts after an approval participle (`бекітілген`), a lead phrase (`Қоса беріліп
             отырған`), a conjunction or postposition before a capitalised word (`... және |
             Қазақстан ...`, `... нәтижелері бойынша | Қазақстан ...`)
    Russian  [Государственная] программа [обеспечения ... в Республике Казахстан] [на 2024-2028 годы]
             the name runs on from the head to the period, a comma, a bracket or a participle

Heads: бағдарлама, тұжырымдама, жоспар, жол картасы, стратегия, and «Title» жобасы (a project);
программа, концепция, план, дорожная карта, стратегия, проект «Title». A mention is kept when it
is a name: it has a period (`... жылдарға арналған`, `на ... годы`), sits in quotes, has a
capitalised head (`Жол картасы`) or is a capitalised phrase of several words; plural and bare
generic heads (`бюджеттік бағдарламалар`, `оқу бағдарламасы`) are not.

Mentions of one programme share a key: the same kind and period and mostly the same words (two
quoted titles: the same title), or the document's abbreviation (`(бұдан әрі - Бағдарлама)`,
`(далее – Комплексный план)`: later `Бағдарлама`, `Бағдарламаның`, `Комплексного плана` are
that programme, by the latest definition before them). `Бағдарламаны іске асыру бойынша
іс-шаралар жоспары` is the abbreviated programme's own action plan, not another programme,
unless the document names it apart (`... жоспарын (бұдан әрі – Жоспар)`). An act reference
before a name is not part of it (`... Жарлығымен | Қазақстан ... тұжырымдамасы бекітілді`).

Props: kind (programme, concept, plan, road_map, strategy, project), period_start, period_end,
budget_total and budget_unit when an amount is stated for it (`Бағдарламаны іске асыруға ...
177,7 млн. теңге`), status (draft, in_preparation). Links: DEVELOPED from the bodies named as
developers (`Әзірлеуші ...`, `Разработчик ...`, `X ... бірлесіп ... әзірледі`, `разработана
Министерством ...`). APPROVED links are made by `ingest.extract.acts`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.abbreviations import learn_abbreviation_spans
from ingest.extract.acts import (QUOTES, UPPER, clause_start, find_acts, inside_quote, quote_spans,
                                 _collapse, _capital, _norm_quotes)
from ingest.extract.base import DocText, Finding, Found, Link
from kb.morph import match_key
from kb.text import slugify

__all__ = ["extract_programmes", "programme_mentions", "ProgrammeMention"]

_KK_CASE = r"(?:ның|нің|ны|ні|на|не|н|нда|нде|мен|ға|ге|да|де|дан|ден|ды|ді|дың|дің|қа|ке|та|те|тан|тен)?"


@dataclass(frozen=True)
class _Head:
    kind: str
    lang: str
    regex: re.Pattern
    base: str          # Kazakh: bare form; Russian: unused
    poss: str          # Kazakh: 3rd-person possessive form


def _kk(kind: str, base: str, poss_suffix: str, extra: str = "") -> _Head:
    pattern = (rf"(?<![\w-])(?P<base>{extra}{base})(?P<poss>{poss_suffix})?(?P<pl>(?:лар|лер|дар|дер|тар|тер)(?:ы|і)?)?"
               rf"(?P<case>{_KK_CASE})(?![\w])")
    return _Head(kind, "kk", re.compile(pattern, re.IGNORECASE), base, base + poss_suffix)


_HEADS = [
    _kk("programme", "бағдарлама", "сы"),
    _kk("concept", "тұжырымдама", "сы"),
    _kk("plan", "жоспар", "ы"),
    _kk("road_map", "картасы", "", extra=r"жол\s+"),
    _kk("strategy", "стратегия", "сы"),
    _kk("project", "жоба", "сы"),
    _Head("programme", "ru", re.compile(r"(?<![\w-])программ(?:а|ы|е|у|ой|ою|ам|ами|ах)(?![\w])", re.IGNORECASE), "", ""),
    _Head("concept", "ru", re.compile(r"(?<![\w-])концепци(?:я|и|ей|ю|ям|ями|ях)(?![\w])", re.IGNORECASE), "", ""),
    _Head("plan", "ru", re.compile(r"(?<![\w-])план(?:а|ом|е|у|ы|ов|ам|ами|ах)?(?![\w])", re.IGNORECASE), "", ""),
    _Head("road_map", "ru", re.compile(r"(?<![\w-])дорожн(?:ая|ой|ую|ые|ых)\s+карт(?:а|ы|е|у|ой|ам|ами|ах)?(?![\w])",
                                       re.IGNORECASE), "", ""),
    _Head("strategy", "ru", re.compile(r"(?<![\w-])стратеги(?:я|и|ей|ю)(?![\w])", re.IGNORECASE), "", ""),
    _Head("project", "ru", re.compile(r"(?<![\w-])проект(?:а|ом|е|у|ы|ов)?(?![\w])", re.IGNORECASE), "", ""),
]

_KK_PERIOD = re.compile(r"(?P<a>\d{4})\s*(?:[-–—]\s*(?P<b>\d{4})\s*)?жыл(?:дар)?(?:ға|ы)?\s+арналған", re.IGNORECASE)
_RU_PERIOD = re.compile(r"\bна\s+(?P<a>\d{4})\s*(?:[-–—]\s*(?P<b>\d{4})\s*)?(?:годы|год|гг\.?|г\.)", re.IGNORECASE)
_CONJ = {"және", "мен", "бен", "пен", "немесе", "и", "или", "сондай-ақ"}
_POSTP = {"бойынша", "сәйкес", "негізінде", "шеңберінде", "үшін", "мақсатында", "арқылы", "туралы", "қатысты",
          "кейін", "дейін", "ретінде", "орай", "байланысты"}
_LEAD = {"бекітілген", "бекітілсін", "бекітілді", "қабылданған", "қоса", "беріліп", "берілген", "отырған", "осы",
         "бұл", "сол", "аталған", "жоғарыда", "көрсетілген", "әзірленген", "әзірлеген", "сонымен", "қатар",
         "бұдан", "басқа", "мысалы", "атап", "айтқанда", "сондай-ақ"}
_ACT_INSTR = re.compile(r"^(?:қаулы|жарлығ|бұйрығ|өкім|шешім)\w*мен$", re.IGNORECASE)
_MAX_WORDS = 30
_DEF_MARKER = re.compile(r"\s*\(\s*(?:бұдан\s+әрі|далее|әрі\s+қарай)", re.IGNORECASE)
_RU_STOP = re.compile(r"^(?:котор\w*|является|согласно|также|из|-|–|—)$", re.IGNORECASE)
_RU_STOP_POS = {"VERB", "INFN", "PRTS", "PRTF", "GRND", "ADVB", "PRED"}


@dataclass
class ProgrammeMention:
    start: int
    end: int
    kind: str
    lang: str
    name: str
    period: tuple[int | None, int | None] = (None, None)
    head: tuple[int, int] = (0, 0)
    coref: bool = False          # named by the document's abbreviation
    quoted: bool = False
    status: str | None = None
    key: str = ""
    aliases: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list, repr=False)    # the name's words before the head
    plural: bool = False
    clause_first: bool = False     # the name starts its clause (a capital there may be the sentence's)


# ----------------------------------------------------------------------------- name parts

def _period(s: str) -> tuple[int | None, int | None]:
    m = _KK_PERIOD.search(s) or _RU_PERIOD.search(s)
    if not m:
        return None, None
    a = int(m.group("a"))
    b = int(m.group("b")) if m.group("b") else a
    return (a, b) if 1900 < a <= b < 2200 else (None, None)


def _tokens_back(text: str, lo: int, hi: int, quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Word spans of text[lo:hi], right to left, stopping at a comma, a full stop, an unmatched
    bracket or quote; a bracketed group or a quoted title counts as one word."""
    out: list[tuple[int, int]] = []
    pos = hi
    while pos > lo and len(out) < _MAX_WORDS:
        while pos > lo and text[pos - 1].isspace():
            pos -= 1
        if pos <= lo:
            break
        ch = text[pos - 1]
        if ch == ")":
            depth, i = 0, pos - 1
            while i >= lo:
                if text[i] == ")":
                    depth += 1
                elif text[i] == "(":
                    depth -= 1
                    if depth == 0:
                        break
                i -= 1
            if i < lo or pos - i > 80:
                break
            out.append((i, pos))
            pos = i
            continue
        if ch in "»”\"":
            span = next(((a, b) for a, b in quotes if b == pos - 1 and a >= lo), None)
            if span is None:
                break
            out.append((span[0], pos))
            pos = span[0]
            continue
        if ch in ",.;:!?(«“„":
            break
        m = re.search(r"[^\s,.;:!?()«»“”„\"]+$", text[max(lo, pos - 60):pos])
        if not m:
            break
        out.append((pos - len(m.group()), pos))
        pos -= len(m.group())
    return list(reversed(out))


def _is_cap(word: str) -> bool:
    for ch in word:
        if ch.isalpha():
            return ch.isupper()
    return False


def _kk_nominative(head: _Head, m: re.Match) -> tuple[str, bool]:
    """The head in nominative (bare or possessive, as written) and whether it is plural."""
    base = " ".join(m.group("base").split())
    nom = base + (head.poss[len(head.base):] if m.group("poss") else "")
    if m.group()[:1].isupper():
        nom = _capital(nom)
    return nom, bool(m.group("pl"))


def _trailing_parenthetical(text: str, end: int) -> int:
    m = re.match(r"\s*\(([^()]{2,40})\)", text[end:end + 50])
    if m and m.group(1)[:1].islower() and not re.match(r"бұдан|далее|әрі", m.group(1)):
        return end + m.end()
    return end


def _kk_mention(doc: DocText, quotes, head: _Head, m: re.Match,
                act_ends: tuple[int, ...] = (), coref_starts: frozenset[int] = frozenset()) -> ProgrammeMention | None:
    text = doc.text
    nom, plural = _kk_nominative(head, m)
    hs, he = m.start(), m.end()
    q = inside_quote(quotes, hs, he)
    lo = q[0] + 1 if q else clause_start(text, hs, 600, quotes)
    # an act reference before the name is not part of it (`... Жарлығымен | Қазақстан ... тұжырымдамасы`)
    lo = max([lo] + [e for e in act_ends if lo <= e <= hs])
    toks = _tokens_back(text, lo, hs, quotes)
    words = [text[a:b] for a, b in toks]
    start_i = 0
    for i, w in enumerate(words):
        lw = w.lower()
        nxt = words[i + 1] if i + 1 < len(words) else text[hs:he]
        if lw in _CONJ and _is_cap(nxt):
            start_i = i + 1
        elif lw in _POSTP and _is_cap(nxt) and i + 1 < len(words):
            start_i = i + 1
        elif lw in _LEAD:
            start_i = i + 1
        elif re.fullmatch(r"\d+[.)]", w):
            start_i = i + 1
        if toks[i][0] in coref_starts:
            start_i = i   # `Тұжырымдаманы іске асыру жөніндегі ... жоспары`: named after the abbreviated one
    toks, words = toks[start_i:], words[start_i:]
    titled = False
    for back in (1, 2):
        if len(toks) >= back and text[toks[-back][0]] in "«“\"" and (back == 1 or words[-1][:1].islower()):
            toks, words = toks[-back:], words[-back:]
            titled = True
            break
    # a project is only a quoted title's: `«...» жобасы`
    if head.kind == "project":
        if not toks or text[toks[-1][0]] not in "«“\"":
            return None
        toks, words = toks[-1:], words[-1:]
    # drop `... қаулысымен` left inside the name by badly extracted text
    kept = [(t, w) for t, w in zip(toks, words) if not _ACT_INSTR.match(w)]
    name_words = [w for _, w in kept] + [nom]
    start = toks[0][0] if toks else hs
    end = _trailing_parenthetical(text, he)
    if end > he:
        name_words.append(re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", _collapse(text[he:end]))))
    name = _norm_quotes(" ".join(name_words))
    period = _period(text[start:he])
    pm = ProgrammeMention(start, end, head.kind, "kk", _capital(name), period, (hs, he), quoted=bool(q) or titled)
    pm.words, pm.plural = words, plural
    pm.clause_first = bool(toks) and toks[0][0] <= _skip_ws(text, lo)
    return pm


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and (text[pos].isspace() or text[pos] in QUOTES):
        pos += 1
    return pos


def _ru_mention(doc: DocText, quotes, head: _Head, m: re.Match) -> ProgrammeMention | None:
    from kb.morph import _analyzer

    text = doc.text
    hs, he = m.start(), m.end()
    q = inside_quote(quotes, hs, he)
    # adjectives before the head (`Государственная программа`, `Комплексный план`)
    start = hs
    adj_words = []
    for _ in range(2):
        mm = re.search(r"([\w-]+)\s+$", text[max(0, start - 40):start])
        if not mm:
            break
        p = _analyzer().parse(mm.group(1))[0]
        if p.tag.POS != "ADJF" or mm.group(1).lower() in ("который", "которая", "данная", "эта", "этой", "настоящая"):
            break
        start -= len(mm.group(0))
        adj_words.insert(0, mm.group(1))
    # the tail
    hi = q[1] if q else min(len(text), he + 400)
    pos = he
    tail_end = he
    n = 0
    prev = ""
    while pos < hi and n < _MAX_WORDS:
        mm = re.match(r"\s*([^\s,;:!?()«»“”\"]+)", text[pos:hi])
        if not mm:
            break
        word = mm.group(1)
        nxt_word = re.match(r"\s*([^\s,;:!?()«»“”\"]+)", text[pos + mm.end():hi])
        nxt_word = nxt_word.group(1) if nxt_word else ""
        if word in "-–—" and re.fullmatch(r"\d{4}", prev) and re.match(r"\d{4}", nxt_word):
            pass  # a period `2021 – 2023`
        elif _RU_STOP.match(word.rstrip(".")) or word.startswith("(") or word.endswith(":"):
            break
        elif word[:1].islower() and _analyzer().parse(word.rstrip("."))[0].tag.POS in _RU_STOP_POS:
            break  # a verb or participle ends the name
        elif word.lower() in ("в", "во", "на") and nxt_word and not re.match(r"\d{4}", nxt_word) and not any(
                t.tag.case in ("loct", "loc2") for t in _analyzer().parse(nxt_word)):
            break  # `в Министерство ...`: a new phrase, not `в религиозной сфере`
        prev = word
        pos += mm.end()
        n += 1
        if word.endswith(".") and not re.fullmatch(r"гг?\.", word):
            tail_end = pos - 1
            break
        tail_end = pos
        pm = _RU_PERIOD.match(text[he:tail_end].strip()) or _RU_PERIOD.search(text[he:tail_end])
        if pm and re.search(r"(?:годы|год|гг?\.?)$", word):
            break
    nxt = re.match(r"\s*[«“\"]", text[tail_end:tail_end + 3])
    if nxt:
        span = next(((a, b) for a, b in quotes if a == tail_end + nxt.end() - 1), None)
        if span:
            tail_end = span[1] + 1
    if head.kind == "project" and not nxt:
        return None
    titled = bool(nxt) and tail_end - he <= (text[he:tail_end].find("»") + 2 if "»" in text[he:tail_end] else 0) + 2
    words = []
    head_parse = _analyzer().parse(text[hs:he])[0]
    gender = head_parse.tag.gender
    for w in adj_words + [text[hs:he]]:
        p = _analyzer().parse(w)[0]
        wanted = {"nomn", "sing"} | ({gender} if gender and w != text[hs:he] else set())
        f = p.inflect(wanted) or p.inflect({"nomn", "sing"}) or p.inflect({"nomn"})
        word = f.word if f else w
        words.append(_capital(word) if w[:1].isupper() else word)
    name = _norm_quotes(" ".join(words) + text[he:tail_end])
    period = _period(text[he:tail_end])
    pmn = ProgrammeMention(start, tail_end, head.kind, "ru", _capital(name), period, (hs, he), quoted=bool(q) or titled)
    pmn.words = text[he:tail_end].split()
    pmn.plural = bool(re.search(r"(?:ам|ами|ах|ям|ями|ях|ов|ые|ых)$", text[hs:he]))
    pmn.clause_first = start <= _skip_ws(text, clause_start(text, hs, 400, quotes))
    return pmn


def _quoted_list(doc: DocText, quotes, head: _Head, m: re.Match) -> list[ProgrammeMention]:
    """`«A» (...), сондай-ақ «B» (...) жобалары`: one mention per quoted title before the head."""
    text = doc.text
    out = []
    pos = m.start()
    while pos > 0:
        while pos > 0 and (text[pos - 1].isspace() or text[pos - 1] == ","):
            pos -= 1
        if pos and text[pos - 1] == ")":
            a = text.rfind("(", max(0, pos - 200), pos)
            if a == -1:
                break
            pos = a
            continue
        if pos and text[pos - 1] in "»”\"":
            span = next(((a, b) for a, b in quotes if b == pos - 1), None)
            if span is None:
                break
            out.append(span)
            pos = span[0]
            continue
        w = re.search(r"(сондай-ақ|және|мен|а\s+также|и)$", text[max(0, pos - 12):pos])
        if w and out:
            pos -= len(w.group())
            continue
        break
    if not out:
        return []
    nom = head.poss if head.lang == "kk" else ("проект" if head.kind == "project" else text[m.start():m.end()].lower())
    mentions = []
    for a, b in reversed(out):
        title = _norm_quotes(text[a:b + 1])
        name = f"{title} {nom}" if head.lang == "kk" else f"{_capital(nom)} {title}"
        pm = ProgrammeMention(a, b + 1, head.kind, head.lang, name, _period(title), (m.start(), m.end()), quoted=True)
        mentions.append(pm)
    return mentions


def _accept(pm: ProgrammeMention, text: str) -> bool:
    if pm.plural:
        return False
    words = pm.words
    if pm.kind == "project":
        return True
    if pm.period[0]:
        return True
    name_words = pm.name.split()
    if pm.quoted and "«" in pm.name:
        return True
    if pm.quoted and _is_cap(pm.name) and len(name_words) >= 3:
        return True
    head_cap = text[pm.head[0]:pm.head[0] + 1].isupper()
    if head_cap and not (pm.head[0] == pm.start and pm.clause_first) and (len(name_words) >= 2 or pm.lang == "kk"):
        return True
    if _is_cap(pm.name) and len(name_words) >= 5 and not pm.clause_first:
        return True
    if pm.lang == "ru" and head_cap and len(words) >= 3:
        return True
    return False


# ------------------------------------------------------------------------------ identity

_FUNCTION = {"мен", "және", "бен", "пен", "и", "в", "на", "по", "для", "с", "о", "об", "жыл", "год", "арнал", "арналған"}


def _content(name: str) -> set[str]:
    return {w for w in match_key(re.sub(r"\d{4}", " ", name)).split() if w not in _FUNCTION and len(w) > 1}


def _same(a: ProgrammeMention, b: ProgrammeMention) -> bool:
    if a.kind != b.kind or a.period != b.period:
        return False
    qa, qb = re.findall(r"«([^»]+)»", a.name), re.findall(r"«([^»]+)»", b.name)
    if qa and qb:
        return match_key(qa[0]) == match_key(qb[0])
    ca, cb = _content(a.name), _content(b.name)
    if not ca or not cb:
        return False
    inter = len(ca & cb)
    if inter / len(ca | cb) >= (0.6 if a.period[0] else 0.75):
        return True
    small, big = sorted((ca, cb), key=len)
    return len(small) >= 3 and small <= big


def _abbreviation_heads(abbr: str) -> tuple[_Head, re.Pattern] | None:
    """A programme abbreviation (`Бағдарлама`, `Кешенді жоспар`, `Программа`) and the pattern of
    its inflected occurrences (first letter cased as defined)."""
    words = abbr.split()
    if not words or len(words) > 4:
        return None
    for head in _HEADS:
        n = 2 if head.kind == "road_map" else 1
        if len(words) < n or not head.regex.fullmatch(" ".join(words[-n:])):
            continue
        body = head.regex.pattern.replace("(?<![\\w-])", "", 1)
        # Russian modifiers inflect with the head (`Комплексный план` → `Комплексного плана`)
        prefix = "".join((re.escape(w[:-2]) + r"\w{0,3}" if head.lang == "ru" and len(w) > 4 else re.escape(w)) + r"\s+"
                         for w in words[:-n])
        pattern = r"(?<![\w-])(?=(?-i:" + re.escape(abbr[0]) + "))" + prefix + body
        return head, re.compile(pattern, re.IGNORECASE)
    return None


def programme_mentions(doc: DocText) -> list[ProgrammeMention]:
    """Every programme mention kept, with its key (mentions of one programme share it)."""
    text = doc.text
    quotes = quote_spans(text)
    defs = learn_abbreviation_spans(text)
    prog_defs = []     # (Definition, head, pattern)
    for d in defs:
        ah = _abbreviation_heads(d.abbrev)
        if ah:
            prog_defs.append((d, ah[0], ah[1]))
    # coreferent mentions first: their heads are not read as new names
    coref: list[tuple[int, int, object]] = []
    seen_spans: set[int] = set()
    for d, head, pat in prog_defs:
        for m in pat.finditer(text):
            if m.start() in seen_spans or any(e.abbrev_start <= m.start() <= e.abbrev_end for e, _, _ in prog_defs):
                continue
            seen_spans.add(m.start())
            # an abbreviation defined twice means the latest definition before the mention
            same = [e for e, _, _ in prog_defs if e.abbrev == d.abbrev]
            owner = max((e for e in same if e.abbrev_start < m.start()), key=lambda e: e.abbrev_start, default=same[0])
            coref.append((m.start(), m.end(), owner))
    act_spans = [(a.start, a.end) for a in find_acts(doc) if a.kind not in ("code", "code_article")]
    act_ends = tuple(sorted(b for _, b in act_spans))
    raw: list[ProgrammeMention] = []
    for head in _HEADS:
        if head.lang != doc.language and head.kind == "strategy":
            continue
        for m in head.regex.finditer(text):
            if any(d.abbrev_start <= m.start() <= d.abbrev_end for d, _, _ in prog_defs):
                continue
            as_coref = next((c for c in coref if c[0] <= m.start() < c[1]), None)
            if head.lang == "kk" and (head.kind == "project" or m.group("pl")) and not as_coref:
                listed = _quoted_list(doc, quotes, head, m)
                if listed:
                    raw += listed
                    continue
            pm = (_kk_mention(doc, quotes, head, m, act_ends, frozenset(c[0] for c in coref)) if head.lang == "kk"
                  else _ru_mention(doc, quotes, head, m))
            if as_coref:
                # the abbreviation's word, unless a full name with its period or quotes is written here
                if pm is None or not (pm.period[0] or pm.quoted) or (pm.lang == "kk" and pm.start == as_coref[0]):
                    continue
                coref.remove(as_coref)
            if pm is None:
                continue
            # a plan named after the abbreviated programme is that programme's own action plan,
            # unless the document names it apart (`... жоспары (бұдан әрі – Жоспар)`)
            if any(pm.start <= a < pm.head[0] for a, _, _ in coref) and not _DEF_MARKER.match(text, pm.end):
                continue
            if any(a <= pm.head[0] < b for a, b in act_spans) and not pm.quoted:
                continue
            if not _accept(pm, text):
                continue
            after = text[pm.end:pm.end + 40]
            if re.match(r"\s*(?:жобасы\w*)\b", after) and pm.kind != "project":
                pm.status = "draft"
            elif re.match(r"\s*(?:әзірленуде|әзірленіп\s+жатыр|разрабатывается)", after):
                pm.status = "in_preparation"
            raw.append(pm)
    raw.sort(key=lambda p: (p.start, -p.end))
    # drop a mention the same as a longer one over the same head
    kept: list[ProgrammeMention] = []
    for pm in raw:
        if any(k.head == pm.head and not (k.quoted and pm.quoted and k.start != pm.start) for k in kept):
            continue
        kept.append(pm)
    # entities
    entities: list[list[ProgrammeMention]] = []
    for pm in kept:
        for ent in entities:
            if any(_same(pm, other) for other in ent):
                ent.append(pm)
                break
        else:
            entities.append([pm])
    by_def: dict[int, list[ProgrammeMention]] = {}
    for d, head, pat in prog_defs:
        # the programme named right before `(бұдан әрі - ...)` / `(далее - ...)`, else over the full name
        marker = text.rfind("(", 0, d.abbrev_start)
        ent = next((e for e in entities if any(p.kind == head.kind and 0 <= marker - p.end <= 3 for p in e)), None) or next(
            (e for e in entities if any(p.start <= d.full_end and d.full_start <= p.end and p.kind == head.kind
                                        for p in e)), None)
        if ent is None and not any(h.regex.search(d.full) for h in _HEADS if h.kind == head.kind):
            continue
        if ent is None:
            # the definition's full name was not read as a mention: make it one
            pm = ProgrammeMention(d.full_start, d.full_end, head.kind, "kk" if doc.language != "ru" else "ru",
                                  _capital(_norm_quotes(d.full)), _period(d.full), (d.full_end, d.full_end))
            ent = [pm]
            entities.append(ent)
        by_def[id(d)] = ent
        for p in ent:
            if d.abbrev not in p.aliases:
                p.aliases.append(d.abbrev)
    out: list[ProgrammeMention] = []
    for ent in entities:
        names = [p.name for p in ent]
        best = max(ent, key=lambda p: (bool(p.aliases), names.count(p.name), -p.start))
        key = "programme:" + slugify(match_key(best.name), 90)
        status = next((p.status for p in ent if p.status), None)
        for p in ent:
            p.key = key
            p.name = best.name
            p.status = status
            p.aliases = sorted(set(best.aliases) | set(p.aliases))
        out += ent
    for start, end, d in coref:
        ent = by_def.get(id(d))
        if ent:
            b = ent[0]
            out.append(ProgrammeMention(start, end, b.kind, b.lang, b.name, b.period, (start, end), coref=True,
                                        status=b.status, key=b.key, aliases=list(b.aliases)))
    return sorted(out, key=lambda p: (p.start, -p.end))


# ---------------------------------------------------------------------------- budget, developers

_AMOUNT = re.compile(r"(?P<v>\d{1,3}(?:[ \u00a0]\d{3})+(?:[.,]\d+)?|\d+(?:\s?[.,]\s?\d+)?)\s*"
                     r"(?P<u>млрд|млн|мың|тыс)?\.?\s*(?:теңге|тенге|тг\b|KZT)", re.IGNORECASE)
_UNITS = {"млрд": "billion KZT", "млн": "million KZT", "мың": "thousand KZT", "тыс": "thousand KZT", None: "KZT"}
_FINANCE = re.compile(r"қаржыланд|бюджет|қаражат|финансир|средств|затрат|объем|сомасы|құны", re.IGNORECASE)
_DEVELOPER_ROW = re.compile(r"(?<![\w-])(?:Әзірлеуші(?:лер)?|Разработчик(?:и)?|Әзірлеуші\s+мемлекеттік\s+орган)(?![\w])")
_DEVELOP_VERB = re.compile(r"(?<![\w-])(?:әзірледі|әзірлеген|әзірлейді|әзірлеп|разработал[аио]?|разработан[аоы]?|"
                           r"разработанн\w+)(?![\w])", re.IGNORECASE)


def _budget(doc: DocText, mentions: list[ProgrammeMention], key: str) -> tuple[float, str] | None:
    text = doc.text
    spans = [(p.start, p.end) for p in mentions if p.key == key]
    for m in _AMOUNT.finditer(text):
        for a, b in spans:
            if b <= m.start() and m.start() - b <= 200 and not re.search(r"\.\s+[" + UPPER + "]", text[b:m.start()]):
                if _FINANCE.search(text[b:m.start()]) or _FINANCE.search(text[max(0, a - 40):a]):
                    v = float(re.sub(r"\s", "", m.group("v")).replace(",", "."))
                    unit = m.group("u").lower() if m.group("u") else None
                    return v, _UNITS[unit]
    return None


def _main_programme(mentions: list[ProgrammeMention]) -> str | None:
    with_alias = [p for p in mentions if p.aliases]
    if with_alias:
        return with_alias[0].key
    counts: dict[str, int] = {}
    for p in mentions:
        counts[p.key] = counts.get(p.key, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def _developers(doc: DocText, mentions: list[ProgrammeMention]) -> list[Link]:
    text = doc.text
    links: list[Link] = []
    bodies = sorted((m for m in doc.matches if m.node_id.startswith("statebody:") and not getattr(m, "nested", False)),
                    key=lambda m: m.start)
    main = _main_programme(mentions)
    named = [p for p in mentions if not p.coref]
    # passport row `Әзірлеуші ...`
    if main:
        for row in _DEVELOPER_ROW.finditer(text):
            pos = row.end()
            target = main
            for b in bodies:
                if b.start < pos:
                    continue
                gap = text[pos:b.start]
                for p in mentions:   # `Разработчик Программы - Министерство ...`
                    if pos <= p.start and p.end <= b.start:
                        gap = gap.replace(text[p.start:p.end], " ")
                        target = p.key
                if not re.fullmatch(r"[\s,;:\-–—]*(?:(?:және|и)[\s,;]*)?", gap):
                    break
                links.append(Link("DEVELOPED", b.node_id, target, (row.start(), b.end), confidence=0.85))
                pos = b.end
    # `X ... бірлесіп ... бағдарламаны әзірледі`, `разработана Министерством ...`
    quotes = quote_spans(text)
    acts = [(a.start, a.end) for a in find_acts(doc)]
    for v in _DEVELOP_VERB.finditer(text):
        s0, s1 = doc.sentence(v.start(), v.end())
        progs = [p for p in mentions if s0 <= p.start and p.end <= s1]
        if not progs:
            continue
        prog = min(progs, key=lambda p: abs(p.end - v.start()))
        kazakh = v.group()[:1].lower() == "ә"
        for b in bodies:
            if not (s0 <= b.start and b.end <= s1) or (kazakh and b.start > v.start()):
                continue  # a Kazakh subject comes before its verb
            if any(p.start <= b.start < p.end for p in named) or inside_quote(quotes, b.start, b.end) or any(
                    a <= b.start < e for a, e in acts):
                continue  # part of a name, a title or an act reference (`Үкіметтің ... қаулысымен`)
            links.append(Link("DEVELOPED", b.node_id, prog.key, (s0, s1), confidence=0.75))
    return links


# ----------------------------------------------------------------------------------- API

def extract_programmes(doc: DocText) -> Found:
    """Programme findings, one per mention (mentions of one programme share a key; the document's
    main programme, the abbreviated one, comes first; props: kind, period_start, period_end,
    budget_total, budget_unit, status), and DEVELOPED links."""
    found = Found()
    mentions = programme_mentions(doc)
    budgets: dict[str, tuple[float, str] | None] = {}
    main = _main_programme(mentions)
    # the document's own programme first: consumers that want "the" programme take the first one
    for p in sorted(mentions, key=lambda p: (p.key != main, p.start)):
        if p.key not in budgets:
            budgets[p.key] = _budget(doc, mentions, p.key)
        props = {"kind": p.kind, "period_start": p.period[0], "period_end": p.period[1]}
        if budgets[p.key]:
            props["budget_total"], props["budget_unit"] = budgets[p.key]
        if p.status:
            props["status"] = p.status
        found.findings.append(Finding("Programme", p.name, p.start, p.end, p.key, props=props,
                                      aliases=[a for a in p.aliases if a != p.name],
                                      confidence=0.7 if p.coref else 0.8))
    found.links += _developers(doc, mentions)
    return found
