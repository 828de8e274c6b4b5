"""The parse problems a cell can have: the vocabulary between parsing and the format rules.

Kept apart from `validate.cells` so rule declarations can name them without importing pandas.
"""

NOT_A_NUMBER = "not-a-number"
BAD_GROUPING = "bad-grouping"
MISSING_UNIT = "missing-unit"
UNKNOWN_UNIT = "unknown-unit"
NOT_AN_INTEGER = "not-an-integer"
NOT_A_BOOLEAN = "not-a-boolean"
BAD_VERSION = "bad-version"
BAD_ACCELERATOR = "bad-accelerator"
UNKNOWN_ACCELERATOR = "unknown-accelerator"
