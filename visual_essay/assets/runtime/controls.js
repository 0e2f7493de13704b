// ---- controls.js: controls, one object per parameter kind; URL state ----------------------------
// One object per parameter kind (the data-kind markup.py wrote on each control), and the
// figure's values in the page's URL, ?<figure key>.<parameter>=<value>.
// Uses: the page (changed), the bridge (pythonLive), tables (snapToTable).

const NUMBER = /^-?\d+(\.\d+)?(e-?\d+)?$/i; // a number as the URL may spell it
// A value as a reader reads it: a true minus, and its unit after a space, except the units
// written against the number, "50%" (params.with_unit writes the same).
const ATTACHED_UNITS = ["%", "\u00b0"];
const valueText = (n, unit) => {
  const number = String(n).replace(/^-/, "\u2212");
  return unit ? `${number}${ATTACHED_UNITS.includes(unit) ? "" : " "}${unit}` : number;
};

// Each kind says how to read its control's value, set it, turn it into its whole number in the
// table's key (tables.py computes the same), and accept a value from the URL (undefined: one the
// control would not offer). Optional: shown (after reading), beforePython (on input, until
// Python is live), press (on click).
const KINDS = {
  slider: {
    read: (el) => Number(el.value),
    set: (el, value) => { el.value = String(value); },
    key: (el, value) => Math.round((value - Number(el.min)) / Number(el.step)),
    fromURL: (el, raw) => {
      if (!NUMBER.test(raw)) return undefined;
      const n = Number(raw), min = Number(el.min), max = Number(el.max), step = Number(el.step);
      const steps = (n - min) / step;
      return n >= min && n <= max && Math.abs(steps - Math.round(steps)) < 1e-6 ? n : undefined;
    },
    shown: (el) => { // its <output> says the value, with its unit
      const out = el.form.querySelector(`output[for="${el.id}"]`);
      out.textContent = valueText(Number(el.value), out.dataset.unit);
    },
    beforePython: snapToTable, // it moves along the table's grid
  },
  // A slider that stops at listed values (params.Stops): the range input holds the position.
  stops: {
    read: (el) => stopsOf(el)[Number(el.value)],
    set: (el, value) => { el.value = String(stopsOf(el).indexOf(value)); },
    key: (el, value) => stopsOf(el).indexOf(value),
    fromURL: (el, raw) => (NUMBER.test(raw) && stopsOf(el).includes(Number(raw))
      ? Number(raw) : undefined),
    shown: (el) => {
      const out = el.form.querySelector(`output[for="${el.id}"]`);
      out.textContent = valueText(stopsOf(el)[Number(el.value)], out.dataset.unit);
      el.setAttribute("aria-valuetext", out.textContent); // not its position
    },
    beforePython: snapToTable,
  },
  choice: {
    read: (el) => el.value,
    set: (el, value) => { el.value = String(value); },
    key: (el, value) => [...el.options].findIndex((o) => o.value === value),
    fromURL: (el, raw) => ([...el.options].some((o) => o.value === raw) ? raw : undefined),
  },
  toggle: {
    read: (el) => el.checked,
    set: (el, value) => { el.checked = value; },
    key: (el, value) => (value ? 1 : 0),
    fromURL: (el, raw) => (raw === "true" ? true : raw === "false" ? false : undefined),
  },
  seed: {
    read: (el) => Number(el.value),
    set: (el, value) => { el.value = String(value); },
    key: (el, value) => value,
    fromURL: (el, raw) => {
      const n = Number(raw);
      return NUMBER.test(raw) && Number.isInteger(n) && n >= 0 && n < 2 ** 31 ? n : undefined;
    },
    // A new sample: any seed from Python; before that, the next of the seeds the table holds.
    press: (root, el) => {
      root.vw.newSample = true; // motion.js plays it once through
      const seeds = root.vw.table?.seeds[el.name];
      el.value = pythonLive || !seeds ? String(Math.floor(Math.random() * 2 ** 31))
        : String(seeds[(seeds.indexOf(Number(el.value)) + 1) % seeds.length]);
    },
  },
};

const stopsOf = (el) => (el.vwStops ??= el.dataset.stops.split(",").map(Number));
const kindOf = (el) => (el && el.dataset && Object.hasOwn(KINDS, el.dataset.kind)
  ? KINDS[el.dataset.kind] : null);
const controlsOf = (form) => form.querySelectorAll("[data-kind]");

function wireControls(root) {
  const form = root.querySelector(".vw-controls");
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("input", (e) => {
    if (!pythonLive) kindOf(e.target)?.beforePython?.(root, e.target);
    changed(root);
  });
  form.addEventListener("click", (e) => {
    const el = e.target.closest("[data-kind]");
    const press = kindOf(el)?.press;
    if (!press) return;
    press(root, el);
    changed(root);
  });
}

function readControls(form) {
  const params = {};
  for (const el of controlsOf(form)) {
    const kind = kindOf(el);
    params[el.name] = kind.read(el);
    kind.shown?.(el);
  }
  return params;
}

function resetControls(root, form) {
  const defaults = JSON.parse(root.dataset.params);
  for (const el of controlsOf(form)) kindOf(el).set(el, defaults[el.name]);
  readControls(form);
  writeURL(root, defaults);
}

// ---- shareable state: ?<figure key>.<parameter>=<value> -----------------------------------------

// Written when the reader pauses (the latest values only): history.replaceState takes 2-12 ms
// on the main thread, and written after every input of a drag it delayed Python's answer to the
// next one (bench/: half of the time from input to drawn beyond Python's own). Not written once
// the page has changed (instant navigation) before the pause.
const urlsToWrite = new Map();
const URL_PAUSE = 250; // ms
let urlTimer = null;

function writeURL(root, params) {
  clearTimeout(urlTimer);
  urlTimer = setTimeout(writeURLs, URL_PAUSE);
  urlsToWrite.set(root, { params, path: location.pathname });
}

function writeURLs() {
  for (const [root, { params, path }] of urlsToWrite) {
    if (path === location.pathname) writeURLNow(root, params);
  }
  urlsToWrite.clear();
}

function writeURLNow(root, params) {
  const url = new URL(location.href);
  const prefix = `${root.dataset.key}.`;
  const defaults = JSON.parse(root.dataset.params);
  for (const key of [...url.searchParams.keys()]) {
    if (key.startsWith(prefix)) url.searchParams.delete(key);
  }
  for (const [name, value] of Object.entries(params)) {
    if (value !== defaults[name]) url.searchParams.set(prefix + name, String(value));
  }
  if (url.href !== location.href) history.replaceState(history.state, "", url);
}

// Set the controls from the URL; a value the control would not offer is ignored. (Python
// checks again before computing: the URL is never trusted.)
function applyURL(root, form) {
  const prefix = `${root.dataset.key}.`;
  let applied = false;
  for (const [key, raw] of new URLSearchParams(location.search)) {
    if (!key.startsWith(prefix)) continue;
    const el = form.elements.namedItem(key.slice(prefix.length));
    const kind = kindOf(el);
    const value = kind ? kind.fromURL(el, raw) : undefined;
    if (value !== undefined) {
      kind.set(el, value);
      applied = true;
    }
  }
  return applied;
}
