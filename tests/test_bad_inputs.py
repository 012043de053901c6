"""The bad-input corpus (tests/data/bad/, large and binary formats generated here): each input gets a
precise message (file, line or offset, what was wrong), the rest of the batch loads, and the store is
unchanged by what was refused."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from ingest.pipeline import ingest
from kb import export
from kb.store.embedded import EmbeddedStore
from tests.test_read import pdf_bytes

BAD = Path(__file__).resolve().parent / "data" / "bad"


def _export(store) -> list[str]:
    return sorted(json.dumps(x, ensure_ascii=False, sort_keys=True) for x in export.apoc_lines(store))


@pytest.fixture
def generated(tmp_path) -> Path:
    """The inputs too large or too binary to keep in the repository."""
    folder = tmp_path / "generated"
    folder.mkdir()
    good = pdf_bytes(["Page one.", "Page two."])
    (folder / "truncated.pdf").write_bytes(good[: len(good) // 2])
    (folder / "scanned.pdf").write_bytes(pdf_bytes(["", ""]))
    from pypdf import PdfWriter
    import io

    writer = PdfWriter(clone_from=io.BytesIO(good))
    writer.encrypt(user_password="secret", owner_password="o", algorithm="AES-256")
    buf = io.BytesIO()
    writer.write(buf)
    (folder / "encrypted.pdf").write_bytes(buf.getvalue())
    with zipfile.ZipFile(folder / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w") as f:
            block = b"\0" * 2**20
            for _ in range(300):
                f.write(block)
    with (folder / "huge.txt").open("wb") as f:  # 200 MB of text: over the per-document limit
        f.seek(200 * 10**6)
        f.write(b"x")
    (folder / "table.xlsx").write_bytes(b"PK\x03\x04")
    return folder


EXPECTED = {
    "empty.txt": "empty file",
    "junk.txt": "binary content",
    "invalid-utf8.txt": "not valid UTF-8 at byte 34",
    "truncated.pdf": "damaged PDF",
    "scanned.pdf": "no text layer: OCR needed (2 pages)",
    "encrypted.pdf": "encrypted PDF: needs a password",
    "bomb.docx": "DOCX expands to 300 MB: refused",
    "huge.txt": "200 MB is over the 50 MB limit for one document",
    "table.xlsx": "unsupported format .xlsx",
}


def test_bad_documents_are_refused_precisely_and_good_ones_load(fresh_dir, generated):
    paths = sorted(BAD.glob("*.txt")) + sorted(generated.iterdir())
    with EmbeddedStore(fresh_dir) as store:
        outcomes = {o.path.name: o for o in ingest(store, "documents", paths)}
        for name, problem in EXPECTED.items():
            error = outcomes[name].error
            assert error and problem in error and name in error, (name, error)
        for name in ("russian-cp1251.txt", "kazakh-utf16.txt"):  # other encodings: read, not refused
            assert outcomes[name].report.status == "new", outcomes[name].error
        mentioned = store.rows("MATCH (:Document {id: 'doc:kazakh-utf16'})-[:MENTIONS]->(n) RETURN n.id AS id")
        assert {"statebody:kz-ministry-of-justice", "region:kz-astana-city"} <= {r["id"] for r in mentioned}
        docs = {r["id"] for r in store.rows("MATCH (d:Document) RETURN d.id AS id")}
        assert not any(name.split(".")[0] in d for d in docs for name in EXPECTED)


def test_refused_documents_leave_the_store_unchanged(fresh_dir, generated):
    with EmbeddedStore(fresh_dir) as store:
        before = _export(store)
        outcomes = list(ingest(store, "documents", sorted(generated.iterdir()) + [BAD / "junk.txt", BAD / "empty.txt"]))
        assert all(o.error for o in outcomes)
        assert _export(store) == before


def test_registry_rows_are_judged_one_by_one(fresh_dir):
    path = BAD / "associations.csv"
    with EmbeddedStore(fresh_dir) as store:
        [outcome] = ingest(store, "registry", [path])
        rejected = dict(r.split(": ", 1)[0].rsplit(":", 1)[1:] + [r.split(": ", 1)[1]] for r in outcome.rejected_rows)
        assert rejected == {
            "5": "duplicate id association:kok-meshit-kz-almaty-city (first on line 2)",
            "6": "duplicate id association:kok-meshit-kz-almaty-city (first on line 2)",
            "7": "registration_date '31.02.2007' is not a date (YYYY-MM-DD or DD.MM.YYYY)",
            "8": "registration_date '2099-01-01' is in the future",
            "9": "registration_date '12.03.1066' is before 1850: a typo?",
            "10": "bin '-42' is not 12 digits",
            "11": "unknown confession 'Жоқ дін'",
            "12": "name is missing",
        }
        names = [r["n"] for r in store.rows("MATCH (a:ReligiousAssociation)-[:LOCATED_IN]->(:Region) "
                                            "WHERE a.name IN ['Көк мешіт', 'Жаңа\\nөмір қауымы'] "
                                            "RETURN a.name AS n ORDER BY n")]
        assert names == ["Жаңа\nөмір қауымы", "Көк мешіт"]


@pytest.mark.parametrize("name, problem", [
    ("missing-columns.csv", ":1: header must include `name`"),
    ("extra-columns.csv", ":1: unknown columns ['colour']"),
])
def test_registry_headers_that_would_lose_data_are_refused_whole(fresh_dir, name, problem):
    with EmbeddedStore(fresh_dir) as store:
        before = _export(store)
        [outcome] = ingest(store, "registry", [BAD / name])
        assert outcome.error and problem in outcome.error
        assert _export(store) == before
