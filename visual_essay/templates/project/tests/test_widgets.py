"""Every widget gets the engine's contract, the moment it is registered: sound declarations, a
finite scene at every extreme, determinism, new samples for new seeds, fuzzing over every declared
value, the build's figure, and the browser's scene equal to the build's."""

from visual_essay.testing import WidgetContract


class TestWidgets(WidgetContract):
    package = "widgets"
    # Each widget's scenes at its defaults, lows and highs, stored in tests/snapshots/: a change
    # that alters a figure fails until rewritten on purpose (pytest --update-snapshots).
    snapshots = "snapshots"
