"""Dependencies injected into routes: the store, the settings, and the API keys.

Reads are open unless `KB_READ_API_KEY` is set; writes (ingest) need `KB_API_KEY` and are off
when it is not set. A key comes as `X-API-Key: <key>` or `Authorization: Bearer <key>` and is
compared in constant time; keys are never logged.
"""
from __future__ import annotations

import gc
import secrets
from typing import Any, Iterable

from fastapi import HTTPException, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from kb.settings import Settings
from kb.store import ReadResult, Store

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, scheme_name="ApiKey",
                              description="The API key (`KB_API_KEY` for ingest; `KB_READ_API_KEY` for reads when set)")
bearer = HTTPBearer(auto_error=False, scheme_name="Bearer", description="The same key as a bearer token")


class TimeLimitedStore(Store):
    """The store as the read routes see it: every read gets the API's time limit unless the
    caller sets one (`/cypher` sets its own). Everything else goes to the wrapped store."""

    def __init__(self, store: Store, timeout_s: float):
        self.inner = store
        self.timeout_s = timeout_s
        self.name = store.name

    def read(self, query, params=None, *, timeout_s=None, row_limit=None) -> ReadResult:
        return self.inner.read(query, params, timeout_s=timeout_s or self.timeout_s, row_limit=row_limit)

    def write(self, statements) -> None:
        self.inner.write(statements)

    def run_schema(self, statements) -> None:
        self.inner.run_schema(statements)

    def ping(self) -> None:
        self.inner.ping()

    def checkpoint(self) -> None:
        self.inner.checkpoint()

    def close(self) -> None:  # the app does not own the store
        pass

    def __getattr__(self, item: str) -> Any:
        return getattr(self.inner, item)


def runs_inline(store: Store) -> bool:
    """Where a store's reads run. The embedded store (kglite) holds the GIL for a whole query,
    so a worker thread buys no parallelism and costs a hand-off per request: its reads run on
    the event loop. Stores that wait on the network (Neo4j) release the GIL while they wait,
    so their reads run in worker threads and overlap."""
    return getattr(store, "name", None) == "embedded"


async def run_read(store: Store, fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call `fn(*args, **kwargs)` (a read through `store`) where the store's reads run best."""
    if runs_inline(store):
        return fn(*args, **kwargs)
    return await run_in_threadpool(fn, *args, **kwargs)


async def get_store(request: Request) -> Store:
    """The store for reads (time-limited)."""
    return request.app.state.read_store


async def get_writer(request: Request) -> Store:
    """The store itself, for ingest."""
    return request.app.state.store


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def _presented(key: str | None, credentials: HTTPAuthorizationCredentials | None) -> str | None:
    if key:
        return key
    if credentials and credentials.scheme.lower() == "bearer" and credentials.credentials:
        return credentials.credentials
    return None


def _matches(given: str, keys: Iterable[str | None]) -> bool:
    given_b = given.encode("utf-8", "surrogateescape")
    ok = False
    for key in keys:
        if key:  # compare against every key, so the time does not tell which matched
            ok |= secrets.compare_digest(given_b, key.encode("utf-8"))
    return ok


def _unauthorised(detail: str) -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": 'Bearer realm="kb"'})


async def require_read(request: Request, key: str | None = Security(api_key_header),
                 credentials: HTTPAuthorizationCredentials | None = Security(bearer)) -> None:
    """Reads need a key only when `KB_READ_API_KEY` is set (the write key opens reads too)."""
    settings: Settings = request.app.state.settings
    if not settings.read_api_key:
        return
    given = _presented(key, credentials)
    if given is None:
        raise _unauthorised("reads on this server need an API key: send X-API-Key or Authorization: Bearer")
    if not _matches(given, (settings.read_api_key, settings.api_key)):
        raise _unauthorised("the API key is not valid")


async def require_write(request: Request, key: str | None = Security(api_key_header),
                  credentials: HTTPAuthorizationCredentials | None = Security(bearer)) -> None:
    """Writes need `KB_API_KEY`; with none configured they are refused (403)."""
    settings: Settings = request.app.state.settings
    if not settings.api_key:
        raise HTTPException(403, "writes over HTTP are disabled on this server: it has no KB_API_KEY configured")
    given = _presented(key, credentials)
    if given is None:
        raise _unauthorised("this endpoint writes and needs the API key: send X-API-Key or Authorization: Bearer")
    if not _matches(given, (settings.api_key,)):
        raise _unauthorised("the API key is not valid")


def keep_out_of_gc() -> None:
    """Call once the indexes are (re)built. They are millions of long-lived objects: left to the
    cyclic collector, every full collection walks them all, a pause every request waits behind."""
    gc.collect()
    gc.freeze()
