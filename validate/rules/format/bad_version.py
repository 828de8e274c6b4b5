"""
## What it checks
Cells of a field with `format: version` are dotted version numbers: `24.5.0`, `v24.3`,
`24.5.0-rc1`.

## Why it matters
Rows are compared and paired across language versions by their platform version; a
version written as `24.5` on one row and `24,5,0` or `latest` on another breaks that.

## Example that fires
```markdown
| Model | MoAI Platform version |
| --- | --- |
| Llama2 13B | 24,5,0 |
```

## Example that does not
```markdown
| Model | MoAI Platform version |
| --- | --- |
| Llama2 13B | 24.5.0 |
```

## Options
None.

## Fix
Write the version as dotted numbers.
"""

from validate.problems import BAD_VERSION
from validate.rules.common import problem_rule, source_text


def message(parsed, field, row):
    text = source_text(parsed, field, row)
    return (f"{field} {text!r} is not a version number (expected dotted numbers such as 24.5.0)",
            {"expected": "MAJOR.MINOR[.PATCH]"})


RULE = problem_rule(code="F207", name="bad-version", problem=BAD_VERSION,
                    summary="A version field does not hold a dotted version number.",
                    doc=__doc__, message=message, applies_to=lambda spec: spec.format == "version")
