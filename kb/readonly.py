"""Refuse Cypher that could write, before it reaches the store (which also runs it read-only)."""
from __future__ import annotations

import re
import unicodedata

WRITE_CLAUSES = ("CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "FOREACH", "LOAD", "INSERT",
                 "ALTER", "RENAME", "GRANT", "DENY", "REVOKE", "START", "STOP", "TERMINATE", "ENABLE", "USE")
READ_PROCEDURES = frozenset({
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.index.fulltext.querynodes",
    "db.index.fulltext.queryrelationships", "db.schema.visualization",
})
_STRING_OR_COMMENT = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*|/\*.*?\*/", re.S)
_BACKTICKED = re.compile(r"`[^`]*`")
_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_CALL = re.compile(r"\bCALL\s*([A-Za-z_][\w.]*)?\s*(\{|\()?", re.I)


class WriteRefused(ValueError):
    """The query contains something that could change the graph."""


def check_read_only(query: str) -> None:
    text = unicodedata.normalize("NFKC", query)
    if any(unicodedata.category(ch) in ("Cf", "Co", "Cs") for ch in text):
        raise WriteRefused("the query contains invisible or private-use characters")
    code = _BACKTICKED.sub(" `x` ", _STRING_OR_COMMENT.sub(" '' ", text))
    # keywords only: not property names (`n.set`) nor map keys (`{load: 1}`)
    words = {m.group().upper() for m in _WORD.finditer(code)
             if not code[:m.start()].rstrip().endswith(".") and not code[m.end():].lstrip().startswith(":")}
    clause = next((w for w in WRITE_CLAUSES if w in words), None)
    if clause:
        raise WriteRefused(f"{clause} is not allowed: this endpoint only reads")
    if re.search(r"\bIN\s+TRANSACTIONS\b", code, re.I):
        raise WriteRefused("CALL { ... } IN TRANSACTIONS is not allowed: this endpoint only reads")
    for m in _CALL.finditer(code):
        name = (m.group(1) or "").lower()
        if m.group(2) == "{" and not name:
            continue  # a read subquery; its body was checked above
        if name not in READ_PROCEDURES:
            raise WriteRefused(f"CALL {m.group(1) or ''} is not allowed; callable here: {', '.join(sorted(READ_PROCEDURES))}")
