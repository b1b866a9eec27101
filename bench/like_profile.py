"""Where a like's time goes: one like at a time, in-process, with every SQL statement, Redis
command and template render timed.

    .venv/bin/python bench/like_profile.py [--likes 300] [--members 200]

Starts its own PostgreSQL and Redis, seeds like bench/like_path.py, logs fans in through the
Flask test client (the full WSGI app: routing, session, Flask-Login, CSRF, the command, the
template; not gunicorn's HTTP parsing), then:

1. web: N like requests, one after another; per like the wall time split into SQL round trips,
   Redis commands (the RQ enqueue), template rendering and the rest (Python);
2. worker: drains the queues with a real RQ SimpleWorker (burst), timed the same way, per like;
3. push: renders the leaderboard.global push (what each web process does per flush);
4. cProfile (CPU time) of a third more likes and of their jobs, run apart from the timings.
 Writes
bench/results/like_profile.json and prints a summary. Sequential, so there is no contention:
these are the costs of one like, not a throughput.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import re
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CSRF_RE, RESULTS, STRONG_PASSWORD, Stack, raise_on_sigterm  # noqa: E402
from like_path import cli_has, log, seed  # noqa: E402


class Meter:
    """Accumulates time per category (sql, redis, template) on the current thread."""

    def __init__(self) -> None:
        self.local = threading.local()
        self.reset()

    def reset(self) -> None:
        self.time: Counter = Counter()
        self.count: Counter = Counter()
        self.statements: Counter = Counter()
        self.statement_time: Counter = Counter()
        self.redis_commands: Counter = Counter()

    def add(self, kind: str, seconds: float, n: int = 1) -> None:
        self.time[kind] += seconds
        self.count[kind] += n


def install(meter: Meter, engine) -> None:
    """Hook SQLAlchemy, redis-py and Flask's template signals (in this process only)."""
    import redis
    from flask import before_render_template, template_rendered
    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("t0", []).append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def after(conn, cursor, statement, parameters, context, executemany):
        seconds = time.perf_counter() - conn.info["t0"].pop()
        meter.add("sql", seconds)
        key = normalise(statement)
        meter.statements[key] += 1
        meter.statement_time[key] += seconds

    # COMMIT's own round trip is not a cursor execute: time it around the DBAPI connection.
    from sqlalchemy.engine import default

    original_do_commit = default.DefaultDialect.do_commit

    def do_commit(self, dbapi_connection):
        t = time.perf_counter()
        try:
            return original_do_commit(self, dbapi_connection)
        finally:
            seconds = time.perf_counter() - t
            meter.add("sql", seconds)
            meter.statements["COMMIT"] += 1
            meter.statement_time["COMMIT"] += seconds

    default.DefaultDialect.do_commit = do_commit

    original_execute = redis.Redis.execute_command

    def execute_command(self, *args, **options):
        t = time.perf_counter()
        try:
            return original_execute(self, *args, **options)
        finally:
            meter.add("redis", time.perf_counter() - t)
            meter.redis_commands[str(args[0]).upper()] += 1

    redis.Redis.execute_command = execute_command
    original_pipeline = redis.client.Pipeline.execute

    def pipeline_execute(self, raise_on_error=True):
        n = len(self.command_stack)
        names = [str(c[0][0]).upper() for c in self.command_stack]
        t = time.perf_counter()
        try:
            return original_pipeline(self, raise_on_error)
        finally:
            meter.add("redis", time.perf_counter() - t)
            meter.redis_commands[f"pipeline({n}): " + " ".join(sorted(set(names)))[:60]] += 1

    redis.client.Pipeline.execute = pipeline_execute

    starts: dict[int, float] = {}

    def before_template(sender, template, context, **extra):
        starts[id(template)] = time.perf_counter()

    def after_template(sender, template, context, **extra):
        t0 = starts.pop(id(template), None)
        if t0 is not None:
            meter.add("template", time.perf_counter() - t0)

    before_render_template.connect(before_template, weak=False)
    template_rendered.connect(after_template, weak=False)


def normalise(statement: str) -> str:
    s = re.sub(r"\s+", " ", statement).strip()
    s = re.sub(r"\(%\(.*?\)s.*?\)", "(...)", s)
    s = re.sub(r"%\([^)]*\)s(::[A-Z ]+)?", "?", s)
    s = re.sub(r"__\[POSTCOMPILE_[^\]]*\]", "?", s)
    return s[:110]


def breakdown(meter: Meter, total: float, n: int) -> dict:
    per = {k: round(1000 * v / n, 3) for k, v in meter.time.items()}
    per["total"] = round(1000 * total / n, 3)
    per["python_other"] = round(per["total"] - sum(v for k, v in per.items() if k != "total"), 3)
    return {"ms_per_like": per,
            "calls_per_like": {k: round(v / n, 2) for k, v in meter.count.items()},
            "sql_statements_per_like": [
                {"statement": s, "per_like": round(c / n, 2),
                 "ms_per_like": round(1000 * meter.statement_time[s] / n, 3)}
                for s, c in meter.statements.most_common()],
            "redis_per_like": {c: round(v / n, 2) for c, v in meter.redis_commands.most_common()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--likes", type=int, default=300)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--creators", type=int, default=100)
    parser.add_argument("--top", type=int, default=25, help="lines of each cumulative profile table (25)")
    parser.add_argument("--out", default=str(RESULTS / "like_profile.json"))
    args = parser.parse_args()
    raise_on_sigterm()
    failed = False
    stack = Stack(log=log)
    try:
        log(f"starting PostgreSQL and Redis in {stack.root}")
        stack.start_services()
        stack.flask("db", "upgrade")
        app, people = seed(stack, args.members)
        if cli_has(app, "gamification", "load"):
            stack.flask("gamification", "load")
        creators, fans = people[:args.creators], people[args.creators:]

        from rq import SimpleWorker

        from app.extensions import db, store
        from app.realtime import hub

        meter = Meter()
        with app.app_context():
            install(meter, db.engine)

        # log fans in through the test client
        clients = []
        for _, name, _ in fans:
            client = app.test_client()
            page = client.get("/").get_data(as_text=True)
            token = CSRF_RE.search(page).group(1)
            response = client.post("/login", data={"username": name, "password": STRONG_PASSWORD},
                                   headers={"HX-Request": "true", "X-CSRFToken": token})
            assert response.status_code == 204, response.status_code
            clients.append((client, token))
        worker = SimpleWorker([store(app).queue, store(app).policy_queue]
                              if hasattr(store(app), "policy_queue") else [store(app).queue],
                              connection=store(app).raw)
        with app.app_context():
            worker.work(burst=True, logging_level="WARNING")  # the log-ins' events

        def plan(offset: int, n: int):
            """n likes, each by the next fan, of a creator's project that fan has not liked."""
            c = len(clients)
            return [(clients[i % c], creators[(i % c + i // c) % len(creators)][2])
                    for i in range(offset, offset + n)]

        def drain() -> tuple[float, float, dict]:
            jobs = {q.name: q.count for q in queues}
            t, cpu = time.perf_counter(), time.process_time()
            with app.app_context():
                worker.work(burst=True, logging_level="WARNING")
            return time.perf_counter() - t, time.process_time() - cpu, jobs

        queues = [store(app).queue] + ([store(app).policy_queue] if hasattr(store(app), "policy_queue") else [])
        log(f"web: {args.likes} like requests, one at a time")
        meter.reset()
        t0, cpu0 = time.perf_counter(), time.process_time()
        for (client, token), project_id in plan(0, args.likes):
            response = client.post(f"/projects/{project_id}/like",
                                   headers={"HX-Request": "true", "X-CSRFToken": token})
            assert response.status_code == 200, response.status_code
        web_total, web_cpu = time.perf_counter() - t0, time.process_time() - cpu0
        web = breakdown(meter, web_total, args.likes)
        web["cpu_ms_per_like"] = round(1000 * web_cpu / args.likes, 3)

        log("worker: draining the queued jobs with an RQ SimpleWorker (burst)")
        meter.reset()
        worker_total, worker_cpu, jobs = drain()
        work = breakdown(meter, worker_total, args.likes)
        work["cpu_ms_per_like"] = round(1000 * worker_cpu / args.likes, 3)
        work["jobs_queued_per_like_at_start"] = {k: round(v / args.likes, 2) for k, v in jobs.items()}
        work["jobs_per_like"] = round(meter.redis_commands.get("LPOP", 0) / args.likes, 2)

        # cProfile separately (it slows Python down several-fold, so it would skew the timings above).
        n = max(50, args.likes // 3)
        log(f"cProfile: {n} more likes, then their jobs")
        profile, wprofile = cProfile.Profile(time.process_time), cProfile.Profile(time.process_time)
        for (client, token), project_id in plan(args.likes, n):
            profile.enable()
            client.post(f"/projects/{project_id}/like", headers={"HX-Request": "true", "X-CSRFToken": token})
            profile.disable()
        wprofile.enable()
        drain()
        wprofile.disable()

        log("push: rendering leaderboard.global 50 times")
        meter.reset()
        t0 = time.perf_counter()
        size = 0
        for _ in range(50):
            shared, _ = hub.render(app, "leaderboard.global", [])
            size = len(shared)
        push = breakdown(meter, time.perf_counter() - t0, 50)
        push["bytes"] = size

        def top(p: cProfile.Profile, n: int = 25, key: str = "cumulative") -> str:
            out = io.StringIO()
            stats = pstats.Stats(p, stream=out)
            stats.sort_stats(key).print_stats(n)
            text = out.getvalue()
            return text[text.find("   ncalls"):]

        result = {"likes": args.likes, "web_request": web, "worker": work, "push_render": push,
                  "web_profile_top_cumulative_cpu": top(profile, args.top),
                  "web_profile_top_own_cpu": top(profile, 40, "tottime"),
                  "worker_profile_top_cumulative_cpu": top(wprofile),
                  "worker_profile_top_own_cpu": top(wprofile, 40, "tottime")}
    except BaseException as exc:
        failed = not isinstance(exc, KeyboardInterrupt)
        raise
    finally:
        stack.close(failed=failed)

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    for title, part in (("WEB: one like request (test client, no gunicorn)", web),
                        ("WORKER: the jobs one like causes (projection, policies)", work),
                        ("PUSH: one leaderboard.global render", push)):
        print(f"\n{title}")
        print("  ms per like: " + ", ".join(f"{k} {v}" for k, v in part["ms_per_like"].items()))
        if "cpu_ms_per_like" in part:
            print(f"  CPU ms per like (this process): {part['cpu_ms_per_like']}")
        print("  calls per like: " + ", ".join(f"{k} {v}" for k, v in part["calls_per_like"].items()))
        if "jobs_per_like" in part:
            print(f"  RQ jobs per like: {part['jobs_per_like']}")
        if "bytes" in part:
            print(f"  push size: {part['bytes']:,} bytes")
        print("  SQL per like:")
        for s in part["sql_statements_per_like"][:14]:
            print(f"    {s['per_like']:>5} x {s['ms_per_like']:>7.3f} ms  {s['statement']}")
        print("  Redis per like: " + ", ".join(f"{c} x{v}" for c, v in list(part["redis_per_like"].items())[:12]))
    print("\nWEB cProfile (CPU time, cumulative, top 25):")
    print(result["web_profile_top_cumulative_cpu"])
    print("WEB cProfile (CPU time in the function itself, top 40):")
    print(result["web_profile_top_own_cpu"])
    print("WORKER cProfile (CPU time, cumulative, top 25):")
    print(result["worker_profile_top_cumulative_cpu"])
    print("WORKER cProfile (CPU time in the function itself, top 40):")
    print(result["worker_profile_top_own_cpu"])
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted: every process stopped and the temp dir removed", file=sys.stderr)
        sys.exit(130)
