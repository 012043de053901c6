"""Response models, derived from kb.schema: one `<Label>Out` per node label, discriminated by `label`."""
from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, create_model

from kb.schema import NODE_TYPES, Source

ENTITY_OUT: dict[str, type[BaseModel]] = {
    label: create_model(f"{label}Out", __base__=cls, label=(Literal[label], label))  # type: ignore[call-overload]
    for label, cls in NODE_TYPES.items()
}
EntityOut = Annotated[Union[tuple(ENTITY_OUT.values())], Field(discriminator="label")]  # type: ignore[misc]
DERIVED_PROPERTIES = ("search_keys",)


def entity_out(node: dict[str, Any]) -> dict[str, Any]:
    """A store node as the API shows it: its schema properties plus `label`."""
    label = next((l for l in node["labels"] if l in NODE_TYPES), None)
    if label is None:
        raise ValueError(f"node {node.get('id')} has no schema label ({node['labels']})")
    props = {k: v for k, v in node["properties"].items() if k not in DERIVED_PROPERTIES}
    return {**props, "label": label}


class RelationshipOut(BaseModel):
    type: str
    start: str
    end: str
    properties: dict[str, Any] = Field(default_factory=dict, description="Everything but sources")
    sources: list[Source] = Field(default_factory=list)


def relationship_out(rel: dict[str, Any]) -> dict[str, Any]:
    props = dict(rel["properties"])
    sources = [Source.decode(s) for s in props.pop("sources", None) or []]
    return {"type": rel["type"], "start": rel["start"], "end": rel["end"], "properties": props, "sources": sources}


class Page(BaseModel):
    total: int
    offset: int
    limit: int


class EntityList(Page):
    items: list[EntityOut]


class SearchHit(BaseModel):
    entity: EntityOut
    score: int = Field(description="3 exact name, 2 prefix, 1 substring")


class SearchResult(BaseModel):
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


class Subgraph(BaseModel):
    nodes: list[EntityOut]
    relationships: list[RelationshipOut]


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
