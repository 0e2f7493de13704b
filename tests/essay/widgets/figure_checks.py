"""What the figure tests check of a scene without a browser.

Where its marks land, in points, computed from the layout the scene carries (both renderers draw
what it decides): dots cut by the plot's edge, lines that leave it, texts that leave the panel,
and captions that point at positions instead of panel letters. The contract's browser test
(``test_no_text_collides_and_nothing_is_clipped``) measures the same on the drawn SVG."""

import re

import numpy as np

from visual_essay.layout import placed_marks, text_box

CLIP_SLACK = 0.75  # points, as the contract's browser check allows


def layouts(panel):
    """(name, layout) for each layout of a finished panel: "wide", and "narrow" when it has one."""
    yield "wide", panel
    if panel.get("narrow"):
        yield "narrow", panel["narrow"]


def maps(layout):
    """(x to points, y to points, plot box) of a layout."""
    m, (w_in, h_in) = layout["margin"], layout["size"]
    (x0, x1), (y0, y1) = layout["x"]["lim"], layout["y"]["lim"]
    pw, ph = w_in * 72 - m["left"] - m["right"], h_in * 72 - m["top"] - m["bottom"]
    box = (m["left"], m["top"], m["left"] + pw, m["top"] + ph)
    return (lambda v: m["left"] + (np.asarray(v, float) - x0) / (x1 - x0) * pw,
            lambda v: m["top"] + (1 - (np.asarray(v, float) - y0) / (y1 - y0)) * ph, box)


def clipped(scene):
    """What the plot's edge cuts: dots (a disc of the renderers' radius) and lines, per panel and
    layout, as readable problems."""
    problems = []
    for number, panel in enumerate(scene["panels"], 1):
        for variant, layout in layouts(panel):
            X, Y, (bx0, by0, bx1, by1) = maps(layout)
            for mark in panel["marks"]:
                if mark["kind"] == "points" and len(mark["x"]):
                    r = min(max(mark["size"], 2.5), 4.5)  # figure.py's and renderer.js's radius
                elif mark["kind"] == "line" and len(mark["x"]):
                    r = 0.0  # the browser measures a line without its stroke
                else:
                    continue
                x, y = X(mark["x"]), Y(mark["y"])
                if (np.any(x - r < bx0 - CLIP_SLACK) or np.any(x + r > bx1 + CLIP_SLACK)
                        or np.any(y - r < by0 - CLIP_SLACK) or np.any(y + r > by1 + CLIP_SLACK)):
                    problems.append(f"panel {number} ({variant}): a {mark['kind']} mark "
                                    f"{mark.get('label', '')!r} is clipped")
    return problems


def text_boxes(panel, layout):
    """(text, estimated box in points) of each text mark of a panel in one of its layouts."""
    X, Y, _ = maps(layout)
    return [(m["s"], text_box(float(X(m["x"])) + m.get("dx", 0), float(Y(m["y"])) + m.get("dy", 0),
                              m["s"], m["size"], m["anchor"], m["valign"], m["bold"]))
            for m in placed_marks(panel["marks"], layout["beside"]) if m["kind"] == "text"]


def texts_leaving(scene):
    """Text marks whose estimated box leaves their panel, per panel and layout."""
    problems = []
    for number, panel in enumerate(scene["panels"], 1):
        for variant, layout in layouts(panel):
            w, h = layout["size"][0] * 72, layout["size"][1] * 72
            for s, (x0, y0, x1, y1) in text_boxes(panel, layout):
                if x0 < 1 or y0 < 1 or x1 > w - 1 or y1 > h - 1:
                    problems.append(f"panel {number} ({variant}): {s!r} leaves it")
    return problems


POSITION = re.compile(r"\b(?:left|right|top|bottom|middle|upper|lower)\b", re.I)


def caption_problems(caption, scene):
    """A caption names panels by their letters, "(a)", never by where they sit (side by side on
    a desktop, stacked on a phone); it names every panel of a figure with several."""
    letters = [p["letter"] for p in scene["panels"] if p["letter"]]
    problems = [f"panel {s} is not named '({s})'" for s in letters if f"({s})" not in caption]
    problems += [f"points at a position: {m.group(0)!r}" for m in POSITION.finditer(caption)]
    return problems
