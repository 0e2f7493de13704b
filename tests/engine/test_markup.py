"""The figure's HTML: its controls start at the values the page gave the figure, not at the widget's
defaults, so the first change a reader makes starts from what they see."""

import re

from visual_essay import markup
from visual_essay.fence import parse
from visual_essay.registry import registry


def test_controls_start_at_the_fences_values():
    widgets = registry("fixture_widgets")
    placement = parse("name: faulty\nlevel: 7\nexplode: true\ncolour: orange\n", "docs/x.md", 3,
                      widgets)
    static = {"svgs": ["<svg></svg>"], "alt": "a line", "readouts": []}
    html = markup.figure_html(placement, widgets["faulty"], static, 1)
    assert re.search(r'<input type="range" id="vw-faulty-level"[^>]* value="7">', html)
    assert re.search(r'<output for="vw-faulty-level"[^>]*>7</output>', html)
    assert re.search(r'name="explode" data-kind="toggle" checked>', html)
    assert '<option value="orange" selected>' in html and '<option value="blue">' in html



def test_the_data_disclosure_is_in_the_built_figure_before_its_caption():
    """The fourth graphics desk saw figures grow by about 30 px when the runtime added "Data":
    the build writes it, so the figure is as tall before the runtime as after."""
    widgets = registry("fixture_widgets")
    placement = parse("name: faulty\n", "docs/x.md", 3, widgets)
    static = {"svgs": ["<svg></svg>"], "alt": "a line", "readouts": []}
    html = markup.figure_html(placement, widgets["faulty"], static, 1)
    data, caption = html.index('<details class="vw-data">'), html.index("<figcaption>")
    assert data < caption and html.count('class="vw-data"') == 1
    for kind in ("csv", "svg", "png"):
        assert f'data-save="{kind}"' in html
