// ---- notices.js: the notice above the figures ---------------------------------------------------
// One short note above the first figure, saying why Python is not running and what still works
// (opened from a file, Python could not load, or the reader saves data: then a button starts
// Python). Uses: the page (fromFile, figures), the bridge (startRuntime), CONFIG.pyodideBytes.

function showNotice(err) {
  if (document.readyState === "loading") { // Python can fail before the figures have arrived
    document.addEventListener("DOMContentLoaded", () => showNotice(err));
    return;
  }
  const tabled = Boolean(document.querySelector("figure.vw[data-table]"));
  const answers = tabled ? "The figures answer their controls with the values computed when " +
    "the site was built" : "The figures are shown as printed";
  notice(fromFile
    ? `Opened from a file. ${answers}. For every value, live in Python, serve the folder: ` +
      "run python serve.py in it and open the address it prints."
    : `${answers}: the Python runtime that computes any other value could not load ` +
      `(${err.message}).`);
  if (!tabled) for (const root of figures()) root.dataset.status = "static";
}

function offerPython() {
  if (document.querySelector(".vw-notice")) return;
  const mb = Math.round(CONFIG.pyodideBytes / 1e6);
  const box = notice("Saving data: the figures answer their controls with the values " +
    "computed when the site was built. ");
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = `Run live Python (${mb} MB)`;
  button.addEventListener("click", () => {
    button.disabled = true;
    button.textContent = "Starting Python…";
    startRuntime().catch(() => {});
  });
  box.append(button);
}

function notice(text) {
  document.querySelector(".vw-notice")?.remove();
  const first = document.querySelector("figure.vw");
  const box = document.createElement("p");
  box.className = "vw-notice";
  box.setAttribute("role", "note");
  box.textContent = text;
  first?.before(box);
  return box;
}
