"""The cell parser: checked digit grouping, units, booleans, versions, flavors."""

from __future__ import annotations


import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from validate.cells import parse_column
from validate.schema import builtin_schema_dir, load_reference, load_schemas

REFERENCE = load_reference([builtin_schema_dir()])
GUIDE = {s.name: s for s in load_schemas([builtin_schema_dir()])}["finetune_guide"]
FIELDS = GUIDE.fields


def parse(field: str, *cells: str, header_unit: str | None = None):
    column = parse_column(pd.Series(list(cells)), FIELDS[field], REFERENCE, header_unit)
    values = [None if pd.isna(v) else v for v in column.values]
    problems = [p.split(";") if p else [] for p in column.problems]
    return values, problems


@pytest.mark.parametrize("text", ["1,138,546 MiB", "1138546 MiB", "1,138,546MiB", "1,138,546  MiB"])
def test_grouped_and_plain_numbers_parse(text):
    assert parse("vram", text) == ([1138546.0], [[]])


@pytest.mark.parametrize("text", ["1403,2189", "1489,3", "154,12123", "1,2345", ",123", "12,,345"])
def test_bad_grouping_is_an_error_and_leaves_no_value(text):
    values, problems = parse("throughput", text)
    assert values == [None]
    assert problems[0][0] in ("bad-grouping", "not-a-number")
    if text[0].isdigit() and ",," not in text:
        assert problems == [["bad-grouping"]]


def test_a_bare_number_in_the_vram_column_lacks_its_unit():
    assert parse("vram", "1403,2189") == ([None], [["bad-grouping", "missing-unit"]])
    assert parse("vram", "543816") == ([None], [["missing-unit"]])


def test_a_unit_in_the_header_applies_to_bare_numbers():
    assert parse("vram", "2", "3 MiB", header_unit="GiB") == ([2048.0, 3.0], [[], []])


@pytest.mark.parametrize(("field", "text", "expected"), [
    ("vram", "1 GiB", 1024.0),
    ("vram", "2 TiB", 2 * 1024 * 1024),
    ("vram", "1,000 GB", 1000 * 1e9 / 2**20),
    ("vram", "512 mib", 512.0),
    ("train_time", "560m", 560.0),
    ("train_time", "2h", 120.0),
    ("train_time", "1.5 hours", 90.0),
    ("train_time", "90 s", 1.5),
    ("train_time", "45분", 45.0),
    ("throughput", "93,291 TPS", 93291.0),
    ("throughput", "93,291 tokens/s", 93291.0),
    ("throughput", "93291", 93291.0),
    ("tokens", "27B", 27e9),
    ("tokens", "1.5M", 1.5e6),
    ("tokens", "300K", 3e5),
    ("tokens", "1,024", 1024.0),
])
def test_units_convert_to_the_fields_unit(field, text, expected):
    values, problems = parse(field, text)
    assert problems == [[]]
    assert values[0] == pytest.approx(expected)


@pytest.mark.parametrize(("field", "text", "problem"), [
    ("train_time", "560 MiB", "unknown-unit"),
    ("vram", "700 parsecs", "unknown-unit"),
    ("train_time", "560", "missing-unit"),
    ("batch_size", "12.5", "not-an-integer"),
    ("batch_size", "many", "not-a-number"),
])
def test_unit_and_type_problems(field, text, problem):
    values, problems = parse(field, text)
    assert values == [None] and problems == [[problem]]


@pytest.mark.parametrize("text", ["", "-", "N/A", "TBD", "—"])
def test_empty_cells_and_placeholders_have_no_value_and_no_problem(text):
    assert parse("vram", text) == ([None], [[]])


def test_booleans():
    values, problems = parse("advanced_parallelism", "True", "false", "O", "x", "예", "maybe")
    assert values == [True, False, True, False, True, None]
    assert problems[-1] == ["not-a-boolean"] and not any(problems[:-1])


def test_versions():
    values, problems = parse("platform_version", "24.5.0", "v24.3", "24,5,0", "latest")
    assert values == ["24.5.0", "v24.3", None, None]
    assert problems[2:] == [["bad-version"], ["bad-version"]]


def test_accelerators_are_lower_cased_and_checked_against_the_flavor_list():
    values, problems = parse("accelerator", "2xlarge", "4xLarge.2048GB", "16xlarge", "4 x large")
    assert values == ["2xlarge", "4xlarge", "16xlarge", None]
    assert problems == [[], [], ["unknown-accelerator"], ["bad-accelerator"]]


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**15), st.booleans())
def test_every_correctly_grouped_integer_parses_back_exactly(number, grouped):
    text = f"{number:,}" if grouped else str(number)
    values, problems = parse("throughput", text)
    assert problems == [[]]
    assert values == [float(number)]
    values, problems = parse("batch_size", text)
    assert values == [number] and problems == [[]]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=5),
       st.sampled_from(sorted(FIELDS)))
def test_no_input_makes_the_parser_raise(cells, field):
    column = parse_column(pd.Series(cells), FIELDS[field], REFERENCE)
    assert len(column.values) == len(cells)
    known = {"", "not-a-number", "bad-grouping", "missing-unit", "unknown-unit", "not-an-integer",
             "not-a-boolean", "bad-version", "bad-accelerator", "unknown-accelerator"}
    for problems in column.problems:
        assert set(problems.split(";")) <= known
    # A value exists exactly where the cell parsed without a blocking problem.
    for value, problems in zip(column.values, column.problems):
        if problems and "unknown-accelerator" not in problems:
            assert pd.isna(value)


@given(st.lists(st.text(alphabet=st.sampled_from(list("ab 모\t\u00a0\u3000\n-")), max_size=8),
                min_size=1, max_size=20))
@settings(max_examples=200, deadline=None)
def test_text_cells_collapse_white_space_runs_as_python_regex_does(cells):
    # Arrow finds the cells that may change; Python's regex (Unicode white space) changes them.
    parsed = parse_column(pd.Series(cells, dtype="str"), FIELDS["model"], REFERENCE)
    shown = {i: value for i, value in enumerate(parsed.values.astype(object)) if not pd.isna(value)}
    assert shown == {i: re.sub(r"\s+", " ", cells[i]) for i in shown}
    assert set(shown) >= {i for i, cell in enumerate(cells) if re.search(r"[ab모]", cell)}


def test_big_tables_parse_a_column_at_a_time_to_the_same_result(monkeypatch):
    from validate import cells

    texts = {
        "vram": pd.Series(["1,138,546 MiB", "1403,2189", "80 GiB", "", "12 parsecs"], dtype="str"),
        "train_time": pd.Series(["90m", "1.5 h", "7", "-", "2h"], dtype="str"),
        "throughput": pd.Series(["95,302 TPS", "1489,3", "0", "12.5", "3 tokens/s"], dtype="str"),
    }
    specs = {name: FIELDS[name] for name in texts}

    def parsed():
        return {name: (column.values.tolist(), column.problems.tolist(), column.units.tolist(),
                       column.grouping.tolist())
                for name, column in cells.parse_columns(texts, specs, REFERENCE).items()}

    stacked = parsed()
    monkeypatch.setattr(cells, "_STACK_ROWS", 0)
    assert parsed() == stacked
    assert stacked["vram"][1][1] == "bad-grouping;missing-unit"
