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
    ANY_UNIT,
    ACCELERATOR_MEMORY,
    BAD_ACCELERATOR,
    NUMBER,
    BAD_GROUPING,
    BAD_VERSION,
    MISSING_UNIT,
    NOT_A_BOOLEAN,
    NOT_A_NUMBER,
    NOT_AN_INTEGER,
    TOO_LARGE,
    UNKNOWN_ACCELERATOR,
    UNKNOWN_UNIT,
)
from validate.schema import FieldSpec, Reference
from validate.vocabulary import ACCELERATOR as _ACCELERATOR
from validate.vocabulary import FALSE_WORDS, PLACEHOLDERS, TRUE_WORDS, VERSION as _VERSION

# Number columns of tables with fewer rows than this are parsed stacked together.
_STACK_ROWS = 100_000


@dataclass
class ParsedColumn:
    values: pd.Series     # typed: Int64, Float64, boolean or string; NA when empty or unparseable
    problems: pd.Series   # ";"-joined parse problems, "" when the cell is fine
    # How each well-formed number was written (NA for empty or faulty cells and non-numbers),
    # for the rules that want a column written one way:
    units: pd.Series      # the unit as written ("" when none; NA for a bare zero, which needs none)
    grouping: pd.Series   # "grouped" (1,234), "plain" (1234); NA below 1,000


def _arrow(text: pd.Series):
    """The cells as an Arrow string array (no copy when pandas already keeps them in Arrow)."""
    import pyarrow as pa

    if text.dtype == object:
        return pa.array(text.to_numpy(), type=pa.string(), from_pandas=True)
    return pa.array(text, type=pa.string())


def is_empty(text: pd.Series) -> pd.Series:
    """Empty cells, and cells that only say "no value" (`-`, `N/A`, `TBD`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = pc.fill_null(_arrow(text), "")
    empty = pc.or_(pc.equal(cells, ""),
                   pc.is_in(pc.utf8_lower(cells), value_set=pa.array(sorted(PLACEHOLDERS))))
    return pd.Series(empty.to_numpy(zero_copy_only=False), index=text.index)


@dataclass
class _Tokens:
    """What a number cell is made of, one numpy array per part (see problems.NUMBER)."""

    matched: np.ndarray       # the cell starts with a number
    grouped: np.ndarray       # its integer part has separators
    bad_grouping: np.ndarray  # ... and they do not group digits in threes
    long: np.ndarray          # its integer part has 4 or more digits
    unit: np.ndarray          # the unit written after it ("" when none)
    number: np.ndarray        # its magnitude with sign (NaN when no number)


def _tokenize(text: pd.Series) -> _Tokens:
    """Split number cells into their parts with Arrow's vectorized regular expressions."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = pc.extract_regex(pc.fill_null(_arrow(text), ""), NUMBER)
    matched = pc.is_valid(parts)

    def part(name):
        return pc.fill_null(pc.struct_field(parts, name), "")

    integer, fraction = part("int"), part("frac")
    grouped = pc.match_substring(integer, ",")
    well_grouped = pc.match_substring_regex(integer, r"^\d{1,3}(?:,\d{3})+$")
    digits = pc.binary_join_element_wise(pc.replace_substring(integer, ",", ""), fraction, "")
    magnitude = pc.cast(pc.if_else(pc.equal(digits, ""), pa.scalar(None, pa.string()), digits),
                        pa.float64())
    number = pc.if_else(pc.equal(part("sign"), "-"), pc.negate(magnitude), magnitude)
    unit = pc.utf8_trim_whitespace(part("unit"))

    def array(values, **kwargs):
        return values.to_numpy(zero_copy_only=False, **kwargs)

    return _Tokens(matched=array(matched), grouped=array(grouped),
                   bad_grouping=array(pc.and_(grouped, pc.invert(well_grouped))),
                   long=array(pc.greater_equal(pc.utf8_length(pc.replace_substring(integer, ",", "")), 4)),
                   unit=_shared_strings(unit), number=array(pc.fill_null(number, float("nan"))))


def _shared_strings(strings) -> np.ndarray:
    """An object array of an Arrow string array's values, one Python string per distinct
    value: a million cells that say "MiB" hold one "MiB", not a million copies of it."""
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(strings)
    if hasattr(encoded, "chunks"):  # stacked columns come as several chunks
        encoded = encoded.combine_chunks()
    distinct = np.array(encoded.dictionary.to_pylist() + [None], dtype=object)
    codes = encoded.indices.fill_null(len(distinct) - 1).to_numpy(zero_copy_only=False)
    return distinct[codes]


def parse_column(text: pd.Series, spec: FieldSpec, reference: Reference,
                 header_unit: str | None = None) -> ParsedColumn:
    """One column's cells, typed (see `parse_columns`)."""
    return parse_columns({spec.name: text}, {spec.name: spec}, reference,
                         {spec.name: header_unit} if header_unit else {})[spec.name]


def parse_columns(texts: dict[str, pd.Series], specs: dict[str, FieldSpec], reference: Reference,
                  header_units: dict[str, str] | None = None) -> dict[str, ParsedColumn]:
    """A table's columns, typed. Number columns are parsed together, stacked into one
    Series, so a small table pays pandas' per-operation cost once, not once per column."""
    header_units = header_units or {}
    parsed: dict[str, ParsedColumn] = {}
    numeric = [name for name in texts if specs[name].numeric]
    # Small tables stack their number columns (one pass pays pandas' overhead once); big
    # ones go a column at a time, so the temporaries of a pass stay one column's size.
    rows = len(next(iter(texts.values()))) if texts else 0
    batches = [numeric] if rows < _STACK_ROWS else [[name] for name in numeric]
    for batch in batches:
        if batch:
            parsed.update(_parse_numbers({n: _as_text(texts[n]) for n in batch},
                                         {n: specs[n] for n in batch}, reference, header_units))
    for name, cells in texts.items():
        spec = specs[name]
        if spec.numeric:
            continue
        text = _as_text(cells)
        empty = is_empty(text)
        not_numbers = pd.Series(None, index=text.index, dtype=object)
        if spec.type == "boolean":
            values, problems = _parse_booleans(text, empty)
        elif spec.format == "version":
            values, problems = _parse_versions(text, empty)
        elif spec.format == "accelerator":
            values, problems = _parse_accelerators(text, empty, reference)
        else:
            # HTML collapses runs of white space: "Llama2  13B" reads as "Llama2 13B".
            collapsed = _collapse_white_space(text)
            values = collapsed.where(~empty, None).astype("string")
            problems = pd.Series("", index=text.index, dtype=object)
        parsed[name] = ParsedColumn(values=values, problems=problems, units=not_numbers,
                                    grouping=not_numbers.copy())
    return {name: parsed[name] for name in texts}


def _collapse_white_space(text: pd.Series) -> pd.Series:
    """Runs of white space as one space, as HTML shows them ("Llama2  13B" reads "Llama2 13B")."""
    import pyarrow.compute as pc

    # Only cells with two white space characters in a row, or any character other than
    # printable ASCII (a tab, a no-break space), can change: Python's regex runs on those alone.
    candidates = pd.Series(pc.match_substring_regex(_arrow(text), r"\s\s|[^ -~]")
                           .to_numpy(zero_copy_only=False), index=text.index)
    if not candidates.any():
        return text
    collapsed = text.copy()
    collapsed[candidates] = text[candidates].str.replace(r"\s+", " ", regex=True)
    return collapsed


def _as_text(cells: pd.Series) -> pd.Series:
    if isinstance(cells.dtype, pd.StringDtype):
        return cells.fillna("")  # already text (the reader's columns): no round trip via objects
    return cells.astype(object).fillna("").astype(str)


def _field_settings(spec: FieldSpec, reference: Reference, header_unit: str | None):
    """(dimension, factor of the field's unit, factor a bare number gets or NaN, accepted spellings)."""
    dimension = reference.dimension_of(spec.unit) if spec.unit else None
    field_factor = dimension.lookup(spec.unit).factor if dimension is not None else 1.0
    if header_unit and dimension is not None:
        found = dimension.lookup(header_unit)
        bare = found.factor if found is not None else field_factor
    elif dimension is not None:
        bare = np.nan if spec.unit_required else field_factor
    else:
        bare = 1.0
    accepted = {"".join(u.casefold().split()) for u in spec.units}
    return dimension, field_factor, bare, accepted


def _parse_numbers(texts: dict[str, pd.Series], specs: dict[str, FieldSpec], reference: Reference,
                   header_units: dict[str, str]) -> dict[str, ParsedColumn]:
    names = list(texts)
    sizes = [len(texts[n]) for n in names]
    text = pd.concat([texts[n] for n in names], ignore_index=True)
    # Which field each stacked cell belongs to, as a position in `names`: per-field settings
    # are then looked up with numpy indexing rather than mapped cell by cell.
    field = np.repeat(np.arange(len(names)), sizes)
    settings = [_field_settings(specs[n], reference, header_units.get(n)) for n in names]
    empty = is_empty(text)

    tokens = _tokenize(text)
    matched = pd.Series(tokens.matched, index=text.index) & ~empty
    grouped = matched & tokens.grouped
    bad_grouping = matched & tokens.bad_grouping
    written_unit = pd.Series(tokens.unit, index=text.index, dtype=object).where(matched, "")

    # Resolve each distinct (field, spelling) once: columns hold few of them.
    unit_codes, spellings = pd.factorize(written_unit)
    pair_codes, pairs = pd.factorize(field * len(spellings) + unit_codes)
    pair_factors = np.full(len(pairs), np.nan)
    for position, pair in enumerate(pairs.tolist()):
        spelling = spellings[pair % len(spellings)]
        dimension, _, _, accepted = settings[pair // len(spellings)]
        if spelling == "":
            continue  # no unit written: the field's settings decide, below
        if ANY_UNIT in accepted:
            pair_factors[position] = 1.0  # spelled freely: the number is the value
            continue
        unit = dimension.lookup(spelling) if dimension is not None else None
        if unit is not None and accepted and "".join(spelling.casefold().split()) not in accepted:
            unit = None
        pair_factors[position] = unit.factor if unit is not None else np.nan
    factor = pd.Series(pair_factors[pair_codes], index=text.index)
    no_unit = matched & (written_unit == "")
    # Zero is zero in any unit: a bare `0` needs none.
    zero = no_unit & (tokens.number == 0)
    field_factor = np.array([s[1] for s in settings], dtype=float)[field]
    bare = np.array([s[2] for s in settings], dtype=float)[field]
    factor = factor.where(~no_unit, bare).where(~zero, field_factor)
    unknown_unit = matched & (written_unit != "") & factor.isna()
    missing_unit = no_unit & factor.isna()

    value = pd.Series(tokens.number, index=text.index) * factor / field_factor
    ok = matched & ~bad_grouping & ~unknown_unit & ~missing_unit
    integral = np.array([specs[n].type == "integer" for n in names], dtype=bool)[field]
    # Integers beyond 2**53 have no exact float (or Int64) value: they cannot be counts either.
    fractional = integral & ok & value.notna() & ((np.abs(value - np.round(value)) > 1e-9)
                                                   | (np.abs(value) > 2**53))
    ok &= ~fractional
    # Hundreds of digits overflow a float: no measurement is that large, and no check could
    # compare it with anything.
    infinite = ok & value.notna() & ~np.isfinite(value.fillna(0).to_numpy(dtype=float))
    ok &= ~infinite
    problems = _join_problems(text.index, [
        (~empty & ~matched, NOT_A_NUMBER),
        (infinite, TOO_LARGE),
        (bad_grouping, BAD_GROUPING),
        (missing_unit, MISSING_UNIT),
        (unknown_unit, UNKNOWN_UNIT),
        (fractional, NOT_AN_INTEGER),
    ])
    well_formed = ok & (problems == "")
    # Two shared strings picked per cell (np.where would make a Python string per cell).
    grouping = pd.Series(np.array(["plain", "grouped"], dtype=object)[grouped.to_numpy(dtype=int)],
                         index=text.index, dtype=object)
    grouping = grouping.where(well_formed & (grouped | tokens.long), None)
    # A bare zero needs no unit, so it has no unit style either.
    units = written_unit.where(well_formed & ~zero, None)
    value = value.where(ok)

    result = {}
    start = 0
    for name, size in zip(names, sizes):
        index, part = texts[name].index, slice(start, start + size)
        start += size
        cells = value.to_numpy(dtype=float)[part]
        typed = (pd.Series(np.round(cells), index=index).astype("Int64")
                 if specs[name].type == "integer" else pd.Series(cells, index=index).astype("Float64"))
        result[name] = ParsedColumn(
            values=typed,
            problems=pd.Series(problems.to_numpy()[part], index=index, dtype=object),
            units=pd.Series(units.to_numpy(dtype=object)[part], index=index, dtype=object),
            grouping=pd.Series(grouping.to_numpy(dtype=object)[part], index=index, dtype=object))
    return result


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
    listed = {name.casefold(): name for name in reference.accelerators}
    for cell in text[~empty].unique():
        match = _ACCELERATOR.match(cell.strip())
        names[cell] = match.group("name").casefold() if match else None
        if names[cell] is None and cell.strip().casefold() in listed:
            # A name the reference lists that is no flavor pattern: a GPU model (H200, MI250).
            names[cell] = listed[cell.strip().casefold()]
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
    """";"-joined problem names per cell, built as a bit mask and named once per combination."""
    bits = np.zeros(len(index), dtype=np.int64)
    for position, (mask, _) in enumerate(flagged):
        bits |= np.asarray(mask.fillna(False), dtype=bool).astype(np.int64) << position
    names = {combination: ";".join(name for position, (_, name) in enumerate(flagged)
                                   if combination >> position & 1)
             for combination in np.unique(bits).tolist()}
    return pd.Series(bits, index=index).map(names).astype(object)


def _add_problem(problems: pd.Series, mask: pd.Series, name: str) -> pd.Series:
    mask = mask.fillna(False).astype(bool)
    if not mask.any():
        return problems
    updated = problems.copy()
    updated[mask] = np.where(updated[mask] == "", name, updated[mask] + ";" + name)
    return updated


def has_problem(problems: pd.Series, name: str) -> pd.Series:
    """True where a cell's parse reported `name`."""
    found = pd.Series(False, index=problems.index)
    faulty = problems.fillna("") != ""
    if faulty.any():  # most cells have no problem: search only the others
        found[faulty] = problems[faulty].str.contains(rf"(?:^|;){re.escape(name)}(?:;|$)", regex=True)
    return found


# --- one value at a time (the same grammar, for callers outside a frame) ------------------------

def parse_number(text: str, spec: FieldSpec, reference: Reference) -> tuple[float | None, list[str]]:
    """Parse one cell; returns (value or None, problems). Never raises."""
    column = parse_column(pd.Series([text]), spec, reference)
    value = column.values.iloc[0]
    problems = [p for p in column.problems.iloc[0].split(";") if p]
    return (None if pd.isna(value) else float(value)), problems
