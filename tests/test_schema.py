"""The schema is the one definition: constraints, validation, API models and legend derive from it."""
from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from api.models import ENTITY_OUT
from kb.constraints import schema_cypher, schema_statements
from kb.schema import NODE_TYPES, REL_TYPES, Mentions, PartOf, Region, Source, doc_source_prefix, label_of
from kb.store import ConstraintViolation, Statement
from kb.store.embedded import ENGINE_NODE_KEYS, EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent


def test_every_label_has_an_id_constraint_and_a_name_index():
    ddl = schema_statements()
    for label in NODE_TYPES:
        assert f"FOR (n:{label}) REQUIRE n.id IS UNIQUE" in " ".join(ddl)
        assert f"FOR (n:{label}) ON (n.name)" in " ".join(ddl)


def test_schema_cypher_file_is_the_generated_one():
    assert (ROOT / "cypher" / "schema.cypher").read_text(encoding="utf-8") == schema_cypher()


def test_store_enforces_the_schema_constraints(tmp_path):
    with EmbeddedStore(tmp_path) as store:
        store.run_schema(schema_statements())
        store.write([Statement("CREATE (:Region {id: 'region:x', name: 'X'})")])
        with pytest.raises(ConstraintViolation, match="region:x"):
            store.write([Statement("CREATE (:Region {id: 'region:x', name: 'Y'})")])
        assert store.rows("MATCH (n:Region) RETURN n.name AS name") == [{"name": "X"}]


def test_ids_carry_their_label_prefix():
    assert label_of("statebody:kz-government") == "StateBody"
    with pytest.raises(ValidationError, match="must start with 'region:'"):
        Region(id="statebody:x", name="X", kind="city")
    with pytest.raises(ValidationError, match="lowercase ascii slug"):
        Region(id="region:Алматы", name="X", kind="city")


def test_relationship_endpoints_are_checked():
    PartOf(start="region:a", end="region:b")
    with pytest.raises(ValidationError, match="PART_OF cannot link Region region:a to Confession"):
        PartOf(start="region:a", end="confession:islam")


def test_sources_round_trip_and_strip_by_document_prefix():
    s = Source(doc="doc:a", start=1, end=4, quote="абв", method="gazetteer", confidence=0.8)
    assert Source.decode(s.encode()) == s
    assert s.encode().startswith(doc_source_prefix("doc:a"))
    assert not Source(doc="doc:ab", method="manual").encode().startswith(doc_source_prefix("doc:a"))


def test_no_property_collides_with_engine_keys():
    for cls in list(NODE_TYPES.values()):
        assert not ENGINE_NODE_KEYS & set(cls.model_fields), cls


def test_api_models_and_legend_come_from_the_schema():
    assert set(ENTITY_OUT) == set(NODE_TYPES)
    for label, cls in NODE_TYPES.items():
        assert set(cls.model_fields) <= set(ENTITY_OUT[label].model_fields)
        assert cls.color.startswith("#") and cls.prefix
    assert all(cls.description for cls in REL_TYPES.values())


def test_mentions_are_keyed_by_span():
    m = Mentions(start="doc:a", end="region:kz", span_start=3, span_end=5, quote="ҚР")
    assert m.key == ("span_start",)
