#!/usr/bin/env python3
"""moto's server, with a counter of the AWS requests it received, for cordon's tests and demo.

Serves moto's own WSGI application (the one `moto_server` runs) on HOST:PORT (port 0 picks a free
one) and prints `Running on http://HOST:PORT` on stderr once the socket listens. Every request
that is neither under /moto-api/ nor under the wrapper's /_cordon/ path is counted:

  GET  /_cordon/requests   -> {"count": N}, requests counted since start or the last mark
  POST /_cordon/mark       -> resets the count to 0, answers {"count": 0}

Everything else, /moto-api/reset and /moto-api/reset-auth included, goes to moto untouched.
SIGTERM and SIGINT stop the server.
"""

import argparse
import json
import logging
import os
import signal
import sys
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

CONTROL_PREFIX = "/_cordon/"
MOTO_API_PREFIX = "/moto-api/"


class CountingApp:
    """WSGI middleware: counts the AWS requests, answers the control paths, forwards the rest."""

    def __init__(self, app):
        self._app = app
        self._lock = threading.Lock()
        self._count = 0

    def _answer(self, start_response, status, body):
        data = json.dumps(body).encode()
        start_response(
            status,
            [("Content-Type", "application/json"), ("Content-Length", str(len(data)))],
        )
        return [data]

    def _control(self, method, path, start_response):
        if path == CONTROL_PREFIX + "requests" and method == "GET":
            with self._lock:
                return self._answer(start_response, "200 OK", {"count": self._count})
        if path == CONTROL_PREFIX + "mark" and method == "POST":
            with self._lock:
                self._count = 0
            return self._answer(start_response, "200 OK", {"count": 0})
        return self._answer(
            start_response, "404 Not Found", {"error": f"no control endpoint {method} {path}"}
        )

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path.startswith(CONTROL_PREFIX):
            return self._control(method, path, start_response)
        if not path.startswith(MOTO_API_PREFIX):
            with self._lock:
                self._count += 1
        return self._app(environ, start_response)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1", help="address to bind")
    parser.add_argument("-p", "--port", type=int, default=0, help="port; 0 picks a free one")
    parser.add_argument(
        "--quiet", action="store_true", help="do not log every request on stderr"
    )
    args = parser.parse_args()

    if args.quiet:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    app = CountingApp(DomainDispatcherApplication(create_backend_app))
    server = make_server(args.host, args.port, app, threaded=True)
    port = server.server_port
    # moto builds some URLs (queue URLs, presigned URLs) from MOTO_PORT.
    os.environ["MOTO_PORT"] = str(port)

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"Running on http://{args.host}:{port}", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
