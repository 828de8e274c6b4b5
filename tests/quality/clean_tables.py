"""Clean guide tables: generated ones with realistic scaling and noise, and the clean rows of raw/.

Generated model rows follow the laws a real benchmark matrix follows, with the noise real
measurements carry:

- throughput = k_model x units^a x a mild batch effect x a mild sequence effect x lognormal
  noise (sigma 5-15% per page); k_model falls with the parameter count; a in 0.9-1.0;
- training time = the model's dataset (a fixed number of samples) x seq_len / throughput / 60,
  with a little more noise; the dataset size is chosen so the times have 2-3 digits;
- VRAM = the flavor's memory x a share that grows with the tokens per unit and step and with
  the model size (never above 97% of the flavor), with 2% noise, and grows with batch, sequence
  length and units (rows that are larger on every axis never use less memory);
- tokens (when the page has the column) = samples x seq_len, written like `1.23B`.

Every page draws its own models (3-6, 7B-70B), layouts (3-9 rows per model) and formats (TPS or
bare throughput, a token column or not), deterministically from the random generator it is given.
"""

from __future__ import annotations

import math
import random
from typing import Callable

from page_model import FIELDS, Page, Row, flavor_memory_mib, flavor_units, raw_page

MODELS = [("Llama2 7B", 7), ("Mistral 7B", 7), ("Qwen1.5 7B", 7), ("Gemma 7B", 7),
          ("Llama3 8B", 8), ("Llama2 13B", 13), ("Baichuan2 13B", 13), ("Cerebras GPT 13B", 13),
          ("Qwen1.5 14B", 14), ("Qwen1.5 32B", 32), ("CodeLlama 34B", 34), ("Yi 34B", 34),
          ("Falcon 40B", 40), ("Llama2 70B", 70), ("Llama3 70B", 70)]
# Small and mid-sized models are what the guide mostly lists: draw them more often.
WEIGHTS = [3, 3, 3, 2, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1]
FLAVORS = ["2xlarge", "4xlarge", "8xlarge"]
VERSIONS = ["24.2.0", "24.3.0", "24.5.0"]
# Throughput per xlarge unit of a 7B model (raw/: 40-50k); falls as params^-0.9.
K_7B = 40_000


def lognormal(rng: random.Random, sigma: float) -> float:
    return math.exp(rng.gauss(0.0, sigma))


def _configs(rng: random.Random, params: float) -> list[tuple[str, int, int]]:
    """(flavor, batch, seq_len) of one model: 3-9 rows in one of the guide's layouts."""
    allowed = FLAVORS if params <= 40 else FLAVORS[1:]
    while True:
        layout = rng.choice(["ladder", "grid", "grid", "seq-by-flavor"])
        flavors = sorted(rng.sample(allowed, rng.randint(1, len(allowed))), key=flavor_units)
        if layout == "ladder":       # one batch per flavor, growing with its units
            flavors = allowed
            base = rng.choice([64, 128, 256])
            seqs = rng.choice([[1024], [2048], [1024, 2048], [1024, 4096]])
            rows = [(f, min(1024, int(base * flavor_units(f) / 2)), s)
                    for s in seqs for f in flavors]
        else:
            start = rng.choice([32, 64, 128, 256])
            count = rng.choice([2, 3, 3])
            batches = [start * 2 ** i for i in range(count) if start * 2 ** i <= 1024]
            fixed = rng.choice([1024, 1024, 2048])
            rows = []
            for f in flavors:
                seq = int(1024 * flavor_units(f) / 2) if layout == "seq-by-flavor" else fixed
                rows += [(f, b, seq) for b in batches]
        rows = sorted(set(rows), key=lambda c: (flavor_units(c[0]), c[2], c[1]))
        if 3 <= len(rows) <= 9:
            return rows


def model_rows(rng: random.Random, name: str, params: float, sigma: float, version: str,
               with_tokens: bool) -> list[dict[str, str]]:
    """The rows of one model, as cell texts (throughput with ' TPS'; the page may strip it)."""
    configs = _configs(rng, params)
    k_unit = K_7B * (7 / params) ** 0.9 * rng.uniform(0.85, 1.15)
    exponent = rng.uniform(0.9, 1.0)
    throughput = []
    for flavor, batch, seq in configs:
        units = flavor_units(flavor)
        per_unit_batch = batch / units
        batch_effect = min(1.08, (per_unit_batch / 32) ** 0.06)
        seq_effect = (seq / 1024) ** -0.04
        throughput.append(k_unit * 2 * (units / 2) ** exponent * batch_effect * seq_effect
                          * lognormal(rng, sigma))
    # The dataset: as many samples as make the median time 25-400 minutes, all within 10-999.
    work = [seq / tps / 60 for (_, _, seq), tps in zip(configs, throughput)]
    samples = rng.uniform(math.log(25), math.log(400))
    samples = math.exp(samples) / sorted(work)[len(work) // 2]
    samples = min(samples, 950 / max(work) / 1.15)
    samples = max(samples, 10 / min(work) * 1.15)
    samples = round(samples, -3) or 1000
    time_sigma = rng.uniform(0.02, 0.06)
    minutes = [max(1, round(samples * w * lognormal(rng, time_sigma))) for w in work]

    base_share = rng.uniform(0.25, 0.4) + 0.004 * params
    vram = []
    for flavor, batch, seq in configs:
        tokens_per_unit = batch * seq / flavor_units(flavor)
        share = 0.93 - (0.93 - base_share) * math.exp(-0.15 * math.log2(tokens_per_unit / 2048))
        vram.append(flavor_memory_mib(flavor) * min(share, 0.95) * lognormal(rng, 0.02))
    # Rows at least as large on every axis never use less memory.
    order = sorted(range(len(configs)), key=lambda i: (flavor_units(configs[i][0]),
                                                        configs[i][2], configs[i][1]))
    for i in order:
        f, b, s = configs[i]
        smaller = [vram[j] for j in order if j != i and configs[j] != configs[i]
                   and flavor_units(configs[j][0]) <= flavor_units(f)
                   and configs[j][1] <= b and configs[j][2] <= s]
        if smaller:
            vram[i] = max(vram[i], max(smaller) * rng.uniform(1.01, 1.04))
        vram[i] = min(vram[i], flavor_memory_mib(f) * 0.97)

    rows = []
    for (flavor, batch, seq), tps, mins, mem in zip(configs, throughput, minutes, vram):
        cells = {"model": name, "platform_version": version, "accelerator": flavor,
                 "advanced_parallelism": "True", "batch_size": str(batch), "seq_len": str(seq),
                 "vram": f"{round(mem):,} MiB", "train_time": f"{mins}m",
                 "throughput": f"{round(tps):,} TPS"}
        if with_tokens:
            cells["tokens"] = format_tokens(samples * seq)
        rows.append(cells)
    return rows


def format_tokens(count: float) -> str:
    if count >= 1e9:
        return f"{count / 1e9:.3g}B"
    return f"{count / 1e6:.3g}M"


def generate_page(rng: random.Random, lang: str, *, tps_unit: bool | None = None,
                  with_tokens: bool | None = None) -> Page:
    """One clean guide page: 3-6 models, each 3-9 rows."""
    if tps_unit is None:
        tps_unit = rng.random() < 0.5
    if with_tokens is None:
        with_tokens = rng.random() < 0.35
    sigma = rng.uniform(0.05, 0.15)
    count = rng.randint(3, 6)
    chosen: list[tuple[str, int]] = []
    while len(chosen) < count:
        model = rng.choices(MODELS, WEIGHTS)[0]
        if model not in chosen:
            chosen.append(model)
    one_version = rng.random() < 0.6
    page_version = rng.choice(VERSIONS)
    columns = [f for f in FIELDS if with_tokens or f != "tokens"]
    page = Page(lang, columns)
    for name, params in chosen:
        version = page_version if one_version else rng.choice(VERSIONS)
        for cells in model_rows(rng, name, params, sigma, version, with_tokens):
            if not tps_unit:
                cells["throughput"] = cells["throughput"].removesuffix(" TPS")
            page.rows.append(Row(len(page.rows), cells))
    return page


def generate_pair(rng: random.Random) -> dict[str, Page]:
    """The English and Korean versions of one clean page: the same rows, written alike."""
    english = generate_page(rng, "en")
    korean = english.copy()
    korean.lang = "ko"
    return {"en": english, "ko": korean}


# ---- the clean rows of raw/ -------------------------------------------------------------------

Validator = Callable[[dict[str, str]], dict[str, list[dict]]]
"""Takes {file name: text}, returns {file name: anomalies of that file}."""


def raw_clean_pages(validate_raw: Callable[[], dict[str, list[dict]]], validator: Validator,
                    rounds: int = 5) -> dict[str, Page]:
    """The rows of raw/*.md that no rule flags, as one page per language.

    Round one checks the published pages as they are (together, so the translation rules see
    both); rows with any finding are dropped. The rest is checked again as pages of its own
    until nothing more is dropped: dropping rows changes the medians the group rules compare.
    """
    found = validate_raw()
    pages = {}
    for lang in ("en", "ko"):
        page, lines = raw_page(lang)
        flagged = {a["line"] for a in found.get(f"llm_param_guide.{lang}.md", [])}
        page.rows = [r for r, line in zip(page.rows, lines) if line not in flagged]
        pages[lang] = page
    for _ in range(rounds):
        names = {f"raw-clean-{lang}.md": page for lang, page in pages.items()}
        found = validator({name: page.render() for name, page in names.items()})
        dropped = False
        for name, page in names.items():
            rows = page.line_map()
            flagged = {rows[a["line"]] for a in found.get(name, []) if a["line"] in rows}
            if flagged:
                page.rows = [r for r in page.rows if r.id not in flagged]
                dropped = True
        if not dropped:
            break
    return pages


def raw_clean_pair(pages: dict[str, Page]) -> dict[str, Page]:
    """The Korean page's clean rows written alike in both languages (empty columns left out)."""
    korean = pages["ko"].copy()
    korean.columns = [f for f in korean.columns
                      if any(r.cells.get(f, "").strip() for r in korean.rows)]
    english = korean.copy()
    english.lang = "en"
    return {"en": english, "ko": korean}


def generated_bases(seed: int, singles: int, pairs: int) -> list:
    """The generated clean pages of a run: `singles` single pages (half English, half Korean)
    and `pairs` language pairs, deterministic for the seed."""
    from injector import Base

    rng = random.Random(f"{seed}:pool")
    bases = []
    for i in range(singles):
        lang = "en" if i % 2 == 0 else "ko"
        bases.append(Base(f"gen-{i:03d}", "single", "generated", {"page": generate_page(rng, lang)}))
    for i in range(pairs):
        bases.append(Base(f"pair-{i:03d}", "pair", "generated", generate_pair(rng)))
    return bases
