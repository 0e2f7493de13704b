// ---- start.js: window.visualEssay, and mounting -------------------------------------------------
// What the runtime offers the page (window.visualEssay: the table scripts call addTables; tests
// and bench/ read the rest), then figures mounted as the parser adds them.
// Uses: the page (mountAll), the bridge, tables (addTables, newPageTables), the renderer and
// marks (what it offers), math (typesetMath). The last part that runs in the page: everything
// it calls is defined by then.

window.visualEssay = { mountAll, compute, startRuntime, addTables, drawTimes: [],
  firstLive: null, warming: 0, warmMoves: WARM_MOVES, markKinds: Object.keys(MARKS),
  layout: { ...LAYOUT, SHAPES },
  // A panel as the runtime draws it (frame: a motion frame or null; variant: wide or narrow).
  renderPanel: (p, frame = null, variant = "wide") => panelSVG(p, frame, variant),
  // A scene drawn into a placed figure, as if Python had answered (the contract tests' way to
  // look at any values without Python).
  drawScene: (root, scene) => draw(root, scene) };

// On pages with widgets the worker is already starting (the build's starter in <head>):
// listen to it now, so a failure shows its notice even before a widget is near.
if (window.visualEssayWorker) startRuntime().catch(() => {});

// This script is async in <head>: mount figures as the parser adds them (the first one starts
// Python as soon as it is laid out near the viewport), then after each of Material's instant
// navigations (document$, defined by Material's bundle at the end of <body>; it does not emit
// from file://, hence the direct calls).
const pageReady = () => { newPageTables(); mountAll(); typesetMath(); };
if (document.readyState === "loading") {
  const parsing = new MutationObserver(mountAll);
  parsing.observe(document.documentElement, { childList: true, subtree: true });
  mountAll(); // what the parser added before this script ran (more may not come for a while)
  document.addEventListener("DOMContentLoaded", () => {
    parsing.disconnect();
    pageReady();
    window.document$?.subscribe(pageReady);
  });
} else {
  pageReady();
  window.document$?.subscribe(pageReady);
}
