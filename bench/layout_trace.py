"""Where a page's style and layout time goes as it loads, from a Chromium trace.

    python bench/layout_trace.py SITE diffusion.html            # a built site's page
    python bench/layout_trace.py SITE diffusion.html --seconds 20 --css '.x { display: none }'

Loads the page in headless Chromium as Lighthouse's mobile run does (a 412 x 823 phone, CPU
slowed 4x), records a trace for a few seconds, and prints the main thread's style recalculation
(UpdateLayoutTree) and layout time by the script function that forced each (a read of a size
after a change to the page), then the long tasks. ``--css`` adds a stylesheet to the page first:
a rule's effect is measured without rebuilding. Measures only; asserts nothing.
"""

import argparse
from collections import defaultdict
import json
from pathlib import Path
import sys

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from visual_essay.testing import CHROMIUM_FLAGS, find_chromium, serve_folder  # noqa: E402

CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "disabled-by-default-devtools.timeline.stack",
]


def trace(site, name, seconds, css):
    server = serve_folder(site)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_FLAGS)
            context = browser.new_context(
                viewport={"width": 412, "height": 823},
                device_scale_factor=1.75,
                is_mobile=True,
                has_touch=True,
            )
            page = context.new_page()
            if css:

                def with_css(route):
                    response = route.fetch()
                    body = response.text().replace("</head>", f"<style>{css}</style></head>", 1)
                    route.fulfill(response=response, body=body)

                page.route(f"**/{name}", with_css)
            context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
            browser.start_tracing(page=page, categories=CATEGORIES)
            page.goto(f"http://127.0.0.1:{server.server_port}/{name}")
            page.wait_for_timeout(seconds * 1000)
            events = json.loads(browser.stop_tracing())["traceEvents"]
            browser.close()
    finally:
        server.shutdown()
    return events


def main_thread(events):
    """The renderer's main thread of the page (the first one named so)."""
    for e in events:
        if e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain":
            return e["pid"], e["tid"]
    raise SystemExit("no renderer main thread in the trace")


def forced_by(event):
    """The script function that forced a style or layout update, or None."""
    stack = (event["args"].get("beginData") or {}).get("stackTrace") or []
    if not stack:
        return None
    top = stack[0]
    where = f"{top['url'].rsplit('/', 1)[-1]}:{top['lineNumber']}"
    return f"{top['functionName'] or '(anonymous)'} {where}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", help="a built site's folder")
    parser.add_argument("page", help="a page in it, e.g. diffusion.html")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--css", default="", help="a stylesheet added to the page first")
    args = parser.parse_args()
    events = trace(args.site, args.page, args.seconds, args.css)
    thread = main_thread(events)
    ms = defaultdict(float)
    count = defaultdict(int)
    long_tasks = []
    for e in events:
        if (e.get("pid"), e.get("tid")) != thread or e.get("ph") != "X":
            continue
        if e["name"] == "RunTask" and e.get("dur", 0) > 50_000:
            long_tasks.append(e["dur"] / 1000)
        if e["name"] in ("UpdateLayoutTree", "Layout"):
            key = (e["name"], forced_by(e) or "(not forced: the frame's own)")
            ms[key] += e.get("dur", 0) / 1000
            count[key] += 1
    for kind in ("UpdateLayoutTree", "Layout"):
        print(f"{kind}: {sum(v for (k, _), v in ms.items() if k == kind):.0f} ms")
    print("\n| ms | times | kind | forced by |\n| --- | --- | --- | --- |")
    for key in sorted(ms, key=ms.get, reverse=True)[:20]:
        print(f"| {ms[key]:.0f} | {count[key]} | {key[0]} | {key[1]} |")
    print(f"\nlong tasks (ms): {[round(t) for t in long_tasks]}")


if __name__ == "__main__":
    main()
