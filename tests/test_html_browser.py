"""anomalies.html in a real browser: Debian's Chromium driven by Playwright.

These tests never skip: without /usr/bin/chromium or Playwright they fail and say what to
install (`apt-get install -y chromium`; `pip install -e '.[test]'`). Screenshots and a PDF go
to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from browser_support import BrowserMissing, launch
from conftest import FIXTURES, RAW, REPO

PAGES = [RAW / "llm_param_guide.en.md", RAW / "llm_param_guide.ko.md"]
INJECTED = sorted((FIXTURES / "injected").glob("*.md"))
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
VISIBLE_FINDINGS = "Array.from(document.querySelectorAll('#findings-list tbody tr'))" \
                   ".filter(r => r.offsetParent !== null).length"


@pytest.fixture(scope="module")
def browser():
    try:
        with launch() as started:
            yield started
    except BrowserMissing as exc:
        pytest.fail(str(exc))


def build(paths, out: Path) -> tuple[Path, dict]:
    """`validate PATHS --out OUT --no-timestamp` from the repository, paths relative as in CI."""
    from click.testing import CliRunner

    from validate.cli import main

    before = os.getcwd()
    os.chdir(REPO)
    try:
        result = CliRunner().invoke(main, [*(str(p.relative_to(REPO)) for p in paths),
                                           "--out", str(out), "--no-timestamp"])
    finally:
        os.chdir(before)
    assert result.exit_code in (0, 1), result.output
    return out / "anomalies.html", json.loads((out / "anomalies.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    return build(PAGES, tmp_path_factory.mktemp("raw-report"))


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    return build(INJECTED, tmp_path_factory.mktemp("injected-report"))


class Opened:
    """A page with every request it attempted and every dialog it opened."""

    def __init__(self, browser, html: Path, width: int = 1280, javascript: bool = True):
        self.url = html.as_uri()
        self.context = browser.new_context(viewport={"width": width, "height": 900},
                                           java_script_enabled=javascript)
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", self._dialog)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.goto(self.url, wait_until="load")

    def _route(self, route):
        if route.request.url == self.url:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self):
        self.context.close()


@pytest.fixture
def opened(browser):
    pages = []

    def open_(html, **kwargs):
        pages.append(Opened(browser, html, **kwargs))
        return pages[-1]

    yield open_
    for page in pages:
        page.close()


def full_page_screenshot(page, path: Path) -> None:
    """The whole page, every lazily laid-out section drawn: a window as tall as the page."""
    width = page.viewport_size["width"]
    height = 0
    for _ in range(5):                  # sections take their real height once drawn
        settle(page)
        now = page.evaluate("document.documentElement.scrollHeight")
        if now == height:
            break
        height = now
        page.set_viewport_size({"width": width, "height": height})
    settle(page)
    page.screenshot(path=str(path), full_page=True)


def settle(page) -> None:
    """Wait until the browser has painted two more frames (tooltips place themselves then)."""
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def cell_findings(report) -> set:
    return {(a["file"], a["table_index"], a["row_index"], a["field"]) for a in report["anomalies"]
            if a["row_index"] is not None and a["field"] is not None}


def korean_file(report) -> str:
    return next(f["path"] for f in report["files"] if f["path"].endswith("llm_param_guide.ko.md"))


def file_option(page, path: str) -> str:
    """The file filter's value for `path` (its option reads `path (count)`)."""
    return page.eval_on_selector_all(
        "#filter-file option", "(options, path) => options.find(o => o.textContent.startsWith("
        "path + ' (')).value", path)


# --- self-contained ---------------------------------------------------------------------------

def test_the_page_requests_nothing_but_itself(raw, opened):
    html, _ = raw
    view = opened(html)
    page = view.page
    page.select_option("#filter-severity", "error")
    page.check("#hide-alone")
    for cell in page.locator(".has-tip").all()[:20]:
        cell.hover()
    page.keyboard.press("End")
    page.wait_for_timeout(300)
    assert set(view.requests) == {view.url}
    assert view.blocked == []
    assert page.evaluate("performance.getEntriesByType('resource').length") == 0
    assert view.errors == [] and view.dialogs == []
    assert page.evaluate("document.documentElement.classList.contains('js')"), \
        "the inline script did not run: is its CSP hash right?"


# --- start here ---------------------------------------------------------------------------------

IN_VIEW = """e => { const box = e.getBoundingClientRect();
    return box.width > 0 && box.top >= 0 && box.left >= 0
        && box.bottom <= innerHeight && box.right <= document.documentElement.clientWidth; }"""


def test_the_page_opens_on_start_here_with_the_problems_in_rank_order(raw, opened):
    html, report = raw
    page = opened(html).page
    first = page.locator("main section").first
    assert first.get_attribute("id") == "start"
    assert first.locator("h2").inner_text() == "Start here"
    problems = page.locator("#start li.problem")
    assert problems.evaluate_all("items => items.map(i => i.id)") == \
        [p["id"] for p in report["problems"]]
    # The first twenty are open, the rest folded; style-only problems come last, marked.
    visible = problems.evaluate_all("items => items.map(i => i.checkVisibility())")
    assert visible == [n < 20 for n in range(len(report["problems"]))] and len(visible) > 20
    tagged = problems.evaluate_all("items => items.map(i => !!i.querySelector('.tag'))")
    assert any(tagged) and tagged == sorted(tagged)
    # The first problem, with what to do about it, is on the first screen.
    top = problems.first
    assert top.evaluate(IN_VIEW)
    summary = report["problems"][0]["summary"]
    what, todo = summary.split("What to do:")
    assert top.locator(".what").inner_text() == what.strip()
    assert top.locator(".todo").inner_text() == "What to do: " + todo.strip()
    assert top.locator(".todo").evaluate("e => getComputedStyle(e).backgroundColor") != \
        top.evaluate("e => getComputedStyle(e).backgroundColor")


def test_a_problems_cell_link_leads_to_its_highlighted_cell(raw, opened):
    html, report = raw
    page = opened(html).page
    link = page.locator("#start li.problem").first.locator(".cells a").first
    target = page.locator(link.get_attribute("href"))
    assert not target.evaluate(IN_VIEW)
    link.click()
    page.wait_for_function("() => document.activeElement && document.activeElement.matches('td.flag')")
    settle(page)
    assert target.evaluate(IN_VIEW)
    assert target.evaluate("e => e.matches('table.doc-table td.flag')")
    assert target.evaluate("e => e === document.activeElement")
    # The cell is the problem's primary finding's, and its findings show.
    primary = report["anomalies"][report["problems"][0]["primary"]]
    assert primary["value"] in target.inner_text()
    assert primary["message"] in target.locator(".tip").inner_text()


def test_the_filters_still_work_below_start_here(raw, opened):
    html, report = raw
    page = opened(html).page
    problems = page.locator("#start li.problem").count()
    page.select_option("#filter-severity", "info")
    expected = sum(1 for a in report["anomalies"] if a["severity"] == "info")
    assert page.evaluate(VISIBLE_FINDINGS) == expected
    assert page.locator("#start li.problem").count() == problems
    # The evidence of an error problem is one click away; its finding in the list, hidden by
    # the filter, is shown (all are) when followed.
    first = page.locator("#start li.problem").first
    first.locator("details summary").click()
    assert first.locator("details .evidence").is_visible()
    primary = report["problems"][0]["primary"]
    assert report["anomalies"][primary]["severity"] != "info"
    assert not page.locator(f"#f{primary}").is_visible()
    first.locator("details a").click()
    page.wait_for_function(f"() => {VISIBLE_FINDINGS} === {len(report['anomalies'])}")
    settle(page)
    assert page.locator(f"#f{primary}").evaluate(IN_VIEW)
    assert page.locator("#filter-severity").input_value() == ""


def test_screenshot_of_the_top_of_the_page(raw, opened):
    html, report = raw
    ARTIFACTS.mkdir(exist_ok=True)
    page = opened(html, width=1280).page
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "report-top.png"))
    assert (ARTIFACTS / "report-top.png").stat().st_size > 10_000
    first = page.locator("#start li.problem").first
    assert first.evaluate(IN_VIEW) and first.locator(".todo").evaluate(IN_VIEW)
    assert page.locator("#counts").evaluate("e => e.getBoundingClientRect().top < innerHeight")
    phone = opened(html, width=375).page
    settle(phone)
    phone.screenshot(path=str(ARTIFACTS / "report-top-375.png"))
    assert phone.locator("#start li.problem").first.locator(".what").evaluate(IN_VIEW)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


# --- tables -------------------------------------------------------------------------------------

def test_every_cell_finding_highlights_one_focusable_cell(raw, opened):
    html, report = raw
    page = opened(html).page
    flagged = page.locator("table.doc-table td.flag")
    assert flagged.count() == len(cell_findings(report))
    assert page.locator("table.doc-table td.flag:not([tabindex='0'])").count() == 0
    rows = {(a["file"], a["table_index"], a["row_index"]) for a in report["anomalies"]
            if a["row_index"] is not None and a["field"] is None}
    assert page.locator("table.doc-table tr.row-flag").count() == len(rows)
    severities = Counter(page.eval_on_selector_all(
        "table.doc-table td.flag", "cells => cells.map(c => c.className.match(/sev-(\\w+)/)[1])"))
    assert set(severities) <= {"error", "warning", "info"} and severities["error"] == len(
        {(a["file"], a["row_index"], a["field"]) for a in report["anomalies"]
         if a["severity"] == "error" and a["field"] and a["row_index"] is not None})


def test_keyboard_focus_on_a_flagged_cell_shows_its_finding(raw, opened):
    html, report = raw
    page = opened(html).page
    region = page.locator("#documents .scroll").nth(1)       # the Korean page's table
    region.focus()
    page.keyboard.press("Tab")
    settle(page)
    focused = page.evaluate_handle("document.activeElement")
    assert focused.evaluate("e => e.matches('.has-tip')"), "Tab did not reach a flagged cell"
    tip = page.locator(":focus > .tip")
    assert tip.is_visible()
    outline = focused.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"
    text = tip.inner_text()
    anchor = focused.evaluate("e => e.id || e.parentElement.id")
    assert any(a["message"] in text and a["code"] in text for a in report["anomalies"]), text
    assert anchor
    box, window = tip.bounding_box(), page.viewport_size
    assert 0 <= box["x"] and box["x"] + box["width"] <= window["width"]
    page.keyboard.press("Escape")
    assert not tip.is_visible()


def test_hovering_a_flagged_cell_shows_its_evidence(raw, opened):
    html, _ = raw
    page = opened(html).page
    cell = page.locator("table.doc-table td.flag", has_text="1403,2189")
    cell.hover()
    tip = cell.locator(".tip")
    assert tip.is_visible()
    assert "F202" in tip.inner_text() and "group sizes" in tip.inner_text()


# --- filters -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,key,value", [
    ("severity", "severity", "warning"),
    ("category", "category", "format"),
    ("code", "code", "C501"),
    ("file", "file", "llm_param_guide.ko.md"),
])
def test_a_filter_shows_only_the_matching_findings(raw, opened, name, key, value):
    html, report = raw
    if key == "file":
        value = korean_file(report)
    page = opened(html).page
    assert page.evaluate(VISIBLE_FINDINGS) == len(report["anomalies"])
    page.select_option(f"#filter-{name}", file_option(page, value) if key == "file" else value)
    expected = sum(1 for a in report["anomalies"] if a[key] == value)
    assert 0 < expected < len(report["anomalies"])
    assert page.evaluate(VISIBLE_FINDINGS) == expected
    assert page.locator("#filter-status").inner_text() == \
        f"Showing {expected} of {len(report['anomalies'])} findings."


def test_filters_combine_and_reset(raw, opened):
    html, report = raw
    page = opened(html).page
    page.select_option("#filter-severity", "info")
    page.select_option("#filter-file", file_option(page, korean_file(report)))
    expected = sum(1 for a in report["anomalies"]
                   if a["severity"] == "info" and a["file"] == korean_file(report))
    assert page.evaluate(VISIBLE_FINDINGS) == expected
    page.select_option("#filter-code", "C501")
    assert page.evaluate(VISIBLE_FINDINGS) == 0
    assert page.locator("#filter-empty").is_visible()
    page.click("button[type=reset]")
    # A function, not an expression: Playwright evals expressions, which the CSP forbids.
    page.wait_for_function(f"() => {VISIBLE_FINDINGS} === {len(report['anomalies'])}")
    assert not page.locator("#filter-empty").is_visible()


def test_filters_are_labelled_form_controls(raw, opened):
    html, _ = raw
    page = opened(html).page
    for name in ("severity", "category", "code", "file"):
        control = page.get_by_label(name.replace("code", "rule").capitalize(), exact=True)
        assert control.evaluate("e => e.tagName") == "SELECT"
        control.focus()
        assert control.evaluate("e => getComputedStyle(e).outlineStyle") != "none"


def test_side_by_side_lines_up_the_shared_rows(raw, opened):
    html, _ = raw
    page = opened(html).page
    sides = page.locator("#translations .pair table.pair-table")
    assert sides.count() == 2
    assert page.locator("#translations td.flag").count() > 0
    page.check("#hide-alone")
    shown = [side.locator("tbody tr").evaluate_all("rows => rows.filter(r => r.offsetParent).length")
             for side in sides.all()]
    assert shown[0] == shown[1] > 0


# --- scripting off, print, phones ----------------------------------------------------------------

def test_without_scripting_everything_is_listed_and_tooltips_still_work(raw, opened):
    html, report = raw
    page = opened(html, javascript=False).page
    assert not page.locator("#filters").is_visible()
    assert not page.locator("#pair-options").is_visible()
    assert page.evaluate(VISIBLE_FINDINGS) == len(report["anomalies"])
    assert page.locator("table.doc-table td.flag").count() == len(cell_findings(report))
    cell = page.locator("table.doc-table td.flag").first
    cell.focus()
    assert cell.locator(".tip").is_visible()


def test_print_hides_the_controls_and_keeps_tables_whole(raw, opened):
    html, _ = raw
    page = opened(html, width=718).page          # A4 less 12 mm margins, in CSS pixels
    page.emulate_media(media="print")
    assert not page.locator("#filters").is_visible()
    assert page.locator(".tip").first.is_hidden()
    widths = page.eval_on_selector_all(
        "table", "tables => tables.map(t => [t.className, t.scrollWidth, t.parentElement.clientWidth])")
    assert all(width <= room for _, width, room in widths), widths     # no table is cut
    assert page.evaluate("getComputedStyle(document.querySelector('#documents .scroll')).overflowX") \
        == "visible"
    sticky = page.evaluate("Array.from(document.querySelectorAll('*'))"
                           ".filter(e => getComputedStyle(e).position === 'sticky').length")
    assert sticky == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "report-print.pdf"), format="A4", print_background=True)
    assert (ARTIFACTS / "report-print.pdf").stat().st_size > 10_000


def test_screenshots_desktop_and_phone(raw, opened):
    html, _ = raw
    ARTIFACTS.mkdir(exist_ok=True)
    desktop = opened(html, width=1280).page
    full_page_screenshot(desktop, ARTIFACTS / "report-desktop.png")
    phone = opened(html, width=375).page
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375, \
        "the page scrolls sideways at 375 px"
    wide = phone.locator("#documents .scroll").first
    assert wide.evaluate("e => e.scrollWidth > e.clientWidth")       # scrolls in its own box
    full_page_screenshot(phone, ARTIFACTS / "report-375.png")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.set_viewport_size({"width": 375, "height": 800})
    cell = phone.locator("table.doc-table td.flag").first
    cell.focus()
    settle(phone)
    box, tip = cell.locator(".tip").bounding_box(), phone.viewport_size
    assert box["x"] >= 0 and box["x"] + box["width"] <= tip["width"]
    phone.screenshot(path=str(ARTIFACTS / "report-375-tooltip.png"))


# --- hostile documents ----------------------------------------------------------------------------

def test_injected_markup_runs_nothing_and_shows_as_text(injected, opened):
    html, report = injected
    view = opened(html)
    page = view.page
    for cell in page.locator(".has-tip").all():
        cell.focus()
    page.select_option("#filter-severity", "error")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert view.dialogs == [] and view.errors == []
    assert set(view.requests) == {view.url}
    assert page.evaluate("document.scripts.length") == 1
    assert page.locator("img").count() == 0
    assert page.locator("a[href^='javascript:' i]").count() == 0
    text = page.locator("body").inner_text()
    assert "<script>window.__pwned=1</script>" in text
    assert '<img src=x onerror="window.__pwned=1">' in text
    assert "[x](javascript:window.__pwned=1)" in text
    assert page.locator("table.doc-table td.flag").count() == len(cell_findings(report))


# --- a long table --------------------------------------------------------------------------------

def test_a_2000_row_report_opens_and_filters_to_its_errors(browser, tmp_path):
    import html_perf

    html, report, seconds = html_perf.build(tmp_path, 2000)
    figures = html_perf.measure(browser, html)
    errors = sum(1 for a in report["anomalies"] if a["severity"] == "error")
    print(f"\n2000 rows, {len(report['anomalies'])} findings: validate {seconds:.1f} s, "
          f"load {figures['load_ms']:.0f} ms, filter {figures['filter_ms']:.1f} ms, "
          f"reset {figures['reset_ms']:.1f} ms, {figures['bytes'] / 1e6:.2f} MB")
    # What the page shows after filtering to errors. How fast it did so is a figure to read
    # (printed above, and by `python tests/html_perf.py`), not a pass/fail on a shared machine.
    assert figures["shown"] == errors and figures["total"] == len(report["anomalies"])


# --- hostile sizes, long paths, many pages -------------------------------------------------------

def build_in(root: Path, paths, out: Path, *extra) -> tuple[Path, dict]:
    """`validate PATHS --out OUT --no-timestamp ...` from `root`, paths relative to it."""
    from click.testing import CliRunner

    from validate.cli import main

    before = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, [*(str(p.relative_to(root)) for p in paths),
                                           "--out", str(out), "--no-timestamp", *extra])
    finally:
        os.chdir(before)
    assert result.exit_code in (0, 1), result.output
    return out / "anomalies.html", json.loads((out / "anomalies.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    import html_perf

    root = tmp_path_factory.mktemp("hostile-report")
    return build_in(root, html_perf.hostile_pages(root / "docs"), root / "out")


LINE_ENDS = """e => {
    // The last character of each line the element's text is laid out in.
    const ends = []; let last = null, top = null;
    const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.length; i++) {
            const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
            const box = range.getClientRects()[0];
            if (!box) continue;
            if (top !== null && box.top > top + 2) ends.push(last);
            top = box.top; last = node.data[i];
        }
    }
    return ends;
}"""


def test_a_long_path_wraps_at_its_separators(hostile, opened):
    html, _ = hostile
    page = opened(html).page
    cell = page.locator("#findings-list tbody tr td:first-child").first
    link = cell.locator("a").last              # "in table"
    ends = cell.evaluate(LINE_ENDS)
    text = cell.inner_text()
    assert "/" in text and len(ends) >= 2, (text, ends)
    # Every line break of the path falls after a `/` (the link after it may wrap as it likes).
    path_lines = ends[:text.count("/")]
    assert path_lines and all(end == "/" for end in path_lines[:-1]), (text, ends)
    assert link.is_visible()


def test_a_huge_prose_cell_keeps_its_row_short_until_focused(hostile, opened):
    html, _ = hostile
    page = opened(html).page
    cell = page.locator("table.doc-table td.flag.prose").first
    cell.scroll_into_view_if_needed()
    settle(page)
    row = cell.locator("xpath=..")
    before = row.bounding_box()["height"]
    assert before < 200, before
    cell.focus()
    settle(page)
    assert cell.locator(".tip").is_visible()
    assert row.bounding_box()["height"] >= before
    # In the findings list, a huge value's box is capped too.
    value = page.locator("#findings-list code.long").first
    assert value.bounding_box()["height"] < 200


def test_markup_in_file_names_runs_nothing(tmp_path, opened):
    folder = tmp_path / 'docs<img src=x onerror="window.__pwned=1">'
    folder.mkdir()
    page_text = (FIXTURES / "injected" / "page.en.md").read_text(encoding="utf-8")
    named = folder / "<script>window.__pwned=1<\\script>.en.md"
    named.write_text(page_text, encoding="utf-8")
    html, report = build_in(tmp_path, [named], tmp_path / "out")
    view = opened(html)
    page = view.page
    for cell in page.locator(".has-tip").all()[:30]:
        cell.focus()
    page.select_option("#filter-severity", "error")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert view.dialogs == [] and view.errors == [] and set(view.requests) == {view.url}
    assert page.evaluate("document.scripts.length") == 1 and page.locator("img").count() == 0
    assert 'onerror="window.__pwned=1">' in page.locator("#checked").inner_text()


def test_tooltips_carry_a_short_message_without_scripting_and_the_evidence_with_it(raw, opened):
    html, report = raw
    cell = "table.doc-table td.flag:has-text('1403,2189')"
    plain = opened(html, javascript=False).page
    plain.locator(cell).focus()
    text = plain.locator(cell).locator(".tip").inner_text()
    assert "F202" in text and "group sizes" not in text
    scripted = opened(html).page
    scripted.locator(cell).focus()
    text = scripted.locator(cell).locator(".tip").inner_text()
    message = next(a["message"] for a in report["anomalies"]
                   if a["code"] == "F202" and a["value"] == "1403,2189")
    assert message in text and "group sizes" in text


def test_the_counts_are_on_the_first_screen_of_a_tree_of_table_less_pages(tmp_path, opened):
    import html_perf

    paths = html_perf.tableless_tree(tmp_path / "tree", without=300, with_tables=2)
    html, report = build_in(tmp_path, paths, tmp_path / "out")
    page = opened(html).page
    top = page.evaluate("document.getElementById('counts').getBoundingClientRect().bottom + scrollY")
    print(f"\n302 pages (300 without tables): the counts end {top:.0f} px down the page")
    assert top < 1000
    fold = page.locator("#tableless")
    assert fold.locator("summary").inner_text() == "300 pages without tables"
    assert not fold.locator("li").first.is_visible()
    fold.locator("summary").click()
    assert fold.locator("li").first.is_visible() and fold.locator("li").count() == 300


# --- what changed (--since) -------------------------------------------------------------------

GIT_ENV = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
TENFOLD = ("| 190,949 TPS |", "| 1,909,490 TPS |")            # Llama3 8B on 4xlarge, 10x
REGROUPED = ("| 762652 MiB |", "| 762,652 MiB |")              # Mistral 7B on 2xlarge
REMOVED = "| Qwen1.5 7B | 24.5.0 | 8xlarge | True | 512 | 1024 | 1,899,079 MiB | 14m | 381,714 TPS |\n"
ADDED = "| Llama3 8B | 24.5.0 | 8xlarge | True | 512 | 2048 | 2,188,107 MiB | 81m | 390,770 TPS |\n"


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    """A page committed, then edited and committed again; `validate --since HEAD~1`."""
    import subprocess

    root = tmp_path_factory.mktemp("history")

    def git(*args):
        subprocess.run(["git", *args], cwd=root, env=GIT_ENV, check=True, capture_output=True)

    page = root / "page.md"
    text = (RAW / "llm_param_guide.en.md").read_text(encoding="utf-8")
    assert all(text.count(old) == 1 for old, _ in (TENFOLD, REGROUPED, (REMOVED, "")))
    page.write_text(text, encoding="utf-8")
    git("init", "-q")
    git("add", "page.md")
    git("commit", "-q", "-m", "the guide")
    for old, new in (TENFOLD, REGROUPED, (REMOVED, "")):
        text = text.replace(old, new)
    anchor = "| Llama2 13B | 24.5.0 | 2xlarge |"
    text = text.replace(anchor, ADDED + anchor, 1)
    page.write_text(text, encoding="utf-8")
    git("commit", "-q", "-am", "new figures")
    return build_in(root, [page], root / "out", "--since", "HEAD~1")


def test_what_changed_shows_the_edit_and_links_its_findings(edited, opened):
    html, report = edited
    changes = report["files"][0]["changes"]
    page = opened(html).page
    section = page.locator("#changes")
    assert section.locator("h2").inner_text() == "What changed"
    assert page.locator("nav.toc a[href='#changes']").is_visible()
    assert "since HEAD~1" in section.locator("h3").inner_text()
    # One entry per change of the JSON: the edited cell, the regrouped one, the rows.
    entries = section.locator("table.changes tbody tr")
    assert entries.count() == len(changes)
    assert sorted(e["kind"] for e in changes) == ["added", "changed", "changed", "removed"]

    # The 10x cell, before -> after, with its finding linked, worst first.
    tenfold = entries.filter(has_text="1,909,490 TPS")
    assert tenfold.count() == 1 and tenfold.get_attribute("class") == "ch-changed"
    assert tenfold.locator("del").inner_text() == "190,949 TPS"
    assert tenfold.locator("ins").inner_text() == "1,909,490 TPS"
    assert "throughput" in tenfold.locator("td").first.inner_text()
    slip = next(n for n, a in enumerate(report["anomalies"])
                if a["code"] == "C603" and "1,909,490" in (a["value"] or ""))
    link = tenfold.locator(f"a[href='#f{slip}']")
    assert link.count() == 1 and link.is_visible()
    assert "C603" in link.inner_text() and report["anomalies"][slip]["severity"] in link.inner_text()
    assert tenfold.locator("td").last.locator("a").first.get_attribute("href") == f"#f{slip}"
    link.click()
    settle(page)
    assert page.locator(f"#f{slip}").evaluate(IN_VIEW)
    assert page.locator(f"#f{slip}").get_attribute("data-code") == "C603"

    # The regrouped cell: the same value, written another way.
    same = entries.filter(has_text="762,652 MiB")
    assert same.get_attribute("class") == "ch-same"
    assert same.locator("del").inner_text() == "762652 MiB"
    assert "same value" in same.inner_text()

    # The added row as it reads now; the removed one as it read (no longer in the tables).
    added, removed = entries.filter(has_text="2,188,107 MiB"), entries.filter(has_text="1,899,079 MiB")
    assert added.get_attribute("class") == "ch-added" and "row added" in added.inner_text()
    assert removed.get_attribute("class") == "ch-removed" and "row removed" in removed.inner_text()
    assert removed.locator("del").inner_text() == REMOVED.strip("|\n ")
    assert page.locator("table.doc-table", has_text="1,899,079 MiB").count() == 0
    assert page.locator("table.doc-table", has_text="2,188,107 MiB").count() == 1
    style = """e => { const s = getComputedStyle(e), c = getComputedStyle(e.cells[0]);
        return [s.backgroundColor, getComputedStyle(e.cells[2]).backgroundColor,
                c.borderLeftStyle, c.borderLeftWidth]; }"""
    row_added, row_removed, row_changed = (r.evaluate(style) for r in (added, removed, tenfold))
    assert row_added[1] != row_removed[1] and row_changed[1] not in (row_added[1], row_removed[1])
    assert (row_added[2], row_removed[2]) == ("solid", "dashed")
    assert removed.locator("del").evaluate("e => getComputedStyle(e).textDecorationLine") == \
        "line-through"

    # The entry's cell link leads to the cell in the tables, which takes the focus.
    cell = tenfold.locator("td").first.locator("a")
    target = page.locator(cell.get_attribute("href"))
    cell.click()
    page.wait_for_function("() => document.activeElement && document.activeElement.matches('td.flag')")
    assert target.evaluate("e => e === document.activeElement")
    assert "1,909,490 TPS" in target.inner_text()

    ARTIFACTS.mkdir(exist_ok=True)
    section.screenshot(path=str(ARTIFACTS / "what-changed.png"))
    phone = opened(html, width=375).page
    phone.locator("#changes").screenshot(path=str(ARTIFACTS / "what-changed-375.png"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
