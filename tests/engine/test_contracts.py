"""One declaration per concept, and the payloads as contract.py describes them.

Each mark kind is declared once (``scene.MARKS``) and both renderers draw exactly those kinds; each
parameter kind carries all its behaviour; scenes and tables have the fields and the version the
runtime checks."""

import json
import typing

import numpy as np
import pytest

from visual_essay import contract, figure, params, scene as S, tables


def one_of_each_mark():
    """A scene with every kind of mark, each labelled where its kind takes a label."""
    x = np.linspace(0, 1, 5)
    return S.scene([S.panel([
        S.bars([0.2, 0.6], [1, 2], width=0.2, label="bars"),  # first: matplotlib puts them last
        S.errorbars([0.3], [1], [0.5], [1.5], label="errorbars"),
        S.line(x, x, label="line"),
        S.points(x, x, label="points"),
        S.segments([0], [0], [1], [1], label="segments"),
        S.area(x, x, x + 1, label="area"),
        S.polygon([0, 1, 1], [0, 0, 1], label="polygon"),
        S.text(0.5, 0.5, "text"),
        S.arrow(0, 0, 1, 1),
        S.hline([0.5], label="hline"),
        S.vline([0.5], label="vline"),
        S.hband(0, 0.2, label="hband"),
        S.vband(0, 0.2, label="vband"),
        S.heatmap(np.eye(2), (0, 1, 0, 1)),
    ], legend="upper left")], alt="Every mark.")


def test_the_scene_vocabulary_and_the_build_renderer_cover_the_same_mark_kinds():
    assert set(S.MARKS) == set(figure.DRAW)
    kinds = {m["kind"] for m in one_of_each_mark()["panels"][0]["marks"]}
    assert kinds == set(S.MARKS), "the test scene above must use every declared kind"


def test_every_mark_has_exactly_the_fields_its_kind_declares():
    for mark in one_of_each_mark()["panels"][0]["marks"]:
        declared = S.MARKS[mark["kind"]]
        data = set(mark) - {"kind", "label", "frame"}
        assert set(declared.fields) <= data <= {*declared.fields, *declared.optional}, mark["kind"]


def test_a_mark_made_with_a_field_its_kind_does_not_declare_is_refused():
    with pytest.raises(S.SceneError, match="differ from its declaration"):
        S._mark("line", None, None, x=np.zeros(2), y=np.zeros(2), colour="ink")


def test_the_legend_lists_each_label_once_in_mark_order_though_marks_are_drawn_by_layer():
    """Left alone, matplotlib listed bars and error bars after every line: the figure then changed
    the first time the browser redrew it. Now both renderers draw the entries layout.py placed."""
    import re

    panel = one_of_each_mark()["panels"][0]
    labels = [e["label"] for e in panel["legend"]["entries"]]
    assert labels == ["bars", "errorbars", "line", "points", "segments", "area", "polygon",
                      "hline", "vline", "hband", "vband"]
    kinds = [m["kind"] for m in panel["marks"]]
    assert kinds == sorted(kinds, key=S.LAYER.__getitem__), "marks are drawn by layer"
    svg = figure.to_svg(figure.render_panel(panel))
    shown = re.findall(r'<g class="vw-legend"><text [^>]*>([^<]*)</text>', svg)
    assert shown == labels


def test_scenes_and_tables_carry_the_fields_and_version_of_the_contract():
    scene = one_of_each_mark()
    assert scene.keys() == contract.Scene.__annotations__.keys()
    assert scene["version"] == contract.SCENE_VERSION
    panel = scene["panels"][0]
    assert panel.keys() == contract.Panel.__annotations__.keys()
    assert panel["x"].keys() == contract.Axis.__annotations__.keys()
    declarations = (params.Slider("n", 1, 3, step=1, default=2, label="n"),)
    table = tables.build_table(declarations, {"n": 2}, lambda case: scene)
    assert table.keys() == contract.Table.__annotations__.keys() - {"part"}  # a whole table
    assert table["version"] == contract.SCENE_VERSION
    part = tables.part_of(table, [tables.key(declarations, {"n": 2})])
    assert part.keys() == contract.Table.__annotations__.keys() and part["part"] is True


def test_the_part_of_a_table_a_reader_reaches_first_answers_as_the_whole_does():
    """The own values, each control one place away (a slider's grid neighbours, every choice,
    the toggle flipped, the next seed) and the guide's steps: a few scenes, each the whole
    table's, with the whole's grids and seeds (a control moves as it will with the whole)."""
    declarations = (
        params.Slider("n", 1, 40, step=1, default=20, label="n"),
        params.Choice("mode", ("a", "b", "c"), "b", label="Mode"),
        params.Toggle("on", False, label="On"),
        params.Seed("seed", 7),
    )
    values = {"n": 20, "mode": "b", "on": False, "seed": 7}
    step = {**values, "n": 3, "on": True}
    base = one_of_each_mark()

    def compute(case):
        return {**base, "alt": json.dumps(case, sort_keys=True)}

    whole = tables.build_table(declarations, values, compute, extra=[step])
    first = tables.first_cases(declarations, values, [step])
    part = tables.part_of(whole, [tables.key(declarations, case) for case in first])
    grid = whole["grids"]["n"]
    reached = {c["n"] for c in first if c["mode"] == "b" and not c["on"] and c["seed"] == 7}
    at = grid.index(20)
    assert reached == {grid[0], grid[at - 1], 20, grid[at + 1], grid[-1]}
    assert {c["mode"] for c in first} == {"a", "b", "c"} and step in first
    assert {c["seed"] for c in first} == {7, whole["seeds"]["seed"][1]}

    def answer(table, case):
        scene = table["scenes"][table["index"][tables.key(declarations, case)]]
        return {**scene, "panels": [[table["marks"][i] for i in p["marks"]]
                                    for p in scene["panels"]]}

    for case in first:
        assert json.loads(answer(part, case)["alt"]) == case
        assert answer(part, case) == answer(whole, case)
    distinct = {tables.key(declarations, case) for case in first}
    assert len(part["scenes"]) == len(distinct) < len(whole["scenes"]) / 3
    assert len(part["marks"]) <= len(whole["marks"])
    assert (part["grids"], part["seeds"]) == (whole["grids"], whole["seeds"])


DECLARATIONS = [
    params.Slider("level", 0, 1, step=0.01, default=0.25, label="Level"),
    params.Slider("count", 2, 256, step=1, default=16, label="Count"),
    params.Stops("levels", (2, 3, 4, 6, 8, 12, 16, 24, 32, 64, 128, 256), 16, label="Levels"),
    params.Choice("mode", ("fast", "slow", "exact"), "slow", label="Mode"),
    params.Toggle("on", False, label="On"),
    params.Seed("seed", 7),
]


@pytest.mark.parametrize("p", DECLARATIONS, ids=lambda p: p.name)
def test_each_parameter_kind_answers_for_itself(p):
    assert type(p) in params.KINDS
    values = p.table_values(p.default)
    assert values[0] == p.default, "the figure's own value comes first"
    keys = [p.table_index(v) for v in values]
    assert len(set(keys)) == len(keys), "each value has its own table key"
    assert all(p.check(v) == v for v in values)
    lo, hi = p.ends()
    assert p.check(lo) == lo and p.check(hi) == hi
    other = p.other_value(p.default)
    assert other != p.default and p.check(other) == other
    html = p.control_html(f"vw-x-{p.name}", p.default)
    assert f'name="{p.name}"' in html and f'data-kind="{p.kind}"' in html


@pytest.mark.parametrize("p", DECLARATIONS, ids=lambda p: p.name)
def test_each_parameter_kind_fuzzes_only_values_it_accepts(p):
    from hypothesis import given, settings

    @settings(max_examples=30, derandomize=True, database=None)
    @given(p.strategy())
    def check(value):
        assert p.check(value) == value

    check()


def test_every_parameter_kind_implements_every_method_of_the_base():
    """Every method the base leaves to its kinds (``raise NotImplementedError``)."""
    import inspect

    methods = [name for name, value in vars(params.Param).items() if callable(value)
               and "raise NotImplementedError" in inspect.getsource(value)]
    assert len(methods) >= 7
    for kind in params.KINDS:
        missing = [m for m in methods if getattr(kind, m) is getattr(params.Param, m)]
        assert not missing, f"{kind.__name__} lacks {missing}"


def test_the_contract_module_is_plain_typing():
    """It runs in the reader's browser too: standard library only."""
    assert typing.get_type_hints(contract.Scene)["version"] is int


def test_a_slider_can_name_the_values_its_table_holds():
    """Equal strides from 2 to 100 skip 3 and 4; a declared table holds them, plus the fence's
    value and both ends, and a value off the slider is refused with its name and range."""
    strided = params.Slider("steps", 2, 100, step=1, default=10, label="Steps")
    assert 3 not in strided.grid(10)
    declared = params.Slider("steps", 2, 100, step=1, default=10, label="Steps",
                             table=(3, 4, 10, 50))
    assert declared.grid(10) == [2, 3, 4, 10, 50, 100]
    assert declared.grid(7) == [2, 3, 4, 7, 10, 50, 100]
    assert declared.table_values(7)[0] == 7
    with pytest.raises(params.ParamError, match=r"steps: table value 2\.5 is not on the slider"):
        params.Slider("steps", 2, 100, step=1, default=10, label="Steps", table=(2.5,))
    with pytest.raises(params.ParamError, match="from 0 to 1, in steps of 0.1"):
        params.Slider("x", 0, 1, step=0.1, default=0.5, label="x", table=(0.25,))


def test_a_slider_can_stop_only_at_listed_values():
    """Uneven steps (a log scale): the input moves by position, one listed value each; a value
    not listed is refused with the list; the table holds at most GRID of them, evenly by
    position, with the figure's own and both ends."""
    levels = params.Stops("levels", (2, 4, 8, 16, 32, 64, 128, 256), 16, label="Levels", unit="levels")
    assert levels.check(64) == 64 and levels.table_index(64) == 5
    with pytest.raises(params.ParamError, match=r"invalid levels: 17 \(expected one of 2, 4, 8, "):
        levels.check(17)
    html = levels.control_html("vw-x-levels", 16)
    assert 'min="0" max="7" step="1" value="3"' in html and 'aria-valuetext="16 levels"' in html
    assert 'data-stops="2,4,8,16,32,64,128,256"' in html
    fine = params.Stops("n", tuple(range(1, 101)), 37, label="n")
    grid = fine.grid(37)
    assert len(grid) <= params.GRID and {1, 37, 100} <= set(grid)
    strides = [b - a for a, b in zip(grid, grid[1:]) if 37 not in (a, b)]
    assert max(strides) - min(strides) <= 1, "evenly by position"
    for values in ((1,), (2, 1), (1, 1, 2), (1, "2")):
        with pytest.raises(params.ParamError, match="two or more numbers in increasing order"):
            params.Stops("n", values, 1, label="n")
    with pytest.raises(params.ParamError, match="invalid n: 3"):
        params.Stops("n", (1, 2), 3, label="n")


def test_a_choice_with_a_comma_is_quoted_in_the_list_of_valid_ones():
    """A menu's options may hold commas ("RT-2, Jul 2023"): the error lists them quoted, so an
    author can tell where one ends."""
    choice = params.Choice("when", ("RT-2, Jul 2023", "Octo, Dec 2023", "later"), "later",
                           label="Milestone")
    with pytest.raises(params.ParamError,
                       match=r"expected one of 'RT-2, Jul 2023', 'Octo, Dec 2023', later\)"):
        choice.check("RT-2")
