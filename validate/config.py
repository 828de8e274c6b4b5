"""Settings: `[tool.validate]` in the nearest pyproject.toml, overridden by the command line.

Every key is checked: an unknown key or a value of the wrong kind is a ConfigError that
names the file and the key (exit status 2), never a silent default.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validate.errors import ConfigError
from validate.findings import SEVERITIES

FAIL_ON = ("error", "warning", "info", "never")
FORMATS = ("text", "json", "sarif", "github")
_KEYS = {
    "paths": "list of files, directories or globs checked when none are given",
    "out": "directory the reports are written to",
    "fail-on": "lowest severity that makes the exit status 1",
    "select": "rules (codes, prefixes, names or categories) to run",
    "ignore": "rules to skip",
    "severity": "table of rule code -> severity",
    "rules": "table of rule code -> options",
    "schemas": "extra schema directories",
    "exclude": "gitignore-style patterns of files never checked",
    "link": "source link template for the HTML report ({path}, {line})",
    "pairing": "how language versions of a page are paired",
}


@dataclass
class Settings:
    paths: list[str] = field(default_factory=lambda: [])
    out: str = "reports"
    fail_on: str = "error"
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    schema_dirs: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    link: str | None = None
    pairing: dict[str, Any] = field(default_factory=dict)
    root: str | None = None          # directory of the pyproject.toml the settings came from
    source: str | None = None        # that file, for error messages


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` that has a [tool.validate] table."""
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{candidate}: cannot read: {exc}") from None
            if "validate" in data.get("tool", {}):
                return candidate
    return None


def load_settings(start: Path | None = None, config_file: Path | None = None) -> Settings:
    path = config_file or find_pyproject((start or Path.cwd()).resolve())
    if path is None:
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    table = data.get("tool", {}).get("validate", {})
    return settings_from_table(table, str(path))


def _where(source: str, key: str) -> str:
    return f"{source}: [tool.validate] {key}"


def settings_from_table(table: dict[str, Any], source: str) -> Settings:
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: [tool.validate] must be a table")
    settings = Settings(root=str(Path(source).resolve().parent), source=source)
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        where = _where(source, raw_key)
        if key not in _KEYS:
            raise ConfigError(f"{where}: unknown key (known: {', '.join(sorted(_KEYS))})")
        if key in ("paths", "select", "ignore", "schemas", "exclude"):
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
                raise ConfigError(f"{where}: must be a list of strings, not {value!r}")
            target = {"schemas": "schema_dirs"}.get(key, key)
            setattr(settings, target, list(items))
        elif key in ("out", "link"):
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{where}: must be a non-empty string, not {value!r}")
            setattr(settings, key, value)
        elif key == "fail-on":
            if value not in FAIL_ON:
                raise ConfigError(f"{where}: must be one of {', '.join(FAIL_ON)}, not {value!r}")
            settings.fail_on = value
        elif key == "severity":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: must be a table of CODE = severity")
            for code, level in value.items():
                if level not in SEVERITIES:
                    raise ConfigError(f"{where}.{code}: must be one of "
                                      f"{', '.join(SEVERITIES)}, not {level!r}")
            settings.severity = {str(code): str(level) for code, level in value.items()}
        elif key == "rules":
            if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
                raise ConfigError(f"{where}: must be a table of [tool.validate.rules.CODE] tables")
            settings.rule_options = {str(code): dict(opts) for code, opts in value.items()}
        elif key == "pairing":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: must be a table")
            settings.pairing = dict(value)
    return settings


def resolve_config_path(settings: Settings, value: str) -> str:
    """A path from the config file, made relative to the working directory for display."""
    if settings.root is None or os.path.isabs(value):
        return value
    absolute = os.path.join(settings.root, value)
    relative = os.path.relpath(absolute)
    return relative if not relative.startswith("..") or len(relative) < len(absolute) else absolute
