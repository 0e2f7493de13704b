// The floor's worker: load Pyodide with numpy from the same local files, then one numpy call.
importScripts("../assets/visual-essay/pyodide/pyodide.js");
loadPyodide({ indexURL: "../assets/visual-essay/pyodide/", packages: ["numpy"] }).then((py) => {
  postMessage(String(py.runPython("import numpy; int(numpy.arange(10).sum())")));
});
