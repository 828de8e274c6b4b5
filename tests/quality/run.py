"""How well the installed rules catch the errors maintainers make: inject, check, count.

    python tests/quality/run.py [--seed N] [--injections 200] [--json PATH]

Prints one line per defect pattern (injections, caught, recall with any severity and with
warning-or-error only, false alarms per 100 clean rows) and writes the same as JSON. See
README.md beside this file for what is measured and how a catch is decided.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from clean_tables import generated_bases, raw_clean_pages, raw_clean_pair  # noqa: E402
from injector import PATTERNS, Base, build_injections  # noqa: E402
from page_model import RAW  # noqa: E402
from scoring import (INTERNAL, parse_report, batch_up, false_alarms, file_names, findings, judge,  # noqa: E402
                     render, run_batches, run_validate, validate_command)


def raw_bases(workdir: Path) -> list[Base]:
    """The rows of raw/ that no rule flags: one single page per language, and the Korean
    page's clean rows written alike in both languages as a pair."""
    counter = iter(range(1000))

    def validator(files):
        return run_validate(files, workdir / f"raw-{next(counter)}")

    def validate_raw():
        return validator({f"llm_param_guide.{lang}.md":
                          (RAW / f"llm_param_guide.{lang}.md").read_text(encoding="utf-8")
                          for lang in ("en", "ko")})

    pages = raw_clean_pages(validate_raw, validator)
    bases = [Base(f"raw-{lang}", "single", "raw", {"page": page})
             for lang, page in pages.items() if len(page.rows) >= 3]
    pair = raw_clean_pair(pages)
    if len(pair["ko"].rows) >= 3:
        bases.append(Base("raw-pair", "pair", "raw", pair))
    return bases


class Progress:
    def __init__(self, label: str, total: int):
        self.label, self.total, self.done = label, total, 0
        self.lock = threading.Lock()

    def __call__(self):
        with self.lock:
            self.done += 1
            print(f"\r{self.label}: {self.done}/{self.total} batches", end="", file=sys.stderr,
                  flush=True)
            if self.done == self.total:
                print(file=sys.stderr)


def check(units: list[dict[str, str]], workdir: Path, args, label: str) -> dict:
    batches = batch_up(units, args.batch)
    return run_batches(batches, workdir, args.workers, Progress(label, len(batches)))


def preflight() -> None:
    """Stop early when the installed checker cannot read the published pages (others may be
    editing it): a run then would measure nothing."""
    files = [str(RAW / f"llm_param_guide.{lang}.md") for lang in ("en", "ko")]
    proc = subprocess.run(validate_command() + files + ["--format", "json", "--no-write",
                                                        "--fail-on", "never"],
                          capture_output=True, text=True)
    report = parse_report(proc) or {}
    read = report.get("files", [])
    if len(read) != 2 or any(f["tables"] < 1 for f in read):
        sys.exit(f"the installed validate does not read the tables of raw/ right now "
                 f"(exit {proc.returncode}): {(proc.stderr or proc.stdout)[-500:]}")
    broken = [a["message"] for a in report["anomalies"] if a.get("name") == INTERNAL]
    if broken:
        print(f"warning: the installed validate has internal errors on raw/ right now: "
              f"{broken[0]}", file=sys.stderr)


def internal_errors(found: dict) -> int:
    return sum(a.get("name") == INTERNAL for items in found.values() for a in items)


def measure(args) -> dict:
    preflight()
    workdir = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="quality-run-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"work directory: {workdir}", file=sys.stderr)

    singles = args.pool or max(40, args.injections // 4)
    bases = raw_bases(workdir / "raw") + generated_bases(args.seed, singles, max(20, singles // 2))
    by_key = {b.key: b for b in bases}

    # The clean pages, checked as they are: the false alarms, and what a catch must be new to.
    units, names = [], {}
    for base in bases:
        names[base.key] = file_names(f"clean-{base.key}", base.kind)
        units.append(render(base.pages, names[base.key]))
    found = check(units, workdir / "clean", args, "clean pages")
    clean = {b.key: findings(b.pages, names[b.key], found) for b in bases}
    failures = internal_errors(found)

    injections = build_injections(args.seed, args.injections, bases)
    units, inj_names = [], {}
    for pid, items in injections.items():
        for i, inj in enumerate(items):
            inj_names[(pid, i)] = file_names(f"x{pid}-{i:04d}", inj.base.kind)
            units.append(render(inj.pages, inj_names[(pid, i)]))
    found = check(units, workdir / "injected", args, "injected pages")
    failures += internal_errors(found)

    patterns, details = [], []
    for pattern in PATTERNS:
        items = injections[pattern.id]
        variants = defaultdict(Counter)
        codes = Counter()
        for i, inj in enumerate(items):
            got = findings(inj.pages, inj_names[(pattern.id, i)], found)
            verdict = judge(inj, got, clean[inj.base.key])
            variants[inj.variant].update(injections=1, caught=verdict.caught_any,
                                         caught_warning_or_error=verdict.caught_warn)
            codes.update(verdict.codes)
            details.append({"pattern": pattern.id, "index": i, "variant": inj.variant,
                            "base": inj.base.key, "file": sorted(inj_names[(pattern.id, i)].values()),
                            "note": inj.note, "targets": [t.describe() for t in inj.targets],
                            "caught": verdict.caught_any,
                            "caught_warning_or_error": verdict.caught_warn,
                            "codes": verdict.codes})
        total = sum(v["injections"] for v in variants.values())
        caught = sum(v["caught"] for v in variants.values())
        caught_warn = sum(v["caught_warning_or_error"] for v in variants.values())
        used = [by_key[k] for k in sorted({inj.base.key for inj in items})]
        patterns.append({
            "pattern": pattern.id, "name": pattern.name, "informational": pattern.informational,
            "injections": total, "caught": caught, "recall": _pct(caught, total),
            "caught_warning_or_error": caught_warn,
            "recall_warning_or_error": _pct(caught_warn, total),
            "false_alarms": false_alarms(used, clean),
            "codes": dict(codes.most_common()),
            "variants": {name: {**counts, "recall": _pct(counts["caught"], counts["injections"])}
                         for name, counts in sorted(variants.items())},
        })
    result = {
        "seed": args.seed, "injections_per_pattern": args.injections,
        "validate": _version(),
        "clean_pool": {
            "all": false_alarms(bases, clean),
            "raw": false_alarms([b for b in bases if b.origin == "raw"], clean),
            "generated_single": false_alarms([b for b in bases if b.origin != "raw" and b.kind == "single"], clean),
            "generated_pairs": false_alarms([b for b in bases if b.origin != "raw" and b.kind == "pair"], clean),
        },
        "internal_errors": failures,
        "patterns": patterns,
        "injection_details": details,
    }
    if not args.keep and not args.work:
        import shutil
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def _pct(n: int, total: int) -> float:
    return round(100 * n / total, 1) if total else 0.0


def _version() -> str:
    proc = subprocess.run(validate_command() + ["--version"], capture_output=True, text=True)
    return proc.stdout.strip().removeprefix("validate").strip(" ,")


def table(result: dict) -> str:
    head = (f"{'pattern':<44} {'inj':>4} {'caught':>6} {'recall':>7} {'w/e':>5} {'recall w/e':>10}"
            f" {'FA w/e/100':>10} {'info/100':>8}  codes (catches)")
    lines = [head, "-" * len(head)]
    for p in result["patterns"]:
        fa = p["false_alarms"]
        name = f"{p['pattern']:<3} {p['name']}" + (" (info)" if p["informational"] else "")
        top = ", ".join(f"{c} {n}" for c, n in list(p["codes"].items())[:4])
        lines.append(f"{name:<44} {p['injections']:>4} {p['caught']:>6} {p['recall']:>6.1f}%"
                     f" {p['caught_warning_or_error']:>5} {p['recall_warning_or_error']:>9.1f}%"
                     f" {fa['warning_or_error_per_100_rows']:>10.2f} {fa['info_per_100_rows']:>8.2f}"
                     f"  {top}")
    lines.append("")
    lines.append("by variant:")
    for p in result["patterns"]:
        if len(p["variants"]) < 2:
            continue
        for name, v in p["variants"].items():
            lines.append(f"  {p['pattern']:<3} {name:<40} {v['injections']:>4} {v['caught']:>6}"
                         f" {v['recall']:>6.1f}%  w/e {v['caught_warning_or_error']:>4}")
    lines.append("")
    lines.append("false alarms on the clean pages (per 100 rows):")
    for name, fa in result["clean_pool"].items():
        codes = ", ".join(f"{c} {n}" for c, n in fa["codes"].items())
        lines.append(f"  {name:<17} {fa['pages']:>4} pages {fa['rows']:>5} rows   warning/error "
                     f"{fa['warning_or_error_per_100_rows']:>6.2f}   info {fa['info_per_100_rows']:>6.2f}"
                     + (f"   ({codes})" if codes else ""))
    if result["internal_errors"]:
        lines.append(f"WARNING: {result['internal_errors']} internal errors of the checker "
                     f"(left out of the figures)")
    lines.append(f"validate: {result['validate']}, seed {result['seed']}, "
                 f"{result['injections_per_pattern']} injections per pattern")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--injections", type=int, default=200, help="per pattern (default 200)")
    parser.add_argument("--json", default=str(HERE / "results.json"),
                        help="where to write the results (default tests/quality/results.json)")
    parser.add_argument("--batch", type=int, default=100, help="pages per validate process")
    parser.add_argument("--workers", type=int, default=2, help="validate processes at once")
    parser.add_argument("--pool", type=int, default=0,
                        help="clean generated single pages, and half as many pairs "
                             "(default: max(40, injections/4))")
    parser.add_argument("--work", help="keep the pages and reports in this directory")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = measure(args)
    print(table(result))
    Path(args.json).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n",
                               encoding="utf-8")
    times = os.times()
    cpu = times.user + times.system + times.children_user + times.children_system
    print(f"written {args.json}; took {time.perf_counter() - started:.0f} s "
          f"({cpu:.0f} s of CPU)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
