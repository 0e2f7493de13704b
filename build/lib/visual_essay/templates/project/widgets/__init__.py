"""The essay's widgets, in the order the essay places them.

A name in NAMES registers the module ``widgets/<name>.py``: the build, the browser and the tests
all read ``WIDGETS``. ``visual-essay widget NAME`` adds one.
"""

from visual_essay.registry import collect

NAMES = (
    "darts",
)

WIDGETS = collect(__name__, NAMES)
