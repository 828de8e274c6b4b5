"""Running a typed table's rules with pandera.

Each rule's vectorized check is a named pandera Check, placed in two schemas built per table
kind and shape (and compiled once):

- the *cells* schema: one column per (field, aspect) of per-cell facts (parse problems,
  unit as written, digit grouping, source text, typed value), with the `cells` rules as
  column checks;
- the *values* schema: the typed values with their dtypes, and the `rows` rules as
  dataframe checks (group-wise work happens inside them with pandas `groupby`).

Both are validated with `lazy=True`, so every failure is collected in pandera's
`failure_cases` table. Its `check` label carries the rule code (and the field), its
`index` the row: together they point at the exact cell.
"""

from __future__ import annotations

import contextvars
import functools
from dataclasses import dataclass
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from validate.findings import Hit
from validate.frames import ParsedTable, pandas_dtype
from validate.rules.base import Options, Rule

_SEPARATOR = "|"
# The table being validated. Row checks need more of it than the frame pandera hands them
# (its schema, source texts, reference data); passing it this way rather than as a check
# statistic lets one compiled pandera schema serve every table of the same shape.
_TABLE: contextvars.ContextVar = contextvars.ContextVar("validated_table")
_RULES: contextvars.ContextVar = contextvars.ContextVar("active_rules")
_SCHEMAS: dict = {}


@dataclass(frozen=True)
class ActiveRule:
    rule: Rule
    options: Options


def _check_method(rule: Rule):
    """A factory of pandera Checks running `rule`: `factory(options=..., [spec=...], error=...)`.

    The function finds the rule among those of the validation under way (not the object seen
    when the check was made), so one compiled schema serves every run. Checks are built in
    place, with their name; registering them through `pandera.extensions` would load pandera's
    hypothesis strategies (a fifth of a second at start-up) for no use at run time: they are
    registered only when a schema is exported.
    """
    name = f"rule_{rule.code.lower()}"
    if rule.scope == "cells":
        def run_cells(series, options, spec, _code=rule.code):
            return _RULES.get()[_code].check(series, options, spec, _TABLE.get())

        def factory(*, options, spec, error):
            return pa.Check(functools.partial(run_cells, options=options, spec=spec), name=name,
                            error=error, statistics={"options": options, "spec": spec})
    else:
        def run_rows(frame, options, _code=rule.code):
            return _RULES.get()[_code].check(frame, options, _TABLE.get())

        def factory(*, options, error):
            return pa.Check(functools.partial(run_rows, options=options), name=name, error=error,
                            statistics={"options": options})
    return factory


def cells_frame(parsed: ParsedTable) -> pd.DataFrame:
    frame = parsed.cell_frame()
    for name in parsed.fields:
        frame[f"{name}:value"] = parsed.values[name]
    return frame


def build_schemas(parsed: ParsedTable, active: list[ActiveRule]):
    """(cells schema, values schema) for tables of this kind with these fields, compiled once."""
    # Field specs, not only names: inferred schemas all share a name, and two same-shaped
    # tables may type a column differently.
    key = (parsed.schema.name, parsed.schema.path,
           tuple(parsed.schema.fields[name] for name in parsed.fields),
           tuple((entry.rule.code, id(entry.options)) for entry in active))
    if key not in _SCHEMAS:
        _SCHEMAS[key] = _compile(parsed, active)
    return _SCHEMAS[key]


def _compile(parsed: ParsedTable, active: list[ActiveRule]):
    column_checks: dict[str, list[pa.Check]] = {}
    row_checks: list[pa.Check] = []
    fields = set(parsed.fields)
    for entry in active:
        rule = entry.rule
        if rule.scope == "cells":
            for name in parsed.fields:
                spec = parsed.schema.fields[name]
                if rule.applies_to is not None and not rule.applies_to(spec):
                    continue
                check = _check_method(rule)(options=entry.options, spec=spec,
                                            error=f"{rule.code}{_SEPARATOR}{name}")
                column_checks.setdefault(f"{name}:{rule.aspect}", []).append(check)
        elif rule.scope == "rows" and set(rule.needs) <= fields:
            row_checks.append(_check_method(rule)(options=entry.options, error=rule.code))
    cells = pa.DataFrameSchema(
        {column: pa.Column(checks=checks, nullable=True) for column, checks in column_checks.items()},
        name=f"{parsed.schema.name} cells")
    values = pa.DataFrameSchema(
        {name: pa.Column(pandas_dtype(parsed.schema.fields[name].type), nullable=True)
         for name in parsed.fields},
        checks=row_checks, name=f"{parsed.schema.name} values")
    return cells, values


def check_table(parsed: ParsedTable, active: list[ActiveRule]) -> list[tuple[Rule, Hit]]:
    """Every hit of the `cells` and `rows` rules on one table, in rule order.

    A rule that raises (in its check or its explanation) gives one internal-error hit for
    this table instead of its findings; the other rules' findings are kept.
    """
    from validate.rules.structure import internal_error

    by_code = {entry.rule.code: entry for entry in active}
    cells_schema, values_schema = build_schemas(parsed, active)
    failures = []
    token, rules_token = _TABLE.set(parsed), _RULES.set({code: e.rule for code, e in by_code.items()})
    try:
        for schema, frame in ((cells_schema, cells_frame(parsed)), (values_schema, parsed.values)):
            try:
                schema.validate(frame, lazy=True)
            except SchemaErrors as errors:
                failures.append(errors.failure_cases)
    finally:
        _TABLE.reset(token)
        _RULES.reset(rules_token)
    if not failures:
        return []
    cases = pd.concat(failures, ignore_index=True)
    hits: list[tuple[Rule, Hit]] = []
    crashed: set[str] = set()
    for label, group in cases.groupby("check", sort=True):
        code, _, field = str(label).partition(_SEPARATOR)
        entry = by_code.get(code)
        if entry is None or group["index"].isna().any():
            # pandera caught an exception of the check (its failure case is the error text),
            # or a check that is no rule's failed (the dtype of a column).
            failed = code if entry is not None else str(label)
            if failed not in crashed:
                crashed.add(failed)
                hits.append((internal_error.RULE,
                             internal_error.hit(failed, str(group["failure_case"].iloc[0]))))
            continue
        rows = sorted({int(i) for i in group["index"]})
        rule = entry.rule
        try:
            if rule.scope == "cells":
                produced = list(rule.explain(parsed, field, rows, entry.options))
            else:
                produced = list(rule.explain(parsed, rows, entry.options))
        except Exception as error:  # noqa: BLE001 - one rule's bug must not end the run
            if code not in crashed:
                crashed.add(code)
                hits.append((internal_error.RULE, internal_error.hit(code, error)))
            continue
        hits.extend((rule, hit) for hit in produced)
    return hits
