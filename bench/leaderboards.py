"""Benchmark the leaderboards at a million members: Redis reads against the best plain SQL, and
the projector's throughput.

    .venv/bin/python bench/leaderboards.py [--members 1000000] [--samples 5000] [--quick]

It starts its own PostgreSQL and Redis (tests/services.py), migrates, loads N members with a
ledger history (about three rows each, spread over 60 days) with COPY, rebuilds the boards, then
measures from one process, one request at a time:

* rank: the member's global rank (Redis: ZREVRANK + ZSCORE in one round trip) vs SQL (count of
  members ahead on an index matching the board order);
* around me: the five above and five below (Redis: one Lua call; and the app's whole read,
  `leaderboards.mine`, with its status query and hydration) vs SQL (rank count then OFFSET on
  the same index; and a ROW_NUMBER() window function; the better of the two is the baseline);
* top page: the top 100 with names (Redis + one hydration query, `leaderboards.board`) vs SQL
  (ORDER BY ... LIMIT 100 on the index);
* projector throughput: ProjectLiked events (a ledger row each, on random members with projects
  in topics) through the leaderboards projector, one event per call (what a like's job carries)
  and 200 per call (what the relay hands on), in events per second;
* the full rebuild of every board from Postgres.

Members are sampled uniformly, so most ranks are deep (the SQL counts grow with the rank). Results
go to bench/results/leaderboards.json and .svg. See bench/README.md.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import RESULTS, Stack, percentile, raise_on_sigterm, svg_bar_charts  # noqa: E402

NOW = datetime.now(timezone.utc).replace(microsecond=0)
AMOUNTS = (5, 5, 5, 10, 10, 25, 50, 100, 200)
TARGETS = {"rank_p99_ms": 2.0, "around_p99_ms": 2.0, "top_p99_ms": 5.0, "speedup": 50.0}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def stats(samples_s: list[float]) -> dict:
    ms = [s * 1000 for s in samples_s]
    return {"n": len(ms), "p50_ms": round(percentile(ms, 50), 3), "p99_ms": round(percentile(ms, 99), 3),
            "mean_ms": round(sum(ms) / len(ms), 3)}


def timed(fn, items) -> list[float]:
    out = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        out.append(time.perf_counter() - t)
    return out


# the workload, written with COPY ----------------------------------------------------------------
def _copy(conn, statement: str, lines, chunk: int = 50_000) -> None:
    with conn.cursor() as cur, cur.copy(statement) as copy:
        buffer = []
        for line in lines:
            buffer.append(line)
            if len(buffer) >= chunk:
                copy.write("".join(buffer))
                buffer = []
        copy.write("".join(buffer))


def load(conn, members: int, seed: int, scratch: Path) -> dict:
    """Members with ledger histories (one shared seed event), with COPY; returns counts.

    One pass: the users go straight to COPY, their ledger rows to a file COPY reads next (the
    ledger's foreign key needs the users first)."""
    rng = random.Random(seed)
    span, now = 60 * 86400, int(NOW.timestamp())
    stamps: dict[int, str] = {}

    def stamp(epoch: int) -> str:  # minute-granular cache; the seconds are appended
        minute = epoch - epoch % 60
        text = stamps.get(minute)
        if text is None:
            text = stamps[minute] = time.strftime("%Y-%m-%d %H:%M:", time.gmtime(minute))
        return f"{text}{epoch % 60:02d}"

    conn.execute("INSERT INTO events (id, type, actor_id, payload, created_at, projected_at, policed_at) "
                 "VALUES (1, 'BenchSeeded', NULL, '{}', now(), now(), now())")
    ledger_file = scratch / "ledger.copy"
    ledger_rows = 0

    def users():
        nonlocal ledger_rows
        with open(ledger_file, "w") as ledger:
            for uid in range(1, members + 1):
                joined = now - rng.randrange(span)
                rows = sorted([(joined, 100)] + [(joined + rng.randrange(max(1, now - joined)), rng.choice(AMOUNTS))
                                                 for _ in range(rng.randrange(0, 6))])
                lines = []
                for at, amount in rows:
                    ledger_rows += 1
                    lines.append(f"{ledger_rows}\t{uid}\t{amount}\tquest_completed\tseed\t1\tseed:{ledger_rows}\t"
                                 f"\\N\t{stamp(at)}\n")
                ledger.write("".join(lines))
                yield (f"{uid}\tm{uid}\tm{uid}@bench.test\tx\tMember {uid}\t\tUTC\tmember\t"
                       f"{sum(a for _, a in rows)}\t{stamp(rows[-1][0])}\t{stamp(joined)}\n")

    _copy(conn, "COPY users (id, username, email, password_hash, display_name, bio, time_zone, role, points, "
                "points_updated_at, created_at) FROM STDIN", users())
    with open(ledger_file) as ledger:
        _copy(conn, "COPY points_ledger (id, user_id, amount, rule, reason, event_id, award_key, subject, "
                    "created_at) FROM STDIN", ledger)
    ledger_file.unlink()
    for table in ("users", "points_ledger", "events"):
        conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    conn.commit()
    return {"members": members, "ledger_rows": ledger_rows}


def likes_to_project(conn, members: int, projects: int, likes: int, seed: int) -> list[int]:
    """Projects (with topics) on random members, then ProjectLiked events, each with its like row
    and its ledger row (subject like:<id>), the author's total moved on: what a like commits."""
    rng = random.Random(seed + 1)
    topics = ("rag", "agents", "llm-evals", "embeddings", "mlops", "chatbots")
    authors = rng.sample(range(1, members + 1), projects)
    with conn.cursor() as cur:
        first_project = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM projects").fetchone()[0]
        with cur.copy("COPY projects (id, author_id, title, slug, description, likes_count, created_at) "
                      "FROM STDIN") as copy:
            for i, author in enumerate(authors):
                copy.write(f"{first_project + i}\t{author}\tBench project {i}\tbench-{i}\t\t0\t{NOW:%Y-%m-%d}\n")
        with cur.copy("COPY project_topics (project_id, topic, position) FROM STDIN") as copy:
            for i in range(projects):
                for pos, topic in enumerate(rng.sample(topics, 2)):
                    copy.write(f"{first_project + i}\t{topic}\t{pos}\n")
        event_id = cur.execute("SELECT max(id) FROM events").fetchone()[0]
        ledger_id = cur.execute("SELECT max(id) FROM points_ledger").fetchone()[0]
        at = f"{NOW:%Y-%m-%d %H:%M:%S}"
        like_lines, event_lines, ledger_lines, gained = [], [], [], {}
        for n in range(1, likes + 1):
            i = rng.randrange(projects)
            project, author = first_project + i, authors[i]
            fan = rng.randrange(1, members + 1)
            event_id, ledger_id = event_id + 1, ledger_id + 1
            payload = json.dumps({"project_id": project, "author_id": author, "like_id": n})
            like_lines.append(f"{n}\t{fan}\t{project}\t{at}\n")
            event_lines.append(f"{event_id}\tProjectLiked\t{fan}\t{payload}\t{at}\t{at}\t{at}\n")
            ledger_lines.append(f"{ledger_id}\t{author}\t5\tlike_received\tbench like\t{event_id}\t"
                                f"bench-like:{n}\tlike:{n}\t{at}\n")
            gained[author] = gained.get(author, 0) + 5
    _copy(conn, "COPY likes (id, user_id, project_id, created_at) FROM STDIN", like_lines)
    _copy(conn, "COPY events (id, type, actor_id, payload, created_at, projected_at, policed_at) FROM STDIN",
          event_lines)
    _copy(conn, "COPY points_ledger (id, user_id, amount, rule, reason, event_id, award_key, subject, created_at) "
                "FROM STDIN", ledger_lines)
    with conn.cursor() as cur:
        cur.execute("CREATE TEMP TABLE gained (id bigint, points int)")
        with cur.copy("COPY gained FROM STDIN") as copy:
            for uid, points in gained.items():
                copy.write(f"{uid}\t{points}\n")
        cur.execute("UPDATE users SET points = users.points + g.points, points_updated_at = %s "
                    "FROM gained g WHERE users.id = g.id", (NOW,))
        for table in ("projects", "likes", "points_ledger", "events"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        ids = [r[0] for r in cur.execute("SELECT id FROM events WHERE type = 'ProjectLiked' ORDER BY id")]
    conn.commit()
    return ids


# the SQL baseline ---------------------------------------------------------------------------------
RANK_SQL = """SELECT (SELECT count(*) FROM users WHERE points > %(p)s)
  + (SELECT count(*) FROM users WHERE points = %(p)s AND (points_updated_at, id) < (%(t)s, %(id)s)) + 1"""
OFFSET_SQL = """SELECT id, username, display_name, points FROM users
  ORDER BY points DESC, points_updated_at, id OFFSET %(o)s LIMIT %(n)s"""
WINDOW_SQL = """WITH ranked AS (
  SELECT id, username, display_name, points, row_number() OVER (ORDER BY points DESC, points_updated_at, id) AS rank
  FROM users)
SELECT * FROM ranked WHERE rank BETWEEN (SELECT rank FROM ranked WHERE id = %(id)s) - 5
                                 AND (SELECT rank FROM ranked WHERE id = %(id)s) + 5 ORDER BY rank"""
TOP_SQL = """SELECT id, username, display_name, points FROM users
  ORDER BY points DESC, points_updated_at, id LIMIT 100"""


def sql_baseline(conn, sample: list[int], offset_sample: list[int], window_sample: list[int]) -> dict:
    cur = conn.cursor()
    me = {uid: cur.execute("SELECT points, points_updated_at FROM users WHERE id = %s", (uid,)).fetchone()
          for uid in set(sample) | set(offset_sample)}

    def rank(uid):
        p, t = me[uid]
        return cur.execute(RANK_SQL, {"p": p, "t": t, "id": uid}).fetchone()[0]

    def around(uid):
        r = rank(uid)
        return cur.execute(OFFSET_SQL, {"o": max(0, r - 6), "n": min(r, 6) + 5}).fetchall()

    # The planner's choice (a bitmap scan of the points index), then an index-only scan forced on
    # the index in board order; the better of the two is the baseline.
    planner = stats(timed(rank, sample))
    cur.execute("SET enable_bitmapscan = off")
    index_only = stats(timed(rank, sample))
    if planner["p99_ms"] < index_only["p99_ms"]:
        cur.execute("RESET enable_bitmapscan")
    result = {
        "rank_planner_choice": planner,
        "rank_index_only": index_only,
        "rank": min(planner, index_only, key=lambda s: s["p99_ms"]),
        "around_offset": stats(timed(around, offset_sample)),
        "around_window_function": stats(timed(lambda uid: cur.execute(WINDOW_SQL, {"id": uid}).fetchall(),
                                              window_sample)),
        "top": stats(timed(lambda _: cur.execute(TOP_SQL).fetchall(), range(len(sample)))),
    }
    plan = cur.execute("EXPLAIN " + RANK_SQL, {"p": 500, "t": NOW, "id": 1}).fetchall()
    result["rank_plan"] = [row[0] for row in plan]
    return result


# main ---------------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=1_000_000, help="members (1,000,000)")
    parser.add_argument("--samples", type=int, default=5_000, help="Redis reads per operation (5,000)")
    parser.add_argument("--sql-samples", type=int, default=100, help="SQL rank and top samples (100)")
    parser.add_argument("--offset-samples", type=int, default=30, help="SQL around-me (rank + OFFSET) samples (30)")
    parser.add_argument("--window-samples", type=int, default=5, help="window-function samples (5)")
    parser.add_argument("--likes", type=int, default=20_000, help="ProjectLiked events to project (20,000)")
    parser.add_argument("--single", type=int, default=2_000, help="of which projected one per call (2,000)")
    parser.add_argument("--quick", action="store_true", help="100,000 members and fewer samples")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default=str(RESULTS / "leaderboards"), help="results path without suffix")
    args = parser.parse_args()
    if args.quick:
        args.members, args.samples, args.likes, args.single = 100_000, 2_000, 5_000, 1_000
    raise_on_sigterm()
    started = time.monotonic()
    load_start = [round(x, 2) for x in os.getloadavg()]
    results: dict = {"parameters": vars(args), "load_average_at_start": load_start}
    with Stack(log=log) as stack:
        log(f"starting PostgreSQL and Redis in {stack.root}")
        stack.start_services()
        import psycopg
        from flask_migrate import upgrade

        from app import create_app
        from app.extensions import db
        from app.models.types import frozen_time

        app = create_app({"SQLALCHEMY_DATABASE_URI": stack.db_url, "REDIS_URL": stack.redis_url,
                          "INPROCESS_WORKER": False, "EVENTS_ENQUEUE": False, "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
        dsn = stack.dsn("allthrive")
        with psycopg.connect(dsn) as conn:
            t = time.monotonic()
            results["workload"] = load(conn, args.members, args.seed, stack.root)
            results["workload"]["copy_seconds"] = round(time.monotonic() - t, 1)
            log(f"COPY: {args.members:,} members, {results['workload']['ledger_rows']:,} ledger rows "
                f"in {results['workload']['copy_seconds']} s")
            t = time.monotonic()
            conn.execute("CREATE INDEX bench_users_board_order ON users (points DESC, points_updated_at, id)")
            conn.commit()
            conn.autocommit = True
            conn.execute("VACUUM ANALYZE users")
            conn.execute("VACUUM ANALYZE points_ledger")
            log(f"indexed and analysed in {time.monotonic() - t:.1f} s")

        from app.read import leaderboards
        from app.read.leaderboards import WINDOW_SCRIPT, board_spec, member_for
        from app.read.redis import client
        from workers.projectors import leaderboards as projector

        with app.app_context(), frozen_time(NOW):
            t = time.monotonic()
            walked = projector.rebuild()
            rebuild_s = time.monotonic() - t
            results["rebuild"] = {"members": walked, "seconds": round(rebuild_s, 1),
                                  "members_per_second": round(walked / rebuild_s)}
            log(f"rebuilt every board from Postgres in {rebuild_s:.1f} s ({walked / rebuild_s:,.0f} members/s)")

            rng = random.Random(args.seed + 2)
            sample = [rng.randrange(1, args.members + 1) for _ in range(args.samples)]
            spec = board_spec("global")
            r = client()
            window = r.register_script(WINDOW_SCRIPT)
            for uid in sample[:200]:  # warm the connections and caches
                leaderboards.mine(spec, [uid])
            redis = {
                "rank": stats(timed(lambda uid: leaderboards.standing_of([uid]), sample)),
                "around": stats(timed(lambda uid: window(keys=[spec.key], args=[member_for(uid), 5, "-inf", "+inf"]),
                                      sample)),
                "around_hydrated": stats(timed(lambda uid: leaderboards.mine(spec, [uid]), sample)),
                "top": stats(timed(lambda _: leaderboards.board(spec), range(min(args.samples, 2_000)))),
            }
            results["redis"] = redis
            log("Redis: " + ", ".join(f"{k} p50 {v['p50_ms']} / p99 {v['p99_ms']} ms" for k, v in redis.items()))
            db.session.remove()

        with psycopg.connect(dsn, autocommit=True) as conn:
            sql = sql_baseline(conn, sample[:args.sql_samples], sample[:args.offset_samples],
                               sample[:args.window_samples])
        results["sql"] = sql
        log("SQL: " + ", ".join(f"{k} p50 {v['p50_ms']} / p99 {v['p99_ms']} ms"
                                for k, v in sql.items() if isinstance(v, dict)))

        with psycopg.connect(dsn) as conn:
            event_ids = likes_to_project(conn, args.members, min(5_000, args.members // 10), args.likes, args.seed)
        with app.app_context(), frozen_time(NOW):
            from app.models import Event
            from sqlalchemy import select

            def run(batch: list[int]) -> None:
                events = list(db.session.scalars(select(Event).where(Event.id.in_(batch)).order_by(Event.id)))
                projector.project(events)
                db.session.remove()

            singles, batches = event_ids[:args.single], event_ids[args.single:]
            t = time.monotonic()
            for eid in singles:
                run([eid])
            one = len(singles) / (time.monotonic() - t)
            t = time.monotonic()
            for i in range(0, len(batches), 200):
                run(batches[i:i + 200])
            many = len(batches) / (time.monotonic() - t)
            results["projector"] = {"events_one_per_call": len(singles), "events_per_second_one_per_call": round(one),
                                    "events_200_per_call": len(batches), "events_per_second_200_per_call": round(many)}
            log(f"projector: {one:,.0f} events/s one per call, {many:,.0f} events/s 200 per call")

    best_around = min(sql["around_offset"]["p99_ms"], sql["around_window_function"]["p99_ms"])
    ratios = {
        "rank_p99": round(sql["rank"]["p99_ms"] / redis["rank"]["p99_ms"], 1),
        "around_p99_redis": round(best_around / redis["around"]["p99_ms"], 1),
        "around_p99_hydrated": round(best_around / redis["around_hydrated"]["p99_ms"], 1),
        "rank_p50": round(sql["rank"]["p50_ms"] / redis["rank"]["p50_ms"], 1),
        "around_p50_hydrated": round(min(sql["around_offset"]["p50_ms"], sql["around_window_function"]["p50_ms"])
                                     / redis["around_hydrated"]["p50_ms"], 1),
        "top_p99": round(sql["top"]["p99_ms"] / redis["top"]["p99_ms"], 2),
    }
    results["speedup"] = ratios
    checks = {
        "rank p99 < 2 ms": redis["rank"]["p99_ms"] < TARGETS["rank_p99_ms"],
        "around-me p99 < 2 ms (Redis)": redis["around"]["p99_ms"] < TARGETS["around_p99_ms"],
        "around-me p99 < 2 ms (with status and hydration)": redis["around_hydrated"]["p99_ms"] < TARGETS["around_p99_ms"],
        "rank >= 50x faster than SQL (p99)": ratios["rank_p99"] >= TARGETS["speedup"],
        "around-me >= 50x faster than SQL (p99, hydrated)": ratios["around_p99_hydrated"] >= TARGETS["speedup"],
        "top page p99 < 5 ms incl. hydration": redis["top"]["p99_ms"] < TARGETS["top_p99_ms"],
    }
    results["checks"] = {k: "PASS" if v else "FAIL" for k, v in checks.items()}
    results["seconds"] = round(time.monotonic() - started, 1)
    results["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    out.with_suffix(".svg").write_text(chart(results))
    print()
    for name, verdict in results["checks"].items():
        print(f"  {verdict}  {name}")
    print(f"\n  speed-up (SQL p99 / Redis p99): rank {ratios['rank_p99']}x, around me {ratios['around_p99_hydrated']}x "
          f"(hydrated; {ratios['around_p99_redis']}x Redis only), top page {ratios['top_p99']}x")
    print(f"  wrote {out.with_suffix('.json')} and {out.with_suffix('.svg')} in {results['seconds']} s\n")
    return 0 if all(checks.values()) else 1


def chart(results: dict) -> str:
    redis, sql, proj = results["redis"], results["sql"], results["projector"]
    green, grey, blue = "#2f7d4f", "#9aa5a0", "#2f6fd6"
    panels = [
        {"title": "Redis reads (ms)", "unit": "ms", "target": ("2 ms", 2.0), "bars": [
            ("rank p50", redis["rank"]["p50_ms"], green), ("rank p99", redis["rank"]["p99_ms"], green),
            ("around p50", redis["around_hydrated"]["p50_ms"], green),
            ("around p99", redis["around_hydrated"]["p99_ms"], green),
            ("top 100 p50", redis["top"]["p50_ms"], blue), ("top 100 p99", redis["top"]["p99_ms"], blue)]},
        {"title": "Best plain SQL (ms)", "unit": "ms", "target": None, "bars": [
            ("rank p50", sql["rank"]["p50_ms"], grey), ("rank p99", sql["rank"]["p99_ms"], grey),
            ("around p50", min(sql["around_offset"]["p50_ms"], sql["around_window_function"]["p50_ms"]), grey),
            ("around p99", min(sql["around_offset"]["p99_ms"], sql["around_window_function"]["p99_ms"]), grey),
            ("top 100 p50", sql["top"]["p50_ms"], grey), ("top 100 p99", sql["top"]["p99_ms"], grey)]},
        {"title": "Speed-up, SQL / Redis (x)", "unit": "x", "target": ("50x", 50.0), "bars": [
            ("rank p99", results["speedup"]["rank_p99"], green),
            ("around p99", results["speedup"]["around_p99_hydrated"], green),
            ("top 100 p99", results["speedup"]["top_p99"], blue)]},
        {"title": "Projector (events/s)", "unit": "/s", "target": None, "bars": [
            ("1 per call", proj["events_per_second_one_per_call"], green),
            ("200 per call", proj["events_per_second_200_per_call"], green)]},
    ]
    w = results["workload"]
    return svg_bar_charts(panels, "Leaderboards: Redis against plain SQL",
                          f"{w['members']:,} members, {w['ledger_rows']:,} ledger rows; one request at a time; "
                          f"load average at start {results['load_average_at_start'][0]}")


if __name__ == "__main__":
    sys.exit(main())
