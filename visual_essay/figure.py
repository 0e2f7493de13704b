"""The build-time renderer: a scene (see ``visual_essay.scene``) drawn by matplotlib as inline SVG,
exactly as the browser's renderer (``assets/runtime/renderer.js`` and ``marks.js``) draws it.

Every position is decided before either renderer runs (``scene.py``, ``layout.py``): this module
maps data to points with the browser's formula and draws each mark and each piece of furniture
(axes, ticks, titles, letters, legend, colour bars) with the browser's geometry, in points from
the panel's top-left corner, matplotlib serving as the vector backend. So the live figure replaces
the static one with no visible change (the renderer tests and every widget's contract test compare
their pixels). One SVG per panel, and a second one (``vw-narrow``) for narrow columns when the
panel has a narrow layout; the stylesheet shows one of the two. Colours come out as CSS
variables, so the static figure follows the light or dark scheme like the live one.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import Affine2D, IdentityTransform
import numpy as np

from .layout import (
    BASELINE,
    FONT,
    LEGEND,
    LINE_HEIGHT,
    TICK,
    TICK_GAP,
    TITLE_BASELINE,
    X_LABEL_BASELINE,
    X_TICK_BASELINE,
    first_baseline,
    placed_marks,
)
from .scene import PALETTE, SHAPES, TEXT_SHADES

if TYPE_CHECKING:
    from .contract import Panel, Scene

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",  # real <text>, in the page's font, selectable and small
        "svg.hashsalt": "visual-essay",  # deterministic ids, so cached figures are stable
        "font.family": "sans-serif",
        "lines.scale_dashes": False,  # dashes in points, as the browser's stroke-dasharray
    }
)

DASH = (0, (5, 3))  # the browser's stroke-dasharray="5 3"
AXIS = {"color": "muted", "width": 0.8}
LINE_KINDS = ("line", "hline", "vline", "segments", "errorbars", "arrow")
ANCHOR = {"start": "left", "middle": "center", "end": "right"}


def render_svgs(scene: Scene) -> list[str]:
    """The static figure: each panel's SVG and, after it, its narrow layout's when it has one. A
    figure with motion shows its still frame, as the browser does until the reader plays it."""
    frames = scene["frames"]
    frame = frames["still"] if frames else None
    svgs = []
    for p in scene["panels"]:
        if p["narrow"]:
            svgs.append(to_svg(render_panel(p, frame, "wide"), "vw-wide"))
            svgs.append(to_svg(render_panel(p, frame, "narrow"), "vw-narrow"))
        else:
            svgs.append(to_svg(render_panel(p, frame)))
    return svgs


def render_panels(scene: Scene) -> list[Figure]:
    """The panels as wide columns show them, as matplotlib figures (for previews)."""
    frames = scene["frames"]
    frame = frames["still"] if frames else None
    return [render_panel(p, frame) for p in scene["panels"]]


def layout_of(p: Panel, variant: str = "wide") -> dict[str, Any]:
    """The panel with the layout of ``variant`` (wide, or narrow when it has one)."""
    return {**p, **p["narrow"]} if variant == "narrow" and p["narrow"] else dict(p)


class _Canvas:
    """One panel being drawn: the data-to-points scales (the browser's X and Y) and an axes
    spanning the plot box, which clips the marks; everything is placed in points from the
    panel's top-left corner, y down, and stacked in the order it is drawn."""

    def __init__(self, L):
        w_in, h_in = L["size"]
        self.fig = Figure(figsize=(w_in, h_in))
        self.fig.patch.set_alpha(0)
        m = L["margin"]
        W, H = w_in * 72, h_in * 72
        self.pw, self.ph = W - m["left"] - m["right"], H - m["top"] - m["bottom"]
        self.box = (m["left"], m["top"], m["left"] + self.pw, m["top"] + self.ph)
        self.ax = self.fig.add_axes((m["left"] / W, m["bottom"] / H, self.pw / W, self.ph / H))
        self.ax.set_axis_off()
        self.pt = Affine2D().scale(1 / 72, -1 / 72).translate(0, h_in) + self.fig.dpi_scale_trans
        (self.x0, self.x1), (self.y0, self.y1) = L["x"]["lim"], L["y"]["lim"]
        self.m = m
        self.z = 0

    def X(self, v):
        return self.m["left"] + (np.asarray(v, float) - self.x0) / (self.x1 - self.x0) * self.pw

    def Y(self, v):
        return (
            self.m["top"] + (1 - (np.asarray(v, float) - self.y0) / (self.y1 - self.y0)) * self.ph
        )

    def add(self, artist, clip=True, gid=None):
        self.z += 1
        artist.set_zorder(self.z)
        artist.set_transform(self.pt)
        self.ax.add_artist(artist)
        if clip:
            artist.set_clip_path(self.ax.patch)
        else:
            artist.set_clip_on(False)
        if gid:
            artist.set_gid(gid)
        return artist

    def path(self, xs, ys, color, width, opacity=1.0, dash=False, cap="butt", clip=True):
        line = Line2D(
            xs,
            ys,
            color=_c(color),
            lw=width,
            alpha=opacity,
            ls=DASH if dash else "-",
            solid_capstyle=cap,
            dash_capstyle=cap,
            solid_joinstyle="round" if cap == "round" else "miter",
            dash_joinstyle="round" if cap == "round" else "miter",
        )
        return self.add(line, clip)

    def fill(self, xy, color, opacity=1.0, stroke=None, clip=True):
        patch = Polygon(
            np.asarray(xy, float).reshape(-1, 2),
            closed=True,
            facecolor=_rgba(color, opacity),
            edgecolor=_c(stroke) if stroke else "none",
            lw=1 if stroke else 0,
        )
        return self.add(patch, clip)

    def text(
        self, x, y, s, size, anchor="start", color="ink", bold=False, gid=None, rotate=0,
        shade=False,
    ):  # fmt: skip
        """A line of text whose baseline is at (x, y); ``shade``: in the colour's text shade."""
        artist = Text(
            x,
            y,
            s,
            fontsize=size,
            ha=ANCHOR[anchor],
            va="baseline",
            color=TEXT_SHADES.get(color, _c(color)) if shade else _c(color),
            fontweight="bold" if bold else "normal",
            rotation=rotate,
            rotation_mode="anchor",
            parse_math=False,  # a $ is a dollar, as in the browser
        )
        return self.add(artist, clip=False, gid=gid)


def render_panel(p: Panel, frame: int | None = None, variant: str = "wide") -> Figure:
    L = layout_of(p, variant)
    c = _Canvas(L)
    _furniture(c, L)
    # L's marks: a panel drawn again for phones has its own (scene.panel(narrow=...))
    shown: list[dict[str, Any]] = placed_marks(
        [k for k in L["marks"] if "frame" not in k or k["frame"] == frame], L["beside"]
    )
    for k in shown:
        DRAW[k["kind"]](c, k)
    for k in shown:
        if "colorbar" in k:
            _colorbar(c, k["colorbar"])
    if L["note"]:
        _note(c, L["note"])
    if L["legend"]:
        _legend(c, L["legend"], shown, L["marks"])
    return c.fig


# ---- furniture -----------------------------------------------------------------------------------


def _furniture(c, L):
    m, (left, top, right, base) = L["margin"], c.box
    x, y = L["x"], L["y"]
    if not x["hidden"]:
        c.path([left, right], [base, base], AXIS["color"], AXIS["width"], clip=False)
        for t, label in zip(x["ticks"], x["ticklabels"], strict=True):
            at = float(c.X(t))
            c.path([at, at], [base, base + TICK], AXIS["color"], AXIS["width"], clip=False)
            c.text(at, base + X_TICK_BASELINE, label, FONT["tick"], "middle", gid="vw-tick")
        if x["label"]:
            c.text(
                left + c.pw / 2, base + X_LABEL_BASELINE, x["label"], FONT["label"], "middle",
                gid="vw-label",
            )  # fmt: skip
    if not y["hidden"]:
        c.path([left, left], [top, base], AXIS["color"], AXIS["width"], clip=False)
        for t, label in zip(y["ticks"], y["ticklabels"], strict=True):
            at = float(c.Y(t))
            c.path([left, left - TICK], [at, at], AXIS["color"], AXIS["width"], clip=False)
            baseline = at + BASELINE["middle"] * FONT["tick"]
            c.text(left - TICK_GAP, baseline, label, FONT["tick"], "end", gid="vw-tick")
        if y["label"]:
            c.text(
                L["ylabel"], top + c.ph / 2, y["label"], FONT["label"], "middle", gid="vw-label",
                rotate=90,
            )  # fmt: skip
    if L["letter"]:
        c.text(m["left"], TITLE_BASELINE, L["letter"], FONT["title"], bold=True, gid="vw-letter")
    for i, line in enumerate(L["titles"]):
        baseline = TITLE_BASELINE + i * LINE_HEIGHT * FONT["title"]
        c.text(L["title_x"], baseline, line, FONT["title"], gid="vw-title")


def _colorbar(c, bar):
    """A heatmap's colour scale in the panel's right margin, as scene.heatmap(colorbar=...) set
    it."""
    left, top, right, base = c.box
    x, n = right + bar["gap"], len(bar["colors"])
    step = (base - top) / n
    lo, hi = bar["lim"]
    cells = [
        _rect(x, base - (i + 1) * step, x + bar["width"], base - i * step + 0.4) for i in range(n)
    ]
    c.add(PolyCollection(cells, facecolors=bar["colors"], edgecolors="none"), False, "vw-crisp")
    for t, label in zip(bar["ticks"], bar["ticklabels"], strict=True):
        at = base - (t - lo) / (hi - lo) * (base - top)
        end = x + bar["width"]
        c.path([end, end + TICK], [at, at], AXIS["color"], AXIS["width"], clip=False)
        baseline = at + BASELINE["middle"] * FONT["tick"]
        c.text(end + 6, baseline, label, FONT["tick"], gid="vw-tick")
    c.text(
        x + bar["width"] + 30, (top + base) / 2, bar["label"], FONT["label"], "middle",
        gid="vw-label", rotate=-90,
    )  # fmt: skip


def _note(c, note):
    """Why the panel is empty, in the middle of its plot."""
    left, top, right, base = c.box
    lines = note.split("\n")
    first = first_baseline((top + base) / 2, FONT["note"], "middle", len(lines))
    for i, line in enumerate(lines):
        baseline = first + i * LINE_HEIGHT * FONT["note"]
        c.text((left + right) / 2, baseline, line, FONT["note"], "middle", "muted", gid="vw-note")


def _upright(k):
    """A vertical rule, errorbars, a vertical line, or segments whose first is vertical
    (renderer.js's upright)."""
    if k["kind"] in ("vline", "errorbars"):
        return True
    if k["kind"] == "line":
        return len(set(k["x"])) == 1 and len(set(k["y"])) > 1
    return k["kind"] == "segments" and k["x"][0] == k["x"][1] and k["y"][0] != k["y"][1]


def _legend(c, legend, shown, marks):
    """Each entry with the style of the first mark of its label this frame shows, or of any frame
    (``marks``): the legend stays the same while motion plays."""
    for entry in legend["entries"]:
        k = next((k for k in [*shown, *marks] if k.get("label") == entry["label"]), None)
        if k is None:
            continue
        x, y = entry["x"], entry["y"]
        swatch = LEGEND["swatch"]
        if k["kind"] in LINE_KINDS:  # upright for upright marks (ticks, vertical rules)
            width = min(k.get("width", 1.5), 3)
            xs, ys = (
                ([x + swatch / 2] * 2, [y - 5, y + 5]) if _upright(k) else ([x, x + swatch], [y, y])
            )
            c.path(xs, ys, k["color"], width, k.get("opacity", 1.0), k.get("dash", False),
                   clip=False)  # fmt: skip
        elif k["kind"] == "points":
            radius = min(max(k["size"], 2.5), 4.5)
            _markers(c, [x + swatch / 2], [y], radius, k["shape"], k["color"], k["opacity"], False)
        else:
            stroke = k.get("stroke")
            c.fill(_rect(x, y - 4, x + swatch, y + 4), k["color"], k["opacity"], stroke, False)
        c.text(
            x + LEGEND["text"], y + BASELINE["middle"] * FONT["legend"], entry["label"],
            FONT["legend"], gid="vw-legend",
        )  # fmt: skip


# ---- marks ---------------------------------------------------------------------------------------


def _c(name):
    return PALETTE[name]


def _rgba(name, opacity):
    return matplotlib.colors.to_rgba(PALETTE[name], opacity)


def _rect(x0, y0, x1, y1):
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def _line(c, k):
    c.path(c.X(k["x"]), c.Y(k["y"]), k["color"], k["width"], k["opacity"], k["dash"], "round")


def marker_path(shape: str) -> Path:
    """A marker of ``shape`` (scene.SHAPES) as a unit path. Markers are drawn in display space, y
    up: the shapes are written y down, as in SVG. A closed path ignores its last vertex, so the
    first one is repeated to close it (else a square lost a corner)."""
    vertices = SHAPES[shape]
    if vertices is None:
        return Path.unit_circle()
    v = np.array(vertices, dtype=float) * [1, -1]
    return Path(np.vstack([v, v[:1]]), closed=True)


def _markers(c, xs, ys, radius, shape, color, opacity, clip=True):
    """Dots (or SHAPES) of ``radius`` points: the browser's circles and polygons."""
    marker = marker_path(shape)
    # PathCollection scales each path by sqrt(size) points: a unit path becomes radius points.
    dots = PathCollection(
        [marker],
        sizes=[radius**2],
        offsets=np.stack([xs, ys], 1),
        offset_transform=c.pt,
        facecolors=[_rgba(color, opacity)],
        edgecolors="none",
        linewidths=0,
    )
    c.z += 1
    dots.set_zorder(c.z)
    dots.set_transform(IdentityTransform())
    c.ax.add_collection(dots, autolim=False)
    if clip:
        dots.set_clip_path(c.ax.patch)
    else:
        dots.set_clip_on(False)


def _points(c, k):
    _markers(c, c.X(k["x"]), c.Y(k["y"]), k["size"], k["shape"], k["color"], k["opacity"])


def _segments(c, k):
    xy = np.stack([c.X(k["x"]), c.Y(k["y"])], 1).reshape(-1, 2, 2)
    c.add(
        LineCollection(
            xy, colors=[_rgba(k["color"], k["opacity"])], linewidths=k["width"], capstyle="butt"
        )
    )


def _area(c, k):
    xs = np.concatenate([c.X(k["x"]), c.X(k["x"][::-1])])
    ys = np.concatenate([c.Y(k["y1"]), c.Y(k["y2"][::-1])])
    if len(xs):
        c.fill(np.stack([xs, ys], 1), k["color"], k["opacity"])


def _polygon(c, k):
    if len(k["x"]):
        c.fill(np.stack([c.X(k["x"]), c.Y(k["y"])], 1), k["color"], k["opacity"], k["stroke"])


def _text(c, k):
    lines = k["s"].split("\n")
    x = float(c.X(k["x"])) + k.get("dx", 0)  # dx, dy: a label beside its point (layout.SIDES)
    first = first_baseline(float(c.Y(k["y"])) + k.get("dy", 0), k["size"], k["valign"], len(lines))
    for i, line in enumerate(lines):
        baseline = first + i * LINE_HEIGHT * k["size"]
        c.text(x, baseline, line, k["size"], k["anchor"], k["color"], k["bold"],
               gid="vw-text", shade=True)  # fmt: skip


def _arrow(c, k):
    """A shaft and a filled head, as marks.js draws them (the head grows with the line)."""
    ax, bx = (float(v) for v in c.X(k["x"]))
    ay, by = (float(v) for v in c.Y(k["y"]))
    length = float(np.hypot(bx - ax, by - ay)) or 1.0
    ux, uy = (bx - ax) / length, (by - ay) / length
    s = 3 + 2 * k["width"]
    hx, hy = bx - ux * s * 1.6, by - uy * s * 1.6
    c.path([ax, hx], [ay, hy], k["color"], k["width"])
    head = [
        (bx, by),
        (hx - uy * s * 0.6, hy + ux * s * 0.6),
        (hx + uy * s * 0.6, hy - ux * s * 0.6),
    ]
    c.fill(head, k["color"])


def _hline(c, k):
    left, _, right, _ = c.box
    for y in c.Y(k["y"]):
        c.path([left, right], [y, y], k["color"], k["width"], k["opacity"], k["dash"])


def _vline(c, k):
    _, top, _, base = c.box
    for x in c.X(k["x"]):
        c.path([x, x], [top, base], k["color"], k["width"], k["opacity"], k["dash"])


def _hband(c, k):
    left, _, right, _ = c.box
    y0, y1 = c.Y(k["y"])
    c.fill(_rect(left, y1, right, y0), k["color"], k["opacity"])


def _vband(c, k):
    _, top, _, base = c.box
    x0, x1 = c.X(k["x"])
    c.fill(_rect(x0, top, x1, base), k["color"], k["opacity"])


def _bars(c, k):
    centres, half = np.asarray(k["x"], float), k["width"] / 2
    x0, x1 = c.X(centres - half), c.X(centres + half)
    y0, y1 = c.Y(k["y"]), c.Y(k["base"])
    cells = [_rect(*v) for v in zip(x0, y0, x1, y1, strict=True)]
    c.add(PolyCollection(cells, facecolors=[_rgba(k["color"], k["opacity"])], edgecolors="none"))


def _errorbars(c, k):
    lines = []
    for x, lo, hi in zip(c.X(k["x"]), c.Y(k["low"]), c.Y(k["high"]), strict=True):
        cap = k["cap"]
        lines += [
            [(x, lo), (x, hi)],
            [(x - cap, lo), (x + cap, lo)],
            [(x - cap, hi), (x + cap, hi)],
        ]
    c.add(
        LineCollection(
            lines, colors=[_rgba(k["color"], k["opacity"])], linewidths=k["width"], capstyle="butt"
        )
    )


def _heatmap(c, k):
    ex0, ex1, ey0, ey1 = k["extent"]
    cols, rows = np.meshgrid(np.arange(k["cols"]), np.arange(k["rows"]))
    cw, ch = (ex1 - ex0) / k["cols"], (ey1 - ey0) / k["rows"]
    x0 = c.X(ex0 + cols.ravel() * cw)
    x1 = c.X(ex0 + (cols.ravel() + 1) * cw) + 0.4  # a hair of overlap: no seams between cells
    y0 = c.Y(ey0 + (rows.ravel() + 1) * ch)
    y1 = c.Y(ey0 + rows.ravel() * ch) + 0.4
    cells = [_rect(*v) for v in zip(x0, y0, x1, y1, strict=True)]
    c.add(PolyCollection(cells, facecolors=k["colors"], edgecolors="none"), gid="vw-crisp")


DRAW = {
    "line": _line,
    "points": _points,
    "segments": _segments,
    "area": _area,
    "polygon": _polygon,
    "text": _text,
    "arrow": _arrow,
    "heatmap": _heatmap,
    "hline": _hline,
    "vline": _vline,
    "hband": _hband,
    "vband": _vband,
    "bars": _bars,
    "errorbars": _errorbars,
}


# ---- SVG text ------------------------------------------------------------------------------------


def to_svg(fig: Figure, cls: str = "") -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", transparent=True)
    # --w, --h: the panel's natural size in inches (the stylesheet's flex basis and aspect ratio).
    size = f"--w:{fig.get_figwidth():g};--h:{fig.get_figheight():g}"
    attrs = f'style="{size}" ' + (f'class="{cls}" ' if cls else "")
    return _clean(buf.getvalue()).replace("<svg ", f"<svg {attrs}", 1)


_PALETTE_HEX = re.compile("|".join(re.escape(h) for h in PALETTE.values()), re.I)
_NAME_OF_HEX = {h.lower(): n for n, h in PALETTE.items()}
_TEXT_HEX = re.compile("|".join(re.escape(h) for h in TEXT_SHADES.values()), re.I)
_TEXT_OF_HEX = {h.lower(): n for n, h in TEXT_SHADES.items()}


JOINS = 'stroke-linejoin="round" stroke-linecap="butt"'  # the renderer.js panels' too


def _clean(svg):
    """Inline-ready SVG: no prolog or metadata, no fixed size, themable colours, page font, and
    the classes the browser's renderer gives the same elements (ticks, titles, the legend)."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*" ', r"<svg \1", svg, count=1)
    # matplotlib's default joins and caps, as a <style> of `*{...}`: inline, that rule would
    # apply to the whole page, one more sheet per figure for every element's style. On the root
    # instead, as inherited attributes (each element's own style still wins, as over the rule).
    svg = re.sub(r"<defs>\s*<style[^>]*>\*\{[^}]*\}</style>\s*</defs>", "", svg, count=1)
    svg = svg.replace("<svg ", f"<svg {JOINS} ", 1)
    svg = _PALETTE_HEX.sub(lambda m: f"var(--vw-{_NAME_OF_HEX[m.group(0).lower()]})", svg)
    svg = _TEXT_HEX.sub(lambda m: f"var(--vw-text-{_TEXT_OF_HEX[m.group(0).lower()]})", svg)
    svg = re.sub(r"font-family: [^;\"]*", "font-family: inherit", svg)
    # Cells drawn without anti-aliasing, as the browser's: no seams between them.
    svg = svg.replace('<g id="vw-crisp"', '<g shape-rendering="crispEdges"')
    svg = re.sub(r'<g id="(vw-[a-z]+)"', r'<g class="\1"', svg)
    # Ids referred to, renamed short (matplotlib's carry a hash, repeated by every dot's <use>);
    # the others dropped.
    used = re.findall(r'(?:url\(#|href="#)([^)"]+)', svg)
    short = {name: f"i{k}" for k, name in enumerate(dict.fromkeys(used))}
    svg = re.sub(r' id="([^"]+)"', lambda m: f' id="{short[m[1]]}"' if m[1] in short else "", svg)
    svg = re.sub(r'(url\(#|href="#)([^)"]+)', lambda m: m[1] + short[m[2]], svg)
    svg = re.sub(r"<g>(<use [^>]*/>)</g>", r"\1", svg)
    svg = _COORDINATES.sub(lambda m: _THREE_DECIMALS.sub(_hundredth, m.group(0)), svg)
    svg = re.sub(r"\s*\n\s*", " ", svg)
    return _DOT_RUN.sub(_one_group, re.sub(r">\s+<", "><", svg).strip())


# A collection's dots: matplotlib wraps each dot in a clipped group of its own, each styled alike.
# Dots in a row with one clip and one style share one group, the style on it (fill is inherited):
# one element per dot, not two, for the reader's browser to parse, style and lay out.
_DOT = r'<g clip-path="(url\(#[^)]+\))"><use ([^>]*?) style="([^"]*)"/></g>'
_DOT_RUN = re.compile(rf"(?:{_DOT}){{2,}}")


def _one_group(run: re.Match[str]) -> str:
    groups: list[tuple[str, str, list[str]]] = []
    for clip, use, style in re.findall(_DOT, run.group(0)):
        if not groups or groups[-1][:2] != (clip, style):
            groups.append((clip, style, []))
        groups[-1][2].append(f"<use {use}/>")
    return "".join(f'<g clip-path="{c}" style="{s}">{"".join(u)}</g>' for c, s, u in groups)


# Positions to a hundredth of a point (off by 0.007 px at most: an edge drawn crisp stays on its
# pixel): matplotlib writes six decimals, a fifth of a guided page's bytes gzipped. Styles
# (opacity, stroke widths) are left as they are.
_COORDINATES = re.compile(r'\b(?:d|x|y|width|height|transform)="[^"]*"')
_THREE_DECIMALS = re.compile(r"-?\d+\.\d{3,}")


def _hundredth(number: re.Match[str]) -> str:
    text = f"{float(number.group(0)):.2f}".rstrip("0").removesuffix(".")
    return "0" if text == "-0" else text


def with_id_prefix(svg: str, prefix: str) -> str:
    """Give every id a page-unique prefix: several inline SVGs share one id space."""
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}\1)", svg)
    return re.sub(r'href="#([^"]+)"', rf'href="#{prefix}\1"', svg)
