"""Response models, derived from kb.schema: one `<Label>Out` per node label, discriminated by `label`.

The routes build plain dicts shaped like these models and serialise them with orjson
(`api.responses.JSONBody`), so a read pays no per-request validation; the models give the
OpenAPI schema, and the schemathesis test checks every answer against it.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal, Union

import orjson
from pydantic import BaseModel, ConfigDict, Field, create_model

from kb.schema import NODE_TYPES, Source

ENTITY_OUT: dict[str, type[BaseModel]] = {
    label: create_model(f"{label}Out", __base__=cls, label=(Literal[label], label))  # type: ignore[call-overload]
    for label, cls in NODE_TYPES.items()
}
EntityOut = Annotated[Union[tuple(ENTITY_OUT.values())], Field(discriminator="label")]  # type: ignore[misc]
DERIVED_PROPERTIES = ("search_keys",)
MeasureOut = ENTITY_OUT["Measure"]


def _sources(values: Any) -> list[dict[str, Any]]:
    """Stored sources are canonical JSON strings (`Source.encode`): decoding them is the model dump."""
    return [orjson.loads(v) if isinstance(v, (str, bytes)) else v for v in values or []]


def entity_out(node: dict[str, Any]) -> dict[str, Any]:
    """A store node as the API shows it: its schema properties plus `label`, sources decoded."""
    label = next((l for l in node["labels"] if l in NODE_TYPES), None)
    if label is None:
        raise ValueError(f"node {node.get('id')} has no schema label ({node['labels']})")
    props = {k: v for k, v in node["properties"].items() if k not in DERIVED_PROPERTIES}
    props["sources"] = _sources(props.get("sources"))
    props["label"] = label
    return props


class RelationshipOut(BaseModel):
    type: str
    start: str
    end: str
    properties: dict[str, Any] = Field(default_factory=dict, description="Everything but sources")
    sources: list[Source] = Field(default_factory=list)


def relationship_out(rel: dict[str, Any]) -> dict[str, Any]:
    props = dict(rel["properties"])
    sources = _sources(props.pop("sources", None))
    return {"type": rel["type"], "start": rel["start"], "end": rel["end"], "properties": props, "sources": sources}


class Page(BaseModel):
    total: int = Field(description="All items matching, on every page")
    offset: int
    limit: int


class EntityList(Page):
    items: list[EntityOut]


class Highlight(BaseModel):
    field: str = Field(description="Where the match is: name, name_kk, name_ru, name_en or aliases")
    text: str = Field(description="The name or alias as stored")
    spans: list[list[int]] = Field(description="[start, end) character offsets in `text` of the matched words")
    marked: str = Field(description="`text` with the matched words in <mark>…</mark>")


class SearchHit(BaseModel):
    entity: EntityOut
    score: int = Field(description="3 a whole name (up to inflection; exact names first), 2 a name starting "
                                   "with the query, 1 all query words in the entity's names")
    highlight: Highlight


class SearchResult(Page):
    query: str
    hits: list[SearchHit]


class Neighbourhood(BaseModel):
    centre: EntityOut
    nodes: list[EntityOut]
    relationships: list[RelationshipOut]
    total: int = Field(description="All neighbours matching the filters")
    omitted: int = Field(description="Neighbours beyond this page")
    offset: int
    limit: int
    as_of: str | None = None


class CommonNeighbours(BaseModel):
    a: EntityOut
    b: EntityOut
    nodes: list[EntityOut] = Field(description="Entities linked to both a and b, by id")
    relationships: list[RelationshipOut] = Field(description="The links from a and b to them")
    total: int
    omitted: int
    offset: int
    limit: int


class Subgraph(BaseModel):
    nodes: list[EntityOut]
    relationships: list[RelationshipOut]


class SubgraphRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"ids": ["region:kz", "region:kz-almaty-city"]}]})
    ids: list[str] = Field(min_length=1, max_length=2000)
    type: list[str] | None = Field(None, description="Only relationships of these types")
    as_of: str | None = Field(None, description="Only relationships valid at this date (YYYY[-MM[-DD]])")


class PathOut(BaseModel):
    length: int
    nodes: list[EntityOut]
    relationships: list[RelationshipOut]


class Mention(BaseModel):
    doc: str
    document: str | None
    start: int = Field(description="Span in the normalised text")
    end: int
    raw_start: int | None = Field(None, description="Span in the raw text as read from the file")
    raw_end: int | None = None
    quote: str
    method: str | None = None


class Provenance(BaseModel):
    id: str
    sources: list[Source]
    mentions: list[Mention]


class DocumentRef(BaseModel):
    id: str
    name: str | None


class RelationshipProvenance(BaseModel):
    start: str
    end: str
    relationships: list[RelationshipOut] = Field(description="Each with its sources: document, span, quote")
    documents: list[DocumentRef] = Field(description="The documents they were read from")


class SourcedEntity(BaseModel):
    entity: EntityOut
    sources: list[Source] = Field(description="This document's sources of the entity")


class DocumentMention(BaseModel):
    id: str = Field(description="The entity mentioned")
    name: str | None
    start: int
    end: int
    raw_start: int | None = None
    raw_end: int | None = None
    quote: str
    method: str | None = None


class EntityPage(BaseModel):
    total: int
    items: list[SourcedEntity]


class RelationshipPage(BaseModel):
    total: int
    items: list[RelationshipOut]


class MentionPage(BaseModel):
    total: int
    items: list[DocumentMention]


class DocumentFacts(BaseModel):
    document: EntityOut
    nodes: EntityPage = Field(description="Entities whose sources cite the document")
    relationships: RelationshipPage = Field(description="Relationships whose sources cite the document")
    mentions: MentionPage
    offset: int
    limit: int


class BodyRef(BaseModel):
    id: str
    name: str | None
    labels: list[str]
    lead: bool = Field(description="The body that collects the reports")


class ProgrammeMeasure(BaseModel):
    measure: MeasureOut  # type: ignore[valid-type]
    bodies: list[BodyRef] = Field(description="Responsible bodies, lead first")
    funding: dict[int, float] = Field(description="Amount per year (funding_unit of the measure)")


class ProgrammeMeasures(BaseModel):
    programme: EntityOut
    measures: list[ProgrammeMeasure]
    totals: dict[int, float] = Field(description="Funding of all measures per year")


class BodyMeasure(BaseModel):
    measure: MeasureOut  # type: ignore[valid-type]
    programme: str | None
    programme_name: str | None
    lead: bool
    bodies: int = Field(description="How many bodies share the measure")
    funding: dict[int, float] = Field(description="The measure's whole funding per year")
    share: dict[int, float] = Field(description="This body's share per year: funding / bodies")
    funding_unit: str | None


class BodyProgramme(BaseModel):
    programme: str | None
    name: str | None
    measures: int
    funding: dict[int, float]
    share: dict[int, float]


class BodyTotals(BaseModel):
    funding: dict[int, float]
    share: dict[int, float]
    funding_all_years: float
    share_all_years: float


class BodyMeasures(BaseModel):
    body: EntityOut
    measures: list[BodyMeasure]
    programmes: list[BodyProgramme]
    totals: BodyTotals
    rule: str = Field(description="How a measure's funding is shared among its bodies")


class ObservationPoint(BaseModel):
    id: str
    date: str | None
    period_start: str | None
    period_end: str | None
    value: float
    unit: str | None
    qualifier: str | None


class ObservationSeries(BaseModel):
    metric: str
    subject: str | None
    subject_name: str | None
    region: str | None
    points: list[ObservationPoint]


class Metric(BaseModel):
    metric: str
    observations: int
    first: str | None
    last: str | None


class Stats(BaseModel):
    nodes: dict[str, int]
    relationships: dict[str, int]


class CypherRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "query": "MATCH (r:Region)-[:PART_OF]->(k:Region {id: $country}) RETURN r.id AS id, r.name AS name LIMIT 5",
        "params": {"country": "region:kz"},
    }]})
    query: str = Field(min_length=1, max_length=20_000)
    params: dict[str, Any] = Field(default_factory=dict)


class CypherResult(BaseModel):
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool = Field(description="More rows existed than the row cap")


class Health(BaseModel):
    status: Literal["ok"]
    store: str


class SchemaLabel(BaseModel):
    label: str
    prefix: str
    color: str
    shape: str
    description: str
    properties: list[str]


class SchemaRelType(BaseModel):
    type: str
    color: str
    description: str
    endpoints: list[tuple[list[str], list[str]]]


class SchemaOut(BaseModel):
    labels: list[SchemaLabel]
    relationships: list[SchemaRelType]


class Ranked(BaseModel):
    id: str
    score: float


class Analytics(BaseModel):
    nodes: int
    relationships: int
    degree: list[Ranked]
    betweenness: list[Ranked]
    communities: list[list[str]]
    components: list[list[str]]
    truncated: bool = Field(False, description="The chosen subgraph was cut at `limit` nodes")


class AnalyticsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"labels": ["StateBody", "Council"], "type": ["PART_OF", "ATTACHED_TO"], "top": 5}]})
    ids: list[str] | None = Field(None, max_length=5000, description="The subgraph induced by these ids")
    label: list[str] | None = Field(None, description="Or: every node of these labels (first `limit` by id)")
    type: list[str] | None = Field(None, description="Only relationships of these types")
    as_of: str | None = Field(None, description="Only relationships valid at this date")
    limit: int = Field(2000, ge=1, le=5000)
    top: int = Field(10, ge=1, le=100)


class IngestResult(BaseModel):
    file: str
    kind: str
    document: str = Field(description="The document id the file was loaded as")
    status: str = Field(description="new, updated or unchanged")
    nodes: int
    relationships: int
    warnings: list[str]
    rejected_rows: list[str] = Field(description="Registry rows refused, each `file:line: reason`")
    summary: dict[str, int]
