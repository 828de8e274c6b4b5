"""Acceptance test: `read_tables` sees the tables GitHub's own renderer (cmark-gfm) sees.

The oracle (tests/gfm_oracle.py) renders each document with cmark-gfm, the library GitHub
uses, and reads the tables back out of the HTML. For every document, the number of tables,
each table's header and each row's cell texts (padded or cut to the header's width, as
GitHub does) and the source lines of the rows must be what `read_tables` returns.

Documents:
- every table example of the GFM spec 0.29-gfm ("Tables (extension)") and of cmark-gfm's own
  table tests (test/extensions.txt), kept verbatim under tests/fixtures/gfm/spec/;
- the tricky pages under tests/fixtures/gfm/*.md, one topic per file;
- a generated page whose first table is larger than the reader's big-table threshold;
- the wild corpus: every page of ../shared/wild (the markdown of DeepSpeed, LLaMA-Factory and
  Megatron-LM), read by path; skipped when ../shared is not beside the repository.

Front matter and Retype admonitions (`!!!` ... `!!!`) are deliberately never read by the
project; GitHub renders tables in them. They are kept out of the comparison and checked
on their own (test_front_matter_and_admonitions_are_never_read).

Per-table tests are matched to the oracle's tables by the header row's line (falling back to
the position when the reader has no table on that line), so one disagreement does not hide
the others. Known disagreements are marked xfail(strict=True) in KNOWN_* below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from gfm_oracle import blank_excluded, oracle_tables, render_html, tables_from_html
from validate import read_tables

GFM = Path(__file__).resolve().parent / "fixtures" / "gfm"
SPEC = GFM / "spec"
EXCLUDED_DOC = "excluded_front_matter_and_admonitions.md"
_EXAMPLE = re.compile(r"^`{32} example[^\n]*\n(.*?)^`{32}$", re.S | re.M)


@dataclass(frozen=True)
class Doc:
    id: str
    text: str
    path: Path | None = None
    spec_html: str | None = None     # the expected HTML written in the spec, for spec examples


def _spec_docs() -> list[Doc]:
    docs = []
    for path in sorted(SPEC.glob("*.txt")):
        source = path.read_text(encoding="utf-8")
        for number, match in enumerate(_EXAMPLE.finditer(source), start=1):
            body = match.group(1)
            markdown, _, html = body.partition("\n.\n")
            # The spec writes tabs as "→"; none of the table examples has one.
            docs.append(Doc(f"{path.stem}-{number:02d}", markdown.replace("→", "\t") + "\n",
                            spec_html=html))
    return docs


def _fixture_docs() -> list[Doc]:
    docs = []
    for path in sorted(GFM.glob("*.md")):
        if path.name == EXCLUDED_DOC:
            continue
        # Bytes decoded as they are: CRLF, lone CR and the BOM reach both sides untouched.
        docs.append(Doc(path.name, path.read_bytes().decode("utf-8"), path=path))
    return docs


_BIG_ROWS = [
    "| Llama2 13B | 24.5.0 | 2xlarge | 1,403 MiB |",
    "| a \\| b | `c|d` | e |",
    "| **bold** | _em_ | ~~s~~ | [l](http://example.com/) |",
    "| 라마 | 学習 | 👨‍👩‍👧‍👦 | &amp; |",
    "| short |",
    "| 1 | 2 | 3 | 4 | 5 | 6 |",
    "x | y | z | w",
    "|   |  | \t | |",
]


def _big_doc() -> Doc:
    header = "| model | version | flavor | vram |\n| --- | :-: | --: | :-- |\n"
    rows = []
    size = 0
    i = 0
    while size < 80 * 1024:  # over validate.reader's 64 KiB big-table threshold
        row = _BIG_ROWS[i % len(_BIG_ROWS)] + "\n"
        rows.append(row)
        size += len(row.encode("utf-8"))
        i += 1
    tail = ("plain line that is still a row\n\nAfter the big table.\n\n"
            "| small | table |\n|---|---|\n| 1 | 2 |\n")
    return Doc("generated-big-table", "Intro.\n\n" + header + "".join(rows) + tail)


SPEC_DOCS = _spec_docs()
FIXTURE_DOCS = _fixture_docs()
DOCS = SPEC_DOCS + FIXTURE_DOCS + [_big_doc()]

# --- known disagreements: where the reader's parser (pulldown-cmark) reads otherwise than
# cmark-gfm and the reader cannot mend it; remove a mark once the reader agrees (the marks
# are strict) ----------------------------------------------------------------------------------

_AUTOLINK = ("GFM extended autolinks (`www.x.com`, bare `https://...`) take the characters "
             "after them verbatim in cmark-gfm: `www.example.com&amp;x` shows '&amp;x', "
             "`www.example.com[x](y)` shows '[x](y)'; the reader resolves entities and links")
_TILDE_FLANKING = ("cmark-gfm skips `~` when it decides whether a run of `_` or `*` opens or "
                   "closes emphasis (`_e_~~s~~` shows '_e_s'); pulldown-cmark, which renders "
                   "the reader's cells, does not ('es')")

KNOWN_COUNT: dict[str, str] = {}
KNOWN_LINES: dict[str, str] = {}
KNOWN_TABLES: dict[str, str] = {
    "autolinks.md:L23": _AUTOLINK,
    "emphasis_and_tildes.md:L6": _TILDE_FLANKING,
}
# Files of the wild corpus (../shared/wild) the reader reads otherwise than cmark-gfm.
KNOWN_WILD: dict[str, str] = {}
KNOWN_EXCLUDED: str | None = None
# Files whose bytes matter (BOM, CRLF, lone CR, mixed line endings): read by path as well.
BYTE_LEVEL_FILES = ("bom.md", "crlf.md", "cr_only.md", "mixed_line_endings.md")


def _xfail(known: dict[str, str], key: str, *values):
    if key in known:
        return pytest.param(*values, id=key,
                            marks=pytest.mark.xfail(strict=True, reason=known[key]))
    return pytest.param(*values, id=key)


# --- helpers --------------------------------------------------------------------------------

def _shape(tables) -> list[tuple[list[str], list[list[str]]]]:
    return [(list(t.header), [list(r) for r in t.rows]) for t in tables]


def _describe(doc: Doc, limit: int = 6000) -> str:
    html = render_html(doc.text)
    return (f"\n--- markdown ---\n{doc.text[:limit]!r}\n--- cmark-gfm HTML ---\n{html[:limit]}")


def _table_cases():
    cases = []
    for doc in DOCS:
        for index, table in enumerate(oracle_tables(doc.text)):
            key = f"{doc.id}:L{table.line}"
            cases.append(_xfail(KNOWN_TABLES, key, doc, index))
    return cases


# --- the oracle agrees with the spec ----------------------------------------------------------

@pytest.mark.parametrize("doc", [pytest.param(d, id=d.id) for d in SPEC_DOCS])
def test_oracle_reads_the_spec_html_like_its_own(doc: Doc):
    """cmark-gfm's tables for each spec example are the tables of the spec's expected HTML."""
    assert _shape(oracle_tables(doc.text)) == _shape(tables_from_html(doc.spec_html))


def test_oracle_pads_and_cuts_rows_to_the_header_width():
    tables = oracle_tables("| a | b |\n|---|---|\n| 1 |\n| 1 | 2 | 3 |\n")
    assert _shape(tables) == [(["a", "b"], [["1", ""], ["1", "2"]])]
    assert tables[0].line == 1 and tables[0].row_lines == [3, 4]


def test_oracle_text_rules():
    html = ("<table><thead><tr><th> a \t b </th><th><code> x  y </code></th></tr></thead>"
            "<tbody><tr><td>a <!-- raw HTML omitted --> b</td><td>&amp;&#124;&nbsp;</td></tr>"
            "<tr><td><img src=\"i.png\" alt=\"alt\" /></td><td>c<em> d</em></td></tr></tbody>"
            "</table><pre><code>&lt;table&gt;</code></pre>")
    assert _shape(tables_from_html(html)) == [
        (["a b", "x  y"], [["a b", "&|\u00a0"], ["", "c d"]])]
    assert _shape(tables_from_html(html, collapse=False)) == [
        (["a \t b", "x  y"], [["a  b", "&|\u00a0"], ["", "c d"]])]


def test_oracle_header_line_after_a_paragraph():
    """cmark-gfm puts the header row on the paragraph's first line; the oracle corrects it."""
    for text, line in (("para\nmore\n| h |\n|---|\n| 1 |\n", 3), ("para\n| h |\n|---|\n", 2),
                       ("| h |\n|---|\n", 1), ("x\n\n> | h |\n> |---|\n> | 1 |\n", 3)):
        (table,) = oracle_tables(text)
        assert table.line == line, text


def test_known_disagreements_name_real_cases():
    """Every xfail key names a test case (a fixture edit that moves a table shows up here)."""
    doc_ids = {d.id for d in DOCS}
    table_ids = {f"{d.id}:L{t.line}" for d in DOCS for t in oracle_tables(d.text)}
    assert set(KNOWN_COUNT) <= doc_ids and set(KNOWN_LINES) <= doc_ids
    assert set(KNOWN_TABLES) <= table_ids


def test_oracle_never_counts_raw_html_or_code():
    text = "<table><tr><td>x</td></tr></table>\n\n```\n| a |\n|---|\n```\n"
    assert oracle_tables(text) == []


# --- the reader agrees with the oracle --------------------------------------------------------

@pytest.mark.parametrize("doc", [_xfail(KNOWN_COUNT, d.id, d) for d in DOCS])
def test_same_number_of_tables(doc: Doc):
    expected = oracle_tables(doc.text)
    got = read_tables(doc.text)
    assert [t.line for t in got] == [t.line for t in expected], _describe(doc)


@pytest.mark.parametrize("doc, index", _table_cases())
def test_same_header_and_cells(doc: Doc, index: int):
    expected = oracle_tables(doc.text)[index]
    got = read_tables(doc.text)
    mine = [t for t in got if t.line == expected.line]
    if not mine and len(got) == len(oracle_tables(doc.text)):
        mine = [got[index]]
    assert mine, f"the reader has no table with its header on line {expected.line}" + _describe(doc)
    table = mine[0]
    assert table.header == expected.header, _describe(doc)
    assert len(table.rows) == len(expected.rows), _describe(doc)
    for r, (row, want) in enumerate(zip(table.rows, expected.rows)):
        assert row == want, f"row {r} (line {expected.row_lines[r]})" + _describe(doc)


@pytest.mark.parametrize("doc", [_xfail(KNOWN_LINES, d.id, d) for d in DOCS])
def test_same_row_lines(doc: Doc):
    expected = [(t.line, t.row_lines) for t in oracle_tables(doc.text)]
    got = [(t.line, t.row_lines) for t in read_tables(doc.text)]
    assert got == expected, _describe(doc)


@pytest.mark.parametrize("doc", [pytest.param(d, id=d.id) for d in FIXTURE_DOCS
                                 if d.id in BYTE_LEVEL_FILES])
def test_reading_the_file_gives_the_same_tables(doc: Doc):
    """`read_tables(path)` decodes the file's bytes (BOM, CRLF, CR) as GitHub does."""
    expected = oracle_tables(doc.text)
    for arg in (doc.path, str(doc.path)):
        got = read_tables(arg)
        assert _shape(got) == _shape(expected)
        assert [t.row_lines for t in got] == [t.row_lines for t in expected]


# --- the wild corpus: the markdown of three public ML projects, beside the repository -----

WILD = Path(__file__).resolve().parents[2] / "shared" / "wild"
_NO_WILD = f"no ../shared/wild beside the repository ({WILD}); CI has it"


def _wild_files() -> list[Path]:
    return sorted(WILD.rglob("*.md")) if WILD.is_dir() else []


def _wild_cases():
    if not WILD.is_dir():
        return [pytest.param(None, id="wild", marks=pytest.mark.skip(reason=_NO_WILD))]
    return [_xfail(KNOWN_WILD, path.relative_to(WILD).as_posix(), path) for path in _wild_files()]


def test_wild_corpus_is_all_there():
    """DeepSpeed, LLaMA-Factory and Megatron-LM: about 370 pages (a glob gone wrong would
    leave the test below with nothing to check)."""
    if not WILD.is_dir():
        pytest.skip(_NO_WILD)
    files = _wild_files()
    assert len(files) >= 300
    assert {"DeepSpeed", "LLaMA-Factory", "Megatron-LM"} <= {
        path.relative_to(WILD).parts[0] for path in files}


@pytest.mark.parametrize("path", _wild_cases())
def test_wild_page_has_the_tables_github_shows(path: Path):
    """Every table: the same header line, header width and texts, row count, rows (as
    GitHub shows them, fitted to the header) and row lines where cmark-gfm gives them."""
    text = path.read_bytes().decode("utf-8")
    doc = Doc(path.name, text, path=path)
    expected = oracle_tables(text)
    got = read_tables(path)
    assert [t.line for t in got] == [t.line for t in expected], _describe(doc)
    for mine, want in zip(got, expected):
        where = f"table with its header on line {want.line}" + _describe(doc, 2000)
        assert len(mine.header) == len(want.header), where
        assert mine.header == want.header, where
        assert len(mine.rows) == len(want.rows), where
        assert [line for line, known in zip(mine.row_lines, want.row_lines) if known] == \
            [line for line in want.row_lines if line], where
        for r, (row, cells) in enumerate(zip(mine.rows, want.rows)):
            assert row == cells, f"row {r} (line {want.row_lines[r]}) of the " + where


# --- what the project deliberately never reads -----------------------------------------------

# --- what the project deliberately never reads -----------------------------------------------

@pytest.mark.xfail(strict=True, reason=KNOWN_EXCLUDED) if KNOWN_EXCLUDED else (lambda f: f)
def test_front_matter_and_admonitions_are_never_read():
    text = (GFM / EXCLUDED_DOC).read_text(encoding="utf-8")
    # GitHub does render tables there ...
    assert len(oracle_tables(text)) > len(oracle_tables(blank_excluded(text)))
    # ... but the project reads exactly the tables of the page without them.
    expected = oracle_tables(blank_excluded(text))
    got = read_tables(text)
    assert [(t.line, t.header, t.rows, t.row_lines) for t in got] == \
        [(t.line, t.header, t.rows, t.row_lines) for t in expected]
