// ---- page.js: the page controller ---------------------------------------------------------------
// Mounts each widget figure the build wrote (markup.py), keeps its state (root.vw) and decides
// where each scene comes from: the page's table in the same frame, else Python, else a "waiting"
// message until Python is ready.
// Uses: the bridge (startRuntime, compute, warm, savingData, pythonLive), controls (wireControls,
// readControls, writeURL, applyURL, resetControls), tables (loadTable, afterFirstPaint,
// tableScene, tableKey), the figure (draw, fitValues, announce, showWaiting, showError), notices
// (offerPython), prose (mountProseControls, showProseControls), guides (mountGuides, applyStep,
// followStep), data (mountData).

const script = document.currentScript;
performance.mark("vw-script");
const fromFile = location.protocol === "file:";

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
  const mounted = [];
  for (const root of document.querySelectorAll("figure.vw[data-widget]")) {
    // While the page is parsed, a figure is mounted once its caption, its last part, is in.
    if (root.vw || !root.querySelector("figcaption")) continue;
    root.vw = { busy: false, pending: null, seq: 0, drawnSeq: 0, table: null, waiting: false,
      params: JSON.parse(root.dataset.params), recent: new Map(), layout: null };
    wireControls(root);
    mounted.push(root);
    widthWatcher.observe(root.querySelector(".vw-panels"));
    mountProseControls(root);
    mountData(root);
    if (pythonLive) goLive(root);
    else observer.observe(root);
    if (root.dataset.table) {
      afterFirstPaint(() => loadTable(root.dataset.table, root.dataset.tableFirst));
    }
  }
  fitValues(mounted);
  // Sentences and steps after a figure may arrive after it: each call mounts what is new.
  figures().forEach(mountProseControls);
  mountGuides();
  if (savingData() && !pythonLive && figures().length) offerPython();
  if (document.fonts.status === "loading" && !fontsAwaited) {
    fontsAwaited = true; // a web font draws the values at its own widths once it is in
    document.fonts.ready.then(() => { fontsAwaited = false; fitValues(figures()); });
  }
}
let fontsAwaited = false;
// This script loads async: it may mount a figure before the page's stylesheets are in, and
// measure its values in the browser's default face. Once the page has loaded, again.
addEventListener("load", () => fitValues(figures()), { once: true });

function changed(root) {
  const params = readControls(root.querySelector(".vw-controls"));
  writeURL(root, params);
  followStep(root, params); // a guide's step the reader has moved away from says so
  show(root, params);
}

// Controls answer as soon as either the table or Python can: the first time, a shared link's
// values (if they survive checking) replace the static figure's, and a guide's step's.
function becomeInteractive(root) {
  const form = root.querySelector(".vw-controls");
  const first = form.querySelector("fieldset").disabled;
  form.querySelector("fieldset").disabled = false;
  if (first && applyURL(root, form)) {
    root.vw.keepLink = !root.vw.step; // a step reached already came before the link's values
    show(root, readControls(form), { fromURL: true });
  } else if (first) applyStep(root);
  showProseControls(root);
}

function goLive(root) {
  if (root.dataset.status === "error") return;
  root.dataset.status = "live";
  becomeInteractive(root);
  if (!window.visualEssay.firstLive) {
    window.visualEssay.firstLive = performance.now();
    performance.mark("vw-first-live");
  }
  const params = readControls(root.querySelector(".vw-controls"));
  if (root.vw.waiting) request(root, params);
  warm(root, params, layoutShown(root)); // ahead of the reader's first touch
}

// The scene for these values: from the table in this same frame if it has them, else from
// Python (now, or when it is ready: meanwhile the figure says it is waiting).
function show(root, params, { fromURL = false } = {}) {
  const state = root.vw;
  state.seq += 1;
  showProseControls(root);
  // From the table, else from the scenes Python computed lately (a value the reader came back to).
  const layout = layoutShown(root);
  const fromTable = tableScene(root, params);
  const scene = fromTable ? oneLayout(fromTable, layout) : recall(state, params, layout);
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
    state.layout = layout;
    const t0 = performance.now();
    root.dataset.status = pythonLive ? "live" : "table";
    draw(root, scene);
    announce(root, t0, fromTable ? "table" : "recent");
  } else if (pythonLive) request(root, params, { fromURL });
  else {
    state.waiting = true;
    showWaiting(root);
  }
}

// Latest value wins: while one compute runs, newer inputs overwrite a single pending slot. A
// reply older than a scene the table drew since is dropped.
function request(root, params, { fromURL = false, seq = root.vw.seq } = {}) {
  const state = root.vw;
  if (state.busy) { state.pending = { params, fromURL, seq }; return; }
  state.busy = true;
  const t0 = performance.now();
  const layout = layoutShown(root);
  compute(root.dataset.widget, params, layout).then((reply) => {
    const arrived = performance.now();
    if (reply.error && fromURL) resetControls(root, root.querySelector(".vw-controls"));
    else if (reply.error) showError(root, reply.error);
    else {
      const scene = JSON.parse(reply.scene);
      const parsed = performance.now();
      remember(state, params, layout, scene);
      if (seq > state.drawnSeq) {
        state.params = params;
        state.layout = layout;
        state.waiting = false;
        state.drawnSeq = seq;
        root.dataset.status = "live";
        const drawing = performance.now();
        draw(root, scene);
        // Where the time went (bench/): the trip to the worker and back (less Python's share,
        // in the worker), of it the request's way there and the reply's way back (the two
        // threads' clocks agree: both count from the epoch), Python, the scene's JSON parsed,
        // the figure drawn.
        const clock = (t) => performance.timeOrigin + t;
        announce(root, t0, "python", { tripMs: arrived - t0 - reply.ms, pythonMs: reply.ms,
          thereMs: reply.at[0] - clock(t0), backMs: clock(arrived) - reply.at[1],
          parseMs: parsed - arrived, drawMs: performance.now() - drawing });
        keepLayout(root); // the reader's width changed while Python computed
      }
    }
    state.busy = false;
    const next = state.pending;
    state.pending = null;
    if (next && next.seq > state.drawnSeq) request(root, next.params, next);
  });
}

// The layout the figure's panels show now, "wide" or "narrow": the stylesheet decides, by the
// width of the figure's column (--vw-layout on its SVGs). Python computes only that one (a
// panel's second layout costs up to half of a widget's compute); the page's tables hold both.
const layoutShown = (root) => {
  const svg = root.querySelector(".vw-panels > svg");
  return (svg && getComputedStyle(svg).getPropertyValue("--vw-layout").trim()) || null;
};

// A figure drawn with one layout is drawn again when the reader's width wants the other (a
// phone turned, a window resized).
const widthWatcher = new ResizeObserver((entries) => {
  for (const entry of entries) keepLayout(entry.target.closest("figure.vw"));
});

function keepLayout(root) {
  const state = root?.vw;
  if (state?.layout && layoutShown(root) !== state.layout) show(root, state.params);
}

// A table's scene (both layouts) as Python gives it for one (testing.shown_at): drawn the same
// way, a figure's changed panels are replaced whichever answered (figure.js's drawPanels).
const oneLayout = (scene, layout) => (layout ? { ...scene, panels: scene.panels.map((p) =>
  ({ ...p, ...(layout === "narrow" ? p.narrow : null), narrow: null })) } : scene);

// The scenes Python computed last for a figure, by their values and layout (a widget's compute
// is pure): a value the reader returns to, dragging back and forth, needs no trip to the worker.
const RECENT = 32;

function remember(state, params, layout, scene) {
  const key = JSON.stringify([params, layout]);
  state.recent.delete(key); // the newest last: the Map's first entry is the oldest
  state.recent.set(key, scene);
  if (state.recent.size > RECENT) state.recent.delete(state.recent.keys().next().value);
}

function recall(state, params, layout) {
  const key = JSON.stringify([params, layout]), scene = state.recent.get(key);
  if (!scene) return null;
  state.recent.delete(key);
  state.recent.set(key, scene);
  return scene;
}
