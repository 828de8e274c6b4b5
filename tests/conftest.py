"""Shared fixtures: the repository's paths and a CLI runner that never touches raw/."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "raw"
SHARED = REPO.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def no_run_cache(monkeypatch):
    """Every test checks for real: the run cache (validate/cache.py) is off unless a test
    turns it on (tests/test_cache.py)."""
    monkeypatch.setenv("VALIDATE_NO_CACHE", "1")


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"../shared is missing beside the repository ({SHARED})")
    return SHARED


@pytest.fixture
def in_tmp(tmp_path, monkeypatch) -> Path:
    """Run from an empty directory (no pyproject.toml above it that configures validate)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def cli():
    """Invoke `validate` in-process; returns click's Result (exit_code, stdout, stderr)."""
    from validate.cli import main

    runner = CliRunner()

    def invoke(*args, **kwargs):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)

    return invoke


GUIDE_HEADER = ("| Model | MoAI Platform version | MoAI Accelerator | Advanced Parallelism is applied "
                "| batch size | sequence length | vram Usage | Training Time | throughput |\n"
                "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")


def guide_row(model="Llama3 8B", version="24.5.0", accelerator="2xlarge", ap="True", batch="128",
              seq="1024", vram="867,021 MiB", time="220m", throughput="93,291 TPS") -> str:
    return f"| {model} | {version} | {accelerator} | {ap} | {batch} | {seq} | {vram} | {time} | {throughput} |\n"
