// ---- visual-essay.js: built by visual_essay/runtime.py from assets/runtime/ (edit those)
//
// One file, nothing specific to any widget.
// In the page, it finds the widget figures the build wrote (static SVG, disabled controls). Right
// after the first paint it loads the page's table of precomputed scenes, and the controls answer
// from it at once; meanwhile one Web Worker starts Python, and once it is ready every control
// answers in Python too, for any value. Each scene, from either, is drawn as SVG. In the worker
// (this same file), it loads Pyodide and numpy once, imports the widget package and answers
// compute requests.
//
// The parts follow in one scope, in the order runtime.py declares: each names what it uses from
// the others. Only the worker part runs in the worker: there the file returns before the page's
// parts, whose const bindings are never initialized (the worker uses function declarations only).
(() => {
  "use strict";
  const CONFIG = /*CONFIG*/null; // written by the build: Pyodide URL and integrity, widget bundle

  if (typeof document === "undefined") return workerMain();
  if (window.visualEssay) return window.visualEssay.mountAll(); // instant navigation re-ran us

/*PARTS*/
})();
