"""Where a panel's furniture goes, decided once, in Python, for both renderers.

``scene.panel`` says what a panel shows; this module decides where its title, ticks, axis titles
and legend go (in points from the panel's top-left corner), and lays the panel out a second time
for narrow columns (``NARROW_WIDTH``), so that on a phone its text keeps its size instead of
shrinking with the figure. Both renderers (``figure.py`` at build time, ``renderer.js`` in the
browser) draw what is decided here and decide nothing themselves.

Text widths are estimated from Helvetica's metrics (the page's sans-serif is Helvetica, Arial or
alike): estimates decide where things go, never what is drawn, and the browser tests measure the
real text.

numpy and the standard library only: this module also runs in Pyodide.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .params import true_minus

if TYPE_CHECKING:
    from collections.abc import Iterable

# Panel margins in points, before the furniture asks for more (long tick labels, a wrapped title,
# a legend above the plot).
MARGIN = {"left": 46.0, "right": 12.0, "top": 24.0, "bottom": 38.0}
MARGIN_HIDDEN_AXES = {"left": 6.0, "right": 6.0, "top": 24.0, "bottom": 6.0}

# Font sizes in points. The panels are drawn at 96/72 CSS pixels per point, so MIN_TEXT, the
# smallest text a scene may ask for, shows at 10.7 px (above 10 px down to a 94 % scale).
FONT = {"tick": 9.0, "label": 9.0, "title": 10.0, "legend": 8.0, "note": 9.0}
MIN_TEXT = 8.0
LINE_HEIGHT = 1.2  # lines of a multi-line text, in font sizes
# Where a baseline goes for text aligned by its top, middle or bottom (in font sizes below the
# anchor): both renderers place baselines, so the browser's font metrics decide nothing.
BASELINE = {"top": 0.72, "middle": 0.35, "bottom": 0.0}

TICK = 3.5  # tick length
TICK_GAP = 7.0  # from the axis to a y tick label's end
X_TICK_BASELINE = 13.8  # below the x axis
X_LABEL_BASELINE = 27.0
TITLE_BASELINE = 17.0  # the first title line's, from the panel's top
LETTER_GAP = 4.0  # between a panel's letter and its title

# The legend: rows of a swatch and a label.
LEGEND = {"row": 12.0, "swatch": 12.0, "text": 17.0, "inset": 6.0, "spacing": 10.0, "pad": 2.0}
LEGEND_PLACES = ("upper right", "upper left", "lower left", "lower right")  # tried in this order

# The sides a label may take beside its point (scene.text(beside=...)), in the order tried by
# default: its direction from the point (in units of the label's gap) and its alignment there.
SIDES = {
    "right": (1.0, 0.0, "start", "middle"),
    "above": (0.0, -1.0, "middle", "bottom"),
    "left": (-1.0, 0.0, "end", "middle"),
    "below": (0.0, 1.0, "middle", "top"),
    "above right": (0.7, -0.7, "start", "bottom"),
    "above left": (-0.7, -0.7, "end", "bottom"),
    "below right": (0.7, 0.7, "start", "top"),
    "below left": (-0.7, 0.7, "end", "top"),
}
REACH = (1, 2, 3, 4, 6)  # a label tries every side at its gap, then 2, 3, 4 and 6 times as far
FARTHER = 0.5  # each step farther out costs half a sample point of data covered: a tie-breaker
RULE_WEIGHT = 2.0  # a sample point of a reference line or outline, against one of a curve or dot
ALL_ORDERS = 4  # up to this many labels in a panel, every order of placing them is tried
TEXT_AIR = 4.0  # points kept between a label beside its point and any other text: closer, they
# read as one phrase (the fourteenth graphics desk: "0.01 A vs A gap ≥ 30")

# A heatmap's colour bar, in points: its gap from the plot, its width, and the room it takes.
COLORBAR = {"gap": 8.0, "width": 8.0, "room": 44.0}

# Panels wider than this (inches) are laid out again at this width for narrow columns: a phone's
# column holds 3.4 in (330 px) at 390 px; the stylesheet switches below NARROW_COLUMN px.
NARROW_WIDTH = 3.3

# Helvetica's advance widths (1/1000 em) for ASCII 32-126, regular; bold is about 6 % wider.
_WIDTHS = (
    [278, 278, 355, 556, 556, 889, 667, 222, 333, 333, 389, 584, 278, 333, 278, 278]
    + [556] * 10
    + [278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500]
    + [667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278]
    + [278, 278, 469, 556, 222, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222]
    + [833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584]
)
_WIDTH = {chr(32 + i): w for i, w in enumerate(_WIDTHS)}
_WIDTH.update({"×": 584, "−": 584, "·": 278, "…": 1000, "–": 556, "—": 1000, "±": 584, "°": 400})
_OTHER = 600  # Greek letters, arrows and the rest


@functools.lru_cache(maxsize=4096)  # the same labels come back at every compute (in the browser)
def _advance(s: str) -> int:
    """The advance width of ``s`` in 1/1000 em: a whole number, so sums of parts are exact."""
    return sum(_WIDTH.get(c, _OTHER) for c in s)


def text_width(s: str, size: float, bold: bool = False) -> float:
    """The estimated width in points of one line of text."""
    return _width(_advance(s), size, bold)


RESERVE_SLACK = 1.08  # bold faces run wider than Helvetica's widths times 1.06 (openvla's 5 px)


def reserved_em(texts: Iterable[str]) -> float:
    """The width in em a page keeps for whichever of ``texts`` shows (a readout's or a
    control's value): the widest, in Helvetica's bold widths with some slack for the page's own
    font (counted in characters, "100%" was wider than 4ch); 0 for none."""
    widest = max((text_width(t, 1.0, bold=True) for t in texts), default=0.0)
    return math.ceil(widest * RESERVE_SLACK * 100) / 100


def widest_texts(texts: Iterable[str], count: int = 3) -> list[str]:
    """The ``count`` widest of ``texts`` in Helvetica's bold widths, widest first: the few a page
    measures in its own font to keep its widest's width (fonts differ in their widths more than
    in their order)."""
    return sorted(set(texts), key=lambda t: (-text_width(t, 1.0, bold=True), t))[:count]


def _width(advance: int, size: float, bold: bool) -> float:
    return advance / 1000 * size * (1.06 if bold else 1.0)


def wrap(s: str, width: float, size: float, bold: bool = False) -> list[str]:
    """``s`` broken at spaces into lines at most ``width`` points wide (a longer word stays
    whole); explicit line breaks are kept."""
    lines = []
    space = _advance(" ")
    for paragraph in str(s).split("\n"):
        line, advance = "", 0  # the line so far and its advance (whole numbers: exact sums)
        for word in paragraph.split(" "):
            if not line:
                line, advance = word, _advance(word)
                continue
            longer = advance + space + _advance(word)
            if _width(longer, size, bold) > width:
                lines.append(line)
                line, advance = word, _advance(word)
            else:
                line, advance = f"{line} {word}", longer
        lines.append(line)
    return lines


def text_box(x: float, y: float, s: str, size: float, anchor: str, valign: str, bold=False):
    """The estimated box (x0, y0, x1, y1) in points of a text placed at (x, y) in points, y down,
    as both renderers place it."""
    lines = str(s).split("\n")
    width = max(text_width(line, size, bold) for line in lines)
    x0 = x - {"start": 0.0, "middle": width / 2, "end": width}[anchor]
    first = first_baseline(y, size, valign, len(lines))
    top = first - BASELINE["top"] * size
    bottom = first + (len(lines) - 1) * LINE_HEIGHT * size + 0.21 * size
    return x0, top, x0 + width, bottom


def first_baseline(y: float, size: float, valign: str, count: int) -> float:
    """The baseline of the first of ``count`` lines anchored at ``y`` (points, y down)."""
    block = (count - 1) * LINE_HEIGHT * size
    shift = {"top": 0.0, "middle": block / 2, "bottom": block}[valign]
    return y + BASELINE[valign] * size - shift


# ---- ticks ---------------------------------------------------------------------------------------


def nice_ticks(lo: float, hi: float, target: int = 5) -> list[float]:
    """Round-numbered ticks covering [lo, hi] (the 1-2-5 rule)."""
    if not hi > lo:
        return [float(lo)]
    raw = (hi - lo) / target
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    count = int(math.floor((hi - first) / step + 1e-9)) + 1
    return [round(first + k * step, 12) for k in range(count)]


def tick_label(t: float) -> str:
    return true_minus(f"{t:g}") if abs(t) >= 1e-12 else "0"


def _ticks_fit(ax, length, vertical):
    """Whether an axis's tick labels leave room between them along ``length`` points."""
    lo, hi = ax["lim"]
    at = [(t - lo) / (hi - lo) * length for t in ax["ticks"]]
    if vertical:
        return all(b - a >= FONT["tick"] * 1.3 for a, b in zip(at, at[1:], strict=False))
    half = [text_width(s, FONT["tick"]) / 2 for s in ax["ticklabels"]]
    return all(
        b - a >= ha + hb + 6 for a, b, ha, hb in zip(at, at[1:], half, half[1:], strict=False)
    )


def fit_ticks(ax: dict[str, Any], length: float, vertical: bool) -> None:
    """Fewer round ticks until their labels fit ``length`` points; ticks the widget gave are
    kept as given."""
    if ax["hidden"] or ax["fixed_ticks"]:
        return
    lo, hi = ax["lim"]
    for target in (5, 4, 3, 2):
        ax["ticks"] = nice_ticks(lo, hi, target)
        ax["ticklabels"] = [tick_label(t) for t in ax["ticks"]]
        if _ticks_fit(ax, length, vertical):
            return


# ---- one layout of a panel -----------------------------------------------------------------------


def lay_out(p: dict[str, Any], width: float, height: float, letter: str) -> dict[str, Any]:
    """The furniture of panel ``p`` (its marks, axes and options, as ``scene`` finished them)
    drawn ``width`` x ``height`` inches: size, margins, axes (limits and ticks), title lines, the
    y axis title's place and the legend's. The panel is always ``width`` x ``height``: titles
    that wrap and a legend above the plot take their room from the plot."""
    layout = _fit(p, width, height, letter)
    if p["legend"] and not p.get("note"):
        layout = _with_legend(p, layout, width, height, letter)
    layout["beside"] = _beside(p["marks"], layout)
    return layout


def _with_legend(p, layout, width, height, letter):
    """``layout`` with the panel's legend placed: in the corner asked for (or, with "auto", a
    corner that covers no data), or in rows above the plot, which gives up their height."""
    labels = legend_entries(p["marks"])
    widths = [LEGEND["text"] + text_width(s, FONT["legend"]) for s in labels]
    where = _legend_place(p, layout, widths) if labels else None
    if where == "above":  # fitted again below the legend's rows (ticks for the shorter plot)
        grow, placed = 0.0, _rows(widths, layout)
        while (need := _rows_height(placed)) > grow:  # new margins may wrap a row more
            grow = need
            layout = _fit(p, width, height, letter, legend_rows=grow)
            placed = _rows(widths, layout)
        layout["legend"] = _legend_above(labels, placed, layout, grow)
    elif where:
        x0, y0, x1, y1 = _corner(where, _plot_box(layout), widths)
        entries = [
            {"label": s, "x": x0, "y": y0 + LEGEND["row"] * (i + 0.5)} for i, s in enumerate(labels)
        ]
        layout["legend"] = {"place": where, "box": [x0, y0, x1, y1], "entries": entries}
    return layout


def _fit(
    p: dict[str, Any], width: float, height: float, letter: str, legend_rows: float = 0
) -> dict[str, Any]:
    """Margins, limits, ticks and title lines for a plot below the title and ``legend_rows``
    points of legend."""
    hidden = p["x"]["hidden"] and p["y"]["hidden"]
    margin = dict(MARGIN_HIDDEN_AXES if hidden else MARGIN)
    x, y = dict(p["x"]), dict(p["y"])
    titled = bool(p["title"] or letter)
    W = width * 72
    if any("colorbar" in m for m in p["marks"]):
        margin["right"] += COLORBAR["room"]
    # A few rounds: the margins depend on the tick labels, which depend (on an equal-aspect panel)
    # on the limits, which depend on the margins.
    for _ in range(3):
        # The title, after the letter, wrapped to the panel's width.
        title_x = margin["left"] + (
            text_width(letter, FONT["title"], True) + LETTER_GAP if letter and p["title"] else 0
        )
        titles = wrap(p["title"], W - title_x - 4, FONT["title"]) if p["title"] else []
        lines = max(len(titles), 1) - 1
        margin["top"] = MARGIN["top"] + LINE_HEIGHT * FONT["title"] * lines if titled else 8
        margin["top"] += legend_rows
        pw = W - margin["left"] - margin["right"]
        ph = height * 72 - margin["top"] - margin["bottom"]
        if p["equal"]:
            _equalize(x, y, p["x"]["lim"], p["y"]["lim"], pw, ph)
        fit_ticks(x, pw, vertical=False)
        fit_ticks(y, ph, vertical=True)
        ylabel = None
        if not y["hidden"]:
            widest = max((text_width(s, FONT["tick"]) for s in y["ticklabels"]), default=0)
            # the y title's glyphs reach 6.5 pt left of its baseline, 5 pt left of the labels
            need = TICK_GAP + widest + (14 if y["label"] else 3)
            margin["left"] = max(MARGIN["left"], need)
            ylabel = margin["left"] - TICK_GAP - widest - 5
        if not x["hidden"] and x["ticks"]:
            lo, hi = x["lim"]
            last = x["ticks"][-1]
            past = text_width(x["ticklabels"][-1], FONT["tick"]) / 2 - (hi - last) / (hi - lo) * pw
            margin["right"] = max(margin["right"], past + 2)
    return {
        "size": [width, height],
        "margin": margin,
        "x": x,
        "y": y,
        "titles": titles,
        "title_x": title_x,
        "ylabel": ylabel,
        "legend": None,
    }


def _equalize(x, y, xlim, ylim, pw, ph):
    """Widen one axis's limits so a data unit is as long across as up (both renderers then just
    follow the limits)."""
    (x0, x1), (y0, y1) = xlim, ylim
    scale = max((x1 - x0) / pw, (y1 - y0) / ph)
    for ax, (lo, hi), room in ((x, (x0, x1), pw), (y, (y0, y1), ph)):
        mid, half = (lo + hi) / 2, scale * room / 2
        ax["lim"] = [mid - half, mid + half]


# ---- the legend ----------------------------------------------------------------------------------


def legend_entries(marks) -> list[str]:
    """The legend's labels: each label once, in the order of the marks that carry it."""
    return list(dict.fromkeys(m["label"] for m in marks if m.get("label")))


def _plot_box(layout):
    m, (w_in, h_in) = layout["margin"], layout["size"]
    return (m["left"], m["top"], w_in * 72 - m["right"], h_in * 72 - m["bottom"])


def _legend_place(p, layout, widths):
    """A corner of the plot: the one asked for, or with "auto" the first that covers no data;
    "above" when none is free."""
    if p["legend"] != "auto":
        return p["legend"]
    ink = _Ink(placed_marks(p["marks"], _beside(p["marks"], layout)), layout)
    box = _plot_box(layout)
    return next((c for c in LEGEND_PLACES if not ink.covers(_corner(c, box, widths))), "above")


def _corner(where, box, widths):
    """The legend's box, as one column in a corner of the plot."""
    left, top, right, bottom = box
    w, h = max(widths), LEGEND["row"] * len(widths)
    x0 = right - LEGEND["inset"] - w if "right" in where else left + LEGEND["inset"]
    y0 = bottom - 4 - h if "lower" in where else top + 4
    return x0, y0, x0 + w, y0 + h


def _rows(widths, layout):
    """The row and x of each entry of a legend above the plot, wrapped at its width."""
    m = layout["margin"]
    right = layout["size"][0] * 72 - m["right"]
    row, x, placed = -1, None, []
    for w in widths:
        if x is None or (x + w > right and x > m["left"]):  # a new row
            row, x = row + 1, m["left"]
        placed.append((row, x))
        x += w + LEGEND["spacing"]
    return placed


def _rows_height(placed):
    return (placed[-1][0] + 1) * LEGEND["row"] + 2 * LEGEND["pad"]


def _legend_above(labels, placed, layout, grow):
    """Rows of entries (``placed`` by ``_rows``) between the title and the plot, in the ``grow``
    points the plot gave up."""
    m = layout["margin"]
    y0 = m["top"] - grow - LEGEND["pad"]
    rows = placed[-1][0] + 1
    entries = [
        {"label": s, "x": x, "y": y0 + LEGEND["row"] * (row + 0.5)}
        for s, (row, x) in zip(labels, placed, strict=True)
    ]
    right = layout["size"][0] * 72 - m["right"]
    return {
        "place": "above",
        "box": [m["left"], y0, right, y0 + rows * LEGEND["row"]],
        "entries": entries,
    }


# ---- labels beside their points ----------------------------------------------------------------


def _beside(marks, layout) -> list[dict[str, Any]]:
    """Where each label beside its point goes (``scene.text(beside=...)``, by ``slot``): at the
    place (its sides at its gap, then farther: ``REACH``) where it covers least of the lines,
    dots, outlines, reference lines, texts, corner legend and labels placed before it, staying
    inside the plot, the nearest first: a place farther out must cover less (``FARTHER``). Each
    label placed is an obstacle for the next: of the orders of placing them (``ALL_ORDERS``),
    the one covering least wins, so that an easy label does not take the one place a hard one
    has. Every place of a label is weighed at once (in Pyodide each numpy call costs)."""
    labels = sorted((k for k in marks if "slot" in k), key=lambda k: k["slot"])
    if not labels:
        return []
    plot = _plot_box(layout)
    inks: dict[Any, _Ink] = {}

    def places(k):
        """(costs, extra costs for distance, dx/dy/anchor/valign, boxes) of the places of label
        ``k``, nearest first: what each covers, and a little for each step farther out."""
        frame = k.get("frame")
        if frame not in inks:  # what this label's frame shows, less the labels being placed
            shown = [m for m in marks if "slot" not in m and m.get("frame", frame) == frame]
            inks[frame] = _Ink(shown, layout)
        ink = inks[frame]
        x, y = float(ink.X(k["x"])), float(ink.Y(k["y"]))
        sides = [SIDES[side] for side in k["beside"]]
        # Each side's box at the point itself, then moved out: places reach-major, nearest first.
        at_point = np.array(
            [text_box(x, y, k["s"], k["size"], a, v, k["bold"]) for *_, a, v in sides]
        )
        moves = np.multiply.outer(np.array(REACH) * k["gap"], np.array([u[:2] for u in sides]))
        boxes = (at_point + np.tile(moves, 2)).reshape(-1, 4)  # (reach × side) × 4
        costs = _outside(boxes, plot) * 1000 + ink.count(boxes)
        costs += 100 * _overlaps(_widened(boxes, TEXT_AIR), ink.text_boxes)
        far = np.repeat(np.arange(len(REACH)) * FARTHER, len(sides))
        return costs, costs + far, boxes, moves.reshape(-1, 2), sides * len(REACH)

    options = [places(k) for k in labels]
    legend = layout["legend"]
    fixed = [legend["box"]] if legend and legend["place"] != "above" else []
    # Which places of the labels overlap which, and the legend: counted once, looked up below.
    every = np.concatenate([boxes for _, _, boxes, *_ in options])
    first = np.cumsum([0] + [len(boxes) for _, _, boxes, *_ in options]).tolist()
    crossing = _overlapping(_widened(every, TEXT_AIR), every)
    on_fixed = _overlaps(every, np.array(fixed).reshape(-1, 4))

    def place(i, placed):
        """(cost, place) of label ``i`` at its cheapest place beside those ``placed`` ({label:
        place}; a place is an index into ``every``)."""
        rows = slice(first[i], first[i + 1])
        taken = crossing[rows][:, list(placed.values())].sum(1)
        ranked = options[i][1] + 100 * (on_fixed[rows] + taken)
        best = int(np.argmin(ranked))  # the first of equals: the nearest
        return float(ranked[best]), first[i] + best

    def spots(placed):
        """Each label's offset and alignment at its place."""
        out = []
        for i, (*_, moves, sides) in enumerate(options):
            dx, dy = moves[placed[i] - first[i]]
            side = sides[placed[i] - first[i]]
            out.append({"dx": float(dx), "dy": float(dy), "anchor": side[2], "valign": side[3]})
        return out

    # A few labels: every order, the cheapest kept. More: those with the fewest free places first.
    if len(labels) > ALL_ORDERS:
        free = [int(np.count_nonzero(costs == 0)) for costs, *_ in options]
        placed: dict[int, int] = {}
        for i in sorted(range(len(labels)), key=lambda i: free[i]):
            placed[i] = place(i, placed)[1]
        return spots(placed)
    cheapest: list[Any] = [math.inf, None]

    def search(left, placed, total):
        """Every order of placing the labels ``left``, depth first in permutations' order, each
        prefix placed once; an order that already costs as much as the cheapest is left (a cost
        is never negative), so the first cheapest order wins, as a minimum over all would."""
        if not left:
            cheapest[:] = [total, placed]
            return
        for i in left:
            if total >= cheapest[0]:  # no order from here can cost less
                return
            cost, at = place(i, placed)
            if total + cost < cheapest[0]:
                search([j for j in left if j != i], {**placed, i: at}, total + cost)

    search(list(range(len(labels))), {}, 0.0)
    return spots(cheapest[1])


def placed_marks(marks, beside):
    """Copies of ``marks``, each label beside its point set where ``beside`` put it."""
    return [{**k, **beside[k["slot"]]} if "slot" in k else dict(k) for k in marks]


def _outside(boxes, plot):
    """How far (points) each of ``boxes`` (n × 4: x0, y0, x1, y1) reaches out of the plot, a
    point of air kept."""
    left, top, right, bottom = plot
    return (
        np.maximum(0.0, left + 1 - boxes[:, 0])
        + np.maximum(0.0, boxes[:, 2] - right + 1)
        + np.maximum(0.0, top + 1 - boxes[:, 1])
        + np.maximum(0.0, boxes[:, 3] - bottom + 1)
    )


def _widened(boxes, air):
    """``boxes`` (n × 4) grown by ``air`` on every side."""
    return np.asarray(boxes) + np.array([-air, -air, air, air])


def _overlapping(boxes, others):
    """Whether each of ``boxes`` (n × 4) overlaps each of ``others`` (m × 4): n × m."""
    a, b = boxes[:, None, :], np.asarray(others)[None, :, :]
    across = np.minimum(a[..., 2], b[..., 2]) > np.maximum(a[..., 0], b[..., 0])
    down = np.minimum(a[..., 3], b[..., 3]) > np.maximum(a[..., 1], b[..., 1])
    return across & down


def _overlaps(boxes, others):
    """How many of ``others`` (m × 4) each of ``boxes`` (n × 4) overlaps."""
    if not len(others):
        return np.zeros(len(boxes))
    return _overlapping(boxes, others).sum(1)


class _Ink:
    """Where a panel's data is, in points: sample points along lines and dots (``points``; with
    reference lines and shapes' outlines, ``strokes``), the boxes of texts (``text_boxes``) and the
    filled shapes (``shapes``, texts included). A legend in a corner covers none of the data; a
    label covers no line, dot, outline, rule or text."""

    def __init__(self, marks, layout):
        m, (w_in, h_in) = layout["margin"], layout["size"]
        (x0, x1), (y0, y1) = layout["x"]["lim"], layout["y"]["lim"]
        pw, ph = w_in * 72 - m["left"] - m["right"], h_in * 72 - m["top"] - m["bottom"]

        def X(v):
            return m["left"] + (np.asarray(v, float) - x0) / (x1 - x0) * pw

        def Y(v):
            return m["top"] + (1 - (np.asarray(v, float) - y0) / (y1 - y0)) * ph

        self.X, self.Y = X, Y
        left, top, right, bottom = m["left"], m["top"], m["left"] + pw, m["top"] + ph
        # Polylines (xs, ys) in points: the data's, and the reference lines' and outlines'.
        lines, rules, dots, texts, self.shapes = [], [], [], [], []
        for k in marks:
            kind = k["kind"]
            if kind in ("line", "arrow"):
                lines.append((X(k["x"]), Y(k["y"])))
            elif kind in ("segments",):
                xs, ys = X(k["x"]), Y(k["y"])
                lines += [(xs[i : i + 2], ys[i : i + 2]) for i in range(0, len(xs) - 1, 2)]
            elif kind == "errorbars":
                lows, highs = Y(k["low"]), Y(k["high"])
                for xi, lo, hi in zip(X(k["x"]), lows, highs, strict=True):
                    lines.append(((xi, xi), (lo, hi)))
            elif kind == "points":
                dots.append((X(k["x"]), Y(k["y"]), k["size"]))
            elif kind == "hline":
                rules += [((left, right), (yi, yi)) for yi in Y(k["y"])]
            elif kind == "vline":
                rules += [((xi, xi), (top, bottom)) for xi in X(k["x"])]
            elif kind == "text":
                tx, ty = float(X(k["x"])) + k.get("dx", 0), float(Y(k["y"])) + k.get("dy", 0)
                bx0, by0, bx1, by1 = text_box(
                    tx, ty, k["s"], k["size"], k["anchor"], k["valign"], k["bold"]
                )
                texts.append((bx0, by0, bx1, by1))
                self.shapes.append(_rect(bx0, by0, bx1, by1))
            elif kind == "bars":
                for xc, top_, base in zip(k["x"], k["y"], k["base"], strict=True):
                    half = k["width"] / 2
                    self.shapes.append(_rect(X(xc - half), Y(top_), X(xc + half), Y(base)))
            elif kind in ("area", "polygon"):
                if kind == "area":
                    xs = np.concatenate([k["x"], k["x"][::-1]])
                    ys = np.concatenate([k["y1"], k["y2"][::-1]])
                else:
                    xs, ys = k["x"], k["y"]
                if len(xs):
                    self.shapes.append(np.stack([X(xs), Y(ys)], 1))
                if kind == "polygon" and k["stroke"] and len(xs):  # its outline, for labels
                    rules.append((X(np.append(xs, xs[0])), Y(np.append(ys, ys[0]))))
            elif kind == "heatmap":
                ex0, ex1, ey0, ey1 = k["extent"]
                self.shapes.append(_rect(X(ex0), Y(ey1), X(ex1), Y(ey0)))
        self.points = np.concatenate([_along(lines), *map(_dot_points, dots)])
        self.text_boxes = np.array(texts).reshape(-1, 4)
        self.strokes = np.concatenate([self.points, _along(rules)])  # what a label must not cover
        # A rule or an outline under a label strikes it through: its points count double.
        self.weights = np.repeat(
            [1.0, RULE_WEIGHT], [len(self.points), len(self.strokes) - len(self.points)]
        )

    def covers(self, box) -> bool:
        pad = LEGEND["pad"]
        x0, y0, x1, y1 = box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad
        px, py = self.points[:, 0], self.points[:, 1]
        if np.any((px >= x0) & (px <= x1) & (py >= y0) & (py <= y1)):
            return True
        gx, gy = np.meshgrid(np.arange(x0, x1 + 1, 2.0), np.arange(y0, y1 + 1, 2.0))
        grid = np.stack([gx.ravel(), gy.ravel()], 1)
        return any(_inside(grid, shape).any() for shape in self.shapes)

    def count(self, boxes, pad=1.5):
        """For each of ``boxes`` (n × 4), how many sample points of lines, dots and rules
        (weighted) lie in it (and ``pad`` around it)."""
        x0, y0, x1, y1 = (boxes[:, j] + d for j, d in enumerate((-pad, -pad, pad, pad)))
        px, py = self.strokes[:, 0], self.strokes[:, 1]
        # only the points near any of the boxes are weighed against each (whole numbers: exact)
        near = (px >= x0.min()) & (px <= x1.max()) & (py >= y0.min()) & (py <= y1.max())
        px, py = px[near, None], py[near, None]
        return self.weights[near] @ ((px >= x0) & (px <= x1) & (py >= y0) & (py <= y1))


# A dot's centre and eight points round its edge: a label that grazes it at a slant covers it
_D = 0.5**0.5
DOT_SPOKES = [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1), (_D, _D), (-_D, _D), (_D, -_D), (-_D, -_D)]


def _dot_points(dot):
    """A dot's centre and the four ends of its cross, in points: ``dot`` is (xs, ys, radius)."""
    cx, cy, r = dot
    centres = np.stack([cx, cy], 1)
    return (centres[None] + np.array(DOT_SPOKES)[:, None] * r).reshape(-1, 2)


def _along(lines, step=2.0):
    """Points every ``step`` points along each of ``lines`` (polylines (xs, ys)), all in one
    array: for each line what ``np.interp`` gives at ``np.linspace(0, length, n)``, bit for bit,
    but the lines with as many vertices computed together (in Pyodide each numpy call costs
    more than the arithmetic: a panel has tens of two-point lines)."""
    by_vertices: dict[int, list] = {}
    for xs, ys in lines:
        by_vertices.setdefault(len(xs), []).append((xs, ys))
    samples = [np.zeros((0, 2))]
    for count, group in by_vertices.items():
        xs, ys = np.array(group, float).transpose(1, 0, 2)  # lines × vertices, each
        if count < 2:
            samples.append(np.stack([xs.ravel(), ys.ravel()], 1))
            continue
        run = np.zeros_like(xs)
        np.cumsum(np.hypot(np.diff(xs), np.diff(ys)), axis=1, out=run[:, 1:])
        total = run[:, -1]
        n = np.maximum(2, (total / step).astype(int) + 2)  # samples on each line
        line = np.repeat(np.arange(len(group)), n)
        last = np.cumsum(n) - 1
        at = (np.arange(last[-1] + 1) - (last - n + 1)[line]) * (total / (n - 1))[line]
        at[last] = total  # as linspace ends: exactly at the length
        # np.interp's: on the piece from the last vertex at or before the sample; at the end,
        # the last vertex itself
        if count <= 4:  # short lines (a panel's many segments): compared with every vertex
            j = np.count_nonzero(run[line] <= at[:, None], axis=1) - 1
        else:  # long lines, a few: searched one by one
            each = zip(run, np.split(at, last[:-1] + 1), strict=True)
            j = np.concatenate([np.searchsorted(r, a, side="right") for r, a in each]) - 1
        seg = np.minimum(j, count - 2)
        r0, r1 = run[line, seg], run[line, seg + 1]
        with np.errstate(divide="ignore", invalid="ignore"):  # a last piece of no length
            both = [
                np.where(
                    j == count - 1,
                    v[line, -1],
                    (v[line, seg + 1] - v[line, seg]) / (r1 - r0) * (at - r0) + v[line, seg],
                )
                for v in (xs, ys)
            ]
        samples.append(np.stack(both, 1))
    return np.concatenate(samples)


def _rect(x0, y0, x1, y1):
    x0, x1 = sorted((float(x0), float(x1)))
    y0, y1 = sorted((float(y0), float(y1)))
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])


def _inside(points, polygon):
    """Which points lie inside a polygon (even-odd rule)."""
    x, y = points[:, 0:1], points[:, 1:2]
    ax, ay = polygon[:, 0], polygon[:, 1]
    bx, by = np.roll(ax, -1), np.roll(ay, -1)
    crosses = (ay > y) != (by > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = ax + (y - ay) * (bx - ax) / (by - ay)
    return (np.sum(crosses & (x < at), axis=1) % 2) == 1
