"""Cell texts to typed values, a whole column at a time (pandas string methods, no loops).

Every parse also says what was wrong with a cell (`problems`) and how it was written
(`units`, `grouping`), so format rules can judge the writing and never the guesswork:
thousands separators are checked, never guessed ("1403,2189" is not 14,032,189), and a
number without the unit its column needs gets no value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from validate.problems import (
    ACCELERATOR_MEMORY,
    BAD_ACCELERATOR,
    NUMBER,
    BAD_GROUPING,
    BAD_VERSION,
    MISSING_UNIT,
    NOT_A_BOOLEAN,
    NOT_A_NUMBER,
    NOT_AN_INTEGER,
    UNKNOWN_ACCELERATOR,
    UNKNOWN_UNIT,
)
from validate.schema import Dimension, FieldSpec, Reference

# Cells that say "no value" in words: treated as empty, as a reader would.
PLACEHOLDERS = frozenset({"-", "–", "—", "n/a", "na", "tbd", "?", "none", "null"})
_GROUPED_OK = r"\d{1,3}(?:,\d{3})+"
_VERSION = r"[vV]?\d+(?:\.\d+){1,3}(?:[-+._]?[0-9A-Za-z]+)*"
_ACCELERATOR = re.compile(
    r"^(?P<name>small|medium|large|(?:\d+(?:\.\d+)?)?x+large)"
    r"(?:\.(?P<memory>\d+(?:\.\d+)?)\s*(?P<unit>[GT])i?B)?$",
    re.IGNORECASE)
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "on", "o", "✓", "✔", "예", "네", "적용"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "off", "x", "✗", "✘", "아니오", "아니요", "미적용"})


@dataclass
class ParsedColumn:
    values: pd.Series     # typed: Int64, Float64, boolean or string; NA when empty or unparseable
    problems: pd.Series   # ";"-joined parse problems, "" when the cell is fine
    # How each well-formed number was written (NA for empty or faulty cells and non-numbers),
    # for the rules that want a column written one way:
    units: pd.Series      # the unit as written ("" when none)
    grouping: pd.Series   # "grouped" (1,234), "plain" (1234); NA below 1,000


def is_empty(text: pd.Series) -> pd.Series:
    return (text == "") | text.str.casefold().isin(PLACEHOLDERS)


def parse_column(text: pd.Series, spec: FieldSpec, reference: Reference,
                 header_unit: str | None = None) -> ParsedColumn:
    text = text.astype(object).fillna("").astype(str)
    empty = is_empty(text)
    if spec.numeric:
        return _parse_numbers(text, empty, spec, reference, header_unit)
    blank = pd.Series("", index=text.index, dtype=object)
    not_numbers = pd.Series(None, index=text.index, dtype=object)
    if spec.type == "boolean":
        values, problems = _parse_booleans(text, empty)
    elif spec.format == "version":
        values, problems = _parse_versions(text, empty)
    elif spec.format == "accelerator":
        values, problems = _parse_accelerators(text, empty, reference)
    else:
        # HTML collapses runs of white space: "Llama2  13B" reads as "Llama2 13B".
        collapsed = text.str.replace(r"\s+", " ", regex=True)
        values = collapsed.where(~empty, None).astype("string")
        problems = blank.copy()
    return ParsedColumn(values=values, problems=problems, units=not_numbers,
                        grouping=not_numbers.copy())


def _dimension_for(spec: FieldSpec, reference: Reference) -> Dimension | None:
    return reference.dimension_of(spec.unit) if spec.unit else None


def _parse_numbers(text: pd.Series, empty: pd.Series, spec: FieldSpec, reference: Reference,
                   header_unit: str | None) -> ParsedColumn:
    parts = text.str.extract(NUMBER)
    matched = parts["int"].notna() & ~empty
    integer = parts["int"].fillna("")
    grouped = matched & integer.str.contains(",", regex=False)
    bad_grouping = grouped & ~integer.str.fullmatch(_GROUPED_OK)
    written_unit = parts["unit"].fillna("").str.strip()
    written_unit = written_unit.where(matched, "")

    dimension = _dimension_for(spec, reference)
    field_factor = 1.0
    if dimension is not None and spec.unit is not None:
        field_factor = dimension.lookup(spec.unit).factor
    accepted = {u.casefold().replace(" ", "") for u in spec.units}

    # Resolve each distinct spelling once: columns hold few of them.
    header_factor = None
    if header_unit and dimension is not None:
        found = dimension.lookup(header_unit)
        header_factor = found.factor if found is not None else None
    factors: dict[str, float] = {}
    for spelling in written_unit.unique():
        if not spelling:
            continue
        unit = dimension.lookup(spelling) if dimension is not None else None
        if unit is not None and accepted and "".join(spelling.casefold().split()) not in accepted:
            unit = None
        factors[spelling] = unit.factor if unit is not None else np.nan
    factor = written_unit.map(factors).astype(float)
    no_unit = matched & (written_unit == "")
    if header_factor is not None:
        factor = factor.where(~no_unit, header_factor)
    elif dimension is not None:
        factor = factor.where(~no_unit, np.nan if spec.unit_required else field_factor)
        # Zero is zero in any unit: a bare `0` needs none.
        zero = no_unit & (integer.str.replace(",", "", regex=False).str.strip("0") == "") \
            & (parts["frac"].fillna("").str.strip(".0") == "")
        factor = factor.where(~zero, field_factor)
    else:
        factor = factor.where(~no_unit, 1.0)
    unknown_unit = matched & (written_unit != "") & factor.isna()
    missing_unit = no_unit & factor.isna()

    number = pd.to_numeric(integer.str.replace(",", "", regex=False) + parts["frac"].fillna(""),
                           errors="coerce")
    number = number.where(parts["sign"].fillna("") != "-", -number)
    value = number * factor / field_factor
    ok = matched & ~bad_grouping & ~unknown_unit & ~missing_unit
    problems = _join_problems(text.index, [
        (~empty & ~matched, NOT_A_NUMBER),
        (bad_grouping, BAD_GROUPING),
        (missing_unit, MISSING_UNIT),
        (unknown_unit, UNKNOWN_UNIT),
    ])
    if spec.type == "integer":
        fractional = ok & value.notna() & (np.abs(value - np.round(value)) > 1e-9)
        problems = _add_problem(problems, fractional, NOT_AN_INTEGER)
        ok &= ~fractional
        values = pd.Series(np.round(value.where(ok)), index=text.index).astype("Int64")
    else:
        values = value.where(ok).astype("Float64")
    well_formed = ok & (problems == "")
    grouping = pd.Series(np.where(grouped, "grouped", "plain"), index=text.index, dtype=object)
    grouping = grouping.where(well_formed & (grouped | (integer.str.len() >= 4)), None)
    return ParsedColumn(values=values, problems=problems,
                        units=written_unit.where(well_formed, None), grouping=grouping)


def _parse_booleans(text: pd.Series, empty: pd.Series) -> tuple[pd.Series, pd.Series]:
    folded = text.str.casefold()
    is_true = folded.isin(TRUE_WORDS)
    is_false = folded.isin(FALSE_WORDS)
    values = pd.Series(pd.NA, index=text.index, dtype="boolean")
    values[is_true] = True
    values[is_false] = False
    problems = _join_problems(text.index, [(~empty & ~is_true & ~is_false, NOT_A_BOOLEAN)])
    return values, problems


def _parse_versions(text: pd.Series, empty: pd.Series) -> tuple[pd.Series, pd.Series]:
    ok = text.str.fullmatch(_VERSION) & ~empty
    values = text.where(ok, None).astype("string")
    return values, _join_problems(text.index, [(~empty & ~ok, BAD_VERSION)])


def _parse_accelerators(text: pd.Series, empty: pd.Series,
                        reference: Reference) -> tuple[pd.Series, pd.Series]:
    names: dict[str, str | None] = {}
    contradicted: set[str] = set()
    for cell in text[~empty].unique():
        match = _ACCELERATOR.match(cell.strip())
        names[cell] = match.group("name").casefold() if match else None
        flavor = reference.accelerators.get(names[cell] or "")
        if match and match.group("memory") and flavor is not None:
            # The platform prints binary sizes with "GB": 4xLarge.2048GB holds 2048 GiB.
            written = float(match.group("memory")) * (1024 if match.group("unit").upper() == "T" else 1)
            if abs(written * 1024 - flavor.memory_mib) > 0.5:
                contradicted.add(cell)
    canonical = text.map(names)
    parsed = canonical.notna() & ~empty
    known = canonical.isin(list(reference.accelerators)) if reference.accelerators else parsed
    values = canonical.where(parsed, None).astype("string")
    problems = _join_problems(text.index, [
        (~empty & ~parsed, BAD_ACCELERATOR),
        (parsed & ~known, UNKNOWN_ACCELERATOR),
        (text.isin(list(contradicted)), ACCELERATOR_MEMORY),
    ])
    return values, problems


def _join_problems(index: pd.Index, flagged: list[tuple[pd.Series, str]]) -> pd.Series:
    problems = pd.Series("", index=index, dtype=object)
    for mask, name in flagged:
        problems = _add_problem(problems, mask, name)
    return problems


def _add_problem(problems: pd.Series, mask: pd.Series, name: str) -> pd.Series:
    mask = mask.fillna(False).astype(bool)
    if not mask.any():
        return problems
    updated = problems.copy()
    updated[mask] = np.where(updated[mask] == "", name, updated[mask] + ";" + name)
    return updated


def has_problem(problems: pd.Series, name: str) -> pd.Series:
    """True where a cell's parse reported `name`."""
    return problems.str.contains(rf"(?:^|;){re.escape(name)}(?:;|$)", regex=True)


# --- one value at a time (the same grammar, for callers outside a frame) ------------------------

def parse_number(text: str, spec: FieldSpec, reference: Reference) -> tuple[float | None, list[str]]:
    """Parse one cell; returns (value or None, problems). Never raises."""
    column = parse_column(pd.Series([text]), spec, reference)
    value = column.values.iloc[0]
    problems = [p for p in column.problems.iloc[0].split(";") if p]
    return (None if pd.isna(value) else float(value)), problems
