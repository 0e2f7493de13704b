"""Every internal link and anchor in the built site resolves, and a broken one would be caught.

Our own small checker, not LinkChecker: LinkChecker 10.6 checks a page's anchors only on the first
link to that page it meets (its cache ignores the fragment), and every page is first linked from
the navigation, without one.
"""

from html.parser import HTMLParser
from pathlib import Path
import shutil
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key):
                self.links.append((tag, attrs[key], self.getpos()[0]))


def broken_links(site):
    """'page:line: link' for every internal href/src whose file or #anchor does not exist."""
    site = Path(site)
    pages = {}
    for path in site.rglob("*.html"):
        parser = _Page()
        parser.feed(path.read_text(encoding="utf-8"))
        pages[path.resolve()] = parser
    broken = []
    for path, parser in sorted(pages.items()):
        for tag, link, line in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:")):
                continue  # outside the site
            if not parts.path:
                target = path
            elif parts.path.startswith("/"):  # 404.html links from the site root (site_url "/")
                target = (site / unquote(parts.path).lstrip("/")).resolve()
            else:
                target = (path.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            where = f"{path.relative_to(site.resolve())}:{line}: {link}"
            if not target.exists():
                broken.append(where + " (no such file)")
            elif parts.fragment and target.suffix == ".html":
                if unquote(parts.fragment) not in pages[target].ids:
                    broken.append(where + " (no such anchor)")
    return broken


def test_every_internal_link_and_anchor_in_the_essay_resolves(sites):
    assert broken_links(sites("essay").path) == []


def test_a_broken_anchor_or_file_would_be_caught(sites, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(sites("essay").path, site)
    page = site / "index.html"
    text = page.read_text()
    link = '<a href="imitation.html">behavioral cloning</a>'
    assert link in text
    page.write_text(text.replace(link, '<a href="imitation.html#no-such-part">behavioral '
                                       'cloning</a> <a href="no-such-page.html">Gone</a>'))
    found = broken_links(site)
    assert len(found) == 2
    assert found[0].startswith("index.html:") and found[0].endswith(
        "imitation.html#no-such-part (no such anchor)")
    assert found[1].endswith("no-such-page.html (no such file)")
