"""A chapter's prose can no longer state a number its figure did not compute.

Every number a figure computes reaches the page through a reference, ``{=figure.value}``, which
the build fills in from the widget's own ``compute`` and the runtime keeps in step with the
figure. A copy typed by hand drifts: the review found three of the essay's five worst defects
were sentences contradicting their own figure. So, for every figure a chapter places, the text of
each of its values, at the figure's values and at each guided step's, must not appear typed
anywhere in the chapter's Markdown (captions included) outside a reference. A typed number that
only looks like a value (a paper's number, a count of the model's parts) is listed in ``NOT_A_COPY``
with the words around it and the reason, so that the exception is as narrow as the sentence.

Words a figure computes ("left", "the same") are bound too, but a word also occurs in ordinary
sentences, so the check reads only values whose text holds a digit."""

import re

import pytest

from tests.essay.widgets import chapter

REFERENCE = re.compile(r"\{=[a-z][a-z0-9_-]*\.[A-Za-z_][A-Za-z0-9_]*\}")

# (chapter, typed words that hold a value's text without being a copy of it, why)
NOT_A_COPY = [
    ("sim-to-real.md", "close to a switch, 0% or 100% at almost every width",
     "the two ends a success rate can take, named in words; the figure's own shares are bound"),
    ("continuous.md", "about 250 ms from observation to chunk",
     "Gemini Robotics' latency from its paper; FAST's wait in decode_cost is 250 ms by chance"),
    # decode_cost is built on the papers' latencies: its decode times at 50 Hz and 50-action
    # chunks reproduce them, and the sentences that state those inputs quote the papers
    ("continuous.md", "taking 73 ms per chunk on an RTX 4090",
     "π0's measured latency, from its paper: decode_cost's flow head is built on it"),
    ("continuous.md", "about 750 ms per chunk against about 100 ms",
     "π0-FAST's and π0's latencies as the FAST paper measured them"),
    ("continuous.md", "π0's own paper gives 73 ms",
     "π0's measured latency again, named as the figure's input"),
    ("continuous.md", "Taking π0-FAST's 750 ms per one-second chunk",
     "the FAST paper's measurement that decode_cost's per-token cost is fitted to"),
    ("continuous.md", "46 + 30 × 23.5 ≈ 750 ms",
     "the fitted per-token cost checked against the paper's 750 ms, by hand, in the text"),
    ("continuous.md", "8 ÷ 109.7 ≈ 73 ms",
     "OpenVLA-OFT's pass cost derived from its paper's throughput, the input of parallel decoding"),
]


# (figure, value) that are names, not results: the chapter writes them as words of its own
NAMES = {("timeline", "name"): "a milestone's name (RT-2, π0) is also the chapter's name for it"}


def typed(page):
    """The chapter's Markdown as an author types it: references, guided steps' headers (their
    values are the author's settings, not the figure's results) and the allowed look-alikes
    removed."""
    text = chapter.source(page)
    for where, words, _ in NOT_A_COPY:
        if where == page:
            assert words in re.sub(r"\s+", " ", text), (page, words)
    text = re.sub(r"\s+", " ", REFERENCE.sub(" ", chapter.STEP.sub(" ", text)))
    for where, words, _ in NOT_A_COPY:
        if where == page:
            text = text.replace(words, " ")
    return text


def as_typed(value):
    """A pattern for a value's text standing alone: not inside a longer number or word."""
    return re.compile(r"(?<![\w.,−-])" + re.escape(value) + r"(?![\w]|[.,]\d)")


def value_sets(page):
    """(figure key, its VALUES' texts) at the figure's values and at each guided step's."""
    sets = [(key, chapter.value_texts(key, page)) for key in chapter.figures(page)]
    for key, params in chapter.steps(page):
        sets.append((key, chapter.value_texts(key, page, **params)))
    return sets


PAGES_WITH_FIGURES = [p for p in chapter.CHAPTERS if chapter.figures(p)]


@pytest.mark.parametrize("page", PAGES_WITH_FIGURES)
def test_no_value_a_figure_computes_is_typed_in_its_chapter(page):
    text = typed(page)
    found = []
    for key, texts in value_sets(page):
        for name, value in texts.items():
            if re.search(r"\d", value) and (key, name) not in NAMES:
                hit = as_typed(value).search(text)
                if hit:
                    found.append(f"{key}.{name} = {value!r} typed in: "
                                 f"…{text[max(0, hit.start() - 60):hit.end() + 40]}…")
    assert not found, "\n".join(dict.fromkeys(found))


def test_the_check_catches_a_typed_copy_and_leaves_longer_numbers_alone():
    assert as_typed("0.26").search("with probability 0.26, about one in four")
    assert as_typed("25 cm").search("moves 25 cm between")
    assert as_typed("7").search("on this draw 7 still cut through")
    for longer in ("0.265", "10.26", "0.26x"):
        assert not as_typed("0.26").search(longer), longer
    for longer in ("17", "7B", "2.7", "7.5", "x7", "3,7"):
        assert not as_typed("7").search(longer), longer


@pytest.mark.parametrize("page", PAGES_WITH_FIGURES)
def test_every_chapter_with_a_figure_quotes_a_figure(page):
    quoted = {key for key, _ in chapter.references(page)}
    assert quoted & set(chapter.figures(page)), page


def test_the_essay_binds_at_least_eight_figures_and_guides_through_two():
    bound = {(page, key) for page in PAGES_WITH_FIGURES for key, _ in chapter.references(page)}
    assert len(bound) >= 8, sorted(bound)
    guided = {(page, key) for page in PAGES_WITH_FIGURES for key, _ in chapter.steps(page)}
    assert len(guided) >= 2, sorted(guided)


def test_every_exception_is_still_in_its_chapter_and_says_why():
    for page, words, why in NOT_A_COPY:
        assert words in re.sub(r"\s+", " ", chapter.source(page)), (page, words)
        assert len(why) > 20, (page, words)
