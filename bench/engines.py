"""First widget live in Python, in each engine readers use, beside Chromium's. Measure, print, never
assert:

    python bench/engines.py                    # builds the offline bundle, 5 cold loads per engine
    python bench/engines.py --loads 3 --bundle dist/seeing-to-acting-offline.zip

The same offline bundle (``build_assets.py bundle``) is unpacked and served by its own serve.py, as
a reader runs it, for every engine. Each load is a new window with a cold cache (a new Chromium
context, a new Firefox profile, a new WebKit automation session), opening the essay's first widget
(``index.html#vw-vlm_vla``, as bench/run.py does). Timed by the page itself, the same clock in every
engine: ``window.visualEssay.firstLive``, milliseconds from navigation to the first figure going
live. Loads are interleaved across engines, so the machine's noise hits all of them alike. The
engines are the reader tests' (``visual_essay.browsers``; tests/install_browsers.sh installs them).
Raw numbers go to bench/results/engines.json.
"""

import argparse
import json
from pathlib import Path
import statistics
import subprocess
import sys
import tempfile
import zipfile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from visual_essay.browsers import (  # noqa: E402
    ENGINES, launch_chromium, open_browser, virtual_display)

RESULTS = ROOT / "bench" / "results"
TARGET = "index.html#vw-vlm_vla"
FIRST_LIVE = "() => window.visualEssay && window.visualEssay.firstLive"


def unpacked_bundle(tmp, archive=None):
    if archive is None:
        archive = Path(tmp) / "essay.zip"
        subprocess.run([sys.executable, str(ROOT / "build_assets.py"), "bundle", "--out",
                        str(archive)], check=True, cwd=tmp)
    with zipfile.ZipFile(archive) as z:
        z.extractall(Path(tmp) / "reader")
    folders = [p.parent for p in (Path(tmp) / "reader").glob("*/serve.py")]
    if len(folders) != 1:
        sys.exit(f"{archive}: expected one folder with serve.py in it, found {len(folders)}")
    return folders[0]


# When each of the worker's start-up steps ended, in seconds from navigation.
STEPS = ("() => Object.fromEntries(Object.entries(window.visualEssay.timings)"
         ".map(([step, at]) => [step, (at - performance.timeOrigin) / 1000]))")


def first_live(window, url):
    window.goto(url)
    live = window.wait(FIRST_LIVE, timeout=180, what="the first widget goes live") / 1000
    return live, window.js(STEPS)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loads", type=int, default=5, help="cold loads per engine (5)")
    parser.add_argument("--bundle", type=Path, help="an offline bundle's zip (default: build one)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        folder = unpacked_bundle(tmp, args.bundle and args.bundle.resolve())
        server = subprocess.Popen([sys.executable, "serve.py", "--port", "0"], cwd=folder,
                                  stdout=subprocess.PIPE, text=True)
        try:
            url = server.stdout.readline().split(" is at ")[1].split()[0]
            url = url.replace("index.html", TARGET)
            with sync_playwright() as playwright, virtual_display() as display:
                chromium = launch_chromium(playwright)
                runs, steps, versions = {e: [] for e in ENGINES}, {e: [] for e in ENGINES}, {}
                for _ in range(args.loads):
                    for engine in ENGINES:
                        with open_browser(engine, playwright_browser=chromium,
                                          display=display) as window:
                            versions[engine] = window.version
                            live, stamps = first_live(window, url)
                            runs[engine].append(live)
                            steps[engine].append(stamps)
                chromium.close()
        finally:
            server.terminate()
            server.wait(10)

    base = statistics.median(runs["chromium"])
    print(f"\n## First widget live in Python, per engine (the offline bundle served by its "
          f"serve.py, {TARGET}, cold cache, median of {args.loads})\n")
    print("| engine | version | seconds | range | vs Chromium |")
    print("| --- | --- | --- | --- | --- |")
    for engine, times in runs.items():
        m = statistics.median(times)
        print(f"| {engine} | {versions[engine]} | {m:.2f} | {min(times):.2f}–{max(times):.2f} "
              f"| {m / base:.2f}× |")
    names = list(steps["chromium"][0])
    print(f"\nThe worker's steps, seconds from navigation (median): {', '.join(names)}\n")
    print("| engine | " + " | ".join(names) + " |")
    print("| --- |" + " --- |" * len(names))
    for engine, stamps in steps.items():
        print(f"| {engine} | " + " | ".join(
            f"{statistics.median(s[n] for s in stamps):.2f}" for n in names) + " |")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "engines.json").write_text(json.dumps(
        {"versions": versions, "seconds": runs, "steps": steps}, indent=1))


if __name__ == "__main__":
    main()
