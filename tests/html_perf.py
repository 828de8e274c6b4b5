"""How the reviewers' page copes with big inputs: a long table (time to render, load and
filter), hostile pages (huge cells and messages, long paths: bytes per finding) and a tree of
pages without tables.

Run it as a script to print the figures (`python tests/html_perf.py [ROWS]`); the tests
import it and assert what the page shows and how big it is, never how fast it was (this
machine is shared and noisy).
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from conftest import GUIDE_HEADER, guide_row  # noqa: E402

# Folder and file names with no break opportunity but their separators.
DEEP = "/".join(f"section_{i:02d}_long_folder_name" for i in range(10))

ACCELERATORS = {"xlarge": 1, "2xlarge": 2, "4xlarge": 4, "8xlarge": 8}
BATCHES = (32, 64, 128, 256, 512)
SEQUENCES = (1024, 2048, 4096, 8192)


def large_page(rows: int = 2000) -> str:
    """A guide table of `rows` rows: mostly consistent, with a sprinkling of anomalies."""
    lines = ["# A long guide\n\n", GUIDE_HEADER]
    count = 0
    model = 0
    while count < rows:
        name = f"Model{model:02d} {7 + model % 6}B"
        for accelerator, units in ACCELERATORS.items():
            for seq in SEQUENCES:
                for batch in BATCHES:
                    if count == rows:
                        break
                    throughput = (9_000 * units * (1 + batch / 256) * (1 + model % 5 / 10)
                                  * (1 + seq / 16_384) + count)
                    samples = 400_000 * (1 + model % 3 / 10)
                    minutes = samples * seq / throughput / 60
                    vram = f"{int(60_000 * units * (1 + batch / 1024)) + count:,} MiB"
                    shown = f"{int(throughput):,} TPS"
                    if count % 97 == 13:
                        vram = vram.replace(",", "")                 # mixed digit grouping
                    if count % 211 == 50:
                        vram = "1403,2189"                           # bad grouping, no unit
                    if count % 149 == 7:
                        shown = f"{int(throughput * 4):,} TPS"       # implied samples too high
                    lines.append(f"| {name} | 24.5.0 | {accelerator} | True | {batch} | {seq} | "
                                 f"{vram} | {max(1, round(minutes))}m | {shown} |\n")
                    count += 1
        model += 1
    return "".join(lines)


def hostile_pages(root: Path, big: int = 5_000_000) -> list[Path]:
    """Two language versions of a page deep in long folders, whose cells are huge (a 5 MB
    cell, 200,000 characters of markup, wide and four-byte characters): every finding then
    carries a huge value, message or evidence."""
    folder = root / DEEP
    folder.mkdir(parents=True, exist_ok=True)
    junk = ['"<&>\'' * (big // 5), "모델 설명 " * 40_000, "x" * big, "😀" * 50_000]
    rows = []
    for n in range(24):
        text = junk[n % len(junk)][: big if n == 2 else 200_000]
        kind = n % 3
        if kind == 0:
            rows.append(guide_row(model=f"Model{n} 7B", vram=text))           # not a number
        elif kind == 1:
            rows.append(guide_row(model=f"{text} {n}", batch=str(2 ** (5 + n % 4))))  # prose
        else:
            rows.append(guide_row(model=f"Model{n} 7B", throughput=text + " TPS", time=""))
    english = folder / "a_long_page_name_that_goes_on_and_on.en.md"
    english.write_text("# Hostile\n\n" + GUIDE_HEADER + "".join(rows), encoding="utf-8")
    korean = folder / "a_long_page_name_that_goes_on_and_on.ko.md"
    korean.write_text("# 한국어\n\n" + GUIDE_HEADER + "".join(
        guide_row(model=f"Model{n} 7B", vram=f"{n},000 MiB") for n in range(0, 24, 3)),
        encoding="utf-8")
    return [english, korean]


def tableless_tree(root: Path, without: int = 300, with_tables: int = 2) -> list[Path]:
    """`without` pages of prose and `with_tables` guide pages, in nested folders."""
    paths = []
    for number in range(without + with_tables):
        folder = root / f"section{number % 12:02d}" / f"topic{number % 5}"
        folder.mkdir(parents=True, exist_ok=True)
        text = f"# Page {number}\n\nProse only.\n"
        if number >= without:
            text += "\n" + GUIDE_HEADER + guide_row() + guide_row(accelerator="4xlarge", batch="256")
        path = folder / f"page{number:04d}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def bytes_per_finding(html: str) -> dict[int, int]:
    """Bytes each finding adds to the page: its row in the list, its tooltips and notes."""
    sizes: dict[int, int] = {}
    patterns = (r'<tr id="f(\d+)".*?</tr>', r'<div class="tip-item" data-f="m(\d+)">.*?</div>',
                r'<li class="sev-\w+">(?:(?!</li>).)*?href="#f(\d+)">details</a></li>')
    for pattern in patterns:
        for match in re.finditer(pattern, html, flags=re.S):
            number = int(match.group(1))
            sizes[number] = sizes.get(number, 0) + len(match.group(0).encode("utf-8"))
    return sizes


def build(directory: Path, rows: int = 2000) -> tuple[Path, dict, float]:
    """Write the page, run `validate` on it; returns the HTML path, the JSON and the seconds."""
    from click.testing import CliRunner

    from validate.cli import main

    page = directory / "long_guide.md"
    page.write_text(large_page(rows), encoding="utf-8")
    out = directory / "out"
    started = time.perf_counter()
    result = CliRunner().invoke(main, [str(page), "--out", str(out), "--no-timestamp"])
    seconds = time.perf_counter() - started
    assert result.exit_code in (0, 1), result.output
    return out / "anomalies.html", json.loads((out / "anomalies.json").read_text("utf-8")), seconds


def measure(browser, html: Path) -> dict:
    """Load the page in `browser` and time it, then time a filter change and a reset."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        started = time.perf_counter()
        page.goto(html.as_uri(), wait_until="load")
        load_ms = (time.perf_counter() - started) * 1000
        navigation = page.evaluate(
            "(() => { const n = performance.getEntriesByType('navigation')[0];"
            " return {dom: n.domContentLoadedEventEnd, load: n.loadEventEnd}; })()")
        # Each change is timed until the frame that shows it has been painted.
        timings = page.evaluate("""async () => {
            const painted = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
            await painted();
            const select = document.getElementById('filter-severity');
            const rows = document.querySelectorAll('#findings-list tbody tr');
            const visible = () => Array.from(rows).filter(r => !r.hidden).length;
            const change = async (value) => {
                const t0 = performance.now();
                select.value = value;
                select.dispatchEvent(new Event('change', {bubbles: true}));
                await painted();
                return performance.now() - t0;
            };
            const filter = await change('error');
            const shown = visible();
            const reset = await change('');
            const again = [await change('warning'), await change('')];
            return {filter_ms: filter, reset_ms: reset, again_ms: Math.max(...again),
                    shown: shown, total: rows.length};
        }""")
        cells = page.evaluate("document.querySelectorAll('td').length")
        return {"load_ms": load_ms, "dom_content_loaded_ms": navigation["dom"],
                "load_event_ms": navigation["load"], "cells": cells,
                "bytes": html.stat().st_size, **timings}
    finally:
        page.close()


def main(rows: int = 2000) -> None:
    from browser_support import launch

    with tempfile.TemporaryDirectory() as directory, launch() as browser:
        html, report, seconds = build(Path(directory), rows)
        figures = measure(browser, html)
        hostile = Path(directory) / "hostile"
        pages = hostile_pages(hostile)
        sizes = _bytes_of(pages, hostile)
    print(f"{rows} rows, {len(report['anomalies'])} findings; `validate` run with HTML: {seconds:.1f} s; "
          f"page {figures['bytes'] / 1e6:.2f} MB, {figures['cells']} table cells")
    print(f"load: {figures['load_ms']:.0f} ms (DOMContentLoaded {figures['dom_content_loaded_ms']:.0f} ms, "
          f"load event {figures['load_event_ms']:.0f} ms)")
    print(f"filter to errors: {figures['filter_ms']:.1f} ms ({figures['shown']} of {figures['total']} "
          f"shown); back to all: {figures['reset_ms']:.1f} ms; later changes: at most "
          f"{figures['again_ms']:.1f} ms (each until the next frame is painted)")
    print(f"hostile pages: {len(sizes)} findings, {sum(sizes.values()) / len(sizes):,.0f} bytes each on "
          f"average, at most {max(sizes.values()):,}")


def _bytes_of(pages: list[Path], root: Path) -> dict[int, int]:
    from click.testing import CliRunner

    from validate.cli import main as validate

    out = root / "out"
    CliRunner().invoke(validate, [*(str(p) for p in pages), "--out", str(out), "--no-timestamp"])
    return bytes_per_finding((out / "anomalies.html").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
