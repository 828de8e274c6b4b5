"""The rule catalogue: every rule, listed once, by code.

An explicit list rather than discovery: adding a rule is one import and one line here,
and `validate --list-rules` never depends on what happens to be on disk.
"""

from __future__ import annotations

from validate.rules.base import Rule
from validate.rules.capacity import implied_flops, vram_capacity
from validate.rules.change import (
    column_rewritten,
    edited_in_place,
    relabelled,
    translation_left_behind,
    value_slip,
)
from validate.rules.consistency import (
    implied_samples,
    out_of_range,
    throughput_batch,
    throughput_per_unit,
    throughput_units,
    token_count,
    vram_monotone,
    vram_scaling,
)
from validate.rules.duplicate import duplicate_configuration, duplicate_measurements, duplicate_value
from validate.rules.format import (
    bad_accelerator,
    bad_boolean,
    bad_version,
    digit_grouping,
    missing_unit,
    mixed_grouping,
    mixed_units,
    not_a_number,
    not_an_integer,
    stray_whitespace,
    unknown_accelerator,
    unknown_unit,
)
from validate.rules.missing import (
    missing_measurements,
    missing_required_value,
    nearly_empty_column,
    rounded_placeholder,
)
from validate.rules.translation import (
    column_missing,
    missing_row,
    relabelled_row,
    unit_differs,
    value_differs,
    version_differs,
)
from validate.rules.structure import (
    empty_header,
    empty_table,
    internal_error,
    missing_column,
    repeated_header,
    row_cell_count,
    unknown_column,
    unused_suppression,
)

ALL_RULES: tuple[Rule, ...] = tuple(sorted((
    row_cell_count.RULE,
    empty_header.RULE,
    repeated_header.RULE,
    missing_column.RULE,
    unknown_column.RULE,
    empty_table.RULE,
    unused_suppression.RULE,
    internal_error.RULE,
    not_a_number.RULE,
    digit_grouping.RULE,
    missing_unit.RULE,
    unknown_unit.RULE,
    not_an_integer.RULE,
    bad_boolean.RULE,
    bad_version.RULE,
    bad_accelerator.RULE,
    unknown_accelerator.RULE,
    mixed_grouping.RULE,
    mixed_units.RULE,
    stray_whitespace.RULE,
    missing_measurements.RULE,
    missing_required_value.RULE,
    rounded_placeholder.RULE,
    nearly_empty_column.RULE,
    duplicate_value.RULE,
    duplicate_measurements.RULE,
    duplicate_configuration.RULE,
    out_of_range.RULE,
    implied_samples.RULE,
    throughput_batch.RULE,
    throughput_per_unit.RULE,
    token_count.RULE,
    throughput_units.RULE,
    vram_scaling.RULE,
    vram_monotone.RULE,
    edited_in_place.RULE,
    relabelled.RULE,
    value_slip.RULE,
    column_rewritten.RULE,
    translation_left_behind.RULE,
    vram_capacity.RULE,
    implied_flops.RULE,
    missing_row.RULE,
    value_differs.RULE,
    version_differs.RULE,
    relabelled_row.RULE,
    column_missing.RULE,
    unit_differs.RULE,
), key=lambda rule: rule.code))

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}
BY_NAME: dict[str, Rule] = {rule.name: rule for rule in ALL_RULES}

assert len(BY_CODE) == len(ALL_RULES), "two rules share a code"
assert len(BY_NAME) == len(ALL_RULES), "two rules share a name"


def lookup(code_or_name: str) -> Rule | None:
    """A rule by code (`D401`, any case) or kebab name (`duplicate-measurement`)."""
    return BY_CODE.get(code_or_name.upper()) or BY_NAME.get(code_or_name.lower())
