"""Events (seminars, trainings, forums, congresses, conferences, round tables) in Kazakh and
Russian texts, with their dates, venue, organisers, participant counts and speakers.

An event is *defined* by one of:
- a quoted title and an event noun: Kazakh title first (`«Зайырлы мемлекеттегі дін» атты
  семинар-тренинг`, `"..." атты өңірлік II имамдар форумы`, `«...» тақырыбында дөңгелек
  үстел`), Russian noun first (`международная конференция «Религия и общество»`,
  `круглый стол на тему «...»`);
- an ordinal and an owner in the genitive (`Әлемдік және дәстүрлі діндер көшбасшыларының
  ІІ съезі`, `екінші Съезінде`; Russian `II Съезд лидеров мировых и традиционных религий`);
  a cardinal instead (`... көшбасшыларының екі съезі`) stands for the series I..N.
A bare singular event noun (`тренингте`, `семинар-тренингке`, `Аталған іс-шара`, `на форуме`,
`мероприятие`) is a *mention*: it refers back to the latest event defined before it whose
noun it shares (or any event, for `іс-шара` / `мероприятие`). Plural nouns (`семинарлар`,
`конференциялар`) and counted ones (`328 іс-шара`) are neither.

Normal form of an event name: the title in «» quotes, the words written between it and the
noun (`атты`, modifiers), then the noun in the nominative keeping a possessive ending it has
(`семинар-тренинг`, `форумы`, `съезі`): `«Зайырлы мемлекеттегі дін» атты семинар-тренинг`,
`«Зайырлы мемлекеттегі зиялы имам» атты өңірлік II имамдар форумы`; owner phrases: the owner
(first letter capitalised), the ordinal as a Latin Roman numeral, the noun:
`Әлемдік және дәстүрлі діндер көшбасшыларының II съезі`. Russian: adjectives and noun in the
nominative, then the title: `международная конференция «Религия и общество»`.
`kind` comes from the noun (seminar, training, forum, congress, conference, round_table,
symposium, summit, webinar; `event` for `іс-шара` / `мероприятие`).

From the sentences of an event's definition and mentions:
- dates (`8-15 қазан аралығында`, `2023 жылғы 12 қазанда`, `12-13 октября 2023 года`, `с 8 по
  15 октября`) → `props["dates_text"]` (day(s) and month in the nominative, with the year when
  written); `start_date`/`end_date` in ISO only when the year is written next to the date or the
  document's own date is known (`props["year_from"] = "document"` then);
- the venue: a known place or religious association in the locative (`Алматы орталық
  мешітінде`, `Өскемен қаласында`, Russian `в Астане`) → HELD_AT (one per event, the association
  if there is one, else the nearest region);
- organisers: known organisations before `бірлесе отырып`, `ұйымдастыруымен`, `ұйымдастырған`,
  `өткізді`, ..., or after Russian `организованный`, `по инициативе` (or before `провело`);
  an organisation in the genitive right before another (`... басқармасының «Мониторинг ...
  орталығы»`) is its parent, not an organiser → ORGANIZED;
- participants: `163 адам қатысты`, `жалпы жиыны 163 адам`, `приняли участие 250 человек`
  → `participants` (`participants_qualifier` more_than / about for `астам`, `более`, `жуық`, ...);
- people named in a sentence with `қатысты` / `приняли участие` (and known organisations followed by
  `өкілдері` / `представители`) → PARTICIPATED_IN, unless they spoke at or organised the event;
- speakers: people named in a sentence with a speech verb (`дәріс оқыды`, `баяндама жасады`,
  `түсіндіріп берді`, `атап өтті`, `выступил`, `с докладом`) → SPOKE_AT with `topic` when a
  `... туралы/жөнінде` phrase or a quoted Russian topic says it; a quotation introduced by
  `Н.Назарбаев: "..." - деп ... съезінде атап өткен` is his; a bare head-of-state title
  (`Мемлекет басшысы ... Съезінде айтқан`) is the document's one person with such a title.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.dates import KK_MONTHS, RU_MONTHS_GENITIVE, month_number
from ingest.extract.base import DocText, Finding, Found, Link
from ingest.extract.people import find_people, is_head_of_state_title
from ingest.gazetteer import Match
from kb.text import fold

__all__ = ["extract_events", "find_events", "EventRecord", "event_noun"]

_ORG_PREFIXES = ("statebody", "association", "council")

# ---------------------------------------------------------------- event nouns

# (stem, kind, nominative, possessive nominative); a tail after the stem may restore a letter (`съез-д`)
_KK_NOUNS = [
    ("семинар-тренинг", "seminar", "семинар-тренинг", "семинар-тренингі"),
    ("семинар-кеңес", "seminar", "семинар-кеңес", "семинар-кеңесі"),
    ("семинар", "seminar", "семинар", "семинары"),
    ("тренинг", "training", "тренинг", "тренингі"),
    ("форум", "forum", "форум", "форумы"),
    ("съез", "congress", "съезд", "съезі"),
    ("сьез", "congress", "съезд", "съезі"),
    ("конгрес", "congress", "конгресс", "конгресі"),
    ("конференция", "conference", "конференция", "конференциясы"),
    ("симпозиум", "symposium", "симпозиум", "симпозиумы"),
    ("саммит", "summit", "саммит", "саммиті"),
    ("вебинар", "webinar", "вебинар", "вебинары"),
    ("іс-шара", "event", "іс-шара", "іс-шарасы"),
    ("үстел", "round_table", "үстел", "үстелі"),        # only after `дөңгелек`
]
_KK_CASE = ("ның|нің|дың|дің|тың|тің|на|не|ға|ге|қа|ке|ны|ні|ды|ді|ты|ті|н|нда|нде|да|де|та|те"
            "|нан|нен|дан|ден|тан|тен|мен|бен|пен|ндағы|ндегі|дағы|дегі|тағы|тегі|а|е")
_KK_TAIL = re.compile(rf"^(?P<x>д|с)?(?P<poss>ы|і|сы|сі)?(?P<case>{_KK_CASE})?$")
_KK_PLURAL = re.compile(r"^(?:д|с)?(?:лар|лер|дар|дер|тар|тер)")

_RU_NOUNS = [
    ("семинар-тренинг", "seminar", "семинар-тренинг"),
    ("семинар-совещани", "seminar", "семинар-совещание"),
    ("семинар", "seminar", "семинар"),
    ("тренинг", "training", "тренинг"),
    ("форум", "forum", "форум"),
    ("съезд", "congress", "съезд"),
    ("конгресс", "congress", "конгресс"),
    ("конференци", "conference", "конференция"),
    ("симпозиум", "symposium", "симпозиум"),
    ("саммит", "summit", "саммит"),
    ("вебинар", "webinar", "вебинар"),
    ("мероприяти", "event", "мероприятие"),
    ("стол", "round_table", "стол"),                    # only after `круглый`
]
_RU_MASC_SING = {"", "а", "у", "ом", "е"}
_RU_MASC_PLUR = {"ы", "ов", "ам", "ами", "ах"}
_RU_FEM_SING = {"я", "и", "ю", "ей", "ею"}             # конференци-
_RU_FEM_PLUR = {"й", "ям", "ями", "ях"}
_RU_NEUT_SING = {"е", "я", "ю", "ем", "и"}             # мероприяти-
_RU_NEUT_PLUR = {"й", "ям", "ями", "ях"}

_WORD = re.compile(r"\w+(?:[-‐‑]\w+)*")
_ROMAN = re.compile(r"^[IVXІХ]{1,5}$")
_KK_ORDINALS = {"бірінші": 1, "екінші": 2, "үшінші": 3, "төртінші": 4, "бесінші": 5, "алтыншы": 6,
                "жетінші": 7, "сегізінші": 8, "тоғызыншы": 9, "оныншы": 10}
_RU_ORDINALS = {"перв": 1, "втор": 2, "трет": 3, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7,
                "восьм": 8, "девят": 9, "десят": 10}
_KK_CARDINALS = {"екі": 2, "үш": 3, "төрт": 4, "бес": 5}
_QUANTIFIERS = frozenset("бірнеше көптеген түрлі барлық әр әртүрлі сан алуан несколько ряд многие различные все".split())


@dataclass(frozen=True)
class Noun:
    start: int
    end: int
    kind: str
    nominative: str      # the noun as it stands in a name (possessive kept)
    lang: str
    plural: bool
    case: str            # Kazakh case suffix or Russian ending ("" = nominative)
    stem: str


def _kk_noun(word: str) -> tuple | None:
    low = fold(word).replace(" ", "-")
    for stem, kind, nom, poss in _KK_NOUNS:
        if low.startswith(stem):
            tail = low[len(stem):]
            if _KK_PLURAL.match(tail):
                return kind, nom, True, "", stem
            m = _KK_TAIL.match(tail)
            if m:
                return kind, (poss if m.group("poss") else nom), False, m.group("case") or "", stem
    return None


def _ru_noun(word: str) -> tuple | None:
    low = fold(word).replace(" ", "-")
    for stem, kind, nom in _RU_NOUNS:
        if low.startswith(stem):
            tail = low[len(stem):]
            if stem == "конференци":
                sing, plur = _RU_FEM_SING, _RU_FEM_PLUR
            elif stem in ("мероприяти", "семинар-совещани"):
                sing, plur = _RU_NEUT_SING, _RU_NEUT_PLUR
            else:
                sing, plur = _RU_MASC_SING, _RU_MASC_PLUR
            if tail in plur:
                return kind, nom, True, tail, stem
            if tail in sing:
                return kind, nom, False, tail, stem
    return None


def event_noun(word: str, lang: str = "kk") -> tuple[str, str, bool] | None:
    """(kind, nominative, plural) of an event noun, or None: `сьезінде` → (congress, съезі, False)."""
    r = _kk_noun(word) if lang == "kk" else _ru_noun(word)
    return (r[0], r[1], r[2]) if r else None


def _clause_lang(text: str, pos: int) -> str:
    window = text[max(0, pos - 150):pos + 150].lower()
    return "kk" if re.search(r"[әғқңөұүһі]", window) else "ru"


def _nouns(text: str) -> list[Noun]:
    out = []
    for m in _WORD.finditer(text):
        w = m.group()
        lang = _clause_lang(text, m.start())
        r = _kk_noun(w) if lang == "kk" else _ru_noun(w)
        if not r:
            continue
        kind, nom, plural, case, stem = r
        start = m.start()
        if kind == "round_table":
            prev = re.search(r"(\w+)\s+$", text[max(0, start - 30):start])
            if not prev or not (fold(prev.group(1)).startswith("дөңгелек") or fold(prev.group(1)).startswith("кругл")):
                continue
            start = start - len(prev.group(0))
            if lang == "ru":
                nom = "круглый стол"
            else:
                nom = "дөңгелек " + nom
        out.append(Noun(start, m.end(), kind, nom, lang, plural, case, stem))
    return out


# ---------------------------------------------------------------- quotes and titles

def _quoted(text: str) -> list[tuple[int, int, str]]:
    """Quoted spans (start, end, inner text): «...», “...” and paired straight quotes."""
    spans = [(m.start(), m.end(), m.group(1)) for m in re.finditer(r"«([^«»]{2,200})»", text)]
    spans += [(m.start(), m.end(), m.group(1)) for m in re.finditer(r"“([^“”]{2,200})”", text)]
    open_at = None
    for m in re.finditer(r"\"", text):
        i = m.start()
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if open_at is None:
            if not before.isalnum() and not after.isspace():
                open_at = i
        elif not before.isspace():
            inner = text[open_at + 1:i]
            if 2 <= len(inner) <= 200 and "\n\n" not in inner:
                spans.append((open_at, i + 1, inner))
            open_at = None
        elif not after.isspace():
            open_at = i
    return sorted(spans)


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _roman(n: int) -> str:
    vals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, r in vals:
        while n >= v:
            out += r
            n -= v
    return out


def _latin_roman(tok: str) -> str:
    return tok.replace("І", "I").replace("Х", "X")


def _ordinals_in(words: str) -> str:
    """Cyrillic lookalike Roman numerals → Latin (`ІІ` → `II`)."""
    return re.sub(r"(?<!\w)[IVXІХ]{1,5}(?!\w)", lambda m: _latin_roman(m.group()), words)


# ---------------------------------------------------------------- records

@dataclass
class EventRecord:
    key: str
    name: str
    kind: str
    start: int
    end: int
    lang: str
    title: str | None = None
    ordinal: str | None = None
    anchors: list[tuple[int, int]] = field(default_factory=list)   # definition and mentions
    props: dict = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    stems: set[str] = field(default_factory=set)


_KK_MOD_STOP = re.compile(r"(?:нда|нде|да|де|та|те|ға|ге|қа|ке|дан|ден|тан|тен|нан|нен|мен|бен|пен|ған|ген|ып|іп|ды|ді|ты|ті|сы|сі)$")
_RU_TOPIC_CONNECT = re.compile(r"^\s*(?:на тему|по теме|под названием|по вопросам|:|—|-)?\s*$")


def _definitions(doc: DocText, nouns: list[Noun]) -> list[EventRecord]:
    text = doc.text
    quotes = _quoted(text)
    noun_at = {n.start: n for n in nouns}
    events: list[EventRecord] = []
    used: list[tuple[int, int]] = []

    def add(ev: EventRecord) -> None:
        if any(a < ev.end and ev.start < b for a, b in used):
            return
        used.append((ev.start, ev.end))
        events.append(ev)

    # Kazakh: «title» [атты] modifiers noun
    for qs, qe, inner in quotes:
        if _clause_lang(text, qs) != "kk":
            continue
        rest = text[qe:qe + 160]
        words = list(_WORD.finditer(rest))
        k = 0
        while k < len(words) and fold(words[k].group()) in ("атты", "деген", "тақырыбындағы", "тақырыбында", "тақырыптағы", "аталатын", "тақырыбы", "бойынша"):
            k += 1
        for j in range(k, min(len(words), k + 6)):
            w = words[j]
            if re.search(r"[.,;:!?()«»\"“”]|\n\s*\n", rest[:w.start()]):
                break
            n = noun_at.get(qe + w.start())
            if n is not None:
                if n.plural:
                    break
                mods = _clean(_ordinals_in(rest[:w.start()]))
                name = f"«{_clean(inner)}»" + (f" {mods}" if mods else "") + f" {n.nominative}"
                ordinal = next((_latin_roman(t) for t in mods.split() if _ROMAN.match(t)), None)
                add(EventRecord("", name, n.kind, qs, n.end, "kk", title=_clean(inner), ordinal=ordinal,
                                anchors=[(qs, n.end)], stems={n.stem}))
                break
            tok = fold(w.group())
            if j >= k and _KK_MOD_STOP.search(tok) and len(tok) > 4 and not _ROMAN.match(w.group()) \
                    and tok not in ("тақырыбындағы", "тақырыбында"):
                break

    # Russian: [adjectives] noun [на тему] «title»
    for n in nouns:
        if n.lang != "ru" or n.plural:
            continue
        for qs, qe, inner in quotes:
            if qs >= n.end and _RU_TOPIC_CONNECT.match(text[n.end:qs]):
                start, name_head = _ru_adjectives(text, n)
                name = f"{name_head} «{_clean(inner)}»"
                add(EventRecord("", name, n.kind, start, qe, "ru", title=_clean(inner), anchors=[(start, qe)], stems={n.stem}))
                break

    # owner + ordinal (or cardinal): Kazakh `X-тың II съезі`, Russian `II Съезд X`
    for n in nouns:
        if n.plural or n.kind in ("event",):
            continue
        if n.lang == "kk":
            prev = list(re.finditer(r"[\w-]+", text[max(0, n.start - 40):n.start]))
            if not prev:
                continue
            last = prev[-1]
            tok = last.group()
            num, series = None, False
            if _ROMAN.match(tok):
                num = _roman_value(_latin_roman(tok))
            elif fold(tok) in _KK_ORDINALS:
                num = _KK_ORDINALS[fold(tok)]
            elif re.fullmatch(r"\d{1,2}-?(?:ші|шы|інші|ыншы)", fold(tok)):
                num = int(re.match(r"\d+", tok).group())
            elif fold(tok) in _KK_CARDINALS and n.kind in ("congress", "forum"):
                num, series = _KK_CARDINALS[fold(tok)], True
            if not num:
                continue
            ord_start = max(0, n.start - 40) + last.start()
            owner = _kk_owner(doc, ord_start)
            if not owner:
                continue
            os_, owner_text = owner
            owner_text = owner_text[0].upper() + owner_text[1:]
            nominative = n.nominative if n.nominative.endswith(("ы", "і")) else _kk_possessive(n)
            for k in (range(1, num + 1) if series else [num]):
                name = f"{owner_text} {_roman(k)} {nominative}"
                ev = EventRecord("", name, n.kind, os_, n.end, "kk", ordinal=_roman(k), anchors=[(os_, n.end)], stems={n.stem})
                ev.props["_series"] = series
                events.append(ev)      # may repeat a name: merged below
            used.append((os_, n.end))
        else:
            prev = re.search(r"([\w]+)\s+$", text[max(0, n.start - 30):n.start])
            num = None
            if prev:
                tok = prev.group(1)
                if _ROMAN.match(tok):
                    num = _roman_value(_latin_roman(tok))
                else:
                    num = next((v for s, v in _RU_ORDINALS.items() if fold(tok).startswith(s)), None)
            capital = text[n.start].isupper() and not _sentence_initial(text, n.start)
            if not num and not capital:
                continue
            owner = _ru_owner(text, n.end)
            if not owner:
                continue
            oe, owner_text = owner
            start = n.start - len(prev.group(0)) if num else n.start
            noun_word = text[n.start:n.end]
            noun_nom = _ru_nominative_noun(noun_word, n)
            name = (f"{_roman(num)} " if num else "") + noun_nom + " " + owner_text
            if any(a <= start < b for a, b in used):
                continue
            add(EventRecord("", name, n.kind, start, oe, "ru", ordinal=_roman(num) if num else None,
                            anchors=[(start, oe)], stems={n.stem}))
    return events


def _roman_value(r: str) -> int:
    vals = {"I": 1, "V": 5, "X": 10}
    total, prev = 0, 0
    for ch in reversed(r):
        v = vals.get(ch, 0)
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total


def _kk_possessive(n: Noun) -> str:
    for stem, kind, nom, poss in _KK_NOUNS:
        if stem == n.stem:
            return poss
    return n.nominative


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[max(0, pos - 5):pos].rstrip()
    return not before or before[-1] in ".!?\n:"


_OWNER_STOP = frozenset("""деп деген және-де ал бірақ сондай-ақ осы бұл сол мен біз ол олар туралы үшін
кейін бері дейін арқылы""".split())


def _kk_owner(doc: DocText, end: int) -> tuple[int, str] | None:
    """The genitive owner phrase ending right before `end` (`Әлемдік және дәстүрлі діндер
    көшбасшыларының`): words back to a stop word, a case-marked word, a title or punctuation."""
    from ingest.extract.people import title_head
    text = doc.text
    seg = text[max(0, end - 200):end]
    base = max(0, end - 200)
    toks = list(re.finditer(r"[\w-]+|[^\w\s]", seg))
    if not toks or not re.search(r"(?:ның|нің|дың|дің|тың|тің)$", fold(toks[-1].group())):
        return None
    words = []
    for t in reversed(toks):
        w = t.group()
        low = fold(w)
        if not re.match(r"\w", w) or low in _OWNER_STOP or title_head(w):
            break
        if words and re.search(r"(?:нда|нде|да|де|та|те|ға|ге|қа|ке|дан|ден|тан|тен|нан|нен|мен|бен|пен|ды|ді|ты|ті|сы|сі)$", low) \
                and len(low) > 4 and low not in ("және",):
            break
        if low.isdigit():
            break
        words.insert(0, t)
        if len(words) >= 7:
            break
    while words and fold(words[0].group()) in ("және", "мен", "пен", "бен"):
        words.pop(0)
    if len(words) < 2:
        return None
    s = base + words[0].start()
    return s, _clean(text[s:end])


def _ru_owner(text: str, start: int) -> tuple[int, str] | None:
    """The genitive phrase after a Russian event noun (`лидеров мировых и традиционных религий`)."""
    words = []
    for t in re.finditer(r"[\w-]+|[^\w\s]", text[start:start + 120]):
        w = t.group()
        if not re.match(r"\w", w):
            break
        low = fold(w)
        if low in ("в", "во", "на", "по", "с", "со", "который", "которая", "которое", "прошел", "прошла", "прошло",
                   "состоялся", "состоялась", "состоялось", "где", "что", "для", "от", "при", "к") or w[:1].isdigit():
            break
        if _ru_pos(w) in ("VERB", "PRTF", "PRTS", "GRND", "INFN"):
            break
        words.append(t)
        if len(words) >= 7:
            break
    while words and fold(words[-1].group()) in ("и", "а"):
        words.pop()
    if not words:
        return None
    end = start + words[-1].end()
    return end, _clean(text[start:end])


@lru_cache(maxsize=4096)
def _ru_pos(word: str) -> str | None:
    try:
        from kb.morph import _analyzer
        return _analyzer().parse(word.lower())[0].tag.POS
    except Exception:  # pragma: no cover
        return None


def _ru_inflect_nomn(word: str) -> str:
    try:
        from kb.morph import _analyzer
        for p in _analyzer().parse(word.lower()):
            if p.tag.POS in ("ADJF", "NOUN", "PRTF"):
                f = p.inflect({"nomn", "sing"})
                if f:
                    return f.word
    except Exception:  # pragma: no cover
        pass
    return word.lower()


def _ru_nominative_noun(word: str, n: Noun) -> str:
    if n.case == "" and n.kind != "round_table":
        return word
    nom = n.nominative
    return nom[0].upper() + nom[1:] if word[:1].isupper() else nom


def _ru_adjectives(text: str, n: Noun) -> tuple[int, str]:
    """Adjectives right before a Russian event noun, with the noun, in the nominative."""
    start = n.start
    adjs: list[str] = []
    nominative = n.case in ("",) or n.kind == "round_table" and fold(text[n.start:n.end]).startswith("круглый")
    for m in reversed(list(re.finditer(r"[\w-]+", text[max(0, n.start - 80):n.start]))):
        gap = text[max(0, n.start - 80) + m.end():start]
        if gap.strip():
            break
        w = m.group()
        if _ru_pos(w) != "ADJF":
            break
        adjs.insert(0, w if nominative else _ru_inflect_nomn(w))
        start = max(0, n.start - 80) + m.start()
    noun = text[n.start:n.end] if nominative else n.nominative
    if n.kind == "round_table" and not nominative:
        noun = "круглый стол"
    name = " ".join(adjs + [noun])
    if _sentence_initial(text, start):
        name = name[0].lower() + name[1:] if not re.match(r"[IVX]", name) else name
    return start, name


def _merge(events: list[EventRecord]) -> list[EventRecord]:
    merged: dict[str, EventRecord] = {}
    order: list[str] = []
    for ev in sorted(events, key=lambda e: e.start):
        k = fold(ev.name)
        if k in merged:
            m = merged[k]
            m.anchors += ev.anchors
            m.stems |= ev.stems
            if m.props.get("_series") and not ev.props.get("_series"):
                # a proper definition wins over the one implied by a series
                m.start, m.end = ev.start, ev.end
                m.props["_series"] = False
        else:
            merged[k] = ev
            order.append(k)
    out = [merged[k] for k in order]
    for i, ev in enumerate(out, 1):
        ev.key = f"event#{i}"
    return out


# ---------------------------------------------------------------- mentions (coreference)

def _mentions(doc: DocText, nouns: list[Noun], events: list[EventRecord]) -> None:
    text = doc.text
    defined = [(a, b) for ev in events for a, b in ev.anchors]
    for n in nouns:
        if n.plural or any(a <= n.start < b for a, b in defined):
            continue
        prev = re.search(r"([\w-]+)[\s\u00a0]+$", text[max(0, n.start - 30):n.start])
        if prev and (prev.group(1).isdigit() or re.fullmatch(r"\d+\S*", prev.group(1)) or fold(prev.group(1)) in _QUANTIFIERS):
            continue
        if re.search(r"\d[\s\u00a0]*$", text[max(0, n.start - 5):n.start]):
            continue
        best = None
        for ev in events:
            if ev.start >= n.start:
                continue
            generic = n.kind == "event"
            shares = n.stem in ev.stems or n.kind == ev.kind or any(n.stem in s or s in n.stem for s in ev.stems)
            if generic or shares:
                if best is None or ev.start > best.start:
                    best = ev
        if best is not None:
            best.anchors.append((n.start, n.end))


# ---------------------------------------------------------------- facts around events

_MONTH_RE = "|".join(KK_MONTHS) + r"|январ[ьяе]|феврал[ьяе]|март[ае]?|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|август[ае]?|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе]"
_DATE = re.compile(
    rf"(?:(?P<y1>\d{{4}})\s*(?:жылғы|жылы|ж\.|года|г\.)?\s*)?"
    rf"(?:с\s+)?(?P<d1>\d{{1,2}})(?:\s*(?P<m1>{_MONTH_RE})\w*)?\s*(?:[-–—]|по)\s*(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH_RE})\w*"
    rf"(?:\s+(?P<y2>\d{{4}})\s*(?:года|г\.|жылы)?)?"
    rf"|(?:(?P<y3>\d{{4}})\s*(?:жылғы|жылы|ж\.)?\s*)?(?P<d3>\d{{1,2}})\s+(?P<m3>{_MONTH_RE})\w*(?:\s+(?P<y4>\d{{4}})\s*(?:года|г\.)?)?",
    re.IGNORECASE,
)
_NOT_EVENT_DATE = re.compile(r"^\W{0,3}(?:N|№|қаулы|жарлы|заң|бұйрық|хат|сауал|постановлени|указ|закон|приказ|решени)", re.IGNORECASE)


def _month_index(word: str) -> int | None:
    number = month_number(word)
    return None if number is None else number - 1


def _dates(doc: DocText, s: int, e: int, anchor: tuple[int, int], lang: str) -> dict | None:
    text = doc.text
    best = None
    for m in _DATE.finditer(text, s, e):
        if _NOT_EVENT_DATE.search(text[m.end():m.end() + 40]):
            continue
        dist = min(abs(m.start() - anchor[0]), abs(m.end() - anchor[1]))
        if best is None or dist < best[0]:
            best = (dist, m)
    if best is None:
        return None
    m = best[1]
    if m.group("d3"):
        d1 = d2 = int(m.group("d3"))
        m1 = m2 = _month_index(m.group("m3"))
        year = m.group("y3") or m.group("y4")
    else:
        d1, d2 = int(m.group("d1")), int(m.group("d2"))
        m2 = _month_index(m.group("m2"))
        m1 = _month_index(m.group("m1")) if m.group("m1") else m2
        year = m.group("y1") or m.group("y2")
    if m1 is None or m2 is None or not (1 <= d1 <= 31 and 1 <= d2 <= 31):
        return None
    months = KK_MONTHS if lang == "kk" else RU_MONTHS_GENITIVE
    if d1 == d2 and m1 == m2:
        dates_text = f"{d1} {months[m2]}"
    elif m1 == m2:
        dates_text = f"{d1}-{d2} {months[m2]}"
    else:
        dates_text = f"{d1} {months[m1]} - {d2} {months[m2]}"
    props: dict = {}
    year_from = None
    if year:
        year_from = "text"
        dates_text = (f"{year} жылғы {dates_text}" if lang == "kk" else f"{dates_text} {year} года")
    elif doc.date and re.match(r"\d{4}", doc.date):
        year, year_from = doc.date[:4], "document"
    props["dates_text"] = dates_text
    if year:
        props["start_date"] = f"{int(year):04d}-{m1 + 1:02d}-{d1:02d}"
        props["end_date"] = f"{int(year):04d}-{m2 + 1:02d}-{d2:02d}"
        props["year_from"] = year_from
    return props


_LOCATIVE_KK = re.compile(r"(?:нда|нде|да|де|та|те)$")
_HELD_VERB = re.compile(r"өт(?:ті|кен|еді|кізілді|кізілген|кізді|кізген|кізеді)|прош[её]л|прошла|прошло|состоял\w*|провел\w*|проход\w*", re.IGNORECASE)


def _venue(doc: DocText, s: int, e: int, anchor: tuple[int, int], exclude: list[tuple[int, int]]) -> Match | None:
    text = doc.text
    cands = []
    for h in doc.known_in(s, e):
        prefix = h.node_id.split(":")[0]
        if prefix not in ("association", "region") or any(a <= h.start < b for a, b in exclude):
            continue
        last = fold(h.text).split()[-1] if fold(h.text) else ""
        kk_loc = bool(_LOCATIVE_KK.search(last)) and not h.exact
        ru_loc = bool(re.search(r"(?:^|\s)(?:в|во|на)\s+$", text[max(0, h.start - 4):h.start], re.IGNORECASE))
        if not (kk_loc or ru_loc):
            continue
        dist = min(abs(h.start - anchor[0]), abs(h.end - anchor[1]))
        cands.append((0 if prefix == "association" else 1, dist, h))
    if not cands:
        return None
    return min(cands, key=lambda c: (c[0], c[1]))[2]


_CONNECT = re.compile(r"^(?:[-‐‑]\w{1,6})?[\s,\"«»“”]*(?:(?:және|мен|пен|бен|и|а также|совместно с)[\s,\"«»“”]*)?$")
_GENITIVE_END = re.compile(r"(?:ның|нің|дың|дің|тың|тің)$")


def _org_chains(doc: DocText, s: int, e: int) -> list[list[Match]]:
    """Runs of known organisations joined by `және`, `мен`, commas; a genitive parent right
    before its part is dropped (`... басқармасының «Мониторинг ... орталығы»`)."""
    hits = [h for h in doc.known_in(s, e) if h.node_id.split(":")[0] in _ORG_PREFIXES + ("region",)]
    chains: list[list[Match]] = []
    for h in hits:
        if chains and _CONNECT.match(doc.text[chains[-1][-1].end:h.start]):
            chains[-1].append(h)
        else:
            chains.append([h])
    out = []
    for chain in chains:
        kept = []
        for i, h in enumerate(chain):
            nxt = chain[i + 1] if i + 1 < len(chain) else None
            if h.node_id.startswith("region:"):
                continue
            gap = doc.text[h.end:nxt.start] if nxt else ""
            if nxt and re.fullmatch(r"[\s\"«»“”]*", gap) and (_GENITIVE_END.search(fold(h.text)) or h.node_id.startswith("region:")):
                continue
            kept.append(h)
        if kept:
            out.append(kept)
    return out


_KK_ORG_ADJACENT = re.compile(r"ұйымдастыруымен|ұйымдастыруы(?:мен| бойынша)|ұйымдастыруында|бастамасымен|бірлесе\s+отырып|бірлесіп|тарапынан|ұйымдастырушылығымен")
_KK_ORG_VERB = re.compile(r"ұйымдастырған|ұйымдастырды|ұйымдастырып|өткізді|өткізген|өткізіп|өткізеді|өткізетін|ұйымдастырады")
_RU_ORG_AFTER = re.compile(r"организованн\w*|при организации|по инициативе|организатор(?:ом|ами)?\s+(?:выступил\w*|стал\w*|является|являются)|организатор(?:ы)?\s*[-—:]", re.IGNORECASE)
_RU_ORG_BEFORE = re.compile(r"\b(?:провел[аио]?|провели|организовал[аио]?|организовали|проводит|проводят|организует|организуют)\b", re.IGNORECASE)


def _organisers(doc: DocText, s: int, e: int, lang: str) -> list[tuple[Match, tuple[int, int]]]:
    """(organisation hit, trigger span) pairs in the sentence [s, e)."""
    text = doc.text
    chains = _org_chains(doc, s, e)
    out: list[tuple[Match, tuple[int, int]]] = []
    if lang == "kk":
        for t in _KK_ORG_ADJACENT.finditer(text, s, e):
            before = [c for c in chains if c[-1].end <= t.start() and len(re.findall(r"\w+", text[c[-1].end:t.start()])) <= 1]
            if before:
                out += [(h, t.span()) for h in before[-1]]
        for t in _KK_ORG_VERB.finditer(text, s, e):
            subj = [c for c in chains if c[-1].end <= t.start() and not _LOCATIVE_KK.search(fold(c[-1].text).split()[-1])
                    and not re.search(r"(?:ға|ге|қа|ке|на|не|ды|ді|ты|ті|ны|ні|дан|ден|тан|тен|нан|нен|ның|нің|дың|дің|тың|тің)$",
                                      fold(c[-1].text).split()[-1])]
            if subj:
                out += [(h, t.span()) for h in subj[0]]
    else:
        for t in _RU_ORG_AFTER.finditer(text, s, e):
            after = [c for c in chains if c[0].start >= t.end() and len(re.findall(r"\w+", text[t.end():c[0].start])) <= 1]
            if after:
                out += [(h, t.span()) for h in after[0]]
        for t in _RU_ORG_BEFORE.finditer(text, s, e):
            before = [c for c in chains if c[-1].end <= t.start() and len(re.findall(r"\w+", text[c[-1].end:t.start()])) <= 2]
            after = [c for c in chains if c[0].start >= t.end() and len(re.findall(r"\w+", text[t.end():c[0].start])) <= 1]
            pick = before[-1] if before else (after[0] if after else None)
            if pick:
                out += [(h, t.span()) for h in pick]
    return out


_PART_KK = re.compile(
    r"(?P<n>\d{1,3}(?:[\s\u00a0]\d{3})*|\d+)(?:[-‐](?:ге|ға|ден|дан|тен|тан|нан|нен|ке|қа|ге))?[\s\u00a0]*"
    r"(?P<q>астам|аса|жуық|шамасында|қа жуық|ге жуық)?[\s\u00a0]*(?:адам|кісі|қатысушы|өкіл|азамат|тыңдаушы)",
    re.IGNORECASE)
_PART_RU = re.compile(
    r"(?P<q>более|свыше|около|порядка|почти|примерно)?[\s\u00a0]*(?P<n>\d{1,3}(?:[\s\u00a0]\d{3})*|\d+)[\s\u00a0]*"
    r"(?:человек|участник\w*|представител\w*|делегат\w*|слушател\w*)", re.IGNORECASE)
_PART_VERB = re.compile(r"қатыс\w*|жиналды|жиылды|участ\w*|собрал\w*|прибыл\w*|присутствовал\w*", re.IGNORECASE)
_QUALIFIER = {"астам": "more_than", "аса": "more_than", "более": "more_than", "свыше": "more_than",
              "жуық": "about", "шамасында": "about", "около": "about", "порядка": "about", "почти": "about",
              "примерно": "about", "қа жуық": "about", "ге жуық": "about"}


def _participants(doc: DocText, s: int, e: int, lang: str) -> tuple[int, str | None, tuple[int, int]] | None:
    text = doc.text[s:e]
    if not _PART_VERB.search(text):
        return None
    pat = _PART_KK if lang == "kk" else _PART_RU
    for m in pat.finditer(text):
        n = int(re.sub(r"\D", "", m.group("n")))
        if n <= 0:
            continue
        q = m.group("q")
        if lang == "kk" and not q:
            tail = re.match(r"[\s\u00a0]*(астам|аса|жуық)", text[m.end():m.end() + 12])
            q = tail.group(1) if tail else None
        return n, _QUALIFIER.get(fold(q) if q else "", None), (s + m.start(), s + m.end())
    return None


_SPEECH_KK = re.compile(
    r"дәріс\s+оқы\w*|дәріс\s+бер\w*|лекция\s+оқы\w*|баяндама\s+жаса\w*|баяндамамен|баяндама\s+оқы\w*|сөз\s+сөйле\w*"
    r"|сөйлеген|түсіндіріп\s+бер\w*|түсіндірді|атап\s+өт(?:ті|кен|іп)|айт(?:ты|қан|ып)\b|мәлімдеді|мәлімдеме\s+жаса\w*"
    r"|құттықтау\s+сөз\w*|ой\s+бөліс\w*|пікір\w*\s+біл\w*|баяндады|тоқталды|тоқталып", re.IGNORECASE)
_SPEECH_RU = re.compile(
    r"выступил\w*|с\s+доклад\w+|с\s+лекци\w+|доклад\w*\s+(?:сделал|представил)\w*|отметил\w*|заявил\w*|подчеркнул\w*"
    r"|рассказал\w*|прочитал\w*\s+лекци\w*|обратил\w*\s+внимание|приветственн\w+\s+слов\w*", re.IGNORECASE)
_QUOTE_VERB = re.compile(r"(?:^|\W)(?:деп|деген|деді)(?:\W|$)|сказал\w*|заявил\w*|отметил\w*", re.IGNORECASE)
_TOPIC_KK = re.compile(r"\s(?:жөнінде|туралы|тақырыбында|тақырыбына|тақырыбы\s+бойынша)\s")
_TOPIC_CUT = re.compile(r"(?:оларға|оған|қатысушыларға|тыңдаушыларға|жиналғандарға|барысында|\w+(?:ып|іп|п),)\s+", re.IGNORECASE)
_TOPIC_RU = re.compile(r"(?:с\s+доклад\w*|с\s+лекци\w*|на\s+тему|по\s+теме)\s*(?:на\s+тему\s*)?[«\"“]([^»\"”]{3,200})[»\"”]", re.IGNORECASE)
_HEAD_OF_STATE = re.compile(r"Мемлекет\s+басшы\w*|Елбасы\w*|Президент\w*|Глав\w+\s+государства", re.IGNORECASE)


def _topic(doc: DocText, s: int, verb_start: int, after: int, lang: str) -> str | None:
    text = doc.text
    if lang == "ru":
        m = _TOPIC_RU.search(text, s, max(verb_start, after) + 200)
        return _clean(m.group(1)) if m else None
    seg = text[after:verb_start]
    post = list(_TOPIC_KK.finditer(seg))
    if not post:
        return None
    body = seg[:post[-1].start()]
    cuts = list(_TOPIC_CUT.finditer(body))
    if cuts:
        body = body[cuts[-1].end():]
    body = re.sub(r"^\s*(?:да|де|та|те)\s+", "", body)
    body = _clean(body)
    return body if 3 <= len(body) <= 200 else None


# ---------------------------------------------------------------- assembly

def _sentence_of(doc: DocText, pos: int) -> tuple[int, int]:
    spans = doc.sentences
    starts = [a for a, _ in spans]
    i = bisect.bisect_right(starts, pos) - 1
    if i < 0:
        return doc.sentence(pos, pos + 1)
    return spans[i]


def find_events(doc: DocText) -> list[EventRecord]:
    """Every event defined in the text, with the spans of its definition and later mentions."""
    nouns = _nouns(doc.text)
    events = _merge(_definitions(doc, nouns))
    _mentions(doc, nouns, events)
    for ev in events:
        ev.anchors = sorted(set(ev.anchors))
    return events


def _nearest_event(events: list[EventRecord], s: int, e: int, pos: int) -> EventRecord | None:
    best = None
    for ev in events:
        for a, b in ev.anchors:
            if s <= a < e:
                d = abs(a - pos)
                if best is None or d < best[0]:
                    best = (d, ev)
    return best[1] if best else None


def extract_events(doc: DocText) -> Found:
    """Event findings and their ORGANIZED, HELD_AT and SPOKE_AT links (see the module doc)."""
    found = Found()
    text = doc.text
    events = find_events(doc)
    if not events:
        return found
    people = find_people(doc)
    links: dict[tuple[str, str, str], Link] = {}

    def link(type_: str, start: str, end: str, evidence: tuple[int, int], props: dict | None = None, conf: float = 0.8) -> None:
        k = (type_, start, end)
        if k not in links:
            links[k] = Link(type_, start, end, evidence, props=props or {}, confidence=conf)
        elif props:
            for pk, pv in props.items():
                links[k].props.setdefault(pk, pv)

    participants_found: list[tuple[str, str, tuple[int, int]]] = []
    # per-sentence facts for each event
    for ev in events:
        lang = ev.lang
        sentences = []
        for a, b in ev.anchors:
            sent = _sentence_of(doc, a)
            if sent not in sentences:
                sentences.append(sent)
        def_sent = _sentence_of(doc, ev.anchors[0][0]) if ev.anchors else None
        # dates: the definition sentence first
        for s, e in sentences:
            anchor = next(((a, b) for a, b in ev.anchors if s <= a < e), (ev.start, ev.end))
            d = _dates(doc, s, e, anchor, lang)
            if d:
                ev.props.update(d)
                break
        # venue
        for s, e in sentences:
            if (s, e) != def_sent and not _HELD_VERB.search(text[s:e]):
                continue
            others = [(a, b) for o in events if o is not ev for a, b in o.anchors if s <= a < e]
            anchor = next(((a, b) for a, b in ev.anchors if s <= a < e), (ev.start, ev.end))
            person_titles = [sp for p in people for sp in p.title_spans if s <= sp[0] < e]
            v = _venue(doc, s, e, anchor, person_titles)
            if v and others and min(abs(a - v.start) for a, _ in others) < abs(anchor[0] - v.start):
                v = None      # the place belongs to another event of the sentence
            if v:
                link("HELD_AT", ev.key, v.node_id, (s, e))
                break
        # organisers and participants
        for s, e in sentences:
            for hit, trig in _organisers(doc, s, e, lang):
                owner = _nearest_event(events, s, e, trig[0])
                if owner is ev:
                    link("ORGANIZED", hit.node_id, ev.key, (s, e))
            if _PART_VERB.search(text[s:e]) and _nearest_event(events, s, e, _PART_VERB.search(text[s:e]).start() + s) is ev:
                # named people and organisations' representatives who took part
                for p in people:
                    if s <= p.start < e:
                        participants_found.append((p.key, ev.key, (s, e)))
                for h in doc.known_in(s, e):
                    if h.node_id.split(":")[0] in _ORG_PREFIXES and re.match(
                            r"(?:[-‐]\w{1,5})?\s+(?:өкілдері|өкілі|представител\w*|қызметкерлері|сотрудник\w*)", text[h.end:h.end + 30]):
                        participants_found.append((h.node_id, ev.key, (s, e)))
            if "participants" not in ev.props:
                p = _participants(doc, s, e, lang)
                if p and _nearest_event(events, s, e, p[2][0]) is ev:
                    ev.props["participants"] = p[0]
                    if p[1]:
                        ev.props["participants_qualifier"] = p[1]
        ev.props.setdefault("start_date", None)
        ev.props.setdefault("end_date", None)

    # speakers: sentence by sentence
    for s, e in doc.sentences:
        lang = _clause_lang(text, s)
        verbs = list((_SPEECH_KK if lang == "kk" else _SPEECH_RU).finditer(text, s, e))
        if not verbs:
            continue
        verb = verbs[-1]
        ev = _nearest_event(events, s, e, verb.start())
        if ev is None:
            # `С докладом выступил ...` right after the sentence that names the event
            para = text.rfind("\n\n", 0, s)
            before = [(a, o) for o in events for a, _ in o.anchors if para < a < s]
            if not before:
                continue
            ev = max(before, key=lambda x: x[0])[1]
        speakers = [p for p in people if s <= p.start < e and (lang == "ru" or p.start < verb.start())]
        if not speakers and _QUOTE_VERB.search(text[s:e]):
            intro = [p for p in people if p.end <= s and s - p.end < 1500
                     and re.match(r"[\s\u00a0]*[:—–-][\s\u00a0]*[\"«“]", text[p.end:p.end + 6])]
            if intro:
                speakers = [intro[-1]]
        if not speakers and _HEAD_OF_STATE.search(text[s:verb.start()]):
            keys = {p.key for p in people if any(is_head_of_state_title(t) for t in p.titles)}
            if len(keys) == 1:
                k = next(iter(keys))
                speakers = [next(p for p in people if p.key == k)]
        last_end = max((p.end for p in speakers if p.start >= s), default=s)
        topic = _topic(doc, s, verb.start(), last_end, lang)
        for p in speakers:
            link("SPOKE_AT", p.key, ev.key, (s, e), {"topic": topic} if topic else {}, conf=0.7)

    for start, end, evidence in participants_found:
        if ("SPOKE_AT", start, end) not in links and ("ORGANIZED", start, end) not in links:
            link("PARTICIPATED_IN", start, end, evidence, conf=0.7)

    for ev in events:
        props = {"kind": ev.kind, **{k: v for k, v in ev.props.items() if not k.startswith("_")}}
        if ev.title:
            props["title"] = ev.title
        if ev.ordinal:
            props["ordinal"] = ev.ordinal
        found.findings.append(Finding(
            label="Event", name=ev.name, start=ev.start, end=ev.end, key=ev.key, props=props,
            aliases=ev.aliases, confidence=0.85 if ev.title else 0.75,
        ))
    found.links.extend(links.values())
    return found
