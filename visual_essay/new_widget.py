"""Scaffold a widget: its module, its test, and its line in the registry.

    python -m visual_essay.new_widget pendulum "A damped pendulum"

Then place it in a page with a ```widget fence (name: pendulum) and run ``mkdocs serve``.
"""

import argparse
from pathlib import Path
import re
import sys

ROOT = Path.cwd()  # the essay project: where the author runs the command

MODULE = '''"""{title}.

Models: say what this computes, in a sentence or two.
Simplifies: say what a reader should not take literally.
Follows: the paper it is after (e.g. arXiv 2303.04137), or say it is a teaching toy.
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
    return S.scene(
        [S.panel([S.line(t, y, color="teal", label="signal"),
                  S.points(t[::10], noisy, color="red", size=3, label="measured")],
                 title="{title}", x=S.axis("time (s)"), y=S.axis("value"),
                 legend="upper right", size=(5, 2.6))],
        alt=(f"A {{'damped' if damped else 'steady'}} oscillation at {{frequency:g}} Hz with "
             "twenty noisy measurements."),
        readouts=[S.readout("peak", float(np.abs(y).max()))],
    )
'''

TEST = '''"""The science of {name}: each test's name states its claim."""

import numpy as np

from widgets import {name}


def test_damping_makes_the_signal_decay():
    t = np.linspace(0, 4, 200)
    damped = {name}.signal(t, 1.5, True)
    assert np.abs(damped[-50:]).max() < np.abs(damped[:50]).max()


def test_without_damping_the_amplitude_stays():
    t = np.linspace(0, 4, 200)
    steady = {name}.signal(t, 1.5, False)
    assert np.abs(steady[-50:]).max() > 0.95
'''


def scaffold(name, title, root=ROOT):
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise SystemExit(f"error: invalid widget name {name!r}: use lowercase letters, digits "
                         "and '_', starting with a letter (it is a Python module name)")
    module = root / "widgets" / f"{name}.py"
    test = root / "tests" / "widgets" / f"test_{name}.py"
    registry = root / "widgets" / "__init__.py"
    for path in (module, test):
        if path.exists():
            raise SystemExit(f"error: {path.relative_to(root)} already exists")
    source = registry.read_text()
    names = re.search(r"^NAMES = \(\n(.*?)^\)", source, re.S | re.M)
    if not names:
        raise SystemExit(f"error: {registry} has no NAMES = (...) block; add {name!r} to the "
                         "registry by hand")
    source = source[:names.end(1)] + f'    "{name}",\n' + source[names.end(1):]
    module.write_text(MODULE.format(title=title))
    test.write_text(TEST.format(name=name))
    registry.write_text(source)
    return module, test


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("name", help="the module name, also the name authors write")
    parser.add_argument("title", nargs="?", default=None, help="a short title")
    args = parser.parse_args(argv)
    title = args.title or args.name.replace("_", " ").capitalize()
    module, test = scaffold(args.name, title)
    print(f"wrote {module.relative_to(ROOT)} and {test.relative_to(ROOT)}; registered "
          f"'{args.name}' in widgets/__init__.py\n"
          f"next: python -m visual_essay.preview {args.name}   (look at it)\n"
          f"      python -m pytest tests/widgets/test_{args.name}.py tests/test_registry.py\n"
          f"      put it in a page:\n\n```widget\nname: {args.name}\n```", file=sys.stdout)


if __name__ == "__main__":
    main()
