"""A cache of whole runs, as ruff keeps one: the same pages, configuration and tool give the
same output, so a run whose inputs did not change replays what the last one printed and wrote.

The key is a hash of everything the output depends on: the tool's own code and version (every
file of the package and its schemas), the versions of the libraries that type and render
(pandas, pandera, pyromark, Jinja2), the configuration as resolved, the schema directories,
the options that shape the output, and the bytes of every page read (the pages given and their
other language versions). A run that reads anything else (a git revision, a baseline) or
writes anything but reports (`--fix`, `--write-baseline`, `--export-tables`) is not cached. The
HTML report's time stamp is replaced when a run is replayed.

Entries live in `.validate_cache/` beside the nearest pyproject.toml with a [tool.validate]
table (else in the working directory), one file per key, with a `.gitignore` of `*` so the
directory never reaches a commit; `VALIDATE_CACHE_DIR` moves it, `--no-cache` or
`VALIDATE_NO_CACHE=1` turns it off. The newest `MAX_ENTRIES` are kept.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

MAX_ENTRIES = 64
STAMP = "{{validate-time-stamp-0d7e}}"    # stands for the HTML time stamp in a stored report
_LIBRARIES = ("pandas", "pandera", "pyromark", "Jinja2", "numpy", "pyarrow")
_PACKAGE = Path(__file__).resolve().parent


def directory(root: str | None) -> Path:
    return Path(os.environ.get("VALIDATE_CACHE_DIR") or Path(root or ".") / ".validate_cache")


def disabled() -> bool:
    return os.environ.get("VALIDATE_NO_CACHE", "") not in ("", "0")


def _code_fingerprint(schema_dirs: list[Path]) -> str:
    """A hash of the tool's files (code, templates, built-in schemas) and of the schema
    directories in use: an edit to any of them is another tool."""
    digest = hashlib.sha256()
    roots = [_PACKAGE, *schema_dirs]
    for root in roots:
        for path in sorted(p for p in Path(root).rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            if path.suffix in (".pyc", ".pyo"):
                continue
            digest.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape"))
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _library_versions() -> dict[str, str]:
    from importlib import metadata

    found = {}
    for name in _LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = ""
    return found


def run_key(options: dict, pages: list[str], schema_dirs: list[Path]) -> str | None:
    """The key of a run, or None when a page is not a regular, readable file (its error is
    reported by a real run)."""
    digest = hashlib.sha256()
    from validate import __version__

    material = {"version": __version__, "python": sys.version, "libraries": _library_versions(),
                "code": _code_fingerprint(schema_dirs), "options": options}
    digest.update(json.dumps(material, sort_keys=True, default=str).encode())
    for page in pages:
        try:
            if not Path(page).is_file():
                return None
            data = Path(page).read_bytes()
        except OSError:
            return None
        digest.update(page.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


@dataclass
class Entry:
    stdout: str
    stderr: str
    status: int
    reports: dict[str, str] = field(default_factory=dict)   # file name -> text (STAMP for the time)
    out: str | None = None                                  # where they were written


def load(root: str | None, key: str) -> Entry | None:
    path = directory(root) / f"{key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entry = Entry(**data)
    except (OSError, ValueError, TypeError):
        return None
    try:
        os.utime(path)           # recently used: kept longest
    except OSError:
        pass
    return entry


def save(root: str | None, key: str, entry: Entry) -> None:
    """Store an entry; a cache that cannot be written is no error (the run is done)."""
    where = directory(root)
    try:
        where.mkdir(parents=True, exist_ok=True)
        ignore = where / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# Created by validate: its run cache, never committed.\n*\n", encoding="utf-8")
        from validate.writers import write_atomic

        write_atomic(where / f"{key}.json", json.dumps(entry.__dict__, ensure_ascii=False))
        entries = sorted(where.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in entries[MAX_ENTRIES:]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass


class Recorder:
    """Copies what a run prints (standard output and error) while it prints it."""

    def __init__(self):
        self.stdout, self.stderr = io.StringIO(), io.StringIO()
        self._streams = None

    def __enter__(self):
        self._streams = sys.stdout, sys.stderr
        sys.stdout = _Tee(sys.stdout, self.stdout)
        sys.stderr = _Tee(sys.stderr, self.stderr)
        return self

    def __exit__(self, *exc):
        sys.stdout, sys.stderr = self._streams
        return False


class _Tee(io.TextIOBase):
    def __init__(self, stream, copy):
        self._stream, self._copy = stream, copy

    def write(self, text):
        self._copy.write(text)
        return self._stream.write(text)

    def flush(self):
        self._stream.flush()

    def isatty(self):
        return self._stream.isatty()

    @property
    def encoding(self):
        return getattr(self._stream, "encoding", "utf-8")

    @property
    def errors(self):
        return getattr(self._stream, "errors", "strict")

    def fileno(self):
        return self._stream.fileno()
