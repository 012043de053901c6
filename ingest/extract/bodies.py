"""State bodies and religious organisations the gazetteer does not know, and publications.

A body is a noun phrase ending in an institution noun, Kazakh `... министрлігі`, `агенттігі`,
`комитеті`, `басқармасы`, `департаменті`, `әкімдігі`, `орталығы`, `институты`, `мәслихаты`
(any case), or starting with one in Russian (`Министерство ...`, `Агентство ...`, `Комитет
...`, `Управление ...`, `Департамент ...`, `Акимат ...`, `Центр ...`, `Институт ...`,
`Маслихат ...`). It is kept only when it is a name (a capitalised word besides the country
words, or a quoted name: `«Мониторинг және талдау орталығы»`), singular, and not already
covered by a gazetteer hit. A known body in the genitive at its start (`Әділет министрлігінің
Діни істер комитеті`) is its parent: `PART_OF`.

`діни басқармасы`, `мешіті`, `шіркеуі`, `ғибадатханасы`, `Духовное управление`, `мечеть`,
`церковь`, `храм`, `собор`, `приход` make a ReligiousAssociation instead.

Publications: a quoted title with its noun, `«Дін және құқық» ақпараттық-талдау бюллетені`,
`журналы`, `газеті`, `кітабы`, `жинағы`, `қолжазбасы`, `фильмі`; Russian `газета «...»`,
`журнал «...»`, `бюллетень «...»`, `книга «...»`, `сборник «...»`, `фильм «...»`; and quoted
titles of methodological recommendations (`әдістемелік ұсынымдар ... («A», «B»)`,
`методические рекомендации «...»`).
"""
from __future__ import annotations

import re

from ingest.extract.acts import _capital, _collapse, _norm_quotes, clause_start, quote_spans, resolve_body
from ingest.extract.base import DocText, Finding, Found, Link
from kb.morph import is_abbreviation_token, match_key
from kb.text import fold, slugify

__all__ = ["extract_bodies"]

_PL = r"(?:лар|лер|дар|дер|тар|тер)"
# Kazakh institution nouns: (regex of the inflected word, kind, nominative)
_KK_BODIES = [
    (r"министрлі[гк]\w*", "ministry", "министрлігі"),
    (r"агентті[гк]\w*", "agency", "агенттігі"),
    (r"комитет\w*", "committee", "комитеті"),
    (r"басқарма\w*", "department", "басқармасы"),
    (r"департамент\w*", "department", "департаменті"),
    (r"әкімді[гк]\w*", "akimat", "әкімдігі"),
    (r"орталы[ғқ]\w*", "centre", "орталығы"),
    (r"институт\w*", "institute", "институты"),
    (r"мәслихат\w*", "maslikhat", "мәслихаты"),
    (r"мешіт\w*", "mosque", "мешіті"),
    (r"шіркеу\w*", "church", "шіркеуі"),
    (r"ғибадатхана\w*", "temple", "ғибадатханасы"),
]
_KK_BODY_RE = re.compile("|".join(f"(?P<k{i}>(?<![\\w-]){p}(?![\\w-]))" for i, (p, _, _) in enumerate(_KK_BODIES)),
                         re.IGNORECASE)
_RU_BODIES = [
    (r"министерств(?:о|а|у|ом|е)", "ministry"), (r"агентств(?:о|а|у|ом|е)", "agency"),
    (r"комитет(?:а|у|ом|е)?", "committee"), (r"управлени(?:е|я|ю|ем|и)", "department"),
    (r"департамент(?:а|у|ом|е)?", "department"), (r"акимат(?:а|у|ом|е)?", "akimat"), (r"центр(?:а|у|ом|е)?", "centre"),
    (r"институт(?:а|у|ом|е)?", "institute"), (r"маслихат(?:а|у|ом|е)?", "maslikhat"), (r"мечет(?:ь|и|ью)", "mosque"),
    (r"церк(?:овь|ви|овью)", "church"), (r"храм(?:а|у|ом|е)?", "temple"), (r"собор(?:а|у|ом|е)?", "church"),
    (r"приход(?:а|у|ом|е)?", "parish"),
]
_RU_BODY_RE = re.compile("|".join(f"(?P<r{i}>(?<![\\w-]){p}(?![\\w-]))" for i, (p, _) in enumerate(_RU_BODIES)),
                         re.IGNORECASE)
_RELIGIOUS_KINDS = {"mosque", "church", "temple", "parish"}
_NON_NAME_KK = {"осы", "бұл", "сол", "барлық", "әрбір", "тиісті", "жергілікті", "орталық", "мемлекеттік", "уәкілетті",
                "жаңа", "аталған", "және", "мен", "бен", "пен"}
_COUNTRY = {"қазақстан", "республикасы", "республикасының", "қр", "рк", "республики", "казахстан"}
_LEVEL_LOCAL = re.compile(r"аудан|ауыл|район|сельск|поселк|кент", re.IGNORECASE)
_LEVEL_REGION = re.compile(r"облыс|қала|област|город|Астана|Алматы|Шымкент", re.IGNORECASE)


def _is_cap(word: str) -> bool:
    word = word.lstrip("«\"“(")
    return word[:1].isupper()


def _level(name: str, kind: str) -> str | None:
    if _LEVEL_LOCAL.search(name):
        return "local"
    if _LEVEL_REGION.search(name) or kind in ("akimat", "maslikhat"):
        return "regional"
    if kind in ("ministry", "agency", "committee"):
        return "national"
    return None


def _covered(doc: DocText, start: int, end: int) -> bool:
    return any(m.start < end and start < m.end and m.node_id.split(":")[0] in ("statebody", "association", "council")
               for m in doc.matches)


def _kk_bodies(doc: DocText, quotes, found: Found, seen: dict[str, str]) -> None:
    text = doc.text
    for m in _KK_BODY_RE.finditer(text):
        i = int(m.lastgroup[1:])
        _, kind, nominative = _KK_BODIES[i]
        word = m.group()
        stem_len = len(nominative) - 1
        if re.search(_PL, word[stem_len - 1:], re.IGNORECASE):
            continue  # plural: generic
        if re.match(r"\s*[»”]", text[m.end():m.end() + 3]) and not any(a < m.start() and b >= m.end() for a, b in quotes):
            continue  # the tail of a quoted name whose start was lost (page footers)
        if word.lower() in ("орталық",) and re.match(r"\s+(?:және|атқарушы|органдар|мемлекеттік)", text[m.end():m.end() + 20]):
            continue  # the adjective `орталық` "central"
        if _covered(doc, m.start(), m.end()):
            continue
        # the name: back to the clause start, a comma, a quote or a conjunction before a capital
        q = next(((a, b) for a, b in quotes if a < m.start() and m.end() <= b + 1 and b - a < 200), None)
        if q:
            start = q[0]
            name_text = text[q[0]:m.end()]
        else:
            lo = clause_start(text, m.start(), 300, quotes)
            seg_lo = lo + max((j + 1 for j, c in enumerate(text[lo:m.start()]) if c in ",;:()\"«»“”"), default=0)
            dash = list(re.finditer(r"\s[-–—]\s", text[seg_lo:m.start()]))
            if dash:
                seg_lo += dash[-1].end()
            words = list(re.finditer(r"\S+", text[seg_lo:m.start()]))[-8:]
            toks = [(seg_lo + w.start(), w.group()) for w in words]
            cut = 0
            for j, (_, w) in enumerate(toks):
                lw = w.lower()
                if lw in ("және", "мен", "бен", "пен", "немесе") and j + 1 < len(toks) and _is_cap(toks[j + 1][1]):
                    cut = j + 1
                elif lw in _NON_NAME_KK - {"орталық", "мемлекеттік", "жергілікті"}:
                    cut = j + 1
            toks = toks[cut:]
            first = next((j for j, (_, w) in enumerate(toks) if _is_cap(w)), None)
            if first is None:
                continue
            caps = sum(1 for _, w in toks[first:] if _is_cap(w) and fold(w) not in _COUNTRY)
            clause_initial = toks[first][0] <= _skip_ws(text, seg_lo)
            if clause_initial and caps < 2 and not word[:1].isupper():
                continue  # one capital at the clause start is the sentence's, not a name's
            toks = toks[first:]
            start = toks[0][0] if toks else m.start()
            name_text = text[start:m.end()]
        words = re.findall(r"[\w-]+", name_text)
        specific = [w for w in words[:-1] if fold(w) not in _COUNTRY]
        if not specific or not any(_is_cap(w) for w in specific) and not q:
            continue
        if kind == "department" and re.search(r"\bдіни\s*$", text[max(0, m.start() - 8):m.start()], re.IGNORECASE):
            kind = "spiritual_administration"
        head = nominative if word[:1].islower() else _capital(nominative)
        if q:
            name = "«" + _collapse(text[q[0] + 1:m.start()] + " " + head) + "»"
        else:
            name = _capital(_collapse(_norm_quotes(text[start:m.start()]) + " " + head))
        label = "ReligiousAssociation" if kind in _RELIGIOUS_KINDS | {"spiritual_administration"} else "StateBody"
        _add(doc, found, seen, label, name, start, m.end(), kind)


def _ru_bodies(doc: DocText, quotes, found: Found, seen: dict[str, str]) -> None:
    text = doc.text
    for m in _RU_BODY_RE.finditer(text):
        i = int(m.lastgroup[1:])
        kind = _RU_BODIES[i][1]
        word = m.group()
        if _covered(doc, m.start(), m.end()):
            continue
        from kb.morph import _analyzer

        p = _analyzer().parse(word)[0]
        if "plur" in str(p.tag):
            continue
        start = m.start()
        adj = re.search(r"([\w-]+)\s+$", text[max(0, start - 30):start])
        if adj and _analyzer().parse(adj.group(1))[0].tag.POS == "ADJF":
            start -= len(adj.group(0))
        if kind == "department" and adj and adj.group(1).lower().startswith("духовн"):
            kind = "spiritual_administration"
        if not _is_cap(text[start:start + 1]):
            continue  # a name starts with a capital (`Министерство ...`, `Духовное управление ...`)
        tail_words, end = _ru_tail(text, m.end())
        if not tail_words and not adj:
            continue
        if _covered(doc, start, end) or resolve_body(text[start:end], ("statebody", "association")):
            continue
        f = p.inflect({"nomn", "sing"})
        head = f.word if f else word
        head = _capital(head) if text[start] == word[0] else head
        pre = text[start:m.start()]
        if pre.strip():
            pa = _analyzer().parse(pre.split()[0])[0]
            fa = pa.inflect({"nomn", "sing", pa.tag.gender} - {None}) if pa.tag.gender else pa.inflect({"nomn", "sing"})
            pre = _capital(fa.word) + " " if fa else pre
        name = _collapse(pre + head + " " + " ".join(tail_words))
        label = "ReligiousAssociation" if kind in _RELIGIOUS_KINDS | {"spiritual_administration"} else "StateBody"
        _add(doc, found, seen, label, _capital(name), start, end, kind)


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and (text[pos].isspace() or text[pos] in "«\"“"):
        pos += 1
    return pos


_RU_CASES = {"gent", "datv", "loct", "ablt", "gen2", "loc2"}


def _ru_tail(text: str, pos: int) -> tuple[list[str], int]:
    """The complements after a Russian institution noun: genitive and prepositional phrases
    (`по делам религий Акмолинской области`), up to a verb, an adverb, a nominative or punctuation."""
    from kb.morph import _analyzer

    out: list[tuple[str, int]] = []
    for m in re.finditer(r"\s+(«[^»]{1,80}»|[\w-]+)|(\S)", text[pos:pos + 200]):
        if m.group(2) or not m.group(1):
            break
        w = m.group(1)
        end = pos + m.end()
        if w.startswith("«"):
            out.append((w, end))
            break
        if w.lower() in ("по", "при", "и") or w in ("РК", "РФ"):
            out.append((w, end))
            continue
        tags = [p.tag for p in _analyzer().parse(w)[:3]]
        if any(t.POS in ("NOUN", "ADJF", "PRTF") and t.case in _RU_CASES for t in tags):
            out.append((w, end))
            continue
        break
    while out and out[-1][0].lower() in ("по", "при", "и"):
        out.pop()
    return [w for w, _ in out], (out[-1][1] if out else pos)


def _add(doc: DocText, found: Found, seen: dict[str, str], label: str, name: str, start: int, end: int,
         kind: str) -> None:
    key = ("statebody" if label == "StateBody" else "association") + ":new:" + slugify(match_key(name), 80)
    props = {"kind": kind}
    if label == "StateBody":
        props["level"] = _level(name, kind)
    found.findings.append(Finding(label, name, start, end, key, props=props, confidence=0.7))
    if key in seen:
        return
    seen[key] = name
    # a known body in the genitive at the start is the parent
    if label == "StateBody":
        parent = next((m for m in doc.matches if m.node_id.startswith("statebody:") and start <= m.start < end
                       and m.end < end - 3), None)
        if parent:
            found.links.append(Link("PART_OF", key, parent.node_id, doc.sentence(start, end), confidence=0.7))


# ---------------------------------------------------------------------------- publications

_KK_PUB = re.compile(
    r"(?:[\w-]+\s+){0,2}?(?P<n>бюллетен\w*|журнал\w*|газет\w*|кітаб\w*|кітап\w*|жина[ғқ]\w*|қолжазба\w*|"
    r"фильм\w*|альманах\w*)", re.IGNORECASE)
_KK_PUB_KIND = [("бюллетен", "bulletin", "бюллетені"), ("журнал", "journal", "журналы"), ("газет", "newspaper", "газеті"),
                ("кітаб", "book", "кітабы"), ("кітап", "book", "кітабы"), ("жина", "collection", "жинағы"),
                ("қолжазба", "manuscript", "қолжазбасы"), ("фильм", "film", "фильмі"), ("альманах", "almanac", "альманахы")]
_RU_PUB = re.compile(r"(?<![\w-])(?P<n>газет\w*|журнал\w*|бюллетен\w*|книг\w*|сборник\w*|фильм\w*|альманах\w*)\s*$",
                     re.IGNORECASE)
_RU_PUB_KIND = {"газет": "newspaper", "журнал": "journal", "бюллетен": "bulletin", "книг": "book", "сборник": "collection",
                "фильм": "film", "альманах": "almanac"}
_METHOD_REC = re.compile(r"әдістемелік\s+(?:ұсыным\w*|құрал\w*|нұсқау\w*)|методическ\w+\s+(?:рекомендаци\w*|пособи\w*)",
                         re.IGNORECASE)


def _publications(doc: DocText, quotes, found: Found, seen: dict[str, str]) -> None:
    text = doc.text
    done: set[int] = set()
    for a, b in quotes:
        title = _norm_quotes(text[a:b + 1])
        if len(title) < 4 or not _is_cap(title.strip("«»")):
            continue
        after = text[b + 1:b + 60]
        m = re.match(r"\s*(?:(?:[\w]+-[\w-]+|[\w-]+(?:лық|лік|тық|тік|дық|дік|ғы|гі|қы|кі)|ғылыми|әдеби|саяси|діни|"
                     r"республикалық|қоғамдық)\s+){0,2}?(бюллетен[іе]\w*|журнал[ыд]\w*|газет[іе]\w*|кітаб[ыт]\w*|"
                     r"жина[ғқ][ыт]\w*|қолжазба(?:сы|сын|сына|сының|сында)|фильм[іе]\w*|альманах[ыт]\w*)(?![\w])",
                     after, re.IGNORECASE)
        kind = None
        if m:
            noun = m.group(1).lower()
            stem, kind, nom = next(x for x in _KK_PUB_KIND if noun.startswith(x[0]))
            if re.search(_PL + r"\w*$", noun[len(stem):], re.IGNORECASE) and stem != "жина":
                continue
            words = after[:m.start(1)].split()
            name = _collapse(f"{title} {' '.join(words)} {nom}")
            end = b + 1 + m.end()
        else:
            before = text[max(0, a - 30):a]
            r = _RU_PUB.search(before)
            if not r:
                continue
            kind = next(v for k, v in _RU_PUB_KIND.items() if r.group("n").lower().startswith(k))
            name = f"{_capital(r.group('n').lower())} {title}"
            end = b + 1
        done.add(a)
        _add_pub(found, seen, name, a, end, kind)
    # methodological recommendations with their quoted titles
    for m in _METHOD_REC.finditer(text):
        hi = min(len(text), m.end() + 400)
        paren = text.find("(", m.end(), hi)
        close = text.find(")", paren, hi) if paren != -1 else -1
        for a, b in quotes:
            if a in done or not m.end() <= a < hi or b - a < 10:
                continue
            in_paren = paren != -1 and close != -1 and paren < a < close
            if not (in_paren or a - m.end() <= 60):
                continue
            done.add(a)
            _add_pub(found, seen, _norm_quotes(text[a:b + 1]).strip("«»"), a, b + 1, "methodological_recommendations")


def _add_pub(found: Found, seen: dict[str, str], name: str, start: int, end: int, kind: str) -> None:
    key = "publication:new:" + slugify(match_key(name), 80)
    seen[key] = name
    found.findings.append(Finding("Publication", name, start, end, key, props={"kind": kind}, confidence=0.75))


def _known_part_of(doc: DocText) -> list[Link]:
    """PART_OF between known bodies named one in the other: `Әділет министрлігінің Діни істер
    комитеті` (the genitive body is the parent), `ҚМДБ Өскемен аймағы өкілдігі` (a body named
    after its parent), `Комитет по делам религий Министерства культуры` (Russian genitive after)."""
    text = doc.text
    hits = [m for m in doc.matches if m.node_id.split(":")[0] in ("statebody", "association")]
    links: list[Link] = []
    seen: set[tuple[str, str]] = set()
    for a in hits:            # the parent candidate
        for b in hits:        # the child candidate
            if a.node_id == b.node_id or a.node_id.split(":")[0] != b.node_id.split(":")[0]:
                continue
            genitive = bool(_KK_GENITIVE.search(a.text))
            # `ҚМДБ Өскемен аймағы өкілдігі`: a branch named after its parent's abbreviation
            nested_prefix = a.start == b.start and a.end < b.end and (genitive or is_abbreviation_token(a.text))
            inside = b.start <= a.start and a.end < b.end and genitive
            overlap = a.start < b.start < a.end < b.end and genitive
            adjacent = a.end <= b.start and genitive and re.fullmatch(r"[\s«\"“]*", text[a.end:b.start]) is not None
            ru_after = (b.end <= a.start and re.fullmatch(r"\s+", text[b.end:a.start]) is not None
                        and _ru_genitive_start(a.text) and _ru_genitive_start(b.text, case=None))
            if not (nested_prefix or inside or overlap or adjacent or ru_after):
                continue
            if (b.node_id, a.node_id) in seen:
                continue
            seen.add((b.node_id, a.node_id))
            span = (min(a.start, b.start), max(a.end, b.end))
            links.append(Link("PART_OF", b.node_id, a.node_id, doc.sentence(*span), confidence=0.75))
    return links


_KK_GENITIVE = re.compile(r"(?:ның|нің|дың|дің|тың|тің)$")


def _ru_genitive_start(name: str, case: str | None = "gent") -> bool:
    """A Russian name (no Kazakh letters, not an abbreviation) whose first word is in `case`."""
    from kb.morph import _analyzer

    words = name.split()
    if (not words or len(words[0]) < 4 or is_abbreviation_token(words[0]) or not re.search(r"[а-яё]", words[0].lower())
            or re.search(r"[әғқңөұүһі]", name.lower())):
        return False
    return case is None or _analyzer().parse(words[0])[0].tag.case == case


def extract_bodies(doc: DocText) -> Found:
    """StateBody / ReligiousAssociation findings for bodies the gazetteer does not know (props:
    kind, level), PART_OF their known parent, PART_OF between known bodies named one in the
    other, and Publication findings (props: kind)."""
    found = Found()
    quotes = quote_spans(doc.text)
    seen: dict[str, str] = {}
    _kk_bodies(doc, quotes, found, seen)
    _ru_bodies(doc, quotes, found, seen)
    found.links += _known_part_of(doc)
    _publications(doc, quotes, found, seen)
    return found
