"""The engine's test fixtures: the system's Chromium with nothing outside localhost, verified
Pyodide files, build and serve helpers (see visual_essay.testing)."""

pytest_plugins = ["visual_essay.testing"]
