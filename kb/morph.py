"""Match keys for inflected Kazakh and Russian names: a Kazakh stemmer and Russian lemmas.

A name in the graph (`Әділет министрлігі`, `Министерство юстиции`) and its inflected
occurrences in a document (`Әділет министрлігінің`, `Министерством юстиции`) must reduce
to one key. Kazakh is agglutinative: endings stack on the stem in a fixed order

    STEM + plural + possessive + case            бірлестік-тер-і-мен, министрлі(к→г)-і-нің

so `kk_stem` strips, from the end, a case ending, then a possessive, then a plural, choosing
only the allomorph Kazakh phonology allows after what remains (vowel harmony, the voicing
class of the stem's last sound, the `н` forms after a 3rd-person possessive), undoing the
voicing of a final к/қ/п (`министрлі(г)і` → `министрлік`), and never leaving a stem shorter
than `MIN_STEM`. Derivational suffixes (-лық/-лік, -шы/-ші, -сыз/-сіз, ...) make another word
and are left alone, so `үкіметтік` "governmental" keeps its own key apart from `үкімет`.
Russian words go to pymorphy3's dictionary (`министерства` → `министерство`).

The stemmer only has to be *consistent*: the base form and its inflections must meet
in one key, and different words must stay apart; the stem need not be a dictionary word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kb.text import fold

__all__ = [
    "KK_LETTERS", "MIN_STEM", "KeyToken", "is_abbreviation_token", "kk_stem", "ru_lemma",
    "language_of_word", "word_key", "add_base_forms", "BASE_FORMS", "SHORT_STEMS", "key_tokens", "match_key",
]

KK_LETTERS = frozenset("әғқңөұүһі")
MIN_STEM = 3  # letters a stem keeps at least (a few 2-letter stems are listed in SHORT_STEMS)

_VOWELS = frozenset("аәеёиоөуұүыіэюя")
_BACK = frozenset("аоұыёя")
_FRONT = frozenset("әөүіеэ")
# phonological classes of the stem's last letter; `у`, `и` (= ий) and `й` end a stem like sonorants
_V = frozenset("аәеёоөұүыіэюя")
_SON = frozenset("лруйи")
_NAS = frozenset("мнң")
_ZZ = frozenset("жз")
_VL = frozenset("кқпстфхцчшщһбвгғд")  # voiceless, and voiced stops (loanwords), take т/қ/п forms
_POSS = frozenset("ыі")  # a 3rd-person possessive before the `н` forms of the cases
_ANY_C = _SON | _NAS | _ZZ | _VL


def _pair(back: str, front: str, after: frozenset) -> list[tuple[str, frozenset]]:
    return [(back, after), (front, after)]


# Case endings (one per word), with the letters they may follow.
_CASE: list[tuple[str, frozenset]] = [
    # locative adjectival -дағы "(the one) in ...": loc. + -ғы
    *_pair("дағы", "дегі", _V | _SON | _NAS | _ZZ), *_pair("тағы", "тегі", _VL), *_pair("ндағы", "ндегі", _POSS),
    # instrumental (no vowel harmony)
    ("менен", _V | _SON | _NAS), ("бенен", _ZZ), ("пенен", _VL),
    ("мен", _V | _SON | _NAS), ("бен", _ZZ), ("пен", _VL),
    # genitive
    *_pair("ның", "нің", _V | _NAS), *_pair("дың", "дің", _ZZ | _SON), *_pair("тың", "тің", _VL),
    # ablative
    *_pair("дан", "ден", _V | _ZZ | _SON), *_pair("нан", "нен", _NAS | _POSS), *_pair("тан", "тен", _VL),
    # locative
    *_pair("да", "де", _V | _SON | _NAS | _ZZ), *_pair("та", "те", _VL), *_pair("нда", "нде", _POSS),
    # dative (the bare -а/-е after 1st/2nd person singular is left alone: -ма/-ме end too many stems)
    *_pair("ға", "ге", _V | _SON | _NAS | _ZZ), *_pair("қа", "ке", _VL), *_pair("на", "не", _POSS),
    # accusative
    *_pair("ны", "ні", _V), *_pair("ды", "ді", _ZZ | _SON | _NAS), *_pair("ты", "ті", _VL), ("н", _POSS),
]
# Possessive endings. 1st/2nd person singular (-ым/-ім/-м, -ың/-ің/-ң) are left out: official
# texts hardly use them, and they would cut deverbal nouns (`білім`, `құрылым`, `ұйым`).
_POSSESSIVE: list[tuple[str, frozenset]] = [
    *_pair("ымыз", "іміз", _ANY_C), *_pair("мыз", "міз", _V),        # 1st person plural
    *_pair("ыңыз", "іңіз", _ANY_C), *_pair("ңыз", "ңіз", _V),        # 2nd person polite
    *_pair("сы", "сі", _V), *_pair("ы", "і", _ANY_C),                 # 3rd person
]
_PLURAL: list[tuple[str, frozenset]] = [
    *_pair("лар", "лер", _V | frozenset("руйи")),
    *_pair("дар", "дер", frozenset("лмнңжз")),
    *_pair("тар", "тер", _VL),
]
_SLOTS = tuple(sorted(slot, key=lambda s: -len(s[0])) for slot in (_CASE, _POSSESSIVE, _PLURAL))
_ALL_SUFFIXES = frozenset(s for slot in _SLOTS for s, _ in slot)

# Stems of two letters that are still worth stripping to (`елдің` → `ел`, `істер` → `іс`).
SHORT_STEMS = frozenset({"ел", "ер", "іс", "іш", "үй", "су", "ай", "ой", "ту", "ат", "ас", "ән", "із"})
# Stems that lose a vowel before a possessive: `халық` → `халқы`, `қауіп` → `қаупі`.
_ELISION = {"халқ": "халық", "орн": "орын", "ауз": "ауыз", "мұрн": "мұрын", "ерн": "ерін",
            "ғұрп": "ғұрып", "қойн": "қойын", "нарқ": "нарық", "ерк": "ерік", "бөрк": "бөрік",
            "қауп": "қауіп", "дәрп": "дәріп", "ойн": "ойын"}
# Stems in -ш that take a 3rd-person -ы/-і (elsewhere -шы/-ші is the agent suffix: `басшы`).
_SH_STEMS = frozenset({"күш", "кеш", "ағаш", "балқаш", "іш", "қош", "жеміш", "тұрмыс"})
# Known dictionary forms whose ending looks like a suffix. Stemming stops on reaching one, and
# they settle the two real ambiguities: a stem ending in ы/і before -сы (`қаржы-сы`, `Алматы`),
# and -ны/-ні that is a possessive after a stem in -н (`аудан-ы`, not the accusative `ауда-ны`).
# Place and person names mostly; callers add theirs with `add_base_forms`.
BASE_FORMS: set[str] = {
    # places
    "алматы", "астана", "өскемен", "қызылорда", "ақорда", "орда", "қарағанды", "мекке", "медине",
    "текелі", "лепсі", "нарын", "ескелді", "зеренді", "бұланды", "шортанды", "қазалы", "қарқаралы",
    "ордабасы", "шиелі", "жосалы", "жуалы", "дағыстан", "канада", "иран", "тұран",
    # people
    "кенесары", "мұхтар", "құдайберді", "тілеуберді",
    # nouns in -ы/-і, -да/-де, -ға/-ге, -ды/-ті, -ын/-ін, -мен
    "қаржы", "қаулы", "көрші", "кісі", "ірі", "сары", "жалпы", "арнайы", "бәрі", "тәңірі", "елбасы",
    "пайда", "шілде", "теңге", "басқа", "бірге", "кейде", "кейін", "бүгін", "дейін", "үшін", "мәтін",
    "дайын", "жақын", "мүмкін", "тегін", "келін", "тыйын", "сайын", "отбасы",
    # nouns in -н, whose 3rd-person possessive -ы/-і reads like an accusative -ны/-ні
    "аудан", "орган", "кешен", "нысан", "жиын", "заман", "маман", "құран", "бюллетен", "дастан",
    "майдан", "ұран", "мекен", "экран", "план", "роман", "отан", "кеден", "жиен", "сан", "ғимаран",
    "арман", "қазан", "ақын", "шаман", "ұлан", "экзамен",
    # nouns in -Vс, whose 3rd-person possessive -ы/-і reads like -сы/-сі after a vowel
    "кеңес", "қатынас", "арақатынас", "көзқарас", "күрес", "бизнес", "процес", "конгрес", "прогрес",
    "статус", "діндес", "серіктес", "отандас", "замандас", "пікірлес", "ағайындас",
    # nouns in -ға/-ге/-қа/-ке, -да/-де, -та/-те
    "тұлға", "қабырға", "төраға", "жаға", "саға", "нұсқа",
}
_N_VOWEL_STEM = frozenset("оөұүэюёи")  # Kazakh stems hardly end in these: `мазмұн-ы`, `регион-ы`


def add_base_forms(words) -> None:
    """Teach the stemmer more dictionary forms (e.g. the words of the graph's names)."""
    BASE_FORMS.update(fold(w).replace(" ", "") for w in words if w)
    kk_stem.cache_clear()


# Voiced stem finals after a vowel-initial suffix; only after the vowels that take them natively,
# so loans keep their letter (`теолог`, `педагог`: г after о is not Kazakh).
_UNVOICE = {"г": ("к", frozenset("әеөүі")), "ғ": ("қ", frozenset("аоұы")), "б": ("п", frozenset("аәеоөұүыі"))}


def _harmony(stem: str) -> str | None:
    """`back` or `front` for a stem whose vowels agree; None (either suffix row fits) for stems
    with only и/у/ю or with mixed vowels: loans and compounds (`Назарбаев-тың`, `Республика-сы`)."""
    last = next((ch for ch in reversed(stem) if ch in _VOWELS), "")
    if last in "иую":
        return None  # loans ending in и/у take either row (`иудаизм-ді`, `Назарбаев-тың`)
    back = any(ch in _BACK for ch in stem)
    front = any(ch in _FRONT for ch in stem)
    if back and not front:
        return "back"
    if front and not back:
        return "front"
    return None


def _suffix_harmony(suffix: str) -> str | None:
    if suffix.endswith(("мен", "бен", "пен", "менен", "бенен", "пенен")):
        return None
    for ch in suffix:
        if ch in "аы":
            return "back"
        if ch in "еі":
            return "front"
    return None


def _stem_ok(stem: str) -> bool:
    if stem in SHORT_STEMS:
        return True
    return len(stem) >= MIN_STEM and any(ch in _VOWELS for ch in stem)


def _poss3_stem(stem: str) -> str:
    """What is left of `stem` (ending in ы/і) without its 3rd-person possessive."""
    if len(stem) >= 3 and stem[-2] == "с" and stem[-3] in _VOWELS and stem[-3] not in "ыі":
        return stem[:-2]
    return stem[:-1]


def _allowed(stem: str, suffix: str, after: frozenset) -> bool:
    if not stem or stem[-1] not in after or not _stem_ok(stem):
        return False
    if suffix in ("ы", "і", "ымыз", "іміз", "ыңыз", "іңіз") and stem in _ELISION:
        return True  # `халқы`: the vowel dropped, harmony shows on the full stem
    sh = _suffix_harmony(suffix)
    if sh is not None:
        h = _harmony(stem)
        if h is not None and h != sh:
            return False
    if suffix == "тан" and len(stem) >= 2 and stem[-1] == "с" and stem[-2] not in _VOWELS:
        return False  # `Қазақстан`, `Қырғызстан`: -стан names, not an ablative
    if suffix in ("ны", "ні"):
        n_stem = stem + "н"
        if n_stem in BASE_FORMS or stem[-1] in _N_VOWEL_STEM:
            return False  # `ауданы`, `мазмұны`: a possessive after -н
    elif suffix == "н":
        return _stem_ok(_poss3_stem(stem))  # `министрлігі-н`, but not `орын`
    elif suffix in ("сы", "сі"):
        # -сы after a vowel, but `жұмыс-ы`, `құрылыс-ы`: stems rarely end in ы/і, except the
        # agent -шы/-ші, the adjectival -ғы/-гі/-қы/-кі and known words (`қаржы`, `Алматы`)
        if stem + "с" in BASE_FORMS:
            return False  # `кеңес-і`, not `кеңе-сі`
        if stem[-1] in "ыіу" and not (stem.endswith(("шы", "ші", "ғы", "гі", "қы", "кі")) or stem in BASE_FORMS):
            return False
    elif suffix in ("ы", "і", "ымыз", "іміз", "ыңыз", "іңіз"):
        if stem.endswith("ш") and stem not in _SH_STEMS:
            return False  # -шы/-ші makes an agent noun (`басшы`), not a possessive
        if stem[-1] in "гғқкб" and len(stem) > 1 and stem[-2] not in _VOWELS:
            return False  # adjectival -ғы/-гі/-қы/-кі (`жылғы`, `ішкі`, `сыртқы`)
    return True


def _unvoice(stem: str) -> str:
    if len(stem) >= 2 and stem[-1] in _UNVOICE:
        plain, after = _UNVOICE[stem[-1]]
        if stem[-2] in after:
            return stem[:-1] + plain
    return stem


def _strip_pass(w: str) -> str:
    """One pass in Kazakh order from the end: a case ending, then a possessive, then a plural."""
    for slot in _SLOTS:
        if w in BASE_FORMS:
            break
        for suffix, after in slot:
            if len(w) > len(suffix) and w.endswith(suffix):
                stem = w[: -len(suffix)]
                if _allowed(stem, suffix, after):
                    if suffix[0] in _VOWELS:
                        stem = _ELISION.get(stem) or _unvoice(stem)
                    w = stem
                    break
    return w


@lru_cache(maxsize=65536)
def kk_stem(word: str) -> str:
    """Strip Kazakh inflection from the end: a case ending, then a possessive, then a plural.

    `бірлестіктерімен` → `бірлестік`, `министрлігінің` → `министрлік`, `қаласында` → `қала`,
    `Алматыда` → `алматы`; `үкіметтік` stays (derivational). Lowercase in, lowercase out.

    The pass repeats until nothing more comes off: a word whose own ending looks like a suffix
    (`құдайберді`, `шілде` if not listed) is then cut the same way bare and inflected, so its
    forms keep one key even where the cut is wrong.
    """
    w = fold(word).replace(" ", "")
    for _ in range(4):
        nxt = _strip_pass(w)
        if nxt == w:
            break
        w = nxt
    return w


@lru_cache(maxsize=1)
def _analyzer():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=65536)
def ru_lemma(word: str) -> str:
    """The Russian dictionary form (pymorphy3's best parse): `юстиции` → `юстиция`. Lowercase."""
    w = word.lower().replace("ё", "е")
    if not w or not any("а" <= ch <= "я" for ch in w):
        return w
    return _analyzer().parse(w)[0].normal_form.replace("ё", "е")


@lru_cache(maxsize=65536)
def _ru_known(word: str) -> bool:
    return _analyzer().word_is_known(word)


@lru_cache(maxsize=1 << 16)
def language_of_word(word: str) -> str:
    """`kk` if the word has a Kazakh-only letter (әғқңөұүһі, or a Latin `i` among Cyrillic),
    `ru` for other Cyrillic, `other` for the rest (Latin, digits)."""
    w = fold(word)
    if any(ch in KK_LETTERS for ch in w):
        return "kk"
    if any("\u0400" <= ch <= "\u04ff" for ch in w):
        return "ru"
    return "other"


def is_abbreviation_token(token: str) -> bool:
    """An all-caps token of at least two letters (`МАМ`, `ҚМДБ`, `БҒМ`): matched as written."""
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@lru_cache(maxsize=1 << 16)  # pure, and names repeat their words (мешіті, ауданы, басқармасы)
def word_key(word: str, lang: str | None = None) -> str:
    """The key of one word. All-caps abbreviations stay as written (case-sensitive); words with a
    Kazakh letter, and every Cyrillic word when `lang="kk"`, go through `kk_stem`; with
    `lang="ru"` Cyrillic words go through `ru_lemma`. Without a hint a word with no Kazakh letter
    is Russian if pymorphy3's dictionary knows it, else Kazakh if `kk_stem` strips something
    (`Республикасы`, `органдар`), else Russian (pymorphy3's guess)."""
    if is_abbreviation_token(word):
        return word
    w = fold(word).replace(" ", "")
    if not w:
        return w
    kind = language_of_word(w)
    if kind == "other":
        return w
    if kind == "kk" or lang == "kk":
        return kk_stem(w)
    if lang == "ru" or _ru_known(w):
        return ru_lemma(w)
    stem = kk_stem(w)
    return stem if stem != w else ru_lemma(w)


@dataclass(frozen=True)
class KeyToken:
    start: int
    end: int
    text: str
    key: str


_WORD = re.compile(r"\w+", re.UNICODE)
_HYPHEN = "-‐‑–"


def _is_suffix_chain(token: str, depth: int = 0) -> bool:
    if not token:
        return True
    if depth > 3:
        return False
    return any(token.endswith(s) and _is_suffix_chain(token[: -len(s)], depth + 1) for s in _ALL_SUFFIXES)


def _phrase_lang(words: list[str], lang: str | None) -> str | None:
    if lang is None and any(language_of_word(w) == "kk" for w in words):
        return "kk"
    return lang


def key_tokens(text: str, lang: str | None = None) -> list[KeyToken]:
    """Every word of `text` with its offsets and key, for matchers that need positions.

    `lang` is the document language (`kk`, `ru`) or None: then a text with any Kazakh letter is
    keyed as Kazakh throughout (`Алматы облысы`: `облысы` has no Kazakh letter), otherwise word
    by word. A case ending hyphenated to an abbreviation or a number (`БАҚ-та`, `ҚМДБ-ның`,
    `6800-ден`) is dropped, so `БАҚ-та` keys as `БАҚ`."""
    matches = list(_WORD.finditer(text))
    lang = _phrase_lang([m.group() for m in matches], lang)
    out: list[KeyToken] = []
    for i, m in enumerate(matches):
        tok = m.group()
        if i and m.start() >= 1 and text[m.start() - 1] in _HYPHEN and matches[i - 1].end() == m.start() - 1:
            prev = matches[i - 1].group()
            if (is_abbreviation_token(prev) or prev.isdigit()) and tok.islower() and _is_suffix_chain(fold(tok)):
                continue
        key = word_key(tok, lang)
        if key:
            out.append(KeyToken(m.start(), m.end(), tok, key))
    return out


def match_key(text: str, lang: str | None = None) -> str:
    """The key a name or an inflected phrase is matched by: its words' keys, space-separated.

    `Әділет министрлігінің` and `Әділет министрлігі` → `әділет министрлік`;
    `Министерством юстиции` → `министерство юстиция`; `МАМ` → `МАМ` (abbreviations keep case).
    Every word is stemmed, not only the last: Kazakh inflects the last word of a name, and the
    same rule applied to names and to text keeps the keys equal."""
    return " ".join(t.key for t in key_tokens(text, lang))
