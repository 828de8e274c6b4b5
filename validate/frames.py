"""A schema-matched table as pandas frames: typed values beside the text they came from.

Every frame is indexed by the row's position among the table's data rows, so a check's
failure case maps straight back to a cell (row index + field -> line and column).

Many small tables of one kind and one header in a page are typed and checked *stacked*: one
frame holds all their rows, in page order, and `bounds` says where each table starts. A table
costs pandas and pandera a fixed price per operation, whatever its size, so 500 tables of
three rows checked one by one cost 500 times that price; stacked, they cost it once. Rules
keep every comparison inside one table (`segment_of`), and the engine splits the stack back
into one ParsedTable per table (`part`) before anything else sees it.
"""

from __future__ import annotations

import itertools
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
    # A stack of several tables: each table, and the row each starts at (plus the end).
    tables: list[Table] | None = None
    bounds: tuple[int, ...] | None = None

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
        if self.bounds is None:
            return self.table.row_lines[row]
        part = self.segment_of()[row]
        return self.tables[part].row_lines[row - self.bounds[part]]

    @property
    def stacked(self) -> bool:
        return self.bounds is not None

    def segment_of(self):
        """Per row, which table of the stack it belongs to (all 0 for one table)."""
        import numpy as np

        def make():
            if self.bounds is None:
                return np.zeros(len(self.values), dtype=np.int64)
            sizes = np.diff(np.asarray(self.bounds))
            return np.repeat(np.arange(len(sizes)), sizes)
        return self._listed("segments", "", make)

    def segments(self) -> list[tuple[int, int]]:
        """(first row, row after the last) of each table of the stack."""
        if self.bounds is None:
            return [(0, len(self.values))]
        return list(zip(self.bounds[:-1], self.bounds[1:]))

    def part(self, number: int) -> "ParsedTable":
        """Table `number` of a stack, as a ParsedTable of its own (index from 0)."""
        start, stop = self.bounds[number], self.bounds[number + 1]

        def cut(frame):
            piece = frame.iloc[start:stop]
            return piece.set_axis(pd.RangeIndex(stop - start), axis=0)

        return ParsedTable(path=self.path, table=self.tables[number], schema=self.schema,
                           match=self.match, text=cut(self.text), values=cut(self.values),
                           problems=cut(self.problems), units=cut(self.units),
                           grouping=cut(self.grouping), sources=cut(self.sources),
                           reference=self.reference)

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


def build_parsed_table(path: str, table: Table | list[Table], match: HeaderMatch,
                       reference: Reference) -> ParsedTable:
    """One table typed, or several tables of one header typed as one stack (see above)."""
    schema = match.schema
    assert schema is not None
    tables = table if isinstance(table, list) else [table]
    sizes = [t.row_count for t in tables]
    index = pd.RangeIndex(sum(sizes))
    text, values, problems, units, grouping, sources = {}, {}, {}, {}, {}, {}

    def stacked(column_of):
        parts = [column_of(t) for t in tables]
        return (parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)).set_axis(index)

    for name, column in sorted(match.columns.items(), key=lambda item: item[1]):
        # pandas' string dtype (kept in Arrow when pyarrow is there): vectorized text checks.
        text[name] = stacked(lambda t: t.shown_column(column))
        sources[name] = stacked(lambda t: t.source_column(column))
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
    bounds = None
    if len(tables) > 1:
        bounds = (0, *itertools.accumulate(sizes))
    return ParsedTable(path=path, table=tables[0], schema=schema, match=match,
                       text=frame(text), values=typed, problems=frame(problems, object),
                       units=frame(units, object), grouping=frame(grouping, object),
                       sources=frame(sources), reference=reference,
                       tables=tables if bounds else None, bounds=bounds)
