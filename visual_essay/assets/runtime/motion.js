// ---- motion.js: scenes with frames --------------------------------------------------------------
// A scene with frames plays in the page (no Python per frame). Its bar (a play/pause button and a
// frame slider) is the build's, inside the figure's controls: disabled with them until the figure
// can answer, set to the still frame the static figure shows (the last). A new sample plays once
// through and stops on that frame (readers who prefer reduced motion get the still frame, and
// play it when they choose); any other touch keeps the frame shown, playing or not. Dragging the
// frame slider shows that frame.
// Uses: the figure (drawPanels), the renderer (esc), the page (show), controls (readControls).

const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");

// The bar markup.py wrote; made here only for a scene whose static figure had no motion.
function motionBar(root, scene) {
  let bar = root.querySelector(".vw-motion");
  if (!bar) {
    bar = document.createElement("div");
    bar.className = "vw-motion";
    const id = `${root.id}-frame`;
    bar.innerHTML = `<button type="button" class="vw-play" aria-pressed="false">Play</button>` +
      `<label for="${id}">${esc(scene.frames.label)}</label>` +
      `<input type="range" id="${id}" min="0" step="1"><output for="${id}"></output>`;
    root.querySelector(".vw-controls fieldset").append(bar);
  }
  return bar;
}

function setupMotion(root, scene) {
  const bar = motionBar(root, scene);
  bar.hidden = false;
  bar.querySelector("label").textContent = scene.frames.label;
  bar.querySelector("input").max = String(scene.frames.count - 1);
  const playing = Boolean(root.vw.timer);
  stopMotion(root);
  const { wantFrame, wantPlay, newSample } = root.vw;
  Object.assign(root.vw, { wantFrame: undefined, wantPlay: false, newSample: false });
  // A new sample plays once through; any other touch keeps the frame the reader is at (the
  // still frame, at first and at the end of a play, stays the still frame whatever the new
  // scene's count of frames) and keeps it playing if it was.
  const replay = newSample && !reducedMotion.matches;
  const kept = root.vw.atStill === false ? root.vw.frame : scene.frames.still;
  showFrame(root, replay ? 0 : Math.min(wantFrame ?? kept, scene.frames.count - 1));
  if (wantPlay || playing || replay) playMotion(root);
}

function hideMotion(root) {
  stopMotion(root);
  const bar = root.querySelector(".vw-motion");
  if (bar) bar.hidden = true;
}

function showFrame(root, frame) {
  const scene = root.vw.scene;
  root.vw.frame = frame;
  root.vw.atStill = frame === scene.frames.still;
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

// Before the first scene is drawn the figure is the build's: the bar asks for the scene of the
// current values (from the table, or Python), then plays it or shows the frame asked for.
function motionRoot(el) {
  const root = el.closest?.("figure.vw");
  return root && root.vw && el.closest(".vw-motion") ? root : null;
}

document.addEventListener("click", (e) => {
  const button = e.target.closest?.(".vw-play");
  const root = button && motionRoot(button);
  if (!root) return;
  if (root.vw.timer) stopMotion(root);
  else if (root.vw.scene?.frames) playMotion(root);
  else {
    root.vw.wantPlay = true;
    show(root, readControls(root.querySelector(".vw-controls")));
  }
});

// Capturing, so the form never sees it: a frame is not a parameter to recompute.
document.addEventListener("input", (e) => {
  const root = e.target.matches?.(".vw-motion input") && motionRoot(e.target);
  if (!root) return;
  e.stopPropagation();
  stopMotion(root);
  if (root.vw.scene?.frames) showFrame(root, Number(e.target.value));
  else {
    root.vw.wantFrame = Number(e.target.value);
    show(root, readControls(root.querySelector(".vw-controls")));
  }
}, true);
