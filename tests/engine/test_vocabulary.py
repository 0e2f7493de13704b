"""The engine's vocabulary and registry: unknown names and bad values refused with the valid ones,
scenes the renderers cannot draw refused, ticks, the palette both renderers share."""

import numpy as np
import pytest

from visual_essay import registry
from visual_essay import scene as S
from fixture_widgets import WIDGETS


def test_unknown_widget_names_the_known_ones():
    with pytest.raises(registry.UnknownWidget,
                       match="unknown widget 'quantise'; known: .*quantize"):
        registry.compute("quantise", {}, WIDGETS)


def test_values_from_the_page_are_checked_before_the_widget_sees_them():
    with pytest.raises(registry.ParamError, match=r"invalid levels: 1000 \(expected a whole "
                                                 r"number from 2 to 256\)"):
        registry.compute_json("quantize", '{"levels": 1000}', "fixture_widgets")
    with pytest.raises(registry.ParamError, match="unknown parameter 'evil'"):
        registry.compute_json("quantize", '{"evil": "__import__(\\"os\\")"}', "fixture_widgets")


def test_the_stylesheet_palette_matches_the_python_palette():
    from pathlib import Path
    from visual_essay.scene import PALETTE
    import visual_essay
    css = (Path(visual_essay.__file__).parent / "assets/visual-essay.css").read_text()
    light = css[css.index(":root"):css.index("}", css.index(":root"))]
    for name, hex_ in PALETTE.items():
        assert f"--vw-{name}: {hex_};" in light
    dark = css[css.index('[data-md-color-scheme="slate"]'):]
    for name in PALETTE:
        assert f"--vw-{name}:" in dark, f"no dark-scheme colour for {name}"


def test_scene_rejects_what_the_renderers_cannot_draw():
    from visual_essay import scene as S
    with pytest.raises(S.SceneError, match=r"line mark 'fit' in panel 2 \('errors'\): y has a "
                                           r"value that is not finite \(nan at index 1\)"):
        S.scene([S.panel([S.line([0, 1], [0, 1])]),
                 S.panel([S.line([0, 1], [0, 1]), S.line([0, 1], [0, np.nan], label="fit")],
                         title="errors")], alt="x")
    with pytest.raises(S.SceneError, match="text has a position that is not finite"):
        S.text(np.inf, 0, "label")
    with pytest.raises(S.SceneError, match="unknown colour 'pink'"):
        S.line([0, 1], [0, 1], color="pink")
    with pytest.raises(S.SceneError, match="x has 2 values but y has 3"):
        S.points([0, 1], [0, 1, 2])
    with pytest.raises(S.SceneError, match="text alternative"):
        S.scene([S.panel([S.line([0, 1], [0, 1])])], alt="")
    with pytest.raises(S.SceneError, match="no motion"):
        S.scene([S.panel([S.line([0, 1], [0, 1], frame=0)])], alt="x")


def test_nice_ticks_are_round_and_cover_the_range():
    from visual_essay.scene import nice_ticks
    assert nice_ticks(0, 1) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(-1.05, 1.05) == [-1, -0.5, 0, 0.5, 1]
    ticks = nice_ticks(3.7, 1234)
    assert ticks[0] >= 3.7 and ticks[-1] <= 1234 and len(ticks) >= 3


def test_a_non_finite_value_names_the_widget_file_the_mark_and_its_label(tmp_path, monkeypatch):
    package = tmp_path / "nan_widgets"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from visual_essay.registry import collect\nWIDGETS = collect(__name__, ['ratio'])\n")
    (package / "ratio.py").write_text(
        "import numpy as np\nfrom visual_essay import scene as S\nTITLE = 'r'\nPARAMS = ()\n"
        "def compute():\n"
        "    y = np.array([1.0, 0.0]) / np.array([1.0, 0.0])\n"
        "    return S.scene([S.panel([S.bars([0, 1], y, label='share')], title='shares')], "
        "alt='x')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    widgets = registry.registry("nan_widgets")
    with pytest.raises(registry.SceneError, match=r"^nan_widgets/ratio\.py: bars mark 'share' in "
                                                  r"panel 1 \('shares'\): y has a value that is "
                                                  r"not finite \(nan at index 1\)$"):
        with np.errstate(invalid="ignore"):
            registry.compute("ratio", {}, widgets)


def test_a_value_too_small_to_scale_is_shown_as_zero_not_as_nan():
    """Six significant digits of 1e-310 would need a scale of 1e315, which overflows."""
    import json
    import numpy as np
    from visual_essay import scene as S

    scene = S.scene([S.panel([S.line([0, 1, 2], [1e-310, 0.5, 1.0])])], alt="A line.")
    json.dumps(scene, allow_nan=False)
    assert scene["panels"][0]["marks"][0]["y"] == [0.0, 0.5, 1.0]


def _contrast(a, b):
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    def luminance(hex_):
        c = np.array([int(hex_[i:i + 2], 16) / 255 for i in (1, 3, 5)])
        c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
        return float(c @ [0.2126, 0.7152, 0.0722])
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_in_every_palette_colour_reads_at_4_5_to_1_in_both_schemes():
    """The third graphics desk measured green text at 3.3:1 and grey at 2.4:1 on white: a text
    mark in a colour too light for text takes its darker shade (scene.TEXT_SHADES), the same in
    both renderers (renderer.js's TEXT_SHADED) and in the stylesheet, for both schemes."""
    import re
    from pathlib import Path
    from visual_essay.scene import PALETTE, TEXT_SHADES
    from visual_essay.testing import palettes
    import visual_essay
    assets = Path(visual_essay.__file__).parent / "assets"
    css = (assets / "visual-essay.css").read_text()
    light = css[css.index(":root"):css.index("}", css.index(":root"))]
    dark = css[css.index('[data-md-color-scheme="slate"]'):]
    dark = dark[:dark.index("}")]
    js = (assets / "runtime" / "renderer.js").read_text()
    shaded = re.search(r"TEXT_SHADED = new Set\(\[([^\]]*)\]\)", js).group(1)
    assert set(re.findall(r'"(\w+)"', shaded)) == set(TEXT_SHADES)
    dark_text = dict(re.findall(r"--vw-text-(\w+): (#[0-9a-f]{6});", dark))
    assert set(dark_text) == set(TEXT_SHADES)
    for name, hex_ in TEXT_SHADES.items():
        assert f"--vw-text-{name}: {hex_};" in light
    (_, white), (dark_palette, slate) = palettes()["light"], palettes()["dark"]
    for name in PALETTE:
        assert _contrast(TEXT_SHADES.get(name, PALETTE[name]), white) >= 4.5, ("light", name)
        assert _contrast(dark_text.get(name, dark_palette[name]), slate) >= 4.5, ("dark", name)


def test_a_list_in_words_is_named_as_a_sentence_names_it():
    from visual_essay.scene import and_list

    assert [and_list(x) for x in ([], ["A"], ["A", "B"], ["A", "B", "C"])] == [
        "", "A", "A and B", "A, B and C"]


def test_a_readout_is_its_value_and_unit_as_formatted_and_keeps_a_values_own_spacing():
    from visual_essay import scene as S
    assert S.readout("rate", 12.3456, "Hz") == {"label": "rate", "text": "12.3 Hz"}
    assert S.readout("count", 1200) == {"label": "count", "text": "1,200"}
    # Figure spaces that pad a value to a fixed width are the author's: kept.
    assert S.readout("output", "1 2 3\u2007\u2007")["text"] == "1 2 3\u2007\u2007"


def test_a_number_is_negated_with_a_true_minus_wherever_a_reader_reads_it():
    """Typesetters (and matplotlib's ticks) set a negative number with U+2212, as wide as "+":
    the desk found hyphens in readouts, notes and every signed tick. Hyphens that join words or
    numbers stay hyphens."""
    from visual_essay.params import Slider, Value, true_minus

    assert true_minus("RT-2, 2023-07, 5-19 steps, f(x)-1, pi0-FAST") == (
        "RT-2, 2023-07, 5-19 steps, f(x)-1, pi0-FAST")
    assert true_minus("-1, (-0.5, x=-2, [-.3]") == (
        "\u22121, (\u22120.5, x=\u22122, [\u2212.3]")
    p = S.panel(
        [S.text(0, 0, "clearance -0.19"), S.line([-2, 2], [-1, 1], label="offset -1 m")],
        title="moved by -3 cm", x=S.axis("x, -2 to 2"), y=S.axis(ticklabels=None),
    )
    figure = S.scene([p], alt="ends at -0.3", readouts=[
        S.readout("error", -0.31), S.readout("action", "+0.79 -0.12"), S.readout("-1 step", 2)])
    drawn = figure["panels"][0]
    texts = [m.get("s", "") + m.get("label", "") for m in drawn["marks"]]
    texts += [drawn["title"], drawn["x"]["label"], figure["alt"]]
    texts += drawn["x"]["ticklabels"] + drawn["y"]["ticklabels"]
    texts += [r["label"] + r["text"] for r in figure["readouts"]]
    assert "\u22122" in drawn["x"]["ticklabels"]
    assert [t for t in texts if "-" in t] == []
    assert Value("v", "a value", format=".2f").text(-0.25) == "\u22120.25"
    assert Value("v", "a word").text("-3 dB") == "\u22123 dB"
    assert Slider("s", -1, 1, step=0.5, default=-0.5, label="s").prose_text(-0.5) == "\u22120.5"
    assert "\u22120.5</output>" in Slider("s", -1, 1, step=0.5, default=-0.5, label="s").control_html("c", -0.5)


def test_a_percentage_or_degree_is_written_against_its_number_and_other_units_after_a_space():
    """The eleventh desk read "50 %" on a slider beside "A (50%)" in its readout and axis."""
    from visual_essay.params import Slider, Stops, format_value

    assert [format_value(50, "%"), format_value(-3.0, "°"), format_value(0.5, "m/s")] == [
        "50%", "\u22123°", "0.5 m/s"]
    assert Slider("r", 0, 100, step=1, default=50, label="Rate", unit="%").prose_text(50) == "50%"
    assert Stops("r", (10, 50), 50, label="Rate", unit="%").value_texts() == ["10%", "50%"]


@pytest.mark.parametrize("value, digits, text", [
    (1234.5, 3, "1230"), (1.234e-5, 3, "0.0000123"), (99.96, 2, "100"), (100.0, 3, "100"),
    (0.0047, 2, "0.0047"), (-0.5, 3, "\u22120.5"), (2.5e-7, 3, "0.00000025"),
])
def test_a_readout_or_a_quoted_value_never_prints_an_exponent(value, digits, text):
    """Significant figures as ``g`` rounds them, written out as a reader writes a number (a
    readout said "1e+02%" and a sentence "below 1e-12" in the essay's first reviews)."""
    from visual_essay.params import Value

    assert S.readout("r", value, digits=digits)["text"] == text
    assert S.readout("r", value, "%", digits=digits)["text"] == f"{text}%"
    assert Value("v", "a value", format=f".{digits}g").text(value) == text
