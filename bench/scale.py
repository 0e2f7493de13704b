"""The build at scale: the essay plus N generated figures, built serially and in parallel.

    python bench/scale.py                        # N = 0, 50, 200, 500
    python bench/scale.py --n 200 --repeat 3     # one size, three rounds

For each N a temporary copy of the project gets N more placements of the essay's widgets (those
with a slider; each slider's values spread over its range), ten to a generated page. Each build is
`mkdocs build` in a new process, as an author or CI runs it, once with `jobs: 1` (the pages
compute their figures one after another in the build's process) and once with every core, in the
same round, so both meet the same load from whatever else the machine runs:

- cold: an empty figure cache (the widgets' @at_build values included);
- warm: nothing changed;
- one widget: a comment added to one widget module (its figures, and only its, are redrawn);
- peak memory: the largest resident set of the build's process, and of all its processes at
  once (their proportional sets, sampled from /proc every 100 ms: a sample costs about 2 ms of
  CPU, which at 20 ms took some 10% of a core from the build it measured);
- bytes per page: a page's HTML and its table of scenes, the mean over pages with figures.

The two sites (serial and parallel) are also compared byte for byte. Prints a table and writes
bench/results/scale.json. Measures only; asserts nothing.
"""

import argparse
import ctypes
import json
import os
from pathlib import Path
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PER_PAGE = 10  # generated placements on one page
TOUCHED = "bins"  # the widget changed for "one widget"
SAMPLE_S = 0.1  # memory sampled this often
WEYL = (0.6180339887, 0.4142135624, 0.7320508076, 0.2360679775)  # (√5−1)/2, √2−1, √3−1, √5−2


# ---- the generated placements --------------------------------------------------------------------


def placements(widgets, n):
    """``n`` distinct (widget name, values) pairs, round-robin over the widgets with a slider.
    The j-th of a widget sets slider k at the fraction (j·a_k mod 1) of its range (a Weyl
    sequence: even spread for any count, the sliders not in step) and cycles its choices."""
    names = [name for name, m in widgets.items() if any(p.kind == "slider" for p in m.PARAMS)]
    found, seen = [], set()
    tried = dict.fromkeys(names, 0)
    while len(found) < n and names:
        for name in list(names):
            if len(found) == n:
                break
            for _ in range(50):  # a new distinct placement of this widget, or it is used up
                j = tried[name] = tried[name] + 1
                values, k = {}, 0
                for p in widgets[name].PARAMS:
                    if p.kind == "slider":
                        values[p.name] = p.on_step(round((j * WEYL[k % len(WEYL)]) % 1 * p.steps()))
                        k += 1
                    elif p.kind == "choice":
                        values[p.name] = p.choices[j % len(p.choices)]
                key = (name, json.dumps(values, sort_keys=True))
                if key not in seen:
                    seen.add(key)
                    found.append((name, values))
                    break
            else:
                names.remove(name)
    return found


def write_pages(project, widgets, n):
    """The generated pages in ``docs/scale/`` of ``project``; returns how many placements."""
    found = placements(widgets, n)
    folder = project / "docs" / "scale"
    folder.mkdir(parents=True, exist_ok=True)
    for page, start in enumerate(range(0, len(found), PER_PAGE)):
        lines = [f"# Generated page {page + 1}\n"]
        for i, (name, values) in enumerate(found[start : start + PER_PAGE]):
            fence = "\n".join(f"{k}: {json.dumps(v)}" for k, v in values.items())
            lines.append(
                f"Placement {start + i + 1}.\n\n```widget\nname: {name}\nid: f{i}\n{fence}\n"
                f"caption: Generated placement {start + i + 1}.\n```\n"
            )
        (folder / f"p{page + 1:03d}.md").write_text("\n".join(lines))
    return len(found)


def copy_project(dest):
    """The essay's files a build reads, with the Pyodide and KaTeX caches it would fetch."""
    dest.mkdir(parents=True)
    for name in ("docs", "widgets"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    (dest / ".cache").mkdir()
    for name in ("pyodide", "katex"):
        if (ROOT / ".cache" / name).exists():
            (dest / ".cache" / name).symlink_to((ROOT / ".cache" / name).resolve())


# ---- one build, timed, its memory sampled -----------------------------------------------------


def memory(pid):
    """Bytes resident in ``pid`` (RSS), and in it with all its descendants (the sum of their
    proportional sets, PSS: pages a forked worker shares with its parent count once), from
    /proc."""
    parents = {}
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as f:
                parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    tree, grown = {pid}, True
    while grown:
        more = {p for p, parent in parents.items() if parent in tree} - tree
        tree |= more
        grown = bool(more)
    found = {}
    for p in tree:
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                lines = dict(line.split(":", 1) for line in f if ":" in line)
            found[p] = (int(lines["Rss"].split()[0]) * 1024, int(lines["Pss"].split()[0]) * 1024)
        except (OSError, KeyError, ValueError):
            continue
    return found.get(pid, (0, 0))[0], sum(pss for _, pss in found.values())


def reap_orphans():
    """This process adopts its builds' orphans (PR_SET_CHILD_SUBREAPER): the process pool's
    server outlives the build by a moment, and its workers' CPU time is counted only when it is
    waited for."""
    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)


def build(project, site, jobs):
    """`mkdocs build` in a new process with ``jobs``; wall seconds, CPU seconds of it and all
    its processes, and its peak memory (its own, and all its processes at once) in bytes."""
    env = {
        **os.environ,
        "VISUAL_ESSAY_JOBS": str(jobs),
        "VISUAL_ESSAY_PYODIDE": "cdn",
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONPATH": str(project),
    }
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml", "-d", str(site)]
    before = os.times()
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    peak = [0, 0]

    def sample():
        while process.poll() is None:
            own, total = memory(process.pid)
            peak[0], peak[1] = max(peak[0], own), max(peak[1], total)
            time.sleep(SAMPLE_S)

    sampler = threading.Thread(target=sample)
    sampler.start()
    output = process.communicate()[0]
    wall = time.perf_counter() - start
    sampler.join()
    while True:  # the orphans this process adopted, waited for (their CPU time counted)
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break
    after = os.times()
    if process.returncode:
        sys.exit(f"build failed ({project}, jobs {jobs}):\n{output}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return {"wall_s": wall, "cpu_s": cpu, "peak_main_b": peak[0], "peak_all_b": peak[1]}


def touch(project, n):
    """A change to one widget's code: its figures are drawn anew, no other's."""
    path = project / "widgets" / f"{TOUCHED}.py"
    path.write_text(path.read_text() + f"\n# touched {n}\n")


def page_bytes(site):
    """Mean bytes of a page with figures: its HTML, and its figures' tables (one script each,
    whole: the first figure's part is not counted again)."""
    html, table = [], []
    for page in site.rglob("*.html"):
        text = page.read_text()
        scripts = re.findall(r'data-table="([^"]+)"', text)
        if scripts:
            html.append(len(text.encode()))
            table.append(sum((page.parent / src).stat().st_size for src in scripts))
    return {
        "pages": len(html),
        "html_b": statistics.mean(html) if html else 0,
        "table_b": statistics.mean(table) if table else 0,
    }


def same_tree(a, b):
    """The files two sites do not hold alike (only in one, or with other bytes): none, the
    same site."""
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    differ = files_a ^ files_b
    differ |= {f for f in files_a & files_b if (a / f).read_bytes() != (b / f).read_bytes()}
    return sorted(str(f) for f in differ)


# ---- one round for one N ---------------------------------------------------------------------


def round_for(n, tmp, widgets, jobs, round_=0):
    """Cold, warm and one-widget builds, serial and parallel, for the essay plus ``n``."""
    row = {"n": n, "jobs": jobs}
    sites = {}
    order = [("serial", 1), ("parallel", jobs)]
    for label, j in order if round_ % 2 == 0 else order[::-1]:  # neither always goes first
        project = tmp / f"{label}-{n}"
        copy_project(project)
        row["placed"] = write_pages(project, widgets, n)
        site = tmp / f"site-{label}-{n}"
        cold = build(project, site, j)
        warm = build(project, tmp / f"site-warm-{label}-{n}", j)
        touch(project, n)
        one = build(project, tmp / f"site-one-{label}-{n}", j)
        row[label] = {"cold": cold, "warm": warm, "one_widget": one}
        sites[label] = site
    row["differ"] = same_tree(sites["serial"], sites["parallel"])
    if row["differ"]:  # kept for a look: the first few files that differ, both versions
        keep = RESULTS / f"differ-{n}"
        for f in row["differ"][:5]:
            for label in ("serial", "parallel"):
                if (sites[label] / f).is_file():
                    (keep / label / f).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(sites[label] / f, keep / label / f)
    row["bytes"] = page_bytes(sites["parallel"])
    row["figures_in_cache"] = len(
        list((tmp / f"parallel-{n}" / ".cache" / "figures").glob("*-*-*.json"))
    )
    for label in ("serial", "parallel"):
        shutil.rmtree(tmp / f"{label}-{n}")
    for site in tmp.glob(f"site-*-{n}"):
        shutil.rmtree(site)
    return row


def summary(rows):
    """Per N: the median over rounds of each measurement."""
    out = []
    for n in sorted({r["n"] for r in rows}):
        mine = [r for r in rows if r["n"] == n]

        s = {"n": n, "placed": mine[0]["placed"], "rounds": len(mine), "jobs": mine[0]["jobs"]}
        for label in ("serial", "parallel"):
            for build_ in ("cold", "warm", "one_widget"):
                for key in ("wall_s", "cpu_s", "peak_main_b", "peak_all_b"):
                    s[f"{label}_{build_}_{key}"] = statistics.median(
                        r[label][build_][key] for r in mine
                    )
        s["speedup_cold"] = statistics.median(
            r["serial"]["cold"]["wall_s"] / r["parallel"]["cold"]["wall_s"] for r in mine
        )
        for label in ("serial", "parallel"):
            s[f"{label}_one_over_cold"] = statistics.median(
                r[label]["one_widget"]["wall_s"] / r[label]["cold"]["wall_s"] for r in mine
            )
        s["identical"] = not any(r["differ"] for r in mine)
        s["html_b"] = mine[0]["bytes"]["html_b"]
        s["table_b"] = mine[0]["bytes"]["table_b"]
        s["pages"] = mine[0]["bytes"]["pages"]
        out.append(s)
    return out


def print_table(summaries):
    mb = 1 / 2**20
    header = (
        "| N | cold 1 core / all (speedup) | warm 1 / all | one widget 1 / all (of cold) "
        "| peak memory, build process / all processes | bytes per page (HTML + table) "
        "| same site |"
    )
    print(header)
    print("| " + " | ".join("---" for _ in range(7)) + " |")
    for s in summaries:
        print(
            f"| {s['placed']} "
            f"| {s['serial_cold_wall_s']:.1f} s / {s['parallel_cold_wall_s']:.1f} s "
            f"({s['speedup_cold']:.2f}×) "
            f"| {s['serial_warm_wall_s']:.1f} s / {s['parallel_warm_wall_s']:.1f} s "
            f"| {s['serial_one_widget_wall_s']:.1f} s / {s['parallel_one_widget_wall_s']:.1f} s "
            f"({s['serial_one_over_cold']:.0%} / {s['parallel_one_over_cold']:.0%}) "
            f"| {s['serial_cold_peak_main_b'] * mb:.0f} MB / "
            f"{s['parallel_cold_peak_all_b'] * mb:.0f} MB "
            f"| {s['html_b'] / 1000:.0f} kB + {s['table_b'] / 1000:.0f} kB "
            f"| {'yes' if s['identical'] else 'NO'} |"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[0, 50, 200, 500])
    parser.add_argument("--repeat", type=int, default=1, help="rounds per N (medians reported)")
    parser.add_argument("--jobs", type=int, default=0, help="parallel processes (0: every core)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from visual_essay.config import cores
    import widgets  # the essay's registry, for the generated placements' values

    jobs = args.jobs or cores()
    reap_orphans()
    rows = []
    with tempfile.TemporaryDirectory(prefix="scale-") as tmp:
        for round_ in range(args.repeat):
            for n in args.n:
                row = round_for(n, Path(tmp), widgets.WIDGETS, jobs, round_)
                row["load_average"] = os.getloadavg()
                rows.append(row)
                print(
                    f"round {round_ + 1}, N={n}: cold {row['serial']['cold']['wall_s']:.1f} s "
                    f"/ {row['parallel']['cold']['wall_s']:.1f} s",
                    file=sys.stderr,
                )
    summaries = summary(rows)
    print_table(summaries)
    RESULTS.mkdir(exist_ok=True)
    machine = {"cores": cores(), "cpu_count": os.cpu_count()}
    (RESULTS / "scale.json").write_text(
        json.dumps({"machine": machine, "summary": summaries, "rounds": rows}, indent=1) + "\n"
    )


if __name__ == "__main__":
    main()
