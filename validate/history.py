"""A page as it stood at a git revision: `git show REV:path`, through the git command.

The git command rather than a library (GitPython, pygit2): wherever a revision makes sense git
is installed, it reads every repository layout (worktrees, sparse checkouts, submodules) the
way the user's own git does, and it costs no dependency; GitPython runs the same command
underneath, pygit2 brings a C library of its own.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass

from validate.errors import UserError

# The staged page, for the pre-commit hook: git's index (`git show :path`).
STAGED = ""


class HistoryError(UserError):
    """No git repository, an unknown revision, or git itself missing."""


@dataclass(frozen=True)
class Previous:
    """A page at a revision: its text, or `absent` when the page did not exist there."""

    ref: str
    text: str | None
    absent: bool = False


def _git(args: list[str], cwd: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60,
                              env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"})
    except FileNotFoundError:
        raise HistoryError("git is not installed: --since needs it") from None
    except subprocess.TimeoutExpired:
        raise HistoryError("git did not answer within 60 s") from None


def repository_of(path: str) -> str | None:
    """The top directory of the git work tree holding `path`, or None."""
    directory = os.path.dirname(os.path.abspath(path)) or "."
    if not os.path.isdir(directory):
        return None
    found = _git(["rev-parse", "--show-toplevel"], directory)
    if found.returncode != 0:
        return None
    return os.fsdecode(found.stdout.strip())


def check_revision(ref: str, root: str) -> None:
    """Raise HistoryError unless `ref` names a commit in the repository at `root`."""
    if ref.startswith("-"):
        raise HistoryError(f"--since {ref!r}: a revision cannot start with '-'")
    found = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root)
    if found.returncode != 0:
        raise HistoryError(f"--since {ref!r}: no such revision in {root}")


def previous_version(path: str, ref: str) -> Previous:
    """The page `path` at revision `ref` (STAGED: the index). Raises HistoryError when `path`
    is in no git repository or `ref` is unknown; a page the revision lacks is `absent`."""
    root = repository_of(path)
    if root is None:
        raise HistoryError(f"{path}: not in a git repository, so there is nothing to compare "
                           f"with {ref or 'the index'}")
    if ref != STAGED:
        check_revision(ref, root)
    relative = os.path.relpath(os.path.realpath(path), os.path.realpath(root)).replace(os.sep, "/")
    shown = _git(["show", f"{ref}:{relative}"], root)
    if shown.returncode != 0:
        return Previous(ref=ref, text=None, absent=True)
    from validate.sources import decode_document

    try:
        text = decode_document(shown.stdout, f"{ref}:{relative}")
    except UserError as error:
        raise HistoryError(str(error)) from None
    return Previous(ref=ref, text=text)
