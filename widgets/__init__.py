"""The essay's widgets, in the order the essay places them.

A name here registers the module ``widgets/<name>.py``: the build, the browser and the tests all
read ``WIDGETS``. The scene vocabulary and parameter declarations come from the engine
(``visual_essay.scene``, ``visual_essay.params``); this package holds the science only.
"""

from visual_essay.registry import collect

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
    "flow_matching",
    "fast_tokens",
    "decode_cost",
    "trials",
    "libero_scores",
    "control_rates",
    "timeline",
)

WIDGETS = collect(__name__, NAMES)
