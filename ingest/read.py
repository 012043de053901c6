"""Where a file becomes text: read it, refuse clearly what cannot be read."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import InputError

SUPPORTED = {".txt"}


@dataclass(frozen=True)
class RawText:
    path: Path
    text: str
    content_hash: str


def read_text(path: Path) -> RawText:
    """Read a UTF-8 text file (a BOM is allowed). Anything else is an InputError naming the file."""
    where = str(path)
    if not path.exists():
        raise InputError(where, "no such file")
    if path.is_dir():
        raise InputError(where, "is a directory, not a document")
    if path.suffix.lower() not in SUPPORTED:
        raise InputError(where, f"unsupported format {path.suffix or '(no extension)'}; supported: {', '.join(sorted(SUPPORTED))}")
    data = path.read_bytes()
    if not data.strip():
        raise InputError(where, "empty file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            where, f"not valid UTF-8 at byte {exc.start} ({data[exc.start:exc.start + 4]!r}); re-save it as UTF-8"
        ) from None
    if "\x00" in text:
        raise InputError(where, f"binary content (NUL byte at offset {text.index(chr(0))}), not text")
    return RawText(path=path, text=text, content_hash=hashlib.sha256(data).hexdigest())
