"""A guide page as data: columns (canonical fields), rows of cell texts, and its rendering.

Pages are rendered in the published page's own format: the text above the table (front matter,
title, notes) and the header names are taken from raw/llm_param_guide.{en,ko}.md, so a
generated page differs from a real one only in its rows. Each row keeps a stable id, so a row
can be followed from a clean page to its injected copy even when rows are dropped.

Numbers are read and written in a column's own style (thousands separators or not, the unit
and the space before it), so an injected value looks like its neighbours.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from validate import read_tables

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "raw"
SCHEMAS = REPO / "schemas"

FIELDS = ["model", "platform_version", "accelerator", "advanced_parallelism", "batch_size",
          "seq_len", "tokens", "vram", "train_time", "throughput"]
KEY = ["model", "accelerator", "batch_size", "seq_len"]
MEASUREMENTS = ["vram", "train_time", "throughput"]
LANGS = ("en", "ko")
# The English page has no token column; this is the schema's English alias for it.
EN_TOKENS_HEADER = "Number of Tokens"


@dataclass
class Row:
    id: int
    cells: dict[str, str]


@dataclass
class Page:
    lang: str                       # "en" or "ko": which page's header and prose
    columns: list[str]              # canonical fields, in column order
    rows: list[Row] = field(default_factory=list)

    def copy(self) -> "Page":
        return copy.deepcopy(self)

    def row(self, row_id: int) -> Row:
        for row in self.rows:
            if row.id == row_id:
                return row
        raise KeyError(row_id)

    def render(self) -> str:
        layout = page_layout(self.lang)
        prelude = layout.prelude.rstrip("\n")
        text = prelude + "\n\n" if prelude.strip() else ""
        names = [layout.headers[f] for f in self.columns]
        text += "| " + " | ".join(names) + " |\n"
        text += "| " + " | ".join("---" for _ in names) + " |\n"
        for row in self.rows:
            text += "| " + " | ".join(row.cells.get(f, "") for f in self.columns) + " |\n"
        return text

    @property
    def header_line(self) -> int:
        layout = page_layout(self.lang)
        prelude = layout.prelude.rstrip("\n")
        return prelude.count("\n") + 3 if prelude.strip() else 1

    def line_map(self) -> dict[int, int]:
        """1-based line of each row -> the row's id."""
        first = self.header_line + 2
        return {first + i: row.id for i, row in enumerate(self.rows)}


@dataclass(frozen=True)
class Layout:
    prelude: str                    # the page's text above the table
    headers: dict[str, str]         # field -> header text


@lru_cache(maxsize=None)
def schema() -> dict:
    return yaml.safe_load((SCHEMAS / "finetune_guide.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def accelerators() -> dict[str, dict]:
    data = yaml.safe_load((SCHEMAS / "reference" / "accelerators.yaml").read_text(encoding="utf-8"))
    return data["accelerators"]


def flavor_units(flavor: str) -> float | None:
    spec = accelerators().get(flavor.strip().lower())
    return float(spec["units"]) if spec else None


def flavor_memory_mib(flavor: str) -> float | None:
    spec = accelerators().get(flavor.strip().lower())
    if not spec:
        return None
    number, unit = str(spec["memory"]).split()
    return float(number) * {"GiB": 1024, "TiB": 1024 * 1024, "MiB": 1}[unit]


def field_of_header(text: str) -> str | None:
    wanted = " ".join(text.split()).casefold()
    for name, spec in schema()["fields"].items():
        if any(" ".join(a.split()).casefold() == wanted for a in spec.get("aliases", [])):
            return name
    return None


@lru_cache(maxsize=None)
def page_layout(lang: str) -> Layout:
    path = RAW / f"llm_param_guide.{lang}.md"
    text = path.read_text(encoding="utf-8")
    table = read_tables(text)[0]
    prelude = "".join(text.splitlines(keepends=True)[: table.line - 1])
    headers = {}
    for name in table.header:
        canonical = field_of_header(name)
        if canonical is None:
            raise ValueError(f"{path}: header {name!r} names no field of finetune_guide")
        headers[canonical] = name
    if "tokens" not in headers:
        aliases = schema()["fields"]["tokens"]["aliases"]
        if EN_TOKENS_HEADER not in aliases:
            raise ValueError(f"{EN_TOKENS_HEADER!r} is no longer an alias of tokens")
        headers["tokens"] = EN_TOKENS_HEADER
    missing = [f for f in FIELDS if f not in headers]
    if missing:
        raise ValueError(f"{path}: no header for {missing}")
    return Layout(prelude, headers)


def raw_page(lang: str) -> tuple[Page, list[int]]:
    """The published page as a Page (row ids = position), and the line of each row."""
    text = (RAW / f"llm_param_guide.{lang}.md").read_text(encoding="utf-8")
    table = read_tables(text)[0]
    columns = [field_of_header(h) for h in table.header]
    rows = [Row(i, dict(zip(columns, cells))) for i, cells in enumerate(table.rows)]
    return Page(lang, columns, rows), list(table.row_lines)


# ---- numbers in a column's style -------------------------------------------------------------

_AMOUNT = re.compile(r"^\s*([0-9][0-9,]*(?:\.[0-9]+)?)(\s*)(\S.*?)?\s*$")
_SUFFIX = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


def parse_amount(text: str) -> tuple[float, str, str] | None:
    """'1,138,546 MiB' -> (1138546.0, ' ', 'MiB'); '27B' -> (27.0, '', 'B'); None if no number."""
    match = _AMOUNT.match(text or "")
    if not match:
        return None
    number, space, unit = match.groups()
    try:
        value = float(number.replace(",", ""))
    except ValueError:
        return None
    return value, space, unit or ""


def value_of(text: str, fieldname: str | None = None) -> float | None:
    """The number a cell means, in the column's plain unit (tokens with K/M/B/T expanded;
    hours and seconds of a time column turned into minutes)."""
    parsed = parse_amount(text)
    if parsed is None:
        return None
    value, _, unit = parsed
    if fieldname == "tokens" and unit.upper() in _SUFFIX:
        value *= _SUFFIX[unit.upper()]
    if fieldname == "train_time" and unit in ("h", "hr", "hrs", "hour", "hours"):
        value *= 60
    return value


@dataclass(frozen=True)
class Style:
    grouped: bool
    space: str
    unit: str

    def format(self, value: float) -> str:
        number = f"{round(value):,}" if self.grouped else str(round(value))
        return number + (self.space + self.unit if self.unit else "")


def column_style(page: Page, fieldname: str) -> Style:
    """The majority way the page writes numbers of this column."""
    grouped, spelled = Counter(), Counter()
    for row in page.rows:
        text = row.cells.get(fieldname, "")
        parsed = parse_amount(text)
        if parsed is None:
            continue
        value, space, unit = parsed
        if value >= 1000:
            grouped["," in text] += 1
        spelled[(space if unit else "", unit)] += 1
    space, unit = spelled.most_common(1)[0][0] if spelled else ("", "")
    return Style(grouped.most_common(1)[0][0] if grouped else True, space, unit)


def params_billions(model: str) -> float | None:
    match = re.search(r"(\d+(?:\.\d+)?)\s*B\b", model)
    return float(match.group(1)) if match else None
