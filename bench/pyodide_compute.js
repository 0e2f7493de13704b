// Time each widget's compute in Pyodide, in Node: the same Python and numpy as the reader's browser,
// without the page (no worker round trip, no drawing), through the worker's own entry point
// (registry.compute_json, the wide layout only, as a desktop reader's figure asks). For profiling
// the numpy, not for the essay's numbers (bench/run.py measures those in Chromium).
//
//   node bench/pyodide_compute.js                 # every widget, every slider swept
//   node bench/pyodide_compute.js bc_drift 60     # one widget, 60 inputs per slider
//   PROFILE=1 node bench/pyodide_compute.js bc_drift   # plus cProfile's top functions
//   PROFILE=1 SORT=tottime node bench/pyodide_compute.js trials   # by time inside each function
const fs = require("fs");
const path = require("path");
const ROOT = path.resolve(__dirname, "..");
const version = fs.readFileSync(path.join(ROOT, "visual_essay", "pyodide.py"), "utf8")
  .match(/PYODIDE_VERSION = "([^"]+)"/)[1];
const indexURL = path.join(ROOT, ".cache", "pyodide", version) + "/";
const { loadPyodide } = require(indexURL + "pyodide.js");

(async () => {
  const [only, count = "40"] = process.argv.slice(2);
  const py = await loadPyodide({ indexURL, stdout: (s) => console.log(s) });
  await py.loadPackage("numpy", { messageCallback: () => {} });
  py.FS.mkdir("/repo");
  py.FS.mount(py.FS.filesystems.NODEFS, { root: ROOT }, "/repo");
  py.globals.set("ONLY", only || null);
  py.globals.set("COUNT", Number(count));
  py.globals.set("PROFILE", Boolean(process.env.PROFILE));
  py.globals.set("SORT", process.env.SORT || "cumulative"); // or tottime
  py.runPython(`
import sys, time, json, statistics
sys.path.insert(0, "/repo")
from visual_essay.registry import compute_json, registry
from visual_essay.params import Slider
widgets = registry("widgets")
names = [ONLY] if ONLY else list(widgets)
print("| widget | slider | inputs | median ms | p95 ms | max ms |")
print("| --- | --- | --- | --- | --- | --- |")
for name in names:
    module = widgets[name]
    compute_json(name, "{}", "widgets", "wide")  # first call: imports, caches
    for p in module.PARAMS:
        if not isinstance(p, Slider):
            continue
        times = []
        for i in range(COUNT):
            v = p.on_step((i * 37) % (p.steps() + 1))  # the value the range input gives
            t0 = time.perf_counter()
            compute_json(name, json.dumps({p.name: v}), "widgets", "wide")  # as the worker asks
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        print(f"| {name} | {p.name} | {len(times)} | {statistics.median(times):.1f} | "
              f"{p95:.1f} | {times[-1]:.1f} |")
    if PROFILE:
        import cProfile, pstats
        prof = cProfile.Profile()
        prof.enable()
        for p in module.PARAMS:  # each slider swept, as above
            if isinstance(p, Slider):
                for k in range(0, p.steps() + 1, 7):
                    compute_json(name, json.dumps({p.name: p.on_step(k)}), "widgets", "wide")
        prof.disable()
        pstats.Stats(prof).sort_stats(SORT).print_stats(25)
`);
})();
