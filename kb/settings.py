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
    api_key: str | None = Field(None, validation_alias="KB_API_KEY")
    cypher_timeout_s: float = Field(10.0, validation_alias="KB_CYPHER_TIMEOUT_S")
    cypher_row_cap: int = Field(5000, validation_alias="KB_CYPHER_ROW_CAP")
    max_document_mb: int = Field(50, validation_alias="KB_MAX_DOCUMENT_MB")


@lru_cache
def get_settings() -> Settings:
    return Settings()
