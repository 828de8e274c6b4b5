"""Which pages are language versions of each other.

Two conventions, both configurable in `[tool.validate.pairing]`:
- `suffixes = ["en", "ko"]`: `NAME.ko.md` pairs with `NAME.en.md` in the same directory;
- `directories = ["ko"]`: a `ko/` directory mirrors the default-language tree, so
  `site/ko/Guide/page.md` pairs with `site/Guide/page.md`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from validate.errors import ConfigError

DEFAULTS = {"enabled": True, "suffixes": ["en", "ko"], "directories": ["ko"], "default": "en"}


@dataclass(frozen=True)
class PairingRules:
    enabled: bool = True
    suffixes: tuple[str, ...] = ("en", "ko")
    directories: tuple[str, ...] = ("ko",)
    default: str = "en"      # the language of pages outside the language directories

    @classmethod
    def from_config(cls, table: dict, where: str) -> "PairingRules":
        values = dict(DEFAULTS)
        for key, value in table.items():
            if key not in DEFAULTS:
                raise ConfigError(f"{where}: pairing has no key {key!r} "
                                  f"(known: {', '.join(sorted(DEFAULTS))})")
            expected = type(DEFAULTS[key])
            if not isinstance(value, expected) or (
                    expected is list and not all(isinstance(v, str) and v for v in value)):
                raise ConfigError(f"{where}: pairing.{key} must be "
                                  f"{'a list of names' if expected is list else expected.__name__}")
            values[key] = value
        return cls(enabled=values["enabled"], suffixes=tuple(values["suffixes"]),
                   directories=tuple(values["directories"]), default=values["default"])

    def language(self, path: str) -> str | None:
        """The language a path's name or directory says, if any."""
        parts = path.replace(os.sep, "/").split("/")
        stem_parts = parts[-1].rsplit(".", 2)
        if len(stem_parts) == 3 and stem_parts[1] in self.suffixes:
            return stem_parts[1]
        for part in parts[:-1]:
            if part in self.directories:
                return part
        return None

    def partners(self, path: str) -> list[str]:
        """Paths that would be other language versions of `path` (existing or not)."""
        if not self.enabled:
            return []
        shown = path.replace(os.sep, "/")
        parts = shown.split("/")
        found: list[str] = []
        name = parts[-1].rsplit(".", 2)
        if len(name) == 3 and name[1] in self.suffixes:
            for other in self.suffixes:
                if other != name[1]:
                    found.append("/".join(parts[:-1] + [f"{name[0]}.{other}.{name[2]}"]))
        for index, part in enumerate(parts[:-1]):
            if part in self.directories:
                found.append("/".join(parts[:index] + parts[index + 1:]))
                break
        else:
            for language in self.directories:
                for index in range(len(parts)):
                    found.append("/".join(parts[:index] + [language] + parts[index:]))
        return found


def find_pairs(paths: list[str], rules: PairingRules) -> list[tuple[str, str]]:
    """Pairs among `paths`, each once, the default language (or first name) first."""
    known = set(paths)
    pairs: set[tuple[str, str]] = set()
    for path in paths:
        for partner in rules.partners(path):
            if partner in known and partner != path:
                pairs.add(tuple(sorted((path, partner), key=lambda p: (
                    rules.language(p) not in (None, rules.default), p))))
    return sorted(pairs)


def reference_paths(paths: list[str], pairing: PairingRules) -> list[str]:
    """Other language versions of `paths` that exist on disk but were not given."""
    import os

    given = set(paths)
    found: list[str] = []
    for path in paths:
        for partner in pairing.partners(path):
            if partner not in given and partner not in found and os.path.isfile(partner):
                found.append(partner)
    return found
