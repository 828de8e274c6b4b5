"""Drafting a schema from a table: which columns hold numbers, in which unit, and what else.

Used two ways: `validate --infer-schema FILE` prints a draft schema file for a maintainer
to edit, and tables that match no schema are typed with an inferred schema so the format
checks (numbers that do not parse, bad digit grouping, mixed styles) run on every table.
Pure Python on purpose: it runs before pandas is needed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from validate.problems import ANY_UNIT, NUMBER
from validate.reader import Table
from validate.schema import FieldSpec, Reference, TableSchema

_NUMBER = re.compile(NUMBER, re.S)
_BOOLEANS = {"true", "false", "yes", "no", "y", "n", "o", "x", "✓", "✗", "예", "아니오"}
_PLACEHOLDERS = {"", "-", "–", "—", "n/a", "na", "tbd", "?", "none", "null", "…", "..."}
_VERSION = re.compile(r"^[vV]?\d+(?:\.\d+){1,3}(?:[-+._]?[0-9A-Za-z]+)*$")
_ACCELERATOR = re.compile(r"^(?:small|medium|large|(?:\d+(?:\.\d+)?)?x+large)(?:\.\d+\s*[GT]i?B)?$",
                          re.IGNORECASE)
INFERRED = "inferred"     # the name of inferred schemas: they match one table, no other

# A column is numeric when this share of its non-empty cells starts with a number.
NUMERIC_SHARE = 0.8
MIN_NUMBERS = 3


def field_name(header: str, taken: set[str]) -> str:
    """A lower-case identifier from a header: `vram 사용량 (MiB)` -> `vram_사용량_mib`."""
    text = unicodedata.normalize("NFKC", header).casefold()
    text = re.sub(r"[^\w]+", "_", text).strip("_") or "column"
    if not re.match(r"^[^\W\d_]", text):
        text = f"c_{text}"
    name, number = text, 2
    while name in taken:
        name, number = f"{text}_{number}", number + 1
    taken.add(name)
    return name


def _unit_dimension(units: Counter, reference: Reference) -> tuple[str | None, str | None]:
    """(dimension name, the column's most used unit) when every unit written is one dimension's."""
    dimensions = set()
    for unit in units:
        dimension = reference.dimension_of(unit)
        if dimension is None:
            return None, None
        dimensions.add(dimension.name)
    if len(dimensions) != 1:
        return None, None
    name = dimensions.pop()
    most = units.most_common(1)[0][0]
    return name, reference.dimensions[name].lookup(most).spelling


def infer_field(header: str, cells: list[str], reference: Reference, name: str) -> FieldSpec:
    present = [c.strip() for c in cells if c.strip().casefold() not in _PLACEHOLDERS]
    # Shapes that start with digits but are no quantities come first: 24.5.0, 2xlarge.
    if present and all(_VERSION.match(c) for c in present) and any(c.count(".") > 1 for c in present):
        return FieldSpec(name=name, type="string", aliases=(header,), format="version")
    if present and all(_ACCELERATOR.match(c) for c in present):
        return FieldSpec(name=name, type="string", aliases=(header,), format="accelerator")
    numbers = [m for m in (_NUMBER.match(c) for c in present) if m]
    if present and len(numbers) >= MIN_NUMBERS and len(numbers) >= NUMERIC_SHARE * len(present):
        units = Counter(m.group("unit").strip() for m in numbers if m.group("unit").strip())
        integral = all(not m.group("frac") for m in numbers) and not units
        if units:
            dimension, unit = _unit_dimension(units, reference)
            if dimension is not None:
                bare = len(numbers) - sum(units.values())
                return FieldSpec(name=name, type="number", aliases=(header,), unit=unit,
                                 unit_required=bare == 0)
            # Units no dimension knows (`12대`, `71 C`): numbers all the same, spelled freely.
            return FieldSpec(name=name, type="number", aliases=(header,), units=(ANY_UNIT,))
        return FieldSpec(name=name, type="integer" if integral else "number", aliases=(header,))
    lowered = {c.casefold() for c in present}
    if present and lowered <= _BOOLEANS:
        return FieldSpec(name=name, type="boolean", aliases=(header,))
    return FieldSpec(name=name, type="string", aliases=(header,))


def _sample(table: Table, column: int, size: int = 2000) -> list[str]:
    """The column's cells, or for a big table an even sample of them (types, not values)."""
    count = table.row_count
    rows = range(count) if count <= size else range(0, count, count // size)
    return [table.row(r)[column] for r in rows]


def infer_schema(table: Table, reference: Reference, name: str = INFERRED) -> TableSchema:
    taken: set[str] = set()
    fields = {}
    for column, header in enumerate(table.header):
        spec = infer_field(header or f"column {column + 1}", _sample(table, column),
                           reference, field_name(header or f"column {column + 1}", taken))
        fields[spec.name] = spec
    return TableSchema(name=name, description=f"Inferred from the table at line {table.line}",
                       fields=fields, min_share=1.0)


def render_schema_yaml(schema: TableSchema, source: str, table: Table) -> str:
    """A schema file draft: valid as it is, meant to be edited (names, aliases, key, units)."""
    import yaml

    fields = {}
    for spec in schema.fields.values():
        entry: dict = {"aliases": list(spec.aliases), "type": spec.type}
        if spec.unit:
            entry["unit"] = spec.unit
            if spec.unit_required:
                entry["unit_required"] = True
        if spec.units:
            entry["units"] = list(spec.units)
        if spec.format:
            entry["format"] = spec.format
        if spec.type in ("integer", "number"):
            entry["min"] = 0
        fields[spec.name] = entry
    strings = [s.name for s in schema.fields.values() if s.type == "string"]
    body = {
        "name": schema.name,
        "description": f"Drafted from {source}, table at line {table.line} "
                       f"({table.row_count} rows); edit names, aliases, units and key",
        "fields": fields,
        "key": strings[:1],
    }
    head = (f"# Draft schema inferred by `validate --infer-schema {source}`.\n"
            "# Check each field's type and unit, add aliases in other languages, list the\n"
            "# fields that identify a row under `key`, then save it in schemas/.\n")
    return head + yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=100)
