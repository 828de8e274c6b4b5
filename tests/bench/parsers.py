"""The parser choice, timed in one process: how long reading one big table's rows takes with
pulldown-cmark (pyromark's event stream), markdown-it-py (if installed), `validate`'s own reader
(`validate.reader.read_tables`: pulldown-cmark decides where tables are, then rows are read from
their source lines) and, for scale, `pandas.read_csv` of the same rows as a CSV.

    python tests/bench/parsers.py PAGE.md ROWS.csv [REPETITIONS]

Imports happen before timing; each parser runs REPETITIONS times (default 5; markdown-it-py,
being slow, at most 3). Prints one line of JSON: {name: [seconds, ...] or null if not installed}.
"""

from __future__ import annotations

import collections
import json
import sys
import time
from pathlib import Path


def timed(function, repetitions: int) -> list[float]:
    times = []
    for _ in range(repetitions):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    page, rows_csv = Path(sys.argv[1]), Path(sys.argv[2])
    repetitions = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    text = page.read_text(encoding="utf-8")

    import pandas as pd
    import pyromark

    from validate.reader import read_tables

    options = pyromark.Options.ENABLE_TABLES
    results: dict[str, list[float] | None] = {}
    # Every event of the document (the iterator is lazy: drain it).
    results["pyromark.events"] = timed(
        lambda: collections.deque(pyromark.events(text, options=options), maxlen=0), repetitions)
    try:
        from markdown_it import MarkdownIt
    except ImportError:
        results["markdown-it-py"] = None
    else:
        parser = MarkdownIt("commonmark").enable("table")
        results["markdown-it-py"] = timed(lambda: parser.parse(text), min(repetitions, 3))
    results["validate.reader.read_tables"] = timed(lambda: read_tables(text), repetitions)
    results["pandas.read_csv"] = timed(lambda: pd.read_csv(rows_csv), repetitions)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
