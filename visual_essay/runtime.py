"""The browser runtime the site ships: one script, with the build's configuration written in."""

import json
from pathlib import Path

ASSETS = Path(__file__).parent / "assets"


def runtime_source(config: dict) -> str:
    return (ASSETS / "visual-essay.js").read_text().replace("/*CONFIG*/null", json.dumps(config))


# On pages with widgets, the Python worker starts as <head> is parsed, before the runtime script
# has even run (async scripts wait for the parser); what the worker says meanwhile is kept for it.
STARTER = ('<script>if (location.protocol !== "file:" && !(navigator.connection && '
           '(navigator.connection.saveData || /^(slow-2g|2g|3g)$/.test('
           'navigator.connection.effectiveType)))) { performance.mark("vw-start"); '
           'const w = window.visualEssayWorker = new Worker("SRC", { name: "visual-essay" }); '
           'w.early = []; w.onmessage = (e) => w.early.push(e.data); '
           'w.onerror = (e) => { e.preventDefault(); w.early.push({ type: "fatal", '
           'message: e.message || "the Python worker failed to start" }); }; }</script>')


def starter_script(src: str) -> str:
    return STARTER.replace("SRC", src)
