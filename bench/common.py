"""Plumbing shared by the benchmarks.

* `Stack`: PostgreSQL and Redis (the test suite's `tests/services.py` classes), `flask` commands,
  RQ workers and gunicorn as child processes, all stopped and their temp dir removed on exit,
  on failure, on Ctrl-C and on SIGTERM.
* `Http`: a keep-alive HTTP/1.1 client with a cookie jar, on `http.client` (no `requests` here).
* `cpu_snapshot`, `cpu_usage`: CPU time per part of the stack and of other programs (psutil).
* `percentile`, `svg_bar_charts`: summary statistics and a hand-written SVG chart (no matplotlib).
"""
from __future__ import annotations

import ctypes
import html
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
VENV_BIN = ROOT / ".venv" / "bin"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.services import Postgres, RedisServer, free_port, temp_root, wait_for_port  # noqa: E402

STRONG_PASSWORD = "orbit-lantern-quarry-77"
CSRF_RE = re.compile(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'')


try:
    _LIBC = ctypes.CDLL(None, use_errno=True)
except OSError:
    _LIBC = None


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM if the benchmark itself is killed (even -9)."""
    if _LIBC is not None:
        _LIBC.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Stack:
    """Every server the benchmark starts. Use as a context manager: `close()` always runs."""

    def __init__(self, log=print, unix_sockets: bool = True) -> None:
        self.log = log
        self.unix = unix_sockets  # the app reaches Postgres and Redis over Unix sockets, not TCP
        self.root = temp_root()
        self.logs = self.root / "logs"
        self.logs.mkdir()
        self.pg: Postgres | None = None
        self.redis: RedisServer | None = None
        self.db_url = self.redis_url = ""
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.extra_env: dict[str, str] = {}

    # services ------------------------------------------------------------------------------
    def start_services(self, database: str = "allthrive") -> None:
        self.pg = Postgres(self.root).start()
        self.redis = RedisServer(self.root).start()
        self.pg.create_database(database)
        self.db_url = self.pg.url(database, unix=self.unix)
        self.redis_url = self.redis.unix_url if self.unix else self.redis.url

    def dsn(self, database: str) -> str:
        """A libpq connection string to `database`, over the same transport as the app's."""
        return self.pg.dsn(database, unix=self.unix)

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "FLASK_APP": "wsgi.py",
            "DATABASE_URL": self.db_url,
            "REDIS_URL": self.redis_url,
            "SECRET_KEY": "bench-secret-key",
            "RATELIMIT_AUTH": "100000 per minute",
            "INPROCESS_WORKER": "0",
            "PYTHONUNBUFFERED": "1",
        })
        env.update(self.extra_env)
        env.update(extra)
        return env

    def flask(self, *args: str) -> None:
        """Run one `flask` CLI command to completion (its output goes to the logs dir)."""
        with open(self.logs / "flask-cli.log", "ab") as out:
            subprocess.run([str(VENV_BIN / "flask"), *args], cwd=ROOT, env=self.env(), check=True,
                           stdout=out, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)

    def spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        """Start a long-running child in its own session (Ctrl-C reaches only the benchmark)."""
        out = open(self.logs / f"{name}.log", "ab")
        process = subprocess.Popen(args, cwd=ROOT, env=self.env(), stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True, preexec_fn=_die_with_parent)
        out.close()
        self.processes.append((name, process))
        return process

    def start_workers(self, count: int, projection_only: int = 0, nice: int = 0,
                      projection_nice: int = 0) -> list[subprocess.Popen]:
        """`count` workers, the first `projection_only` of them on the projection queue alone (so a
        long policy job never holds up a push; at `nice -n projection_nice`), the others on both
        queues, projections first, at `flask worker --nice` (so their policy work yields the CPU to
        requests and pushes)."""
        def command(i: int) -> list[str]:
            if i < projection_only:
                prefix = ["nice", "-n", str(projection_nice)] if projection_nice else []
                return [*prefix, str(VENV_BIN / "flask"), "worker", "--queues", "projections"]
            return [str(VENV_BIN / "flask"), "worker", *(["--nice", str(nice)] if nice else [])]
        return [self.spawn(f"worker-{i}", command(i)) for i in range(count)]

    def start_gunicorn(self, workers: int, threads: int, port: int | None = None, name: str = "gunicorn",
                       nice: int = 0, connections: int | None = None) -> int:
        """gunicorn gthread on 127.0.0.1 (at CPU priority `nice`, with `nice -n`); return its port.

        `connections` is each worker's --worker-connections (default: the threads). gthread keeps a
        connection alive only while fewer than connections - threads are kept: with as many
        connections as threads it answers every request with "Connection: close"."""
        port = port or free_port()
        self.spawn(name, [
            *(["nice", "-n", str(nice)] if nice else []), str(VENV_BIN / "gunicorn"), "-k", "gthread", "--threads", str(threads),
            "--worker-connections", str(connections or threads), "-w", str(workers), "--no-control-socket",
            "--graceful-timeout", "2", "-b", f"127.0.0.1:{port}", "wsgi:app",
        ])
        wait_for_port(port, timeout=60)
        return port

    # stopping ------------------------------------------------------------------------------
    @staticmethod
    def _stop(process: subprocess.Popen, timeout: float = 6.0) -> None:
        """SIGTERM the child's process group (it is its session leader), then SIGKILL it."""
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        try:  # whatever of its group is left (gunicorn's workers, say)
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            pass

    def stop_processes(self) -> None:
        while self.processes:
            _, process = self.processes.pop()
            self._stop(process)

    def tail_logs(self, lines: int = 25) -> str:
        parts = []
        for path in sorted(self.logs.glob("*.log")):
            text = path.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {path.name} (last {len(text)} lines) ---\n" + "\n".join(text))
        return "\n".join(parts)

    def close(self, failed: bool = False) -> None:
        if failed:
            try:
                print(self.tail_logs(), file=sys.stderr)
            except Exception:
                pass
        self.stop_processes()
        if self.redis:
            self.redis.stop()
        if self.pg:
            self.pg.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> "Stack":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(failed=exc_type is not None and exc_type is not KeyboardInterrupt)


def raise_on_sigterm() -> None:
    """Turn SIGTERM/SIGHUP into KeyboardInterrupt in the main thread, so `finally` cleans up."""

    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, handler)


# CPU accounting ---------------------------------------------------------------------------------
def _tree(process) -> list:
    try:
        return [process, *process.children(recursive=True)]
    except Exception:
        return []


def cpu_snapshot(stack: Stack, extra: dict[str, int] | None = None) -> dict:
    """CPU seconds (user+system) used so far by every process, each tagged with its role in the
    stack (None: another program), and by the whole machine."""
    import psutil

    roles: dict[int, str] = {}

    def tag(role: str, processes) -> None:
        for p in processes:
            roles.setdefault(p.pid, role)

    for name, popen in stack.processes:
        try:
            tag(name.split("-")[0], _tree(psutil.Process(popen.pid)))
        except psutil.NoSuchProcess:
            pass
    if stack.pg is not None:
        try:
            pid = int((stack.pg.data / "postmaster.pid").read_text().split()[0])
            tag("postgres", _tree(psutil.Process(pid)))
        except Exception:
            pass
    if stack.redis is not None and stack.redis.process is not None:
        tag("redis", _tree(psutil.Process(stack.redis.process.pid)))
    for role, pid in (extra or {}).items():
        roles[pid] = role  # not its children: the benchmark's own children are listed apart
    pids = {}
    for p in psutil.process_iter():
        try:
            t = p.cpu_times()
            pids[p.pid] = (roles.get(p.pid), p.create_time(), t.user + t.system)
        except Exception:
            pass
    busy = psutil.cpu_times()
    modes = {mode: getattr(busy, mode, 0.0) for mode in MACHINE_MODES}
    return {"machine": sum(modes.values()), "modes": modes, "pids": pids, "at": time.monotonic()}


# What /proc/stat counts as busy: user and nice are programs, system is the kernel working for
# them, irq and softirq are interrupts (loopback networking's packets are softirq work), steal is
# time the hypervisor gave another guest.
MACHINE_MODES = ("user", "nice", "system", "irq", "softirq", "steal")


def machine_modes(before: dict, after: dict) -> dict[str, float]:
    """Percent of one core the whole machine spent in each busy mode between two snapshots."""
    wall = after["at"] - before["at"]
    return {mode: round(100 * (after["modes"][mode] - before["modes"][mode]) / wall, 1) for mode in MACHINE_MODES}


def cpu_usage(before: dict, after: dict) -> dict[str, float]:
    """Percent of one core per role between two snapshots, plus "other programs" and
    "kernel/unattributed" (interrupts, loopback networking, processes gone in between)."""
    wall = after["at"] - before["at"]
    used: dict[str, float] = {}
    for pid, (role, created, t) in after["pids"].items():
        old = before["pids"].get(pid)
        delta = t - old[2] if old and old[1] == created else t
        key = role or "other programs"
        used[key] = used.get(key, 0.0) + delta
    used["kernel/unattributed"] = max(0.0, after["machine"] - before["machine"] - sum(used.values()))
    return {k: round(100 * v / wall, 1) for k, v in used.items()}


# HTTP -------------------------------------------------------------------------------------------
class Session:
    """One member's cookies and CSRF token (what a browser keeps per site)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}
        self.csrf = ""


class Http:
    """One keep-alive connection; requests carry the cookies of the Session given (or its own)."""

    def __init__(self, port: int, timeout: float = 30.0) -> None:
        self.port = port
        self.timeout = timeout
        self.conn: http.client.HTTPConnection | None = None
        self.session = Session()

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None, session: Session | None = None) -> tuple[int, bytes]:
        session = session or self.session
        all_headers = {"Host": f"127.0.0.1:{self.port}"}
        if session.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
        if body is not None or method in ("POST", "DELETE", "PUT", "PATCH"):
            all_headers["Content-Length"] = str(len(body or b""))
        all_headers.update(headers or {})
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=all_headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection before reading this request.
                self.close()
                if attempt:
                    raise
                continue
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if "max-age=0" in header.lower() or "expires=thu, 01 jan 1970" in header.lower():
                    session.cookies.pop(name.strip(), None)
                else:
                    session.cookies[name.strip()] = value
            if response.will_close:
                self.close()
            return response.status, data
        raise RuntimeError("unreachable")

    def htmx(self, method: str, path: str, form: dict[str, str] | None = None,
             session: Session | None = None) -> tuple[int, bytes]:
        """A request as htmx sends it: HX-Request and the page's CSRF token in a header."""
        from urllib.parse import urlencode

        session = session or self.session
        headers = {"HX-Request": "true", "X-CSRFToken": session.csrf}
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.request(method, path, body, headers, session)

    def log_in(self, username: str, password: str, session: Session | None = None) -> Session:
        """GET / for the CSRF token, then POST /login as htmx does; return the logged-in Session."""
        session = session or self.session
        status, page = self.request("GET", "/", session=session)
        match = CSRF_RE.search(page.decode("utf-8", "replace"))
        if status != 200 or not match:
            raise RuntimeError(f"GET / answered {status} without a CSRF token")
        session.csrf = html.unescape(match.group(1))
        status, body = self.htmx("POST", "/login", {"username": username, "password": password}, session)
        if status != 204:
            raise RuntimeError(f"log-in of {username} answered {status}: {body[:300]!r}")
        return session

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:
                pass
        self.conn = None


# statistics and charts --------------------------------------------------------------------------
def percentile(values: list[float], p: float) -> float | None:
    """Linear-interpolated percentile (numpy's default), p in 0..100."""
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def svg_bar_charts(panels: list[dict], title: str, subtitle: str = "") -> str:
    """Side-by-side horizontal bar charts, written by hand.

    Each panel: {"title", "unit", "bars": [(label, value, colour)], "target": (label, value) | None}.
    """
    width_panel, bar_h, gap, left, right, top = 420, 26, 12, 150, 70, 78
    rows = max(len(p["bars"]) for p in panels)
    height = top + rows * (bar_h + gap) + 60
    width = width_panel * len(panels) + 20
    esc = html.escape
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="10" y="22" font-size="16" font-weight="bold">{esc(title)}</text>',
           f'<text x="10" y="40" fill="#555">{esc(subtitle)}</text>']
    for i, panel in enumerate(panels):
        x0 = 10 + i * width_panel
        plot_w = width_panel - left - right
        values = [v for _, v, _ in panel["bars"] if v is not None]
        target = panel.get("target")
        vmax = max(values + ([target[1]] if target else []) + [1e-9]) * 1.1
        out.append(f'<text x="{x0}" y="{top - 16}" font-size="13" font-weight="bold">'
                   f'{esc(panel["title"])}</text>')
        for j, (label, value, colour) in enumerate(panel["bars"]):
            y = top + j * (bar_h + gap)
            out.append(f'<text x="{x0 + left - 6}" y="{y + bar_h * 0.65:.1f}" text-anchor="end">'
                       f'{esc(label)}</text>')
            if value is None:
                out.append(f'<text x="{x0 + left + 4}" y="{y + bar_h * 0.65:.1f}" fill="#999">n/a</text>')
                continue
            w = max(1.0, plot_w * value / vmax)
            out.append(f'<rect x="{x0 + left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}"/>')
            shown = f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"
            out.append(f'<text x="{x0 + left + w + 4:.1f}" y="{y + bar_h * 0.65:.1f}">'
                       f'{esc(shown)} {esc(panel["unit"])}</text>')
        axis_y = top + rows * (bar_h + gap)
        out.append(f'<line x1="{x0 + left}" y1="{top - 4}" x2="{x0 + left}" y2="{axis_y}" stroke="#333"/>')
        if target:
            tx = x0 + left + plot_w * target[1] / vmax
            out.append(f'<line x1="{tx:.1f}" y1="{top - 6}" x2="{tx:.1f}" y2="{axis_y}" stroke="#d62728" '
                       f'stroke-dasharray="5,4" stroke-width="1.5"/>')
            out.append(f'<text x="{tx:.1f}" y="{axis_y + 16}" fill="#d62728" text-anchor="middle">'
                       f'{esc(target[0])}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
