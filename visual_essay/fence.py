"""The ``widget`` fence: parse and check what an author wrote, precisely, or stop the build.

    ```widget
    name: bins
    bins: 16
    layout: page    # optional: wider than the text on a wide screen (default: text)
    caption: How many bins does a robot need?
    ```

Every mistake (unknown widget or parameter, bad value, broken or duplicated YAML) raises
``WidgetError`` with the page, the line, the widget and the valid choices. It derives from
SuperFences' exception so SuperFences lets it through, and from MkDocs' ``PluginError`` so MkDocs
prints one clean line and exits 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import re
from types import ModuleType
from typing import Any

from mkdocs.exceptions import PluginError
from pymdownx.superfences import SuperFencesException
import yaml

from .params import ParamError, resolve

# Keys of the fence itself; every other key is a parameter of the widget.
FENCE_KEYS = ("name", "caption", "id", "layout")
# How wide a figure may be: the text column (the default), or the page (wider than the text on a
# wide screen; the stylesheet's "Page layout" section says how much).
LAYOUTS = ("text", "page")


class WidgetError(SuperFencesException, PluginError):
    """A mistake in a widget fence, reported as ``<page>:<line>: <message>``."""


@dataclass
class Placement:
    """One widget placed in a page: which, with what values, where."""

    name: str
    params: dict
    caption: str
    key: str
    where: str  # "docs/page.md:12"
    layout: str = "text"  # one of LAYOUTS


class _StrictLoader(yaml.SafeLoader):
    """YAML that refuses duplicate keys (PyYAML keeps the last one silently)."""


def _mapping_without_duplicates(loader, node):
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.MarkedYAMLError(
                problem=f"duplicate key {key!r} (first on line {seen[key] + 1} of the fence)",
                problem_mark=key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


def parse(source: str, page: str, line: int, registry: Mapping[str, ModuleType]) -> Placement:
    """A ``Placement`` from the fence body ``source`` that starts (its opening fence) on ``line``
    of ``page``; every problem raises ``WidgetError`` naming ``page:line``."""

    def fail(message, offset=0):
        return WidgetError(f"{page}:{line + offset}: {message}")

    try:
        body = yaml.load(source, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        offset = mark.line + 1 if mark else 1
        hint = (
            " (put text that contains ': ' in quotes)"
            if "mapping values are not allowed" in str(err.problem)
            else ""
        )
        raise fail(f"widget fence is not valid YAML: {err.problem or err}{hint}", offset) from None
    except yaml.YAMLError as err:
        raise fail(f"widget fence is not valid YAML: {err}") from None
    if not isinstance(body, dict):
        raise fail(
            f"a widget fence holds YAML keys, e.g. 'name: {next(iter(registry), 'NAME')}'; "
            f"known widgets: {', '.join(registry)}",
            1,
        )

    def key_line(key):
        match = re.search(rf"^\s*{re.escape(str(key))}\s*:", source, re.M)
        return source[: match.start()].count("\n") + 1 if match else 1

    if "name" not in body:
        raise fail(f"widget fence has no 'name'; known widgets: {', '.join(registry)}", 1)
    name = body["name"]
    if not isinstance(name, str) or name not in registry:
        raise fail(f"unknown widget {name!r}; known: {', '.join(registry)}", key_line("name"))

    caption = body.get("caption", "")
    if not isinstance(caption, str):
        raise fail(f"widget {name}: caption must be text, got {caption!r}", key_line("caption"))
    key = body.get("id", name)
    if not isinstance(key, str) or not re.fullmatch(r"[a-z][a-z0-9_-]*", key):
        raise fail(
            f"widget {name}: id must be lowercase letters, digits, '-' or '_', got {key!r}",
            key_line("id"),
        )
    layout = body.get("layout", "text")
    if layout not in LAYOUTS:
        raise fail(
            f"widget {name}: invalid layout: {layout!r} (expected one of {', '.join(LAYOUTS)})",
            key_line("layout"),
        )
    overrides = {k: v for k, v in body.items() if k not in FENCE_KEYS}
    declared = registry[name].PARAMS
    for k, v in overrides.items():
        try:
            resolve(declared, {k: v})
        except ParamError as err:
            raise fail(f"widget {name}: {err}", key_line(k)) from None
    return Placement(name, resolve(declared, overrides), caption, key, f"{page}:{line}", layout)


_OPENING = re.compile(r"^(?P<indent>[ \t>]*)(?P<fence>`{3,}|~{3,})[ \t]*\{?[ \t]*\.?widget\b")


def fence_lines(markdown: str) -> list[tuple[int, str]]:
    """(line number, body) of every widget fence in a page's raw Markdown, in order."""
    lines = markdown.splitlines()
    found = []
    i = 0
    while i < len(lines):
        match = _OPENING.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence = len(match["indent"]), match["fence"]
        body = []
        j = i + 1
        while j < len(lines) and not lines[j][indent:].startswith(fence):
            body.append(lines[j][indent:])
            j += 1
        found.append((i + 1, "\n".join(body)))
        i = j + 1
    return found


_ASSIGNMENT = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\S+)")


def parse_assignments(text: str) -> dict[str, Any]:
    """``"horizon=20 dagger=true"`` as ``{"horizon": 20, "dagger": True}`` (values read as YAML,
    as in a fence); anything else raises ``ValueError`` saying what was expected."""
    found: dict[str, Any] = {}
    rest = text.strip()
    while rest:
        match = _ASSIGNMENT.match(rest)
        if not match:
            raise ValueError(f"expected name=value pairs separated by spaces, got {rest!r}")
        found[match[1]] = yaml.load(match[2], Loader=_StrictLoader)
        rest = rest[match.end() :].strip()
    return found
