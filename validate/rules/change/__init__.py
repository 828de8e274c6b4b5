"""Rules of edits: they judge what changed since a git revision (`validate --since REF`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ChangeContext:
    """What a change rule sees: one table's changes, and the other language versions' tables."""

    changes: Any                  # validate.changes.TableChanges
    ref: str                      # the revision compared with (shown in messages)
    partners: list = field(default_factory=list)   # ParsedTables of the other versions, now


def version_kept(changes, old_row: int, row: int) -> bool:
    """Whether a row's platform version is the same now as at the revision (or not written)."""
    old, new = changes.old, changes.new
    if "platform_version" not in new.values.columns or "platform_version" not in old.values.columns:
        return True
    return str(old.typed_cells("platform_version")[old_row]) == str(new.typed_cells("platform_version")[row])


def measured_changes(changes):
    """The cell changes of measurement fields whose value (not only its writing) changed."""
    measured = set(changes.new.schema.measurements)
    return [c for c in changes.cells if c.value_changed and c.field in measured]


def at_ref(ref: str) -> str:
    return ref or "the index"
