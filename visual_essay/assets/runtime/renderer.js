// ---- renderer.js: the SVG renderer --------------------------------------------------------------
// One panel of a scene as SVG text, drawn exactly as matplotlib draws it at build time (figure.py):
// every position was decided in Python (layout.py: margins, ticks, title lines, the y title's
// place, the legend's), the constants below are layout.py's (a test holds them equal), and
// baselines are placed here, not left to the browser's font metrics. Colours are the
// stylesheet's palette variables. Uses: marks (MARKS: one function per mark kind; SHAPES).

const esc = (s) => String(s).replace(/[&<>"]/g, (c) =>
  ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const f = (v) => (Math.round(v * 100) / 100).toString();
const color = (name) => `var(--vw-${name})`;
// Text marks in a colour too light for text use its darker shade (scene.TEXT_SHADES).
const TEXT_SHADED = new Set(["red", "green", "blue", "orange", "gold", "gray"]);
const textColor = (name) => (TEXT_SHADED.has(name) ? `var(--vw-text-${name})` : color(name));
let uid = 0; // clip-path ids, unique in the page

// layout.py's constants, in points.
const LAYOUT = {
  FONT: { tick: 9, label: 9, title: 10, legend: 8, note: 9 },
  BASELINE: { top: 0.72, middle: 0.35, bottom: 0 },
  LINE_HEIGHT: 1.2,
  TICK: 3.5,
  TICK_GAP: 7,
  X_TICK_BASELINE: 13.8,
  X_LABEL_BASELINE: 27,
  TITLE_BASELINE: 17,
  LEGEND: { swatch: 12, text: 17 },
};
const LINE_KINDS = ["line", "hline", "vline", "segments", "errorbars", "arrow"];

// A line of text whose baseline is at (x, y); `cls` names its role (tests read it).
function textLine(x, y, s, size, { anchor = "start", fill = "ink", bold = false, cls = "",
  rotate = 0, shade = false } = {}) {
  const at = rotate ? `transform="translate(${f(x)} ${f(y)}) rotate(${rotate})"`
    : `x="${f(x)}" y="${f(y)}"`;
  return `<text ${at}${cls ? ` class="${cls}"` : ""} font-size="${size}" ` +
    `fill="${shade ? textColor(fill) : color(fill)}" text-anchor="${anchor}"` +
    `${bold ? ' font-weight="bold"' : ""}>${esc(s)}</text>`;
}

// The baseline of the first of `count` lines anchored at y (layout.first_baseline).
function firstBaseline(y, size, valign, count) {
  const block = (count - 1) * LAYOUT.LINE_HEIGHT * size;
  const shift = { top: 0, middle: block / 2, bottom: block }[valign];
  return y + LAYOUT.BASELINE[valign] * size - shift;
}

// The panel with the layout of `variant`: "wide", or "narrow" when it has one.
const layoutOf = (p, variant) => (variant === "narrow" && p.narrow ? { ...p, ...p.narrow } : p);

function panelSVG(p, frame, variant = "wide") {
  const L = layoutOf(p, variant), { FONT, BASELINE, TICK } = LAYOUT;
  const W = L.size[0] * 72, H = L.size[1] * 72, m = L.margin;
  const [x0, x1] = L.x.lim, [y0, y1] = L.y.lim;
  const pw = W - m.left - m.right, ph = H - m.top - m.bottom;
  const X = (v) => m.left + ((v - x0) / (x1 - x0)) * pw;
  const Y = (v) => m.top + (1 - (v - y0) / (y1 - y0)) * ph;
  const clip = `vwc${uid++}`;
  const cls = p.narrow ? ` class="vw-${variant === "narrow" ? "narrow" : "wide"}"` : "";
  const out = [`<svg viewBox="0 0 ${f(W)} ${f(H)}" ` +
    `style="--w:${L.size[0]};--h:${L.size[1]}"${cls} stroke-linejoin="round" ` +
    `stroke-linecap="butt" xmlns="http://www.w3.org/2000/svg">` + // as figure.py's JOINS
    `<defs><clipPath id="${clip}"><rect x="${f(m.left)}" y="${f(m.top)}" width="${f(pw)}" ` +
    `height="${f(ph)}"/></clipPath></defs>`];
  const base = m.top + ph, axis = (d) => `<path class="vw-axis" d="${d}"/>`;
  if (!L.x.hidden) {
    out.push(axis(`M${f(m.left)} ${f(base)}H${f(m.left + pw)}`));
    L.x.ticks.forEach((t, i) => {
      out.push(axis(`M${f(X(t))} ${f(base)}V${f(base + TICK)}`) + textLine(X(t),
        base + LAYOUT.X_TICK_BASELINE, L.x.ticklabels[i], FONT.tick,
        { anchor: "middle", cls: "vw-tick" }));
    });
    if (L.x.label) out.push(textLine(m.left + pw / 2, base + LAYOUT.X_LABEL_BASELINE, L.x.label,
      FONT.label, { anchor: "middle", cls: "vw-label" }));
  }
  if (!L.y.hidden) {
    out.push(axis(`M${f(m.left)} ${f(m.top)}V${f(base)}`));
    L.y.ticks.forEach((t, i) => {
      out.push(axis(`M${f(m.left)} ${f(Y(t))}H${f(m.left - TICK)}`) + textLine(
        m.left - LAYOUT.TICK_GAP, Y(t) + BASELINE.middle * FONT.tick, L.y.ticklabels[i],
        FONT.tick, { anchor: "end", cls: "vw-tick" }));
    });
    if (L.y.label) out.push(textLine(L.ylabel, m.top + ph / 2, L.y.label, FONT.label,
      { anchor: "middle", cls: "vw-label", rotate: -90 }));
  }
  if (p.letter) out.push(textLine(m.left, LAYOUT.TITLE_BASELINE, p.letter, FONT.title,
    { bold: true, cls: "vw-letter" }));
  L.titles.forEach((line, i) => out.push(textLine(L.title_x,
    LAYOUT.TITLE_BASELINE + i * LAYOUT.LINE_HEIGHT * FONT.title, line, FONT.title,
    { cls: "vw-title" })));
  // L's marks: a panel drawn again for phones has its own (scene.panel(narrow=...))
  const shown = L.marks.filter((k) => !("frame" in k) || k.frame === frame);
  const box = { x0: m.left, x1: m.left + pw, y0: m.top, y1: m.top + ph };
  // Marks come in drawing order (scene.LAYER): text last, unclipped.
  out.push(`<g clip-path="url(#${clip})">`);
  for (const k of shown) {
    if (k.kind === "text") continue;
    out.push(`<g data-mark="${k.kind}">${MARKS[k.kind](k, X, Y, box)}</g>`); // tests read kinds
  }
  out.push("</g>");
  const placed = (k) => ("slot" in k ? { ...k, ...L.beside[k.slot] } : k); // layout.SIDES
  for (const k of shown) if (k.kind === "text") out.push(MARKS.text(placed(k), X, Y));
  for (const k of shown) if (k.colorbar) out.push(colorbar(k.colorbar, box));
  if (L.note) out.push(note(L.note, box));
  if (L.legend) out.push(legend(L.legend, shown, L.marks));
  out.push("</svg>");
  return out.join("");
}

// A heatmap's colour scale in the panel's right margin, as scene.heatmap(colorbar=...) set it.
function colorbar(bar, box) {
  const x = box.x1 + bar.gap, n = bar.colors.length, step = (box.y1 - box.y0) / n;
  const [lo, hi] = bar.lim, V = (v) => box.y1 - ((v - lo) / (hi - lo)) * (box.y1 - box.y0);
  const { FONT, BASELINE, TICK } = LAYOUT, end = x + bar.width;
  const out = [`<g shape-rendering="crispEdges">`];
  bar.colors.forEach((c, i) => out.push(`<rect x="${f(x)}" y="${f(box.y1 - (i + 1) * step)}" ` +
    `width="${bar.width}" height="${f(step + 0.4)}" fill="${c}"/>`));
  out.push("</g>");
  bar.ticks.forEach((t, i) => out.push(
    `<path class="vw-axis" d="M${f(end)} ${f(V(t))}H${f(end + TICK)}"/>` +
    textLine(end + 6, V(t) + BASELINE.middle * FONT.tick, bar.ticklabels[i], FONT.tick,
      { cls: "vw-tick" })));
  out.push(textLine(end + 30, (box.y0 + box.y1) / 2, bar.label, FONT.label,
    { anchor: "middle", cls: "vw-label", rotate: 90 }));
  return out.join("");
}

// Why the panel is empty, in the middle of its plot.
function note(text, box) {
  const size = LAYOUT.FONT.note, lines = text.split("\n");
  const first = firstBaseline((box.y0 + box.y1) / 2, size, "middle", lines.length);
  return lines.map((line, i) => textLine((box.x0 + box.x1) / 2,
    first + i * LAYOUT.LINE_HEIGHT * size, line, size,
    { anchor: "middle", fill: "muted", cls: "vw-note" })).join("");
}

// A vertical rule, errorbars, a vertical line, or segments whose first is vertical: its key is a
// short upright (figure._upright).
const upright = (k) => k.kind === "vline" || k.kind === "errorbars" ||
  (k.kind === "segments" && k.x[0] === k.x[1] && k.y[0] !== k.y[1]) ||
  (k.kind === "line" && k.x.every((v) => v === k.x[0]) && k.y.some((v) => v !== k.y[0]));

// Each entry where layout.py put it, in the style of the first mark of its label the frame shows,
// or of any frame (the legend stays the same while motion plays; none: the entry is left out).
function legend(spec, shown, all) {
  const { swatch, text } = LAYOUT.LEGEND, size = LAYOUT.FONT.legend;
  return `<g class="vw-legend">` + spec.entries.map(({ label, x, y }) => {
    const k = shown.find((mark) => mark.label === label) ??
      all.find((mark) => mark.label === label);
    if (!k) return "";
    let mark;
    if (LINE_KINDS.includes(k.kind)) { // upright for upright marks (ticks, vertical rules)
      const d = upright(k) ? `M${f(x + swatch / 2)} ${f(y - 5)}V${f(y + 5)}`
        : `M${f(x)} ${f(y)}H${f(x + swatch)}`;
      mark = `<path d="${d}" fill="none" stroke="${color(k.color)}" ` +
        `stroke-width="${Math.min(k.width ?? 1.5, 3)}" stroke-opacity="${k.opacity ?? 1}"` +
        `${k.dash ? ' stroke-dasharray="5 3"' : ""}/>`;
    } else if (k.kind === "points") {
      mark = `<g fill="${color(k.color)}" fill-opacity="${k.opacity}">` +
        marker(x + swatch / 2, y, Math.min(Math.max(k.size, 2.5), 4.5), k.shape) + "</g>";
    } else {
      mark = `<rect x="${f(x)}" y="${f(y - 4)}" width="${swatch}" height="8" ` +
        `fill="${color(k.color)}" fill-opacity="${k.opacity}"` +
        (k.stroke ? ` stroke="${color(k.stroke)}" stroke-width="1"/>` : "/>");
    }
    return mark + textLine(x + text, y + LAYOUT.BASELINE.middle * size, label, size);
  }).join("") + "</g>";
}
