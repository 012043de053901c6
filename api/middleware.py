"""Pure ASGI middleware (no per-request task or body copy beyond what each one needs):
request logs, request-body limits, and ETags with conditional GETs."""
from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import re
import time
from typing import Any, Awaitable, Callable
from urllib.parse import unquote_plus

import orjson
from fastapi import HTTPException

ASGIApp = Callable[[dict, Callable[[], Awaitable[dict]], Callable[[dict], Awaitable[None]]], Awaitable[None]]
access_log = logging.getLogger("kb.api.access")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_SECRET_PARAM = re.compile(r"(?i)\b((?:api[_-]?)?key|token|password|secret|auth\w*)=[^&]*")


def _header(scope: dict, name: bytes) -> str | None:
    for k, v in scope.get("headers", ()):
        if k == name:
            return v.decode("latin-1")
    return None


class RequestLog:
    """One JSON line per request on the `kb.api.access` logger: method, path, query (secrets
    redacted), status, duration_ms, request_id (the client's `X-Request-ID`, or a new one; sent
    back as `X-Request-ID`). Headers are never logged, so neither are keys."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self.boot = os.urandom(6).hex()  # request ids: unique per server start, then a counter
        self.counter = itertools.count(1)

    async def __call__(self, scope: dict, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        given = _header(scope, b"x-request-id")
        request_id = given if given and _REQUEST_ID.match(given) else f"{self.boot}-{next(self.counter):x}"
        status = 500

        async def send_with_id(message: dict) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if access_log.isEnabledFor(logging.INFO):
                query = unquote_plus(scope.get("query_string", b"").decode("latin-1"))
                access_log.info(orjson.dumps({
                    "event": "request", "method": scope["method"], "path": scope["path"],
                    "query": _SECRET_PARAM.sub(r"\1=[redacted]", query) if query else None,
                    "status": status, "duration_ms": round((time.perf_counter() - started) * 1000, 3),
                    "request_id": request_id, "client": (scope.get("client") or [None])[0],
                }).decode())


class BodyLimit:
    """Refuse request bodies over a limit with 413: at once when `Content-Length` says so,
    otherwise as soon as the streamed body passes it. Uploads (`upload_prefix`) get their own limit."""

    def __init__(self, app: ASGIApp, *, max_body: int, max_upload: int, upload_prefix: str = "/v1/ingest"):
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload
        self.upload_prefix = upload_prefix

    async def __call__(self, scope: dict, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            return await self.app(scope, receive, send)
        limit = self.max_upload if scope["path"].startswith(self.upload_prefix) else self.max_body
        what = "upload" if limit == self.max_upload else "request body"
        detail = f"the {what} is larger than the limit of {limit:,} bytes"
        length = _header(scope, b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            return await _problem(scope, send, 413, detail)
        received = 0

        async def limited() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(413, detail)  # FastAPI re-raises HTTPExceptions from body reading
            return message

        await self.app(scope, limited, send)


async def _problem(scope: dict, send, status: int, detail: str) -> None:
    from http import HTTPStatus

    body = json.dumps({"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status,
                       "detail": detail, "instance": scope["path"]}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/problem+json"),
                            (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    weak = etag[2:] if etag.startswith("W/") else etag
    return any((t.strip()[2:] if t.strip().startswith("W/") else t.strip()) == weak for t in header.split(","))


class ETags:
    """A weak ETag (hash of the body) on every complete 200 answer to GET/HEAD, `304 Not Modified`
    when `If-None-Match` has it, and `Cache-Control` on reads. Streamed bodies (exports) pass through."""

    def __init__(self, app: ASGIApp, *, cache_control: str):
        self.app = app
        self.cache_control = cache_control.encode()

    async def __call__(self, scope: dict, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        held: dict[str, Any] | None = None

        async def send_tagged(message: dict) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                held = message
                return
            if held is None:
                return await send(message)
            start, held = held, None
            headers = list(start.get("headers", []))
            if start["status"] != 200 or message.get("more_body", False):
                await send(start)
                return await send(message)
            body = message.get("body", b"")
            etag = 'W/"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
            names = {k.lower() for k, _ in headers}
            extra = [(b"etag", etag.encode())]
            if b"cache-control" not in names:
                extra.append((b"cache-control", self.cache_control))
            condition = _header(scope, b"if-none-match")
            if condition and _etag_matches(condition, etag):
                keep = [(k, v) for k, v in headers if k.lower() in (b"x-request-id", b"vary")]
                await send({"type": "http.response.start", "status": 304, "headers": keep + extra})
                return await send({"type": "http.response.body", "body": b""})
            await send({**start, "headers": headers + extra})
            await send(message)

        await self.app(scope, receive, send_tagged)
