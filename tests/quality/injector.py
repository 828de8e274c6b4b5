"""The defects maintainers make in the guide tables, injected one at a time into clean pages.

Each pattern is a function `(rng, base) -> Injection | None` (None: this page offers no place
for the defect; the caller draws another page). It copies the base's pages, makes ONE defect,
and says which cells it changed (`changes`) and where a finding must land to count as a catch
(`targets`). The patterns are written from how the mistakes happen, not from how any rule
detects them.

Targets name pages by role ("page" for a single page, "en"/"ko" for a language pair) and rows
by their stable id; scoring.py turns them into (file, line, field).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from page_model import (KEY, MEASUREMENTS, Page, Style, accelerators, column_style,
                        flavor_units, params_billions, parse_amount, value_of)

# Peak dense FLOP/s per xlarge unit when accelerators.yaml gives none (it gives none today):
# 512 GiB of the densest current accelerators (MI300X: 192 GB, 1,307 TFLOP/s dense BF16)
# is about 3,500 TFLOP/s. The generated clean tables stay below it (about 2,000 per unit).
ASSUMED_PEAK_TFLOPS_PER_UNIT = 3500.0
# Share of injections made into the clean rows of raw/ (the rest go into generated pages).
RAW_SHARE = 0.15


@dataclass
class Base:
    key: str                        # e.g. "gen-017", "pair-004", "raw-en"
    kind: str                       # "single" or "pair"
    origin: str                     # "generated" or "raw"
    pages: dict[str, Page]          # role -> page ("page", or "en" and "ko")

    @property
    def rows(self) -> int:
        return sum(len(p.rows) for p in self.pages.values())


@dataclass(frozen=True)
class Target:
    kind: str                       # cell | row | column | header | mention
    role: str | None = None         # page role; None = either page
    row: int | None = None          # row id (cell, row)
    field: str | None = None        # field (cell, column)
    text: str | None = None         # mention: a finding whose message names this

    def describe(self) -> str:
        if self.kind == "mention":
            return f"mention {self.text!r}"
        parts = [self.kind, self.role or "*"]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(self.field)
        return " ".join(parts)


@dataclass
class Injection:
    pattern: str
    variant: str
    base: Base
    pages: dict[str, Page]
    changes: set[tuple] = field(default_factory=set)   # ("cell", role, row, field), ("row", role, row), ("column", role, field)
    targets: list[Target] = field(default_factory=list)
    note: str = ""


# ---- helpers ----------------------------------------------------------------------------------

def _models(page: Page) -> dict[str, list[int]]:
    """Model -> indexes of its rows, in page order."""
    groups = defaultdict(list)
    for i, row in enumerate(page.rows):
        groups[row.cells.get("model", "")].append(i)
    return dict(groups)


def _num(page: Page, i: int, fieldname: str) -> float | None:
    return value_of(page.rows[i].cells.get(fieldname, ""), fieldname)


def _units(page: Page, i: int) -> float | None:
    return flavor_units(page.rows[i].cells.get("accelerator", ""))


def _config(page: Page, i: int) -> tuple:
    return tuple(page.rows[i].cells.get(f, "") for f in KEY)


def _set(inj: Injection, role: str, i: int, fieldname: str, text: str) -> bool:
    page = inj.pages[role]
    row = page.rows[i]
    if row.cells.get(fieldname, "") == text:
        return False
    row.cells[fieldname] = text
    inj.changes.add(("cell", role, row.id, fieldname))
    return True


def _start(pattern: str, variant: str, base: Base) -> Injection:
    return Injection(pattern, variant, base, {r: p.copy() for r, p in base.pages.items()})


def _present(page: Page, i: int, fields=MEASUREMENTS) -> list[str]:
    return [f for f in fields if f in page.columns and value_of(page.rows[i].cells.get(f, ""), f)]


def _style(page: Page, fieldname: str) -> Style:
    return column_style(page, fieldname)


def _digits(value: float) -> str:
    return str(round(value))


# ---- 1. a block copied from another model ------------------------------------------------------

def copied_block(rng: random.Random, base: Base) -> Injection | None:
    page = base.pages["page"]
    groups = {m: rows for m, rows in _models(page).items() if len(rows) >= 2}
    pairs = []
    for target, t_rows in groups.items():
        for source, s_rows in groups.items():
            p_t, p_s = params_billions(target), params_billions(source)
            if source != target and p_t and p_s and max(p_t, p_s) / min(p_t, p_s) <= 2:
                pairs.append((target, source))
    if not pairs:
        return None
    # Blocks whose rows stand on the same flavors in the same order: the block a maintainer
    # would copy to fill in a model measured on the same accelerators.
    blocks = []
    for target, source in pairs:
        t_rows, s_rows = groups[target], groups[source]
        for k in range(2, min(4, len(t_rows), len(s_rows)) + 1):
            for t0 in range(len(t_rows) - k + 1):
                for s0 in range(len(s_rows) - k + 1):
                    t_block, s_block = t_rows[t0:t0 + k], s_rows[s0:s0 + k]
                    if all(page.rows[s].cells.get("accelerator") == page.rows[t].cells.get("accelerator")
                           for s, t in zip(s_block, t_block)):
                        blocks.append((target, source, t_block, s_block))
    if not blocks:
        return None
    k = rng.choice(sorted({len(b[2]) for b in blocks}))
    target, source, block, s_block = rng.choice([b for b in blocks if len(b[2]) == k])
    measured = [f for f in MEASUREMENTS if f in page.columns]
    if rng.random() < 0.5:
        fields, variant = measured, "all measurements"
    else:
        fields = sorted(rng.sample(measured, rng.randint(1, len(measured) - 1)),
                        key=measured.index)
        variant = "some measurements"
    inj = _start("1", variant, base)
    for s, t in zip(s_block, block):
        changed = False
        for f in fields:
            text = page.rows[s].cells.get(f, "")
            if text.strip():
                changed |= _set(inj, "page", t, f, text)
        if changed:
            inj.targets.append(Target("row", "page", page.rows[t].id))
    if not inj.targets:
        return None
    inj.note = (f"{k} rows of {source} copied onto {target} "
                f"({', '.join(fields)})")
    return inj


# ---- 2. placeholders ---------------------------------------------------------------------------

PLACEHOLDERS = ["0", "0 with unit", "-", "TBD", "N/A", "round value"]
DEFAULT_UNIT = {"vram": " MiB", "train_time": "m", "throughput": " TPS"}


def placeholder(rng: random.Random, base: Base) -> Injection | None:
    page = base.pages["page"]
    variant = rng.choice(PLACEHOLDERS)
    spots = [(i, f) for i in range(len(page.rows)) for f in _present(page, i)
             if variant != "round value" or f in ("vram", "throughput")]
    if not spots:
        return None
    i, f = rng.choice(spots)
    style = _style(page, f)
    if variant == "0":
        text = "0"
    elif variant == "0 with unit":
        text = "0" + (style.space + style.unit if style.unit else DEFAULT_UNIT[f])
    elif variant == "round value":
        value = _num(page, i, f)
        magnitude = 10 ** (len(_digits(value)) - 2)       # keep two significant digits
        rounded = round(value / magnitude) * magnitude
        if rounded == round(value) or rounded == 0:
            return None
        text = style.format(rounded)
    else:
        text = variant
    inj = _start("2", variant, base)
    if not _set(inj, "page", i, f, text):
        return None
    inj.targets.append(Target("cell", "page", page.rows[i].id, f))
    inj.note = f"{f} of row {page.rows[i].id} -> {text!r}"
    return inj


# ---- 3. the same short value for different workloads ------------------------------------------

def same_time(rng: random.Random, base: Base) -> Injection | None:
    page = base.pages["page"]
    pairs = []
    for rows in _models(page).values():
        for r in rows:
            for s in rows:
                tr, ts = _num(page, r, "throughput"), _num(page, s, "throughput")
                if (r != s and tr and ts and max(tr, ts) / min(tr, ts) >= 1.5
                        and _config(page, r)[1:3] != _config(page, s)[1:3]
                        and _num(page, s, "train_time")
                        and page.rows[r].cells.get("train_time") != page.rows[s].cells.get("train_time")):
                    pairs.append((r, s))
    if not pairs:
        return None
    r, s = rng.choice(pairs)
    inj = _start("3", "time of a sibling", base)
    _set(inj, "page", r, "train_time", page.rows[s].cells["train_time"])
    inj.targets += [Target("row", "page", page.rows[r].id), Target("row", "page", page.rows[s].id)]
    inj.note = f"train_time of row {page.rows[r].id} set to that of row {page.rows[s].id}"
    return inj


# ---- 4. values that do not scale ---------------------------------------------------------------

def _grows(page: Page, lo: int, hi: int) -> bool:
    """hi is at least as large as lo in batch, units and sequence length, and larger in one."""
    a = [_num(page, lo, "batch_size"), _units(page, lo), _num(page, lo, "seq_len")]
    b = [_num(page, hi, "batch_size"), _units(page, hi), _num(page, hi, "seq_len")]
    if None in a or None in b:
        return False
    return all(x <= y for x, y in zip(a, b)) and a != b


def _one_step(page: Page, lo: int, hi: int) -> bool:
    """The two rows differ in one of batch, flavor and sequence length only."""
    return sum(x != y for x, y in zip(_config(page, lo)[1:], _config(page, hi)[1:])) == 1


def vram_not_growing(rng: random.Random, base: Base) -> Injection | None:
    page = base.pages["page"]
    pairs = [(lo, hi) for rows in _models(page).values() for lo in rows for hi in rows
             if _grows(page, lo, hi) and _num(page, lo, "vram") and _num(page, hi, "vram")
             and _num(page, hi, "vram") > _num(page, lo, "vram")]
    near = [p for p in pairs if _one_step(page, *p)]
    if not (near or pairs):
        return None
    lo, hi = rng.choice(near or pairs)
    variant = rng.choice(["swap", "duplicate"])
    inj = _start("4a", variant, base)
    lo_text, hi_text = page.rows[lo].cells["vram"], page.rows[hi].cells["vram"]
    _set(inj, "page", hi, "vram", lo_text)
    inj.targets.append(Target("row", "page", page.rows[hi].id))
    if variant == "swap":
        _set(inj, "page", lo, "vram", hi_text)
        inj.targets.append(Target("row", "page", page.rows[lo].id))
    inj.note = f"vram of rows {page.rows[lo].id} (smaller) and {page.rows[hi].id} (larger): {variant}"
    return inj


def throughput_jump(rng: random.Random, base: Base) -> Injection | None:
    page = base.pages["page"]
    spots = [i for rows in _models(page).values() if len(rows) >= 2 for i in rows
             if _num(page, i, "throughput")]
    if not spots:
        return None
    i = rng.choice(spots)
    factor = rng.uniform(2.5, 4.0)
    variant = rng.choice(["multiplied", "divided"])
    value = _num(page, i, "throughput")
    value = value * factor if variant == "multiplied" else value / factor
    inj = _start("4b", variant, base)
    _set(inj, "page", i, "throughput", _style(page, "throughput").format(value))
    inj.targets.append(Target("row", "page", page.rows[i].id))
    inj.note = f"throughput of row {page.rows[i].id} {variant} by {factor:.2f}"
    return inj


def time_not_falling(rng: random.Random, base: Base) -> Injection | None:
    page = base.pages["page"]
    pairs = []
    for rows in _models(page).values():
        for slow in rows:
            for fast in rows:
                ts, tf = _num(page, slow, "throughput"), _num(page, fast, "throughput")
                ms, mf = _num(page, slow, "train_time"), _num(page, fast, "train_time")
                if (slow != fast and ts and tf and ms and mf and tf >= 1.2 * ts and mf < ms
                        and _num(page, slow, "seq_len") == _num(page, fast, "seq_len")):
                    pairs.append((slow, fast))
    if not pairs:
        return None
    slow, fast = rng.choice(pairs)
    minutes = _num(page, slow, "train_time") * rng.uniform(1.0, 1.25)
    inj = _start("4c", "slower time on the faster row", base)
    _set(inj, "page", fast, "train_time", _style(page, "train_time").format(minutes))
    inj.targets.append(Target("row", "page", page.rows[fast].id))
    inj.note = (f"train_time of row {page.rows[fast].id} (faster) set >= that of row "
                f"{page.rows[slow].id}")
    return inj


# ---- 5. digit and unit slips -------------------------------------------------------------------

SLIPS = ["dropped digit", "doubled digit", "GiB typed as MiB", "hours typed as minutes"]


def _slip_value(rng: random.Random, value: float, variant: str) -> float | None:
    digits = _digits(value)
    if variant == "dropped digit":
        if len(digits) < 2:
            return None
        at = rng.randrange(len(digits))
        new = digits[:at] + digits[at + 1:]
        return float(new) if not new.startswith("0") else None
    at = rng.randrange(len(digits))
    return float(digits[:at + 1] + digits[at] + digits[at + 1:])


def digit_slip(rng: random.Random, base: Base) -> Injection | None:
    page = base.pages["page"]
    variant = rng.choices(SLIPS, [3, 3, 2, 2])[0]
    if variant == "GiB typed as MiB":
        spots = [(i, "vram") for i in range(len(page.rows)) if "vram" in _present(page, i)]
    elif variant == "hours typed as minutes":
        spots = [(i, "train_time") for i in range(len(page.rows))
                 if "train_time" in _present(page, i) and _num(page, i, "train_time") >= 90]
    else:
        spots = [(i, f) for i in range(len(page.rows)) for f in _present(page, i)]
    if not spots:
        return None
    i, f = rng.choice(spots)
    value = _num(page, i, f)
    if variant == "GiB typed as MiB":
        new = value / 1024
    elif variant == "hours typed as minutes":
        new = value / 60
    else:
        new = _slip_value(rng, value, variant)
    if not new or round(new) == round(value):
        return None
    inj = _start("5", variant, base)
    _set(inj, "page", i, f, _style(page, f).format(new))
    inj.targets.append(Target("cell", "page", page.rows[i].id, f))
    inj.note = f"{f} of row {page.rows[i].id}: {page.rows[i].cells[f]!r} -> {inj.pages['page'].rows[i].cells[f]!r}"
    return inj


# ---- 6. across language versions ---------------------------------------------------------------

def _both(targets_for: Callable[[str], list[Target]]) -> list[Target]:
    return targets_for("en") + targets_for("ko")


def relabelled_rows(rng: random.Random, base: Base) -> Injection | None:
    side = rng.choice(["en", "ko"])
    page = base.pages[side]
    configs = {_config(page, i) for i in range(len(page.rows))}
    options = []
    for rows in _models(page).values():
        for a in rows:
            for b in rows:
                if a >= b:
                    continue
                for f in ("batch_size", "accelerator", "seq_len"):
                    x, y = page.rows[a].cells.get(f), page.rows[b].cells.get(f)
                    if x == y:
                        continue
                    ca = tuple(y if k == f else v for k, v in zip(KEY, _config(page, a)))
                    cb = tuple(x if k == f else v for k, v in zip(KEY, _config(page, b)))
                    if not ({ca, cb} & (configs - {_config(page, a), _config(page, b)})):
                        options.append(("swap", f, a, b))
            batch = _num(page, a, "batch_size")
            for new in (batch * 2, batch / 2) if batch else ():
                shifted = tuple(str(int(new)) if k == "batch_size" else v
                                for k, v in zip(KEY, _config(page, a)))
                if 32 <= new <= 1024 and shifted not in configs:
                    options.append(("shift", "batch_size", a, int(new)))
    if not options:
        return None
    how, f, a, b = rng.choice(options)
    inj = _start("6a", f"{how} {f}", base)
    rows = [a]
    if how == "swap":
        x, y = page.rows[a].cells[f], page.rows[b].cells[f]
        _set(inj, side, a, f, y)
        _set(inj, side, b, f, x)
        rows.append(b)
    else:
        _set(inj, side, a, f, str(b))
    ids = [page.rows[i].id for i in rows]
    inj.targets = _both(lambda role: [Target("row", role, r) for r in ids])
    inj.note = f"{side}: {how} {f} of rows {ids}"
    return inj


def model_in_one_version(rng: random.Random, base: Base) -> Injection | None:
    side = rng.choice(["en", "ko"])
    page = base.pages[side]
    groups = _models(page)
    if len(groups) < 2:
        return None
    model = rng.choice(sorted(groups))
    inj = _start("6b", "model dropped", base)
    ids = [page.rows[i].id for i in groups[model]]
    inj.pages[side].rows = [r for r in inj.pages[side].rows if r.id not in ids]
    inj.changes = {("row", side, r) for r in ids}
    other = "ko" if side == "en" else "en"
    inj.targets = [Target("row", other, r) for r in ids] + [Target("mention", text=model)]
    inj.note = f"{model} dropped from the {side} version"
    return inj


DROPPABLE = ["platform_version", "advanced_parallelism", "seq_len", "tokens", "vram",
             "train_time", "throughput"]


def column_in_one_version(rng: random.Random, base: Base) -> Injection | None:
    side = rng.choice(["en", "ko"])
    page = base.pages[side]
    choices = [f for f in DROPPABLE if f in page.columns]
    if not choices:
        return None
    f = rng.choice(choices)
    inj = _start("6c", f"{f} dropped", base)
    inj.pages[side].columns = [c for c in page.columns if c != f]
    for row in inj.pages[side].rows:
        row.cells.pop(f, None)
    inj.changes = {("column", side, f)}
    inj.targets = _both(lambda role: [Target("column", role, field=f), Target("header", role)])
    inj.note = f"column {f} dropped from the {side} version"
    return inj


def unit_in_one_version(rng: random.Random, base: Base) -> Injection | None:
    side = rng.choice(["en", "ko"])
    page = base.pages[side]
    f = rng.choices(["throughput", "vram", "train_time"], [3, 1, 1])[0]
    if f not in page.columns:
        return None
    style = _style(page, f)
    if style.unit:
        new_style, variant = Style(style.grouped, "", ""), f"{f} unit left out"
    else:
        new_style, variant = Style(style.grouped, " ", "TPS"), f"{f} unit added"
    inj = _start("6d", variant, base)
    for i, row in enumerate(page.rows):
        value = value_of(row.cells.get(f, ""), f)
        parsed = parse_amount(row.cells.get(f, ""))
        if value is not None and parsed and parsed[0] == value:
            _set(inj, side, i, f, new_style.format(value))
    if not inj.changes:
        return None
    inj.targets = _both(lambda role: [Target("column", role, field=f), Target("header", role)])
    inj.note = f"{side}: {variant}"
    return inj


# ---- 7. columns --------------------------------------------------------------------------------

def empty_column(rng: random.Random, base: Base) -> Injection | None:
    page = base.pages["page"]
    filled = [i for i, r in enumerate(page.rows) if r.cells.get("tokens", "").strip()]
    if "tokens" not in page.columns or len(filled) < 3:
        return None
    keep = rng.choice(filled)
    inj = _start("7a", "tokens emptied but one", base)
    for i in filled:
        if i != keep:
            _set(inj, "page", i, "tokens", "")
    inj.targets = [Target("column", "page", field="tokens"), Target("header", "page")]
    inj.note = f"tokens emptied on {len(filled) - 1} of {len(page.rows)} rows"
    return inj


def _peak_tflops(flavor: str) -> float | None:
    spec = accelerators().get(flavor.strip().lower())
    if not spec:
        return None
    if spec.get("peak_tflops"):
        return float(spec["peak_tflops"])
    return float(spec["units"]) * ASSUMED_PEAK_TFLOPS_PER_UNIT


def beyond_peak(rng: random.Random, base: Base) -> Injection | None:
    """One model's throughput reported in another sense than the others' (e.g. padded tokens,
    or summed over replicas): every row of the model is scaled alike, so the model's rows stay
    consistent with each other, but they imply more FLOP/s than the flavor can deliver. The
    training times are the real ones and stay."""
    page = base.pages["page"]
    options = []
    for model, rows in _models(page).items():
        params = params_billions(model)
        load = []
        for i in rows:
            tps, peak = _num(page, i, "throughput"), _peak_tflops(page.rows[i].cells.get("accelerator", ""))
            if tps and peak and params:
                load.append(6 * params * 1e9 * tps / 1e12 / peak)
        if load and len(load) == len(rows):
            options.append((model, rows, min(load)))
    if not options:
        return None
    model, rows, least = rng.choice(options)
    factor = max(rng.uniform(1.5, 3.0) / least, 1.5)
    inj = _start("7b", "throughput beyond peak", base)
    style = _style(page, "throughput")
    for i in rows:
        _set(inj, "page", i, "throughput", style.format(_num(page, i, "throughput") * factor))
        inj.targets.append(Target("row", "page", page.rows[i].id))
    inj.note = f"{model}: throughput x{factor:.2f} on every row, above the flavor peak"
    return inj


# ---- the catalogue -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Pattern:
    id: str
    name: str
    kind: str                       # "single" or "pair": which bases it takes
    inject: Callable[[random.Random, Base], Injection | None]
    informational: bool = False
    needs_tokens: bool = False


PATTERNS = [
    Pattern("1", "block copied from another model", "single", copied_block),
    Pattern("2", "placeholder value", "single", placeholder),
    Pattern("3", "same time for different workloads", "single", same_time),
    Pattern("4a", "vram not growing with batch/units", "single", vram_not_growing),
    Pattern("4b", "throughput per unit jumps", "single", throughput_jump),
    Pattern("4c", "time not falling as throughput rises", "single", time_not_falling),
    Pattern("5", "digit or unit slip", "single", digit_slip),
    Pattern("6a", "rows relabelled in one language", "pair", relabelled_rows),
    Pattern("6b", "model in one language only", "pair", model_in_one_version),
    Pattern("6c", "column in one language only", "pair", column_in_one_version),
    Pattern("6d", "unit in one language only", "pair", unit_in_one_version),
    Pattern("7a", "column almost entirely empty", "single", empty_column, needs_tokens=True),
    Pattern("7b", "throughput beyond flavor peak", "single", beyond_peak, informational=True),
]


def inject(pattern: Pattern, rng: random.Random, bases: list[Base], tries: int = 50) -> Injection:
    """One injection of the pattern into a base drawn from `bases` (a raw-derived one 15% of
    the time when there is one of the pattern's kind)."""
    eligible = [b for b in bases if b.kind == pattern.kind
                and (not pattern.needs_tokens or "tokens" in b.pages.get("page", b.pages.get("en")).columns)]
    raw = [b for b in eligible if b.origin == "raw"]
    generated = [b for b in eligible if b.origin != "raw"] or eligible
    for _ in range(tries):
        pool = raw if raw and rng.random() < RAW_SHARE else generated
        base = rng.choice(pool)
        result = pattern.inject(rng, base)
        if result is not None and (result.changes or result.targets):
            return result
    raise RuntimeError(f"pattern {pattern.id}: no place for it in {tries} pages")


def build_injections(seed: int, count: int, bases: list[Base],
                     patterns: list[Pattern] = PATTERNS) -> dict[str, list[Injection]]:
    """`count` injections of each pattern; each pattern draws from its own generator, so
    adding a pattern or changing one leaves the others' injections as they were."""
    result = {}
    for pattern in patterns:
        rng = random.Random(f"{seed}:{pattern.id}")
        result[pattern.id] = [inject(pattern, rng, bases) for _ in range(count)]
    return result
