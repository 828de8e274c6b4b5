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
from validate.vocabulary import ACCELERATOR, VERSION, Kind, cell_kind, is_placeholder

_VERSION = re.compile(rf"^{VERSION}$")

INFERRED = "inferred"     # the name of inferred schemas: they match one table, no other

# A column is typed as numbers when at least this many of its cells are numbers and every
# other non-empty cell is a number too (or one whose thousands separators slipped, in a
# column that uses them): one word, range or list among numbers is a sign that the column
# holds something other than measurements (a parameter table, a sub-header row), and
# judging its cells as numbers would only raise false alarms.
MIN_NUMBERS = 3
_NUMBER = re.compile(NUMBER, re.S)


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
    present = [" ".join(c.split()) for c in cells if not is_placeholder(c)]
    kinds = Counter(cell_kind(c) for c in present)
    string = FieldSpec(name=name, type="string", aliases=(header,))
    if not present:
        return string
    # Shapes that start with digits but are no quantities come first: 24.5.0, 2xlarge.
    if kinds[Kind.VERSION] and set(kinds) <= {Kind.VERSION, Kind.NUMBER} and all(
            _VERSION.match(c) for c in present):
        return FieldSpec(name=name, type="string", aliases=(header,), format="version")
    if all(ACCELERATOR.match(c) for c in present):
        return FieldSpec(name=name, type="string", aliases=(header,), format="accelerator")
    if set(kinds) == {Kind.BOOLEAN}:
        return FieldSpec(name=name, type="boolean", aliases=(header,))
    numbers = [m for m in (_NUMBER.match(c) for c in present) if m and cell_kind(m.group(0)) is Kind.NUMBER]
    grouped = any("," in m.group("int") for m in numbers)
    allowed = {Kind.NUMBER, Kind.MISGROUPED} if grouped else {Kind.NUMBER}
    if len(numbers) < MIN_NUMBERS or not set(kinds) <= allowed:
        return string
    units = Counter(m.group("unit").strip() for m in numbers if m.group("unit").strip())
    if units:
        dimension, unit = _unit_dimension(units, reference)
        if dimension is not None:
            bare = len(numbers) - sum(units.values())
            return FieldSpec(name=name, type="number", aliases=(header,), unit=unit,
                             unit_required=bare == 0)
        # Units no dimension knows (`12대`, `71 C`, `1.47x`): numbers all the same, spelled freely.
        return FieldSpec(name=name, type="number", aliases=(header,), units=(ANY_UNIT,))
    integral = all(not m.group("frac") for m in numbers)
    return FieldSpec(name=name, type="integer" if integral else "number", aliases=(header,))


def _sample(table: Table, column: int, size: int = 2000) -> list[str]:
    """The column's cells, or for a big table an even sample of them (types, not values)."""
    count = table.row_count
    rows = range(count) if count <= size else range(0, count, count // size)
    return [table.row(r)[column] for r in rows]


# An inferred schema knows the shape of a column, not what it means, so only the checks that
# are sure without a meaning run on it: a number whose separators slipped (F202), a column
# that mixes digit grouping (F210) or leaves out the unit its other cells write (F211). Not:
# doubled spaces (F212: invisible on the page, and common in hand-aligned tables), another
# spelling of a unit (F211's different_units: `44 min` beside `8.68 hr` is written for
# readers), and flavor names (F209: the reference lists one platform's flavors).
INFERRED_DISABLED = frozenset({"F209", "F212"})
INFERRED_RULE_OPTIONS = {"F211": {"different_units": False}}


def infer_schema(table: Table, reference: Reference, name: str = INFERRED) -> TableSchema:
    taken: set[str] = set()
    fields = {}
    for column, header in enumerate(table.header):
        spec = infer_field(header or f"column {column + 1}", _sample(table, column),
                           reference, field_name(header or f"column {column + 1}", taken))
        fields[spec.name] = spec
    return TableSchema(name=name, description=f"Inferred from the table at line {table.line}",
                       fields=fields, min_share=1.0, rules=INFERRED_RULE_OPTIONS,
                       disabled=INFERRED_DISABLED)


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
