"""What a rule is: a small record with a code, a name, a category, a doc and a check.

Rules are pure: they take a context and return hits (or, for checks pandera runs, a
boolean mask); they never print, read files or import the writers. Four scopes:

- `table`: looks at a table as written (header, cell counts). Any table, schema or not.
- `cells`: a vectorized check of one field's cells (a pandas Series of per-cell facts, then
  the options, the field's spec and the ParsedTable, whose `segments()` a check that compares
  cells with their column must respect); pandera runs it as a column check, once per field.
- `rows`: a vectorized check of a typed frame returning a boolean mask of passing rows;
  pandera runs it as a dataframe check. `explain` turns failing rows into hits with evidence.
- `pair`: compares the same table in two language versions of a page.
- `document`: looks at what a page says about the checks themselves (suppressions).
- `change`: judges what an edit changed since a git revision (`--since`): gets a
  validate.rules.change.ChangeContext and its options, yields hits on the page now.
- `engine`: never run; the engine reports it itself (an internal error of another check).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from validate.errors import ConfigError
from validate.findings import CATEGORIES, SEVERITIES, Hit

SCOPES = ("table", "cells", "rows", "pair", "document", "change", "engine")
DOC_HEADINGS = (
    "What it checks",
    "Why it matters",
    "Example that fires",
    "Example that does not",
    "Options",
    "Fix",
)
_CODE = re.compile(r"^[A-Z]\d{3}$")
_NAME = re.compile(r"^[a-z]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Option:
    """A rule option: its default and what values it accepts."""

    name: str
    default: Any
    description: str
    kind: str = "number"             # number, integer, boolean, fields, choice, text
    minimum: float | None = None
    choices: tuple[str, ...] = ()

    def coerce(self, value: Any, where: str) -> Any:
        problem = self._problem(value)
        if problem:
            raise ConfigError(f"{where}: option {self.name!r} {problem}")
        if self.kind == "fields":
            return tuple(value)
        if self.kind == "number":
            return float(value)
        return value

    def _problem(self, value: Any) -> str | None:
        if self.kind in ("number", "integer"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return f"must be a number, not {value!r}"
            try:
                finite = float(value) not in (float("inf"), float("-inf")) and value == value
            except OverflowError:  # an integer beyond float range
                finite = False
            if not finite:
                return "must be a finite number" + (f", not {value!r}" if isinstance(value, float) else "")
            if self.kind == "integer" and int(value) != value:
                return f"must be a whole number, not {value!r}"
            if self.minimum is not None and value < self.minimum:
                return f"must be at least {self.minimum:g}, not {value!r}"
        elif self.kind == "boolean":
            if not isinstance(value, bool):
                return f"must be true or false, not {value!r}"
        elif self.kind == "fields":
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                return f"must be a list of field names, not {value!r}"
        elif self.kind == "choice":
            if value not in self.choices:
                return f"must be one of {', '.join(self.choices)}, not {value!r}"
        elif self.kind == "text" and not isinstance(value, str):
            return f"must be text, not {value!r}"
        return None


class Options(dict):
    """A rule's resolved options, readable as attributes; carries the reference data."""

    def __init__(self, values: dict[str, Any], reference: Any = None):
        super().__init__(values)
        self.reference = reference

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __deepcopy__(self, memo) -> "Options":
        return self  # read only; pandera deep-copies check statistics with its schemas

    def __repr__(self) -> str:  # pandera puts this in error labels; keep it short
        return "Options(" + ", ".join(f"{k}={v!r}" for k, v in sorted(self.items())) + ")"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    category: str
    severity: str
    summary: str
    doc: str
    scope: str
    check: Callable[..., Any]
    explain: Callable[..., Iterable[Hit]] | None = None
    options: tuple[Option, ...] = ()
    # cells scope: which per-cell fact the check reads, and which fields it applies to
    aspect: str | None = None
    applies_to: Callable[[Any], bool] | None = None
    # rows scope: fields the table must have for the rule to run
    needs: tuple[str, ...] = ()
    enabled_by_default: bool = True
    # What the reviewers' page draws for this rule: {"kind": ..., plus the fields, options and
    # evidence keys that kind reads} (kinds: validate/writers/plots.py and html_tables.py).
    view: dict[str, Any] | None = field(default=None, hash=False, compare=False)
    # How its findings join others into one problem (validate.grouping): `cell`, `row`,
    # `listed-rows`, `counterpart`, `column`, `field-pair`; none: each finding is its own.
    grouping: tuple[str, ...] = ("cell",)
    # A finding about writing style only (problems made of them alone rank last).
    style: bool = False

    def __post_init__(self) -> None:
        assert _CODE.match(self.code), self.code
        assert _NAME.match(self.name), self.name
        assert self.category in CATEGORIES, self.category
        assert self.severity in SEVERITIES, self.severity
        assert self.scope in SCOPES, self.scope

    def default_options(self) -> dict[str, Any]:
        return {option.name: option.default for option in self.options}

    def resolve_options(self, overrides: dict[str, Any], where: str) -> dict[str, Any]:
        known = {option.name: option for option in self.options}
        resolved = self.default_options()
        for key, value in overrides.items():
            if key not in known:
                names = ", ".join(sorted(known)) or "none"
                raise ConfigError(f"{where}: {self.code} has no option {key!r} (options: {names})")
            resolved[key] = known[key].coerce(value, where)
        return resolved

    def doc_sections(self) -> dict[str, str]:
        return split_doc(self.doc)


def split_doc(doc: str) -> dict[str, str]:
    """A rule doc's `## Heading` sections, by heading."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in doc.strip().splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
    return {k: "\n".join(v).strip() for k, v in sections.items()}


def rule_doc(module_doc: str | None) -> str:
    """A rule module's docstring, which is the rule's documentation."""
    return (module_doc or "").strip()


@dataclass
class TableContext:
    """What a `table` rule sees: the table as written and how its header maps to fields."""

    path: str
    table: Any            # validate.reader.Table
    match: Any            # validate.headers.HeaderMatch
    options: Options = field(default_factory=lambda: Options({}))


def fmt_number(value: float) -> str:
    """A number as a reviewer reads it: grouped digits, at most 3 significant decimals."""
    if value != value:  # NaN
        return "?"
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.2f}"
    return f"{value:.3g}"


def fmt_ratio(ratio: float) -> str:
    """A ratio as a reviewer reads it: `3.37x`, `0.45x`, or `1/480 of` for tiny ones."""
    if ratio >= 0.01:
        return f"{ratio:,.2f}x"
    return f"1/{1 / ratio:,.0f} of"


def rounded(value: float, digits: int = 4) -> float | int:
    """Evidence numbers: stable across platforms, integers where the value is whole."""
    if value != value or value in (float("inf"), float("-inf")):
        return None  # type: ignore[return-value]
    if float(value).is_integer():
        return int(value)
    return float(f"{value:.{digits}g}")
