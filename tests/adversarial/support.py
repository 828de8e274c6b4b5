"""What the adversarial tests share: pages, a subprocess runner and report checks."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import GUIDE_HEADER, guide_row

GOOD_PAGE = "# Guide\n\n" + GUIDE_HEADER + guide_row() + guide_row(
    accelerator="4xlarge", batch="256", vram="1,366,564 MiB", time="140m", throughput="190,949 TPS")

# Two errors (F202, F203) on its second row: a page whose findings print a line each.
BAD_PAGE = "# Guide\n\n" + GUIDE_HEADER + guide_row() + guide_row(
    accelerator="4xlarge", batch="256", vram="1403,2189", time="140m", throughput="190,949 TPS")

# Generous: a case that hangs (a fifo, /dev/zero) must fail the test, not the whole session.
TIMEOUT = 60


def page_with_models(*models: str) -> str:
    """A fine-tuning guide page whose model cells hold `models`, one row each."""
    rows = "".join(guide_row(model=m, batch=str(128 + i)) for i, m in enumerate(models))
    return "# Guide\n\n" + GUIDE_HEADER + rows


def run_validate(*args, cwd: Path, timeout: float = TIMEOUT, env: dict | None = None,
                 stdin=subprocess.DEVNULL) -> subprocess.CompletedProcess:
    """`validate ARGS` in a child process, so that a hang or a crash is caught by a timeout.

    Arguments may be bytes (file names that are not UTF-8).
    """
    command = [sys.executable, "-m", "validate", *(a if isinstance(a, bytes) else str(a) for a in args)]
    return subprocess.run(command, cwd=cwd, capture_output=True, timeout=timeout, stdin=stdin,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})})


def text_of(result) -> tuple[str, str]:
    """(stdout, stderr) of a subprocess result, decoded without ever failing."""
    return (result.stdout.decode("utf-8", "replace"), result.stderr.decode("utf-8", "replace"))


def assert_one_line_error(stderr: str, name: str, reason: str) -> None:
    """`name: error: ...reason...` on a single line of stderr, and no traceback."""
    assert "Traceback" not in stderr, stderr[-3000:]
    lines = [line for line in stderr.splitlines() if line.startswith(f"{name}: error:")
             or line.startswith(f"validate: error: {name}")]
    assert lines, f"no error line for {name!r} in:\n{stderr[-3000:]}"
    assert any(reason in line for line in lines), lines


def assert_good_page_checked(stdout: str, files: int) -> None:
    """The summary counts every file, and the good page's table and rows were checked."""
    import re

    summary = stdout.splitlines()[-1]
    assert f"in {files} file" in summary, summary
    counted = re.search(r"(\d+) tables?, (\d+) rows?", summary)
    assert counted and int(counted.group(1)) >= 1 and int(counted.group(2)) >= 2, summary


def manifest_matches(out: Path) -> dict[str, str]:
    """The out directory's files as its manifest records them; asserts every digest matches."""
    manifest = json.loads((out / ".validate-manifest.json").read_text(encoding="utf-8"))
    for name, digest in manifest["files"].items():
        actual = "sha256:" + hashlib.sha256((out / name).read_bytes()).hexdigest()
        assert actual == digest, f"{name} does not belong to the run the manifest records"
    return manifest["files"]


# Cells and names that would run a script or load something if written into HTML unescaped.
HOSTILE = [
    "<script>alert(1)</script>",
    "</script><script>alert(2)</script>",
    '"><img src=x onerror=alert(3)>',
    "<svg onload=alert(4)>",
    "<iframe src=javascript:alert(5)>",
    "[click](javascript:alert(6))",
    "<a href='javascript:alert(7)'>x</a>",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg4KTwvc2NyaXB0Pg==)",
    "' onmouseover='alert(9)",
    "<body onload=alert(10)>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(11)'>",
    "<base href=//evil.example/>",
    "<style>*{background:url(//evil.example/x)}</style>",
    "{{ 7*7 }} {% raw %}",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(12)>",
    "<object data=//evil.example/x>",
    "<link rel=stylesheet href=//evil.example/x.css>",
]

_FORBIDDEN_TAGS = {"img", "iframe", "object", "embed", "base", "link", "audio", "video", "source",
                   "frame", "frameset", "applet", "math", "portal", "animate", "set",
                   "foreignobject", "track", "input", "textarea"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}


def assert_no_injection(html: str, scripts: int = 1, styles: int = 1) -> None:
    """A static check of a written report: no element or attribute a payload could have
    added runs a script or loads anything (the Chromium tests check the same in a browser)."""
    from html.parser import HTMLParser

    found = {"script": 0, "style": 0}
    problems = []

    class Scan(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in found:
                found[tag] += 1
            if tag in _FORBIDDEN_TAGS:
                problems.append(f"<{tag}>")
            if tag == "script" and any(name == "src" for name, _ in attrs):
                problems.append("<script src>")
            for name, value in attrs:
                value = "".join(c for c in (value or "") if c > " ").lower()
                if name.startswith("on"):
                    problems.append(f"{name}= on <{tag}>")
                if name in _URL_ATTRIBUTES and value.startswith(("javascript:", "data:", "vbscript:")):
                    problems.append(f"{name}={value[:40]}")
                if tag == "meta" and name == "http-equiv" and value == "refresh":
                    problems.append("meta refresh")
                if name == "style" and ("url(" in value or "expression(" in value):
                    problems.append(f"style={value[:40]}")

    Scan().feed(html)
    assert not problems, problems
    assert found == {"script": scripts, "style": styles}, found


class fifo_guard:
    """Lets a test read paths that include fifos in-process: should the tool ever open a fifo
    for reading (and block until a writer comes), a writer comes after `seconds` and closes
    at once, so the read ends with nothing and the test fails instead of hanging."""

    def __init__(self, *fifos: Path, seconds: float = 10):
        import threading

        self.fifos, self.seconds = fifos, seconds
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._release, daemon=True)

    def _release(self) -> None:
        if self.done.wait(self.seconds):
            return
        while not self.done.is_set():
            for fifo in self.fifos:
                try:
                    os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
                except OSError:
                    pass  # no reader yet
            self.done.wait(0.1)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()
        return False
