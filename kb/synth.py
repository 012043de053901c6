"""A synthetic knowledge base of any size, written as inputs of the real ingest path.

`kb synth --nodes N --seed S -o DIR` writes, on top of the shipped reference data:

    DIR/10-regions.jsonl        districts and settlements under the real regions (graph file)
    DIR/20-registry/*.csv       religious associations, one registry per region (registry format)
    DIR/30-graph.jsonl          everything else (graph file): state bodies, councils, legal acts,
                                programmes and measures, publications, people, events, observations
                                as yearly series, documents and what they mention
    DIR/40-documents/*.txt      a few short letters, for the document extractor
    DIR/MANIFEST.json           counts per label and type, degree figures, and the ingest steps

loaded in that order (`ingest_steps`): `kb ingest reference`, `kb ingest graph 10-regions.jsonl`,
`kb ingest registry 20-registry/*.csv`, `kb ingest graph 30-graph.jsonl`, `kb ingest 40-documents/*.txt`.

The mix follows the schema and the sample letter's proportions: outreach events and statistics
dominate (28,500 events in nine months of 2023 for ~4,000 associations), associations follow the
confessional make-up of the national registry (about 70% Islam), regions their population.
Degrees are power-law: who organises, who is mentioned, what observations are about, where
things happen are drawn with Zipf weights, so a few hubs (Almaty, ҚМДБ, the Committee for
Religious Affairs) have tens of thousands of relationships and most nodes have one to three.
Same `--nodes` and `--seed`, same bytes.
"""
from __future__ import annotations

import bisect
import csv
import hashlib
import itertools
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from kb.text import slugify

# Shares of the synthetic nodes per label (sum 1.0).
MIX: dict[str, float] = {
    "Observation": 0.40, "Event": 0.30, "Person": 0.10, "ReligiousAssociation": 0.08, "Region": 0.035,
    "Document": 0.03, "Measure": 0.02, "StateBody": 0.015, "LegalAct": 0.01, "Council": 0.005,
    "Publication": 0.003, "Programme": 0.002,
}
YEARS = range(2005, 2025)

# Kazakhstan's regions and cities of republican significance, with population in millions (2023):
# where associations, events and statistics fall.
REGIONS = {
    "region:kz-almaty-city": 2.2, "region:kz-turkistan-region": 2.1, "region:kz-almaty-region": 1.5,
    "region:kz-astana-city": 1.4, "region:kz-shymkent-city": 1.2, "region:kz-zhambyl-region": 1.2,
    "region:kz-karaganda-region": 1.1, "region:kz-aktobe-region": 0.93, "region:kz-kostanay-region": 0.83,
    "region:kz-kyzylorda-region": 0.83, "region:kz-akmola-region": 0.79, "region:kz-mangystau-region": 0.77,
    "region:kz-pavlodar-region": 0.75, "region:kz-east-kazakhstan-region": 0.73, "region:kz-atyrau-region": 0.69,
    "region:kz-west-kazakhstan-region": 0.69, "region:kz-zhetisu-region": 0.69, "region:kz-abai-region": 0.6,
    "region:kz-north-kazakhstan-region": 0.53, "region:kz-ulytau-region": 0.22,
}
# Confessions of registered associations (share), the kind of their communities (kk, ru),
# and the national body their communities belong to (or None).
CONFESSIONS = [
    ("confession:hanafi-madhhab", 0.70, ("мешіті", "Мечеть", "mosque"), "association:kz-muslims-spiritual-administration"),
    ("confession:russian-orthodoxy", 0.085, ("шіркеуі", "Храм", "church"), "association:syn-orthodox-metropolitan-district"),
    ("confession:baptists", 0.045, ("қауымы", "Церковь евангельских христиан-баптистов", "community"), "association:syn-baptist-union"),
    ("confession:pentecostalism", 0.035, ("қауымы", "Церковь христиан веры евангельской", "community"), None),
    ("confession:roman-catholicism", 0.022, ("приходы", "Приход", "parish"), "association:syn-catholic-church-kz"),
    ("confession:presbyterianism", 0.02, ("қауымы", "Пресвитерианская церковь", "community"), None),
    ("confession:jehovahs-witnesses", 0.015, ("қауымы", "Местная религиозная организация Свидетелей Иеговы", "community"), None),
    ("confession:seventh-day-adventists", 0.015, ("қауымы", "Церковь адвентистов седьмого дня", "community"), None),
    ("confession:lutheranism", 0.012, ("қауымы", "Евангелическо-лютеранская община", "community"), None),
    ("confession:new-apostolic-church", 0.01, ("қауымы", "Новоапостольская церковь", "community"), None),
    ("confession:old-believers", 0.006, ("қауымы", "Старообрядческая община", "community"), None),
    ("confession:judaism", 0.008, ("синагогасы", "Синагога", "synagogue"), None),
    ("confession:krishna-consciousness", 0.008, ("қауымы", "Община сознания Кришны", "community"), None),
    ("confession:buddhism", 0.005, ("қауымы", "Буддийская община", "community"), None),
    ("confession:bahai", 0.006, ("қауымы", "Община Бахаи", "community"), None),
    ("confession:armenian-apostolic", 0.003, ("шіркеуі", "Армянская апостольская церковь", "church"), None),
    ("confession:greek-catholicism", 0.003, ("приходы", "Греко-католический приход", "parish"), None),
    ("confession:shia-islam", 0.002, ("мешіті", "Шиитская мечеть", "mosque"), None),
]
NATIONAL = [  # religious centres the registries' communities belong to (00-national.csv)
    ("association:syn-orthodox-metropolitan-district", "Митрополичий округ Русской православной церкви в Республике Казахстан",
     "Қазақстан Республикасындағы Орыс православие шіркеуінің митрополиттік округі", "confession:russian-orthodoxy", "administration"),
    ("association:syn-baptist-union", "Союз церквей евангельских христиан-баптистов Казахстана",
     "Қазақстанның евангелиялық христиан-баптистер шіркеулерінің одағы", "confession:baptists", "union"),
    ("association:syn-catholic-church-kz", "Римско-католическая церковь в Казахстане",
     "Қазақстандағы Рим-католик шіркеуі", "confession:roman-catholicism", "administration"),
]
SAINTS = ["Святого Николая", "Покрова Пресвятой Богородицы", "Вознесения Господня", "Святой Троицы",
          "Архангела Михаила", "Святого Пантелеимона", "Казанской иконы Божией Матери", "Рождества Христова",
          "Святого Иосифа", "Святого Франциска", "Успения Пресвятой Богородицы", "Святых Петра и Павла"]
GOOD_WORDS = ["Нұр", "Иман", "Ихсан", "Рахман", "Бірлік", "Ынтымақ", "Береке", "Шапағат", "Ақ мешіт", "Сүлеймен",
              "Әбу Бәкір", "Омар", "Хазірет Әли", "Бибі Фатима", "Имам Ағзам", "Әл-Фараби", "Қожа Ахмет", "Абылай хан",
              "Жамиғ", "Мағфират", "Бейбітшілік", "Сабыр", "Нұрлы жол", "Ақниет", "Благодать", "Новая жизнь",
              "Спасение", "Слово жизни", "Преображение", "Вифания", "Эммануил", "Надежда", "Источник"]
ROOTS = ["Ақ", "Қара", "Жаңа", "Көк", "Сары", "Ұзын", "Бес", "Таң", "Алтын", "Күміс", "Шал", "Жел", "Қызыл", "Ескі",
         "Тас", "Тау", "Үш", "Жалғыз", "Құм", "Мұз", "Ащы", "Тұщы", "Айна", "Бал", "Ор", "Тоғыз", "Жиде", "Арал"]
ENDS = ["су", "көл", "тау", "бұлақ", "арық", "терек", "қайың", "төбе", "дала", "жар", "өзек", "қорған", "булақ",
        "сай", "адыр", "шоқы", "қамыс", "тоған", "құдық", "бел"]
MALE = ["Нұрлан", "Ерлан", "Асқар", "Бауыржан", "Серік", "Дәурен", "Жандос", "Ержан", "Қайрат", "Марат", "Әсет",
        "Ақжол", "Бақытжан", "Мұхтар", "Ғалым", "Дархан", "Ербол", "Нұржан", "Талғат", "Руслан", "Сергей",
        "Александр", "Андрей", "Виктор", "Николай", "Михаил", "Павел", "Олег"]
FEMALE = ["Айгүл", "Гүлназ", "Динара", "Жанар", "Әсел", "Мадина", "Сәуле", "Ләззат", "Айжан", "Гүлмира", "Назерке",
          "Ботагөз", "Жұлдыз", "Ольга", "Елена", "Татьяна", "Наталья", "Ирина"]
SURNAMES = ["Әбенов", "Сейітов", "Жұмабаев", "Нұрланов", "Қасымов", "Төлеуов", "Омаров", "Ахметов", "Сәрсенов",
            "Бекмұхамедов", "Исаев", "Мұратов", "Жақыпов", "Құдайбергенов", "Серікбаев", "Оспанов", "Әлиев",
            "Байжанов", "Тұрсынов", "Есенов", "Иванов", "Петров", "Ким", "Пак", "Шевченко", "Кузнецов", "Ли"]
TITLES = {"mosque": "бас имам", "church": "настоятель", "parish": "настоятель", "community": "пастор",
          "synagogue": "раввин", "administration": "председатель", "union": "председатель"}
EVENT_KINDS = [("разъяснительная встреча", "түсіндіру кездесуі", 0.45), ("семинар", "семинар", 0.15),
               ("круглый стол", "дөңгелек үстел", 0.12), ("лекция", "дәріс", 0.1), ("конференция", "конференция", 0.06),
               ("тренинг", "тренинг", 0.06), ("форум", "форум", 0.03), ("съезд", "съезі", 0.03)]
TOPICS = ["Дін және қоғам", "Діни экстремизмнің алдын алу", "Рухани жаңғыру", "Зайырлылық – тұрақтылық кепілі",
          "Дәстүрлі құндылықтар", "Толеранттылық", "Отбасы құндылықтары", "Жастар және дін", "Деструктивті ағымдар",
          "Конфессияаралық келісім"]
METRICS = [("religious_associations_registered", "associations"), ("outreach_events_held", "events"),
           ("event_participants", "people"), ("places_of_worship", "buildings"), ("theologians_trained", "people"),
           ("appeals_received", "appeals"), ("destructive_materials_blocked", "materials"),
           ("religious_literature_examined", "titles")]
LEGAL_KINDS = [("приказ", "бұйрығы"), ("постановление акимата", "әкімдігінің қаулысы"), ("решение маслихата", "мәслихатының шешімі"),
               ("постановление Правительства", "Үкіметінің қаулысы"), ("закон", "заңы")]
DOC_KINDS = ["letter", "report", "news", "decree", "minutes"]


@dataclass
class Manifest:
    nodes: int
    seed: int
    labels: Counter = field(default_factory=Counter)
    relationships: Counter = field(default_factory=Counter)
    degrees: Counter = field(default_factory=Counter)
    files: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        degrees = sorted(self.degrees.values(), reverse=True)
        total = sum(degrees) or 1
        top = degrees[: max(1, len(degrees) // 100)]
        return {
            "nodes": sum(self.labels.values()), "relationships": sum(self.relationships.values()),
            "requested_nodes": self.nodes, "seed": self.seed,
            "labels": dict(sorted(self.labels.items())), "relationship_types": dict(sorted(self.relationships.items())),
            "degree": {"max": degrees[0] if degrees else 0, "median": degrees[len(degrees) // 2] if degrees else 0,
                       "top_1pct_share_of_endpoints": round(sum(top) / total, 3)},
            "files": self.files,
            "steps": [{"reference": "kb ingest reference", "registry": "kb ingest registry 20-registry/*.csv",
                       "documents": "kb ingest 40-documents/*.txt"}.get(kind, f"kb ingest {kind} {' '.join(paths)}")
                      for kind, paths in _steps_for(self.files)],
        }


class _Zipf:
    """Draws items with weight 1/rank**s: a few items take most draws (power-law degrees)."""

    def __init__(self, rng: random.Random, items: list, s: float = 1.0, shuffle: bool = True):
        self.rng, self.items = rng, list(items)
        if shuffle:
            rng.shuffle(self.items)
        self.cum = list(itertools.accumulate(1.0 / (r ** s) for r in range(1, len(self.items) + 1)))

    def __call__(self) -> Any:
        return self.items[bisect.bisect_left(self.cum, self.rng.random() * self.cum[-1])]

    def many(self, k: int) -> list:
        return self.rng.choices(self.items, cum_weights=self.cum, k=k)


class _Writer:
    """APOC JSON lines, counting what it writes: every node, then every relationship (as
    `kb export` orders them, so relationships never wait for a node)."""

    def __init__(self, path: Path, manifest: Manifest):
        self.path = path
        self.f = path.open("w", encoding="utf-8")
        self.rels = path.with_name(path.name + ".rels.tmp").open("w+", encoding="utf-8")
        self.m = manifest

    def node(self, label: str, node_id: str, props: dict[str, Any]) -> str:
        props = {k: v for k, v in props.items() if v is not None}
        self.f.write(json.dumps({"type": "node", "id": node_id, "labels": [label], "properties": {"id": node_id, **props}},
                                ensure_ascii=False, separators=(",", ":")) + "\n")
        self.m.labels[label] += 1
        return node_id

    def rel(self, rtype: str, start: str, end: str, props: dict[str, Any] | None = None) -> None:
        self.rels.write(json.dumps({"type": "relationship", "label": rtype, "start": {"id": start}, "end": {"id": end},
                                 "properties": props or {}}, ensure_ascii=False, separators=(",", ":")) + "\n")
        self.m.relationships[rtype] += 1
        self.m.degrees[start] += 1
        self.m.degrees[end] += 1

    def close(self) -> None:
        self.rels.seek(0)
        while block := self.rels.read(1 << 20):
            self.f.write(block)
        self.rels.close()
        Path(self.rels.name).unlink()
        self.f.close()


def _quota(nodes: int) -> dict[str, int]:
    return {label: max(1, round(nodes * share)) for label, share in MIX.items()}


def _date(rng: random.Random, years: range = YEARS, recent: float = 1.08) -> str:
    """A date, later years likelier (activity grows)."""
    year = rng.choices(list(years), weights=[recent ** i for i in range(len(years))])[0]
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _place_name(rng: random.Random) -> str:
    return rng.choice(ROOTS) + rng.choice(ENDS)


def _person(rng: random.Random) -> tuple[str, str]:
    female = rng.random() < 0.3
    first = rng.choice(FEMALE if female else MALE)
    last = rng.choice(SURNAMES)
    if female and last.endswith(("ов", "ев", "ин")):
        last += "а"
    return first, last


def synthesize(nodes: int, seed: int, out: Path) -> dict[str, Any]:
    """Write the inputs for about `nodes` synthetic nodes into `out`; return the manifest."""
    if nodes < 1000:
        raise ValueError("--nodes must be at least 1000")
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    q = _quota(nodes)
    m = Manifest(nodes, seed)

    # ---- regions: districts and settlements under the real regions ---------------------------
    top = list(REGIONS)
    region_pick = _Zipf(rng, top, s=0.0, shuffle=False)
    region_pick.cum = list(itertools.accumulate(REGIONS[r] for r in top))
    districts: dict[str, list[str]] = {r: [] for r in top}
    settlements: dict[str, list[str]] = {}
    places: list[str] = []          # every synthetic region
    place_parent: dict[str, str] = {}  # place -> its top region
    place_name: dict[str, str] = {}
    w = _Writer(out / "10-regions.jsonl", m)
    n_regions = q["Region"]
    n_districts = max(len(top), n_regions // 6)
    for i in range(n_districts):
        parent = top[i] if i < len(top) else region_pick()
        root = _place_name(rng)
        rid = f"region:{parent.split(':', 1)[1]}-d{i}-{slugify(root, 30)}"
        w.node("Region", rid, {"name": f"{root} ауданы", "name_kk": f"{root} ауданы", "name_ru": f"{root}ский район",
                               "kind": "district"})
        w.rel("PART_OF", rid, parent)
        districts[parent].append(rid)
        places.append(rid)
        place_parent[rid], place_name[rid] = parent, root
    district_pick = {r: _Zipf(rng, d, s=0.8) for r, d in districts.items()}
    for i in range(n_regions - n_districts):
        parent = region_pick()
        district = district_pick[parent]()
        root = _place_name(rng)
        rid = f"region:{district.split(':', 1)[1][:40]}-s{i}-{slugify(root, 30)}"
        w.node("Region", rid, {"name": f"{root} ауылы", "name_kk": f"{root} ауылы", "name_ru": f"село {root}",
                               "kind": "settlement"})
        w.rel("PART_OF", rid, district)
        settlements.setdefault(parent, []).append(rid)
        places.append(rid)
        place_parent[rid], place_name[rid] = parent, root
    w.close()
    local_pick = {r: _Zipf(rng, districts[r] + settlements.get(r, []), s=0.9) for r in top}

    def place() -> str:
        """A place where something happens: a top region (city) or one of its districts/settlements."""
        r = region_pick()
        return r if rng.random() < 0.25 else local_pick[r]()

    # ---- registries: associations, one CSV per region ------------------------------------------
    reg_dir = out / "20-registry"
    reg_dir.mkdir(exist_ok=True)
    conf_pick = _Zipf(rng, CONFESSIONS, s=0.0, shuffle=False)
    conf_pick.cum = list(itertools.accumulate(c[1] for c in CONFESSIONS))
    columns = ["id", "name", "name_kk", "name_ru", "aliases", "confession", "region", "kind", "registration_date",
               "registration_number", "bin", "address", "parent"]
    rows_by_region: dict[str, list[dict]] = {r: [] for r in top}
    associations: list[str] = ["association:kz-muslims-spiritual-administration", "association:kz-almaty-central-mosque"]
    assoc_kind: dict[str, str] = {}
    assoc_place: dict[str, str] = {}
    national_rows = []
    for aid, name_ru, name_kk, conf, kind in NATIONAL:
        national_rows.append({"id": aid, "name": name_ru, "name_kk": name_kk, "name_ru": name_ru, "confession": conf,
                              "region": "region:kz-astana-city", "kind": kind,
                              "registration_date": "2012-10-25", "registration_number": f"{rng.randint(1000, 9999)}-1901-РО",
                              "bin": f"{rng.randint(10**11, 10**12 - 1)}"})
        associations.append(aid)
        assoc_kind[aid] = kind
    for i in range(q["ReligiousAssociation"] - len(NATIONAL)):
        conf, _, (kk_kind, ru_kind, kind), national = conf_pick()
        where = place()
        top_region = place_parent.get(where, where)
        word = rng.choice(GOOD_WORDS)
        if kind == "mosque":
            name_kk, name_ru = f"«{word}» {kk_kind}", f"{ru_kind} «{word}»"
        elif kind in ("church", "parish"):
            saint = rng.choice(SAINTS)
            name_ru = f"{ru_kind} {saint}"
            name_kk, word = f"{saint} {kk_kind}", saint
        else:
            name_ru, name_kk = f"{ru_kind} «{word}»", f"«{word}» {kk_kind}"
        town = place_name.get(where)
        if town:
            name_ru += f", {town}"
        aid = f"association:{slugify(word, 30)}-{i}"
        parent = national if national and rng.random() < 0.7 else ""
        date = (f"2012-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.45
                else _date(rng, range(1992, 2025), 1.02))
        rows_by_region[top_region].append({
            "id": aid, "name": name_ru, "name_kk": name_kk, "name_ru": name_ru,
            "aliases": f"МРО {word}" if rng.random() < 0.2 else "", "confession": conf, "region": where, "kind": kind,
            "registration_date": date if rng.random() < 0.5 else ".".join(reversed(date.split("-"))),
            "registration_number": f"{rng.randint(100, 99999)}-{rng.randint(1900, 1999)}-РО",
            "bin": f"{rng.randint(10**11, 10**12 - 1)}",
            "address": f"{town or 'г.'}, ул. {rng.choice(SURNAMES)}а, {rng.randint(1, 200)}", "parent": parent,
        })
        associations.append(aid)
        assoc_kind[aid], assoc_place[aid] = kind, where
    for index, (region, rows) in enumerate([("national", national_rows)] + list(rows_by_region.items())):
        name = f"{index:02d}-{slugify(region.split(':')[-1], 40)}.csv"
        with (reg_dir / name).open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        for row in rows:
            m.labels["ReligiousAssociation"] += 1
            for rtype, key in (("BELONGS_TO", "confession"), ("LOCATED_IN", "region"), ("PART_OF", "parent")):
                if row.get(key):
                    m.relationships[rtype] += 1
                    m.degrees[row["id"]] += 1
                    m.degrees[row[key]] += 1

    # ---- the rest: one graph file, nodes before the relationships that use them ---------------
    w = _Writer(out / "30-graph.jsonl", m)
    akimats = {r: f"statebody:{r.split(':', 1)[1]}-akimat" for r in top}
    national_bodies = ["statebody:kz-committee-religious-affairs", "statebody:kz-ministry-of-culture-and-information",
                       "statebody:kz-ministry-of-religious-affairs-and-civil-society", "statebody:kz-agency-for-religious-affairs",
                       "statebody:kz-ministry-of-information-and-social-development", "statebody:kz-government",
                       "statebody:kz-ministry-of-education-and-science", "statebody:kz-ministry-of-internal-affairs"]
    bodies = list(national_bodies) + list(akimats.values())
    local_bodies: dict[str, list[str]] = {}
    for i in range(q["StateBody"]):
        where = place() if rng.random() < 0.5 else rng.choice(places or top)
        top_region = place_parent.get(where, where)
        town = place_name.get(where, "")
        if i % 2 == 0:
            sid = f"statebody:syn-akimat-{i}-{slugify(town or top_region.split(':')[-1], 30)}"
            props = {"name": f"Акимат {town or ''} района".replace("  ", " "), "name_kk": f"{town} ауданының әкімдігі",
                     "kind": "akimat", "level": "local"}
        else:
            sid = f"statebody:syn-religion-dept-{i}-{slugify(town or top_region.split(':')[-1], 30)}"
            props = {"name": f"Отдел по делам религий {town}ского района" if town else "Управление по делам религий",
                     "name_kk": f"{town} ауданының дін істері бөлімі", "kind": "department", "level": "local"}
        w.node("StateBody", sid, props)
        w.rel("PART_OF", sid, akimats[top_region])
        w.rel("LOCATED_IN", sid, where)
        bodies.append(sid)
        local_bodies.setdefault(top_region, []).append(sid)
    body_pick = _Zipf(rng, bodies, s=1.0)

    councils = ["council:kz-religious-associations-liaison-council"]
    for i in range(q["Council"]):
        where = rng.choice(top)
        body = rng.choice(local_bodies.get(where) or [akimats[where]])
        cid = f"council:syn-{i}-{slugify(where.split(':')[-1], 30)}"
        w.node("Council", cid, {"name": f"Совет по связям с религиозными объединениями № {i + 1}",
                                "name_kk": f"Діни бірлестіктермен байланыс жөніндегі кеңес № {i + 1}",
                                "founded": _date(rng)[:4]})
        w.rel("ATTACHED_TO", cid, body)
        w.rel("LOCATED_IN", cid, where)
        councils.append(cid)

    acts = []
    for i in range(q["LegalAct"]):
        kind_ru, kind_kk = rng.choice(LEGAL_KINDS)
        date = _date(rng)
        lid = f"legalact:syn-{i}"
        number = f"{rng.randint(1, 999)}" + ("" if rng.random() < 0.5 else f"-{rng.choice(['П', 'Қ', 'VI'])}")
        w.node("LegalAct", lid, {"name": f"{kind_ru.capitalize()} № {number} от {date}", "name_kk": f"{date} № {number} {kind_kk}",
                                 "kind": kind_ru, "number": number, "date": date,
                                 "quoted_title": f"Об утверждении плана мероприятий «{rng.choice(TOPICS)}»"})
        acts.append(lid)
    act_pick = _Zipf(rng, acts, s=1.0)

    programmes = []
    for i in range(q["Programme"]):
        start = rng.choice(list(YEARS)[:-3])
        end = start + rng.choice([2, 3, 4, 5])
        pid = f"programme:syn-{i}"
        topic = rng.choice(TOPICS)
        w.node("Programme", pid, {"name": f"Программа «{topic}» на {start}–{end} годы", "name_kk": f"«{topic}» бағдарламасы {start}–{end}",
                                  "kind": rng.choice(["programme", "plan", "road_map", "concept"]), "period_start": start,
                                  "period_end": end, "budget_total": round(rng.uniform(10, 5000), 1), "budget_unit": "млн тенге"})
        w.rel("DEVELOPED", body_pick(), pid)
        w.rel("APPROVED", act_pick(), pid)
        programmes.append(pid)
    measures = []
    for i in range(q["Measure"]):
        pid = programmes[i % len(programmes)]
        mid = f"measure:syn-{i}"
        years = sorted(rng.sample(range(2008, 2025), rng.randint(1, 3)))
        w.node("Measure", mid, {"name": f"Мероприятие {i // len(programmes) + 1}: {rng.choice(TOPICS).lower()}",
                                "number": i // len(programmes) + 1, "direction": rng.choice(TOPICS),
                                "completion_form": rng.choice(["информация в Правительство", "отчёт", "приказ"]),
                                "deadline": f"{years[-1]}-12-25", "funding_years": years,
                                "funding_amounts": [round(rng.uniform(0.5, 200), 1) for _ in years], "funding_unit": "млн тенге",
                                "funding_source": rng.choice(["республиканский бюджет", "местный бюджет", "не требуется"])})
        w.rel("PART_OF", mid, pid)
        for k, body in enumerate(dict.fromkeys(body_pick.many(rng.randint(1, 3)))):
            w.rel("RESPONSIBLE_FOR", body, mid, {"lead": k == 0})
        measures.append(mid)
    for i in range(q["LegalAct"]):
        target = rng.choice([rng.choice(programmes), rng.choice(associations), rng.choice(councils), body_pick()])
        w.rel("REGULATES", acts[i], target)

    publications = []
    for i in range(q["Publication"]):
        word = rng.choice(GOOD_WORDS)
        pub = f"publication:syn-{i}"
        w.node("Publication", pub, {"name": f"«{word}» журналы", "name_ru": f"журнал «{word}»",
                                    "kind": rng.choice(["journal", "newspaper", "film", "book series"])})
        publications.append(pub)

    assoc_pick = _Zipf(rng, associations, s=1.0)
    people = []
    for i in range(q["Person"]):
        first, last = _person(rng)
        pid = f"person:syn-{i}-{slugify(last, 20)}"
        if rng.random() < 0.6:
            org = assoc_pick()
            title = TITLES.get(assoc_kind.get(org, "community"), "председатель")
        else:
            org, title = body_pick(), rng.choice(["главный специалист", "руководитель отдела", "заместитель акима", "эксперт"])
        w.node("Person", pid, {"name": f"{first} {last}", "titles": [title]})
        w.rel("HOLDS_POSITION", pid, org, {"position": title})
        if rng.random() < 0.05:
            w.rel("MEMBER_OF", pid, rng.choice(councils))
        people.append(pid)
    person_pick = _Zipf(rng, people, s=1.1)
    for i, council in enumerate(councils[1:]):
        for member in dict.fromkeys(assoc_pick.many(rng.randint(2, 6))):
            w.rel("MEMBER_OF", member, council)

    organiser_pick = _Zipf(rng, bodies + associations + councils[1:], s=1.05)
    events = []
    kinds = [k for k in EVENT_KINDS]
    for i in range(q["Event"]):
        kind_ru, kind_kk, _ = rng.choices(kinds, weights=[k[2] for k in kinds])[0]
        topic = rng.choice(TOPICS)
        where = place()
        date = _date(rng)
        eid = f"event:syn-{i}"
        w.node("Event", eid, {"name": f"{kind_ru.capitalize()} «{topic}»", "name_kk": f"«{topic}» {kind_kk}",
                              "kind": kind_ru, "start_date": date, "end_date": date,
                              "participants": int(rng.paretovariate(1.5) * 20)})
        w.rel("LOCATED_IN", eid, where)
        if rng.random() < 0.35:
            w.rel("HELD_AT", eid, assoc_pick())
        for org in dict.fromkeys(organiser_pick.many(rng.randint(1, 2))):
            w.rel("ORGANIZED", org, eid)
        for who in dict.fromkeys(person_pick.many(rng.randint(0, 2))):
            w.rel("SPOKE_AT", who, eid, {"topic": topic} if rng.random() < 0.5 else {})
        if rng.random() < 0.3:
            w.rel("PARTICIPATED_IN", organiser_pick(), eid)
        events.append(eid)

    # Observations: yearly series of one metric about one subject in one region.
    subjects = _Zipf(rng, top + places[: len(places) // 3] + associations[:50] + programmes + list(
        c[0] for c in CONFESSIONS[:8]), s=1.0, shuffle=False)
    made = 0
    series = 0
    while made < q["Observation"]:
        subject = subjects()
        region = subject if subject.startswith("region:") else rng.choice(top)
        metric, unit = rng.choice(METRICS)
        first = rng.choice(list(YEARS)[:-1])
        value = float(rng.randint(5, 3000))
        for year in range(first, YEARS[-1] + 1):
            if made >= q["Observation"]:
                break
            oid = f"observation:syn-{series}-{year}"
            value = max(0.0, round(value * rng.uniform(0.85, 1.25)))
            props = {"name": f"{metric} {year}", "metric": metric, "value": value, "unit": unit}
            if rng.random() < 0.2:
                props.update(period_start=f"{year}-01-01", period_end=f"{year}-09-30", qualifier=rng.choice(["more_than", "about"]))
            else:
                props["date"] = f"{year}-12-31"
            w.node("Observation", oid, props)
            w.rel("ABOUT", oid, subject)
            w.rel("IN", oid, region)
            made += 1
        series += 1

    # Documents known by their metadata, and what they mention (Zipf: hubs are mentioned most).
    mentionable = _Zipf(rng, top + bodies + associations + councils + programmes + acts + people[:2000] + events[:5000],
                        s=1.1)
    for i in range(q["Document"]):
        did = f"doc:syn-{i:06d}"
        date = _date(rng)
        w.node("Document", did, {"name": f"Письмо № {rng.randint(1, 9999)} от {date}", "kind": rng.choice(DOC_KINDS),
                                 "language": rng.choice(["ru", "kk"]), "date": date,
                                 "content_hash": hashlib.sha256(f"{seed}-{i}".encode()).hexdigest(),
                                 "char_count": rng.randint(800, 40000)})
        offset = rng.randint(0, 200)
        for target in dict.fromkeys(mentionable.many(rng.randint(3, 20))):
            length = rng.randint(8, 60)
            w.rel("MENTIONS", did, target, {"span_start": offset, "span_end": offset + length,
                                            "quote": f"… {target.split(':', 1)[1][:40]} …", "method": "gazetteer",
                                            "confidence": 1.0})
            offset += length + rng.randint(20, 400)
        if rng.random() < 0.3:
            w.rel("REFERS_TO", did, act_pick())
    w.close()

    # A few short letters for the document extractor (extraction is the slow path; keep it small).
    doc_dir = out / "40-documents"
    doc_dir.mkdir(exist_ok=True)
    for i in range(3):
        year = 2021 + i
        events_n = rng.randint(5000, 30000)
        text = (f"Комитет по делам религий\n\nИнформация о проведённой работе за 9 месяцев {year} года\n\n"
                f"В {year} году Агентство Республики Казахстан по делам религий совместно с Духовным управлением "
                f"мусульман Казахстана провело {events_n} разъяснительных мероприятий. Акимат города Алматы и "
                f"Акимат Туркестанской области провели круглые столы «{rng.choice(TOPICS)}». "
                f"В Алматы зарегистрировано {rng.randint(200, 400)} религиозных объединений.\n")
        (doc_dir / f"{i + 1:03d}_synthetic_letter_{year}.txt").write_text(text, encoding="utf-8")

    m.files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name != "MANIFEST.json")
    manifest = m.to_json()
    (out / "MANIFEST.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def _steps_for(files: list[str]) -> list[tuple[str, list[str]]]:
    registry = sorted(f for f in files if f.startswith("20-registry/"))
    docs = sorted(f for f in files if f.startswith("40-documents/"))
    steps = [("reference", []), ("graph", ["10-regions.jsonl"]), ("registry", registry), ("graph", ["30-graph.jsonl"]),
             ("documents", docs)]
    return [(kind, [n for n in names if n in files]) for kind, names in steps
            if kind == "reference" or any(n in files for n in names)]


def ingest_steps(out: Path) -> list[tuple[str, list[Path]]]:
    """(kind, paths) in load order, for `ingest.pipeline.ingest`."""
    from ingest.reference import reference_files

    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name != "MANIFEST.json")
    steps = []
    for kind, names in _steps_for(files):
        steps.append((kind, reference_files() if kind == "reference" else [out / n for n in names]))
    return steps


def iter_graph_lines(out: Path) -> Iterator[dict]:
    """Every record of the synthetic graph files (for baselines that load rows one by one)."""
    for name in ("10-regions.jsonl", "30-graph.jsonl"):
        with (out / name).open(encoding="utf-8") as f:
            for line in f:
                yield json.loads(line)
