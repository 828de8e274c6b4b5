"""The report's figures, drawn with matplotlib as inline SVG (imported only when HTML is written).

Figures only show what the report holds: the page model says which points carry findings
(and how severe); C501's figure uses the rule's own `implied` function for its numbers.
Output is deterministic (fixed hash salt, no date, ids prefixed per figure) and every text
a document supplied (model names, flavors) is XML-escaped by matplotlib's SVG writer.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

from markupsafe import Markup, escape

MAX_MODEL_FIGURES = 40      # per table; more models are named in a note instead of drawn
MAX_GROUPS = 60             # C501 groups per figure
_ACTIVE = re.compile(r"<\s*/?\s*(script|foreignObject|iframe|object|embed|a)\b", re.I)

# Okabe-Ito colours (distinguishable with every common colour-vision deficiency), each
# series also with its own marker and line style so that colour is never the only cue.
_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")
_MARKERS = ("o", "s", "^", "v", "P", "*", "h", "<")
_LINES = ("-", "--", ":", "-.")
# Severity marks match the page's icons: error diamond, warning triangle, info circle.
SEVERITY_MARKERS = {"error": "D", "warning": "^", "info": "o"}
SEVERITY_COLOURS = {"error": "#A63D00", "warning": "#8A6100", "info": "#0B5FA5"}

_RC = {
    "svg.hashsalt": "validate-report",   # clip-path and marker ids from a fixed salt
    "svg.fonttype": "none",          # text stays text (searchable, escaped, no glyph paths)
    "text.parse_math": False,        # a `$` in a model name is a dollar, not mathtext
    "text.usetex": False,
    "font.family": "sans-serif",
    "font.size": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 9.5,
    "axes.titleweight": "bold",
    "legend.fontsize": 7.5,
    "legend.frameon": False,
    "path.simplify": False,
}


@dataclass(frozen=True)
class Figure:
    title: str
    svg: Markup           # inline SVG, safe to embed
    description: str      # what the figure shows, for the caption and screen readers


def _number(value: float) -> str:
    if value >= 1e6:
        return f"{value / 1e6:.3g}M"
    if value >= 1e3:
        return f"{value / 1e3:.3g}k"
    return f"{value:.3g}"


def _svg(figure, key: str, label: str) -> Markup:
    """The figure as inline SVG: no XML prologue, no date, ids unique on the page."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    FigureCanvasSVG(figure)
    buffer = io.StringIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing")
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    # Several figures share one page: prefix every id and every reference to one.
    text = re.sub(r'\bid="', f'id="{key}-', text)
    text = re.sub(r'url\(#', f'url(#{key}-', text)
    text = re.sub(r'xlink:href="#', f'xlink:href="#{key}-', text)
    text = text.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" class="plot" ', 1)
    if _ACTIVE.search(text):   # matplotlib escapes all text; make sure nothing slipped through
        raise ValueError("a figure's SVG contains active content")
    return Markup(text.strip())


def _new_figure(width: float, plot_height: float, left: float, top: float, bottom: float,
                right: float = 0.15):
    """A figure with one axes and fixed margins in inches (a layout engine would draw it
    twice to measure; fixed margins halve the time)."""
    from matplotlib.figure import Figure as MplFigure

    height = plot_height + top + bottom
    figure = MplFigure(figsize=(width, height))
    figure.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height,
                           bottom=bottom / height)
    return figure


def _rc():
    import matplotlib

    return matplotlib.rc_context(_RC)


def _present(value) -> bool:
    """Not None, NaN or pandas' NA."""
    return value is not None and str(value) not in ("<NA>", "nan", "NaN", "NaT")


def _columns(frame, names) -> dict[str, list]:
    """Columns as plain lists: row lookups in a loop are far cheaper than `frame.at`."""
    return {name: frame[name].tolist() for name in names if name in frame.columns}


def throughput_figures(parsed, marks: dict[int, str], key: str) -> tuple[list[Figure], list[str]]:
    """Per model: throughput against batch size, one line per accelerator (and sequence length).

    `marks` maps a row to the worst severity of the findings on its throughput cell or on
    the row; those points are ringed with the severity's shape and labelled with their line.
    Returns the figures and the models left undrawn beyond MAX_MODEL_FIGURES.
    """
    needed = ("model", "throughput", "batch_size", "accelerator")
    if not set(needed) <= set(parsed.values.columns):
        return [], []
    data = _columns(parsed.values, (*needed, "seq_len"))
    models: dict[str, list[int]] = {}
    for row, (model, throughput, batch) in enumerate(
            zip(data["model"], data["throughput"], data["batch_size"])):
        if _present(model) and _present(throughput) and _present(batch) and batch > 0:
            models.setdefault(str(model), []).append(row)
    names = list(models)
    figures = []
    with _rc():
        for number, model in enumerate(names[:MAX_MODEL_FIGURES]):
            figures.append(_model_figure(parsed, data, model, models[model], marks,
                                         f"{key}m{number}"))
    return figures, names[MAX_MODEL_FIGURES:]


def _model_figure(parsed, data: dict[str, list], model: str, rows: list[int],
                  marks: dict[int, str], key: str) -> Figure:
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    batch = {r: int(data["batch_size"][r]) for r in rows}
    throughput = {r: float(data["throughput"][r]) for r in rows}
    sequences = data.get("seq_len")
    with_seq = sequences is not None and len({str(sequences[r]) for r in rows}) > 1
    series: dict[str, list[int]] = {}
    for row in rows:
        accelerator = data["accelerator"][row]
        name = str(accelerator) if _present(accelerator) else "(no accelerator)"
        if with_seq:
            name += f", seq {int(sequences[row])}" if _present(sequences[row]) else ", seq ?"
        series.setdefault(name, []).append(row)
    entries = len(series) + len({marks[r] for r in rows if r in marks})
    legend_rows = (entries + 1) // 2
    figure = _new_figure(3.9, 2.0, left=0.62, top=0.3, bottom=0.5 + 0.16 * legend_rows + 0.05)
    axes = figure.add_subplot()
    batches = sorted(set(batch.values()))
    for number, (name, members) in enumerate(series.items()):
        members = sorted(members, key=lambda r: (batch[r], r))
        axes.plot([batch[r] for r in members], [throughput[r] for r in members], label=name,
                  color=_COLOURS[number % len(_COLOURS)], marker=_MARKERS[number % len(_MARKERS)],
                  linestyle=_LINES[number // len(_COLOURS) % len(_LINES)], linewidth=1.3,
                  markersize=5)
    for severity, marker in SEVERITY_MARKERS.items():
        flagged = [r for r in rows if marks.get(r) == severity]
        if not flagged:
            continue
        axes.scatter([batch[r] for r in flagged], [throughput[r] for r in flagged],
                     s=150, marker=marker, facecolors="none", linewidths=1.6,
                     edgecolors=SEVERITY_COLOURS[severity], label=f"has {severity} finding",
                     zorder=3)
        for r in flagged:
            axes.annotate(f"L{parsed.line(r)}", (batch[r], throughput[r]), xytext=(6, 5),
                          textcoords="offset points", fontsize=7, color=SEVERITY_COLOURS[severity])
    axes.set_xscale("log", base=2)
    axes.xaxis.set_major_locator(FixedLocator(batches))
    axes.xaxis.set_minor_locator(NullLocator())
    axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _number(v) if v else "0"))
    axes.set_ylim(bottom=0, top=max(throughput.values()) * 1.15 or 1)
    if len(batches) == 1:
        axes.set_xlim(batches[0] / 2, batches[0] * 2)
    axes.set_xlabel("batch size")
    axes.set_ylabel("throughput (tokens/s)")
    axes.set_title(model, loc="left")
    axes.grid(True, color="#dddddd", linewidth=0.6)
    figure.legend(loc="lower center", bbox_to_anchor=(0.5, 0.01), ncol=2, handlelength=2.2)
    label = f"Throughput of {model} against batch size, one line per accelerator"
    description = (f"{model}: {len(rows)} row{'s' if len(rows) != 1 else ''}, "
                   f"{len(series)} line{'s' if len(series) != 1 else ''} "
                   f"({'; '.join(series)}); ringed points carry findings.")
    return Figure(title=model, svg=_svg(figure, key, label), description=description)


def implied_samples_figure(parsed, options, marks: dict[int, str], key: str) -> Figure | None:
    """C501: each row's implied samples against its group's median and tolerance band.

    The numbers come from the rule's own `implied` function; `marks` maps the rows C501
    flagged to their severity. Rows in groups too small to judge are counted in the caption.
    """
    from matplotlib.ticker import FuncFormatter, NullFormatter

    from validate.rules.consistency.implied_samples import NEEDS, implied

    frame = parsed.values
    if not set(NEEDS) <= set(frame.columns):
        return None
    table = implied(parsed, options)      # the rule's own figures (cached on the table)
    factor = float(options.factor)
    samples, medians, levels, ratios = (table[column].tolist()
                                        for column in ("samples", "median", "level", "ratio"))
    data = _columns(frame, {*options.group_by, *options.fallback_group_by})
    groups: dict[tuple, list[int]] = {}
    for row, (sample, median, level) in enumerate(zip(samples, medians, levels)):
        if not (_present(sample) and _present(median)):
            continue
        fields = options.group_by if level == "group" else options.fallback_group_by
        values = tuple(str(data[f][row]) for f in fields if f in data)
        groups.setdefault((level, values, float(median)), []).append(row)
    if not groups:
        return None
    judged = sum(len(rows) for rows in groups.values())
    shown = list(groups.items())[:MAX_GROUPS]
    with _rc():
        names = [" on ".join(values) + ("" if level == "group" else " (all rows)")
                 for (level, values, _median), _rows in shown]
        left = min(3.2, 0.3 + 0.065 * max(len(name) for name in names))
        figure = _new_figure(7.2, 0.3 * len(shown) + 0.2, left=left, top=0.5, bottom=0.45)
        axes = figure.add_subplot()
        for y, ((level, values, median), rows) in enumerate(shown):
            axes.barh(y, median * factor - median / factor, left=median / factor, height=0.62,
                      color="#e3ecf5", edgecolor="#6f8fb0", linewidth=0.6,
                      label=f"band: median / {factor:g} to median x {factor:g}" if y == 0 else None)
            axes.plot([median, median], [y - 0.31, y + 0.31], color="#1b1b1b", linewidth=1.6,
                      label="group median" if y == 0 else None)
            plain = [r for r in rows if r not in marks]
            axes.scatter([samples[r] for r in plain], [y] * len(plain), s=16, marker="o",
                         facecolors="white", edgecolors="#1b1b1b", linewidths=0.9, zorder=3,
                         label="row" if y == 0 else None)
        for severity, marker in SEVERITY_MARKERS.items():
            points = [(y, r) for y, (_, rows) in enumerate(shown) for r in rows
                      if marks.get(r) == severity]
            if not points:
                continue
            axes.scatter([samples[r] for _, r in points], [y for y, _ in points], s=46,
                         marker=marker, zorder=4, color=SEVERITY_COLOURS[severity],
                         edgecolors="#1b1b1b", linewidths=0.6,
                         label=f"flagged by C501 ({severity})")
            for y, r in points:
                axes.annotate(f"L{parsed.line(r)} {ratios[r]:.2f}x", (samples[r], y),
                              xytext=(5, 4), textcoords="offset points", fontsize=7,
                              color=SEVERITY_COLOURS[severity])
        axes.set_xscale("log")
        axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _number(v)))
        axes.xaxis.set_minor_formatter(NullFormatter())
        axes.set_yticks(range(len(shown)), names)
        axes.set_ylim(len(shown) - 0.5, -0.5)
        axes.set_xlabel("implied samples = throughput x train time (s) / sequence length, "
                        "log scale")
        axes.grid(True, axis="x", color="#dddddd", linewidth=0.6, which="both")
        figure.legend(loc="upper center", bbox_to_anchor=(0.5, 0.995), ncol=3, handlelength=1.6)
        label = "C501 implied samples per row against each group's median and tolerance band"
        svg = _svg(figure, key, label)
    left_out = len(groups) - len(shown)
    not_judged = sum(1 for median in medians if not _present(median))
    description = (f"{judged} rows in {len(groups)} groups"
                   + (f" ({left_out} groups not drawn)" if left_out else "")
                   + f"; {not_judged} rows not judged (too few comparable rows or a value missing)."
                   + f" Tolerance factor {factor:g}.")
    return Figure(title="Implied samples against the group median (C501)", svg=svg,
                  description=description)
