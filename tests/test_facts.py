"""Every checked fact the essay uses appears in the built pages with its value, and the outline's
errors that facts.md corrects do not."""

from html.parser import HTMLParser
import re

import pytest

# (page, claim from ../shared/facts.md, the text that states it)
CLAIMS = [
    ("imitation.html", "BC cost bound quadratic (Ross & Bagnell 2010)",
     r"J(\hat\pi) \;\le\; J(\pi^*) + T^2 \varepsilon"),
    ("imitation.html", "DAgger bound linear (arXiv 1011.0686)",
     r"J(\hat\pi) \;\le\; J(\pi^*) + u\,T\,\varepsilon + O(1)"),
    ("actions.html", "RT-1 action space", "7 arm dimensions (x, y, z, roll, pitch, yaw, gripper"),
    ("actions.html", "RT-1 base dims and mode", "3 for its mobile base"),
    ("actions.html", "RT-2 backbones", "PaLI-X (in 5B and 55B versions) and PaLM-E (12B)"),
    ("actions.html", "RT-2 256 uniform bins", "discretized uniformly into 256 bins"),
    ("actions.html", "RT-2 action string", "1 128 91 241 5 101 127 217"),
    ("actions.html", "PaLI-X number tokens", "every integer up to 1000"),
    ("index.html", "PaLI-X writes bins as its number tokens", "so bin 128 is simply written"),
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
    ("diffusion.html", "why chunk: a k-fold shorter effective horizon",
     "times fewer decisions over a task, so its effective horizon is"),
    ("diffusion.html", "temporal ensembling oldest first",
     "belongs to the oldest prediction, so older predictions weigh more"),
    ("diffusion.html", "ensembling m", "m = 0.01"),
    ("generalists.html", "OpenVLA vision: two encoders", "DINOv2 (a ViT-L/14) and SigLIP (So400M)"),
    ("generalists.html", "OpenVLA token overwrite, and why", "Llama's tokenizer reserves only 100 "
                                                             "special tokens, too few for 256 bins"),
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
    ("continuous.html", "π0 sizes", "PaliGemma vision-language model (about 3B parameters) with an "
                                   "action expert of about 300M, 3.3B in all"),
    ("continuous.html", "π0 flow matching", r"A^\tau = \tau A + (1 - \tau)\,\varepsilon"),
    ("continuous.html", "π0 velocity target", r"v_\theta(A^\tau, o) - (A - \varepsilon)"),
    ("continuous.html", "π0 inference", "73 ms per chunk on an RTX 4090, of which the ten passes "
                                        "through the action expert are 27 ms"),
    ("continuous.html", "π0 data", "over 10,000 hours of robot data from 7 robot configurations"),
    ("continuous.html", "FAST compression", "goes from 700 bin tokens to 53 FAST tokens"),
    ("continuous.html", "FAST: training compute, not inference", "needed up to 5 times less "
                                                                  "training compute than π0"),
    ("continuous.html", "OFT LIBERO", "76.5% for OpenVLA to 97.1% for OpenVLA-OFT"),
    ("continuous.html", "OFT throughput is not a control rate", "from 4.2 to 109.7 actions per "
                                                                "second on an A100 (26 times"),
    ("continuous.html", "OFT L1 head vs diffusion", "(95.3% against 95.4%)"),
    ("continuous.html", "π0.5 training", "pre-trained for 280k steps on FAST tokens, then "
                                         "post-trained for 80k steps"),
    ("continuous.html", "GR00T N1", "16-action chunks with 4 denoising steps for a stated 120 Hz"),
    ("continuous.html", "Helix loops", "7B VLM at 7–9 Hz that hands a latent vector to an 80M "
                                       "visuomotor policy running at 200 Hz"),
    ("continuous.html", "Gemini Robotics latency", "about 250 ms from observation to chunk"),
    ("continuous.html", "SmolVLA", "SmolVLA (450M parameters"),
    ("frontier.html", "π0 re-plans every 0.5 s", "it re-plans every 0.5 s, plus the 73 ms"),
    ("frontier.html", "Diffusion Policy re-plans every 0.8 s", "re-plans every 0.8 s (8 of 16"),
    ("frontier.html", "ACT without ensembling", "a whole 100-action chunk, 2 s, between looks"),
    ("frontier.html", "chunks lengthen the blind distance", "An open-loop chunk does not shrink "
                                                            "the distance a robot moves blind; it "
                                                            "lengthens it"),
]

# Statements the review or facts.md corrected: none may appear.
CORRECTED = [
    ("generalists.html", "22+ robot embodiments"),
    ("generalists.html", "Llama 2 + SigLIP"),
    ("generalists.html", "quadrupeds, dexterous hands"),
    ("generalists.html", "no number tokens"),
    ("generalists.html", "Change the patch size"),
    ("frontier.html", "~3Hz control"),
    ("frontier.html", "ways of shrinking that distance"),
    ("frontier.html", "the width of a table"),
    ("index.html", "Reserve a few hundred"),
    ("actions.html", "That is why 256 became the standard"),
    ("diffusion.html", "precisely the function a trained network approximates"),
    ("imitation.html", "bend upward like T²"),
    ("imitation.html", "three rounds"),
    ("continuous.html", "faster inference"),
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


# ---- Continuous actions (continuous.md): the second review's corrections ----------------------------
# Numbers the chapter's figures compute are checked against the widgets in tests/widgets/
# (test_flow_matching, test_fast_tokens, test_decode_cost); these are the papers' facts.

CONTINUOUS_CLAIMS = [
    ("π0's training times: the shifted Beta", r"\mathrm{Beta}\big(\tfrac{s - \tau}{s}; 1.5, 1\big)"),
    ("π0's Beta: noisy times weighted, none above s", "which puts more weight on the noisy end "
                                                     "and never trains above"),
    ("flow Euler is DDIM in rescaled coordinates (Song et al.)", "arXiv:2010.02502"),
    ("the same identity (Karras et al.)", "arXiv:2206.00364"),
    ("FAST's cost: π0's observation pass plus a cost per token",
     "(750 − 46) / 30 ≈ 23.5 ms per token, so 46 + 30 × 23.5 ≈ 750 ms"),
    ("FAST paper: 30–60 tokens per chunk", "The FAST paper's chunks take 30–60 tokens"),
    ("π0 re-plans synchronously (rates table)", "Decoded synchronously, as π0 runs"),
    ("OFT's 97.1% is the wrist-camera + proprioception configuration",
     "97.1% for OpenVLA-OFT in its richest configuration, with a wrist camera and the robot's own "
     "state as inputs"),
    ("OFT unfiltered", "94.5% without the filtering"),
    ("OFT's 109.7 actions/s is the single-image configuration",
     "Its speed was measured in the single-image configuration"),
    ("π0.5: cleaning tasks in unseen homes, not cleaned homes",
     "set to clean kitchens and bedrooms in homes never seen in training"),
    ("knowledge insulation: the backbone keeps learning",
     "Its remedy is not to freeze the backbone: the backbone keeps learning, from FAST tokens and "
     "vision-language data, while the action expert's gradients are stopped from flowing into it"),
    ("SmolVLA refills a queue and averages overlaps",
     "it asks for a new chunk when the queue of actions still to run falls below a threshold, and "
     "averages the old and new chunks where they overlap, with nothing frozen and nothing "
     "inpainted"),
]

CONTINUOUS_CORRECTED = [
    "Instead of a schedule of noise levels",  # τ is a schedule
    "Straight routes are what let",  # with the same field, flow Euler is DDIM on a matched schedule
    "flow's samples travel nearly straight",
    "From about ten calls",  # crossings stop at 3–5 calls on most draws
    "consecutive bin tokens mostly repeat",  # 16% at 50 Hz on the figure's chunk
    "FAST tokens barely grow",  # 2.1× from 5 to 100 Hz
    "under 1% of the range",  # 1.45% at 5 Hz
    "re-plans every 500 ms",  # synchronously: 0.5 s plus the decode time
    "cleaned homes",
    "insulates the backbone from the expert's gradients",
    "decouples prediction from execution the same way",
]


@pytest.mark.parametrize("claim,text", CONTINUOUS_CLAIMS, ids=[c[0] for c in CONTINUOUS_CLAIMS])
def test_continuous_actions_states_the_checked_fact(sites, claim, text):
    assert text in page_text(sites("essay").path, "continuous.html"), claim


@pytest.mark.parametrize("wrong", CONTINUOUS_CORRECTED)
def test_continuous_actions_no_longer_says_what_the_second_review_corrected(sites, wrong):
    assert wrong not in page_text(sites("essay").path, "continuous.html")
