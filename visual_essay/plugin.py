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

Events, in order: ``on_config`` (re-import the widgets, so ``mkdocs serve`` picks up edits;
start KaTeX when the essay has formulas), ``on_files`` (add the runtime, its stylesheet, the widget
sources, KaTeX and, offline, Pyodide), ``on_page_markdown`` (remember where each fence is, for
error lines), the fence formatter (parse, check, draw or reuse the cached figure and its table of
scenes), ``on_page_content`` (typeset formulas, write the page's table), ``on_post_page`` (the
runtime in ``<head>``), ``on_post_build`` (stop KaTeX).
"""

from collections import Counter
import hashlib
import importlib
import inspect
import json
import logging
import os
from pathlib import Path
import sys
import traceback

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from . import (BROWSER_MODULES, fence, figure, katex, markup, params, prepared, registry,
               runtime, scene, tables)
from . import pyodide as pyodide_assets

log = logging.getLogger("mkdocs.plugins.visual-essay")

ASSETS = Path(__file__).parent / "assets"
SITE_DIR = "assets/visual-essay"
_ACTIVE = None  # the plugin's build now; the fence formatter is a plain function SuperFences calls
_STANDALONE = None  # the build the fence makes itself when no plugin runs
_PROJECT_PACKAGES = set()  # top-level packages of the essay's widgets, re-imported on each build

class VisualEssayConfig(Config):
    pyodide = opt.Choice(("cdn", "offline"), default="cdn")
    pyodide_source = opt.Type(str, default="auto")  # offline: a folder, "npm", "cdn" or "auto"
    package = opt.Type(str, default="widgets")  # the package whose WIDGETS the fences name
    # Both relative to mkdocs.yml: figures drawn at build time, and verified Pyodide files.
    cache_dir = opt.Type(str, default=".cache/figures")
    pyodide_cache = opt.Type(str, default=str(pyodide_assets.DEFAULT_CACHE.parent))
    katex_cache = opt.Type(str, default=str(katex.DEFAULT_CACHE))  # when formulas are on


class VisualEssayPlugin(BasePlugin[VisualEssayConfig]):

    def on_config(self, config):
        global _ACTIVE
        fences = config.mdx_configs.get("pymdownx.superfences", {}).get("custom_fences", [])
        if not any(f.get("name") == "widget" for f in fences):
            raise PluginError("visual-essay: register the widget fence in mkdocs.yml: "
                              "pymdownx.superfences custom_fences: - name: widget, class: widget, "
                              "format: !!python/name:visual_essay.plugin.widget_fence")
        here = Path(config.config_file_path).parent
        self.build = _ACTIVE = Build(here, self.config.package, self.config.cache_dir,
                                     docs_dir=config.docs_dir)
        self.pyodide_cache = here / self.config.pyodide_cache / pyodide_assets.PYODIDE_VERSION
        math = "pymdownx.arithmatex" in config.markdown_extensions
        self.math_files = katex.site_files(here / self.config.katex_cache) if math else None
        # Formulas typeset at build time when Node.js is here; else in the reader's browser.
        self.typesetter = katex.Typesetter.start(here / self.config.katex_cache) if math else None
        config.extra_css.append(f"{SITE_DIR}/visual-essay.css")
        package_dir = here / self.config.package.split(".")[0]
        if package_dir.is_dir() and str(package_dir) not in config.watch:
            config.watch.append(str(package_dir))
        return config

    def on_files(self, files, config):
        pages = sorted(f.url for f in files.documentation_pages())
        pyodide_files = None
        if self.config.pyodide == "offline":
            pyodide_files = pyodide_assets.prepare(self.pyodide_cache, self.config.pyodide_source,
                                                   log=log.info)
        for name, content in runtime_files(self.build.registry, self.config.package,
                                           self.config.pyodide, pages, pyodide_files,
                                           self.math_files).items():
            if isinstance(content, Path):
                files.append(File.generated(config, f"{SITE_DIR}/{name}",
                                            abs_src_path=str(content.resolve())))
            else:
                files.append(File.generated(config, f"{SITE_DIR}/{name}", content=content))
        return files

    def on_post_page(self, output, page, config):
        """The runtime goes in <head>, async: it can start Python while the page is still being
        parsed (Material puts extra_javascript at the end of <body>, after its own bundle)."""
        src = get_relative_url(f"{SITE_DIR}/visual-essay.js", page.url)
        head = f'<script src="{src}" async></script>'
        if page.file.src_uri in self.build.pages_with_widgets:
            head = runtime.starter(src) + head
        if 'class="katex' in output:  # typeset at build time: only KaTeX's stylesheet is needed
            css = get_relative_url(f"{SITE_DIR}/katex/katex.min.css", page.url)
            head = f'<link rel="stylesheet" href="{css}">' + head
        output = output.replace("</head>", head + "\n</head>", 1)
        # Material 9.8's search dialog has no accessible name (axe: aria-dialog-name).
        return output.replace('data-md-component="search" role="dialog">',
                              'data-md-component="search" role="dialog" aria-label="Search">', 1)

    def on_post_build(self, config):
        if getattr(self, "typesetter", None):  # a build can fail before on_config made one
            self.typesetter.close()
            self.typesetter = None

    def on_build_error(self, error):
        self.on_post_build(None)

    def on_page_markdown(self, markdown, page, config, files):
        self.build.start_page(page.file.src_uri, page.file.content_string, with_tables=True)
        return markdown

    def on_page_content(self, html, page, config, files):
        """Formulas typeset, and the page's precomputed scenes: one script beside the runtime,
        named by its content."""
        if self.typesetter:
            html = self.typesetter.typeset(html)
        if not self.build.page_tables:
            return html
        text = tables.script(self.build.page_tables)
        digest = hashlib.sha256(text.encode()).hexdigest()[:12]
        name = f"{SITE_DIR}/tables/{Path(page.file.src_uri).with_suffix('').as_posix()}-{digest}.js"
        path = Path(config.site_dir, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return html.replace(markup.TABLE_URL, get_relative_url(name, page.url))


class Build:
    """What one build knows, with or without the plugin: the widget registry, the figure cache,
    and the page being rendered (for figure numbers and the lines errors name)."""

    def __init__(self, project, package="widgets", cache_dir=".cache/figures", docs_dir="docs"):
        self.project = Path(project)
        self.docs_dir = Path(self.project, docs_dir)
        self.cache = self.project / cache_dir
        self.cache.mkdir(parents=True, exist_ok=True)
        prepared.CACHE_DIR = str(self.cache)
        # The widget package sits beside mkdocs.yml; it is imported from there, not installed.
        if str(self.project) not in sys.path:
            sys.path.insert(0, str(self.project))
        self.registry = _import_registry(package)
        self.pages_with_widgets = set()
        self.page_src = None

    def start_page(self, src, markdown, with_tables=False):
        """A new page: ``src`` relative to the docs folder, ``markdown`` its raw text;
        ``with_tables``: compute its figures' tables of scenes (``page_tables``, by figure key)."""
        self.page_src = src
        self.page_tables = {} if with_tables else None
        self.page_path = f"{self.docs_dir.name}/{src}"
        self.fences = fence.fence_lines(markdown)
        self.seen_bodies = Counter()
        self.keys = Counter()
        self.figure_count = 0

    def render_fence(self, source):
        body = source.strip("\n")
        self.seen_bodies[body] += 1
        matches = [line for line, text in self.fences if text.strip("\n") == body]
        nth = self.seen_bodies[body] - 1
        line = matches[nth] if nth < len(matches) else (matches[-1] if matches else 0)
        placement = fence.parse(source, self.page_path, line, self.registry)
        self.keys[placement.key] += 1
        if self.keys[placement.key] > 1:
            placement.key = f"{placement.key}-{self.keys[placement.key]}"
        module = self.registry[placement.name]
        try:
            static = self._static(placement, module)
            if self.page_tables is not None:
                self.page_tables[placement.key] = self._table(placement, module)
        except Exception as err:  # a widget that raises is the author's bug: say where
            raise fence.WidgetError(f"{placement.where}: widget {placement.name} raised "
                                    f"{type(err).__name__}: {err}") from err
        self.figure_count += 1
        self.pages_with_widgets.add(self.page_src)
        return markup.figure_html(placement, module, static, self.figure_count,
                                  table=self.page_tables is not None)

    def _cached(self, kind, placement, module, make):
        """``make()``, kept in the figure cache while the widget's code and values are unchanged."""
        key = hashlib.sha256(json.dumps(
            [kind, placement.name, placement.params, _source_of(module, kind == "table")],
            sort_keys=True).encode())
        path = self.cache / f"{placement.name}-{kind}-{key.hexdigest()[:16]}.json"
        if path.exists():
            return json.loads(path.read_text())
        value = make()
        path.write_text(json.dumps(value, separators=(",", ":")))
        return value

    def _table(self, placement, module):
        return self._cached("table", placement, module, lambda: tables.build_table(
            module.PARAMS, placement.params,
            lambda case: registry.compute(placement.name, case, self.registry)))

    def _static(self, placement, module):
        """The build-time figure (matplotlib's SVG of each panel, the alt text, the readouts)."""
        def draw():
            scene = registry.compute(placement.name, placement.params, self.registry)
            return {"svgs": [figure.to_svg(f) for f in figure.render_panels(scene)],
                    "alt": scene["alt"], "readouts": scene["readouts"]}

        static = self._cached("figure", placement, module, draw)
        prefix = f"vw-{placement.key}-"
        svgs = [figure.with_id_prefix(s, f"{prefix}{i}-") for i, s in enumerate(static["svgs"])]
        return {**static, "svgs": svgs}


def runtime_files(widgets, package, mode, pages, pyodide_files=None, math_files=None):
    """What the site needs beside its pages, by path under ``assets/visual-essay/``: the runtime
    (its configuration written in), its stylesheet, the widgets' Python, offline Pyodide's
    verified files (as paths to copy) and, for an essay with formulas, KaTeX's."""
    bundle = _bundle(widgets)
    bundle_name = f"widgets-{hashlib.sha256(bundle).hexdigest()[:12]}.json"
    config = {
        # The site's pages, relative to its root (which is this many folders above the
        # runtime): the runtime follows links to them without reloading, wherever it is served.
        "root": "../" * len(SITE_DIR.split("/")),
        "pages": pages,
        "pyodideVersion": pyodide_assets.PYODIDE_VERSION,
        # Offline, relative to the runtime script; online, the pinned CDN folder.
        "pyodideURL": "pyodide/" if mode == "offline" else pyodide_assets.CDN_URL,
        "pyodideIntegrity": pyodide_assets.loader_integrity(),
        "packages": list(pyodide_assets.PACKAGES),
        "pyodideBytes": pyodide_assets.DOWNLOAD_BYTES,  # what "Run live Python" costs a reader
        "bundle": bundle_name,
        "package": package,
        "math": "katex/" if math_files else None,  # relative to the runtime
    }
    files = {
        "visual-essay.js": runtime.runtime_source(config),
        "visual-essay.css": (ASSETS / "visual-essay.css").read_text(),
        bundle_name: bundle,
    }
    for name, path in (pyodide_files or {}).items():
        files[f"pyodide/{name}"] = path
    for name, content in (math_files or {}).items():
        files[f"katex/{name}"] = content
    return files


def widget_fence(source, language, class_name, options, md, **kwargs):
    """The SuperFences formatter for ```widget fences: the plugin's build, or without the plugin
    (a builder that runs no MkDocs plugins, such as Zensical) one of its own."""
    build = _ACTIVE or standalone_build(md)
    return build.render_fence(source)


def standalone_build(md):
    """The build when no plugin runs: options from mkdocs.yml in the working folder, the page
    from the builder's rendering context (Zensical's), figures numbered per page."""
    global _STANDALONE
    if _STANDALONE is None:
        options = plugin_options(read_config(Path.cwd() / "mkdocs.yml"))
        _STANDALONE = Build(Path.cwd(), options.get("package", "widgets"),
                            options.get("cache_dir", ".cache/figures"))
    context = md.preprocessors["rendering_context"] if "rendering_context" in md.preprocessors \
        else None
    src = context.page.path if context else "a page"
    if _STANDALONE.page_src != src or getattr(md, "_visual_essay_page", None) is None:
        page = _STANDALONE.docs_dir / src
        _STANDALONE.start_page(src, page.read_text() if page.is_file() else "")
        md._visual_essay_page = src
    return _STANDALONE


def plugin_options(config):
    """The visual-essay plugin's options in an mkdocs.yml read by ``read_config``."""
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and "visual-essay" in entry:
            return entry["visual-essay"] or {}
    return {}


def read_config(config_file):
    """An mkdocs.yml as plain data, its !ENV and !!python tags read as nothing."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    return yaml.load(Path(config_file).read_text(), Loader=Loader) or {}


def _fresh_import(package):
    """Import the widget package anew, so an edited widget is redrawn by ``mkdocs serve``. Every
    package the last build's widgets came from goes too: a widget package may use another's."""
    _PROJECT_PACKAGES.add(package.split(".")[0])
    stale = [n for n in sys.modules if n.split(".")[0] in _PROJECT_PACKAGES]
    for name in stale:
        del sys.modules[name]
    importlib.invalidate_caches()
    widgets = importlib.import_module(package).WIDGETS
    _PROJECT_PACKAGES.update(m.__name__.split(".")[0] for m in widgets.values())
    return widgets


def _import_registry(package):
    """The package's ``WIDGETS``; an import that fails names the file and line that raised."""
    try:
        return _fresh_import(package)
    except Exception as err:
        frame = traceback.extract_tb(err.__traceback__)[-1]
        path = os.path.relpath(frame.filename)
        where = f"{frame.filename if path.startswith('..') else path}:{frame.lineno}"
        raise PluginError(f"visual-essay: importing the widget package {package!r} failed at "
                          f"{where}: {type(err).__name__}: {err}") from None


def _browser_files(widgets):
    """The Python the browser imports, by path: the engine's browser modules, and every .py file
    of each top-level package the widgets come from."""
    engine = Path(__file__).parent
    files = {f"visual_essay/{name}.py": (engine / f"{name}.py").read_text()
             for name in BROWSER_MODULES}
    for top in dict.fromkeys(m.__name__.split(".")[0] for m in widgets.values()):
        root = Path(importlib.import_module(top).__file__).parent
        for path in sorted(root.rglob("*.py")):
            files[f"{top}/{path.relative_to(root).as_posix()}"] = path.read_text()
    files["visual_essay/prepared.json"] = json.dumps(prepared.shipped_values(), sort_keys=True)
    return files


def _bundle(widgets):
    """The widget sources the browser imports: one small JSON file."""
    return json.dumps({"files": _browser_files(widgets)}, sort_keys=True).encode()


def _source_of(module, table=False):
    """The code a widget's figure (or table) depends on: its module, the sibling modules it uses,
    the scene vocabulary, the parameter declarations and the renderer (or the table maker)."""
    engine = [tables if table else figure, scene, params]
    return prepared.module_sources(module) + sorted(inspect.getsource(m) for m in engine)
