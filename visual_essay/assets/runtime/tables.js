// ---- tables.js: the table of precomputed scenes -------------------------------------------------
// The page's table of precomputed scenes (made by tables.py): loading its script, looking a
// scene up by its key, and snapping a slider to the table's grid until Python is live.
// Uses: the page (show, becomeInteractive), the bridge (pythonLive), controls (kindOf: each
// kind's key; readControls).

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
  return [...root.querySelectorAll(".vw-controls [data-kind]")]
    .map((el) => kindOf(el).key(el, params[el.name])).join(",");
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
