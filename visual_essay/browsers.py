"""Three browser engines behind one small interface, for tests and bench/ alike.

Readers meet the essay in three engines: Blink (Chrome, Edge, most of Android), WebKit (Safari, and
every browser on iPhone and iPad) and Gecko (Firefox). Each is driven here through what installs
from Debian's packages and PyPI, with no browser download:

- ``chromium``: Debian's ``chromium``, through Playwright (PyPI), as every other browser test;
- ``firefox``: Debian's ``firefox-esr``, through WebDriver BiDi, built into Firefox, spoken over
  one WebSocket (PyPI ``websockets``): no geckodriver;
- ``webkit``: the ``MiniBrowser`` of Debian's ``webkit2gtk-driver``, through Selenium (PyPI) and
  ``WebKitWebDriver``, in an X display of its own (``xvfb``): WebKitGTK has no headless mode.

A test or a bench script sees only :class:`Browser`: go to a URL, run a JavaScript function and get
its JSON value, press a key on or click or set a control, wait for a condition, take a screenshot::

    with virtual_display() as display, open_browser("webkit", display=display) as browser:
        browser.goto(url)
        browser.wait("() => document.querySelector('figure.vw').dataset.status === 'live'")

Only Chromium's and Firefox's drivers hear the console (:meth:`Browser.console_errors`);
WebKitWebDriver does not. Tests that need every engine to report errors inject a recorder into the
pages they serve (see tests/browser/engines/).
"""

import contextlib
import glob
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import warnings

ENGINES = ("chromium", "firefox", "webkit")
WIDTH, HEIGHT = 1280, 900  # a desktop reader's window


class EngineMissing(RuntimeError):
    """A browser or its driver is not installed."""


def _missing(what, package):
    return EngineMissing(
        f"{what} not found: apt-get install {package} "
        "(tests/install_browsers.sh installs every engine the tests use)"
    )


# WebDriver's codes for the keys a reader uses on a slider (Playwright takes the names).
KEYS = {
    "Home": "\ue011",
    "End": "\ue010",
    "ArrowLeft": "\ue012",
    "ArrowUp": "\ue013",
    "ArrowRight": "\ue014",
    "ArrowDown": "\ue015",
    "Enter": "\ue007",
    "Tab": "\ue004",
}

# Firefox's message for a MathML element with the wrong number of children, and the numbers.
MATHML_CHILDREN = re.compile(r"Incorrect number of children for <(\w+)/> tag")
MATHML_ARITY = {
    "mover": 2,
    "munder": 2,
    "munderover": 3,
    "mfrac": 2,
    "msub": 2,
    "msup": 2,
    "msubsup": 3,
    "mroot": 2,
}
MATHML_WRONG = """(arity) => Object.entries(arity).flatMap(([tag, n]) =>
    [...document.getElementsByTagName(tag)].filter(e => e.children.length !== n).map(() => tag))"""

# Every driver runs the same expression: the function, called with its argument (as JSON), its
# result awaited and returned as JSON text, so no driver's own serialization is involved.
CALL = "(async (arg) => JSON.stringify((await ({function})(arg)) ?? null))({arg})"
ELEMENT = """([selector, nth]) => {
  const el = document.querySelectorAll(selector)[nth];
  if (!el) throw new Error(`no element ${nth} for ${selector}`);
  el.scrollIntoView({ block: "center", behavior: "instant" }); // not smoothly: measured next
  return el;
}"""
FOCUS = (
    f"(args) => {{ const el = ({ELEMENT})(args); el.focus(); "
    "return document.activeElement === el; }"
)
# Where a pointer clicks an element: its centre, once nothing covers it there and it has stopped
# moving (as Playwright waits): scrolled to, figures near it are laid out (content-visibility) and
# can move it in the next frames.
CENTER = f"""async (args) => {{
  const el = ({ELEMENT})(args), before = el.getBoundingClientRect();
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const r = el.getBoundingClientRect();
  if (r.x !== before.x || r.y !== before.y) return false;
  const x = Math.round(r.x + r.width / 2), y = Math.round(r.y + r.height / 2);
  return el.contains(document.elementFromPoint(x, y)) && [x, y];
}}"""
# A value set as a reader's choice sets it: the control's input and change events follow.
SET_VALUE = f"""([selector, nth, value]) => {{
  const el = ({ELEMENT})([selector, nth]);
  el.value = value;
  el.dispatchEvent(new Event("input", {{ bubbles: true }}));
  el.dispatchEvent(new Event("change", {{ bubbles: true }}));
  return el.value;
}}"""


class Browser:
    """One engine's browser window. Subclasses implement ``_navigate``, ``_evaluate``,
    ``_press``, ``click``, ``screenshot`` and ``close``."""

    name = ""
    version = ""  # as the engine's driver reports it

    def goto(self, url):
        """Load ``url`` and wait for its load event. (Firefox's BiDi ``navigate`` can answer
        before it, from the page being left or from the blank one before the new: the old page
        is marked, and the new one awaited.)"""
        self._quietly("() => { window.vwLeft = true; }")
        self._navigate(url)
        deadline = time.monotonic() + 60
        while not self._quietly(
            "() => !window.vwLeft && location.href !== 'about:blank' && "
            "document.readyState === 'complete'"
        ):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name}: {url} did not load in 60 s")
            time.sleep(0.05)

    def _quietly(self, function):
        """``js(function)``, or None where no script can run (no page yet, or one being left)."""
        try:
            return self.js(function)
        except Exception:  # each driver has its own error for a page that is going away
            return None

    def js(self, function, arg=None):
        """Call ``function`` (JavaScript source of a function of one argument) in the page with
        ``arg``; returns its result (awaited if a promise) as a Python value, through JSON."""
        text = self._evaluate(CALL.format(function=function, arg=json.dumps(arg)))
        return json.loads(text)

    def wait(self, function, arg=None, timeout=30.0, what=None):
        """Call ``function`` until it returns something truthy; returns that."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.js(function, arg)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{self.name}: not true after {timeout:.0f} s: {what or function}"
                )
            time.sleep(0.1)

    def press(self, selector, key, nth=0):
        """Focus the ``nth`` element matching ``selector`` and press ``key`` (a name in KEYS)."""
        if not self.js(FOCUS, [selector, nth]):
            raise AssertionError(f"{self.name}: {selector} [{nth}] took no focus")
        self._press(key)

    def set_value(self, selector, value, nth=0):
        """Set a control's value (a ``<select>``'s option, say), as a reader's choice does."""
        return self.js(SET_VALUE, [selector, nth, value])

    def console_errors(self):
        """Errors the driver heard in the console (none where the driver cannot hear it)."""
        return []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# ---- Chromium, through Playwright ----------------------------------------------------------------


class Chromium(Browser):
    """A new context (cold cache, no cookies) of a Playwright Chromium browser."""

    name = "chromium"

    def __init__(self, playwright_browser, width=WIDTH, height=HEIGHT):
        self.version = playwright_browser.version
        self.context = playwright_browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.errors = []
        # A worker's console reaches the page's in Chromium.
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

    def _navigate(self, url):
        self.page.goto(url)

    def _evaluate(self, expression):
        return self.page.evaluate(expression)

    def _press(self, key):
        self.page.keyboard.press(key)

    def click(self, selector, nth=0):
        self.page.locator(selector).nth(nth).click()

    def screenshot(self, path):
        self.page.screenshot(path=str(path))

    def console_errors(self):
        return list(self.errors)

    def close(self):
        self.context.close()


def launch_chromium(playwright):
    """Debian's Chromium with the flags the tests use (for scripts outside pytest)."""
    from .testing import CHROMIUM_FLAGS, find_chromium

    executable = find_chromium()
    if not executable:
        raise _missing("Chromium", "chromium")
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)


# ---- Firefox, through WebDriver BiDi -------------------------------------------------------------


def find_firefox():
    return next(filter(None, map(shutil.which, ("firefox-esr", "firefox"))), None)


class Firefox(Browser):
    """Firefox, headless, with a new profile, driven through its built-in WebDriver BiDi server
    (https://w3c.github.io/webdriver-bidi/): a few JSON commands over one WebSocket."""

    name = "firefox"

    def __init__(self, width=WIDTH, height=HEIGHT, binary=None):
        from websockets.sync.client import connect

        binary = binary or find_firefox()
        if not binary:
            raise _missing("Firefox", "firefox-esr")
        self.profile = tempfile.mkdtemp(prefix="vw-firefox-")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-remote",
                "--profile",
                self.profile,
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        url, said = None, []
        for line in self.process.stderr:  # it says where it listens, on a free port
            said.append(line)
            if found := re.search(r"WebDriver BiDi listening on (ws://\S+)", line):
                url = found.group(1)
                break
        if not url:
            self.process.wait(10)
            raise RuntimeError("Firefox did not start its WebDriver BiDi server:\n" + "".join(said))
        # The rest of what it says must be read, or it blocks once the pipe is full.
        threading.Thread(target=self.process.stderr.read, daemon=True).start()
        self._ids = itertools.count()
        self._log = []
        self._stack = contextlib.ExitStack()
        self.socket = self._stack.enter_context(
            connect(f"{url}/session", max_size=None, open_timeout=60)
        )
        self.version = self._command("session.new", capabilities={})["capabilities"][
            "browserVersion"
        ]
        self.context = self._command("browsingContext.getTree")["contexts"][0]["context"]
        self._command("session.subscribe", events=["log.entryAdded"])
        self._command(
            "browsingContext.setViewport",
            context=self.context,
            viewport={"width": width, "height": height},
        )

    def _command(self, method, **params):
        """Send one command; return its result. Events that arrive meanwhile are kept."""
        sent = next(self._ids)
        self.socket.send(json.dumps({"id": sent, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("type") == "event":
                if message["method"] == "log.entryAdded":
                    self._log.append(message["params"])
            elif message.get("id") == sent:
                if message["type"] == "error":
                    raise RuntimeError(
                        f"firefox: {method}: {message['error']}: {message.get('message')}"
                    )
                return message["result"]

    def goto(self, url):
        said = len(self._log)
        super().goto(url)
        self._forget_partial_mathml(said)

    def _navigate(self, url):
        self._command("browsingContext.navigate", context=self.context, url=url, wait="complete")

    def _forget_partial_mathml(self, said):
        """Firefox lays out a page while it is still parsing it, and reports a MathML element
        whose children have not all arrived yet ("Incorrect number of children for <mover/>
        tag.") as an error. Such a report is dropped only when, the page parsed, every element
        of that name has the number of children its tag requires; otherwise it stays."""
        partial = [
            entry for entry in self._log[said:] if MATHML_CHILDREN.search(entry.get("text") or "")
        ]
        if not partial:
            return
        tags = {MATHML_CHILDREN.search(entry["text"]).group(1) for entry in partial}
        wrong = self.js(
            MATHML_WRONG, {tag: MATHML_ARITY[tag] for tag in tags if tag in MATHML_ARITY}
        )
        if not wrong and tags <= MATHML_ARITY.keys():
            self._log = [entry for entry in self._log if entry not in partial]

    def _evaluate(self, expression):
        reply = self._command(
            "script.evaluate",
            expression=expression,
            awaitPromise=True,
            target={"context": self.context},
            resultOwnership="none",
        )
        if reply["type"] == "exception":
            details = reply["exceptionDetails"]
            raise RuntimeError(f"firefox: {details['text']}\n{expression}")
        return reply["result"]["value"]

    def _actions(self, source):
        self._command("input.performActions", context=self.context, actions=[source])

    def _press(self, key):
        code = KEYS.get(key, key)
        self._actions(
            {
                "type": "key",
                "id": "keyboard",
                "actions": [{"type": "keyDown", "value": code}, {"type": "keyUp", "value": code}],
            }
        )

    def click(self, selector, nth=0):
        x, y = self.wait(CENTER, [selector, nth], what=f"nothing covers {selector} [{nth}]")
        self._actions(
            {
                "type": "pointer",
                "id": "mouse",
                "parameters": {"pointerType": "mouse"},
                "actions": [
                    {"type": "pointerMove", "x": x, "y": y},
                    {"type": "pointerDown", "button": 0},
                    {"type": "pointerUp", "button": 0},
                ],
            }
        )

    def screenshot(self, path):
        import base64

        data = self._command("browsingContext.captureScreenshot", context=self.context)["data"]
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))

    def console_errors(self):
        self._command("session.status")  # events sent before its reply are in by then
        return [f"{e.get('type')}: {e.get('text')}" for e in self._log if e.get("level") == "error"]

    def close(self):
        try:
            self._command("browser.close")
        except Exception:  # it may close the socket before it answers
            pass
        self._stack.close()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


# ---- WebKit, through Selenium and WebKitWebDriver ------------------------------------------------


def find_webkit():
    """(WebKitWebDriver, MiniBrowser), the driver and the browser of Debian's webkit2gtk-driver."""
    driver = shutil.which("WebKitWebDriver")
    browsers = sorted(
        glob.glob("/usr/lib/*/webkit2gtk-*/MiniBrowser")
        + glob.glob("/usr/libexec/webkit2gtk-*/MiniBrowser")
    )
    return driver, browsers[-1] if browsers else None


class WebKit(Browser):
    """WebKitGTK's MiniBrowser, in automation mode (a fresh, ephemeral session), on ``display``."""

    name = "webkit"

    def __init__(self, display, width=WIDTH, height=HEIGHT):
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        driver, browser = find_webkit()
        if not driver or not browser:
            raise _missing("WebKitWebDriver and its MiniBrowser", "webkit2gtk-driver")
        options = Options()
        options.binary_location = browser
        options.add_argument("--automation")
        service = Service(executable_path=driver, env={**os.environ, "DISPLAY": display})
        with warnings.catch_warnings():  # Selenium's WebKitGTK class uses a form it deprecated
            warnings.simplefilter("ignore", DeprecationWarning)
            self.driver = webdriver.WebKitGTK(options=options, service=service)
        self.version = self.driver.capabilities["browserVersion"]
        self.driver.set_window_size(width, height)

    def _navigate(self, url):
        self.driver.get(url)

    def _evaluate(self, expression):
        return self.driver.execute_script(f"return {expression}")

    def _press(self, key):
        from selenium.webdriver import ActionChains

        code = KEYS.get(key, key)
        ActionChains(self.driver).key_down(code).key_up(code).perform()

    def click(self, selector, nth=0):
        from selenium.webdriver.common.by import By

        # Scrolled to first: WebKitWebDriver 2.50 neither scrolls to nor clicks an element in a
        # figure that content-visibility skips off screen (element not interactable). Readers
        # are unaffected: focus and scrolling lay it out in every engine.
        self.js(
            f"async (args) => {{ ({ELEMENT})(args); await new Promise(requestAnimationFrame); }}",
            [selector, nth],
        )
        self.driver.find_elements(By.CSS_SELECTOR, selector)[nth].click()

    def screenshot(self, path):
        self.driver.save_screenshot(str(path))

    def close(self):
        self.driver.quit()


@contextlib.contextmanager
def virtual_display(size="1280x1024x24"):
    """An X display of its own (Xvfb, on the first free number), for WebKitGTK's window, which
    has no headless mode; yields its name, like ``":1"``."""
    xvfb = shutil.which("Xvfb")
    if not xvfb:
        raise _missing("Xvfb", "xvfb")
    read, write = os.pipe()
    process = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", size, "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as said:
        number = said.readline().strip()  # written once the display is ready
    try:
        if not number:
            raise RuntimeError(f"Xvfb did not start (exit code {process.wait(10)})")
        yield f":{number}"
    finally:
        process.terminate()
        process.wait(10)


def open_browser(name, playwright_browser=None, display=None, **size):
    """A new window of engine ``name`` (one of ENGINES). Chromium needs a Playwright browser;
    WebKit an X display (see :func:`virtual_display`)."""
    if name == "chromium":
        return Chromium(playwright_browser, **size)
    if name == "firefox":
        return Firefox(**size)
    if name == "webkit":
        return WebKit(display, **size)
    raise ValueError(f"unknown engine {name!r}: expected one of {', '.join(ENGINES)}")
