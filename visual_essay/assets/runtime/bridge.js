// ---- bridge.js: the worker bridge, page side ----------------------------------------------------
// Starts the one Python worker per visit (or adopts the one the build's starter in <head> already
// started), says when Python is live or could not load, and sends the worker compute requests.
// Uses: the page (script, fromFile, figures, goLive), the figure (showWaiting), notices
// (showNotice). The other side is worker.js.

let worker = null;
let ready = null; // resolves when Python can compute, rejects with a reason to show readers
let pythonLive = false;
let pythonFailed = false;
let nextId = 0;
const replies = new Map();

// A reader who asked to save data (or is on a slow connection) gets the tables and a button,
// not an automatic 16 MB download. The build's early start in <head> asks the same question.
function savingData() {
  const c = navigator.connection;
  return Boolean(c && (c.saveData || ["slow-2g", "2g", "3g"].includes(c.effectiveType)));
}

function startRuntime() {
  if (ready) return ready;
  if (fromFile) {
    ready = Promise.reject(new Error("file"));
  } else {
    // On pages with widgets the build already started the worker from <head> (starter.html),
    // buffering what it said before this script ran.
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

// Each live figure's widget computed in the worker before a reader touches it, at its values
// and at the first steps a reader's slider would take (registry.warm's moves, the answers
// dropped): the first answers a reader waits for then run in compiled code, with the module
// imported (the browser compiles Python's and numpy's WebAssembly as it first runs, and
// optimises what runs often). One compute at a time, in idle time, never while a reader's
// answer is on its way or was just asked for; a figure whose computes are slow (not drawn
// within a frame anyway) stops after WARM_BUDGET ms of them.
const WARM_MOVES = 8;
const WARM_BUDGET = 200;
const toWarm = []; // one entry per figure: { root, params, layout, move, spent }
let lastAsked = -Infinity;

function warm(root, params, layout) {
  toWarm.push({ root, params, layout, move: 0, spent: 0 });
  window.visualEssay.warming = toWarm.length;
  if (toWarm.length === 1) whenIdle(warmNext);
}

function warmNext() {
  if (replies.size || performance.now() - lastAsked < 500) {
    setTimeout(warmNext, 250);
    return;
  }
  // Figures the reader has navigated away from (instant navigation) need no warming.
  while (toWarm.length && !toWarm[0].root.isConnected) toWarm.shift();
  window.visualEssay.warming = toWarm.length;
  if (!toWarm.length) return;
  const id = nextId++, figure = toWarm[0];
  replies.set(id, ({ ms }) => {
    figure.move += 1;
    figure.spent += ms;
    if (figure.move === WARM_MOVES || figure.spent > WARM_BUDGET) toWarm.shift();
    window.visualEssay.warming = toWarm.length;
    if (toWarm.length) whenIdle(warmNext);
  });
  const { root, params, layout, move } = figure;
  worker.postMessage({ type: "warm", id, widget: root.dataset.widget, params, layout, move });
}

const whenIdle = (task) => (self.requestIdleCallback
  ? requestIdleCallback(task, { timeout: 2000 }) : setTimeout(task, 200));

// layout: only the one the figure shows, "wide" or "narrow" (registry.compute_json); none: both.
function compute(widget, params, layout = null) {
  return startRuntime().then(() => new Promise((resolve) => {
    const id = nextId++;
    replies.set(id, resolve);
    lastAsked = performance.now();
    worker.postMessage({ type: "compute", id, widget, params, layout });
  }));
}
