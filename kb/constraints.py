"""Schema DDL derived from `kb.schema`: one uniqueness constraint on `id` per label,
and an index for `name` and every property a label declares as `indexed`."""
from __future__ import annotations

from kb.schema import NODE_TYPES


def schema_statements() -> list[str]:
    statements = []
    for label, model in NODE_TYPES.items():
        low = label.lower()
        statements.append(f"CREATE CONSTRAINT {low}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE")
        for prop in ("name", *model.indexed):
            statements.append(f"CREATE INDEX {low}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})")
    return statements


def schema_cypher() -> str:
    """The text of `cypher/schema.cypher` (checked against this by the tests)."""
    header = "// Generated from kb/schema.py by `kb schema`: do not edit by hand.\n"
    return header + "".join(s + ";\n" for s in schema_statements())
