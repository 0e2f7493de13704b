// ---- worker.js: the worker, Pyodide side --------------------------------------------------------
// This same file, run by new Worker(script.src) (bridge.js) or by the starter: loads Pyodide and
// numpy once, writes the widget package into Pyodide's file system, and answers compute requests
// with a scene as JSON, or the line of Python's traceback that names the exception.
// Uses: CONFIG only (URLs in it are relative to this file). Function declarations only: in the
// worker the file returned before any other part ran, so their const bindings do not exist here.

function workerMain() {
  // ms since the epoch: the page's clock too (bench/ sets the worker's times beside its own)
  const clock = () => performance.timeOrigin + performance.now();
  const timings = {}; // when each start-up step ended, for bench/
  const stamp = (step) => { timings[step] = clock(); };
  // Start at once: the configuration is in this file, URLs are relative to it.
  const booted = boot({
    ...CONFIG,
    pyodideURL: new URL(CONFIG.pyodideURL, self.location.href).href,
    bundleURL: new URL(CONFIG.bundle, self.location.href).href,
  }, stamp);
  booted.then(() => postMessage({ type: "ready", timings }),
    (err) => postMessage({ type: "fatal", message: String(err.message || err) }));
  self.onmessage = async ({ data }) => {
    const received = clock();
    let python;
    try {
      python = await booted;
    } catch {
      return; // already reported as fatal
    }
    if (data.type === "warm") {
      const t0 = performance.now();
      await python.warm(data.widget, JSON.stringify(data.params), data.layout, data.move);
      postMessage({ id: data.id, ms: performance.now() - t0 });
      return;
    }
    try {
      const t0 = clock();
      const scene = await python.compute(data.widget, JSON.stringify(data.params), data.layout);
      // ms: Python's share; at: when the request came in and the reply went out (bench/)
      const done = clock();
      postMessage({ id: data.id, scene, ms: done - t0, at: [received, done] });
    } catch (err) {
      postMessage({ id: data.id, error: exceptionLine(String(err.message || err)) });
    }
  };
}

async function boot({ pyodideURL, pyodideIntegrity, packages, bundleURL, package: pkg }, stamp) {
  stamp("workerStarted");
  const bundle = fetch(bundleURL).then((r) => {
    if (!r.ok) throw new Error(`widget code: HTTP ${r.status}`);
    return r.json();
  });
  const loader = await fetch(`${pyodideURL}pyodide.js`, { integrity: pyodideIntegrity })
    .catch(() => { throw new Error(`no answer from ${new URL(pyodideURL).host}`); });
  if (!loader.ok) throw new Error(`HTTP ${loader.status} for pyodide.js`);
  // Once Pyodide's host has answered (a host that does not answer gets no more requests).
  prefetch(pyodideURL, packages);
  importScripts(URL.createObjectURL(new Blob([await loader.text()],
    { type: "text/javascript" })));
  stamp("loaderFetched");
  const pyodide = await self.loadPyodide({
    indexURL: pyodideURL, packages, stdout: () => {}, stderr: (s) => console.warn(s),
  });
  stamp("pyodideLoaded");
  pyodide.runPython("import numpy");
  stamp("numpyImported");
  // Python and numpy are ready: the page can enable its controls now. The engine and the widget
  // package are imported next, before any compute request (they queue behind it) is answered;
  // each widget's module when a request first names it (registry.Widgets).
  const afterReady = new Promise((resolve) => setTimeout(resolve, 0)); // "ready" is sent first
  const imported = afterReady.then(() => bundle).then(({ files }) => {
    for (const [file, text] of Object.entries(files)) {
      pyodide.FS.mkdirTree(`/home/pyodide/${file.slice(0, file.lastIndexOf("/"))}`);
      pyodide.FS.writeFile(`/home/pyodide/${file}`, text);
    }
    const registry = pyodide.pyimport("visual_essay.registry");
    pyodide.pyimport(pkg);
    stamp("packageImported");
    return registry;
  });
  await bundle; // a missing bundle is a start-up failure, reported as such
  return {
    compute: async (name, params, layout) =>
      (await imported).compute_json(name, params, pkg, layout ?? null),
    // A figure's widget computed ahead of a reader's first touch (registry.warm; a failing
    // compute says so when a reader asks for it).
    warm: async (name, params, layout, move) => {
      try {
        (await imported).warm(name, params, pkg, layout ?? null, move);
      } catch { /* the same */ }
    },
  };
}

// The packages' wheels (with their dependencies, as the lock file lists them) requested while
// the interpreter compiles and starts: Pyodide asks for them only once it is up, and finds them
// in the HTTP cache, or on their way.
function prefetch(pyodideURL, packages) {
  const get = (file) => fetch(pyodideURL + file).then((r) => r.arrayBuffer()).catch(() => {});
  fetch(`${pyodideURL}pyodide-lock.json`).then((r) => r.json()).then((lock) => {
    const seen = new Set(), todo = [...packages];
    while (todo.length) {
      const entry = lock.packages[todo.pop()];
      if (!entry || seen.has(entry.name)) continue;
      seen.add(entry.name);
      get(entry.file_name);
      todo.push(...entry.depends);
    }
  }).catch(() => {}); // Pyodide reports what fails to load, as it meets it
}

// The line of a Python traceback that names the exception (Pyodide may add advice after it).
function exceptionLine(message) {
  const lines = message.trim().split("\n");
  const named = lines.filter((l) => /^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b/.test(l));
  return named.length ? named[named.length - 1] : lines[lines.length - 1];
}
