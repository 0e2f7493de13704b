"""What a new author meets first, without a browser: a new project asks for the engine by a range
and names where it came from; its page typesets a formula; a scaffolded widget's test holds for
any first parameter kind; ``preview`` says in one line what went wrong; ``remove`` takes a widget
out, and refuses while a page places it."""

import json
import os
from pathlib import Path
import re
import subprocess
import sys
import tomllib

import pytest

from visual_essay import __version__, scaffold


def cli(cwd, *args):
    """``visual-essay ARGS`` in ``cwd``, as an author runs it."""
    return subprocess.run([sys.executable, "-m", "visual_essay.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


@pytest.fixture
def project(tmp_path):
    return scaffold.new_project(tmp_path / "essay")


class Recorded:
    """An installed copy of the engine, with what pip recorded about where it came from."""

    def __init__(self, direct_url):
        self.direct_url = direct_url

    def read_text(self, name):
        assert name == "direct_url.json"
        return None if self.direct_url is None else json.dumps(self.direct_url)


@pytest.mark.parametrize("record, line", [
    ({"url": "https://example.org/me/visual-essay.git",
      "vcs_info": {"vcs": "git", "commit_id": "abc123", "requested_revision": "main"}},
     "visual-essay @ git+https://example.org/me/visual-essay.git@abc123"),
    ({"url": "file:///src/engine", "vcs_info": {"vcs": "git", "commit_id": "abc123"}},
     "visual-essay @ git+file://localhost/src/engine@abc123"),
    ({"url": "file:///src/dist/visual_essay-0.2.0-py3-none-any.whl", "archive_info": {}},
     "visual-essay @ file:///src/dist/visual_essay-0.2.0-py3-none-any.whl"),
    ({"url": "file:///src/visual%20essay", "dir_info": {}},
     "visual-essay @ file:///src/visual%20essay"),
    ({"url": "file:///src/visual%20essay", "dir_info": {"editable": True}}, "-e /src/visual essay"),
    (None, f"visual-essay>={__version__},<"),  # from a package index: pip records nothing
], ids=["git", "local-git", "wheel", "folder", "editable", "index"])
def test_a_new_project_installs_the_engine_from_where_it_was_installed(record, line):
    # A source checkout's egg-info, without a record, may come first on the path.
    assert scaffold.engine_origin([Recorded(None), Recorded(record)]).startswith(line)


def test_a_new_project_asks_for_the_engine_by_a_range(project):
    assert scaffold.engine_range("0.2.0") == ">=0.2.0,<0.3"
    assert scaffold.engine_range("1.4.2") == ">=1.4.2,<2"
    meta = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    assert meta["dependencies"] == [f"visual-essay{scaffold.engine_range()}"]
    assert meta["optional-dependencies"]["test"] == [f"visual-essay[test]{scaffold.engine_range()}"]
    requirements = (project / "requirements.txt").read_text().splitlines()
    assert requirements[-1] == scaffold.engine_origin()  # this engine's own origin
    readme = scaffold.readme_commands(project / "README.md")
    assert readme[0] == scaffold.INSTALL_AND_SERVE and "-r requirements.txt" in readme[0]
    assert readme[1] == "bash tests/run.sh"
    assert "-r requirements.txt" in (project / "tests" / "run.sh").read_text()
    assert "pip install -r requirements.txt -e ." in \
        (project / ".github" / "workflows" / "pages.yml").read_text()


def test_a_new_projects_page_typesets_its_formula_and_cites_from_its_bibtex_file(project):
    result = cli(project, "build", "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    page = (project / "site" / "index.html").read_text()
    assert "$$" not in page and "\\frac" not in page.split("<annotation")[0], "raw TeX left"
    formula = re.search(r'<div class="arithmatex" data-typeset>(.*?)</div>\s*<', page, re.S)
    assert formula and 'class="katex-display"' in formula[1]
    assert re.search(r"<annotation[^>]*>.*\\frac\{\\pi\}\{4\}", formula[1], re.S), \
        "KaTeX's MathML carries the TeX for screen readers"
    assert '<a class="footnote-ref" href="#fn:metropolis1949">1</a>' in page
    assert "Nicholas Metropolis and Stanislaw Ulam. The Monte Carlo method." in page


# A widget whose first control is of each kind in turn, every control changing figure and alt.
WIDGET = '''"""Every kind of control, {first} first."""
from visual_essay import scene as S
from visual_essay.params import Choice, Seed, Slider, Toggle
import numpy as np

TITLE = "Kinds"
KINDS = {{"slider": Slider("level", 1, 5, step=1, default=2, label="Level"),
         "choice": Choice("shape", ("flat", "steep"), "flat", label="Shape"),
         "toggle": Toggle("flip", False, label="Flip"),
         "seed": Seed("seed", 0, label="Again")}}
PARAMS = (KINDS["{first}"], *[p for k, p in KINDS.items() if k != "{first}"])


def compute(level, shape, flip, seed):
    slope = level * (3 if shape == "steep" else 1) * (-1 if flip else 1)
    x = np.linspace(0, 1, 5)
    y = slope * x + np.random.default_rng(seed).normal(0, 0.1, 5)
    return S.scene([S.panel([S.line(x, y, color="teal")])],
                   alt=f"A {{shape}} line of slope {{slope}}, noise from seed {{seed}}.")
'''


def test_the_scaffolded_widget_test_holds_for_any_first_parameter_kind(project):
    kinds = ("slider", "choice", "toggle", "seed")
    for kind in kinds:
        module, test = scaffold.new_widget(project, f"{kind}_first")
        module.write_text(WIDGET.format(first=kind))
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             *[f"tests/widgets/test_{k}_first.py" for k in kinds]],
                            cwd=project, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and "8 passed" in result.stdout, result.stdout + result.stderr


def test_the_scaffolded_alt_text_test_fails_when_no_control_changes_the_alt(project):
    module, test = scaffold.new_widget(project, "mute")
    module.write_text(WIDGET.format(first="choice").replace(
        'alt=f"A {shape} line of slope {slope}, noise from seed {seed}."', 'alt="A line."'))
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             str(test.relative_to(project))],
                            cwd=project, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and "no control changes the alt text" in result.stdout


@pytest.mark.parametrize("source, values, expected", [
    ("def compute(level):\n    return 1 / (level - level)\n", [],
     r"error: widget broken raised ZeroDivisionError: division by zero \(at widgets/broken.py:9\)"),
    ("def compute(level):\n    return S.scene([S.panel([S.line([0, 1], [0, float('nan')])])], "
     "alt='x')\n", [],
     r"error: widget broken raised SceneError: .*not finite.* \(at widgets/broken.py:9\)"),
    ("def compute(level):\n    return None\n", ["level=9"],
     r"error: widget broken: invalid level: 9 \(expected a whole number from 1 to 5\)"),
    ("import not_a_module\n", [],
     r"error: importing widgets/broken.py failed at widgets/broken.py:8: ModuleNotFoundError: "
     r"No module named 'not_a_module'"),
], ids=["raises", "not-finite", "bad-value", "bad-import"])
def test_preview_says_what_went_wrong_in_one_line(project, source, values, expected):
    (project / "widgets" / "broken.py").write_text(
        '"""A widget with a bug."""\nfrom visual_essay import scene as S\n'
        'from visual_essay.params import Slider\n\nTITLE = "Broken"\n'
        'PARAMS = (Slider("level", 1, 5, step=1, default=2, label="Level"),)\n\n' + source)
    result = cli(project, "preview", "broken", *values, "--out", str(project / "b.png"))
    assert result.returncode == 1 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert re.fullmatch(expected + "\n", result.stderr), result.stderr


def test_preview_of_a_widget_that_does_not_exist(project):
    result = cli(project, "preview", "nothing")
    assert result.returncode == 1
    assert result.stderr == f"error: no widget 'nothing': widgets/nothing.py is not in {project}\n"


def test_remove_refuses_while_a_page_places_the_widget_then_removes_it(project):
    module, test = scaffold.new_widget(project, "pendulum")
    page = project / "docs" / "index.md"
    before = page.read_text()
    page.write_text(before + "\n```widget\nname: pendulum  # the new one\n```\n")
    line = len(before.splitlines()) + 3
    registry = (project / "widgets" / "__init__.py").read_text()

    refused = cli(project, "remove", "pendulum")
    assert refused.returncode == 1
    assert refused.stderr == (f"error: docs/index.md:{line} places widget 'pendulum': remove that "
                              "fence first\n")
    assert module.exists() and test.exists()
    assert (project / "widgets" / "__init__.py").read_text() == registry

    page.write_text(before)
    removed = cli(project, "remove", "pendulum")
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout == ("removed 'pendulum' from widgets/__init__.py, widgets/pendulum.py, "
                              "tests/widgets/test_pendulum.py, tests/snapshots/pendulum.json\n")
    assert not module.exists() and not test.exists()
    assert not (project / "tests" / "snapshots" / "pendulum.json").exists()
    assert "pendulum" not in (project / "widgets" / "__init__.py").read_text()
    # What is left still builds: the registry imports, the page's own widget draws.
    assert cli(project, "build", "-q").returncode == 0


def test_remove_names_every_page_that_places_it_and_unknown_widgets(project):
    (project / "docs" / "more.md").write_text(
        "# More\n\n```widget\nname: 'darts'\ndarts: 20\n```\n")
    refused = cli(project, "remove", "darts")
    line = next(i for i, text in enumerate((project / "docs" / "index.md").read_text()
                                           .splitlines(), 1) if text == "name: darts")
    assert refused.stderr == (f"error: docs/index.md:{line} places widget 'darts': remove that "
                              "fence first (and those at docs/more.md:4)\n")
    unknown = cli(project, "remove", "dart")
    assert unknown.returncode == 1 and unknown.stderr == (
        "error: no widget 'dart': widgets/dart.py does not exist and widgets/__init__.py's NAMES "
        "does not list it\n")
    assert Path(project / "widgets" / "darts.py").exists()


def test_the_preview_draws_labels_as_wide_as_the_engine_lays_them_out():
    """The PNG's text takes the width the engine gave it (Helvetica's), so a long label the browser
    shows whole is whole in the preview (with matplotlib's DejaVu Sans, about a tenth wider, labels
    at a panel's edge were cropped); a glyph that font lacks comes from the next (∝ T²)."""
    import warnings

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from visual_essay.layout import text_width
    from visual_essay.preview import PREVIEW_FONTS

    label = "OpenVLA-OFT, ALOHA: 0.25 cm per re-plan"
    fig = Figure(dpi=72)  # 1 px = 1 pt
    FigureCanvasAgg(fig)  # the preview's renderer
    text = fig.text(0, 0, label, fontsize=10, family=PREVIEW_FONTS)
    drawn = text.get_window_extent(fig.canvas.get_renderer()).width
    assert abs(drawn / text_width(label, 10) - 1) < 0.04, (drawn, text_width(label, 10))
    fig.text(0, 0.5, "∝ T² → 10⁻¹²", family=PREVIEW_FONTS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)"
        fig.canvas.draw()
