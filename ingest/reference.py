"""Versioned reference data shipped with the project (ingest/reference/*.yaml)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import yaml
from pydantic import ValidationError

from ingest.errors import InputError, describe
from ingest.load import Extraction
from kb.schema import Document, Source, node_type, rel_type

REFERENCE_DIR = Path(__file__).parent / "reference"


def reference_files() -> list[Path]:
    return sorted(REFERENCE_DIR.glob("*.yaml"))


def read_reference(path: Path) -> Extraction:
    raw = path.read_bytes()
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise InputError(str(path), f"not valid YAML: {exc}") from None
    if not isinstance(data, dict) or "nodes" not in data:
        raise InputError(str(path), "expected a mapping with `nodes` (and optional `relationships`, `sources`)")
    doc = Document(
        id=f"doc:reference-{path.stem.replace('_', '-')}",
        name=f"Reference data: {path.stem.replace('_', ' ')} (version {data.get('version', '?')})",
        kind="reference",
        content_hash=hashlib.sha256(raw).hexdigest(),
        origin=f"ingest/reference/{path.name}",
        citation="; ".join(data.get("sources") or []) or None,
    )
    source = Source(doc=doc.id, method="reference", ref=path.name)
    ex = Extraction(document=doc)
    for i, item in enumerate(data["nodes"] or []):
        item = dict(item)
        label = item.pop("label", None)
        try:
            ex.nodes.append(node_type(label)(**item, sources=[source]))
        except (ValidationError, ValueError, TypeError) as exc:
            raise InputError(f"{path}: node #{i + 1} ({item.get('id')})", describe(exc)) from None
    for i, item in enumerate(data.get("relationships") or []):
        item = dict(item)
        try:
            ex.relations.append(rel_type(item.pop("type", None))(**item, sources=[source]))
        except (ValidationError, ValueError, TypeError) as exc:
            raise InputError(f"{path}: relationship #{i + 1}", describe(exc)) from None
    return ex

