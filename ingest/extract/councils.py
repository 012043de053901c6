"""Consultative bodies (councils, commissions, collegia, working groups) and the bodies they are
attached to.

    Kazakh   X жанындағы [topic] кеңес(і) / комиссия(сы)       X: the body, in the genitive
             X жанынан [2000 жылы құрылған] [topic] кеңес     "set up at X [in 2000]"
    Russian  Совет / Комиссия [topic] при X                    X: the body, in the prepositional

X may be several bodies (`Үкіметінің және облыстардың, Астана және Алматы қалаларының
әкімдіктері жанынан`): each gets a council. A council named in the reference data (a gazetteer
hit over the name, or a reference council attached to the same body with the same topic) is
that node (`ref`); otherwise it is a new Council finding. `ATTACHED_TO` links each council to
its body.

A collective body (`облыстардың, Астана және Алматы қалаларының әкімдіктері`, `акиматы областей,
городов Астаны и Алматы`) is every regional akimat that existed at the document's date plus
the akimats of the cities it names; its councils are one collective Council (`... кеңестер`)
ATTACHED_TO each of those akimats.
"""
from __future__ import annotations

import re

from ingest.extract.acts import (UPPER, _capital, _collapse, clause_start, find_acts, reference_index,
                                 resolve_body)
from ingest.extract.base import DocText, Finding, Found, Link
from kb.morph import match_key
from kb.text import slugify

__all__ = ["extract_councils", "akimats_of"]

_KK_ANCHOR = re.compile(r"(?<![\w-])жаны(?:ндағы|нан|нда)(?![\w])", re.IGNORECASE)
_RU_ANCHOR = re.compile(rf"(?<![\w-])[Пп]ри\s+(?=[{UPPER}]|акимат)")
_KK_HEAD = re.compile(
    r"(?<![\w-])(?P<h>кеңес(?:і\w*|тің|ке|те|тен|пен|тер\w*)?|комиссия(?:сы\w*|ның|ға|да|дан|мен|ны|лар\w*)?|"
    r"алқа(?:сы\w*|ның|ға|да|дан|мен|ны|лар\w*)?|жұмыс\s+тоб(?:ы\w*)|штаб(?:ы\w*)?)(?![\w])", re.IGNORECASE)
_RU_HEAD = re.compile(r"(?<![\w-])(?P<h>совет\w*|комисси\w*|коллеги(?:я|и|ей|ю)|рабоч\w+\s+групп\w*|штаб\w*)(?![\w])",
                      re.IGNORECASE)
_KK_NOMINATIVE = [("кеңес", "кеңес", "кеңестер"), ("комиссия", "комиссия", "комиссиялар"), ("алқа", "алқа", "алқалар"),
                  ("жұмыс", "жұмыс тобы", "жұмыс топтары"), ("штаб", "штаб", "штабтар")]
_COLLECTIVE_KK = re.compile(
    r"(?P<all>облыстард\w*|облыс)(?:[\s,]+(?:[\w-]+[\s,]+)*?(?:және\s+)?[\w-]+\s+қалаларының)?\s+әкімдіктер\w*",
    re.IGNORECASE)
_COLLECTIVE_RU = re.compile(r"акимат\w*\s+(?P<all>областей)(?:[\s,]+город\w*(?:[\s,]+(?:и\s+)?[\w-]+)+)?", re.IGNORECASE)
_FOUNDED = re.compile(r"(?P<y>\d{4})\s*(?:жылы|году|г\.)\s+(?:құрылған|созданн\w+|образованн\w+)", re.IGNORECASE)
# words that end a council's name before its head: locatives, participles
_NOT_TOPIC = re.compile(r"(?:нда|нде|ында|інде|ған|ген|қан|кен|атын|етін|йтын|йтін)$", re.IGNORECASE)
_CONJ = re.compile(r"^[\s,]*(?:және|мен|бен|пен|и|,)?[\s,]*$")


# ------------------------------------------------------------------------- collective bodies

def _doc_year(doc: DocText) -> int | None:
    if doc.date:
        return int(doc.date[:4])
    own = next((a for a in find_acts(doc) if a.own and a.date), None)
    return int(own.date[:4]) if own else None


def akimats_of(regions: set[str], all_regions: bool, year: int | None) -> list[str]:
    """Akimat ids: every regional akimat existing in `year` (when `all_regions`) and the akimats
    of the `regions` given (city or region ids), from the reference data."""
    idx = reference_index()
    by_region = {r["end"]: r["start"] for r in idx.relations
                 if r.get("type") == "LOCATED_IN" and idx.nodes.get(r["start"], {}).get("kind") == "akimat"}
    out = []
    for region_id, akimat_id in by_region.items():
        region = idx.nodes.get(region_id, {})
        akimat = idx.nodes.get(akimat_id, {})
        founded = akimat.get("founded") or region.get("founded")
        if year and founded and str(founded)[:4].isdigit() and int(str(founded)[:4]) > year:
            continue
        if region_id in regions or (all_regions and region.get("kind") == "region"):
            out.append(akimat_id)
    order = list(idx.nodes)
    return sorted(set(out), key=order.index)


def _cities(doc: DocText, start: int, end: int) -> set[str]:
    """Region ids named in text[start:end]: gazetteer hits, and single words the reference knows
    (`Астаны` is not a hit: the gazetteer only inflects Kazakh-style endings)."""
    ids = {m.node_id for m in doc.matches if start <= m.start and m.end <= end and m.node_id.startswith("region:")}
    for w in re.finditer(r"[\w-]+", doc.text[start:end]):
        rid = resolve_body(w.group(), ("region",))
        if rid:
            ids.add(rid)
    return ids


def _collective(doc: DocText, start: int, end: int, year: int | None) -> tuple[int, list[str]] | None:
    """A collective akimats phrase ending at `end` (searched back to `start`): its start and ids."""
    text = doc.text
    best = None
    for rx in (_COLLECTIVE_KK, _COLLECTIVE_RU):
        for m in rx.finditer(text, start, end):
            if text[m.end():end].strip(" \t\n,") == "" and (best is None or m.start() < best.start()):
                best = m
    if best is None:
        return None
    ids = akimats_of(_cities(doc, best.start(), best.end()), True, year)
    return (best.start(), ids) if ids else None


# -------------------------------------------------------------------------------- councils

def _kk_head_nominative(head: str, plural: bool) -> str:
    low = head.lower()
    for stem, sing, pl in _KK_NOMINATIVE:
        if low.startswith(stem):
            return pl if plural else sing
    return head


def _reference_council(body_id: str, topic: str) -> str | None:
    """A reference council attached to `body_id` whose name has this topic."""
    idx = reference_index()
    attached = {r["start"] for r in idx.relations if r.get("type") == "ATTACHED_TO" and r.get("end") == body_id}
    key = set(match_key(topic).split())
    for cid in attached:
        node = idx.nodes.get(cid, {})
        names = [node.get(k) for k in ("name_kk", "name_ru")] + list(node.get("aliases") or [])
        for name in names:
            if not name:
                continue
            part = re.split(r"\bжанындағы\b|\bжанынан\b", name)[-1] if "жаны" in name else re.split(r"\bпри\b", name)[0]
            other = set(match_key(part).split())
            if other and len(key & other) / len(key | other) >= 0.7:
                return cid
    return None


def _chain(doc: DocText, anchor: int, lo: int, year: int | None) -> list[tuple[int, int, list[str], bool]]:
    """The bodies right before a Kazakh anchor: (start, end, ids, collective), nearest last."""
    text = doc.text
    bodies = [m for m in doc.matches if m.node_id.startswith("statebody:")]
    out = []
    pos = anchor
    while pos > lo:
        while pos > lo and text[pos - 1].isspace():
            pos -= 1
        coll = _collective(doc, max(lo, pos - 200), pos, year)
        hit = max((m for m in bodies if m.end == pos and m.start >= lo), key=lambda m: m.end - m.start, default=None)
        if coll and (hit is None or coll[0] < hit.start):
            out.insert(0, (coll[0], pos, coll[1], True))
            pos = coll[0]
        elif hit:
            out.insert(0, (hit.start, hit.end, [hit.node_id], False))
            pos = hit.start
        else:
            break
        m = re.search(r"(?:[\s,]*(?:және|мен|бен|пен|,)[\s,]*|\s*)$", text[max(lo, pos - 12):pos])
        if not m or not m.group().strip(" \t\n"):
            break
        pos -= len(m.group())
    return out


def _kk_councils(doc: DocText, year: int | None, found: Found) -> None:
    text = doc.text
    council_hits = [m for m in doc.matches if m.node_id.startswith("council:")]
    for a in _KK_ANCHOR.finditer(text):
        hit = next((m for m in council_hits if m.start <= a.start() and a.end() <= m.end), None)
        if hit:
            body = resolve_body(text[hit.start:a.start()])
            found.findings.append(Finding("Council", _collapse(hit.text), hit.start, hit.end, hit.node_id,
                                          ref=hit.node_id, method="gazetteer", confidence=0.9))
            if body:
                found.links.append(Link("ATTACHED_TO", hit.node_id, body, doc.sentence(hit.start, hit.end), confidence=0.9))
            continue
        head = None
        for h in _KK_HEAD.finditer(text, a.end(), min(len(text), a.end() + 250)):
            between = text[a.end():h.start()]
            if re.search(r"[.;:!?()]|\n\s*\n", between) or len(between.split()) > 14:
                break
            if h.start() > 0 and text[h.start() - 1] == "-":
                continue
            if any(_NOT_TOPIC.search(w) for w in _FOUNDED.sub(" ", between).split()):
                break  # `жанындағы академияда өткен кеңесте`: the council noun is not this name's head
            head = h
            break
        if head is None:
            continue
        lo = clause_start(text, a.start(), 400)
        chain = _chain(doc, a.start(), lo, year)
        if not chain:
            # a body the reference data does not know (`Облыс әкімдігі жанындағы ...`): the council, unattached
            m = re.search(r"((?:[\w-]+\s+){0,4}?(?:министрлі|агентті|комитет|басқарма|департамент|әкімді|"
                          r"мәслихат|орталы|институт|университет)\w*)\s*$", text[max(lo, a.start() - 120):a.start()],
                          re.IGNORECASE)
            if not m:
                continue
            chain = [(a.start() - len(m.group(0)), a.start() - (len(m.group(0)) - len(m.group(1))), [], False)]
        topic = text[a.end():head.start()]
        founded = _FOUNDED.search(topic)
        if founded:
            topic = topic[:founded.start()] + topic[founded.end():]
        topic = _collapse(topic)
        span = (chain[0][0], head.end())
        evidence = doc.sentence(*span)
        for start, end, ids, collective in chain:
            plural = collective or bool(re.search(r"тер|лар", head.group()[4:], re.IGNORECASE))
            name = _capital(_collapse(f"{text[start:end]} жанындағы {topic} {_kk_head_nominative(head.group(), plural)}"))
            ref = _reference_council(ids[0], topic + " " + _kk_head_nominative(head.group(), False)) if ids and not collective else None
            props = {"founded": founded.group("y")} if founded else {}
            if collective:
                props["collective"] = True
            key = ref or "council:new:" + slugify(match_key(name), 80)
            found.findings.append(Finding("Council", name, start, head.end(), key, props=props, ref=ref,
                                          confidence=0.8 if ref or not collective else 0.7))
            for body in ids:
                found.links.append(Link("ATTACHED_TO", key, body, evidence, confidence=0.8 if not collective else 0.7))
                if collective:   # the phrase names each of these akimats
                    found.findings.append(Finding("StateBody", _collapse(text[start:end]), start, end, body, ref=body,
                                                  confidence=0.7))


def _ru_councils(doc: DocText, year: int | None, found: Found) -> None:
    text = doc.text
    council_hits = [m for m in doc.matches if m.node_id.startswith("council:")]
    bodies = [m for m in doc.matches if m.node_id.startswith("statebody:")]
    for a in _RU_ANCHOR.finditer(text):
        hit = next((m for m in council_hits if m.start <= a.start() and a.end() <= m.end), None)
        # the body after `при`
        pos = a.end()
        body_ids: list[str] = []
        body_end = pos
        coll = None
        m_coll = _COLLECTIVE_RU.match(text, pos)
        if m_coll:
            body_ids, body_end, coll = akimats_of(_cities(doc, m_coll.start(), m_coll.end()), True, year), m_coll.end(), True
        else:
            b = max((m for m in bodies if m.start == pos), key=lambda m: m.end, default=None)
            if b:
                body_ids, body_end = [b.node_id], b.end
            else:
                words = list(re.finditer(r"[\w-]+", text[pos:pos + 160]))[:8]
                for k in range(len(words), 0, -1):
                    cand = text[pos:pos + words[k - 1].end()]
                    bid = resolve_body(cand)
                    if bid:
                        body_ids, body_end = [bid], pos + words[k - 1].end()
                        break
        if hit:
            found.findings.append(Finding("Council", _collapse(hit.text), hit.start, hit.end, hit.node_id,
                                          ref=hit.node_id, method="gazetteer", confidence=0.9))
            for bid in body_ids:
                found.links.append(Link("ATTACHED_TO", hit.node_id, bid, doc.sentence(hit.start, hit.end)))
            continue
        if not body_ids:
            continue
        lo = clause_start(text, a.start(), 300)
        from kb.morph import _analyzer

        heads = [h for h in _RU_HEAD.finditer(text, lo, a.start())
                 if len(text[h.end():a.start()].split()) <= 12 and not re.search(r"[.;:()]", text[h.end():a.start()])]
        after = False
        if not heads:
            # `При Министерстве ... создана Межведомственная комиссия по вопросам религий`
            heads = [h for h in _RU_HEAD.finditer(text, body_end, min(len(text), body_end + 60))
                     if not re.search(r"[.;:()]", text[body_end:h.start()])][:1]
            after = True
        if not heads:
            continue
        head = heads[-1]
        p = _analyzer().parse(head.group("h").split()[0])[0]
        plural = bool(coll) or "plur" in str(p.tag)
        f = p.inflect({"nomn", "plur" if plural else "sing"}) or p.inflect({"nomn"})
        nom = f.word if f else head.group("h")
        start = head.start()
        adj = re.search(r"([\w-]+)\s+$", text[max(lo, start - 30):start])
        if adj and _analyzer().parse(adj.group(1))[0].tag.POS == "ADJF" and adj.group(1)[:1].isupper():
            start -= len(adj.group(0))
        if after:
            tail = re.match(r"[^.;:()\n]{0,120}", text[head.end():])
            topic = _collapse(tail.group()) if tail else ""
            body_text = _collapse(text[a.end():body_end])
            name = _capital(_collapse(f"{text[start:head.start()]} {nom} {topic} при {body_text}"))
            span_start, span_end = start, head.end() + (len(tail.group()) if tail else 0)
        else:
            topic = _collapse(text[head.end():a.start()])
            body_text = _collapse(text[a.end():body_end])
            name = _capital(_collapse(f"{text[start:head.start()]} {nom} {topic} при {body_text}"))
            span_start, span_end = start, body_end
        ref = None if coll else _reference_council(body_ids[0], f"{nom} {topic}")
        key = ref or "council:new:" + slugify(match_key(name), 80)
        props = {"collective": True} if coll else {}
        found.findings.append(Finding("Council", name, span_start, span_end, key, props=props, ref=ref))
        for bid in body_ids:
            found.links.append(Link("ATTACHED_TO", key, bid, doc.sentence(min(span_start, a.start()), max(span_end, body_end))))
            if coll:
                found.findings.append(Finding("StateBody", _collapse(text[a.end():body_end]), a.end(), body_end, bid,
                                              ref=bid, confidence=0.7))


def extract_councils(doc: DocText) -> Found:
    """Council findings (new ones, or `ref` to a reference council; props: founded, collective),
    ATTACHED_TO links to the bodies they work under, and StateBody `ref` findings for each akimat
    a collective phrase names."""
    found = Found()
    year = _doc_year(doc)
    _kk_councils(doc, year, found)
    _ru_councils(doc, year, found)
    return found
