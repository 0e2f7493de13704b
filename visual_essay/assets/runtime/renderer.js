// ---- renderer.js: the SVG renderer --------------------------------------------------------------
// One panel of a scene as SVG text, with the margins, limits and ticks the scene decided (as
// matplotlib draws the same scene at build time: figure.py), its colour bars and its legend;
// colours are the stylesheet's palette variables. Uses: marks (MARKS: one function per mark kind).

const esc = (s) => String(s).replace(/[&<>"]/g, (c) =>
  ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const f = (v) => (Math.round(v * 100) / 100).toString();
const color = (name) => `var(--vw-${name})`;
let uid = 0; // clip-path ids, unique in the page

function panelSVG(p, frame, title) {
  const W = p.size[0] * 72, H = p.size[1] * 72, m = p.margin;
  const [x0, x1] = p.x.lim, [y0, y1] = p.y.lim;
  const pw = W - m.left - m.right, ph = H - m.top - m.bottom;
  const X = (v) => m.left + ((v - x0) / (x1 - x0)) * pw;
  const Y = (v) => m.top + (1 - (v - y0) / (y1 - y0)) * ph;
  const clip = `vwc${uid++}`;
  const out = [`<svg viewBox="0 0 ${f(W)} ${f(H)}" style="--w:${p.size[0]}" ` +
    `xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="${clip}"><rect x="${f(m.left)}" ` +
    `y="${f(m.top)}" width="${f(pw)}" height="${f(ph)}"/></clipPath></defs>`];
  const base = m.top + ph;
  if (!p.x.hidden) {
    out.push(`<path class="vw-axis" d="M${f(m.left)} ${f(base)}H${f(m.left + pw)}"/>`);
    p.x.ticks.forEach((t, i) => {
      const x = f(X(t));
      out.push(`<path class="vw-axis" d="M${x} ${f(base)}v3.5"/>` +
        `<text class="vw-tick" x="${x}" y="${f(base + 13.8)}" text-anchor="middle">` +
        `${esc(p.x.ticklabels[i])}</text>`);
    });
    if (p.x.label) out.push(`<text class="vw-label" x="${f(m.left + pw / 2)}" ` +
      `y="${f(base + 27)}" text-anchor="middle">${esc(p.x.label)}</text>`);
  }
  if (!p.y.hidden) {
    out.push(`<path class="vw-axis" d="M${f(m.left)} ${f(m.top)}V${f(base)}"/>`);
    p.y.ticks.forEach((t, i) => {
      const y = f(Y(t));
      out.push(`<path class="vw-axis" d="M${f(m.left)} ${y}h-3.5"/>` +
        `<text class="vw-tick" x="${f(m.left - 7)}" y="${y}" text-anchor="end" ` +
        `dominant-baseline="central">${esc(p.y.ticklabels[i])}</text>`);
    });
    if (p.y.label) out.push(`<text class="vw-label" transform="translate(${f(m.left - 34)} ` +
      `${f(m.top + ph / 2)}) rotate(-90)" text-anchor="middle">${esc(p.y.label)}</text>`);
  }
  if (title) out.push(`<text class="vw-title" x="${f(m.left)}" y="${f(m.top - 7)}">` +
    `${esc(title)}</text>`);
  const shown = p.marks.filter((k) => !("frame" in k) || k.frame === frame);
  const box = { x0: m.left, x1: m.left + pw, y0: m.top, y1: m.top + ph };
  out.push(`<g clip-path="url(#${clip})">`);
  for (const k of shown) if (k.kind !== "text") out.push(MARKS[k.kind](k, X, Y, box));
  out.push("</g>");
  for (const k of shown) if (k.kind === "text") out.push(MARKS.text(k, X, Y));
  for (const k of shown) if (k.colorbar) out.push(colorbar(k.colorbar, box));
  if (p.legend) out.push(legend(p, shown, m, pw, ph));
  out.push("</svg>");
  return out.join("");
}

// A heatmap's colour scale in the panel's right margin, as scene.heatmap(colorbar=...) set it.
function colorbar(bar, box) {
  const x = box.x1 + bar.gap, n = bar.colors.length, step = (box.y1 - box.y0) / n;
  const [lo, hi] = bar.lim, V = (v) => box.y1 - ((v - lo) / (hi - lo)) * (box.y1 - box.y0);
  const out = [`<g shape-rendering="crispEdges">`];
  bar.colors.forEach((c, i) => out.push(`<rect x="${f(x)}" y="${f(box.y1 - (i + 1) * step)}" ` +
    `width="${bar.width}" height="${f(step + 0.4)}" fill="${c}"/>`));
  out.push("</g>");
  bar.ticks.forEach((t, i) => out.push(
    `<path class="vw-axis" d="M${f(x + bar.width)} ${f(V(t))}h3.5"/>` +
    `<text class="vw-tick" x="${f(x + bar.width + 6)}" y="${f(V(t))}" ` +
    `dominant-baseline="central">${esc(bar.ticklabels[i])}</text>`));
  out.push(`<text class="vw-label" transform="translate(${f(x + bar.width + 30)} ` +
    `${f((box.y0 + box.y1) / 2)}) rotate(90)" text-anchor="middle">${esc(bar.label)}</text>`);
  return out.join("");
}

function legend(p, shown, m, pw, ph) {
  const items = shown.filter((k) => k.label);
  if (!items.length) return "";
  const right = p.legend.includes("right"), lower = p.legend.includes("lower");
  const x = right ? m.left + pw - 90 : m.left + 6;
  const y0 = lower ? m.top + ph - 6 - 12 * items.length + 6 : m.top + 8;
  return `<g class="vw-legend">` + items.map((k, i) => {
    const y = y0 + 12 * i;
    const swatch = k.kind === "points"
      ? `<circle cx="${f(x + 6)}" cy="${f(y)}" r="3.5" fill="${color(k.color)}"/>`
      : `<path d="M${f(x)} ${f(y)}h12" stroke="${color(k.color)}" stroke-width="${
        ["line", "hline", "vline", "errorbars"].includes(k.kind) ? k.width : 6}" ` +
        `stroke-opacity="${Math.max(k.opacity, 0.4)}"${k.dash ? ' stroke-dasharray="5 3"' : ""}/>`;
    return `${swatch}<text x="${f(x + 17)}" y="${f(y)}" dominant-baseline="central">` +
      `${esc(k.label)}</text>`;
  }).join("") + "</g>";
}
