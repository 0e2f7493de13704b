"""Building with Zensical, which reads mkdocs.yml but runs no MkDocs plugins (0.0.73 here).

What works: every ``widget`` fence renders its build-time figure (SuperFences calls the fence, which
then makes its own build: see ``build.standalone_build``); the runtime, its stylesheet, the widgets'
Python and, offline, Pyodide's files reach the site through a theme folder written here before the
build, with the runtime in ``<head>`` through a ``main.html`` override; so figures go live as with
MkDocs. What does not: Python starts when the first figure nears the screen rather than while
``<head>`` is parsed (the plugin's early start needs ``on_post_page``); there is no table of
precomputed scenes, so controls wait for Python (the tables are written by the plugin); links
between chapters load new pages unless Zensical's own instant navigation follows them; under
``serve``, an edited widget module is not rebuilt (restart it); an author's own ``custom_dir`` is
replaced by ours in the generated configuration.

    visual-essay build --builder zensical     # writes .visual-essay/ and .zensical.yml, then builds
"""

from pathlib import Path
import shutil

from . import katex
from . import pyodide as pyodide_assets
from .build import SITE_DIR, Build, site_files
from .config import Options, read_mkdocs_yml, uses_formulas

GENERATED = ".visual-essay"  # not .cache: `zensical build --clean` empties .cache
CONFIG = ".zensical.yml"
HEAD = """{% extends "base.html" %}
{% block extrahead %}
  {{ super() }}
  <script src="{{ 'assets/visual-essay/visual-essay.js' | url }}" async></script>
{% endblock %}
"""


def prepare(project, mode="cdn"):
    """Write the theme folder and the configuration Zensical builds with; returns the latter."""
    project = Path(project).resolve()
    config = read_mkdocs_yml(project / "mkdocs.yml")
    options = Options.read(project / "mkdocs.yml")
    build = Build(project, options)
    docs = project / "docs"
    pages = sorted(
        p.relative_to(docs).with_suffix(".html").as_posix()
        for p in docs.rglob("*.md")
        if not p.name.startswith("_")
    )
    pyodide_files = None
    if mode == "offline":
        cache = project / options.pyodide_cache
        pyodide_files = pyodide_assets.prepare(cache / pyodide_assets.PYODIDE_VERSION)
    theme = project / GENERATED / "zensical-theme"
    shutil.rmtree(theme, ignore_errors=True)
    (theme / SITE_DIR).mkdir(parents=True)
    (theme / "main.html").write_text(HEAD)
    # KaTeX only for an essay with formulas
    math_files = katex.site_files(project / options.katex_cache) if uses_formulas(config) else None
    files = site_files(build.registry, options.package, mode, pages, pyodide_files, math_files)
    for name, content in files.items():
        target = theme / SITE_DIR / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            target.write_bytes(content if isinstance(content, bytes) else content.encode())
    generated = project / CONFIG
    generated.write_text(
        f"# Written by visual-essay for Zensical: mkdocs.yml plus the runtime.\n"
        f"INHERIT: mkdocs.yml\n"
        f"theme:\n  custom_dir: {GENERATED}/zensical-theme\n"
        f"extra_css:\n  - {SITE_DIR}/visual-essay.css\n"
    )
    return generated
