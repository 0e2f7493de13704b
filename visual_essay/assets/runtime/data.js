// ---- data.js: the data behind each figure -------------------------------------------------------
// Every figure has a "Data" disclosure (the build writes it), filled from the scene it shows (no
// widget code): an HTML table per panel of what the current view draws, a CSV of the same rows,
// and the current view as SVG or PNG, its parameters in the file name and in the SVG's metadata.
// From the table or from Python alike, and from file:// (downloads are made in the page).
// Uses: the renderer (esc, f), tables (tableScene).

// The numbers a mark draws, column by column (a text mark's position and words too).
const DATA_FIELDS = ["x", "y", "y1", "y2", "base", "low", "high"];

function mountData(root) {
  const box = root.querySelector(".vw-data"); // the build's (markup.py): no height change here
  if (!box || box.vwMounted) return;
  box.vwMounted = true;
  box.addEventListener("toggle", () => showData(root));
  box.addEventListener("click", (e) => {
    const kind = e.target.closest("[data-save]")?.dataset.save;
    if (kind) saveView(root, kind);
  });
}

// The scene the figure shows now: the last one drawn, else the build's (from the table).
function currentScene(root) {
  return root.vw.scene ?? tableScene(root, root.vw.params);
}

// What the current view draws: one row per point of every mark in view.
function dataRows(scene, frame) {
  const rows = [];
  scene.panels.forEach((p, i) => {
    const panel = p.title || `panel ${i + 1}`;
    for (const m of p.marks) {
      if ("frame" in m && m.frame !== (frame ?? m.frame)) continue;
      const series = m.label ?? m.kind;
      if (m.kind === "text") {
        rows.push({ panel, series, kind: m.kind, x: m.x, y: m.y, text: m.s });
        continue;
      }
      const fields = DATA_FIELDS.filter((k) => Array.isArray(m[k]));
      const n = Math.max(0, ...fields.map((k) => m[k].length));
      for (let j = 0; j < n; j++) {
        const row = { panel, series, kind: m.kind };
        for (const k of fields) row[k] = m[k][j];
        rows.push(row);
      }
    }
  });
  return rows;
}

const columnsOf = (rows) => ["panel", "series", "kind", ...DATA_FIELDS, "text"]
  .filter((c) => rows.some((r) => r[c] !== undefined));

function showData(root) {
  const box = root.querySelector(".vw-data");
  if (!box?.open) return;
  const scene = currentScene(root);
  const target = box.querySelector(".vw-data-tables");
  if (!scene) {
    target.textContent = "The data appear once the figure answers its controls.";
    return;
  }
  const rows = dataRows(scene, root.vw.frame ?? null);
  const columns = columnsOf(rows).filter((c) => c !== "panel");
  const panels = [...new Set(rows.map((r) => r.panel))];
  target.innerHTML = panels.map((panel) => `<table><caption>${esc(panel)}</caption><thead><tr>` +
    columns.map((c) => `<th scope="col">${c}</th>`).join("") + "</tr></thead><tbody>" +
    rows.filter((r) => r.panel === panel).map((r) => "<tr>" + columns.map((c) =>
      `<td>${r[c] === undefined ? "" : esc(r[c])}</td>`).join("") + "</tr>").join("") +
    "</tbody></table>").join("");
}

// ---- downloads ----------------------------------------------------------------------------------

function viewName(root) {
  const params = Object.entries(root.vw.params).map(([k, v]) => `${k}=${v}`).join("_");
  return `${root.dataset.key}_${params}`.replace(/[^\w.=-]+/g, "-");
}

function saveView(root, kind) {
  const scene = currentScene(root);
  if (!scene) return;
  const name = viewName(root);
  if (kind === "csv") {
    const rows = dataRows(scene, root.vw.frame ?? null);
    const columns = columnsOf(rows);
    const cell = (v) => (v === undefined ? "" : /[",\n]/.test(String(v))
      ? `"${String(v).replace(/"/g, "\"\"")}"` : String(v));
    const text = [columns.join(","), ...rows.map((r) => columns.map((c) => cell(r[c])).join(","))]
      .join("\n") + "\n";
    download(new Blob([text], { type: "text/csv" }), `${name}.csv`);
    return;
  }
  const svg = standaloneSVG(root);
  if (kind === "svg") {
    download(new Blob([svg.text], { type: "image/svg+xml" }), `${name}.svg`);
    return;
  }
  const image = new Image();
  image.onload = () => {
    const canvas = document.createElement("canvas");
    canvas.width = svg.width * 2;
    canvas.height = svg.height * 2;
    const context = canvas.getContext("2d");
    context.fillStyle = getComputedStyle(document.body).backgroundColor || "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    canvas.toBlob((blob) => download(blob, `${name}.png`), "image/png");
  };
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg.text)}`;
}

// The panels on screen, side by side in one SVG that needs no stylesheet: colours resolved,
// the page's axis and text styles written in, the parameters in its metadata.
function standaloneSVG(root) {
  const style = getComputedStyle(root);
  const resolve = (text) => text.replace(/var\(--vw-([a-z]+)\)/g,
    (_, name) => style.getPropertyValue(`--vw-${name}`).trim() || "#000");
  let x = 0, height = 0;
  const shown = [...root.querySelectorAll(".vw-panels > svg")]
    .filter((svg) => svg.getClientRects().length); // a panel's wide or narrow layout, not both
  const parts = shown.map((svg) => {
    const [, , w, h] = svg.getAttribute("viewBox").split(/\s+/).map(Number);
    const inner = resolve(svg.innerHTML);
    const placed = `<svg x="${f(x)}" y="0" width="${f(w)}" height="${f(h)}" ` +
      `viewBox="0 0 ${f(w)} ${f(h)}">${inner}</svg>`;
    x += w;
    height = Math.max(height, h);
    return placed;
  });
  const ink = resolve("var(--vw-ink)"), muted = resolve("var(--vw-muted)");
  const metadata = esc(JSON.stringify({ widget: root.dataset.widget, figure: root.dataset.key,
    params: root.vw.params }));
  const text = `<svg xmlns="http://www.w3.org/2000/svg" width="${f(x)}" height="${f(height)}" ` +
    `viewBox="0 0 ${f(x)} ${f(height)}"><metadata>${metadata}</metadata><style>` +
    `svg{font-family:sans-serif;font-size:9px;fill:${ink}}.vw-axis{stroke:${muted};` +
    "stroke-width:0.8;fill:none}.vw-title{font-size:10px}.vw-legend{font-size:8px}</style>" +
    `${parts.join("")}</svg>`;
  return { text, width: x, height };
}

function download(blob, name) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
