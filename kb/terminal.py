"""What every command shares: where it prints, and how it opens the store and fails on it."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import typer
from rich.console import Console

from kb.store import Store, StoreError, open_store

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)  # messages stay one line, greppable


@contextmanager
def opened_store(read_only: bool = False, wait_for_server: bool = False) -> Iterator[Store]:
    """The configured store, closed afterwards; a store error exits 2 with `error: …`."""
    try:
        store = open_store(read_only=read_only, wait_for_server=wait_for_server)
    except StoreError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    try:
        yield store
    except StoreError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    finally:
        store.close()
