"""Precision and recall of extraction against hand-made expectations (tests/data/gold/*.yaml).

Per stage: matching (known names found by the gazetteer), extraction and resolution (entities
per label, relationships per type, the action plan's measures, observations). A gold entity
with an `id` must come out with that id; one with a `name` matches an extracted node of the
same label whose name has the same match key, or contains / is contained in it, or (legal
acts, programmes) the same number / period.
"""
from __future__ import annotations

import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ingest.documents import document_node, gazetteer_from
from ingest.extract.run import extract_all
from ingest.load import Extraction
from kb.morph import match_key
from ingest.pipeline import ingest
from ingest.prepare import prepare
from ingest.reference import reference_files
from ingest.resolve import resolve
from kb.schema import Entity, label_of
from kb.store.embedded import EmbeddedStore
from kb.text import fold


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    true_positive: int = 0          # gold items found
    correct: int = 0                # predicted items that match some gold item
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.true_positive / self.gold if self.gold else None

    def add(self, other: "Score") -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.true_positive += other.true_positive
        self.correct += other.correct
        self.missed += other.missed
        self.spurious += other.spurious


def _same(gold: dict, node: Entity, *, strict: bool = False) -> bool:
    """Whether an extracted node is the gold entity: by id, else by name (strict: the same match key;
    otherwise also one name containing the other), number (acts) or period (programmes)."""
    if gold.get("id"):
        return gold["id"] == node.id
    gname = gold.get("name") or ""
    if gold["label"] == "LegalAct" and gold.get("number") and getattr(node, "number", None):
        return fold(str(gold["number"])) == fold(str(node.number))
    if gold["label"] == "Programme" and gold.get("period_start") and getattr(node, "period_start", None):
        if (gold["period_start"], gold.get("period_end")) != (node.period_start, node.period_end):
            return False
    gkey, gfold = match_key(gname), fold(gname)
    for name in node.all_names():
        if match_key(name) == gkey:
            return True
        nf = fold(name)
        if not strict and len(nf) > 6 and len(gfold) > 6 and (nf in gfold or gfold in nf):
            return True
    return False


def _match_entities(gold: list[dict], predicted: list[Entity]) -> tuple[dict[str, Score], dict[int, str]]:
    """Scores per label, and for each gold entity (by position) the id it was found as."""
    scores: dict[str, Score] = defaultdict(Score)
    found_as: dict[int, str] = {}
    by_label: dict[str, list[Entity]] = defaultdict(list)
    for node in predicted:
        by_label[type(node).__name__].append(node)
    used: set[str] = set()
    for strict in (True, False):  # one to one: exact names first, then looser ones
        for i, g in enumerate(gold):
            if i in found_as:
                continue
            hit = next((n for n in by_label[g["label"]] if n.id not in used and _same(g, n, strict=strict)), None)
            if hit:
                found_as[i] = hit.id
                used.add(hit.id)
    for i, g in enumerate(gold):
        s = scores[g["label"]]
        s.gold += 1
        if i in found_as:
            s.true_positive += 1
        else:
            s.missed.append(g.get("id") or g.get("name"))
    for label, nodes in by_label.items():
        if label not in scores:
            continue  # a label the gold does not annotate in this document
        s = scores[label]
        s.predicted += len(nodes)
        for n in nodes:
            if n.id in used or any(_same(g, n) for g in gold if g["label"] == label):
                s.correct += 1
            else:
                s.spurious.append(n.id)
    return scores, found_as


def _predicted_entities(ex: Extraction, known: dict[str, Entity], doc_matches: list[str]) -> list[Entity]:
    """New nodes, plus the known nodes the document names (gazetteer hits and merged findings)."""
    ids = {n.id for n in ex.nodes} | set(doc_matches) | {r.end for r in ex.relations if r.rel_type == "MENTIONS"}
    out = list(ex.nodes)
    out += [known[i] for i in sorted(ids - {n.id for n in ex.nodes}) if i in known]
    return out


def _endpoint(value: str, gold_entities: list[dict], found_as: dict[int, str]) -> str | None:
    """A gold endpoint is an id (`statebody:kz-government`) or `<label>: <name>` (ids have no ': ')."""
    if ": " not in value:
        return value
    label, name = value.split(": ", 1)
    for i, g in enumerate(gold_entities):
        if g["label"].lower() == label.lower() and g.get("name") == name:
            return found_as.get(i)
    return None


def _score_relations(gold: dict, ex: Extraction, found_as: dict[int, str]) -> dict[str, Score]:
    scores: dict[str, Score] = defaultdict(Score)
    # a measure's PART_OF its programme is scored with the action plan
    predicted = {(r.rel_type, r.start, r.end) for r in ex.relations
                 if r.rel_type != "MENTIONS" and not r.start.startswith("measure:")}
    wanted = set()
    for r in gold.get("relations") or []:
        start = _endpoint(r["start"], gold["entities"], found_as)
        end = _endpoint(r["end"], gold["entities"], found_as)
        scores[r["type"]].gold += 1
        key = (r["type"], start, end)
        wanted.add(key)
        if start and end and key in predicted:
            scores[r["type"]].true_positive += 1
        else:
            scores[r["type"]].missed.append(f"{r['start']} -> {r['end']}")
    for key in predicted:
        if key[0] in scores or key[0] in {"ATTACHED_TO", "DEVELOPED", "APPROVED", "ORGANIZED", "HELD_AT", "SPOKE_AT"}:
            s = scores[key[0]]
            s.predicted += 1
            if key in wanted:
                s.correct += 1
            else:
                s.spurious.append(f"{key[1]} -> {key[2]}")
    return scores


def _score_measures(gold: dict, ex: Extraction) -> dict[str, Score]:
    """Each measure field: the share of the gold's rows extracted with that field right."""
    measures = {m.number: m for m in ex.nodes if type(m).__name__ == "Measure"}
    responsible = defaultdict(set)
    for r in ex.relations:
        if r.rel_type == "RESPONSIBLE_FOR":
            responsible[r.end].add(r.start)
    scores: dict[str, Score] = defaultdict(Score)
    for g in gold.get("measures") or []:
        m = measures.get(g["number"])
        checks = {
            "measure": m is not None,
            "responsible bodies": m is not None and set(g["responsible"]) == responsible[m.id],
            "funding": m is not None and _funding_ok(g["funding"], m),
            "deadline": m is not None and bool(m.deadline) and fold(g["deadline"] or "") == fold(m.deadline or ""),
        }
        for name, ok in checks.items():
            s = scores[name]
            s.gold += 1
            s.predicted += m is not None
            s.true_positive += ok
            s.correct += ok
            if not ok:
                s.missed.append(f"#{g['number']}")
    return scores


def _funding_ok(gold: dict, m: Any) -> bool:
    got = dict(zip(m.funding_years, m.funding_amounts))
    return all(abs((got.get(int(y)) or 0.0) - (v or 0.0)) < 0.0005 for y, v in gold.items())


def _score_observations(gold: dict, ex: Extraction) -> Score:
    s = Score()
    predicted = [n for n in ex.nodes if type(n).__name__ == "Observation"]
    wanted = [o for o in gold.get("observations") or [] if o.get("value") is not None]

    def same(o: dict, n: Any) -> bool:
        when = o.get("date") or o.get("period_end") or o.get("period_start")
        got = n.date or n.period_end or n.period_start
        return abs(float(o["value"]) - n.value) < 1e-6 and (when is None or got is None or str(when)[:4] == str(got)[:4])

    s.gold, s.predicted = len(wanted), len(predicted)
    s.true_positive = sum(any(same(o, n) for n in predicted) for o in wanted)
    s.correct = sum(any(same(o, n) for o in wanted) for n in predicted)
    s.missed = [f"{o['metric']}={o['value']}" for o in wanted if not any(same(o, n) for n in predicted)]
    s.spurious = [n.id for n in predicted if not any(same(o, n) for o in wanted)]
    return s


def evaluate(samples: list[Path], gold_dir: Path) -> dict[str, dict[str, Score]]:
    """Scores per stage and category, summed over the samples that have a gold file."""
    totals: dict[str, dict[str, Score]] = defaultdict(lambda: defaultdict(Score))
    with tempfile.TemporaryDirectory() as tmp, EmbeddedStore(Path(tmp)) as store:
        for outcome in ingest(store, "reference", reference_files()):
            assert outcome.ok, outcome.error
        gazetteer = gazetteer_from(store)
        known = _known_nodes(store)
        for path in samples:
            gold_path = gold_dir / (path.stem + ".yaml")
            if not gold_path.exists():
                continue
            gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
            p = prepare(path, gazetteer)
            ex, _ = resolve(extract_all(p.doc), p.doc, p.norm, document_node(p), store)
            matched_ids = {m.node_id for m in p.doc.matches}
            gaz = totals["1 matching (known names)"]["known entities"]
            wanted = [g["id"] for g in gold["entities"] if g.get("id")]
            gaz.add(Score(gold=len(wanted), predicted=len(matched_ids), true_positive=sum(i in matched_ids for i in wanted),
                          correct=sum(i in wanted for i in matched_ids),
                          missed=[i for i in wanted if i not in matched_ids],
                          spurious=sorted(i for i in matched_ids if i not in wanted)))
            entity_scores, found_as = _match_entities(gold["entities"], _predicted_entities(ex, known, sorted(matched_ids)))
            for label, s in entity_scores.items():
                totals["2 entities"][label].add(s)
            for rtype, s in _score_relations(gold, ex, found_as).items():
                totals["3 relationships"][rtype].add(s)
            for name, s in _score_measures(gold, ex).items():
                totals["4 action plan"][name].add(s)
            totals["5 observations"]["value + date"].add(_score_observations(gold, ex))
    return totals


def _known_nodes(store) -> dict[str, Entity]:
    from kb.schema import node_type

    out = {}
    for r in store.rows("MATCH (n) WHERE NOT n:Document RETURN n"):
        node = r["n"]
        label = label_of(node["id"])
        props = {k: v for k, v in node["properties"].items() if k in node_type(label).model_fields}
        out[node["id"]] = node_type(label).model_validate(props)
    return out
