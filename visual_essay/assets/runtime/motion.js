// ---- motion.js: scenes with frames --------------------------------------------------------------
// A scene with frames plays in the page (no Python per frame), with a play/pause button and a
// frame slider added after the figure's controls; readers who prefer reduced motion get the last
// frame, still.
// Uses: the figure (drawPanels), the renderer (esc).

const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");

function setupMotion(root, scene) {
  const count = scene.frames.count;
  let bar = root.querySelector(".vw-motion");
  if (!bar) {
    bar = document.createElement("div");
    bar.className = "vw-motion";
    const id = `${root.id}-frame`;
    bar.innerHTML = `<button type="button" class="vw-play" aria-pressed="false">Play</button>` +
      `<label for="${id}">${esc(scene.frames.label)}</label>` +
      `<input type="range" id="${id}" min="0" step="1"><output for="${id}"></output>`;
    root.querySelector(".vw-controls").after(bar);
    const slider = bar.querySelector("input");
    bar.querySelector("button").addEventListener("click", () =>
      (root.vw.timer ? stopMotion(root) : playMotion(root)));
    slider.addEventListener("input", () => { stopMotion(root); showFrame(root, +slider.value); });
  }
  const slider = bar.querySelector("input");
  slider.max = String(count - 1);
  stopMotion(root);
  if (reducedMotion.matches) showFrame(root, count - 1);
  else { showFrame(root, 0); playMotion(root); }
}

function showFrame(root, frame) {
  const scene = root.vw.scene;
  root.vw.frame = frame;
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
