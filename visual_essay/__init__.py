"""visual-essay: explorable explanations in Markdown and numpy.

A widget is a numpy module with ``TITLE``, ``PARAMS`` and ``compute(**params) -> scene``. It runs
twice: at build time, where matplotlib draws the static figure every reader sees first, and in
the reader's browser, where Pyodide runs the same module on every change of a control.

What runs in the browser (numpy and the standard library only): ``scene`` (the vocabulary of
marks), ``params`` (control declarations), ``registry`` and ``prepared`` (values computed
at build time). Everything else is the build: the MkDocs plugin, the ``widget`` fence, the
matplotlib renderer, Pyodide pinning and the ``visual-essay`` command.
"""

__version__ = "0.2.0"

# The modules Pyodide imports beside an essay's widgets (they must not import the build side).
BROWSER_MODULES = ("__init__", "contract", "layout", "scene", "params", "registry", "prepared")
