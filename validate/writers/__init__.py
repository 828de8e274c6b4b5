"""Writers render a Report; they never judge, filter or re-check anything.

Here, how files reach the disk: one at a time atomically (`write_atomic`), and a run's
reports as one set (`ReportSet`): two runs on one out directory, or a run interrupted while
writing, never leave reports of different runs side by side unnoticed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import stat
import tempfile
from pathlib import Path

# Records which files the last run wrote, and their digests: a later run removes the ones it
# does not write again (a table kind no longer seen), and only if nobody changed them since.
MANIFEST = ".validate-manifest.json"
_STAGING_PREFIX = ".validate-staging-"
# The only names a manifest may make the tool delete: its own report files.
_REPORT_NAME = re.compile(r"anomalies\.json|anomalies\.html|[a-z][a-z0-9_]*\.csv")


def write_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text so that readers see the old file or the new one, never half of it.

    A file name that is not UTF-8 reaches here as lone surrogates (os.fsdecode); they are
    written as `\\udcff` escapes, the same text in every report, and valid JSON.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace", newline="") as stream:
            stream.write(text)
        # mkstemp makes the file private; a report is as readable as any file written here.
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def regular_target_problem(path: Path) -> str | None:
    """Why a file the user named as an output cannot be replaced, or None when it can.

    Only a regular file (or nothing) is replaced: a device node, a fifo or a directory is not
    ours to turn into a file, and a symbolic link is refused rather than silently replaced
    by a file (or written through, to wherever it points).
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None if path.name not in ("", ".", "..") else "is a directory"
    except OSError as exc:
        return f"cannot be written ({exc.strerror or exc})"
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link; name the file it points to instead"
    if stat.S_ISDIR(info.st_mode):
        return "is a directory"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a device, fifo or socket)"
    return None


class ReportSet:
    """One run's report files, written into `out` together.

    Everything is rendered into a staging directory inside `out` first; then, with SIGINT
    and SIGTERM held back, the files are renamed into place and the manifest is rewritten.
    An interrupted run therefore leaves the previous set whole; a run killed outright
    (SIGKILL) in the instant of the renames leaves files whose digests disagree with the
    manifest, which says which set each file belongs to. Runs on the same directory take
    turns (an exclusive lock on it).

        with ReportSet(out) as reports:
            reports.add("anomalies.json", text)
            reports.commit()
    """

    def __init__(self, out: Path):
        self.out = out
        self.staging: Path | None = None
        self.names: list[str] = []
        self._lock: int | None = None

    def __enter__(self) -> "ReportSet":
        self.out.mkdir(parents=True, exist_ok=True)
        self._lock = _lock_directory(self.out)
        for leftover in self.out.glob(_STAGING_PREFIX + "*"):
            # A run killed before it could clean up: the lock says no run is using it.
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
        self.staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=self.out))
        return self

    def add(self, name: str, text: str) -> None:
        if not _REPORT_NAME.fullmatch(name):
            raise ValueError(f"not a report file name: {name!r}")
        write_atomic(self.staging / name, text)
        self.names.append(name)

    def commit(self) -> None:
        previous = read_manifest(self.out)
        digests = {name: _digest(self.staging / name) for name in self.names}
        held = _hold_signals()
        try:
            for name in self.names:
                os.replace(self.staging / name, self.out / name)
            manifest = json.dumps({"tool": "validate", "files": dict(sorted(digests.items()))},
                                  indent=2) + "\n"
            write_atomic(self.out / MANIFEST, manifest)
            for name, digest in previous.items():
                if name not in digests:
                    _remove_if_unchanged(self.out / name, digest)
        finally:
            _release_signals(held)

    def __exit__(self, *exc) -> bool:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
        if self._lock is not None:
            os.close(self._lock)  # closing the descriptor releases the lock
        return False


def read_manifest(out: Path) -> dict[str, str]:
    """The files the last run recorded in `out`, by name; nothing when there is no (usable)
    manifest: only what is surely ours is ever removed."""
    path = out / MANIFEST
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode) or os.lstat(path).st_size > 1024 * 1024:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {name: digest for name, digest in files.items()
            if isinstance(name, str) and isinstance(digest, str) and _REPORT_NAME.fullmatch(name)}


def _digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            hasher.update(block)
    return "sha256:" + hasher.hexdigest()


def _remove_if_unchanged(path: Path, digest: str) -> None:
    try:
        if stat.S_ISREG(os.lstat(path).st_mode) and _digest(path) == digest:
            path.unlink()
    except OSError:
        pass  # gone already, or not ours to remove


def _lock_directory(directory: Path) -> int | None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: runs are not serialized
        return None
    handle = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
    except OSError:
        pass  # a file system without locks: write anyway
    return handle


_HELD = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)}


def _hold_signals():
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)


def _release_signals(previous) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
