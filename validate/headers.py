"""Which table kind a table is, and which field each of its columns holds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from validate.schema import TableSchema, normalize_name

# "VRAM (GiB)", "Training time [h]": a unit written in the header applies to bare numbers.
_HEADER_UNIT = re.compile(r"^(?P<name>.*?)\s*[(\[](?P<unit>[^()\[\]]{1,20})[)\]]\s*$")


@dataclass
class HeaderMatch:
    """How a table's header maps to a schema's fields (or why it does not)."""

    schema: TableSchema | None
    columns: dict[str, int] = field(default_factory=dict)       # field -> column index
    header_units: dict[str, str] = field(default_factory=dict)  # field -> unit from its header
    unknown: list[int] = field(default_factory=list)            # columns no field claims
    repeated: list[tuple[int, str, int]] = field(default_factory=list)  # (column, field, first)
    recognised: int = 0
    considered: int = 0
    reason: str = ""

    @property
    def share(self) -> float:
        return self.recognised / self.considered if self.considered else 0.0


def field_for(header_text: str, aliases: dict[str, str]) -> tuple[str | None, str | None]:
    """(field, unit written in the header) for one header cell."""
    name = normalize_name(header_text)
    if name in aliases:
        return aliases[name], None
    match = _HEADER_UNIT.match(name)
    if match and match.group("name") in aliases:
        return aliases[match.group("name")], match.group("unit").strip()
    return None, None


def map_header(header: list[str], schema: TableSchema) -> HeaderMatch:
    aliases = schema.alias_index()
    result = HeaderMatch(schema=schema)
    for index, text in enumerate(header):
        if not text.strip():
            continue
        result.considered += 1
        name, unit = field_for(text, aliases)
        if name is None:
            result.unknown.append(index)
        elif name in result.columns:
            result.repeated.append((index, name, result.columns[name]))
        else:
            result.columns[name] = index
            if unit:
                result.header_units[name] = unit
            result.recognised += 1
    return result


def match_table(header: list[str], schemas: list[TableSchema]) -> HeaderMatch:
    """The schema whose fields best cover the header, if it covers enough of it.

    A schema matches when at least `match.min_share` of the header's (non-empty) columns
    name one of its fields, and at least two do. Otherwise the result has no schema and its
    `reason` explains the nearest miss.
    """
    best: HeaderMatch | None = None
    nearest: HeaderMatch | None = None
    for schema in schemas:
        candidate = map_header(header, schema)
        needed = schema.columns_needed()
        if candidate.recognised >= needed and candidate.share >= schema.min_share:
            if best is None or candidate.recognised > best.recognised:
                best = candidate
        elif candidate.recognised and (nearest is None or candidate.share > nearest.share):
            if candidate.share >= schema.min_share:
                candidate.reason = (f"only {candidate.recognised} of {candidate.considered} "
                                    f"columns recognised ({needed} needed)")
            nearest = candidate
    if best is not None:
        best.reason = (f"{best.recognised} of {best.considered} columns recognised "
                       f"as fields of {best.schema.name}")
        return best
    if nearest is not None:
        assert nearest.schema is not None
        reason = (f"nearest schema {nearest.schema.name}: {nearest.recognised} of "
                  f"{nearest.considered} columns recognised ({nearest.share:.0%}), "
                  f"below its threshold of {nearest.schema.min_share:.0%}")
        if nearest.reason:
            reason = f"nearest schema {nearest.schema.name}: {nearest.reason}"
        return HeaderMatch(schema=None, considered=nearest.considered, reason=reason)
    return HeaderMatch(schema=None, considered=sum(1 for h in header if h.strip()),
                       reason="no column name matches any schema")
