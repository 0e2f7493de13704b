"""The HTML of one placed widget: the static figure, its readouts, its controls and caption.

Controls are written here, from the widget's ``PARAMS``, as native labelled inputs inside a
disabled fieldset, set to the figure's values; the runtime enables them once it can answer (from
the page's table of scenes, or from Python). The root element carries the test contract:
``data-widget`` and ``data-status`` (static; table, answering from the build's table of scenes;
live, answering in Python; error).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
import json
import re
from types import ModuleType
from typing import TYPE_CHECKING, Any
import xml.etree.ElementTree as etree

import markdown

from .layout import reserved_em, widest_texts
from .params import NO_RESERVE, Param, Reserve

if TYPE_CHECKING:
    from .contract import Frames, Readout
    from .fence import Placement


def table_url(key: str) -> str:
    """Where the figure ``key``'s table of scenes will be: the plugin writes its URL in after."""
    return f"__VW_TABLE_{key}__"


def first_table_url(key: str) -> str:
    """Where the first part of the figure ``key``'s table will be, if it has one (the page's
    first figure): the plugin writes in the id of the element that holds it, or nothing."""
    return f"__VW_FIRST_{key}__"


def figure_html(
    placement: Placement,
    module: ModuleType,
    static: dict[str, Any],
    number: int,
    table: bool = False,
) -> str:
    """``static`` holds the cached build-time render: {"svgs", "alt", "readouts", "frames"}.
    ``table``: the page ships precomputed scenes for this figure."""
    fid = f"vw-{placement.key}"
    params = json.dumps(placement.params, separators=(",", ":"))
    caption = _inline_markdown(placement.caption)
    table_attr = (
        f' data-table="{table_url(placement.key)}"'
        f' data-table-first="{first_table_url(placement.key)}"'
        if table
        else ""
    )
    # A page-wide figure may be wider than the text column (the stylesheet's "Page layout").
    classes = "vw vw-page" if placement.layout == "page" else "vw"
    return "\n".join(
        [
            f'<figure class="{classes}" id="{fid}" data-widget="{placement.name}" '
            f'data-key="{placement.key}" data-status="static" data-params="{escape(params)}"'
            f"{table_attr}>",
            static_figure_html(static),
            # The controls before the readouts: pinned at a tall figure's foot while its panels
            # scroll by (the stylesheet), they would cover the readouts above their place.
            controls_html(fid, module, placement.params, number, static.get("frames")),
            readouts_html(static["readouts"], placement.key if table else None),
            '<p class="vw-message" role="status" hidden></p>',
            DATA_HTML,
            f'<figcaption><span class="vw-number">Figure {number}.</span> {caption}</figcaption>',
            "</figure>",
        ]
    )


# The "Data" disclosure (data.js fills and serves it), written by the build so that the figure
# does not grow when the runtime mounts it.
DATA_HTML = (
    '<details class="vw-data"><summary>Data</summary><div class="vw-data-actions">'
    '<button type="button" data-save="csv">Download CSV</button>'
    '<button type="button" data-save="svg">Download SVG</button>'
    '<button type="button" data-save="png">Download PNG</button></div>'
    '<div class="vw-data-tables"></div></details>'
)


def static_figure_html(static: dict[str, Any], panels: list[str] | None = None) -> str:
    """A build-time figure alone (a guided step's, for print and readers without JavaScript).
    ``panels``: the letters of those a phone shows (the others are marked ``vw-step-aside``:
    a phone's step is its sentences and the panels they are about, on one screen)."""
    svgs = static["svgs"]
    if panels is not None:
        letters = _letter_of_each(svgs)
        svgs = [s if letter in panels else _with_class(s, "vw-step-aside")
                for s, letter in zip(svgs, letters, strict=True)]  # fmt: skip
    return (
        f'<div class="vw-figure" role="img" aria-label="{escape(static["alt"])}">'
        f'<div class="vw-panels">{"".join(svgs)}</div></div>'
    )


def panel_letters(svgs: list[str]) -> list[str]:
    """The letters of a build-time figure's panels (a, b, c ...), as the scene letters them."""
    return sorted(set(_letter_of_each(svgs)))


def _letter_of_each(svgs: list[str]) -> list[str]:
    """Each SVG's panel letter: a panel's narrow layout (``vw-narrow``) follows its wide one."""
    letters, panel = [], -1
    for s in svgs:
        if not re.match(r'<svg [^>]*class="[^"]*vw-narrow', s):
            panel += 1
        letters.append("abcdefghijklmnopqrstuvwxyz"[panel])
    return letters


def _with_class(svg: str, cls: str) -> str:
    """``svg`` with ``cls`` added to its root element's classes."""
    if re.match(r'<svg [^>]*class="', svg):
        return re.sub(r'(<svg [^>]*class=")', rf"\1{cls} ", svg, count=1)
    return svg.replace("<svg ", f'<svg class="{cls}" ', 1)


def value_element(key: str, name: str, text: str) -> etree.Element:
    """``{=figure.value}`` in a sentence: the value's text, which the runtime keeps current."""
    span = etree.Element("span", {"class": "vw-value", "data-figure": key, "data-value": name})
    span.text = text
    return span


def prose_control_element(key: str, param: Param, value: Any) -> etree.Element:
    """``{=figure.parameter}`` in a sentence: the value as text, which the runtime makes a control
    bound to the figure's own (the build's text stays for print and without JavaScript)."""
    span = etree.Element(
        "span",
        {
            "class": "vw-prose-control",
            "data-figure": key,
            "data-param": param.name,
            "data-kind": param.kind,
        },
    )
    span.text = param.prose_text(value)
    return span


def readouts_widest(key: str) -> str:
    """Where the widest values of the figure ``key``'s readouts will be (its table gives them, so
    the plugin writes them in after): the list's ``--vw-readout-<i>`` in em, and the widest few
    texts of each readout (``data-widest``), which the page measures in its own font."""
    return f"__VW_READOUTS_{key}__"


def readouts_attributes(widths: Sequence[tuple[float, list[str]]]) -> str:
    """The attributes ``readouts_widest`` stands for, from ``tables.readout_widths``."""
    style = ";".join(f"--vw-readout-{i}:{em}em" for i, (em, _) in enumerate(widths))
    return f'style="{style}" data-widest="{escape(json.dumps([t for _, t in widths]))}"'


def readouts_html(readouts: Iterable[Readout], key: str | None = None) -> str:
    """The readouts; with ``key``, each value as wide as its widest in the figure's table."""
    items = "".join(
        f"<div><dt>{escape(r['label'])}</dt>"
        f'<dd style="--vw-min:var(--vw-readout-{i})">{escape(r["text"])}</dd></div>'
        for i, r in enumerate(readouts)
    )
    widest = f" {readouts_widest(key)}" if key else ""
    return f'<dl class="vw-readouts" aria-live="polite"{widest}>{items}</dl>'


def value_width(texts: Sequence[str]) -> Reserve:
    """The width a value keeps for whichever of ``texts`` it shows (none for no texts)."""
    return (reserved_em(texts), widest_texts(texts)) if texts else NO_RESERVE


def controls_html(
    fid: str,
    module: ModuleType,
    values: Mapping[str, Any],
    number: int,
    frames: Frames | None = None,
) -> str:
    """The controls, set to the figure's own values (the fence's, where it gives them), and for a
    figure with motion its play bar, set to the still frame the static figure shows. Named by the
    figure's number too: two figures of one widget on a page get distinct landmarks."""
    rows = [
        p.control_html(f"{fid}-{p.name}", values[p.name], value_width(p.value_texts()))
        for p in module.PARAMS
    ]
    if frames:
        rows.append(motion_html(fid, frames))
    label = f"Controls of figure {number}: {module.TITLE}"
    return (
        f'<form class="vw-controls" aria-label="{escape(label)}">'
        f"<fieldset disabled>{''.join(rows)}</fieldset></form>"
    )


def motion_html(fid: str, frames: Frames) -> str:
    """Play/pause and a frame slider (motion.js runs them), present from the start: disabled
    with the other controls until the figure can answer."""
    slider, still = f"{fid}-frame", frames["still"]
    return (
        '<div class="vw-motion"><button type="button" class="vw-play" aria-pressed="false">Play'
        f'</button><label for="{slider}">{escape(frames["label"])}</label>'
        f'<input type="range" id="{slider}" min="0" max="{frames["count"] - 1}" step="1" '
        f'value="{still}"><output for="{slider}">{escape(frames["labels"][still])}</output></div>'
    )


def _inline_markdown(text: str) -> str:
    html = markdown.markdown(text)
    return html[3:-4] if html.startswith("<p>") and html.endswith("</p>") else html
