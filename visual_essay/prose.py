"""Prose that follows the figures: live values and controls in sentences, and guided steps.

    With {=bins.bins} bins a robot needs {=bins.tokens} tokens for each dimension.

``{=figure.name}`` names a figure placed on the same page (its fence's ``id``, by default the
widget's name) and either one of the widget's ``VALUES`` — the sentence then shows the value
computed for the figure's values, and follows the reader's controls — or one of its ``PARAMS`` —
the sentence then holds a control bound to the same parameter as the figure's own (a number the
reader drags or steps, a small select, a checkbox).

    //// guide
    ```widget
    name: bc_drift
    id: drift
    ```

    /// step | drift: horizon=20
    Over a short task the clone stays close to the expert...
    ///

    /// step | drift: horizon=150
    Over a long one...
    ///
    ////

A ``guide`` keeps its figure in view while the reader scrolls through its ``step`` blocks; reaching
a step sets the figure to the step's values (answered from the page's table, so before Python and
offline too). In print and without JavaScript each step shows its own build-time figure.

A Python-Markdown extension, so it works under any builder that runs pymdownx (MkDocs, ProperDocs,
Zensical). Under the MkDocs plugin it is added for you; otherwise list ``visual_essay.prose`` in
``markdown_extensions``. Every reference is checked: an unknown figure, value, parameter or value
stops the build with the page, the line and the valid names.
"""

from __future__ import annotations

from pathlib import Path
import re
from typing import TYPE_CHECKING, Any
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block

if TYPE_CHECKING:
    from .build import Build

REFERENCE = r"\{=([a-z][a-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_]*)\}"


def _build(md: Markdown, configured: Build | None) -> Build:
    """The plugin's build (it configures this extension), or the one a plugin-less builder gets."""
    if configured is not None:
        return configured
    from .build import standalone_build

    return standalone_build(Path.cwd())


class ReferenceProcessor(InlineProcessor):
    """``{=figure.name}``: a live value or a control in a sentence."""

    def __init__(self, md: Markdown, build: Build | None) -> None:
        super().__init__(REFERENCE, md)
        self.build = build

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:
        build = _build(self.md, self.build)
        return build.reference(m.group(1), m.group(2), m.group(0)), m.start(0), m.end(0)


class Guide(Block):
    """The section a guided figure stays in view through."""

    NAME = "guide"
    ARGUMENT = False

    def on_create(self, parent: etree.Element) -> etree.Element:
        return etree.SubElement(parent, "div", {"class": "vw-guide"})


class Step(Block):
    """One step of a guide: ``/// step | figure: name=value ...``."""

    NAME = "step"
    ARGUMENT = True

    def on_create(self, parent: etree.Element) -> etree.Element:
        build = _build(self.md, self.config.get("build"))
        attributes, static_html, self.values = build.step(self.argument)
        step = etree.SubElement(parent, "div", attributes)
        # The step's own build-time figure, for print and for readers without JavaScript.
        figure = etree.SubElement(step, "div", {"class": "vw-step-figure"})
        figure.text = self.md.htmlStash.store(static_html)
        return step

    def on_inline_end(self, block: etree.Element) -> None:
        """A step's sentences describe the figure at the step's values: its values quoted there
        are those (and stay so), not whatever the figure shows when the reader is elsewhere."""
        for span in block.iter("span"):
            if span.get("class") == "vw-value" and span.get("data-figure") == block.get(
                "data-figure"
            ):
                span.text = self.values[span.get("data-value", "")]
                span.set("data-step", "")


class ProseExtension(BlocksExtension):
    def __init__(self, build: Build | None = None, **kwargs: Any) -> None:
        # Not a Markdown config option: those read None as a boolean.
        self.build = build  # the plugin's build; None: the plugin-less builder's own
        super().__init__(**kwargs)

    def extendMarkdownBlocks(self, md: Markdown, block_mgr: Any) -> None:
        build = self.build
        # Before links and emphasis (priority 160 and below): nothing may split a reference.
        md.inlinePatterns.register(ReferenceProcessor(md, build), "visual-essay-reference", 175)
        block_mgr.register(Guide, {})
        block_mgr.register(Step, {"build": build})


def makeExtension(**kwargs: Any) -> Extension:  # noqa: N802  (Python-Markdown's entry point)
    return ProseExtension(**kwargs)


__all__ = ["REFERENCE", "ProseExtension", "makeExtension"]
