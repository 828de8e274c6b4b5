"""Giving freed memory back to the system between the phases of a big table's check.

Parsing and typing a table of a million rows builds large temporary arrays. Once they are
freed, the allocators (Arrow's pool and the C library's heap) keep the pages for reuse, so
the next phase's temporaries pile on top of the last one's and the process' peak grows with
every phase. Releasing them at the phase boundaries keeps the peak near what is really held.
"""

from __future__ import annotations

import functools
import sys

# Below this many cells the temporaries are small and a release would only cost time.
BIG_TABLE_CELLS = 1_000_000


def release_free_memory() -> None:
    """Return freed but cached memory to the operating system (best effort, never raises)."""
    if "pyarrow" in sys.modules:
        try:
            sys.modules["pyarrow"].default_memory_pool().release_unused()
        except Exception:  # noqa: BLE001 - an older pyarrow or another pool: nothing to give back
            pass
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's malloc_trim, or None (another platform, or musl, which has none).

    Looked up once: finding the C library may start a subprocess (ldconfig), and ctypes
    stays off the start-up path of runs that never meet a big table.
    """
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import ctypes.util

    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None
