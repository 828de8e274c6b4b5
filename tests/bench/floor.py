"""The floor of the big-table scenario: what any pandas + pandera tool must at least spend.

One process that reads the table's rows from a CSV of typed values with `pandas.read_csv`,
casts them to the dtypes `validate` uses, and validates them lazily with the tool's own
values schema (the pandera schema `validate.checking.build_schemas` compiles, with the same
active rules the command line runs). No markdown, no cell parsing, no cell-level checks, no
explanations, no reports: everything `validate` does beyond this is its own overhead.

    python tests/bench/floor.py prepare TOOL_CSV FLOOR_CSV   # once: the typed columns only
    python tests/bench/floor.py run FLOOR_CSV                # what the benchmark times

`prepare` takes the cleaned CSV the tool writes (`finetune_guide.csv`) and keeps the columns of
the fields the generated table has, in the tool's order. `run` prints one line of JSON: rows,
failure cases, and the seconds spent importing, reading and validating.
"""

from __future__ import annotations

import time

_STARTED = time.perf_counter()

import csv
import dataclasses
import json
import sys
from pathlib import Path


def _shape():
    """The checker (settings as the command line loads them), a tiny guide table typed by the
    tool, and the rules the command line would run on it (as `Checker.check_typed` picks them)."""
    import generate

    from validate.checking import ActiveRule
    from validate.config import load_settings
    from validate.engine import Checker
    from validate.frames import build_parsed_table
    from validate.headers import match_table
    from validate.reader import parse_markdown

    checker = Checker(load_settings())
    table = parse_markdown(generate.HEADER + generate.guide_rows(1)[0]).tables[0]
    match = match_table(table.header, checker.schemas)
    if match.schema is None:
        sys.exit(f"floor: the generated header matches no schema: {match.reason}")
    shape = build_parsed_table("floor", table, match, checker.reference)
    options = checker.options.get(shape.schema.name) or checker.default_options
    active = [ActiveRule(rule, options[rule.code]) for rule in checker.rules
              if rule.scope in ("cells", "rows") and rule.code not in shape.schema.disabled]
    return shape, active


def prepare(tool_csv: Path, floor_csv: Path) -> None:
    shape, _ = _shape()
    fields = shape.fields
    with tool_csv.open(newline="", encoding="utf-8") as source, \
            floor_csv.open("w", newline="", encoding="utf-8") as target:
        reader = csv.DictReader(source)
        missing = [name for name in fields if name not in (reader.fieldnames or [])]
        if missing:
            sys.exit(f"floor: {tool_csv} lacks the columns {', '.join(missing)}")
        writer = csv.writer(target, lineterminator="\n")
        writer.writerow(fields)
        rows = 0
        for row in reader:
            writer.writerow(row[name] for name in fields)
            rows += 1
    print(json.dumps({"rows": rows, "fields": fields}))


def run(floor_csv: Path) -> None:
    import pandas as pd
    from pandera.errors import SchemaErrors

    from validate.checking import _RULES, _TABLE, build_schemas
    from validate.frames import pandas_dtype

    shape, active = _shape()
    dtypes = {name: pandas_dtype(shape.schema.fields[name].type) for name in shape.fields}
    imported = time.perf_counter()

    frame = pd.read_csv(floor_csv, dtype=dtypes)
    frame = frame[shape.fields]
    for name, dtype in dtypes.items():          # a no-op when read_csv already gave the dtype
        frame[name] = frame[name].astype(dtype)
    read = time.perf_counter()

    # The row checks read the table being validated (schema, reference data, parse problems)
    # from `_TABLE` (and find themselves in `_RULES`), as in `check_table`: give them a ParsedTable whose values are this frame.
    # Its cells parsed cleanly as far as the floor knows (no parse problems recorded).
    blank = pd.DataFrame({name: [""] * len(frame) for name in shape.fields}, index=frame.index,
                         dtype=object)
    parsed = dataclasses.replace(shape, values=frame, problems=blank, text=blank, units=blank,
                                 grouping=blank, sources=blank, memo={})
    _, values_schema = build_schemas(parsed, active)
    cases = 0
    token, rules_token = _TABLE.set(parsed), _RULES.set({e.rule.code: e.rule for e in active})
    try:
        values_schema.validate(frame, lazy=True)
    except SchemaErrors as errors:
        cases = len(errors.failure_cases)
    finally:
        _TABLE.reset(token)
        _RULES.reset(rules_token)
    done = time.perf_counter()
    print(json.dumps({"rows": len(frame), "failure_cases": cases,
                      "import_s": round(imported - _STARTED, 3), "read_csv_s": round(read - imported, 3),
                      "validate_s": round(done - read, 3), "total_s": round(done - _STARTED, 3)}))


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "prepare":
        prepare(Path(sys.argv[2]), Path(sys.argv[3]))
    elif len(sys.argv) == 3 and sys.argv[1] == "run":
        run(Path(sys.argv[2]))
    else:
        sys.exit(__doc__.split("\n\n")[2])


if __name__ == "__main__":
    main()
