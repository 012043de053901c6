"""Month names of Kazakh and Russian dates, for every extractor that reads dates.

Kazakh month names inflect by suffix (`желтоқсандағы`, `қаңтарға`), Russian ones by ending
(`декабря`, `мае`): both are matched by stem. `ма` (май) is the one Russian stem that is also
a prefix of other words, so it only counts as `май`/`мая`/`мае`.
"""
from __future__ import annotations

KK_MONTHS = ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
             "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан")
RU_MONTH_STEMS = ("январ", "феврал", "март", "апрел", "ма", "июн",
                  "июл", "август", "сентябр", "октябр", "ноябр", "декабр")
RU_MONTHS_GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня",
                      "июля", "августа", "сентября", "октября", "ноября", "декабря")
RU_MONTHS_NOMINATIVE = ("январь", "февраль", "март", "апрель", "май", "июнь",
                        "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь")
MONTH_STEMS: dict[str, int] = {**{m: i + 1 for i, m in enumerate(KK_MONTHS)},
                               **{m: i + 1 for i, m in enumerate(RU_MONTH_STEMS)}}
# a regex alternation of the stems (append `\w*` for the endings); `ма` only before й/я/е
MONTH_PATTERN = "|".join([*KK_MONTHS, *(s for s in RU_MONTH_STEMS if s != "ма"), r"ма(?=[йяе]\b)"])
MONTH_WORDS = frozenset([*KK_MONTHS, *RU_MONTHS_NOMINATIVE, *RU_MONTHS_GENITIVE])


def month_number(word: str) -> int | None:
    """1–12 for a (possibly inflected) Kazakh or Russian month name, else None."""
    low = word.lower()
    for stem, number in MONTH_STEMS.items():
        if low.startswith(stem) and (stem != "ма" or low in ("май", "мая", "мае")):
            return number
    return None
