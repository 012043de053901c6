"""Dependencies injected into routes: the store and the settings."""
from __future__ import annotations

from fastapi import Request

from kb.settings import Settings
from kb.store import Store


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings
