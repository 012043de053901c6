"""Text keys shared by ingest and search: folding, transliteration, slugs."""
from __future__ import annotations

import re
import unicodedata

# Kazakh Latin alphabet of 2021 (Presidential decree draft, the one in official use since).
_KK_LATIN = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io",
    "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū",
    "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "ş", "щ": "şş", "ъ": "",
    "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}
# Plain ASCII, close to the common Russian/BGN practice, for ids and accent-free search.
_ASCII = {
    **{k: unicodedata.normalize("NFKD", v).encode("ascii", "ignore").decode() for k, v in _KK_LATIN.items()},
    "ж": "zh", "х": "kh", "һ": "h", "ш": "sh", "щ": "shch", "ч": "ch", "ы": "y", "і": "i",
    "ю": "yu", "я": "ya", "ё": "yo", "й": "y", "ғ": "gh", "қ": "q", "ң": "ng", "ұ": "u", "ү": "u",
}
_LATIN_LOOKALIKES = str.maketrans({"i": "і", "I": "І"})  # PDF text often has Latin i for Kazakh і
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def _translit(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(ch, ch) for ch in text.lower())


def kk_latin(text: str) -> str:
    """Kazakh Cyrillic → the 2021 Kazakh Latin alphabet (lower case)."""
    return _translit(text, _KK_LATIN)


def ascii_key(text: str) -> str:
    """Any Cyrillic (Kazakh or Russian) or Latin text → plain lowercase ASCII words."""
    latin = _translit(text, _ASCII)
    latin = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    return " ".join(_NON_WORD.sub(" ", latin).split())


def fold(text: str) -> str:
    """Case- and punctuation-insensitive key; Latin `i` inside Cyrillic words read as `і`."""
    text = unicodedata.normalize("NFC", text).replace("ё", "е").replace("Ё", "Е")
    words = []
    for word in _NON_WORD.sub(" ", text).split():
        if any("\u0400" <= ch <= "\u04ff" for ch in word):
            word = word.translate(_LATIN_LOOKALIKES)
        words.append(word.lower())
    return " ".join(words)


def slugify(text: str, max_len: int = 60) -> str:
    """A readable ASCII slug for ids: `Әділет министрлігі` → `adilet-ministrligi`."""
    slug = ascii_key(text).replace(" ", "-")
    return slug[:max_len].strip("-") or "x"


def search_keys(names: list[str]) -> list[str]:
    """Every key a name can be found by: folded Cyrillic, Kazakh Latin and plain ASCII."""
    keys: set[str] = set()
    for name in names:
        folded = fold(name)
        if folded:
            keys.update({folded, fold(kk_latin(folded)), ascii_key(folded)})
    return sorted(k for k in keys if k)
