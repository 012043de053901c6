"""Abbreviations learnt from the sample documents: the abbreviation list and in-text definitions."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.abbreviations import Definition, learn_abbreviation_spans, learn_abbreviations
from kb.morph import match_key

SAMPLES = Path(__file__).resolve().parent.parent / "ingest" / "samples"


def _sample(name: str) -> str:
    return next(SAMPLES.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def _check_span(text: str, d: Definition) -> None:
    assert text[d.abbrev_start:d.abbrev_end] == d.abbrev or " ".join(text[d.abbrev_start:d.abbrev_end].split()) == d.abbrev
    assert " ".join(text[d.full_start:d.full_end].split()) == d.full


def test_abbreviation_list_of_001():
    abbr = learn_abbreviations(_sample("001"))
    assert abbr["Әділетмині"] == "Қазақстан Республикасы Әділет министрлігі"
    assert abbr["МАМ"] == "Қазақстан Республикасы Мәдениет және ақпарат министрлігі"
    assert abbr["БҒМ"] == "Қазақстан Республикасы Білім және ғылым министрлігі"
    assert abbr["Қаржымині"] == "Қазақстан Республикасы Қаржы министрлігі"
    assert abbr["СІМ"] == "Қазақстан Республикасы Сыртқы істер министрлігі"
    assert abbr["ІІМ"] == "Қазақстан Республикасы Ішкі істер министрлігі"
    assert abbr["МҚА"] == "Қазақстан Республикасы Мемлекеттік қызмет істері агенттігі"
    assert abbr["РБК"] == "Республикалық бюджет комиссиясы"  # double spaces in the source
    assert abbr["ҚР ҚК"] == "Қазақстан Республикасы Қылмыстық кодексі"
    assert abbr["ҚР ӘҚБК"] == "Қазақстан Республикасы Әкімшілік құқық бұзушылық туралы кодексі"
    assert abbr["БАҚ"] == "Бұқаралық ақпарат құралдары"  # the page footer after it is not appended


def test_list_spans_of_001():
    text = _sample("001")
    defs = [d for d in learn_abbreviation_spans(text) if d.kind == "list"]
    assert len(defs) == 11
    for d in defs:
        _check_span(text, d)
    header = text.index("аббревиатуралардың толық жазылуы")
    assert all(d.abbrev_start > header for d in defs)


def test_inline_definition_of_001():
    text = _sample("001")
    full = learn_abbreviations(text)["Бағдарлама"]
    assert full.startswith("Қазақстан Республикасында діни сенім бостандығын")
    assert full.endswith("2007-2009 жылдарға арналған бағдарлама")
    assert "Қоса беріліп" not in full


def test_inline_definitions_of_002():
    text = _sample("002")
    defs = {d.abbrev: d for d in learn_abbreviation_spans(text)}
    ministry, board = defs["Министрлік"], defs["ҚМДБ"]
    assert ministry.full == "Мәдениет және ақпарат министрлігі"
    assert board.full == "Қазақстан мұсылмандары діни басқармасы"
    for d in (ministry, board):
        _check_span(text, d)
        assert d.kind == "inline"
        assert d.full_end < d.abbrev_start
        assert "бұдан әрі" in text[d.full_end:d.abbrev_start]
    # the spans point into the right places
    assert text[ministry.full_start:ministry.abbrev_end + 1].startswith("Мәдениет және ақпарат министрлігі (бұдан әрі – Министрлік)")
    assert text[board.abbrev_start - len("(бұдан әрі – "):board.abbrev_end + 1] == "(бұдан әрі – ҚМДБ)"
    assert text[board.full_start - len("Бұған қоса, "):board.full_start] == "Бұған қоса, "
    # a long programme title is taken whole, back to the sentence start
    assert defs["Кешенді жоспар"].full.startswith("Экстремизм мен терроризмге қарсы")


def test_no_definitions_in_000():
    assert learn_abbreviations(_sample("000")) == {}


def test_learnt_full_name_matches_inflected_text():
    abbr = learn_abbreviations(_sample("002"))
    assert match_key(abbr["Министрлік"]) == match_key("Мәдениет және ақпарат министрлігінің")
    assert match_key(abbr["ҚМДБ"]) == match_key("Қазақстан мұсылмандары діни басқармасымен")


RU_TEXT = """Во исполнение Закона Республики Казахстан «О религиозной деятельности и религиозных
объединениях» (далее – Закон) Министерство информации и общественного развития Республики
Казахстан (далее - Министерство) совместно с Духовным управлением мусульман Казахстана
(далее по тексту – «ДУМК») проводит мониторинг. В соответствии с пунктом 2, местные
исполнительные органы (далее – МИО) обеспечивают работу.

Расшифровка аббревиатур:
МЮ – Министерство юстиции Республики Казахстан;
МВД – Министерство внутренних дел
Республики Казахстан;
СМИ – средства массовой информации.
Примечание: сведения за 2023 год.
"""


def test_russian_definitions():
    abbr = learn_abbreviations(RU_TEXT)
    assert abbr["Закон"] == "Закона Республики Казахстан «О религиозной деятельности и религиозных объединениях»"
    assert abbr["Министерство"] == "Министерство информации и общественного развития Республики Казахстан"
    assert abbr["ДУМК"] == "Духовным управлением мусульман Казахстана"
    assert abbr["МИО"] == "местные исполнительные органы"
    assert abbr["МЮ"] == "Министерство юстиции Республики Казахстан"
    assert abbr["МВД"] == "Министерство внутренних дел Республики Казахстан"  # wrapped line joined
    assert abbr["СМИ"] == "средства массовой информации"
    assert "Примечание" not in abbr
    for d in learn_abbreviation_spans(RU_TEXT):
        _check_span(RU_TEXT, d)
    assert match_key(abbr["ДУМК"]) == match_key("Духовное управление мусульман Казахстана")


def test_russian_list_on_one_line():
    abbr = learn_abbreviations("Список сокращений: МЮ – Министерство юстиции; КНБ – Комитет национальной безопасности")
    assert abbr == {"МЮ": "Министерство юстиции", "КНБ": "Комитет национальной безопасности"}


@pytest.mark.parametrize("text, abbrev, full", [
    ("Мәдениет және спорт министрлігінің Дін істері комитеті (бұдан әрі – Комитет) жұмыс істейді.",
     "Комитет", "Мәдениет және спорт министрлігінің Дін істері комитеті"),
    ("Комитет және Қаржы министрлігі (бұдан әрі - ҚМ) бірлесіп.", "ҚМ", "Қаржы министрлігі"),
    ("«Кибернадзор» ақпараттық жүйесі (бұдан әрі – «Жүйе») жұмыс істейді.", "Жүйе", "«Кибернадзор» ақпараттық жүйесі"),
    ("Бағдарлама (б ұ д а н  ә р і - Б а ғ д а р л а м а) бекітілсін.", "Бағдарлама", None),
])
def test_inline_variants(text, abbrev, full):
    abbr = learn_abbreviations(text)
    if full is None:
        assert abbrev not in abbr  # the name would be the abbreviation itself
    else:
        assert abbr[abbrev] == full


def test_letter_spaced_marker_is_read():
    text = "Діни істер жөніндегі кеңес (б ұ д а н  ә р і - Кеңес) құрылды."
    assert learn_abbreviations(text) == {"Кеңес": "Діни істер жөніндегі кеңес"}


def test_list_entry_wins_over_inline_definition():
    text = ("Білім және ғылым министрлігімен бірге (бұдан әрі - БҒМ) жұмыс.\n\n"
            "аббревиатуралардың толық жазылуы:\nБҒМ - Қазақстан Республикасы Білім және ғылым министрлігі\n")
    assert learn_abbreviations(text)["БҒМ"] == "Қазақстан Республикасы Білім және ғылым министрлігі"
    assert [d.kind for d in learn_abbreviation_spans(text)] == ["inline", "list"]
