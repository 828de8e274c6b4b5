"""Typed checks of many files on several cores.

The first phase (reading, parsing, matching) runs in the parent; the second, which needs
pandas, runs in worker processes, one file at a time. Workers are forked from the parent
where the platform allows it (they inherit the loaded schemas and rules), and results come
back in file order, so the report is the same whatever the number of jobs.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any, Iterator

_CHECKER: Any = None
_FILES: list = []


def _check_one(index: int):
    result = _FILES[index]
    found = _CHECKER.check_typed(result)
    tables = []
    for table_result in result.tables:
        parsed = table_result.parsed
        if parsed is not None:
            parsed.memo = {}  # analyses are not needed by the parent: do not ship them
        tables.append(parsed)
    # Rules hold functions; the parent has the same rules, so send their codes.
    return index, tables, [(rule.code, hit, table) for rule, hit, table in found]


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def check_typed_in_parallel(checker, files: list, jobs: int, progress=None) -> Iterator[tuple[Any, list]]:
    """Yield (file result, hits) for `files`, in order, checked by `jobs` processes."""
    global _CHECKER, _FILES
    from validate.rules import BY_CODE

    context = _context()
    if context.get_start_method() != "fork":
        # Without fork the workers cannot inherit the checker: check here instead.
        for result in files:
            found = checker.check_typed(result)
            if progress is not None:
                progress(result.path)
            yield result, found
        return
    # pandas and pandera load once, here, before the fork: every worker inherits them (and
    # the parent needs them anyway to receive the typed frames).
    import validate.checking  # noqa: F401

    _CHECKER, _FILES = checker, files
    try:
        with context.Pool(processes=min(jobs, len(files), os.cpu_count() or 1)) as pool:
            for index, tables, found in pool.imap(_check_one, range(len(files)), chunksize=1):
                result = files[index]
                for table_result, parsed in zip(result.tables, tables):
                    table_result.parsed = parsed
                if progress is not None:
                    progress(result.path)
                yield result, [(BY_CODE[code], hit, table) for code, hit, table in found]
    finally:
        _CHECKER, _FILES = None, []
