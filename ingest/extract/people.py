"""People named in Kazakh and Russian texts, with the titles and positions written next to them.

A person is a capitalised name *with evidence*: initials (`Н.Назарбаев`, `Н.Ә. Назарбаев`,
`Иванов А.Б.`), a patronymic (`Керімбекұлы`, `-қызы`, `-ович`, `-овна`), a surname suffix
(`-ов/-ев/-ин`, `-ова/-ева/-ина`, `-ұлы`, ...) next to another capitalised word, a given name from
a short list of common Kazakh and Russian names, or a title right before the name
(`профессор`, `аға оқытушысы`, `министр`). Religious titles may stand between the names
(`Еркінбек қари Керімбекұлы`: `қари`, `қажы`, `имам`, `молда`, ...) and stay in the name.
Words that the gazetteer knows (places, organisations), month names and title words
themselves are never part of a name, so `Қазақстан Республикасы`, `Алматы қаласы`,
`қазан` and a bare `Премьер-Министрі` give no person.

Normal form of a name:
- with initials: `Н.Ә. Назарбаев` (initials joined, one space, the surname in the nominative);
- otherwise the words in the order written, the last one (Kazakh inflects only the last word
  of a name) in the nominative: `Қайрат Затовтың` → `Қайрат Затов`, `Берікбаев Елнар`,
  `Еркінбек қари Керімбекұлы`;
- a surname loses its case ending by a rule for surname endings (`Назарбаевтың` → `Назарбаев`,
  `Керімбекұлына` → `Керімбекұлы`, Russian `Ивановым` → `Иванов`, `Ивановой` → `Иванова`).
Mentions of one person (same nominative surname, compatible initials) are merged; the fullest
form is the name, the others are aliases, and a later bare surname (`Затов атап өтті`) is
another mention of the same person.

Titles are the comma-separated phrases written right before the name (Kazakh and Russian),
or right after it behind a comma (Russian `Иванов, профессор КазНУ`), as written; a
leading affiliation that is an abbreviation or a quoted name (`ҚазҰУ-дың`, `"Нұр-Мүбарак"
ЕИУ`) goes to `props["affiliation"]`, and then a possessive head with nothing but an adjective
or a postposition before it loses the possessive (`ҚазҰУ-дың ... бойынша сарапшысы` →
`... бойынша сарапшы`). A title holding a known organisation (a gazetteer hit of a state body,
religious association or council) gives HOLDS_POSITION with the position as a plain noun
(`Алматы Орталық мешітінің Бас имамы` → `Бас имам` at association:kz-almaty-central-mosque;
`Қазақстан Республикасының Президенті` → `Президент` at statebody:kz-president). When exactly
one person in the document has a head-of-state title (`Президент`, `Елбасы`, ...), a bare
`Мемлекет басшысы` / `Глава государства` elsewhere in the text is added to their titles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.dates import MONTH_WORDS
from ingest.extract.base import DocText, Finding, Found, Link
from ingest.gazetteer import Match
from kb.text import fold

__all__ = [
    "PersonMention", "find_people", "extract_people", "surname_nominative", "title_head",
    "is_head_of_state_title", "HEAD_OF_STATE_TITLES",
]

UP = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
LO = "a-zа-яёәғқңөұүһі"
_CAP_WORD = rf"[{UP}][{LO}]+(?:-[{UP}]?[{LO}]+)?"
_INITIALS = rf"(?:[{UP}]\.[ \t\u00a0]*\n?[ \t\u00a0]*){{1,2}}"
_GAP = r"[ \t\u00a0]+\n?[ \t\u00a0]*|\n[ \t\u00a0]*"          # spaces, at most one line break
_ORG_PREFIXES = ("statebody", "association", "council")

# ---------------------------------------------------------------- vocabularies

RELIGIOUS_IN_NAME = frozenset({"қари", "қажы", "имам", "молда", "ахун", "ишан", "хазірет", "шейх", "қожа", "хаджи", "кари"})

# Title heads, in the base (unpossessed) form; Kazakh possessive forms are recognised by rule.
TITLE_HEADS = frozenset({
    # Kazakh
    "профессор", "доцент", "академик", "доктор", "кандидат", "магистр", "докторант", "оқытушы",
    "ұстаз", "сарапшы", "маман", "зерттеуші", "ғалым", "дінтанушы", "теолог", "имам", "наиб",
    "мүфти", "мүфтий", "қазы", "төраға", "орынбасар", "басшы", "бастық", "директор", "меңгеруші",
    "жетекші", "хатшы", "әкім", "министр", "вице-министр", "премьер-министр", "президент",
    "депутат", "сенатор", "спикер", "елші", "консул", "прокурор", "судья", "ректор", "проректор",
    "декан", "қызметкер", "өкіл", "кеңесші", "елбасы", "журналист", "психолог", "заңгер",
    "инспектор", "митрополит", "епископ", "архиепископ", "пастор", "священник", "раввин",
    "төрайым", "уәкіл", "аким",
    # Russian
    "преподаватель", "эксперт", "специалист", "исследователь", "ученый", "религиовед", "богослов",
    "муфтий", "председатель", "заместитель", "руководитель", "начальник", "заведующий", "секретарь",
    "посол", "сотрудник", "представитель", "советник", "юрист", "глава", "протоиерей",
    "первый", "главный", "старший", "верховный",
})
# Russian words that are heads only with a following word (`главный имам`): kept out of `title_head`.
_RU_ADJ_HEADS = frozenset({"первый", "главный", "старший", "верховный"})
# Multi-word titles that mean the head of state (a bare one refers to the president named in the document).
HEAD_OF_STATE_TITLES = ("президент", "елбасы", "мемлекет басшысы", "глава государства", "первый президент")

_ROLE_TITLES = [(r"Мемлекет\s+басшы", "Мемлекет басшысы"), (r"Глав\w+\s+государства", "Глава государства")]

FIRST_NAMES = frozenset(fold(n) for n in """
Нұрсұлтан Қасым-Жомарт Асқар Ерлан Серік Бауыржан Нұрлан Дәурен Айдос Ерболат Марат Мұрат Ербол
Қайрат Болат Дәулет Ержан Арман Азамат Бақыт Бақытжан Ғалым Талғат Жанар Гүлнар Айгүл Динара Сәуле
Әсел Айжан Мәдина Ақмарал Самал Әлия Арайлым Жандос Еркін Ерік Нұржан Аслан Мақсат Әділ Рахат
Асхат Серікжан Мұхтар Ілияс Дархан Әлихан Ахмет Мұхаммед Мұхамеджан Абдулла Сұлтан Бекзат Алмас
Ерназар Нұрбол Елдос Олжас Бейбіт Қанат Жомарт Әлібек Ерсін Ринат Тимур Руслан Ерғали Сейіт Шәкен
Кайрат Аскар Нурлан Серик Нурсултан Касым-Жомарт Мурат Даулет Бахыт Галым Талгат Гульнар Айгуль
Сауле Асель Мадина Алия Алихан Мухтар Ильяс Канат Бейбит Максат Адиль Ерлан Дархан
Александр Алексей Андрей Сергей Владимир Дмитрий Николай Иван Михаил Евгений Юрий Виктор Игорь
Олег Павел Петр Анатолий Геннадий Валерий Анна Елена Ольга Наталья Татьяна Ирина Мария Светлана
Людмила Галина Екатерина Марина
""".split())

_MONTHS = MONTH_WORDS
# capitalised words that are never part of a name
_STOP = frozenset("""қазақстан республика республикасы республикасының үкімет үкіметі министрлік
бұл осы сол ол олар біз сондай-ақ сондықтан алайда бірақ айта кейін және мен ал
казахстан республики республика правительство министерство это этот в на по с и а также
бағдарлама бағдарламасы заң заңы кодекс кодексі жарлық жарлығы қаулы қаулысы
университет университеті институт институты академия академиясы орталық орталығы мешіт мешіті
қала қаласы облыс облысы аудан ауданы""".split()) | _MONTHS

_KK_CASES = sorted("""ның нің дың дің тың тің на не а е ға ге қа ке ны ні ды ді ты ті н да де та те нда нде
дан ден тан тен нан нен мен бен пен менен""".split(), key=len, reverse=True)
_SURNAME_END = re.compile(r"(?:ов|ев|ёв|ин|ын|ова|ева|ёва|ина|ына|ұлы|улы|қызы|кызы|ович|евич|ична|овна|евна|ский|ская|цкий|цкая)$")
_PATRONYMIC_END = re.compile(r"(?:ұлы|улы|қызы|кызы|ович|евич|ьич|ична|овна|евна)$")
_RU_SURNAME_CASE = [("ым", ""), ("ом", ""), ("у", ""), ("е", ""), ("ой", "а"), ("ую", "а")]

_KK_STOP_WORDS = frozenset("""және мен пен бен деп деген ал да де ол олар бұл осы сол оның оған оларға және
немесе сондай-ақ қатысуымен арқылы ретінде кейін бері үшін""".split())
_RU_STOP_WORDS = frozenset("""и или а но с со в во на по для от о об при к ко у за из под над между что как
выступил выступила выступили отметил отметила заявил заявила сказал сказала также""".split())
_KK_ADJ_MODIFIERS = frozenset({"бойынша", "жөніндегі", "жөнінен", "аға", "бас", "кіші", "жетекші", "үлкен", "бірінші", "ресми"})
_KK_ADJ_SUFFIX = re.compile(r"(?:лық|лік|дық|дік|тық|тік|ғы|гі|қы|кі|дағы|дегі|тағы|тегі|ндағы|ндегі|ы|і)$")
_KK_GENITIVE = re.compile(r"(?:ның|нің|дың|дің|тың|тің)$")
# case endings (not genitive) and verb endings that end a title phrase when walking back from a name
_KK_PHRASE_STOP = re.compile(
    r"(?:нда|нде|да|де|та|те|ға|ге|қа|ке|на|не|дан|ден|тан|тен|нан|нен|мен|бен|пен|ны|ні|ды|ді|ты|ті"
    r"|ған|ген|қан|кен|ып|іп|йды|йді|ады|еді|атын|етін|йтын|йтін)$")

_TOKEN = re.compile(r"«[^«»\n]{1,80}»|\"[^\"\n]{1,80}\"|“[^“”\n]{1,80}”|\w+(?:[-‐‑]\w+)*|[^\w\s]")


# ---------------------------------------------------------------- small helpers

def _lang_of(text: str) -> str:
    return "kk" if re.search(r"[әғқңөұүһі]", text.lower()) else "ru"


def _is_abbrev(word: str) -> bool:
    core = re.split(r"[-‐‑]", word)[0]
    letters = [c for c in core if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 2 and not core[1:].islower()


def _depossess(word: str) -> str:
    """`сарапшысы` → `сарапшы`, `докторы` → `доктор`, `бастығы` → `бастық` (lowercase in, out)."""
    w = word
    if len(w) > 4 and w.endswith(("сы", "сі")) and w[-3] in "аәеоөұүыіэюяиу":
        return w[:-2]
    if len(w) > 3 and w.endswith(("ы", "і")) and w[-2] not in "аәеоөұүыіэюяиу":
        stem = w[:-1]
        return stem[:-1] + {"г": "к", "ғ": "қ", "б": "п"}.get(stem[-1], stem[-1])
    return w


def title_head(word: str) -> str | None:
    """The base form of a title word (`оқытушысы` → `оқытушы`, `Премьер-Министрі` →
    `премьер-министр`), or None if the word is not a title."""
    w = fold(word).replace(" ", "-")
    for cand in (w, _depossess(w), w[:-1] if w.endswith(("ы", "і")) else w):
        if cand in TITLE_HEADS and cand not in _RU_ADJ_HEADS:
            return cand
    return None


def is_head_of_state_title(title: str) -> bool:
    t = fold(title)
    return any(h in t for h in HEAD_OF_STATE_TITLES)


def surname_nominative(word: str, lang: str = "kk") -> str:
    """A surname (or patronymic) without its case ending: `Назарбаевтың` → `Назарбаев`,
    `Керімбекұлына` → `Керімбекұлы`, `Ивановым` → `Иванов`. Other words are returned as is."""
    low = word.lower()
    for suf in _KK_CASES:   # a patronymic with a case ending: Керімбекұлына (not a surname in -ина)
        if low.endswith(suf) and re.search(r"(?:ұлы|улы|қызы|кызы)$", low[: -len(suf)]):
            return word[: -len(suf)]
    if _SURNAME_END.search(low):
        return word
    for suf in _KK_CASES:
        if low.endswith(suf) and _SURNAME_END.search(low[: -len(suf)]) and len(low) - len(suf) >= 4:
            return word[: -len(suf)]
    if lang == "ru" or not re.search(r"[әғқңөұүһі]", low):
        for suf, repl in _RU_SURNAME_CASE:
            if low.endswith(suf) and re.search(r"(?:ов|ев|ёв|ин|ын)$", low[: -len(suf)]):
                return word[: -len(suf)] + repl
    return word


def _given_nominative(word: str, lang: str) -> str:
    if lang != "ru" or fold(word) in FIRST_NAMES:
        return word
    try:
        from kb.morph import _analyzer
        for p in _analyzer().parse(word):
            if "Name" in p.tag:
                nf = p.inflect({"nomn"})
                if nf:
                    return nf.word[:1].upper() + nf.word[1:]
    except Exception:  # pragma: no cover - pymorphy missing
        pass
    return word


def _has_surname_end(word: str, lang: str) -> bool:
    nom = surname_nominative(word, lang).lower()
    if not _SURNAME_END.search(nom):
        return False
    if re.search(r"(?:ский|ская|цкий|цкая)$", nom):   # Russian adjectives too: only a known surname
        try:
            from kb.morph import _analyzer
            return _analyzer().word_is_known(nom) and any("Surn" in p.tag for p in _analyzer().parse(nom))
        except Exception:  # pragma: no cover
            return False
    return True


# ---------------------------------------------------------------- mentions

@dataclass
class PersonMention:
    start: int
    end: int
    surname: str                      # nominative surname (or patronymic, or the only name)
    given: str | None = None          # given name as written (nominative)
    initials: str = ""                # "Н.Ә."
    middle: str | None = None         # religious title inside the name, or a Russian patronymic
    order: str = "given-first"        # or "surname-first"
    titles: list[str] = field(default_factory=list)
    title_spans: list[tuple[int, int]] = field(default_factory=list)
    affiliation: str | None = None
    positions: list[tuple[str, str, tuple[int, int]]] = field(default_factory=list)  # (org id, position, span)
    key: str = ""

    @property
    def surname_key(self) -> str:
        return fold(self.surname)

    @property
    def first_letter(self) -> str | None:
        if self.initials:
            return self.initials[0].upper()
        if self.given:
            return self.given[0].upper()
        return None

    @property
    def richness(self) -> int:
        return (3 if self.given else 0) + len(self.initials.replace(".", "")) + (1 if self.middle else 0)

    @property
    def name(self) -> str:
        if self.initials:
            return f"{self.initials} {self.surname}"
        parts = [self.given, self.middle, self.surname] if self.order == "given-first" else [self.surname, self.given, self.middle]
        return " ".join(p for p in parts if p)


def _covered(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a < e and s < b for a, b in spans)


def _hit_at(matches: list[Match], s: int, e: int) -> Match | None:
    for m in matches:
        if m.start < e and s < m.end:
            return m
    return None


def _bad_name_word(word: str, s: int, e: int, doc: DocText) -> bool:
    f = fold(word)
    return (f in _STOP or title_head(word) is not None or _is_abbrev(word)
            or _hit_at(doc.matches, s, e) is not None or f in RELIGIOUS_IN_NAME)


def _raw_mentions(doc: DocText) -> list[PersonMention]:
    text, lang = doc.text, doc.language or "kk"
    out: list[PersonMention] = []
    taken: list[tuple[int, int]] = []

    def add(m: PersonMention) -> None:
        # eponyms in names of organisations and places: `Л.Н. Гумилев атындағы`, `имени Абая`
        if re.match(r"[\s\u00a0]*атындағы", text[m.end:m.end + 20]) or re.search(r"(?:имени|им\.)[\s\u00a0]*$", text[max(0, m.start - 8):m.start]):
            taken.append((m.start, m.end))
            return
        if not _covered(taken, m.start, m.end):
            out.append(m)
            taken.append((m.start, m.end))

    # 1. initials + surname: Н.Назарбаев, Н.Ә. Назарбаев, Ә. Смайылов
    for m in re.finditer(rf"(?<![\w.])(?P<ini>{_INITIALS})(?P<sur>{_CAP_WORD})", text):
        sur = m.group("sur")
        ini = re.sub(r"\s+", "", m.group("ini")).upper()
        if _bad_name_word(sur, m.start("sur"), m.end("sur"), doc) or len(sur) < 3:
            continue
        if not _has_surname_end(sur, lang) and (_looks_inflected(sur) or re.search(r"(?:сы|сі|лар|лер|дар|дер|тар|тер)$", sur)
                                                 or len(ini) == 2 and not _title_before(text, m.start())):
            continue   # `А. Бекітілсін`: a list letter, not an initial
        add(PersonMention(m.start(), m.end(), surname_nominative(sur, _lang_of(sur) if lang != "ru" else "ru"), initials=ini))
    # 1b. surname + initials: Иванов А.Б.
    for m in re.finditer(rf"(?<![\w.])(?P<sur>{_CAP_WORD})[ \t\u00a0]+(?P<ini>(?:[{UP}]\.[ \t\u00a0]?){{1,2}})(?![\w])", text):
        sur = m.group("sur")
        if _bad_name_word(sur, m.start("sur"), m.end("sur"), doc) or not _has_surname_end(sur, lang):
            continue
        ini = re.sub(r"\s+", "", m.group("ini")).upper()
        add(PersonMention(m.start(), m.end("ini"), surname_nominative(sur, lang), initials=ini, order="surname-first"))

    # 2. capitalised words: given + [religious title] + surname, surname + given, Russian triples
    words = [(w.start(), w.end(), w.group()) for w in re.finditer(rf"(?<![\w.]){_CAP_WORD}(?![\w])|(?<![\w.])[{LO}]+(?![\w])", text)]
    i = 0
    while i < len(words) - 1:
        s1, e1, w1 = words[i]
        if not w1[0].isupper() or _covered(taken, s1, e1) or _bad_name_word(w1, s1, e1, doc) or _looks_inflected(w1):
            i += 1
            continue
        j = i + 1
        middle = None
        if fold(words[j][2]) in RELIGIOUS_IN_NAME and j + 1 < len(words) and re.fullmatch(_GAP, text[e1:words[j][0]]):
            middle, j = words[j][2], j + 1
        s2, e2, w2 = words[j]
        prev_end = words[j - 1][1]
        if not w2[0].isupper() or not re.fullmatch(_GAP, text[prev_end:s2]) or _bad_name_word(w2, s2, e2, doc):
            i += 1
            continue
        # a third word: Russian patronymic (Иван Иванович Иванов) or surname-first triple
        third = None
        if j + 1 < len(words):
            s3, e3, w3 = words[j + 1]
            if (w3[0].isupper() and re.fullmatch(_GAP, text[e2:s3]) and not _bad_name_word(w3, s3, e3, doc)
                    and (_PATRONYMIC_END.search(w2.lower()) or _PATRONYMIC_END.search(surname_nominative(w3, lang).lower()))):
                third = (s3, e3, w3)
        lang_w = _lang_of(w1 + w2)
        n1, n2 = surname_nominative(w1, lang_w), surname_nominative(w2, lang_w)
        titled = _title_before(text, s1)
        mention = None
        if third:
            s3, e3, w3 = third
            n3 = surname_nominative(w3, lang_w)
            if _PATRONYMIC_END.search(fold(w2)):          # Иван Иванович Иванов
                mention = PersonMention(s1, e3, n3, given=_given_nominative(w1, lang_w), middle=w2)
            else:                                           # Иванов Иван Иванович
                mention = PersonMention(s1, e3, w1 if _has_surname_end(w1, lang_w) else n1,
                                        given=w2, middle=n3, order="surname-first")
        elif _PATRONYMIC_END.search(fold(n2)) or (middle and _has_surname_end(w2, lang_w)):
            mention = PersonMention(s1, e2, n2, given=w1, middle=middle)
        elif middle is None and _has_surname_end(w2, lang_w) and not _has_surname_end(w1, lang_w):
            # given + surname: the first word must read as a given name (uninflected, not a common word)
            if fold(w1) in FIRST_NAMES or titled or (not _looks_inflected(w1) and (lang_w == "kk" or _ru_name(w1))):
                mention = PersonMention(s1, e2, n2, given=_given_nominative(w1, lang_w))
        elif middle is None and _has_surname_end(w1, lang_w) and (fold(w2) in FIRST_NAMES or titled):
            # surname first: Берікбаев Елнар (the given name carries the case ending)
            mention = PersonMention(s1, e2, w1, given=_strip_kk_case_given(w2), order="surname-first")
        elif middle is None and fold(w1) in FIRST_NAMES and not _looks_inflected(w1):
            mention = PersonMention(s1, e2, n2, given=w1)
        elif middle is None and titled and not _looks_inflected(w1):
            mention = PersonMention(s1, e2, n2, given=w1)
        if mention:
            add(mention)
            i = j + (2 if third else 1)
        else:
            i += 1

    # 3. title + single surname: профессор Иванов, министр Затовтың
    for m in re.finditer(rf"(?<![\w.])(?P<sur>{_CAP_WORD})(?![\w.])", text):
        s, e, sur = m.start(), m.end(), m.group()
        if _covered(taken, s, e) or _bad_name_word(sur, s, e, doc) or not _has_surname_end(sur, lang):
            continue
        if _title_before(text, s, adjacent=True):
            add(PersonMention(s, e, surname_nominative(sur, lang)))
    out.sort(key=lambda p: p.start)
    return out


def _looks_inflected(word: str) -> bool:
    """A Kazakh word with a case ending that a given name before a surname would not carry."""
    low = word.lower()
    if fold(word) in FIRST_NAMES:
        return False
    return bool(re.search(r"(?:ның|нің|дың|дің|тың|тің|нда|нде|ында|інде|ға|ге|қа|ке|дан|ден|тан|тен|мен|нан|нен)$", low)) and len(low) > 5


def _ru_name(word: str) -> bool:
    """pymorphy3 reads the word as a given name (or does not know it at all)."""
    try:
        from kb.morph import _analyzer
        parses = _analyzer().parse(word)
    except Exception:  # pragma: no cover
        return True
    if any("Name" in p.tag for p in parses):
        return True
    return not _analyzer().word_is_known(word.lower())


def _strip_kk_case_given(word: str) -> str:
    low = word.lower()
    if fold(word) in FIRST_NAMES:
        return word
    for suf in ("ның", "нің", "дың", "дің", "тың", "тің", "ға", "ге", "қа", "ке", "мен", "бен", "пен", "ды", "ді", "ты", "ті"):
        if low.endswith(suf) and len(low) - len(suf) >= 3:
            return word[: -len(suf)]
    return word


def _title_before(text: str, pos: int, adjacent: bool = False) -> bool:
    """Is the word right before `pos` (ignoring spaces; a comma too unless `adjacent`) a title?"""
    left = text[max(0, pos - 60):pos]
    m = re.search(r"([\w-]+)[\s\u00a0]*$" if adjacent else r"([\w-]+)[\s\u00a0,]*$", left)
    if not m:
        return False
    w = m.group(1)
    if title_head(w):
        return True
    return fold(w) in _RU_ADJ_HEADS


# ---------------------------------------------------------------- titles

@dataclass
class _Tok:
    start: int
    end: int
    text: str

    @property
    def is_word(self) -> bool:
        return bool(re.match(r"\w", self.text))

    @property
    def is_quote(self) -> bool:
        return self.text[:1] in "«\"“"


def _tokens(text: str, start: int, end: int) -> list[_Tok]:
    return [_Tok(m.start() + start, m.end() + start, m.group()) for m in _TOKEN.finditer(text[start:end])]


def _titles_before(doc: DocText, person: PersonMention, left_limit: int) -> None:
    """Fill `person.titles`, affiliation and positions from the phrases right before the name."""
    text = doc.text
    sent_start, _ = doc.sentence(person.start, person.end)
    seg_start = max(sent_start, left_limit)
    para = text.rfind("\n\n", seg_start, person.start)
    if para >= 0:
        seg_start = para + 2
    toks = _tokens(text, seg_start, person.start)
    lang = _lang_of(text[seg_start:person.end]) if doc.language != "ru" else "ru"
    pieces: list[list[_Tok]] = []
    affiliation: list[_Tok] = []
    k = len(toks) - 1
    while k >= 0:
        piece: list[_Tok] = []
        head_seen = False
        while k >= 0:
            t = toks[k]
            hit = _hit_at(doc.matches, t.start, t.end)
            if hit and hit.node_id.split(":")[0] in _ORG_PREFIXES + ("region",) and piece:
                # a known organisation (or place) modifying the title: take the whole hit
                while k >= 0 and toks[k].start >= hit.start:
                    piece.insert(0, toks[k])
                    k -= 1
                continue
            if not t.is_word and not t.is_quote:
                break
            low = fold(t.text).replace(" ", "-")
            if t.is_quote:
                if piece and piece[0].is_word and _is_abbrev(piece[0].text):
                    piece.insert(0, t)
                    k -= 1
                    continue
                if piece:
                    piece.insert(0, t)
                    k -= 1
                    continue
                break
            if lang == "kk":
                if low in _KK_STOP_WORDS and not (low == "және" and piece and k > 0 and toks[k - 1].is_word
                                                  and (toks[k - 1].text[0].isupper() or _is_abbrev(toks[k - 1].text))):
                    break
                if not piece and not (title_head(t.text) or fold(t.text) in RELIGIOUS_IN_NAME):
                    break
                if piece and not title_head(t.text) and not _KK_GENITIVE.search(low) and _KK_PHRASE_STOP.search(low) \
                        and len(low) > 4 and not _is_abbrev(t.text):
                    break
            else:
                if low in _RU_STOP_WORDS:
                    break
                if not piece and not (title_head(t.text) or low in _RU_ADJ_HEADS or _ru_title_tail(t.text)):
                    break
                if piece and _ru_is_verb(t.text):
                    break
            if title_head(t.text):
                head_seen = True
            piece.insert(0, t)
            k -= 1
            if len(piece) > 9:
                break
        if not piece or not head_seen and lang == "kk":
            break
        # an abbreviation (with an optional quoted name before it) at the left edge is the affiliation
        aff: list[_Tok] = []
        while piece and (piece[0].is_word and _is_abbrev(piece[0].text) and not _hit_at(doc.matches, piece[0].start, piece[0].end)
                         or piece[0].is_quote and len(piece) > 1 and _is_abbrev(piece[1].text)):
            aff.append(piece.pop(0))
        if aff and not affiliation:
            affiliation = aff
        if lang == "ru":
            piece = _ru_trim(piece)
        if piece:
            pieces.insert(0, (piece, bool(aff)))
        # another title before, behind a comma
        if k >= 0 and toks[k].text == "," and k - 1 >= 0 and (title_head(toks[k - 1].text) or _ru_title_tail(toks[k - 1].text)):
            k -= 1
            continue
        break
    for piece, had_aff in pieces:
        s, e = piece[0].start, piece[-1].end
        raw = re.sub(r"\s+", " ", text[s:e]).strip()
        title = _normal_title(piece, raw, had_aff, lang)
        if title and fold(title) not in {fold(t) for t in person.titles}:
            person.titles.append(title)
            person.title_spans.append((s, e))
            _positions(doc, person, piece, lang)
    if affiliation and not person.affiliation:
        s, e = affiliation[0].start, affiliation[-1].end
        aff = re.sub(r"[-‐‑](?:ның|нің|дың|дің|тың|тің)$", "", re.sub(r"\s+", " ", text[s:e]))
        person.affiliation = aff.replace("“", "\"").replace("”", "\"")


def _ru_is_verb(word: str) -> bool:
    try:
        from kb.morph import _analyzer
        tag = _analyzer().parse(word.lower())[0].tag
        return tag.POS in {"VERB", "INFN", "PRTS", "GRND", "PREP", "CONJ", "PRCL"}
    except Exception:  # pragma: no cover
        return False


def _ru_title_tail(word: str) -> bool:
    """Russian titles end in a genitive complement (`министр культуры`, `профессор КазНУ`)."""
    return bool(re.match(rf"[{UP}{LO}]", word)) and not _ru_is_verb(word)


def _ru_trim(piece: list[_Tok]) -> list[_Tok]:
    """Keep a Russian title from its first head (with the adjectives right before it) on."""
    idx = next((i for i, t in enumerate(piece) if title_head(t.text) or fold(t.text) in _RU_ADJ_HEADS), None)
    if idx is None:
        return []
    return piece[idx:]


def _normal_title(piece: list[_Tok], raw: str, had_aff: bool, lang: str) -> str:
    words = [t for t in piece if t.is_word]
    if not words:
        return ""
    if lang == "kk" and had_aff and not any(_KK_GENITIVE.search(fold(w.text)) for w in words):
        head = words[-1]
        before = fold(words[-2].text) if len(words) > 1 else None
        if before is None or before in _KK_ADJ_MODIFIERS or (_KK_ADJ_SUFFIX.search(before) and not re.search(r"[a-z]", before)):
            low = head.text.lower()
            plain = _depossess(low)
            if plain != low and title_head(plain):
                return raw[: len(raw) - len(head.text)] + head.text[: len(plain)]
    return raw


def _positions(doc: DocText, person: PersonMention, piece: list[_Tok], lang: str) -> None:
    s, e = piece[0].start, piece[-1].end
    for hit in doc.known_in(s, e):
        if hit.node_id.split(":")[0] not in _ORG_PREFIXES:
            continue
        rest = [t for t in piece if t.is_word and (t.end <= hit.start or t.start >= hit.end)]
        if rest:
            pos_words = [t.text for t in rest]
        else:  # the hit is the office itself: Қазақстан Республикасының Президенті
            heads = [t for t in piece if t.is_word and title_head(t.text)]
            pos_words = [(heads[0] if heads else [t for t in piece if t.is_word][-1]).text]
        if lang == "kk":
            pos_words[-1] = pos_words[-1][: len(_depossess(pos_words[-1].lower()))]
        position = " ".join(pos_words)
        if position and not any(p[0] == hit.node_id for p in person.positions):
            person.positions.append((hit.node_id, position, (s, e)))


def _titles_after(doc: DocText, person: PersonMention, next_start: int | None) -> None:
    """Russian apposition: `А.Б. Иванов, профессор КазНУ,` (not a title of the next person
    in a list: `Болат Сейітов, дінтанушы Айгерім Нұрланқызы`)."""
    text = doc.text
    m = re.match(r",[ \t\u00a0]*([^,;.()\n]{3,80})", text[person.end:person.end + 90])
    if not m or next_start is not None and next_start < person.end + m.end(1) + 1:
        return
    phrase = m.group(1).strip()
    first = phrase.split()[0] if phrase.split() else ""
    if not first or first[0].isupper() or not (title_head(first) or fold(first) in _RU_ADJ_HEADS):
        return
    phrase = re.split(r"\s+(?:и|және|выступил\w*|отметил\w*|заявил\w*)\s", phrase)[0].strip()
    if fold(phrase) not in {fold(t) for t in person.titles}:
        s = person.end + m.start(1)
        person.titles.append(phrase)
        person.title_spans.append((s, s + len(phrase)))
        toks = _tokens(text, s, s + len(phrase))
        if toks:
            _positions(doc, person, toks, "ru")


# ---------------------------------------------------------------- grouping

def _compatible(a: PersonMention, b: PersonMention) -> bool:
    if a.surname_key != b.surname_key:
        return False
    fa, fb = a.first_letter, b.first_letter
    return fa is None or fb is None or fa == fb


def find_people(doc: DocText) -> list[PersonMention]:
    """Every person mention in the text, in order, each with its person's `key` (one key per
    person in the document), titles, affiliation and positions."""
    mentions = _raw_mentions(doc)
    prev_end = 0
    for i, p in enumerate(mentions):
        _titles_before(doc, p, prev_end)
        _titles_after(doc, p, mentions[i + 1].start if i + 1 < len(mentions) else None)
        prev_end = p.end
    # later bare surnames of known people: `Затов атап өтті`
    known = {p.surname_key for p in mentions}
    taken = [(p.start, p.end) for p in mentions]
    extra = []
    for m in re.finditer(rf"(?<![\w.]){_CAP_WORD}(?![\w])", doc.text):
        if _covered(taken, m.start(), m.end()):
            continue
        nom = surname_nominative(m.group(), doc.language or "kk")
        if fold(nom) in known and _has_surname_end(nom, doc.language or "kk") and not _hit_at(doc.matches, m.start(), m.end()):
            nxt = doc.text[m.end():m.end() + 30].lstrip()
            if nxt[:1].isupper():      # `Назарбаев Университеті`: part of another name
                continue
            extra.append(PersonMention(m.start(), m.end(), nom))
    mentions = sorted(mentions + extra, key=lambda p: p.start)
    # group
    groups: list[list[PersonMention]] = []
    for p in mentions:
        for g in groups:
            if all(_compatible(p, q) for q in g):
                g.append(p)
                break
        else:
            groups.append([p])
    by_surname: dict[str, int] = {}
    for g in groups:
        by_surname[g[0].surname_key] = by_surname.get(g[0].surname_key, 0) + 1
    for g in groups:
        letter = next((q.first_letter for q in g if q.first_letter), None)
        key = "person#" + g[0].surname_key.replace(" ", "-")
        if by_surname[g[0].surname_key] > 1 and letter:
            key += "-" + fold(letter)
        for q in g:
            q.key = key
    return mentions


def _best(group: list[PersonMention]) -> PersonMention:
    return max(group, key=lambda p: (p.richness, -p.start))


def extract_people(doc: DocText) -> Found:
    """Person findings (one per person in the document) with `titles` (and `affiliation` when
    written), and HOLDS_POSITION links to the known organisations named in their titles."""
    found = Found()
    mentions = find_people(doc)
    groups: dict[str, list[PersonMention]] = {}
    for p in mentions:
        groups.setdefault(p.key, []).append(p)
    # a bare `Мемлекет басшысы` / `Елбасы` / `Глава государства` is the document's one head of state
    heads = [k for k, g in groups.items() if any(is_head_of_state_title(t) for q in g for t in q.titles)]
    role_titles: list[str] = []
    if len(heads) == 1:
        for pattern, title in _ROLE_TITLES:
            if re.search(pattern, doc.text):
                role_titles.append(title)
    for key, group in groups.items():
        best = _best(group)
        first = group[0]
        titles: list[str] = []
        for q in group:
            for t in q.titles:
                if fold(t) not in {fold(x) for x in titles}:
                    titles.append(t)
        if key in heads:
            for t in role_titles:
                if fold(t) not in {fold(x) for x in titles}:
                    titles.append(t)
        names = []
        for q in group:
            if q.name not in names:
                names.append(q.name)
        props: dict = {"titles": titles}
        aff = next((q.affiliation for q in group if q.affiliation), None)
        if aff:
            props["affiliation"] = aff
        evidence = best if best.initials or best.given else first
        confidence = 0.9 if (best.initials or best.given or best.titles) else 0.6
        found.findings.append(Finding(
            label="Person", name=best.name, start=evidence.start, end=evidence.end, key=key, props=props,
            aliases=[n for n in names if n != best.name], confidence=confidence,
        ))
        seen = set()
        for q in group:
            for org, position, (s, e) in q.positions:
                if org in seen:
                    continue
                seen.add(org)
                found.links.append(Link("HOLDS_POSITION", key, org, (min(s, q.start), max(e, q.end)),
                                        props={"position": position}))
    return found
