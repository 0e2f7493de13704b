// ---- navigation.js: one page load per visit -----------------------------------------------------
// One page load per visit, wherever the site is served. Material's instant navigation follows only
// links listed in sitemap.xml, whose addresses are the build's site_url, rebased by host name only.
// Served anywhere else (another port, a sub-path, no site_url at all) every chapter link would load
// a new page and start Python again. So a link to one of this site's pages that Material left alone
// is handed to its navigation here, as its own click handler would do it (that one listens on
// <body>, so it has run by the time we hear). Uses: CONFIG.root and CONFIG.pages (written by the
// build), the page (script).

const siteRoot = new URL(CONFIG.root, script.src);
const pages = new Set(CONFIG.pages.map((p) => p.replace(/^\.\/$/, "")));

window.addEventListener("click", (ev) => {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey ||
    ev.altKey || !instantNavigation()) return;
  const link = ev.target instanceof Element ? ev.target.closest("a[href]") : null;
  if (!link || link.target || link.hasAttribute("download")) return;
  const url = new URL(link.href);
  if (!isPage(url) || url.pathname === location.pathname) return; // same page: the browser's
  ev.preventDefault();
  history.replaceState({ x: scrollX, y: scrollY }, ""); // where Back returns to
  history.pushState(null, "", url);
  window.location$.next(url);
});

function isPage(url) {
  if (url.origin !== location.origin || !url.pathname.startsWith(siteRoot.pathname)) return false;
  const path = decodeURI(url.pathname.slice(siteRoot.pathname.length));
  return pages.has(path) || pages.has(path.replace(/index\.html$/, ""));
}

function instantNavigation() {
  const config = document.getElementById("__config");
  return location.protocol !== "file:" && Boolean(window.location$) && Boolean(config) &&
    JSON.parse(config.textContent).features.includes("navigation.instant");
}
