// ---- prose.js: sentences that follow their figure -----------------------------------------------
// Values quoted in sentences ({=figure.value}: markup.value_element) follow the figure's scene, in
// the frame it is drawn; controls in sentences ({=figure.parameter}) are bound to the figure's own
// control: moving one moves the other, because the figure's form stays the one source of truth
// (URL state, tables and Python all read it). A screen reader hears the sentences that changed
// once the reader settles, not at every step of a drag.
// Uses: controls (kindOf).

const SETTLE_MS = 800; // quiet time after the last change before changed sentences are read out
const quoting = (root, selector) => [...document.querySelectorAll(
  `${selector}[data-figure="${root.dataset.key}"]`)];

// The values of a newly drawn scene, in every sentence that quotes them (a guided step's
// sentences keep their step's values: data-step).
function showValues(root, scene) {
  const changed = [];
  for (const span of quoting(root, ".vw-value:not([data-step])")) {
    span.classList.remove("vw-stale");
    const text = scene.values?.[span.dataset.value];
    if (text === undefined || span.textContent === text) continue;
    span.textContent = text;
    changed.push(span);
  }
  if (changed.length) announceSentences(changed);
}

// While the figure waits for values only Python can compute, the values its sentences quote are
// the last ones drawn, and look it.
function staleValues(root) {
  for (const span of quoting(root, ".vw-value:not([data-step])")) span.classList.add("vw-stale");
}

// ---- controls in sentences ----------------------------------------------------------------------

// Each kind of parameter as a sentence shows it (params.Param.prose_text says the same) and how
// a reader changes it there: a slider is a number dragged sideways or stepped with the arrow
// keys, a toggle a switch, a choice a small select, a seed a button.
const PROSE_KINDS = {
  slider: { // (and a Stops slider: the keys and the drag move its input's position)
    text: (el) => valueText(kindOf(el).read(el),
      el.form.querySelector(`output[for="${el.id}"]`)?.dataset.unit ?? ""),
    mount: (span, el) => {
      span.setAttribute("role", "slider");
      span.tabIndex = 0;
      span.setAttribute("aria-valuemin", el.min);
      span.setAttribute("aria-valuemax", el.max);
      span.addEventListener("keydown", (e) => {
        const steps = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 10,
          PageDown: -10 }[e.key];
        const to = e.key === "Home" ? Number(el.min) : e.key === "End" ? Number(el.max)
          : steps === undefined ? null : Number(el.value) + steps * Number(el.step);
        if (to === null) return;
        e.preventDefault();
        moveControl(el, to);
      });
      dragSideways(span, el);
    },
    aria: (span, el, text) => {
      span.setAttribute("aria-valuenow", el.value);
      span.setAttribute("aria-valuetext", text);
    },
  },
  toggle: {
    text: (el) => (el.checked ? "on" : "off"),
    mount: (span, el) => {
      span.setAttribute("role", "switch");
      span.tabIndex = 0;
      const flip = () => { el.checked = !el.checked; el.dispatchEvent(new Event("input",
        { bubbles: true })); };
      span.addEventListener("click", flip);
      span.addEventListener("keydown", (e) => {
        if (e.key === " " || e.key === "Enter") { e.preventDefault(); flip(); }
      });
    },
    aria: (span, el) => span.setAttribute("aria-checked", String(el.checked)),
  },
  choice: {
    text: (el) => el.value,
    mount: (span, el) => {
      const select = el.cloneNode(true); // the same options, a sentence's own select
      select.removeAttribute("id");
      select.removeAttribute("name");
      select.removeAttribute("data-kind");
      select.className = "vw-prose-select";
      select.setAttribute("aria-label", span.getAttribute("aria-label"));
      select.addEventListener("change", () => moveControl(el, select.value));
      span.replaceChildren(select);
      span.vwSelect = select;
    },
    aria: (span, el) => {
      span.vwSelect.value = el.value;
      span.vwSelect.disabled = el.closest("fieldset").disabled;
    },
  },
  seed: {
    text: (el) => el.textContent,
    mount: (span, el) => {
      span.setAttribute("role", "button");
      span.tabIndex = 0;
      span.addEventListener("click", () => el.click());
      span.addEventListener("keydown", (e) => {
        if (e.key === " " || e.key === "Enter") { e.preventDefault(); el.click(); }
      });
    },
    aria: () => {},
  },
};

PROSE_KINDS.stops = PROSE_KINDS.slider;

// The figure's own control moved, as if the reader had moved it there: a range input to a
// position (clamped to its ends), a select to an option.
function moveControl(el, to) {
  if (el.closest("fieldset").disabled) return; // not yet answering: the build's text stays
  const [min, max] = [Number(el.min), Number(el.max)];
  if (el.type === "range") el.value = String(Math.min(max, Math.max(min, to)));
  else kindOf(el).set(el, to);
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

// A number dragged sideways: the whole range over about 300 pixels, one step at a time.
function dragSideways(span, el) {
  span.addEventListener("pointerdown", (down) => {
    if (down.button !== 0) return;
    down.preventDefault();
    span.setPointerCapture(down.pointerId);
    const start = Number(el.value), step = Number(el.step);
    const perPixel = (Number(el.max) - Number(el.min)) / 300; // few steps: several px each
    const move = (e) => {
      const to = start + Math.round(((e.clientX - down.clientX) * perPixel) / step) * step;
      if (Math.abs(to - Number(el.value)) >= step / 2) moveControl(el, to);
    };
    const up = () => {
      span.removeEventListener("pointermove", move);
      span.removeEventListener("pointerup", up);
      span.removeEventListener("pointercancel", up);
    };
    span.addEventListener("pointermove", move);
    span.addEventListener("pointerup", up);
    span.addEventListener("pointercancel", up);
  });
}

// The sentences' controls of one figure, made live (once) and set from its form.
function mountProseControls(root) {
  const form = root.querySelector(".vw-controls");
  for (const span of quoting(root, ".vw-prose-control")) {
    const el = form.elements.namedItem(span.dataset.param);
    const kind = PROSE_KINDS[span.dataset.kind];
    if (!el || !kind || span.vwMounted) continue;
    span.vwMounted = true;
    span.setAttribute("aria-label", el.labels?.[0]?.textContent || el.textContent || el.name);
    kind.mount(span, el);
  }
  showProseControls(root);
}

// Every sentence control of the figure shows what its form now holds.
function showProseControls(root) {
  const form = root.querySelector(".vw-controls");
  const live = !form.querySelector("fieldset").disabled;
  for (const span of quoting(root, ".vw-prose-control")) {
    const el = form.elements.namedItem(span.dataset.param);
    const kind = PROSE_KINDS[span.dataset.kind];
    if (!el || !kind || !span.vwMounted) continue; // one the parser has added since: next call
    span.classList.toggle("vw-answering", live);
    span.setAttribute("aria-disabled", String(!live));
    const text = kind.text(el);
    if (!span.vwSelect && span.textContent !== text) span.textContent = text;
    kind.aria(span, el, text);
  }
}

// ---- one polite voice for the page --------------------------------------------------------------

let settling = null;
const sentencesToRead = new Set();

function announceSentences(spans) {
  for (const span of spans) sentencesToRead.add(span.closest("p, li, td, dd, figcaption") ?? span);
  clearTimeout(settling);
  settling = setTimeout(() => {
    const text = [...sentencesToRead].filter((el) => el.isConnected).map(spoken).join(" ");
    sentencesToRead.clear();
    if (text) say(text);
  }, SETTLE_MS);
}

// A sentence as it reads: a select says its chosen option, white space as one space.
function spoken(el) {
  const copy = el.cloneNode(true);
  copy.querySelectorAll("select").forEach((s, i) => {
    s.replaceWith(el.querySelectorAll("select")[i].selectedOptions[0]?.text ?? "");
  });
  return copy.textContent.replace(/\s+/g, " ").trim();
}

function say(text) {
  let voice = document.querySelector(".vw-voice");
  if (!voice) {
    voice = document.createElement("div");
    voice.className = "vw-voice";
    voice.setAttribute("aria-live", "polite");
    document.body.append(voice);
  }
  voice.textContent = text;
}
