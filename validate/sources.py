"""From what the user typed to documents: glob and directory expansion, reading, decoding."""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path

from validate.errors import InputError

_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class SourceFile:
    """A document to check: its path as the user gave it, and its text or why it has none."""

    path: str
    text: str | None = None
    error: str | None = None


def expand_paths(patterns: list[str], exclude: list[str] | None = None,
                 root: str | None = None, exclude_explicit: bool = False) -> list[str]:
    """Expand globs and directories into markdown file paths, keeping the user's spelling.

    Explicit file names are kept even when they do not exist (reading them reports the
    error); a glob that matches nothing is reported as a missing path. Directories are
    walked for `*.md`. `exclude` holds gitignore-style patterns relative to `root`; they do not
    apply to files named explicitly unless `exclude_explicit` (pre-commit names every file).
    """
    spec = _exclude_spec(exclude)
    seen: set[str] = set()
    result: list[str] = []

    def add(path: str, explicit: bool) -> None:
        shown = _display(path)
        if shown in seen:
            return
        if spec is not None and (exclude_explicit or not explicit) and _excluded(spec, shown, root):
            return
        seen.add(shown)
        result.append(shown)

    for pattern in patterns:
        if _GLOB_CHARS & set(pattern):
            matches = sorted(glob.glob(pattern, recursive=True))
            if not matches:
                add(pattern, explicit=True)
            for match in matches:
                if os.path.isdir(match):
                    for found in _walk(match):
                        add(found, explicit=False)
                else:
                    add(match, explicit=False)
        elif os.path.isdir(pattern):
            found_any = False
            for found in _walk(pattern):
                add(found, explicit=False)
                found_any = True
            if not found_any:
                add(pattern, explicit=True)  # reading it reports "is a directory"
        else:
            add(pattern, explicit=True)
    return result


def _walk(directory: str) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.lower().endswith(".md"):
                found.append(os.path.join(dirpath, name))
    return found


def _display(path: str) -> str:
    shown = path.replace(os.sep, "/")
    while shown.startswith("./"):
        shown = shown[2:]
    return shown


def _exclude_spec(exclude: list[str] | None):
    if not exclude:
        return None
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(exclude)


def _excluded(spec, path: str, root: str | None) -> bool:
    candidate = path
    if root is not None:
        try:
            candidate = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
        except ValueError:
            candidate = path
    return spec.match_file(candidate)


def read_source(path: str) -> SourceFile:
    """Read and decode one document; problems become the file's error, never an exception."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return SourceFile(path, error="no such file or directory")
    except IsADirectoryError:
        return SourceFile(path, error="is a directory without markdown files")
    except PermissionError:
        return SourceFile(path, error="permission denied")
    except OSError as exc:
        return SourceFile(path, error=f"cannot read ({exc.strerror or exc})")
    try:
        return SourceFile(path, text=decode_document(raw, path))
    except InputError as exc:
        return SourceFile(path, error=exc.reason)


def decode_document(raw: bytes, path: str) -> str:
    """UTF-8 (a byte order mark is dropped); anything else is reported, not guessed."""
    if b"\x00" in raw[:8192]:
        raise InputError(path, "binary file (contains NUL bytes), not a markdown document")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            path,
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
        ) from None
    return text[1:] if text.startswith("\ufeff") else text
