"""Ingest over HTTP with the API key, on a private copy of the sample store: the server owns the
writer lease, so this is how data arrives while it serves; reads see it at once."""
from __future__ import annotations

import httpx
import pytest

from api.app import create_app
from kb.settings import Settings
from kb.store.embedded import EmbeddedStore
from tests.conftest import LiveServer

KEY = "test-ingest-key-0123456789"
LETTER = (
    "Хат\n\nҚазақстан Республикасының Әділет министрлігі Алматы қаласының әкімдігімен бірге "
    "діни бірлестіктермен кездесу өткізді. Әділет министрлігінің өкілдері сөз сөйледі.\n"
)
REGISTRY = "name,confession,region,kind,registration_date\nМешіт «Зайтун-Тест»,Ислам,Алматы,mosque,2019-05-14\n"


@pytest.fixture
def writable(fresh_dir):
    store = EmbeddedStore(fresh_dir)
    settings = Settings(KB_API_KEY=KEY, KB_MAX_UPLOAD_MB="0.05")
    with LiveServer(create_app(store, settings)) as server, \
            httpx.Client(base_url=server.url + "/v1", timeout=60) as client:
        yield client, store
    store.close()


def test_upload_a_document_and_read_what_it_gave(writable):
    client, store = writable
    files = {"file": ("memo_ingest_test.txt", LETTER.encode(), "text/plain")}
    resp = client.post("/ingest/document", files=files, headers={"X-API-Key": KEY})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["status"] == "new" and body["kind"] == "documents" and body["file"] == "memo_ingest_test.txt"
    doc_id = body["document"]
    assert doc_id.startswith("doc:") and body["relationships"] >= 2
    facts = client.get(f"/documents/{doc_id}/facts").json()
    mentioned = {m["id"] for m in facts["mentions"]["items"]}
    assert "statebody:kz-ministry-of-justice" in mentioned
    assert any("Әділет министрлігі" in m["quote"] for m in facts["mentions"]["items"])
    prov = client.get("/entities/statebody:kz-ministry-of-justice/provenance").json()
    assert doc_id in {m["doc"] for m in prov["mentions"]}
    # the same file again changes nothing; a bearer token works as well
    again = client.post("/ingest/document", files=files, headers={"Authorization": f"Bearer {KEY}"})
    assert again.json()["status"] == "unchanged"
    assert store.rows(f"MATCH (d:Document {{id: '{doc_id}'}}) RETURN count(d) AS c")[0]["c"] == 1


def test_upload_a_registry_and_find_the_association_at_once(writable):
    client, _ = writable
    assert client.get("/search", params={"q": "Зайтун-Тест"}).json()["hits"] == []
    resp = client.post("/ingest/registry", files={"file": ("assoc-test.csv", REGISTRY.encode(), "text/csv")},
                       headers={"X-API-Key": KEY})
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] == "new" and resp.json()["rejected_rows"] == []
    hits = client.get("/search", params={"q": "Зайтун-Тест мешіті"}).json()["hits"]
    assert hits and hits[0]["entity"]["label"] == "ReligiousAssociation"
    assoc = hits[0]["entity"]["id"]
    hood = client.get(f"/entities/{assoc}/neighbors").json()
    assert {"confession:islam", "region:kz-almaty-city"} <= {n["id"] for n in hood["nodes"]}


def test_bad_rows_are_listed_and_bad_files_are_422(writable):
    client, _ = writable
    bad = REGISTRY + "Шіркеу,Жоқ дін,Алматы,church,2019-05-14\n"
    body = client.post("/ingest/registry", files={"file": ("assoc-bad.csv", bad.encode(), "text/csv")},
                       headers={"X-API-Key": KEY}).json()
    assert len(body["rejected_rows"]) == 1 and "assoc-bad.csv:3" in body["rejected_rows"][0]
    resp = client.post("/ingest/document", files={"file": ("empty.txt", b"", "text/plain")}, headers={"X-API-Key": KEY})
    assert resp.status_code == 422 and resp.headers["content-type"].startswith("application/problem+json")
    assert resp.json()["detail"].startswith("empty.txt: ")


def test_writes_need_the_key(writable):
    client, _ = writable
    files = {"file": ("memo_ingest_test.txt", LETTER.encode(), "text/plain")}
    missing = client.post("/ingest/document", files=files)
    assert missing.status_code == 401 and "needs the API key" in missing.json()["detail"]
    wrong = client.post("/ingest/document", files=files, headers={"X-API-Key": "nope"})
    assert wrong.status_code == 401 and wrong.json()["detail"] == "the API key is not valid"
    assert client.get("/search", params={"q": "memo"}).status_code == 200  # reads stay open


def test_upload_names_types_and_sizes_are_checked(writable):
    client, _ = writable
    h = {"X-API-Key": KEY}
    assert client.post("/ingest/document", files={"file": ("notes.exe", b"x", "text/plain")}, headers=h).status_code == 415
    assert client.post("/ingest/document", files={"file": (".hidden.txt", b"x", "text/plain")}, headers=h).status_code == 400
    big = client.post("/ingest/document", files={"file": ("big.txt", b"a " * 40_000, "text/plain")}, headers=h)
    assert big.status_code == 413 and "larger than the limit" in big.json()["detail"]
    path = client.post("/ingest/document", files={"file": ("../../etc/evil_test.txt", LETTER.encode(), "text/plain")},
                       headers=h)
    assert path.status_code == 200 and path.json()["file"] == "evil_test.txt"


def test_without_a_configured_key_writes_are_off(api):
    resp = api.post("/ingest/document", files={"file": ("memo.txt", LETTER.encode(), "text/plain")},
                    headers={"X-API-Key": "anything"})
    assert resp.status_code == 403 and "no KB_API_KEY configured" in resp.json()["detail"]


def test_uploads_share_the_known_names_and_see_what_came_between(writable):
    """The server keeps the gazetteer across uploads (a build per upload costs seconds at 100k
    nodes), and a registry loaded between two letters is in it for the second."""
    client, _ = writable

    def upload(name: str, text: str) -> set[str]:
        resp = client.post("/ingest/document", files={"file": (name, text.encode(), "text/plain")},
                           headers={"X-API-Key": KEY})
        assert resp.status_code == 200, resp.text
        facts = client.get(f"/documents/{resp.json()['document']}/facts").json()
        return {m["id"] for m in facts["mentions"]["items"]}

    assert "statebody:kz-ministry-of-justice" in upload("letter-one.txt", LETTER)
    client.post("/ingest/registry", files={"file": ("assoc-between.csv", REGISTRY.encode(), "text/csv")},
                headers={"X-API-Key": KEY}).raise_for_status()
    assoc = client.get("/search", params={"q": "Зайтун-Тест мешіті"}).json()["hits"][0]["entity"]["id"]
    mentioned = upload("letter-two.txt", "Хат\n\nМешіт «Зайтун-Тест» жанында Әділет министрлігінің өкілдері болды.\n")
    assert {assoc, "statebody:kz-ministry-of-justice"} <= mentioned
