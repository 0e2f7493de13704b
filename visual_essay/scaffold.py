"""Scaffolds: a new essay project (``visual-essay new``), a new widget (``visual-essay widget``)
and its removal (``visual-essay remove``).

A new project is written from ``templates/project``: pages, one real widget with a test of its own
output, the engine's contract tests, a README with its two commands and the Pages workflow. It asks
for the engine with a range in ``pyproject.toml``, and ``requirements.txt`` says where pip finds it:
where this engine was installed from (visual-essay is not on PyPI). A new widget is a module to
edit, a test of *its* scene (whatever the module becomes) and its line in the registry.
"""

from importlib import metadata
import json
from pathlib import Path
import re
import subprocess
import sys
from urllib.parse import unquote, urlparse

from . import __version__

TEMPLATES = Path(__file__).parent / "templates"
NAME = re.compile(r"[a-z][a-z0-9_]*")


def readme_commands(readme):
    """The commands of a README's first ``bash`` block, without their comments: a project's README
    opens with its two (install and serve; every test)."""
    block = re.search(r"^```bash\n(.*?)^```", Path(readme).read_text(), re.S | re.M)
    return [re.sub(r"\s+#.*$", "", line) for line in block[1].splitlines() if line.strip()]


INSTALL_AND_SERVE = readme_commands(TEMPLATES / "project" / "README.md")[0]

WIDGET = '''"""{title}.

Models: say what this computes, in a sentence or two.
Simplifies: say what a reader should not take literally.
Follows: the paper it is after (e.g. arXiv 2303.04137), or say it is a teaching example.
"""

import numpy as np

from visual_essay import scene as S
from visual_essay.params import Seed, Slider, Toggle

TITLE = "{title}"

PARAMS = (
    Slider("frequency", 0.5, 5, step=0.1, default=1.5, label="Frequency", unit="Hz"),
    Toggle("damped", True, label="Damping"),
    Seed("seed", 0, label="New sample"),
)


def signal(t, frequency, damped):
    """The science lives in named functions: compute() draws them, tests check them."""
    decay = np.exp(-0.4 * t) if damped else np.ones_like(t)
    return decay * np.sin(2 * np.pi * frequency * t)


def compute(frequency, damped, seed):
    t = np.linspace(0, 4, 200)
    y = signal(t, frequency, damped)
    noisy = y[::10] + np.random.default_rng(seed).normal(0, 0.1, 20)
    peak = float(np.abs(y).max())
    return S.scene(
        [S.panel([S.hline(0, color="muted"),
                  S.line(t, y, color="teal", label="signal"),
                  S.points(t[::10], noisy, color="red", size=3, label="measured")],
                 title="{title}", x=S.axis("time (s)"), y=S.axis("value"),
                 legend="auto", size=(5, 2.6))],
        # Say what this figure shows, with the numbers it computed (a screen reader reads it).
        alt=(f"A {{'damped' if damped else 'steady'}} oscillation at {{frequency:g}} Hz, peak "
             f"{{peak:.2f}}, with twenty noisy measurements."),
        readouts=[S.readout("peak", peak)],
    )
'''

WIDGET_TEST = '''"""The science of {name}: each test checks one claim of the figure, on its output.

Add a test for every claim its caption, alt text and readouts make, named after the claim, at
several parameter values. The contract (finite, deterministic, fuzzed, browser = build) is
already checked for every widget by tests/test_widgets.py.
"""

import json

from visual_essay.registry import compute
from widgets import WIDGETS

MODULE = WIDGETS["{name}"]


def figure(**values):
    return compute("{name}", values, WIDGETS)


def shown(scene):
    """What the reader gets: the drawing, the readouts, the text alternative."""
    return json.dumps([scene["panels"], scene["readouts"], scene["alt"]], sort_keys=True)


def another_value(p):
    """A value of control ``p`` other than its default, whatever its kind."""
    return p.other_value(p.default)


def test_every_control_changes_what_the_reader_sees():
    base = shown(figure())
    for p in MODULE.PARAMS:
        assert shown(figure(**{{p.name: another_value(p)}})) != base, f"{{p.name}} changes nothing"


def test_the_alt_text_follows_the_figure():
    """A screen reader hears the alt text instead of seeing the figure: a control changes both."""
    base = figure()["alt"]
    assert any(figure(**{{p.name: another_value(p)}})["alt"] != base for p in MODULE.PARAMS), \
        "no control changes the alt text: say what the figure shows, with its numbers"
'''


class ScaffoldError(SystemExit):
    """A scaffold that would overwrite or misname something: the message says what to do."""

    def __init__(self, message):
        super().__init__(f"error: {message}")


def new_project(folder, title=None):
    """Write a new essay project into ``folder`` (which must not exist or be empty)."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise ScaffoldError(f"{folder} exists and is not empty: choose a new folder")
    title = title or folder.name.replace("-", " ").replace("_", " ").strip().capitalize()
    slug = re.sub(r"[^a-z0-9]+", "-", folder.name.lower()).strip("-") or "essay"
    source = TEMPLATES / "project"
    for path in sorted(source.rglob("*")):
        if path.is_dir() or "__pycache__" in path.parts:
            continue
        # Stored without their leading dot, which packaging tools drop.
        relative = re.sub(r"^(gitignore|github)", r".\1", path.relative_to(source).as_posix())
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text()
        for token, value in (
            ("__TITLE__", title),
            ("__SLUG__", slug),
            ("__ENGINE_TEST__", f"visual-essay[test]{engine_range()}"),
            ("__ENGINE_ORIGIN__", engine_origin()),
            ("__ENGINE__", f"visual-essay{engine_range()}"),
        ):
            text = text.replace(token, value)
        target.write_text(text)
        if target.suffix == ".sh":
            target.chmod(0o755)
    write_snapshot(folder, "darts")
    return folder


def write_snapshot(root, name):
    """The first stored scenes of widget ``name`` (``tests/snapshots/<name>.json``), computed in a
    new process from the project's own widget package, as its tests import it."""
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, '.'); "
        "from visual_essay import snapshots; from widgets import WIDGETS; "
        f"snapshots.write(Path('tests/snapshots/{name}.json'), {name!r}, WIDGETS)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    if result.returncode:
        raise ScaffoldError(
            f"could not compute {name}'s first scenes: {result.stderr.strip().splitlines()[-1]}"
        )


def engine_range(version=__version__):
    """The engine versions a new project accepts: this one up to the next that may break it (the
    next minor while the major is 0, as semantic versioning allows), e.g. ``>=0.2.0,<0.3``."""
    major, minor = (int(n) for n in version.split(".")[:2])
    return f">={version},<{f'0.{minor + 1}' if major == 0 else major + 1}"


def engine_origin(distributions=None):
    """The requirement line that installs this engine again from where pip installed it, as pip
    recorded it (``direct_url.json``, PEP 610): a git URL at its commit, a wheel or archive, a
    local folder (editable or not). Installed from a package index, pip records nothing: then the
    range alone."""
    # Every copy on the path: a source checkout's *.egg-info (no record) may come first.
    records = [
        d.read_text("direct_url.json")
        for d in distributions or metadata.distributions(name="visual-essay")
    ]
    origin = json.loads(next(filter(None, records), "{}"))
    url = origin.get("url")
    if "vcs_info" in origin:
        vcs = origin["vcs_info"]
        # A local repository: older pips (Debian 12's 23.0) refuse "name @ git+file:///…", with
        # no host; git and every pip take the same URL with the host named.
        url = re.sub(r"^file:///", "file://localhost/", url)
        return f"visual-essay @ {vcs['vcs']}+{url}@{vcs['commit_id']}"
    if origin.get("dir_info", {}).get("editable"):
        return f"-e {unquote(urlparse(url).path)}"
    if url:  # a wheel, an archive or a folder
        return f"visual-essay @ {url}"
    return f"visual-essay{engine_range()}"


def new_widget(root, name, title=None):
    """Write ``widgets/<name>.py`` and ``tests/widgets/test_<name>.py`` under ``root`` and add
    ``name`` to the registry's NAMES. Returns the two paths."""
    root = Path(root)
    if not NAME.fullmatch(name):
        raise ScaffoldError(
            f"invalid widget name {name!r}: use lowercase letters, digits and "
            "'_', starting with a letter (it is a Python module name)"
        )
    title = title or name.replace("_", " ").capitalize()
    registry = root / "widgets" / "__init__.py"
    if not registry.exists():
        raise ScaffoldError(
            f"no widgets/__init__.py in {root}: run this in an essay project "
            "(visual-essay new makes one)"
        )
    module = root / "widgets" / f"{name}.py"
    test = root / "tests" / "widgets" / f"test_{name}.py"
    for path in (module, test):
        if path.exists():
            raise ScaffoldError(f"{path.relative_to(root)} already exists")
    source = registry.read_text()
    names = re.search(r"^NAMES = \(\n(.*?)^\)", source, re.S | re.M)
    if not names:
        raise ScaffoldError(
            f"{registry} has no NAMES = (...) block; add {name!r} to the registry by hand"
        )
    source = source[: names.end(1)] + f'    "{name}",\n' + source[names.end(1) :]
    module.write_text(WIDGET.format(title=title))
    test.parent.mkdir(parents=True, exist_ok=True)
    test.write_text(WIDGET_TEST.format(name=name))
    registry.write_text(source)
    write_snapshot(root, name)
    return module, test


def remove_widget(root, name):
    """Delete ``widgets/<name>.py``, ``tests/widgets/test_<name>.py`` and ``name``'s line in the
    registry's NAMES, unless a page still places the widget (then nothing is touched). Returns the
    changes it made, for the message."""
    root = Path(root)
    registry = root / "widgets" / "__init__.py"
    if not registry.exists():
        raise ScaffoldError(f"no widgets/__init__.py in {root}: run this in an essay project")
    if not NAME.fullmatch(name):
        raise ScaffoldError(f"invalid widget name {name!r}")
    module = root / "widgets" / f"{name}.py"
    test = root / "tests" / "widgets" / f"test_{name}.py"
    source = registry.read_text()
    names = re.search(r"^NAMES = \(\n(.*?)^\)", source, re.S | re.M)
    entry = names and re.search(rf"^[ \t]*[\"']{name}[\"'],?[ \t]*(#.*)?\n", names[1], re.M)
    if not module.exists() and not entry:
        raise ScaffoldError(
            f"no widget {name!r}: widgets/{name}.py does not exist and "
            f"widgets/__init__.py's NAMES does not list it"
        )
    places = placements(root, name)
    if places:
        raise ScaffoldError(
            f"{places[0]} places widget {name!r}: remove that fence first"
            + (f" (and those at {', '.join(places[1:])})" if places[1:] else "")
        )
    if module.exists() and not entry:
        raise ScaffoldError(
            f"widgets/__init__.py registers {name!r} some other way than a line "
            f"in NAMES = (...): take it out by hand, then run this again"
        )
    changed = []
    if entry:
        start = names.start(1) + entry.start()
        registry.write_text(source[:start] + source[start + len(entry[0]) :])
        changed.append(f"'{name}' from widgets/__init__.py")
    for path in (module, test, root / "tests" / "snapshots" / f"{name}.json"):
        if path.exists():
            path.unlink()
            changed.append(path.relative_to(root).as_posix())
    return changed


def placements(root, name):
    """``page:line`` of every widget fence that places ``name`` in the project's pages (the
    ``docs_dir`` of its mkdocs.yml), where its ``name:`` key is."""
    from .config import read_mkdocs_yml
    from .fence import fence_lines

    config = root / "mkdocs.yml"
    docs = root / ((read_mkdocs_yml(config).get("docs_dir") if config.exists() else None) or "docs")
    key = re.compile(rf"^\s*name\s*:\s*([\"']?){name}\1\s*(#.*)?$")
    found = []
    for page in sorted(docs.rglob("*.md")):
        for line, body in fence_lines(page.read_text()):
            found += [
                f"{page.relative_to(root).as_posix()}:{line + i + 1}"
                for i, text in enumerate(body.splitlines())
                if key.match(text)
            ]
    return found


def print_next_steps(name, module, test):
    print(
        f"wrote {module} and {test}; registered '{name}' in widgets/__init__.py\n"
        f"next: visual-essay preview {name}        (look at it)\n"
        f"      python -m pytest tests/widgets/test_{name}.py tests/test_widgets.py -k {name}\n"
        f"      put it in a page:\n\n```widget\nname: {name}\n```"
    )
