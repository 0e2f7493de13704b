"""The payloads the build and the browser exchange, described once.

A *scene* is what a widget's ``compute`` returns (made by ``scene.scene``): the build draws it with
matplotlib, the browser's renderer draws it as SVG, and the page's table of precomputed scenes
stores many of them (``tables.build_table``). Both payloads carry ``SCENE_VERSION``; the runtime
refuses a payload of another version with a message instead of drawing it wrongly (a page cached
from an older build, a table from a newer engine). Change the version whenever a field's meaning
changes, and the runtime with it.

Standard library only: this module also runs in the reader's browser.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

# 2: panels carry their layout (layout.py), a narrow one, letters; 3: labels beside their points;
# 4: a narrow layout may carry its own marks and axes (a panel drawn again for phones)
SCENE_VERSION = 4


class Axis(TypedDict):
    label: str
    lim: list[float]  # [low, high], decided in Python: both renderers only follow it
    ticks: list[float]
    ticklabels: list[str]
    hidden: bool
    fixed_ticks: bool  # the widget gave the ticks (an equal-aspect panel keeps them)


class Margin(TypedDict):
    left: float
    right: float
    top: float
    bottom: float  # points, read by both renderers so the live figure replaces the static one


class Mark(TypedDict, total=False):
    """One mark: ``kind`` names its declaration in ``scene.MARKS``, which lists its fields."""

    kind: str
    frame: int  # shown only in this frame of the scene's motion
    label: str  # its legend entry
    slot: int  # a text beside its point: its place in the layout's ``beside``
    # ...and the fields its kind declares (x, y, color, width, ...)


class LegendEntry(TypedDict):
    label: str  # drawn with the style of the first mark of this label the frame shows
    x: float  # the swatch's left end, points from the panel's top-left
    y: float  # the row's middle


class Legend(TypedDict):
    place: Literal["upper left", "upper right", "lower left", "lower right", "above"]
    box: list[float]  # [x0, y0, x1, y1] in points
    entries: list[LegendEntry]


class Beside(TypedDict):
    """Where a label beside its point goes (layout.SIDES): moved from it by (dx, dy) points."""

    dx: float
    dy: float
    anchor: Literal["start", "middle", "end"]
    valign: Literal["top", "middle", "bottom"]


class Layout(TypedDict):
    """Where a panel's furniture goes, in points from its top-left corner (layout.py)."""

    size: list[float]  # [width, height] in inches (the panel grows for a legend above it)
    margin: Margin
    x: Axis
    y: Axis
    titles: list[str]  # the title's lines
    title_x: float  # where the title starts (after the panel's letter)
    ylabel: float | None  # the y axis title's baseline, rotated
    legend: Legend | None
    beside: list[Beside]  # each label beside its point (a text mark's ``slot``), for this width


class NarrowPanel(Layout):
    """A panel the widget drew again for narrow columns (``scene.panel(narrow=...)``): its own
    marks and axes in the narrow layout; its title and letter are the wide panel's."""

    marks: list[Mark]
    note: str | None


class Panel(Layout):
    marks: list[Mark]  # in drawing order (scene.LAYER)
    title: str
    letter: str  # "a", "b", ... when the figure has several panels
    equal: bool
    note: str | None  # why the panel is empty, shown in its plot
    # for narrow columns, when the panel is wider than NARROW_WIDTH: the same marks laid out
    # again, or the widget's own panel for them
    narrow: Layout | NarrowPanel | None


class Readout(TypedDict):
    label: str
    text: str  # formatted in Python, so both phases print the same


class Frames(TypedDict):
    count: int
    label: str
    still: int  # the frame a still figure shows (the build's, before the reader plays it)
    labels: list[str]
    fps: float


class Scene(TypedDict):
    version: int
    panels: list[Panel]
    readouts: list[Readout]
    alt: str  # the text alternative: what the figure shows for these parameters
    frames: Frames | None
    values: dict[str, str]  # the widget's named VALUES, as text, for sentences to quote


class StoredNarrowPanel(Layout):
    """A narrow panel in a table: its marks are indices into the table's ``marks`` too."""

    marks: list[int]
    note: str | None


class StoredPanel(Layout):
    """A panel in a table: its marks are indices into the table's ``marks``."""

    marks: list[int]
    title: str
    letter: str
    equal: bool
    note: str | None
    narrow: Layout | StoredNarrowPanel | None


class Table(TypedDict):
    """The scenes a reader reaches from one placed figure before Python is live."""

    version: int
    marks: list[Mark]  # each distinct mark once (shipped as JSON text, parsed when first shown)
    scenes: list[dict[str, Any]]  # Scene with StoredPanel panels, each distinct scene once
    index: dict[str, int]  # lookup key (one whole number per control) -> scene
    errors: dict[str, str]  # lookup key -> the exception the widget raised there
    grids: dict[str, list[float]]  # slider name -> the values it snaps to until Python is live
    seeds: dict[str, list[int]]  # seed name -> the samples the "new sample" button cycles
    part: NotRequired[bool]  # the part a reader reaches first (tables.part_of), the whole to come
