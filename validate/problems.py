"""The parse problems a cell can have: the vocabulary between parsing and the format rules.

Kept apart from `validate.cells` so rule declarations can name them without importing pandas.
"""

import re

# The shape of a number cell: sign, digits (separators checked apart), fraction, gap, unit.
NUMBER = r"^(?P<sign>[+-]?)(?P<int>\d[\d,]*)(?P<frac>\.\d+)?(?P<gap>\s*)(?P<unit>.*?)$"
_NUMBER = re.compile(NUMBER, re.S)


def written_unit(text: str) -> str:
    """The unit written after a number (`700 GiBs` -> `GiBs`), or "" if none or no number."""
    match = _NUMBER.match(text.strip())
    return match.group("unit").strip() if match else ""


# A field's accepted unit spellings may be this: any unit, taken as written (inferred schemas).
ANY_UNIT = "any"

NOT_A_NUMBER = "not-a-number"
BAD_GROUPING = "bad-grouping"
MISSING_UNIT = "missing-unit"
UNKNOWN_UNIT = "unknown-unit"
NOT_AN_INTEGER = "not-an-integer"
TOO_LARGE = "too-large"                        # so many digits that no float holds the value
NOT_A_BOOLEAN = "not-a-boolean"
BAD_VERSION = "bad-version"
BAD_ACCELERATOR = "bad-accelerator"
UNKNOWN_ACCELERATOR = "unknown-accelerator"
ACCELERATOR_MEMORY = "accelerator-memory"     # `2xLarge.4096GB`: not the memory of 2xlarge
