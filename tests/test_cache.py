"""The run cache: an unchanged run replays its output; any change to what it reads runs again."""

from __future__ import annotations

import json

import pytest

from conftest import GUIDE_HEADER, guide_row

PAGE = "# Guide\n\n" + GUIDE_HEADER + guide_row() + guide_row(
    accelerator="4xlarge", batch="256", vram="1,366,564 MiB", time="140m", throughput="190949 TPS")


@pytest.fixture
def cached(monkeypatch, in_tmp):
    monkeypatch.delenv("VALIDATE_NO_CACHE", raising=False)
    (in_tmp / "page.md").write_text(PAGE, encoding="utf-8")
    return in_tmp


def _engine_runs(monkeypatch):
    from validate import engine

    runs = []
    original = engine.Checker.run
    monkeypatch.setattr(engine.Checker, "run", lambda self, *a, **k: runs.append(1) or original(self, *a, **k))
    return runs


def test_an_unchanged_run_is_replayed_byte_for_byte(cli, cached, monkeypatch):
    runs = _engine_runs(monkeypatch)
    first = cli("page.md", "--out", "out")
    reports = {p.name: p.read_bytes() for p in (cached / "out").iterdir() if p.suffix != ".html"}
    (cached / "out" / "anomalies.json").unlink()
    second = cli("page.md", "--out", "out")
    assert runs == [1]
    assert (second.exit_code, second.stdout, second.stderr) == (first.exit_code, first.stdout, first.stderr)
    assert {p.name: p.read_bytes() for p in (cached / "out").iterdir() if p.suffix != ".html"} == reports
    html = (cached / "out" / "anomalies.html").read_text(encoding="utf-8")
    assert "validate-time-stamp" not in html and " UTC" in html
    assert (cached / ".validate_cache" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


@pytest.mark.parametrize("change", ["page", "option", "config", "no-cache"])
def test_anything_the_output_depends_on_runs_again(cli, cached, monkeypatch, change):
    runs = _engine_runs(monkeypatch)
    cli("page.md", "--no-write")
    args = ["page.md", "--no-write"]
    if change == "page":
        (cached / "page.md").write_text(PAGE.replace("190949", "190,949"), encoding="utf-8")
    elif change == "option":
        args += ["--cells"]
    elif change == "config":
        (cached / "pyproject.toml").write_text('[tool.validate]\nfail-on = "warning"\n', encoding="utf-8")
    else:
        args += ["--no-cache"]
    cli(*args)
    assert runs == [1, 1]


def test_runs_that_read_or_write_more_than_reports_are_never_cached(cli, cached, monkeypatch):
    runs = _engine_runs(monkeypatch)
    for _ in range(2):
        cli("page.md", "--no-write", "--fix")
    assert len(runs) >= 2
    assert json.loads(cli("page.md", "--no-write", "--format", "json").stdout)["files"]
