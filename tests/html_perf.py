"""How the reviewers' page copes with a 2,000-row table: time to render, load and filter.

Run it as a script to print the figures (`python tests/html_perf.py [ROWS]`); the browser
tests import it and keep only generous limits (this machine is shared and noisy).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from conftest import GUIDE_HEADER  # noqa: E402

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
    print(f"{rows} rows, {len(report['anomalies'])} findings; `validate` run with HTML: {seconds:.1f} s; "
          f"page {figures['bytes'] / 1e6:.2f} MB, {figures['cells']} table cells")
    print(f"load: {figures['load_ms']:.0f} ms (DOMContentLoaded {figures['dom_content_loaded_ms']:.0f} ms, "
          f"load event {figures['load_event_ms']:.0f} ms)")
    print(f"filter to errors: {figures['filter_ms']:.1f} ms ({figures['shown']} of {figures['total']} "
          f"shown); back to all: {figures['reset_ms']:.1f} ms; later changes: at most "
          f"{figures['again_ms']:.1f} ms (each until the next frame is painted)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
