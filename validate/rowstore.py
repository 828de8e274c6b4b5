"""Where a table's cells live: Python lists for ordinary tables, Arrow arrays for big ones.

A big table (100,000s of rows) kept as a list of lists costs a Python string per cell and
a Python call to split each row; `ArrowRows` splits every plain row at once with Arrow's
string kernels and keeps the cells in one array, building Python lists only for the rows
someone asks for. Rows that need GFM's finer rules (escaped pipes, comments, markup, a cell
count that differs from the header) are split and rendered one by one, as in `ListRows`.
Both stores answer the same questions, so nothing outside the reader knows which it has.
"""

from __future__ import annotations

from typing import Callable


class ListRows:
    """Rows as lists: `shown` (what GitHub shows, fitted to the header's width) and `sources`
    (the trimmed source text of every cell actually written)."""

    def __init__(self, shown: list[list[str]], sources: list[list[str]]):
        self.shown = shown
        self.sources = sources

    def __len__(self) -> int:
        return len(self.sources)

    def row(self, r: int) -> list[str]:
        return self.shown[r]

    def source(self, r: int) -> list[str]:
        return self.sources[r]

    def cell_counts(self) -> list[int]:
        return [len(cells) for cells in self.sources]

    def shown_column(self, j: int):
        import pandas as pd

        return pd.Series([row[j] for row in self.shown], dtype="str")

    def source_column(self, j: int):
        import pandas as pd

        return pd.Series([row[j] if j < len(row) else "" for row in self.sources], dtype="str")

    def all_shown(self) -> list[list[str]]:
        return self.shown

    def all_sources(self) -> list[list[str]]:
        return self.sources


class ArrowRows:
    """Rows of a big table: plain rows split by Arrow, the others kept as lists (overrides)."""

    def __init__(self, cells, counts, width: int, sources: dict[int, list[str]],
                 shown: dict[int, list[str]]):
        import numpy as np

        self.cells = cells                  # pyarrow StringArray: every cell, row after row
        # Where each row's cells start in `cells` (from the split's own counts)...
        self.offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype("int64")
        # ...and how many cells each row really has (rows split one by one may differ).
        self.counts = counts.copy()
        for row, row_cells in sources.items():
            self.counts[row] = len(row_cells)
        self.width = width
        self.source_overrides = sources     # rows split one by one (escapes, comments)
        self.shown_overrides = shown        # rows whose shown text differs from the source

    def __len__(self) -> int:
        return len(self.counts)

    def source(self, r: int) -> list[str]:
        if r in self.source_overrides:
            return self.source_overrides[r]
        start = int(self.offsets[r])
        return self.cells.slice(start, int(self.counts[r])).to_pylist()

    def row(self, r: int) -> list[str]:
        if r in self.shown_overrides:
            return self.shown_overrides[r]
        return self.source(r)  # a plain row with the header's width shows what it says

    def cell_counts(self) -> list[int]:
        return self.counts.tolist()

    def _column(self, j: int, overrides: dict[int, list[str]], fill: Callable[[list[str]], str]):
        import numpy as np
        import pandas as pd
        import pyarrow as pa
        import pyarrow.compute as pc

        present = self.counts > j
        taken = pc.take(self.cells, pa.array(np.where(present, self.offsets + j, 0)))
        column = pc.if_else(pa.array(present), taken, "")
        series = pd.Series(column, dtype="str")
        if overrides:
            rows = sorted(overrides)
            series.iloc[rows] = [fill(overrides[r]) for r in rows]
        return series

    def shown_column(self, j: int):
        return self._column(j, self.shown_overrides, lambda cells: cells[j])

    def source_column(self, j: int):
        return self._column(j, self.source_overrides,
                            lambda cells: cells[j] if j < len(cells) else "")

    def all_shown(self) -> list[list[str]]:
        return [self.row(r) for r in range(len(self))]

    def all_sources(self) -> list[list[str]]:
        return [self.source(r) for r in range(len(self))]


def split_plain_rows(lines: list[str]):
    """(cells, counts) of rows split at every pipe, outer pipes dropped, cells trimmed.

    Right for rows without backslashes or HTML comments (GFM's other splitting rules need
    one of them); the caller splits those rows itself.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    trimmed = pc.utf8_trim(pa.array(lines, type=pa.string()), " \t")
    inner = pc.replace_substring_regex(trimmed, r"^\|", "", max_replacements=1)
    inner = pc.replace_substring_regex(inner, r"\|$", "", max_replacements=1)
    parts = pc.split_pattern(inner, "|")
    counts = pc.list_value_length(parts).to_numpy(zero_copy_only=False).astype("int64")
    cells = pc.utf8_trim(pc.list_flatten(parts), " \t")
    return cells, counts
