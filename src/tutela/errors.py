"""Typed errors raised by library code. Only the CLI turns them into messages and exit codes."""

from __future__ import annotations


class TutelaError(Exception):
    """Base class of every error tutela raises on purpose."""


class ConfigError(TutelaError):
    """A configuration file or command-line setting is invalid (exit code 2)."""


class CatalogError(TutelaError):
    """A catalog file or a policy document cannot be read."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")
        self.message = message


class UnknownRequirementError(TutelaError):
    """A requirement id that the catalog does not contain."""
