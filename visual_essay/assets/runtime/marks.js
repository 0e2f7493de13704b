// ---- marks.js: one function per mark kind -------------------------------------------------------
// The mark kinds the SVG renderer draws, one function each: scene.py's vocabulary, the same kinds
// and the same geometry as figure.py's DRAW (a browser test compares them through
// window.visualEssay.markKinds, and their pixels). Each takes the mark, the panel's X and Y scales
// (data to SVG units, points) and the plot box.
// Uses: the renderer's helpers (f, esc, color, textLine, firstBaseline, LAYOUT).

const path = (xs, ys, X, Y) => xs.map((x, i) => `${i ? "L" : "M"}${f(X(x))} ${f(Y(ys[i]))}`)
  .join("");

// scene.SHAPES: polygons of unit size, y down (null: a circle).
const SHAPES = {
  circle: null,
  square: [[-0.89, -0.89], [0.89, -0.89], [0.89, 0.89], [-0.89, 0.89]],
  triangle: [[0, -1.2], [1.04, 0.6], [-1.04, 0.6]],
  diamond: [[0, -1.25], [1.25, 0], [0, 1.25], [-1.25, 0]],
  cross: [[-0.35, -1.1], [0.35, -1.1], [0.35, -0.35], [1.1, -0.35], [1.1, 0.35], [0.35, 0.35],
    [0.35, 1.1], [-0.35, 1.1], [-0.35, 0.35], [-1.1, 0.35], [-1.1, -0.35], [-0.35, -0.35]],
};

// One dot of radius r at (cx, cy), in page units.
function marker(cx, cy, r, shape = "circle") {
  const vertices = SHAPES[shape];
  if (!vertices) return `<circle cx="${f(cx)}" cy="${f(cy)}" r="${r}"/>`;
  return `<path d="${vertices.map(([u, v], i) => `${i ? "L" : "M"}${f(cx + u * r)} ` +
    `${f(cy + v * r)}`).join("")}Z"/>`;
}

const MARKS = {
  line: (k, X, Y) => `<path d="${path(k.x, k.y, X, Y)}" fill="none" stroke="${color(k.color)}" ` +
    `stroke-width="${k.width}" stroke-opacity="${k.opacity}" stroke-linecap="round" ` +
    `stroke-linejoin="round"${k.dash ? ' stroke-dasharray="5 3"' : ""}/>`,
  points: (k, X, Y) => `<g fill="${color(k.color)}" fill-opacity="${k.opacity}">` +
    k.x.map((x, i) => marker(X(x), Y(k.y[i]), k.size, k.shape)).join("") + "</g>",
  segments: (k, X, Y) => {
    let d = "";
    for (let i = 0; i < k.x.length; i += 2) {
      d += `M${f(X(k.x[i]))} ${f(Y(k.y[i]))}L${f(X(k.x[i + 1]))} ${f(Y(k.y[i + 1]))}`;
    }
    return `<path d="${d}" stroke="${color(k.color)}" stroke-width="${k.width}" ` +
      `stroke-opacity="${k.opacity}" fill="none"/>`;
  },
  area: (k, X, Y) => (k.x.length ? `<path d="${path(k.x, k.y1, X, Y)}` +
    `${path([...k.x].reverse(), [...k.y2].reverse(), X, Y).replace("M", "L")}Z" ` +
    `fill="${color(k.color)}" fill-opacity="${k.opacity}"/>` : ""),
  polygon: (k, X, Y) => (k.x.length ? `<path d="${path(k.x, k.y, X, Y)}Z" ` +
    `fill="${color(k.color)}" fill-opacity="${k.opacity}"` +
    (k.stroke ? ` stroke="${color(k.stroke)}" stroke-width="1"/>` : "/>") : ""),
  text: (k, X, Y) => {
    const lines = k.s.split("\n");
    const x = X(k.x) + (k.dx || 0); // dx, dy: a label beside its point (layout.SIDES)
    const first = firstBaseline(Y(k.y) + (k.dy || 0), k.size, k.valign, lines.length);
    return lines.map((line, i) => textLine(x, first + i * LAYOUT.LINE_HEIGHT * k.size, line,
      k.size, { anchor: k.anchor, fill: k.color, bold: k.bold, cls: "vw-text", shade: true }))
      .join("");
  },
  arrow: (k, X, Y) => {
    const ax = X(k.x[0]), ay = Y(k.y[0]), bx = X(k.x[1]), by = Y(k.y[1]);
    const len = Math.hypot(bx - ax, by - ay) || 1, ux = (bx - ax) / len, uy = (by - ay) / len;
    const s = 3 + 2 * k.width; // head size grows with the line
    const hx = bx - ux * s * 1.6, hy = by - uy * s * 1.6;
    return `<path d="M${f(ax)} ${f(ay)}L${f(hx)} ${f(hy)}" fill="none" ` +
      `stroke="${color(k.color)}" stroke-width="${k.width}"/>` +
      `<path d="M${f(bx)} ${f(by)}L${f(hx - uy * s * 0.6)} ${f(hy + ux * s * 0.6)}` +
      `L${f(hx + uy * s * 0.6)} ${f(hy - ux * s * 0.6)}Z" fill="${color(k.color)}"/>`;
  },
  hline: (k, X, Y, box) => rule(k, k.y.map((y) => `M${f(box.x0)} ${f(Y(y))}H${f(box.x1)}`)),
  vline: (k, X, Y, box) => rule(k, k.x.map((x) => `M${f(X(x))} ${f(box.y0)}V${f(box.y1)}`)),
  hband: (k, X, Y, box) => rect(box.x0, Y(k.y[1]), box.x1, Y(k.y[0]), k),
  vband: (k, X, Y, box) => rect(X(k.x[0]), box.y0, X(k.x[1]), box.y1, k),
  bars: (k, X, Y) => k.x.map((x, i) =>
    rect(X(x - k.width / 2), Y(k.y[i]), X(x + k.width / 2), Y(k.base[i]), k)).join(""),
  errorbars: (k, X, Y) => {
    let d = "";
    k.x.forEach((x, i) => {
      const cx = X(x), lo = Y(k.low[i]), hi = Y(k.high[i]);
      d += `M${f(cx)} ${f(lo)}V${f(hi)}M${f(cx - k.cap)} ${f(lo)}h${f(2 * k.cap)}` +
        `M${f(cx - k.cap)} ${f(hi)}h${f(2 * k.cap)}`;
    });
    return `<path d="${d}" stroke="${color(k.color)}" stroke-width="${k.width}" ` +
      `stroke-opacity="${k.opacity}" fill="none"/>`;
  },
  heatmap: (k, X, Y) => {
    const [ex0, ex1, ey0, ey1] = k.extent;
    const cw = (ex1 - ex0) / k.cols, ch = (ey1 - ey0) / k.rows;
    const cells = [];
    for (let r = 0; r < k.rows; r++) {
      for (let c = 0; c < k.cols; c++) {
        const x = X(ex0 + c * cw), y = Y(ey0 + (r + 1) * ch);
        cells.push(`<rect x="${f(x)}" y="${f(y)}" width="${f(X(ex0 + (c + 1) * cw) - x + 0.4)}" ` +
          `height="${f(Y(ey0 + r * ch) - y + 0.4)}" fill="${k.colors[r * k.cols + c]}"/>`);
      }
    }
    return `<g shape-rendering="crispEdges">${cells.join("")}</g>`;
  },
};

// A filled rectangle between two corners, in page units, in any order.
function rect(xa, ya, xb, yb, k) {
  return `<rect x="${f(Math.min(xa, xb))}" y="${f(Math.min(ya, yb))}" ` +
    `width="${f(Math.abs(xb - xa))}" height="${f(Math.abs(yb - ya))}" ` +
    `fill="${color(k.color)}" fill-opacity="${k.opacity}"/>`;
}

// Horizontal or vertical rules across the whole plot box.
function rule(k, paths) {
  return `<path d="${paths.join("")}" stroke="${color(k.color)}" stroke-width="${k.width}" ` +
    `stroke-opacity="${k.opacity}" fill="none"${k.dash ? ' stroke-dasharray="5 3"' : ""}/>`;
}
