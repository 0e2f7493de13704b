"""Serve this folder on your own machine, so the essay's figures come alive with no network.

    python serve.py            # then open the address it prints
    python serve.py --port 8080

Standard library only. Opening index.html directly (file://) also works, but the figures then stay
as printed: browsers do not let a page loaded from a file start Python.
"""

import argparse
import functools
import http.server
import mimetypes
from pathlib import Path
import webbrowser

HERE = Path(__file__).resolve().parent
mimetypes.add_type("application/wasm", ".wasm")  # Pyodide compiles fastest when this is right


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass  # quiet: the reader only needs the address


def main():
    parser = argparse.ArgumentParser(description="Serve the essay on 127.0.0.1.")
    parser.add_argument(
        "--port",
        type=int,
        default=8000,
        help="8000 by default, or any free one if it is taken; 0 picks a free one",
    )
    parser.add_argument("--open", action="store_true", help="open it in the default browser")
    args = parser.parse_args()
    handler = functools.partial(Handler, directory=str(HERE))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    except OSError:  # taken: any other port serves the same live essay
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_port}/index.html"
    print(f"The essay is at {url}  (Ctrl+C to stop)", flush=True)
    if args.open:
        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
