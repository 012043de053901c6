"""The one definition of the graph: node labels, relationship types, properties.

Everything else is derived from the classes here: the stores' constraints and
indexes (`kb.constraints`), validation of ingested records, the API's response
models, and the views' legend and colours.

A node label is a subclass of `Entity`; a relationship type a subclass of
`Relation`. Class variables carry the schema metadata (id prefix, colour,
indexed properties, allowed endpoints); fields are the properties.
"""
from __future__ import annotations

import json
import re
from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kb.text import search_keys

Method = Literal["gazetteer", "pattern", "table", "registry", "reference", "manual"]

ID_PATTERN = re.compile(r"^[a-z]+:[a-z0-9][a-z0-9._#-]*$")


class Source(BaseModel):
    """Where one fact came from: a document span, a registry line, or reference data."""

    model_config = ConfigDict(extra="forbid")

    doc: str | None = Field(None, description="Document id, or null for reference data")
    start: int | None = Field(None, description="Start offset in the normalised text")
    end: int | None = Field(None, description="End offset in the normalised text")
    raw_start: int | None = Field(None, description="Start offset in the raw text")
    raw_end: int | None = Field(None, description="End offset in the raw text")
    line: int | None = Field(None, description="Line number (registries)")
    quote: str | None = None
    method: Method
    confidence: float = Field(1.0, ge=0, le=1)
    ref: str | None = Field(None, description="Reference file or citation for reference data")

    def encode(self) -> str:
        """Stored form: canonical JSON with `doc` first, so a document's sources
        can be stripped with one `STARTS WITH` in Cypher (see `doc_source_prefix`)."""
        return json.dumps(self.model_dump(exclude_none=True), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def decode(cls, value: str | dict) -> "Source":
        return cls.model_validate(json.loads(value) if isinstance(value, str) else value)


def doc_source_prefix(doc_id: str) -> str:
    """The prefix every encoded `Source` of `doc_id` starts with."""
    return json.dumps({"doc": doc_id}, ensure_ascii=False, separators=(",", ":"))[:-1] + ","


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    sources: list[Source] = Field(default_factory=list)
    valid_from: str | None = Field(None, description="ISO date or year from which the fact holds")
    valid_to: str | None = Field(None, description="ISO date or year until which the fact holds")

    @field_validator("sources", mode="before")
    @classmethod
    def _decode_sources(cls, value: Any) -> Any:
        return [Source.decode(v) if isinstance(v, (str, dict)) else v for v in value or []]

    @field_validator("valid_from", "valid_to", mode="before")
    @classmethod
    def _iso(cls, value: Any) -> Any:
        if isinstance(value, (int, date)):
            return str(value) if isinstance(value, int) else value.isoformat()
        return value

    def store_properties(self) -> dict[str, Any]:
        """Properties as the stores keep them: primitives and lists of primitives only."""
        props = self.model_dump(exclude_none=True, exclude={"sources"})
        props["sources"] = [s.encode() for s in self.sources]
        return props


class Entity(_Record):
    """Every node: a stable readable id, names in kk/ru/en, aliases, sources."""

    prefix: ClassVar[str]
    color: ClassVar[str]
    shape: ClassVar[str] = "dot"
    description: ClassVar[str]
    indexed: ClassVar[tuple[str, ...]] = ()

    id: str
    name: str
    name_kk: str | None = None
    name_ru: str | None = None
    name_en: str | None = None
    aliases: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id_has_prefix(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError(f"id {value!r} is not '<prefix>:<slug>' (lowercase ascii slug)")
        if value.split(":", 1)[0] != cls.prefix:
            raise ValueError(f"id {value!r} must start with '{cls.prefix}:' for label {cls.__name__}")
        return value

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("name is empty")
        return value.strip()

    def all_names(self) -> list[str]:
        names = [self.name, self.name_kk, self.name_ru, self.name_en, *self.aliases]
        return list(dict.fromkeys(n for n in names if n))

    def store_properties(self) -> dict[str, Any]:
        """Adds `search_keys` (derived, never set by hand): folded, Kazakh-Latin and ASCII forms
        of every name, which search matches against."""
        props = super().store_properties()
        props["search_keys"] = search_keys(self.all_names())
        return props


class Region(Entity):
    prefix = "region"
    color = "#2a9d8f"
    shape = "triangle"
    description = "An administrative unit or a country"
    indexed = ("kind",)
    kind: Literal["country", "region", "city", "district", "settlement"]
    iso_code: str | None = None


class Confession(Entity):
    prefix = "confession"
    color = "#e9c46a"
    shape = "star"
    description = "A religion, branch or denomination"


class ReligiousAssociation(Entity):
    prefix = "association"
    color = "#f4a261"
    description = "A religious organisation or community, registered or not; religious funds too"
    indexed = ("registration_number",)
    kind: str | None = None
    registration_date: str | None = None
    registration_number: str | None = None
    bin: str | None = Field(None, description="Business identification number")
    address: str | None = None
    founded: str | None = None


class StateBody(Entity):
    prefix = "statebody"
    color = "#264653"
    shape = "square"
    description = "A government body at any level"
    indexed = ("kind",)
    kind: str | None = None
    level: Literal["national", "regional", "local"] | None = None
    founded: str | None = None


class Council(Entity):
    prefix = "council"
    color = "#8ab17d"
    shape = "diamond"
    description = "A consultative body"
    founded: str | None = None


class Programme(Entity):
    prefix = "programme"
    color = "#e76f51"
    shape = "hexagon"
    description = "A state programme, concept or plan"
    kind: Literal["programme", "concept", "plan", "road_map", "strategy", "project"] | None = None
    status: str | None = Field(None, description="draft, in_preparation, ... when the text says so")
    period_start: int | None = None
    period_end: int | None = None
    budget_total: float | None = None
    budget_unit: str | None = None


class Measure(Entity):
    prefix = "measure"
    color = "#f28482"
    shape = "box"
    description = "One action item of a programme"
    number: int | None = None
    direction: str | None = None
    completion_form: str | None = None
    deadline: str | None = None
    funding_years: list[int] = Field(default_factory=list)
    funding_amounts: list[float] = Field(default_factory=list, description="Per year, aligned with funding_years")
    funding_unit: str | None = None
    funding_source: str | None = None


class Event(Entity):
    prefix = "event"
    color = "#6d597a"
    description = "A congress, conference, seminar, forum or training"
    kind: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    dates_text: str | None = Field(None, description="The dates as written, when the year is not known")
    participants: int | None = None


class Person(Entity):
    prefix = "person"
    color = "#b56576"
    description = "A named person"
    titles: list[str] = Field(default_factory=list)
    affiliation: str | None = Field(None, description="An organisation named with the person that the graph has no node for")


class LegalAct(Entity):
    prefix = "legalact"
    color = "#457b9d"
    shape = "box"
    description = "A law, decree, resolution or code article"
    indexed = ("number",)
    kind: str | None = None
    number: str | None = None
    date: str | None = None
    quoted_title: str | None = Field(None, description="The act's title as quoted (`\"... туралы\"`)")
    code: str | None = Field(None, description="For a code article: the code it belongs to")
    status: str | None = Field(None, description="draft, in force, repealed ... when the text says so")


class Publication(Entity):
    prefix = "publication"
    color = "#a8dadc"
    description = "A periodical, book series or film"
    kind: str | None = None


class Observation(Entity):
    prefix = "observation"
    color = "#adb5bd"
    shape = "ellipse"
    description = "One statistic at one date, about a subject, in a place"
    indexed = ("metric",)
    metric: str
    value: float
    qualifier: Literal["more_than", "less_than", "about", "at_least", "at_most", "up_to"] | None = Field(
        None, description="How the text qualifies the value (`6800-ден астам` is more_than 6800)")
    unit: str | None = None
    date: str | None = None
    period_start: str | None = None
    period_end: str | None = None


class Document(Entity):
    prefix = "doc"
    color = "#6c757d"
    shape = "text"
    description = "A source document or registry file"
    kind: str | None = Field(None, description="decree, programme, letter, news, registry, ...")
    language: str | None = None
    date: str | None = None
    content_hash: str
    origin: str | None = Field(None, description="File name or address it was read from")
    citation: str | None = Field(None, description="What reference data rests on (laws, decrees, registers)")
    char_count: int | None = None


NODE_TYPES: dict[str, type[Entity]] = {cls.__name__: cls for cls in Entity.__subclasses__()}
PREFIX_TO_LABEL: dict[str, str] = {cls.prefix: name for name, cls in NODE_TYPES.items()}

ORGANISATIONS = ("StateBody", "ReligiousAssociation", "Council")


class Relation(_Record):
    """Every relationship: typed endpoints (by stable id) and sources."""

    rel_type: ClassVar[str]
    endpoints: ClassVar[tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]
    description: ClassVar[str]
    color: ClassVar[str] = "#999999"
    key: ClassVar[tuple[str, ...]] = ()  # properties that tell two relationships of one pair apart

    start: str = Field(exclude=True)
    end: str = Field(exclude=True)

    @classmethod
    def allows(cls, start_label: str, end_label: str) -> bool:
        return any(start_label in s and end_label in e for s, e in cls.endpoints)

    @model_validator(mode="after")
    def _endpoints_allowed(self) -> "Relation":
        start_label, end_label = label_of(self.start), label_of(self.end)
        if not self.allows(start_label, end_label):
            raise ValueError(f"{self.rel_type} cannot link {start_label} {self.start} to {end_label} {self.end}")
        return self

    def store_properties(self) -> dict[str, Any]:
        props = super().store_properties()
        props.pop("start", None)
        props.pop("end", None)
        return props


class BelongsTo(Relation):
    rel_type = "BELONGS_TO"
    endpoints = ((("ReligiousAssociation",), ("Confession",)),)
    description = "An association belongs to a confession"
    color = "#e9c46a"


class SubtypeOf(Relation):
    rel_type = "SUBTYPE_OF"
    endpoints = ((("Confession",), ("Confession",)),)
    description = "A denomination is a branch of a broader confession"


class PartOf(Relation):
    rel_type = "PART_OF"
    endpoints = (
        (("ReligiousAssociation",), ("ReligiousAssociation",)),
        (("Region",), ("Region",)),
        (("StateBody",), ("StateBody",)),
        (("Measure",), ("Programme",)),
    )
    description = "Hierarchy: part of a larger whole"


class LocatedIn(Relation):
    rel_type = "LOCATED_IN"
    endpoints = ((("ReligiousAssociation", "StateBody", "Council", "Event"), ("Region",)),)
    description = "Located in a region"
    color = "#2a9d8f"


class AttachedTo(Relation):
    rel_type = "ATTACHED_TO"
    endpoints = ((("Council",), ("StateBody",)),)
    description = "A council works under a state body"
    color = "#8ab17d"


class MemberOf(Relation):
    rel_type = "MEMBER_OF"
    endpoints = ((("Person", "ReligiousAssociation", "StateBody"), ("Council",)),)
    description = "A member of a council"


class Developed(Relation):
    rel_type = "DEVELOPED"
    endpoints = ((("StateBody",), ("Programme",)),)
    description = "The body that developed a programme"


class Approved(Relation):
    rel_type = "APPROVED"
    endpoints = ((("LegalAct", "StateBody"), ("Programme",)),)
    description = "The act or body that approved a programme"


class ResponsibleFor(Relation):
    rel_type = "RESPONSIBLE_FOR"
    endpoints = ((("StateBody", "ReligiousAssociation", "Council"), ("Measure",)),)
    description = "A body responsible for carrying out a measure"
    color = "#e76f51"
    lead: bool = Field(False, description="The body that collects the reports")


class Organized(Relation):
    rel_type = "ORGANIZED"
    endpoints = ((ORGANISATIONS + ("Person",), ("Event",)),)
    description = "Organised an event"


class HeldAt(Relation):
    rel_type = "HELD_AT"
    endpoints = ((("Event",), ("ReligiousAssociation", "Region")),)
    description = "Where an event took place"


class ParticipatedIn(Relation):
    rel_type = "PARTICIPATED_IN"
    endpoints = ((("Person",) + ORGANISATIONS, ("Event",)),)
    description = "Took part in an event"


class SpokeAt(Relation):
    rel_type = "SPOKE_AT"
    endpoints = ((("Person",), ("Event",)),)
    description = "Spoke at an event"
    topic: str | None = None


class HoldsPosition(Relation):
    rel_type = "HOLDS_POSITION"
    endpoints = ((("Person",), ORGANISATIONS),)
    description = "A person holds a position in an organisation"
    position: str | None = None


class About(Relation):
    rel_type = "ABOUT"
    endpoints = ((("Observation",), tuple(n for n in NODE_TYPES if n not in ("Observation", "Document"))),)
    description = "What an observation counts"


class In(Relation):
    rel_type = "IN"
    endpoints = ((("Observation",), ("Region",)),)
    description = "Where an observation was made"


class Regulates(Relation):
    rel_type = "REGULATES"
    endpoints = ((("LegalAct",), tuple(n for n in NODE_TYPES if n != "Document")),)
    description = "A legal act regulates something"


class RefersTo(Relation):
    rel_type = "REFERS_TO"
    endpoints = ((("Document",), ("LegalAct",)),)
    description = "A document refers to a legal act"


class Mentions(Relation):
    """One per mention: the span start tells two mentions of one entity apart."""

    rel_type = "MENTIONS"
    endpoints = ((("Document",), tuple(n for n in NODE_TYPES if n != "Document")),)
    description = "A document mentions an entity at a span"
    color = "#cccccc"
    key = ("span_start",)
    span_start: int
    span_end: int
    raw_start: int | None = None
    raw_end: int | None = None
    quote: str
    method: Method = "gazetteer"
    confidence: float = 1.0


REL_TYPES: dict[str, type[Relation]] = {cls.rel_type: cls for cls in Relation.__subclasses__()}


def identity_keys(rel_type: str, props: dict[str, Any]) -> tuple[str, ...]:
    """The properties that tell apart relationships of one type between the same two nodes: the
    type's `key`, and the start of its period when the fact is dated, so a fact that held twice
    (a ministry under the government 2006-2010 and again from 2023) stays two relationships
    instead of one with a made-up period. An undated statement of a fact joins the one there is."""
    cls = REL_TYPES.get(rel_type)
    key = cls.key if cls else ()
    return key + ("valid_from",) if props.get("valid_from") is not None and "valid_from" not in key else key


def relationship_id(start: str, rel_type: str, end: str, props: dict[str, Any]) -> str:
    """A relationship's stable id (exports, migration checks): its ends, type and identity keys."""
    return f"{start}|{rel_type}|{end}" + "".join(f"@{props.get(k)}" for k in identity_keys(rel_type, props))


def label_of(node_id: str) -> str:
    """The label a stable id belongs to, from its prefix."""
    prefix = node_id.split(":", 1)[0]
    try:
        return PREFIX_TO_LABEL[prefix]
    except KeyError:
        raise ValueError(f"unknown id prefix {prefix!r} in {node_id!r}; known: {sorted(PREFIX_TO_LABEL)}") from None


def node_type(label: str) -> type[Entity]:
    try:
        return NODE_TYPES[label]
    except KeyError:
        raise ValueError(f"unknown label {label!r}; known: {sorted(NODE_TYPES)}") from None


def rel_type(name: str) -> type[Relation]:
    try:
        return REL_TYPES[name]
    except KeyError:
        raise ValueError(f"unknown relationship type {name!r}; known: {sorted(REL_TYPES)}") from None
