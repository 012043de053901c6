"""Errors that name the input and what was wrong with it."""
from __future__ import annotations


class InputError(Exception):
    """An input that cannot be ingested. `where` is a file, or file:line."""

    def __init__(self, where: str, problem: str):
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


def describe(exc: Exception) -> str:
    """One line for a validation failure: which field, what was wrong."""
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg']}" for e in exc.errors())
    return str(exc)
