"""JSON answers serialised with orjson: no per-request model validation, int keys allowed."""
from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import JSONResponse

_OPTIONS = orjson.OPT_NON_STR_KEYS


class JSONBody(JSONResponse):  # a JSONResponse, so OpenAPI shows the route's response model

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=_OPTIONS)


def dumps(content: Any) -> bytes:
    return orjson.dumps(content, option=_OPTIONS)
