// ---- tables.js: the table of precomputed scenes -------------------------------------------------
// Each figure's table of precomputed scenes (made by tables.py): loading its script (the page's
// first by itself), looking a scene up by its key, and snapping a slider to the table's grid
// until Python is live.
// Uses: the page (show, becomeInteractive), the bridge (pythonLive), controls (kindOf: each
// kind's key; readControls).

const tablesLoading = new Set();

// After the next frame is painted: the first paint while the page is still arriving (a page of
// figures is large: on a slow connection its end, and DOMContentLoaded, come seconds later).
function afterFirstPaint(fn) {
  requestAnimationFrame(() => setTimeout(fn, 0));
}

// Each figure has its own table. The page's first loads by itself, and before it the part of it
// a reader reaches first (``first``, "#id" of the element before the figure that holds it: the
// figure's own scene, each control moved one place, the guide's steps): on a slow connection
// the first figure a reader meets answers from what came with the page, not after a request
// for its whole table, let alone the page's. The others follow together, in reading order.
let firstTable = null; // the page's first table loading, or loaded

function loadTable(src, first = "") {
  const url = new URL(src, location.href).href;
  if (tablesLoading.has(url)) return;
  tablesLoading.add(url);
  const part = first && document.getElementById(first.slice(1));
  if (firstTable) firstTable.then(() => tableScript(url));
  else if (part) {
    addTables(JSON.parse(part.textContent));
    firstTable = Promise.resolve();
    tableScript(url);
  } else firstTable = tableScript(url);
}

// After an instant navigation, the new page's first table is again the first.
function newPageTables() {
  firstTable = null;
}

// A script, not fetch(): it loads from file:// too. It calls addTables. Settles when it ran or
// failed (a missing table leaves the figure to Python).
function tableScript(url) {
  return new Promise((resolve) => {
    const tag = document.createElement("script");
    tag.src = url;
    tag.async = true;
    tag.onload = tag.onerror = () => resolve();
    document.head.append(tag);
  });
}

function addTables(tables) {
  for (const [key, table] of Object.entries(tables)) {
    const root = document.querySelector(`figure.vw[data-key="${key}"]`);
    // (a figure's whole table replaces the part of it that came first, never the other way)
    if (!root || !root.vw || (root.vw.table && (table.part || !root.vw.table.part))) continue;
    const had = !!root.vw.table;
    root.vw.table = table;
    if (!had && !pythonLive && root.dataset.status !== "error") {
      root.dataset.status = "table";
      becomeInteractive(root);
    }
    if (root.vw.waiting) show(root, readControls(root.querySelector(".vw-controls")));
  }
}

// The key both sides compute: one whole number per control, in declaration order.
function tableKey(root, params) {
  return [...root.querySelectorAll(".vw-controls [data-kind]")]
    .map((el) => kindOf(el).key(el, params[el.name])).join(",");
}

function tableScene(root, params) {
  const table = root.vw.table;
  const at = table && table.index[tableKey(root, params)];
  if (at === undefined || at === null) return null;
  const stored = parsed(table.scenes, at);
  const marks = (p) => ({ ...p, marks: p.marks.map((i) => parsed(table.marks, i)) });
  return { ...stored, panels: stored.panels.map((p) => ({ ...marks(p),
    narrow: p.narrow && p.narrow.marks ? marks(p.narrow) : p.narrow })) };
}

// Scenes and marks arrive as JSON text and are parsed the first time they are shown.
function parsed(list, i) {
  if (typeof list[i] === "string") list[i] = JSON.parse(list[i]);
  return list[i];
}

// Until Python is live a slider moves along the table's grid: one grid step per key press (so
// the arrows never get stuck), the nearest grid value when dragged. Distances are counted in the
// control's positions (its table key): a Stops slider's are not its values'.
function snapToTable(root, el) {
  const grid = root.vw.table?.grids[el.name];
  if (!grid) return;
  const kind = kindOf(el), at = (v) => kind.key(el, v);
  const value = kind.read(el), last = el.vwLast ?? root.vw.params[el.name];
  let snapped = grid.reduce((a, b) => (Math.abs(at(b) - at(value)) < Math.abs(at(a) - at(value))
    ? b : a));
  if (Math.abs(at(value) - at(last)) <= 1 && snapped === last && value !== last) {
    const i = grid.indexOf(last);
    snapped = grid[Math.min(grid.length - 1, Math.max(0, i + Math.sign(at(value) - at(last))))]
      ?? last;
  }
  kind.set(el, snapped);
  el.vwLast = snapped;
}
