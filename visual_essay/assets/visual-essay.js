// The visual-essay runtime: one small file, nothing specific to any widget.
//
// In the page, it finds the widget figures the build wrote (static SVG, disabled controls). Right
// after the first paint it loads the page's table of precomputed scenes, and the controls answer
// from it at once; meanwhile one Web Worker starts Python, and once it is ready every control
// answers in Python too, for any value. Each scene, from either, is drawn as SVG. In the worker
// (this same file), it loads Pyodide and numpy once, imports the widget package and answers
// compute requests.
(() => {
  "use strict";
  const CONFIG = /*CONFIG*/null; // written by the build: Pyodide URL and integrity, widget bundle

  if (typeof document === "undefined") return workerMain();
  if (window.visualEssay) return window.visualEssay.mountAll(); // instant navigation re-ran us

  const script = document.currentScript;
  performance.mark("vw-script");
  const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");
  const fromFile = location.protocol === "file:";
  let worker = null;
  let ready = null; // resolves when Python can compute, rejects with a reason to show readers
  let pythonLive = false;
  let pythonFailed = false;
  let nextId = 0;
  const replies = new Map();
  let uid = 0;

  // A reader who asked to save data (or is on a slow connection) gets the tables and a button,
  // not an automatic 16 MB download. The build's early start in <head> asks the same question.
  function savingData() {
    const c = navigator.connection;
    return Boolean(c && (c.saveData || ["slow-2g", "2g", "3g"].includes(c.effectiveType)));
  }

  // ---- the worker, started once per visit --------------------------------------------------------

  function startRuntime() {
    if (ready) return ready;
    if (fromFile) {
      ready = Promise.reject(new Error("file"));
    } else {
      // On pages with widgets the build already started the worker from <head> (the starter in
      // visual_essay/plugin.py), buffering what it said before this script ran.
      worker = window.visualEssayWorker;
      if (!worker) {
        performance.mark("vw-start");
        worker = new Worker(script.src, { name: "visual-essay" });
      }
      ready = new Promise((resolve, reject) => {
        const hear = (data) => {
          if (data.type === "ready") {
            performance.mark("vw-ready");
            window.visualEssay.timings = data.timings;
            resolve(data);
          } else if (data.type === "fatal") reject(new Error(data.message));
          else { replies.get(data.id)?.(data); replies.delete(data.id); }
        };
        worker.onmessage = ({ data }) => hear(data);
        worker.onerror = (event) => { event.preventDefault(); reject(new Error(event.message)); };
        (worker.early || []).forEach(hear);
      });
    }
    ready.then(() => {
      pythonLive = true;
      document.querySelector(".vw-notice")?.remove();
      for (const root of figures()) goLive(root);
    }, (err) => {
      pythonFailed = true;
      showNotice(err);
      for (const root of figures()) if (root.vw.waiting) showWaiting(root);
    });
    return ready;
  }

  function compute(widget, params) {
    return startRuntime().then(() => new Promise((resolve) => {
      const id = nextId++;
      replies.set(id, resolve);
      worker.postMessage({ type: "compute", id, widget, params });
    }));
  }

  // ---- widgets on the page -------------------------------------------------------------------------

  const figures = () => [...document.querySelectorAll("figure.vw[data-widget]")]
    .filter((root) => root.vw);

  // Python starts when a figure nears the viewport (a screen and a half ahead: live before it is
  // reached), unless the build started it already or the reader saves data.
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting) && !savingData()) {
      observer.disconnect();
      startRuntime().catch(() => {});
    }
  }, { rootMargin: "150% 0px" });

  function mountAll() {
    for (const root of document.querySelectorAll("figure.vw[data-widget]")) {
      // While the page is parsed, a figure is mounted once its caption, its last part, is in.
      if (root.vw || !root.querySelector("figcaption")) continue;
      root.vw = { busy: false, pending: null, seq: 0, drawnSeq: 0, table: null, waiting: false,
        params: JSON.parse(root.dataset.params) };
      wireControls(root);
      if (pythonLive) goLive(root);
      else observer.observe(root);
      if (root.dataset.table) afterFirstPaint(() => loadTable(root.dataset.table));
    }
    if (savingData() && !pythonLive && figures().length) offerPython();
  }

  // On pages with widgets the worker is already starting (the build's starter in <head>):
  // listen to it now, so a failure shows its notice even before a widget is near.
  if (window.visualEssayWorker) startRuntime().catch(() => {});

  function wireControls(root) {
    const form = root.querySelector(".vw-controls");
    form.addEventListener("submit", (e) => e.preventDefault());
    form.addEventListener("input", (e) => {
      if (!pythonLive && e.target.dataset.kind === "slider") snapToTable(root, e.target);
      changed(root);
    });
    form.addEventListener("click", (e) => {
      const button = e.target.closest("button[data-kind=seed]");
      if (!button) return;
      const seeds = root.vw.table?.seeds[button.name];
      button.value = pythonLive || !seeds ? String(Math.floor(Math.random() * 2 ** 31))
        : String(seeds[(seeds.indexOf(Number(button.value)) + 1) % seeds.length]);
      changed(root);
    });
  }

  function changed(root) {
    const params = readControls(root.querySelector(".vw-controls"));
    writeURL(root, params);
    show(root, params);
  }

  // Controls answer as soon as either the table or Python can: the first time, a shared link's
  // values (if they survive checking) replace the static figure's.
  function becomeInteractive(root) {
    const form = root.querySelector(".vw-controls");
    const first = form.querySelector("fieldset").disabled;
    form.querySelector("fieldset").disabled = false;
    if (first && applyURL(root, form)) show(root, readControls(form), { fromURL: true });
  }

  function goLive(root) {
    if (root.dataset.status === "error") return;
    root.dataset.status = "live";
    becomeInteractive(root);
    if (!window.visualEssay.firstLive) {
      window.visualEssay.firstLive = performance.now();
      performance.mark("vw-first-live");
    }
    if (root.vw.waiting) request(root, readControls(root.querySelector(".vw-controls")));
  }

  // The scene for these values: from the table in this same frame if it has them, else from
  // Python (now, or when it is ready: meanwhile the figure says it is waiting).
  function show(root, params, { fromURL = false } = {}) {
    const state = root.vw;
    state.seq += 1;
    const scene = tableScene(root, params);
    const error = state.table?.errors[tableKey(root, params)];
    if (error) {
      state.waiting = false;
      state.pending = null;
      state.drawnSeq = state.seq;
      showError(root, error);
    } else if (scene) {
      state.waiting = false;
      state.pending = null;
      state.drawnSeq = state.seq;
      state.params = params;
      const t0 = performance.now();
      root.dataset.status = pythonLive ? "live" : "table";
      draw(root, scene);
      announce(root, t0, "table");
    } else if (pythonLive) request(root, params, { fromURL });
    else {
      state.waiting = true;
      showWaiting(root);
    }
  }

  function readControls(form) {
    const params = {};
    for (const el of form.querySelectorAll("[data-kind]")) {
      const kind = el.dataset.kind;
      params[el.name] = kind === "toggle" ? el.checked
        : kind === "choice" ? el.value : Number(el.value);
      if (kind === "slider") {
        const out = form.querySelector(`output[for="${el.id}"]`);
        out.textContent = `${Number(el.value)} ${out.dataset.unit}`.trim();
      }
    }
    return params;
  }

  // ---- the table of precomputed scenes ------------------------------------------------------------

  const tablesLoading = new Set();

  function afterFirstPaint(fn) {
    const go = () => requestAnimationFrame(() => setTimeout(fn, 0));
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go);
    else go();
  }

  // A script, not fetch(): it loads from file:// too. It calls addTables.
  function loadTable(src) {
    const url = new URL(src, location.href).href;
    if (tablesLoading.has(url)) return;
    tablesLoading.add(url);
    const tag = document.createElement("script");
    tag.src = url;
    tag.async = true;
    document.head.append(tag);
  }

  function addTables(tables) {
    for (const [key, table] of Object.entries(tables)) {
      const root = document.querySelector(`figure.vw[data-key="${key}"]`);
      if (!root || !root.vw || root.vw.table) continue;
      root.vw.table = table;
      if (!pythonLive && root.dataset.status !== "error") {
        root.dataset.status = "table";
        becomeInteractive(root);
      }
      if (root.vw.waiting) show(root, readControls(root.querySelector(".vw-controls")));
    }
  }

  // The key both sides compute: one whole number per control, in declaration order.
  function tableKey(root, params) {
    return [...root.querySelectorAll(".vw-controls [data-kind]")].map((el) => {
      const v = params[el.name];
      if (el.dataset.kind === "slider") return Math.round((v - Number(el.min)) / Number(el.step));
      if (el.dataset.kind === "choice") return [...el.options].findIndex((o) => o.value === v);
      if (el.dataset.kind === "toggle") return v ? 1 : 0;
      return v;
    }).join(",");
  }

  function tableScene(root, params) {
    const table = root.vw.table;
    const at = table && table.index[tableKey(root, params)];
    if (at === undefined || at === null) return null;
    const stored = parsed(table.scenes, at);
    return { ...stored, panels: stored.panels.map((p) =>
      ({ ...p, marks: p.marks.map((i) => parsed(table.marks, i)) })) };
  }

  // Scenes and marks arrive as JSON text and are parsed the first time they are shown.
  function parsed(list, i) {
    if (typeof list[i] === "string") list[i] = JSON.parse(list[i]);
    return list[i];
  }

  // Until Python is live a slider moves along the table's grid: one grid step per key press (so
  // the arrows never get stuck), the nearest grid value when dragged.
  function snapToTable(root, el) {
    const grid = root.vw.table?.grids[el.name];
    if (!grid) return;
    const value = Number(el.value), last = el.vwLast ?? root.vw.params[el.name];
    let snapped = grid.reduce((a, b) => (Math.abs(b - value) < Math.abs(a - value) ? b : a));
    if (Math.abs(value - last) <= Number(el.step) * 1.001 && snapped === last && value !== last) {
      const i = grid.indexOf(last);
      snapped = grid[Math.min(grid.length - 1, Math.max(0, i + Math.sign(value - last)))] ?? last;
    }
    el.value = String(snapped);
    el.vwLast = snapped;
  }

  function showWaiting(root) {
    const box = root.querySelector(".vw-message");
    box.textContent = fromFile
      ? "These values were not computed when the site was built. Serve the folder (python " +
        "serve.py) to compute any value in Python."
      : savingData() && !ready ? "These values were not computed when the site was built: run " +
        "live Python (above) to compute them."
      : pythonFailed ? "These values were not computed when the site was built, and Python could " +
        "not load to compute them."
      : "Computing these values in Python, which is still loading…";
    box.hidden = false;
    root.classList.add("vw-waiting");
    root.querySelector(".vw-figure").setAttribute("aria-label",
      "Waiting: the figure below still shows the previous values. " + box.textContent);
  }

  // ---- shareable state: ?<figure key>.<parameter>=<value> -----------------------------------------

  function writeURL(root, params) {
    const url = new URL(location.href);
    const prefix = `${root.dataset.key}.`;
    const defaults = JSON.parse(root.dataset.params);
    for (const key of [...url.searchParams.keys()]) {
      if (key.startsWith(prefix)) url.searchParams.delete(key);
    }
    for (const [name, value] of Object.entries(params)) {
      if (value !== defaults[name]) url.searchParams.set(prefix + name, String(value));
    }
    if (url.href !== location.href) history.replaceState(history.state, "", url);
  }

  // Set the controls from the URL; a value the control would not offer is ignored. (Python
  // checks again before computing: the URL is never trusted.)
  function applyURL(root, form) {
    const prefix = `${root.dataset.key}.`;
    let applied = false;
    for (const [key, raw] of new URLSearchParams(location.search)) {
      if (!key.startsWith(prefix)) continue;
      const el = form.elements.namedItem(key.slice(prefix.length));
      if (el && el.dataset && acceptable(el, raw)) {
        if (el.dataset.kind === "toggle") el.checked = raw === "true";
        else el.value = raw;
        applied = true;
      }
    }
    return applied;
  }

  function acceptable(el, raw) {
    const kind = el.dataset.kind;
    if (kind === "toggle") return raw === "true" || raw === "false";
    if (kind === "choice") return [...el.options].some((o) => o.value === raw);
    if (!/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(raw)) return false;
    const n = Number(raw);
    if (kind === "seed") return Number.isInteger(n) && n >= 0 && n < 2 ** 31;
    const min = Number(el.min), max = Number(el.max), step = Number(el.step);
    const steps = (n - min) / step;
    return n >= min && n <= max && Math.abs(steps - Math.round(steps)) < 1e-6;
  }

  function resetControls(root, form) {
    const defaults = JSON.parse(root.dataset.params);
    for (const el of form.querySelectorAll("[data-kind]")) {
      if (el.dataset.kind === "toggle") el.checked = defaults[el.name];
      else el.value = String(defaults[el.name]);
    }
    readControls(form);
    writeURL(root, defaults);
  }

  // Latest value wins: while one compute runs, newer inputs overwrite a single pending slot. A
  // reply older than a scene the table drew since is dropped.
  function request(root, params, { fromURL = false, seq = root.vw.seq } = {}) {
    const state = root.vw;
    if (state.busy) { state.pending = { params, fromURL, seq }; return; }
    state.busy = true;
    const t0 = performance.now();
    compute(root.dataset.widget, params).then((reply) => {
      if (reply.error && fromURL) resetControls(root, root.querySelector(".vw-controls"));
      else if (reply.error) showError(root, reply.error);
      else if (seq > state.drawnSeq) {
        state.params = params;
        state.waiting = false;
        state.drawnSeq = seq;
        root.dataset.status = "live";
        const drawing = performance.now();
        draw(root, JSON.parse(reply.scene));
        announce(root, t0, "python", { pythonMs: reply.ms, drawMs: performance.now() - drawing });
      }
      state.busy = false;
      const next = state.pending;
      state.pending = null;
      if (next && next.seq > state.drawnSeq) request(root, next.params, next);
    });
  }

  // Each drawn scene is announced, with where it came from and what it took (bench/ reads it).
  function announce(root, t0, source, parts = {}) {
    const ms = performance.now() - t0;
    window.visualEssay.drawTimes.push(ms);
    root.dispatchEvent(new CustomEvent("vw:drawn", { detail: { ms, source, ...parts } }));
  }

  function showError(root, message) {
    root.dataset.status = "error";
    const box = root.querySelector(".vw-message");
    box.textContent = `This figure could not be updated: ${message}`;
    box.hidden = false;
  }

  // One short notice above the first figure: why Python is not running, and what still works.
  function showNotice(err) {
    if (document.readyState === "loading") { // Python can fail before the figures have arrived
      document.addEventListener("DOMContentLoaded", () => showNotice(err));
      return;
    }
    const tabled = Boolean(document.querySelector("figure.vw[data-table]"));
    const answers = tabled ? "The figures answer their controls with the values computed when " +
      "the site was built" : "The figures are shown as printed";
    notice(fromFile
      ? `Opened from a file. ${answers}. For every value, live in Python, serve the folder: ` +
        "run python serve.py in it and open the address it prints."
      : `${answers}: the Python runtime that computes any other value could not load ` +
        `(${err.message}).`);
    if (!tabled) for (const root of figures()) root.dataset.status = "static";
  }

  function offerPython() {
    if (document.querySelector(".vw-notice")) return;
    const mb = Math.round(CONFIG.pyodideBytes / 1e6);
    const box = notice("Saving data: the figures answer their controls with the values " +
      "computed when the site was built. ");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = `Run live Python (${mb} MB)`;
    button.addEventListener("click", () => {
      button.disabled = true;
      button.textContent = "Starting Python…";
      startRuntime().catch(() => {});
    });
    box.append(button);
  }

  function notice(text) {
    document.querySelector(".vw-notice")?.remove();
    const first = document.querySelector("figure.vw");
    const box = document.createElement("p");
    box.className = "vw-notice";
    box.setAttribute("role", "note");
    box.textContent = text;
    first?.before(box);
    return box;
  }

  // ---- drawing a scene ----------------------------------------------------------------------------

  function draw(root, scene) {
    root.classList.remove("vw-waiting");
    root.querySelector(".vw-message").hidden = true;
    root.querySelector(".vw-figure").setAttribute("aria-label", scene.alt);
    const readouts = root.querySelector(".vw-readouts");
    const html = scene.readouts.map((r) =>
      `<div><dt>${esc(r.label)}</dt><dd>${esc(r.text)}</dd></div>`).join("");
    if (readouts.innerHTML !== html) readouts.innerHTML = html;
    root.vw.scene = scene;
    if (scene.frames) setupMotion(root, scene);
    else {
      stopMotion(root);
      drawPanels(root, scene, null);
    }
  }

  function drawPanels(root, scene, frame) {
    root.querySelector(".vw-panels").innerHTML =
      scene.panels.map((p) => panelSVG(p, frame, frameTitle(p, scene, frame))).join("");
  }

  function frameTitle(p, scene, frame) {
    if (frame === null || !p.marks.some((m) => "frame" in m)) return p.title;
    const label = scene.frames.labels[frame];
    return p.title ? `${p.title} · ${label}` : label;
  }

  // Motion plays in the page (no Python per frame): a play/pause button and a frame slider.
  function setupMotion(root, scene) {
    const count = scene.frames.count;
    let bar = root.querySelector(".vw-motion");
    if (!bar) {
      bar = document.createElement("div");
      bar.className = "vw-motion";
      const id = `${root.id}-frame`;
      bar.innerHTML = `<button type="button" class="vw-play" aria-pressed="false">Play</button>` +
        `<label for="${id}">${esc(scene.frames.label)}</label>` +
        `<input type="range" id="${id}" min="0" step="1"><output for="${id}"></output>`;
      root.querySelector(".vw-controls").after(bar);
      const slider = bar.querySelector("input");
      bar.querySelector("button").addEventListener("click", () =>
        (root.vw.timer ? stopMotion(root) : playMotion(root)));
      slider.addEventListener("input", () => { stopMotion(root); showFrame(root, +slider.value); });
    }
    const slider = bar.querySelector("input");
    slider.max = String(count - 1);
    stopMotion(root);
    if (reducedMotion.matches) showFrame(root, count - 1);
    else { showFrame(root, 0); playMotion(root); }
  }

  function showFrame(root, frame) {
    const scene = root.vw.scene;
    root.vw.frame = frame;
    const bar = root.querySelector(".vw-motion");
    bar.querySelector("input").value = String(frame);
    bar.querySelector("output").textContent = scene.frames.labels[frame];
    drawPanels(root, scene, frame);
  }

  function playMotion(root) {
    const scene = root.vw.scene;
    if (root.vw.frame >= scene.frames.count - 1) showFrame(root, 0);
    const button = root.querySelector(".vw-play");
    button.textContent = "Pause";
    button.setAttribute("aria-pressed", "true");
    root.vw.timer = setInterval(() => {
      if (root.vw.frame >= scene.frames.count - 1) return stopMotion(root);
      showFrame(root, root.vw.frame + 1);
    }, 1000 / scene.frames.fps);
  }

  function stopMotion(root) {
    clearInterval(root.vw.timer);
    root.vw.timer = null;
    const button = root.querySelector(".vw-play");
    if (button) { button.textContent = "Play"; button.setAttribute("aria-pressed", "false"); }
  }

  const esc = (s) => String(s).replace(/[&<>"]/g, (c) =>
    ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  const f = (v) => (Math.round(v * 100) / 100).toString();
  const color = (name) => `var(--vw-${name})`;
  const ALIGN = { start: "start", middle: "middle", end: "end" };
  const BASELINE = { top: "hanging", middle: "central", bottom: "alphabetic" };

  // One panel as SVG, with the margins, limits and ticks the scene decided (like matplotlib's).
  function panelSVG(p, frame, title) {
    const W = p.size[0] * 72, H = p.size[1] * 72, m = p.margin;
    const [x0, x1] = p.x.lim, [y0, y1] = p.y.lim;
    const pw = W - m.left - m.right, ph = H - m.top - m.bottom;
    const X = (v) => m.left + ((v - x0) / (x1 - x0)) * pw;
    const Y = (v) => m.top + (1 - (v - y0) / (y1 - y0)) * ph;
    const clip = `vwc${uid++}`;
    const out = [`<svg viewBox="0 0 ${f(W)} ${f(H)}" style="--w:${p.size[0]}" ` +
      `xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="${clip}"><rect x="${f(m.left)}" ` +
      `y="${f(m.top)}" width="${f(pw)}" height="${f(ph)}"/></clipPath></defs>`];
    const base = m.top + ph;
    if (!p.x.hidden) {
      out.push(`<path class="vw-axis" d="M${f(m.left)} ${f(base)}H${f(m.left + pw)}"/>`);
      p.x.ticks.forEach((t, i) => {
        const x = f(X(t));
        out.push(`<path class="vw-axis" d="M${x} ${f(base)}v3.5"/>` +
          `<text class="vw-tick" x="${x}" y="${f(base + 13.8)}" text-anchor="middle">` +
          `${esc(p.x.ticklabels[i])}</text>`);
      });
      if (p.x.label) out.push(`<text class="vw-label" x="${f(m.left + pw / 2)}" ` +
        `y="${f(base + 27)}" text-anchor="middle">${esc(p.x.label)}</text>`);
    }
    if (!p.y.hidden) {
      out.push(`<path class="vw-axis" d="M${f(m.left)} ${f(m.top)}V${f(base)}"/>`);
      p.y.ticks.forEach((t, i) => {
        const y = f(Y(t));
        out.push(`<path class="vw-axis" d="M${f(m.left)} ${y}h-3.5"/>` +
          `<text class="vw-tick" x="${f(m.left - 7)}" y="${y}" text-anchor="end" ` +
          `dominant-baseline="central">${esc(p.y.ticklabels[i])}</text>`);
      });
      if (p.y.label) out.push(`<text class="vw-label" transform="translate(${f(m.left - 34)} ` +
        `${f(m.top + ph / 2)}) rotate(-90)" text-anchor="middle">${esc(p.y.label)}</text>`);
    }
    if (title) out.push(`<text class="vw-title" x="${f(m.left)}" y="${f(m.top - 7)}">` +
      `${esc(title)}</text>`);
    const shown = p.marks.filter((k) => !("frame" in k) || k.frame === frame);
    const box = { x0: m.left, x1: m.left + pw, y0: m.top, y1: m.top + ph };
    out.push(`<g clip-path="url(#${clip})">`);
    for (const k of shown) if (k.kind !== "text") out.push(MARKS[k.kind](k, X, Y, box));
    out.push("</g>");
    for (const k of shown) if (k.kind === "text") out.push(MARKS.text(k, X, Y));
    for (const k of shown) if (k.colorbar) out.push(colorbar(k.colorbar, box));
    if (p.legend) out.push(legend(p, shown, m, pw, ph));
    out.push("</svg>");
    return out.join("");
  }

  const path = (xs, ys, X, Y) => xs.map((x, i) => `${i ? "L" : "M"}${f(X(x))} ${f(Y(ys[i]))}`)
    .join("");

  const MARKS = {
    line: (k, X, Y) => `<path d="${path(k.x, k.y, X, Y)}" fill="none" stroke="${color(k.color)}" ` +
      `stroke-width="${k.width}" stroke-opacity="${k.opacity}" stroke-linecap="round" ` +
      `stroke-linejoin="round"${k.dash ? ' stroke-dasharray="5 3"' : ""}/>`,
    points: (k, X, Y) => `<g fill="${color(k.color)}" fill-opacity="${k.opacity}">` +
      k.x.map((x, i) => `<circle cx="${f(X(x))}" cy="${f(Y(k.y[i]))}" r="${k.size}"/>`).join("") +
      "</g>",
    segments: (k, X, Y) => {
      let d = "";
      for (let i = 0; i < k.x.length; i += 2) {
        d += `M${f(X(k.x[i]))} ${f(Y(k.y[i]))}L${f(X(k.x[i + 1]))} ${f(Y(k.y[i + 1]))}`;
      }
      return `<path d="${d}" stroke="${color(k.color)}" stroke-width="${k.width}" ` +
        `stroke-opacity="${k.opacity}" fill="none"/>`;
    },
    area: (k, X, Y) => `<path d="${path(k.x, k.y1, X, Y)}` +
      `${path([...k.x].reverse(), [...k.y2].reverse(), X, Y).replace("M", "L")}Z" ` +
      `fill="${color(k.color)}" fill-opacity="${k.opacity}"/>`,
    polygon: (k, X, Y) => `<path d="${path(k.x, k.y, X, Y)}Z" fill="${color(k.color)}" ` +
      `fill-opacity="${k.opacity}"` +
      (k.stroke ? ` stroke="${color(k.stroke)}" stroke-width="1"/>` : "/>"),
    text: (k, X, Y) => `<text x="${f(X(k.x))}" y="${f(Y(k.y))}" font-size="${k.size}" ` +
      `fill="${color(k.color)}" text-anchor="${ALIGN[k.anchor]}" ` +
      `dominant-baseline="${BASELINE[k.valign]}"${k.bold ? ' font-weight="bold"' : ""}>` +
      `${esc(k.s)}</text>`,
    arrow: (k, X, Y) => {
      const ax = X(k.x[0]), ay = Y(k.y[0]), bx = X(k.x[1]), by = Y(k.y[1]);
      const len = Math.hypot(bx - ax, by - ay) || 1, ux = (bx - ax) / len, uy = (by - ay) / len;
      const s = 3 + 2 * k.width; // head size grows with the line, as matplotlib's does
      const hx = bx - ux * s * 1.6, hy = by - uy * s * 1.6;
      return `<g stroke="${color(k.color)}" fill="${color(k.color)}">` +
        `<path d="M${f(ax)} ${f(ay)}L${f(hx)} ${f(hy)}" stroke-width="${k.width}"/>` +
        `<path d="M${f(bx)} ${f(by)}L${f(hx - uy * s * 0.6)} ${f(hy + ux * s * 0.6)}` +
        `L${f(hx + uy * s * 0.6)} ${f(hy - ux * s * 0.6)}Z" stroke="none"/></g>`;
    },
    hline: (k, X, Y, box) => rule(k, k.y.map((y) => `M${f(box.x0)} ${f(Y(y))}H${f(box.x1)}`)),
    vline: (k, X, Y, box) => rule(k, k.x.map((x) => `M${f(X(x))} ${f(box.y0)}V${f(box.y1)}`)),
    hband: (k, X, Y, box) => rect(box.x0, Y(k.y[1]), box.x1, Y(k.y[0]), k),
    vband: (k, X, Y, box) => rect(X(k.x[0]), box.y0, X(k.x[1]), box.y1, k),
    bars: (k, X, Y) => k.x.map((x, i) =>
      rect(X(x - k.width / 2), Y(k.y[i]), X(x + k.width / 2), Y(k.base[i]), k)).join(""),
    errorbars: (k, X, Y) => {
      let d = "";
      k.x.forEach((x, i) => {
        const cx = X(x), lo = Y(k.low[i]), hi = Y(k.high[i]);
        d += `M${f(cx)} ${f(lo)}V${f(hi)}M${f(cx - k.cap)} ${f(lo)}h${f(2 * k.cap)}` +
          `M${f(cx - k.cap)} ${f(hi)}h${f(2 * k.cap)}`;
      });
      return `<path d="${d}" stroke="${color(k.color)}" stroke-width="${k.width}" ` +
        `stroke-opacity="${k.opacity}" fill="none"/>`;
    },
    heatmap: (k, X, Y) => {
      const [ex0, ex1, ey0, ey1] = k.extent;
      const cw = (ex1 - ex0) / k.cols, ch = (ey1 - ey0) / k.rows;
      const cells = [];
      for (let r = 0; r < k.rows; r++) {
        for (let c = 0; c < k.cols; c++) {
          const x = X(ex0 + c * cw), y = Y(ey0 + (r + 1) * ch);
          cells.push(`<rect x="${f(x)}" y="${f(y)}" width="${f(X(ex0 + (c + 1) * cw) - x + 0.4)}" ` +
            `height="${f(Y(ey0 + r * ch) - y + 0.4)}" fill="${k.colors[r * k.cols + c]}"/>`);
        }
      }
      return `<g shape-rendering="crispEdges">${cells.join("")}</g>`;
    },
  };

  // A filled rectangle between two corners, in page units, in any order.
  function rect(xa, ya, xb, yb, k) {
    return `<rect x="${f(Math.min(xa, xb))}" y="${f(Math.min(ya, yb))}" ` +
      `width="${f(Math.abs(xb - xa))}" height="${f(Math.abs(yb - ya))}" ` +
      `fill="${color(k.color)}" fill-opacity="${k.opacity}"/>`;
  }

  function rule(k, paths) {
    return `<path d="${paths.join("")}" stroke="${color(k.color)}" stroke-width="${k.width}" ` +
      `stroke-opacity="${k.opacity}" fill="none"${k.dash ? ' stroke-dasharray="5 3"' : ""}/>`;
  }

  // A heatmap's colour scale in the panel's right margin, as scene.heatmap(colorbar=...) set it.
  function colorbar(bar, box) {
    const x = box.x1 + bar.gap, n = bar.colors.length, step = (box.y1 - box.y0) / n;
    const [lo, hi] = bar.lim, V = (v) => box.y1 - ((v - lo) / (hi - lo)) * (box.y1 - box.y0);
    const out = [`<g shape-rendering="crispEdges">`];
    bar.colors.forEach((c, i) => out.push(`<rect x="${f(x)}" y="${f(box.y1 - (i + 1) * step)}" ` +
      `width="${bar.width}" height="${f(step + 0.4)}" fill="${c}"/>`));
    out.push("</g>");
    bar.ticks.forEach((t, i) => out.push(
      `<path class="vw-axis" d="M${f(x + bar.width)} ${f(V(t))}h3.5"/>` +
      `<text class="vw-tick" x="${f(x + bar.width + 6)}" y="${f(V(t))}" ` +
      `dominant-baseline="central">${esc(bar.ticklabels[i])}</text>`));
    out.push(`<text class="vw-label" transform="translate(${f(x + bar.width + 30)} ` +
      `${f((box.y0 + box.y1) / 2)}) rotate(90)" text-anchor="middle">${esc(bar.label)}</text>`);
    return out.join("");
  }

  function legend(p, shown, m, pw, ph) {
    const items = shown.filter((k) => k.label);
    if (!items.length) return "";
    const right = p.legend.includes("right"), lower = p.legend.includes("lower");
    const x = right ? m.left + pw - 90 : m.left + 6;
    const y0 = lower ? m.top + ph - 6 - 12 * items.length + 6 : m.top + 8;
    return `<g class="vw-legend">` + items.map((k, i) => {
      const y = y0 + 12 * i;
      const swatch = k.kind === "points"
        ? `<circle cx="${f(x + 6)}" cy="${f(y)}" r="3.5" fill="${color(k.color)}"/>`
        : `<path d="M${f(x)} ${f(y)}h12" stroke="${color(k.color)}" stroke-width="${
          ["line", "hline", "vline", "errorbars"].includes(k.kind) ? k.width : 6}" ` +
          `stroke-opacity="${Math.max(k.opacity, 0.4)}"${k.dash ? ' stroke-dasharray="5 3"' : ""}/>`;
      return `${swatch}<text x="${f(x + 17)}" y="${f(y)}" dominant-baseline="central">` +
        `${esc(k.label)}</text>`;
    }).join("") + "</g>";
  }

  // ---- mathematics: KaTeX, carried by the site, typesetting pymdownx.arithmatex's formulas -------

  let katexLoaded = null;

  function typesetMath() {
    const formulas = [...document.querySelectorAll(".arithmatex:not([data-typeset])")];
    if (!CONFIG.math || !formulas.length) return;
    katexLoaded ||= new Promise((resolve, reject) => {
      const base = new URL(CONFIG.math, script.src).href;
      const style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = `${base}katex.min.css`;
      const tag = document.createElement("script");
      tag.src = `${base}katex.min.js`;
      tag.onload = resolve;
      tag.onerror = () => reject(new Error("KaTeX did not load"));
      document.head.append(style, tag);
    });
    // Claimed now: another call before KaTeX arrives must not typeset them a second time.
    const jobs = formulas.map((el) => {
      el.dataset.typeset = "";
      return [el, el.textContent.trim().replace(/^\\[([]/, "").replace(/\\[)\]]$/, "")];
    });
    katexLoaded.then(() => {
      for (const [el, tex] of jobs) {
        window.katex.render(tex, el, { displayMode: el.tagName !== "SPAN", throwOnError: false });
      }
    }, () => {});
  }

  // ---- one page load per visit, wherever the site is served --------------------------------------

  // Material's instant navigation follows only links listed in sitemap.xml, whose addresses are the
  // build's site_url, rebased by host name only. Served anywhere else (another port, a sub-path, no
  // site_url at all) every chapter link would load a new page and start Python again. So a link to
  // one of this site's pages that Material left alone is handed to its navigation here, as its own
  // click handler would do it (that one listens on <body>, so it has run by the time we hear).
  const siteRoot = new URL(CONFIG.root, script.src);
  const pages = new Set(CONFIG.pages.map((p) => p.replace(/^\.\/$/, "")));

  window.addEventListener("click", (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey ||
      ev.altKey || !instantNavigation()) return;
    const link = ev.target instanceof Element ? ev.target.closest("a[href]") : null;
    if (!link || link.target || link.hasAttribute("download")) return;
    const url = new URL(link.href);
    if (!isPage(url) || url.pathname === location.pathname) return; // same page: the browser's
    ev.preventDefault();
    history.replaceState({ x: scrollX, y: scrollY }, ""); // where Back returns to
    history.pushState(null, "", url);
    window.location$.next(url);
  });

  function isPage(url) {
    if (url.origin !== location.origin || !url.pathname.startsWith(siteRoot.pathname)) return false;
    const path = decodeURI(url.pathname.slice(siteRoot.pathname.length));
    return pages.has(path) || pages.has(path.replace(/index\.html$/, ""));
  }

  function instantNavigation() {
    const config = document.getElementById("__config");
    return location.protocol !== "file:" && Boolean(window.location$) && Boolean(config) &&
      JSON.parse(config.textContent).features.includes("navigation.instant");
  }

  // ---- start ----------------------------------------------------------------------------------------

  window.visualEssay = { mountAll, compute, startRuntime, addTables, drawTimes: [],
    firstLive: null, renderPanel: (p) => panelSVG(p, null, p.title) };
  // This script is async in <head>: mount figures as the parser adds them (the first one starts
  // Python as soon as it is laid out near the viewport), then after each of Material's instant
  // navigations (document$, defined by Material's bundle at the end of <body>; it does not emit
  // from file://, hence the direct calls).
  const pageReady = () => { mountAll(); typesetMath(); };
  if (document.readyState === "loading") {
    const parsing = new MutationObserver(mountAll);
    parsing.observe(document.documentElement, { childList: true, subtree: true });
    document.addEventListener("DOMContentLoaded", () => {
      parsing.disconnect();
      pageReady();
      window.document$?.subscribe(pageReady);
    });
  } else {
    pageReady();
    window.document$?.subscribe(pageReady);
  }

  // ---- in the worker ------------------------------------------------------------------------------

  // (Everything the worker uses is a function declaration or lives in here: the file returned
  // early, so the page's const bindings above were never initialized in this global scope.)
  function workerMain() {
    const timings = {}; // when each start-up step ended (ms since the epoch), for bench/
    const stamp = (step) => { timings[step] = performance.timeOrigin + performance.now(); };
    // Start at once: the configuration is in this file, URLs are relative to it.
    const booted = boot({
      ...CONFIG,
      pyodideURL: new URL(CONFIG.pyodideURL, self.location.href).href,
      bundleURL: new URL(CONFIG.bundle, self.location.href).href,
    }, stamp);
    booted.then(() => postMessage({ type: "ready", timings }),
      (err) => postMessage({ type: "fatal", message: String(err.message || err) }));
    self.onmessage = async ({ data }) => {
      let computeJson;
      try {
        computeJson = await booted;
      } catch {
        return; // already reported as fatal
      }
      try {
        const t0 = performance.now();
        const scene = await computeJson(data.widget, JSON.stringify(data.params));
        postMessage({ id: data.id, scene, ms: performance.now() - t0 }); // ms: Python's share
      } catch (err) {
        postMessage({ id: data.id, error: exceptionLine(String(err.message || err)) });
      }
    };
  }

  async function boot({ pyodideURL, pyodideIntegrity, packages, bundleURL, package: pkg },
    stamp) {
    stamp("workerStarted");
    const bundle = fetch(bundleURL).then((r) => {
      if (!r.ok) throw new Error(`widget code: HTTP ${r.status}`);
      return r.json();
    });
    const loader = await fetch(`${pyodideURL}pyodide.js`, { integrity: pyodideIntegrity })
      .catch(() => { throw new Error(`no answer from ${new URL(pyodideURL).host}`); });
    if (!loader.ok) throw new Error(`HTTP ${loader.status} for pyodide.js`);
    importScripts(URL.createObjectURL(new Blob([await loader.text()],
      { type: "text/javascript" })));
    stamp("loaderFetched");
    const pyodide = await self.loadPyodide({
      indexURL: pyodideURL, packages, stdout: () => {}, stderr: (s) => console.warn(s),
    });
    stamp("pyodideLoaded");
    pyodide.runPython("import numpy");
    stamp("numpyImported");
    // Python and numpy are ready: the page can enable its controls now. The widget modules are
    // imported next, before any compute request (they queue behind it) is answered.
    const afterReady = new Promise((resolve) => setTimeout(resolve, 0)); // "ready" is sent first
    const imported = afterReady.then(() => bundle).then(({ files }) => {
      for (const [file, text] of Object.entries(files)) {
        pyodide.FS.mkdirTree(`/home/pyodide/${file.slice(0, file.lastIndexOf("/"))}`);
        pyodide.FS.writeFile(`/home/pyodide/${file}`, text);
      }
      const registry = pyodide.pyimport("visual_essay.registry");
      pyodide.pyimport(pkg);
      stamp("widgetsImported");
      return registry;
    });
    await bundle; // a missing bundle is a start-up failure, reported as such
    return async (name, params) => (await imported).compute_json(name, params, pkg);
  }

  // The line of a Python traceback that names the exception (Pyodide may add advice after it).
  function exceptionLine(message) {
    const lines = message.trim().split("\n");
    const named = lines.filter((l) => /^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b/.test(l));
    return named.length ? named[named.length - 1] : lines[lines.length - 1];
  }
})();
