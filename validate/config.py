"""Settings: `[tool.validate]` in the nearest pyproject.toml, overridden by the command line.

Every key is checked: an unknown key or a value of the wrong kind is a ConfigError that
names the file and the key (exit status 2), never a silent default.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validate.errors import ConfigError, InputError
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
# A pyproject.toml is a few KB; this only keeps a fifo or a huge file from being read.
_MAX_CONFIG_BYTES = 4 * 1024 * 1024
_LINK_PLACEHOLDERS = ("{path}", "{line}")
_LINK_SCHEMES = ("http", "https", "file")


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
            data = _read_toml(candidate)
            tool = data.get("tool", {})
            if isinstance(tool, dict) and "validate" in tool:
                return candidate
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's data; every way it can fail is a one-line ConfigError naming it."""
    from validate.sources import read_bounded

    try:
        text = read_bounded(str(path), limit=_MAX_CONFIG_BYTES).decode("utf-8")
        return tomllib.loads(text)
    except InputError as exc:
        if exc.reason == "no such file or directory":
            raise ConfigError(f"{path}: no such file") from None
        raise ConfigError(f"{path}: cannot read: {exc.reason}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid TOML: arrays or tables nested too deeply") from None
    except ValueError as exc:  # tomllib lets int()'s limit of 4,300 digits through
        raise ConfigError(f"{path}: not valid TOML: {str(exc).split(':')[0]}") from None


def load_settings(start: Path | None = None, config_file: Path | None = None) -> Settings:
    path = config_file or find_pyproject((start or Path.cwd()).resolve())
    if path is None:
        return Settings()
    data = _read_toml(path)
    tool = data.get("tool", {})
    table = tool.get("validate", {}) if isinstance(tool, dict) else tool
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
                raise ConfigError(f"{where}: must be a list of strings, not {_short(value)}")
            if key == "exclude":
                _check_exclude(items, where)
            target = {"schemas": "schema_dirs"}.get(key, key)
            setattr(settings, target, list(items))
        elif key in ("out", "link"):
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{where}: must be a non-empty string, not {_short(value)}")
            if key == "link":
                problem = link_template_problem(value)
                if problem:
                    raise ConfigError(f"{where}: {problem}")
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


def _short(value: Any, limit: int = 80) -> str:
    """A value quoted in a message: one line, and short however big or deep the value is."""
    try:
        text = repr(value)
    except RecursionError:
        text = f"a deeply nested {type(value).__name__}"
    return text if len(text) <= limit else text[:limit] + "..."


def _check_exclude(patterns: list[str], where: str) -> None:
    from validate.sources import exclude_spec

    for pattern in patterns:
        try:
            exclude_spec([pattern])
        except ValueError as exc:
            raise ConfigError(f"{where}: {pattern!r} is not a gitignore-style pattern ({exc})") from None


def link_template_problem(template: str) -> str | None:
    """Why `template` cannot be the HTML report's source link, or None when it can.

    Only `{path}` and `{line}` are replaced (by plain text replacement, never str.format),
    and the link must lead to a web page or a file: no `javascript:` or `data:` URL.
    """
    rest = template
    for placeholder in _LINK_PLACEHOLDERS:
        rest = rest.replace(placeholder, "")
    if "{" in rest or "}" in rest:
        return ("may hold only the placeholders {path} and {line} "
                f"(no other braces, format specs or attributes), not {_short(template)}")
    if any(ord(c) < 0x20 or ord(c) == 0x7f or c.isspace() for c in template):
        return f"must not contain spaces or control characters, not {_short(template)}"
    # A URL's scheme is what comes before the first `:` that precedes any `/`, `?` or `#`.
    scheme = re.match(r"([^/?#:]*):", template)
    if scheme and scheme.group(1).lower() not in _LINK_SCHEMES:
        return (f"must be an http, https or file link, or a relative path, "
                f"not a {scheme.group(1)!r} link")
    return None


def resolve_config_path(settings: Settings, value: str) -> str:
    """A path from the config file, made relative to the working directory for display."""
    if settings.root is None or os.path.isabs(value):
        return value
    absolute = os.path.join(settings.root, value)
    relative = os.path.relpath(absolute)
    return relative if not relative.startswith("..") or len(relative) < len(absolute) else absolute
