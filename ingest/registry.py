"""Structured registries of religious associations (CSV or JSON).

Columns (CSV header, or JSON object keys; only `name` is required):

| column | meaning |
|---|---|
| `id` | stable id `association:<slug>`; derived from name and region when absent |
| `name` | the association's name as registered |
| `name_kk`, `name_ru`, `name_en` | names in Kazakh, Russian, English |
| `aliases` | other names, separated by `;` (a JSON list also works) |
| `confession` | confession id (`confession:islam`) or any of its names/aliases |
| `region` | region id (`region:kz-almaty-city`) or any of its names/aliases |
| `kind` | mosque, church, community, administration, fund, ... |
| `registration_date` | `YYYY-MM-DD` or `DD.MM.YYYY` |
| `registration_number`, `bin`, `address` | as registered |
| `parent` | id of the association it is part of |

Invalid rows are reported as `file:line: reason`; valid rows load.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from datetime import date, datetime
from pathlib import Path

from pydantic import ValidationError

from ingest.errors import InputError, describe
from ingest.load import Extraction
from kb.schema import BelongsTo, Document, LocatedIn, PartOf, ReligiousAssociation, Source
from kb.store import Store
from kb.text import fold, slugify

COLUMNS = {
    "id", "name", "name_kk", "name_ru", "name_en", "aliases", "confession", "region", "kind",
    "registration_date", "registration_number", "bin", "address", "parent",
}

def _rows(path: Path, raw: bytes) -> list[tuple[int, dict, str]]:
    """(line, record, quote) triples; for JSON the 'line' is the record's position."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not valid UTF-8 at byte {exc.start}; re-save it as UTF-8") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{exc.lineno}", f"not valid JSON: {exc.msg}") from None
        records = data.get("associations") if isinstance(data, dict) else data
        if not isinstance(records, list):
            raise InputError(str(path), "expected a list of records or {\"associations\": [...]}")
        return [(i + 1, r, json.dumps(r, ensure_ascii=False)) for i, r in enumerate(records)]
    if path.suffix.lower() != ".csv":
        raise InputError(str(path), "a registry is a .csv or .json file")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or "name" not in reader.fieldnames:
        raise InputError(f"{path}:1", f"header must include `name`; found {reader.fieldnames}")
    unknown = set(reader.fieldnames) - COLUMNS
    if unknown:
        raise InputError(f"{path}:1", f"unknown columns {sorted(unknown)}; known: {sorted(COLUMNS)}")
    lines = text.splitlines()
    out = []
    for record in reader:
        line = reader.line_num
        out.append((line, record, lines[line - 1] if line - 1 < len(lines) else ""))
    return out

EARLIEST_REGISTRATION = date(1850, 1, 1)
_BIN = re.compile(r"^\d{12}$")


def _date(value: str | None) -> str | None:
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            parsed = datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
        if parsed > date.today():
            raise ValueError(f"registration_date {value!r} is in the future")
        if parsed < EARLIEST_REGISTRATION:
            raise ValueError(f"registration_date {value!r} is before {EARLIEST_REGISTRATION.year}: a typo?")
        return parsed.isoformat()
    raise ValueError(f"registration_date {value!r} is not a date (YYYY-MM-DD or DD.MM.YYYY)")


def _bin(value: str | None) -> str | None:
    """A business identification number: 12 digits."""
    if value and not _BIN.match(value):
        raise ValueError(f"bin {value!r} is not 12 digits")
    return value

class _Resolver:
    """Names and ids of one label in the graph, folded for lookup."""

    def __init__(self, store: Store, label: str):
        self.label = label
        self.keys: dict[str, set[str]] = {}
        for r in store.rows(f"MATCH (n:{label}) RETURN n.id AS id, n.search_keys AS keys"):
            for k in [r["id"], *(r["keys"] or [])]:
                self.keys.setdefault(k, set()).add(r["id"])

    def __call__(self, value: str) -> str:
        found = self.keys.get(value.strip()) or self.keys.get(fold(value))
        if not found:
            raise ValueError(f"unknown {self.label.lower()} {value!r}")
        if len(found) > 1:
            raise ValueError(f"{self.label.lower()} {value!r} is ambiguous: {', '.join(sorted(found))}; use the id")
        return next(iter(found))


def read_registry(path: Path, store: Store) -> tuple[Extraction, list[str]]:
    """The valid rows as an Extraction, and one `file:line: reason` per invalid row."""
    if not path.exists():
        raise InputError(str(path), "no such file")
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(str(path), "empty file")
    doc = Document(
        id=f"doc:registry-{slugify(path.stem)}", name=f"Registry {path.name}", kind="registry",
        content_hash=hashlib.sha256(raw).hexdigest(), origin=path.name,
    )
    confession, region = _Resolver(store, "Confession"), _Resolver(store, "Region")
    ex, errors, seen = Extraction(document=doc), [], {}
    for line, record, quote in _rows(path, raw):
        where = f"{path}:{line}"
        try:
            if not isinstance(record, dict):
                raise ValueError("record is not an object")
            if None in record:
                raise ValueError(f"{len(record[None])} more cells than the header has columns")
            record = {k: (v.strip() if isinstance(v, str) else v) for k, v in record.items() if v not in (None, "")}
            unknown = set(record) - COLUMNS
            if unknown:
                raise ValueError(f"unknown fields {sorted(unknown)}")
            if not record.get("name"):
                raise ValueError("name is missing")
            source = Source(doc=doc.id, line=line, quote=quote[:500], method="registry")
            conf = confession(record["confession"]) if record.get("confession") else None
            reg = region(record["region"]) if record.get("region") else None
            aliases = record.get("aliases") or []
            if isinstance(aliases, str):
                aliases = [a.strip() for a in aliases.split(";") if a.strip()]
            node_id = record.get("id") or "association:" + slugify(
                record["name"] + (" " + reg.split(":", 1)[1] if reg else ""), 80)
            node = ReligiousAssociation(
                id=node_id, name=record["name"], name_kk=record.get("name_kk"), name_ru=record.get("name_ru"),
                name_en=record.get("name_en"), aliases=aliases, kind=record.get("kind"),
                registration_date=_date(record.get("registration_date")),
                registration_number=record.get("registration_number"), bin=_bin(record.get("bin")),
                address=record.get("address"), sources=[source],
            )
            if node.id in seen:
                raise ValueError(f"duplicate id {node.id} (first on line {seen[node.id]})")
            rels = []
            if conf:
                rels.append(BelongsTo(start=node.id, end=conf, sources=[source]))
            if reg:
                rels.append(LocatedIn(start=node.id, end=reg, sources=[source]))
            if record.get("parent"):
                rels.append(PartOf(start=node.id, end=record["parent"], sources=[source]))
        except (ValidationError, ValueError, TypeError) as exc:
            errors.append(f"{where}: {describe(exc)}")
            continue
        seen[node.id] = line
        ex.nodes.append(node)
        ex.relations.extend(rels)
    _drop_unknown_parents(ex, store, errors, path)
    return ex, errors


def _drop_unknown_parents(ex: Extraction, store: Store, errors: list[str], path: Path) -> None:
    local = {n.id for n in ex.nodes}
    parents = sorted({r.end for r in ex.relations if isinstance(r, PartOf)} - local)
    known = {r["id"] for r in store.rows("UNWIND $ids AS i MATCH (n:ReligiousAssociation {id: i}) RETURN n.id AS id",
                                         {"ids": parents})}
    for rel in [r for r in ex.relations if isinstance(r, PartOf) and r.end not in local | known]:
        ex.relations.remove(rel)
        errors.append(f"{path}:{rel.sources[0].line}: unknown parent {rel.end} (the row loads without it)")
