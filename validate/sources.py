"""From what the user typed to documents: glob and directory expansion, reading, decoding.

Reading is bounded: only regular files are opened for reading (a fifo would block forever,
`/dev/zero` never ends), and no file above `MAX_BYTES` is read whole.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import stat
from dataclasses import dataclass

from validate.errors import InputError

_GLOB_CHARS = set("*?[")

# Far above any documentation page (the biggest real ones are a few MB), far below what would
# exhaust memory once a page becomes rows and typed frames.
MAX_BYTES = 256 * 1024 * 1024

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
    | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)

_NOT_REGULAR = (
    (stat.S_ISFIFO, "a fifo"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


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
    walked for `*.md`, hidden ones too (`.github/`), but not `.git` and not what the
    `.gitignore` files of the walked tree ignore. `exclude` holds gitignore-style patterns
    relative to `root`; they do not apply to files named explicitly unless `exclude_explicit`
    (pre-commit names every file).
    """
    spec = exclude_spec(exclude)
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
            matches = _glob(pattern)
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


def _glob(pattern: str) -> list[str]:
    """`glob.glob(pattern, recursive=True)`, except that `**` does not follow symbolic links
    to directories: a link to `..` would otherwise be walked 40 levels deep (once per loop)."""
    parts = pattern.split("/")
    if "**" not in parts:
        return sorted(glob.glob(pattern))
    at = parts.index("**")
    base, rest = "/".join(parts[:at]), parts[at:]
    if at == 1 and parts[0] == "":
        base = "/"
    bases = (sorted(glob.glob(base)) if _GLOB_CHARS & set(base) else [base]) if base else [""]
    # As in glob, only a pattern component written with a leading dot matches a hidden name.
    hidden_wanted = any(part.startswith(".") for part in rest)
    matches = []
    for directory in bases:
        top = directory or "."
        if not os.path.isdir(top):
            continue
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(d for d in dirnames if hidden_wanted or not d.startswith("."))
            relative = os.path.relpath(dirpath, top)
            prefix = [] if relative == "." else relative.split(os.sep)
            for name in dirnames + sorted(filenames):
                if _match_parts(rest, prefix + [name]):
                    matches.append(os.path.join(directory, *prefix, name) if directory
                                   else os.path.join(*prefix, name))
            if not prefix and _match_parts(rest, []) and directory:
                matches.append(directory)  # `docs/**` matches `docs/` itself, as glob does
    return sorted(set(matches))


def _match_parts(pattern: list[str], parts: list[str]) -> bool:
    """Shell-style match of path components; `**` matches zero or more of them."""
    if not pattern:
        return not parts
    head, tail = pattern[0], pattern[1:]
    if head == "**":  # zero or more components, none of them hidden
        shown = next((i for i, part in enumerate(parts) if part.startswith(".")), len(parts))
        return any(_match_parts(tail, parts[i:]) for i in range(shown + 1))
    if not parts:
        return head == ""
    name = parts[0]
    if name.startswith(".") and not head.startswith("."):
        return False
    return fnmatch.fnmatchcase(name, head) and _match_parts(tail, parts[1:])


def _walk(directory: str) -> list[str]:
    """Markdown files under `directory`: hidden directories included, `.git` and what the
    walked tree's `.gitignore` files ignore left out, symbolic links to directories not
    followed (a link loop ends there). Fifos, devices and links named `*.md` are listed:
    reading them reports what they are."""
    found = []
    # Per directory, the .gitignore rules that apply in it: (directory, patterns), outermost first.
    chains: dict[str, list[tuple[str, list]]] = {directory: []}
    for dirpath, dirnames, filenames in os.walk(directory):
        chain = chains.pop(dirpath, [])
        if ".gitignore" in filenames:
            patterns = _gitignore_patterns(os.path.join(dirpath, ".gitignore"))
            if patterns:
                chain = chain + [(dirpath, patterns)]
        kept = []
        for name in sorted(dirnames):
            if name == ".git" or _ignored(chain, dirpath, name, is_dir=True):
                continue
            kept.append(name)
            chains[os.path.join(dirpath, name)] = chain
        dirnames[:] = kept
        for name in sorted(filenames):
            if name.lower().endswith(".md") and not _ignored(chain, dirpath, name, is_dir=False):
                found.append(os.path.join(dirpath, name))
    return found


def _gitignore_patterns(path: str) -> list:
    """The patterns of one .gitignore file; lines git would not understand are skipped, as
    git skips them, and a .gitignore that is not a readable regular file counts as empty."""
    import pathspec

    try:
        text = read_bounded(path, limit=1024 * 1024).decode("utf-8", errors="replace")
    except InputError:
        return []
    patterns = []
    for line in text.splitlines():
        try:
            patterns.extend(pathspec.GitIgnoreSpec.from_lines([line]).patterns)
        except ValueError:
            continue
    return [p for p in patterns if p.include is not None]


def _ignored(chain: list[tuple[str, list]], dirpath: str, name: str, is_dir: bool) -> bool:
    """Git's verdict: the last matching pattern wins, deeper .gitignore files over outer ones."""
    verdict = False
    for base, patterns in chain:
        relative = os.path.relpath(os.path.join(dirpath, name), base).replace(os.sep, "/")
        if is_dir:
            relative += "/"
        for pattern in patterns:
            if pattern.match_file(relative) is not None:
                verdict = pattern.include
    return verdict


def _display(path: str) -> str:
    shown = path.replace(os.sep, "/")
    while shown.startswith("./"):
        shown = shown[2:]
    return shown


def exclude_spec(exclude: list[str] | None):
    """The compiled `exclude` patterns; a pattern git cannot read raises ValueError."""
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


def read_bounded(path: str, limit: int = MAX_BYTES, directory: str = "is a directory") -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else is an InputError
    whose reason says what the path is (`directory` is the reason given for a directory)."""
    try:
        info = os.stat(path)
        _check_kind(path, info, directory, limit)
        # O_NONBLOCK: should the path become a fifo between stat and open, open still returns.
        handle = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise InputError(path, "no such file or directory") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror or exc})") from None
    try:
        _check_kind(path, os.fstat(handle), directory, limit)
        if getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(handle, True)
        chunks, total = [], 0
        while True:
            chunk = os.read(handle, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # the file grew while it was read
                raise InputError(path, _too_large(limit))
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(handle)


def _check_kind(path: str, info: os.stat_result, directory: str, limit: int) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, directory)
    for test, kind in _NOT_REGULAR:
        if test(info.st_mode):
            raise InputError(path, f"not a regular file ({kind})")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, "not a regular file")
    if info.st_size > limit:
        raise InputError(path, _too_large(limit))


def _too_large(limit: int) -> str:
    return f"larger than {limit // (1024 * 1024)} MiB, too large to be a documentation page"


def read_source(path: str) -> SourceFile:
    """Read and decode one document; problems become the file's error, never an exception."""
    try:
        raw = read_bounded(path, directory="is a directory without markdown files")
        return SourceFile(path, text=decode_document(raw, path))
    except InputError as exc:
        return SourceFile(path, error=exc.reason)


def decode_document(raw: bytes, path: str) -> str:
    """UTF-8 (a byte order mark is dropped); anything else is reported, not guessed."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise InputError(path, f"binary file (contains NUL bytes, the first at offset {nul}), "
                               "not a markdown document")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            path,
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
        ) from None
    return text[1:] if text.startswith("\ufeff") else text
