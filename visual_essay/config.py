"""The engine's configuration, in one place: the plugin's options in mkdocs.yml.

    plugins:
      - visual-essay:
          pyodide: cdn        # or offline: the site carries verified Pyodide files

``Options`` holds every option with its default; MkDocs checks them through ``PluginConfig``
(built from the same defaults), and a build without the plugin (Zensical, the offline bundle)
reads them from mkdocs.yml with ``Options.read``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config

from . import katex
from . import pyodide as pyodide_assets

PLUGIN_NAME = "visual-essay"


@dataclass(frozen=True)
class Options:
    pyodide: str = "cdn"  # or "offline": the site carries Pyodide's verified files
    pyodide_source: str = "auto"  # offline: a folder, "npm", "cdn" or "auto"
    package: str = "widgets"  # the package whose WIDGETS the fences name
    # Relative to mkdocs.yml: figures drawn at build time, verified Pyodide and KaTeX files.
    cache_dir: str = ".cache/figures"
    pyodide_cache: str = str(pyodide_assets.DEFAULT_CACHE.parent)
    katex_cache: str = str(katex.DEFAULT_CACHE)
    # The essay's title, subtitle, authors, date and citation (see titleblock.py).
    essay: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def read(cls, config_file: Path | str) -> Options:
        """The plugin's options in an mkdocs.yml, without running MkDocs."""
        for entry in read_mkdocs_yml(config_file).get("plugins") or []:
            if isinstance(entry, dict) and PLUGIN_NAME in entry:
                given = entry[PLUGIN_NAME] or {}
                known = {f.name for f in fields(cls)}
                return cls(**{k: v for k, v in given.items() if k in known and v is not None})
        return cls()


class PluginConfig(Config):
    """The same options, as MkDocs checks them."""

    pyodide = opt.Choice(("cdn", "offline"), default=Options.pyodide)
    pyodide_source = opt.Type(str, default=Options.pyodide_source)
    package = opt.Type(str, default=Options.package)
    cache_dir = opt.Type(str, default=Options.cache_dir)
    pyodide_cache = opt.Type(str, default=Options.pyodide_cache)
    katex_cache = opt.Type(str, default=Options.katex_cache)
    essay = opt.Type(dict, default={})

    def options(self) -> Options:
        return Options(**{f.name: self[f.name] for f in fields(Options)})


def read_mkdocs_yml(config_file: Path | str) -> dict[str, Any]:
    """An mkdocs.yml as plain data, its !ENV and !!python tags read as nothing."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    return yaml.load(Path(config_file).read_text(), Loader=Loader) or {}


def uses_formulas(mkdocs_yml: dict[str, Any]) -> bool:
    """Whether the essay typesets formulas (``pymdownx.arithmatex`` is on)."""
    return any(
        "pymdownx.arithmatex" in (e if isinstance(e, str) else e)
        for e in mkdocs_yml.get("markdown_extensions") or []
    )
