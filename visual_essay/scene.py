"""The scene: a figure as data.

A widget's ``compute`` returns ``scene(...)``: a few panels of marks (lines, points, areas,
polygons, text, arrows, heatmaps), optional readouts, a text alternative and, for motion, frames.
Two renderers
read the same dict: matplotlib at build time and a small SVG renderer in the reader's browser. Both
are dumb on purpose: limits, ticks, colours and readout text are all decided here, once, in Python.

numpy and the standard library only: this module also runs in Pyodide.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
import contextlib
from contextvars import ContextVar
from dataclasses import dataclass
import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .contract import SCENE_VERSION, Frames, Layout, Mark, Readout, Scene

# MARGIN, MARGIN_HIDDEN_AXES and text_width are for widgets (one placing its own labels, say).
from .layout import (  # noqa: F401
    COLORBAR,
    MARGIN,
    MARGIN_HIDDEN_AXES,
    MIN_TEXT,
    NARROW_WIDTH,
    SIDES,
    lay_out,
    nice_ticks,
    text_width,
)
from .layout import tick_label as _tick_label
from .layout import wrap as _wrap
from .params import significant, true_minus, with_unit

if TYPE_CHECKING:  # numpy.typing is not imported at run time: Pyodide pays for every import
    from collections.abc import Sequence

    from numpy.typing import ArrayLike

# Named colours, so both renderers can theme them (the browser swaps in a dark-scheme variant,
# visual-essay.css). Chosen so that any two stay apart for readers with deuteranopia, protanopia or
# tritanopia too (at least PALETTE_MIN_DIFFERENCE after simulation, a test checks it), and each at
# 3:1 contrast or more on the page (but gray, for context, and muted, for axes).
PALETTE = {
    "ink": "#1f2328",
    "muted": "#6e7781",
    "teal": "#076e78",
    "red": "#b92043",
    "green": "#40a066",
    "blue": "#3976e6",
    "orange": "#c76a44",
    "purple": "#8264ab",
    "gold": "#c08c00",
    "gray": "#a0a7af",
}
# Text in a palette colour too light to read as text on the page (under WCAG's 4.5:1 on white):
# a darker shade of the same hue, which both renderers use for text marks (the stylesheet's
# --vw-text-*, with the dark scheme's shades beside them). Marks keep the palette's colours.
TEXT_SHADES = {
    "red": "#b31f41",
    "green": "#2b7a4b",
    "blue": "#2f62c4",
    "orange": "#a4532f",
    "gold": "#8a6500",
    "gray": "#6a737d",
}
# CIEDE2000 differences after simulating each colour-vision deficiency (Machado 2009, full
# severity): every two palette colours differ by PALETTE_MIN_DIFFERENCE as patches; two series a
# reader tells apart by colour alone need SERIES_MIN_DIFFERENCE (thin lines and small dots need
# more than patches), or a second cue: a dash, a marker shape, a direct label.
PALETTE_MIN_DIFFERENCE = 8.0
SERIES_MIN_DIFFERENCE = 12.0

COLORBAR_STEPS = 32

# Heatmap ramps: anchor colours, interpolated linearly.
RAMPS = {
    "teal": ("#f4faf9", "#8fd3c8", "#0f8b8d", "#0b3d4a"),
    "heat": ("#fff7ec", "#fdbb84", "#d7301f", "#67000d"),
    "diverging": ("#3a6fd8", "#f7f7f7", "#d1495b"),
    "gray": ("#000000", "#ffffff"),
}

# Marker shapes of a points mark, as polygons of unit size (a circle is drawn as a circle): a
# second cue beside colour. Both renderers scale them by the mark's size.
SHAPES = {
    "circle": None,
    "square": ((-0.89, -0.89), (0.89, -0.89), (0.89, 0.89), (-0.89, 0.89)),
    "triangle": ((0.0, -1.2), (1.04, 0.6), (-1.04, 0.6)),
    "diamond": ((0.0, -1.25), (1.25, 0.0), (0.0, 1.25), (-1.25, 0.0)),
    "cross": (
        (-0.35, -1.1), (0.35, -1.1), (0.35, -0.35), (1.1, -0.35), (1.1, 0.35), (0.35, 0.35),
        (0.35, 1.1), (-0.35, 1.1), (-0.35, 0.35), (-1.1, 0.35), (-1.1, -0.35), (-0.35, -0.35),
    ),
}  # fmt: skip


class SceneError(ValueError):
    """A scene the renderers cannot draw faithfully (unknown colour, NaN, mismatched lengths)."""


def _color(name):
    if name not in PALETTE:
        raise SceneError(f"unknown colour {name!r}; known: {', '.join(PALETTE)}")
    return name


def _floats(values: ArrayLike, what: str) -> np.ndarray:
    """A flat float array. Finiteness is checked once per scene, in ``scene()``: in Pyodide every
    numpy call costs tens of microseconds, and a scene has dozens of arrays."""
    return np.asarray(values, dtype=float).ravel()


def _xy(x: ArrayLike, y: ArrayLike, kind: str) -> tuple[np.ndarray, np.ndarray]:
    x, y = _floats(x, f"{kind} x"), _floats(y, f"{kind} y")
    if x.shape != y.shape:
        raise SceneError(f"{kind}: x has {x.size} values but y has {y.size}")
    return x, y


@dataclass(frozen=True)
class MarkKind:
    """One kind of mark, declared once: the fields both renderers read (``optional`` ones may be
    absent) and ``span``, the values along x and along y the panel's axes must show."""

    fields: tuple[str, ...]
    optional: tuple[str, ...] = ()
    span: Callable[[dict], tuple[list, list]] = lambda m: ([m["x"]], [m["y"]])


_STYLE = ("color", "opacity")
_RULE = ("color", "width", "dash", "opacity")

# Every kind of mark. The build's renderer (figure.DRAW) and the browser's (renderer.js) draw
# exactly these; a test holds the three lists equal.
MARKS: dict[str, MarkKind] = {
    "line": MarkKind(("x", "y", *_RULE)),
    "points": MarkKind(("x", "y", "size", "shape", *_STYLE)),
    "segments": MarkKind(("x", "y", "width", *_STYLE)),
    "area": MarkKind(("x", "y1", "y2", *_STYLE), span=lambda m: ([m["x"]], [m["y1"], m["y2"]])),
    "polygon": MarkKind(("x", "y", "stroke", *_STYLE)),
    "text": MarkKind(
        ("x", "y", "s", "size", "anchor", "valign", "bold", "color"),
        optional=("beside", "gap", "slot"),  # a label beside its point: layout.SIDES
        span=lambda m: ([np.array([m["x"]])], [np.array([m["y"]])]),
    ),
    "arrow": MarkKind(("x", "y", "color", "width")),
    "hline": MarkKind(("y", *_RULE), span=lambda m: ([], [m["y"]])),
    "vline": MarkKind(("x", *_RULE), span=lambda m: ([m["x"]], [])),
    "hband": MarkKind(("y", *_STYLE), span=lambda m: ([], [m["y"]])),
    "vband": MarkKind(("x", *_STYLE), span=lambda m: ([m["x"]], [])),
    "bars": MarkKind(
        ("x", "y", "base", "width", *_STYLE),
        span=lambda m: ([m["x"] - m["width"] / 2, m["x"] + m["width"] / 2], [m["base"], m["y"]]),
    ),
    "errorbars": MarkKind(
        ("x", "y", "low", "high", "width", "cap", *_STYLE),
        span=lambda m: ([m["x"]], [m["low"], m["high"]]),
    ),
    "heatmap": MarkKind(
        ("rows", "cols", "colors", "extent"),
        optional=("colorbar",),
        span=lambda m: ([np.array(m["extent"][:2])], [np.array(m["extent"][2:])]),
    ),
}


# The order marks are drawn in, whatever order a widget lists them: backgrounds, then filled
# shapes, then lines, then dots, then text (matplotlib's default order, kept by both renderers).
LAYER = {
    "heatmap": 0,
    "hband": 1,
    "vband": 1,
    "area": 2,
    "polygon": 2,
    "bars": 2,
    "hline": 3,
    "vline": 3,
    "line": 3,
    "segments": 3,
    "errorbars": 3,
    "arrow": 4,
    "points": 4,
    "text": 5,
}
# Marks that are data: a panel with none of them (or only empty ones) is empty.
CONTEXT_KINDS = ("hline", "vline", "hband", "vband")


def _mark(kind, frame, label, **fields):
    declared = MARKS[kind]
    if not set(declared.fields) <= fields.keys() <= {*declared.fields, *declared.optional}:
        raise SceneError(f"{kind}: fields {sorted(fields)} differ from its declaration")
    mark = {"kind": kind, **fields}
    if "s" in mark:
        mark["s"] = true_minus(mark["s"])
    if frame is not None:
        mark["frame"] = int(frame)
    if label:
        mark["label"] = true_minus(str(label))
    return mark


# ---- marks ---------------------------------------------------------------------------------------


def line(
    x: ArrayLike,
    y: ArrayLike,
    color: str = "ink",
    width: float = 2.0,
    dash: bool = False,
    opacity: float = 1.0,
    label: str | None = None,
    frame: int | None = None,
) -> Mark:
    x, y = _xy(x, y, "line")
    return _mark(
        "line",
        frame,
        label,
        x=x,
        y=y,
        color=_color(color),
        width=float(width),
        dash=bool(dash),
        opacity=float(opacity),
    )


def points(
    x: ArrayLike,
    y: ArrayLike,
    color: str = "ink",
    size: float = 5.0,
    opacity: float = 1.0,
    label: str | None = None,
    frame: int | None = None,
    shape: str = "circle",
) -> Mark:
    """Dots of radius ``size`` points; ``shape`` (one of ``SHAPES``: circle, square, triangle,
    diamond, cross) tells series apart without colour."""
    x, y = _xy(x, y, "points")
    if shape not in SHAPES:
        raise SceneError(f"points: unknown shape {shape!r}; known: {', '.join(SHAPES)}")
    return _mark(
        "points",
        frame,
        label,
        x=x,
        y=y,
        color=_color(color),
        size=float(size),
        shape=shape,
        opacity=float(opacity),
    )


def segments(
    x0: ArrayLike,
    y0: ArrayLike,
    x1: ArrayLike,
    y1: ArrayLike,
    color: str = "ink",
    width: float = 1.0,
    opacity: float = 1.0,
    label: str | None = None,
    frame: int | None = None,
) -> Mark:
    """Many separate straight segments in one mark (ticks, bin edges, error bars)."""
    xa, ya = _xy(x0, y0, "segments")
    xb, yb = _xy(x1, y1, "segments")
    if xa.shape != xb.shape:
        raise SceneError("segments: as many ends as starts")
    return _mark(
        "segments",
        frame,
        label,
        x=_interleave(xa, xb),
        y=_interleave(ya, yb),
        color=_color(color),
        width=float(width),
        opacity=float(opacity),
    )


def _interleave(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a0, b0, a1, b1, ...: np.stack costs several times more, a cost Pyodide feels per mark."""
    out = np.empty(2 * a.size)
    out[0::2], out[1::2] = a, b
    return out


def area(
    x: ArrayLike,
    y1: ArrayLike,
    y2: ArrayLike,
    color: str = "teal",
    opacity: float = 0.2,
    label: str | None = None,
    frame: int | None = None,
) -> Mark:
    """The band between two curves over the same x."""
    x, y1 = _xy(x, y1, "area")
    _, y2 = _xy(x, y2, "area")
    return _mark(
        "area", frame, label, x=x, y1=y1, y2=y2, color=_color(color), opacity=float(opacity)
    )


def polygon(
    x: ArrayLike,
    y: ArrayLike,
    color: str = "gray",
    opacity: float = 1.0,
    stroke: str | None = None,
    label: str | None = None,
    frame: int | None = None,
) -> Mark:
    x, y = _xy(x, y, "polygon")
    return _mark(
        "polygon",
        frame,
        label,
        x=x,
        y=y,
        color=_color(color),
        opacity=float(opacity),
        stroke=_color(stroke) if stroke else None,
    )


def rect(
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    color: str = "gray",
    opacity: float = 1.0,
    stroke: str | None = None,
    label: str | None = None,
    frame: int | None = None,
) -> Mark:
    return polygon([x0, x1, x1, x0], [y0, y0, y1, y1], color, opacity, stroke, label, frame)


def text(
    x: float,
    y: float,
    s: object,
    color: str = "ink",
    size: float = 10.0,
    anchor: str = "middle",
    valign: str = "middle",
    bold: bool = False,
    frame: int | None = None,
    beside: bool | Sequence[str] = False,
    gap: float = 5.0,
) -> Mark:
    """A label at data coordinates; ``anchor`` is start, middle or end; ``valign`` top, middle or
    bottom. ``s`` may hold line breaks (``wrap`` makes them). ``size`` in points, never under
    ``MIN_TEXT``: smaller text would show under 10 pixels.

    With ``beside`` the label names the point (x, y) and the layout places it, for each width,
    on one of ``beside``'s sides (all of ``layout.SIDES`` with True: right, above, left, below,
    then the corners), ``gap`` points away or up to 6 times as far: where it covers least of
    the lines, dots, outlines, reference lines, other texts and legend, inside the plot, the
    nearest of equals (``layout._beside``; ``anchor`` and ``valign`` are then the side's)."""
    if anchor not in ("start", "middle", "end") or valign not in ("top", "middle", "bottom"):
        raise SceneError(f"text: bad alignment {anchor!r}/{valign!r}")
    x, y = float(x), float(y)
    if not (math.isfinite(x) and math.isfinite(y)):
        raise SceneError("text has a position that is not finite")
    placed = {}
    if beside:
        sides = list(SIDES) if beside is True else list(beside)
        unknown = [side for side in sides if side not in SIDES]
        if unknown or not sides:
            raise SceneError(f"text: beside={unknown or sides!r}; the sides are {list(SIDES)}")
        placed = {"beside": sides, "gap": float(gap)}
        _, _, anchor, valign = SIDES[sides[0]]
    return _mark(
        "text",
        frame,
        None,
        x=x,
        y=y,
        s=str(s),
        color=_color(color),
        size=max(float(size), MIN_TEXT),
        anchor=anchor,
        valign=valign,
        bold=bool(bold),
        **placed,
    )


def wrap(s: object, width: float, size: float = 10.0, bold: bool = False) -> str:
    """``s`` with line breaks, so that no line is wider than ``width`` points at ``size`` (as
    estimated from Helvetica's widths): for a text mark that must fit a box or a panel."""
    return "\n".join(_wrap(true_minus(str(s)), width, max(size, MIN_TEXT), bold))


def arrow(
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    color: str = "ink",
    width: float = 1.5,
    frame: int | None = None,
) -> Mark:
    x, y = _floats([x0, x1], "arrow x"), _floats([y0, y1], "arrow y")
    return _mark("arrow", frame, None, x=x, y=y, color=_color(color), width=float(width))


def hline(
    y: ArrayLike,
    color: str = "muted",
    width: float = 1.0,
    dash: bool = False,
    opacity: float = 1.0,
    label: str | None = None,
    frame: int | None = None,
) -> Mark:
    """Horizontal reference lines across the whole panel, at each of ``y`` (one or several)."""
    return _mark(
        "hline",
        frame,
        label,
        y=_floats(y, "hline y"),
        color=_color(color),
        width=float(width),
        dash=bool(dash),
        opacity=float(opacity),
    )


def vline(
    x: ArrayLike,
    color: str = "muted",
    width: float = 1.0,
    dash: bool = False,
    opacity: float = 1.0,
    label: str | None = None,
    frame: int | None = None,
) -> Mark:
    """Vertical reference lines across the whole panel, at each of ``x`` (one or several)."""
    return _mark(
        "vline",
        frame,
        label,
        x=_floats(x, "vline x"),
        color=_color(color),
        width=float(width),
        dash=bool(dash),
        opacity=float(opacity),
    )


def hband(
    y0: float,
    y1: float,
    color: str = "gray",
    opacity: float = 0.15,
    label: str | None = None,
    frame: int | None = None,
) -> Mark:
    """A band across the whole panel between heights ``y0`` and ``y1`` (a tolerance, a range)."""
    return _mark(
        "hband",
        frame,
        label,
        y=_floats([y0, y1], "hband y"),
        color=_color(color),
        opacity=float(opacity),
    )


def vband(
    x0: float,
    x1: float,
    color: str = "gray",
    opacity: float = 0.15,
    label: str | None = None,
    frame: int | None = None,
) -> Mark:
    """A band across the whole panel between ``x0`` and ``x1`` (a period, a region)."""
    return _mark(
        "vband",
        frame,
        label,
        x=_floats([x0, x1], "vband x"),
        color=_color(color),
        opacity=float(opacity),
    )


def bars(
    x: ArrayLike,
    height: ArrayLike,
    width: float = 0.8,
    base: ArrayLike = 0.0,
    color: str = "teal",
    opacity: float = 0.85,
    label: str | None = None,
    frame: int | None = None,
) -> Mark:
    """Vertical bars centred on ``x``, each ``width`` wide, from ``base`` (a number or one per
    bar) up (or down) by ``height``."""
    centres, heights = _xy(x, height, "bars")
    bases = np.broadcast_to(_floats(base, "bars base"), centres.shape).copy()
    return _mark(
        "bars",
        frame,
        label,
        x=centres,
        y=bases + heights,
        base=bases,
        width=float(width),
        color=_color(color),
        opacity=float(opacity),
    )


def errorbars(
    x: ArrayLike,
    y: ArrayLike,
    low: ArrayLike,
    high: ArrayLike,
    color: str = "ink",
    width: float = 1.0,
    cap: float = 3.0,
    opacity: float = 1.0,
    label: str | None = None,
    frame: int | None = None,
) -> Mark:
    """Vertical error bars at ``x`` from ``low`` to ``high`` (e.g. y ± 2 standard errors), with
    caps ``cap`` points wide on each side; ``y`` is the estimate (drawn by a points mark)."""
    x, y = _xy(x, y, "errorbars")
    _, low = _xy(x, low, "errorbars")
    _, high = _xy(x, high, "errorbars")
    return _mark(
        "errorbars",
        frame,
        label,
        x=x,
        y=y,
        low=low,
        high=high,
        color=_color(color),
        width=float(width),
        cap=float(cap),
        opacity=float(opacity),
    )


def heatmap(
    z: ArrayLike,
    extent: Sequence[float],
    ramp: str = "teal",
    vmin: float | None = None,
    vmax: float | None = None,
    colorbar: str | None = None,
    frame: int | None = None,
) -> Mark:
    """A grid of cells: ``z[row, col]``, row 0 at the bottom, spanning ``extent`` =
    (x0, x1, y0, y1). Colours are computed here so both renderers paint the same cells.
    ``colorbar``: a label, to draw the colour scale beside the panel."""
    z = np.asarray(z, dtype=float)
    if z.ndim != 2:
        raise SceneError("heatmap: z must be 2-D")
    if not np.all(np.isfinite(z)):
        raise SceneError("heatmap z has a value that is not finite")
    lo = float(z.min()) if vmin is None else float(vmin)
    hi = float(z.max()) if vmax is None else float(vmax)
    t = np.clip((z - lo) / (hi - lo), 0, 1) if hi > lo else np.zeros_like(z)
    colors = _ramp_colors(t, ramp)
    mark = _mark(
        "heatmap",
        frame,
        None,
        rows=int(z.shape[0]),
        cols=int(z.shape[1]),
        colors=colors,
        extent=[float(v) for v in extent],
    )
    if colorbar is not None:
        ticks = [v for v in nice_ticks(lo, hi, 4) if lo <= v <= hi] if hi > lo else [lo]
        mark["colorbar"] = {
            "label": str(colorbar),
            "lim": [lo, hi if hi > lo else lo + 1],
            "gap": COLORBAR["gap"],
            "width": COLORBAR["width"],
            "colors": _ramp_colors(np.linspace(0, 1, COLORBAR_STEPS), ramp),
            "ticks": ticks,
            "ticklabels": [_tick_label(t) for t in ticks],
        }
    return mark


def _ramp_colors(t, ramp):
    if ramp not in RAMPS:
        raise SceneError(f"unknown ramp {ramp!r}; known: {', '.join(RAMPS)}")
    anchors = np.array([[int(h[i : i + 2], 16) for i in (1, 3, 5)] for h in RAMPS[ramp]], float)
    pos = t.ravel() * (len(anchors) - 1)
    i = np.minimum(pos.astype(int), len(anchors) - 2)
    f = (pos - i)[:, None]
    rgb = np.rint(anchors[i] * (1 - f) + anchors[i + 1] * f).astype(np.uint8)
    hexes = rgb.tobytes().hex()  # one string, six digits a colour: ten times faster than f"{r:02x}"
    return ["#" + hexes[k : k + 6] for k in range(0, len(hexes), 6)]


# ---- axes, panels, readouts, scene ---------------------------------------------------------------


def axis(
    label: str = "",
    lim: Sequence[float] | None = None,
    ticks: Sequence[float] | None = None,
    ticklabels: Sequence[str] | None = None,
    hidden: bool = False,
) -> dict[str, Any]:
    """One axis. ``lim`` defaults to the data's range, padded; ``ticks`` to round numbers."""
    if ticklabels is not None:
        ticklabels = [true_minus(str(t)) for t in ticklabels]
    return {
        "label": true_minus(label),
        "lim": lim,
        "ticks": ticks,
        "ticklabels": ticklabels,
        "hidden": hidden,
    }


LEGEND_OPTIONS = (None, "auto", "above", "upper left", "upper right", "lower left", "lower right")


def panel(
    marks: Iterable[Mark],
    title: str = "",
    x: dict[str, Any] | None = None,
    y: dict[str, Any] | None = None,
    size: Sequence[float] = (4.0, 3.0),
    legend: str | None = None,
    equal: bool = False,
    empty: str | None = None,
    narrow: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A plot area of ``size`` inches (width, height). ``legend`` lists the labelled marks:
    None (no legend), 'auto' (the first corner where it covers no data, else above the plot),
    'above', or a corner: 'upper left', 'upper right', 'lower left', 'lower right'. ``equal``:
    one unit is as long on both axes. A panel with no data (no marks but rules and bands, or only
    empty ones) is left out of the figure, unless ``empty`` says why it is empty: then the panel
    shows that sentence.

    A panel wider than a phone's column (``NARROW_WIDTH``) is laid out again at that width, with
    the same marks. Where that is not enough (labels placed in data units, packed for the wide
    width), or where a panel made as tall as its neighbour in a row need not be when stacked on a
    phone, ``narrow`` is the panel drawn for a phone instead: another ``panel(...)`` at most
    ``NARROW_WIDTH`` wide, with its own marks and axes; the title and letter stay this one's."""
    if legend not in LEGEND_OPTIONS:
        raise SceneError(f"panel: legend {legend!r}; expected one of {LEGEND_OPTIONS}")
    if narrow is not None and narrow["size"][0] > NARROW_WIDTH:
        raise SceneError(
            f"panel: its narrow panel is {narrow['size'][0]} in wide; at most {NARROW_WIDTH}"
        )
    out = {
        "marks": list(marks),
        "title": true_minus(title),
        "x": x or axis(),
        "y": y or axis(),
        "size": [float(size[0]), float(size[1])],
        "legend": legend,
        "equal": bool(equal),
        "empty": empty,
    }
    if narrow is not None:
        out["narrow"] = narrow
    return out


def and_list(items: Sequence[str]) -> str:
    """Words for a list, as a sentence names it: "A", "A and B", "A, B and C" ("" for none)."""
    items = list(items)
    return " and ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)


def readout(label: str, value: str | float, unit: str = "", digits: int = 3) -> Readout:
    """A labelled number beside the figure; formatted here so both renderers agree."""
    if isinstance(value, str):
        shown = value
    elif isinstance(value, (int, np.integer)):
        shown = f"{int(value):,}"
    else:
        if not math.isfinite(float(value)):
            raise SceneError(f"readout {label!r} is not finite")
        shown = significant(float(value), digits)  # 1230, never 1.23e+03
    return {"label": true_minus(label), "text": with_unit(shown, unit)}


def frames(
    count: int,
    label: str = "frame",
    key: Iterable[int] | None = None,
    labels: Sequence[object] | None = None,
    fps: float = 8,
) -> Frames:
    """Motion: marks with ``frame=k`` show only in frame k; ``labels`` name each frame. The still
    figure (the build's, and the browser's until the reader plays it) shows the last frame, as
    readers who prefer reduced motion see it. ``key`` is accepted and ignored: the static figure
    no longer shows several frames side by side (the first touch then changed the figure)."""
    del key
    if count < 1:
        raise SceneError("frames: at least one frame")
    if labels is not None and len(labels) != count:
        raise SceneError("frames: one label per frame")
    return {
        "count": int(count),
        "label": label,
        "still": int(count) - 1,
        "labels": [str(s) for s in labels]
        if labels is not None
        else [f"{label} {k}" for k in range(count)],
        "fps": float(fps),
    }


# Which layouts a scene carries: both (the build's figures and tables: the page shows the one that
# fits), or only the one the reader's figure shows now ("wide" or "narrow": the browser asks
# Python for that one, and again if the reader's width changes). A panel's second layout costs
# up to half of a widget's compute; a scene with one layout has no narrow panels, its panels
# laid out as the full scene's show at that width (testing's contract checks it).
_ONLY_LAYOUT: ContextVar[str | None] = ContextVar("only_layout", default=None)
LAYOUTS = ("wide", "narrow")


@contextlib.contextmanager
def only_layout(which: str | None) -> Iterator[None]:
    """Scenes computed inside carry only the ``which`` layout of each panel (None: both)."""
    if which is not None and which not in LAYOUTS:
        raise SceneError(f"layout {which!r}: one of {', '.join(LAYOUTS)}")
    token = _ONLY_LAYOUT.set(which)
    try:
        yield
    finally:
        _ONLY_LAYOUT.reset(token)


def scene(
    panels: Sequence[dict[str, Any]],
    alt: str,
    readouts: Iterable[Readout] = (),
    motion: Frames | None = None,
    values: Mapping[str, Any] | None = None,
    aligned: bool = False,
) -> Scene:
    """The figure a widget returns. ``alt`` is the text alternative: one or two plain sentences
    that state what the figure shows for these parameters. ``values``: the named values the
    widget's ``VALUES`` declare, raw (numbers or words), for sentences to quote. Panels are
    lettered a, b, c... (when there are several) so that captions can name them. ``aligned``:
    every panel's plot starts as far down as the lowest one's (the room above it, for titles
    and a key, made as tall in each; each panel keeps its size), so panels of one height side
    by side have plots of one height, and the same rows line up."""
    if not alt:
        raise SceneError("a scene needs a text alternative (alt)")
    _check_finite(panels)
    shown = [p for p in panels if p.get("empty") or not _is_empty(p)]
    letters = "abcdefghijklmnopqrstuvwxyz" if len(shown) > 1 else ""
    out_panels = [
        _finish_panel(p, motion, letters[i] if letters else "") for i, p in enumerate(shown)
    ]
    if aligned and _ONLY_LAYOUT.get() != "narrow":  # stacked on a phone, panels keep their own
        _align_plots(out_panels)
    _to_lists(out_panels)
    return {
        "version": SCENE_VERSION,
        "panels": out_panels,
        "readouts": list(readouts),
        "alt": true_minus(alt),
        "frames": motion,
        "values": dict(values or {}),
    }


def _align_plots(panels):
    """Each panel's plot starts at the lowest plot's top (its wide layout: the one shown side
    by side), shorter by as much; a key in a corner keeps its place in the plot. On a phone the
    panels stack: a panel moved down keeps its own layout there (as its narrow one), with no
    empty room above its plot."""
    top = max(p["margin"]["top"] for p in panels)
    for p in panels:
        down = top - p["margin"]["top"]
        if down and p["narrow"] is None and _ONLY_LAYOUT.get() is None:
            p["narrow"] = {k: p[k] for k in Layout.__annotations__}
        p["margin"] = {**p["margin"], "top": top}
        if p["legend"] and p["legend"]["place"] != "above" and down:
            key = p["legend"]
            x0, y0, x1, y1 = key["box"]
            p["legend"] = {
                **key,
                "box": [x0, y0 + down, x1, y1 + down],
                "entries": [{**e, "y": e["y"] + down} for e in key["entries"]],
            }


def _is_empty(p):
    """No data: no marks but rules and bands, or only marks with no values."""
    for m in p["marks"]:
        if m["kind"] in CONTEXT_KINDS:
            continue
        if m["kind"] in ("text", "heatmap") or len(m["x"]):
            return False
    return True


def _with_narrow(panels):
    """The panels and the narrow panels drawn for phones instead of them (``panel(narrow=)``)."""
    return [q for p in panels for q in (p, p.get("narrow")) if q and "marks" in q]


# The fields a mark's constructor stores as arrays (_floats); every other field is a word, a flag
# or one number. The scene's one finiteness check and its one conversion to lists look only at
# these: in Pyodide a scene of hundreds of marks took a millisecond to scan every field twice.
_ARRAY_FIELDS = {
    kind: tuple(f for f in ("x", "y", "y1", "y2", "base", "low", "high") if f in k.fields)
    for kind, k in MARKS.items()
}


def _arrays(panels):
    """(mark, field, array) for every array in the scene's marks."""
    return [
        (m, k, m[k])
        for p in _with_narrow(panels)
        for m in p["marks"]
        for k in _ARRAY_FIELDS[m["kind"]]
        if isinstance(m[k], np.ndarray)
    ]


def _check_finite(panels):
    """One check for the whole scene; only when it fails, find and name the culprit."""
    arrays = _arrays(panels)
    if not arrays or np.all(np.isfinite(np.concatenate([a for _, _, a in arrays]))):
        return
    for number, p in enumerate(_with_narrow(panels), 1):
        for m in p["marks"]:
            for field, a in m.items():
                if isinstance(a, np.ndarray) and not np.all(np.isfinite(a)):
                    index = int(np.flatnonzero(~np.isfinite(a))[0])
                    label = f" {m['label']!r}" if "label" in m else ""
                    title = f" ({p['title']!r})" if p["title"] else ""
                    raise SceneError(
                        f"{m['kind']} mark{label} in panel {number}{title}: "
                        f"{field} has a value that is not finite "
                        f"({a[index]} at index {index})"
                    )


def _to_lists(panels):
    """Every array to a list of floats rounded to six significant digits, in one pass: more than
    a screen shows, and the JSON the worker sends stays small."""
    arrays = _arrays(panels)
    if not arrays:
        return
    rounded = _significant(np.concatenate([a for _, _, a in arrays])).tolist()
    start = 0
    for m, k, a in arrays:
        m[k] = rounded[start : start + a.size]
        start += a.size


def _finish_panel(p, motion, letter):
    xs, ys = [], []
    for m in p["marks"]:
        if motion is None and "frame" in m:
            raise SceneError("a mark has a frame but the scene has no motion=frames(...)")
        if motion is not None and m.get("frame", 0) >= motion["count"]:
            raise SceneError(f"a mark's frame {m['frame']} is past the last frame")
        along_x, along_y = MARKS[m["kind"]].span(m)
        xs += along_x
        ys += along_y
    beside = (m for m in p["marks"] if "beside" in m)
    for slot, m in enumerate(beside):  # the layouts say where each goes: layout["beside"][slot]
        m["slot"] = slot
    empty = _is_empty(p)
    out = {
        "marks": sorted((dict(m) for m in p["marks"]), key=lambda m: LAYER[m["kind"]]),
        "title": p["title"],
        "letter": letter,
        "equal": p["equal"],
        "legend": p["legend"],
        "note": p["empty"] if empty else None,
        "x": _finish_axis(p["x"], xs),
        "y": _finish_axis(p["y"], ys),
    }
    # The marks in the author's order decide the legend's; the renderers draw them in LAYER order.
    spec = {**out, "marks": p["marks"]}
    only = _ONLY_LAYOUT.get()
    has_narrow = "narrow" in p or p["size"][0] > NARROW_WIDTH
    wide = lay_out(spec, *p["size"], letter) if only != "narrow" or not has_narrow else None
    narrow = None
    if only == "wide" or not has_narrow:
        pass
    elif "narrow" in p:  # the author's panel for phones: its marks, axes and layout
        own = _finish_panel({**p["narrow"], "title": p["title"]}, motion, letter)
        narrow = {k: v for k, v in own.items() if k not in ("title", "letter", "equal", "narrow")}
    else:
        height = p["size"][1]
        if p["equal"]:  # the plot keeps its shape: shorter as it gets narrower
            m = (wide or lay_out(spec, *p["size"], letter))["margin"]
            plot_w = p["size"][0] * 72 - m["left"] - m["right"]
            plot_h = p["size"][1] * 72 - m["top"] - m["bottom"]
            room = NARROW_WIDTH * 72 - m["left"] - m["right"]
            height = (plot_h * room / plot_w + m["top"] + m["bottom"]) / 72
        narrow = lay_out(spec, NARROW_WIDTH, height, letter)
    if only == "narrow" and narrow is not None:  # the phone's layout (and marks) as the panel's
        out.update(narrow)
        narrow = None
    else:
        out.update(wide)
    out["narrow"] = narrow
    return out


def _finish_axis(ax, arrays):
    ax = dict(ax)
    if ax["lim"] is None:
        data = np.concatenate(arrays) if arrays else np.array([0.0, 1.0])
        lo, hi = float(data.min()), float(data.max())
        pad = 0.05 * (hi - lo) if hi > lo else 0.5
        ax["lim"] = [lo - pad, hi + pad]
    ax["lim"] = [float(v) for v in ax["lim"]]
    ax["fixed_ticks"] = ax["ticks"] is not None
    if ax["ticks"] is None:
        ax["ticks"] = [] if ax["hidden"] else nice_ticks(*ax["lim"])
    ax["ticks"] = [float(t) for t in ax["ticks"]]
    if ax["ticklabels"] is None:
        ax["ticklabels"] = [_tick_label(t) for t in ax["ticks"]]
    if len(ax["ticklabels"]) != len(ax["ticks"]):
        raise SceneError("axis: one tick label per tick")
    ax["ticklabels"] = [str(s) for s in ax["ticklabels"]]
    return ax


def _significant(values, digits=6):
    values = np.asarray(values, dtype=float)
    magnitude = np.floor(np.log10(np.where(values == 0, 1.0, np.abs(values))))
    # Below 1e-300 (a probability that underflowed, say) the scale would overflow: such a value
    # is shown as 0, as it would be drawn.
    scale = 10.0 ** np.minimum(digits - 1 - magnitude, 300)
    return np.round(values * scale) / scale
