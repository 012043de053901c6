"""Flattened tables (ingest/tables.py): the action plan and passport of sample 001 against its gold file,
a synthetic Russian table, the executors splitter and the sums check."""
from __future__ import annotations

import difflib
import re

import pytest

from ingest.prepare import reference_gazetteer
from ingest.tables import (
    ActionPlan, Cell, find_column_number_rows, is_none_value, join_pieces, page_breaks_of, parse_action_plan,
    parse_amount, parse_two_column, split_executors,
)

YEARS = (2007, 2008, 2009)
TOTALS = {2007: 68.1, 2008: 31.6, 2009: 78.0}


def key(s: str | None) -> str:
    """Compare texts without case, spaces and punctuation (the gold is cleaned, the text is not)."""
    return re.sub(r"\W", "", (s or "").casefold())


def similar(a: str | None, b: str | None) -> bool:
    return difflib.SequenceMatcher(None, key(a), key(b)).ratio() >= 0.95


@pytest.fixture(scope="module")
def doc001(prepared):
    return prepared["001"]


@pytest.fixture(scope="module")
def plan(doc001) -> ActionPlan:
    p = parse_action_plan(doc001.doc.text, page_breaks=page_breaks_of(doc001.norm),
                          abbreviations=doc001.doc.abbreviations)
    assert p is not None
    return p


@pytest.fixture(scope="module")
def plan_text_only(doc001) -> ActionPlan:
    p = parse_action_plan(doc001.doc.text)
    assert p is not None
    return p


@pytest.fixture(scope="module")
def measures(gold):
    return {m["number"]: m for m in gold["001"]["measures"]}


@pytest.fixture(scope="module")
def gazetteer():
    return reference_gazetteer()


# --------------------------------------------------------------------------------------------- helpers

def is_akimat(node_id: str) -> bool:
    return node_id.endswith("-akimat")


def akimat_kinds(ids) -> set[str]:
    out = set()
    for i in ids:
        if i.endswith("-region-akimat"):
            out.add("regions")
        elif i == "statebody:kz-astana-city-akimat":
            out.add("astana")
        elif i == "statebody:kz-almaty-city-akimat":
            out.add("almaty")
    return out


def executor_bodies(prep, gazetteer, cell: Cell) -> tuple[set[str], set[str]]:
    """(state bodies other than akimats, kinds of akimats) named in an executors cell: the gazetteer hits
    inside the cell's pieces, abbreviations expanded through the document's list, and the collective
    akimat items of `split_executors` (the resolver expands those)."""
    ids: set[str] = set()
    for s, e in cell.pieces:
        ids |= {m.node_id for m in prep.doc.known_in(s, e, "statebody")}
    kinds: set[str] = set()
    for name, _lead in split_executors(cell.text):
        full = prep.doc.abbreviations.get(name)
        if full:
            ids |= {m.node_id for m in gazetteer.find(full) if m.node_id.startswith("statebody:")}
        low = name.lower()
        if "әкімдік" in low or "акимат" in low:
            if "облыс" in low or "област" in low:
                kinds.add("regions")
            if "астана" in low:
                kinds.add("astana")
            if "алматы" in low:
                kinds.add("almaty")
    return {i for i in ids if not is_akimat(i)}, kinds


def squeeze(s: str) -> str:
    return re.sub(r"[\s\-‐]", "", s)


def all_cells(row):
    cells = [row.measure, row.completion_form, row.executors, row.deadline, *row.funding_cells.values()]
    if row.funding_source is not None:
        cells.append(row.funding_source)
    return cells


# --------------------------------------------------------------------------------------------- table found

def test_column_number_row(doc001, prepared):
    text = doc001.doc.text
    rows = find_column_number_rows(text)
    assert len(rows) == 1
    assert text[rows[0]:text.index("\n", rows[0])].split() == [str(i) for i in range(1, 10)]
    assert find_column_number_rows("1 2\n1 3 2\nжыл 1 2 3\n  1 2 3 4\n") == [len("1 2\n1 3 2\nжыл 1 2 3\n  ")]
    for other in ("000", "002"):
        assert parse_action_plan(prepared[other].doc.text) is None


def test_rows_in_order(plan, measures):
    assert plan.header_years == list(YEARS)
    assert [r.number for r in plan.rows] == list(range(1, 24)) == sorted(measures)
    spans = [r.span for r in plan.rows]
    assert all(a[0] < b[0] for a, b in zip(spans, spans[1:]))
    assert plan.warnings == []


def test_directions(plan, measures):
    assert len({r.direction for r in plan.rows}) == 4
    for r in plan.rows:
        assert similar(r.direction, measures[r.number]["direction"]), (r.number, r.direction)


@pytest.mark.parametrize("field,gold_field", [("measure", "text"), ("completion_form", "completion_form"),
                                              ("deadline", "deadline")])
def test_text_cells(plan, measures, field, gold_field):
    wrong = [(r.number, getattr(r, field).text) for r in plan.rows
             if key(getattr(r, field).text) != key(measures[r.number][gold_field])]
    assert wrong == []


def test_page_split_cells_joined(plan):
    rows = {r.number: r for r in plan.rows}
    assert "байланыс жөніндегі кеңестердің кеңейтілген отырыстарын өткізу" in rows[2].measure.text
    assert len(rows[2].measure.pieces) == 2
    assert rows[2].executors.text == "Облыстардың, Астана, Алматы қалаларының әкімдіктері"
    assert rows[2].deadline.text == "2008-2009 жылдар тоқсан сайын"
    assert "мемлекеттік-конфессиялық қарым-қатынастарды жетілдіру" in rows[6].measure.text
    assert rows[6].completion_form.text == "Қазақстан Республикасының Үкіметіне ақпарат"
    assert rows[6].funding_source.text == "Республикалық бюджет"
    assert rows[21].completion_form.text == "Қазақстан Республикасының Үкіметіне ақпарат"
    assert rows[21].funding_source.text == "Республикалық бюджет Жергілікті бюджет"
    assert rows[21].funding_notes == {y: "Мемлекеттік тапсырыс шеңберінде" for y in YEARS}
    assert rows[12].measure.text.count("теле- және радиобағдарламаға") == 1


def test_executors_against_gold(plan, measures, doc001, gazetteer):
    wrong = []
    for r in plan.rows:
        gold_ids = set(measures[r.number]["responsible"])
        bodies, kinds = executor_bodies(doc001, gazetteer, r.executors)
        if bodies != {i for i in gold_ids if not is_akimat(i)} or kinds != akimat_kinds(gold_ids):
            wrong.append((r.number, r.executors.text, sorted(bodies), sorted(kinds)))
    assert wrong == []


def test_lead(plan, measures, doc001, gazetteer):
    for r in plan.rows:
        leads = [name for name, lead in split_executors(r.executors.text) if lead]
        gold_lead = measures[r.number]["lead"]
        if gold_lead is None:
            assert leads == [], r.number
        else:
            assert len(leads) == 1
            full = doc001.doc.abbreviations[leads[0]]
            assert gold_lead in {m.node_id for m in gazetteer.find(full)}


def test_funding_against_gold(plan, measures):
    for r in plan.rows:
        gold = measures[r.number]
        assert r.funding == {int(y): v for y, v in gold["funding"].items()}, r.number
        src = r.funding_source.text if r.funding_source else None
        assert key(src) == key(gold["funding_source"]), (r.number, src)


def test_sums(plan):
    assert plan.totals == TOTALS
    assert plan.stated_total == 177.7
    assert [name for name, _ in plan.totals_rows] == ["Жиыны", "Барлығы"]
    assert plan.check_sums() == []
    assert plan.check_sums(TOTALS) == []
    assert plan.sums()[2008] == pytest.approx(31.604)


def test_sums_catch_a_wrong_figure(doc001):
    text = doc001.doc.text
    assert text.count("12,268") == 1
    corrupted = text.replace("12,268", "13,268")
    bad = parse_action_plan(corrupted, page_breaks=page_breaks_of(doc001.norm))
    assert bad.rows[18].funding[2008] == 13.268
    problems = bad.check_sums()
    assert any("2008" in w and "32.604" in w and "31.6" in w for w in problems), problems
    assert any("all years" in w and "178.704" in w and "177.7" in w for w in problems), problems
    assert not any(w.startswith(("2007", "2009")) for w in problems)
    assert any("2008" in w for w in bad.warnings)
    # against figures stated elsewhere in the text
    assert "2009: rows sum to 78, expected is 77" in bad.check_sums({2009: 77.0})


def test_cells_recoverable_from_spans(plan, doc001):
    text = doc001.doc.text
    used: list[tuple[int, int]] = []
    for r in plan.rows:
        for c in all_cells(r):
            assert c.pieces and (c.start, c.end) == c.pieces[0]
            assert c.text == join_pieces(text, c.pieces)
            # independent of join_pieces: the same characters, but for whitespace and hyphens
            assert squeeze(c.text) == squeeze("".join(text[s:e] for s, e in c.pieces)), c.text
            assert c.text == re.sub(r"\s+", " ", c.text).strip()
            for s, e in c.pieces:
                assert r.span[0] <= s < e <= r.span[1]
            used += c.pieces
    used.sort()
    assert all(a[1] <= b[0] for a, b in zip(used, used[1:])), "a span is in two cells"


def test_without_page_breaks(plan_text_only, measures):
    """From the clean text alone: one page break the normaliser removed inside a block (row 21: the source's
    ``Жер`` and the measure's ``қызметкерлерінің``) cannot be seen; everything else is the same."""
    assert [r.number for r in plan_text_only.rows] == list(range(1, 24))
    assert plan_text_only.check_sums(TOTALS) == []
    for r in plan_text_only.rows:
        assert r.funding == {int(y): v for y, v in measures[r.number]["funding"].items()}
        if r.number != 21:
            assert key(r.measure.text) == key(measures[r.number]["text"]), r.number


def cell_scores(plan, measures, doc001, gazetteer) -> dict[str, tuple[int, int, int]]:
    """Per field (true positives, predicted cells, gold cells)."""
    out: dict[str, list[int]] = {}

    def count(field, pred, gold, ok):
        c = out.setdefault(field, [0, 0, 0])
        c[0] += bool(pred is not None and gold is not None and ok)
        c[1] += pred is not None
        c[2] += gold is not None

    rows = {r.number: r for r in plan.rows}
    for n, gm in measures.items():
        r = rows.get(n)
        if r is None:
            for f in ("direction", "measure", "completion", "executors", "deadline", "funding", "source"):
                count(f, None, True, False)
            continue
        count("direction", r.direction, gm["direction"], similar(r.direction, gm["direction"]))
        count("measure", r.measure.text or None, gm["text"], key(r.measure.text) == key(gm["text"]))
        count("completion", r.completion_form.text or None, gm["completion_form"],
              key(r.completion_form.text) == key(gm["completion_form"]))
        bodies, kinds = executor_bodies(doc001, gazetteer, r.executors)
        gold_ids = set(gm["responsible"])
        count("executors", r.executors.text or None, gold_ids,
              bodies == {i for i in gold_ids if not is_akimat(i)} and kinds == akimat_kinds(gold_ids))
        count("deadline", r.deadline.text or None, gm["deadline"], key(r.deadline.text) == key(gm["deadline"]))
        for y in YEARS:
            g, p = gm["funding"][y], r.funding.get(y)
            count("funding", p, g, p is not None and g is not None and abs(p - g) < 1e-9)
        src = r.funding_source.text if r.funding_source else None
        count("source", src, gm["funding_source"], key(src) == key(gm["funding_source"]))
    return {f: tuple(v) for f, v in out.items()}


def report(title: str, scores) -> str:
    lines = [title]
    for f, (tp, pred, gold) in scores.items():
        p = tp / pred if pred else 1.0
        r = tp / gold if gold else 1.0
        lines.append(f"  {f:11s} {tp:3d}/{gold:<3d} precision {p:.2f} recall {r:.2f}")
    return "\n".join(lines)


def test_cell_precision_recall(plan, plan_text_only, measures, doc001, gazetteer, capsys):
    full = cell_scores(plan, measures, doc001, gazetteer)
    bare = cell_scores(plan_text_only, measures, doc001, gazetteer)
    with capsys.disabled():
        print("\n" + report("action plan cells vs gold (with page breaks):", full))
        print(report("action plan cells vs gold (clean text only):", bare))
    for f, (tp, pred, gold) in full.items():
        assert tp == pred == gold, f
    for f, (tp, pred, gold) in bare.items():
        assert tp >= gold - 1 and tp >= pred - 1, f


# --------------------------------------------------------------------------------------------- executors

@pytest.mark.parametrize("cell,expected", [
    ("Әділетмині\n(жинақтау),\nМАМ,\nБҒМ,\nСІМ,\nІІМ",
     [("Әділетмині", True), ("МАМ", False), ("БҒМ", False), ("СІМ", False), ("ІІМ", False)]),
    ("Облыстардың, Астана, Алматы қалаларының әкімдіктері",
     [("Облыстардың, Астана, Алматы қалаларының әкімдіктері", False)]),
    ("МАМ, Әділетмині, облыстар, Астана, Алматы қалаларының әкімдіктері",
     [("МАМ", False), ("Әділетмині", False), ("облыстар, Астана, Алматы қалаларының әкімдіктері", False)]),
    ("Әділетмині облыстар, Астана, Алматы қалаларының әкімдіктері",
     [("Әділетмині", False), ("облыстар, Астана, Алматы қалаларының әкімдіктері", False)]),
    ("Әділетмині, МАМ, БҒМ, СІМ, облыстардың және Астана, Алматы қалаларының әкімдіктері",
     [("Әділетмині", False), ("МАМ", False), ("БҒМ", False), ("СІМ", False),
      ("облыстардың және Астана, Алматы қалаларының әкімдіктері", False)]),
    ("МҚА (келісім бойынша), Әділетмині, БҒМ", [("МҚА", False), ("Әділетмині", False), ("БҒМ", False)]),
    ("Әділетмині, БҒМ, СІМ,", [("Әділетмині", False), ("БҒМ", False), ("СІМ", False)]),
    ("МЮ (свод), МКИ, акиматы областей, городов Астаны и Алматы",
     [("МЮ", True), ("МКИ", False), ("акиматы областей, городов Астаны и Алматы", False)]),
    ("Министерство юстиции, Министерство финансов",
     [("Министерство юстиции", False), ("Министерство финансов", False)]),
])
def test_split_executors(cell, expected):
    assert split_executors(cell) == expected


# --------------------------------------------------------------------------------------------- small parts

def test_amounts_and_none_values():
    assert parse_amount("5,836") == 5.836
    assert parse_amount("19,323") == 19.323
    assert parse_amount(" 68,1 ") == 68.1
    assert parse_amount("1 234,5") == 1234.5
    assert parse_amount("-") is None and parse_amount("Талап етілмейді") is None
    assert is_none_value("Талап\nетілмейді") and is_none_value("-") and is_none_value("Не требуется")
    assert not is_none_value("Мемлекеттік тапсырыс шеңберінде")


def test_join_pieces_hyphens():
    text = ("байланыс жөнінде-\nX\nгі кеңестердің\nқалала-\nрының\nтоқ -\nсан\nЖер\n-\nгілікті\n"
            "мақалаға, теле-\nжәне радио\nмемлекеттік-\nконфессиялық\nБАҚ-\nта\n"
            "мемлекеттік-конфессиялық мемлекеттік-конфессиялық")
    spans = {}
    for m in re.finditer(r"[^\n]+", text):
        spans[m.group()] = (m.start(), m.end())
    j = lambda *parts: join_pieces(text, [spans[p] for p in parts])  # noqa: E731
    assert j("байланыс жөнінде-", "гі кеңестердің") == "байланыс жөніндегі кеңестердің"
    assert j("қалала-", "рының") == "қалаларының"
    assert j("тоқ -", "сан") == "тоқсан"
    assert j("Жер", "-", "гілікті") == "Жергілікті"
    assert j("мақалаға, теле-", "және радио") == "мақалаға, теле- және радио"
    assert j("мемлекеттік-", "конфессиялық") == "мемлекеттік-конфессиялық"
    assert j("БАҚ-", "та") == "БАҚ-та"


# --------------------------------------------------------------------------------------------- passport

def test_passport(doc001):
    text = doc001.doc.text
    pairs = parse_two_column(text, "1. Бағдарламаның паспорты")
    got = {k: v for k, v, _ in pairs}
    assert list(got) == ["Бағдарламаның атауы", "Әзірлеу үшін негіз", "Әзірлеуші", "Бағдарламаның мақсаты",
                         "Бағдарламаның міндеттері", "Іске асыру мерзімдері", "Қаржыландыру көздері",
                         "Күтілетін нәтиже"]
    assert got["Бағдарламаның атауы"] == (
        "Қазақстан Республикасында діни сенім бостандығын қамтамасыз ету мен мемлекеттік-конфессиялық "
        "қатынастарды жетілдіру жөніндегі 2007-2009 жылдарға арналған бағдарлама")
    assert "Әділет министрлігі" in got["Әзірлеуші"]
    assert re.search(r"2007\s*-\s*2009", got["Іске асыру мерзімдері"])
    assert "177,7" in got["Қаржыландыру көздері"] and "68,1" in got["Қаржыландыру көздері"]
    assert got["Әзірлеу үшін негіз"].startswith("Қазақстан Республикасының Президенті Н.Ә.Назарбаевтың")
    assert "негіз" not in got["Әзірлеу үшін негіз"].split()
    assert got["Бағдарламаның мақсаты"].startswith("Конфессияаралық келісімді сақтау")
    assert "құқықтарын іске асыруды" in got["Бағдарламаның мақсаты"]
    for k, v, (s, e) in pairs:
        assert text[s:e].startswith(k.split()[0][:8])
        assert squeeze(v)[:20] in squeeze(text[s:e])
    assert parse_two_column(text, "99. Жоқ бөлім") == []


# --------------------------------------------------------------------------------------------- other tables

RUSSIAN = """5. План мероприятий по реализации Программы

№ Наименование мероприятия Форма
завершения

Ответственные
исполнители

Срок
исполнения

Предполагаемые
расходы
(млн. тенге)

Источники
финансирования

2010 2011
1 2 3 4 5 6 7 8
Совершенствование законодательства

1.

Разработать проект закона о
религиозной деятельности

Проект закона

МЮ (свод),
МКИ

II квартал
2010 года

Не требуется

Не требуется

-

2.

Провести республиканскую конферен-

Информация в
Правительство

МКИ, акиматы областей,
городов Астаны и Алматы

ежегодно,
к 20 янва-

12,5 4,0

Республиканский
бюджет



цию по вопросам межконфессионального согласия

ря

Информационная работа

3.

Издать методические пособия

Информация в
Правительство

МОН

IV квартал
2011 года

- 3,5

Местный бюджет

Итого:
12,5
7,5
20,0
"""


def test_russian_table():
    plan = parse_action_plan(RUSSIAN)
    assert plan.header_years == [2010, 2011]
    assert [r.number for r in plan.rows] == [1, 2, 3]
    r1, r2, r3 = plan.rows
    assert r1.direction == r2.direction == "Совершенствование законодательства"
    assert r3.direction == "Информационная работа"
    assert r1.measure.text == "Разработать проект закона о религиозной деятельности"
    assert r1.completion_form.text == "Проект закона"
    assert split_executors(r1.executors.text) == [("МЮ", True), ("МКИ", False)]
    assert r1.deadline.text == "II квартал 2010 года"
    assert r1.funding == {2010: None, 2011: None} and r1.funding_source is None
    assert r2.measure.text == "Провести республиканскую конференцию по вопросам межконфессионального согласия"
    assert r2.deadline.text == "ежегодно, к 20 января"
    assert r2.funding == {2010: 12.5, 2011: 4.0}
    assert r2.funding_source.text == "Республиканский бюджет"
    assert r3.funding == {2010: None, 2011: 3.5} and r3.funding_source.text == "Местный бюджет"
    assert plan.totals == {2010: 12.5, 2011: 7.5} and plan.stated_total == 20.0
    assert plan.check_sums() == []
    assert plan.check_sums({2011: 8.0}) == ["2011: rows sum to 7.5, expected is 8"]


@pytest.mark.parametrize("variant", ["inline numbers", "repeated column numbers", "page break removed"])
def test_russian_table_variants(variant):
    """The same table with its row numbers on the measure's line (and no headings), with the column-number
    row repeated after the page break, and with the page break's blank lines gone."""
    text = RUSSIAN
    if variant == "inline numbers":
        text = (text.replace("Совершенствование законодательства\n\n1.\n\n", "1. ")
                .replace("2.\n\nПровести", "2. Провести").replace("Информационная работа\n\n3.\n\n", "3. "))
    elif variant == "repeated column numbers":
        text = text.replace("\n\n\n\nцию", "\n\n\n\n1 2 3 4 5 6 7 8\nцию")
    else:
        text = text.replace("бюджет\n\n\n\nцию", "бюджет\nцию")
    plan = parse_action_plan(text)
    assert [r.number for r in plan.rows] == [1, 2, 3]
    r2 = plan.rows[1]
    assert r2.measure.text == "Провести республиканскую конференцию по вопросам межконфессионального согласия"
    assert r2.deadline.text == "ежегодно, к 20 января"
    assert r2.funding_source.text == "Республиканский бюджет"
    assert [r.funding for r in plan.rows] == [{2010: None, 2011: None}, {2010: 12.5, 2011: 4.0},
                                              {2010: None, 2011: 3.5}]
    assert plan.check_sums() == []
    assert (plan.rows[0].direction is None) == (variant == "inline numbers")


def test_no_table():
    assert parse_action_plan("Мәтін.\n\n1. Бірінші.\n2. Екінші.\n") is None
    assert parse_action_plan("") is None
