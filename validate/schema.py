"""Table kinds and reference data, declared in YAML files in `schemas/`.

A schema file (`schemas/NAME.yaml`) declares one table kind: its fields with aliases in
each language, types and units, the key that identifies a configuration, and the options
of the rules that apply. Reference data (`schemas/reference/*.yaml`) holds the units and the
accelerator flavors. Nothing here imports pandas: loading schemas is part of start-up.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validate.errors import InputError, SchemaFileError
from validate.problems import ANY_UNIT
from validate.yamlfile import Located, load_yaml

TYPES = ("string", "integer", "number", "boolean")
STRING_FORMATS = ("version", "accelerator")
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_FIELD_KEYS = {"aliases", "type", "unit", "unit_required", "units", "format", "required",
               "min", "max", "description"}
_SCHEMA_KEYS = {"name", "description", "match", "fields", "key", "measurements", "rules"}


def normalize_name(text: str) -> str:
    """How header names and unit spellings are compared: case, spacing and markup ignored."""
    text = text.replace("\u00a0", " ").casefold()
    text = re.sub(r"[`*_]", "", text)
    return " ".join(text.split())


def squeeze(text: str) -> str:
    """A unit spelling reduced for lookup: no case, no spaces."""
    return "".join(text.casefold().split())


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    unit: str | None = None
    unit_required: bool = False
    units: tuple[str, ...] = ()      # accepted spellings; empty = every unit of the dimension
    format: str | None = None
    required: bool = False
    min: float | None = None
    max: float | None = None
    description: str = ""

    @property
    def numeric(self) -> bool:
        return self.type in ("integer", "number")


@dataclass(frozen=True)
class TableSchema:
    name: str
    description: str
    fields: dict[str, FieldSpec]
    key: tuple[str, ...] = ()
    measurements: tuple[str, ...] = ()
    min_share: float = 0.5
    min_columns: int | None = None   # recognised columns a table needs (see columns_needed)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: str = ""
    rule_lines: dict[str, int] = field(default_factory=dict)
    disabled: frozenset[str] = frozenset()   # rule codes that do not apply to this kind

    def columns_needed(self) -> int:
        """Recognised columns a table needs to be this kind: `match.min_columns`, or else 3 (2
        for kinds with fewer than 3 required fields), so that `Model | Flavor` is no guide."""
        if self.min_columns is not None:
            return self.min_columns
        required = sum(1 for spec in self.fields.values() if spec.required)
        return min(3, max(2, required))

    def alias_index(self) -> dict[str, str]:
        """Normalized header text -> field name."""
        index = {}
        for spec in self.fields.values():
            for alias in (spec.name, *spec.aliases):
                index.setdefault(normalize_name(alias), spec.name)
        return index


@dataclass(frozen=True)
class Unit:
    spelling: str        # preferred spelling
    factor: float        # one of it in the dimension's canonical unit


@dataclass(frozen=True)
class Dimension:
    name: str
    canonical: str
    units: dict[str, Unit]   # squeezed spelling -> unit

    def lookup(self, spelling: str) -> Unit | None:
        return self.units.get(squeeze(spelling))


@dataclass(frozen=True)
class Accelerator:
    name: str
    memory_mib: float
    units: float
    peak_tflops: float | None = None


@dataclass(frozen=True)
class Reference:
    dimensions: dict[str, Dimension]
    accelerators: dict[str, Accelerator]

    def dimension_of(self, unit: str) -> Dimension | None:
        for dimension in self.dimensions.values():
            if dimension.lookup(unit) is not None:
                return dimension
        return None


# --- locating and loading ---------------------------------------------------------------------

def builtin_schema_dir() -> Path:
    """The schemas shipped with the tool.

    A wheel carries them inside the package; a source checkout (and an editable install)
    reads them from the repository's `schemas/` directory.
    """
    packaged = Path(__file__).parent / "builtin_schemas"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "schemas"


def load_schemas(directories: list[Path]) -> list[TableSchema]:
    """Every table kind declared in the directories. Two files declaring the same name are
    an error naming both: one would silently replace the other (and its cleaned CSV)."""
    by_name: dict[str, TableSchema] = {}
    dimensions: dict[str, Dimension] | None = None
    for directory in _unique(directories):
        for path in sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml")):
            schema = load_schema_file(path)
            if schema.name in by_name:
                raise SchemaFileError(str(path), f"table kind {schema.name!r} is already declared "
                                                 f"in {by_name[schema.name].path}: rename one of them")
            if dimensions is None:
                dimensions = _all_dimensions(directories)
            _check_units(schema, path, dimensions)
            by_name[schema.name] = schema
    return [by_name[name] for name in sorted(by_name)]


def _all_dimensions(directories: list[Path]) -> dict[str, Dimension]:
    dimensions: dict[str, Dimension] = {}
    for directory in _unique(directories):
        units_file = directory / "reference" / "units.yaml"
        if units_file.is_file():
            dimensions.update(_load_units(units_file))
    return dimensions


def _check_units(schema: TableSchema, path: Path, dimensions: dict[str, Dimension]) -> None:
    """A field's `unit` must be one the units reference knows, or no cell could convert to it."""
    if not dimensions:
        return  # load_reference reports the missing units file
    for spec in schema.fields.values():
        if spec.unit is not None and not any(d.lookup(spec.unit) for d in dimensions.values()):
            known = ", ".join(d.canonical for d in dimensions.values())
            raise SchemaFileError(str(path), f"field {spec.name!r}: unit {spec.unit!r} is not in "
                                             f"the units reference (canonical units: {known})")


def load_reference(directories: list[Path]) -> Reference:
    dimensions: dict[str, Dimension] = {}
    accelerators: dict[str, Accelerator] = {}
    for directory in _unique(directories):
        reference = directory / "reference"
        units_file = reference / "units.yaml"
        if units_file.is_file():
            dimensions.update(_load_units(units_file))
    if not dimensions:
        raise SchemaFileError(str(builtin_schema_dir() / "reference" / "units.yaml"),
                              "no units reference found")
    for directory in _unique(directories):
        accelerators_file = directory / "reference" / "accelerators.yaml"
        if accelerators_file.is_file():
            accelerators.update(_load_accelerators(accelerators_file, dimensions))
    return Reference(dimensions=dimensions, accelerators=accelerators)


def _unique(directories: list[Path]) -> list[Path]:
    seen, result = set(), []
    for directory in directories:
        resolved = directory.resolve()
        if resolved not in seen:
            seen.add(resolved)
            result.append(directory)
    return result


# Schema and reference files are a few KB; this keeps a fifo or a huge file from being read.
_MAX_SCHEMA_BYTES = 4 * 1024 * 1024


def _read(path: Path) -> Located:
    from validate.sources import read_bounded

    try:
        text = read_bounded(str(path), limit=_MAX_SCHEMA_BYTES).decode("utf-8")
    except InputError as exc:
        raise SchemaFileError(str(path), f"cannot read: {exc.reason}") from None
    except UnicodeDecodeError as exc:
        raise SchemaFileError(str(path), f"cannot read: not valid UTF-8 (byte at offset {exc.start})") from None
    data = load_yaml(str(path), text)
    if not isinstance(data, Located):
        raise SchemaFileError(str(path), "expected a mapping at the top of the file", 1)
    return data


def load_schema_file(path: Path) -> TableSchema:
    data = _read(path)
    _no_unknown_keys(data, _SCHEMA_KEYS, "schema")
    name = data.get("name")
    if not isinstance(name, str) or not _FIELD_NAME.fullmatch(name):  # `$` alone lets "x\n" in
        raise data.error("name", "`name` must be a lower-case identifier such as finetune_guide")
    fields_data = data.get("fields")
    if not isinstance(fields_data, Located) or not fields_data:
        raise data.error("fields", "`fields` must map field names to their declarations")
    fields = {}
    for field_name, spec in fields_data.items():
        fields[field_name] = _field(field_name, spec, fields_data)
    key = _field_list(data, "key", fields)
    measurements = _field_list(data, "measurements", fields)
    min_share, min_columns = 0.5, None
    match = data.get("match")
    if match is not None:
        if not isinstance(match, Located):
            raise data.error("match", "`match` must be a mapping such as {min_share: 0.6}")
        _no_unknown_keys(match, {"min_share", "min_columns"}, "match")
        share = match.get("min_share", min_share)
        if not isinstance(share, (int, float)) or isinstance(share, bool) or not 0 < share <= 1:
            raise match.error("min_share", "`min_share` must be a number in (0, 1]")
        min_share = float(share)
        columns = match.get("min_columns")
        if columns is not None and (isinstance(columns, bool) or not isinstance(columns, int) or columns < 1):
            raise match.error("min_columns", "`min_columns` must be a whole number of at least 1")
        min_columns = columns
    rules = data.get("rules") or {}
    if not isinstance(rules, dict):
        raise data.error("rules", "`rules` must map rule codes to their options")
    rule_options, rule_lines, disabled = {}, {}, set()
    for code, options in rules.items():
        rule_lines[code] = rules.line_of(code)
        if options is False or options == "off":
            disabled.add(code)  # `C501: off`: the rule does not apply to this table kind
            continue
        if options is None or options is True or options == "on":
            options = {}
        if not isinstance(options, dict):
            raise rules.error(code, f"options of {code} must be a mapping, or off")
        rule_options[code] = dict(options)
    description = data.get("description", "")
    if not isinstance(description, str):
        raise data.error("description", "`description` must be text")
    return TableSchema(name=name, description=description.strip(), fields=fields, key=key,
                       measurements=measurements, min_share=min_share,
                       min_columns=min_columns, rules=rule_options,
                       path=str(path), rule_lines=rule_lines, disabled=frozenset(disabled))


def _no_unknown_keys(data: Located, allowed: set[str], what: str) -> None:
    for key in data:
        if key not in allowed:
            raise data.error(key, f"unknown {what} key {key!r} (known: {', '.join(sorted(allowed))})")


def _field(name: str, spec: Any, parent: Located) -> FieldSpec:
    # Any language's letters are fine (`모델명`), as long as it reads as a lower-case identifier.
    if not (name.isidentifier() and name == name.lower()):
        raise parent.error(name, f"field name {name!r} must be a lower-case identifier")
    if not isinstance(spec, Located):
        raise parent.error(name, f"field {name!r} must be a mapping such as {{type: string}}")
    _no_unknown_keys(spec, _FIELD_KEYS, f"field {name!r}")
    kind = spec.get("type", "string")
    if kind not in TYPES:
        raise spec.error("type", f"field {name!r}: type must be one of {', '.join(TYPES)}, not {kind!r}")
    aliases = spec.get("aliases", [])
    if isinstance(aliases, str):
        aliases = [aliases]
    if isinstance(aliases, dict):  # by language: {en: [Model], ko: [모델명]}
        flat = []
        for language, names in aliases.items():
            names = [names] if isinstance(names, str) else names
            if not isinstance(names, list):
                raise spec.error("aliases", f"field {name!r}: aliases.{language} must be a list")
            flat.extend(names)
        aliases = flat
    if not isinstance(aliases, list) or not all(isinstance(a, (str, int, float)) for a in aliases):
        raise spec.error("aliases", f"field {name!r}: aliases must be a list of header names")
    unit = spec.get("unit")
    if unit is not None and (not isinstance(unit, str) or kind not in ("integer", "number")):
        raise spec.error("unit", f"field {name!r}: only integer and number fields take a unit")
    units = spec.get("units", [])
    if isinstance(units, str):
        units = [units]
    if not isinstance(units, list) or not all(isinstance(u, str) for u in units):
        raise spec.error("units", f"field {name!r}: units must be a list of unit spellings")
    if units and unit is None and units != [ANY_UNIT]:
        raise spec.error("units", f"field {name!r}: accepted units need a `unit` for cleaned values "
                                  f"(or `units: [{ANY_UNIT}]` to take numbers with any unit as written)")
    fmt = spec.get("format")
    if fmt is not None and (fmt not in STRING_FORMATS or kind != "string"):
        raise spec.error("format", f"field {name!r}: format must be one of "
                         f"{', '.join(STRING_FORMATS)} on a string field")
    bounds = {}
    for bound in ("min", "max"):
        value = spec.get(bound)
        if value is not None and not _finite_number(value):
            raise spec.error(bound, f"field {name!r}: {bound} must be a finite number, not {_short(value)}")
        bounds[bound] = value
    if bounds["min"] is not None and bounds["max"] is not None and bounds["min"] > bounds["max"]:
        raise spec.error("max", f"field {name!r}: max {bounds['max']:g} is below min {bounds['min']:g}")
    flags = {}
    for flag in ("required", "unit_required"):
        value = spec.get(flag, False)
        if not isinstance(value, bool):
            raise spec.error(flag, f"field {name!r}: {flag} must be true or false")
        flags[flag] = value
    return FieldSpec(name=name, type=kind, aliases=tuple(str(a) for a in aliases), unit=unit,
                     unit_required=flags["unit_required"], units=tuple(units), format=fmt,
                     required=flags["required"], min=bounds["min"], max=bounds["max"],
                     description=str(spec.get("description", "")))


def _finite_number(value: Any) -> bool:
    """A number a bound or factor can be: not a boolean, not NaN or infinite, and within
    float range (a 300-digit integer is a float overflow wherever it meets a cell's value)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def _short(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _field_list(data: Located, key: str, fields: dict[str, FieldSpec]) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise data.error(key, f"`{key}` must be a list of field names")
    for name in value:
        if name not in fields:
            raise data.error(key, f"`{key}` names {name!r}, which is not a declared field")
    return tuple(value)


def _load_units(path: Path) -> dict[str, Dimension]:
    data = _read(path)
    dimensions_data = data.get("dimensions")
    if not isinstance(dimensions_data, Located):
        raise data.error("dimensions", "expected `dimensions:` mapping names to units")
    dimensions = {}
    for name, spec in dimensions_data.items():
        if not isinstance(spec, Located) or not isinstance(spec.get("canonical"), str):
            raise dimensions_data.error(name, f"dimension {name!r} needs a `canonical` unit")
        units: dict[str, Unit] = {}
        for entry in spec.get("units") or []:
            if not isinstance(entry, Located):
                raise spec.error("units", f"dimension {name!r}: each unit is {{factor, spellings}}")
            factor = entry.get("factor")
            spellings = entry.get("spellings")
            if not _finite_number(factor) or factor <= 0:
                raise entry.error("factor", f"dimension {name!r}: factor must be a positive finite number")
            if not isinstance(spellings, list) or not spellings:
                raise entry.error("spellings", f"dimension {name!r}: spellings must be a list")
            unit = Unit(spelling=str(spellings[0]), factor=float(factor))
            for spelling in spellings:
                units[squeeze(str(spelling))] = unit
        if squeeze(spec["canonical"]) not in units:
            raise spec.error("canonical", f"dimension {name!r}: canonical unit "
                             f"{spec['canonical']!r} is not among its units")
        dimensions[name] = Dimension(name=name, canonical=spec["canonical"], units=units)
    return dimensions


def _load_accelerators(path: Path, dimensions: dict[str, Dimension]) -> dict[str, Accelerator]:
    data = _read(path)
    table = data.get("accelerators")
    if not isinstance(table, Located):
        raise data.error("accelerators", "expected `accelerators:` mapping flavor names")
    memory = dimensions.get("memory")
    result = {}
    for name, spec in table.items():
        if not isinstance(spec, Located):
            raise table.error(name, f"flavor {name!r} must be a mapping {{memory, units}}")
        _no_unknown_keys(spec, {"memory", "units", "peak_tflops"}, f"flavor {name!r}")
        text = str(spec.get("memory", ""))
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(\S+)\s*", text)
        unit = memory.lookup(match.group(2)) if (match and memory) else None
        if unit is None or not _finite_number(float(match.group(1))):
            raise spec.error("memory", f"flavor {name!r}: memory must be like '1024 GiB', not {_short(text)}")
        units = spec.get("units")
        if not _finite_number(units) or units <= 0:
            raise spec.error("units", f"flavor {name!r}: units must be a positive finite number")
        peak = spec.get("peak_tflops")
        if peak is not None and not _finite_number(peak):
            raise spec.error("peak_tflops", f"flavor {name!r}: peak_tflops must be a finite number")
        result[name.casefold()] = Accelerator(name=name.casefold(),
                                              memory_mib=float(match.group(1)) * unit.factor,
                                              units=float(units), peak_tflops=peak)
    return result
