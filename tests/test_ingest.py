"""Ingest: idempotence, versions of a document, registries, and bad input that loses nothing."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ingest.errors import InputError
from ingest.pipeline import ingest
from ingest.read import read_text
from ingest.reference import reference_files
from kb import export, queries
from kb.store import StoreUnavailable
from kb.store.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_000 = ROOT / "ingest/samples/000_e3b51febfdd13c19.txt"


def _export(store) -> list[str]:
    return sorted(json.dumps(x, ensure_ascii=False, sort_keys=True) for x in export.apoc_lines(store))


def test_reingest_changes_nothing(fresh_dir):
    with EmbeddedStore(fresh_dir) as store:
        before = _export(store)
        outcomes = list(ingest(store, "documents", sorted((ROOT / "ingest/samples").glob("*.txt"))))
        assert [o.report.status for o in outcomes] == ["unchanged"] * 3
        assert _export(store) == before


def test_a_new_version_replaces_only_that_documents_facts(fresh_dir, tmp_path):
    doc = tmp_path / "000_e3b51febfdd13c19.txt"  # same name: the same document, new content
    doc.write_text("Алматы қаласында ҚМДБ семинар өткізді.", encoding="utf-8")
    with EmbeddedStore(fresh_dir) as store:
        other_before = store.rows("MATCH (d:Document {id: 'doc:001-3e82bdd0ac94ffa1'})-[m:MENTIONS]->(n) RETURN count(m) AS c")
        [outcome] = ingest(store, "documents", [doc])
        assert outcome.report.status == "updated"
        mentioned = store.rows("MATCH (d:Document {id: 'doc:000-e3b51febfdd13c19'})-[m:MENTIONS]->(n) "
                               "RETURN n.id AS id, m.quote AS quote ORDER BY m.span_start")
        assert [r["id"] for r in mentioned] == ["region:kz-almaty-city", "association:kz-muslims-spiritual-administration"]
        assert mentioned[0]["quote"] == "Алматы қаласында ҚМДБ семинар өткізді."
        assert store.rows("MATCH (d:Document {id: 'doc:001-3e82bdd0ac94ffa1'})-[m:MENTIONS]->(n) RETURN count(m) AS c") == other_before
        assert queries.entity(store, "region:kz")  # reference facts stay


@pytest.mark.parametrize("content, problem", [
    (b"", "empty file"),
    ("Алматы".encode("cp1251", errors="replace") + "қаласы".encode("utf-16"), "not valid UTF-8 at byte"),
    (b"\x00\x01\x02binary", "binary content"),
])
def test_bad_text_files_are_refused_clearly(tmp_path, content, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=problem) as info:
        read_text(path)
    assert str(path) in str(info.value)


def test_missing_and_unsupported_files(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "nope.txt")
    (tmp_path / "x.xlsx").write_bytes(b"PK")
    with pytest.raises(InputError, match="unsupported format .xlsx"):
        read_text(tmp_path / "x.xlsx")


def test_a_bad_file_in_a_batch_loses_nothing(fresh_dir, tmp_path):
    bad = tmp_path / "broken.txt"
    bad.write_bytes("Café".encode("latin-1"))  # neither UTF-8 nor Cyrillic cp1251
    good = tmp_path / "good.txt"
    good.write_text("Астана қаласында Мәжіліс жиналды.", encoding="utf-8")
    with EmbeddedStore(fresh_dir) as store:
        before = queries.stats(store)
        outcomes = list(ingest(store, "documents", [bad, good]))
        assert "not valid UTF-8" in outcomes[0].error and outcomes[1].report.status == "new"
        after = queries.stats(store)
        assert after["nodes"]["Document"] == before["nodes"]["Document"] + 1
        assert after["relationships"]["MENTIONS"] == before["relationships"]["MENTIONS"] + 2


REGISTRY = """name,confession,region,kind,registration_date,registration_number,aliases
Ақ мешіт,Ислам,Алматы,mosque,2001-05-14,R-1,Ak Meshit;Белая мечеть
Свято-Никольский собор,confession:russian-orthodoxy,region:kz-almaty-city,church,14.06.1999,R-2,
Бос қатар,,,,,,
Белгісіз,Жоқ дін,Алматы,community,,R-4,
Күні қате,Ислам,Алматы,community,31.02.2007,R-5,
"Тырнақшадағы
жаңа жол",Ислам,Астана,community,,R-6,
Артық,Ислам,Алматы,community,,R-7,,extra
Ақ мешіт,Ислам,Алматы,mosque,2001-05-14,R-1,
"""


def test_registry_loads_valid_rows_and_reports_the_rest(fresh_dir, tmp_path):
    path = tmp_path / "associations.csv"
    path.write_text(REGISTRY, encoding="utf-8")
    with EmbeddedStore(fresh_dir) as store:
        [outcome] = ingest(store, "registry", [path])
        rejected = "\n".join(outcome.rejected_rows)
        assert f"{path}:5: unknown confession 'Жоқ дін'" in rejected
        assert f"{path}:6: registration_date '31.02.2007' is not a date" in rejected
        assert f"{path}:9: 1 more cells than the header has columns" in rejected
        assert f"{path}:10: duplicate id association:aq-meshit-kz-almaty-city (first on line 2)" in rejected
        assert len(outcome.rejected_rows) == 4
        rows = store.rows("MATCH (a:ReligiousAssociation)-[:BELONGS_TO]->(c:Confession) "
                          "MATCH (a)-[:LOCATED_IN]->(r:Region) WHERE a.registration_number IS NOT NULL "
                          "RETURN a.name AS name, c.id AS c, r.id AS r, a.registration_date AS d ORDER BY name")
        assert rows == [
            {"name": "Ақ мешіт", "c": "confession:islam", "r": "region:kz-almaty-city", "d": "2001-05-14"},
            {"name": "Свято-Никольский собор", "c": "confession:russian-orthodoxy", "r": "region:kz-almaty-city", "d": "1999-06-14"},
            {"name": "Тырнақшадағы\nжаңа жол", "c": "confession:islam", "r": "region:kz-astana-city", "d": None},
        ]
        prov = queries.provenance(store, "association:aq-meshit-kz-almaty-city")
        assert prov["sources"][0]["line"] == 2 and prov["sources"][0]["quote"].startswith("Ақ мешіт,Ислам")
        assert "Ak Meshit" in queries.entity(store, "association:aq-meshit-kz-almaty-city")["properties"]["aliases"]


def test_registry_with_a_bad_header_is_refused_whole(fresh_dir, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("title,denomination\nX,Y\n", encoding="utf-8")
    with EmbeddedStore(fresh_dir) as store:
        [outcome] = ingest(store, "registry", [path])
        assert outcome.error and "header must include `name`" in outcome.error


def test_registry_json(fresh_dir, tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"associations": [
        {"id": "association:test-church", "name": "Test church", "confession": "Католицизм", "region": "Шымкент"},
        {"name": ""},
    ]}, ensure_ascii=False), encoding="utf-8")
    with EmbeddedStore(fresh_dir) as store:
        [outcome] = ingest(store, "registry", [path])
        assert outcome.rejected_rows == [f"{path}:2: name is missing"]
        hood = queries.neighbours(store, "association:test-church")
        assert {n["id"] for n in hood["nodes"]} == {"confession:catholicism", "region:kz-shymkent-city"}


class _CutShort(EmbeddedStore):
    """A store that cannot roll back (as FalkorDB): each statement commits on its own, and the
    server goes away before statement `cut` of the next write (`cut` < 0 counts from the end)."""

    def __init__(self, path: Path, cut: int):
        super().__init__(path)
        self.cut = cut

    def write(self, statements) -> None:
        stop = self.cut % len(statements)
        for i, statement in enumerate(statements):
            if i == stop:
                raise StoreUnavailable("the server went away")
            super().write([statement])


@pytest.mark.parametrize("cut", [1, 3, -1], ids=["after the document node", "midway", "all but the finish mark"])
def test_a_write_cut_short_without_rollback_is_redone_on_the_next_run(fresh_dir, tmp_path, cut):
    doc = tmp_path / "copy_of_000.txt"
    shutil.copy(SAMPLE_000, doc)
    clean_dir = tmp_path / "clean"
    shutil.copytree(fresh_dir, clean_dir)
    with EmbeddedStore(clean_dir) as store:
        [outcome] = ingest(store, "documents", [doc])
        assert outcome.report.status == "new"
        clean = _export(store)
    with _CutShort(fresh_dir, cut) as store:
        with pytest.raises(StoreUnavailable):
            list(ingest(store, "documents", [doc]))
    with EmbeddedStore(fresh_dir) as store:
        assert _export(store) != clean  # part of the document is there, but not marked finished
        [outcome] = ingest(store, "documents", [doc])
        assert outcome.report.status == "updated"
        assert _export(store) == clean


def test_a_fact_that_held_in_two_periods_stays_two_relationships(fresh_dir):
    """Reference data: the Ministry of Culture and Information was under the government 2006-2010
    and again from 2023. One relationship would carry a made-up period (from 2023 to 2010)."""
    with EmbeddedStore(fresh_dir) as store:
        periods = store.rows(
            "MATCH (:StateBody {id: 'statebody:kz-ministry-of-culture-and-information'})-[r:PART_OF]->"
            "(:StateBody {id: 'statebody:kz-government'}) RETURN r.valid_from AS since, r.valid_to AS until "
            "ORDER BY since")
        assert periods == [{"since": "2006", "until": "2010"}, {"since": "2023", "until": None}]
        before = _export(store)
        list(ingest(store, "reference", reference_files()))
        assert _export(store) == before
