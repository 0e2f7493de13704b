"""Every checked fact the essay uses appears in the built pages with its value, and the outline's
errors that facts.md corrects do not."""

from html.parser import HTMLParser
from pathlib import Path
import re

import pytest
import yaml

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
    # The second review's fixes (../shared/REVIEW.md), each with the wrong version in CORRECTED
    ("index.html", "a VLA: tokens or continuous actions",
     "A VLA is a vision-language model that has learned to output a robot's actions as well as "
     "text."),
    ("index.html", "continuous-action VLAs named", "from an action expert inside the same "
                                                   "transformer (π0), from a small head on top of it "
                                                   "(OpenVLA-OFT), or from a second, faster network "
                                                   "beside it (GR00T N1)"),
    ("actions.html", "256 bins: where the tokens come from (facts.md), not an uncited 'fine enough'",
     "OpenVLA overwrites the 256 tokens Llama uses least (Llama reserves only 100 special tokens, "
     "too few)"),
    ("generalists.html", "OXE's actions (facts: corrections found by the second review)",
     "position, orientation and gripper, or their rates, absolute or relative, in frames that "
     "were not aligned across robots"),
    ("generalists.html", "cross-embodiment caption: what holds over many draws (third review)",
     "Add the quadruped, whose skill differs: from about six demonstrations per robot on, the "
     "shared trunk serves the arms worse than the arms-only pool in most draws, and the quadruped "
     "worse than its own "
     "policy does."),
    ("frontier.html", "FAST made tokens trainable at high rates",
     "FAST made token VLAs trainable at high control rates"),
    ("frontier.html", "π0-FAST is slower at run time", "π0-FAST decodes more slowly than π0's flow "
                                                       "head (about 750 ms against about 100 ms "
                                                       "per chunk)"),
    ("frontier.html", "OFT dropped tokens", "OpenVLA-OFT dropped tokens for continuous actions "
                                            "decoded in one pass"),
    ("frontier.html", "π0.5: set to tasks, not 'cleaned homes'",
     "mobile manipulators running π0.5 were set to cleaning tasks in homes that were not in its "
     "training data"),
    ("frontier.html", "Diffusion Policy and ACT, with numbers",
     "improved on prior methods by 46.9% on average across 12 tasks, and ACT's chunks of 100 "
     "actions raised a simulated task from 1% to 44% success"),
    ("frontier.html", "data row: OXE is of 2023", "Open X-Embodiment pooled over 1M trajectories "
                                                  "from 22 embodiments in 2023"),
    ("frontier.html", "data row: DROID", "DROID, 350 hours in 564 scenes (2024)"),
    ("frontier.html", "data row: AgiBot World", "AgiBot World, over 1M trajectories from 100 "
                                                "dual-arm humanoids (2025)"),
    ("frontier.html", "data row: video", "internet video for V-JEPA 2, over 1M hours"),
    ("frontier.html", "LAPA still maps latents with labelled robot data",
     "with a small set of robot data that has action labels"),
    ("frontier.html", "LAPA compute", "over 30 times more efficient (8 H100 GPUs for 34 hours)"),
    ("frontier.html", "V-JEPA 2-AC data", "under 62 hours of unlabeled robot video from DROID"),
    ("frontier.html", "V-JEPA 2-AC: image goals", "toward a goal given as an image, zero-shot"),
    ("frontier.html", "openpi π0 weights", "released the π0 and π0-FAST base models"),
    ("frontier.html", "openpi date", "DROID and ALOHA, on 3 February 2025"),
    ("frontier.html", "π0.5 weights: September 2025", "followed in September 2025, five months "
                                                      "after the π0.5 paper"),
    ("frontier.html", "openpi memory", "takes a GPU with more than 8 GB of memory; fine-tuning all "
                                       "of its weights, more than 70 GB"),
    ("frontier.html", "On-Device: trusted testers, not open",
     "It is not open: only trusted testers can use it, through the Safari SDK"),
    ("frontier.html", "On-Device: size unverified", "found no checked source for its size"),
    ("frontier.html", "On-Device adaptation", "adapts to a new task from 50–100 demonstrations"),
    ("frontier.html", "closing: π0's blind distance, as control_rates computes it",
     "for π0 at 0.5 m/s, 25 cm travelled between two looks at the world"),
    ("sim-to-real.html", "GR00T N1's data", "GR00T N1 trains on real robot data, human videos and "
                                            "synthetic data together"),
    # The third review (two readers of the built site against facts.md)
    ("index.html", "A1: RT-2 co-fine-tuned on robot and web data",
     "it was co-fine-tuned on robot demonstrations and web vision-language data together"),
    ("index.html", "A2: PaLM-E's least used tokens, without a reason facts.md does not give",
     "in PaLM-E, its 256 least used tokens are given the bins' meaning instead"),
    ("index.html", "A3: GR00T N1's VLM steers the network that acts",
     "the model that reads the scene and the instruction acts itself, or steers a network that "
     "does"),
    ("actions.html", "A1: RT-2-X's emergent skills, the checked fact",
     "RT-2-X roughly tripled RT-2's success on emergent-skill evaluations"),
    ("actions.html", "A2: PaLM-E's overwritten tokens", "For PaLM-E, its 256 least frequently used "
                                                        "tokens were overwritten to mean the bins"),
    ("sim-to-real.html", "sim-to-real: OpenVLA's real data, not a causal claim",
     "OpenVLA, for one, from 970k trajectories of real robots"),
    ("frontier.html", "A8: SayCan and Gato, both 2022",
     "In SayCan (April 2022) a language model picked among a robot's skills, each scored by the "
     "robot's affordances"),
    ("frontier.html", "A8: Gato a month later", "A month later Gato put a robot arm in one "
                                                "transformer with games and chat"),
    ("frontier.html", "A9: π*0.6 is the example of learning after deployment",
     "π*0.6 learns by reinforcement from the robot's own experience and corrections"),
    ("frontier.html", "A9: π0.7 separately: steerable prompts",
     "π0.7 takes \"steerable\" prompts, which can carry language, metadata, a control mode or a "
     "visual subgoal"),
    ("frontier.html", "A10: 20–50 Hz is π0's and OFT's", "π0 and OpenVLA-OFT act at 20–50 Hz but "
                                                         "re-plan only every 0.5–1 s"),
    ("frontier.html", "A11: rates caption names panels by letter (issue 22)",
     "(a) Each system's action rate (bars) and re-planning rate (dots; diamonds where a VLM "
     "re-plans), on a log scale"),
    ("frontier.html", "A13: GR00T N1's range is an assumption",
     "how many actions of a chunk run before it observes again is not stated"),
    ("frontier.html", "A13: RT-2 in July, Diffusion Policy and ACT earlier",
     "in July RT-2 showed that a web-scale VLM"),
    ("frontier.html", "A13: OpenVLA open, as facts.md says", "OpenVLA, of June 2024, is an open 7B "
                                                             "VLA"),
    ("continuous.html", "B1: how OFT's 73 ms is derived",
     "one forward pass takes 8 ÷ 109.7 ≈ 73 ms, on an A100 where the other three designs were "
     "timed on an RTX 4090"),
    ("continuous.html", "B4: FAST's repeats, unambiguous",
     "(26% over 16 held-out chunks; 38% over them at 100 Hz)"),
    ("continuous.html", "B5: π0.5's cleaning tasks", "set to cleaning tasks in homes never seen in "
                                                    "training"),
    ("evaluation.html", "B6: OFT's 97.1% with its configuration",
     "OpenVLA-OFT at 97.1% on LIBERO (with a wrist camera and proprioception)"),
    ("evaluation.html", "B7: OpenVLA's mean of 3 × 500 drawn at 500",
     "OpenVLA's score, a mean of 3 × 500 episodes, is drawn at 500 too"),
    ("evaluation.html", "B8: a run at the true rate, rounded",
     "each policy succeeding at its true rate, rounded to a whole number of successes"),
    ("references.html", "A14: the corrected correction",
     "\"Worse for everyone\" when the quadruped joins does not hold at 3 demonstrations per robot"),
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
    # The second review (../shared/REVIEW.md)
    ("frontier.html", "fast enough to compete"),
    ("generalists.html", "(hand displacement, rotation, gripper)"),
    ("generalists.html", "7-D end-effector"),
    ("generalists.html", "and from four demonstrations per robot on the shared trunk"),
    ("frontier.html", "how much better continuous, multimodal, chunked action generation gains"),
    ("frontier.html", "What they cannot yet do"),
    ("frontier.html", "easier to state with numbers than with adjectives"),
    ("frontier.html", "minutes more than hours"),
    ("frontier.html", "cleaned homes"),
    ("frontier.html", "Each of them is moving"),
    ("frontier.html", "largest open collection"),
    ("actions.html", "fine enough for the arm and small enough for a vocabulary"),
    ("index.html", "A VLA treats actions as one more kind of output token"),
    # The third review
    ("generalists.html", "from four demonstrations per robot on"),
    ("generalists.html", "get worse from 4 demonstrations on"),
    ("generalists.html", "always worse off than alone"),
    ("generalists.html", "as Octo and π0 do"),
    ("references.html", "holds from 4 demonstrations per robot, not at 3"),
    ("index.html", "PaLM-E has no such tokens"),
    ("actions.html", "PaLM-E has no such tokens"),
    ("index.html", "most striking results"),
    ("actions.html", "could follow instructions about objects, categories and relations"),
    ("actions.html", "released tokenizer places 256 bin"),
    ("actions.html", "255 bin centres"),
    ("index.html", "the one that acts."),
    ("sim-to-real.html", "one reason why most VLAs are still trained on real demonstrations"),
    ("sim-to-real.html", "shrink the visual gap"),
    ("frontier.html", "Until 2022"),
    ("frontier.html", "only Gato"),
    ("frontier.html", "In the same spring"),
    ("frontier.html", "give: improvement after deployment"),
    ("frontier.html", "newer VLAs act at 20–50 Hz"),
    ("frontier.html", "7B weights came with its paper"),
    ("frontier.html", "(left, log scale)"),
    ("continuous.html", "clean kitchens and bedrooms"),
    ("continuous.html", "such as Diffusion Policy's predicts the noise"),
    ("continuous.html", "(26% over 16 held-out chunks, 38% at 100 Hz)"),
    ("evaluation.html", "each with the 95% interval of the episodes behind it"),
    ("evaluation.html", "succeeding at exactly its true rate"),
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


# facts.md, "Do not write" (and the two older lines of the same kind in its rates and FAST
# entries), copied here so the tests do not depend on ../shared: each statement with a pattern
# that also catches it reworded. None may appear on any page.
DO_NOT_WRITE = [
    ("π0.5 weights shipped with the April 2025 paper",
     r"π0\.5(?:'s)? (?:base )?(?:model|weights)[^.]*(?:shipped|released|came) with[^.]*April 2025"),
    ("Gemini Robotics On-Device is open",
     r"On-Device[^.]{0,40}\b(?:is|are) open\b|"
     r"\bopen(?:-weight| weights?) (?:of |for )?Gemini Robotics On-Device"),
    ("OFT 97.1 vs π0 94.2 is like for like", r"97\.1[^.]*94\.2[^.]*like[- ]for[- ]like"),
    ("~97% on LIBERO shows generalization", r"LIBERO[^.]*\bshows generali[sz]ation"),
    ("VLAs run all 130 tasks", r"\b(?:run|runs|ran|evaluated on|scored? on) all 130 tasks"),
    ("DROID has 86 tasks", r"DROID[^.]*\b86 tasks"),
    ("GR00T's 780k trajectories are real", r"780k (?:real|trajectories are real)"),
    ("20 trials give ±21 points", r"±\s*21\b"),
    ("STEP saves 40%", r"STEP (?:saves|cuts|reduces)[^.]*(?<!up to )\b40%"),
    ("LAPA needs no robot data", r"LAPA[^.]*\b(?:needs|requires|uses) no robot data"),
    ("V-JEPA 2-AC follows language",
     r"V-JEPA 2-AC[^.]*\b(?:follows|takes|from) (?:language|instructions)"),
    ("UMI needs no robot", r"UMI[^.]*\bneeds no robot"),
    ("π0 runs inference at 50 Hz", r"π0 runs inference at 50 Hz"),
    ("5× faster inference", r"\b5\s*[×x] faster inference"),
    ("π0.7 is 5B parameters", r"π0\.7[^.]*\b\d+(?:\.\d+)?\s*B\b"),  # no size: the claims conflict
]

DOCS = Path(__file__).resolve().parents[2] / "docs"


def chapter_pages():
    return sorted(p.with_suffix(".html").name for p in DOCS.glob("*.md")
                  if not p.name.startswith("_") and p.name != "authoring.md")


@pytest.mark.parametrize("statement,pattern", DO_NOT_WRITE, ids=[d[0] for d in DO_NOT_WRITE])
def test_no_page_says_what_the_facts_sheet_forbids(sites, statement, pattern):
    assert re.search(pattern, statement), "the pattern must catch the statement it stands for"
    for page in chapter_pages():
        text = page_text(sites("essay").path, page)
        assert statement.lower() not in text.lower(), (page, statement)
        found = re.search(pattern, text, re.IGNORECASE)
        assert not found, (page, found and found.group(0))


# Structure: the outline's chapter order (../shared/ESSAY.md). A chapter not written yet is left
# out; once its file exists the navigation must list it in its place.
ORDER = ["index.md", "imitation.md", "actions.md", "diffusion.md", "generalists.md",
         "continuous.md", "evaluation.md", "sim-to-real.md", "frontier.md", "references.md"]


def nav_files():
    text = (DOCS.parent / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n", 1)[1]
    return re.findall(r"^  - [^:\n]+: (\S+\.md)$", text, re.M)


def test_the_navigation_follows_the_outlines_chapter_order():
    assert nav_files() == [p for p in ORDER if (DOCS / p).exists()]


def test_the_openings_list_of_chapters_follows_the_navigation():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    paragraph = index.split("The chapters follow one another:", 1)[1].split("\n\n", 1)[0]
    listed = re.findall(r"\]\(([a-z-]+\.md)", paragraph)
    assert listed[:-1] == nav_files()[1:-1]  # every chapter, then the references' cite anchor
    assert listed[-1] == "references.md"


# Chapters that point at "the next chapter" must name the one that follows in the navigation.
OWN = ["index.md", "imitation.md", "actions.md", "diffusion.md", "generalists.md",
       "continuous.md", "evaluation.md", "sim-to-real.md", "frontier.md", "references.md"]


def wrong_pointers(chapter, text, nav):
    """Each "next/previous chapter" in the text that does not link the chapter beside this one
    in the navigation, or does not link at all (then it cannot be checked: name the chapter)."""
    wrong = []
    flat = text.replace("\n", " ")
    for word, step in (("next", 1), ("previous", -1)):
        for target in re.findall(rf"\[{word} chapter\]\(([a-z-]+\.md)", flat, re.IGNORECASE):
            if target not in nav or nav.index(target) != nav.index(chapter) + step:
                wrong.append(f"{word} chapter -> {target}")
        wrong += [f"{word} chapter, unlinked"] * len(
            re.findall(rf"\b{word} chapter\b(?!\]\()", flat, re.IGNORECASE))
    return wrong


@pytest.mark.parametrize("chapter", OWN)
def test_a_pointer_to_the_next_or_previous_chapter_names_the_right_one(chapter):
    text = (DOCS / chapter).read_text(encoding="utf-8")
    assert wrong_pointers(chapter, text, nav_files()) == []


def test_a_wrong_or_unlinked_chapter_pointer_would_be_caught():
    nav = nav_files()
    assert nav.index("continuous.md") == nav.index("generalists.md") + 1
    # as the generalists chapter would have said before the reorder, and an unlinked one
    text = "see the\n[next chapter](sim-to-real.md); the next chapter; [next chapter](continuous.md)"
    assert wrong_pointers("generalists.md", text, nav) == [
        "next chapter -> sim-to-real.md", "next chapter, unlinked"]
# --- The chapter "Evaluation and data" (facts.md: "Evaluation, data after OXE, ...") ---------

EVALUATION_CLAIMS = [
    ("LIBERO: 130 tasks in four suites", "130 of them in four suites"),
    ("LIBERO-100 = LIBERO-90 + LIBERO-10 (Long)",
     "as LIBERO-90 and LIBERO-10, also called LIBERO-Long"),
    ("VLAs fine-tune on 500 demonstrations per suite", "each providing 500 expert demonstrations "
                                                       "across 10 tasks"),
    ("500 episodes per suite", "10 tasks × 50 episodes = 500 episodes"),
    ("OpenVLA row", "OpenVLA 84.7 88.4 79.2 53.7 76.5"),
    ("π0-FAST row", "π0-FAST 96.4 96.8 88.6 60.2 85.5"),
    ("π0 row", "π0 96.8 98.8 95.8 85.2 94.2"),
    ("OpenVLA-OFT row", "OpenVLA-OFT 97.6 98.4 97.9 94.5 97.1"),
    ("π0.5 row", "π0.5 (30k steps) 98.8 98.2 98.0 92.4 96.85"),
    ("OFT's 97.1 adds wrist camera, proprioception, filtered data",
     "adds a wrist camera and the robot's proprioception to its inputs and filters its "
     "training data"),
    ("OFT unfiltered 94.5", "on the unfiltered data it scores 94.5"),
    ("openpi's runs untuned", "openpi's π0 and π0-FAST runs were not tuned"),
    ("LIBERO-PRO: above 90% fall to 0.0%", "models that score above 90% on standard LIBERO fell "
                                           "to 0.0%"),
    ("0.09B probe without a language encoder", "a 0.09B probe with no language encoder scores at "
                                               "or near the reported state of the art"),
    ("gains not provably significant", "most reported gains are not provably statistically "
                                       "significant"),
    ("SimplerEnv modes", "Visual Matching"),
    ("SimplerEnv modes", "Variant Aggregation"),
    ("SimplerEnv metrics", "MMRV, the mean maximum rank violation"),
    ("π0: 10 trials per task and method", "10 per task and method"),
    ("OFT on ALOHA trials", "10, 10, 12 and 24, on tasks trained with 20, 30, 45 and 300 "
                            "demonstrations"),
    ("Octo: 10 trials, two tasks per robot", "10, on two tasks per robot"),
    ("Kress-Gazit et al.'s recommendations",
     "recommend reporting the experimental conditions, metrics beyond success rate, a statistical "
     "analysis"),
    ("STEP: small feasible samples", '"e.g., 10 or 50"'),
    ("STEP: up to 40%", "up to 40% fewer trials"),
    ("Wilson 10/20 is about ±20", "is still about ±20 points"),
    ("identical policies apart at 10 trials", "end 30 points or more apart with probability 0.26"),
    ("identical policies apart at 20 trials", "with probability 0.08 at 20 trials each"),
    ("DROID", "76k trajectories and 350 hours of interaction, in 564 scenes and 84 tasks"),
    ("DROID collectors", "50 people on three continents over 12 months"),
    ("AgiBot World", "over 1M trajectories across 217 tasks in five deployment scenarios, from 100 "
                     "dual-arm humanoid robots"),
    ("AgiBot World Beta", "2,976.4 hours, 87 skills and over 3,000 objects"),
    ("AgiBot World results", "did 30% better on average than those pre-trained on OXE"),
    ("GO-1 vs RDT", "GO-1 policy did 32% better than RDT"),
    ("UMI: latency matching, relative trajectories", "latency matching and actions written as "
                                                     "relative trajectories"),
    ("UMI: deployment needs a robot", "Collection needs no robot; deployment does."),
    ("UMI: 30 locations, direct sunlight", "came from 30 locations, and the released system fails "
                                           "in direct sunlight"),
    ("GR00T N1 data mix", "trains on real robot data, human videos and synthetic data"),
    ("GR00T's 780k trajectories are simulated",
     "780k simulated trajectories, generated in 11 hours"),
]

# facts.md's "Do not write" lines that this chapter could be tempted by, and its UNVERIFIED values
EVALUATION_FORBIDDEN = [
    "is like for like", "like-for-like", "shows generalization", "VLAs run all 130 tasks",
    "86 tasks", "780k real", "real trajectories", "±21", "saves 40%", "by 40%",
    "UMI needs no robot", "LAPA needs no robot data", "follows language",
    # SimplerEnv's values are UNVERIFIED: the chapter names its metrics but prints no value
    "MMRV of", "r =", "Pearson correlation of",
]


@pytest.mark.parametrize("claim,text", EVALUATION_CLAIMS, ids=[c[0] for c in EVALUATION_CLAIMS])
def test_the_evaluation_chapter_states_the_checked_fact(sites, claim, text):
    assert text in page_text(sites("essay").path, "evaluation.html"), claim


@pytest.mark.parametrize("wrong", EVALUATION_FORBIDDEN)
def test_the_evaluation_chapter_writes_none_of_the_do_not_write_lines(sites, wrong):
    assert wrong not in page_text(sites("essay").path, "evaluation.html")


def test_the_evaluation_chapter_prints_no_simplerenv_value():
    """Read in the Markdown, where footnote markers are names, not numbers."""
    text = (DOCS / "evaluation.md").read_text()
    section = text.split("### SimplerEnv", 1)[1].split("## Real robots", 1)[0]
    assert "MMRV" in section and "Pearson" in section
    assert not re.search(r"\d", re.sub(r"\[\^[\w-]+\]", "", section)), section
# ---- Continuous actions (continuous.md): the second review's corrections ----------------------------
# Numbers the chapter's figures compute are checked against the widgets in tests/essay/widgets/
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
    ("π0.5: cleaning tasks in unseen homes, not cleaned homes (nor named rooms)",
     "set to cleaning tasks in homes never seen in training"),
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


# ---- The third review: structure a reader meets -----------------------------------------------

def test_footnotes_are_numbered_in_reading_order(sites):
    """The review found the evaluation chapter's first markers reading ³, ², ¹: numbers followed
    the order of the definitions. Every chapter's markers must first appear as 1, 2, 3, …"""
    for page in chapter_pages():
        html = (sites("essay").path / page).read_text(encoding="utf-8")
        marks = [int(n) for n in re.findall(r'class="footnote-ref"[^>]*>(\d+)</a>', html)]
        firsts = list(dict.fromkeys(marks))
        assert firsts == list(range(1, len(firsts) + 1)), (page, firsts)


@pytest.mark.parametrize("chapter", OWN)
def test_footnotes_are_defined_in_the_order_they_are_first_cited(chapter):
    """Python-Markdown numbers footnotes in the order of their definitions (its reading-order
    option numbers table cells last), so each chapter defines them in the order a reader meets
    them."""
    text = (DOCS / chapter).read_text(encoding="utf-8")
    defined = re.findall(r"^\[\^([\w-]+)\]:", text, re.M)
    body = re.sub(r"^\[\^[\w-]+\]:.*$", "", text, flags=re.M)
    cited = list(dict.fromkeys(re.findall(r"\[\^([\w-]+)\]", body)))
    assert defined == cited, chapter


def test_each_reference_is_one_bullet_with_its_year(sites):
    """The review: entries whose second line began "2023." became a numbered list of their own,
    losing their year. In the Markdown, no wrapped line of a list item may start with a number
    and a full stop; in the page, no list sits inside a reference."""
    source = (DOCS / "references.md").read_text(encoding="utf-8")
    assert not re.search(r"^\s+\d+\.\s", source, re.M)
    html = (sites("essay").path / "references.html").read_text(encoding="utf-8")
    article = html.split('<article', 1)[1].split('</article>', 1)[0]
    article = re.sub(r'<header class="vw-chapterhead">.*?</header>', "", article, flags=re.S)
    assert "<ol" not in article.split('class="footnote"', 1)[0]  # (the head lists the chapters)
    for year, arxiv in (("2023", "2307.15818"), ("2023", "2310.08864"), ("2025", "2504.16054")):
        item = next(li for li in re.findall(r"<li>(.*?)</li>", article, re.S) if arxiv in li)
        assert f", {year}." in item, item


def test_octo_is_listed_once_in_the_references():
    source = (DOCS / "references.md").read_text(encoding="utf-8")
    assert source.count("arXiv:2405.12213") == 1


def test_no_caption_points_at_a_panels_position():
    """Panels stack on a phone: captions name them by their titles, never by where they sit."""
    fence = re.compile(r"^```widget\n(.*?)^```", re.M | re.S)
    for chapter in DOCS.glob("*.md"):
        if chapter.name == "authoring.md":
            continue
        for body in fence.findall(chapter.read_text(encoding="utf-8")):
            caption = yaml.safe_load(body).get("caption", "")
            assert not re.search(r"\b(?:left|right|top|bottom|middle)\b[^.]*\bpanel|"
                                 r"\b(?:left|right)\b\s*[:,)]|\((?:left|right)\b|"
                                 r"^(?:left|right|top|bottom)\b", caption, re.I), \
                (chapter.name, caption)


def test_no_chapter_sentence_points_at_a_panels_position():
    for chapter in DOCS.glob("*.md"):
        if chapter.name == "authoring.md":
            continue
        text = re.sub(r"\s+", " ", chapter.read_text(encoding="utf-8"))
        found = re.findall(r"\b[Tt]he (?:left|right|middle|top|bottom) panel\b|"
                           r"(?:^|[.!?] )On the (?:left|right|top|bottom),", text)
        assert not found, (chapter.name, found)
