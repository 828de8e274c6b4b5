"""
## What it checks
A row's memory use (VRAM) fits in the memory of its accelerator flavor, as listed in
`schemas/reference/accelerators.yaml` (the platform's flavors: small 64 GB up to
48xLarge 24,576 GB; 2xLarge = 1,024 GB). A schema's own reference data may list GPU models
(`H200: {memory: 141 GiB, units: 1}`); names match in any letter case.

## Why it matters
A run cannot use more memory than the accelerator has. A figure above the flavor's memory
is a typo (an extra digit), a value in the wrong unit, or a row whose flavor was edited.

## Example that fires
```markdown
| Model | MoAI Accelerator | vram Usage |
| --- | --- | --- |
| Llama2 13B | 2xlarge | 1,403,640 MiB |
```
(2xlarge holds 1,024 GiB = 1,048,576 MiB.)

## Example that does not
```markdown
| Model | MoAI Accelerator | vram Usage |
| --- | --- | --- |
| Llama2 13B | 4xlarge | 1,403,640 MiB |
```

## Options
- `margin` (default 1.0): the share of the flavor's memory a row may use before it is flagged.

## Fix
Correct the memory figure, its unit, or the flavor.
"""

from validate.findings import Hit
from validate.rules.base import Option, Rule, fmt_number, rounded, rule_doc
from validate.rules.common import flavor_figures, in_unit, source_text

NEEDS = ("vram", "accelerator")


def capacity(frame, reference):
    return flavor_figures(frame["accelerator"], reference, "memory_mib")


def check(frame, options, parsed):
    flagged = in_unit(parsed, "vram", "MiB") > options.margin * capacity(frame, options.reference)
    return ~flagged.fillna(False).astype(bool)


def explain(parsed, rows, options):
    memory = capacity(parsed.values, options.reference)
    vram = in_unit(parsed, "vram", "MiB")
    for row in rows:
        used = float(vram.at[row])
        limit = memory.at[row]
        flavor = parsed.values.at[row, "accelerator"]
        allowed = "" if options.margin == 1 else f"; at most {options.margin:.0%} of it is accepted"
        yield Hit(
            message=(f"vram {source_text(parsed, 'vram', row)!r} is {used / limit:.2f}x the "
                     f"{fmt_number(limit)} MiB ({limit / 1024:,.0f} GiB) that {flavor} holds"
                     f"{allowed}"),
            row=row, field="vram",
            evidence={"vram_mib": rounded(used), "flavor": str(flavor),
                      "flavor_memory_mib": rounded(limit), "ratio": rounded(used / limit, 3),
                      "margin": options.margin})


RULE = Rule(grouping=("cell", "row"), code="K601", name="vram-exceeds-memory", category="capacity", severity="error",
            summary="Memory use exceeds what the accelerator flavor holds.",
            doc=rule_doc(__doc__), scope="rows", needs=NEEDS, check=check, explain=explain,
            options=(Option("margin", 1.0, "share of the flavor's memory a row may use",
                            minimum=0),))
