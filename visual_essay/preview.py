"""Look at a widget without building the site: its build-time figure as a PNG, and its scene's size
and compute time.

    visual-essay preview bins bins=64 position=0.5 --out /tmp/bins.png

A module in ``widgets/`` previews before it is registered. Values are YAML, as in a fence. What
goes wrong (a module that does not import, a value the declaration refuses, a widget that raises)
is one line naming the widget and where, as the build says it.
"""

import importlib
import json
import os
import time
import traceback

import yaml

from . import figure
from .params import ParamError, resolve


class PreviewError(Exception):
    """What stopped a preview, in one line: the widget, the error and the file and line."""


def preview(name, values=(), out=None, package="widgets"):
    """Write the figure of ``package.name`` for ``values`` ("key=value", YAML values) as a PNG
    and print what it took and said."""
    try:
        module = importlib.import_module(f"{package}.{name}")
    except ModuleNotFoundError as err:
        if err.name not in (package, f"{package}.{name}"):
            raise PreviewError(
                f"importing {package}/{name}.py failed at "
                f"{_where(err, package)}: {type(err).__name__}: {err}"
            ) from None
        raise PreviewError(
            f"no widget {name!r}: {package}/{name}.py is not in {os.getcwd()}"
        ) from None
    except Exception as err:  # the module's own bug: say where, as the build does
        raise PreviewError(
            f"importing {package}/{name}.py failed at {_where(err, package)}: "
            f"{type(err).__name__}: {err}"
        ) from None
    overrides = {}
    for item in values:
        key, _, value = item.partition("=")
        overrides[key] = yaml.safe_load(value)
    try:
        params = resolve(module.PARAMS, overrides)
    except ParamError as err:
        raise PreviewError(f"widget {name}: {err}") from None
    start = time.perf_counter()
    try:
        scene = module.compute(**params)
    except Exception as err:
        raise PreviewError(
            f"widget {name} raised {type(err).__name__}: {err} (at {_where(err, package)})"
        ) from None
    took = (time.perf_counter() - start) * 1000
    size = len(json.dumps(scene, separators=(",", ":")))
    figs = figure.render_panels(scene)
    out = out or f"/tmp/{name}.png"
    _side_by_side(figs, out)
    print(
        f"{name}{params}: compute {took:.1f} ms, scene {size / 1024:.1f} KB, "
        f"{len(figs)} panel(s) -> {out}"
    )
    print("alt:", scene["alt"])
    for r in scene["readouts"]:
        print(f"  {r['label']}: {r['text']}")


def _where(err, package="widgets"):
    """``file:line`` where ``err`` was raised in the widget package (the author's code), else
    its last frame."""
    frames = traceback.extract_tb(err.__traceback__)
    here = os.getcwd() + os.sep
    frame = ([f for f in frames if f.filename.startswith(here + package + os.sep)] or frames)[-1]
    return f"{frame.filename.removeprefix(here)}:{frame.lineno}"


# The engine lays text out with Helvetica's widths (layout.text_width), as the page's font draws
# it; matplotlib's own DejaVu Sans is about a tenth wider, so a PNG drawn with it crops long labels
# the browser shows whole. The first of these matplotlib finds (Liberation Sans and Nimbus Sans
# have Helvetica's widths and come with most Linux systems), each glyph it lacks (∝, ², →) from
# the next that has it.
PREVIEW_FONTS = ["Helvetica", "Arial", "Liberation Sans", "Arimo", "Nimbus Sans", "DejaVu Sans"]


def _side_by_side(figs, out):
    """All panels in one PNG, as they sit in a wide column."""
    import io

    from matplotlib import font_manager
    from matplotlib.figure import Figure
    import matplotlib.image as mpimg
    from matplotlib.text import Text

    # Only those installed: asking matplotlib for a missing family logs a warning per text.
    installed = {f.name for f in font_manager.fontManager.ttflist}
    families = [f for f in PREVIEW_FONTS if f in installed] or ["DejaVu Sans"]
    images = []
    for fig in figs:
        fig.patch.set_alpha(1)
        fig.patch.set_facecolor("white")
        for text in fig.findobj(Text):
            text.set_fontfamily(families)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110)
        buf.seek(0)
        images.append(mpimg.imread(buf))
    width = sum(im.shape[1] for im in images)
    height = max(im.shape[0] for im in images)
    sheet = Figure(figsize=(width / 110, height / 110), dpi=110)
    x = 0
    for im in images:
        ax = sheet.add_axes(
            [x / width, 1 - im.shape[0] / height, im.shape[1] / width, im.shape[0] / height]
        )
        ax.imshow(im)
        ax.axis("off")
        x += im.shape[1]
    sheet.savefig(out, dpi=110)
