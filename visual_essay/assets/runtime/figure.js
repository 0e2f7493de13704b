// ---- figure.js: one figure: a scene drawn, or a message -----------------------------------------
// A scene drawn into its figure (alt text, readouts, panels; announced as vw:drawn), and the
// messages a figure shows instead (waiting for Python, an error).
// Uses: the renderer (panelSVG, esc), motion (setupMotion, hideMotion), prose (showValues,
// staleValues, say), data (showData), the bridge (ready,
// pythonFailed, savingData), the page (fromFile).

function draw(root, scene) {
  root.classList.remove("vw-waiting");
  root.querySelector(".vw-message").hidden = true;
  root.querySelector(".vw-figure").setAttribute("aria-label", scene.alt);
  const readouts = root.querySelector(".vw-readouts");
  // Each value as wide as its widest in the figure's table (the build's --vw-readout-<i>).
  const html = scene.readouts.map((r, i) => `<div><dt>${esc(r.label)}</dt>`
    + `<dd style="--vw-min:var(--vw-readout-${i})">${esc(r.text)}</dd></div>`).join("");
  if (readouts.innerHTML !== html) readouts.innerHTML = html;
  root.vw.scene = scene;
  showValues(root, scene);
  if (root.vw.sayAlt) { root.vw.sayAlt = false; say(scene.alt); }
  if (scene.frames) setupMotion(root, scene);
  else {
    hideMotion(root);
    drawPanels(root, scene, null);
  }
  showData(root);
}

// Each value (a slider's, a readout's) keeps the width of its widest text as this page draws it,
// its font measured: the build's estimate, in em, holds until then. No value a control reaches
// moves what follows it, and none leaves a hole after it (the build names the widest few).
// All the figures given are measured in one layout of the page: each layout of a long page costs.
function fitValues(roots) {
  const values = roots.flatMap(valuesOf);
  const probes = values.map(({ el, texts }) => texts.map((text) => {
    const probe = el.cloneNode(false);
    probe.removeAttribute("id");
    probe.removeAttribute("style");
    Object.assign(probe.style, { position: "absolute", visibility: "hidden", minWidth: "0",
      whiteSpace: "nowrap" });
    probe.textContent = text;
    el.after(probe);
    return probe;
  }));
  const widths = probes.map((some) => Math.max(0, ...some.map((p) => p.getBoundingClientRect()
    .width)));
  probes.flat().forEach((probe) => probe.remove());
  values.forEach(({ keep }, k) => widths[k] && keep(`${Math.ceil(widths[k])}px`)); // 0: not drawn
}

// A figure's values: each with its widest texts and how it keeps a width.
function valuesOf(root) {
  const list = root.querySelector(".vw-readouts[data-widest]");
  const values = [...root.querySelectorAll("output[data-widest]")].map((el) => ({ el,
    texts: JSON.parse(el.dataset.widest), keep: (px) => { el.style.minWidth = px; } }));
  if (list) {
    const shown = list.querySelectorAll("dd");
    JSON.parse(list.dataset.widest).forEach((texts, i) => shown[i] && values.push({ el: shown[i],
      texts, keep: (px) => list.style.setProperty(`--vw-readout-${i}`, px) }));
  }
  return values;
}

// Each panel, and its narrow layout after it when it has one (the stylesheet shows one of the
// two, as for the build's SVGs: figure.render_svgs). Only the panels whose data changed since
// the last draw are replaced, each whole: a control that moves one panel leaves the others' SVG
// in place. (Patching a changed panel's elements one by one instead cost more in script than it
// saved in layout: bench/, input to drawn.)
function drawPanels(root, scene, frame) {
  const box = root.querySelector(".vw-panels");
  const svg = (p) => (p.narrow ? panelSVG(p, frame, "wide") + panelSVG(p, frame, "narrow")
    : panelSVG(p, frame));
  const now = scene.panels.map((p) => ({ key: `${frame}:${JSON.stringify(p)}`,
    count: p.narrow ? 2 : 1 }));
  const before = root.vw.drawnPanels; // what the box holds; none: the build's SVG
  root.vw.drawnPanels = now;
  if (!before || before.length !== now.length
      || box.children.length !== before.reduce((n, p) => n + p.count, 0)) {
    box.innerHTML = scene.panels.map(svg).join("");
    return;
  }
  const nodes = [...box.children];
  let at = 0;
  scene.panels.forEach((p, i) => {
    if (now[i].key !== before[i].key) {
      const fresh = document.createElement("template");
      fresh.innerHTML = svg(p);
      nodes[at].before(fresh.content);
      nodes.slice(at, at + before[i].count).forEach((node) => node.remove());
    }
    at += before[i].count;
  });
}

// Each drawn scene is announced, with where it came from and what it took (bench/ reads it).
function announce(root, t0, source, parts = {}) {
  const ms = performance.now() - t0;
  window.visualEssay.drawTimes.push(ms);
  root.dispatchEvent(new CustomEvent("vw:drawn", { detail: { ms, source, ...parts } }));
}

function showWaiting(root) {
  const box = root.querySelector(".vw-message");
  box.setAttribute("role", "status");
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
  staleValues(root);
  root.querySelector(".vw-figure").setAttribute("aria-label",
    "Waiting: the figure below still shows the previous values. " + box.textContent);
}

// The same words whether the table or live Python met the error; announced at once (an alert,
// where waiting is a polite status), and the figure's label says what its picture still shows.
function showError(root, message) {
  root.dataset.status = "error";
  root.classList.remove("vw-waiting");
  const box = root.querySelector(".vw-message");
  box.textContent = `This figure could not be updated: ${message}`;
  box.setAttribute("role", "alert");
  box.hidden = false;
  staleValues(root);
  root.querySelector(".vw-figure").setAttribute("aria-label",
    `Error. ${box.textContent} The figure below still shows the previous values.`);
}
