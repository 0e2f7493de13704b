"""Citations (``[@key]``) are mkdocs-bibtex's: it turns them into footnotes from the essay's BibTeX
file. The engine only checks them first, so that a key the file does not hold stops the build with
the page, the line and the keys it does hold (mkdocs-bibtex warns, then stops on a KeyError
traceback). Nothing happens when the essay does not use the bibtex plugin."""

from __future__ import annotations

from typing import Any

from mkdocs.exceptions import PluginError


def check(source: str, where: str, bibtex: Any) -> None:
    """Every citation in the page's ``source`` names an entry of the bibtex plugin's file."""
    registry = getattr(bibtex, "registry", None)
    if registry is None:
        return
    from mkdocs_bibtex.citation import CitationBlock  # its own parser: the same citations it sees

    known = registry.bib_data.entries
    for block in CitationBlock.from_markdown(source):
        for citation in block.citations:
            if citation.key not in known:
                line = source.count("\n", 0, source.index(str(block))) + 1
                raise PluginError(
                    f"{where}:{line}: unknown citation key '{citation.key}'; "
                    f"known: {', '.join(sorted(known))}"
                )
