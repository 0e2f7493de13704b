"""An essay's title block, its chapters' heads, and "Cite this", from data the author writes once.

    plugins:
      - visual-essay:
          essay:
            subtitle: How foundation models learned to move robots
            authors: [Ada Lovelace, The visual-essay authors]
            date: 2026-12             # YYYY-MM or YYYY-MM-DD; revised: the same, optional
            howpublished: An explorable essay   # optional, in the citation
            cite_key: seeing_to_acting_2026     # optional: BibTeX's key
            cite_title: "From seeing to acting: how ..."   # optional: "title: subtitle"

The opening page (the navigation's first) gets a title block: its title (``title``, by default
``site_name``), subtitle, authors, date and a "Cite this" disclosure (a plain citation and a BibTeX
entry). Every other page in the navigation gets a smaller head: the essay's title, linking to the
opening, above the chapter's own title. Both carry a "Contents" disclosure listing the chapters
(and the current one's sections), so the chapter list stays a keystroke away when Material's
navigation sidebar is hidden. A ``/// cite`` block places the same citation in a page (the
references, say): written from the same data, never typed twice.

The heads are written into the finished page (``plugin.on_post_page``), after the search index
is made, so a search does not find every chapter's title on every page.
"""

from __future__ import annotations

from dataclasses import dataclass
import datetime
from html import escape
import re
from typing import Any
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from mkdocs.exceptions import PluginError
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block

from .scene import and_list

KEYS = ("title", "subtitle", "authors", "date", "revised", "howpublished", "cite_key", "cite_title")
MONTHS = (
    "January February March April May June July August September October November December".split()
)


@dataclass(frozen=True)
class Essay:
    """The essay's data, checked."""

    title: str
    subtitle: str
    authors: tuple[str, ...]
    date: str  # "2026-12" or "2026-12-01"
    revised: str
    howpublished: str
    cite_key: str
    cite_title: str
    url: str  # where it is published (site_url), or ""

    @property
    def citable(self) -> bool:
        """A citation needs who and when."""
        return bool(self.authors and self.date)


def read(given: Any, site_name: str, site_url: str = "") -> Essay:
    """The ``essay`` option of the plugin, checked: a mistake stops the build saying which key
    and what was expected."""

    def fail(key: str, message: str) -> PluginError:
        return PluginError(f"mkdocs.yml: visual-essay essay: {key}: {message}")

    given = given or {}
    if not isinstance(given, dict):
        raise PluginError(f"mkdocs.yml: visual-essay essay: expected keys ({', '.join(KEYS)})")
    unknown = [k for k in given if k not in KEYS]
    if unknown:
        raise fail(unknown[0], f"unknown key; known: {', '.join(KEYS)}")
    text = {}
    for key in ("title", "subtitle", "howpublished", "cite_key", "cite_title"):
        value = given.get(key, "")
        if not isinstance(value, str):
            raise fail(key, f"expected text, got {value!r}")
        text[key] = " ".join(value.split())
    authors = given.get("authors", [])
    authors = [authors] if isinstance(authors, str) else authors
    if not isinstance(authors, list) or not all(isinstance(a, str) and a.strip() for a in authors):
        raise fail("authors", f"expected a list of names, got {given.get('authors')!r}")
    dates = {key: _date(given.get(key), lambda m, k=key: fail(k, m)) for key in ("date", "revised")}
    title = text["title"] or site_name
    key = text["cite_key"] or _key(title, dates["date"])
    if not re.fullmatch(r"[A-Za-z0-9_:.-]+", key):
        raise fail("cite_key", f"letters, digits and _:.- only, got {key!r}")
    subtitle = text["subtitle"]
    return Essay(
        title=title,
        subtitle=subtitle,
        authors=tuple(" ".join(a.split()) for a in authors),
        date=dates["date"],
        revised=dates["revised"],
        howpublished=text["howpublished"],
        cite_key=key,
        cite_title=text["cite_title"] or (f"{title}: {subtitle}" if subtitle else title),
        url=site_url or "",
    )


def _date(value: Any, fail: Any) -> str:
    """``2026-12`` (YAML: text) or ``2026-12-01`` (YAML: a date) as ISO text; none: ""."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()[:10]
    if isinstance(value, str) and re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        return value
    raise fail(f"expected a date as YYYY-MM or YYYY-MM-DD, got {value!r}")


def _key(title: str, date: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())[:3]
    return "_".join(words + ([date[:4]] if date else [])) or "essay"


def readable_date(iso: str) -> str:
    """``2026-12`` as "December 2026"; ``2026-12-01`` as "1 December 2026"."""
    parts = [int(p) for p in iso.split("-")]
    month = f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return f"{parts[2]} {month}" if len(parts) == 3 else month


def display_name(author: str) -> str:
    """A person written "Lovelace, Ada" (as BibTeX wants) reads "Ada Lovelace"."""
    last, comma, first = author.partition(",")
    return f"{first.strip()} {last.strip()}" if comma else author


# ---- the citation ------------------------------------------------------------------------------


def bibtex(essay: Essay) -> str:
    """A BibTeX entry. A person written "Last, First" is left to BibTeX; any other name is braced,
    so that a group ("The visual-essay authors") is not read as a first and a last name."""
    names = " and ".join(_tex(a) if "," in a else "{" + _tex(a) + "}" for a in essay.authors)
    fields = [("title", "{" + _tex(essay.cite_title) + "}")]
    if names:
        fields.append(("author", "{" + names + "}"))
    if essay.date:
        fields += [("year", "{" + essay.date[:4] + "}"), ("month", _month(essay.date))]
    if essay.howpublished:
        fields.append(("howpublished", "{" + _tex(essay.howpublished) + "}"))
    if essay.revised:
        fields.append(("note", "{Revised " + readable_date(essay.revised) + "}"))
    if essay.url:
        fields.append(("url", "{" + essay.url + "}"))
    body = ",\n".join(f"  {name:<12} = {value}" for name, value in fields)
    return f"@misc{{{essay.cite_key},\n{body}\n}}"


def _tex(text: str) -> str:
    """Text as (La)TeX reads it: its special characters escaped."""
    return re.sub(r"([&%$#_])", r"\\\1", text)


def _month(iso: str) -> str:
    return MONTHS[int(iso[5:7]) - 1][:3].lower()  # BibTeX's month macros: jan, feb, ...


def plain_html(essay: Essay) -> str:
    """The citation as a sentence: authors (year). Title. How published. Revised. URL."""
    names = [escape(display_name(a)) for a in essay.authors]
    who = and_list(names)
    parts = [f"{who} ({essay.date[:4]})" if who and essay.date else who or essay.date[:4]]
    parts.append(f"<cite>{escape(essay.cite_title)}</cite>")
    if essay.howpublished:
        parts.append(escape(essay.howpublished))
    if essay.revised:
        parts.append(f"Revised {readable_date(essay.revised)}")
    if essay.url:
        parts.append(f'<a href="{escape(essay.url)}">{escape(essay.url)}</a>')
    return ". ".join(p for p in parts if p) + "."


def citation_html(essay: Essay) -> str:
    """The plain citation, then the BibTeX entry."""
    return (
        f'<p class="vw-citation">{plain_html(essay)}</p>'
        f'<pre class="vw-bibtex"><code>{escape(bibtex(essay))}</code></pre>'
    )


# ---- the heads ---------------------------------------------------------------------------------


@dataclass
class Chapter:
    title: str
    url: str  # relative to the page being written
    current: bool
    sections: list[tuple[str, str]]  # the current chapter's (title, "#anchor")


def contents_html(chapters: list[Chapter]) -> str:
    """The chapters, and the current one's sections, in a plain disclosure."""
    items = []
    for c in chapters:
        current = ' aria-current="page"' if c.current else ""
        sections = "".join(f'<li><a href="{escape(a)}">{escape(t)}</a></li>' for t, a in c.sections)
        items.append(
            f'<li><a href="{escape(c.url)}"{current}>{escape(c.title)}</a>'
            + (f"<ol>{sections}</ol>" if sections else "")
            + "</li>"
        )
    return (
        '<details class="vw-contents"><summary>Contents</summary>'
        f'<nav aria-label="Chapters"><ol>{"".join(items)}</ol></nav></details>'
    )


def title_block_html(essay: Essay, h1: str, contents: str) -> str:
    """The opening page's head: title, subtitle, authors, date, "Cite this", contents."""
    byline = []
    if essay.authors:
        names = "".join(f"<dd>{escape(display_name(a))}</dd>" for a in essay.authors)
        byline.append(f"<div><dt>Authors</dt>{names}</div>")
    revised = essay.revised if essay.revised != essay.date else ""  # then in the citation only
    for label, iso in (("Published", essay.date), ("Revised", revised)):
        if iso:
            time = f'<time datetime="{iso}">{readable_date(iso)}</time>'
            byline.append(f"<div><dt>{label}</dt><dd>{time}</dd></div>")
    return "".join(
        [
            '<header class="vw-titleblock">',
            h1,
            f'<p class="vw-subtitle">{escape(essay.subtitle)}</p>' if essay.subtitle else "",
            f'<dl class="vw-byline">{"".join(byline)}</dl>' if byline else "",
            '<div class="vw-head-tools">',
            '<details class="vw-cite"><summary>Cite this essay</summary>'
            + citation_html(essay)
            + "</details>"
            if essay.citable
            else "",
            contents,
            "</div></header>",
        ]
    )


def chapter_head_html(essay: Essay, home_url: str, h1: str, contents: str) -> str:
    """A chapter's head: the essay's title (to the opening), the chapter's title, contents."""
    return (
        '<header class="vw-chapterhead">'
        f'<p class="vw-kicker"><a href="{escape(home_url)}">{escape(essay.title)}</a></p>'
        f'{h1}<div class="vw-head-tools">{contents}</div></header>'
    )


_H1 = re.compile(r"<h1\b[^>]*>.*?</h1>", re.S)


def with_head(page_html: str, head: Any) -> str:
    """The finished page with its article's first ``<h1>`` replaced by ``head(h1)``."""
    start = page_html.find('<article class="md-content__inner')
    match = _H1.search(page_html, start) if start >= 0 else None
    if not match:
        return page_html
    return page_html[: match.start()] + head(match.group(0)) + page_html[match.end() :]


# ---- the /// cite block ------------------------------------------------------------------------


class Cite(Block):
    """``/// cite`` then ``///``: the essay's citation, as in the title block's "Cite this"."""

    NAME = "cite"
    ARGUMENT = False

    def on_create(self, parent: etree.Element) -> etree.Element:
        essay = self.config.get("essay")
        if essay is None or not essay.citable:
            raise PluginError(
                "/// cite: the essay's authors and date are needed to cite it "
                "(mkdocs.yml: plugins: - visual-essay: essay: authors, date)"
            )
        div = etree.SubElement(parent, "div", {"class": "vw-cite-block"})
        div.text = self.md.htmlStash.store(citation_html(essay))
        return div


class TitleBlockExtension(BlocksExtension):
    def __init__(self, essay: Essay | None = None, **kwargs: Any) -> None:
        self.essay = essay  # not a Markdown config option: those read None as a boolean
        super().__init__(**kwargs)

    def extendMarkdownBlocks(self, md: Markdown, block_mgr: Any) -> None:
        block_mgr.register(Cite, {"essay": self.essay})


def makeExtension(**kwargs: Any) -> Extension:  # noqa: N802  (Python-Markdown's entry point)
    return TitleBlockExtension(**kwargs)
