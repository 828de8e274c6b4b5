"""
## What it checks
A row's token count (`token 갯수`, `Number of Tokens`) agrees with what its throughput and
training time imply: `throughput x train_time_seconds` tokens were processed. A ratio
beyond `factor` either way is flagged.

## Why it matters
The token count is typed by hand, often copied from the dataset's description rather than
the run. The Korean page's `27B` tokens against 15,972 tokens/s for 59 minutes (56.5 million
tokens) is off by a factor of about 480: one of the three numbers is wrong.

## Example that fires
```markdown
| Model | token 갯수 | Training Time | throughput |
| --- | --- | --- | --- |
| Mistral 7B | 27B | 59m | 15,972 |
```

## Example that does not
```markdown
| Model | token 갯수 | Training Time | throughput |
| --- | --- | --- | --- |
| Mistral 7B | 56.5M | 59m | 15,972 |
```

## Options
- `factor` (default 10): the accepted ratio either way; generous, because a run may make
  several passes over its data.

## Fix
Check which of token count, throughput and training time is wrong.
"""

from validate.findings import Hit
from validate.rules.base import Option, Rule, fmt_number, fmt_ratio, rounded, rule_doc
from validate.rules.common import source_text

NEEDS = ("tokens", "throughput", "train_time")


def ratios(frame):
    processed = frame["throughput"].astype("float64") * frame["train_time"].astype("float64") * 60
    processed = processed.where(processed > 0)  # a zero time or throughput proves nothing here
    return frame["tokens"].astype("float64") / processed, processed


def check(frame, options, parsed):
    ratio, _ = ratios(frame)
    flagged = (ratio > options.factor) | (ratio < 1 / options.factor)
    return ~flagged.fillna(False).astype(bool)


def explain(parsed, rows, options):
    ratio, processed = ratios(parsed.values)
    for row in rows:
        tokens = float(parsed.values.at[row, "tokens"])
        yield Hit(
            message=(f"tokens {source_text(parsed, 'tokens', row)!r} ({fmt_number(tokens)}) is "
                     f"{fmt_ratio(ratio.at[row])} the {fmt_number(processed.at[row])} tokens that "
                     f"{fmt_number(parsed.values.at[row, 'throughput'])} tokens/s for "
                     f"{fmt_number(parsed.values.at[row, 'train_time'])} min process; "
                     f"expected within {options.factor:g}x"),
            row=row, field="tokens",
            evidence={"tokens": rounded(tokens), "processed_tokens": rounded(processed.at[row]),
                      "formula": "throughput x train_time_seconds",
                      "ratio": rounded(ratio.at[row], 3), "factor": options.factor})


RULE = Rule(grouping=("cell", "row"), code="C504", name="token-count-mismatch", category="consistency", severity="warning",
            summary="The token count disagrees with throughput x training time.",
            doc=rule_doc(__doc__), scope="rows", needs=NEEDS, check=check, explain=explain,
            options=(Option("factor", 10.0, "accepted ratio either way", minimum=1),))
