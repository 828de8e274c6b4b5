"""Applying safe fixes: the one place that rewrites documents.

Fixes are data (`FileEdit`: line, column, old text, new text) attached to findings by the
rules that can offer one; the rules only offer an edit after checking the cell's value does
not change. Here the edits are applied to the file's bytes:

- only the cells that carry an edit change; line endings, a byte order mark, front matter and
  every other line stay byte-identical;
- inside an edited cell, the padding before the next pipe is adjusted so that the pipes of an
  aligned table stay where they were when the new text fits;
- an edit whose `old` text is not found where it should be is dropped (never guessed);
- files are replaced atomically, keeping their permissions (and owner, where allowed);
- a symbolic link is followed: the file it points to is fixed and the link stays a link;
- a file that is read-only (no write permission for its owner), has several hard links
  (replacing it would split them: the other names would keep the old text) or changed
  since it was checked is not fixed: a `FixError` says why, and nothing is written.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from validate.errors import InputError
from validate.findings import FileEdit

_BOM = b"\xef\xbb\xbf"
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


class FixError(InputError):
    """A file whose fixes cannot be written; the message ends with "not fixed"."""

    def __init__(self, path: str, reason: str):
        super().__init__(path, f"{reason}, not fixed")


@dataclass
class FixResult:
    path: str
    before: bytes
    after: bytes
    applied: int

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        old = _decode(self.before).splitlines(keepends=True)
        new = _decode(self.after).splitlines(keepends=True)
        label = self.path if os.path.isabs(self.path) else None
        return "".join(difflib.unified_diff(old, new, label or f"a/{self.path}", label or f"b/{self.path}"))


def _decode(data: bytes) -> str:
    return data[len(_BOM):].decode("utf-8") if data.startswith(_BOM) else data.decode("utf-8")


def edits_by_file(findings) -> dict[str, list[FileEdit]]:
    """The edits of `findings`, per file, each edit once."""
    planned: dict[str, set[FileEdit]] = {}
    for finding in findings:
        if finding.edits:
            planned.setdefault(finding.file, set()).update(finding.edits)
    return {path: sorted(edits, key=lambda e: (e.line, e.column)) for path, edits in planned.items()}


def fix_text(text: str, edits: list[FileEdit]) -> tuple[str, int]:
    """Apply edits to a document's text (its own line endings kept); returns (text, applied)."""
    lines = _LINES.findall(text)
    by_line: dict[int, list[FileEdit]] = {}
    for edit in edits:
        by_line.setdefault(edit.line, []).append(edit)
    applied = 0
    for number, line_edits in by_line.items():
        if not 1 <= number <= len(lines):
            continue
        raw = lines[number - 1]
        body = raw.rstrip("\r\n")
        ending = raw[len(body):]
        new_body, count = _fix_line(body, line_edits)
        lines[number - 1] = new_body + ending
        applied += count
    return "".join(lines), applied


def _fix_line(body: str, edits: list[FileEdit]) -> tuple[str, int]:
    pipes = [m.start() for m in _UNESCAPED_PIPE.finditer(body)]
    bounds = [-1] + pipes + [len(body)]
    # Cell segments between pipes: (start, end) character ranges of the original line.
    segments = [(bounds[i] + 1, bounds[i + 1]) for i in range(len(bounds) - 1)]
    per_segment: dict[int, list[FileEdit]] = {}
    for edit in edits:
        start = edit.column - 1
        for index, (a, b) in enumerate(segments):
            if a <= start and start + len(edit.old) <= b:
                per_segment.setdefault(index, []).append(edit)
                break
    applied = 0
    pieces = []
    for index, (a, b) in enumerate(segments):
        segment = body[a:b]
        chosen = sorted(per_segment.get(index, []), key=lambda e: e.column, reverse=True)
        last_start = len(segment) + 1
        delta = 0
        for edit in chosen:
            offset = edit.column - 1 - a
            if offset + len(edit.old) > last_start or segment[offset:offset + len(edit.old)] != edit.old:
                continue  # overlapping or stale: leave it for the next run
            segment = segment[:offset] + edit.new + segment[offset + len(edit.old):]
            delta += len(edit.new) - len(edit.old)
            last_start = offset
            applied += 1
        if delta and index < len(segments) - 1:
            segment = _repad(segment, delta, original_padding=len(body[a:b]) - len(body[a:b].rstrip(" ")))
        pieces.append(segment)
    return "|".join(pieces), applied


def _repad(segment: str, delta: int, original_padding: int) -> str:
    """Keep the next pipe in place where the cell's padding allows it."""
    text = segment.rstrip(" ")
    padding = len(segment) - len(text)
    if delta > 0:
        padding = max(1 if original_padding else 0, padding - delta)
    elif original_padding > 1:
        padding = padding - delta
    return text + " " * padding


def fix_file(path: str, edits: list[FileEdit], write: bool) -> FixResult:
    """Apply `edits` to the file at `path` (or only compute the result); FixError when the
    file cannot be read or written."""
    from validate.sources import read_bounded

    # Through a symbolic link, the file it points to is the one to fix; the link stays.
    target = Path(os.path.realpath(path))
    try:
        before = read_bounded(str(target))
        text = _decode(before)
    except InputError as exc:
        raise FixError(path, exc.reason) from None
    except UnicodeDecodeError:
        raise FixError(path, "no longer valid UTF-8") from None
    fixed, applied = fix_text(text, edits)
    after = (_BOM if before.startswith(_BOM) else b"") + fixed.encode("utf-8")
    result = FixResult(path=path, before=before, after=after, applied=applied)
    if write and result.changed:
        try:
            _replace_atomically(target, before, after)
        except _Refused as refusal:
            raise FixError(path, str(refusal)) from None
        except OSError as exc:
            raise FixError(path, f"cannot be written ({exc.strerror or exc})") from None
    return result


class _Refused(Exception):
    """Why a file is left as it is."""


def _replace_atomically(target: Path, before: bytes, data: bytes) -> None:
    """Replace `target` by `data` in one rename, if it still holds `before`."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        raise _Refused("deleted while it was being fixed") from None
    # Root may write anything: the mode bits still say the owner wants the file left alone.
    if not info.st_mode & stat.S_IWUSR or not os.access(target, os.W_OK):
        raise _Refused("read-only")
    if info.st_nlink > 1:
        raise _Refused(f"has {info.st_nlink} hard links (replacing it would split them)")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, info.st_mode & 0o7777)
        made = os.stat(temporary)
        if (made.st_uid, made.st_gid) != (info.st_uid, info.st_gid):
            try:
                os.chown(temporary, info.st_uid, info.st_gid)  # root fixing a user's file
            except OSError:
                pass
        try:
            unchanged = target.read_bytes() == before
        except FileNotFoundError:
            raise _Refused("deleted while it was being fixed") from None
        if not unchanged:
            raise _Refused("changed while it was being fixed")
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
