"""Errors as RFC 9457 problem details (`application/problem+json`)."""
from __future__ import annotations

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from kb.queries import NotFound
from kb.readonly import WriteRefused
from kb.store import (
    ConstraintViolation,
    QuerySyntaxError,
    QueryTimeout,
    ReadOnlyViolation,
    StoreError,
    StoreUnavailable,
)

RETRY_AFTER_S = "5"


def problem(request: Request, status: int, detail: str, headers: dict | None = None) -> JSONResponse:
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail,
            "instance": request.url.path}
    return JSONResponse(body, status_code=status, media_type="application/problem+json", headers=headers)


# the most specific class first
_STATUS: list[tuple[type[Exception], int]] = [
    (NotFound, 404),
    (WriteRefused, 403),
    (ReadOnlyViolation, 403),
    (QueryTimeout, 408),
    (QuerySyntaxError, 400),
    (ConstraintViolation, 409),
    (StoreUnavailable, 503),
    (ValueError, 400),
    (OverflowError, 400),  # a number the store cannot hold (e.g. beyond 64 bits)
    (StoreError, 500),
    (Exception, 500),
]


def install(app: FastAPI) -> None:
    for exc_class, status in _STATUS:
        app.add_exception_handler(exc_class, _handler(status))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return problem(request, 400, detail)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        return problem(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))


def _handler(status: int):
    async def handle(request: Request, exc: Exception) -> JSONResponse:
        headers = {"Retry-After": RETRY_AFTER_S} if status == 503 else None
        return problem(request, status, str(exc), headers)

    return handle
