"""Every checked fact the essay uses appears in the built pages with its value, and the outline's
errors that facts.md corrects do not."""

from html.parser import HTMLParser
import re

import pytest

# (page, claim from ../shared/facts.md, the text that states it)
CLAIMS = [
    ("imitation.html", "BC cost bound quadratic (Ross & Bagnell 2010)", "J ≤ J* + T²ε"),
    ("imitation.html", "DAgger bound linear (arXiv 1011.0686)", "J ≤ J* + uTε + O(1)"),
    ("actions.html", "RT-1 action space", "7 arm dimensions (x, y, z, roll, pitch, yaw, gripper"),
    ("actions.html", "RT-1 base dims and mode", "3 for its mobile base"),
    ("actions.html", "RT-2 backbones", "PaLI-X (in 5B and 55B versions) and PaLM-E (12B)"),
    ("actions.html", "RT-2 256 uniform bins", "discretized uniformly into 256 bins"),
    ("actions.html", "RT-2 action string", "1 128 91 241 5 101 127 217"),
    ("actions.html", "PaLI-X number tokens", "every integer up to 1000"),
    ("actions.html", "PaLM-E overwrites least used tokens", "256 least frequently used tokens"),
    ("actions.html", "RT-2 speed", "the 55B model at 1–3 Hz and the 5B at about 5 Hz"),
    ("diffusion.html", "Diffusion Policy horizons", "the last 2 observations, predicts the next 16 "
                                                    "actions, and executes 8"),
    ("diffusion.html", "Diffusion Policy steps", "10 DDIM steps (about 0.1 s on an RTX 3080)"),
    ("diffusion.html", "Diffusion Policy improvement", "46.9%"),
    ("diffusion.html", "ACT chunk size and result", "scored 1% without it (k = 1) scored 44% "
                                                    "with k = 100"),
    ("diffusion.html", "ACT 50 Hz, hardware", "ACT runs at 50 Hz on ALOHA's two ViperX 6-DoF arms"),
    ("diffusion.html", "ACT policy size", "about 80M parameters"),
    ("diffusion.html", "temporal ensembling oldest first", "w_0 belongs to the oldest prediction"),
    ("diffusion.html", "ensembling m", "m = 0.01"),
    ("generalists.html", "OpenVLA vision: two encoders", "DINOv2 (a ViT-L/14) and SigLIP (So400M)"),
    ("generalists.html", "OpenVLA data", "970k robot trajectories"),
    ("generalists.html", "OpenVLA compute", "64 A100 GPUs for 14 days"),
    ("generalists.html", "OpenVLA result", "16.5 percentage points"),
    ("generalists.html", "OpenVLA speed", "about 6 Hz on one RTX 4090"),
    ("generalists.html", "OXE size", "over 1M real robot trajectories from 22 robot embodiments, "
                                     "in 60 datasets contributed by 34 labs (21 institutions)"),
    ("generalists.html", "OXE skills", "527 skills (160,266 tasks)"),
    ("generalists.html", "OXE: no dexterous hands", "but no dexterous hands"),
    ("generalists.html", "RT-1-X small-data gain", "about 50% on average on small-data domains"),
    ("sim-to-real.html", "domain randomization 1.5 cm", "to within about 1.5 cm"),
    ("frontier.html", "speed row corrected", "RT-1 about 3 Hz, RT-2 55B 1–3 Hz; newer VLAs 5–50 Hz"),
    ("frontier.html", "Helix loops", "plans at 7–9 Hz and runs a 200 Hz controller"),
    ("frontier.html", "GR00T N1 loops", "10 Hz and 120 Hz loops"),
    ("frontier.html", "π0", "3B PaliGemma VLM with a 300M flow-matching"),
    ("frontier.html", "RT-1 in the timeline", "35M-parameter robotics transformer trained on 130k "
                                              "episodes from 13 robots"),
    ("frontier.html", "PaLM-E size", "562B"),
    ("frontier.html", "Octo", "93M parameters, 800k trajectories"),
    ("frontier.html", "OpenVLA-OFT", "26× throughput, LIBERO success from 76.5% to 97.1%"),
    ("frontier.html", "SmolVLA", "450M parameters"),
]

# The outline's statements that facts.md corrects: none may appear.
CORRECTED = [
    ("generalists.html", "22+ robot embodiments"),
    ("generalists.html", "Llama 2 + SigLIP"),
    ("generalists.html", "quadrupeds, dexterous hands"),
    ("frontier.html", "~3Hz control"),
]


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style", "svg")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style", "svg")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def page_text(site, page):
    parser = _Text()
    parser.feed((site / page).read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", "".join(parser.parts))


@pytest.mark.parametrize("page,claim,text", CLAIMS, ids=[c[1] for c in CLAIMS])
def test_the_essay_states_the_checked_fact(sites, page, claim, text):
    assert text in page_text(sites("essay").path, page), claim


@pytest.mark.parametrize("page,wrong", CORRECTED)
def test_the_outlines_corrected_errors_are_gone(sites, page, wrong):
    assert wrong not in page_text(sites("essay").path, page)
