"""Publishing this essay: the GitHub Pages workflow, the README's two commands, the test script.
(The engine's own part, the offline bundle's serve.py and the builders' environment, is tested in
``tests/engine/test_publishing.py``.)"""

from pathlib import Path
import re

import yaml

ROOT = Path(__file__).resolve().parents[2]


def readme_commands():
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```bash\n(.*?)```", text, re.S).group(1)
    return [line.split("#")[0].strip() for line in block.strip().splitlines()]


def test_the_readme_opens_with_exactly_two_commands_serve_and_test():
    serve, test = readme_commands()
    assert serve.startswith("python3 -m venv .venv && . .venv/bin/activate && "), \
        "a fresh Debian or Ubuntu Python refuses pip outside a virtual environment"
    assert serve.endswith("pip install -c requirements/lock.txt -e . && visual-essay serve"), \
        "the essay's locked versions; visual-essay serve builds offline, says the address and " \
        "keeps MkDocs 2's banner quiet"
    assert "-c requirements/lock.txt" in (ROOT / "tests" / "run.sh").read_text()
    assert test == "bash tests/run.sh"
    ci = (ROOT / ".ci" / "run").read_text()
    assert "README.md" in ci and "venv" in ci, "CI runs the README's test command in a new venv"


def test_the_pages_workflow_tests_then_publishes_with_the_official_actions():
    workflow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text())
    jobs = workflow["jobs"]
    steps = {name: [s.get("uses", "") + " " + s.get("run", "") for s in job["steps"]]
             for name, job in jobs.items()}
    assert any(readme_commands()[1] in s for s in steps["test"])
    assert jobs["build"]["needs"] == "test" and jobs["deploy"]["needs"] == "build"
    assert any(s.startswith("actions/configure-pages@") for s in steps["build"])
    assert any(s.startswith("actions/upload-pages-artifact@") for s in steps["build"])
    assert any(s.startswith("actions/deploy-pages@") for s in steps["deploy"])
    build = next(s for s in jobs["build"]["steps"] if "mkdocs build" in s.get("run", ""))
    assert "pip install -c requirements/lock.txt " in build["run"], "the essay's locked versions"
    assert build["env"]["VISUAL_ESSAY_PYODIDE"] == "cdn"
    assert "base_url" in build["env"]["SITE_URL"], "canonical links and the 404 page need it"
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert jobs["deploy"]["environment"]["name"] == "github-pages"


def test_the_test_script_keeps_mkdocs_2s_banner_away_from_a_newcomer():
    assert "NO_MKDOCS_2_WARNING=1" in (ROOT / "tests" / "run.sh").read_text()
