"""Cleaned data: one CSV per schema, a row per table row, typed values in canonical units."""

from __future__ import annotations

import csv
import io
import math

_LEAD_COLUMNS = ["source_file", "source_line", "table_index"]


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


def schema_rows(report, schema) -> tuple[list[str], list[list[str]]]:
    fields = list(schema.fields)
    header = _LEAD_COLUMNS + fields + ["anomalies"]
    codes: dict[tuple[str, int, int], set[str]] = {}
    for finding in report.findings:
        if finding.row_index is not None and finding.table_index is not None:
            codes.setdefault((finding.file, finding.table_index, finding.row_index), set()).add(finding.code)
    rows: list[list[str]] = []
    for result in report.files:
        for table_result in result.tables:
            parsed = table_result.parsed
            if parsed is None or parsed.schema.name != schema.name:
                continue
            columns = {name: parsed.values[name].tolist() for name in parsed.fields}
            table = table_result.table
            for row, line in enumerate(table.row_lines):
                cells = [format_value(columns[name][row]) if name in columns else "" for name in fields]
                found = ";".join(sorted(codes.get((result.path, table.index, row), ())))
                rows.append([result.path, str(line), str(table.index), *cells, found])
    return header, rows


def render_csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def matched_schemas(report) -> list:
    names = {name for result in report.files for name in result.schemas}
    return [schema for schema in report.schemas if schema.name in names]
