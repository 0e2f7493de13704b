"""The registry: every widget the essay can place, by the name authors write in a ``widget`` fence.

A widget is one module with ``TITLE``, ``PARAMS`` (see ``params``) and a pure
``compute(**params) -> scene`` (see ``scene``). Registering it here is all it takes: the build, the
browser runtime and the tests iterate this dict.
"""

import importlib
import json

from .params import ParamError, resolve

# In the essay's order. A name here is all it takes to register the module widgets/<name>.py.
NAMES = (
    "vlm_vla",
    "bc_drift",
    "bins",
    "rt2_tokens",
    "diffusion_policy",
    "action_chunking",
    "openvla_pipeline",
    "cross_embodiment",
    "sim_to_real",
    "control_rates",
    "timeline",
)

WIDGETS = {name: importlib.import_module(f".{name}", __name__) for name in NAMES}


class UnknownWidget(KeyError):
    def __str__(self):
        return f"unknown widget {self.args[0]!r}; known: {', '.join(WIDGETS)}"


def compute(name, overrides=None, registry=None):
    """The scene of widget ``name`` for its defaults updated by ``overrides`` (checked first)."""
    registry = WIDGETS if registry is None else registry
    if name not in registry:
        raise UnknownWidget(name)
    module = registry[name]
    return module.compute(**resolve(module.PARAMS, overrides or {}))


def compute_json(name, overrides_json, package="widgets"):
    """The browser's entry point: JSON in, JSON out. Values from the page or the URL are checked
    against the declaration before the widget sees them."""
    registry = importlib.import_module(package).WIDGETS
    return json.dumps(compute(name, json.loads(overrides_json), registry), separators=(",", ":"))


__all__ = ["WIDGETS", "ParamError", "UnknownWidget", "compute", "compute_json"]
