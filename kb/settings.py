"""Settings from the environment (or a `.env` file): one place for every knob."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    store: Literal["embedded", "neo4j"] = Field("embedded", validation_alias="KB_STORE")
    data_dir: Path = Field(Path("kbdata"), validation_alias="KB_DATA_DIR")
    neo4j_uri: str | None = Field(None, validation_alias="NEO4J_URI")
    neo4j_user: str = Field("neo4j", validation_alias="NEO4J_USER")
    neo4j_password: str = Field("neo4j", validation_alias="NEO4J_PASSWORD")
    neo4j_database: str | None = Field(None, validation_alias="NEO4J_DATABASE")
    # HTTP API
    api_key: str | None = Field(None, validation_alias="KB_API_KEY",
                                description="Key for the write endpoints (ingest); unset: writes over HTTP are off")
    read_api_key: str | None = Field(None, validation_alias="KB_READ_API_KEY",
                                     description="When set, reads need this key (or the write key) too")
    cors_origins: str = Field("", validation_alias="KB_CORS_ORIGINS",
                              description="Comma-separated origins allowed by CORS; empty: CORS closed; `*`: any")
    cypher_timeout_s: float = Field(10.0, validation_alias="KB_CYPHER_TIMEOUT_S")
    cypher_row_cap: int = Field(5000, validation_alias="KB_CYPHER_ROW_CAP")
    max_document_mb: int = Field(50, validation_alias="KB_MAX_DOCUMENT_MB")
    query_timeout_s: float = Field(15.0, validation_alias="KB_QUERY_TIMEOUT_S",
                                   description="Time limit of every other read the API runs")
    max_upload_mb: float = Field(50.0, validation_alias="KB_MAX_UPLOAD_MB", description="Largest ingest upload")
    max_body_kb: int = Field(1024, validation_alias="KB_MAX_BODY_KB", description="Largest JSON request body")
    cache_max_age_s: int = Field(0, validation_alias="KB_CACHE_MAX_AGE_S",
                                 description="Cache-Control max-age of reads (0: no-cache, revalidate with the ETag)")
    freshness_check_s: float = Field(1.0, validation_alias="KB_FRESHNESS_CHECK_S",
                                     description="How often the API's read caches look for writes made elsewhere")
    access_log: bool = Field(True, validation_alias="KB_ACCESS_LOG", description="One JSON line per request")

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]


@lru_cache
def get_settings() -> Settings:
    return Settings()
