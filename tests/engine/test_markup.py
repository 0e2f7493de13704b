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


def test_a_new_project_asks_for_the_engine_where_it_came_from(monkeypatch):
    """Installed from a repository, a new essay's pyproject names that repository and commit
    (visual-essay is not on PyPI); otherwise this version."""
    from importlib import metadata
    from visual_essay import __version__, scaffold

    class FromGit:
        def read_text(self, name):
            return ('{"url": "https://example.org/me/visual-essay.git", "vcs_info": '
                    '{"vcs": "git", "commit_id": "abc123"}}')

    monkeypatch.setattr(metadata, "distribution", lambda name: FromGit())
    assert scaffold.engine_requirement("[test]") == \
        "visual-essay[test] @ git+https://example.org/me/visual-essay.git@abc123"
    monkeypatch.setattr(metadata, "distribution", lambda name: type(
        "Local", (), {"read_text": lambda self, name: None})())
    assert scaffold.engine_requirement() == f"visual-essay=={__version__}"
