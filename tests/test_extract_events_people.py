"""Events and people: the three samples against the gold annotations, synthetic Russian and
Kazakh sentences, and negatives.

The precision/recall table (per label and for the event/person relations) is printed by
`test_precision_recall_table`; see it with
    .venv/bin/python -m pytest tests/test_extract_events_people.py -q -s -k table
People match gold by their nominative surname, events by kind, ordinal and key words.
"""
from __future__ import annotations

import re

import pytest

from ingest.extract.base import DocText, Found
from ingest.extract.events import event_noun, extract_events
from ingest.extract.people import extract_people, surname_nominative, title_head
from kb.morph import match_key
from kb.text import fold

RELATIONS = ("ORGANIZED", "HELD_AT", "SPOKE_AT", "HOLDS_POSITION", "PARTICIPATED_IN")
LABELS = ("Person", "Event")
_SURNAME = re.compile(r"(?:ов|ев|ёв|ин|ын|ова|ева|ина|ұлы|улы|қызы|ович|евич|овна|евна)$")


# ---------------------------------------------------------------- matching helpers

def surname_key(name: str) -> str:
    words = [w for w in re.findall(r"[^\W\d_]+", name) if len(w) > 1]
    for w in words:
        if _SURNAME.search(fold(w)):
            return fold(surname_nominative(w))
    return fold(words[-1]) if words else ""


def _event_words(name: str) -> tuple[set[str], set[str]]:
    name = name.replace("І", "I")
    romans = set(re.findall(r"(?<!\w)[IVX]{1,5}(?!\w)", name))
    words = {w for w in match_key(name).split() if not re.fullmatch(r"[ivx]+|[IVX]+", w) and w not in ("атты", "және")}
    return words, romans


def same_event(gold: dict, finding) -> bool:
    if gold.get("kind") and gold["kind"] != finding.props.get("kind"):
        return False
    gw, gr = _event_words(gold["name"])
    pw, pr = _event_words(finding.name)
    if gr != pr:
        return False
    return len(gw & pw) / max(1, len(gw)) >= 0.6 and len(gw & pw) / max(1, len(pw)) >= 0.5


def same_entity(gold: dict, finding) -> bool:
    if gold["label"] == "Person":
        return surname_key(gold["name"]) == surname_key(finding.name)
    return same_event(gold, finding)


def title_matches(gold_title: str, titles: list[str]) -> bool:
    gw = fold(gold_title).split()
    ghead = title_head(gw[-1]) or gw[-1]
    for t in titles:
        tw = fold(t).split()
        if not tw or (title_head(tw[-1]) or tw[-1]) != ghead:
            continue
        overlap = len({w[:5] for w in gw} & {w[:5] for w in tw})
        if overlap / len(gw) >= 0.5:
            return True
    return False


def run(doc: DocText) -> Found:
    found = extract_people(doc)
    found.extend(extract_events(doc))
    return found


def score(found: Found, gold: dict) -> dict[str, dict]:
    """Precision/recall counts per label and relation type for one document."""
    out: dict[str, dict] = {}
    gold_entities = [e for e in gold.get("entities", []) if e["label"] in LABELS]
    key_to_gold: dict[str, str] = {}        # finding key → "label: gold name"
    for label in LABELS:
        g = [e for e in gold_entities if e["label"] == label]
        p = [f for f in found.findings if f.label == label]
        hit_gold = [e for e in g if any(same_entity(e, f) for f in p)]
        correct = [f for f in p if any(same_entity(e, f) for e in g)]
        for f in p:
            match = next((e for e in g if same_entity(e, f)), None)
            if match:
                key_to_gold[f.key] = f"{label.lower()}: {match['name']}"
        out[label] = {"gold": len(g), "pred": len(p), "tp": len(hit_gold), "correct": len(correct),
                      "missed": [e["name"] for e in g if e not in hit_gold],
                      "spurious": [f.name for f in p if f not in correct]}

    def norm(end: str) -> str:
        return key_to_gold.get(end, end)

    def gold_end(end: str) -> str:
        if ":" in end and end.split(":", 1)[0] in ("person", "event") and end.split(":", 1)[1].startswith(" "):
            return end.split(":", 1)[0] + ": " + end.split(":", 1)[1].strip()
        return end

    pred_rel = {(link.type, norm(link.start), norm(link.end)) for link in found.links if link.type in RELATIONS}
    gold_rel = {(r["type"], gold_end(r["start"]), gold_end(r["end"])) for r in gold.get("relations", []) if r["type"] in RELATIONS}
    out["relations"] = {"gold": len(gold_rel), "pred": len(pred_rel), "tp": len(gold_rel & pred_rel),
                        "correct": len(gold_rel & pred_rel), "missed": sorted(gold_rel - pred_rel),
                        "spurious": sorted(pred_rel - gold_rel)}
    return out


def _pr(row: dict) -> tuple[float | None, float | None]:
    p = row["correct"] / row["pred"] if row["pred"] else None
    r = row["tp"] / row["gold"] if row["gold"] else None
    return p, r


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.2f}"


# ---------------------------------------------------------------- the samples

@pytest.fixture(scope="module")
def results(prepared, gold):
    return {k: (run(prepared[k].doc), gold[k]) for k in sorted(prepared)}


def test_precision_recall_table(results):
    totals: dict[str, dict] = {}
    lines = [f"{'doc':5} {'what':10} {'gold':>4} {'pred':>4} {'P':>5} {'R':>5}"]
    per_doc = {}
    for doc_key, (found, g) in results.items():
        s = score(found, g)
        per_doc[doc_key] = s
        for what, row in s.items():
            p, r = _pr(row)
            lines.append(f"{doc_key:5} {what:10} {row['gold']:>4} {row['pred']:>4} {_fmt(p):>5} {_fmt(r):>5}")
            if row["missed"] or row["spurious"]:
                lines.append(f"      missed={row['missed']} spurious={row['spurious']}")
            t = totals.setdefault(what, {"gold": 0, "pred": 0, "tp": 0, "correct": 0})
            for k in ("gold", "pred", "tp", "correct"):
                t[k] += row[k]
    for what, row in totals.items():
        p, r = _pr(row)
        lines.append(f"{'all':5} {what:10} {row['gold']:>4} {row['pred']:>4} {_fmt(p):>5} {_fmt(r):>5}")
    print("\n" + "\n".join(lines))

    for what in ("Person", "Event", "relations"):
        assert _pr(per_doc["000"][what])[1] >= 0.8, (what, per_doc["000"][what])
    for what, row in totals.items():
        p, _ = _pr(row)
        assert p is None or p >= 0.7, (what, row)
    for doc_key in ("001", "002"):
        for what in ("Person", "Event"):
            r = _pr(per_doc[doc_key][what])[1]
            assert r is None or r >= 0.8, (doc_key, what, per_doc[doc_key][what])


def _event(found: Found, words: str):
    hits = [f for f in found.findings if f.label == "Event" and words in f.name]
    assert len(hits) == 1, [f.name for f in found.findings if f.label == "Event"]
    return hits[0]


def _person(found: Found, surname: str):
    hits = [f for f in found.findings if f.label == "Person" and surname_key(f.name) == fold(surname)]
    assert len(hits) == 1, [f.name for f in found.findings if f.label == "Person"]
    return hits[0]


def _links(found: Found, type_: str, start: str | None = None, end: str | None = None):
    return [link for link in found.links if link.type == type_ and (start is None or link.start == start)
            and (end is None or link.end == end)]


def test_000_seminar(results):
    found, _ = results["000"]
    seminar = _event(found, "Зайырлы мемлекеттегі дін»")
    assert seminar.name == "«Зайырлы мемлекеттегі дін» атты семинар-тренинг"
    assert seminar.props["kind"] == "seminar"
    assert seminar.props["dates_text"] == "8-15 қазан"
    assert seminar.props["start_date"] is None          # the year is not written, the document has no date
    assert seminar.props["participants"] == 163
    assert {l.end for l in _links(found, "HELD_AT", seminar.key)} == {"association:kz-almaty-central-mosque"}
    organisers = {l.start for l in _links(found, "ORGANIZED", end=seminar.key)}
    assert {"association:kz-muslims-spiritual-administration", "statebody:kz-almaty-monitoring-and-analysis-centre"} <= organisers
    assert "statebody:kz-almaty-internal-policy-department" not in organisers   # the centre's parent
    speakers = {l.start: l for l in _links(found, "SPOKE_AT", end=seminar.key)}
    for surname in ("Затов", "Бағашаров", "Берікбаев", "Керімбекұлы"):
        assert _person(found, surname).key in speakers
    assert "дін" in speakers[_person(found, "Затов").key].props["topic"]
    assert "арақатынасы" in speakers[_person(found, "Керімбекұлы").key].props["topic"]


def test_000_forum_and_congress(results):
    found, _ = results["000"]
    forum = _event(found, "зиялы имам")
    assert forum.props["kind"] == "forum" and forum.props.get("ordinal") == "II"
    assert [l.end for l in _links(found, "HELD_AT", forum.key)] == ["region:kz-oskemen"]
    assert [l.start for l in _links(found, "ORGANIZED", end=forum.key)] == ["association:kz-muslims-spiritual-administration-oskemen"]
    congress = _event(found, "съезі")
    assert congress.name == "Әлемдік және дәстүрлі діндер көшбасшыларының II съезі"
    assert _links(found, "SPOKE_AT", _person(found, "Назарбаев").key, congress.key)


def test_000_people_titles(results):
    found, g = results["000"]
    for e in (e for e in g["entities"] if e["label"] == "Person"):
        person = _person(found, surname_key(e["name"]))
        for t in e.get("titles", []):
            assert title_matches(t, person.props["titles"]), (e["name"], t, person.props["titles"])
    imam = _person(found, "Керімбекұлы")
    assert imam.name == "Еркінбек қари Керімбекұлы"
    [pos] = _links(found, "HOLDS_POSITION", imam.key)
    assert pos.end == "association:kz-almaty-central-mosque" and pos.props["position"] == "Бас имам"
    assert _person(found, "Берікбаев").name == "Берікбаев Елнар"
    assert _person(found, "Затов").props["affiliation"] == "\"Нұр-Мүбарак\" ЕИУ"
    assert _person(found, "Бағашаров").props["affiliation"] == "ҚазҰУ"
    assert not _links(found, "HOLDS_POSITION", _person(found, "Назарбаев").key)     # "Елбасы" names no office


def test_001_president_and_congresses(results):
    found, _ = results["001"]
    president = _person(found, "Назарбаев")
    assert president.name == "Н.Ә. Назарбаев"
    assert any("Президенті" in t for t in president.props["titles"])
    for t in ("Қазақстан Республикасының Президенті", "Мемлекет басшысы"):    # the gold titles
        assert title_matches(t, president.props["titles"]), president.props["titles"]
    assert [(l.end, l.props["position"]) for l in _links(found, "HOLDS_POSITION", president.key)] == [("statebody:kz-president", "Президент")]
    first, second = _event(found, " I съезі"), _event(found, " II съезі")
    for ev in (first, second):
        assert [l.end for l in _links(found, "HELD_AT", ev.key)] == ["region:kz-astana-city"]
    assert _links(found, "SPOKE_AT", president.key, second.key)        # "Мемлекет басшысы ... Съезінде айтқан"
    # plural nouns (конференциялар, семинар-тренингтер, съездерінің) are not events
    assert len([f for f in found.findings if f.label == "Event"]) == 2


def test_002_signatory_only(results):
    found, _ = results["002"]
    assert [(f.name, f.props["titles"]) for f in found.findings if f.label == "Person"] == [("Ә. Смайылов", [])]
    # "28500 іс-шара", "дөңгелек үстелдер мен семинарлар": counts and plurals, no event
    assert not [f for f in found.findings if f.label == "Event"]


def test_spans_and_keys_are_consistent(results):
    for found, _ in results.values():
        keys = {f.key for f in found.findings}
        assert len(keys) == len(found.findings)
        for link in found.links:
            for end in (link.start, link.end):
                assert end in keys or re.match(r"^[a-z]+:[a-z0-9]", end), end
            assert link.evidence[0] < link.evidence[1]


# ---------------------------------------------------------------- synthetic sentences

@pytest.fixture(scope="module")
def gazetteer():
    from ingest.prepare import reference_gazetteer
    return reference_gazetteer()


def doc_of(text: str, gazetteer, language: str = "kk", date: str | None = None) -> DocText:
    return DocText("doc:synthetic", text, language, date=date, matches=gazetteer.find(text))


def test_russian_conference(gazetteer):
    text = ("В Астане прошла международная конференция «Религия и общество», организованная Министерством "
            "культуры и информации; в ней приняли участие 250 человек. С докладом выступил профессор А.Б. Иванов.")
    found = run(doc_of(text, gazetteer, "ru"))
    conf = _event(found, "Религия и общество")
    assert conf.name == "международная конференция «Религия и общество»"
    assert conf.props["kind"] == "conference" and conf.props["participants"] == 250
    assert [l.end for l in _links(found, "HELD_AT", conf.key)] == ["region:kz-astana-city"]
    assert [l.start for l in _links(found, "ORGANIZED", end=conf.key)] == ["statebody:kz-ministry-of-culture-and-information"]
    ivanov = _person(found, "Иванов")
    assert ivanov.name == "А.Б. Иванов" and ivanov.props["titles"] == ["профессор"]
    assert _links(found, "SPOKE_AT", ivanov.key, conf.key)


def test_russian_round_table_dates_and_congress(gazetteer):
    text = ("12-13 октября 2023 года в Алматы состоялся круглый стол на тему «Роль религии в обществе». "
            "Мероприятие провело Духовное управление мусульман Казахстана. В мероприятии приняли участие более 80 "
            "представителей. На II Съезде лидеров мировых и традиционных религий выступил главный имам Центральной "
            "мечети Алматы Иван Петров.")
    found = run(doc_of(text, gazetteer, "ru"))
    rt = _event(found, "Роль религии")
    assert rt.props["kind"] == "round_table"
    assert (rt.props["start_date"], rt.props["end_date"]) == ("2023-10-12", "2023-10-13")
    assert rt.props["participants"] == 80 and rt.props["participants_qualifier"] == "more_than"
    assert [l.start for l in _links(found, "ORGANIZED", end=rt.key)] == ["association:kz-muslims-spiritual-administration"]
    congress = _event(found, "Съезд")
    assert congress.name == "II Съезд лидеров мировых и традиционных религий"
    petrov = _person(found, "Петров")
    assert petrov.name == "Иван Петров"
    assert _links(found, "SPOKE_AT", petrov.key, congress.key)
    [pos] = _links(found, "HOLDS_POSITION", petrov.key)
    assert pos.end == "association:kz-almaty-central-mosque" and pos.props["position"] == "главный имам"


def test_kazakh_conference_with_year_and_coreference(gazetteer):
    text = ("Мәдениет және ақпарат министрлігінің ұйымдастыруымен 2023 жылғы 5 қазанда Астана қаласында "
            "«Дін және қоғам» тақырыбында халықаралық конференция өтті. Конференцияға 300-ден астам адам қатысты. "
            "Конференцияда ҚМДБ төрағасы, Бас мүфти Наурызбай қажы Тағанұлы баяндама жасады.")
    found = run(doc_of(text, gazetteer))
    conf = _event(found, "Дін және қоғам")
    assert conf.props["kind"] == "conference"
    assert conf.props["dates_text"] == "2023 жылғы 5 қазан" and conf.props["start_date"] == "2023-10-05"
    assert conf.props["participants"] == 300 and conf.props["participants_qualifier"] == "more_than"
    assert [l.start for l in _links(found, "ORGANIZED", end=conf.key)] == ["statebody:kz-ministry-of-culture-and-information"]
    mufti = _person(found, "Тағанұлы")
    assert mufti.name == "Наурызбай қажы Тағанұлы"
    assert "Бас мүфти" in mufti.props["titles"]
    assert _links(found, "SPOKE_AT", mufti.key, conf.key)
    assert [l.end for l in _links(found, "HOLDS_POSITION", mufti.key)] == ["association:kz-muslims-spiritual-administration"]


def test_year_from_document_date(gazetteer):
    text = "ҚМДБ 12-14 наурыз аралығында Алматы орталық мешітінде «Имам және қоғам» атты семинар өткізді."
    found = run(doc_of(text, gazetteer, date="2019-04-02"))
    sem = _event(found, "Имам және қоғам")
    assert (sem.props["start_date"], sem.props["end_date"]) == ("2019-03-12", "2019-03-14")
    assert sem.props["dates_text"] == "12-14 наурыз" and sem.props["year_from"] == "document"
    assert [l.start for l in _links(found, "ORGANIZED", end=sem.key)] == ["association:kz-muslims-spiritual-administration"]
    assert [l.end for l in _links(found, "HELD_AT", sem.key)] == ["association:kz-almaty-central-mosque"]


def test_participants_named(gazetteer):
    text = "Алматыда «Дін және қоғам» атты республикалық форум өтті. Форумға Дін істері комитетінің өкілдері, профессор Ерлан Қарин қатысты."
    found = run(doc_of(text, gazetteer))
    forum = _event(found, "Дін және қоғам")
    karin = _person(found, "Қарин")
    assert _links(found, "PARTICIPATED_IN", karin.key, forum.key)
    assert _links(found, "PARTICIPATED_IN", "statebody:kz-committee-religious-affairs", forum.key)


@pytest.mark.parametrize("word,expected", [
    ("Назарбаевтың", "Назарбаев"), ("Керімбекұлына", "Керімбекұлы"), ("Смайыловқа", "Смайылов"),
    ("Ивановым", "Иванов"), ("Ивановой", "Иванова"), ("Затов", "Затов"), ("Ахметовамен", "Ахметова"),
])
def test_surname_nominative(word, expected):
    assert surname_nominative(word) == expected


@pytest.mark.parametrize("word,expected", [
    ("сьезінде", ("congress", "съезі", False)), ("семинар-тренингке", ("seminar", "семинар-тренинг", False)),
    ("форумы", ("forum", "форумы", False)), ("семинарлар", ("seminar", "семинар", True)),
    ("іс-шараның", ("event", "іс-шара", False)), ("конференциялар", ("conference", "конференция", True)),
    ("мешіт", None),
])
def test_event_nouns(word, expected):
    assert event_noun(word) == expected


# ---------------------------------------------------------------- negatives

@pytest.mark.parametrize("text", [
    "Қазақстан Республикасы – зайырлы мемлекет.",
    "Алматы қаласы Ішкі саясат басқармасы хабарлайды.",
    "Семинар 12 қазан мен 15 қараша аралығында Наурыз мейрамы қарсаңында өтеді.",
    "Қазақстан Республикасының\n      Премьер-Министрі",
    "Назарбаев Университетінде дәріс өтті.",
    "Сауд Арабиясы Корольдігі мен Ресей Федерациясы.",
    "Министерство культуры и информации Республики Казахстан сообщает.",
    "«Қазақстан Республикасындағы дін туралы» Заңы. 1. Бағдарламаның паспорты",
])
def test_no_person(text, gazetteer):
    assert [f.name for f in extract_people(doc_of(text, gazetteer)).findings] == []


@pytest.mark.parametrize("text", [
    "2023 жылдың 9 айында 28500 іс-шара, оның ішінде 6800-ден астам іс-шара ұйымдастырылды.",
    "ҚМДБ-мен бірлескен отырыстар, дөңгелек үстелдер мен семинарлар өткізілуде.",
    "Бірқатар халықаралық және республикалық конференциялар өткізу көзделген.",
    "«Рухани жаңғыру» бағдарламасы аясында жұмыс жүргізілді.",
    "Облыстық әкімдіктің екі семинары өтті.",
])
def test_no_event(text, gazetteer):
    assert [f.name for f in extract_events(doc_of(text, gazetteer)).findings] == []
