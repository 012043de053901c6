"""The application's read queries: one Cypher dialect that Neo4j 5 and the embedded store both run.

Functions take a `Store` and return plain values; the API and the views only call these.
Labels, relationship types and lengths are interpolated only from the schema or validated
integers; everything else is a parameter. Lookups by id always name the label (from the id's
prefix), so both stores use their `id` index.

Two reads are served from per-store caches, because at 100k nodes the store alone cannot answer
them within a few milliseconds:

- **search** (`NameIndex`): a word index over every node's `search_keys` (folded Cyrillic, Kazakh
  Latin, ASCII forms of every name and alias), with prefix matching of the query's words after
  Kazakh stemming and Russian lemmatisation (`kb.morph`); a full scan with `CONTAINS` over
  list properties costs ~400 ms at 100k nodes.
- **hub adjacency**: the neighbour ids of nodes with at least `HUB_DEGREE` relationships (a
  confession with 30k associations), so a depth-2 neighbourhood through a hub does not re-read
  30k rows per request.

Both are keyed by a fingerprint of the store (node and relationship counts, checked at most every
`freshness_check_s` seconds). `invalidate(store)`, which the API calls after every write it makes,
drops the hub lists and rebuilds the search index in the writer's thread before the write is
answered, so the writer reads its own write. A write seen only by the fingerprint (another process
wrote to Neo4j) rebuilds the index in the background. Either way searches go on with the old index
until the new one is swapped in: a rebuild takes seconds at 100k nodes, and searches waiting for it
were the whole p99 under a load with an ingest.
"""
from __future__ import annotations

import heapq
import logging
import re
import threading
import time
import unicodedata
import weakref
from bisect import bisect_left
from collections import OrderedDict, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from os.path import commonprefix
from typing import Any, Iterable, Iterator, Literal, get_args, get_origin

from kb.morph import KK_LETTERS, kk_stem, ru_lemma
from kb.schema import NODE_TYPES, PREFIX_TO_LABEL, REL_TYPES, Source, doc_source_prefix, label_of
from kb.store import Store
from kb.text import ascii_key, fold, kk_latin, search_keys

_log = logging.getLogger(__name__)

Direction = Literal["both", "out", "in"]
MAX_DEPTH = 3
MAX_PATH_LENGTH = 8
MAX_ALL_PATHS = 100
BODY_LABELS = ("StateBody", "ReligiousAssociation", "Council")  # the labels RESPONSIBLE_FOR starts from
HUB_DEGREE = 256  # nodes with at least this many relationships have their neighbour ids cached
HUB_CACHE_IDS = 1_000_000  # at most this many cached neighbour ids per store (~100 MB)


class NotFound(LookupError):
    """No entity has this id."""


# -- validation ------------------------------------------------------------------------------

def _label(node_id: str) -> str:
    try:
        return label_of(node_id)
    except ValueError as exc:
        raise NotFound(str(exc)) from None


def _check_filters(labels: list[str] | None, types: list[str] | None) -> None:
    for label in labels or []:
        if label not in NODE_TYPES:
            raise ValueError(f"unknown label {label!r}; known: {', '.join(sorted(NODE_TYPES))}")
    for t in types or []:
        if t not in REL_TYPES:
            raise ValueError(f"unknown relationship type {t!r}; known: {', '.join(sorted(REL_TYPES))}")


def _arrow(direction: Direction, rel: str) -> str:
    if direction not in ("out", "in", "both"):
        raise ValueError(f"direction must be out, in or both, not {direction!r}")
    return {"out": f"-[{rel}]->", "in": f"<-[{rel}]-", "both": f"-[{rel}]-"}[direction]


def _rel_pattern(var: str, types: list[str] | None) -> str:
    """`r:A|B` from validated types (interpolated into the pattern, so the store filters by type)."""
    return f"{var}:{'|'.join(sorted(types))}" if types else var


def _by_label(ids: Iterable[str]) -> dict[str, list[str]]:
    """Ids grouped by the label their prefix names; ids with an unknown prefix name no node."""
    groups: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        label = PREFIX_TO_LABEL.get(i.split(":", 1)[0]) if isinstance(i, str) else None
        if label:
            groups[label].append(i)
    return groups


def _has_label(node_id: str, labels: set[str] | None) -> bool:
    return labels is None or PREFIX_TO_LABEL.get(node_id.split(":", 1)[0]) in labels


# -- "as of" validity ------------------------------------------------------------------------

_AS_OF = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def validity_window(as_of: str | None) -> tuple[str, str] | None:
    """`as_of` (YYYY, YYYY-MM or YYYY-MM-DD) as the interval `(lo, hi)` it covers, or None.

    A relationship holds at `as_of` when its interval `[valid_from, valid_to]` overlaps it:
    `valid_from <= hi` and `valid_to >= lo`, both open when null. Dates compare as ISO strings;
    a bare year on either side compares on the year (`valid_to: "2010"` holds through 2010,
    `as_of=2010` is the whole year), which plain string order gives except for a bare-year
    `valid_to` equal to `lo`'s year, tested separately (see `_valid_at`)."""
    if as_of is None:
        return None
    as_of = as_of.strip()
    if not _AS_OF.match(as_of):
        raise ValueError(f"a date must be YYYY, YYYY-MM or YYYY-MM-DD, not {as_of!r}")
    hi = as_of + {4: "-12-31", 7: "-31", 10: ""}[len(as_of)]
    return as_of, hi


def _valid_at(var: str) -> str:
    return (f"({var}.valid_from IS NULL OR {var}.valid_from <= $as_of_hi) AND "
            f"({var}.valid_to IS NULL OR {var}.valid_to >= $as_of_lo OR {var}.valid_to = substring($as_of_lo, 0, 4))")


def _window_params(window: tuple[str, str] | None) -> dict[str, str]:
    return {"as_of_lo": window[0], "as_of_hi": window[1]} if window else {}


# -- per-store caches ------------------------------------------------------------------------

@dataclass
class _HubList:
    ids: tuple[str, ...]  # sorted
    set: frozenset[str]
    _by_label: dict[str, tuple[tuple[str, ...], frozenset[str]]] = field(default_factory=dict)

    def for_labels(self, labels: set[str] | None) -> list[tuple[tuple[str, ...], frozenset[str]]]:
        if labels is None:
            return [(self.ids, self.set)]
        out = []
        for label in sorted(labels):
            if label not in self._by_label:
                prefix = NODE_TYPES[label].prefix + ":"
                part = tuple(i for i in self.ids if i.startswith(prefix))
                self._by_label[label] = (part, frozenset(part))
            out.append(self._by_label[label])
        return out


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.build_lock = threading.Lock()
        self.check_s = 0.0
        self.checked_at = 0.0
        self.fingerprint: tuple | None = None
        self.names: NameIndex | None = None
        self.names_stale = False
        self.names_built_at = 0.0
        self.hubs: OrderedDict[tuple, _HubList] = OrderedDict()
        self.hub_ids = 0
        self.writing = 0  # writes in progress in this process (`writing`): they rebuild when done

    def clear(self) -> None:
        """The store changed: drop the hub lists; the search index serves on, marked stale
        (unless a write of this process is under way: its end rebuilds the index once)."""
        with self.lock:
            self.names_stale = self.names is not None and not self.writing
            self.hubs.clear()
            self.hub_ids = 0

    def rebuild_names(self, store: Store, *, unless_built: bool = False) -> NameIndex:
        """Build the search index (one build at a time) and swap it in."""
        with self.build_lock:
            if unless_built and self.names is not None:
                return self.names
            with self.lock:
                self.names_stale = False  # a write from now on marks the new index stale again
            index = NameIndex(store.rows(NAME_ROWS))
            with self.lock:
                self.names, self.names_built_at = index, time.monotonic()
            return index

    def rebuild_names_in_background(self, store: Store) -> None:
        if self.build_lock.locked():
            return  # a build is running; a write after its start has marked it stale again

        def run() -> None:
            try:
                self.rebuild_names(store)
            except Exception as exc:  # noqa: BLE001 - the old index serves on; the next search tries again
                with self.lock:
                    self.names_stale = True
                _log.warning("search index not rebuilt: %s", exc)

        threading.Thread(target=run, name="kb-search-index", daemon=True).start()


_CACHES: "weakref.WeakKeyDictionary[Store, _Cache]" = weakref.WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def _cache(store: Store) -> _Cache:
    with _CACHES_LOCK:
        cache = _CACHES.get(store)
        if cache is None:
            cache = _CACHES[store] = _Cache()
    now = time.monotonic()
    if now - cache.checked_at >= cache.check_s:
        fingerprint = store.counts()
        with cache.lock:
            cache.checked_at = now
            if fingerprint != cache.fingerprint:
                if cache.fingerprint is not None:
                    cache.clear()
                cache.fingerprint = fingerprint
    return cache


def configure_cache(store: Store, *, freshness_check_s: float) -> None:
    """How often (seconds) the caches of `store` look for writes made by others (0: every read)."""
    with _CACHES_LOCK:
        cache = _CACHES.setdefault(store, _Cache())
    cache.check_s = freshness_check_s


def invalidate(store: Store) -> None:
    """Call after writing to `store` (off the event loop: it rebuilds a built search index now,
    while searches go on with the old one)."""
    with _CACHES_LOCK:
        cache = _CACHES.get(store)
    if cache is None:
        return
    cache.clear()
    cache.checked_at = 0.0
    if cache.names is not None:
        cache.rebuild_names(store)


@contextmanager
def writing(store: Store) -> Iterator[None]:
    """Around a write to `store` by this process: the caches' own check for changes leaves the
    search index alone meanwhile (no rebuild of a half-done state), and the end `invalidate`s."""
    with _CACHES_LOCK:
        cache = _CACHES.setdefault(store, _Cache())
    with cache.lock:
        cache.writing += 1
    try:
        yield
    finally:
        with cache.lock:
            cache.writing -= 1
        invalidate(store)


def warm(store: Store) -> None:
    """Build the search index now, and load the Russian dictionary the query side uses
    (the API does it at startup, off the request path)."""
    _name_index(store)
    query_prefixes("министерством юстиции")


# -- entities --------------------------------------------------------------------------------

def entity(store: Store, node_id: str) -> dict[str, Any]:
    rows = store.rows(f"MATCH (n:{_label(node_id)} {{id: $id}}) RETURN n", {"id": node_id})
    if not rows:
        raise NotFound(f"no entity with id {node_id!r}")
    return rows[0]["n"]


def _entity_with_degree(store: Store, node_id: str) -> tuple[dict[str, Any], int]:
    rows = store.rows(f"MATCH (n:{_label(node_id)} {{id: $id}}) RETURN n, COUNT {{ (n)--() }} AS degree",
                      {"id": node_id})
    if not rows:
        raise NotFound(f"no entity with id {node_id!r}")
    return rows[0]["n"], rows[0]["degree"]


def nodes_by_id(store: Store, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The nodes with these ids (label-scoped lookups); ids that name no node are left out."""
    found: dict[str, dict[str, Any]] = {}
    for label, group in sorted(_by_label(ids).items()):
        for r in store.rows(f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n", {"ids": group}):
            found[r["n"]["id"]] = r["n"]
    return found


FILTER_OPS = {"=": "=", "!=": "<>", ">": ">", ">=": ">=", "<": "<", "<=": "<="}
_NOT_FILTERABLE = {"sources"}


def _field_types(label: str, prop: str) -> tuple[set[type], bool]:
    """The scalar types a property of `label` may hold, and whether it is a list."""
    model = NODE_TYPES[label]
    if prop not in model.model_fields or prop in _NOT_FILTERABLE:
        usable = sorted(set(model.model_fields) - _NOT_FILTERABLE)
        raise ValueError(f"{label} has no filterable property {prop!r}; known: {', '.join(usable)}")
    kinds: set[type] = set()
    is_list = False

    def walk(t: Any) -> None:
        nonlocal is_list
        origin = get_origin(t)
        if origin is list:
            is_list = True
            for a in get_args(t):
                walk(a)
        elif origin is Literal:
            kinds.update(type(a) for a in get_args(t))
        elif get_args(t):
            for a in get_args(t):
                walk(a)
        elif isinstance(t, type) and t is not type(None):
            kinds.add(t)

    walk(model.model_fields[prop].annotation)
    return kinds, is_list


def _coerce(label: str, prop: str, op: str, value: str) -> tuple[Any, bool]:
    kinds, is_list = _field_types(label, prop)
    if is_list and op != "=":
        raise ValueError(f"{label}.{prop} is a list: only `{prop}=value` (membership) is supported")
    for kind in (bool, int, float):
        if kind in kinds:
            try:
                if kind is bool:
                    if value.lower() not in ("true", "false"):
                        raise ValueError
                    return value.lower() == "true", is_list
                return kind(value), is_list
            except ValueError:
                if str not in kinds:
                    raise ValueError(f"{label}.{prop} takes {kind.__name__} values, not {value!r}") from None
    return value, is_list


def entities(store: Store, label: str, *, filters: list[tuple[str, str, str]] | None = None,
             limit: int = 100, offset: int = 0) -> tuple[list[dict], int]:
    """Entities of one label, ordered by id, with optional `(property, op, value)` filters: ops
    `= != > >= < <=`, values coerced to the property's schema type; `=` on a list property tests
    membership (`aliases=Минюст`, `funding_years=2008`)."""
    _check_filters([label], None)
    where, params = [], {"offset": offset, "limit": limit}
    for i, (prop, op, value) in enumerate(filters or []):
        if op not in FILTER_OPS:
            raise ValueError(f"unknown filter operator {op!r}; use one of {' '.join(FILTER_OPS)}")
        coerced, is_list = _coerce(label, prop, op, value)
        params[f"f{i}"] = coerced
        where.append(f"$f{i} IN coalesce(n.{prop}, [])" if is_list else f"n.{prop} {FILTER_OPS[op]} $f{i}")
    match = f"MATCH (n:{label})" + (" WHERE " + " AND ".join(where) if where else "")
    total = store.rows(match + " RETURN count(n) AS c", params)[0]["c"]
    rows = store.rows(match + " RETURN n ORDER BY n.id SKIP $offset LIMIT $limit", params)
    return [r["n"] for r in rows], total


# -- search ----------------------------------------------------------------------------------

_WORD_SPAN = re.compile(r"[^\W_]+", re.UNICODE)
_VOICED_FINAL = "кқпгғб"  # a stem's last consonant alternates before a vowel: министрлік ~ министрлігі
MIN_PREFIX = 3
MAX_QUERY_WORDS = 12
NAME_FIELDS = ("name", "name_kk", "name_ru", "name_en")


def query_prefixes(q: str) -> list[tuple[str, ...]]:
    """Per query word, the prefixes that a name's word may start with for the word to match.

    The word itself (folded) and its ASCII form; for Cyrillic words the Kazakh stem
    (`министрлігінің` → `министрлік`, and `министрлі` because a final к/қ/п voices before an
    ending: `министрлігі`), and the part a Russian word shares with its lemma (`юстиции`/`юстиция`
    → `юстици`, `министерством` → `министерств`). Stems shorter than `MIN_PREFIX` are not used."""
    out = []
    for word in fold(q).split()[:MAX_QUERY_WORDS]:
        alts = {word}
        cyrillic = any("\u0400" <= ch <= "\u04ff" for ch in word)
        a = ascii_key(word)
        if a and " " not in a and not cyrillic:  # `ädilet` → `adilet`; Cyrillic names have Cyrillic keys
            alts.add(a)
        if cyrillic:
            stem = kk_stem(word)
            for s in (stem, stem[:-1] if stem[-1:] in _VOICED_FINAL else ""):
                if len(s) >= MIN_PREFIX:
                    alts.add(s)
            if not any(ch in KK_LETTERS for ch in word):
                cp = commonprefix([word, ru_lemma(word)])
                if len(cp) >= max(MIN_PREFIX, len(word) - 4):
                    alts.add(cp)
        # a name word starting with `юстици` starts with `юстиции` or not: keep only the alternatives
        # no other alternative is a prefix of (they match everything the longer ones match)
        minimal = tuple(sorted(p for p in alts if not any(o != p and p.startswith(o) for o in alts)))
        out.append(minimal)
    return out


class NameIndex:
    """Every node's search keys, split into words, for prefix lookups.

    Postings map a word to the ordinals of the nodes having it, ascending; ordinals follow the
    ranking order (shortest `name` first, then id), so merging postings yields hits in rank
    order within a score, and a page needs only its first hits, not every match sorted."""

    MAX_MERGE = 64  # prefix ranges with more words than this are unioned into a set and sorted

    def __init__(self, rows: list[dict[str, Any]]):
        rows = [r for r in rows if isinstance(r.get("id"), str)]
        rows.sort(key=lambda r: (len(r.get("name") or ""), r["id"]))
        self.ids: list[str] = []
        self.labels: list[str | None] = []
        self.names: list[tuple[tuple[str, str], ...]] = []
        self.keys: list[tuple[tuple[str, ...], ...]] = []
        anywhere: dict[str, list[int]] = defaultdict(list)
        first: dict[str, list[int]] = defaultdict(list)
        whole: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for ordinal, r in enumerate(rows):
            self.ids.append(r["id"])
            self.labels.append(PREFIX_TO_LABEL.get(r["id"].split(":", 1)[0]))
            names = tuple((f, r[f]) for f in NAME_FIELDS if isinstance(r.get(f), str) and r[f])
            names += tuple(("aliases", a) for a in (r.get("aliases") or []) if isinstance(a, str) and a)
            self.names.append(names)
            raw = r.get("keys") or search_keys([text for _, text in names])
            keys = tuple(tuple(k.split()) for k in raw if isinstance(k, str) and k.split())
            self.keys.append(keys)
            words, firsts, by_len = set(), set(), set()
            for k in keys:
                words.update(k)
                firsts.add(k[0])
                by_len.add((len(k), k[0]))
            for w in words:
                anywhere[w].append(ordinal)
            for w in firsts:
                first[w].append(ordinal)
            for n, w in by_len:
                whole[n][w].append(ordinal)
        self.anywhere = (sorted(anywhere), dict(anywhere))
        self.first = (sorted(first), dict(first))
        self.whole = {n: (sorted(d), dict(d)) for n, d in whole.items()}

    def __len__(self) -> int:
        return len(self.ids)

    @staticmethod
    def _lists(index: tuple[list[str], dict[str, list[int]]], prefixes: tuple[str, ...]) -> list[list[int]]:
        """The postings of every word starting with one of `prefixes` (one-letter prefixes: the word itself)."""
        vocab, postings = index
        out = []
        for p in prefixes:
            if len(p) < 2:
                if p in postings:
                    out.append(postings[p])
                continue
            i = bisect_left(vocab, p)
            while i < len(vocab) and vocab[i].startswith(p):
                out.append(postings[vocab[i]])
                i += 1
        return out

    @classmethod
    def _ascending(cls, lists: list[list[int]]) -> Iterable[int]:
        if len(lists) <= cls.MAX_MERGE:
            return heapq.merge(*lists)
        return sorted(set().union(*lists))

    def _tier(self, ordinal: int, prefixes: list[tuple[str, ...]], exact: set[str]) -> tuple[int, bool, tuple[str, ...] | None]:
        """The best key of a node: (score, exact, key words); score 0 when no single key has all words."""
        best: tuple[int, bool, tuple[str, ...] | None] = (0, False, None)
        for words in self.keys[ordinal]:
            if not all(any(w.startswith(alts) for w in words) for alts in prefixes):
                continue
            score = 1
            if words[0].startswith(prefixes[0]):
                score = 3 if len(words) == len(prefixes) else 2
            found = (score, score == 3 and " ".join(words) in exact, words)
            if found[:2] > best[:2]:
                best = found
        return best

    def search(self, q: str, *, label: str | None = None, limit: int = 20, offset: int = 0
               ) -> tuple[list[tuple[str, int, tuple[str, ...] | None, int]], int, list[tuple[str, ...]]]:
        """`([(id, score, matched key words, ordinal)], total, prefixes)`: score 3 when the query covers a
        whole name (every word of one name matched in order, up to inflection; exact names first),
        2 when a name starts with it, 1 when all its words occur in the entity's names."""
        prefixes = query_prefixes(q)
        if not prefixes:
            raise ValueError("empty search query: it has no letters or digits")
        exact = {fold(q), ascii_key(q)}
        word_lists = [self._lists(self.anywhere, alts) for alts in prefixes]
        sizes = [sum(map(len, lists)) for lists in word_lists]
        order = sorted(range(len(prefixes)), key=sizes.__getitem__)
        rarest = word_lists[order[0]]
        labels = self.labels
        matched: set[int] | None = None  # None: every candidate drawn from `rarest` matches
        if len(prefixes) > 1 or label is not None or len(rarest) > 1:
            matched = set().union(*rarest)
            for i in order[1:]:
                if not matched:
                    break
                if sizes[i] <= 4 * len(matched) + 1000:  # a set of it costs little: intersect in C
                    matched &= set().union(*word_lists[i])
                else:  # a common word: test the few candidates' own keys instead of hashing its postings
                    alts = prefixes[i]
                    matched = {o for o in matched if any(w.startswith(alts) for k in self.keys[o] for w in k)}
            if label is not None:
                matched = {o for o in matched if labels[o] == label}
        total = len(matched) if matched is not None else sizes[order[0]]
        need = offset + limit
        hits: list[tuple[int, int, tuple[str, ...] | None]] = []
        seen: set[int] = set()
        tier_of: dict[int, tuple[int, bool, tuple[str, ...] | None]] = {}

        def tier(o: int) -> tuple[int, bool, tuple[str, ...] | None]:
            t = tier_of.get(o)
            if t is None:
                t = tier_of[o] = self._tier(o, prefixes, exact)
            return t

        def take(candidates: Iterable[int], min_score: int) -> None:
            for o in candidates:
                if len(hits) >= need:
                    return
                if o in seen or (matched is not None and o not in matched):
                    continue
                score, _, words = tier(o)
                if score >= min_score:
                    seen.add(o)
                    hits.append((o, max(score, 1), words))

        # score 3: names as long as the query whose first word matches, exact ones first
        whole = self.whole.get(len(prefixes))
        if whole:
            cands = set().union(*self._lists(whole, prefixes[0]))
            if matched is not None:
                cands &= matched
            threes = [o for o in cands if tier(o)[0] == 3]
            take(sorted(threes, key=lambda o: (not tier_of[o][1], o)), 3)
        # score 2: names starting with the query; then 1: the rest, each in rank order
        take(self._ascending(self._lists(self.first, prefixes[0])), 2)
        take(sorted(matched) if matched is not None and len(matched) < 256 else self._ascending(rarest), 0)
        return [(self.ids[o], s, w, o) for o, s, w in hits[offset:need]], total, prefixes

    def highlight(self, ordinal: int, words: tuple[str, ...] | None, prefixes: list[tuple[str, ...]]
                  ) -> dict[str, Any]:
        """The name or alias that matched, and the character spans of its matched words."""
        names = self.names[ordinal]
        key = " ".join(words) if words else None
        chosen = next(((f, t) for f, t in names if key in _forms(t)), None) if key else None
        if chosen is None:  # the words matched across names: show the primary name
            chosen = names[0] if names else ("name", self.ids[ordinal])
            words = tuple(fold(chosen[1]).split())
        fld, text = chosen
        flat = [p for alts in prefixes for p in alts]
        spans = [(m.start(), m.end()) for m in _WORD_SPAN.finditer(unicodedata.normalize("NFC", text))]
        marked_spans = []
        if len(spans) == len(words):
            marked_spans = [list(spans[i]) for i, w in enumerate(words) if any(w.startswith(p) for p in flat)]
        marked, last = [], 0
        for s, e in marked_spans:
            marked += [text[last:s], "<mark>", text[s:e], "</mark>"]
            last = e
        marked.append(text[last:])
        return {"field": fld, "text": text, "spans": marked_spans, "marked": "".join(marked)}


def _forms(text: str) -> set[str]:
    folded = fold(text)
    return {folded, fold(kk_latin(folded)), ascii_key(folded)} if folded else set()


NAME_ROWS = ("MATCH (n) RETURN n.id AS id, n.name AS name, n.name_kk AS name_kk, n.name_ru AS name_ru, "
             "n.name_en AS name_en, n.aliases AS aliases, n.search_keys AS keys")


def _name_index(store: Store) -> NameIndex:
    cache = _cache(store)
    index = cache.names
    if index is not None:
        if cache.names_stale:
            cache.rebuild_names_in_background(store)
        return index
    return cache.rebuild_names(store, unless_built=True)  # the first build: the others wait for it


def search_ready(store: Store) -> bool:
    """Whether a search would be answered from a built index, maybe a stale one while its successor
    is built (no build on the request path)."""
    cache = _CACHES.get(store)
    return cache is not None and cache.names is not None


def search(store: Store, q: str, *, label: str | None = None, limit: int = 20, offset: int = 0,
           with_total: bool = False) -> list[dict[str, Any]] | tuple[list[dict[str, Any]], int]:
    """Entities by any name, alias or transliteration, inflection-aware (see `query_prefixes`),
    ranked: score (3 whole name, 2 name starts with the query, 1 all words in one name), then
    shorter names, then id. Each hit has `node`, `score` and `highlight` (the matched name/alias
    and the spans of its matched words)."""
    if label:
        _check_filters([label], None)
    index = _name_index(store)
    found, total, prefixes = index.search(q, label=label, limit=limit, offset=offset)
    nodes = nodes_by_id(store, [hit[0] for hit in found])
    hits = [{"node": nodes[i], "score": s, "highlight": index.highlight(o, words, prefixes)}
            for i, s, words, o in found if i in nodes]
    return (hits, total) if with_total else hits


# -- neighbourhoods --------------------------------------------------------------------------

def _hub_list(store: Store, node_id: str, direction: Direction, types: list[str] | None,
              window: tuple[str, str] | None) -> _HubList:
    cache = _cache(store)
    key = (node_id, direction, tuple(sorted(types or ())), window)
    with cache.lock:
        hub = cache.hubs.get(key)
        if hub is not None:
            cache.hubs.move_to_end(key)
            return hub
    where = f" WHERE {_valid_at('r')}" if window else ""
    rows = store.rows(
        f"MATCH (x:{_label(node_id)} {{id: $id}}){_arrow(direction, _rel_pattern('r', types))}(m){where} "
        "RETURN collect(DISTINCT m.id) AS ids",
        {"id": node_id, **_window_params(window)},
    )
    ids = tuple(sorted(i for i in rows[0]["ids"] if isinstance(i, str))) if rows else ()
    hub = _HubList(ids, frozenset(ids))
    with cache.lock:
        cache.hubs[key] = hub
        cache.hub_ids += len(ids)
        while cache.hub_ids > HUB_CACHE_IDS and len(cache.hubs) > 1:
            _, old = cache.hubs.popitem(last=False)
            cache.hub_ids -= len(old.ids)
    return hub


def _expand(store: Store, frontier: dict[str, int | None], direction: Direction, types: list[str] | None,
            window: tuple[str, str] | None, with_degree: bool) -> tuple[dict[str, int | None], list[_HubList]]:
    """One hop from every frontier node: small expansions from the store, hubs from the cache.
    Returns the ids reached (with their degree when asked) and the hub lists."""
    hubs = [_hub_list(store, i, direction, types, window)
            for i, d in frontier.items() if d is not None and d >= HUB_DEGREE]
    reached: dict[str, int | None] = {}
    small = [i for i, d in frontier.items() if d is None or d < HUB_DEGREE]
    where = f" WHERE {_valid_at('r')}" if window else ""
    arrow = _arrow(direction, _rel_pattern("r", types))
    for label, group in sorted(_by_label(small).items()):
        head = f"UNWIND $ids AS i MATCH (x:{label} {{id: i}}){arrow}(m){where} "
        params = {"ids": group, **_window_params(window)}
        if with_degree:
            row = store.rows(head + "WITH DISTINCT m RETURN collect(m.id) AS ids, collect(COUNT { (m)--() }) AS degrees",
                             params)[0]
            reached.update(zip(row["ids"], row["degrees"]))
        else:
            row = store.rows(head + "RETURN collect(DISTINCT m.id) AS ids", params)[0]
            reached.update(dict.fromkeys(row["ids"]))
    return reached, hubs


class _Reach:
    """The nodes within reach of a centre, as sorted parts (the small expansions, the hubs' cached
    lists) that are never copied into one set: a hub of 30k costs nothing per request."""

    def __init__(self, centre: dict[str, Any], small: set[str], hubs: list[tuple[tuple[str, ...], frozenset[str]]]):
        self.centre = centre
        self.centre_id = centre["id"]
        hubs = sorted(hubs, key=lambda h: len(h[1]), reverse=True)
        self.parts: list[Iterable[str]] = [sorted(small)] + [ids for ids, _ in hubs]
        # the biggest part as it is, the rest folded into one set of what it lacks
        self.base: frozenset[str] | set[str] = hubs[0][1] if hubs else frozenset()
        rest = set(small)
        for _, part in hubs[1:]:
            rest |= part
        self.rest = rest - self.base if self.base else rest
        self.total = len(self.base) + len(self.rest) - (self.centre_id in self.base or self.centre_id in self.rest)

    def __contains__(self, node_id: str) -> bool:
        return node_id != self.centre_id and (node_id in self.base or node_id in self.rest)

    def ids(self) -> set[str]:
        return (set(self.base) | self.rest) - {self.centre_id}

    def page(self, offset: int, limit: int) -> list[str]:
        """`sorted(ids)[offset:offset+limit]` without sorting everything: merge the sorted parts."""
        def distinct() -> Iterator[str]:
            last = None
            for i in heapq.merge(*self.parts):
                if i != last and i != self.centre_id:
                    yield i
                last = i
        return list(islice(distinct(), offset, offset + limit))


def _reach(store: Store, node_id: str, *, depth: int, labels: list[str] | None, types: list[str] | None,
           direction: Direction, window: tuple[str, str] | None) -> _Reach:
    """Breadth-first, one query per hop: a variable-length pattern enumerates paths, which through
    a hub of 30k members costs 200 ms at depth 2 and seconds at depth 3; sets of ids do not."""
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be between 1 and {MAX_DEPTH}")
    _check_filters(labels, types)
    centre, degree = _entity_with_degree(store, node_id)
    wanted = set(labels) if labels else None
    seen: set[str] = {node_id}
    small_found: set[str] = set()
    hub_lists: list[_HubList] = []
    frontier: dict[str, int | None] = {node_id: degree}
    for level in range(1, depth + 1):
        last = level == depth
        reached, hubs = _expand(store, frontier, direction, types, window, with_degree=not last)
        hub_lists += hubs
        small_found.update(reached)
        if last:
            break
        nxt = {i: d for i, d in reached.items() if i not in seen}
        for hub in hubs:
            for i in hub.ids:
                if i not in seen and i not in nxt:
                    nxt[i] = None
        seen.update(nxt)
        frontier = nxt
        if not frontier:
            break
    small = {i for i in small_found if isinstance(i, str) and _has_label(i, wanted)}
    return _Reach(centre, small, [part for hub in hub_lists for part in hub.for_labels(wanted)])


def neighbours(
    store: Store,
    node_id: str,
    *,
    depth: int = 1,
    labels: list[str] | None = None,
    types: list[str] | None = None,
    direction: Direction = "both",
    limit: int = 100,
    offset: int = 0,
    as_of: str | None = None,
) -> dict[str, Any]:
    """Nodes within `depth` hops (paged, ordered by id) and the relationships among them and the centre.

    `labels` filters the nodes returned (not the ones passed through); `types`, `direction` and
    `as_of` (see `validity_window`) filter every relationship on the way."""
    window = validity_window(as_of)
    reach = _reach(store, node_id, depth=depth, labels=labels, types=types, direction=direction, window=window)
    page = reach.page(offset, limit)
    found = nodes_by_id(store, page)
    nodes = [found[i] for i in page if i in found]
    ids = [node_id] + [n["id"] for n in nodes]
    total = reach.total
    return {
        "centre": reach.centre,
        "nodes": nodes,
        "relationships": relationships_among(store, ids, types, as_of=as_of),
        "total": total,
        "omitted": max(0, total - offset - len(nodes)),
    }


def relationships_among(store: Store, ids: list[str], types: list[str] | None = None, *,
                        as_of: str | None = None) -> list[dict[str, Any]]:
    """Every relationship whose two ends are both in `ids` (the induced subgraph's edges)."""
    _check_filters(None, types)
    window = validity_window(as_of)
    where = f" AND {_valid_at('r')}" if window else ""
    wanted = sorted(set(ids))
    out = []
    for label, group in sorted(_by_label(wanted).items()):
        rows = store.rows(
            f"UNWIND $group AS i MATCH (a:{label} {{id: i}})-[{_rel_pattern('r', types)}]->(b) "
            f"WHERE b.id IN $ids{where} RETURN a.id AS src, type(r) AS type, b.id AS dst, r AS rel",
            {"group": group, "ids": wanted, **_window_params(window)},
        )
        out += [{"type": r["type"], "start": r["src"], "end": r["dst"], "properties": r["rel"]["properties"]}
                for r in rows]
    out.sort(key=lambda r: (r["start"], r["type"], r["end"], str(r["properties"].get("span_start", ""))))
    return out


def subgraph(store: Store, ids: list[str], *, types: list[str] | None = None, as_of: str | None = None) -> dict[str, Any]:
    found = nodes_by_id(store, ids)
    nodes = [found[i] for i in sorted(found)]
    return {"nodes": nodes, "relationships": relationships_among(store, list(found), types, as_of=as_of)}


def common_neighbours(store: Store, a: str, b: str, *, labels: list[str] | None = None,
                      types: list[str] | None = None, as_of: str | None = None,
                      limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """Nodes linked to both `a` and `b` (either direction), paged by id, with the relationships
    that link them to `a` and `b`."""
    if a == b:
        raise ValueError("a and b are the same entity")
    window = validity_window(as_of)
    ra = _reach(store, a, depth=1, labels=labels, types=types, direction="both", window=window)
    rb = _reach(store, b, depth=1, labels=labels, types=types, direction="both", window=window)
    small, big = sorted((ra, rb), key=lambda r: r.total)
    common = {i for i in small.ids() if i in big} - {a, b}
    ordered = sorted(common)
    page = ordered[offset:offset + limit]
    found = nodes_by_id(store, page)
    nodes = [found[i] for i in page if i in found]
    ids = [a, b] + [n["id"] for n in nodes]
    rels = [r for r in relationships_among(store, ids, types, as_of=as_of)
            if {r["start"], r["end"]} & {a, b} and not {r["start"], r["end"]} == {a, b}]
    return {"a": ra.centre, "b": rb.centre, "nodes": nodes, "relationships": rels, "total": len(common),
            "omitted": max(0, len(common) - offset - len(nodes))}


# -- paths -----------------------------------------------------------------------------------

def shortest_path(store: Store, source: str, target: str, *, max_length: int = 4) -> dict[str, Any] | None:
    if not 1 <= max_length <= MAX_PATH_LENGTH:
        raise ValueError(f"max_length must be between 1 and {MAX_PATH_LENGTH}")
    entity(store, source), entity(store, target)
    if source == target:
        raise ValueError("from and to are the same entity")
    rows = store.rows(
        f"MATCH (a:{_label(source)} {{id: $a}}), (b:{_label(target)} {{id: $b}}) "
        f"MATCH p = shortestPath((a)-[*..{max_length}]-(b)) RETURN p",
        {"a": source, "b": target},
    )
    return rows[0]["p"] if rows else None


def all_paths(store: Store, source: str, target: str, *, max_length: int = 3, limit: int = 20) -> list[dict[str, Any]]:
    """Simple paths (no node twice) between two entities, shortest first, at most `limit`:
    one query per length, so the shortest are found without enumerating the longer ones."""
    if not 1 <= max_length <= MAX_PATH_LENGTH:
        raise ValueError(f"max_length must be between 1 and {MAX_PATH_LENGTH}")
    if not 1 <= limit <= MAX_ALL_PATHS:
        raise ValueError(f"limit must be between 1 and {MAX_ALL_PATHS}")
    entity(store, source), entity(store, target)
    if source == target:
        raise ValueError("from and to are the same entity")
    found: list[dict[str, Any]] = []
    seen: set[tuple] = set()
    for length in range(1, max_length + 1):
        rows = store.rows(
            f"MATCH (a:{_label(source)} {{id: $a}}), (b:{_label(target)} {{id: $b}}) "
            f"MATCH p = (a)-[*{length}]-(b) RETURN p LIMIT $n",
            {"a": source, "b": target, "n": 4 * (limit - len(found))},
        )
        for r in rows:
            path = r["p"]
            node_ids = [n["id"] for n in path["nodes"]]
            key = tuple(node_ids) + tuple((x["type"], x["start"], x["end"]) for x in path["relationships"])
            if len(set(node_ids)) == len(node_ids) and key not in seen:
                seen.add(key)
                found.append(path)
                if len(found) >= limit:
                    return found
    return found


# -- provenance ------------------------------------------------------------------------------

def stats(store: Store) -> dict[str, Any]:
    labels = store.rows("MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS count ORDER BY label")
    rels = store.rows("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count ORDER BY type")
    return {
        "nodes": {r["label"]: r["count"] for r in labels},
        "relationships": {r["type"]: r["count"] for r in rels},
    }


def _decode_sources(values: Iterable[Any] | None) -> list[dict[str, Any]]:
    return [Source.decode(s).model_dump(exclude_none=True) for s in values or []]


def provenance(store: Store, node_id: str) -> dict[str, Any]:
    """Where an entity came from: its sources and every mention with its quote."""
    node = entity(store, node_id)
    mentions = store.rows(
        f"MATCH (d:Document)-[m:MENTIONS]->(n:{_label(node_id)} {{id: $id}}) "
        "RETURN d.id AS doc, d.name AS document, m.span_start AS start, m.span_end AS end, "
        "m.raw_start AS raw_start, m.raw_end AS raw_end, "
        "m.quote AS quote, m.method AS method ORDER BY doc, start",
        {"id": node_id},
    )
    return {
        "id": node_id,
        "sources": _decode_sources(node["properties"].get("sources")),
        "mentions": mentions,
    }


def relationship_provenance(store: Store, start: str, end: str, rel_type: str | None = None) -> dict[str, Any]:
    """The relationships from `start` to `end` (of one type, or all), each with its sources
    (document, span, quote) and, for a mention, its own span and quote."""
    if rel_type:
        _check_filters(None, [rel_type])
    entity(store, start), entity(store, end)
    rows = store.rows(
        f"MATCH (a:{_label(start)} {{id: $a}})-[{_rel_pattern('r', [rel_type] if rel_type else None)}]->"
        f"(b:{_label(end)} {{id: $b}}) RETURN type(r) AS type, r AS rel",
        {"a": start, "b": end},
    )
    if not rows:
        raise NotFound(f"no {rel_type or 'relationship'} from {start!r} to {end!r}")
    rels = []
    for r in sorted(rows, key=lambda r: (r["type"], str(r["rel"]["properties"].get("span_start", "")))):
        props = dict(r["rel"]["properties"])
        sources = _decode_sources(props.pop("sources", None))
        rels.append({"type": r["type"], "start": start, "end": end, "properties": props, "sources": sources})
    docs = sorted({s["doc"] for rel in rels for s in rel["sources"] if s.get("doc")} |
                  {rel["start"] for rel in rels if rel["type"] == "MENTIONS"})
    names = {i: n["properties"].get("name") for i, n in nodes_by_id(store, docs).items()}
    return {"start": start, "end": end, "relationships": rels,
            "documents": [{"id": d, "name": names.get(d)} for d in docs]}


def document_facts(store: Store, doc_id: str, *, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """Everything extracted from one document: the nodes and relationships whose sources cite it
    (with those sources: spans and quotes) and its mentions; each list paged by `limit`/`offset`
    with its own total."""
    doc = entity(store, doc_id)
    if "Document" not in doc["labels"]:
        raise ValueError(f"{doc_id} is not a document")
    p = {"prefix": doc_source_prefix(doc_id), "doc": doc_id, "offset": offset, "limit": limit}
    cites = "any(s IN coalesce({v}.sources, []) WHERE s STARTS WITH $prefix)"
    node_ids = [r["id"] for r in store.rows(f"MATCH (n) WHERE {cites.format(v='n')} RETURN n.id AS id ORDER BY id", p)]
    page_ids = node_ids[offset:offset + limit]
    found = nodes_by_id(store, page_ids)
    nodes = []
    for i in page_ids:
        if i in found:
            own = [s for s in _decode_sources(found[i]["properties"].get("sources")) if s.get("doc") == doc_id]
            nodes.append({"node": found[i], "sources": own})
    rel_match = f"MATCH (a)-[r]->(b) WHERE {cites.format(v='r')} "
    rel_total = store.rows(rel_match + "RETURN count(r) AS c", p)[0]["c"]
    rel_rows = store.rows(rel_match + "RETURN a.id AS src, type(r) AS type, b.id AS dst, r AS rel "
                          "ORDER BY src, type, dst SKIP $offset LIMIT $limit", p)
    rels = []
    for r in rel_rows:
        props = dict(r["rel"]["properties"])
        sources = [s for s in _decode_sources(props.pop("sources", None)) if s.get("doc") == doc_id]
        rels.append({"type": r["type"], "start": r["src"], "end": r["dst"], "properties": props, "sources": sources})
    mention_match = "MATCH (d:Document {id: $doc})-[m:MENTIONS]->(n) "
    mention_total = store.rows(mention_match + "RETURN count(m) AS c", p)[0]["c"]
    mentions = store.rows(
        mention_match + "RETURN n.id AS id, n.name AS name, m.span_start AS start, m.span_end AS end, "
        "m.raw_start AS raw_start, m.raw_end AS raw_end, m.quote AS quote, m.method AS method "
        "ORDER BY start, id SKIP $offset LIMIT $limit", p)
    return {
        "document": doc,
        "nodes": {"total": len(node_ids), "items": nodes},
        "relationships": {"total": rel_total, "items": rels},
        "mentions": {"total": mention_total, "items": mentions},
    }


# -- analytics selections --------------------------------------------------------------------

def selection(store: Store, *, ids: list[str] | None = None, labels: list[str] | None = None,
              types: list[str] | None = None, limit: int = 2000, as_of: str | None = None) -> dict[str, Any]:
    """A subgraph to analyse: the one induced by `ids`, or by the nodes of `labels` (first `limit`
    by id); relationships restricted to `types` when given. `truncated` says whether `limit` cut it."""
    _check_filters(labels, types)
    if ids:
        chosen = sorted(set(ids))[:limit]
        truncated = len(set(ids)) > limit
    elif labels:
        chosen, truncated = [], False
        for label in sorted(set(labels)):
            room = limit - len(chosen)
            rows = store.rows(f"MATCH (n:{label}) RETURN n.id AS id ORDER BY id LIMIT $n", {"n": room + 1})
            chosen += [r["id"] for r in rows[:room]]
            truncated = truncated or len(rows) > room
    else:
        raise ValueError("give ids or labels to choose the subgraph")
    found = nodes_by_id(store, chosen)
    nodes = [found[i] for i in sorted(found)]
    return {"nodes": nodes, "relationships": relationships_among(store, list(found), types, as_of=as_of),
            "truncated": truncated}


PROGRAMME_MEASURES = """
MATCH (p:Programme {id: $id})<-[:PART_OF]-(m:Measure)
OPTIONAL MATCH (b)-[r:RESPONSIBLE_FOR]->(m)
WITH p, m, collect(CASE WHEN b IS NULL THEN NULL ELSE {id: b.id, name: b.name, labels: labels(b), lead: coalesce(r.lead, false)} END) AS bodies
RETURN m AS measure, bodies ORDER BY m.number
"""


def programme_measures(store: Store, programme_id: str) -> dict[str, Any]:
    """A programme's measures in order, each with its responsible bodies (lead first) and funding per
    year; with totals per year, so a reader can check them against the programme's stated budget."""
    programme = entity(store, programme_id)
    if "Programme" not in programme["labels"]:
        raise ValueError(f"{programme_id} is not a programme")
    measures, totals = [], {}
    for row in store.rows(PROGRAMME_MEASURES, {"id": programme_id}):
        props = row["measure"]["properties"]
        funding = dict(zip(props.get("funding_years") or [], props.get("funding_amounts") or []))
        for year, amount in funding.items():
            totals[year] = round(totals.get(year, 0.0) + amount, 6)
        bodies = sorted((b for b in row["bodies"] if b), key=lambda b: (not b["lead"], b["id"]))
        measures.append({"measure": row["measure"], "bodies": bodies, "funding": funding})
    return {"programme": programme, "measures": measures, "totals": dict(sorted(totals.items()))}


OBSERVATIONS = """
MATCH (o:Observation)
WHERE ($metric IS NULL OR o.metric = $metric)
  AND ($from IS NULL OR coalesce(o.date, o.period_end, o.period_start) >= $from)
  AND ($to IS NULL OR coalesce(o.date, o.period_start, o.period_end) <= $to)
OPTIONAL MATCH (o)-[:ABOUT]->(s)
OPTIONAL MATCH (o)-[:IN]->(r:Region)
WITH o, s, r
WHERE ($subject IS NULL OR s.id = $subject) AND ($region IS NULL OR r.id = $region)
RETURN o, s.id AS subject, s.name AS subject_name, r.id AS region
ORDER BY o.metric, subject, coalesce(o.date, o.period_end, o.period_start)
"""


def observations(store: Store, *, metric: str | None = None, subject: str | None = None, region: str | None = None,
                 date_from: str | None = None, date_to: str | None = None) -> list[dict[str, Any]]:
    """Observations as time series: one per (metric, subject, region), points in date order.
    `date_from`/`date_to` are ISO dates or a year / year-month, inclusive (`to=2007` takes all of 2007)."""
    date_from = validity_window(date_from)[0] if date_from else None
    date_to = validity_window(date_to)[1] if date_to else None
    rows = store.rows(OBSERVATIONS, {"metric": metric, "subject": subject, "region": region,
                                     "from": date_from, "to": date_to})
    series: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        o = r["o"]["properties"]
        key = (o["metric"], r["subject"], r["region"])
        s = series.setdefault(key, {"metric": o["metric"], "subject": r["subject"], "subject_name": r["subject_name"],
                                    "region": r["region"], "points": []})
        s["points"].append({"id": o["id"], "date": o.get("date"), "period_start": o.get("period_start"),
                            "period_end": o.get("period_end"), "value": o["value"], "unit": o.get("unit"),
                            "qualifier": o.get("qualifier")})
    return list(series.values())


def observation_metrics(store: Store) -> list[dict[str, Any]]:
    """The metrics observed, with how many observations and the date range of each."""
    rows = store.rows(
        "MATCH (o:Observation) WITH o.metric AS metric, coalesce(o.date, o.period_start, o.period_end) AS d "
        "RETURN metric, count(*) AS observations, min(d) AS first, max(d) AS last ORDER BY metric"
    )
    return [{"metric": r["metric"], "observations": r["observations"], "first": r["first"], "last": r["last"]}
            for r in rows]


BODY_MEASURES = """
MATCH (b:{label} {{id: $id}})-[r:RESPONSIBLE_FOR]->(m:Measure)
OPTIONAL MATCH (m)-[:PART_OF]->(p:Programme)
OPTIONAL MATCH (o)-[:RESPONSIBLE_FOR]->(m)
WITH m, p, r, count(DISTINCT o) AS bodies
RETURN m AS measure, p.id AS programme, p.name AS programme_name, coalesce(r.lead, false) AS lead, bodies
ORDER BY programme, m.number, m.id
"""


def body_measures(store: Store, body_id: str) -> dict[str, Any]:
    """Every measure a body is responsible for, across programmes, with its funding share.

    The rule: programme documents give one funding figure per measure and year, not per body,
    so a measure's funding is split equally among all its responsible bodies (lead or not):
    `share = amount / bodies`. Summed over every body of a measure the shares give back the
    measure's funding, so the shares of all bodies add up to `programme_measures`' totals.
    Totals are given per year, per programme and per (programme, year)."""
    body = entity(store, body_id)
    label = _label(body_id)
    if label not in BODY_LABELS:
        raise ValueError(f"{body_id} is a {label}: only {', '.join(BODY_LABELS)} are responsible for measures")
    measures = []
    totals: dict[int, float] = {}
    share_totals: dict[int, float] = {}
    by_programme: dict[str | None, dict[str, Any]] = {}
    for row in store.rows(BODY_MEASURES.format(label=label), {"id": body_id}):
        props = row["measure"]["properties"]
        funding = dict(zip(props.get("funding_years") or [], props.get("funding_amounts") or []))
        n = max(1, row["bodies"])
        share = {year: round(amount / n, 6) for year, amount in funding.items()}
        for year, amount in funding.items():
            totals[year] = round(totals.get(year, 0.0) + amount, 6)
            share_totals[year] = round(share_totals.get(year, 0.0) + amount / n, 6)
        prog = by_programme.setdefault(row["programme"], {"programme": row["programme"], "name": row["programme_name"],
                                                          "measures": 0, "funding": {}, "share": {}})
        prog["measures"] += 1
        for year, amount in funding.items():
            prog["funding"][year] = round(prog["funding"].get(year, 0.0) + amount, 6)
            prog["share"][year] = round(prog["share"].get(year, 0.0) + amount / n, 6)
        measures.append({"measure": row["measure"], "programme": row["programme"],
                         "programme_name": row["programme_name"], "lead": row["lead"], "bodies": row["bodies"],
                         "funding": funding, "share": share, "funding_unit": props.get("funding_unit")})
    return {
        "body": body,
        "measures": measures,
        "programmes": list(by_programme.values()),
        "totals": {"funding": dict(sorted(totals.items())), "share": dict(sorted(share_totals.items())),
                   "funding_all_years": round(sum(totals.values()), 6),
                   "share_all_years": round(sum(share_totals.values()), 6)},
        "rule": "a measure's funding is split equally among its responsible bodies: share = amount / bodies",
    }
