// ---- guide.js: guided steps ---------------------------------------------------------------------
// A guide (prose.Guide, a "//// guide" block) keeps its figure in view while the reader scrolls
// through its steps; the step that reaches the middle of the screen sets the figure to its values
// (from the page's table, so before Python and from file:// too). A reader who moves a control
// keeps what they chose until the next step is reached: steps never fight the reader. Each step
// is a normal paragraph; the figure's change is read out politely. In print and without
// JavaScript every step shows its own build-time figure (the stylesheet hides those once live).
// Uses: controls (kindOf, readControls), the page (show).

// A step is reached when its text's first line rises past a line just below the middle of the
// part of the screen steps are read in (all of it, or what the figure's controls and caption
// leave below them: fitGuide); a little later where its text would then end off the screen (the
// eleventh graphics desk: reached with its last line 38-51 px below an 800-px screen), but by the
// time it is at the middle (the twelfth: a step read at the middle while the figure still
// showed the step before), so a text longer than half that part still runs past; and as soon as
// its text is whole on the screen once the step before's has gone under the pinned block (the
// thirteenth: the figure kept a step whose text was hidden while the next one's was whole on
// the screen), the first step once its text is whole (the fourteenth: the figure as built
// beside the first step's whole text for 140 px of scroll, its block not yet pinned). Each frame
// the reader scrolls, a guide in view is at the last step so reached: a jump past several lines
// lands on the right step (the twelfth desk: an observer's band could be jumped over).
const READ_PAD = 16; // px kept clear between a reached step's text and the screen's foot
function watchSteps(root, readFrom) {
  root.vw.readFrom = readFrom;
  for (const step of root.parentElement.querySelectorAll(".vw-step")) {
    if (step.vwWatched) placeLine(root, step);
  }
  followScroll();
}

// A step's text may arrive after it is mounted, or rewrap when a web font arrives.
const stepSizes = new ResizeObserver((entries) => {
  for (const { target } of entries) {
    const root = document.querySelector(`figure.vw[data-key="${target.dataset.figure}"]`);
    if (root?.vw) placeLine(root, target);
  }
  followScroll();
});

// Where the step's top is when it is reached (from the screen's top), and its text's offset.
function placeLine(root, step) {
  const readFrom = root.vw.readFrom ?? 0, room = innerHeight - readFrom;
  const text = [...step.children].filter((c) => !c.matches(".vw-step-figure, .vw-step-back"));
  const box = step.getBoundingClientRect();
  const top = text.length ? text[0].getBoundingClientRect().top - box.top : 0;
  const height = text.length ? text[text.length - 1].getBoundingClientRect().bottom - box.top - top
    : 0;
  step.vwLine = Math.max(readFrom + 0.5 * room,
    Math.min(readFrom + 0.55 * room, innerHeight - READ_PAD - height)) - top;
  step.vwTextEnd = top + height;
}

let scrollFrame = 0;
function followScroll() {
  if (scrollFrame) return;
  scrollFrame = requestAnimationFrame(() => {
    scrollFrame = 0;
    for (const root of guidedFigures) {
      const guide = root.parentElement.getBoundingClientRect();
      if (!root.isConnected || guide.bottom < 0 || guide.top > innerHeight) continue;
      // where the step before's text ends: none before the first, reached once its text is whole
      let at = null, textEnd = -Infinity;
      for (const step of root.parentElement.querySelectorAll(".vw-step")) {
        if (step.vwLine === undefined) continue;
        const top = step.getBoundingClientRect().top;
        const whole = top + step.vwTextEnd <= innerHeight; // its text all on the screen
        if (top <= step.vwLine || (textEnd <= root.vw.readFrom && whole)) at = step;
        textEnd = top + step.vwTextEnd;
      }
      if (at) reachStep(at);
    }
  });
}
addEventListener("scroll", followScroll, { passive: true });

// Called as the parser adds the page (and after each instant navigation): a guide's figure may
// be mounted before its last steps have arrived, so each step is watched as it comes.
function mountGuides() {
  for (const guide of document.querySelectorAll(".vw-guide")) {
    const root = guide.querySelector("figure.vw");
    if (!root?.vw) continue;
    if (!guide.classList.contains("vw-guide-live")) {
      guide.classList.add("vw-guide-live");
      mountFold(root);
    }
    for (const step of guide.querySelectorAll(".vw-step")) {
      if (step.vwWatched) continue;
      step.vwWatched = true;
      placeLine(root, step);
      stepSizes.observe(step);
      mountStepBack(step, root);
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
// calls this again when the table arrives after the step was reached). A shared link's values
// are the reader's choice: the first step reached after them keeps them (page.js sets
// keepLink), so they are seen before the next step replaces them.
function applyStep(root) {
  const step = root.vw.step;
  const form = root.querySelector(".vw-controls");
  if (!step || form.querySelector("fieldset").disabled) return;
  if (root.vw.keepLink) {
    root.vw.keepLink = false;
    followStep(root, readControls(form));
    return;
  }
  const values = JSON.parse(step.dataset.params);
  for (const el of form.querySelectorAll("[data-kind]")) kindOf(el).set(el, values[el.name]);
  readControls(form); // each control shows its new value (a slider's <output>)
  root.vw.sayAlt = true; // the figure's new text alternative is read out once it is drawn
  followStep(root, values);
  show(root, values);
}

// A reader who moves a control (a new sample too) leaves the current step's setting: its
// sentences no longer describe the figure, so they say so (dimmed) and offer the way back, a
// button that sets the step's values again. Moving back to them by hand returns as well.
function followStep(root, params) {
  const step = root.vw.step;
  const wanted = step && JSON.parse(step.dataset.params);
  const left = !!step && Object.keys(wanted).some((name) =>
    String(params[name]) !== String(wanted[name]));
  for (const other of document.querySelectorAll(`.vw-step[data-figure="${root.dataset.key}"]`)) {
    other.classList.toggle("vw-step-left", left && other === step);
  }
}

// Every step's way back is there from the start (hidden, not absent, until its step is left):
// showing it moves nothing on the page.
function mountStepBack(step, root) {
  const back = document.createElement("button");
  back.type = "button";
  back.className = "vw-step-back";
  back.textContent = "Show this step again";
  back.addEventListener("click", () => {
    if (root.vw.step === step) applyStep(root);
  });
  step.append(back);
}

// ---- a guided figure fits the screen ------------------------------------------------------------
// Beside its steps it stays in view, so it must fit on the screen, and a control must be on the
// screen with the panels it changes. Its controls wait at the top of the steps' column, beside
// it, while the steps scroll by under them (unless they would take more than MOST_BESIDE of the
// screen's height: a step must reach the middle of the screen in sight). Where the figure would
// still not fit, its caption and data fold behind a button (then its readouts too), and the
// reader can open them; the caption is then shown at the head of the steps' column. A figure
// still taller than the screen (or opened) rests with its bottom at the screen's bottom rather
// than running off it. On a phone there is no room beside the
// steps: the figure stays above them, not pinned, and each step shows its own (the stylesheet).
const narrowScreen = matchMedia("(max-width: 59.99em)");
const MOST_BESIDE = 0.4;
const MOST_PINNED = 2 / 3; // controls and caption over the steps: a third is left to read them
const guidedFigures = new Set();
const refit = () => guidedFigures.forEach(fitGuide);
addEventListener("resize", refit);
narrowScreen.addEventListener("change", refit);
// Anything may make it taller or shorter after it is mounted: a new scene, readouts, a web font
// arriving late and rewrapping the caption. Folding changes its height too, but fitGuide ends in
// the same state for the same figure, so the observer is not woken again.
const heightWatcher = new ResizeObserver((entries) => {
  for (const entry of entries) fitGuide(entry.target.closest("figure.vw"));
});

function mountFold(root) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "vw-unfold";
  button.setAttribute("aria-expanded", "false");
  button.addEventListener("click", () => {
    root.vw.unfolded = !root.vw.unfolded;
    fitGuide(root);
  });
  root.insertBefore(button, root.querySelector(".vw-message")); // after all that stays shown
  // Folded, the caption is still read beside the figure: a copy leads the steps' column (the
  // stylesheet shows it then). The figure's own is read out with it, so the copy is inert.
  const lead = document.createElement("div");
  lead.className = "vw-guide-caption";
  lead.inert = true;
  lead.setAttribute("aria-hidden", "true");
  lead.append(...[...root.querySelector("figcaption").childNodes].map((n) => n.cloneNode(true)));
  root.after(lead);
  guidedFigures.add(root);
  fitGuide(root); // now, so the figure is never seen unfolded first
  heightWatcher.observe(root);
  heightWatcher.observe(root.querySelector(".vw-controls")); // beside, out of the figure's height
}

function fitGuide(root) {
  if (!root.isConnected) {
    guidedFigures.delete(root);
    return;
  }
  root.classList.remove("vw-beside", "vw-folded", "vw-folded-more", "vw-foldable",
    "vw-caption-pinned");
  const guide = root.parentElement; // its properties reach the caption leading the steps too
  guide.style.removeProperty("--vw-sticky-top");
  guide.style.removeProperty("--vw-guide-tail");
  if (narrowScreen.matches) {
    watchSteps(root, 0);
    return;
  }
  const top = parseFloat(getComputedStyle(root).top) || 0;
  const room = innerHeight - top;
  const beside = placeControlsBeside(root, room);
  const foldable = root.offsetHeight > room;
  const folded = foldable && !root.vw.unfolded;
  root.classList.toggle("vw-foldable", foldable);
  root.classList.toggle("vw-folded", folded);
  root.classList.toggle("vw-folded-more", folded && root.offsetHeight > room);
  // Folded beside its steps, its caption stays with its controls, over the steps scrolling by,
  // where both leave a third of the screen to read them in; else it leads the steps and
  // scrolls away with the first.
  const lead = root.nextElementSibling;
  const pinned = folded && beside && lead?.classList.contains("vw-guide-caption")
    && root.querySelector(".vw-controls").offsetHeight + lead.offsetHeight <= MOST_PINNED * room;
  root.classList.toggle("vw-caption-pinned", pinned);
  const button = root.querySelector(".vw-unfold");
  button.setAttribute("aria-expanded", String(!!root.vw.unfolded));
  // What the button opens besides the caption, which leads the steps while folded.
  const opens = new Intl.ListFormat("en").format([!beside && "controls",
    root.classList.contains("vw-folded-more") && "readouts", "data"].filter(Boolean));
  button.textContent = opens[0].toUpperCase() + opens.slice(1);
  const over = root.offsetHeight - room;
  if (over > 0) { // still too tall (or opened by the reader)
    guide.style.setProperty("--vw-sticky-top", `${innerHeight - root.offsetHeight}px`);
  }
  guide.style.setProperty("--vw-beside-top", `${Math.max(0, over)}px`); // at the screen's top
  // Steps are reached in the middle of what the pinned controls and caption leave (and the
  // strip under them that hides a cut line); beside the figure, what its controls leave.
  const form = root.querySelector(".vw-controls");
  const under = (el, top) => top + el.offsetHeight
    + parseFloat(getComputedStyle(el, "::after").height);
  watchSteps(root, pinned ? under(lead, parseFloat(getComputedStyle(lead).top))
    : beside ? under(form, parseFloat(getComputedStyle(root).top) + form.offsetTop) : 0);
  // Room after the last step: centred on the screen, it ends no higher than the figure's foot.
  const steps = guide.querySelectorAll(".vw-step");
  const last = steps[steps.length - 1];
  if (last) {
    const foot = parseFloat(getComputedStyle(root).top) + root.offsetHeight;
    const tail = Math.ceil(foot - (innerHeight + last.offsetHeight) / 2);
    guide.style.setProperty("--vw-guide-tail", `${Math.max(0, tail)}px`);
  }
}

// The controls beside the figure, over the first step and as wide (their text where its text
// is); false where they would take too much of the screen.
function placeControlsBeside(root, room) {
  const step = root.parentElement.querySelector(".vw-step");
  if (!step) return false;
  const form = root.querySelector(".vw-controls");
  const column = step.getBoundingClientRect();
  const style = getComputedStyle(step);
  root.style.setProperty("--vw-beside-left",
    `${column.left - root.getBoundingClientRect().left - root.clientLeft}px`);
  root.style.setProperty("--vw-beside-width", `${column.width}px`);
  root.style.setProperty("--vw-beside-indent",
    `${parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft)}px`);
  root.classList.add("vw-beside");
  if (form.offsetHeight > MOST_BESIDE * room) {
    root.classList.remove("vw-beside");
    return false;
  }
  const height = form.getBoundingClientRect().height; // not offsetHeight: whole pixels
  root.parentElement.style.setProperty("--vw-beside-height", `${height}px`);
  return true;
}
