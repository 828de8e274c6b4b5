"""A schema-matched table as pandas frames: typed values beside the text they came from.

Every frame is indexed by the row's position among the table's data rows, so a check's
failure case maps straight back to a cell (row index + field -> line and column).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from validate.cells import parse_columns
from validate.headers import HeaderMatch
from validate.reader import Table
from validate.schema import Reference, TableSchema

_PANDAS_DTYPES = {"integer": "Int64", "number": "Float64", "boolean": "boolean", "string": "string"}


@dataclass(repr=False)
class ParsedTable:
    """One table of one file, typed. Fields the table lacks are absent from every frame."""

    path: str
    table: Table
    schema: TableSchema
    match: HeaderMatch
    text: pd.DataFrame       # rendered cell text per field ("" when empty)
    values: pd.DataFrame     # typed values per field; NA when empty or unparseable
    problems: pd.DataFrame   # ";"-joined parse problems per field ("" when fine)
    units: pd.DataFrame      # unit as written per field ("" none; NA faulty or not a number)
    grouping: pd.DataFrame   # "grouped" / "plain" per number of 1,000 or more; else NA
    sources: pd.DataFrame    # trimmed source text per field, as written in the file
    reference: Reference     # units and accelerator flavors the values were typed with
    # Analyses rules computed on this table (see rules.common.per_table): a check and the
    # explanation of its failures share one computation.
    memo: dict = field(default_factory=dict)

    def __deepcopy__(self, memo) -> "ParsedTable":
        # pandera deep-copies schemas, and with them check statistics: this object is read
        # only, so sharing it is safe and saves copying every frame.
        return self

    def __repr__(self) -> str:
        # Short on purpose: pandera formats check statistics (this object among them) into
        # labels, and the default repr would print every frame.
        return f"ParsedTable({self.path!r}, table {self.table.index}, {self.schema.name})"

    @property
    def fields(self) -> list[str]:
        return list(self.values.columns)

    def line(self, row: int) -> int:
        return self.table.row_lines[row]

    # Explanations read a few cells of many rows: a pandas scalar lookup costs tens of
    # microseconds, a list index nothing. Each column is turned into a list once, when asked.

    def source_cells(self, name: str) -> list[str]:
        """The column's cells as written (trimmed), as a list."""
        return self._listed("sources", name, lambda: self.sources[name].tolist())

    def shown_cells(self, name: str) -> list[str]:
        """The column's cells as shown (markup removed), as a list."""
        return self._listed("text", name, lambda: self.text[name].tolist())

    def typed_cells(self, name: str) -> list:
        """The column's typed values as a list of Python objects (pandas' NA where empty)."""
        return self._listed("typed", name, lambda: self.values[name].astype("object").tolist())

    def numbers(self, name: str):
        """The column's typed values as a float array (NaN where empty or not a number)."""
        import numpy as np

        return self._listed("numbers", name,
                            lambda: self.values[name].to_numpy(dtype="float64", na_value=np.nan))

    def _listed(self, kind: str, name: str, make):
        key = ("listed", kind, name)
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]

    def cell_frame(self) -> pd.DataFrame:
        """Per-cell facts for the cell-level checks: one column per (field, aspect)."""
        parts = {}
        for name in self.fields:
            parts[f"{name}:problems"] = self.problems[name]
            parts[f"{name}:unit"] = self.units[name]
            parts[f"{name}:grouping"] = self.grouping[name]
            parts[f"{name}:text"] = self.sources[name]
            parts[f"{name}:rendered"] = self.text[name]
        return pd.DataFrame(parts, index=self.values.index, copy=False)


def pandas_dtype(kind: str) -> str:
    return _PANDAS_DTYPES[kind]


def build_parsed_table(path: str, table: Table, match: HeaderMatch,
                       reference: Reference) -> ParsedTable:
    schema = match.schema
    assert schema is not None
    index = pd.RangeIndex(table.row_count)
    text, values, problems, units, grouping, sources = {}, {}, {}, {}, {}, {}
    for name, column in sorted(match.columns.items(), key=lambda item: item[1]):
        # pandas' string dtype (kept in Arrow when pyarrow is there): vectorized text checks.
        text[name] = table.shown_column(column).set_axis(index)
        sources[name] = table.source_column(column).set_axis(index)
    columns = parse_columns(text, {name: schema.fields[name] for name in text}, reference,
                            match.header_units)
    for name, parsed in columns.items():
        values[name] = parsed.values
        problems[name] = parsed.problems
        units[name] = parsed.units
        grouping[name] = parsed.grouping
    frame = lambda parts, dtype=None: pd.DataFrame(parts, index=index, dtype=dtype, copy=False)  # noqa: E731
    typed = pd.DataFrame(values, index=index, copy=False)
    for name in typed.columns:
        typed[name] = typed[name].astype(pandas_dtype(schema.fields[name].type))
    return ParsedTable(path=path, table=table, schema=schema, match=match,
                       text=frame(text), values=typed, problems=frame(problems, object),
                       units=frame(units, object), grouping=frame(grouping, object),
                       sources=frame(sources), reference=reference)
