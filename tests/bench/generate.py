"""Inputs for the benchmarks: realistic fine-tuning guide tables and docs trees.

Rows are consistent the way real benchmark matrices are (throughput grows with batch size and
accelerator units, training time follows from throughput, memory grows with batch), with a
small share of the anomalies the rules look for: bad digit grouping, a missing unit, a
pasted throughput, an empty measurement. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

HEADER = ("| Model | MoAI Platform version | MoAI Accelerator | Advanced Parallelism is applied "
          "| batch size | sequence length | vram Usage | Training Time | throughput |\n"
          "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
FAMILIES = [("Llama3", 8), ("Llama2", 13), ("Mistral", 7), ("Qwen1.5", 7), ("Baichuan2", 13),
            ("Cerebras GPT", 13), ("Gemma", 2), ("Phi", 3)]
FLAVORS = [("2xlarge", 2), ("4xlarge", 4), ("8xlarge", 8)]
BATCHES = [32, 64, 128, 256, 512, 1024]
SAMPLES = 400_000      # samples per training run, the same for every row of a model


def guide_rows(count: int, seed: int = 7, anomaly_rate: float = 0.002,
               versions: bool = True) -> list[str]:
    """`count` rows, model after model (8 families; each model: 3 flavors x 6 batch sizes).
    Each repetition of a family is a new model, " v{n}" (`versions`); without the suffix the
    144 configurations (model, flavor, batch) repeat, with the same random draws (the same
    values row for row, only the model names differ)."""
    rng = random.Random(seed)
    rows = []
    model_index = 0
    while len(rows) < count:
        family, billions = FAMILIES[model_index % len(FAMILIES)]
        model = f"{family} {billions}B" + (f" v{model_index // len(FAMILIES)}" if versions else "")
        model_index += 1
        per_unit = rng.uniform(20_000, 60_000) * 8 / billions
        for flavor, units in FLAVORS:
            for batch in BATCHES:
                if len(rows) >= count:
                    break
                # Each unit saturates at 64 samples per step: per-unit throughput depends on
                # the batch per unit only, as the per-unit rule expects.
                throughput = round(per_unit * units * min(1.0, batch / units / 64)
                                   * rng.uniform(0.97, 1.03))
                minutes = max(1, round(SAMPLES * 1024 / throughput / 60))
                vram = round(units * 120_000 * (1 + batch / 2048) * rng.uniform(0.95, 1.05))
                cells = [model, "24.5.0", flavor, "True", str(batch), "1024",
                         f"{vram:,} MiB", f"{minutes}m", f"{throughput:,} TPS"]
                if rng.random() < anomaly_rate:
                    kind = rng.randrange(4)
                    if kind == 0:
                        cells[6] = f"{vram:,}".replace(",", "", 1)          # bad grouping, no unit
                    elif kind == 1:
                        cells[6] = f"{vram:,}"                              # missing unit
                    elif kind == 2 and rows:
                        cells[8] = rows[-1].split(" | ")[-1].rstrip(" |\n")  # pasted throughput
                    else:
                        cells[7] = ""                                       # empty measurement
                rows.append("| " + " | ".join(cells) + " |\n")
    return rows


def guide_page(count: int, seed: int = 7, versions: bool = True) -> str:
    return ("# LLM Fine-tuning Parameter Guide (generated)\n\n"
            "Rows generated for benchmarking.\n\n"
            + HEADER + "".join(guide_rows(count, seed, versions=versions)))


def tables_page(tables: int = 500, rows: int = 3, seed: int = 7) -> str:
    """One page of `tables` small guide tables of `rows` rows each, under their own headings, as
    a guide split by model and flavor is written: the rows of `guide_rows` cut in order (so every
    table holds other values; with 3 rows, each model's 18 rows make 6 tables)."""
    body = guide_rows(tables * rows, seed)
    parts = ["# LLM Fine-tuning Parameter Guide, by model and flavor (generated)\n\n"]
    for number in range(tables):
        chunk = body[number * rows:(number + 1) * rows]
        first, last = chunk[0].split(" | "), chunk[-1].split(" | ")
        model, flavor = first[0].lstrip("| "), first[2]
        parts.append(f"## {model} on {flavor}, batch {first[4]} to {last[4]}\n\n"
                     f"Measured with MoAI Platform 24.5.0, sequence length 1024.\n\n"
                     + HEADER + "".join(chunk) + "\n")
    return "".join(parts)


def docs_tree(root: Path, pages: int = 2000, with_tables: int = 200, rows: int = 18,
              seed: int = 11) -> None:
    """`pages` markdown pages in nested folders; `with_tables` of them hold a guide table."""
    rng = random.Random(seed)
    chosen = set(rng.sample(range(pages), with_tables))
    for number in range(pages):
        folder = root / f"section{number % 20:02d}" / f"topic{number % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        text = [f"# Page {number}\n\n"]
        text += [f"Paragraph {p} of page {number}: prose with `code` and a [link](x.md).\n\n"
                 for p in range(rng.randint(3, 12))]
        text.append("```bash\n$ moreh-smi\n| GPU | Memory |\n|-----|--------|\n```\n\n")
        if number in chosen:
            text.append(HEADER + "".join(guide_rows(rows, seed=number)))
        (folder / f"page{number:04d}.md").write_text("".join(text), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["guide", "tables", "tree"])
    parser.add_argument("target", type=Path)
    parser.add_argument("--rows", type=int, help="guide: rows of the table (default 100,000); "
                                                  "tables: rows of each table (default 3)")
    parser.add_argument("--tables", type=int, default=500, help="tables: how many (default 500)")
    parser.add_argument("--repeat", action="store_true",
                        help="guide: no version suffix, so the 144 configurations repeat")
    args = parser.parse_args()
    if args.kind == "guide":
        text = guide_page(args.rows or 100_000, versions=not args.repeat)
        args.target.write_text(text, encoding="utf-8")
    elif args.kind == "tables":
        args.target.write_text(tables_page(args.tables, args.rows or 3), encoding="utf-8")
    else:
        docs_tree(args.target)


if __name__ == "__main__":
    main()
