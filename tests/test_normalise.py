"""Stage 2 normaliser: repairs measured on the real samples, protected strings, idempotence, offset map."""
from __future__ import annotations

import random
from bisect import bisect_left
from pathlib import Path

import pytest

from ingest.normalise import KINDS, Normalised, apply_edits, normalise

SAMPLES = Path(__file__).resolve().parent.parent / "ingest" / "samples"
NEWS, DECREE, LETTER = "000_e3b51febfdd13c19.txt", "001_3e82bdd0ac94ffa1.txt", "002_045d31dbc8fbceb6.txt"


def _raw(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


_CACHE: dict[str, Normalised] = {}


def _norm(name: str) -> Normalised:
    if name not in _CACHE:
        _CACHE[name] = normalise(_raw(name))
    return _CACHE[name]


# Strings that must come through unchanged wherever they occur (the raw text is searched for each).
PROTECTED = [
    "ҚазҰУ-дың", "БАҚ-та", "БАҚ-тарда", "Phd", "II имамдар", "ІІ\u00a0сьезінде", "2023 жылғы", "2007-2009",
    "іс-шара", "іс-қимыл", "ғылыми-зерттеу", "әлеуметтік-экономикалық", "қарым-қатынас", "ақпараттық-түсіндіру",
    "Нұр-Мүбарак", "8-15 қазан", "6800-ден", "70-ке", "ДС-384-ке", "РБК-ға", "170-бап", "344-бабы",
    "Премьер-Министрі", "сондай-ақ", "т. б.", "VII", "WT компаниясы", "(млн.тг.)", "Н.Ә.Назарбаевтың",
    "N 319", "N 682", "- 5,836 19,323", "1 2 3 4 5 6 7 8 9", "-  -  -  -",
]

SYNTHETIC = (
    "Договор вступает в силу с 1 января 2024 года, N 5 от 2 мая, из-за погоды.\n"
    "ҚазҰУ-дың Phd докторы, II имамдар форумы, ІІ сьезінде, БАҚ-та, 2023 жылғы 4 қазан.\n"
    "и в  том числе а к  нему\n"
    "1 2 3 4 5 6 7 8 9\n"
    "1 2 3 4 5 6 7 8 9  \n"
    "соның ішінде  жұмыс істейді  іске асыру  ілім  ізгі\n"
    "осы баптың і) тармақшасы  мен і. тармағы\n"
    "қауіптілігі - \n"
    "өз мақсаттарын жариялай отырып\n"
)


def test_counts_on_the_decree_are_in_range(capsys):
    counts = _norm(DECREE).counts()
    with capsys.disabled():
        print("\nrepairs on", DECREE, {k: counts[k] for k in KINDS if k in counts})
    assert set(counts) <= set(KINDS)
    assert 290 <= counts["letter_spacing"] <= 320  # ~305 letter-spaced words
    assert 24 <= counts["split_word"] <= 32  # ~28 words broken around і
    line_hyphens = counts["line_hyphen"] + counts["compound_hyphen"]
    assert 380 <= line_hyphens <= 420  # ~405 line-end hyphens
    assert 3 <= counts["compound_hyphen"] <= 15
    assert 10 <= counts["page_break"] <= 23
    assert 20 <= counts["punct_space"] <= 60
    assert counts.get("latin_lookalike", 0) == 0


def test_letter_spacing_repairs():
    text = _norm(DECREE).text
    for s in ("2007 жылғы 5 желтоқсандағы\nN 1185 қаулысымен\n", "Қазақстан Республикасының\n",
              "(келісім\nбойынша):\n", "\"Мемлекет басшысының 2005 - 2007\n", "N 822 қаулысы;",
              "Іске асыру          2007 - 2009 жылдар\n", "ғылыми-әдістемелік база құру;",
              "\nБҒМ,\nСІМ,\nІІМ\n", "\nРБК\nшешімі", "\nIV\nтоқсаны", "12 нөмірін жарыққа шығару;",
              "\nЖыл\nсайын\n20\nқаңтарға\n"):
        assert s in text, s
    for broken in ("2 0 0 7", "ж ы л ғ ы", "Б Ғ М", "Р Б К", "I V", "қ а у л ы"):
        assert broken not in text, broken


def test_section_8_total_line():
    n = _norm(DECREE)
    totals = [e for e in n.edits if e.before == "6 8 , 1"]
    assert len(totals) == 1 and totals[0].after == "68,1" and totals[0].kind == "letter_spacing"
    assert "\n68,1\n    68,1\n" in n.text
    assert "\n31,6\n" in n.text and "\n78,0\n" in n.text


def test_column_number_row_is_kept():
    assert "\n1 2 3 4 5 6 7 8 9\n" in _norm(DECREE).text
    assert normalise(SYNTHETIC).text.count("1 2 3 4 5 6 7 8 9\n") == 2


def test_split_words_around_i():
    n = _norm(DECREE)
    text = n.text
    for broken in ("Үк імет", "Үкімет ін ің", "бек і ту", "д іни", "б ірлест", "нег і зделу", "ти іс",
                   "әлемдег і", "өң ірл ік", "жет ілд іру", "ет ілед і"):
        assert broken not in text, broken
    for s in ("Үкіметінің  2006  жылғы", "Республикасы Үкіметінің  2007  жылғы", "жоспарын  бекіту  туралы",
              "заңнамаға  негізделуі  тиіс.", "\"Жаңа  әлемдегі  жаңа  Қазақстан\"", "өңірлік,  4  халықаралық",
              "діни  бірлестіктермен өзара  іс-қимыл", "қамтамасыз  етіледі;"):
        assert s in text, s
    splits = {e.before: e.after for e in n.edits if e.kind == "split_word"}
    assert splits["Үк імет ін ің"] == "Үкіметінің"


def test_line_end_hyphens():
    text = _norm(DECREE).text
    for s in ("\nҚазақстан\nРеспубликасының\nҮкіметіне\nақпарат\n", "\nМемлекеттік\nтапсырыс\nшеңберінде\n",
              "\nРеспубликалық\nбюджет\n", "\nЖергілікті\nбюджет\n", "\nЖауапты\nорындаушылар\n",
              "\nОрындау\nмерзімдері\n", "\nҚаржыландыру\nкөздері\n", "\nӘділетмині,\n", "\nқаңтарға\n",
              "ахуалдың мониторингін", "бостандығын қамтамасыз", "\nәкімдіктері\n", "170-баптары",
              "семинар-тренингтер өткізуді", "ақпараттық-насихаттау топтарының", "\nжылдың\nтоқсаны\n",
              "\n2009\nжылғы\nжелтоқсан\n"):
        assert s in text, s
    # real compounds keep their hyphen, only the line break goes
    for s in ("Республикасының әлеуметтік-экономикалық дамуының", "жөніндегі ғылыми-зерттеу және талдау",
              "бойынша қарым-қатынасының", "\n2008-2009\nжылдар\n", "айдарлар, теле-радиобағдарламаларының"):
        assert s in text, s
    # a hanging hyphen before "және" stays a hanging hyphen
    assert "мақалаға, теле-\nжәне радиобағдарламаға" in text
    # a break before a capital is left alone
    assert "қарым-қа-\n\nҚазақстан" in text


def test_compound_hyphen_at_line_end_in_the_letter():
    n = _norm(LETTER)
    assert "28500 іс-шара, оның ішінде" in n.text
    assert "іс-\nшара" not in n.text
    assert n.counts() == {"compound_hyphen": 1, "trailing_space": n.counts()["trailing_space"]}
    assert "2023 жылғы 4 қазандағы № ДС-384-ке" in n.text
    assert not any(line != line.rstrip() for line in n.text.split("\n"))


def test_latin_lookalikes_in_the_news():
    n = _norm(NEWS)
    assert n.counts()["latin_lookalike"] == 12
    for s in ("әрбір адамның", "құрметтейтін", "діндердің", "келісімнің", "діни төзімділік"):
        assert s in n.text, s
    assert not any(c == "i" for w in n.text.split() if any("\u0400" <= ch <= "\u04ff" for ch in w) for c in w)
    for s in ("ҚазҰУ-дың Phd докторы", "өңірлік II имамдар", "ІІ\u00a0сьезінде", "8-15 қазан"):
        assert s in n.text, s


def test_space_before_punctuation():
    text = _norm(DECREE).text
    assert "2008 жылға -\n31,6  млн.  теңге,  2009" in text
    assert "мониторингі,  оны" in text
    assert "беруге, діни төзімділік" in text  # a line starting with "," joins the line before
    assert "\nоблыстар, Астана, Алматы\nқалаларының\n" in text
    assert " ," not in text and " ;" not in text


def test_page_breaks_joined_when_the_sentence_goes_on():
    text = _norm(DECREE).text
    assert "қайта құруларға, елдің\nконфессиялық кеңістігі" in text
    assert "521-ден 1\n147-ге дейін" in text
    # a break after a finished sentence before a capital stays
    assert "жүзеге асырады.\n\n\n\n      2005 жылғы" in text


@pytest.mark.parametrize("name", [NEWS, DECREE, LETTER])
def test_no_false_repairs_on_protected_strings(name):
    raw, text = _raw(name), _norm(name).text
    for s in PROTECTED:
        assert raw.count(s) <= text.count(s), (name, s)


def test_no_false_repairs_on_synthetic_text():
    n = normalise(SYNTHETIC)
    assert n.text == SYNTHETIC.replace("9  \n", "9\n").replace("- \n", "-\n")
    assert n.counts() == {"trailing_space": 2}


def test_repairs_on_synthetic_breaks():
    cases = {
        "Жоспар 28500 іс-\nшара, 6800-ден астам іс-шара.\n": "Жоспар 28500 іс-шара, 6800-ден астам іс-шара.\n",
        "ҚазҰУ-\nдың оқытушысы, БАҚ-\nта жарияланды.\n": "ҚазҰУ-дың оқытушысы, БАҚ-та жарияланды.\n",
        "Все из-\nза погоды, по-\nрусски, что-\nто, госу-\nдарство.\n": "Все из-за погоды, по-русски, что-то, государство.\n",
        "Мемле-\nкет пен Мемле\n-кет- \nтік\n": "Мемлекет пен Мемлекеттік\n",
        "Жер\n- \nгі- \nлік- \nт і  \nбюджет, жергілікті\n": "Жергілікті\nбюджет, жергілікті\n",
        "желтоқсанда, жел-\nтоқ -  \nсан\n": "желтоқсанда, желтоқсан\n",
        # without the document's evidence a detached hyphen may be a bullet, an empty cell or a dash
        "Жер\n- \nгі- \nлік- \nт і  \nбюджет\n": "Жер\n-\nгілікті\nбюджет\n",
        "міндеттері\n-діни ахуалды зерттеу\n": "міндеттері\n-діни ахуалды зерттеу\n",
        "Қаржыландыру көзі\n-\nжергілікті бюджет\n": "Қаржыландыру көзі\n-\nжергілікті бюджет\n",
        "қауіптілігі - \nөз мақсаттарын\n": "қауіптілігі -\nөз мақсаттарын\n",
        "әлеуметтік-\n\n\n\nэкономикалық және әлеуметтік-экономикалық\n": "әлеуметтік-экономикалық және әлеуметтік-экономикалық\n",
        "сөз , 31 ,6 млн.\n": "сөз, 31,6 млн.\n",
        "Б Ғ М ,  Әділет-\nмині\n": "БҒМ, Әділетмині\n",
        "теле- \nжәне радио\n": "теле-\nжәне радио\n",
        "дiни әрбiр\n": "діни әрбір\n",
        "Олар:\n\n\n\nбірінші тармақ\n": "Олар:\nбірінші тармақ\n",
        "Бітті.\n\n\n\nЖаңа бет.\n": "Бітті.\n\n\n\nЖаңа бет.\n",
        "ақ\u00adпарат және ақ\u00ad\nпарат\n": "ақпарат және ақпарат\n",
    }
    for raw, clean in cases.items():
        n = normalise(raw)
        assert n.text == clean, (raw, n.text)
        _check_edits(n)


@pytest.mark.parametrize("name", [NEWS, DECREE, LETTER, "synthetic"])
def test_idempotent(name):
    first = normalise(SYNTHETIC) if name == "synthetic" else _norm(name)
    second = normalise(first.text)
    assert second.text == first.text
    assert second.edits == ()


def _check_edits(n: Normalised) -> None:
    prev_raw_end, prev_clean_end = 0, 0
    for e in n.edits:
        assert n.raw[e.raw_start:e.raw_end] == e.before
        assert n.text[e.clean_start:e.clean_end] == e.after
        assert e.before != e.after
        assert prev_raw_end <= e.raw_start <= e.raw_end
        assert prev_clean_end <= e.clean_start <= e.clean_end
        # between edits the texts are identical and shifted by the same amount
        assert e.raw_start - prev_raw_end == e.clean_start - prev_clean_end
        assert all(k in KINDS for k in e.kind.split("+"))
        prev_raw_end, prev_clean_end = e.raw_end, e.clean_end
    assert len(n.raw) - prev_raw_end == len(n.text) - prev_clean_end
    assert apply_edits(n.raw, n.edits) == n.text


@pytest.mark.parametrize("name", [NEWS, DECREE, LETTER])
def test_every_edit_matches_both_texts(name):
    _check_edits(_norm(name))


def _widened(n: Normalised, s: int, e: int) -> tuple[int, int]:
    """The clean span [s, e) widened to whole edits it cuts through."""
    for edit in n.edits:
        if edit.clean_start < s < edit.clean_end:
            s = edit.clean_start
        if edit.clean_start < e < edit.clean_end:
            e = edit.clean_end
    return s, e


def _rebuild(n: Normalised, rs: int, re_: int) -> str:
    """raw[rs:re_] with the edits inside it applied."""
    inside = [e for e in n.edits if rs <= e.raw_start and e.raw_end <= re_ and not (e.raw_start == e.raw_end == rs)]
    for e in n.edits:  # raw_span never cuts an edit
        assert e.raw_end <= rs or e.raw_start >= re_ or e in inside, (rs, re_, e)
    parts, pos = [], rs
    for e in inside:
        parts.append(n.raw[pos:e.raw_start])
        parts.append(e.after)
        pos = e.raw_end
    parts.append(n.raw[pos:re_])
    return "".join(parts)


@pytest.mark.parametrize("name", [NEWS, DECREE, LETTER])
def test_random_clean_spans_map_back_to_raw(name):
    n = _norm(name)
    rng = random.Random(20240601)
    starts = [e.clean_start for e in n.edits]
    untouched = 0
    for _ in range(600):
        s = rng.randrange(0, len(n.text) + 1)
        e = min(len(n.text), s + rng.randrange(0, 400))
        rs, re_ = n.raw_span(s, e)
        assert 0 <= rs <= re_ <= len(n.raw)
        ws, we = _widened(n, s, e)
        assert _rebuild(n, rs, re_) == n.text[ws:we]
        # a span touching no edit is the same text in raw
        k = bisect_left(starts, s)
        touches = any(ed.clean_start <= e and s <= ed.clean_end for ed in n.edits[max(0, k - 1):k + 1])
        touches = touches or any(s <= ed.clean_start <= e for ed in n.edits[k:k + 50])
        if not touches:
            untouched += 1
            assert n.raw[rs:re_] == n.text[s:e]
    assert untouched > 20


def test_offset_map_is_monotonic_and_total():
    n = _norm(DECREE)
    assert n.to_raw(0) == 0 and n.to_raw(len(n.text)) == len(n.raw)
    prev = -1
    for o in range(len(n.text) + 1):
        r = n.to_raw(o)
        assert prev <= r <= len(n.raw)
        prev = r
    with pytest.raises(IndexError):
        n.to_raw(len(n.text) + 1)
    # a word rebuilt by an edit maps to the whole broken word in raw
    i = n.text.index("Үкіметінің  2006")
    rs, re_ = n.raw_span(i, i + len("Үкіметінің"))
    assert n.raw[rs:re_] == "Үк імет ін ің"
    i = n.text.index("Мемлекеттік\nтапсырыс\nшеңберінде")
    rs, re_ = n.raw_span(i, i + len("Мемлекеттік"))
    assert n.raw[rs:re_] == "Мемле- \nкеттік"


def test_small_inputs():
    for raw in ("", "\n", " ", "-", "- \n-", "а", "і", " і і ", "а-\n", "\n\n\n\nа"):
        n = normalise(raw)
        _check_edits(n)
        assert normalise(n.text).edits == ()


def test_bigger_input_scales():
    raw = _raw(DECREE)
    one = _norm(DECREE)
    n = normalise((raw + "\n") * 8)
    _check_edits(n)
    assert n.text == (one.text + "\n") * 8 or len(n.edits) >= 8 * len(one.edits) - 16
