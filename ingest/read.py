"""Where a file becomes text: read it, refuse clearly what cannot be read.

Formats (by extension):

* ``.txt``  — UTF-8 (with or without BOM), UTF-16/UTF-32 with a BOM, or, only when the bytes are not
  UTF-8, a legacy Windows single-byte Cyrillic code page: cp1251 (Russian) or KZ-1048 (Kazakh).
  cp1251 has no ә ғ қ ң ө ұ ү һ (only і), so a cp1251 file is nearly always Russian; a Kazakh text
  saved as cp1251 lost those letters (usually as ``?``) and is read with a warning saying so.
  KZ-1048 puts the Kazakh letters where cp1251 has Serbian/Macedonian/Ukrainian ones (Ќ ќ Ј ј Ѕ ѕ …),
  which never occur in Russian, so their presence picks KZ-1048.
* ``.pdf``  — the text layer (pypdf), pages joined by PAGE_BREAK; no text layer means OCR is needed.
* ``.docx`` — paragraphs and tables in document order (python-docx); a table row is one line, its
  non-empty cells joined by CELL_SEP.
* ``.html``/``.htm`` — the visible text of the main content (selectolax): script/style/nav and the page's
  header/footer dropped, block elements end lines, table cells joined by CELL_SEP.

Every refusal is an ``InputError(path, problem)``; the problems are listed in tests/test_read.py.
`content_hash` is the SHA-256 of the file's bytes, whatever the format.
"""
from __future__ import annotations

import codecs
import hashlib
import io
import logging
import os
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ingest.errors import InputError
from kb.settings import get_settings

SUPPORTED = {".txt", ".pdf", ".docx", ".html", ".htm"}

PAGE_BREAK = "\n\n\n"  # between PDF pages; runs of 3+ newlines inside a page are cut to 2, so this only marks pages
CELL_SEP = " | "  # between table cells (DOCX, HTML): survives whitespace normalisation, unlike a tab

DOCX_MAX_BYTES = 200 * 2**20  # uncompressed size of all parts of a DOCX
DOCX_MAX_RATIO = 100  # uncompressed/compressed, checked for parts over DOCX_RATIO_FLOOR
DOCX_RATIO_FLOOR = 2**20
PDF_MIN_CHARS_PER_PAGE = 8  # fewer letters/digits than this per page on average: no usable text layer

_CHUNK = 8 * 2**20
_SNIFF = 64 * 2**10  # bytes looked at for control characters
_LEGACY_SAMPLE = 4 * 2**20  # bytes looked at to decide cp1251/KZ-1048

KAZAKH_ONLY = "әғқңөұүһӘҒҚҢӨҰҮҺ"  # Cyrillic letters of Kazakh that Russian lacks (і is shared with Ukrainian)
KAZAKH_I = "іІ"
UKRAINIAN_BELARUSIAN = "їєґўЇЄҐЎ"


@dataclass(frozen=True)
class RawText:
    path: Path
    text: str
    content_hash: str  # sha256 of the file's bytes
    format: str = "txt"  # txt | pdf | docx | html
    encoding: str | None = "utf-8"  # txt/html: the codec used (utf-8, utf-8-sig, utf-16, utf-32, cp1251, kz1048)
    language: str = "other"  # detect_language(text)
    pages: int | None = None  # PDF only
    warnings: tuple[str, ...] = ()  # read, but a person should know (lossy cp1251, pages without text, ...)


def read_text(path: Path, max_bytes: int | None = None) -> RawText:
    """Read a supported document as text. Anything unreadable is an InputError naming the file.
    A file over `max_bytes` (default: KB_MAX_DOCUMENT_MB) is refused before it is read: one
    document's extraction runs in memory, and a larger input is nearly always a dump to split."""
    path = Path(path)
    where = str(path)
    if not path.exists():
        raise InputError(where, "no such file")
    if path.is_dir():
        raise InputError(where, "is a directory, not a document")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(where, f"unsupported format {path.suffix or '(no extension)'}; supported: {', '.join(sorted(SUPPORTED))}")
    limit = max_bytes if max_bytes is not None else get_settings().max_document_mb * 1_000_000
    size = path.stat().st_size
    if size > limit:
        raise InputError(where, f"{size / 1e6:.0f} MB is over the {limit / 1e6:.0f} MB limit for one document "
                                "(KB_MAX_DOCUMENT_MB): split it")
    encoding: str | None = None
    pages: int | None = None
    if suffix == ".txt":
        fmt = "txt"
        text, digest, encoding, warnings = _read_txt(where, path)
        if not text or text.isspace():
            raise InputError(where, "empty file")
        return RawText(path=path, text=text, content_hash=digest, format=fmt, encoding=encoding,
                       language=detect_language(text), warnings=tuple(warnings))
    data, digest = _read_bytes(where, path)
    if not data:
        raise InputError(where, "empty file")
    if suffix == ".pdf":
        fmt = "pdf"
        text, pages, warnings = _read_pdf(where, data)
    elif suffix == ".docx":
        fmt = "docx"
        text, warnings = _read_docx(where, data)
    else:
        fmt = "html"
        text, encoding, warnings = _read_html(where, data)
    return RawText(path=path, text=text, content_hash=digest, format=fmt, encoding=encoding,
                   language=detect_language(text), pages=pages, warnings=tuple(warnings))


# --- language -------------------------------------------------------------------------------------

def detect_language(text: str) -> str:
    """kk, ru, en or other, from the letters of `text`.

    Cyrillic letters outnumber Latin ones: kk when Kazakh letters (ә ғ қ ң ө ұ ү һ і) are at least 2% of
    them, else ru (a Russian text quoting a Kazakh name stays ru); Ukrainian/Belarusian letters without any
    Kazakh-only letter make it other. Latin letters are the majority of letters: en (Kazakh in the Latin
    alphabet is not told apart). No letters, or mostly another script: other.
    """
    classes = _language_sample(text).translate(_LETTER_CLASS)  # one letter code per letter, in C
    kazakh_only, kazakh_i, other_slavic, cyrillic, latin, other = (classes.count(c) for c in "kiucl*")
    cyrillic += kazakh_only + kazakh_i + other_slavic
    letters = cyrillic + latin + other
    if not letters:
        return "other"
    if cyrillic >= latin and cyrillic * 2 >= letters:
        if not kazakh_only and other_slavic * 200 > cyrillic:
            return "other"
        return "kk" if (kazakh_only + kazakh_i) * 50 >= cyrillic else "ru"
    return "en" if latin * 2 > letters else "other"


class _LetterClasses(dict):
    """str.translate table, filled on first sight of a character: k Kazakh-only, i і, u Ukrainian/Belarusian,
    c other Cyrillic, l Latin, * another script's letter; anything not a letter is dropped."""

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        if not ch.isalpha():
            cls = None
        elif ch in KAZAKH_ONLY:
            cls = "k"
        elif ch in KAZAKH_I:
            cls = "i"
        elif ch in UKRAINIAN_BELARUSIAN:
            cls = "u"
        elif "\u0400" <= ch <= "\u04ff":
            cls = "c"
        elif ch < "\u0250":
            cls = "l"
        else:
            cls = "*"
        self[code] = cls
        return cls


_LETTER_CLASS = _LetterClasses()


def _language_sample(text: str, size: int = 2**16) -> str:
    """The whole text, or three slices (start, middle, end) of a long one."""
    if len(text) <= 3 * size:
        return text
    mid = len(text) // 2
    return text[:size] + text[mid - size // 2:mid + size // 2] + text[-size:]


# --- bytes ----------------------------------------------------------------------------------------

def _read_bytes(where: str, path: Path) -> tuple[bytearray, str]:
    """The file's bytes, read once into one buffer and hashed on the way."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            buf = bytearray(size)
            pos = 0
            with memoryview(buf) as view:
                while pos < size:
                    with view[pos:pos + _CHUNK] as chunk:
                        got = f.readinto(chunk)
                    if not got:
                        break
                    digest.update(view[pos:pos + got])
                    pos += got
            if pos < size:  # it shrank while we read
                del buf[pos:]
            while rest := f.read(_CHUNK):  # or grew
                digest.update(rest)
                buf += rest
    except OSError as exc:
        raise InputError(where, f"cannot read: {exc.strerror or exc}") from None
    return buf, digest.hexdigest()


_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\f") + b"\x7f"
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)
_CONTROL_RE = re.compile(b"[" + re.escape(_CONTROL) + b"]")


def _byte_class(test) -> bytes:
    """The bytes 0-255 whose cp1251 character does NOT pass `test` (a deletion table for bytes.translate)."""
    out = bytearray()
    for b in range(256):
        ch = bytes([b]).decode("cp1251", errors="replace")
        if not test(ch):
            out.append(b)
    return bytes(out)


_NOT_LETTER = _byte_class(lambda c: c.isalpha() and c != "\ufffd")
_NOT_CYRILLIC_LETTER = _byte_class(lambda c: c.isalpha() and "\u0400" <= c <= "\u04ff")
# bytes that are Kazakh letters in KZ-1048 but Serbian/Macedonian letters (never Russian or Ukrainian) in cp1251
_KZ1048_MARKERS = bytes(b for b in range(256) if bytes([b]).decode("kz1048", errors="replace") in "ҚқҺһӘәҢң")
_NOT_KZ1048_MARKER = bytes(b for b in range(256) if b not in _KZ1048_MARKERS)
_LOST_LETTER = re.compile("\\?(?=[\u0400-\u04ff])")  # '?' straight before a Cyrillic letter: a letter lost on saving


def _read_txt(where: str, path: Path) -> tuple[str, str, str, list[str]]:
    """(text, sha256, encoding, warnings) of a plain-text file, streamed: each chunk is hashed and decoded as
    it is read, so a 200 MB file never sits in memory as bytes next to its text (peak: the decoded pieces and
    their join). Bytes that are not UTF-8 are read again, whole, to try cp1251/KZ-1048 (see _decode_text)."""
    digest = hashlib.sha256()
    pieces: list[str] = []
    try:
        with path.open("rb") as f:
            chunk = f.read(_CHUNK)
            if not chunk:
                raise InputError(where, "empty file")
            codec = next((c for bom, c in _BOMS if chunk.startswith(bom)), None)
            sniff = chunk[:_SNIFF]
            decoder = codecs.getincrementaldecoder(codec or "utf-8")("strict")
            offset = 0
            while True:
                digest.update(chunk)
                if codec is None and chunk.find(0) >= 0:
                    break  # binary: _decode_text says where
                pending = len(decoder.getstate()[0])
                try:
                    pieces.append(decoder.decode(chunk, final=not chunk))
                except UnicodeDecodeError as exc:
                    if codec is None:
                        break  # maybe cp1251: _decode_text decides
                    raise InputError(where, f"not valid {codec.upper().removesuffix('-SIG')} at byte "
                                            f"{offset - pending + exc.start}") from None
                if not chunk:
                    text = "".join(pieces)
                    del pieces
                    if codec is not None:
                        text = text.removeprefix("\ufeff")
                        if "\x00" in text:
                            raise InputError(where, f"binary content (NUL character at offset {text.index(chr(0))}), not text")
                        return text, digest.hexdigest(), codec, []
                    _refuse_binary(where, sniff, controls_too=True)
                    return text, digest.hexdigest(), "utf-8", []
                offset += len(chunk)
                chunk = f.read(_CHUNK)
    except OSError as exc:
        raise InputError(where, f"cannot read: {exc.strerror or exc}") from None
    del pieces
    data, whole = _read_bytes(where, path)
    text, encoding, warnings = _decode_text(where, data)
    return text, whole, encoding, warnings


def _decode_text(where: str, data: bytearray, markup: bool = False) -> tuple[str, str, list[str]]:
    """Decode plain-text bytes once, choosing the encoding conservatively (see the module docstring).
    `markup`: HTML, whose tags and scripts are left out when counting letters for cp1251."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = str(data, codec)
            except UnicodeDecodeError as exc:
                raise InputError(where, f"not valid {codec.upper().removesuffix('-SIG')} at byte {exc.start}") from None
            text = text.removeprefix("\ufeff")
            if "\x00" in text:
                raise InputError(where, f"binary content (NUL character at offset {text.index(chr(0))}), not text")
            return text, codec, []
    _refuse_binary(where, data)
    try:
        text = str(data, "utf-8")
    except UnicodeDecodeError as exc:
        legacy = _legacy_cyrillic(data, markup)
        if legacy is None:
            raise InputError(
                where, f"not valid UTF-8 at byte {exc.start} ({bytes(data[exc.start:exc.start + 4])!r}), "
                       "nor Cyrillic cp1251/KZ-1048 text; re-save it as UTF-8"
            ) from None
        return legacy
    _refuse_binary(where, data, controls_too=True)
    return text, "utf-8", []


def _refuse_binary(where: str, data: bytearray, controls_too: bool = False) -> None:
    """A NUL byte anywhere, or (`controls_too`, for bytes that decoded as UTF-8) more than 2% control
    characters in the first 64 KB, as UTF-16 without a BOM gives (Cyrillic in UTF-16 LE is 'ASCII' and 0x04)."""
    nul = data.find(0)
    sniff = data[:_SNIFF]
    if nul < 0:
        if not controls_too:
            return
        controls = len(sniff.translate(None, _NOT_CONTROL))
        if controls * 50 <= len(sniff):
            return
        problem = f"binary content ({controls} control characters in the first {len(sniff)} bytes), not text"
    else:
        problem = f"binary content (NUL byte at offset {nul}), not text"
    odd, even = sniff[1::2], sniff[0::2]
    if odd and (max(odd.count(0), odd.count(4)) * 3 > len(odd) or max(even.count(0), even.count(4)) * 3 > len(even)):
        problem += "; it looks like UTF-16 without a byte-order mark: re-save it as UTF-8"
    raise InputError(where, problem)


_MARKUP = re.compile(rb"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.I | re.S)


_UTF8_CYRILLIC = re.compile(rb"[\xd0-\xd4][\x80-\xbf]")  # a Cyrillic letter as UTF-8 encodes it
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def _legacy_cyrillic(data: bytearray, markup: bool = False) -> tuple[str, str, list[str]] | None:
    """cp1251 or KZ-1048 text, when that is what the (non-UTF-8) bytes clearly are; else None.

    Clearly: no control characters, more than 60% of the letters (in the first 4 MB, tags left out
    for `markup`) Cyrillic, and the bytes are not mostly UTF-8 Cyrillic with a few broken bytes
    (read as cp1251, those would be mojibake such as `Р”С–РЅ`).
    """
    if _CONTROL_RE.search(data):
        return None
    sample = data[:_LEGACY_SAMPLE]
    if len(_UTF8_CYRILLIC.findall(sample)) * 4 >= len(_HIGH_BYTE.findall(sample)):
        return None
    if markup:
        sample = _MARKUP.sub(b" ", sample)
    letters = len(sample.translate(None, _NOT_LETTER))
    cyrillic = len(sample.translate(None, _NOT_CYRILLIC_LETTER))
    if not letters or cyrillic * 10 <= letters * 6:
        return None
    markers = len(sample.translate(None, _NOT_KZ1048_MARKER))
    codec = "kz1048" if markers * 100 >= cyrillic else "cp1251"
    try:
        text = str(data, codec)
    except UnicodeDecodeError:  # 0x98 is undefined in both
        return None
    warnings = []
    if codec == "cp1251" and (lost := len(_LOST_LETTER.findall(text))):
        warnings.append(f"read as cp1251, which has no ә ғ қ ң ө ұ ү һ: {lost} '?' before a letter suggest "
                        "Kazakh letters were lost when the file was saved; get a UTF-8 copy")
    return text, codec, warnings


# --- PDF ------------------------------------------------------------------------------------------

@contextmanager
def _pypdf_log() -> Iterator[list[str]]:
    """pypdf's warnings about repaired damage, collected instead of printed."""
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    logger = logging.getLogger("pypdf")
    handler, propagate = Collect(logging.WARNING), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _read_pdf(where: str, data: bytearray) -> tuple[str, int, list[str]]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    if b"%PDF-" not in data[:1024]:
        raise InputError(where, f"damaged PDF: no %PDF header (the file starts with {bytes(data[:16])!r})")
    warnings: list[str] = []
    with _pypdf_log() as log:
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                try:
                    opened = reader.decrypt("")
                except DependencyError as exc:
                    raise InputError(where, f"encrypted PDF: cannot decrypt ({exc})") from None
                if not opened:
                    raise InputError(where, "encrypted PDF: needs a password")
            pages = list(reader.pages)
        except InputError:
            raise
        except MemoryError:
            raise
        except Exception as exc:  # pypdf raises many kinds (PdfReadError, KeyError, ValueError...) on damage
            raise InputError(where, f"damaged PDF: {_pdf_reason(exc, data)}") from None
        if not pages:
            raise InputError(where, "damaged PDF: no pages")
        texts: list[str] = []
        failed: list[int] = []
        first_failure = ""
        for number, page in enumerate(pages, 1):
            try:
                text = page.extract_text() or ""
            except MemoryError:
                raise
            except Exception as exc:  # one broken page should not lose the others
                failed.append(number)
                first_failure = first_failure or _pdf_reason(exc, data)
                text = ""
            texts.append(re.sub(r"\n(?:[ \t]*\n){2,}", "\n\n", text.replace("\r\n", "\n")).strip())
    if len(failed) == len(pages):
        raise InputError(where, f"damaged PDF: {first_failure}")
    if failed:
        warnings.append(f"{len(failed)} of {len(pages)} pages could not be read (damaged; first: {first_failure}): "
                        f"{_numbers(failed)}")
    counts = [sum(ch.isalnum() for ch in t) for t in texts]
    if sum(counts) < PDF_MIN_CHARS_PER_PAGE * len(pages):
        raise InputError(where, f"no text layer: OCR needed ({len(pages)} page{'s' if len(pages) != 1 else ''})")
    blank = [n for n, c in enumerate(counts, 1) if c == 0 and n not in failed]
    if blank:
        warnings.append(f"{len(blank)} of {len(pages)} pages have no text (scanned or blank; OCR needed): {_numbers(blank)}")
    text = PAGE_BREAK.join(texts)
    sample = _language_sample(text)
    letters = sum(ch.isalpha() for ch in sample)
    if letters and sum("\u00c0" <= ch <= "\u00ff" for ch in sample) * 3 > letters:
        warnings.append("the text layer looks mis-encoded (fonts without a Unicode map): accented Latin letters "
                        "stand where Cyrillic ones should be; OCR may do better")
    for message in dict.fromkeys(log):
        if len(warnings) >= 8:
            break
        warnings.append(f"PDF repaired while reading: {message}")
    return text, len(pages), warnings


def _pdf_reason(exc: Exception, data: bytearray) -> str:
    reason = str(exc) or type(exc).__name__
    if b"%%EOF" not in data[-1024:]:
        reason += " (truncated: no %%EOF at the end)"
    return reason


def _numbers(pages: list[int], most: int = 10) -> str:
    return ", ".join(map(str, pages[:most])) + (", ..." if len(pages) > most else "")


# --- DOCX -----------------------------------------------------------------------------------------

def _read_docx(where: str, data: bytearray) -> tuple[str, list[str]]:
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise InputError(where, "damaged DOCX: an OLE2 file, not a ZIP: a password-protected DOCX or an old .doc "
                                "renamed; save it as an unprotected .docx")
    stream = io.BytesIO(data)
    try:
        with zipfile.ZipFile(stream) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise InputError(where, f"damaged DOCX: not a readable ZIP archive ({exc})") from None
    _refuse_zip_bomb(where, parts)

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(stream)
        lines = list(_docx_lines(document.element.body))
    except MemoryError:
        raise
    except PackageNotFoundError as exc:
        raise InputError(where, f"damaged DOCX: {exc}") from None
    except KeyError as exc:  # a part the package needs is missing
        raise InputError(where, f"damaged DOCX: not a Word document ({exc.args[0] if exc.args else exc})") from None
    except Exception as exc:  # BadZipFile (bad CRC), zlib.error, lxml's XMLSyntaxError, ValueError (not Word)...
        raise InputError(where, f"damaged DOCX: {str(exc) or type(exc).__name__}") from None
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in lines)).strip()
    if not text:
        raise InputError(where, "empty document: no text in the DOCX paragraphs or tables")
    return text, []


def _refuse_zip_bomb(where: str, parts: list[zipfile.ZipInfo]) -> None:
    """Refuse before anything is inflated: zipfile never inflates past a part's declared size, so that is the bound."""
    total = sum(p.file_size for p in parts)
    megabytes = round(total / 2**20)
    if total > DOCX_MAX_BYTES:
        raise InputError(where, f"DOCX expands to {megabytes} MB: refused")
    for part in parts:
        if part.file_size > DOCX_RATIO_FLOOR and part.file_size > DOCX_MAX_RATIO * max(part.compress_size, 1):
            ratio = part.file_size // max(part.compress_size, 1)
            raise InputError(where, f"DOCX expands to {megabytes} MB ({part.filename} is {ratio}× "
                                    "its compressed size): refused")


def _docx_lines(container) -> Iterator[str]:
    """Lines of a body (or table cell, or content control) in document order."""
    from docx.oxml.ns import qn

    p, tbl, sdt, content, custom = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
    for child in container.iterchildren():
        if child.tag == p:
            yield _docx_paragraph(child)
        elif child.tag == tbl:
            yield from _docx_table(child)
        elif child.tag == sdt:
            for inner in child.iterchildren(content):
                yield from _docx_lines(inner)
        elif child.tag == custom:
            yield from _docx_lines(child)


def _docx_paragraph(paragraph) -> str:
    """Text of the runs that belong to this paragraph (hyperlinks, fields, insertions, inline content
    controls included; text boxes, which hold paragraphs of their own, and deleted text left out)."""
    from docx.oxml.ns import qn

    r, p, deleted = qn("w:r"), qn("w:p"), {qn("w:del"), qn("w:moveFrom")}
    out = []
    for run in paragraph.iter(r):
        parent = run.getparent()
        while parent is not None and parent is not paragraph and parent.tag != p and parent.tag not in deleted:
            parent = parent.getparent()
        if parent is paragraph:
            out.append(run.text)
    return "".join(out)


def _docx_table(table) -> Iterator[str]:
    """One line per row: the cells with text joined by CELL_SEP (a merged or empty cell adds nothing)."""
    for row in table.xpath("./w:tr | ./w:sdt/w:sdtContent/w:tr"):
        cells = []
        for cell in row.xpath("./w:tc | ./w:sdt/w:sdtContent/w:tc"):
            text = " ".join(" ".join(_docx_paragraph(p).split()) for p in cell.xpath(".//w:p"))
            if text.strip():
                cells.append(" ".join(text.split()))
        if cells:
            yield CELL_SEP.join(cells)


# --- HTML -----------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_WHATWG_ALIASES = {"ascii": "cp1252", "iso8859-1": "cp1252", "utf-16": "utf-8",
                   "utf-16-le": "utf-8", "utf-16-be": "utf-8"}  # the labels browsers read otherwise


def _read_html(where: str, data: bytearray) -> tuple[str, str, list[str]]:
    markup, encoding, warnings = _decode_html(where, data)
    del data
    text = _visible_text(markup)
    if not text:
        raise InputError(where, "no visible text in the HTML page")
    return text, encoding, warnings


def _decode_html(where: str, data: bytearray) -> tuple[str, str, list[str]]:
    """BOM, then <meta charset> / XML declaration, then the plain-text detection."""
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return _decode_text(where, data, markup=True)
    head = bytes(data[:4096])
    found = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not found:
        return _decode_text(where, data, markup=True)
    label = found.group(1).decode("ascii").lower()
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        text, encoding, warnings = _decode_text(where, data, markup=True)
        return text, encoding, [f"unknown charset {label!r} declared; read as {encoding}", *warnings]
    codec = _WHATWG_ALIASES.get(codec, codec)
    if codec != "utf-8" and not data.isascii():
        try:  # a page re-saved as UTF-8 that kept its old <meta charset>: valid non-ASCII UTF-8 is no accident
            text = str(data, "utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return text, "utf-8", [f"declared charset {label!r} but the bytes are UTF-8; read as UTF-8"]
    _refuse_binary(where, data)
    try:
        return str(data, codec), codec, []
    except UnicodeDecodeError:
        text, encoding, warnings = _decode_text(where, data, markup=True)
        return text, encoding, [f"declared charset {label!r} does not fit the bytes; read as {encoding}", *warnings]


_SKIP_TAGS = {"head", "script", "style", "noscript", "template", "nav", "aside", "iframe", "object", "embed",
              "svg", "math", "canvas", "select", "button", "datalist", "dialog", "title", "meta", "link", "textarea"}
_CHROME_TAGS = {"header", "footer"}  # page chrome, unless inside the content (an article's own header)
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary"}
_BLOCK_TAGS = {"address", "article", "blockquote", "caption", "center", "dd", "details", "dir", "div", "dl", "dt",
               "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer",
               "hgroup", "hr", "legend", "li", "listing", "main", "menu", "ol", "p", "pre", "section", "summary",
               "table", "tbody", "thead", "tfoot", "tr", "ul", "body", "html", "plaintext", "xmp", "option"}
_CELL_TAGS = {"td", "th"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SPACES = re.compile(r"[ \t\n\r\f\v\xa0\u200b]+")


class _Lines:
    """Builds text from inline pieces, block boundaries and table cells."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.line_start = True
        self.space = False
        self.cell = False

    def _lead(self) -> None:
        if not self.line_start:
            if self.cell:
                self.parts.append(CELL_SEP)
            elif self.space:
                self.parts.append(" ")
        self.space = self.cell = False

    def words(self, text: str) -> None:
        text = _SPACES.sub(" ", text)
        core = text.strip(" ")
        if not core:
            self.space = self.space or bool(text)
            return
        self.space = self.space or text.startswith(" ")
        self._lead()
        self.parts.append(core)
        self.line_start = False
        self.space = text.endswith(" ")

    def preformatted(self, text: str) -> None:
        if text:
            self._lead()
            self.parts.append(text)
            self.line_start = text.endswith("\n")

    def end_line(self) -> None:
        if not self.line_start:
            self.parts.append("\n")
        self.line_start, self.space, self.cell = True, False, False

    def boundary(self, in_cell: bool) -> None:
        """A block starts or ends: a new line, or only a space inside a table cell (a row stays one line)."""
        if in_cell:
            self.words(" ")
        else:
            self.end_line()

    def line_break(self) -> None:
        self.parts.append("\n")
        self.line_start, self.space, self.cell = True, False, False

    def next_cell(self) -> None:
        self.cell = not self.line_start

    def text(self) -> str:
        joined = "\n".join(line.rstrip() for line in "".join(self.parts).split("\n"))
        return re.sub(r"\n{3,}", "\n\n", joined).strip("\n")


def _visible_text(markup: str) -> str:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(markup)
    root = tree.css_first("main") or tree.css_first('[role="main"]')
    if root is None:
        articles = tree.css("article")
        root = articles[0] if len(articles) == 1 else (tree.body or tree.root)
    if root is None:
        return ""
    out = _Lines()
    # (node, closing, in_content, in_pre, in_cell); in_content: inside main/article, where header/footer are content
    stack = [(root, False, root.tag not in ("body", "html"), False, False)]
    while stack:
        node, closing, content, pre, cell = stack.pop()
        tag = node.tag
        if closing:
            if tag in _BLOCK_TAGS:
                out.boundary(cell)
            continue
        if node.is_text_node:
            if pre:
                out.preformatted(node.text_content or "")
            else:
                out.words(node.text_content or "")
            continue
        if not node.is_element_node or tag in _SKIP_TAGS:
            continue
        attrs = node.attributes
        if "hidden" in attrs or attrs.get("aria-hidden") == "true" or _HIDDEN_STYLE.search(attrs.get("style") or ""):
            continue
        if not content and (tag in _CHROME_TAGS or (attrs.get("role") or "").lower() in _CHROME_ROLES):
            continue
        if tag == "br":
            if cell:
                out.words(" ")
            else:
                out.line_break()
            continue
        if tag in _CELL_TAGS and not cell:
            out.next_cell()
        elif tag in _BLOCK_TAGS:
            out.boundary(cell)
        inner = (content or tag in ("main", "article"), pre or tag in ("pre", "listing", "xmp", "plaintext"),
                 cell or tag in _CELL_TAGS)
        stack.append((node, True, content, pre, cell))
        stack.extend((child, False, *inner) for child in reversed(list(node.iter(include_text=True))))
    return out.text()
