"""Cleaned data: one CSV per schema, a row per table row, typed values in canonical units.

Built a column at a time with pandas (a Python call per cell would dominate big tables).

Spreadsheets run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
formula (CSV injection). Text cells starting so get a leading `'` (OWASP's convention);
numeric columns never do, so `-5` stays a number for pandas and for a spreadsheet alike.
"""

from __future__ import annotations

import csv
import io
import math
import re

_LEAD_COLUMNS = ["source_file", "source_line", "table_index"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Exported tables are untyped: a cell that is only a number (`-5`, `+1.5e3`, `-1,024`) is one.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def defuse_text(text: str) -> str:
    """A text cell a spreadsheet would run as a formula, prefixed with `'`."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def defuse_cell(text: str) -> str:
    """`defuse_text` for a cell of unknown type: a plain number is left as it is."""
    return text if _PLAIN_NUMBER.fullmatch(text) else defuse_text(text)


def printable_path(path: str) -> str:
    """A file name as text every writer can encode: bytes that are not UTF-8 (lone surrogates
    from os.fsdecode) as `\\udcff` escapes, the form write_atomic gives them in every report."""
    return path.encode("utf-8", "backslashreplace").decode("utf-8")


def _defuse_column(series):
    """`defuse_text` of a whole text column, vectorized."""
    text = series.astype(object)
    risky = text.map(lambda v: isinstance(v, str) and v.startswith(_FORMULA_START)).astype(bool)
    if risky.any():
        text = text.where(~risky, "'" + text[risky].astype(str))
    return text


def format_value(value) -> str:
    """A typed value as CSV text: integers without `.0`, booleans as true/false, NA empty."""
    if value is None:
        return ""
    try:
        if value != value:  # NaN
            return ""
    except (TypeError, ValueError):
        return ""
    if str(value) == "<NA>":
        return ""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "true" if value else "false"
    if isinstance(value, float) or type(value).__name__.startswith("float"):
        number = float(value)
        if math.isfinite(number) and number.is_integer() and abs(number) < 1e16:
            return str(int(number))
        return format(number, ".12g")
    return str(value)


def format_column(values):
    """`format_value` of a whole typed column, vectorized."""
    import numpy as np
    import pandas as pd

    kind = str(values.dtype)
    missing = values.isna().to_numpy()
    if kind == "boolean":
        text = np.where(values.fillna(False).to_numpy(dtype=bool), "true", "false")
    elif kind == "Int64":
        text = values.fillna(0).astype("int64").astype(str).to_numpy(dtype=object)
    elif kind == "Float64":
        numbers = values.to_numpy(dtype="float64", na_value=np.nan)
        whole = np.isfinite(numbers) & (numbers == np.round(numbers)) & (np.abs(numbers) < 1e16)
        text = np.empty(len(numbers), dtype=object)
        text[whole] = numbers[whole].astype("int64").astype(str)
        rest = ~whole & ~missing
        text[rest] = [format(number, ".12g") for number in numbers[rest]]
    else:
        text = values.astype(object).to_numpy()
    text = np.array(text, dtype=object)  # a writable copy
    text[missing] = ""
    return pd.Series(text, index=values.index, dtype=object)


def schema_frame(report, schema):
    """The cleaned rows of every table of `schema`, as text columns, in report order.

    The tables' typed values are put together first and each column formatted once: a page
    of 500 small tables costs one pass per column, not 500."""
    import pandas as pd

    fields = list(schema.fields)
    codes: dict[tuple[str, int], dict[int, set[str]]] = {}
    for finding in report.findings:
        if finding.row_index is not None and finding.table_index is not None:
            codes.setdefault((finding.file, finding.table_index), {}).setdefault(
                finding.row_index, set()).add(finding.code)
    files, lines, indexes, found, values = [], [], [], [], []
    for result in report.files:
        for table_result in result.tables:
            parsed = table_result.parsed
            if parsed is None or parsed.schema.name != schema.name or table_result.inferred is not None:
                continue
            table = table_result.table
            count = len(table.row_lines)
            files += [defuse_text(printable_path(result.path))] * count
            lines += [str(line) for line in table.row_lines]
            indexes += [str(table.index)] * count
            row_codes = codes.get((result.path, table.index), {})
            found += [";".join(sorted(row_codes[row])) if row in row_codes else "" for row in range(count)]
            values.append(parsed.values.iloc[:count])
    if not values:
        return pd.DataFrame(columns=_LEAD_COLUMNS + fields + ["anomalies"])
    frame = pd.DataFrame({"source_file": files, "source_line": lines, "table_index": indexes})
    for name in fields:
        present = [part[name] for part in values if name in part.columns]
        if not present:
            frame[name] = [""] * len(frame)
            continue
        # A table without the field gives empty cells; the others' typed values keep their dtype.
        parts = [part[name] if name in part.columns
                 else pd.Series(pd.NA, index=part.index, dtype=present[0].dtype) for part in values]
        column = format_column(pd.concat(parts, ignore_index=True))
        if not schema.fields[name].numeric:
            column = _defuse_column(column)
        frame[name] = column.to_numpy()
    frame["anomalies"] = found
    return frame


def render_schema_csv(report, schema) -> str:
    return schema_frame(report, schema).to_csv(index=False, lineterminator="\n")


def schema_rows(report, schema) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the cleaned CSV, as lists (for callers that want Python values)."""
    frame = schema_frame(report, schema)
    return list(frame.columns), frame.astype(str).values.tolist()


def render_csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def matched_schemas(report) -> list:
    names = {name for result in report.files for name in result.schemas}
    return [schema for schema in report.schemas if schema.name in names]
