"""Where a guided figure's pinned block (its controls and caption, which stay at the top of a
desktop screen while its steps scroll under them) ends, measured in the built essay."""

from visual_essay.testing import guard


def pinned_bottom(browser, sites, pyodide_files, page_name, widget):
    """px from the top of a 1280 x 800 screen where the pinned caption of ``widget``'s guide on
    ``page_name`` ends, its second step scrolled to 60% of the screen."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = guard(context, pyodide_files)()
    page.goto(sites("essay").url + page_name)
    guide = page.locator(".vw-guide", has=page.locator(f'figure.vw[data-widget="{widget}"]'))
    steps = guide.locator(".vw-step")
    steps.nth(1).evaluate("s => scrollTo({top: scrollY + s.getBoundingClientRect().top - 0.6 * "
                          "innerHeight, behavior: 'instant'})")
    figure = guide.locator("figure.vw").first
    page.wait_for_function("f => f.classList.contains('vw-caption-pinned')",
                           arg=figure.element_handle())
    bottom = guide.locator(".vw-guide-caption").evaluate("c => c.getBoundingClientRect().bottom")
    context.close()
    return bottom
