// ---- math.js: formulas, typeset by KaTeX --------------------------------------------------------
// Formulas that pymdownx.arithmatex wrote and the build did not typeset (it had no Node.js) are
// typeset here by KaTeX, loaded from the site's own copy on the first page that has any. Uses:
// CONFIG.math (KaTeX's folder, relative to the runtime), the page (script).

let katexLoaded = null;

function typesetMath() {
  const formulas = [...document.querySelectorAll(".arithmatex:not([data-typeset])")];
  if (!CONFIG.math || !formulas.length) return;
  katexLoaded ||= new Promise((resolve, reject) => {
    const base = new URL(CONFIG.math, script.src).href;
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = `${base}katex.min.css`;
    const tag = document.createElement("script");
    tag.src = `${base}katex.min.js`;
    tag.onload = resolve;
    tag.onerror = () => reject(new Error("KaTeX did not load"));
    document.head.append(style, tag);
  });
  // Claimed now: another call before KaTeX arrives must not typeset them a second time.
  const jobs = formulas.map((el) => {
    el.dataset.typeset = "";
    return [el, el.textContent.trim().replace(/^\\[([]/, "").replace(/\\[)\]]$/, "")];
  });
  katexLoaded.then(() => {
    for (const [el, tex] of jobs) {
      window.katex.render(tex, el, { displayMode: el.tagName !== "SPAN", throwOnError: false });
    }
  }, () => {});
}
