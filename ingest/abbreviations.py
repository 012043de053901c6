"""Learn a document's abbreviations and their full names, with the spans that define them.

Two sources, both common in Kazakh and Russian official texts:

(a) an abbreviation list, after a header such as `аббревиатуралардың толық жазылуы:`,
    `Расшифровка аббревиатур:` or `Список сокращений`, one entry a line (or `;`-separated):

        Әділетмині - Қазақстан Республикасы Әділет министрлігі
        ҚР ҚК - Қазақстан Республикасы Қылмыстық кодексі

    The list runs until the first line that is neither an entry, a blank line, nor the
    lowercase continuation of the previous entry's full name.

(b) in-text definitions `Full Name (бұдан әрі – X)`, `(бұдан әрі - X)`, `(далее – X)`,
    `(далее по тексту – «X»)`. The full name is the noun phrase before the parenthesis:

    1. go back to the start of the clause: the previous sentence end (`.`/`!`/`?` before a
       capital), `;`, `:`, `,`, a bracket, a blank line, a list bullet or number (`1.`, `2)`);
       commas, full stops and brackets inside «...» or "..." quotes do not count;
    2. a clause of at most `MAX_WORDS` (8) words is the name;
    3. in a longer clause the name starts at the first capitalised word (not the clause's
       first) among the last `MAX_WORDS` words, else among the last `LONG_MAX_WORDS` (20)
       words (Kazakh programme titles are long: `Қазақстан Республикасында ... арналған
       бағдарлама`), else at the clause start if the clause has at most `LONG_MAX_WORDS`
       words, else it is the last `MAX_WORDS` words;
    4. the start then extends back over a run of capitalised words (`Қазақстан Республикасы
       Әділет министрлігі`); a conjunction followed by a capitalised word starts a new name
       (`Комитет және | Қаржы министрлігі`, but `Мәдениет және ақпарат министрлігі` stays
       whole); leading function words (`Бұл`, `Во исполнение`, `также`, ...) are dropped.

Spans are offsets into the text as given, so provenance can point at the definition.
Letter-spaced PDF text (`Б Ғ М`) is left to the normalising stage; a letter-spaced
abbreviation inside `(бұдан әрі - ...)` is closed up.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Definition", "learn_abbreviations", "learn_abbreviation_spans", "MAX_WORDS", "LONG_MAX_WORDS"]

MAX_WORDS = 8
LONG_MAX_WORDS = 20
_WINDOW = 1500  # how far back a full name is looked for


@dataclass(frozen=True)
class Definition:
    abbrev: str
    full: str
    abbrev_start: int
    abbrev_end: int
    full_start: int
    full_end: int
    kind: str = "inline"  # "inline": `Name (бұдан әрі – X)`; "list": an abbreviation list entry


# ---------------------------------------------------------------- (b) in-text definitions

def _spaced(word: str) -> str:
    """A regex for `word` that also matches it letter-spaced (`б ұ д а н`), as PDFs give it."""
    return r"[ \t]?".join("[іi]" if ch == "і" else re.escape(ch) for ch in word)


_MARKER = re.compile(
    r"\(\s*(?:"
    + _spaced("бұдан") + r"\s+(?:" + _spaced("әрі") + "|" + _spaced("былай") + r")(?:\s+м[әа]т[іi]н\s+бойынша)?"
    + "|" + _spaced("далее") + r"(?:\s+по\s+тексту)?(?:\s*[-–—]?\s*именуем\w*)?"
    + r"|әр[іi]\s+қарай"
    + r")\s*(?:[-–—‐:]\s*)?",
    re.IGNORECASE,
)
_QUOTES = "«»\"“”„'‘’"
_SENTENCE_END = re.compile(r"[.!?…](?=\s+[«\"“]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])")
_BOUNDARY = re.compile(
    r"[;:,()\[\]]"
    r"|\n[ \t]*\n"
    r"|(?:^|\n)[ \t]*(?:[-–—•·*▪]|\d+(?:\.\d+)*[.)])[ \t]"
    r"|(?<!\w)\d+\)\s"
)
_STOP = {
    # Kazakh
    "бұл", "осы", "сол", "ол", "бұған", "сондай-ақ", "сонымен", "сонымен қатар", "қоса", "және", "мен",
    "бен", "пен", "ал", "әрі", "оның", "олар", "біз", "мұндай", "барлық", "яғни", "немесе", "сондай",
    "ақ", "қатар", "атап", "өтсек",
    # Russian
    "также", "а", "и", "или", "этот", "эта", "это", "эти", "данный", "данная", "данное", "в", "во", "на",
    "с", "со", "по", "для", "кроме", "согласно", "при", "как", "том", "числе", "что", "который",
    "которая", "которое", "которые",
}


def _mask_quotes(s: str) -> str:
    """`s` with every character inside «...», “...” or "..." replaced by `x` (same length)."""
    out = list(s)
    depth = 0
    straight = False
    for i, ch in enumerate(s):
        if ch in "«“„":
            depth += 1
            continue
        if ch in "»”" and depth:
            depth -= 1
            continue
        if ch == '"':
            straight = not straight
            continue
        if depth or straight:
            out[i] = "x"
    return "".join(out)


_CONJUNCTIONS = {"және", "мен", "бен", "пен", "немесе", "и", "или"}
# Russian openings that introduce a name without belonging to it (`Во исполнение Закона ...`)
_LEAD_PHRASES = [p.split() for p in (
    "во исполнение", "в исполнение", "в соответствии с", "в соответствии со", "в целях", "совместно с",
    "совместно со", "на основании", "в рамках", "по поручению", "с участием", "при участии", "в лице",
    "со стороны", "от имени", "в том числе", "а также", "наряду с", "согласно",
)]


def _lead_phrase_len(words: list[str]) -> int:
    low = [w.strip(_QUOTES + ".,").lower() for w in words]
    for phrase in _LEAD_PHRASES:
        if low[: len(phrase)] == phrase and len(words) > len(phrase):
            return len(phrase)
    return 0


def _is_cap(word: str) -> bool:
    for ch in word:
        if ch.isalpha():
            return ch.isupper()
    return False


def _is_stop(word: str) -> bool:
    return word.strip(_QUOTES + ".,").lower() in _STOP


def _collapse(s: str) -> str:
    return " ".join(s.split())


def _despace(s: str) -> str:
    """`Б а ғ д а р л а м а` → `Бағдарлама` when every part is a single character."""
    parts = s.split()
    if len(parts) >= 3 and all(len(p) == 1 for p in parts):
        return "".join(parts)
    return s


def _full_name_span(text: str, end: int) -> tuple[int, int] | None:
    """The span of the noun phrase ending at `end` (the heuristic in the module docstring)."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    lo = max(0, end - _WINDOW)
    para = text.rfind("\n\n", lo, end)  # start quote-masking at a paragraph start when possible
    if para != -1:
        lo = para
    window = text[lo:end]
    masked = _mask_quotes(window)
    cut = 0
    for m in _BOUNDARY.finditer(masked):
        cut = max(cut, m.end())
    for m in _SENTENCE_END.finditer(masked):
        cut = max(cut, m.end())
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", masked[cut:]) if any(c.isalnum() for c in masked[cut + m.start(): cut + m.end()])]
    if not words:
        return None
    originals = [window[cut + a: cut + b] for a, b in words]
    n = len(words)
    if n <= MAX_WORDS:
        start = 0
    else:
        caps = [i for i in range(1, n) if _is_cap(originals[i]) and originals[i][0] not in _QUOTES and not _is_stop(originals[i])]
        short = [i for i in caps if i >= n - MAX_WORDS]
        long = [i for i in caps if i >= n - LONG_MAX_WORDS]
        if short:
            start = short[0]
        elif long:
            start = long[0]
        elif n <= LONG_MAX_WORDS:
            start = 0
        else:
            start = n - MAX_WORDS
        while start > 0 and _is_cap(originals[start - 1]) and not _is_stop(originals[start - 1]):
            start -= 1
    # `Комитет және Қаржы министрлігі`: a conjunction before a capitalised word joins two names
    for i in range(n - 2, start - 1, -1):
        if originals[i].lower() in _CONJUNCTIONS and _is_cap(originals[i + 1]):
            start = i + 1
            break
    while start < n - 1:
        skip = _lead_phrase_len(originals[start:]) or (1 if _is_stop(originals[start]) else 0)
        if not skip:
            break
        start += skip
    a = lo + cut + words[start][0]
    b = lo + cut + words[-1][1]
    return a, b


def _inline_definitions(text: str) -> list[Definition]:
    found: list[Definition] = []
    for m in _MARKER.finditer(text):
        close = text.find(")", m.end(), m.end() + 120)
        if close == -1 or "(" in text[m.end():close]:
            continue
        a, b = m.end(), close
        while a < b and (text[a].isspace() or text[a] in _QUOTES):
            a += 1
        while b > a and (text[b - 1].isspace() or text[b - 1] in _QUOTES + ".,;"):
            b -= 1
        abbrev = _despace(_collapse(text[a:b]))
        if not abbrev or not any(c.isalpha() for c in abbrev):
            continue
        span = _full_name_span(text, m.start())
        if span is None:
            continue
        full = _collapse(text[span[0]:span[1]])
        if len(full) < 2 or full.lower() == abbrev.lower():
            continue
        found.append(Definition(abbrev, full, a, b, span[0], span[1], "inline"))
    return found


# ---------------------------------------------------------------- (a) abbreviation lists

_LIST_HEADER = re.compile(
    r"(?:аббревиатуралар(?:дың)?\s+(?:толық\s+)?(?:жазылу|жазылым|түсіндірме|мағына|ашылу|тізім)[ыі]?"
    r"|қысқартулар(?:дың)?\s+(?:тізімі|толық\s+жазылуы|түсіндірмесі)"
    r"|қысқартылған\s+сөздер(?:дің)?\s+(?:тізімі|толық\s+жазылуы)"
    r"|пайдаланылған\s+қысқартулар"
    r"|расшифровка\s+(?:аббревиатур|сокращений)"
    r"|(?:список|перечень)\s+(?:условных\s+)?(?:сокращений|аббревиатур)"
    r"|(?:принятые|используемые|условные)\s+сокращения"
    r"|(?m:^[ \t]*(?:сокращения|аббревиатуры|қысқартулар)(?=[ \t]*:)))"
    r"[ \t]*:?",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"[ \t]*(?:[–—=]|[ \t]-|-[ \t])[ \t]*")
_UPPER_TOKEN = re.compile(r"\b\w*[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]\w*[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]\w*\b")


def _valid_abbrev(s: str) -> bool:
    tokens = s.split()
    if not 1 <= len(tokens) <= 3 or len(s) > 30 or not s[0].isupper():
        return False
    if sum(c.isalpha() for c in s) < 2:
        return False
    acronyms = sum(1 for t in tokens if sum(c.isupper() for c in t) >= 2)
    return acronyms == len(tokens) or len(tokens) == 1


def _parse_entry(text: str, a: int, b: int) -> Definition | None:
    """One `ABBR - Full name` entry in text[a:b]."""
    seg = text[a:b]
    m = _SEPARATOR.search(seg)
    if not m:
        return None
    abbr_a, abbr_b = a, a + m.start()
    while abbr_a < abbr_b and text[abbr_a].isspace():
        abbr_a += 1
    full_a, full_b = a + m.end(), b
    while full_b > full_a and (text[full_b - 1].isspace() or text[full_b - 1] in ";,."):
        full_b -= 1
    abbrev = _collapse(text[abbr_a:abbr_b])
    full = _collapse(text[full_a:full_b])
    if not _valid_abbrev(abbrev) or sum(c.isalpha() for c in full) < 3 or not (full[0].isalpha() or full[0] in _QUOTES):
        return None
    return Definition(abbrev, full, abbr_a, abbr_b, full_a, full_b, "list")


def _continues(line: str, previous_line: str) -> bool:
    """A wrapped full name: a short line with no quotes or acronyms, after a line that did not
    end with `;` or `.` (a page footer such as `...институты» ШЖҚ РМК` is not one)."""
    s = line.strip()
    return (bool(s) and s[0].isalpha() and len(s.split()) <= 8
            and not previous_line.rstrip().endswith((";", "."))
            and not any(q in s for q in _QUOTES) and not _UPPER_TOKEN.search(s))


def _list_definitions(text: str) -> list[Definition]:
    found: list[Definition] = []
    for header in _LIST_HEADER.finditer(text):
        pos = header.end()
        last: Definition | None = None
        after_blank = False
        previous_line = ""
        while pos < len(text):
            nl = text.find("\n", pos)
            line_end = len(text) if nl == -1 else nl
            line = text[pos:line_end]
            if not line.strip():
                after_blank = True
            else:
                entries = []
                for part in re.finditer(r"[^;]+", line):
                    d = _parse_entry(text, pos + part.start(), pos + part.end())
                    if d:
                        entries.append(d)
                if entries:
                    found.extend(entries)
                    last = entries[-1]
                elif last is not None and not after_blank and _continues(line, previous_line):
                    b = pos + len(line.rstrip().rstrip(";,."))
                    last = Definition(last.abbrev, _collapse(text[last.full_start:b]), last.abbrev_start,
                                      last.abbrev_end, last.full_start, b, "list")
                    found[-1] = last
                elif pos == header.end():
                    pass  # the header line's own tail may be empty or a note
                else:
                    break
                after_blank = False
                previous_line = line
            if nl == -1:
                break
            pos = nl + 1
    return found


# ---------------------------------------------------------------- API

def learn_abbreviation_spans(text: str) -> list[Definition]:
    """Every abbreviation definition in `text`, list entries and in-text ones, in text order
    (an abbreviation defined twice appears twice)."""
    defs = _list_definitions(text) + _inline_definitions(text)
    return sorted(defs, key=lambda d: (d.abbrev_start, d.abbrev_end))


def learn_abbreviations(text: str) -> dict[str, str]:
    """Abbreviation → full name. An abbreviation list's entry wins over an in-text definition;
    otherwise the first definition in the text wins."""
    out: dict[str, Definition] = {}
    for d in learn_abbreviation_spans(text):
        prev = out.get(d.abbrev)
        if prev is None or (d.kind == "list" and prev.kind != "list"):
            out[d.abbrev] = d
    return {k: d.full for k, d in out.items()}
