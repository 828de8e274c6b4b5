"""anomalies.html as text: self-contained, escaped, deterministic (no browser needed).

The browser tests (test_html_browser.py) check the same page in Chromium.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys

import pytest

from conftest import FIXTURES, RAW, REPO

PAGES = [RAW / "llm_param_guide.en.md", RAW / "llm_param_guide.ko.md"]
INJECTED = sorted((FIXTURES / "injected").glob("*.md"))
PAYLOADS = ('<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=1">',
            '[x](javascript:window.__pwned=1)')


def run_cli(paths, out, *extra):
    """`validate PATHS --out OUT ...` from the repository, with paths relative as in CI."""
    from click.testing import CliRunner

    from validate.cli import main

    before = os.getcwd()
    os.chdir(REPO)
    try:
        result = CliRunner().invoke(main, [*(str(p.relative_to(REPO)) for p in paths),
                                           "--out", str(out), *extra])
    finally:
        os.chdir(before)
    assert result.exit_code in (0, 1), result.output
    return (out / "anomalies.html").read_text(encoding="utf-8"), \
        json.loads((out / "anomalies.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def raw_page(tmp_path_factory):
    return run_cli(PAGES, tmp_path_factory.mktemp("raw"), "--no-timestamp")


@pytest.fixture(scope="module")
def injected_page(tmp_path_factory):
    return run_cli(INJECTED, tmp_path_factory.mktemp("injected"), "--no-timestamp")


@pytest.fixture(scope="module")
def raw_report():
    from validate.config import Settings
    from validate.engine import check_paths

    return check_paths([str(p.relative_to(REPO)) for p in PAGES], Settings())


def svg_blocks(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, flags=re.S)


# --- self-contained -------------------------------------------------------------------------

def test_the_csp_forbids_loading_anything_and_allows_the_one_script_by_its_hash(raw_page):
    html, _ = raw_page
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"]
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    assert len(scripts) == 1 and html.count("<script") == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode()
    assert directives["script-src"] == f"'sha256-{digest}'"


def test_nothing_is_loaded_from_elsewhere(raw_page):
    html, _ = raw_page
    assert not re.search(r"<(link|iframe|object|embed|img|audio|video|source)\b", html)
    assert not re.search(r"\bsrc=", html)
    assert "@import" not in html and "url(http" not in html and "@font-face" not in html
    # The only absolute URLs are XML namespace names inside the inline SVG.
    outside_svg = re.sub(r"<svg\b.*?</svg>", "", html, flags=re.S)
    assert not re.search(r"https?://", outside_svg)


def test_figures_are_inline_svg_with_unique_ids_and_no_date(raw_page):
    html, _ = raw_page
    blocks = svg_blocks(html)
    assert len(blocks) >= 3        # throughput per model, and C501 per table
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "element ids repeat"
    assert "<dc:date>" not in html and "<?xml" not in html


# --- escaping ---------------------------------------------------------------------------------

def test_document_text_is_escaped_everywhere(injected_page):
    html, _ = injected_page
    assert html.count("<script") == 1
    assert "window.__pwned=1</script>" not in html
    assert "<img" not in html
    assert 'href="javascript:' not in html and "href='javascript:" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;" in html
    assert "[x](javascript:window.__pwned=1)" in html      # the source text, as text


def test_svg_text_from_documents_is_escaped(injected_page):
    html, _ = injected_page
    blocks = svg_blocks(html)
    assert blocks
    texts = " ".join(blocks)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in texts
    assert "&lt;/svg&gt;" in texts                         # a model named `... </svg>`
    assert "$x$ &amp;" in texts                            # `$` stays a dollar, no mathtext
    for block in blocks:
        assert "<script" not in block and "<foreignObject" not in block


def test_markup_in_a_table_cell_cannot_close_the_table(injected_page):
    html, _ = injected_page
    assert "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;" in html


# --- what the page shows -------------------------------------------------------------------------

def start_here(html: str) -> str:
    return html.split('<section id="start"', 1)[1].split("</section>", 1)[0]


def test_start_here_comes_first_and_lists_the_problems_in_rank_order(raw_page):
    from markupsafe import escape

    from validate.writers.html_report import SUMMARY, TODO, clip

    html, report = raw_page
    main = html.split("<main>", 1)[1]
    assert re.search(r"<section\b", main).start() == main.index('<section id="start"')
    section = start_here(html)
    entries = re.findall(r'<li id="(P\d+)" class="problem sev-(\w+)( style)?">(.*?)</li>', section,
                         flags=re.S)
    assert [(e[0], e[1]) for e in entries] == [(p["id"], p["severity"]) for p in report["problems"]]
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    for (_, _, style, body), problem in zip(entries, report["problems"]):
        primary = report["anomalies"][problem["primary"]]
        what, todo = (part.strip() for part in problem["summary"].split("What to do:"))
        assert f'<p class="what">{escape(clip(what, *SUMMARY))}</p>' in body
        assert f'<p class="todo"><b>What to do:</b> {escape(clip(todo, *TODO))}</p>' in body
        assert f"<code>{primary['code']}</code> {primary['name']}" in body
        assert f'href="#f{problem["primary"]}"' in body                  # its evidence, in the list
        links = re.findall(r'<a href="#([^"]+)">L(\d+)\b', body)
        assert links and all(anchor in ids for anchor, _ in links)
        assert int(links[0][1]) == primary["line"]                     # the primary's cell first
        assert bool(style) == ('<span class="tag">style</span>' in body)
    styles = [bool(e[2]) for e in entries]
    assert any(styles) and styles == sorted(styles)                    # style only comes last


def test_a_problems_links_lead_to_the_cells_the_tables_highlight(raw_report):
    from validate.writers.html_report import page_model

    model = page_model(raw_report, None, None)
    flagged = {cell.anchor for doc in model["documents"] for table in doc["tables"]
               for row in table.rows for cell in row.cells if cell.findings}
    for view in model["problems"] + model["folded_problems"]:
        anchors = [anchor for _, cells in view.places for anchor, _ in cells]
        expected = {model["findings"][i].anchor for i in view.problem.anomalies}
        assert set(anchors) <= expected and len(anchors) == len(set(anchors))
        assert len(anchors) + view.more == len(expected)
        cells = {model["findings"][i].anchor for i in view.problem.anomalies
                 if raw_report.findings[i].field and raw_report.findings[i].row_index is not None}
        assert cells <= flagged


def test_start_here_shows_twenty_problems_and_folds_the_rest(raw_page):
    html, report = raw_page
    section = start_here(html)
    count = len(report["problems"])
    assert count > 20
    shown, folded = section.split('<details class="fold" id="more-problems">', 1)
    assert shown.count('class="problem ') == 20
    assert folded.count('class="problem ') == count - 20
    assert f"<summary>{count - 20} more problems (P21 to P{count})</summary>" in folded


def test_a_problem_entry_stays_compact(hostile_page, raw_page):
    for html, report in (hostile_page, raw_page):
        entries = re.findall(r'<li id="P\d+".*?</li>', start_here(html), flags=re.S)
        assert len(entries) == len(report["problems"])
        sizes = [len(entry.encode("utf-8")) for entry in entries]
        print(f"\n{len(sizes)} problems: {sum(sizes) / len(sizes):,.0f} bytes each on average, "
              f"at most {max(sizes):,}")
        assert max(sizes) < 2048


def test_the_page_says_what_was_checked(raw_page):
    html, report = raw_page
    for entry in report["files"]:
        assert entry["path"] in html
        for table in entry["table_details"]:
            assert table["match"] in html
    assert f"{report['tool']['name']} {report['tool']['version']}" in html


def test_every_rule_that_fired_is_listed_with_its_summary(raw_page, raw_report):
    html, report = raw_page
    fired = {a["code"] for a in report["anomalies"]}
    rules = {rule.code: rule for rule in raw_report.rules}
    section = html.split('id="rules"', 1)[1].split("</section>", 1)[0]
    for code in fired:
        assert f"<code>{code}</code> {rules[code].name}" in section
        assert rules[code].summary.replace("'", "&#39;") in section


def test_every_finding_is_listed_once_with_its_filter_attributes(raw_page):
    html, report = raw_page
    files = dict(re.findall(r'<option value="(\d+)">([^<]+) \(\d+\)</option>', html))
    rows = re.findall(r'<tr id="f\d+" class="sev-(\w+)" data-severity="(\w+)" data-category="(\w+)" '
                      r'data-code="(\w+)" data-file="(\d+)">', html)
    expected = [(a["severity"], a["severity"], a["category"], a["code"], a["file"])
                for a in report["anomalies"]]
    assert [(*row[:4], files[row[4]]) for row in rows] == expected


def test_every_cell_finding_lands_on_its_cell(raw_report):
    from validate.writers.html_report import page_model

    model = page_model(raw_report, None, None)
    flagged = {(doc["path"], table.index, r, c)
               for doc in model["documents"] for table in doc["tables"]
               for r, row in enumerate(table.rows) for c, cell in enumerate(row.cells)
               if cell.findings}
    expected = set()
    for f in raw_report.findings:
        if f.row_index is not None and f.field is not None:
            result = next(x for x in raw_report.files if x.path == f.file)
            expected.add((f.file, f.table_index, f.row_index,
                          result.tables[f.table_index].match.columns[f.field]))
    assert flagged == expected


def test_rows_link_to_the_source_when_a_link_template_is_set(raw_report):
    from validate.writers.html_report import render_html

    link = "https://github.com/ORG/REPO/blob/main/{path}#L{line}"
    html = render_html(raw_report, None, link)
    assert 'href="https://github.com/ORG/REPO/blob/main/raw/llm_param_guide.ko.md#L47"' in html
    assert ">raw/llm_param_guide.ko.md:47</a>" in html
    assert ">raw/<wbr>llm_param_guide.ko.md:47:60</a>" in html      # wraps after the `/`


def test_a_fit_band_figure_uses_the_rules_own_analysis(raw_report, monkeypatch):
    from validate.writers.html_report import render_html

    rule = next(r for r in raw_report.rules if r.view and r.view["kind"] == "fit-band")
    calls = []
    original = rule.view["values"]

    def spy(parsed, options):
        calls.append(options)
        return original(parsed, options)

    monkeypatch.setitem(rule.view, "values", spy)
    render_html(raw_report, None, None)
    assert calls and all(o is raw_report.options["finetune_guide"][rule.code] for o in calls)


def test_figures_are_what_the_rules_declare(raw_report):
    import dataclasses

    from validate.writers.html_report import figures

    drawn = figures(raw_report)
    kinds = {rule.view["kind"] for rule in raw_report.rules if rule.view}
    assert {"lines", "fit-band"} <= kinds and drawn
    # No rule declares a figure: none is drawn.
    silent = dataclasses.replace(raw_report, rules=[dataclasses.replace(r, view=None)
                                                    for r in raw_report.rules])
    assert figures(silent) == []
    # Another rule declaring the same view draws the same figures under its name.
    lines = next(r for r in raw_report.rules if r.view and r.view["kind"] == "lines")
    other = next(r for r in raw_report.rules if r.scope == "rows" and not r.view
                 and set(r.needs) <= set(lines.needs) | {lines.view["panel"]})
    moved = dataclasses.replace(raw_report, rules=[
        dataclasses.replace(r, view=lines.view if r is other else None) for r in raw_report.rules])
    again = figures(moved)
    assert [len(t["sets"][0].figures) for t in again] == \
        [len(next(s for s in t["sets"] if not s.wide).figures) for t in drawn]


def test_every_fit_band_rule_draws_its_figure_with_its_findings_marked(raw_page, raw_report):
    html, report = raw_page
    section = html.split('<section id="figures"', 1)[1].split("</section>", 1)[0]
    declared = [r for r in raw_report.rules if r.view and r.view["kind"] == "fit-band"]
    fired = {a["code"] for a in report["anomalies"]}
    assert {"C501", "C503", "C507"} <= {r.code for r in declared} and "C503" in fired
    for rule in declared:
        assert section.count(f"<h4>{rule.code} {rule.name}: each row against") == 2   # per page
        assert (f"flagged by {rule.code}" in section) == (rule.code in fired)


def test_a_figure_that_fails_is_a_note_not_a_lost_page(raw_report, monkeypatch):
    from validate.writers.html_report import render_html

    rule = next(r for r in raw_report.rules if r.view and r.view["kind"] == "fit-band")

    def broken(parsed, options):
        raise KeyError("no such column <script>")

    monkeypatch.setitem(rule.view, "values", broken)
    html = render_html(raw_report, None, None)
    assert "This figure could not be drawn (KeyError: &#39;no such column &lt;script&gt;&#39;)" in html
    assert html.count("<script") == 1 and "</html>" in html


def test_the_writers_know_no_rule_code_and_no_guide_field():
    """A figure or view comes from a rule's declaration (`Rule.view`), never from its code."""
    writers = REPO / "validate" / "writers"
    sources = [writers / name for name in ("html_report.py", "plots.py", "html_tables.py",
                                           "html_changes.py")]
    sources += sorted((REPO / "validate" / "templates").iterdir())
    fields = ("throughput", "batch_size", "seq_len", "train_time", "accelerator", "vram", "model")
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert not re.findall(r"\b[A-Z]\d{3}\b", text), path
        quoted = [f for f in fields if re.search(rf"[\"']{f}[\"']", text)]
        assert not quoted, (path, quoted)


# --- deterministic ----------------------------------------------------------------------------

def test_the_same_input_gives_the_same_bytes_in_another_process(raw_page, tmp_path):
    html, _ = raw_page
    out = tmp_path / "again"
    subprocess.run([sys.executable, "-m", "validate", *(str(p.relative_to(REPO)) for p in PAGES),
                    "--out", str(out), "--no-timestamp"], cwd=REPO, capture_output=True, check=False)
    again = (out / "anomalies.html").read_text(encoding="utf-8")
    if again != html:
        import difflib

        diff = "\n".join(list(difflib.unified_diff(html.splitlines(), again.splitlines(),
                                                    lineterm="", n=1))[:40])
        pytest.fail(f"the page differs between two runs:\n{diff}")


def test_only_the_timestamp_line_differs_and_none_removes_it(raw_report):
    from validate.writers.html_report import render_html

    first = render_html(raw_report, "2024-01-01 00:00 UTC").splitlines()
    second = render_html(raw_report, "2025-06-30 12:34 UTC").splitlines()
    differing = [(a, b) for a, b in zip(first, second) if a != b]
    assert len(first) == len(second) and len(differing) == 1
    assert "2024-01-01 00:00 UTC" in differing[0][0]
    without = render_html(raw_report, None)
    assert "Generated" not in without
    assert without.splitlines() == [line for line in first if line != differing[0][0]]


def test_writing_the_page_imports_no_plotting_library(tmp_path):
    code = ("import sys\nfrom validate.cli import main\ntry:\n    main(sys.argv[1:])\nfinally:\n"
            "    print(sorted(m for m in ('matplotlib', 'plotly', 'bokeh') if m in sys.modules))")
    paths = [str(p.relative_to(REPO)) for p in PAGES]
    result = subprocess.run([sys.executable, "-c", code, *paths, "--out", str(tmp_path),
                             "--reports", "html"], cwd=REPO, capture_output=True, text=True,
                            check=False)
    assert (tmp_path / "anomalies.html").is_file(), result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_pages_without_findings_tables_or_a_schema_still_render(tmp_path):
    from validate.config import Settings
    from validate.engine import check_paths
    from validate.writers.html_report import render_html

    from conftest import GUIDE_HEADER, guide_row

    (tmp_path / "clean.md").write_text("# Guide\n\n" + GUIDE_HEADER + guide_row(), encoding="utf-8")
    (tmp_path / "prose.md").write_text("# Only prose\n", encoding="utf-8")
    (tmp_path / "other.md").write_text("| a | b |\n| --- | --- |\n| `<x>` | 2 |\n", encoding="utf-8")
    paths = [str(tmp_path / name) for name in ("clean.md", "prose.md", "other.md", "missing.md")]
    html = render_html(check_paths(paths, Settings()), None, None)
    assert "1 page without tables" in html and "prose.md</li>" in html and "not checked:" in html
    assert "&lt;x&gt;" in html and html.count("<script") == 1


# --- bounded size -------------------------------------------------------------------------------

def run_in(root, paths, out, *extra):
    """`validate PATHS --out OUT ...` from `root`, paths relative to it."""
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
    return (out / "anomalies.html").read_text(encoding="utf-8"), \
        json.loads((out / "anomalies.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory):
    import html_perf

    root = tmp_path_factory.mktemp("hostile")
    return run_in(root, html_perf.hostile_pages(root / "docs"), root / "out")


def test_each_finding_adds_less_than_2_kb_whatever_its_cells(hostile_page, raw_page):
    import html_perf

    for html, report in (hostile_page, raw_page):
        sizes = html_perf.bytes_per_finding(html)
        assert sorted(sizes) == list(range(len(report["anomalies"])))
        worst = max(sizes, key=sizes.get)
        print(f"\n{len(sizes)} findings: {sum(sizes.values()) / len(sizes):,.0f} bytes each on "
              f"average, at most {sizes[worst]:,} ({report['anomalies'][worst]['code']})")
        assert sizes[worst] < 2048


def test_the_page_is_a_fixed_part_the_rows_shown_and_under_2_kb_per_finding(hostile_page, raw_page):
    for html, report in (hostile_page, raw_page):
        size = len(html.encode("utf-8"))
        fixed = sum(len(block.encode("utf-8")) for block in re.findall(
            r"<style>.*?</style>|<script>.*?</script>|<section id=\"figures\".*?</section>", html,
            flags=re.S))
        shown = re.findall(r'<tr id="p?d\d+t\d+r\d+".*?</tr>', html, flags=re.S)
        rows = sum(len(re.sub(r'<div class="tip".*?</div></div>', "", row).encode("utf-8"))
                   for row in shown)
        findings = len(report["anomalies"])
        rest = size - fixed - rows
        print(f"\n{size:,} bytes: {fixed:,} style, script and figures, {rows:,} in the "
              f"{len(shown)} rows shown, {rest / findings:,.0f} per finding ({findings})")
        assert rest < 2048 * findings + 30_000     # headings, counts, rules, filters


def test_no_text_is_shown_in_full_beyond_the_cap(hostile_page):
    html, report = hostile_page
    assert len(html) < 5_000_000 // 2        # the pages hold more than 5 MB of cells
    assert not re.search(r"x{400}|(?:&#34;&lt;&amp;&gt;&#39;){80}|😀{200}", html)
    assert "(5,000,000 characters)" in html or "(5,000,0" in html
    cells = re.findall(r'<td[^>]*>(?:<span class="mark">.*?</span></span>)?(.*?)'
                       r'(?:<div class="tip"|</td>)', html, flags=re.S)
    assert max(len(re.sub(r"<[^>]+>", "", c)) for c in cells) < 1200


def test_long_paths_break_only_after_separators(hostile_page):
    from html_perf import DEEP

    html, report = hostile_page
    assert f"/<wbr>{DEEP.split('/')[-1]}/<wbr>" in html
    where = re.findall(r'<td id="w\d+">(.*?) <a ', html)
    assert where and all("/" not in part for w in where for part in w.split("/<wbr>")[1:-1])


def test_pages_without_tables_fold_into_one_line(tmp_path):
    import html_perf

    paths = html_perf.tableless_tree(tmp_path / "tree", without=300, with_tables=2)
    html, report = run_in(tmp_path, paths, tmp_path / "out")
    assert html.count("300 pages without tables</summary>") == 2     # what was checked; tables
    checked = html.split('id="checked"', 1)[1].split("</section>", 1)[0]
    assert checked.count("<tr>") == 1 + 2                             # head, two tables
    assert checked.count("<li>") == 300


# --- what changed (--since) ---------------------------------------------------------------------

GIT_ENV = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")


def commit(root, files: dict[str, str]) -> None:
    """Write `files` (name: text) under `root`, a git repository made when missing, and commit."""
    if not (root / ".git").exists():
        subprocess.run(["git", "init", "-q"], cwd=root, env=GIT_ENV, check=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    subprocess.run(["git", "add", *files], cwd=root, env=GIT_ENV, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "edit"], cwd=root, env=GIT_ENV, check=True)


def guide_rows() -> str:
    from conftest import guide_row

    return guide_row() + guide_row(accelerator="4xlarge", batch="256", vram="1,366,564 MiB",
                                   time="140m", throughput="190,949 TPS")


def changes_section(html: str) -> str:
    return html.split('<section id="changes"', 1)[1].split('<section id="checked"', 1)[0]


def test_what_changed_is_absent_without_since_and_when_nothing_changed(tmp_path):
    from conftest import GUIDE_HEADER

    root = tmp_path / "repo"
    root.mkdir()
    text = (RAW / "llm_param_guide.en.md").read_text(encoding="utf-8")
    commit(root, {"page.md": text, "other.md": "# Guide\n\n" + GUIDE_HEADER + guide_rows()})
    # Only the prose edited: the tables are what they were.
    (root / "page.md").write_text(text.replace("# LLM Fine-tuning", "# The LLM Fine-tuning"),
                                  encoding="utf-8")
    paths = [root / "page.md", root / "other.md"]
    for extra in ((), ("--since", "HEAD")):
        html, report = run_in(root, paths, tmp_path / f"out{len(extra)}", *extra)
        assert '<section id="changes"' not in html and 'href="#changes"' not in html, extra
        assert "What changed</h2>" not in html and 'class="changes' not in html, extra
        assert all(f.get("changes") in (None, []) for f in report["files"]), extra
        assert "page.md" in html and "ch0" not in html
    # The same run with one cell edited has the section, for that page only.
    (root / "page.md").write_text(text.replace("| 190,949 TPS |", "| 1,909,490 TPS |"),
                                  encoding="utf-8")
    html, report = run_in(root, paths, tmp_path / "edited", "--since", "HEAD")
    section = changes_section(html)
    assert '<a href="#changes">What changed</a>' in html
    assert section.count('<section id="ch') == 1 and "other.md" not in section
    assert "<del>190,949 TPS</del>" in section and "<ins>1,909,490 TPS</ins>" in section


def test_a_new_page_is_one_note_not_every_row(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    commit(root, {"other.md": "# Other\n"})
    page = root / "page.md"
    page.write_text((RAW / "llm_param_guide.en.md").read_text(encoding="utf-8"), encoding="utf-8")
    html, report = run_in(root, [page], tmp_path / "out", "--since", "HEAD")
    section = changes_section(html)
    rows = sum(1 for e in report["files"][0]["changes"] if e["kind"] == "added")
    assert rows > 10
    assert f"The page is new (it did not exist at the revision): all its {rows} rows" in section
    assert "<tbody>" not in section          # the tables below show every row


def test_a_huge_diff_lists_200_changes_then_counts_and_each_entry_stays_small(tmp_path):
    import html_perf

    root = tmp_path / "repo"
    root.mkdir()
    old = html_perf.large_page(600)
    commit(root, {"page.md": old})
    # Every vram cell regrouped (the same value), and one cell made huge.
    new = re.sub(r"\| ([\d,]+) MiB \|", lambda m: f"| {m.group(1).replace(',', '')} MiB |", old)
    rows = new.splitlines(keepends=True)
    rows[10] = rows[10].replace(" MiB |", " MiB " + "<b>x</b>" * 20_000 + " |", 1)
    (root / "page.md").write_text("".join(rows), encoding="utf-8")
    html, report = run_in(root, [root / "page.md"], tmp_path / "out", "--since", "HEAD")
    changed = [e for e in report["files"][0]["changes"] if e["kind"] == "changed"]
    assert len(changed) > 500
    section = changes_section(html)
    entries = re.findall(r'<tr class="ch-\w+">.*?</tr>', section, flags=re.S)
    assert len(entries) == 200
    assert f"{len(report['files'][0]['changes']) - 200:,} more changes not listed here" in section
    assert sum(e.startswith('<tr class="ch-same">') for e in entries) >= 198
    sizes = [len(e.encode("utf-8")) for e in entries]
    print(f"\n{len(changed)} cells changed: 200 listed, {sum(sizes) / 200:,.0f} bytes each on "
          f"average, at most {max(sizes):,}; the section {len(section.encode()):,} bytes")
    assert max(sizes) < 2048 and len(section.encode("utf-8")) < 200 * 1024
    assert "<b>" not in section and "(160,0" in section       # clipped, escaped
