"""The build-time renderer: a scene (see ``visual_essay.scene``) drawn by matplotlib as inline SVG.

One SVG per panel, laid out by CSS (side by side on a desktop, stacked on a phone). Colours come out
as CSS variables, so the static figure follows the light or dark scheme like the live one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import matplotlib
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
import numpy as np

from .scene import COLORBAR, PALETTE

if TYPE_CHECKING:
    from .contract import Panel, Scene

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",  # real <text>, in the page's font, selectable and small
        "svg.hashsalt": "visual-essay",  # deterministic ids, so cached figures are stable
        "font.family": "sans-serif",
        "font.size": 9,
        "axes.edgecolor": PALETTE["muted"],
        "axes.labelcolor": PALETTE["ink"],
        "text.color": PALETTE["ink"],
        "xtick.color": PALETTE["muted"],
        "ytick.color": PALETTE["muted"],
        "xtick.labelcolor": PALETTE["ink"],
        "ytick.labelcolor": PALETTE["ink"],
        "axes.titlesize": 10,
        "axes.titlelocation": "left",
        "axes.labelsize": 9,
        "legend.fontsize": 8,
    }
)

HALIGN = {"start": "left", "middle": "center", "end": "right"}
VALIGN = {"top": "top", "middle": "center", "bottom": "bottom"}


def render_panels(scene: Scene) -> list[Figure]:
    """The static figure as a list of SVG strings: one per panel, and for a panel with motion one
    per key frame (with the frame's label in its title)."""
    svgs = []
    motion = scene.get("frames")
    for p in scene["panels"]:
        keys: list[int | None] = [None]
        if motion and any("frame" in m for m in p["marks"]):
            keys = list(motion["key"])
        for frame in keys:
            title = p["title"]
            if motion and frame is not None:
                title = f"{title} · {motion['labels'][frame]}" if title else motion["labels"][frame]
            svgs.append(render_panel(p, frame, title))
    return svgs


def render_panel(p: Panel, frame: int | None, title: str) -> Figure:
    width_in, height_in = p["size"]
    fig = Figure(figsize=(width_in, height_in))
    fig.patch.set_alpha(0)
    m = p["margin"]
    w, h = width_in * 72, height_in * 72
    ax = fig.add_axes(
        (
            m["left"] / w,
            m["bottom"] / h,
            1 - (m["left"] + m["right"]) / w,
            1 - (m["top"] + m["bottom"]) / h,
        )
    )
    ax.patch.set_alpha(0)
    _axis(ax, p["x"], "x")
    _axis(ax, p["y"], "y")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if p["x"]["hidden"]:
        ax.spines["bottom"].set_visible(False)
    if p["y"]["hidden"]:
        ax.spines["left"].set_visible(False)
    if title:
        ax.set_title(title, pad=6)
    legend = []  # (artist, label) in mark order, as the browser lists them
    for mark in p["marks"]:
        if "frame" in mark and mark["frame"] != frame:
            continue
        artist = DRAW[mark["kind"]](ax, mark)
        if "label" in mark:
            legend.append((artist, mark["label"]))
    legend = [(artist, label) for artist, label in legend if artist is not None]
    if p["legend"] and legend:
        # Handles given in mark order: left alone, matplotlib lists bars and error bars last.
        ax.legend(
            *zip(*legend, strict=True),
            loc=p["legend"],
            frameon=False,
            handlelength=1.2,
            borderaxespad=0.2,
        )
    return fig


def _axis(ax, spec, which):
    getattr(ax, f"set_{which}lim")(*spec["lim"])
    getattr(ax, f"set_{which}ticks")(spec["ticks"], spec["ticklabels"])
    if spec["label"]:
        getattr(ax, f"set_{which}label")(spec["label"])
    if spec["hidden"]:
        getattr(ax, f"set_{which}ticks")([])


def _c(name):
    return PALETTE[name]


def _line(ax, k):
    return ax.plot(
        k["x"],
        k["y"],
        color=_c(k["color"]),
        lw=k["width"],
        alpha=k["opacity"],
        ls="--" if k["dash"] else "-",
        label=k.get("label"),
        solid_capstyle="round",
    )[0]


def _points(ax, k):
    return ax.scatter(
        k["x"],
        k["y"],
        s=(2 * k["size"]) ** 2,
        color=_c(k["color"]),
        alpha=k["opacity"],
        linewidths=0,
        label=k.get("label"),
        zorder=3,
    )


def _segments(ax, k):
    xy = np.stack([k["x"], k["y"]], 1).reshape(-1, 2, 2)
    return ax.add_collection(
        LineCollection(
            xy,
            colors=_c(k["color"]),
            linewidths=k["width"],
            alpha=k["opacity"],
            label=k.get("label"),
        )
    )


def _area(ax, k):
    return ax.fill_between(
        k["x"],
        k["y1"],
        k["y2"],
        color=_c(k["color"]),
        alpha=k["opacity"],
        lw=0,
        label=k.get("label"),
    )


def _polygon(ax, k):
    return ax.fill(
        k["x"],
        k["y"],
        color=_c(k["color"]),
        alpha=k["opacity"],
        label=k.get("label"),
        ec=_c(k["stroke"]) if k["stroke"] else "none",
        lw=1 if k["stroke"] else 0,
    )[0]


def _text(ax, k):
    return ax.text(
        k["x"],
        k["y"],
        k["s"],
        color=_c(k["color"]),
        fontsize=k["size"],
        ha=HALIGN[k["anchor"]],
        va=VALIGN[k["valign"]],
        fontweight="bold" if k["bold"] else "normal",
        zorder=4,
    )


def _arrow(ax, k):
    return ax.annotate(
        "",
        xy=(k["x"][1], k["y"][1]),
        xytext=(k["x"][0], k["y"][0]),
        arrowprops=dict(
            arrowstyle="-|>",
            color=_c(k["color"]),
            lw=k["width"],
            shrinkA=0,
            shrinkB=0,
            mutation_scale=8,
        ),
    )


def _rgb(colors):
    return np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in colors], np.uint8)


def _heatmap(ax, k):
    image = ax.imshow(
        _rgb(k["colors"]).reshape(k["rows"], k["cols"], 3),
        extent=k["extent"],
        origin="lower",
        aspect="auto",
        interpolation="nearest",
        zorder=0,
    )
    if "colorbar" in k:
        _colorbar(ax, k["colorbar"])
    return image


def _colorbar(ax, bar):
    """The colour scale in the panel's right margin, placed in points as the browser places it."""
    fig = ax.figure
    w_pt = fig.get_figwidth() * 72
    box = ax.get_position()
    left = box.x1 + COLORBAR["gap"] / w_pt
    cax = fig.add_axes([left, box.y0, COLORBAR["width"] / w_pt, box.height])
    cax.imshow(
        _rgb(bar["colors"]).reshape(-1, 1, 3),
        extent=[0, 1, *bar["lim"]],
        origin="lower",
        aspect="auto",
        interpolation="nearest",
    )
    cax.set_xticks([])
    cax.yaxis.tick_right()
    cax.yaxis.set_label_position("right")
    cax.set_yticks(bar["ticks"], bar["ticklabels"])
    cax.set_ylim(*bar["lim"])
    cax.set_ylabel(bar["label"])
    for spine in cax.spines.values():
        spine.set_visible(False)


def _rule(k):
    return dict(
        color=_c(k["color"]), lw=k["width"], alpha=k["opacity"], ls="--" if k["dash"] else "-"
    )


def _hline(ax, k):
    lines = [ax.axhline(y, **_rule(k)) for y in k["y"]]
    return lines[0] if lines else None


def _vline(ax, k):
    lines = [ax.axvline(x, **_rule(k)) for x in k["x"]]
    return lines[0] if lines else None


def _hband(ax, k):
    return ax.axhspan(*k["y"], color=_c(k["color"]), alpha=k["opacity"], lw=0, label=k.get("label"))


def _vband(ax, k):
    return ax.axvspan(*k["x"], color=_c(k["color"]), alpha=k["opacity"], lw=0, label=k.get("label"))


def _bars(ax, k):
    base, top = np.array(k["base"]), np.array(k["y"])
    return ax.bar(
        k["x"],
        top - base,
        k["width"],
        bottom=base,
        color=_c(k["color"]),
        alpha=k["opacity"],
        lw=0,
        label=k.get("label"),
    )


def _errorbars(ax, k):
    y, low, high = (np.array(k[f]) for f in ("y", "low", "high"))
    return ax.errorbar(
        k["x"],
        y,
        yerr=[y - low, high - y],
        fmt="none",
        ecolor=_c(k["color"]),
        elinewidth=k["width"],
        capsize=k["cap"],
        capthick=k["width"],
        alpha=k["opacity"],
        label=k.get("label"),
    )


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


def to_svg(fig: Figure) -> str:
    import io

    buf = io.StringIO()
    fig.savefig(buf, format="svg", transparent=True)
    # --w: the panel's natural width in inches, which the stylesheet turns into its flex basis.
    return _clean(buf.getvalue()).replace("<svg ", f'<svg style="--w:{fig.get_figwidth():g}" ', 1)


_PALETTE_HEX = re.compile("|".join(re.escape(h) for h in PALETTE.values()), re.I)
_NAME_OF_HEX = {h.lower(): n for n, h in PALETTE.items()}


def _clean(svg):
    """Inline-ready SVG: no prolog or metadata, no fixed size, themable colours, page font."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*" ', r"<svg \1", svg, count=1)
    svg = _PALETTE_HEX.sub(lambda m: f"var(--vw-{_NAME_OF_HEX[m.group(0).lower()]})", svg)
    svg = re.sub(r"font-family: [^;\"]*", "font-family: inherit", svg)
    used = set(re.findall(r"url\(#([^)]+)\)", svg)) | set(re.findall(r'href="#([^"]+)"', svg))
    svg = re.sub(r' id="([^"]+)"', lambda m: m.group(0) if m.group(1) in used else "", svg)
    svg = re.sub(r"<g>(<use [^>]*/>)</g>", r"\1", svg)
    svg = re.sub(r"\s*\n\s*", " ", svg)
    return re.sub(r">\s+<", "><", svg).strip()


def with_id_prefix(svg: str, prefix: str) -> str:
    """Give every id a page-unique prefix: several inline SVGs share one id space."""
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}\1)", svg)
    return re.sub(r'href="#([^"]+)"', rf'href="#{prefix}\1"', svg)
