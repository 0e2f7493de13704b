"""The build's SVG text (figure.to_svg): inlined in the page, every figure's elements are parsed,
styled and laid out by the reader's browser before Python is live, so the text is as small as
the drawing allows and changes nothing outside its own figure."""

import re

import numpy as np

from visual_essay import figure
from visual_essay import scene as S


def svg_of(marks):
    panel = S.scene([S.panel(marks, size=(3, 2))], alt="A test figure.")["panels"][0]
    return figure.to_svg(figure.render_panel(panel))


DOTS = np.linspace(0, 1, 30)


def test_dots_in_a_row_share_one_clipped_group_that_carries_their_style():
    """matplotlib wraps each dot of a collection in a group of its own, each with the same clip
    and style: 30 dots were 30 groups and 30 styles."""
    svg = svg_of([S.points(DOTS, DOTS, color="green"), S.points(DOTS[:5], DOTS[:5] ** 2,
                                                                color="orange", size=4)])
    groups = re.findall(r'<g clip-path="[^"]*" style="([^"]*)">((?:<use [^>]*/>)+)</g>', svg)
    assert [(style.count("var(--vw-green)"), body.count("<use")) for style, body in groups] == [
        (1, 30), (0, 5)]
    assert "var(--vw-orange)" in groups[1][0]
    assert svg.count("<use") == 35 and not re.search(r"<use [^>]*style=", svg)


def test_an_inline_svg_adds_no_style_rule_to_the_page():
    """matplotlib's `<style>*{stroke-linejoin: round; ...}</style>`, inlined, styled every
    element of the page, once more for each figure. The root's inherited attributes say it."""
    svg = svg_of([S.line(DOTS, DOTS ** 2, width=3), S.points(DOTS, DOTS)])
    assert "<style" not in svg
    root = svg[: svg.index(">")]
    assert 'stroke-linejoin="round"' in root and 'stroke-linecap="butt"' in root


def test_ids_are_short_and_every_reference_finds_its_element():
    svg = svg_of([S.points(DOTS, DOTS), S.line(DOTS, DOTS)])
    ids = re.findall(r' id="([^"]+)"', svg)
    referred = re.findall(r'(?:url\(#|href="#)([^)"]+)', svg)
    assert referred and set(referred) <= set(ids)
    assert all(re.fullmatch(r"i\d+", name) for name in ids)
