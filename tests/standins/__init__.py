"""Stand-ins for the outside services we reach through their official clients: real HTTP servers on
127.0.0.1 (one thread each) that answer as the vendor's API would, and can be told to fail."""
from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# A route answers (status, JSON-able body) from the path's match and the request's JSON body.
Route = Callable[[re.Match, dict], tuple[int, object]]


class StandIn:
    """An HTTP server answering the routes given; `fail_next(...)` makes the next requests fail:
    "500" (a server error), "timeout" (no answer for `stall` seconds), "malformed" (a 200 whose body
    is not JSON), or any other status code as a string (with the vendor's error shape)."""

    def __init__(self, routes: dict[tuple[str, str], Route], stall: float = 3.0):
        self.routes = [(method, re.compile(pattern + r"$"), route) for (method, pattern), route in routes.items()]
        self.requests: list[dict] = []
        self.failures: list[str] = []
        self.stall = stall
        self.lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                stand_in.handle(self, "GET")

            def do_POST(self):
                stand_in.handle(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def fail_next(self, *failures: str) -> None:
        with self.lock:
            self.failures.extend(failures)

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.failures.clear()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(self, request: BaseHTTPRequestHandler, method: str) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else {}
        path = request.path.split("?", 1)[0]
        with self.lock:
            self.requests.append({"method": method, "path": path, "body": body, "headers": {k.lower(): v for k, v in request.headers.items()}})
            failure = self.failures.pop(0) if self.failures else None
        if failure == "timeout":
            time.sleep(self.stall)
            return self._send(request, 504, {"error": "stalled"})
        if failure == "malformed":
            return self._send(request, 200, b'{"id": "cut off mid-wa')
        if failure:
            return self._send(request, int(failure), {"error": {"type": "api_error", "message": "stand-in failure"},
                                                       "message": "stand-in failure"})
        for route_method, pattern, route in self.routes:
            match = pattern.match(path)
            if route_method == method and match:
                return self._send(request, *route(match, body))
        self._send(request, 404, {"message": "Not Found"})

    @staticmethod
    def _send(request: BaseHTTPRequestHandler, status: int, payload) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass
