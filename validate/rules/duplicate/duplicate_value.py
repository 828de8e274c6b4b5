"""
## What it checks
A measured value (throughput, VRAM or training time by default) that appears again on a row
with another configuration, when such a coincidence is unlikely by chance. Rows of any model
are compared: blocks copied from another model are the common case.

A repeat is evidence in proportion to how unlikely it is. The chance that an independent
measurement lands exactly on a value as written is its resolution (`2,800,000` has 2
significant digits: any value within 50,000 rounds to it; `1,138,546` has 7) times how dense
the column's values are around it (the share of the column within a factor of 2). With `n`
rows there are `n(n-1)/2` pairs, and with `k` rows sharing the value `C(n, k)` ways to pick
them (a birthday bound): the expected number of such coincidences by chance is
`C(n, k) x p^(k-1)` per field. Rows repeating several values of another row in the same order
(a block of rows copied and partly edited) multiply the chances of each repeat. A repeat is
flagged when its expected count by chance is below `alpha`, so a table of 40 rows flags a
six-digit throughput seen twice, never a two-digit `16m`, and a table of 100,000 rows flags
only what even that many rows would not produce by chance.

Rows with the same configuration are the duplicate-configuration rule's business.

## Why it matters
Benchmarks of different configurations do not produce the same six-digit throughput: a
repeated value is almost always a row copied and only partly edited. Every row of such a
group is flagged, because the page does not say which one holds the real measurement.

## Example that fires
```markdown
| Model | MoAI Accelerator | batch size | sequence length | throughput |
| --- | --- | --- | --- | --- |
| Baichuan2 13B | 8xlarge | 32 | 4096 | 172395 |
| Baichuan2 13B | 8xlarge | 64 | 4096 | 172395 |
| Llama2 13B | 8xlarge | 64 | 4096 | 125,180 |
```

## Example that does not
```markdown
| Model | MoAI Accelerator | batch size | sequence length | Training Time |
| --- | --- | --- | --- | --- |
| Qwen1.5 7B | 4xlarge | 64 | 2048 | 8m |
| Qwen1.5 7B | 8xlarge | 64 | 4096 | 8m |
| Qwen1.5 7B | 8xlarge | 128 | 4096 | 7m |
```
(one-digit times repeat by chance.)

## Options
- `fields` (default `[throughput, vram, train_time]`): the measurement fields watched.
- `alpha` (default 0.01): a repeat is flagged when fewer than this many coincidences as
  unlikely are expected by chance in the table.

## Fix
Look up each row's measurement; correct the copies.
"""

from __future__ import annotations

import math
from collections import defaultdict

from validate.findings import Hit
from validate.rules.base import Option, Rule, rule_doc
from validate.rules.common import (
    MAX_EVIDENCE_ROWS,
    describe_row,
    group_ids,
    key_fields,
    line_list,
    per_table,
    row_ref,
    significant_digits_of,
    source_text,
)

# The density of a column around a value is read within this factor either way.
_WINDOW = 2.0
# Groups of equal values larger than this are judged as a whole, not pair by pair (runs
# are looked for among smaller groups only: a value on 500 rows needs no run to be telling).
_PAIRWISE = 20


@per_table
def chance(parsed, field: str):
    """Per row, log of the chance that another measurement in the column equals this one as
    written (NaN where there is no value)."""
    import numpy as np

    values = parsed.numbers(field)
    result = np.full(len(values), np.nan)
    present = np.flatnonzero(~np.isnan(values) & (values != 0))
    if len(present) < 2:
        return result
    x = np.abs(values[present])
    digits = significant_digits_of(x)
    resolution = 10.0 ** (np.floor(np.log10(x)) - digits + 1)
    # Each table of a stack is a column of its own: its values are moved apart on the log
    # scale (logs of values lie within +-800), so no window reaches into another table.
    segment = parsed.segment_of()[present]
    shifted = np.log(x) + segment * 4000.0
    logs = np.sort(shifted)
    counts = np.bincount(segment)[segment]
    # Values of the column within a factor of _WINDOW of each value, the value itself and its
    # repeats left out (the repeat is what is being judged, not evidence of density), and one
    # added: a lone value still has some density around it.
    width = math.log(_WINDOW)
    same = np.searchsorted(logs, shifted, side="right") - np.searchsorted(logs, shifted, side="left")
    near = (np.searchsorted(logs, shifted + width, side="right")
            - np.searchsorted(logs, shifted - width, side="left") - same)
    with np.errstate(divide="ignore", invalid="ignore"):
        density = (near + 1) / np.maximum(counts - 1, 1) / (x * 2 * width)
    result[present] = np.log(np.minimum(1.0, density * resolution))
    return result


@per_table
def repeats(parsed, options):
    """{(row, field): (log expected chance count, [other rows], how)} for telling repeats."""
    import numpy as np

    frame = parsed.values
    keys = key_fields(parsed)
    fields = [f for f in options.fields if f in frame.columns]
    if not keys or not fields:
        return {}
    config = group_ids(parsed, tuple(keys))
    complete = config >= 0
    segment = parsed.segment_of()
    # Rows with a configuration, per table: the n of the birthday bound.
    rows_in = np.bincount(segment[complete], minlength=int(segment.max()) + 1)
    tests = math.log(max(1, len(fields)))
    found: dict = {}

    def note(row, field, log_expected, others, total, how):
        """Keep a cell's strongest evidence, and every row it was found repeating."""
        current = found.get((row, field))
        if current is not None:
            listed = sorted(set(current[1]) | set(others))
            total = max(total, current[2], len(listed))
            others = listed[:MAX_EVIDENCE_ROWS]
            if log_expected >= current[0]:
                log_expected, how = current[0], current[3]
        found[(row, field)] = (log_expected, others, total, how)

    # Pairs of rows sharing a value, by field, with the log chance of that coincidence.
    pairs: dict = defaultdict(dict)
    for field in fields:
        values = parsed.numbers(field)
        logp = chance(parsed, field)
        usable = complete & ~np.isnan(values) & ~np.isnan(logp)
        positions = np.flatnonzero(usable)
        if len(positions) < 2:
            continue
        # Equal values of one table, next to each other.
        order = positions[np.lexsort((values[positions], segment[positions]))]
        sorted_values, sorted_segment = values[order], segment[order]
        starts = np.flatnonzero(np.r_[True, (sorted_values[1:] != sorted_values[:-1])
                                      | (sorted_segment[1:] != sorted_segment[:-1])])
        ends = np.r_[starts[1:], len(order)]
        for start, end in zip(starts, ends):
            if end - start < 2:
                continue
            members = sorted(order[start:end].tolist())
            if len({config[r] for r in members}) < 2:
                continue  # one configuration listed twice: duplicate-configuration's business
            k = len(members)
            # Birthday bound: C(n, k) ways to pick the rows, p^(k-1) for them all to agree.
            rows_total = int(rows_in[segment[members[0]]])
            log_expected = (_log_choose(rows_total, k) + (k - 1) * logp[members[0]] + tests)
            per_config = defaultdict(int)
            for r in members:
                per_config[config[r]] += 1
            # The rows a finding lists: the group's first ones of another configuration.
            sample = members[:MAX_EVIDENCE_ROWS + max(per_config.values())]
            for row in members:
                others = [r for r in sample if config[r] != config[row]][:MAX_EVIDENCE_ROWS]
                note(row, field, log_expected, others, k - per_config[config[row]], "value")
            if k <= _PAIRWISE:
                for i, a in enumerate(members):
                    for b in members[i + 1:]:
                        if config[a] != config[b]:
                            pairs[(a, b)][field] = logp[a]
    # Runs: rows a, a+1, ... repeating rows b, b+1, ... in the same order, several values each.
    seen = set()
    for a, b in sorted(pairs):
        if (a, b) in seen:
            continue
        run = [(a, b)]
        while (run[-1][0] + 1, run[-1][1] + 1) in pairs:
            run.append((run[-1][0] + 1, run[-1][1] + 1))
        seen.update(run)
        cells = [(x, y, field, logp) for x, y in run for field, logp in pairs[(x, y)].items()]
        if len(cells) < 2:
            continue
        pair_tests = _log_choose(int(rows_in[segment[a]]), 2) + tests
        log_expected = pair_tests + sum(logp for *_, logp in cells)
        how = "run" if len(run) > 1 else "row"
        for x, y, field, _ in cells:
            note(x, field, log_expected, [y], 1, how)
            note(y, field, log_expected, [x], 1, how)
    threshold = math.log(options.alpha)
    return {cell: entry for cell, entry in found.items() if entry[0] < threshold}


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) if 0 <= k <= n else 0.0


def check(frame, options, parsed):
    from validate.rules.common import all_rows

    failing = all_rows(frame, False)
    flagged = sorted({row for row, _ in repeats(parsed, options)})
    failing.iloc[flagged] = True
    return ~failing


def explain(parsed, rows, options):
    found = repeats(parsed, options)
    wanted = set(rows)
    for (row, field), (log_expected, shown, total, how) in sorted(found.items()):
        if row not in wanted:
            continue
        expected = math.exp(log_expected)
        where = line_list(parsed, shown, total)
        if how == "value":
            what = (f"also appears on {total} other row{'s' if total > 1 else ''} "
                    f"with another configuration ({where})")
        elif how == "run":
            what = f"repeats {where} along with the neighbouring rows, in the same order"
        else:
            what = f"repeats {where} together with other measurements of that row"
        yield Hit(
            message=(f"{field} {source_text(parsed, field, row)!r} {what}; a coincidence this "
                     f"unlikely shows up by chance {_odds(expected)} of this size: one of the "
                     f"rows was probably copied"),
            row=row, field=field,
            evidence={"value": source_text(parsed, field, row),
                      "this_row": describe_row(parsed, row),
                      "kind": how, "expected_by_chance": float(f"{expected:.3g}"),
                      "alpha": options.alpha,
                      "other_rows": [row_ref(parsed, r, value=source_text(parsed, field, r))
                                     for r in shown],
                      "other_rows_total": total})


def _odds(expected: float) -> str:
    """`once in 250,000 tables` (two significant digits)."""
    tables = 1 / expected if expected > 0 else float("inf")
    if tables >= 1e12:
        return "less than once in a million million tables"
    return f"once in {float(f'{tables:.2g}'):,.0f} tables"


RULE = Rule(grouping=("cell", "listed-rows"), code="D401", name="duplicate-measurement", category="duplicate", severity="warning",
            summary="A measured value repeats on another configuration's row, unlikely by chance.",
            doc=rule_doc(__doc__), scope="rows", check=check, explain=explain,
            options=(Option("fields", ("throughput", "vram", "train_time"),
                            "measurement fields watched for repeated values", kind="fields"),
                     Option("alpha", 0.01, "flag repeats expected fewer times than this by chance",
                            minimum=0)))
