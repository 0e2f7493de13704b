"""The browser runtime, made from its parts at build time: the one script the site ships
(``visual-essay.js``), and the early start of its worker that goes into each widget page's <head>.

The runtime's source is ``assets/runtime/``, one file per concern, listed in ``PARTS`` in the
order they are joined: the page controller, the worker bridge, the controls, the tables, one
figure, the sentences that quote it, guided steps, the data behind it, motion, the SVG renderer
and its mark kinds, notices, mathematics, navigation, the start,
and the worker. ``bundle.js`` is the frame they are joined into: one function scope, the build's
configuration as ``CONFIG``, and the switch that makes the same file the worker's script.

Why one file joined in Python, and not ES modules or a bundler:
- one request for the whole runtime, and no tooling beyond the Python that builds the site;
- a classic script runs from ``file://``, where the static essay still answers its controls from
  its tables (a module script's request is refused there: the page's origin is ``null``);
- the worker is started from the same file (``new Worker(script.src)``, a classic worker): no
  second file to keep in step.

The parts share that one scope: a part calls another's functions by name, and its opening comment
says which parts it uses. Functions are declarations, defined before anything runs, so the order
matters only for the few statements that run as the file loads: ``page.js`` comes first (it takes
``document.currentScript``), ``start.js`` next to last (it mounts the figures once everything is
defined), and in the worker the frame returns before any part's ``const`` runs (``worker.js``
declares functions only). The parts are joined as they are, less their comment lines, which are
left empty (a third of the file's bytes over a slow network): what the browser reports (a line,
a stack) reads the same as the source, and each part's first line still names its file.

No JavaScript lives in Python: the starter is ``assets/runtime/starter.html``, filled in here.
"""

import json
from pathlib import Path
import re

RUNTIME_DIR = Path(__file__).parent / "assets" / "runtime"
FRAME = "bundle.js"
PARTS = (
    "page.js",
    "bridge.js",
    "controls.js",
    "tables.js",
    "figure.js",
    "prose.js",
    "guide.js",
    "data.js",
    "motion.js",
    "renderer.js",
    "marks.js",
    "notices.js",
    "math.js",
    "navigation.js",
    "start.js",
    "worker.js",
)
STARTER = "starter.html"
# A line that is only a comment, but not a title ("// ---- name.js: ...", "// ---- a section").
# No part holds a multi-line string with a line that starts with "//" (test_runtime_parts.py).
COMMENT_LINE = re.compile(r"^[ \t]*//(?! ---- ).*$", re.M)


def runtime_source(config: dict) -> str:
    """``visual-essay.js``: the parts in ``PARTS`` order inside ``bundle.js``, with ``config``
    (JSON: what the runtime needs from the build) written in as ``CONFIG``."""
    found = {p.name for p in RUNTIME_DIR.glob("*.js")} - {FRAME}
    if found != set(PARTS):
        raise ValueError(
            f"runtime parts in {RUNTIME_DIR} and runtime.PARTS differ: "
            f"not listed {sorted(found - set(PARTS))}, "
            f"missing {sorted(set(PARTS) - found)}"
        )
    parts = "\n".join(shipped(_read(name)) for name in PARTS)
    frame = _fill(shipped(_read(FRAME)), "/*CONFIG*/null", json.dumps(config))
    return _fill(frame, "/*PARTS*/\n", parts)


def shipped(source: str) -> str:
    """A part as the runtime ships it: each comment line left empty, every other line as is."""
    return COMMENT_LINE.sub("", source)


STYLESHEET = RUNTIME_DIR.parent / "visual-essay.css"
# A comment of the stylesheet; none sits inside a quoted string (test_runtime_parts.py).
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def stylesheet() -> str:
    """``visual-essay.css`` as the site ships it: each comment replaced by the line breaks it
    held, so every rule keeps its line (its comments were half of the stylesheet's gzip bytes)."""
    return CSS_COMMENT.sub(lambda m: "\n" * m[0].count("\n"), STYLESHEET.read_text("utf-8"))


def starter(runtime_url: str) -> str:
    """The early worker start for a page's <head>: ``starter.html`` without its comment, its
    lines trimmed and joined by a space (one line in <head>), starting ``runtime_url``."""
    text = _read(STARTER)
    code = text[text.index("-->") + len("-->") :]
    line = " ".join(filter(None, (row.strip() for row in code.splitlines())))
    return _fill(line, "__RUNTIME_URL__", json.dumps(runtime_url))


def _read(name: str) -> str:
    return (RUNTIME_DIR / name).read_text(encoding="utf-8")


def _fill(text: str, marker: str, value: str) -> str:
    if text.count(marker) != 1:
        raise ValueError(
            f"the runtime's template should hold {marker!r} once, not {text.count(marker)} times"
        )
    return text.replace(marker, value)
