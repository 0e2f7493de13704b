"""Typeset mathematics with KaTeX, carried by the site: no outside request, over http or from
``file://``. Pinned like Pyodide: npm's ``katex`` tarball of one version, checked by sha256 before
anything is taken from it.

An essay turns it on with ``pymdownx.arithmatex`` (``generic: true``) in mkdocs.yml. The build then
typesets every formula itself where Node.js is available (``Typesetter``): readers get finished
HTML and only KaTeX's stylesheet and fonts, nothing to run. Where it is not, the site carries
``katex.min.js`` too and the runtime typesets in the browser.
"""

import hashlib
import html
import io
import json
from pathlib import Path
import re
import shutil
import subprocess
import tarfile
import tempfile

KATEX_VERSION = "0.16.25"
TARBALL_SHA256 = "02d90b1189affc2db16cda01dda5c9fbb7a9fc3767dae0ef542560a7f16c642f"
DEFAULT_CACHE = Path(".cache") / "katex"


class KatexAssetError(RuntimeError):
    """The KaTeX tarball is missing or is not the pinned one."""


def tarball(cache=DEFAULT_CACHE):
    """The verified tarball (fetched with ``npm pack`` the first time)."""
    path = Path(cache) / f"katex-{KATEX_VERSION}.tgz"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            try:
                subprocess.run(
                    ["npm", "pack", f"katex@{KATEX_VERSION}", "--silent"],
                    cwd=tmp,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
            except (OSError, subprocess.CalledProcessError) as err:
                raise KatexAssetError(
                    f"could not fetch katex@{KATEX_VERSION} with npm: {err}"
                ) from err
            _check(Path(tmp) / path.name)
            path.write_bytes((Path(tmp) / path.name).read_bytes())
    _check(path)
    return path


def _check(path):
    actual = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    if actual != TARBALL_SHA256:
        raise KatexAssetError(f"{path}: sha256 {actual} does not match the pinned {TARBALL_SHA256}")


def site_files(cache=DEFAULT_CACHE):
    """{path in the site's katex/ folder: bytes}: the script, the stylesheet and the WOFF2 fonts
    (every browser that runs the essay reads WOFF2, so the older formats are left out)."""
    files = {}
    with tarfile.open(fileobj=io.BytesIO(tarball(cache).read_bytes())) as archive:
        for member in archive.getmembers():
            name = member.name.removeprefix("package/dist/")
            if name in ("katex.min.js", "katex.min.css") or (
                name.startswith("fonts/") and name.endswith(".woff2")
            ):
                files[name] = archive.extractfile(member).read()
    return files


# pymdownx.arithmatex's generic output: \( … \) in a span, \[ … \] in a div.
FORMULA = re.compile(r'<(span|div) class="arithmatex">\\[(\[](.*?)\\[)\]]</\1>', re.S)

# KaTeX in Node.js: one formula in per line (JSON), its HTML out per line.
NODE_SCRIPT = Path(__file__).parent / "assets" / "katex-node.js"


class Typesetter:
    """KaTeX in one Node.js process for the whole build; ``None`` from ``start`` without Node."""

    @classmethod
    def start(cls, cache=DEFAULT_CACHE):
        node = shutil.which("node")
        if node is None:
            return None
        script = Path(cache) / f"katex-{KATEX_VERSION}.min.js"
        if not script.is_file():
            script.write_bytes(site_files(cache)["katex.min.js"])
        return cls(
            subprocess.Popen(
                [node, "-e", NODE_SCRIPT.read_text(), str(script.resolve())],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                bufsize=1,
            )
        )

    def __init__(self, process):
        self.process = process
        self.done = {}

    def render(self, tex, display):
        if (tex, display) not in self.done:
            self.process.stdin.write(json.dumps({"tex": tex, "display": display}) + "\n")
            self.done[tex, display] = json.loads(self.process.stdout.readline())
        return self.done[tex, display]

    def typeset(self, page_html):
        """Every arithmatex formula in ``page_html`` as KaTeX's HTML (and MathML, for screen
        readers), marked typeset so the runtime leaves it alone."""

        def one(match):
            tag, tex = match[1], html.unescape(match[2]).strip()
            return (
                f'<{tag} class="arithmatex" data-typeset>{self.render(tex, tag == "div")}</{tag}>'
            )

        return FORMULA.sub(one, page_html)

    def characters(self):
        """Every character of the formulas typeset so far (their HTML's and MathML's text)."""
        text = "".join(re.sub(r"<[^>]*>", "", typeset) for typeset in self.done.values())
        return set(html.unescape(text))

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def subset_fonts(files, characters):
    """{font path: WOFF2 bytes} for each font of ``files`` (``site_files``' fonts) cut down to the
    ``characters`` the site's formulas use: a page with formulas downloads a fraction of KaTeX's
    fonts (Main-Regular 26 kB to about 8). Hinting, kerning and names are kept; a character a
    font never had stays out of it."""
    from fontTools import subset  # matplotlib's dependency; WOFF2 needs its brotli extra
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # the licence and the names
    options.notdef_outline = True
    cut = {}
    for name, data in files.items():
        if name.startswith("fonts/") and name.endswith(".woff2"):
            font = TTFont(io.BytesIO(data), recalcTimestamp=False)  # the same bytes every build
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=sorted(map(ord, characters)))
            subsetter.subset(font)
            out = io.BytesIO()
            font.save(out)
            cut[name] = out.getvalue()
    return cut
