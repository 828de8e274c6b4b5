"""Every error type the tool raises for a user's mistake, in one place.

These are expected failures (a missing file, a bad option, a broken schema file): the CLI
turns each into one line and exit status 2, never a traceback.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; its message is one line that names the culprit."""


class ConfigError(UserError):
    """A bad value in `[tool.validate]` or on the command line."""


class SchemaFileError(UserError):
    """A schema or reference-data YAML file that cannot be used."""

    def __init__(self, path: str, message: str, line: int | None = None):
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


class InputError(UserError):
    """A document that cannot be read (missing, a directory, binary, not UTF-8)."""

    def __init__(self, path: str, message: str):
        self.path = path
        self.reason = message
        super().__init__(f"{path}: {message}")
