"""Where a panel's furniture goes (layout.py), and the scene vocabulary's help for figures a
graphics desk would sign off: legends placed where they cover no data, text never under MIN_TEXT,
a layout for narrow columns, panels lettered, empty panels left out or saying why, motion shown
as its still frame, a colour-blind-safe palette."""

import itertools
import re

import numpy as np
import pytest

from visual_essay import figure, layout
from visual_essay import scene as S
from visual_essay.testing import VISIONS, colour_difference, colour_only_pairs, palettes

X = np.linspace(0, 10, 60)


def one_panel(marks, **options):
    return S.scene([S.panel(marks, **options)], alt="A test figure.")["panels"][0]


def test_an_auto_legend_takes_the_first_corner_where_it_covers_no_data():
    rising = S.line(X, X, label="rising")  # from the lower left to the upper right
    p = one_panel([rising], legend="auto", size=(4, 3))
    assert p["legend"]["place"] == "upper left"
    falling = S.line(X, 10 - X, label="falling")  # now the upper left is taken too
    p = one_panel([rising, falling], legend="auto", size=(4, 3))
    assert p["legend"]["place"] == "above"


def test_a_legend_above_the_plot_takes_its_room_from_the_plot_not_the_page():
    marks = [S.hband(-1, 11, color="teal", label="band"), S.points(X, X, label="dots")]
    inside = one_panel(marks, size=(4, 3))
    above = one_panel(marks, legend="above", size=(4, 3))
    grow = above["margin"]["top"] - inside["margin"]["top"]
    # A setting that moves the legend above keeps the panel's height: the page does not move.
    assert grow > 0 and above["size"] == inside["size"] == [4, 3]
    m = above["margin"]
    assert layout._ticks_fit(above["y"], 3 * 72 - m["top"] - m["bottom"], True)
    x0, y0, x1, y1 = above["legend"]["box"]
    assert y1 <= above["margin"]["top"], "the legend sits above the plot"
    assert [e["label"] for e in above["legend"]["entries"]] == ["band", "dots"]


def test_the_legend_lists_each_label_once_in_the_order_of_the_marks():
    marks = [S.line(X, X, label="a", frame=0), S.line(X, X, label="a", frame=1),
             S.points([1], [1], label="b")]
    p = S.scene([S.panel(marks, legend="upper left")], alt="x", motion=S.frames(2))["panels"][0]
    assert [e["label"] for e in p["legend"]["entries"]] == ["a", "b"]


def placed_boxes(p, variant="wide"):
    """(text, estimated box in points) of each text of panel ``p`` where its layout put it."""
    L = p if variant == "wide" else p["narrow"]
    ink = layout._Ink([], L)
    return [(k["s"], layout.text_box(float(ink.X(k["x"])) + k.get("dx", 0),
                                     float(ink.Y(k["y"])) + k.get("dy", 0), k["s"], k["size"],
                                     k["anchor"], k["valign"], k["bold"]))
            for k in layout.placed_marks(p["marks"], L["beside"]) if k["kind"] == "text"]


def covered(box, xs, ys):
    x0, y0, x1, y1 = box
    return int(np.count_nonzero((xs >= x0) & (xs <= x1) & (ys >= y0) & (ys <= y1)))


def test_a_label_beside_its_point_covers_no_line_dot_rule_or_other_label():
    """A flat line through the point takes the label's first choice (right) away; a reference
    line above takes 'above' too; a second label at the same point takes yet another place."""
    flat = S.line(X, 0 * X + 5)
    marks = [flat, S.hline([6]), S.points([5], [5], size=4),
             S.text(5, 5, "first", beside=True, gap=6), S.text(5, 5, "second", beside=True)]
    p = one_panel(marks, size=(4, 3), x=S.axis(lim=(0, 10)), y=S.axis(lim=(0, 10)))
    ink = layout._Ink([m for m in p["marks"] if m["kind"] != "text"], p)
    (_, a), (_, b) = placed_boxes(p)
    for box in (a, b):
        assert covered(box, *ink.strokes.T) == 0  # the line, the rule and the dot
    assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1])
    assert p["beside"][0]["anchor"] != "start" or p["beside"][0]["valign"] != "middle"


def test_a_label_beside_its_point_keeps_air_from_any_other_text():
    """A label whose first place would end a point short of another text goes elsewhere: texts
    that close read as one phrase (the fourteenth graphics desk: "0.01 A vs A gap ≥ 30")."""
    axes = {"size": (4, 3), "x": S.axis(lim=(0, 10)), "y": S.axis(lim=(0, 10))}
    label = S.text(5, 5, "label", beside=("right", "left"))
    alone = one_panel([label], **axes)
    (_, (_, _, right, _)), = placed_boxes(alone)
    ink = layout._Ink([], alone)
    per_x = float(ink.X(1) - ink.X(0))
    fixed = S.text((right + 1 - float(ink.X(0))) / per_x, 5, "fixed", anchor="start")
    p = one_panel([fixed, label], **axes)
    (_, a), (_, b) = placed_boxes(p)
    assert max(b[0] - a[2], a[0] - b[2], b[1] - a[3], a[1] - b[3]) >= 4 - 0.01  # TEXT_AIR


def test_a_label_keeps_off_a_dot_it_would_graze_at_a_slant():
    """A dot is its disc: one whose edge reaches the label's first place only at that place's
    corner (its centre and the ends of its cross outside it) sends the label to its next side
    (the ninth graphics desk: a count label on a cloud of dots)."""
    axes = {"size": (4, 3), "x": S.axis(lim=(0, 10)), "y": S.axis(lim=(0, 10))}
    label = S.text(5, 5, "label", beside=("right", "left"))
    alone = one_panel([label], **axes)
    (_, (x0, y0, _, _)), = placed_boxes(alone)
    radius = 6.0
    cx, cy = x0 - 0.6 * radius, y0 - 0.6 * radius  # its edge over the box's top-left corner
    ink = layout._Ink([], alone)
    per_x, per_y = float(ink.X(1) - ink.X(0)), float(ink.Y(1) - ink.Y(0))
    dot = S.points([(cx - float(ink.X(0))) / per_x], [(cy - float(ink.Y(0))) / per_y], size=radius)
    p = one_panel([dot, S.text(5, 5, "label", beside=("right", "left"))], **axes)
    (_, (bx0, by0, bx1, by1)), = placed_boxes(p)
    air = np.hypot(np.clip(cx, bx0, bx1) - cx, np.clip(cy, by0, by1) - cy) - radius
    assert air >= 0, f"the label covers the dot by {-air:.1f} pt"
    assert p["beside"][0]["anchor"] == "end"  # on the left


def test_a_label_stays_inside_the_plot_and_is_placed_again_for_the_narrow_layout():
    marks = [S.line(X * 100, X), S.text(1000, 10, "at the top right corner", beside=True)]
    p = one_panel(marks, size=(6, 3))
    for variant in ("wide", "narrow"):
        L = p if variant == "wide" else p["narrow"]
        left, top, right, bottom = layout._plot_box(L)
        (_, (x0, y0, x1, y1)), = placed_boxes(p, variant)
        assert left <= x0 and x1 <= right and top <= y0 and y1 <= bottom, variant
        assert L["beside"][0]["anchor"] == "end"  # it went left of its point


def _one_line_at_a_time(xs, ys, step=2.0):
    """What the label placement samples along one polyline: numpy's linspace and interp."""
    xs, ys = np.asarray(xs, float), np.asarray(ys, float)
    if len(xs) < 2:
        return np.stack([xs, ys], 1)
    run = np.concatenate([[0], np.cumsum(np.hypot(np.diff(xs), np.diff(ys)))])
    at = np.linspace(0, run[-1], max(2, int(run[-1] / step) + 2))
    return np.stack([np.interp(at, run, xs), np.interp(at, run, ys)], 1)


def test_lines_sampled_together_give_each_line_s_samples_bit_for_bit():
    rng = np.random.default_rng(7)
    for _ in range(300):
        lines = []
        for vertices in rng.integers(0, 9, size=rng.integers(1, 7)):
            xs, ys = rng.uniform(0, 300, vertices), rng.uniform(0, 200, vertices)
            if vertices > 2:  # a zero-length piece at the start and at the end
                xs[1], ys[1], xs[-1], ys[-1] = xs[0], ys[0], xs[-2], ys[-2]
            lines.append((np.round(xs) if rng.random() < 0.3 else xs, ys))
        lines.append((np.full(5, 3.0), np.full(5, 4.0)))  # a line of no length
        together = layout._along(lines)
        one_by_one = np.concatenate([_one_line_at_a_time(*line) for line in lines])
        # the same points, bit for bit (in another order: lines with as many vertices go together)
        assert np.array_equal(np.unique(together, axis=0), np.unique(one_by_one, axis=0))
        assert len(together) == len(one_by_one)


def test_a_label_with_no_free_place_takes_the_one_covering_least_and_is_still_drawn():
    crowd = S.points(*np.meshgrid(np.arange(11.0), np.arange(11.0)), size=3)
    p = one_panel([crowd, S.text(5, 5, "crowded", beside=True)], size=(3, 3))
    assert len(p["beside"]) == 1 and {"dx", "dy", "anchor", "valign"} <= p["beside"][0].keys()


def test_an_unknown_side_is_refused_with_the_sides_named():
    with pytest.raises(S.SceneError, match="above right"):
        S.text(0, 0, "x", beside=("up",))


def test_text_is_never_smaller_than_min_text_and_may_wrap():
    assert S.text(0, 0, "tiny", size=5)["size"] == layout.MIN_TEXT
    wrapped = S.wrap("a label much too long for a narrow box", 60, size=9)
    assert "\n" in wrapped
    assert all(layout.text_width(line, 9) <= 60 for line in wrapped.split("\n"))


def test_a_wide_panel_has_a_narrow_layout_with_ticks_that_fit():
    p = one_panel([S.line(np.linspace(0, 12345, 20), np.arange(20))], size=(6, 3),
                  title="a title long enough that it must wrap in a narrow column of a phone")
    narrow = p["narrow"]
    assert narrow["size"][0] == layout.NARROW_WIDTH and p["size"][0] == 6
    assert len(narrow["titles"]) > len(p["titles"]) == 1
    assert narrow["margin"]["top"] > p["margin"]["top"]
    m = narrow["margin"]
    assert layout._ticks_fit(narrow["x"], narrow["size"][0] * 72 - m["left"] - m["right"], False)
    assert one_panel([S.line(X, X)], size=(3, 3))["narrow"] is None
    axis = {**S.axis(lim=(0, 2.2e6)), "fixed_ticks": False, "ticks": [], "ticklabels": []}
    layout.fit_ticks(axis, 400, vertical=False)
    assert len(axis["ticks"]) == 5
    layout.fit_ticks(axis, 120, vertical=False)  # fewer round ticks, until their labels fit
    assert 2 <= len(axis["ticks"]) < 5 and layout._ticks_fit(axis, 120, vertical=False)


def test_an_equal_aspect_panel_keeps_its_shape_when_narrow():
    p = one_panel([S.line([0, 1], [0, 1])], size=(5, 3), equal=True)
    for L in (p, p["narrow"]):
        m, (w, h) = L["margin"], L["size"]
        pw, ph = w * 72 - m["left"] - m["right"], h * 72 - m["top"] - m["bottom"]
        (x0, x1), (y0, y1) = L["x"]["lim"], L["y"]["lim"]
        assert (x1 - x0) / pw == pytest.approx((y1 - y0) / ph, rel=0.05)


def test_long_tick_labels_widen_the_left_margin_and_the_y_title_keeps_clear_of_them():
    p = one_panel([S.line(X, X * 1e5)], y=S.axis("a big number"))
    widest = max(layout.text_width(s, layout.FONT["tick"]) for s in p["y"]["ticklabels"])
    assert p["margin"]["left"] >= widest + layout.TICK_GAP + 14
    assert p["ylabel"] + 2 <= p["margin"]["left"] - layout.TICK_GAP - widest


def test_panels_are_lettered_and_an_empty_panel_is_left_out_or_says_why():
    data = S.panel([S.line(X, X)])
    empty = S.panel([S.hline([0]), S.line([], [])], title="costs")
    said = S.panel([S.hline([0])], title="costs", empty="No cost: the runs never leave the band.")
    scene = S.scene([data, empty, data], alt="x")
    assert [p["letter"] for p in scene["panels"]] == ["a", "b"]
    scene = S.scene([data, said], alt="x")
    assert scene["panels"][1]["note"] == said["empty"]
    assert S.scene([data], alt="x")["panels"][0]["letter"] == ""
    svg = figure.to_svg(figure.render_panel(scene["panels"][1]))
    assert "No cost" in svg and 'class="vw-letter"' in svg


def test_a_figure_with_motion_is_built_as_its_still_frame_alone():
    marks = [S.points([k], [k], frame=k) for k in range(5)]
    scene = S.scene([S.panel(marks, size=(3, 2))], alt="x", motion=S.frames(5, key=[0, 2, 4]))
    assert scene["frames"]["still"] == 4
    svgs = figure.render_svgs(scene)
    assert len(svgs) == 1, "one panel, not key frames side by side"


def test_marker_shapes_are_a_second_cue_and_unknown_ones_are_refused():
    assert S.points([0], [0], shape="triangle")["shape"] == "triangle"
    with pytest.raises(S.SceneError, match="unknown shape 'star'"):
        S.points([0], [0], shape="star")
    with pytest.raises(S.SceneError, match="legend 'best'"):
        S.panel([], legend="best")


def test_the_palette_stays_apart_for_readers_with_any_colour_vision_deficiency():
    """Every two palette colours (both schemes) differ by PALETTE_MIN_DIFFERENCE (CIEDE2000)
    for typical vision and after simulating deuteranopia, protanopia and tritanopia."""
    for scheme, (palette, background) in palettes().items():
        names = [n for n in palette if n != "muted"]  # muted draws axes, never a series
        assert set(palette) == set(S.PALETTE), f"the {scheme} palette names every colour"
        for a, b in itertools.combinations(names, 2):
            for vision in (None, *VISIONS):
                d = colour_difference(palette[a], palette[b], background, vision)
                assert d >= S.PALETTE_MIN_DIFFERENCE, (
                    f"{scheme}: {a} and {b} differ by {d:.1f} for {vision or 'typical vision'}")


def test_series_that_differ_only_by_colour_need_a_second_cue_when_colours_merge():
    """orange and gold merge for some readers: as two lines they fail, dashed apart they pass."""
    close = [S.line(X, X, color="orange", label="plan"), S.line(X, X + 1, color="gold",
                                                                label="actual")]
    pairs = colour_only_pairs(one_panel(close))
    assert [(a, b) for a, b, *_ in pairs] == [("plan", "actual")]
    assert pairs[0][2] < S.SERIES_MIN_DIFFERENCE
    close[1] = S.line(X, X + 1, color="gold", label="actual", dash=True)
    assert colour_only_pairs(one_panel(close)) == []
    labelled = [*close[:1], S.line(X, X + 1, color="gold", label="actual"),
                S.text(10, 11, "actual", color="gold")]
    assert colour_only_pairs(one_panel(labelled)) == []
    apart = [S.line(X, X, color="blue", label="a"), S.line(X, X + 1, color="orange", label="b")]
    assert colour_only_pairs(one_panel(apart)) == []
    # A pale grey box and a pale green one merge; an empty outlined box beside a filled one not.
    boxes = [S.rect(0, 0, 5, 5, color="gray", opacity=0.12, stroke="muted", label="range"),
             S.rect(2, 2, 8, 8, color="green", opacity=0.2, stroke="green", label="works")]
    assert [(a, b) for a, b, *_ in colour_only_pairs(one_panel(boxes))] == [("range", "works")]
    boxes[0] = S.rect(0, 0, 5, 5, color="gray", opacity=0.0, stroke="muted", label="range")
    assert colour_only_pairs(one_panel(boxes)) == []


def test_every_marker_shape_keeps_all_its_corners_at_build_time():
    """matplotlib ignores a closed path's last vertex: the build's square had three corners and
    its triangle two points until the first vertex was repeated (the browser drew them whole)."""
    from matplotlib.path import Path as MplPath

    from visual_essay.figure import marker_path
    from visual_essay.scene import SHAPES

    for shape, vertices in SHAPES.items():
        if vertices is None:
            continue
        path = marker_path(shape)
        drawn = [v for v, code in zip(path.vertices, path.codes, strict=True)
                 if code != MplPath.CLOSEPOLY]
        assert len(drawn) == len(vertices), shape
        assert np.allclose(drawn, np.array(vertices) * [1, -1]), shape


def test_a_snapshot_allows_a_pixel_of_rounding_and_nothing_more():
    """image_difference: the same picture one pixel taller passes; three pixels taller, or a
    changed picture, fails."""
    import io

    from PIL import Image

    from visual_essay.testing import image_difference

    def png(height, colour=(255, 255, 255)):
        image = Image.new("RGB", (40, height), colour)
        image.paste((0, 0, 0), (10, 10, 30, 20))
        out = io.BytesIO()
        image.save(out, "PNG")
        return out.getvalue()

    assert image_difference(png(30), png(31)) is None
    assert image_difference(png(30), png(33)) == "size 40x30 is now 40x33 px"
    assert "of the pixels changed" in image_difference(png(30), png(30, (200, 0, 0)))


def test_the_legend_stays_the_same_while_motion_plays():
    """The reviewer found an empty legend row during Play: an entry whose mark the frame does not
    show yet (the finished sample, drawn in the last frame) lost its swatch and its text."""
    marks = [S.line(X, X, label="path", frame=0), S.line(X, X, label="path", frame=1),
             S.points([5], [5], label="finished", frame=1)]
    p = S.scene([S.panel(marks, legend="upper left")], alt="x", motion=S.frames(2))["panels"][0]
    for frame in (0, 1):
        svg = figure.to_svg(figure.render_panel(p, frame))
        assert "finished" in svg and "path" in svg, frame


def test_a_key_is_upright_for_upright_marks():
    """The third graphics desk found an essay's vertical ticks keyed by horizontal lines: the
    key of a vertical rule, error bars or vertical segments is a short upright line."""
    up = [S.vline([1]), S.errorbars([1], [1], [0], [2]), S.segments([1], [0], [1], [2]),
          S.line([3, 3], [0, 1])]
    across = [S.hline([1]), S.line([0, 1], [0, 1]), S.segments([0], [1], [2], [1])]
    up, across = ([{**k, "x": list(k.get("x", [])), "y": list(k.get("y", []))} for k in marks]
                  for marks in (up, across))  # as scenes carry them: lists
    assert all(figure._upright(k) for k in up) and not any(figure._upright(k) for k in across)


def test_a_panel_drawn_for_phones_keeps_its_own_marks_axes_and_size():
    wide_marks = [S.line(np.arange(10.0), np.arange(10.0), label="wide")]
    scene = S.scene([S.panel(wide_marks, size=(6, 2.5), title="t",
                             narrow=S.panel([S.points([1.0, 2.0], [3.0, np.float64(4.5)])],
                                            size=(3.3, 3.5), x=S.axis(lim=(0, 5))))],
                    alt="x")
    [p] = scene["panels"]
    assert [m["kind"] for m in p["marks"]] == ["line"]
    narrow = p["narrow"]
    assert [m["kind"] for m in narrow["marks"]] == ["points"]
    assert narrow["marks"][0]["y"] == [3.0, 4.5]  # lists, as the worker sends them
    assert narrow["size"] == [3.3, 3.5] and narrow["x"]["lim"] == [0.0, 5.0]
    assert narrow["titles"] == ["t"] and "title" not in narrow and "letter" not in narrow


def test_a_panel_drawn_for_phones_is_checked_and_fits_a_phone():
    line = [S.line([0.0, 1.0], [0.0, 1.0])]
    with pytest.raises(S.SceneError, match="at most 3.3"):
        S.panel(line, size=(6, 3), narrow=S.panel(line, size=(4, 3)))
    bad = S.panel([S.line([0.0, 1.0], [0.0, np.nan])], size=(3, 3))
    with pytest.raises(S.SceneError, match="not finite"):
        S.scene([S.panel(line, size=(6, 3), narrow=bad)], alt="x")


def test_a_panel_that_fits_a_phone_may_still_be_drawn_shorter_for_one():
    """A panel as tall as its neighbour in a desktop row need not be when stacked on a phone (the
    helpers of the eleventh desk: an essay's 2.75-in panel could not ask for a phone layout, and
    took 100 px more than it needed)."""
    line = [S.line([0.0, 1.0], [0.0, 1.0])]
    scene = S.scene([S.panel(line, size=(2.75, 3.2), title="t",
                             narrow=S.panel(line, size=(2.75, 2.0)))], alt="x")
    [p] = scene["panels"]
    assert p["size"] == [2.75, 3.2] and p["narrow"]["size"] == [2.75, 2.0]
    wide, narrow = figure.render_svgs(scene)  # the stylesheet shows the one for the width
    assert "vw-narrow" in narrow and "vw-narrow" not in wide
    box = r'viewBox="0 0 [\d.]+ ([\d.]+)"'
    heights = [float(re.search(box, svg).group(1)) for svg in (wide, narrow)]
    assert heights == pytest.approx([3.2 * 72, 2.0 * 72], abs=1)


def test_a_table_stores_a_phone_panels_marks_once_like_the_others():
    from visual_essay.tables import build_table

    def compute(params):
        mark = S.points([1.0], [2.0])
        return S.scene([S.panel([mark], size=(6, 3), narrow=S.panel([mark], size=(3, 3)))],
                       alt="x")

    table = build_table([], {}, compute)
    [stored] = table["scenes"]
    [p] = stored["panels"]
    assert p["marks"] == p["narrow"]["marks"] == [0] and len(table["marks"]) == 1


def test_aligned_panels_start_their_plots_at_one_height_and_keep_their_keys_beside_them():
    """``scene(aligned=True)``: a panel with a key above its plot beside one with a plain title
    and a key in a corner, both 3 in tall: both plots start at the lower top, so both are as
    tall; the corner key moves down with its plot, the key above stays."""
    keyed = S.panel([S.line([0.0, 1.0], [0.0, 1.0], label=f"series {k}") for k in range(3)],
                    title="keyed", legend="above", size=(3, 3))
    plain = S.panel([S.line([0.0, 1.0], [0.0, 1.0], label="one")], title="plain",
                    legend="lower right", size=(3, 3))
    loose = S.scene([keyed, plain], alt="x")
    tight = S.scene([keyed, plain], alt="x", aligned=True)
    a, b = loose["panels"]
    assert a["margin"]["top"] > b["margin"]["top"], "the key above takes room"
    a2, b2 = tight["panels"]
    assert a2["margin"]["top"] == b2["margin"]["top"] == a["margin"]["top"]
    assert a2["size"] == b2["size"] == [3.0, 3.0]
    assert a2["legend"] == a["legend"]
    down = b2["margin"]["top"] - b["margin"]["top"]
    assert b2["legend"]["box"][1] == pytest.approx(b["legend"]["box"][1] + down)
    assert b2["legend"]["place"] == "lower right"
    # On a phone, where the panels stack, the panel moved down keeps its own layout.
    assert a2["narrow"] is None
    assert b2["narrow"]["margin"] == b["margin"] and b2["narrow"]["legend"] == b["legend"]
    assert b2["narrow"]["size"] == b["size"]
