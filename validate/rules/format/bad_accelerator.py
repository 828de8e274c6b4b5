"""
## What it checks
Cells of a field with `format: accelerator` name an accelerator flavor: `small`, `large`,
`xlarge`, `NxLarge` (any letter case), optionally with its memory as the platform prints it
(`4xLarge.2048GB`), and that memory is the flavor's.

## Why it matters
The flavor decides the memory a row may use and the units its throughput is divided by; a
flavor written as `4 x large` or `MI250 x4` leaves both checks without a basis.

## Example that fires
```markdown
| Model | MoAI Accelerator |
| --- | --- |
| Llama2 13B | 4 x large |
```

## Example that does not
```markdown
| Model | MoAI Accelerator |
| --- | --- |
| Llama2 13B | 4xlarge |
```

## Options
None.

## Fix
Write the flavor name as the platform lists it.
"""

from validate.problems import ACCELERATOR_MEMORY, BAD_ACCELERATOR
from validate.rules.common import problem_rule, source_text


def message(parsed, field, row):
    text = source_text(parsed, field, row)
    if ACCELERATOR_MEMORY in parsed.problems[field].iat[row].split(";"):
        flavor = parsed.values[field].iat[row]
        memory = parsed.reference.accelerators[flavor].memory_mib / 1024
        return (f"{field} {text!r} gives a memory that is not the {memory:,.0f} GB of {flavor}",
                {"flavor": str(flavor), "flavor_memory_gib": memory})
    return (f"{field} {text!r} is not an accelerator flavor name (expected e.g. 2xlarge, 4xLarge.2048GB)",
            {"expected": "small | large | xlarge | NxLarge[.MEMORY]"})


RULE = problem_rule(code="F208", name="bad-accelerator", problem=(BAD_ACCELERATOR, ACCELERATOR_MEMORY),
                    summary="An accelerator cell does not name a flavor.",
                    doc=__doc__, message=message, applies_to=lambda spec: spec.format == "accelerator")
