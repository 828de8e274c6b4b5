"""
## What it checks
A row of one language version that carries the measurements of a row with another
configuration in the other version: the same values under a different model, flavor, batch
size or sequence length. Values must be equal as typed and their coincidence unlikely by
chance: the chance of each repeated value is judged as the duplicate-measurement rule (D401)
judges it (its resolution times the column's density around it), multiplied over the repeated
values of the row, and a pair is flagged when that chance, times the number of row pairs
compared, is below `alpha`. Flagged in both files.

## Why it matters
A configuration edited on one side only (batch 64 corrected to 128 in English, not in Korean)
leaves two pages that both look complete and consistent, each with its own configuration for
one measurement. Value-by-value comparison of the same configuration misses it: the row no
longer lines up with its counterpart.

## Example that fires
`guide.en.md`: `| Llama2 13B | 2xlarge | 128 | 1024 | 699,751 MiB | 78,274 TPS |`, `guide.ko.md`:
```markdown
| 모델명 | MoAI Accelerator | batch size | sequence length | vram 사용량 | throughput |
| --- | --- | --- | --- | --- | --- |
| Llama2 13B | 2xlarge | 64 | 1024 | 699,751 MiB | 78,274 |
```

## Example that does not
```markdown
| 모델명 | MoAI Accelerator | batch size | sequence length | vram 사용량 | throughput |
| --- | --- | --- | --- | --- | --- |
| Llama2 13B | 2xlarge | 128 | 1024 | 699,751 MiB | 78,274 |
```

## Options
- `alpha` (default 0.01): a pair of rows is flagged when fewer than this many pairs as alike
  are expected by chance.

## Fix
Find which configuration was measured and give both versions the same one.
"""

import math

from validate.findings import Hit
from validate.rules.base import Option, Rule, rule_doc
from validate.rules.common import describe_row, key_fields, source_text
from validate.rules.duplicate.duplicate_value import chance
from validate.rules.translation.common import where


def _configurations(parsed, keys):
    return [tuple(str(parsed.typed_cells(k)[row]) for k in keys) for row in range(len(parsed.values))]


def check(ctx, options):
    import numpy as np

    left, right = ctx.left, ctx.right
    keys = [k for k in key_fields(left) if k in right.values.columns]
    fields = [f for f in left.schema.measurements
              if f in left.values.columns and f in right.values.columns]
    if not keys or not fields:
        return
    left_keys, right_keys = _configurations(left, keys), _configurations(right, keys)
    # Right rows by each measured value, to find the candidates of a left row at once.
    index: dict = {}
    for field in fields:
        for row, value in enumerate(right.numbers(field)):
            if not np.isnan(value) and value != 0:
                index.setdefault((field, value), []).append(row)
    tests = math.log(max(1, len(left_keys) * len(right_keys) * len(fields)))
    threshold = math.log(options.alpha)
    for row, config in enumerate(left_keys):
        shared: dict[int, list[str]] = {}
        for field in fields:
            value = left.numbers(field)[row]
            for other in index.get((field, value), ()) if not np.isnan(value) else ():
                if right_keys[other] != config:
                    shared.setdefault(other, []).append(field)
        for other, equal in sorted(shared.items()):
            log_chance = sum(chance(left, f)[row] for f in equal)
            if not tests + log_chance < threshold:
                continue
            expected = math.exp(tests + log_chance)
            for side, here_row, there_row in (("left", row, other), ("right", other, row)):
                here, there = ctx.side(side), ctx.side(ctx.other(side))
                values = ", ".join(f"{f} {source_text(here, f, here_row)!r}" for f in equal)
                yield side, Hit(
                    message=(f"row {describe_row(here, here_row)} has the {values} of "
                             f"{where(there, there_row)}, which is "
                             f"{describe_row(there, there_row)}: one version relabelled the row "
                             f"(by chance as alike once in {float(f'{1 / expected:.2g}'):,.0f} pages)"),
                    row=here_row, field=keys[0],
                    evidence={"other_file": there.path, "other_line": there.line(there_row),
                              "other_configuration": describe_row(there, there_row),
                              "same_values": {f: source_text(here, f, here_row) for f in equal},
                              "expected_by_chance": float(f"{expected:.3g}")})


RULE = Rule(grouping=("cell", "counterpart", "row"), code="T704", name="relabelled-in-translation", category="translation",
            severity="warning",
            summary="One language version gives a row's measurements another configuration.",
            doc=rule_doc(__doc__), scope="pair", check=check,
            options=(Option("alpha", 0.01, "flag pairs expected fewer times than this by chance",
                            minimum=0),))
