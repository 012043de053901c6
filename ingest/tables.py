"""Tables flattened from PDF: a programme's action plan (іс-шаралар жоспары / план мероприятий) and a
two-column passport, rebuilt from the clean text with their spans.

The extractor wrote a PDF table cell by cell: after the header and a column-number row ``1 2 3 ... N``,
each row's cells follow one another, mostly separated by blank lines (number ``1.``, measure, completion
form, executors, deadline, one funding cell per year, funding source).  A direction heading (a merged
cell spanning the row) comes as a cell before the first row of its direction.  A row split across a page
continues after the page break with only the cells that had more to say (the measure ending in
``жөнінде-`` goes on with ``гі кеңестердің ...``), in column order; a cell empty on the first page may be
filled there too.

How a table is rebuilt (`parse_action_plan`):

1. *Layout*: the column-number row gives the number of columns N; the header above it gives the column
   roles in order (``N``/``№``, іс-шара/мероприятие, аяқтау нысаны/форма завершения, жауапты
   орындаушылар/ответственные исполнители, орындау мерзімі/срок исполнения, ресурстар/расходы (one
   column per header year), қаржыландыру көздері/источники финансирования).  Without a readable header
   the usual order is assumed.
2. *Pieces*: the table text is cut into pieces: at blank lines, at page breaks (``page_breaks``, or three
   blank lines), around a row number alone on its line (``6.``), between values on one line (``- 5,836
   19,323``, ``Талап етілмейді - -``, ``қаңтарға   -``), and after a complete funding value or source
   (``Талап етілмейді`` | ``одан әрі ...``; ``Республикалық бюджет`` | ``Мемлекеттік қызметшілердің ...``).
3. *Rows*: row numbers ``1.``, ``2.``, ... counting up by one are anchors; each row owns the pieces from
   its start to the next row's start.  A row may start before its number (a heading, or in one sample a
   whole page of cells before the number), so the start of every row is chosen among the pieces that may
   begin one (capitalised), by a chain search maximising the sum of row scores.
4. *Cells*: within a row every piece gets a column (or "heading") by a beam search scoring
   - the vocabulary of each column: funding values (numbers, ``Талап етілмейді``/``Не требуется``, ``-``,
     ``Мемлекеттік тапсырыс шеңберінде``), sources (``Республикалық бюджет``), deadlines (years, months,
     тоқсан, жыл сайын, I-IV), executors (abbreviations, ``...мині``, министрлігі, әкімдіктері, облыстар,
     Астана, ``(жинақтау)``), completion forms (ақпарат, ұсыныс, хаттама, шешім, Үкіметіне); word pieces
     at a cut (``Респуб-``, ``ликалық``, ``тоқ -``, ``сан``) match a word of the vocabulary they begin or
     end;
   - the order: columns increase within a page; going back to an earlier column means a page break (a
     penalty; when ``page_breaks`` are known, only at one) and the piece then continues a cell that
     overflowed (ending with a hyphen, a comma, a conjunction, and the piece starting lowercase or with a
     comma: a bonus) or fills one that was empty; a complete funding value is never continued;
   - every row should have a measure, a completion form, executors, a deadline and its funding cells.
5. *Text*: a cell's text is its pieces joined, whitespace collapsed, a word cut at a hyphen joined
   (``жөнінде-`` + ``гі`` -> ``жөніндегі``, ``тоқ -`` + ``сан`` -> ``тоқсан``, ``Жер`` + ``-`` + ``гілікті``
   -> ``Жергілікті``) unless the document writes it with the hyphen (``мемлекеттік-конфессиялық``), the
   left part is a number or an abbreviation (``БАҚ-та``) or a conjunction follows (``теле- және``).
   `join_pieces` rebuilds it from the spans.
6. *Totals*: the ``Жиыны``/``Барлығы``/``Итого``/``Всего`` rows after the last row; their figures come one
   per line, several rows interleaved (``68,1 68,1 31,6 31,6 ...``): the reading (row- or column-major)
   whose rows add up is taken.  `ActionPlan.check_sums` compares the rows' funding with them.

`parse_two_column` reads a passport (key column, value column) whose key words the extractor scattered
into the value lines (``Бағдарлама-        Қазақстан ... мемлекеттік- ның атауы``).

Known limitations:
- Cells are assigned by vocabulary and order; a piece that fits two columns equally (a lone ``-`` in a
  funding or the source column, a completion form reading like an executor) goes where the order and
  the row's other pieces put it; in sample 001 both readings give the same values, elsewhere they
  may not.
- Without ``page_breaks``, a page break the normaliser removed inside a block (``Жер`` /
  ``қызметкерлерінің ...``) cannot be seen, and such a block stays one piece (one cell): on sample 001
  that costs one measure and one source of 23 rows (with them, every cell matches the gold).
- A table with a column-number row but without a header is read in the usual column order; columns the
  header does not explain are "other" and ignored.
- Cost: a beam search per candidate row start; about 0.3 s for sample 001's 23 rows.
- Row numbers must stand at the start of a line and count up by one (``1.``, ``2.``; ``1.1.`` is not
  read); a table without a column-number row is not found.
- A heading is told from a measure by position (before the row's number, before the measure) and
  shape; a measure whose second half begins with a capital after a blank line may be read as heading +
  measure.
- Funding cells hold one figure each.  A total column is read (`PlanRow.funding_total`) when the
  header says Барлығы/Всего and there is one funding column more than header years; otherwise funding
  columns without a header year are keyed by their column number (with a warning).
- The passport reader knows the usual passport key words (атауы, негіз, әзірлеуші, мақсаты, міндеттері,
  мерзімдері, көздері, нәтиже, and the Russian ones); a value line ending with such a word in an entry's
  first lines loses it to the key, and a key word not in that list stays in the value.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from ingest.dates import KK_MONTHS, RU_MONTH_STEMS

__all__ = [
    "Cell", "PlanRow", "ActionPlan", "find_column_number_rows", "parse_action_plan", "split_executors",
    "parse_two_column", "join_pieces", "parse_amount", "page_breaks_of", "is_none_value",
]

TOLERANCE = 0.05


# ---------------------------------------------------------------------------------------------
# results

@dataclass
class Cell:
    """A table cell: its joined text, the span of its first piece, and the spans of all its pieces
    (more than one when the cell was continued after a page break)."""

    text: str
    start: int
    end: int
    pieces: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class PlanRow:
    number: int
    direction: str | None
    measure: Cell
    completion_form: Cell
    executors: Cell
    deadline: Cell
    funding: dict[int, float | None]          # year -> million (unit of the header); None: no figure
    funding_cells: dict[int, Cell]
    funding_source: Cell | None               # None when absent or "-"
    span: tuple[int, int]
    funding_notes: dict[int, str] = field(default_factory=dict)   # a non-figure funding cell's text
    funding_total: float | None = None         # the row's total column, when the table has one


@dataclass
class ActionPlan:
    header_years: list[int]
    rows: list[PlanRow]
    totals: dict[int, float] | None            # the table's grand total row, per year
    stated_total: float | None                 # its total over the years, when the table gives one
    warnings: list[str]
    span: tuple[int, int] = (0, 0)
    totals_rows: list[tuple[str, list[float]]] = field(default_factory=list)  # every totals row read

    def sums(self) -> dict[int, float]:
        """The rows' funding per year (figures only)."""
        out = {y: 0.0 for y in self.header_years}
        for row in self.rows:
            for y, v in row.funding.items():
                if v is not None:
                    out[y] = out.get(y, 0.0) + v
        return out

    def check_sums(self, expected: dict[int, float] | None = None) -> list[str]:
        """Warnings where the rows' funding per year differs (by more than 0.05) from the table's totals
        row, from its stated total, or from `expected` (e.g. the figures stated in the text)."""
        sums = self.sums()
        out: list[str] = []
        for label, target in (("table total", self.totals), ("expected", expected)):
            if not target:
                continue
            for year, value in sorted(target.items()):
                got = sums.get(year, 0.0)
                if abs(got - value) > TOLERANCE:
                    out.append(f"{year}: rows sum to {_fmt(got)}, {label} is {_fmt(value)}")
        if self.stated_total is not None:
            got = sum(sums.values())
            if abs(got - self.stated_total) > TOLERANCE:
                out.append(f"all years: rows sum to {_fmt(got)}, table total is {_fmt(self.stated_total)}")
        return out


def _fmt(x: float) -> str:
    """68.1 -> "68.1", 31.604 -> "31.604", 78.0 -> "78"."""
    return f"{x:.3f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------------------------------------
# small text helpers

_WS = re.compile(r"\s+")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
_GROUPED_NUMBER = re.compile(r"^\d{1,3}(?: \d{3})+(?:[.,]\d+)?$")
_DASH = re.compile(r"^[-‐‑–—]$")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_CONJ = {"және", "немесе", "мен", "бен", "пен", "әрі", "и", "или", "либо", "а"}


def _collapse(s: str) -> str:
    return _WS.sub(" ", s).strip()


def _first_alpha(s: str) -> str:
    for c in s:
        if c.isalpha():
            return c
    return ""


def _starts_lower(s: str) -> bool:
    s = s.lstrip()
    return bool(s) and s[0].isalpha() and s[0].islower()


def _lines(text: str, start: int, end: int):
    """(line_start, line_end) of each line of text[start:end], without the newline."""
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        if nl < 0:
            yield pos, end
            return
        yield pos, nl
        pos = nl + 1


def parse_amount(s: str) -> float | None:
    """``5,836`` -> 5.836, ``1 234,5`` -> 1234.5; anything else (``-``, ``Талап етілмейді``) -> None."""
    t = _collapse(s)
    if _GROUPED_NUMBER.match(t):
        t = t.replace(" ", "")
    if _NUMBER.match(t):
        return float(t.replace(",", "."))
    return None


# ---------------------------------------------------------------------------------------------
# vocabulary of the columns (general words of action plans, Kazakh and Russian)

_F_PHRASES = [
    "талап етілмейді", "қажет етілмейді", "талап етпейді", "қажет етпейді",
    "қаржыландыру талап етілмейді", "мемлекеттік тапсырыс шеңберінде", "бөлінген қаражат шегінде",
    "қаражат шегінде", "не требуется", "финансирование не требуется", "не требует финансирования",
    "в рамках государственного заказа", "в рамках госзаказа", "в пределах выделенных средств",
    "в пределах предусмотренных средств",
]
_NONE_PHRASES = ["талап етілмейді", "қажет етілмейді", "талап етпейді", "қажет етпейді",
                 "қаржыландыру талап етілмейді", "не требуется", "финансирование не требуется",
                 "не требует финансирования"]
_S_PHRASES = [
    "республикалық бюджет", "жергілікті бюджет", "облыстық бюджет", "бюджет", "республикалық бюджет қаражаты",
    "жергілікті бюджет қаражаты", "жергілікті бюджеттер", "бюджеттен тыс қаражат", "бюджеттен тыс көздер",
    "меншікті қаражат", "демеушілік қаражат", "инвесторлар қаражаты", "гранттар",
    "республиканский бюджет", "местный бюджет", "местные бюджеты", "областной бюджет",
    "внебюджетные средства", "собственные средства", "средства инвесторов", "спонсорские средства", "гранты",
    "рб", "мб",
]
_F_WORDS = {w for p in _F_PHRASES for w in p.split()} | {"млн", "теңге", "тенге", "қаржыландыру",
                                                         "тапсырысы", "қаражаттар", "госзаказ"}
_S_WORDS = {w for p in _S_PHRASES for w in p.split()} | {
    "бюджеті", "бюджеттер", "бюджеттің", "бюджеттен", "бюджеттерінің", "бюджеттері", "бюджеты", "қаражаты",
    "және", "и", "көздер", "средств", "бюджета"}
_D_WORDS = {
    "жыл", "жылы", "жылғы", "жылдың", "жылдар", "жылдары", "жылда", "жылдардың", "жылға", "жылдарға",
    "сайын", "тоқсан", "тоқсаны", "тоқсанда", "тоқсанның", "тоқсанына", "тоқсандар", "ай", "айы", "айда",
    "айына", "апта", "аптасы", "жартыжылдық", "жартыжылдығы", "және", "мен", "дейін", "бастап", "ішінде",
    "бойы", "тұрақты", "үнемі", "түрде", "кезең", "кезеңде", "аралығында", "сы", "сына", "ші", "сі",
    "ежегодно", "ежеквартально", "ежемесячно", "год", "года", "году", "годы", "годов", "квартал",
    "квартала", "квартале", "кварталы", "полугодие", "полугодия", "до", "числа", "течение", "в", "и",
    "постоянно", "раз", "срок", "декада", "декабря", "конца", "по", "с", "г", "гг", "ж", "жж",
}
_D_STEMS = (*KK_MONTHS, *(m for m in RU_MONTH_STEMS if m != "ма"),
            "ежегод", "ежекварт", "тоқсан", "жартыжыл", "полугод", "квартал")
_D_FULL = _D_WORDS | set(_D_STEMS) | {"қаңтарға", "шілдеге", "шілдеде", "желтоқсанға", "тоқсаны"}
_E_WORDS = {
    "және", "мен", "и", "облыстар", "облыстардың", "облыстарының", "облыстың", "облысы", "облыс", "қала",
    "қалалар", "қалаларының", "қаласының", "қалалары", "қаласы", "әкімдіктері", "әкімдігі", "әкімдіктер",
    "әкімдіктерінің", "аудандардың", "аудандар", "астана", "астананың", "алматы", "алматының", "шымкент",
    "шымкенттің", "жинақтау", "келісім", "бойынша", "келісімі", "акиматы", "акиматов", "акимат", "областей",
    "области", "городов", "города", "астаны", "районов", "свод", "согласованию", "по", "мүдделі",
    "мемлекеттік", "органдар", "органдары", "органы", "государственные", "заинтересованные", "орталық",
    "жергілікті", "атқарушы", "центральные", "местные", "исполнительные", "ұйымдар", "бірлестіктер",
    "организации", "объединения", "үеұ", "нпо",
}
_E_STEMS = ("министрлі", "министерств", "агентті", "агентств", "комитет", "департамент", "әкімді", "акимат",
            "басқарма", "управлени", "ведомств", "облыстар", "қалалар", "орталығы", "академия", "университет")
_E_FULL = _E_WORDS | set(_E_STEMS)
_C_WORDS = {
    "хаттама", "хаттамасы", "ақпарат", "ақпараты", "ұсыныс", "ұсыныстар", "шешім", "шешімі", "шешімдер",
    "баяндама", "баяндамасы", "жоба", "жобасы", "жобалары", "бұйрық", "бұйрығы", "қаулы", "қаулысы", "есеп",
    "есебі", "заң", "жоспар", "жоспары", "әдістеме", "әдістемелік", "ұсынымдар", "ұсынымдары", "және", "мен",
    "енгізу", "бекіту", "нормативтік", "құқықтық", "акт", "актісі", "актілер", "актілерінің", "информация",
    "предложение", "предложения", "протокол", "решение", "доклад", "проект", "приказ", "постановление",
    "отчет", "отчёт", "закон", "план", "в", "и", "нпа", "мемлекеттік", "органдарға",
}
_C_STEMS = ("үкімет", "қазақстан", "республика", "правительств", "республик", "казахстан", "министрлік",
            "министерств", "ақпарат", "ұсыныс", "хаттама", "информаци", "предложени")
_C_FULL = _C_WORDS | set(_C_STEMS) | {"үкіметіне", "республикасының"}

_WORD = re.compile(r"[^\W_][\w\-‐]*")
_ROMAN = re.compile(r"^[IVXІ]{1,4}$")


def _words(s: str) -> list[str]:
    return _WORD.findall(s)


def _phrase_match(words: list[str], phrase: list[str], prefix_ok: bool = False) -> bool:
    if len(words) > len(phrase) or (not prefix_ok and len(words) != len(phrase)):
        return False
    for w, p in zip(words, phrase):
        if not (w == p or (len(p) >= 5 and w.startswith(p))):
            return False
    return True


def _phrase_words(s: str) -> list[str]:
    return [w.strip("-‐").lower() for w in _collapse(s).replace("(", " ").replace(")", " ").split()
            if w.strip("-‐,.;:")]


_SPLIT_F = [p.split() for p in _F_PHRASES]
_SPLIT_S = [p.split() for p in _S_PHRASES]


def _is_value(s: str, phrases=None) -> bool:
    """A complete funding value or source phrase (or a figure, a dash)."""
    t = _collapse(s).strip(" .;,")
    if not t:
        return False
    if _DASH.match(t) or _NUMBER.match(t) or _GROUPED_NUMBER.match(t):
        return True
    words = _phrase_words(t)
    phrases = phrases if phrases is not None else _SPLIT_F + _SPLIT_S
    if len(words) > max(map(len, phrases), default=0):
        return False        # a whole-phrase match needs as many words as the phrase
    return any(_phrase_match(words, ph) for ph in phrases)


def _is_value_prefix(s: str, phrases) -> bool:
    words = _phrase_words(s)
    return any(_phrase_match(words, ph, prefix_ok=True) for ph in phrases)


def is_none_value(s: str) -> bool:
    """``-``, ``Талап етілмейді``, ``Не требуется``: a cell saying "no figure / none"."""
    t = _collapse(s).strip(" .;,")
    if not t or _DASH.match(t):
        return True
    words = _phrase_words(t)
    return any(_phrase_match(words, p.split()) for p in _NONE_PHRASES)


def _is_abbrev(w: str) -> bool:
    letters = [c for c in w if c.isalpha()]
    if len(letters) < 2 or _ROMAN.match(w):
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper >= 2 and upper >= len(letters) / 2


class _Vocab:
    """Word matching for one role: exact words, stems (prefix match), and word pieces cut at a page or
    line break (a prefix ending in ``-`` or a suffix opening a piece) matching a full word."""

    def __init__(self, words: set[str], stems: tuple[str, ...], full: set[str]):
        self.words = words
        self.stems = stems
        self.full = full

    def match(self, w: str, first: bool, cut: bool) -> bool | None:
        """Whether word `w` is in the vocabulary; `first`: it opens a piece (a lowercase one may be the end
        of a cut word), `cut`: it ends a piece at a page break (it may be the start of one)."""
        cut_end = w.endswith(("-", "‐")) or cut
        lw = w.strip("-‐").lower()
        if not lw:
            return None
        if lw in self.words or any(lw.startswith(s) for s in self.stems):
            return True
        if cut_end and len(lw) >= 3 and any(f.startswith(lw) for f in self.full):
            return True
        if first and w[0].islower() and len(lw) >= 2 and any(f.endswith(lw) and f != lw for f in self.full):
            return True
        return False


_VOCAB = {
    "funding": _Vocab(_F_WORDS, (), _F_WORDS),
    "source": _Vocab(_S_WORDS, ("бюджет", "республикал", "жергілікт"), _S_WORDS | {"республикалық", "жергілікті"}),
    "deadline": _Vocab(_D_WORDS, _D_STEMS, _D_FULL),
    "executors": _Vocab(_E_WORDS, _E_STEMS, _E_FULL),
    "completion": _Vocab(_C_WORDS, _C_STEMS, _C_FULL),
}


def _coverage(text: str, role: str, abbrevs: frozenset[str], cut_last: bool = False) -> float:
    """The share of the words of `text` in the vocabulary of column `role`."""
    ws = _words(text)
    if not ws:
        return 0.0
    voc = _VOCAB[role]
    hit = n = 0.0
    for i, w in enumerate(ws):
        if role == "deadline" and (w[0].isdigit() or _ROMAN.match(w)):
            hit += 1
            n += 1
            continue
        if role == "executors" and (_is_abbrev(w) or "мині" in w.lower() or w in abbrevs):
            hit += 1
            n += 1
            continue
        if role == "completion" and (_is_abbrev(w) or "мині" in w.lower() or w in abbrevs):
            hit += 0.5
            n += 1
            continue
        m = voc.match(w, i == 0, cut_last and i == len(ws) - 1)
        if m is None:
            continue
        n += 1
        hit += 1 if m else 0
    return hit / n if n else 0.0


def _closed_score(c: float) -> float:
    if c >= 0.999:
        return 2.0
    if c >= 0.75:
        return 1.0
    if c >= 0.5:
        return 0.0
    if c >= 0.25:
        return -1.5
    return -3.0


# ---------------------------------------------------------------------------------------------
# joining pieces

_HYPHEN_END = re.compile(r"([^\s\-‐]+)[ \t]?[-‐]$")


def _join(a: str, b: str, doc: str) -> str:
    """Append fragment `b` to the text `a`, joining a word cut at a hyphen."""
    b = b.strip()
    if not a:
        return b
    if not b:
        return a
    if _DASH.match(b) and a[-1].isalpha():
        return a + " -"  # maybe the hyphen of a cut word (Жер - гілікті), decided by what follows
    if b[0] in "-‐" and len(b) > 1 and _starts_lower(b[1:]) and a[-1].isalpha():
        a, b = a + "-", b[1:].lstrip()
    m = _HYPHEN_END.search(a)
    if m and _starts_lower(b):
        left = m.group(1)
        right = _words(b)[0] if _words(b) else ""
        frag = re.split(r"[-‐]", left)[-1]
        keep = False
        if right.lower() in _CONJ or not frag or frag[-1].isdigit() or _is_abbrev(frag) or not frag[-1].isalpha():
            if right.lower() in _CONJ:
                return a + " " + b
            keep = True
        else:
            lo = doc.lower()
            joined, hyph = (left + right).lower(), (left + "-" + right).lower()
            keep = lo.count(hyph) > lo.count(joined)
        return a[:m.end(1)] + ("-" if keep else "") + b
    if b[0] in ",;:.)":
        return a + b
    return a + " " + b


def join_pieces(text: str, spans: Sequence[tuple[int, int]], doc: str | None = None) -> str:
    """The text of a cell from its pieces' spans: lines and pieces joined with single spaces, words cut
    at a hyphen joined (see `_join`); `doc` (default `text`) is the evidence for keeping a hyphen."""
    doc = text if doc is None else doc
    out = ""
    for s, e in spans:
        for ls, le in _lines(text, s, e):
            line = _collapse(text[ls:le])
            if line:
                out = _join(out, line, doc)
    return _collapse(out)


# ---------------------------------------------------------------------------------------------
# column-number rows and the header

_NUMROW = re.compile(r"^[ \t]*(1(?:[ \t]+\d{1,2}){2,})[ \t]*$", re.M)


def find_column_number_rows(text: str) -> list[int]:
    """Offsets of the lines reading ``1 2 3 ... N`` (N >= 3): a table's column-number row."""
    out = []
    for m in _NUMROW.finditer(text):
        nums = [int(x) for x in m.group(1).split()]
        if nums == list(range(1, len(nums) + 1)):
            out.append(m.start(1))
    return out


_ROLE_PATTERNS = [
    ("number", re.compile(r"(?<![\w])(?:N|№|Р/с|р/с|п/п|Р/с\s*№)(?![\w])")),
    ("measure", re.compile(r"іс[-\s]?шара|мероприяти|атауы|наименовани", re.I)),
    ("completion", re.compile(r"аяқтау\s+нысан|форма\s+завершени|нысаны", re.I)),
    ("executors", re.compile(r"жауапты\s+орындаушы|ответственн\w*\s+исполнител|орындаушы|исполнител", re.I)),
    ("deadline", re.compile(r"орындау\s+мерзім|срок\w*\s+(?:исполнени|выполнени|реализац)|мерзім|срок", re.I)),
    ("funding", re.compile(r"ресурс|болжамды\s+шығыс|предполагаем\w*\s+расход|шығыстар|расход|сомасы|млн", re.I)),
    ("source", re.compile(r"қаржыландыру\s+көз|источник\w*\s+финансир|көздері", re.I)),
]
_DEFAULT_ORDER = ["number", "measure", "completion", "executors", "deadline", "funding", "source"]


@dataclass
class _Layout:
    roles: list[str]            # role of each column (index 0 = column 1)
    years: list[int]            # the year of each funding column, in order

    def cols(self, role: str) -> list[int]:
        return [i for i, r in enumerate(self.roles) if r == role]


_TOTAL_WORD = re.compile(r"(?<!\w)(Барлығы|Жиыны|Всего|Итого)(?!\w)", re.I)


def _layout(header: str, n_cols: int) -> tuple[_Layout, list[str]]:
    warnings: list[str] = []
    found = []
    for role, pat in _ROLE_PATTERNS:
        m = pat.search(header)
        if m:
            found.append((m.start(), role))
    order = [r for _, r in sorted(found)]
    year_lines = [(i, ln) for i, ln in enumerate(header.splitlines()) if _YEAR.search(ln) and re.fullmatch(
        r"[\s\d]+", _TOTAL_WORD.sub("", ln).replace("ж.", "").replace("г.", "").replace("жылы", "").replace("год", ""))]
    years = [int(y) for y in _YEAR.findall(year_lines[-1][1])] if year_lines else []
    if not {"measure", "executors"} <= set(order):
        warnings.append("header not understood; assuming the usual column order")
        order = list(_DEFAULT_ORDER)
    if "number" not in order:
        order.insert(0, "number")
    n_fund = n_cols - (len(order) - (1 if "funding" in order else 0))
    if "funding" not in order or n_fund < 1:
        n_fund = 0
        order = [r for r in order if r != "funding"]
    fund_roles = ["funding"] * n_fund
    total = _TOTAL_WORD.search(header)
    if total and years and n_fund == len(years) + 1:
        # a total column among the funding columns: before or after the years
        first_year = header.find(str(years[0]))
        fund_roles = ["total"] + fund_roles[1:] if total.start() < first_year else fund_roles[:-1] + ["total"]
    roles: list[str] = []
    for r in order:
        roles += fund_roles if r == "funding" else [r]
    if len(roles) != n_cols:
        warnings.append(f"header gives {len(roles)} columns, the column-number row {n_cols}")
        roles = (roles + ["other"] * n_cols)[:n_cols]
    n_fund = roles.count("funding")
    if len(years) != n_fund:
        warnings.append(f"{n_fund} funding columns but header years {years}; funding keyed by column number")
        years = [i + 1 for i, r in enumerate(roles) if r == "funding"]
    return _Layout(roles, years), warnings


# ---------------------------------------------------------------------------------------------
# pieces

@dataclass
class _Piece:
    start: int
    end: int
    spans: list[tuple[int, int]]      # the line spans it was made of (one piece of a cell)
    text: str = ""
    emit: dict[str, float] = field(default_factory=dict)
    first_lower: bool = False
    first_punct: bool = False
    first_digit: bool = False
    first_upper: bool = False
    is_dash: bool = False
    complete_f: bool = False
    complete_s: bool = False
    end_hyphen: bool = False
    end_comma: bool = False
    end_conj: bool = False
    page_before: bool = False         # a page break just before this piece
    page_after: bool = False          # ... just after it (its last word may be cut)


_ANCHOR = re.compile(r"^[ \t]*(\d{1,3})\.(?:[ \t]+(\S.*))?$")
_TOTALS = re.compile(r"^[ \t]*(Жиыны|Барлығы|Жалпы сомасы|Итого|Всего)\b[^\n]*", re.M | re.I)
_AFTER_TABLE = re.compile(r"^[ \t]*(Ескертпе|Ескерту|Примечани|аббревиатура|Аббревиатура|Расшифровка|Список сокращений)",
                          re.M)


def _value_token(tok: str) -> bool:
    if _DASH.match(tok):
        return True
    if _NUMBER.match(tok):
        return not re.fullmatch(r"(?:19|20)\d\d", tok)
    return False


class _Builder:
    def __init__(self, text: str, start: int, end: int, page_breaks: Sequence[int], skip: set[int]):
        self.text = text
        self.start = start
        self.end = end
        self.pbs = sorted(page_breaks)
        self.skip = skip                # line starts to drop (repeated column-number rows)
        self.pieces: list[_Piece] = []
        self.anchors: list[tuple[int, int, int]] = []   # (number, piece index it precedes, offset)
        self.cur: list[tuple[int, int]] = []
        self.pending_page = False

    def _page_between(self, a: int, b: int) -> bool:
        i = bisect_left(self.pbs, a)
        return i < len(self.pbs) and self.pbs[i] <= b

    def close(self) -> None:
        if self.cur:
            p = _Piece(self.cur[0][0], self.cur[-1][1], list(self.cur))
            p.page_before = self.pending_page
            self.pending_page = False
            self.pieces.append(p)
            self.cur = []

    def cur_text(self) -> str:
        return " ".join(self.text[s:e] for s, e in self.cur)

    def add(self, s: int, e: int) -> None:
        self.cur.append((s, e))

    def build(self, anchor_lines: dict[int, int]) -> None:
        text = self.text
        blank_run = 0
        prev_end = self.start
        for ls, le in _lines(text, self.start, self.end):
            raw = text[ls:le]
            if not raw.strip():
                blank_run += 1
                if blank_run >= 3:
                    self.close()
                    self.pending_page = True
                else:
                    self.close()
                continue
            blank_run = 0
            s = ls + (len(raw) - len(raw.lstrip()))
            e = ls + len(raw.rstrip())
            if self._page_between(prev_end, s):
                self.close()
                self.pending_page = True
            prev_end = e
            if ls in self.skip:
                self.close()
                self.pending_page = True
                continue
            if ls in anchor_lines:
                self.close()
                self.anchors.append((anchor_lines[ls], len(self.pieces), s))
                m = _ANCHOR.match(raw)
                if m.group(2):
                    self.add(ls + m.start(2), e)
                continue
            self._line(s, e)
        self.close()

    def _line(self, s: int, e: int) -> None:
        text = self.text
        toks = [(m.start() + s, m.end() + s) for m in re.finditer(r"\S+", text[s:e])]
        k = 0
        while k < len(toks) and _value_token(text[toks[-1 - k][0]:toks[-1 - k][1]]):
            k += 1
        if k and k == len(toks) and len(toks) >= 2 and not _GROUPED_NUMBER.match(text[s:e]):
            self.close()
            for a, b in toks:
                self.add(a, b)
                self.close()
            return
        if k and k < len(toks):
            head_end = toks[-k - 1][1]
            gap = text[head_end:toks[-k][0]]
            head = (self.cur_text() + " " + text[s:head_end]).strip()
            if len(gap) >= 2 or _is_value(head, _SPLIT_F):
                self._plain(s, head_end)
                self.close()
                for a, b in toks[-k:]:
                    self.add(a, b)
                    self.close()
                return
        self._plain(s, e)

    def _plain(self, s: int, e: int) -> None:
        if self.cur:
            cur = self.cur_text()
            line = self.text[s:e]
            if _is_value(cur) and not re.fullmatch(r"\d+", cur.strip()):   # not a day: 20 / қаңтарға
                joined = cur + " " + line
                same = (_is_value_prefix(joined, _SPLIT_F) and _is_value_prefix(cur, _SPLIT_F)) or \
                       (_is_value_prefix(joined, _SPLIT_S) and _is_value_prefix(cur, _SPLIT_S))
                if not same:
                    self.close()
        self.add(s, e)


def _features(p: _Piece, text: str, doc: str, abbrevs: frozenset[str]) -> None:
    p.text = join_pieces(text, p.spans, doc)
    t = p.text
    p.is_dash = bool(_DASH.match(t))
    first = t[:1]
    p.first_punct = first in ",;:"
    p.first_digit = first.isdigit()
    fa = _first_alpha(t[:3]) if not p.first_digit else ""
    p.first_lower = bool(fa) and fa.islower() and not p.first_punct and not (first in "-‐" and len(t) == 1)
    p.first_upper = bool(fa) and fa.isupper()
    p.complete_f = _is_value(t, _SPLIT_F) or p.is_dash or bool(_NUMBER.match(t))
    p.complete_s = _is_value(t, _SPLIT_S) or p.is_dash
    p.end_hyphen = bool(_HYPHEN_END.search(t)) and not p.is_dash
    p.end_comma = t.endswith((",", ";"))
    lw = _words(t)
    p.end_conj = bool(lw) and lw[-1].lower() in _CONJ
    n_words = len(lw)
    cov = {r: _coverage(t, r, abbrevs, p.page_after) for r in ("deadline", "executors", "completion", "funding", "source")}
    em: dict[str, float] = {}
    if p.complete_f:
        em["funding"] = 1.5 if p.is_dash else 2.5
    else:
        em["funding"] = min(1.0, _closed_score(cov["funding"])) if n_words else -3.0
    if p.complete_s and not p.is_dash:
        em["source"] = 2.5
    elif p.is_dash:
        em["source"] = 1.5
    elif p.complete_f:
        em["source"] = -0.5 if not _NUMBER.match(t) else -3.0
    else:
        em["source"] = min(1.0, _closed_score(cov["source"])) if n_words else -3.0
    for r in ("deadline", "executors", "completion"):
        em[r] = _closed_score(cov[r]) if n_words else -3.0
    meas = 0.5 + min(n_words, 12) * 0.08
    if p.complete_f or p.complete_s:
        meas -= 3.0
    if n_words <= 3 and max(cov["deadline"], cov["executors"], cov["completion"]) >= 0.999:
        meas -= 1.0
    em["measure"] = meas
    em["heading"] = meas - 0.3
    em["other"] = meas - 0.5
    p.emit = em


# ---------------------------------------------------------------------------------------------
# rows: a beam search over the columns of a row's pieces

_BEAM = 24
_WRAP = -1.0
_WRAP_NO_PAGE = -2.0
_WRAP_PAGE = 0.5
_HEADING = -0.5
_EMPTY_LATE = -0.3
_MISSING = {"measure": -10.0, "completion": -2.0, "executors": -2.0, "deadline": -2.0, "funding": -1.0,
            "source": -0.7, "total": -1.0, "other": 0.0}
_EMIT_ROLE = {"total": "funding"}


@dataclass
class _State:
    score: float
    labels: tuple
    last: int                     # last label: -1 heading, column index otherwise, -2 at start
    col: dict                     # column -> tuple of the indices of its pieces so far
    wraps: int


_TERMINAL_C = ("ақпарат", "ұсыныс", "хаттама", "шешім", "баяндама", "жоба", "бұйрық", "қаулы", "есеп", "заң",
               "жоспар", "информаци", "предложени", "протокол", "решени", "доклад", "проект", "приказ",
               "постановлени", "отчет", "отчёт", "закон", "план")


class _RowParser:
    def __init__(self, pieces: list[_Piece], layout: _Layout, anchors: list[tuple[int, int, int]],
                 know_pages: bool, doc: str):
        self.p = pieces
        self.doc = doc
        self.cell_cache: dict[tuple, str] = {}
        self.complete_cache: dict[tuple, tuple[bool, bool]] = {}
        self.layout = layout
        self.cols = [i for i, r in enumerate(layout.roles) if r != "number"]
        self.measure_col = layout.cols("measure")[0]
        self.know_pages = know_pages
        self.cache: dict[tuple[int, int, int], tuple[float, list]] = {}
        self.cont_cache: dict[tuple, float] = {}
        self.anchor_at = {r: pos for r, (_, pos, _) in enumerate(anchors)}
        self.role_of = {lab: _EMIT_ROLE.get(layout.roles[lab], layout.roles[lab]) for lab in self.cols}
        self.pos_of = {lab: k for k, lab in enumerate(self.cols)}
        self.inc_cache: dict[tuple[int, int, int], tuple[list[float], list[float]]] = {}
        self.missing_cache: dict[frozenset, float] = {}

    def _cell_text(self, idx: tuple) -> str:
        t = self.cell_cache.get(idx)
        if t is None:
            t = ""
            for j in idx:
                t = _join(t, self.p[j].text, self.doc)
            self.cell_cache[idx] = t
        return t

    def _complete(self, idx: tuple) -> tuple[bool, bool]:
        """(a complete funding value, a complete source) for the cell made of the pieces `idx`."""
        v = self.complete_cache.get(idx)
        if v is None:
            cell = self._cell_text(idx) if len(idx) > 1 else self.p[idx[0]].text
            f = _is_value(cell, _SPLIT_F) or bool(_NUMBER.match(cell)) or bool(_DASH.match(cell))
            s = _is_value(cell, _SPLIT_S) and not _DASH.match(cell)
            v = self.complete_cache[idx] = (f, s)
        return v

    def _cont(self, idx: tuple, j: int, role: str) -> float:
        """How well piece `j` continues the cell made of the pieces `idx` (memoised: the same cell and
        piece come back in many states and many rows' searches)."""
        key = (idx, j, role)
        v = self.cont_cache.get(key)
        if v is None:
            v = self.cont_cache[key] = self._cont_uncached(idx, self.p[j], role)
        return v

    def _cont_uncached(self, idx: tuple, cur: _Piece, role: str) -> float:
        prev = self.p[idx[-1]]
        if role in ("funding", "source"):
            full_f, full_s = self._complete(idx)
        if role == "funding" and full_f:
            return -4.0
        if role == "source" and full_s:
            return -0.5 if cur.emit["source"] >= 1.0 and not cur.is_dash else -3.0
        if cur.is_dash:
            return 0.5 if prev.text[-1:].isalpha() else -2.0
        if prev.is_dash and len(idx) > 1 and cur.first_lower:
            return 2.0
        if prev.end_hyphen:
            return 2.5 if cur.first_lower else -0.5
        if prev.end_comma or prev.end_conj:
            return 2.0 if cur.first_lower else 1.5
        if cur.first_punct:
            return 1.5
        if role == "completion" and not any(w.lower().startswith(_TERMINAL_C) for w in _words(prev.text)[-1:]):
            return 1.0
        if cur.first_lower:
            return 1.0
        if cur.first_digit:
            return 0.0
        return -1.5

    def _increments(self, j: int, last: int, wraps: int) -> tuple[list[float], list[float]]:
        """Piece `j`'s score increment for each column (in `cols` order) after a state whose last column
        is `last` (>= 0) with `wraps` wraps: (for a filled column, before adding the continuation; for an
        empty column).  They depend on the state only through `last` and min(wraps, 2), hence cached."""
        key = (j, last, min(wraps, 2))
        v = self.inc_cache.get(key)
        if v is None:
            piece = self.p[j]
            filled, empty = [], []
            for lab in self.cols:
                inc = piece.emit[self.role_of[lab]]
                back = lab < last
                if back:
                    inc += _WRAP
                    if self.know_pages:
                        inc += _WRAP_PAGE if piece.page_before else _WRAP_NO_PAGE
                    if wraps >= 2:
                        inc -= 3.0
                filled.append(inc)
                empty.append(inc + _EMPTY_LATE if wraps or back else inc)
            v = self.inc_cache[key] = (filled, empty)
        return v

    def _extensions(self, st: _State, j: int, rel: int, anchor_rel: int | None) -> tuple[list[int], list[float]]:
        """The labels piece `j` may take after state `st` (heading, then the columns) and the score of
        each extension."""
        last, score = st.last, st.score
        if last < 0:
            # at the start or after a heading: a heading or the measure (no cell filled yet)
            piece = self.p[j]
            inc = piece.emit["heading"]
            if last == -2:
                inc += _HEADING
                if anchor_rel == 0:
                    inc -= 1.5
            else:
                inc += self._cont((j - 1,), j, "heading")
            meas = piece.emit[self.role_of[self.measure_col]]
            if last == -1 and anchor_rel == rel:
                meas += 1.5     # the heading ran up to the row's number
            return [-1, self.measure_col], [score + inc, score + meas]
        filled, empty = self._increments(j, last, st.wraps)
        scores = [score + inc for inc in empty]
        cont = self.cont_cache
        for lab, idx in st.col.items():
            role = self.role_of[lab]
            c = cont.get((idx, j, role))        # `_cont`'s cache, read inline: the innermost loop
            if c is None:
                c = self._cont(idx, j, role)
            k = self.pos_of[lab]
            scores[k] = score + (filled[k] + c)
        return self.cols, scores

    def _missing(self, col: dict) -> float:
        """The penalty for the columns a row leaves empty (cached by the set of filled columns)."""
        key = frozenset(col)
        v = self.missing_cache.get(key)
        if v is None:
            roles = self.layout.roles
            v = self.missing_cache[key] = sum(_MISSING[roles[c]] for c in self.cols if c not in col)
        return v

    def score(self, lo: int, hi: int, row: int) -> tuple[float, list]:
        """Best (score, labels) of the pieces [lo, hi) read as row number `row` (index)."""
        if (lo, hi, row) not in self.cache:
            self.run(lo, [hi], row)
        return self.cache[(lo, hi, row)]

    def run(self, lo: int, his: Iterable[int], row: int) -> None:
        """Score [lo, hi) for every hi in `his` in one left-to-right beam (the beam over a prefix does
        not depend on where the row ends)."""
        his = sorted(h for h in set(his) if (lo, h, row) not in self.cache)
        if not his:
            return
        anchor = self.anchor_at.get(row)
        anchor_rel = anchor - lo if anchor is not None and lo <= anchor else None
        beam = [_State(0.0, (), -2, {}, 0)]

        def finish(j: int) -> None:
            best, best_labels = -50.0, []
            if j > lo:
                best = float("-inf")
                for st in beam:
                    sc = st.score + self._missing(st.col)
                    if sc > best:
                        best, best_labels = sc, list(st.labels)
            self.cache[(lo, j, row)] = (best, best_labels)

        targets = set(his)
        if lo in targets:
            finish(lo)
        for j in range(lo, his[-1]):
            rel = j - lo
            # The next beam: the _BEAM best extensions, ties in the order generated (a stable sort);
            # only those are built.  Extensions are never merged: a state's cells (the pieces of each
            # column) fix every piece's label, so two label sequences never make the same state.
            scores: list[float] = []
            owner: list[_State] = []
            labels: list[int] = []
            for st in beam:
                labs, sc = self._extensions(st, j, rel, anchor_rel)
                scores += sc
                labels += labs
                owner += [st] * len(labs)
            kept = sorted(range(len(scores)), key=scores.__getitem__, reverse=True)[:_BEAM]  # stable
            beam = []
            for i in kept:
                sc, st, lab = scores[i], owner[i], labels[i]
                cl = st.col
                if lab >= 0:
                    cl = dict(cl)
                    cl[lab] = cl.get(lab, ()) + (j,)
                wraps = st.wraps + (1 if st.last >= 0 and 0 <= lab < st.last else 0)
                beam.append(_State(sc, st.labels + (lab,), lab, cl, wraps))
            if j + 1 in targets:
                finish(j + 1)
            if not beam:
                for h in his:
                    self.cache.setdefault((lo, h, row), (-1e9, []))
                return


# ---------------------------------------------------------------------------------------------
# the action plan

def page_breaks_of(norm) -> list[int]:
    """Clean-text offsets of the page breaks the normaliser removed (a `Normalised`'s page_break edits)."""
    return sorted(e.clean_start for e in norm.edits if "page_break" in e.kind.split("+"))


def _select_anchors(text: str, start: int, end: int) -> dict[int, int]:
    """Line start -> row number, for the row numbers counting up by one from the first."""
    out: dict[int, int] = {}
    expected = None
    for ls, le in _lines(text, start, end):
        m = _ANCHOR.match(text[ls:le])
        if not m:
            continue
        n = int(m.group(1))
        if expected is None:
            if n <= 2:
                out[ls] = n
                expected = n + 1
        elif n == expected:
            out[ls] = n
            expected += 1
    return out


def _parse_totals(text: str, start: int, end: int, n_years: int) -> tuple[list[tuple[str, list[float]]], int]:
    """The totals rows after the table: (label, figures) each, and where they end."""
    labels: list[str] = []
    nums: list[float] = []
    pos = start
    for ls, le in _lines(text, start, end):
        line = text[ls:le].strip()
        if not line:
            continue
        lab = _TOTALS.match(line)
        if lab:
            labels.append(lab.group(1))
            pos = le
            rest = line[lab.end():]
            for tok in rest.split():
                v = parse_amount(tok)
                if v is not None:
                    nums.append(v)
            continue
        toks = line.split()
        vals = [parse_amount(t) for t in toks]
        if all(v is not None for v in vals) or all(_DASH.match(t) or parse_amount(t) is not None for t in toks):
            nums += [v for v in vals if v is not None]
            pos = le
            continue
        if _is_value(line, _SPLIT_S) or _is_value_prefix(line, _SPLIT_S):
            pos = le
            continue
        break
    if not labels or not nums:
        return [], pos
    width = None
    for w in (n_years + 1, n_years):
        if w and len(nums) % w == 0 and len(nums) // w in (1, len(labels)):
            width = w
            break
    if width is None:
        return [(labels[-1], nums)], pos
    k = len(nums) // width
    row_major = [nums[i * width:(i + 1) * width] for i in range(k)]
    col_major = [[nums[c * k + i] for c in range(width)] for i in range(k)]

    def adds_up(rows):
        if width != n_years + 1:
            return 0
        return sum(1 for r in rows if abs(sum(r[:-1]) - r[-1]) <= TOLERANCE)

    rows = col_major if adds_up(col_major) > adds_up(row_major) else row_major
    names = labels if len(labels) == k else [labels[-1]] * k
    return list(zip(names, rows)), pos


def parse_action_plan(text: str, *, page_breaks: Iterable[int] = (), abbreviations: Iterable[str] = ()
                      ) -> ActionPlan | None:
    """The first action-plan table of `text` (clean text): a column-number row followed by rows numbered
    ``1.``, ``2.``, ...  `page_breaks` (clean offsets, see `page_breaks_of`) and the document's
    `abbreviations` are optional evidence.  None when no such table is found."""
    numrows = find_column_number_rows(text)
    if not numrows:
        return None
    abbrevs = frozenset(abbreviations)
    pbs = sorted(page_breaks)
    for nr in numrows:
        line_end = text.find("\n", nr)
        line_end = len(text) if line_end < 0 else line_end
        n_cols = len(text[nr:line_end].split())
        body_start = line_end + 1
        # the table ends at its totals, notes or abbreviation list, or at the next table
        later = [o for o in numrows if o > nr and len(text[o:text.find("\n", o)].split()) != n_cols]
        ends = [m.start() for m in (_TOTALS.search(text, body_start), _AFTER_TABLE.search(text, body_start)) if m]
        body_end = min(ends + later[:1] + [len(text)])
        anchors = _select_anchors(text, body_start, body_end)
        if len(anchors) < 2:
            continue
        return _parse_table(text, nr, n_cols, body_start, body_end, anchors, pbs, abbrevs, numrows)
    return None


def _header_text(text: str, numrow: int) -> str:
    """The header above a column-number row: at most 40 lines back, after the last line that is a
    numbered heading or ends a sentence (the table's title, the paragraph before it)."""
    lines = text[max(0, numrow - 2000):numrow].split("\n")[-40:]
    for i in range(len(lines) - 1, -1, -1):
        if re.match(r"^\s*\d+\.\s+\S", lines[i]) or lines[i].rstrip().endswith((".", ";")):
            return "\n".join(lines[i + 1:])
    return "\n".join(lines)


def _parse_table(text, nr, n_cols, body_start, body_end, anchor_lines, pbs, abbrevs, numrows) -> ActionPlan:
    warnings: list[str] = []
    layout, w = _layout(_header_text(text, nr), n_cols)
    warnings += w
    same_rows = {text.rfind("\n", 0, o) + 1 for o in numrows
                 if body_start <= o < body_end and len(text[o:text.find("\n", o)].split()) == n_cols}
    b = _Builder(text, body_start, body_end, pbs, same_rows)
    b.build(anchor_lines)
    pieces, anchors = b.pieces, b.anchors
    for p, q in zip(pieces, pieces[1:]):
        p.page_after = q.page_before
    for p in pieces:
        _features(p, text, text, abbrevs)
    parser = _RowParser(pieces, layout, anchors, bool(pbs), text)
    n, k = len(pieces), len(anchors)

    # chain search over the rows' starts
    def can_start(j: int) -> bool:
        if j >= n:
            return False
        t = pieces[j].text
        return bool(t) and (pieces[j].first_upper or t[0] in "\"«“'(" or t[0].isdigit())

    cands: list[list[int]] = []
    for r in range(k):
        pos = anchors[r][1]
        if r == 0:
            cands.append([0])
            continue
        lo = anchors[r - 1][1]
        cs = sorted({j for j in range(lo, pos + 1) if can_start(j)} | {pos})
        cands.append(cs)
    best: list[dict[int, tuple[float, int | None]]] = [dict() for _ in range(k)]
    best[0][0] = (0.0, None)
    for r in range(1, k):
        for sp in best[r - 1]:
            parser.run(sp, [s for s in cands[r] if s >= sp], r - 1)
        for s in cands[r]:
            # (an empty row, s == sp, scores very low but keeps the chain going)
            opts = [(sc + parser.score(sp, s, r - 1)[0], sp) for sp, (sc, _) in best[r - 1].items() if sp <= s]
            if opts:
                best[r][s] = max(opts)
    for sp in best[k - 1]:
        parser.run(sp, [n], k - 1)
    final = max((sc + parser.score(s, n, k - 1)[0], s) for s, (sc, _) in best[k - 1].items())
    starts = [0] * k
    s = final[1]
    for r in range(k - 1, -1, -1):
        starts[r] = s
        if r:
            s = best[r][s][1]
    bounds = starts + [n]

    rows: list[PlanRow] = []
    direction = None
    prev_number = None
    for r in range(k):
        lo, hi = bounds[r], bounds[r + 1]
        number = anchors[r][0]
        _, labels = parser.score(lo, hi, r)
        cols: dict[int, list[int]] = {}
        heading: list[int] = []
        for off, lab in enumerate(labels):
            (heading if lab == -1 else cols.setdefault(lab, [])).append(lo + off)
        if heading:
            direction = join_pieces(text, [sp for j in heading for sp in pieces[j].spans])
        row_warn = []

        def cell(col: int) -> Cell | None:
            idx = cols.get(col)
            if not idx:
                return None
            spans = [(pieces[j].start, pieces[j].end) for j in idx]
            return Cell(join_pieces(text, [sp for j in idx for sp in pieces[j].spans]),
                        spans[0][0], spans[0][1], spans)

        def need(role: str) -> Cell:
            c = cell(layout.cols(role)[0]) if layout.cols(role) else None
            if c is None:
                row_warn.append(role)
                at = anchors[r][2]
                return Cell("", at, at, [])
            return c

        measure, completion, executors, deadline = need("measure"), need("completion"), need("executors"), need("deadline")
        funding: dict[int, float | None] = {}
        fcells: dict[int, Cell] = {}
        notes: dict[int, str] = {}
        for year, col in zip(layout.years, layout.cols("funding")):
            c = cell(col)
            if c is None:
                funding[year] = None
                row_warn.append(f"funding {year}")
                continue
            fcells[year] = c
            v = parse_amount(c.text)
            funding[year] = v
            if v is None and not is_none_value(c.text):
                notes[year] = c.text
        total_cell = cell(layout.cols("total")[0]) if layout.cols("total") else None
        row_total = parse_amount(total_cell.text) if total_cell else None
        source = cell(layout.cols("source")[0]) if layout.cols("source") else None
        if source is not None and is_none_value(source.text):
            source = None
        all_spans = [sp for j in range(lo, hi) for sp in pieces[j].spans] + [(anchors[r][2], anchors[r][2] + 1)]
        span = (min(s for s, _ in all_spans), max(e for _, e in all_spans))
        if row_warn:
            warnings.append(f"row {number}: no {', '.join(row_warn)} found")
        if prev_number is not None and number != prev_number + 1:
            warnings.append(f"row {number} follows row {prev_number}")
        prev_number = number
        rows.append(PlanRow(number, direction, measure, completion, executors, deadline, funding, fcells, source,
                            span, notes, row_total))

    totals_rows, tot_end = _parse_totals(text, body_end, len(text), len(layout.years))
    totals = stated = None
    if totals_rows:
        grand = totals_rows[-1][1]
        if len(grand) >= len(layout.years) and layout.years:
            totals = dict(zip(layout.years, grand[:len(layout.years)]))
            if len(grand) == len(layout.years) + 1:
                stated = grand[-1]
        for name, vals in totals_rows:
            if len(vals) == len(layout.years) + 1 and abs(sum(vals[:-1]) - vals[-1]) > TOLERANCE:
                warnings.append(f"totals row {name}: years add up to {_fmt(sum(vals[:-1]))}, not {_fmt(vals[-1])}")
    plan = ActionPlan(layout.years, rows, totals, stated, warnings, (nr, max(tot_end, body_end)), totals_rows)
    plan.warnings += plan.check_sums()
    return plan


# ---------------------------------------------------------------------------------------------
# executors

_LEAD = re.compile(r"\(?\s*(жинақтау|свод|созыв|жинақтаушы)\s*\)?", re.I)
_QUALIFIER = re.compile(r"\(\s*(келісім\s+бойынша|по\s+согласованию|келісімі\s+бойынша)\s*\)", re.I)
_HEAD_NOUNS = ("министрлі", "агентті", "комитет", "департамент", "әкімдік", "әкімдіг", "әкімшілі", "басқарма",
               "кеңес", "орталығ", "академия", "университет", "ассамблея", "ұйым", "бірлестік", "орган",
               "акимат", "министерств", "агентств", "управлени", "ведомств", "организац", "объединени", "совет",
               "центр", "прокуратур", "сот", "суд")


def _words_lower(chunk: str) -> list[str]:
    return re.findall(r"\w+", chunk.lower())


def _has_head(chunk: str) -> bool:
    """Names a body: an institution noun (министрлігі, әкімдіктері, акиматы), a ``...мині`` short form or
    an abbreviation."""
    return any(w.startswith(_HEAD_NOUNS) or "мині" in w for w in _words_lower(chunk)) or \
        any(_is_abbrev(w) for w in chunk.split())


def _head_first(chunk: str) -> bool:
    """The head noun comes first (Russian ``акиматы областей``): the places after it belong to it."""
    ws = _words_lower(chunk)
    return len(ws) > 1 and ws[0].startswith(_HEAD_NOUNS)


def _standalone(chunk: str) -> bool:
    """An abbreviation or a ``...мині`` short form, alone or with a parenthesis (``МҚА (келісім бойынша)``)."""
    ws = chunk.split()
    return bool(ws) and (_is_abbrev(ws[0]) or "мині" in ws[0].lower()) and (
        len(ws) == 1 or chunk[len(ws[0]):].strip().startswith("("))


def split_executors(cell_text: str) -> list[tuple[str, bool]]:
    """The bodies named in an executors cell as (name, is_lead); the lead is marked ``(жинақтау)``
    (``(свод)``).  Split at commas, semicolons and line breaks, but a list of places ending in a shared
    head noun stays one item (``Облыстардың, Астана, Алматы қалаларының әкімдіктері``; Russian
    ``акиматы областей, городов Астаны и Алматы``), for the resolver to expand.  ``(келісім бойынша)``
    / ``(по согласованию)`` are dropped from the names."""
    text = _collapse(cell_text)
    chunks = [c.strip() for c in re.split(r"[,;\n]", text)]
    chunks = [c for c in chunks if c]
    # a chunk opening with an abbreviation and going on without a comma: "Әділетмині облыстар"
    split: list[str] = []
    for c in chunks:
        ws = c.split()
        if len(ws) > 1 and (_is_abbrev(ws[0]) or "мині" in ws[0].lower()) and not ws[1].startswith("(") \
                and not _LEAD.fullmatch(ws[1]) and not _is_abbrev(ws[1]) and "мині" not in ws[1].lower():
            split += [ws[0], " ".join(ws[1:])]
        else:
            split.append(c)
    items: list[tuple[str, bool]] = []
    pending: list[str] = []
    head_first_open = False
    for c in split:
        lead = bool(_LEAD.search(c))
        name = _collapse(_QUALIFIER.sub("", _LEAD.sub("", c))).strip(" ,.")
        if not name:
            continue
        if _standalone(name):
            items += [(p, False) for p in pending]
            pending = []
            items.append((name.split()[0] if "(" in name else name, lead))
            head_first_open = False
            continue
        if _has_head(name):
            if pending:
                name = ", ".join(pending + [name])
                pending = []
            items.append((name, lead))
            head_first_open = _head_first(name)
            continue
        if head_first_open and items:
            prev, plead = items[-1]
            items[-1] = (prev + ", " + name, plead or lead)
            continue
        pending.append(name)
    items += [(p, False) for p in pending]
    return items


# ---------------------------------------------------------------------------------------------
# two-column passport

# the words that end a passport key (its later lines), and the short words allowed before them
_KEY_FINAL = {
    "атауы", "негіз", "негізі", "негіздер", "негіздемесі", "әзірлеуші", "әзірлеушісі", "мақсаты", "мақсаттары",
    "міндеттері", "міндеті", "мерзімдері", "мерзімі", "көздері", "көзі", "нәтиже", "нәтижелер", "нәтижелері",
    "көлемі", "көлемдері", "кезеңдері", "орындаушылар", "орындаушылары", "индикаторлары", "көрсеткіштері",
    "программы", "разработки", "разработчик", "реализации", "финансирования", "результаты", "исполнители",
    "индикаторы", "показатели", "этапы", "задачи", "цели",
}
_KEY_LINK = {"үшін", "мен", "және", "для", "и"}
_KEY_START = re.compile(r"^(\S[^\n]{0,40}?)[ \t]{2,}(\S[^\n]*)$")


def _tail_words(words: list[str], key_open: bool) -> int:
    """How many of the last `words` of a value line are scattered key words: optional link words and a
    final key word, after a key ending ``-`` possibly led by a short suffix (``ның атауы``, ``ның``)."""
    def low(w: str) -> str:
        return w.lower().strip(".,:;")
    k = 0
    if words and low(words[-1]) in _KEY_FINAL:
        k = 1
        while k < len(words) and k < 3 and low(words[-1 - k]) in _KEY_LINK:
            k += 1
    if key_open and k < len(words):
        w = low(words[-1 - k])
        if 1 <= len(w) <= 4 and w.isalpha() and w.islower() and w not in _KEY_LINK:
            k += 1
    return k


def parse_two_column(text: str, section_heading: str) -> list[tuple[str, str, tuple[int, int]]]:
    """(key, value, span) for each entry of a two-column section (a programme passport), the section
    starting at the line that reads `section_heading` and ending at the next numbered heading.

    An entry starts on a line opening at the margin with a short key, two or more spaces, and the value
    (``Әзірлеуші          Қазақстан Республикасы Әділет``).  The PDF scattered the rest of the key into
    the value lines: passport key words (``ның атауы``, ``негіз``, ``мақсаты``, ``көздері``) at the end of
    one of the entry's first three lines, or alone on a line, are taken back into the key (after a key
    ending ``-``, a short lowercase suffix such as ``ның`` too).  The span runs from the key to the end of
    the entry's last line.  Limits: a value line ending with a key word in the entry's first lines loses
    it; a key word not in the list stays in the value; keys longer than 40 characters are not seen."""
    pat = re.compile(r"^[ \t]*" + re.escape(section_heading.strip()).replace(r"\ ", r"\s+") + r"[ \t]*$", re.M)
    m = pat.search(text)
    if not m:
        return []
    start = m.end()
    num = re.match(r"\s*(\d+)\.", section_heading)
    end = len(text)
    if num:
        nxt = re.compile(r"^[ \t]*%d\.[ \t]+\S" % (int(num.group(1)) + 1), re.M).search(text, start)
        if nxt:
            end = nxt.start()
    lines = [(ls, le) for ls, le in _lines(text, start, end)]
    entries: list[dict] = []
    for ls, le in lines:
        raw = text[ls:le]
        if not raw.strip():
            continue
        km = _KEY_START.match(raw)
        if km and raw[:1].strip() and _first_alpha(km.group(1)).isupper() and len(km.group(1).split()) <= 3:
            entries.append({"key": [km.group(1).strip()], "start": ls, "end": le,
                            "lines": [(ls + km.start(2), le)], "n": 1})
            continue
        if not entries:
            continue
        e = entries[-1]
        e["end"] = le
        e["n"] += 1
        s = ls + len(raw) - len(raw.lstrip())
        eline = ls + len(raw.rstrip())
        if e["n"] <= 4:
            words = list(re.finditer(r"\S+", text[s:eline]))
            key_open = e["key"][-1].endswith(("-", "‐"))
            k = _tail_words([w.group() for w in words], key_open)
            if k == len(words) and raw[:1].strip() == "" and len(words) > 2:
                k = 0   # an indented line of key-looking words is value
            if k:
                # a key fragment: the trailing key words (all of them if the line is nothing else)
                cut = words[-k].start() + s
                frag = _collapse(text[cut:eline])
                e["key"].append(frag)
                if cut > s:
                    e["lines"].append((s, cut))
                continue
        e["lines"].append((s, eline))
    out = []
    for e in entries:
        key = ""
        for frag in e["key"]:
            if not key:
                key = frag
            elif key.endswith(("-", "‐")):
                key = key[:-1] + frag
            else:
                key = key + " " + frag
        key = _collapse(key)
        value = join_pieces(text, e["lines"])
        out.append((key, value, (e["start"], e["end"])))
    return out
