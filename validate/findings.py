"""What a check reports: a finding anchored to a file, a line and a column."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace
from typing import Any

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1, "never": 4}
CATEGORIES = (
    "structure",
    "format",
    "missing",
    "duplicate",
    "consistency",
    "capacity",
    "translation",
)


@dataclass(frozen=True)
class Edit:
    """A safe fix inside one cell: replace `old` at `offset` of the cell's source text by `new`."""

    offset: int
    old: str
    new: str


@dataclass(frozen=True)
class FileEdit:
    """An edit anchored in a file: at 1-based `line` and `column`, `old` becomes `new`."""

    line: int
    column: int
    old: str
    new: str


@dataclass(frozen=True)
class Hit:
    """What a rule says, before the engine anchors it in the source.

    A rule names a row (position among the table's data rows, or None for the header /
    the table) and a field (canonical name, or a raw column index for tables without a
    schema); the engine turns that into file, line, column and the cell's source text.
    """

    message: str
    row: int | None = None
    field: str | None = None
    column_index: int | None = None
    evidence: dict[str, Any] = dataclasses.field(default_factory=dict)
    # Set when a finding points somewhere other than a cell of this table's rows
    # (a suppression comment, a header cell).
    line: int | None = None
    column: int | None = None
    value: str | None = None
    edits: tuple[Edit, ...] = ()


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    category: str
    severity: str
    file: str
    line: int
    column: int
    message: str
    table_index: int | None = None
    row_index: int | None = None
    field: str | None = None
    value: str | None = None
    evidence: dict[str, Any] = dataclasses.field(default_factory=dict)
    edits: tuple[FileEdit, ...] = ()     # a safe fix (`validate --fix`); not part of the JSON

    def sort_key(self) -> tuple:
        return (
            self.file,
            self.line,
            self.column,
            self.code,
            self.field or "",
            self.message,
        )

    def with_severity(self, severity: str) -> "Finding":
        return replace(self, severity=severity)

    def as_dict(self) -> dict[str, Any]:
        """The finding as CONTRACT.md's anomalies.json spells it (key order is fixed)."""
        return {
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "table_index": self.table_index,
            "row_index": self.row_index,
            "field": self.field,
            "value": self.value,
            "message": self.message,
            "evidence": self.evidence,
        }


def at_or_above(severity: str, threshold: str) -> bool:
    """Whether a finding of `severity` counts against `--fail-on threshold`."""
    if threshold == "never":
        return False
    return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold]
