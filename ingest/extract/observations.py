"""Statistics in the text: a figure, what it counts, about whom, where and when.

`extract_observations(doc)` finds figures in normalised Kazakh and Russian text and returns one
`Observation` finding per figure, with `ABOUT` (the confession, body or region the figure is
about) and `IN` (the region) links to known nodes.

A figure is a number with what Kazakh and Russian hang on it:

    10 238-ге жуық              10238, qualifier about        (-ге жуық "close to")
    6800-ден астам, 40-тан аса  qualifier more_than           (ablative + астам/аса/артық)
    75 мыңнан астам, 97 тыс.    ×1000                         (мың, тыс., млн, млрд)
    177,7 млн. теңге            177.7 "million KZT"           (money keeps its unit)
    свыше / более / около 70    qualifier more_than / about
    бес есеге дейін             5 "times", qualifier up_to    (number words only before есе/раз)

What it counts (`metric`) is the noun phrase after the figure (`229 топ`, `3049 дәріскерден`),
or, when the figure is inflected or follows `саны`/`число`, the one before it (`діни
бірлестіктердің саны 46-дан`); the noun is looked up by its stem (`morph.kk_stem`, Russian
lemmas) in `VOCABULARY`, an unknown noun gives a slug of its stem. Figures in a list share
the metric of their neighbours (`иудаизмді білдіретін - 27, буддизм - 4 діни бірлестік`),
and figures in brackets right after a figure break it down (`материалдар (видео-546, ...)`
→ `materials_video`).

Change sentences (`46-дан 2144-ке дейін өсті`, `выросло с 671 до 4 000`) give two
observations, at the start and at the end date; a paragraph that dated one change lends
its dates to the undated ones after it, and its end date to later figures in the present
tense ("... жұмыс істейді"). Otherwise a figure takes the time written right before it (right
after it first in Russian: `671 в 1990 году`), else the nearest one before it in its sentence
(a date; a bare year as `1989`; `2007 жылға`, `2023 жылдың 9 айында`, `2007-2009 жылдары` as
periods; `2023 жылдың басынан бері` as an open period; the document's date for `қазіргі
уақытта`), else the document's date when the sentence is in the present tense, and no date
when the text gives none or says `жыл сайын`. A sentence cut by a blank line without a full
stop, and one opening with `Из них`/`оның ішінде`, continue the sentence before.

The subject is a confession, religious association or state body named in the figure's own
clause (a gazetteer hit, or a confession word: `иудаизмді`, `исламских`), else the region
there; the region (`IN`) is a region named in the sentence, or `region:kz` when the sentence
says `елімізде`/`республикада`/`в Казахстане` and the like.

Not figures: dates and years, day-month pairs, durations (`15 жыл`, `соңғы 15 жылда`),
numbers of acts (`N 1185`, `№ ДС-384`), articles and ordinals (`164-бабы`, `2-тармақ`),
list and section numbers (`1)`, `2.`, `5.1.`), ranges (`10-15`), phone and page numbers, and
the funding table of an action plan (from its column-number row `1 2 3 ... 9` to its
`Барлығы`/`Жиыны` total).

Props of each finding: metric, value, unit, date, period_start, period_end and, when the text
qualifies the figure, qualifier (more_than, about, less_than, at_least, at_most, up_to).
"""
from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.dates import MONTH_PATTERN, month_number
from ingest.extract.base import DocText, Finding, Found, Link
from ingest.gazetteer import Match
from kb import morph
from kb.morph import KK_LETTERS, kk_stem, ru_lemma, word_key
from kb.text import fold, slugify

__all__ = ["extract_observations", "VOCABULARY", "LEVELS", "LABELS"]

# --------------------------------------------------------------------------------------------
# vocabulary: counted nouns → metric (and unit when the noun counts people)
# --------------------------------------------------------------------------------------------

# (metric, unit, Kazakh phrases, Russian phrases). Phrases are matched word by word on stems
# (Kazakh) or lemmas (Russian); the longest phrase wins, so `діни бірлестік` beats `бірлестік`.
VOCABULARY: list[tuple[str, str, list[str], list[str]]] = [
    ("religious_associations", "count", ["діни бірлестік", "діни ұйым"],
     ["религиозное объединение", "религиозная организация"]),
    ("associations", "count", ["бірлестік", "ұйым"], ["объединение", "организация"]),
    ("confessions_and_denominations", "count", ["конфессиялар мен деноминация"], ["конфессия и деноминация"]),
    ("confessions", "count", ["конфессия", "дін"], ["конфессия", "религия", "вероисповедание"]),
    ("denominations", "count", ["деноминация"], ["деноминация"]),
    ("communities", "count", ["қауым", "қауымдастық"], ["община", "общество"]),
    ("charitable_religious_foundations", "count", ["қайырымдылық діни қор"], ["благотворительный религиозный фонд"]),
    ("charitable_foundations", "count", ["қайырымдылық қор"], ["благотворительный фонд"]),
    ("foundations", "count", ["қор"], ["фонд"]),
    ("mosques", "count", ["мешіт"], ["мечеть"]),
    ("churches", "count", ["шіркеу", "приход"], ["церковь", "приход"]),
    ("places_of_worship", "count", ["ғибадатхана", "ғибадат үй", "ғибадат орын"],
     ["храм", "молитвенный дом", "культовое здание", "культовый объект"]),
    ("missions", "count", ["миссия"], ["миссия"]),
    ("missionaries", "person", ["миссионер"], ["миссионер"]),
    ("outreach_groups", "count", ["ақпараттық-түсіндіру топ", "ақпараттық-насихат топ", "үгіт-насихат топ"],
     ["информационно-разъяснительный группа", "информационно-пропагандистский группа", "агитационно-пропагандистский группа"]),
    ("groups", "count", ["топ"], ["группа"]),
    ("lecturers", "person", ["дәріскер", "лектор"], ["лектор"]),
    ("imams_theologians", "person", ["имам мен теолог", "имамдар мен теолог"], ["имам и теолог"]),
    ("imams", "person", ["имам"], ["имам"]),
    ("theologians", "person", ["теолог", "дінтанушы"], ["теолог", "религиовед"]),
    ("clergy", "person", ["дін қызметкер", "діни қызметкер"], ["священнослужитель", "духовное лицо"]),
    ("experts", "person", ["сарапшы"], ["эксперт"]),
    ("specialists", "person", ["маман"], ["специалист"]),
    ("employees", "person", ["қызметкер"], ["сотрудник", "работник"]),
    ("members", "person", ["мүше"], ["член"]),
    ("participants", "person", ["қатысушы"], ["участник"]),
    ("citizens", "person", ["азамат"], ["гражданин"]),
    ("believers", "person", ["діндар", "дінге сенуші"], ["верующий"]),
    ("followers", "person", ["ұстанушы", "жақтаушы"], ["последователь", "приверженец"]),
    ("pilgrims", "person", ["қажы", "зиярат етуші"], ["паломник"]),
    ("students", "person", ["студент", "оқушы", "шәкірт", "білім алушы"], ["студент", "учащийся", "школьник"]),
    ("youth", "person", ["жастар"], ["молодёжь"]),
    ("people", "person", ["адам", "тұлға", "кісі"], ["человек", "лицо"]),
    ("events", "count", ["іс-шара"], ["мероприятие"]),
    ("meetings", "count", ["кездесу"], ["встреча"]),
    ("seminars", "count", ["семинар", "семинар-тренинг", "семинар-кеңес"], ["семинар"]),
    ("trainings", "count", ["тренинг"], ["тренинг"]),
    ("conferences", "count", ["конференция"], ["конференция"]),
    ("round_tables", "count", ["дөңгелек үстел"], ["круглый стол"]),
    ("forums", "count", ["форум"], ["форум"]),
    ("lectures", "count", ["дәріс"], ["лекция"]),
    ("projects", "count", ["жоба"], ["проект"]),
    ("grants", "count", ["грант"], ["грант"]),
    ("sociological_studies", "count", ["социологиялық зерттеу", "әлеуметтік зерттеу"], ["социологический исследование"]),
    ("studies", "count", ["зерттеу"], ["исследование"]),
    ("monitorings", "count", ["мониторинг"], ["мониторинг"]),
    ("inspections", "count", ["тексеру"], ["проверка"]),
    ("materials", "count", ["материал"], ["материал"]),
    ("publications", "count", ["жарияланым", "жарияланымдар", "басылым"], ["публикация", "издание"]),
    ("articles", "count", ["мақала"], ["статья"]),
    ("posts", "count", ["пост", "жазба"], ["пост"]),
    ("video_films", "count", ["бейнефильм", "деректі фильм"], ["видеофильм", "документальный фильм"]),
    ("video_clips", "count", ["бейнеролик", "видеоролик", "ролик"], ["видеоролик", "ролик"]),
    ("books", "count", ["кітап"], ["книга"]),
    ("brochures", "count", ["кітапша", "брошюра"], ["брошюра"]),
    ("literature", "count", ["әдебиет"], ["литература"]),
    ("issues", "count", ["нөмір", "шығарылым"], ["выпуск", "номер"]),
    ("circulation", "copies", ["таралым"], ["тираж"]),
    ("links", "count", ["сілтеме"], ["ссылка"]),
    ("websites", "count", ["сайт", "интернет-ресурс"], ["сайт", "интернет-ресурс"]),
    ("accounts", "count", ["аккаунт", "парақша"], ["аккаунт", "страница"]),
    ("media_outlets", "count", ["БАҚ"], ["СМИ"]),
    ("regions", "region", ["өңір", "облыс", "аймақ"], ["регион", "область"]),
    ("districts", "region", ["аудан"], ["район"]),
    ("cities", "region", ["қала"], ["город"]),
    ("countries", "country", ["ел", "мемлекет"], ["страна", "государство"]),
    ("schools", "count", ["мектеп"], ["школа"]),
    ("madrasas", "count", ["медресе"], ["медресе"]),
    ("educational_institutions", "count", ["оқу орны", "білім беру ұйым"], ["учебное заведение"]),
    ("violations", "count", ["бұзушылық", "құқық бұзушылық"], ["нарушение", "правонарушение"]),
    ("criminal_cases", "count", ["қылмыстық іс"], ["уголовное дело"]),
    ("crimes", "count", ["қылмыс"], ["преступление"]),
    ("convicted", "person", ["сотталған"], ["осуждённый"]),
    ("appeals", "count", ["өтініш", "өтінім", "шағым"], ["обращение", "заявление", "жалоба"]),
    ("registrations", "count", ["тіркеу"], ["регистрация"]),
    ("ethnic_groups", "count", ["ұлт", "этнос"], ["национальность", "этнос"]),
]

# A level or scope adjective after a figure names a part of a noun that comes later
# (`4 республикалық, 8 өңірлік ... конференциялар`) or of the figure before a bracket.
LEVELS: dict[str, str] = {
    "республикалық": "republican", "өңірлік": "regional", "облыстық": "oblast", "аудандық": "district",
    "қалалық": "city", "жергілікті": "local", "халықаралық": "international", "ауылдық": "rural",
    "республиканский": "republican", "региональный": "regional", "областной": "oblast", "районный": "district",
    "городской": "city", "местный": "local", "международный": "international", "сельский": "rural",
}
# Labels of a breakdown in brackets (`видео-546`, `басқа да форматтарда - 561`).
LABELS: dict[str, str] = {
    "видео": "video", "бейне": "video", "фото": "photo", "сурет": "photo", "мәтін": "text", "текст": "text",
    "аудио": "audio", "инфографика": "infographics", "басқа": "other", "өзге": "other",
    "другой": "other", "прочий": "other", "иной": "other",
}
# What happened to the counted things, said after them in the same clause.
_ACTIONS: list[tuple[re.Pattern, str]] = [(re.compile(p, re.I), name) for p, name in [
    (r"бұғатта|блокир", "blocked"),
    (r"\bжой(ыл|ды|ып)|удален|удалил", "removed"),
    (r"\bжариялан(ды|ған|ып)|опубликова", "published"),
    (r"\bтіркел(ді|ген|іп)|зарегистрир", "registered"),
    (r"жауапқа\s+тарт|привлечен\w*\s+к\s+(\w+\s+)?ответственност", "held_liable"),
    (r"\bбас\s+тарт|отказал", "renounced"),
    (r"\bсотталд|осужден", "convicted"),
    (r"\bқамт(ы|и|ыл|іл)|охват", "covered"),
]]
_MONEY_METRICS: list[tuple[re.Pattern, str]] = [(re.compile(p, re.I), name) for p, name in [
    (r"қаржыландыр|финансир|бөлін|бөлу|выдел", "funding"), (r"грант", "grants"), (r"шығыс|расход|затрат", "expenditure"),
    (r"бюджет", "budget"), (r"салық|налог", "taxes"), (r"айыппұл|штраф", "fines"),
]]
_GROWTH = re.compile(r"\b(өс(ті|кен|іп|уде)|арт(ты|қан|ып|уда)|көбей|ұлғай|азай|кеми|кеміді|төменде|қысқар|"
                     r"вырос|вырастал|вырастет|увеличи|возрос|сократи|уменьши|снизи|понизи|достиг)", re.I)
_COUNT_WORDS = frozenset({"саны", "сан", "число", "количество", "численность", "жалпы", "общий", "всего",
                          "барлығы", "жиыны", "шамамен", "өсті"})
_STOP = frozenset({"да", "де", "та", "те", "және", "мен", "бен", "пен", "немесе", "үшін", "арасында", "ішінде",
                   "оның", "олардың", "в", "на", "и", "из", "по", "с", "со", "от", "до", "за", "а", "ал", "же", "ещё",
                   "еще", "уже", "также", "сондай", "ақ", "тағы", "түрлі", "әртүрлі", "әр", "түрлі", "различный",
                   "разный", "более", "свыше", "около", "шамамен", "астам", "жуық", "аса", "бойынша", "жөнінде",
                   "жөніндегі", "туралы", "арқылы", "дейін", "кейін", "бері", "для", "о", "об", "при", "среди",
                   "больше", "меньше", "выше", "ниже", "жоғары", "төмен", "что", "чем", "бұл", "это"})
_ADJ_END = re.compile(r"(лық|лік|дық|дік|тық|тік|ғы|гі|қы|кі|дағы|дегі|тағы|тегі|ндағы|ндегі|лы|лі|ды|ді|ты|ті|"
                      r"ый|ий|ой|ая|яя|ое|ее|ые|ие|ых|их|ого|его)$")

# confession adjectives and words, when the gazetteer has not named the confession itself
_CONFESSION_WORDS: list[tuple[re.Pattern, str]] = [(re.compile(p, re.I), cid) for p, cid in [
    (r"дәстүрлі\s+емес|нетрадицион", "confession:non-traditional-confessions"),
    (r"\b(рим\w*[-\s]?католи|католи)\w*", "confession:roman-catholicism"),
    (r"\bпротестант\w*", "confession:protestantism"),
    (r"\bправослав\w*", "confession:russian-orthodoxy"),
    (r"\b(ислам|мұсылман|мусульман)\w*", "confession:islam"),
    (r"\b(иудаизм|иудей|яһуди|еврейск)\w*", "confession:judaism"),
    (r"\bбудд\w*", "confession:buddhism"),
]]
# words that say which confession a figure is about, not what it counts (`православие бағытында`)
_SUBJECTISH = re.compile(r"(бағыт|ағым|направлени|течени|вероучени|толк)", re.I)
# a body that issued an act is not what the figure is about (`Президентінің 2021 жылғы ... Жолдауының`)
_ISSUED = re.compile(r"[^.;]{0,80}?(?:жолдау|жарлы|қаулы|заңы|заңна|бұйры|өкімі|послани|указ|постановлени|закон|"
                     r"приказ|распоряжени)", re.I)
_SUBJECT_RANK = {"confession": 0, "association": 1, "statebody": 2, "council": 3, "programme": 4, "region": 9}
_COUNTRY = re.compile(r"\b(республика\s+бойынша|республикада|республикамызда|елімізде|елде|елдегі|еліміздегі|"
                      r"Қазақстанда|по\s+республике|в\s+республике|в\s+Казахстане|по\s+стране|в\s+стране|"
                      r"по\s+Казахстану)\b", re.I)

# --------------------------------------------------------------------------------------------
# time expressions
# --------------------------------------------------------------------------------------------

_MON = rf"(?P<mon>{MONTH_PATTERN})\w*"
_Y = r"(?P<y>(?:19|20)\d{2})(?!\d)"
_Y2 = r"(?P<y2>(?:19|20)\d{2})(?!\d)"
_D = r"(?<![\d.])(?P<d>[0-3]?\d)"
_JYL = r"ж(?:ыл\w*|\.)"
_GOD = r"(?:год\w*|г\.|гг\.)"
_ORD = {"бірінші": 1, "екінші": 2, "үшінші": 3, "төртінші": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4,
        "первый": 1, "первое": 1, "первого": 1, "первом": 1, "второй": 2, "второе": 2, "второго": 2, "втором": 2,
        "третий": 3, "третьего": 3, "третьем": 3, "четвертый": 4, "четвертого": 4, "четвертом": 4}
_NUMWORD = r"(?P<n>\d{1,2}|бірінші|екінші|үшінші|төртінші|I{1,3}|IV|перв\w*|втор\w*|трет\w*|четв[её]рт\w*)"


@dataclass
class _When:
    start: int
    end: int
    kind: str                 # date | period | since | range | act | every | duration | daymonth
    date: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    title: bool = False       # a period naming a plan or programme (`2023-2025 жылдарға арналған`)
    years: tuple[str, str] | None = None   # a range's ends as years, for changes between them


def _iso(y: int, m: int = 1, d: int = 1) -> str | None:
    try:
        return f"{y:04d}-{m:02d}-{d:02d}" if 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1] else None
    except ValueError:
        return None


def _month_end(y: int, m: int) -> str:
    return _iso(y, m, calendar.monthrange(y, m)[1])


def _ordinal(word: str) -> int | None:
    w = word.lower().replace("ё", "е")
    if w.isdigit():
        return int(w)
    for k, v in _ORD.items():
        if w == k or (len(k) > 4 and w.startswith(k[:4])):
            return v
    return None


def _month(word: str) -> int:
    return month_number(word) or 0


_ACT_AFTER = re.compile(r"\s*(?:[«\"]\s*)?(?:№|N\s*\d|No\.?\s*\d|(?:\w+\s+){0,2}?(?:қаулы|жарлы|заңы|заңына|бұйры|өкімі|жолдау|"
                        r"постановлени|указ|закон|приказ|распоряжени|решени|послани))", re.I)
_ACT_BEFORE = re.compile(r"(?:\bот|№\s*\S+\s+от)\s*$", re.I)


def _when_patterns() -> list[tuple[str, re.Pattern]]:
    W = r"\s*"
    raw = [
        ("now", r"\bқазіргі\s+(?:уақытта|таңда|кезде)|\bбүгінгі\s+(?:күні|таңда)|\bв\s+настоящее\s+время|"
                r"\bна\s+сегодняшний\s+день|\bна\s+сегодня\b|\bв\s+данный\s+момент"),
        ("every", r"\bжыл\s+сайын\b|\bжыл\s+бойы\b|\bежегодн\w*|\bкаждый\s+год\b|\bжыл\s+сайынғы\b"),
        ("last_n", rf"\b(?:соңғы|за\s+последни\w*|в\s+последни\w*|последни\w*){W}(?P<n>\d{{1,3}}){W}(?:жыл\w*|лет|год\w*)"),
        ("range_kk", rf"{_Y}{W}жыл(?:дан|ден){W}{_Y2}{W}жыл(?:ға|ге){W}дейін"),
        ("range_ru", rf"\bс{W}{_Y}{W}(?:{_GOD}{W})?(?:по|до){W}{_Y2}{W}{_GOD}"),
        ("range", rf"{_Y}{W}[-–—]{W}{_Y2}{W}(?:{_JYL}|{_GOD})(?P<title>{W}(?:арналған|на\s+период))?"),
        ("full", rf"{_Y}{W}(?:жыл(?:ғы|ы|дың)?|{_GOD})?{W}{_D}{W}[-–]?{W}{_MON}"),
        ("dmy", rf"{_D}{W}[-–]?{W}{_MON}{W}{_Y}{W}(?:{_JYL}|{_GOD})?"),
        ("dotted", rf"(?<![\d.])(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.{_Y}(?:{W}(?:ж\.|г\.))?"),
        ("months_kk", rf"{_Y}{W}жыл(?:дың|ғы)?{W}(?P<n>\d{{1,2}}){W}ай(?:ы|ында|ындағы|ында|да|дағы|лық)?\b"),
        ("monthspan_kk", rf"{_Y}{W}жыл(?:дың|ғы)?{W}{_MON}{W}[-–]{W}(?P<mon2>\w+){W}(?:айлар\w*|ай\w*)"),
        ("months_ru", rf"\b(?:за{W})?(?P<n>\d{{1,2}}){W}месяц\w*{W}{_Y}{W}{_GOD}?"),
        ("quarter_kk", rf"{_Y}{W}жыл(?:дың|ғы)?{W}{_NUMWORD}{W}[-–]?{W}тоқсан\w*"),
        ("half_kk", rf"{_Y}{W}жыл(?:дың|ғы)?{W}(?P<n>бірінші|екінші|I{{1,2}}|1|2){W}[-–]?{W}жарты{W}жыл\w*"),
        ("quarter_ru", rf"{_NUMWORD}{W}квартал\w*{W}{_Y}{W}{_GOD}?"),
        ("half_ru", rf"(?P<n>перв\w*|втор\w*|1|2|I{{1,2}}){W}полугоди\w*{W}{_Y}{W}{_GOD}?"),
        ("since_kk", rf"{_Y}{W}жыл(?:дың{W}басынан|дан|ден){W}(?:бері|бастап)"),
        ("since_ru", rf"\bс{W}(?P<start>начала{W})?{_Y}{W}{_GOD}"),
        ("start_kk", rf"{_Y}{W}жыл(?:дың|ғы|ы)?{W}бас(?:ында|ына|ындағы|ы)\b"),
        ("start_ru", rf"\b(?:на|к|в){W}начал\w*{W}{_Y}{W}{_GOD}?"),
        ("end_kk", rf"{_Y}{W}жыл(?:дың|ғы|ы)?{W}(?:соң|аяғ)\w*"),
        ("end_ru", rf"\b(?:на|к|в)?{W}(?:конец|конц[аеу]){W}{_Y}{W}{_GOD}?"),
        ("year_for", rf"\b(?:за|на){W}{_Y}{W}год\b"),
        ("year_for", rf"{_Y}{W}жыл(?:ға|ғы\s+қорытынды\w*)(?!\w)"),
        ("year", rf"{_Y}{W}(?:{_JYL}|{_GOD})"),
        ("daymonth", rf"{_D}{W}(?:[-–]{W}[0-3]?\d{W})?[-–]?{W}{_MON}"),
    ]
    return [(name, re.compile(rx, re.I)) for name, rx in raw]


_WHEN_PATTERNS = _when_patterns()


def _find_whens(text: str, anchor: str | None) -> list[_When]:
    found: list[_When] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for name, rx in _WHEN_PATTERNS:
        for m in rx.finditer(text):
            s, e = m.span()
            while e > s and text[e - 1].isspace():
                e -= 1
            if not free(s, e):
                continue
            w = _when(name, m, s, e, anchor)
            if w is None:
                continue
            if w.kind in ("date", "period") and (_ACT_AFTER.match(text, e) or _ACT_BEFORE.search(text, max(0, s - 12), s)):
                w.kind = "act"
            taken.append((s, e))
            found.append(w)
    found.sort(key=lambda w: w.start)
    return found


def _when(name: str, m: re.Match, s: int, e: int, anchor: str | None) -> _When | None:
    g = m.groupdict()
    y = int(g["y"]) if g.get("y") else None
    if name == "every":
        return _When(s, e, "every")
    if name == "now":
        return _When(s, e, "date", date=anchor) if anchor else _When(s, e, "now")
    if name == "last_n":
        n = int(g["n"])
        if anchor:
            ay = int(anchor[:4])
            return _When(s, e, "period", period_start=_iso(ay - n, *map(int, anchor[5:10].split("-"))) if len(anchor) >= 10 else f"{ay - n}",
                         period_end=anchor, years=(str(ay - n), anchor[:4]))
        return _When(s, e, "duration")
    if name in ("range_kk", "range_ru", "range"):
        y2 = int(g["y2"])
        if not y or y2 < y:
            return None
        return _When(s, e, "period", period_start=_iso(y), period_end=_iso(y2, 12, 31),
                     title=bool(g.get("title")), years=(str(y), str(y2)))
    if name in ("full", "dmy"):
        d = _iso(y, _month(g["mon"]), int(g["d"]))
        return _When(s, e, "date", date=d) if d else None
    if name == "dotted":
        d = _iso(y, int(g["m"]), int(g["d"]))
        return _When(s, e, "date", date=d) if d else None
    if name in ("months_kk", "months_ru"):
        n = int(g["n"])
        if not 1 <= n <= 12:
            return None
        return _When(s, e, "period", period_start=_iso(y), period_end=_month_end(y, n))
    if name == "monthspan_kk":
        m1, m2 = _month(g["mon"]), _month(g["mon2"])
        if not m1 or not m2 or m2 < m1:
            return None
        return _When(s, e, "period", period_start=_iso(y, m1), period_end=_month_end(y, m2))
    if name in ("quarter_kk", "quarter_ru"):
        q = _ordinal(g["n"])
        if not q or not 1 <= q <= 4:
            return None
        return _When(s, e, "period", period_start=_iso(y, 3 * q - 2), period_end=_month_end(y, 3 * q))
    if name in ("half_kk", "half_ru"):
        h = _ordinal(g["n"])
        if h not in (1, 2):
            return None
        return _When(s, e, "period", period_start=_iso(y, 6 * h - 5), period_end=_month_end(y, 6 * h))
    if name == "since_kk":
        return _When(s, e, "since", period_start=_iso(y))
    if name == "since_ru":
        return _When(s, e, "since", period_start=_iso(y))
    if name in ("start_kk", "start_ru"):
        return _When(s, e, "date", date=_iso(y))
    if name in ("end_kk", "end_ru"):
        return _When(s, e, "date", date=_iso(y, 12, 31))
    if name == "year_for":
        return _When(s, e, "period", period_start=_iso(y), period_end=_iso(y, 12, 31))
    if name == "year":
        return _When(s, e, "date", date=str(y))
    if name == "daymonth":
        return _When(s, e, "daymonth")
    return None


# --------------------------------------------------------------------------------------------
# spans that hold no statistics
# --------------------------------------------------------------------------------------------

_CODES = [re.compile(p, re.M) for p in [
    r"(?:№|\bN\b|\bNo\.?)\s*[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]{0,6}[-‐‑]?\s*\d[\w/.-]*(?:-\w+)?",          # act numbers
    r"\b[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]{1,6}[-‐‑]\d+[\w/-]*",                                          # ДС-384, КР-12
]]
_EXCLUDE = _CODES + [re.compile(p, re.I | re.M) for p in [
    r"\b(?:стать[яиейюё]\w*|ст\.|пункт\w*|подпункт\w*|п\.|пп\.|част[ьи]\w*|ч\.|глав[аеыу]\w*|"
    r"раздел\w*|приложени\w*|бап\w*|тармақ\w*|бөлім\w*|тарау\w*|қосымша\w*|параграф\w*)\s*\d+(?:[.)]\d+)*",
    r"(?:^|(?<=[;:]\s))\s*\d{1,3}(?:\.\d{1,3})*[.)](?=\s|$)",                               # list / section numbers
    r"(?<=\()\d{1,2}\)",                                                                  # (1)
    r"\+?\d?\s*\(\d{3,5}\)\s*\d{1,3}[-‐\s]?\d{2}[-‐\s]?\d{2}|\b\d{2,3}[-‐]\d{2}[-‐]\d{2}\b",   # phones
    r"\b(?:тел|факс|тел\.?/факс)\.?:?\s*[\d\s()+-]{5,}",
    r"\b(?:бет|беттер|стр|страниц\w*|с\.|page|p\.)\s*\d+(?:\s*[-–]\s*\d+)?|\d+\s*[-–]?\s*(?:бет|беттер)\b",
    r"\b\d+(?:\.\d+){2,}\b",                                                              # 1.2.3 numbering
]]
_COLUMN_ROW = re.compile(r"^[ \t]*1[ \t]+2[ \t]+3(?:[ \t]+\d{1,2})*[ \t]*$", re.M)
_TOTAL = re.compile(r"^[ \t]*(?:Барлығы|Жиыны|Итого|Всего)\b", re.M | re.I)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _table_spans(text: str) -> list[tuple[int, int]]:
    """Action-plan tables: from a column-number row to the numbers after its total."""
    spans = []
    pos = 0
    while True:
        m = _COLUMN_ROW.search(text, pos)
        if not m:
            break
        start = m.start()
        # a header row of years or numbers right above the column numbers belongs to the table
        while True:
            above = re.search(r"(?:^|\n)([ \t\d.,]*\d[ \t\d.,]*)\n[ \t]*$", text[max(0, start - 200):start])
            if not above:
                break
            start = max(0, start - 200) + above.start(1)
        t = _TOTAL.search(text, m.end())
        if t:
            end = t.end()
            # the totals' own lines, short labels and blank lines after the first total line
            for line in re.finditer(r"[^\n]*\n?", text[end:]):
                chunk = line.group()
                if not chunk:
                    break
                stripped = chunk.strip()
                if stripped and len(stripped) > 30 and not re.fullmatch(r"[\d\s.,:;()-]+", stripped):
                    break
                end += len(chunk)
        else:
            prose = re.search(r"(?:^[^\n]{60,}\n){3}", text[m.end():], re.M)
            end = m.end() + prose.start() if prose else len(text)
        spans.append((start, end))
        pos = end
    return spans


# --------------------------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------------------------

_NUM = re.compile(r"(?<![\w.,/\\])(?:\d{1,3}(?:(?:[ \u00a0\u202f]|[ \t]*\n[ \t]*)\d{3}(?![\d]))+|\d+)(?:[.,]\d+(?![\d]))?")
_WORD_NUM = re.compile(r"\b(?P<w>бір|екі|үш|төрт|бес|алты|жеті|сегіз|тоғыз|он|жиырма|отыз|елу|жүз|"
                       r"два|две|три|четыре|пять|шесть|семь|восемь|девять|десять|полтора)\s+(?=(?:есе|раз)\w*)", re.I)
_WORD_VALUES = {"бір": 1, "екі": 2, "үш": 3, "төрт": 4, "бес": 5, "алты": 6, "жеті": 7, "сегіз": 8, "тоғыз": 9,
                "он": 10, "жиырма": 20, "отыз": 30, "елу": 50, "жүз": 100, "два": 2, "две": 2, "три": 3,
                "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10, "полтора": 1.5}
_KK_SUFFIXES = frozenset("""ден дан тен тан нен нан ге ке ға қа на не а е да де та те нда нде ы і сы сі ның нің дың
 дің тың тің ны ні ды ді ты ті н мен бен пен дағы дегі тағы тегі дай дей тай тей дейін ға дейін ти х ми ю""".split())
_MULT = re.compile(r"[ \t\n]*(?P<m>мың|миллион|млн|млрд|миллиард|тыс|тысяч|трлн)(?P<s>\w*)(?P<dot>\.)?", re.I)
_UNIT = re.compile(r"[ \t\n]*(?P<u>%|пайыз\w*|процент\w*|есе\w*|раз(?:а)?(?!\w)|теңге\w*|тенге|тг\.?|"
                   r"доллар\w*|долл\.|АҚШ\s+доллар\w*|евро|рубл\w*|руб\.|дана\w*|экземпляр\w*|экз\.)", re.I)
_QUAL = re.compile(r"[ \t\n]*(?:-\s*)?(?P<q>астам|аса|асты|асып|асады|асқан|артық|көп|жуық|жуығы|шамасында|шақты|кем|аз|дейін|дейінгі)(?!\w)", re.I)
_PRE = re.compile(r"(?P<p>свыше|превысил\w*|превышает|превышающ\w*|более\s+чем|более|больше|около|примерно|приблизительно|порядка|почти|менее|меньше|"
                  r"не\s+менее(?:\s+чем)?|не\s+более(?:\s+чем)?|не\s+меньше|до|с|со|от|шамамен|шамасы|кем\s+дегенде|кемінде|жалпы\s+саны)\s*$", re.I)
_DURATION = re.compile(r"[ \t\n]*(?:жас(?:қа|тан|тағы|та|ы|ында|ар)?|жыл\w*|ай(?:да|дан|ға|ы|ында|лық|дың)?|күн\w*|апта\w*|"
                       r"сағат\w*|минут\w*|лет|год\w*|месяц\w*|д(?:ень|ня|ней)|недел\w*|час\w*|секунд\w*)(?!\w)", re.I)
_ABL = ("дан", "ден", "тан", "тен", "нан", "нен")
_DAT = ("ға", "ге", "қа", "ке", "на", "не")
_BOUNDARY = set(",;:.!?()«»\"“”[]")
_MONEY_UNITS = {"теңге": "KZT", "тенге": "KZT", "тг": "KZT", "доллар": "USD", "долл": "USD", "евро": "EUR",
                "рубл": "RUB", "руб": "RUB"}


@dataclass
class _Fig:
    start: int
    end: int
    value: float
    tail: int                      # end of the figure with its endings, multiplier, unit, qualifier
    unit: str | None = None
    qualifier: str | None = None
    case: str | None = None        # abl | dat
    to_marker: bool = False        # `-ге дейін` / `до`
    from_marker: bool = False      # ablative without a qualifier / `с`, `от`
    label: str | None = None       # `видео-546`
    money: bool = False
    times: bool = False
    dash_before: bool = False
    dash_after: bool = False
    grouped: bool = False          # written with thousands separators
    # filled in later
    metric: str | None = None
    metric_how: str = ""
    unit_from_noun: str | None = None
    noun_end: int | None = None
    subject: str | None = None
    subject_how: str = ""
    region: str | None = None
    when: _When | None = None
    date: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    partner: "_Fig | None" = None
    role: str | None = None        # from | to
    parent: "_Fig | None" = None
    sentence: int = -1
    used_context: bool = False
    confidence: float = 0.75
    drop: bool = False
    range: bool = False            # one end of a range `от 10 до 15`, not a statistic of its own
    change: bool = False           # a percentage of change (`на 2% больше`, `15%-ға өсті`)
    own_time: bool = False         # a bracketed figure with a time of its own (`78,3% (в 2015 году – 72%)`)


def _value(raw: str) -> float:
    s = re.sub(r"\s+", "", raw).replace(",", ".")
    return float(s)


# --------------------------------------------------------------------------------------------
# word keys
# --------------------------------------------------------------------------------------------

_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)


_LOOSE_SLOTS = (
    ("ндағы", "ндегі", "дағы", "дегі", "тағы", "тегі", "ның", "нің", "дың", "дің", "тың", "тің", "ға", "ге", "қа",
     "ке", "на", "не", "нда", "нде", "да", "де", "та", "те", "дан", "ден", "тан", "тен", "нан", "нен", "ны", "ні",
     "ды", "ді", "ты", "ті", "мен", "бен", "пен", "н"),
    ("сы", "сі", "ы", "і"),
    ("лар", "лер", "дар", "дер", "тар", "тер"),
)


def _loose_stems(w: str) -> set[str]:
    """Every stem left by stripping a case, a possessive and a plural ending, whatever their
    harmony (`мониторингті`, a loan whose vowels the stemmer will not judge): for looking up
    the vocabulary only, where a wrong stem simply finds nothing."""
    out = {w}
    for slot in _LOOSE_SLOTS:
        nxt = set(out)
        for x in out:
            for suf in slot:
                if x.endswith(suf) and len(x) - len(suf) >= 4:
                    nxt.add(x[: -len(suf)])
        out = nxt
    out.discard(w)
    for x in list(out):
        if x[-1:] in "гғб":
            out.add(x[:-1] + {"г": "к", "ғ": "қ", "б": "п"}[x[-1]])
    return out


@lru_cache(maxsize=65536)
def _keys(word: str) -> frozenset[str]:
    w = fold(word).replace(" ", "")
    keys = {kk_stem(w)} | _loose_stems(w)
    if not any(ch in KK_LETTERS for ch in w):
        keys.add(ru_lemma(w))
    return frozenset(keys)


def _phrase_keys(phrase: str, lang: str) -> tuple[str, ...]:
    out = []
    for w in _LETTERS.findall(phrase):
        if w.isupper() and len(w) > 1:
            out.append(w.lower())
        else:
            out.append(kk_stem(fold(w)) if lang == "kk" else ru_lemma(w))
    return tuple(out)


@lru_cache(maxsize=1)
def _vocab_index() -> dict[str, list[tuple[tuple[str, ...], str, str]]]:
    index: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
    for metric, unit, kk, ru in VOCABULARY:
        for lang, phrases in (("kk", kk), ("ru", ru)):
            for phrase in phrases:
                keys = _phrase_keys(phrase, lang)
                if keys:
                    index.setdefault(keys[0], []).append((keys, metric, unit))
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index


@lru_cache(maxsize=1)
def _level_keys() -> dict[str, str]:
    out = {}
    for word, level in LEVELS.items():
        out[kk_stem(word)] = level
        out[ru_lemma(word)] = level
    return out


@lru_cache(maxsize=1)
def _label_keys() -> dict[str, str]:
    out = {}
    for word, label in LABELS.items():
        out[kk_stem(word)] = label
        out[ru_lemma(word)] = label
    return out


def _word_keys(word: str) -> frozenset[str]:
    if word.isupper() and len(word) > 1:
        return frozenset({word.lower()})
    return _keys(word)


def _level_of(word: str) -> str | None:
    table = _level_keys()
    for k in _word_keys(word):
        if k in table:
            return table[k]
    return None


def _label_of(word: str) -> str | None:
    table = _label_keys()
    for k in _word_keys(word):
        if k in table:
            return table[k]
    return None


# --------------------------------------------------------------------------------------------
# the extractor
# --------------------------------------------------------------------------------------------

class _Doc:
    def __init__(self, doc: DocText):
        self.doc = doc
        self.text = text = doc.text
        self.kk = doc.language != "ru"
        self.matches = self._outer_matches(doc.matches)
        self.match_starts = [m.start for m in self.matches]
        self.whens = _find_whens(text, doc.date)
        self.when_merged = _merge([(w.start, w.end) for w in self.whens])
        self.when_starts = [a for a, _ in self.when_merged]
        self.excluded = _merge([(m.start(), m.end()) for rx in _EXCLUDE for m in rx.finditer(text)] + _table_spans(text))
        self.excluded_starts = [a for a, _ in self.excluded]
        self.words = [(m.start(), m.end(), m.group()) for m in _LETTERS.finditer(text)]
        self.word_starts = [w[0] for w in self.words]
        self.sentences = doc.sentences
        self.sent_starts = [s for s, _ in self.sentences]
        self.paragraph_breaks = [m.start() for m in re.finditer(r"\n[ \t]*\n", text)]
        self.masked = self._mask_brackets(text)

    # ---- helpers -----------------------------------------------------------------------------

    @staticmethod
    def _outer_matches(matches: list[Match]) -> list[Match]:
        """Gazetteer hits not nested inside a longer hit (`Қазақстан` inside `Қазақстан
        мұсылмандары діни басқармасы`)."""
        ordered = sorted(matches, key=lambda m: (m.start, -(m.end - m.start)))
        out: list[Match] = []
        for m in ordered:
            if any(o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start) for o in out):
                continue
            out.append(m)
        return out

    @staticmethod
    def _mask_brackets(text: str) -> str:
        return re.sub(r"\([^()]{0,400}\)", lambda m: " " * len(m.group()), text)

    def src(self, f: "_Fig") -> str:
        """The text to find clauses in: brackets blanked out, unless the figure is inside them."""
        return self.text if self.masked[f.start] == " " else self.masked

    def excluded_at(self, s: int, e: int) -> bool:
        """Whether [s, e) overlaps an excluded span (the spans are merged, so sorted and disjoint)."""
        i = bisect.bisect_left(self.excluded_starts, e) - 1
        return i >= 0 and self.excluded[i][1] > s

    def when_at(self, s: int, e: int) -> bool:
        i = bisect.bisect_left(self.when_starts, e) - 1
        return i >= 0 and self.when_merged[i][1] > s

    def match_at(self, s: int, e: int) -> Match | None:
        i = bisect.bisect_right(self.match_starts, e) - 1
        for j in range(i, max(-1, i - 6), -1):
            m = self.matches[j]
            if m.start < e and s < m.end:
                return m
        return None

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def paragraph_of(self, pos: int) -> int:
        return bisect.bisect_right(self.paragraph_breaks, pos)

    # ---- figures ------------------------------------------------------------------------------

    def figures(self) -> list[_Fig]:
        text = self.text
        figs: list[_Fig] = []
        for m in _NUM.finditer(text):
            f = self._figure(m.start(), m.end(), m.group())
            if f:
                figs.append(f)
        for m in _WORD_NUM.finditer(text):
            if self.excluded_at(m.start(), m.end()):
                continue
            f = self._parse_after(_Fig(m.start("w"), m.end("w"), _WORD_VALUES[m.group("w").lower()], m.end("w")))
            if f and f.times:
                figs.append(f)
        figs.sort(key=lambda f: f.start)
        return figs

    def _figure(self, s: int, e: int, raw: str) -> _Fig | None:
        text = self.text
        raw_clean = raw.rstrip()
        e = s + len(raw_clean)
        if self.excluded_at(s, e) or self.when_at(s, e):
            return None
        before = text[max(0, s - 40):s]
        # part of a range `10-15`, `2007 - 2009`, or a code `ДС-384`
        if re.search(r"\d\s*[-–—]\s*$", before) or re.match(r"\s*[-–—]\s*\d", text[e:e + 6]):
            return None
        if re.search(r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]{1,6}[-‐‑]$", before) or re.search(r"(№|\bN)\s*[\w-]*$", before):
            return None
        label = None
        lm = re.search(r"([^\W\d_]+)[-‐‑]$", before)
        if lm:
            label = lm.group(1)
        try:
            value = _value(raw_clean)
        except ValueError:
            return None
        grouped = bool(re.search(r"\d\s+\d", raw_clean))
        if "." in raw_clean and not grouped:
            # a dot-decimal only with a unit or multiplier after it (`1.5 млн`), never `5.1.`
            if not (_MULT.match(text, e) or _UNIT.match(text, e)):
                return None
        f = _Fig(s, e, value, e, label=label, grouped=grouped)
        f.dash_before = bool(re.search(r"[-–—]\s*$", before)) and not label
        return self._parse_after(f)

    def _parse_after(self, f: _Fig) -> _Fig | None:
        text = self.text
        pos = f.end
        suffix = ""
        # a hyphenated ending: a case (`6800-ден`), else an ordinal or a label (`164-бабы`, `2-й`)
        hm = re.match(r"[-‐‑–](?P<s>[^\W\d_]+)", text[pos:pos + 20])
        if hm:
            suf = hm.group("s").lower()
            if suf in _KK_SUFFIXES or suf.endswith(("дейін",)):
                suffix = suf
                pos += hm.end()
            else:
                return None   # an ordinal (`2-ші`, `2-й`) or a numbered thing (`164-бабы`, `2-тармақ`)
        elif re.match(r"[^\W\d_]", text[pos:pos + 1]):
            return None   # glued to a word
        if _DURATION.match(text, pos) and not suffix:
            return None
        if suffix and _DURATION.match(text, pos):
            return None
        mm = _MULT.match(text, pos)
        mult = None
        if mm:
            mult = mm.group("m").lower()
            pos = mm.end()
            if mm.group("s"):
                suffix = mm.group("s").lower()
                if mult == "тыс" and suffix.startswith("яч"):
                    suffix = ""
                if mult == "миллион" or mult == "миллиард":
                    suffix = ""
            hm = re.match(r"[-‐‑](?P<s>[^\W\d_]+)", text[pos:pos + 12])
            if hm and hm.group("s").lower() in _KK_SUFFIXES:
                suffix = hm.group("s").lower()
                pos += hm.end()
        factor = {"мың": 1e3, "тыс": 1e3, "тысяч": 1e3, "млн": 1e6, "миллион": 1e6, "млрд": 1e9, "миллиард": 1e9,
                  "трлн": 1e12}.get(mult or "", 1)
        um = _UNIT.match(text, pos)
        if um:
            u = um.group("u").lower()
            pos = um.end()
            money = next((code for k, code in _MONEY_UNITS.items() if u.startswith(k) or k in u), None)
            if money:
                f.money = True
                scale = {1e3: "thousand ", 1e6: "million ", 1e9: "billion ", 1e12: "trillion "}.get(factor, "")
                f.unit = f"{scale}{money}"
                factor = 1
                if u.startswith("теңге") and len(u) > 5:
                    suffix = u[5:]
            elif u == "%" or u.startswith(("пайыз", "процент")):
                f.unit = "percent"
                if u.startswith("пайыз") and len(u) > 5:
                    suffix = u[5:]
            elif u.startswith("есе") or u.startswith("раз"):
                f.unit, f.times = "times", True
                if u.startswith("есе") and len(u) > 3:
                    suffix = u[3:]
            elif u.startswith(("дана", "экземпляр", "экз")):
                f.unit = "copies"
                if u.startswith("дана") and len(u) > 4:
                    suffix = u[4:]
        f.value = f.value * factor
        if f.value == int(f.value):
            f.value = int(f.value)
        qm = _QUAL.match(text, pos)
        q = qm.group("q").lower() if qm else None
        if suffix.endswith(_ABL):
            f.case = "abl"
        elif suffix.endswith(_DAT) or suffix.endswith("дейін"):
            f.case = "dat"
        if q in ("астам", "аса", "асты", "асып", "асады", "асқан", "артық", "көп") and f.case == "abl":
            f.qualifier = "more_than"
        elif q in ("кем", "аз") and f.case == "abl":
            f.qualifier = "less_than"
        elif q in ("жуық", "жуығы", "шамасында", "шақты"):
            f.qualifier = "about"
        elif q in ("дейін", "дейінгі") or suffix.endswith("дейін"):
            f.to_marker = True
        elif f.case == "abl":
            f.from_marker = True
        if q and (f.qualifier or f.to_marker):
            pos = qm.end()
        # a qualifier or preposition before the figure
        pm = _PRE.search(self.text[max(0, f.start - 25):f.start])
        if pm:
            p = re.sub(r"\s+", " ", pm.group("p").lower())
            if p in ("свыше", "более", "более чем", "больше") or p.startswith("превы"):
                f.qualifier = f.qualifier or "more_than"
            elif p in ("около", "примерно", "приблизительно", "порядка", "почти", "шамамен", "шамасы"):
                f.qualifier = f.qualifier or "about"
            elif p in ("менее", "меньше"):
                f.qualifier = f.qualifier or "less_than"
            elif p in ("не менее", "не менее чем", "не меньше", "кем дегенде", "кемінде"):
                f.qualifier = f.qualifier or "at_least"
            elif p in ("не более", "не более чем"):
                f.qualifier = f.qualifier or "at_most"
            elif p in ("с", "со", "от"):
                f.from_marker = True
            elif p == "до":
                f.to_marker = True
        f.tail = pos
        f.dash_after = bool(re.match(r"\s*[-–—]\s*[^\W\d_]", text[pos:pos + 6]))
        return f

    # ---- metric -----------------------------------------------------------------------------

    def _vocab_at(self, i: int, limit: int) -> tuple[str, str, int] | None:
        """The longest vocabulary phrase starting at word i (ending before word `limit`)."""
        index = _vocab_index()
        best = None
        for k in _word_keys(self.words[i][2]):
            for keys, metric, unit in index.get(k, ()):
                n = len(keys)
                if i + n > limit:
                    continue
                if all(keys[j] in _word_keys(self.words[i + j][2]) for j in range(1, n)):
                    if best is None or n > best[2]:
                        best = (metric, unit, n)
                    break
        return best

    def _after_words(self, f: _Fig, limit_chars: int = 90, max_words: int = 6) -> list[int]:
        """Indices of the words after the figure, up to a clause boundary or another number."""
        text = self.text
        out: list[int] = []
        pos = f.tail
        i = bisect.bisect_left(self.word_starts, pos)
        while i < len(self.words) and len(out) < max_words:
            s, e, w = self.words[i]
            if s - f.tail > limit_chars:
                break
            gap = text[pos:s]
            if any(ch in _BOUNDARY for ch in gap) or re.search(r"\d", gap) or re.search(r"\s[-–—]\s", gap):
                break
            pos = e
            i += 1
            if self.when_at(s, e):
                continue
            out.append(i - 1)
        return out

    def _before_words(self, f: _Fig, max_words: int = 6) -> list[int]:
        text = self.text
        out: list[int] = []
        pos = f.start
        i = bisect.bisect_left(self.word_starts, f.start) - 1
        while i >= 0 and len(out) < max_words:
            s, e, w = self.words[i]
            gap = text[e:pos]
            if any(ch in _BOUNDARY for ch in gap):
                break
            if re.search(r"\d", gap) and not self.when_at(e, pos):
                break
            pos = s
            i -= 1
            if self.when_at(s, e):
                continue
            out.append(i + 1)
        return out  # nearest first

    def _is_subject_word(self, i: int) -> bool:
        s, e, w = self.words[i]
        return (self.match_at(s, e) is not None or any(rx.match(w) for rx, _ in _CONFESSION_WORDS)
                or bool(_SUBJECTISH.match(fold(w))))

    def metric_after(self, f: _Fig) -> tuple[str | None, str | None, str, int | None]:
        """(metric, unit, how, end of noun phrase) from the words after the figure."""
        idx = self._after_words(f)
        idx = [i for i in idx if not self._is_subject_word(i)]
        if not idx:
            return None, None, "", None
        limit = idx[-1] + 1
        level = None
        for n, i in enumerate(idx):
            w = self.words[i][2]
            hit = self._vocab_at(i, limit)
            if hit:
                metric, unit, size = hit
                return (f"{metric}_{level}" if level else metric), unit, "vocab", self.words[i + size - 1][1]
            lv = _level_of(w)
            if lv and n == 0:
                level = lv
                continue
            if n >= 3:
                break
        if level:
            # coordinated levels share the noun further on: `4 республикалық, 8 өңірлік ... конференциялар`
            noun = self._coordinated_noun(f)
            if noun:
                return f"{noun[0]}_{level}", noun[1], "vocab", None
            return level, None, "level", self.words[idx[0]][1]
        # an unknown noun: a slug of its stem (adjectives before it kept)
        words = []
        for i in idx[:3]:
            w = self.words[i][2]
            if fold(w) in _STOP:
                if words:
                    break
                continue
            if _looks_verbal(w):
                break
            words.append(i)
            if not _ADJ_END.search(fold(w)):
                break
        if not words:
            return None, None, "", None
        head = self.words[words[-1]][2]
        parts = [fold(self.words[i][2]) for i in words[:-1]] + [word_key(head, "kk" if self.kk else "ru")]
        slug = slugify(" ".join(parts), 40).replace("-", "_")
        return slug, None, "slug", self.words[words[-1]][1]

    def _coordinated_noun(self, f: _Fig) -> tuple[str, str] | None:
        text = self.text
        end = min(len(text), f.tail + 160)
        stop = re.search(r"[.;:()]", text[f.tail:end])
        end = f.tail + stop.start() if stop else end
        i = bisect.bisect_left(self.word_starts, f.tail)
        while i < len(self.words) and self.words[i][0] < end:
            hit = self._vocab_at(i, len(self.words))
            if hit and not self._is_subject_word(i):
                return hit[0], hit[1]
            i += 1
        return None

    def metric_before(self, f: _Fig) -> tuple[str | None, str | None, int | None, bool]:
        """(metric, unit, end of the noun, whether it stands right before the figure) from the
        noun before the figure: `діни бірлестіктердің саны 46-дан`, `таралымы 18 мың`. A Kazakh
        noun in an oblique case (`облыста 14`, `бюджеттен 177,7`) says where or whence, not what."""
        idx = self._before_words(f)
        n = 0
        for j in idx:
            word = self.words[j][2]
            if self._is_subject_word(j):
                continue
            if fold(word) in _COUNT_WORDS:
                continue
            oblique = (self.kk or any(ch in KK_LETTERS for ch in word.lower())) and _OBLIQUE.search(fold(word))
            # the longest phrase that ends at word j
            for start in range(max(0, j - 3), j + 1):
                hit = self._vocab_at(start, j + 1)
                if hit and start + hit[2] - 1 == j and not self._is_subject_word(start) and not oblique:
                    return hit[0], hit[1], self.words[j][1], n == 0
            n += 1
            if n > 4:
                break
        return None, None, None, False

    def action_of(self, f: _Fig, noun_end: int | None) -> str | None:
        s_idx = self.sentence_of(f.start)
        ss, se = self.sentences[s_idx]
        start = max(noun_end or f.tail, f.tail)
        # the clause after the counted noun, brackets masked
        src = self.src(f)
        m = re.search(r"[,;:.!?\d]", src[start:se])
        clause = src[start:start + m.start()] if m else src[start:se]
        for rx, name in _ACTIONS:
            if rx.search(clause):
                return name
        # Russian puts the verb first: `заблокировано свыше 97 тыс. ссылок`
        if not self.kk:
            seg = src[ss:f.start]
            prefix = seg[max(seg.rfind(c) for c in ",;:!?") + 1:]
            for rx, name in _ACTIONS:
                if rx.search(prefix):
                    return name
        return None

    # ---- subject and region -------------------------------------------------------------------

    def _known(self, s: int, e: int) -> list[Match]:
        i = bisect.bisect_left(self.match_starts, s)
        out = []
        while i < len(self.matches) and self.matches[i].start < e:
            if self.matches[i].end <= e:
                out.append(self.matches[i])
            i += 1
        return out

    def _subjects_in(self, s: int, e: int, nearest_last: bool) -> list[tuple[int, int, str]]:
        """(rank, distance-order, id) of subjects named in [s, e)."""
        out = []
        for m in self._known(s, e):
            prefix = m.node_id.split(":", 1)[0]
            if prefix in ("statebody", "association", "council") and _ISSUED.match(self.text, m.end):
                continue
            if prefix in _SUBJECT_RANK:
                out.append((_SUBJECT_RANK[prefix], m.start, m.end, m.node_id))
        covered = [(m.start, m.end) for m in self._known(s, e)]
        for rx, cid in _CONFESSION_WORDS:
            for mm in rx.finditer(self.text, s, e):
                if not any(a <= mm.start() < b for a, b in covered):
                    out.append((0, mm.start(), mm.end(), cid))
        return [(rank, (-st if nearest_last else st), cid) for rank, st, en, cid in out]

    @staticmethod
    def _best(cands: list[tuple[int, int, str]], regions: bool) -> str | None:
        cands = [c for c in cands if (c[0] == 9) == regions]
        return min(cands)[2] if cands else None

    def clause_before(self, f: _Fig, prev_end: int, sent_start: int) -> int:
        lo = max(prev_end, sent_start)
        m = None
        for m in re.finditer(r"[,;:]", self.src(f)[lo:f.start]):
            pass
        return lo + m.end() if m else lo

    def clause_after(self, f: _Fig, next_start: int, sent_end: int) -> int:
        hi = min(next_start, sent_end)
        m = re.search(r"[,;:]", self.src(f)[f.tail:hi])
        return f.tail + m.start() if m else hi

    def sentence_region(self, s: int, e: int) -> str | None:
        regions = [m for m in self._known(s, e) if m.node_id.startswith("region:")]
        if regions:
            return regions[0].node_id
        if _COUNTRY.search(self.text, s, e):
            return "region:kz"
        return None

    # ---- tense ------------------------------------------------------------------------------

    def present_tense(self, s: int, e: int) -> bool:
        text = self.text[s:e]
        words = _LETTERS.findall(text)
        if not words:
            return False
        if self.kk or any(ch in KK_LETTERS for ch in text.lower()):
            last = fold(words[-1])
            if last == "еді":
                return False
            return bool(re.search(r"(йды|йді|ады|еді|уда|уде|юда|юде|мақта|мекте|бақта|бекте|пақта|пекте)$", last)) \
                or last in ("бар", "жоқ")
        return _ru_present(words)


_OBLIQUE = re.compile(r"(да|де|та|те|нда|нде|ға|ге|қа|ке|на|не|дан|ден|тан|тен|нан|нен|мен|бен|пен|дағы|дегі|тағы|тегі)$")


def _looks_verbal(word: str) -> bool:
    """A finite verb or a participle (`құрайды`, `ұйымдастырылды`, `тұратын`, `действуют`):
    no noun to name a metric after."""
    return bool(re.search(r"(йды|йді|ады|еді|ылды|ілді|лды|лді|рды|рді|ған|ген|қан|кен|ып|іп|уда|уде|атын|етін|"
                          r"йтын|йтін|ют|ят|ется|ются|ится|ятся|ено|ано)$", fold(word)))


def _ru_present(words: list[str]) -> bool:
    """A Russian sentence in the present tense (or stating a state: `зарегистрировано`)."""
    analyzer = morph._analyzer()   # the one pymorphy3 instance kb.morph already holds
    present = False
    for w in words:
        p = analyzer.parse(w.lower())[0]
        tag = p.tag
        if "VERB" in tag:
            if "past" in tag:
                return False
            if "pres" in tag:
                present = True
        elif "PRTS" in tag and "past" in tag:
            present = True   # `зарегистрировано`: a state now
    return present


# --------------------------------------------------------------------------------------------

@dataclass
class _Context:
    sentence: int
    start_date: str | None
    end_date: str | None
    region: str | None


def extract_observations(doc: DocText) -> Found:
    """Observations (figures with their metric, subject, region and time) found in `doc`."""
    d = _Doc(doc)
    figs = d.figures()
    found = Found()
    if not figs:
        return found
    by_sentence: dict[int, list[_Fig]] = {}
    for f in figs:
        f.sentence = d.sentence_of(f.start)
        by_sentence.setdefault(f.sentence, []).append(f)

    contexts: dict[int, list[_Context]] = {}   # paragraph → contexts in order
    for si in sorted(by_sentence):
        sfigs = by_sentence[si]
        ss, se = d.sentences[si]
        # `Из них 2 726 исламских, ...`: a sentence that breaks down the figures of the one before
        before = by_sentence.get(si - 1, []) if _INCLUDING_START.match(d.text, ss) else []
        _metrics(d, sfigs)
        _breakdowns(d, sfigs)
        _pairs(d, sfigs, ss, se, [f for f in before if not f.drop])
        _subjects(d, sfigs, ss, se, d.sentences[si - 1][0] if before else ss)
        _dates(d, sfigs, d.sentences[si - 1][0] if before else _continued_from(d, si), se)
        para = d.paragraph_of(ss)
        _use_context(d, sfigs, ss, se, contexts.get(para, []), doc.date)
        ctx = _new_context(d, sfigs, si)
        if ctx:
            contexts.setdefault(para, []).append(ctx)
    # growth factors measured over the paragraph's change
    for f in figs:
        if f.times and not (f.date or f.period_start):
            ctxs = contexts.get(d.paragraph_of(d.sentences[f.sentence][0]), [])
            if ctxs:
                f.period_start, f.period_end = ctxs[0].start_date, ctxs[0].end_date
                f.region = f.region or ctxs[0].region
                if not f.subject and f.region:
                    f.subject, f.subject_how = f.region, "region"
    for f in figs:
        if f.drop or not f.metric:
            continue
        _emit(d, f, found)
    return found


def _metrics(d: _Doc, figs: list[_Fig]) -> None:
    for f in figs:
        metric = unit = None
        how = ""
        end = None
        noun_first_before = f.from_marker or f.to_marker or f.case in ("abl", "dat") and not f.qualifier
        including = _INCLUDING.search(d.src(f)[d.clause_before(f, 0, d.sentences[d.sentence_of(f.start)][0]):f.start])
        if noun_first_before:
            metric, unit, end, _ = d.metric_before(f)
            how = "vocab" if metric else ""
            if not metric:
                metric, unit, how, end = d.metric_after(f)
                if how == "slug":
                    metric, how = None, ""
        else:
            metric, unit, how, end = d.metric_after(f)
            if not metric or how == "slug":
                m2, u2, end2, adjacent = d.metric_before(f)
                if m2 and (not metric and not including or _prefers_before(d, f) or adjacent):
                    metric, unit, how, end = m2, u2, "vocab", end2
        if f.money:
            sent = d.text[slice(*d.sentences[d.sentence_of(f.start)])]
            money = next((name for rx, name in _MONEY_METRICS if rx.search(sent)), "amount")
            metric, how = (metric if how == "vocab" else money), "money"
        elif f.unit == "percent":
            after = d.text[f.tail:f.tail + 25].lower()
            f.change = bool(re.search(r"\bна\s*$", d.text[max(0, f.start - 6):f.start])
                            or re.match(r"[-\s]*(?:ға|ге|қа|ке)?\s*(больше|меньше|выше|ниже|артық|кем|жоғары|төмен|өс|арт|көбей|азай|кеми|қысқар)", after))
            if not metric and not f.change:
                metric, how = "share", "default"
        if metric and how in ("vocab", "slug"):
            action = d.action_of(f, end)
            if action == "covered" and (unit or f.unit) != "person":
                action = None
            if action and not metric.endswith(action):
                metric = f"{metric}_{action}"
        if f.times and metric:
            metric = metric.replace("_growth_factor", "")
        noun_after = how == "vocab" and end is not None and end > f.tail
        f.metric, f.metric_how, f.unit_from_noun, f.noun_end = metric, how, unit, end
        if f.unit is None:
            f.unit = unit or ("count" if metric else None)
        # a four-digit year-like number with no noun is a year
        if (not f.grouped and 1900 <= f.value <= 2099 and isinstance(f.value, int) and not noun_after
                and not _prefers_before(d, f) and not f.money and f.unit in (None, "count", "person")):
            f.drop = True


def _prefers_before(d: _Doc, f: _Fig) -> bool:
    """`саны 2144`, `число ... 4 000`: the count word points back."""
    idx = d._before_words(f, 3)
    return any(fold(d.words[i][2]) in ("саны", "число", "количество", "численность") for i in idx)


def _breakdowns(d: _Doc, figs: list[_Fig]) -> None:
    text = d.text
    for pm in re.finditer(r"\(([^()]{1,400})\)", text[d.sentences[figs[0].sentence][0]:d.sentences[figs[0].sentence][1]]):
        base = d.sentences[figs[0].sentence][0]
        ps, pe = base + pm.start(), base + pm.end()
        inside = [f for f in figs if ps < f.start < pe]
        if not inside:
            continue
        parents = [f for f in figs if f.tail <= ps and not f.drop and f.metric]
        if not parents:
            continue
        parent = parents[-1]
        gap_from = parent.noun_end or parent.tail
        gap = text[gap_from:ps]
        if len(gap) > 60 or any(ch in _BOUNDARY for ch in gap) or re.search(r"\d", gap):
            continue
        prev = ps + 1
        for f in inside:
            label = _breakdown_label(d, f, prev)
            prev = f.tail
            if label is None:
                continue
            f.parent = parent
            f.own_time = label == ""
            f.metric = f"{parent.metric}_{label}" if label else parent.metric
            f.metric_how = "breakdown"
            f.unit = parent.unit
            f.drop = False


def _breakdown_label(d: _Doc, f: _Fig, prev: int) -> str | None:
    words: list[str] = []
    """The breakdown's label (`video`, `republican`), "" when the bracket only gives another time
    (`(в 2015 году – 72%)`), None when there is nothing to go by."""
    timed = False
    if f.label:
        words = [f.label]
    else:
        cut = max(d.text.rfind(c, prev, f.start) for c in ",;(")
        lo = max(prev, cut + 1)
        words = [w for s, e, w in d.words[bisect.bisect_left(d.word_starts, lo):bisect.bisect_left(d.word_starts, f.start)]
                 if not (d.when_at(s, e) and (timed := True))]
        if not words and not timed:
            after = re.split(r"[,;)]", d.text[f.tail:f.tail + 80])[0]
            words = _LETTERS.findall(after)
    words = [w for w in words if fold(w) not in _STOP]
    if not words:
        return "" if timed else None
    for w in words:
        lab = _label_of(w) or _level_of(w)
        if lab:
            return lab
    i = bisect.bisect_left(d.word_starts, d.text.find(words[0], max(0, f.start - 80)))
    if 0 <= i < len(d.words):
        hit = d._vocab_at(i, len(d.words))
        if hit:
            return hit[0]
    return slugify(word_key(words[0], "kk" if d.kk else "ru"), 30).replace("-", "_")


def _pairs(d: _Doc, figs: list[_Fig], ss: int, se: int, before: list[_Fig]) -> None:
    text = d.text
    for a, b in zip(figs, figs[1:]):
        if a.partner or b.partner or a.parent or b.parent:
            continue
        if not (a.from_marker and b.to_marker):
            continue
        if b.start - a.tail > 120 or re.search(r"[;:.()]", d.text[a.tail:b.start]):
            continue
        if a.money != b.money or a.unit == "percent" and b.unit != "percent":
            continue
        clause_end = re.search(r"[;.]", d.src(b)[b.tail:se])
        clause = text[ss:b.tail + (clause_end.start() if clause_end else se - b.tail)]
        if not _GROWTH.search(clause) and not re.search(r"дейін\s*,", text[b.tail - 8:b.tail + 3]):
            # `от 10 до 15 человек`, `10-нан 15-ке дейін`: a range, not a change
            if not _GROWTH.search(text[ss:se]):
                a.drop = b.drop = a.range = b.range = True
                continue
        a.partner, b.partner = b, a
        a.role, b.role = "from", "to"
        metric = a.metric if a.metric_how == "vocab" else None
        if b.metric_how == "vocab" and (not metric or not a.metric_how == "vocab"):
            metric = b.metric
        metric = metric or a.metric or b.metric
        unit = a.unit if a.unit not in (None, "count") else (b.unit or a.unit)
        for f in (a, b):
            f.metric = metric
            f.unit = unit or f.unit or "count"
            f.drop = False
            f.confidence = 0.8
    # list members without their own noun take their neighbours' (`- 27, буддизм - 4 діни бірлестік`)
    for n, f in enumerate(figs):
        if f.metric and f.metric_how not in ("slug", "level"):
            continue
        if f.parent or f.money or f.times or f.range:
            continue
        clause = d.src(f)[d.clause_before(f, ss, ss):f.start]
        prev = figs[n - 1] if n else None
        gap = d.text[(prev.noun_end or prev.tail) if prev else ss:f.start]
        listed = (f.dash_before or f.dash_after or f.partner is not None or f.from_marker or f.to_marker
                  or _INCLUDING.search(clause) or not f.metric
                  or prev is not None and len(gap) <= 40 and re.fullmatch(r"[\s,]*(?:и|және|мен|а|ал)?\s*", gap))
        if not listed:
            continue
        neighbours = [g for g in figs if g is not f and g.metric and g.metric_how in ("vocab", "money")
                      and g.money == f.money and not g.parent and abs(g.start - f.start) < 250]
        if not neighbours and before:
            neighbours = [g for g in before if g.metric and g.metric_how in ("vocab", "money", "carried")
                          and g.money == f.money][-1:]
        if not neighbours:
            continue
        g = min(neighbours, key=lambda g: abs(g.start - f.start))
        f.metric, f.metric_how = g.metric, "carried"
        f.unit = f.unit if f.unit not in (None, "count") else g.unit
        f.drop = False
        f.confidence = 0.65
        if f.partner and not f.partner.metric:
            f.partner.metric, f.partner.unit = g.metric, g.unit


_INCLUDING_START = re.compile(r"\W*(?:из\s+них|в\s+том\s+числе|из\s+которых|оның\s+ішінде|олардың\s+ішінде|"
                              r"соның\s+ішінде|олардың\s+(?=\d)|оның\s+(?=\d))", re.I)
_INCLUDING = re.compile(r"в\s+том\s+числе|из\s+них|из\s+которых|оның\s+ішінде|соның\s+ішінде|олардың\s+ішінде|"
                        r"\bоның\b|\bолардың\b", re.I)


def _subjects(d: _Doc, figs: list[_Fig], ss: int, se: int, region_from: int) -> None:
    prev_end = ss
    prev_from_before: str | None = None
    for n, f in enumerate(figs):
        next_start = figs[n + 1].start if n + 1 < len(figs) else se
        lo = d.clause_before(f, prev_end, ss)
        hi = d.clause_after(f, next_start, se)
        before = d._subjects_in(lo, f.start, nearest_last=True)
        after = d._subjects_in(f.tail, hi, nearest_last=False)
        subject = None
        if not d.kk:
            # Russian adjectives follow the figure: `2 600 исламских и 300 православных`
            np_end = min(hi, f.tail + 40, f.noun_end + 1 if f.noun_end else hi)
            subject, how = d._best(d._subjects_in(f.tail, np_end, nearest_last=False), False), "after"
        if not subject:
            subject, how = d._best(before, False), "before"
        if not subject:
            subject, how = d._best(after, False), "after"
        if not subject and f.role == "to" and f.partner:
            subject, how = f.partner.subject if f.partner.subject_how != "region" else None, "partner"
        if not subject and f.parent:
            subject, how = f.parent.subject, "parent"
        if not subject and prev_from_before:
            subject, how = prev_from_before, "inherited"
        region = d._best(before, True) or d._best(after, True) or d.sentence_region(region_from, se)
        if f.parent and not region:
            region = f.parent.region
        if f.role == "to" and f.partner and not region:
            region = f.partner.region
        f.region = region
        if subject:
            f.subject, f.subject_how = subject, how
        elif region:
            f.subject, f.subject_how = region, "region"
        if not subject:
            prev_from_before = None
        elif how in ("before", "inherited", "partner", "parent"):
            prev_from_before = subject
        else:
            prev_from_before = None
        prev_end = f.tail


def _continued_from(d: _Doc, si: int) -> int:
    """Where the sentence starts for dating its figures: a sentence cut by a blank line (a page
    or table break in a PDF) continues the text before, when that does not end a sentence."""
    ss = d.sentences[si][0]
    if si > 0:
        ps, pe = d.sentences[si - 1]
        tail = d.text[ps:pe].rstrip()
        if tail and tail[-1] not in ".!?…;:»\")" and pe - ps < 1500:
            return ps
    return ss


def _dates(d: _Doc, figs: list[_Fig], ss: int, se: int) -> None:
    whens = [w for w in d.whens if ss <= w.start and w.end <= se and w.kind in ("date", "period", "since")]
    for f in figs:
        if f.parent:
            continue
        f.when = _when_for(d, f, whens, figs)
    for f in figs:
        if f.parent:
            inside = [w for w in whens if f.parent.tail <= w.start and w.end <= f.start + 60]
            f.when = _when_for(d, f, inside, figs) if f.own_time else f.parent.when
    # changes: the start and the end of a change are dated apart
    for f in figs:
        if f.role != "from" or not f.partner:
            continue
        a, b = f, f.partner
        ranges = [w for w in whens if w.years and not w.title]
        if a.when is b.when or b.when is None:
            if ranges:
                ya, yb = ranges[0].years
                a.when = _When(ranges[0].start, ranges[0].end, "date", date=ya)
                b.when = _When(ranges[0].start, ranges[0].end, "date", date=yb)
            elif a.when is b.when:
                a.when = None
    for f in figs:
        _apply_when(f, f.when)


def _when_for(d: _Doc, f: _Fig, whens: list[_When], figs: list[_Fig]) -> _When | None:
    text = d.text
    others = [g for g in figs if g is not f]

    def clean_gap(a: int, b: int) -> bool:
        gap = text[a:b]
        if b - a > 30 or any(ch in ",;:()" for ch in gap):
            return False
        return not any(a <= g.start < b for g in others)

    following = next((w for w in whens if w.start >= f.tail and clean_gap(f.tail, w.start)), None)
    preceding_adjacent = next((w for w in reversed(whens) if w.end <= f.start and clean_gap(w.end, f.start)), None)
    kk = d.kk or any(ch in KK_LETTERS for ch in text[max(0, f.start - 60):f.start].lower())
    if kk and preceding_adjacent:
        return preceding_adjacent
    if following and (not kk or not f.from_marker):
        return following
    if preceding_adjacent:
        return preceding_adjacent
    preceding = [w for w in whens if w.end <= f.start]
    if f.role == "to" and f.partner:
        # the end of a change: only a date between its start and itself counts
        preceding = [w for w in preceding if w.start >= f.partner.tail]
    plain = [w for w in preceding if not w.title]
    if plain:
        return plain[-1]
    if preceding:
        return preceding[-1]
    return None


def _apply_when(f: _Fig, w: _When | None) -> None:
    f.date = f.period_start = f.period_end = None
    if w is None:
        return
    if w.kind == "date":
        f.date = w.date
    elif w.kind == "period":
        f.period_start, f.period_end = w.period_start, w.period_end
    elif w.kind == "since":
        f.period_start = w.period_start


def _use_context(d: _Doc, figs: list[_Fig], ss: int, se: int, ctxs: list[_Context], doc_date: str | None) -> None:
    sentence = figs[0].sentence
    recent = [c for c in ctxs if sentence - c.sentence <= 3]
    every = any(w.kind == "every" and ss <= w.start < se for w in d.whens)
    present = True if any(w.kind == "now" and ss <= w.start < se for w in d.whens) else None
    for f in figs:
        if f.date or f.period_start or f.times:
            continue
        if f.role and f.partner and recent:
            c = recent[-1]
            f.date = c.start_date if f.role == "from" else c.end_date
            f.region = f.region or c.region
            if f.subject is None and c.region:
                f.subject, f.subject_how = c.region, "region"
            f.used_context = True
            continue
        if every or f.role:
            continue
        if present is None:
            present = d.present_tense(ss, se)
        if not present:
            continue
        if f.parent:
            f.date = f.parent.date
            continue
        if recent and recent[-1].end_date:
            f.date = recent[-1].end_date
            f.region = f.region or recent[-1].region
            f.used_context = True
        elif doc_date:
            f.date = doc_date
            f.confidence = min(f.confidence, 0.6)
    for f in figs:
        if f.parent and not (f.date or f.period_start):
            f.date, f.period_start, f.period_end = f.parent.date, f.parent.period_start, f.parent.period_end
        if f.subject is None and f.region:
            f.subject, f.subject_how = f.region, "region"


def _new_context(d: _Doc, figs: list[_Fig], sentence: int) -> _Context | None:
    for f in figs:
        if f.role == "from" and f.partner and f.date and f.partner.date and f.date != f.partner.date:
            return _Context(sentence, f.date, f.partner.date, f.region or f.partner.region)
    for f in figs:
        if f.to_marker and not f.role and f.date and not f.times:
            earlier = [g for g in figs if g.start < f.start and g.date and g.date != f.date and g.metric == f.metric]
            if earlier:
                return _Context(sentence, earlier[0].date, f.date, f.region or earlier[0].region)
    return None


def _emit(d: _Doc, f: _Fig, found: Found) -> None:
    if f.times:
        if f.to_marker and not f.role:
            f.qualifier = f.qualifier or "up_to"
        clause = d.text[d.sentences[f.sentence][0]:d.sentences[f.sentence][1]]
        f.metric = f"{f.metric}_{'growth_factor' if _GROWTH.search(clause) else 'ratio'}"
    if f.change and not f.metric.endswith("_change"):
        f.metric = f"{f.metric}_change"
    elif f.to_marker and not f.role and not _GROWTH.search(d.text[f.tail:f.tail + 60]):
        f.qualifier = f.qualifier or "up_to"
    when = f.date or (f"{f.period_start}..{f.period_end or ''}" if f.period_start else None)
    key = f"obs:{f.metric}:{f.subject}:{when}:{f.value}:{f.start}"
    name = f.metric + (f" of {f.subject}" if f.subject else "")
    if f.date:
        name += f" on {f.date}"
    elif f.period_start:
        name += f" in {f.period_start}..{f.period_end or ''}"
    qual = {"more_than": "more than ", "about": "about ", "less_than": "less than ", "at_least": "at least ",
            "at_most": "at most ", "up_to": "up to "}.get(f.qualifier or "", "")
    name += f": {qual}{f.value}" + (f" {f.unit}" if f.unit and f.unit not in ("count",) else "")
    props = {"metric": f.metric, "value": f.value, "unit": f.unit, "date": f.date,
             "period_start": f.period_start, "period_end": f.period_end}
    if f.qualifier:
        props["qualifier"] = f.qualifier
    conf = f.confidence
    if f.metric_how == "vocab":
        conf += 0.05
    elif f.metric_how == "slug":
        conf -= 0.15
    conf = round(max(0.3, min(0.95, conf)), 2)
    found.findings.append(Finding(label="Observation", name=name, start=f.start, end=f.end, key=key,
                                  props=props, method="pattern", confidence=conf))
    evidence = d.doc.sentence(f.start, f.end)
    if f.subject:
        found.links.append(Link(type="ABOUT", start=key, end=f.subject, evidence=evidence,
                                method="pattern", confidence=round(conf - (0.1 if f.subject_how == "region" else 0), 2)))
    if f.region:
        found.links.append(Link(type="IN", start=key, end=f.region, evidence=evidence,
                                method="pattern", confidence=round(conf - 0.05, 2)))
