"""
## What it checks
The compute a row's throughput implies fits under its flavor's peak: training a model of
N parameters costs about 6 x N floating-point operations per token, so
`6 x parameters x throughput` FLOP/s must stay below the flavor's `peak_tflops`. The
parameter count is read from the model name (`Llama2 13B` = 13 billion). Off unless a
flavor in `schemas/reference/accelerators.yaml` has a `peak_tflops`.

**Why the built-in flavors carry no peak (so the rule is silent by default).** A measured
column whose definition the page leaves open cannot be judged row by row. The guide's
throughput is such a column: the platform's own tutorials log about 35,000 tokens/s where
the guide gives 150,406 for the same model and flavor, and with the MI250 peaks of the
platform's KT HAC page (`schemas/optional/mi250-peaks`) 28 of the guide's rows would need more
FLOP/s than the flavor has. The column evidently counts something other than tokens per
second of the whole flavor (tokens of every data-parallel replica, or padded tokens), on
every row alike: an error on each row would blame the rows for a page-wide convention, and
hide the row-level findings that matter. The consistency rules still compare the rows with
each other, which holds whatever the unit is. A team whose page defines its throughput adds
the peaks (`--schemas schemas/optional/mi250-peaks`) and gets this check.

## Why it matters
A throughput that would need more than the hardware's peak compute cannot have been
measured: a digit was added, or the figure counts something else (tokens of all replicas,
say).

## Example that fires
With `8xlarge: {memory: 4096 GiB, units: 8, peak_tflops: 3000}`:
```markdown
| Model | MoAI Accelerator | throughput |
| --- | --- | --- |
| Mistral 7B | 8xlarge | 798,760 TPS |
```
(6 x 7e9 x 798,760 = 33.5 PFLOP/s, above 3 PFLOP/s.)

## Example that does not
```markdown
| Model | MoAI Accelerator | throughput |
| --- | --- | --- |
| Mistral 7B | 8xlarge | 39,876 TPS |
```

## Options
- `utilization` (default 1.0): the share of peak a row may reach before it is flagged.

## Fix
Check the throughput's definition and value.
"""

from validate.findings import Hit
from validate.rules.base import Option, Rule, fmt_number, rounded, rule_doc
from validate.rules.common import flavor_figures

NEEDS = ("throughput", "accelerator", "model")
_PARAMETERS = r"(?i)(?<![\w.])(\d+(?:\.\d+)?)\s*([bm])\b"


def flops(frame, reference):
    import pandas as pd

    found = frame["model"].astype("object").astype(str).str.extract(_PARAMETERS)
    scale = found[1].str.lower().map({"b": 1e9, "m": 1e6})
    parameters = pd.to_numeric(found[0], errors="coerce") * scale
    peak = flavor_figures(frame["accelerator"], reference, "peak_tflops") * 1e12
    needed = 6 * parameters * frame["throughput"].astype("float64")
    return needed, peak, parameters


def check(frame, options, parsed):
    if not any(flavor.peak_tflops for flavor in options.reference.accelerators.values()):
        return frame.index.to_series().notna()  # off: no flavor has a peak to compare with
    needed, peak, _ = flops(frame, options.reference)
    flagged = needed > options.utilization * peak
    return ~flagged.fillna(False).astype(bool)


def explain(parsed, rows, options):
    needed, peak, parameters = flops(parsed.values, options.reference)
    for row in rows:
        yield Hit(
            message=(f"throughput {fmt_number(parsed.values.at[row, 'throughput'])} tokens/s of a "
                     f"{parameters.at[row] / 1e9:g}B-parameter model needs "
                     f"{needed.at[row] / 1e15:,.1f} PFLOP/s, {needed.at[row] / peak.at[row]:.2f}x the "
                     f"{peak.at[row] / 1e15:,.2f} PFLOP/s peak of {parsed.values.at[row, 'accelerator']}"
                     + ("" if options.utilization == 1 else
                        f"; at most {options.utilization:.0%} of peak is accepted")),
            row=row, field="throughput",
            evidence={"parameters": rounded(parameters.at[row]),
                      "implied_flops": rounded(needed.at[row]), "peak_flops": rounded(peak.at[row]),
                      "formula": "6 x parameters x throughput",
                      "ratio": rounded(needed.at[row] / peak.at[row], 3)})


RULE = Rule(grouping=("cell", "row"), code="K602", name="implied-flops-exceed-peak", category="capacity", severity="error",
            summary="Throughput implies more FLOP/s than the flavor's peak (off without peaks).",
            doc=rule_doc(__doc__), scope="rows", needs=NEEDS, check=check, explain=explain,
            options=(Option("utilization", 1.0, "share of peak a row may reach", minimum=0),))
