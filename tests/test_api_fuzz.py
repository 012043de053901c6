"""Property-based fuzzing of the OpenAPI schema (schemathesis) against a real server over a private
copy of the sample store: valid and invalid inputs on every operation, writes included (with the
key). No answer may be a 5xx, and every answer must match its documented schema."""
from __future__ import annotations

import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from api.app import create_app
from kb.settings import Settings
from kb.store.embedded import EmbeddedStore
from tests.conftest import LiveServer

KEY = "fuzz-key"
EXAMPLES = 15  # per operation and mode: ~25 operations × 2 modes, ~30 s on an idle 2-core machine


@pytest.fixture(scope="module")
def live(sample_dir, tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz-kb")
    shutil.copytree(sample_dir, path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.lock*"))
    store = EmbeddedStore(path)
    settings_ = Settings(KB_API_KEY=KEY, KB_CYPHER_TIMEOUT_S="2", KB_QUERY_TIMEOUT_S="5", KB_ACCESS_LOG="false")
    with LiveServer(create_app(store, settings_)) as server:
        yield server.url
    store.close()


def _fuzzer(operation, mode: GenerationMode, base_url: str):
    checks = [not_a_server_error]
    if mode is GenerationMode.POSITIVE:
        checks += [response_schema_conformance, content_type_conformance]

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call(base_url=base_url, headers={"X-API-Key": KEY}, timeout=30)
        case.validate_response(response, checks=checks)

    return run


def test_fuzz_every_operation_finds_no_server_error(live):
    schema = schemathesis.openapi.from_url(live + "/openapi.json")
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _fuzzer(operation, mode, live)()
            except Unsatisfiable:  # no invalid input exists (an operation without parameters)
                continue
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect every failure, then report
                failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {str(exc)[:1500]}")
    assert operations >= 20
    assert not failures, "\n\n".join(failures)
