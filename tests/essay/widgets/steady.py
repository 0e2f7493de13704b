"""What keeps a figure's height when a reader touches a control, checked without a browser: the
same readouts (labels, in order) and the same panels, each of the same size in its wide and its
narrow layout (a legend that grows a panel, or a panel dropped, moves the page). The contract's
browser test measures the drawn figure at the controls' ends; these run over a grid of settings
between them too."""

import itertools

from visual_essay.params import resolve


def shape(scene):
    """(readout labels, (wide size, narrow size) of each panel) of a finished scene."""
    sizes = tuple((tuple(p["size"]), tuple(p["narrow"]["size"]) if p.get("narrow") else None)
                  for p in scene["panels"])
    return tuple(r["label"] for r in scene["readouts"]), sizes


def differing(module, grid):
    """The settings of ``grid`` ({parameter: values}, the rest at their defaults) whose scene's
    shape differs from the first's, with both shapes: empty when the figure holds still."""
    names = list(grid)
    settings = [dict(zip(names, values, strict=True)) for values in
                itertools.product(*grid.values())]
    first = None
    out = []
    for setting in settings:
        seen = shape(module.compute(**resolve(module.PARAMS, setting)))
        if first is None:
            first = (setting, seen)
        elif seen != first[1]:
            out.append((setting, seen, first))
    return out
