"""ingest/read.py: every supported format read to the exact text, every bad input refused with its exact problem.

All fixtures are made here, in tmp_path: text in each encoding, PDFs written by fpdf2 (Cyrillic through the
DejaVu font that Debian's fonts-dejavu-core installs), DOCX by python-docx, zip bombs by zipfile.
"""
from __future__ import annotations

import hashlib
import io
import random
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from ingest.errors import InputError
from ingest.read import CELL_SEP, PAGE_BREAK, RawText, detect_language, read_text

KK = "Қазақстан Республикасының Үкіметі діни бірлестіктер туралы қаулы қабылдады."
RU = "Министерство культуры и информации Республики Казахстан утвердило правила."
EN = "The Agency for Religious Affairs published its annual report on registration."

DEJAVU = next((p for p in (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
                           Path("/usr/share/fonts/dejavu/DejaVuSans.ttf")) if p.exists()), None)
needs_dejavu = pytest.mark.skipif(DEJAVU is None, reason="no DejaVuSans.ttf: apt-get install fonts-dejavu-core")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refused(path: Path) -> str:
    with pytest.raises(InputError) as info:
        read_text(path)
    assert info.value.where == str(path)
    return info.value.problem


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- plain text -----------------------------------------------------------------------------------

@pytest.mark.parametrize("data, encoding", [
    (KK.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + KK.encode("utf-8"), "utf-8-sig"),
    (KK.encode("utf-16"), "utf-16"),
    (b"\xfe\xff" + KK.encode("utf-16-be"), "utf-16"),
    (KK.encode("utf-32"), "utf-32"),
])
def test_unicode_text_with_or_without_bom(tmp_path, data, encoding):
    path = write(tmp_path, "doc.txt", data)
    raw = read_text(path)
    assert raw == RawText(path=path, text=KK, content_hash=sha256(path), format="txt", encoding=encoding,
                          language="kk", pages=None, warnings=())


def test_cp1251_russian_is_read_when_not_utf8(tmp_path):
    text = RU + "\r\nВторая строка: Алматы, 2023 год."
    raw = read_text(write(tmp_path, "ru.txt", text.encode("cp1251")))
    assert (raw.text, raw.encoding, raw.language, raw.warnings) == (text, "cp1251", "ru", ())


def test_cp1251_kazakh_is_read_with_a_warning_about_lost_letters(tmp_path):
    raw = read_text(write(tmp_path, "kk.txt", KK.encode("cp1251", errors="replace")))
    assert raw.text == "?аза?стан Республикасыны? ?кіметі діни бірлестіктер туралы ?аулы ?абылдады."
    assert raw.encoding == "cp1251" and raw.language == "kk"  # і survives in cp1251
    assert raw.warnings == ("read as cp1251, which has no ә ғ қ ң ө ұ ү һ: 5 '?' before a letter suggest Kazakh "
                            "letters were lost when the file was saved; get a UTF-8 copy",)


def test_cp1251_kazakh_words_that_fit_cp1251_read_cleanly(tmp_path):
    # the old test_cli input: every letter exists in cp1251, so it is simply cp1251 text
    raw = read_text(write(tmp_path, "cp1251.txt", "Діни бірлестіктер".encode("cp1251", errors="replace")))
    assert (raw.text, raw.encoding, raw.language, raw.warnings) == ("Діни бірлестіктер", "cp1251", "kk", ())


def test_kz1048_kazakh(tmp_path):
    raw = read_text(write(tmp_path, "kz.txt", KK.encode("kz1048")))
    assert (raw.text, raw.encoding, raw.language) == (KK, "kz1048", "kk")


@pytest.mark.parametrize("data, problem", [
    ("Café crème brûlée".encode("latin-1"),
     "not valid UTF-8 at byte 3 (b'\\xe9 cr'), nor Cyrillic cp1251/KZ-1048 text; re-save it as UTF-8"),
    ("Діни бірлестіктер".encode("cp1251") + b"\x98",  # 0x98 is no cp1251 character
     "not valid UTF-8 at byte 2 (b'\\xed\\xe8 \\xe1'), nor Cyrillic cp1251/KZ-1048 text; re-save it as UTF-8"),
    ("Алматы".encode("cp1251") + "қаласы".encode("utf-16"),  # control bytes: no cp1251 text either
     "not valid UTF-8 at byte 0 (b'\\xc0\\xeb\\xec\\xe0'), nor Cyrillic cp1251/KZ-1048 text; re-save it as UTF-8"),
    (b"", "empty file"),
    (b" \r\n\t\n", "empty file"),
    (b"\xef\xbb\xbf", "empty file"),
    (b"\x00\x01\x02binary", "binary content (NUL byte at offset 0), not text"),
    ("Привет".encode("utf-16-le"),
     "binary content (7 control characters in the first 12 bytes), not text; "
     "it looks like UTF-16 without a byte-order mark: re-save it as UTF-8"),
    (b"\xff\xfe" + "Привет".encode("utf-16-le") + b"\x00", "not valid UTF-16 at byte 14"),
    ("Hello".encode("utf-16") + b"\x00\x00", "binary content (NUL character at offset 5), not text"),
])
def test_bad_text_is_refused_exactly(tmp_path, data, problem):
    assert refused(write(tmp_path, "bad.txt", data)) == problem


def test_binary_junk_named_txt(tmp_path):
    junk = random.Random(7).randbytes(4096)
    assert refused(write(tmp_path, "junk.txt", junk)) == f"binary content (NUL byte at offset {junk.index(0)}), not text"


def test_missing_directory_and_unsupported(tmp_path):
    assert refused(tmp_path / "nope.txt") == "no such file"
    (tmp_path / "folder.txt").mkdir()
    assert refused(tmp_path / "folder.txt") == "is a directory, not a document"
    assert refused(write(tmp_path, "x.xlsx", b"PK")) == \
        "unsupported format .xlsx; supported: .docx, .htm, .html, .pdf, .txt"
    assert refused(write(tmp_path, "README", b"x")) == \
        "unsupported format (no extension); supported: .docx, .htm, .html, .pdf, .txt"


def test_a_large_file_is_held_once_and_hashed_while_read(tmp_path):
    line = (KK + "\n").encode("utf-8")
    path = tmp_path / "big.txt"
    with path.open("wb") as f:
        for _ in range(24 * 2**20 // len(line)):
            f.write(line)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        raw = read_text(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert raw.content_hash == sha256(path) and raw.language == "kk"
    assert len(raw.text) == (size // len(line)) * len(KK + "\n")
    # the text alone is ~1.1x the size (Cyrillic: 2 bytes in UTF-8 and in memory); bytes + text + a decoding
    # buffer as large as the text, as `path.read_bytes().decode()` needs, would be 4x
    assert peak < 2.5 * size, peak / size


# --- PDF ------------------------------------------------------------------------------------------

def pdf_bytes(pages: list[str], font: Path | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    if font:
        pdf.add_font("body", fname=str(font))
        pdf.set_font("body", size=12)
    else:
        pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 8, text)
        else:
            pdf.rect(20, 20, 100, 60, style="F")  # a drawing, as a scan would be: no text operators
    return bytes(pdf.output())


def test_pdf_pages_are_joined_by_page_breaks(tmp_path):
    path = write(tmp_path, "en.pdf", pdf_bytes([EN, "Second page.\nNext line."]))
    raw = read_text(path)
    assert raw.text == EN + PAGE_BREAK + "Second page.\nNext line."
    assert (raw.format, raw.pages, raw.encoding, raw.language, raw.warnings) == ("pdf", 2, None, "en", ())
    assert raw.content_hash == sha256(path)


@needs_dejavu
def test_pdf_with_cyrillic_text(tmp_path):
    raw = read_text(write(tmp_path, "kk.pdf", pdf_bytes([KK, RU], DEJAVU)))
    assert raw.text == KK + "\n\n\n" + RU
    assert (raw.pages, raw.language) == (2, "kk")


def test_truncated_pdf(tmp_path):
    data = pdf_bytes([EN, EN])
    problem = refused(write(tmp_path, "cut.pdf", data[: len(data) // 2]))
    assert problem.startswith("damaged PDF: ") and problem.endswith(" (truncated: no %%EOF at the end)"), problem


def test_not_a_pdf_at_all(tmp_path):
    assert refused(write(tmp_path, "page.pdf", b"<!DOCTYPE html><html>login</html>")) == \
        "damaged PDF: no %PDF header (the file starts with b'<!DOCTYPE html><')"


def test_encrypted_pdf(tmp_path):
    from pypdf import PdfWriter

    def encrypted(user_password: str) -> bytes:
        writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes([EN])))
        writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-256")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    assert refused(write(tmp_path, "locked.pdf", encrypted("secret"))) == "encrypted PDF: needs a password"
    # restrictions only (no password to open), as many official PDFs are: read
    assert read_text(write(tmp_path, "restricted.pdf", encrypted(""))).text == EN


def test_image_only_pdf_needs_ocr(tmp_path):
    assert refused(write(tmp_path, "scan.pdf", pdf_bytes(["", "", ""]))) == "no text layer: OCR needed (3 pages)"
    assert refused(write(tmp_path, "one.pdf", pdf_bytes(["7"]))) == "no text layer: OCR needed (1 page)"


def test_pdf_with_some_pages_scanned(tmp_path):
    raw = read_text(write(tmp_path, "mixed.pdf", pdf_bytes([EN, "", EN])))
    assert raw.text == EN + PAGE_BREAK + PAGE_BREAK + EN  # the empty page keeps its place
    assert raw.text.split(PAGE_BREAK) == [EN, "", EN]
    assert raw.warnings == ("1 of 3 pages have no text (scanned or blank; OCR needed): 2",)


def test_pdf_whose_fonts_lack_a_unicode_map(tmp_path):
    mojibake = RU.encode("cp1251").decode("latin-1")  # what such a Russian PDF yields
    raw = read_text(write(tmp_path, "old.pdf", pdf_bytes([mojibake])))
    assert raw.text == mojibake
    assert raw.warnings == ("the text layer looks mis-encoded (fonts without a Unicode map): accented Latin "
                            "letters stand where Cyrillic ones should be; OCR may do better",)


# --- DOCX -----------------------------------------------------------------------------------------

def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Діни бірлестіктер туралы", level=1)
    paragraph = document.add_paragraph("Қазақстан Республикасының ")
    paragraph.add_run("Үкіметі").bold = True
    paragraph.add_run(" қаулы етеді:")
    table = document.add_table(rows=4, cols=3)
    for r, row in enumerate([("Атауы", "Қала", "Нөмірі"), ("Ақ мешіт", "Алматы", "R-1"), ("", "Астана", "")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    merged = table.cell(3, 0).merge(table.cell(3, 1))
    merged.text = "Біріктірілген ұяшық"
    merged.add_paragraph("екінші абзац")
    table.cell(3, 2).text = "R-3"
    document.add_paragraph("")
    document.add_paragraph("Кестеден кейінгі мәтін.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    path = write(tmp_path, "kk.docx", docx_bytes())
    raw = read_text(path)
    assert raw.text == "\n".join([
        "Діни бірлестіктер туралы",
        "Қазақстан Республикасының Үкіметі қаулы етеді:",
        CELL_SEP.join(["Атауы", "Қала", "Нөмірі"]),
        "Ақ мешіт | Алматы | R-1",
        "Астана",  # empty cells add nothing
        "Біріктірілген ұяшық екінші абзац | R-3",  # a merged cell once, its paragraphs on the row's line
        "",
        "Кестеден кейінгі мәтін.",
    ])
    assert (raw.format, raw.encoding, raw.pages, raw.language, raw.content_hash) == ("docx", None, None, "kk", sha256(path))


def test_damaged_docx(tmp_path):
    data = docx_bytes()
    assert refused(write(tmp_path, "cut.docx", data[: len(data) // 2])) == \
        "damaged DOCX: not a readable ZIP archive (File is not a zip file)"
    assert refused(write(tmp_path, "old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))) == \
        "damaged DOCX: an OLE2 file, not a ZIP: a password-protected DOCX or an old .doc renamed; " \
        "save it as an unprotected .docx"
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert refused(write(tmp_path, "zip.docx", other.getvalue())) == \
        "damaged DOCX: not a Word document (There is no item named '[Content_Types].xml' in the archive)"


def zip_of_zeros(path: Path, megabytes: int) -> zipfile.ZipInfo:
    """A 'DOCX' whose document.xml inflates to `megabytes` MB of zeros, written in 1 MB steps (fast, small)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            block = bytes(2**20)
            for _ in range(megabytes):
                part.write(block)
        return archive.getinfo("word/document.xml")


def test_zip_bomb_docx_is_refused_before_inflating(tmp_path):
    path = tmp_path / "bomb.docx"
    zip_of_zeros(path, 300)
    assert path.stat().st_size < 2 * 2**20
    tracemalloc.start()
    try:
        assert refused(path) == "DOCX expands to 300 MB: refused"
        assert tracemalloc.get_traced_memory()[1] < 20 * 2**20
    finally:
        tracemalloc.stop()


def test_docx_compressed_absurdly_is_refused(tmp_path):
    path = tmp_path / "dense.docx"
    info = zip_of_zeros(path, 20)
    ratio = info.file_size // info.compress_size
    assert ratio > 100
    assert refused(path) == f"DOCX expands to 20 MB (word/document.xml is {ratio}× its compressed size): refused"


# --- HTML -----------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">
<title>Министерство культуры</title>
<style>p { color: red }</style>
<script>var menu = "Меню сайта";</script>
</head><body>
<header><a href="/">Главная</a> <a href="/ru">Рус</a></header>
<nav><ul><li>Новости</li><li>Контакты</li></ul></nav>
<div class="content">
  <h1>О   религиозных
      объединениях</h1>
  <p>Первый <b>абзац</b> текста.<br>Вторая&nbsp;строка</p>
  <p hidden>скрытый текст</p><div style="display: none">тоже скрыт</div>
  <table>
    <tr><th>Название</th><th>Город</th></tr>
    <tr><td><p>Центральная</p><p>мечеть</p></td><td>Алматы</td></tr>
  </table>
  <pre>  строка 1
  строка 2</pre>
  <noscript>Включите JavaScript</noscript>
</div>
<footer>© 2024 Все права защищены</footer>
<script>track();</script>
</body></html>"""

PAGE_TEXT = """О религиозных объединениях
Первый абзац текста.
Вторая строка
Название | Город
Центральная мечеть | Алматы
  строка 1
  строка 2"""


def test_html_in_cp1251_with_meta_charset(tmp_path):
    path = write(tmp_path, "page.html", PAGE.encode("cp1251"))
    raw = read_text(path)
    assert raw.text == PAGE_TEXT
    assert (raw.format, raw.encoding, raw.language, raw.warnings, raw.content_hash) == \
        ("html", "cp1251", "ru", (), sha256(path))


def test_html_charset_detected_without_meta(tmp_path):
    page = PAGE.replace('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">', "")
    raw = read_text(write(tmp_path, "page.htm", page.encode("cp1251")))
    assert (raw.text, raw.encoding) == (PAGE_TEXT, "cp1251")
    raw = read_text(write(tmp_path, "utf8.htm", page.encode("utf-8")))
    assert (raw.text, raw.encoding) == (PAGE_TEXT, "utf-8")


def test_html_resaved_as_utf8_with_a_stale_meta(tmp_path):
    raw = read_text(write(tmp_path, "page.html", PAGE.encode("utf-8")))
    assert (raw.text, raw.encoding) == (PAGE_TEXT, "utf-8")
    assert raw.warnings == ("declared charset 'windows-1251' but the bytes are UTF-8; read as UTF-8",)


def test_html_main_content_only(tmp_path):
    page = ("<html><body><div>Сайт: шапка</div><main><article><header><h1>Заголовок статьи</h1></header>"
            "<p>Текст статьи.</p><footer>Автор: редакция</footer></article></main>"
            "<aside>Популярное</aside></body></html>")
    raw = read_text(write(tmp_path, "main.html", page.encode("utf-8")))
    assert raw.text == "Заголовок статьи\nТекст статьи.\nАвтор: редакция"  # an article's own header stays


def test_html_without_visible_text(tmp_path):
    page = b"<html><head><title>x</title><script>alert(1)</script></head><body><nav>menu</nav></body></html>"
    assert refused(write(tmp_path, "blank.html", page)) == "no visible text in the HTML page"


# --- language -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, language", [
    (KK, "kk"),
    ("Қазақстан Республикасы – әрбiр адамның наным-сенім бостандығын құрметтейтiн мемлекет", "kk"),
    (RU, "ru"),
    (RU + " " + RU + " Совет провёл встречу в городе Алматы с ҚМДБ.", "ru"),  # a Kazakh name in Russian text
    (EN, "en"),
    ("Міністерство культури та інформаційної політики України їх підтримує, є ґрунт", "other"),  # Ukrainian
    ("2023-10-04 № 384 — 15 %", "other"),
    ("宗教事务局", "other"),
    ("", "other"),
])
def test_detect_language(text, language):
    assert detect_language(text) == language
