"""Pieces several rules share: parse-problem rules, cell lookups, row descriptions."""

from __future__ import annotations

import functools
from typing import Any, Callable, Iterable

from validate.findings import Hit
from validate.rules.base import Option, Rule, rule_doc


def is_numeric(spec: Any) -> bool:
    return spec.type in ("integer", "number")


def per_table(function: Callable) -> Callable:
    """Cache an analysis `function(parsed, *args)` on the table it describes.

    A rule's check (run by pandera) and its explanation of the failing rows need the same
    figures; this computes them once per table. Arguments are keyed by identity for objects
    (options, reference data) and by value for plain names.
    """
    @functools.wraps(function)
    def cached(parsed, *args):
        key = (function.__module__, function.__qualname__,
               *(a if isinstance(a, (str, int, float, tuple)) else id(a) for a in args))
        if key not in parsed.memo:
            parsed.memo[key] = function(parsed, *args)
        return parsed.memo[key]

    return cached


def flavor_figures(accelerators: Any, reference: Any, figure: str) -> Any:
    """Per cell of an accelerator column: the reference's `figure` (memory_mib, units,
    peak_tflops) for the named accelerator, NaN when unknown. Names are compared without case
    or spaces on both sides, so `H200`, `h200` and `2xLarge` find their entries."""
    from validate.vocabulary import squeeze

    table = {squeeze(name): getattr(flavor, figure) for name, flavor in reference.accelerators.items()}
    table = {name: value for name, value in table.items() if value is not None}
    names = accelerators.astype("object")
    # A column holds a handful of names: look each up once, then map the column.
    found = {name: table.get(squeeze(name)) for name in names.dropna().unique() if isinstance(name, str)}
    return names.map(found).astype("float64")


def in_unit(parsed: Any, field: str, unit: str) -> Any:
    """A field's typed values (kept in the schema's unit for the field) converted to `unit`:
    a user schema may keep memory in GiB where the reference data is in MiB."""
    values = parsed.values[field].astype("float64")
    spec = parsed.schema.fields[field]
    dimension = parsed.reference.dimension_of(unit)
    if spec.unit is None or dimension is None or dimension.lookup(spec.unit) is None:
        return values
    return values * (dimension.lookup(spec.unit).factor / dimension.lookup(unit).factor)


def all_rows(frame: Any, passing: bool) -> Any:
    """A mask with the same verdict for every row of `frame`."""
    import pandas as pd

    return pd.Series(passing, index=frame.index, dtype=bool)


def key_fields(parsed: Any) -> list[str]:
    """The schema's key fields this table has."""
    return [name for name in parsed.schema.key if name in parsed.values.columns]


@per_table
def repeated_configuration(parsed: Any) -> Any:
    """Rows whose configuration (the schema's key, complete) is listed more than once.

    The consistency rules leave them out: which of two rows for one configuration holds the
    real measurement is unknown (D403 reports them), and comparing a row with its own copy,
    or with the best of 700 copies, says nothing about either.
    """
    import pandas as pd

    keys = key_fields(parsed)
    if not keys:
        return pd.Series(False, index=parsed.values.index)
    ids = pd.Series(group_ids(parsed, tuple(keys)), index=parsed.values.index)
    return (ids >= 0) & ids.duplicated(keep=False)


@per_table
def group_ids(parsed: Any, keys: tuple[str, ...]) -> Any:
    """Per row, an integer naming its group: the rows with the same values of `keys` (the
    fields the table has) in the same table of a stack; -1 where one of them is empty."""
    import numpy as np

    frame = parsed.values
    keys = [k for k in keys if k in frame.columns]
    if not keys:
        return parsed.segment_of().copy()
    columns = frame[keys].astype("object")
    complete = columns.notna().all(axis=1).to_numpy()
    columns.insert(0, "__table__", parsed.segment_of())
    ids = columns.groupby(["__table__", *keys], sort=False, dropna=False).ngroup().to_numpy()
    return np.where(complete, ids, -1)


def significant_digits(number: float) -> int:
    """Digits that carry information: 172395 -> 6, 2,800,000 -> 2, 720 -> 2."""
    text = f"{abs(float(number)):.15g}"
    if "e" in text:
        text = text.split("e")[0]
    return len(text.replace(".", "").strip("0")) or 1


def significant_digits_of(values: Any) -> Any:
    """`significant_digits` of every value of a float array (whole numbers without a loop)."""
    import numpy as np

    values = np.abs(np.asarray(values, dtype="float64"))
    result = np.zeros(len(values), dtype="int64")
    whole = (values == np.round(values)) & (values < 1e15) & (values >= 1)
    number = values[whole].astype("int64")
    digits = np.floor(np.log10(number)).astype("int64") + 1
    trailing = np.zeros(len(number), dtype="int64")
    remaining = number.copy()
    for _ in range(15):  # strip trailing zeros, a digit at a time, for all values at once
        ends_in_zero = (remaining % 10 == 0) & (remaining > 0)
        if not ends_in_zero.any():
            break
        trailing += ends_in_zero
        remaining = np.where(ends_in_zero, remaining // 10, remaining)
    result[whole] = digits - trailing
    rest = np.flatnonzero(~whole)
    result[rest] = [significant_digits(v) for v in values[rest]]
    return result


def source_text(parsed: Any, field: str, row: int) -> str:
    return parsed.source_cells(field)[row]


def value(parsed: Any, field: str, row: int) -> Any:
    found = parsed.values[field].iat[row]
    return None if _is_na(found) else found


def _is_na(found: Any) -> bool:
    """Whether a typed value is missing: None, NaN or pandas' NA (whose truth is undefined)."""
    if found is None or found is _pandas_na():
        return True
    return isinstance(found, float) and found != found


def _pandas_na() -> Any:
    import pandas as pd

    return pd.NA


def describe_row(parsed: Any, row: int) -> str:
    """`Llama2 13B / 2xlarge / batch 128 / seq 1024`: a row named by its configuration."""
    return _row_descriptions(parsed)[row]


@per_table
def _row_descriptions(parsed: Any) -> "_Descriptions":
    return _Descriptions(parsed)


class _Descriptions:
    """Row descriptions, made when first asked for (a big table needs only a few)."""

    def __init__(self, parsed: Any):
        self.columns = [({"batch_size": "batch ", "seq_len": "seq "}.get(name, ""),
                         parsed.shown_cells(name))
                        for name in (parsed.schema.key or parsed.fields[:2]) if name in parsed.fields]
        self.made: dict[int, str] = {}

    def __getitem__(self, row: int) -> str:
        if row not in self.made:
            parts = [f"{label}{text}" for label, text in
                     ((label, texts[row]) for label, texts in self.columns) if text]
            self.made[row] = " / ".join(parts) or f"row {row + 1}"
        return self.made[row]


# Evidence lists at most this many other rows, with their total beside them: a group of
# 10,000 rows must not copy itself into each of its 10,000 findings (output stays linear).
MAX_EVIDENCE_ROWS = 5


def some_rows(rows: Any, around: int | None = None) -> list[int]:
    """The first MAX_EVIDENCE_ROWS rows of `rows` other than `around`, in their order.

    Reads no more of `rows` (a list or an array of row positions) than it keeps, so a caller
    may hand it a whole group once per member without quadratic cost.
    """
    picked = [int(r) for r in rows[:MAX_EVIDENCE_ROWS + 1] if int(r) != around]
    return picked[:MAX_EVIDENCE_ROWS]


def line_list(parsed: Any, rows: list[int], total: int | None = None) -> str:
    """`line 51`, `lines 50, 52`, or `lines 50, 52, 53 and 997 more` for messages;
    `total` is the count `rows` was sampled from (default: its length)."""
    total = len(rows) if total is None else total
    shown = [str(parsed.line(r)) for r in rows[:5]]
    more = f" and {total - len(shown)} more" if total > len(shown) else ""
    return f"line{'s' if total > 1 else ''} {', '.join(shown)}{more}"


def row_ref(parsed: Any, row: int, **extra: Any) -> dict[str, Any]:
    """A row as evidence: its line and configuration, plus any figures for it."""
    ref = {"line": parsed.line(row), "row_index": row, "row": describe_row(parsed, row)}
    ref.update(extra)
    return ref


def problem_rule(*, code: str, name: str, problem: str | tuple[str, ...], summary: str, doc: str | None,
                 message: Callable[[Any, str, int], tuple[str, dict[str, Any]]],
                 applies_to: Callable[[Any], bool], severity: str = "error",
                 options: tuple[Option, ...] = ()) -> Rule:
    """A format rule that flags the cells whose parse reported `problem` (or one of several)."""
    problems = (problem,) if isinstance(problem, str) else problem

    def check(cells, options, spec, parsed=None):
        from validate.cells import has_problem

        flagged = has_problem(cells, problems[0])
        for other in problems[1:]:
            flagged |= has_problem(cells, other)
        return ~flagged

    def explain(parsed, field: str, rows: Iterable[int], options) -> Iterable[Hit]:
        for row in rows:
            text, evidence = message(parsed, field, row)
            yield Hit(message=text, row=row, field=field, evidence=evidence)

    return Rule(code=code, name=name, category="format", severity=severity, summary=summary,
                doc=rule_doc(doc), scope="cells", aspect="problems", applies_to=applies_to,
                check=check, explain=explain, options=options)


def unchanged_values(parsed: Any, field: str, rows: list[int], new_texts: list[str],
                     reference: Any) -> list[bool]:
    """For each row: would the cell, rewritten as `new_texts[i]`, keep its value exactly?

    Fixes are only offered when this holds: the new text is parsed the same way as the old one
    (same field, same header unit) and must give the same value and no new problem.
    """
    import pandas as pd

    from validate.cells import parse_column

    if not rows:
        return []
    spec = parsed.schema.fields[field]
    column = parse_column(pd.Series(new_texts), spec, reference, parsed.match.header_units.get(field))
    results = []
    for i, row in enumerate(rows):
        before, after = parsed.values[field].iat[row], column.values.iat[i]
        same = (str(before) == str(after)) if (_is_na(before) or _is_na(after)) else before == after
        results.append(bool(same) and column.problems.iat[i] == parsed.problems[field].iat[row])
    return results


def units_seen(parsed: Any, field: str, row: int | None = None) -> dict[str, int]:
    """How often each unit spelling appears in a column (empty spelling: no unit); in a stack
    of tables, in the column of `row`'s table."""
    return segment_counts(parsed, "units", field, row)


def segment_counts(parsed: Any, frame: str, field: str, row: int | None = None) -> dict:
    """{value: count} of a per-cell fact (`units`, `grouping`) in a column, NA left out; in a
    stack of tables, in the column of `row`'s table (of the first table without a row)."""
    counts = _segment_counts(parsed, frame, field)
    segment = int(parsed.segment_of()[row]) if row is not None else 0
    return counts.get(segment, {})


@per_table
def _segment_counts(parsed: Any, frame: str, field: str) -> dict:
    import pandas as pd

    values = getattr(parsed, frame)[field]
    found = pd.DataFrame({"segment": parsed.segment_of(), "value": values.to_numpy()}).dropna()
    result: dict = {}
    for (segment, value), count in found.groupby(["segment", "value"], sort=True).size().items():
        result.setdefault(int(segment), {})[str(value)] = int(count)
    return result


def segment_winner(values: Any, parsed: Any, rank: Callable[[str, int], tuple]) -> Any:
    """Per row, the value most of its column writes (NA left out): the one with the highest
    `rank(value, count)`, ties to the first alphabetically. Each table of a stack has its own."""
    import numpy as np
    import pandas as pd

    # pandera may hand a check the column without its empty cells: rows go by the index.
    segment = (parsed.segment_of()[values.index.to_numpy()] if parsed is not None
               else np.zeros(len(values), dtype=np.int64))
    found = pd.DataFrame({"segment": segment, "value": values.to_numpy()}).dropna()
    best: dict = {}
    for (part, value), count in found.groupby(["segment", "value"], sort=True).size().items():
        key = rank(value, int(count))
        if part not in best or key > best[part][0]:
            best[part] = (key, value)
    return pd.Series(segment, index=values.index).map({p: v for p, (_, v) in best.items()})


def fit_options(noise: float = 0.05, group_by: tuple[str, ...] = ("model",), min_factor: float = 1.25):
    """The options every rule judging a measurement against its model's fit declares."""
    return (Option("deviations", 4.0, "how many times the model's scatter a row may be off",
                   minimum=1),
            Option("noise", noise, "scatter assumed at least, in log units", minimum=0),
            Option("min_factor", min_factor, "least deviation reported, as a factor", minimum=1),
            Option("group_by", group_by, "rows that share one scaling", kind="fields"),
            Option("min_group", 3, "fewest rows a group needs to be judged", kind="integer",
                   minimum=3))
