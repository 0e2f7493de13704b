"""The MkDocs plugin: widget fences become build-time figures, and the site gets the runtime.

    plugins:
      - visual-essay:
          pyodide: cdn        # or offline: the site carries verified Pyodide files
    markdown_extensions:
      - pymdownx.superfences:
          custom_fences:
            - name: widget
              class: widget
              format: !!python/name:visual_essay.plugin.widget_fence

The work is done by a ``build.Build``; this module only follows MkDocs' events, in order:
``on_startup`` (keeps this plugin across ``mkdocs serve`` rebuilds), ``on_config`` (a new build:
the widgets imported anew, so ``serve`` picks up edits; the fence formatter bound to it; KaTeX
started when the essay has formulas), ``on_files`` (the runtime, its stylesheet, the widget
sources, KaTeX and, offline, Pyodide; and every page's figures computed in parallel before any
page renders), ``on_page_markdown`` (where each fence is, for error lines),
the fence formatter (parse, check, draw or reuse the cached figure and its table of scenes),
``on_page_content`` (formulas typeset, the page's table written), ``on_page_context`` (the
figures' SVGs hidden from search, first, and put back, last), ``on_post_page`` (the runtime in
``<head>``; the title block or the chapter's head, ``titleblock``), ``on_post_build`` and
``on_build_error`` (KaTeX stopped).

The essay's layout: every page hides Material's navigation and table-of-contents sidebars (a
page's own ``hide`` in its front matter wins), so the article spans the page; the stylesheet keeps
text to a comfortable measure and lets ``layout: page`` figures use the width.
"""

from __future__ import annotations

import hashlib
import html
from pathlib import Path
import re
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from . import citations, katex, markup, runtime, titleblock
from . import pyodide as pyodide_assets
from .build import SITE_DIR, Build, format_fence_standalone, log, site_files
from .config import PluginConfig

PROSE = "visual_essay.prose"  # the Markdown extension for live values, controls and guides
CITE = "visual_essay.titleblock"  # the Markdown extension for the /// cite block
# Material's sidebars, hidden on every page: the essay's text and figures take the width.
HIDDEN = ["navigation", "toc"]
SVG = re.compile(r"<svg\b.*?</svg>", re.S)  # an inline SVG (matplotlib's do not nest)
SVG_PLACEHOLDER = re.compile(r'<svg data-visual-essay-hidden="(\d+)"></svg>')


class VisualEssayPlugin(BasePlugin[PluginConfig]):
    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Having on_startup keeps this instance across `mkdocs serve` rebuilds, and with it the
        # packages the widgets came from, which each build imports anew.
        self.widget_packages: set[str] = set()

    def on_config(self, config: Any) -> Any:
        # page -> its first figure's key, its table's file and the part of the table a reader
        # reaches first (or None: the table is small enough to come whole, preloaded)
        self.first_tables: dict[str, tuple[str, str, str | None]] = {}
        fences = config.mdx_configs.get("pymdownx.superfences", {}).get("custom_fences", [])
        widget_fences = [f for f in fences if f.get("name") == "widget"]
        if not widget_fences:
            raise PluginError(
                "visual-essay: register the widget fence in mkdocs.yml: "
                "pymdownx.superfences custom_fences: - name: widget, class: widget, "
                "format: !!python/name:visual_essay.plugin.widget_fence"
            )
        here = Path(config.config_file_path).parent
        options = self.config.options()
        self.build = Build(
            here,
            options,
            docs_dir=config.docs_dir,
            reimport=getattr(self, "widget_packages", set()),
        )
        for entry in widget_fences:  # the fences of this build's pages are drawn by this build
            entry["format"] = self.build.format_fence
        # Sentences that quote figures, and guided steps (visual_essay.prose), by this build too.
        if PROSE not in config.markdown_extensions:
            config.markdown_extensions.append(PROSE)
        config.mdx_configs[PROSE] = {**config.mdx_configs.get(PROSE, {}), "build": self.build}
        self.essay = titleblock.read(options.essay, config.site_name, config.site_url or "")
        if CITE not in config.markdown_extensions:
            config.markdown_extensions.append(CITE)
        config.mdx_configs[CITE] = {**config.mdx_configs.get(CITE, {}), "essay": self.essay}
        self.pyodide_cache = here / options.pyodide_cache / pyodide_assets.PYODIDE_VERSION
        math = "pymdownx.arithmatex" in config.markdown_extensions
        self.math_files = katex.site_files(here / options.katex_cache) if math else None
        # Formulas typeset at build time when Node.js is here; else in the reader's browser.
        self.typesetter = katex.Typesetter.start(here / options.katex_cache) if math else None
        config.extra_css.append(f"{SITE_DIR}/visual-essay.css")
        package_dir = here / options.package.split(".")[0]
        if package_dir.is_dir() and str(package_dir) not in config.watch:
            config.watch.append(str(package_dir))
        return config

    def on_files(self, files: Any, config: Any) -> Any:
        # Every page's figures and tables computed at once, on every core, before any renders.
        self.build.precompute(f.content_string for f in files.documentation_pages())
        pages = sorted(f.url for f in files.documentation_pages())
        pyodide_files = None
        if self.config.pyodide == "offline":
            pyodide_files = pyodide_assets.prepare(
                self.pyodide_cache, self.config.pyodide_source, log=log.info
            )
        for name, content in site_files(
            self.build.registry,
            self.config.package,
            self.config.pyodide,
            pages,
            pyodide_files,
            self.math_files,
        ).items():
            if isinstance(content, Path):
                files.append(
                    File.generated(
                        config, f"{SITE_DIR}/{name}", abs_src_path=str(content.resolve())
                    )
                )
            else:
                files.append(File.generated(config, f"{SITE_DIR}/{name}", content=content))
        return files

    def on_nav(self, nav: Any, config: Any, files: Any) -> Any:
        self.nav = nav  # the chapters, for each page's contents
        return nav

    @event_priority(50)  # before mkdocs-bibtex formats the page's citations
    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        source = page.file.content_string
        self.build.start_page(page.file.src_uri, source, with_tables=True)
        citations.check(source, self.build.page_path, config.plugins.get("bibtex"))
        page.meta.setdefault("hide", list(HIDDEN))
        return markdown

    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        """Formulas typeset, and the page's precomputed scenes: one script per figure beside the
        runtime, named by its page, its figure and its content."""
        if self.typesetter:
            html = self.typesetter.typeset(html)
        stem = Path(page.file.src_uri).with_suffix("").as_posix()
        for key, text in self.build.page_scripts().items():
            digest = hashlib.sha256(text.encode()).hexdigest()[:12]
            name = f"{SITE_DIR}/tables/{stem}-{key}-{digest}.js"
            path = Path(config.site_dir, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            html = html.replace(markup.table_url(key), get_relative_url(name, page.url))
            part = self.build.first_parts.get(key)  # the page's first figure's only, if any
            self.first_tables.setdefault(page.file.src_uri, (key, name, part))
            html = html.replace(markup.first_table_url(key), f"#vw-first-{key}" if part else "")
            widths = self.build.readout_widths.get(key, [])
            html = html.replace(markup.readouts_widest(key), markup.readouts_attributes(widths))
        return html

    # Search (Material's) reads each page's text from its HTML: the figures' inline SVGs, most of
    # a page's markup and none of its prose (tick labels at best), are hidden from it, then put
    # back before the page is written. Parsing them was a third of a warm build.
    @event_priority(100)  # before any other plugin's on_page_context
    def _hide_svgs(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        self.hidden_svgs: list[str] = []
        if page.content:
            page.content = SVG.sub(self._hide, page.content)
        return context

    @event_priority(-100)  # after all the others
    def _show_svgs(self, context: Any, page: Any, config: Any, nav: Any) -> Any:
        if self.hidden_svgs:
            page.content = SVG_PLACEHOLDER.sub(lambda m: self.hidden_svgs[int(m[1])], page.content)
        return context

    on_page_context = CombinedEvent(_hide_svgs, _show_svgs)

    def _hide(self, match: re.Match[str]) -> str:
        self.hidden_svgs.append(match[0])
        return f'<svg data-visual-essay-hidden="{len(self.hidden_svgs) - 1}"></svg>'

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        """The runtime goes in <head>, async: it can start Python while the page is still being
        parsed (Material puts extra_javascript at the end of <body>, after its own bundle). The
        worker's starter comes first in <head>: an inline script after a stylesheet waits until
        the stylesheet has arrived, and Python's download has no need to."""
        src = get_relative_url(f"{SITE_DIR}/visual-essay.js", page.url)
        head = f'<script src="{src}" async></script>'
        if page.file.src_uri in self.build.pages_with_widgets:
            # after the charset, which must stay in the page's first bytes
            at = re.search(r"<meta charset=[^>]*>", output) or re.search(r"<head\b[^>]*>", output)
            if at:
                output = output[: at.end()] + runtime.starter(src) + output[at.end() :]
        key, table, part = self.first_tables.pop(page.file.src_uri, (None, None, None))
        if part:  # the part a reader reaches first, before its figure: it comes with the page
            at = re.search(rf'<figure\b[^>]*\bdata-key="{re.escape(key or "")}"', output)
            if at:  # (written in after search has read the page)
                block = f'<div class="vw-table-part" id="vw-first-{key}" hidden>{part}</div>'
                output = output[: at.start()] + block + output[at.start() :]
        elif table:  # the first figure's whole table on its way beside the runtime
            href = get_relative_url(table, page.url)
            head += f'<link rel="preload" href="{href}" as="script" fetchpriority="low">'
        if 'class="katex' in output:  # typeset at build time: only KaTeX's stylesheet is needed
            css = get_relative_url(f"{SITE_DIR}/katex/katex.min.css", page.url)
            head = f'<link rel="stylesheet" href="{css}">' + head
        output = output.replace("</head>", head + "\n</head>", 1)
        output = self._head(output, page)
        # Material 9.8's search dialog has no accessible name (axe: aria-dialog-name).
        return output.replace(
            'data-md-component="search" role="dialog">',
            'data-md-component="search" role="dialog" aria-label="Search">',
            1,
        )

    def _head(self, output: str, page: Any) -> str:
        """The opening page's title block, or a chapter's head, in place of its ``<h1>``; pages
        outside the navigation keep theirs."""
        pages = list(getattr(self, "nav", None) and self.nav.pages or [])
        if page not in pages:
            return output
        chapters = [
            titleblock.Chapter(
                title=p.title or "",
                url=get_relative_url(p.url, page.url) if p is not page else "#",
                current=p is page,
                sections=_sections(page) if p is page else [],
            )
            for p in pages
        ]
        contents = titleblock.contents_html(chapters)
        if page is pages[0]:
            return titleblock.with_head(
                output, lambda h1: titleblock.title_block_html(self.essay, h1, contents)
            )
        home = get_relative_url(pages[0].url, page.url)
        return titleblock.with_head(
            output, lambda h1: titleblock.chapter_head_html(self.essay, home, h1, contents)
        )

    def on_post_build(self, config: Any) -> None:
        typesetter = getattr(self, "typesetter", None)  # a build can fail before on_config
        if typesetter:
            typesetter.close()
            self.typesetter = None
            if config is not None and self.math_files:
                # Every formula is typeset: KaTeX's fonts keep only the characters they use
                # (cut from the pristine fonts each build, never from last build's cut).
                cut = katex.subset_fonts(self.math_files, typesetter.characters())
                for name, data in cut.items():
                    Path(config.site_dir, SITE_DIR, "katex", name).write_bytes(data)

    def on_build_error(self, error: Exception) -> None:
        self.on_post_build(None)


def _sections(page: Any) -> list[tuple[str, str]]:
    """The page's sections: its title's subheadings (or its top headings when it has no title)."""
    items = list(page.toc or [])
    if len(items) == 1 and items[0].level == 1:
        items = items[0].children
    return [(html.unescape(i.title), i.url) for i in items]


def widget_fence(
    source: str, language: str, class_name: str, options: dict, md: Any, **kwargs: Any
) -> str:
    """The formatter mkdocs.yml names for ```widget fences. Under the plugin it is replaced by the
    plugin's build (``on_config``); this one runs only for a builder that runs no MkDocs plugins,
    such as Zensical, which then gets a build of its own."""
    return format_fence_standalone(source, md)
