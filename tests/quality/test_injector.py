"""The defect injector itself: deterministic, changes exactly what it declares, and its clean
pages parse. (The recall figures are the report's business, not assertions.)"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clean_tables import generate_page, generated_bases, raw_clean_pair  # noqa: E402
from injector import PATTERNS, Base, build_injections  # noqa: E402
from page_model import raw_page  # noqa: E402
from scoring import file_names, render, run_validate  # noqa: E402

PER_PATTERN = 6


def bases(seed: int) -> list[Base]:
    # The published pages as they are stand in for their clean rows (which need a checker
    # run to find): they exercise the injector on real cell texts.
    english, korean = raw_page("en")[0], raw_page("ko")[0]
    return ([Base("raw-en", "single", "raw", {"page": english}),
             Base("raw-pair", "pair", "raw", raw_clean_pair({"en": english, "ko": korean}))]
            + generated_bases(seed, singles=10, pairs=5))


def snapshot(injections) -> list:
    return [(pid, inj.variant, inj.base.key, inj.note, sorted(inj.changes), inj.targets,
             {role: page.render() for role, page in inj.pages.items()})
            for pid, items in injections.items() for inj in items]


@pytest.fixture(scope="module")
def built():
    pool = bases(11)
    before = {b.key: {r: p.render() for r, p in b.pages.items()} for b in pool}
    injections = build_injections(11, PER_PATTERN, pool)
    return pool, before, injections


def test_deterministic_for_a_seed(built):
    _, _, injections = built
    assert snapshot(build_injections(11, PER_PATTERN, bases(11))) == snapshot(injections)
    assert snapshot(build_injections(12, PER_PATTERN, bases(12))) != snapshot(injections)


def declared_by_diff(base: Base, pages: dict) -> set[tuple]:
    """What differs between a clean base and its injected copy, in the injector's terms."""
    diff = set()
    for role, clean in base.pages.items():
        injected = pages[role]
        assert injected.lang == clean.lang
        kept = [f for f in clean.columns if f in injected.columns]
        assert injected.columns == kept, "columns are only ever dropped, never added or moved"
        diff |= {("column", role, f) for f in clean.columns if f not in injected.columns}
        ids = [r.id for r in injected.rows]
        assert ids == [r.id for r in clean.rows if r.id in ids], "rows are only ever dropped"
        diff |= {("row", role, r.id) for r in clean.rows if r.id not in ids}
        for row in injected.rows:
            old = clean.row(row.id).cells
            assert set(row.cells) <= set(old)
            diff |= {("cell", role, row.id, f) for f in kept
                     if row.cells.get(f, "") != old.get(f, "")}
    return diff


def test_every_injection_changes_exactly_the_cells_it_declares(built):
    pool, before, injections = built
    for pid, items in injections.items():
        assert len(items) == PER_PATTERN
        for inj in items:
            assert inj.changes, f"{pid}: {inj.note} changes nothing"
            assert declared_by_diff(inj.base, inj.pages) == inj.changes, f"{pid}: {inj.note}"
            assert inj.targets, f"{pid}: {inj.note} has nothing to catch"
            for target in inj.targets:
                if target.row is not None:
                    assert any(target.row == r.id for r in inj.base.pages[target.role].rows)
    after = {b.key: {r: p.render() for r, p in b.pages.items()} for b in pool}
    assert after == before, "injecting must not change the clean pages"


def test_every_pattern_is_built():
    assert [p.id for p in PATTERNS] == ["1", "2", "3", "4a", "4b", "4c", "5", "6a", "6b", "6c",
                                        "6d", "7a", "7b"]


def test_clean_generated_pages_have_no_parse_errors():
    import random

    rng = random.Random(5)
    files = {}
    for i in range(8):
        files[f"g{i}.md"] = generate_page(rng, "en" if i % 2 else "ko").render()
    for base in generated_bases(5, singles=0, pairs=3):
        files.update(render(base.pages, file_names(base.key, "pair")))
    found = run_validate(files)
    errors = [(name, a["line"], a["code"], a["message"]) for name, items in found.items()
              for a in items if a["code"].startswith("F2") and a["severity"] == "error"]
    assert errors == []
