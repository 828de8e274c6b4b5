"""The report's figures, written as inline SVG by hand (no plotting library to import).

A rule declares the figure it supports in `Rule.view`: a kind, and the fields, options and
columns that kind reads. This module knows kinds, never rules:

- `lines`: `y` against `x` (log2 axis), one figure per value of `panel`, one line per
  combination of the `series` values. A point whose `y` cell or whose row carries a finding
  (of any rule) is ringed with its severity's shape and labelled with its line.
- `fit-band`: per group of rows (the fields the option named `groups` lists), each row's
  value as written against what the rule's model predicts for it (a ratio, log axis), and
  the tolerance band. `values(parsed, options)` is the rule's own analysis: an object with
  `fit.residual` (log of written / predicted per row, NaN when not judged) and `tolerance`
  (the largest accepted |residual| per row); `label` names the value. The declaring rule's
  own findings are marked.

The cost follows the findings, not the rows: rows are selected with numpy, and a table with
more panels or groups than a page can show (MAX_PANELS, MAX_GROUPS) draws only those with
findings, at most MAX_POINTS points each; the notes count what was left out.
Every text a document supplied is escaped (and clipped); ids are prefixed per figure; the
output is deterministic.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from validate.findings import SEVERITY_RANK
from validate.writers.html_tables import clip

MAX_PANELS = 40             # `lines` figures per table and view
MAX_GROUPS = 60             # `fit-band` groups per figure
MAX_POINTS = 120            # points per panel or group (findings first)
MAX_SERIES = 12             # lines per panel
_ACTIVE = re.compile(r"<\s*/?\s*(script|foreignObject|iframe|object|embed|a|image|use)\b", re.I)

# Okabe-Ito colours (distinguishable with every common colour-vision deficiency; the yellow
# darkened to show on white); each series also has its own marker and dash pattern, so
# colour is never the only cue.
_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#B8A000")
_SHAPES = ("circle", "square", "up", "down", "diamond", "plus", "hexagon", "left")
_DASHES = ("", "5 3", "1.5 2", "6 2 1.5 2")
# Severity marks match the page's icons: error diamond, warning triangle, info circle.
SEVERITY_SHAPES = {"error": "diamond", "warning": "up", "info": "circle"}
SEVERITY_COLOURS = {"error": "#A63D00", "warning": "#8A6100", "info": "#0B5FA5"}
_FONT = 11                  # px in the figure's own units (the SVG scales with its box)


@dataclass(frozen=True)
class Figure:
    title: str
    svg: Markup           # inline SVG, safe to embed
    description: str      # what the figure shows, for the caption


@dataclass
class FigureSet:
    """What one declared view draws for one table."""

    heading: str
    figures: list[Figure] = field(default_factory=list)
    note: str | None = None          # what was left undrawn
    wide: bool = False


# --- SVG writing -------------------------------------------------------------------------------

def _n(value: float) -> str:
    """A coordinate: one decimal, no trailing zero."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _e(text) -> str:
    return str(escape(text))


def _char_width(char: str, size: float) -> float:
    return size * (1.0 if unicodedata.east_asian_width(char) in "WF" else 0.56)


def _text_width(text: str, size: float = _FONT) -> float:
    """About how wide `text` is drawn (no font metrics at hand: wide glyphs count double)."""
    return sum(_char_width(c, size) for c in text[:400])


def _fit(text: str, width: float, size: float = _FONT) -> str:
    """`text` cut with an ellipsis to about `width` units."""
    if len(text) <= 400 and _text_width(text, size) <= width:
        return text
    room, used = width - _char_width("…", size), 0.0
    for end, char in enumerate(text):
        used += _char_width(char, size)
        if used > room:
            return text[:end] + "…"
    return text[:400] + "…"


def _number(value: float) -> str:
    if value >= 1e9:
        return f"{value / 1e9:.3g}G"
    if value >= 1e6:
        return f"{value / 1e6:.3g}M"
    if value >= 1e3:
        return f"{value / 1e3:.3g}k"
    return f"{value:.3g}"


def _shape(kind: str, x: float, y: float, r: float, attributes: str) -> str:
    """A marker centred on (x, y) with radius about `r`."""
    if kind == "circle":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" {attributes}/>'
    if kind == "square":
        s = r * 0.85
        return (f'<rect x="{_n(x - s)}" y="{_n(y - s)}" width="{_n(2 * s)}" '
                f'height="{_n(2 * s)}" {attributes}/>')
    points = {
        "up": ((0, -1.1), (1, 0.75), (-1, 0.75)),
        "down": ((0, 1.1), (1, -0.75), (-1, -0.75)),
        "left": ((-1.1, 0), (0.75, -1), (0.75, 1)),
        "diamond": ((0, -1.15), (1, 0), (0, 1.15), (-1, 0)),
        "hexagon": ((0, -1), (0.87, -0.5), (0.87, 0.5), (0, 1), (-0.87, 0.5), (-0.87, -0.5)),
        "plus": ((-0.35, -1), (0.35, -1), (0.35, -0.35), (1, -0.35), (1, 0.35), (0.35, 0.35),
                 (0.35, 1), (-0.35, 1), (-0.35, 0.35), (-1, 0.35), (-1, -0.35), (-0.35, -0.35)),
    }[kind]
    path = "M" + "L".join(f"{_n(x + dx * r)} {_n(y + dy * r)}" for dx, dy in points) + "Z"
    return f'<path d="{path}" {attributes}/>'


def _text(x: float, y: float, content: str, css: str = "", anchor: str = "",
          extra: str = "") -> str:
    attributes = f' class="{css}"' if css else ""
    attributes += f' text-anchor="{anchor}"' if anchor else ""
    return f'<text x="{_n(x)}" y="{_n(y)}"{attributes}{extra}>{_e(content)}</text>'


def _svg(parts: list[str], width: float, height: float, key: str, label: str) -> Markup:
    """The figure: its title is its accessible name; no id repeats across figures."""
    text = (f'<svg class="plot" viewBox="0 0 {_n(width)} {_n(height)}" role="img" '
            f'aria-labelledby="{key}-t"><title id="{key}-t">{_e(label)}</title>'
            + "".join(parts) + "</svg>")
    if _ACTIVE.search(text):   # every text is escaped; make sure nothing slipped through
        raise ValueError("a figure's SVG contains active content")
    return Markup(text)


def _nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round ticks from 0 to at least `top`."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [i * step for i in range(int(math.ceil(top / step - 1e-9)) + 1)]


def _log_ticks(low: float, high: float) -> list[float]:
    """Ticks at powers of ten between `low` and `high`, with 2 and 5 when they are few."""
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    ticks = [10.0 ** p for p in range(first, last + 1) if low <= 10.0 ** p <= high]
    if len(ticks) < 3:
        ticks = sorted(m * 10.0 ** p for p in range(first, last + 1) for m in (1, 2, 5)
                       if low <= m * 10.0 ** p <= high)
    return ticks


def _legend(entries: list[tuple[str, str]], width: float, top: float, columns: int
            ) -> tuple[list[str], float]:
    """Legend entries (sample SVG drawn at x 0..22 around y 0, label) in `columns` columns."""
    parts = []
    column_width = width / columns
    for number, (sample, label) in enumerate(entries):
        x = 10 + (number % columns) * column_width
        y = top + (number // columns) * 15
        parts.append(f'<g transform="translate({_n(x)} {_n(y)})">{sample}'
                     + _text(27, 4, _fit(label, column_width - 32), "legend") + "</g>")
    return parts, math.ceil(len(entries) / columns) * 15


def _mark_label(x: float, y: float, text: str, colour: str, right_edge: float,
                placed: list) -> str:
    """A point's label above and right of it (left of it near the figure's right edge),
    moved up past the labels `placed` before it instead of overlapping them."""
    width = _text_width(text, 9)
    end = x + 7 + width > right_edge
    left = x - 7 - width if end else x + 7
    y -= 6
    for _ in range(len(placed)):
        if not any(abs(y - other_y) < 10 and left < other_right and other_left < left + width
                   for other_left, other_right, other_y in placed):
            break
        y -= 10
    placed.append((left, left + width, y))
    if end:
        return _text(x - 7, y, text, "mark-label", "end", f' fill="{colour}"')
    return _text(x + 7, y, text, "mark-label", extra=f' fill="{colour}"')


def _worst_per_row(findings, keep) -> dict[int, str]:
    """Row -> worst severity of the `findings` that `keep` selects."""
    worst: dict[int, str] = {}
    for finding in findings:
        row = finding.row_index
        if row is None or not keep(finding):
            continue
        if row not in worst or SEVERITY_RANK[finding.severity] > SEVERITY_RANK[worst[row]]:
            worst[row] = finding.severity
    return worst


def _label(name: str, parsed) -> str:
    """A field as an axis names it: words, and the unit of its cleaned values."""
    spec = parsed.schema.fields.get(name)
    unit = getattr(spec, "unit", None)
    return name.replace("_", " ") + (f" ({unit})" if unit else "")


def _present(value) -> bool:
    """Not None, NaN or pandas' NA."""
    return value is not None and str(value) not in ("<NA>", "nan", "NaN", "NaT")


def _shown(value) -> str:
    """A cell value in a label: whole numbers without `.0`."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clip(str(value), 60)


def _choose(candidates, flagged, limit: int) -> list:
    """All `candidates` when they are at most `limit`, else (a long table) the first `limit`
    of those in `flagged`: a clean panel among thousands tells a reviewer nothing."""
    if len(candidates) <= limit:
        return list(candidates)
    return [c for c in candidates if c in flagged][:limit]


def _sample(rows, marked, limit: int = MAX_POINTS) -> list[int]:
    """At most `limit` of `rows`, every marked row kept, the others spread evenly."""
    rows = list(rows)
    if len(rows) <= limit:
        return rows
    keep = [r for r in rows if r in marked][:limit]
    rest = [r for r in rows if r not in marked]
    room = limit - len(keep)
    if room > 0 and rest:
        step = len(rest) / room
        keep += [rest[int(i * step)] for i in range(room)]
    return sorted(keep)


# --- kind `lines` -------------------------------------------------------------------------------

def lines(parsed, view: dict, options, findings, key: str) -> FigureSet | None:
    import numpy as np
    import pandas as pd

    x_field, y_field, panel = view["x"], view["y"], view["panel"]
    series_fields = [f for f in view.get("series", ()) if f in parsed.values.columns]
    frame = parsed.values
    if not {x_field, y_field, panel} <= set(frame.columns):
        return None
    xs = frame[x_field].to_numpy(dtype="float64", na_value=np.nan)
    ys = frame[y_field].to_numpy(dtype="float64", na_value=np.nan)
    codes, names = pd.factorize(frame[panel].astype("object"))
    usable = np.isfinite(xs) & np.isfinite(ys) & (xs > 0) & (codes >= 0)
    if not usable.any():
        return None
    marks = _worst_per_row(findings, lambda f: f.field is None or f.field == y_field)
    rows = np.flatnonzero(usable)
    panels, first = np.unique(codes[rows], return_index=True)
    candidates = [int(p) for p in panels[np.argsort(first, kind="stable")]]
    flagged = {int(codes[r]) for r in marks if 0 <= r < len(codes) and usable[r]}
    chosen = _choose(candidates, flagged, MAX_PANELS)
    members = rows[np.isin(codes[rows], chosen)]
    by_panel: dict[int, list[int]] = {}
    for row, code in zip(members.tolist(), codes[members].tolist()):
        by_panel.setdefault(code, []).append(row)
    values = {f: frame[f].iloc[members].tolist() for f in series_fields}
    position = {row: i for i, row in enumerate(members.tolist())}
    heading = (f"{_label(y_field, parsed).capitalize()} against {x_field.replace('_', ' ')}, "
               f"per {panel.replace('_', ' ')}"
               + (f"; one line per {' and '.join(f.replace('_', ' ') for f in series_fields)}"
                  if series_fields else ""))
    result = FigureSet(heading=heading)
    for number, code in enumerate(chosen):
        panel_rows = _sample(by_panel[code], marks)
        series_of = {}
        for row in panel_rows:
            series_of[row] = tuple(values[f][position[row]] for f in series_fields)
        result.figures.append(_lines_figure(
            parsed, str(names[code]), panel_rows, len(by_panel[code]), series_of, series_fields,
            xs, ys, x_field, y_field, marks, f"{key}p{number}"))
    left_out = len(candidates) - len(chosen)
    if left_out:
        with_findings = len(flagged) - len(flagged & set(chosen))
        result.note = (f"Only {panel.replace('_', ' ')} values with findings are drawn: "
                       f"{left_out:,} more not drawn"
                       + (f", {with_findings:,} of them with findings (at most {MAX_PANELS})."
                          if with_findings else ", none with a finding."))
    return result if result.figures else None


def _lines_figure(parsed, name: str, rows: list[int], total: int, series_of: dict,
                  series_fields: list[str], xs, ys, x_field: str, y_field: str,
                  marks: dict[int, str], key: str) -> Figure:
    # Series: the first field always names a line; the others only when they vary here.
    varying = [i for i, f in enumerate(series_fields)
               if i == 0 or len({str(v[i]) for v in series_of.values()}) > 1]
    series: dict[str, list[int]] = {}
    for row in rows:
        parts = []
        for i in varying:
            value = series_of[row][i]
            text = _shown(value) if _present(value) else "?"
            parts.append(text if i == 0 else f"{series_fields[i].replace('_', ' ')} {text}")
        series.setdefault(", ".join(parts) or name, []).append(row)
    drawn = list(series.items())[:MAX_SERIES]
    severities = [s for s in SEVERITY_SHAPES if any(marks.get(r) == s for r in rows)]
    width, left, right, top, plot_height = 380.0, 52.0, 14.0, 30.0, 150.0
    entries = len(drawn) + len(severities)
    legend_top = top + plot_height + 44
    height = legend_top + math.ceil(entries / 2) * 15 + 4
    plot_width = width - left - right
    bottom = top + plot_height

    batches = sorted({xs[r] for r in rows})
    low, high = math.log2(batches[0]), math.log2(batches[-1])
    pad = 0.5 if high - low < 1e-9 else (high - low) * 0.06 + 0.1
    low, high = low - pad, high + pad
    y_ticks = _nice_ticks(max(ys[r] for r in rows) * 1.1)
    y_top = y_ticks[-1] or 1.0

    def x_at(v: float) -> float:
        return left + (math.log2(v) - low) / (high - low) * plot_width

    def y_at(v: float) -> float:
        return bottom - v / y_top * plot_height

    x_ticks = batches if len(batches) <= 10 else [
        2.0 ** p for p in range(math.ceil(low), math.floor(high) + 1)][:12]

    parts = [_text(4, 14, _fit(name, width - 8, 12), "title")]
    grid = "".join(f"M{_n(left)} {_n(y_at(tick))}H{_n(width - right)}" for tick in y_ticks)
    grid += "".join(f"M{_n(x_at(tick))} {_n(top)}V{_n(bottom)}" for tick in x_ticks)
    parts.append(f'<path class="grid" d="{grid}"/><g class="tick" text-anchor="end">')
    parts.extend(_text(left - 5, y_at(tick) + 3.5, _number(tick) if tick else "0")
                 for tick in y_ticks)
    parts.append('</g><g class="tick" text-anchor="middle">')
    parts.extend(_text(x_at(tick), bottom + 13, f"{tick:g}" if tick < 1e5 else _number(tick))
                 for tick in x_ticks)
    parts.append("</g>")
    parts.append(f'<path class="axis" d="M{_n(left)} {_n(top)}V{_n(bottom)}H{_n(width - right)}"/>')
    parts.append(_text(left + plot_width / 2, bottom + 30, _label(x_field, parsed),
                       "axis-label", "middle"))
    parts.append(_text(12, top + plot_height / 2, _label(y_field, parsed), "axis-label", "middle",
                       f' transform="rotate(-90 12 {_n(top + plot_height / 2)})"'))
    legend = []
    for number, (label, members) in enumerate(drawn):
        colour, shape = _COLOURS[number % len(_COLOURS)], _SHAPES[number % len(_SHAPES)]
        dash = _DASHES[number // len(_COLOURS) % len(_DASHES)]
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        members = sorted(members, key=lambda r: (xs[r], r))
        if len(members) > 1:
            points = " ".join(f"{_n(x_at(xs[r]))},{_n(y_at(ys[r]))}" for r in members)
            parts.append(f'<polyline class="series" points="{points}" stroke="{colour}"{dashes}/>')
        parts.extend(_shape(shape, x_at(xs[r]), y_at(ys[r]), 3, f'fill="{colour}"')
                     for r in members)
        legend.append((f'<path d="M0 0H22" stroke="{colour}" stroke-width="1.4"{dashes}/>'
                       + _shape(shape, 11, 0, 3, f'fill="{colour}"'), label))
    placed: list = []
    for row in rows:
        severity = marks.get(row)
        if severity is None:
            continue
        x, y = x_at(xs[row]), y_at(ys[row])
        tip = (f"line {parsed.line(row)}: {x_field.replace('_', ' ')} {xs[row]:g}, "
               f"{y_field.replace('_', ' ')} {ys[row]:,.0f}; {severity} finding")
        colour = SEVERITY_COLOURS[severity]
        parts.append(f'<g class="mark" stroke="{colour}"><title>{_e(tip)}</title>'
                     + _shape(SEVERITY_SHAPES[severity], x, y, 7, 'fill="none"')
                     + _mark_label(x, y, f"L{parsed.line(row)}", colour, width - 2, placed)
                     + "</g>")
    for severity in severities:
        ring = f'fill="none" stroke="{SEVERITY_COLOURS[severity]}" stroke-width="1.6"'
        legend.append((_shape(SEVERITY_SHAPES[severity], 11, 0, 6, ring),
                       f"has {severity} finding"))
    legend_parts, _ = _legend(legend, width, legend_top, 2)
    parts.extend(legend_parts)
    label = f"{y_field.replace('_', ' ')} of {clip(name, 80)} against {x_field.replace('_', ' ')}"
    names = [clip(n, 60) for n, _ in drawn]
    described = "; ".join(names[:6]) + (f"; and {len(series) - 6} more" if len(series) > 6 else "")
    description = (f"{clip(name, 80)}: {total} row{'s' if total != 1 else ''}"
                   + (f" ({len(rows)} drawn)" if len(rows) < total else "")
                   + f", {len(series)} line{'s' if len(series) != 1 else ''} ({described})"
                   + (f", {len(drawn)} drawn" if len(drawn) < len(series) else "")
                   + "; ringed points carry findings.")
    return Figure(title=clip(name, 80), svg=_svg(parts, width, height, key, label),
                  description=description)


# --- kind `fit-band` ----------------------------------------------------------------------------

def fit_band(parsed, view: dict, options, findings, key: str, rule) -> FigureSet | None:
    import numpy as np

    frame = parsed.values
    found = view["values"](parsed, options)      # the rule's own verdicts (cached per table)
    ratio = np.exp(np.asarray(found.fit.residual, dtype="float64"))
    tolerance = np.asarray(found.tolerance, dtype="float64")
    judged = np.isfinite(ratio) & np.isfinite(tolerance)
    if not judged.any():
        return None
    fields = [f for f in options[view["groups"]] if f in frame.columns] if view.get("groups") else []
    rows = np.flatnonzero(judged)
    if fields:
        ids = (frame[fields].iloc[rows].astype("object")
               .groupby(fields, sort=False, dropna=False).ngroup().to_numpy())
    else:
        ids = np.zeros(len(rows), dtype="int64")
    group = np.full(len(frame), -1, dtype="int64")
    group[rows] = ids
    _, first = np.unique(ids, return_index=True)
    firsts = rows[first]                         # a row of each group, for its name
    marks = _worst_per_row(findings, lambda f: f.code == rule.code)
    flagged = {int(group[r]) for r in marks if 0 <= r < len(group) and group[r] >= 0}
    chosen = _choose(range(len(firsts)), flagged, MAX_GROUPS)
    if not chosen:
        return None
    members: dict[int, list[int]] = {}
    picked = np.flatnonzero(np.isin(group, chosen))
    for row, gid in zip(picked.tolist(), group[picked].tolist()):
        members.setdefault(gid, []).append(row)
    drawn = []
    for gid in chosen:
        name = " on ".join(_shown(frame[f].iat[int(firsts[gid])]) for f in fields) or "all rows"
        drawn.append((name, _sample(members[gid], marks), len(members[gid])))
    svg = _band_svg(parsed, drawn, ratio, tolerance, marks, view, rule, key)
    left_out = len(firsts) - len(chosen)
    undrawn_points = sum(total - len(shown) for _, shown, total in drawn)
    description = (f"{len(rows):,} rows in {len(firsts):,} groups"
                   + (f" ({undrawn_points:,} rows of large groups not drawn)"
                      if undrawn_points else "")
                   + f"; {int((~judged).sum()):,} rows not judged (too few comparable rows or a "
                     "value missing). A row is flagged outside its own tolerance; the band shows "
                     "the group's tightest.")
    figure = Figure(title=f"{rule.code} {rule.name}", svg=svg, description=description)
    with_findings = len(flagged - set(chosen))
    note = None
    if left_out:
        note = (f"Only groups with findings are drawn: {left_out:,} more not drawn"
                + (f", {with_findings:,} of them with findings (at most {MAX_GROUPS})."
                   if with_findings else ", none with a finding."))
    return FigureSet(heading=(f"{rule.code} {rule.name}: each row against what its group's "
                              "other rows predict"),
                     figures=[figure], wide=True, note=note)


def _band_svg(parsed, drawn, ratio, tolerance, marks, view, rule, key) -> Markup:
    width, right, row_height = 720.0, 18.0, 22.0
    shown = [r for _, rows, _ in drawn for r in rows]
    severities = [s for s in SEVERITY_SHAPES if any(marks.get(r) == s for r in shown)]
    legend = [
        ('<rect x="2" y="-6" width="20" height="12" class="band"/>',
         "allowed (the group's tightest)"),
        ('<path d="M12 -7V7" class="median"/>', "1x: what the other rows predict"),
        (_shape("circle", 12, 0, 3.2, 'class="point"'), "row"),
    ] + [(_shape(SEVERITY_SHAPES[s], 12, 0, 5, f'fill="{SEVERITY_COLOURS[s]}" class="flagged"'),
          f"flagged by {rule.code} ({s})") for s in severities]
    legend_parts, legend_height = _legend(legend, width, 12, 3)
    top = 12 + legend_height + 6
    label_width = min(240.0, max(_text_width(name) for name, _, _ in drawn) + 14)
    left = label_width + 6
    plot_height = row_height * len(drawn)
    bottom = top + plot_height
    height = bottom + 44
    bands = [float(min(tolerance[r] for r in rows)) for _, rows, _ in drawn]
    reach = max(max(bands), max(abs(math.log(ratio[r])) for r in shown))
    low, high = -reach / math.log(10) - 0.08, reach / math.log(10) + 0.08
    plot_width = width - left - right

    def x_at(v: float) -> float:
        return left + (math.log10(v) - low) / (high - low) * plot_width

    parts = list(legend_parts)
    ticks = _log_ticks(10 ** low, 10 ** high)
    grid = "".join(f"M{_n(x_at(tick))} {_n(top)}V{_n(bottom)}" for tick in ticks)
    parts.append(f'<path class="grid" d="{grid}"/><g class="tick" text-anchor="middle">')
    parts.extend(_text(x_at(tick), bottom + 13, f"{tick:g}x") for tick in ticks)
    parts.append('</g><g class="tick" text-anchor="end">')
    parts.extend(_text(left - 6, top + row_height * (number + 0.5) + 3.5,
                       _fit(name, label_width - 8)) for number, (name, _, _) in enumerate(drawn))
    parts.append("</g>")
    parts.append(f'<path class="axis" d="M{_n(left)} {_n(top)}V{_n(bottom)}H{_n(width - right)}"/>')
    axis = f"{clip(view.get('label', 'value'), 100)}: as written / as predicted, log scale"
    parts.append(_text(left + plot_width / 2, bottom + 31, axis, "axis-label", "middle"))
    placed: list = []
    for number, ((name, rows, _), band) in enumerate(zip(drawn, bands)):
        y = top + row_height * (number + 0.5)
        low_x, high_x = x_at(math.exp(-band)), x_at(math.exp(band))
        parts.append(f'<rect class="band" x="{_n(low_x)}" y="{_n(y - 7)}" '
                     f'width="{_n(high_x - low_x)}" height="14"/>')
        parts.append(f'<path class="median" d="M{_n(x_at(1))} {_n(y - 8)}V{_n(y + 8)}"/>')
        parts.extend(_shape("circle", x_at(ratio[r]), y, 3.2, 'class="point"')
                     for r in rows if r not in marks)
        for r in rows:
            severity = marks.get(r)
            if severity is None:
                continue
            x = x_at(ratio[r])
            tip = (f"line {parsed.line(r)}: {ratio[r]:.2f}x what the other rows predict "
                   f"(allowed {math.exp(-tolerance[r]):.2f}x to {math.exp(tolerance[r]):.2f}x); "
                   f"{severity} finding")
            parts.append(f'<g><title>{_e(tip)}</title>'
                         + _shape(SEVERITY_SHAPES[severity], x, y, 5,
                                  f'fill="{SEVERITY_COLOURS[severity]}" class="flagged"')
                         + _mark_label(x, y, f"L{parsed.line(r)} {ratio[r]:.2f}x",
                                       SEVERITY_COLOURS[severity], width - 2, placed) + "</g>")
    label = (f"{rule.code}: {view.get('label', 'value')} per row against what its group's "
             "other rows predict, with the tolerance band")
    return _svg(parts, width, height, key, label)


def draw(rule, parsed, options, findings, key: str) -> FigureSet | None:
    """The figures `rule.view` declares, for one table, or None (another kind, or no data)."""
    view = rule.view or {}
    if view.get("kind") == "lines":
        return lines(parsed, view, options, findings, key)
    if view.get("kind") == "fit-band":
        return fit_band(parsed, view, options, findings, key, rule)
    return None
