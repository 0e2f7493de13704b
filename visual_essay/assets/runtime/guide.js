// ---- guide.js: guided steps ---------------------------------------------------------------------
// A guide (prose.Guide, a "//// guide" block) keeps its figure in view while the reader scrolls
// through its steps; the step that reaches the middle of the screen sets the figure to its values
// (from the page's table, so before Python and from file:// too). A reader who moves a control
// keeps what they chose until the next step is reached: steps never fight the reader. Each step
// is a normal paragraph; the figure's change is read out politely. In print and without
// JavaScript every step shows its own build-time figure (the stylesheet hides those once live).
// Uses: controls (kindOf, readControls), the page (show).

const stepWatcher = new IntersectionObserver((entries) => {
  for (const entry of entries) if (entry.isIntersecting) reachStep(entry.target);
}, { rootMargin: "-45% 0px -45% 0px" }); // a band across the middle of the screen

// Called as the parser adds the page (and after each instant navigation): a guide's figure may
// be mounted before its last steps have arrived, so each step is watched as it comes.
function mountGuides() {
  for (const guide of document.querySelectorAll(".vw-guide")) {
    if (!guide.querySelector("figure.vw")?.vw) continue;
    guide.classList.add("vw-guide-live");
    for (const step of guide.querySelectorAll(".vw-step")) {
      if (step.vwWatched) continue;
      step.vwWatched = true;
      stepWatcher.observe(step);
    }
  }
}

function reachStep(step) {
  const root = document.querySelector(`figure.vw[data-key="${step.dataset.figure}"]`);
  if (!root?.vw || root.vw.step === step) return;
  root.vw.step = step;
  for (const other of document.querySelectorAll(`.vw-step[data-figure="${root.dataset.key}"]`)) {
    other.classList.toggle("vw-step-active", other === step);
  }
  applyStep(root);
}

// The figure set to its current step's values, once its controls answer (becomeInteractive
// calls this again when the table arrives after the step was reached).
function applyStep(root) {
  const step = root.vw.step;
  const form = root.querySelector(".vw-controls");
  if (!step || form.querySelector("fieldset").disabled) return;
  const values = JSON.parse(step.dataset.params);
  for (const el of form.querySelectorAll("[data-kind]")) kindOf(el).set(el, values[el.name]);
  readControls(form); // each control shows its new value (a slider's <output>)
  root.vw.sayAlt = true; // the figure's new text alternative is read out once it is drawn
  show(root, values);
}
