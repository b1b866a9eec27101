"""Benchmark the home feed ("Following" tab): Redis fan-out feeds against a plain SQL join.

    PYTHONPATH=. .venv/bin/python bench/feeds.py [--quick]
        [--members 100000] [--activities 2000000] [--readers 200] [--follows 500] [--rounds 2]

The issue's benchmark: the feed page of a member following 500 of 100,000 members with
2,000,000 activities, p50/p99 against a plain SQL join over follows and activities in the same
run; fan-out throughput in feed inserts per second; Redis memory of all feeds (INFO memory).

It starts its own PostgreSQL and Redis (tests/services.py), creates the schema with the app's
migrations, and then:

1. generates the workload (seeded, pure Python) and loads it with COPY: members, a power-law
   follow graph (every member follows ~50 on average, half by popularity and half at random;
   the R "readers" follow exactly 500 each the same way), 2,000,000 activity events over 60
   days (ProjectPublished with their projects rows and topics, AchievementUnlocked,
   QuestCompleted, StreakMilestoneReached, TierReached) and likes; then VACUUM ANALYZE;
2. builds the Redis read model as live fan-out leaves it: members' own activity lists and the
   last-active index, then every active member's home feed (capped at FEED["cap"], celebrities
   left out: they are merged at read time), the celebrity set, each member's set of followed
   celebrities and who follows many (as `rebuild` writes them), bulk-loaded up to the last
   --replay activities; those are then fanned out live, each way timed in feed inserts per
   second (wall clock and per CPU-second of the benchmark and of Redis, since the machine may
   be shared): for reference, the write pipeline `_fan_out` had before its Lua script (ZADD +
   trim per feed; one pipeline per activity, batched, and batched without the DELs of inactive
   followers' feeds), followers known; the projector's FAN_OUT_LUA in batched pipelines,
   followers known; and the projector itself (`workers.projectors.feeds.project`, with its
   follower query and ZMSCORE), one event per call (a command's job) and --projector-batch per
   call (the relay's chunk); Redis memory from INFO memory, plus a what-if with
   zset-max-listpack-entries above the cap (on copies of sampled feeds, with the Redis CPU of
   the projector's script on each encoding);
3. measures the first feed page for every reader, interleaved, after a warm-up pass:
   candidate ids (Redis) against the SQL baseline, in two forms: the issue's plain join of follows
   and events on the app's own schema (only the indexes its migrations create), newest first,
   below the cursor, LIMIT: the headline; and, reported beside it, a tuned LATERAL top-N per
   followee with an index on events (actor_id, id) created for it alone (partial, with a
   predicate only the LATERAL query states, so the plain join cannot use it: checked with
   EXPLAIN); the page data (`app.read.feeds.following`, i.e. ids plus
   hydration), with the join's ids hydrated the same way (the ids source swapped in
   `app.read.feeds`, muted and blocked authors still left out); and the fragment itself, the
   real view and template: GET /feed with HX-Request through the Flask test client, for both
   sources;
4. one more pass with every SQL statement, Redis pipeline and template render timed, to show
   where a page's time goes, and EXPLAIN ANALYZE of the heaviest statements.

Prints a summary and writes bench/results/feeds.json and bench/results/feeds.svg. Every server
and the temp dir are removed on exit, on failure, on Ctrl-C and on SIGTERM.
"""
from __future__ import annotations

import argparse
import bisect
import contextlib
import gc
import html
import json
import math
import os
import platform
import random
import re
import statistics
import sys
import time
from array import array
from datetime import datetime, timedelta
from pathlib import Path

sys.dont_write_bytecode = True  # leave no __pycache__ behind in the worktree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import RESULTS, Stack, cpu_snapshot, percentile, raise_on_sigterm  # noqa: E402

DAY = 86400.0
TOPICS = ("rag", "agents", "computer-vision", "llm-evals", "fine-tuning", "prompting", "embeddings", "robotics",
          "speech", "data-viz", "mlops", "nlp", "reinforcement-learning", "diffusion", "time-series",
          "recommenders", "graph-ml", "ethics", "edge-ai", "tabular", "python", "javascript", "rust", "sql",
          "web", "mobile", "devops", "security", "education", "open-source")
ACHIEVEMENTS = ("First Project", "Helping Hand", "Night Owl", "Early Bird", "Streak Keeper", "Trendsetter",
                "Curator", "Mentor", "Explorer", "Polymath", "Marathoner", "Crowd Favourite")
RARITIES = (("Common", 50), ("Uncommon", 30), ("Rare", 12), ("Epic", 6), ("Legendary", 2))
QUESTS = (("Publish a project tagged rag", "easy"), ("Publish 2 projects tagged agents", "medium"),
          ("Like 5 projects", "easy"), ("Publish 3 projects", "hard"), ("Comment on 3 projects", "medium"))
TIERS = (("explorer", "Explorer"), ("builder", "Builder"), ("creator", "Creator"), ("innovator", "Innovator"),
         ("luminary", "Luminary"))
# (type, share of activities)
ACTIVITY_MIX = (("ProjectPublished", 60), ("AchievementUnlocked", 20), ("QuestCompleted", 8),
                ("StreakMilestoneReached", 6), ("TierReached", 6))
DESCRIPTIONS = tuple(
    f"{a} {b}: a small end-to-end build with notes on what worked, what did not, and how to reproduce it "
    f"on a laptop in an afternoon."
    for a in ("A retrieval pipeline", "An agent", "A classifier", "A dashboard", "A fine-tuned model")
    for b in ("for course notes", "for support tickets", "for bird photos", "for sensor data"))


def redis_parser_is_hiredis() -> bool:
    """Whether redis-py parses replies with hiredis (C) rather than in Python."""
    import redis.utils

    return bool(redis.utils.HIREDIS_AVAILABLE)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def cpu_seconds(stack: Stack, extra: dict[str, int]) -> dict[str, float]:
    """CPU seconds (user+system) used so far per role of the stack (and "machine": every process)."""
    snapshot = cpu_snapshot(stack, extra)
    used = {"machine": snapshot["machine"]}
    for role, _, seconds in snapshot["pids"].values():
        if role:
            used[role] = used.get(role, 0.0) + seconds
    return used


def fmt_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(n) < 1024 or unit == "GiB":
            return f"{n:,.1f} {unit}" if unit != "B" else f"{n:,.0f} B"
        n /= 1024
    return f"{n:,.1f} GiB"


def ts(epoch: float) -> str:
    """Naive UTC timestamp text for COPY (the app stores naive UTC)."""
    return (datetime(1970, 1, 1) + timedelta(seconds=epoch)).isoformat(sep=" ")


# the workload -----------------------------------------------------------------------------------
class Workload:
    """Members, follows (CSR arrays), activities and likes, generated in memory from a seed.

    Arrays (not lists of lists) so the garbage collector has little to walk later.
    """

    def __init__(self, args, now: float) -> None:
        self.args = args
        self.now = now
        self.rng = random.Random(args.seed)
        self.n = args.members

    # members and the follow graph ------------------------------------------------------------
    def generate_graph(self) -> None:
        rng, n, a = self.rng, self.n, self.args
        ids = list(range(1, n + 1))
        by_rank = ids[:]
        rng.shuffle(by_rank)  # popularity rank r -> member id (unrelated to id order)
        self.rank_of = array("i", [0]) * (n + 1)
        for r, m in enumerate(by_rank, 1):
            self.rank_of[m] = r
        cum, total = [], 0.0
        for r in range(1, n + 1):
            total += (r + a.pop_offset) ** -a.pop_exponent
            cum.append(total)
        # Readers: random members outside the most popular 1% (they read; they are not stars).
        pool = by_rank[max(1, n // 100):]
        self.readers = sorted(rng.sample(pool, a.readers))
        reader_set = set(self.readers)

        def draw(count: int, pref: bool) -> list[int]:
            if count <= 0:
                return []
            if pref:
                return rng.choices(by_rank, cum_weights=cum, k=count)
            return rng.choices(ids, k=count)

        mu = math.log(a.avg_follows) - 0.5  # lognormal(sigma=1) with this mean
        degree = [0] * (n + 1)
        for m in ids:
            if m not in reader_set:
                degree[m] = min(int(rng.lognormvariate(mu, 1.0)), 5000)
        total_deg = sum(degree)
        pref_n = int(total_deg * a.pref_share)
        mixed = draw(pref_n, True) + draw(total_deg - pref_n, False)
        rng.shuffle(mixed)  # each member's follows: a random mix of popular and random members
        off = array("q", [0])
        flat = array("i")
        pos = 0
        for m in range(1, n + 1):
            if m in reader_set:
                chosen: set[int] = set()
                half = a.follows // 2
                while len(chosen) < half:
                    chosen.update(x for x in draw(half - len(chosen), True) if x != m)
                while len(chosen) < a.follows:
                    chosen.update(x for x in draw(a.follows - len(chosen), False) if x != m)
                flat.extend(sorted(chosen))
            else:
                d = degree[m]
                chosen = set(mixed[pos:pos + d])
                pos += d
                chosen.discard(m)
                flat.extend(sorted(chosen))
            off.append(len(flat))
        del mixed, degree
        self.fe_off, self.fe_flat = off, flat  # followees of m: flat[off[m-1]:off[m]]
        # followers (reverse CSR)
        counts = array("i", [0]) * (n + 2)
        for f in flat:
            counts[f] += 1
        self.follower_count = counts
        roff = array("q", [0]) * (n + 1)
        acc = 0
        for m in range(1, n + 1):
            roff[m - 1] = acc
            acc += counts[m]
        roff[n] = acc
        fill = array("q", roff)
        rflat = array("i", [0]) * len(flat)
        for m in range(1, n + 1):
            for i in range(off[m - 1], off[m]):
                f = flat[i]
                rflat[fill[f - 1]] = m
                fill[f - 1] += 1
        self.fr_off, self.fr_flat = roff, rflat
        self.celebrity_cut = a.celebrity_followers
        self.celebrities = {m for m in ids if counts[m] > self.celebrity_cut}

    def followees(self, m: int) -> array:
        return self.fe_flat[self.fe_off[m - 1]:self.fe_off[m]]

    def followers(self, m: int) -> array:
        return self.fr_flat[self.fr_off[m - 1]:self.fr_off[m]]

    # activities --------------------------------------------------------------------------------
    def generate_activities(self) -> None:
        rng, n, a = self.rng, self.n, self.args
        weights = []
        for _ in range(n):
            w = min(rng.paretovariate(a.post_alpha), a.post_cap)
            if rng.random() < a.lurker_share:
                w *= a.lurker_factor
            weights.append(w)
        count = a.activities
        start, end = self.now - a.days * DAY, self.now - 60
        times = sorted(rng.uniform(start, end) for _ in range(count))
        actors = rng.choices(range(1, n + 1), weights=weights, k=count)
        names = [t for t, _ in ACTIVITY_MIX]
        types = rng.choices(range(len(names)), weights=[w for _, w in ACTIVITY_MIX], k=count)
        self.type_names = names
        self.ev_time = array("d", times)
        self.ev_actor = array("i", actors)
        self.ev_type = array("b", types)
        del times, actors, types
        # by author (CSR of event ids, ascending)
        counts = array("i", [0]) * (n + 2)
        for actor in self.ev_actor:
            counts[actor] += 1
        aoff = array("q", [0]) * (n + 1)
        acc = 0
        for m in range(1, n + 1):
            aoff[m - 1] = acc
            acc += counts[m]
        aoff[n] = acc
        fill = array("q", aoff)
        aflat = array("i", [0]) * count
        for i, actor in enumerate(self.ev_actor):
            aflat[fill[actor - 1]] = i + 1
            fill[actor - 1] += 1
        self.act_off, self.act_flat, self.act_count = aoff, aflat, counts

    def activities_of(self, m: int) -> array:
        return self.act_flat[self.act_off[m - 1]:self.act_off[m]]

    # which members are active (fan-out skips the others) -------------------------------------
    def generate_last_active(self) -> None:
        """Latest action per member: their latest activity, or a log-in (readers: just now)."""
        rng, a = self.rng, self.args
        last = array("d", [0.0]) * (self.n + 1)
        for m in range(1, self.n + 1):
            k = self.act_off[m]
            if k > self.act_off[m - 1]:
                last[m] = self.ev_time[self.act_flat[k - 1] - 1]
            x = rng.random()
            if x < a.login_share:
                login = self.now - rng.uniform(60, (FEED_INACTIVE_DAYS - 0.5) * DAY)
            elif x < a.login_share + 0.4:
                login = self.now - rng.uniform((FEED_INACTIVE_DAYS + 1) * DAY, a.days * DAY)
            else:
                login = 0.0
            last[m] = max(last[m], login)
        for m in self.readers:
            last[m] = self.now
        self.last_active = last

    # likes -------------------------------------------------------------------------------------
    def generate_likes(self, project_count: int, project_time: array) -> None:
        rng, n = self.rng, self.n
        want = min(self.args.likes, project_count * n // 2)
        seen: set[int] = set()
        rows = []
        likes_count = array("i", [0]) * (project_count + 1)
        while len(rows) < want:
            for _ in range(want - len(rows)):
                u = rng.randint(1, n)
                p = rng.randint(1, project_count)
                key = p * (n + 1) + u
                if key in seen:
                    continue
                seen.add(key)
                when = min(project_time[p] + rng.expovariate(1 / (2 * DAY)), self.now - 1)
                rows.append((when, u, p))
                likes_count[p] += 1
        rows.sort()
        self.likes = rows
        self.likes_count = likes_count


FEED_INACTIVE_DAYS = 7  # replaced by FEED["inactive_days"] once the app is imported
LATERAL_INDEX = "bench_events_actor_activity"  # the tuned LATERAL form's index (not the app's)


# loading with COPY ------------------------------------------------------------------------------
def copy_rows(cur, table: str, columns: tuple[str, ...], lines, chunk: int = 20_000) -> int:
    """COPY text-format lines (already tab-separated, newline-terminated) into table."""
    total = 0
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        buf = []
        for line in lines:
            buf.append(line)
            if len(buf) >= chunk:
                copy.write("".join(buf))
                total += len(buf)
                buf.clear()
        if buf:
            copy.write("".join(buf))
            total += len(buf)
    return total


def check_columns(conn, provided: dict[str, tuple[str, ...]]) -> None:
    """Fail clearly if the schema has a NOT NULL column without default that we don't fill."""
    problems = []
    for table, cols in provided.items():
        rows = conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND is_nullable = 'NO' "
            "AND column_default IS NULL", (table,)).fetchall()
        missing = sorted({r[0] for r in rows} - set(cols))
        if missing:
            problems.append(f"{table}: {', '.join(missing)}")
    if problems:
        raise RuntimeError("the schema has NOT NULL columns this benchmark does not fill: " + "; ".join(problems))


def load(conninfo: str, w: Workload, activity_types: frozenset[str]) -> dict:
    import psycopg

    a, now = w.args, w.now
    timing = {}
    cols = {
        "users": ("id", "username", "email", "password_hash", "display_name", "bio", "time_zone", "role", "points",
                  "points_updated_at", "created_at"),
        "follows": ("follower_id", "followee_id", "created_at"),
        "projects": ("id", "author_id", "title", "slug", "description", "likes_count", "created_at", "published_at",
                     "updated_at"),
        "project_topics": ("project_id", "topic", "position"),
        "events": ("id", "type", "actor_id", "payload", "created_at", "projected_at", "policed_at"),
        "likes": ("id", "user_id", "project_id", "created_at"),
    }
    rng = random.Random(a.seed + 1)
    # Projects: one per ProjectPublished, numbered in event order.
    pp = w.type_names.index("ProjectPublished")
    project_of = array("i", [0]) * (len(w.ev_type) + 1)
    project_time = array("d", [0.0])
    pid = 0
    for i, t in enumerate(w.ev_type):
        if t == pp:
            pid += 1
            project_of[i + 1] = pid
            project_time.append(w.ev_time[i])
    project_count = pid
    t0 = time.monotonic()
    w.generate_likes(project_count, project_time)
    timing["generate_likes_s"] = time.monotonic() - t0
    counts = {}
    started = time.monotonic()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        check_columns(conn, cols)
        # Secondary indexes are built once after COPY (faster than row by row); the same definitions.
        secondary = conn.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indrelid LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid "
            "WHERE c.relname = ANY(%s) AND k.oid IS NULL", (list(cols),)).fetchall()
        for name, _ in secondary:
            conn.execute(f"DROP INDEX {name}")
    with psycopg.connect(conninfo, autocommit=False) as conn:
        conn.execute("SET session_replication_role = replica")  # bulk load: skip FK triggers (data is consistent)
        cur = conn.cursor()
        signup = [ts(now - rng.uniform(a.days * DAY, a.days * DAY + 90 * DAY)) for _ in range(1000)]

        def users():
            for m in range(1, w.n + 1):
                points = int(rng.paretovariate(1.3) * 60)
                s = signup[m % 1000]
                yield (f"{m}\tm{m}\tm{m}@bench.example\tbench-not-a-hash\tMember {m}\t\tUTC\tmember\t{points}\t"
                       f"{s}\t{s}\n")

        t = time.monotonic()
        counts["users"] = copy_rows(cur, "users", cols["users"], users())
        timing["copy_users_s"] = time.monotonic() - t
        follow_ts = [ts(now - rng.uniform(DAY, a.days * DAY)) for _ in range(997)]

        def follows():
            off, flat = w.fe_off, w.fe_flat
            for m in range(1, w.n + 1):
                prefix = f"{m}\t"
                for i in range(off[m - 1], off[m]):
                    yield f"{prefix}{flat[i]}\t{follow_ts[i % 997]}\n"

        t = time.monotonic()
        counts["follows"] = copy_rows(cur, "follows", cols["follows"], follows(), chunk=50_000)
        timing["copy_follows_s"] = time.monotonic() - t

        # events, projects and their topics in one pass over the activities
        rarity_names = [r for r, _ in RARITIES]
        rarity_w = [wt for _, wt in RARITIES]
        project_lines: list[str] = []
        topic_lines: list[str] = []
        viral = bytearray(len(w.ev_type) + 1)
        common = bytearray(len(w.ev_type) + 1)  # Common achievements: events, not activities (app.feed)
        names = w.type_names

        def events():
            for i in range(len(w.ev_type)):
                eid = i + 1
                actor = w.ev_actor[i]
                kind = names[w.ev_type[i]]
                when = ts(w.ev_time[i])
                if kind == "ProjectPublished":
                    p = project_of[eid]
                    k = rng.choice((0, 1, 1, 2, 2, 3))
                    topics = rng.sample(TOPICS, k)
                    payload = (f'{{"project_id": {p}, "author_id": {actor}, "topics": '
                               f'[{", ".join(chr(34) + x + chr(34) for x in topics)}]}}')
                    project_lines.append(f"{p}\t{actor}\tProject {p}: {rng.choice(ACHIEVEMENTS)} notes\tproject-{p}\t"
                                         f"{DESCRIPTIONS[p % len(DESCRIPTIONS)]}\t{w.likes_count[p]}\t{when}\t{when}\t{when}\n")
                    for pos, topic in enumerate(topics):
                        topic_lines.append(f"{p}\t{topic}\t{pos}\n")
                elif kind == "AchievementUnlocked":
                    rarity = rng.choices(rarity_names, rarity_w)[0]
                    if rarity in ("Rare", "Epic", "Legendary"):
                        viral[eid] = 1
                    elif rarity == "Common":
                        common[eid] = 1
                    payload = (f'{{"user_id": {actor}, "key": "ach-{rng.randrange(40)}", '
                               f'"name": "{rng.choice(ACHIEVEMENTS)}", "rarity": "{rarity}"}}')
                elif kind == "QuestCompleted":
                    title, difficulty = rng.choice(QUESTS)
                    payload = f'{{"user_id": {actor}, "title": "{title}", "difficulty": "{difficulty}"}}'
                elif kind == "StreakMilestoneReached":
                    payload = f'{{"user_id": {actor}, "days": {rng.choice((7, 7, 7, 30, 30, 100))}}}'
                else:
                    key, name = rng.choice(TIERS)
                    viral[eid] = 1
                    payload = f'{{"user_id": {actor}, "tier": "{key}", "name": "{name}", "points": {rng.randrange(100, 20000)}}}'
                yield f"{eid}\t{kind}\t{actor}\t{payload}\t{when}\t{when}\t{when}\n"

        t = time.monotonic()
        counts["events"] = copy_rows(cur, "events", cols["events"], events(), chunk=20_000)
        timing["copy_events_s"] = time.monotonic() - t
        w.viral, w.common = viral, common
        t = time.monotonic()
        counts["projects"] = copy_rows(cur, "projects", cols["projects"], iter(project_lines))
        counts["project_topics"] = copy_rows(cur, "project_topics", cols["project_topics"], iter(topic_lines))
        del project_lines[:], topic_lines[:]
        timing["copy_projects_s"] = time.monotonic() - t

        def likes():
            for i, (when, u, p) in enumerate(w.likes, 1):
                yield f"{i}\t{u}\t{p}\t{ts(when)}\n"

        t = time.monotonic()
        counts["likes"] = copy_rows(cur, "likes", cols["likes"], likes(), chunk=50_000)
        timing["copy_likes_s"] = time.monotonic() - t
        w.likes = []
        for table in ("users", "events", "projects", "likes"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        conn.commit()
    timing["copy_total_s"] = time.monotonic() - started
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '1GB'")
        t = time.monotonic()
        for _, definition in secondary:
            conn.execute(definition)
        timing["secondary_indexes_s"] = time.monotonic() - t
        timing["secondary_indexes"] = len(secondary)
        t = time.monotonic()
        conn.execute("VACUUM (ANALYZE)")
        timing["vacuum_analyze_s"] = time.monotonic() - t
        # The tuned LATERAL form's own index: newest activities per actor. Its predicate has "id > 0",
        # which only the LATERAL query states: the plain join cannot use it and keeps the app's indexes.
        in_list = ", ".join(f"'{x}'" for x in sorted(activity_types))
        t = time.monotonic()
        conn.execute(f"CREATE INDEX {LATERAL_INDEX} ON events (actor_id, id) WHERE type IN ({in_list}) AND id > 0")
        conn.execute("ANALYZE events")
        timing["baseline_index_s"] = time.monotonic() - t
        sizes = dict(conn.execute(
            "SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relname IN "
            "('users', 'follows', 'events', 'projects', 'project_topics', 'likes')").fetchall())
    return {"rows": counts, "timing": timing, "table_bytes": sizes, "projects": project_count}


# Redis: own activity lists, last-active index, home feeds --------------------------------------
def info_memory(r) -> dict:
    info = r.info("memory")
    return {k: info.get(k) for k in ("used_memory", "used_memory_rss", "mem_fragmentation_ratio",
                                     "used_memory_dataset")}


class CountedInserts:
    """Feed inserts the projector asks for: the ids its `add_capped` is given for members' home feeds
    (own sets not counted). Counted on the way in, as one script call now adds many ids with one ZADD."""

    def __init__(self, projector, keys) -> None:
        self.projector, self.real = projector, projector.add_capped
        self.suffix = keys.home_feed(0).rsplit("}", 1)[1]  # ":feed" after the member's hash tag
        self.inserts = 0

    def __enter__(self) -> "CountedInserts":
        def counting(r, pipe, ids_by_key):
            self.inserts += sum(len(ids) for key, ids in ids_by_key.items() if key.endswith(self.suffix))
            return self.real(r, pipe, ids_by_key)

        self.projector.add_capped = counting
        return self

    def __exit__(self, *exc) -> None:
        self.projector.add_capped = self.real


class RedisBuild:
    def __init__(self, r, w: Workload, keys, feed: dict, popular_keep: int) -> None:
        self.r, self.w, self.keys, self.feed = r, w, keys, feed
        self.cap = feed["cap"]
        self.popular_keep = popular_keep
        self.report: dict = {}
        self.dropped: set[int] = set()

    def active_members(self, now: float) -> set[int]:
        cutoff = int(now - self.feed["inactive_days"] * DAY)
        la = self.w.last_active
        return {m for m in range(1, self.w.n + 1) if la[m] and int(la[m]) >= cutoff}

    def preload(self, upto: int) -> None:
        """Everything live fan-out leaves behind for the activities with id <= upto."""
        r, w, keys, cap = self.r, self.w, self.keys, self.cap
        t = time.monotonic()
        pipe = r.pipeline(transaction=False)
        batch = {}
        for m in range(1, w.n + 1):
            if w.last_active[m]:
                batch[str(m)] = int(w.last_active[m])
            if len(batch) >= 10_000:
                pipe.zadd(keys.last_active(), batch)
                batch = {}
        if batch:
            pipe.zadd(keys.last_active(), batch)
        pipe.execute()
        entries = 0
        for m in range(1, w.n + 1):
            acts = w.activities_of(m)
            k = bisect.bisect_right(acts, upto)
            newest = [i for i in acts[:k] if not w.common[i]][-cap:]  # is_activity(): no Common achievements
            if newest:
                pipe.zadd(keys.member_activities(m), {str(i): keys.newest_first(i) for i in newest})
                entries += len(newest)
            if len(pipe) >= 2000:
                pipe.execute()
        if w.celebrities:
            pipe.sadd(keys.celebrities(), *w.celebrities)
        viral = [i for i in range(1, upto + 1) if w.viral[i]][-self.popular_keep:]
        if viral:
            pipe.zadd(keys.popular_activities(), {str(i): keys.newest_first(i) for i in viral})
        pipe.execute()
        self.report["own_lists"] = {"entries": entries, "seconds": time.monotonic() - t}
        self.report["memory_before_feeds"] = info_memory(r)
        # Home feeds of active members: the union of own + non-celebrity followees' lists, trimmed.
        active = self.active_members(w.now)
        self.active = active
        t = time.monotonic()
        for done, m in enumerate(sorted(active), 1):
            sources = [keys.member_activities(f) for f in w.followees(m)
                       if f not in w.celebrities and w.act_count[f] and w.act_flat[w.act_off[f - 1]] <= upto]
            if w.act_count[m] and w.act_flat[w.act_off[m - 1]] <= upto:
                sources.append(keys.member_activities(m))
            if sources:
                pipe.zunionstore(keys.home_feed(m), sources, aggregate="MIN")  # newest first: -id
                pipe.zremrangebyrank(keys.home_feed(m), cap, -1)
            if len(pipe) >= 400:
                pipe.execute()
            if done % 10_000 == 0:
                log(f"  home feeds: {done:,}/{len(active):,}")
        pipe.execute()
        seconds = time.monotonic() - t
        feeds, entries = self.count_feeds(active)
        self.report["bulk_feeds"] = {"members": len(active), "feeds": feeds, "entries": entries, "seconds": seconds}
        self.report["memory_after_feeds"] = info_memory(r)

    def preload_follows(self) -> None:
        """What the feeds projector keeps about follows, as `rebuild` writes it: each member's set
        of followed celebrities, and who follows at least FEED["cold_start_following"] people."""
        r, w, keys = self.r, self.w, self.keys
        pipe = r.pipeline(transaction=False)
        many = []
        for m in range(1, w.n + 1):
            followees = w.followees(m)
            if len(followees) >= self.feed["cold_start_following"]:
                many.append(m)
            stars = [f for f in followees if f in w.celebrities]
            if stars:
                pipe.sadd(keys.followed_celebrities(m), *stars)
            if len(pipe) >= 2000:
                pipe.execute()
        for start in range(0, len(many), 10_000):
            pipe.sadd(keys.following_many(), *many[start:start + 10_000])
        pipe.execute()

    def count_feeds(self, members) -> tuple[int, int]:
        pipe = self.r.pipeline(transaction=False)
        feeds = entries = 0
        members = sorted(members)
        for i in range(0, len(members), 5000):
            for m in members[i:i + 5000]:
                pipe.zcard(self.keys.home_feed(m))
            for n in pipe.execute():
                if n:
                    feeds += 1
                    entries += n
        return feeds, entries

    # live fan-out of the last activities ---------------------------------------------------
    def fan_out(self, first: int, last: int, per_activity: bool, batch_commands: int = 10_000,
                deletes_inactive: bool = True, script_calls: int = 0) -> dict:
        """The write pipeline of workers.projectors.feeds._fan_out for activities first..last,
        with followers and the active set known (no SQL, no ZMSCORE round trip).

        What-if: deletes_inactive=False leaves out the DEL of every inactive follower's feed.
        script_calls (activities per round trip): what _fan_out does now, every set's new ids of those
        activities (own sets included) in FAN_OUT_LUA calls queued by the projector's own `add_capped`,
        inactive followers' feeds dropped once per round trip and only the first time (DROP_LUA; the
        projector then knows them by their negative last-active time).
        """
        from workers.projectors.feeds import add_capped

        r, w, keys, cap = self.r, self.w, self.keys, self.cap
        active = self.active
        celebs = w.celebrities
        names = w.type_names
        inserts = deletes = commands = round_trips = 0
        pipe = r.pipeline(transaction=False)
        gone: set[int] = set()
        pending: dict[str, list[int]] = {}  # script_calls: each set's new ids in this round trip
        queued = 0
        script = bool(script_calls)
        started = time.perf_counter()
        for eid in range(first, last + 1):
            author = w.ev_actor[eid - 1]
            if names[w.ev_type[eid - 1]] not in self.activity_types or w.common[eid]:
                continue
            sid = str(eid)
            pipe.zadd(keys.last_active(), {str(author): int(w.ev_time[eid - 1])}, gt=True)
            if not script:
                pipe.zadd(keys.member_activities(author), {sid: keys.newest_first(eid)})
                pipe.zremrangebyrank(keys.member_activities(author), cap, -1)
            if w.viral[eid]:
                pipe.zadd(keys.popular_activities(), {sid: keys.newest_first(eid)})
                pipe.zremrangebyrank(keys.popular_activities(), self.popular_keep, -1)
            recipients = [author]
            if author not in celebs:
                for f in w.followers(author):
                    if f in active:
                        recipients.append(f)
                    elif script:
                        if f not in self.dropped:  # the projector marks them (negative time): once
                            self.dropped.add(f)
                            gone.add(f)
                    elif deletes_inactive:
                        pipe.delete(keys.home_feed(f))
                        deletes += 1
            if script:
                pending.setdefault(keys.member_activities(author), []).append(eid)
                for m in recipients:
                    pending.setdefault(keys.home_feed(m), []).append(eid)
                queued += 1
            else:
                for m in recipients:
                    key = keys.home_feed(m)
                    pipe.zadd(key, {sid: keys.newest_first(eid)})
                    pipe.zremrangebyrank(key, cap, -1)
            inserts += len(recipients)
            if per_activity or (queued >= script_calls if script else len(pipe) >= batch_commands):
                if pending:
                    add_capped(r, pipe, pending)
                    pending, queued = {}, 0
                if gone:
                    self.drop(pipe, gone)
                    deletes += len(gone)
                    gone.clear()
                commands += len(pipe)
                round_trips += 1
                pipe.execute()
        if pending:
            add_capped(r, pipe, pending)
        if gone:
            self.drop(pipe, gone)
            deletes += len(gone)
        if len(pipe):
            commands += len(pipe)
            round_trips += 1
            pipe.execute()
        seconds = time.perf_counter() - started
        return {"activities": last - first + 1, "inserts": inserts, "deletes_of_inactive": deletes,
                "commands": commands, "seconds": seconds, "inserts_per_s": inserts / seconds if seconds else None,
                "round_trips": round_trips}

    def drop(self, pipe, members: set[int]) -> None:
        """Inactive followers' feeds, dropped as the projector does (DROP_LUA)."""
        from workers.projectors.feeds import DROP_LUA

        cutoff = int(self.w.now - self.feed["inactive_days"] * DAY)
        pipe.eval(DROP_LUA, len(members) + 1, self.keys.last_active(), *(self.keys.home_feed(m) for m in members),
                  cutoff, *members)

    def expected_inserts(self, first: int, last: int, now: float) -> int:
        active = self.active_members(now)
        total = 0
        for eid in range(first, last + 1):
            if self.w.common[eid]:
                continue
            author = self.w.ev_actor[eid - 1]
            total += 1
            if author not in self.w.celebrities:
                total += sum(1 for f in self.w.followers(author) if f in active)
        return total


FANOUT_ROWS = (("before: ZADD+trim pipeline per activity", "pipeline_per_activity"),
               ("before: ZADD+trim, batched pipeline", "pipeline_batched"),
               ("before: batched, no DELs", "whatif_no_deletes"),
               ("FAN_OUT_LUA, 200 activities a call", "script_batched"),
               ("project(), 1 event per call", "projector_single"),
               ("project(), relay chunk per call", "projector"))


def listpack_whatif(r, keys, members: list[int], cap: int) -> dict:
    """What-if (Redis config, not app code): copies of sampled feeds with zset-max-listpack-entries
    above the cap, so they stay listpacks; their memory, and the Redis CPU of the projector's fan-out
    (FAN_OUT_LUA through its `add_capped`: one new activity at a time into all the copies) on each encoding."""
    from workers.projectors.feeds import add_capped

    original = r.config_get("zset-max-listpack-entries").get("zset-max-listpack-entries", "128")
    result = {"config_default": original, "config_whatif": str(cap + 224)}
    sources = [keys.home_feed(m) for m in members]
    copies = {"skiplist": [f"bench:sk:{m}" for m in members], "listpack": [f"bench:lp:{m}" for m in members]}
    pipe = r.pipeline(transaction=False)
    try:  # copies only: the real feeds stay as they are
        for name in ("skiplist", "listpack"):
            if name == "listpack":
                r.config_set("zset-max-listpack-entries", cap + 224)
            for source, copy in zip(sources, copies[name], strict=True):
                pipe.zunionstore(copy, [source])
            pipe.execute()
        for name, names in copies.items():
            for key in names:
                pipe.memory_usage(key, samples=0)
                pipe.zcard(key)
                pipe.object("encoding", key)
            got = pipe.execute()
            used, entries = sum(x or 0 for x in got[0::3]), sum(got[1::3])
            encodings = sorted({e.decode() if isinstance(e, bytes) else str(e) for e in got[2::3]})
            # 50 new newest ids fanned out to every copy (full feeds: each insert trims): Redis CPU per insert
            cpu0 = r.info("cpu")
            t = time.perf_counter()
            for i in range(50):
                pipe = r.pipeline(transaction=False)
                add_capped(r, pipe, {key: [2 ** 40 + i] for key in names})
                pipe.execute()
            wall = time.perf_counter() - t
            cpu1 = r.info("cpu")
            redis_cpu = (cpu1["used_cpu_user"] + cpu1["used_cpu_sys"]) - (cpu0["used_cpu_user"] + cpu0["used_cpu_sys"])
            inserts = 50 * len(names)
            result[name] = {"feeds": len(names), "entries": entries, "bytes": used,
                            "bytes_per_entry": used / max(1, entries), "encodings": encodings,
                            "inserts": inserts, "seconds": wall, "redis_cpu_s": redis_cpu,
                            "redis_cpu_us_per_insert": 1e6 * redis_cpu / inserts}
    finally:
        r.config_set("zset-max-listpack-entries", original)
        r.delete(*copies["skiplist"], *copies["listpack"])
    return result


# timing helpers ---------------------------------------------------------------------------------
def summarize(values: list[float]) -> dict:
    ms = [v * 1000 for v in values]
    if not ms:
        return {"n": 0}
    return {"n": len(ms), "p50_ms": percentile(ms, 50), "p90_ms": percentile(ms, 90), "p99_ms": percentile(ms, 99),
            "mean_ms": statistics.fmean(ms), "max_ms": max(ms), "min_ms": min(ms)}


class Meter:
    """Times SQL statements, Redis pipelines/commands and template renders (in this process)."""

    def __init__(self) -> None:
        self.on = False
        self.reset()

    def reset(self) -> None:
        self.sql: dict[str, list[float]] = {}
        self.example: dict[str, tuple[str, object]] = {}
        self.redis = 0.0
        self.redis_calls = 0
        self.render = 0.0
        self._stack: list[float] = []

    @staticmethod
    def label(statement: str) -> str:
        s = re.sub(r"\s+", " ", statement).strip()
        s = re.sub(r"\(\s*%\(\w+\)s(?:\s*,\s*%\(\w+\)s)*\s*\)", "(…)", s)
        s = re.sub(r"^SELECT .*? FROM ", "SELECT … FROM ", s)
        return s[:150]

    def install(self, engines) -> None:
        import redis
        from flask import before_render_template, template_rendered
        from sqlalchemy import event

        meter = self

        def _before(conn, cursor, statement, parameters, context, executemany):
            conn.info.setdefault("bench_t", []).append(time.perf_counter())

        def _after(conn, cursor, statement, parameters, context, executemany):
            started = conn.info["bench_t"].pop()
            if meter.on:
                key = meter.label(statement)
                meter.sql.setdefault(key, []).append(time.perf_counter() - started)
                meter.example.setdefault(key, (statement, parameters))

        for engine in engines:  # the app's default bind and its read bind (GET requests)
            event.listen(engine, "before_cursor_execute", _before)
            event.listen(engine, "after_cursor_execute", _after)

        original_pipe, original_cmd = redis.client.Pipeline.execute, redis.client.Redis.execute_command

        def pipe_execute(self, *a, **k):
            t = time.perf_counter()
            try:
                return original_pipe(self, *a, **k)
            finally:
                if meter.on:
                    meter.redis += time.perf_counter() - t
                    meter.redis_calls += 1

        def execute_command(self, *a, **k):
            if isinstance(self, redis.client.Pipeline) or not meter.on:
                return original_cmd(self, *a, **k)
            t = time.perf_counter()
            try:
                return original_cmd(self, *a, **k)
            finally:
                meter.redis += time.perf_counter() - t
                meter.redis_calls += 1

        redis.client.Pipeline.execute = pipe_execute
        redis.client.Redis.execute_command = execute_command

        def _start(sender, template, context, **extra):
            meter._stack.append(time.perf_counter())

        def _done(sender, template, context, **extra):
            started = meter._stack.pop() if meter._stack else time.perf_counter()
            if meter.on and not meter._stack:  # only the outermost render
                meter.render += time.perf_counter() - started

        before_render_template.connect(_start, weak=False)
        template_rendered.connect(_done, weak=False)


# the SQL baselines ------------------------------------------------------------------------------
def baseline_sql(activity_types: frozenset[str]) -> dict[str, str]:
    """The issue's plain join of follows and events ("join", the headline baseline), and a tuned
    LATERAL top-N per followee ("lateral", with its own index: "e.id > 0" matches that index's predicate)."""
    in_list = ", ".join(f"'{x}'" for x in sorted(activity_types))
    # an activity as app.feed.is_activity has it: one of the types, and not a Common achievement
    common = "NOT (e.type = 'AchievementUnlocked' AND e.payload->>'rarity' = 'Common')"
    members = ("SELECT followee_id AS uid FROM follows WHERE follower_id = :uid UNION ALL SELECT CAST(:uid AS bigint)")
    return {
        "join": (f"SELECT e.id FROM events e JOIN ({members}) f ON e.actor_id = f.uid "
                 f"WHERE e.type IN ({in_list}) AND {common} AND e.id < :before ORDER BY e.id DESC LIMIT :limit"),
        "lateral": (f"SELECT x.id FROM ({members}) f CROSS JOIN LATERAL ("
                    f"SELECT e.id FROM events e WHERE e.actor_id = f.uid AND e.type IN ({in_list}) AND {common} "
                    f"AND e.id > 0 "
                    f"AND e.id < :before "
                    f"ORDER BY e.id DESC LIMIT :limit) x ORDER BY x.id DESC LIMIT :limit"),
    }


# the chart --------------------------------------------------------------------------------------
def svg_chart(result: dict) -> str:
    esc = html.escape
    lat = result["latency"]
    rows = [("Redis ids (candidate_ids)", "redis_ids"), ("plain SQL join ids (baseline)", "join_ids"),
            ("tuned LATERAL ids (+index)", "lateral_ids"), ("Redis page (following)", "redis_page"),
            ("plain join page", "join_page"), ("tuned LATERAL page", "lateral_page"),
            ("Redis fragment GET /feed", "redis_fragment"), ("plain join fragment", "join_fragment"),
            ("tuned LATERAL fragment", "lateral_fragment")]
    rows = [(label, key) for label, key in rows if lat.get(key, {}).get("n")]
    left, top, bar_h, gap, plot_w = 210, 92, 11, 10, 520
    values = [lat[k][p] for _, k in rows for p in ("p50_ms", "p99_ms")]
    hi_exp = max(2, math.ceil(math.log10(max(values))))
    lo_exp = min(0, math.floor(math.log10(max(min(values), 1e-3))))

    def x(v: float) -> float:
        v = max(v, 10 ** lo_exp)
        return left + plot_w * (math.log10(v) - lo_exp) / (hi_exp - lo_exp)

    height_lat = top + len(rows) * (2 * bar_h + gap) + 40
    fan = result["fanout"]
    fan_rows = [(label, fan[k]["inserts_per_s"], fan[k].get("inserts_per_cpu_s", {}))
                for label, k in FANOUT_ROWS if fan.get(k, {}).get("inserts_per_s")]
    width = left + plot_w + 330
    fan_top = height_lat + 40
    height = fan_top + len(fan_rows) * 30 + 110
    cfg = result["config"]
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="12">'),
           f'<rect width="{width}" height="{height}" fill="#fff"/>',
           '<text x="10" y="22" font-size="16" font-weight="bold">Home feed, first page: Redis fan-out vs a plain SQL join (and a tuned LATERAL)</text>',
           (f'<text x="10" y="40" fill="#555">{cfg["members"]:,} members, {cfg["activities"]:,} activities, '
            f'readers follow {cfg["follows"]}; {lat["redis_fragment"]["n"]} samples per bar (log scale, ms)</text>'),
           f'<rect x="{left}" y="50" width="12" height="10" fill="#1f77b4"/><text x="{left + 16}" y="59">p50</text>',
           (f'<rect x="{left + 60}" y="50" width="12" height="10" fill="#ff7f0e"/>'
            f'<text x="{left + 76}" y="59">p99</text>')]
    axis_bottom = top + len(rows) * (2 * bar_h + gap)
    for e in range(lo_exp, hi_exp + 1):
        gx = x(10 ** e)
        out.append(f'<line x1="{gx:.1f}" y1="{top - 8}" x2="{gx:.1f}" y2="{axis_bottom}" stroke="#ddd"/>')
        label = f"{10 ** e:g} ms"
        out.append(f'<text x="{gx:.1f}" y="{axis_bottom + 14}" text-anchor="middle" fill="#555">{label}</text>')
    for value, label in ((5, "p50 target 5 ms"), (25, "p99 target 25 ms")):
        gx = x(value)
        out.append(f'<line x1="{gx:.1f}" y1="{top - 14}" x2="{gx:.1f}" y2="{axis_bottom}" stroke="#d62728" '
                   f'stroke-dasharray="5,4"/>')
        out.append(f'<text x="{gx + 3:.1f}" y="{top - 16 if value == 25 else top - 28}" fill="#d62728">{label}</text>')
    for i, (label, key) in enumerate(rows):
        y = top + i * (2 * bar_h + gap)
        out.append(f'<text x="{left - 6}" y="{y + bar_h + 4}" text-anchor="end">{esc(label)}</text>')
        for j, (p, colour) in enumerate((("p50_ms", "#1f77b4"), ("p99_ms", "#ff7f0e"))):
            v = lat[key][p]
            by = y + j * bar_h
            out.append(f'<rect x="{left}" y="{by}" width="{max(1.0, x(v) - left):.1f}" height="{bar_h - 1}" '
                       f'fill="{colour}"/>')
            out.append(f'<text x="{x(v) + 4:.1f}" y="{by + bar_h - 2}" font-size="10">{v:,.2f}</text>')
    out.append(f'<text x="10" y="{fan_top - 12}" font-size="14" font-weight="bold">Fan-out: feed inserts per second '
               f'(target 100,000)</text>')
    fmax = max([v for _, v, _ in fan_rows] + [100_000]) * 1.15
    for i, (label, v, per_cpu) in enumerate(fan_rows):
        y = fan_top + i * 30
        out.append(f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">{esc(label)}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{max(1.0, plot_w * v / fmax):.1f}" height="20" fill="#2ca02c"/>')
        note = ", ".join(f"{role} {x / 1000:,.0f}k" for role, x in per_cpu.items())
        out.append(f'<text x="{left + plot_w * v / fmax + 4:.1f}" y="{y + 15}">{v:,.0f}/s'
                   f'<tspan fill="#555"> (per CPU-second: {esc(note)})</tspan></text>')
    tx = left + plot_w * 100_000 / fmax
    out.append(f'<line x1="{tx:.1f}" y1="{fan_top - 4}" x2="{tx:.1f}" y2="{fan_top + len(fan_rows) * 30}" '
               f'stroke="#d62728" stroke-dasharray="5,4"/>')
    mem = result["redis_memory"]
    y = fan_top + len(fan_rows) * 30 + 30
    lines = [(f"Redis home feeds: {fmt_bytes(mem['home_feeds_bytes'])} for {mem['feed_entries']:,} entries in "
              f"{mem['feeds']:,} feeds of active members ({mem['bytes_per_entry']:.0f} B/entry)"),
             f"all {cfg['members']:,} members with a feed (extrapolated): {fmt_bytes(mem['all_members_estimate_bytes'])}",
             (f"own-activity lists (celebrity merge): {fmt_bytes(mem['own_lists_bytes'])}; "
              f"used_memory at the end {fmt_bytes(mem['final']['used_memory'])}")]
    for k, line in enumerate(lines):
        out.append(f'<text x="10" y="{y + 18 * k}">{esc(line)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


# main -------------------------------------------------------------------------------------------
def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="small run: 20,000 members, 300,000 activities, "
                   "100 readers")
    p.add_argument("--members", type=int, help="members (default 100,000; quick 20,000)")
    p.add_argument("--activities", type=int, help="activity events (default 2,000,000; quick 300,000)")
    p.add_argument("--readers", type=int, help="members following --follows each, whose feed pages are "
                   "timed (default 200; quick 100)")
    p.add_argument("--follows", type=int, default=500, help="how many members each reader follows")
    p.add_argument("--rounds", type=int, help="timed passes over the readers (default 2)")
    p.add_argument("--likes", type=int, help="likes (default activities / 2)")
    p.add_argument("--replay", type=int, help="newest activities fanned out live, timed (default 20,000; "
                   "quick 10,000)")
    p.add_argument("--projector-events", type=int, help="of those, how many go through the projector itself "
                   "(default 2,000; quick 1,000)")
    p.add_argument("--projector-batch", type=int, default=200, help="events per project() call (after a "
                   "quarter of --projector-events one per call); 200 is the relay's chunk")
    p.add_argument("--avg-follows", type=float, default=50.0)
    p.add_argument("--pref-share", type=float, default=0.5, help="share of follows chosen by popularity")
    p.add_argument("--pop-exponent", type=float, default=1.0)
    p.add_argument("--pop-offset", type=float, default=10.0)
    p.add_argument("--post-alpha", type=float, default=1.2, help="Pareto shape of members' posting rates")
    p.add_argument("--post-cap", type=float, default=100.0)
    p.add_argument("--lurker-share", type=float, default=0.8)
    p.add_argument("--lurker-factor", type=float, default=0.03)
    p.add_argument("--login-share", type=float, default=0.1, help="members who logged in within the active "
                   "window without posting")
    p.add_argument("--days", type=float, default=60.0)
    p.add_argument("--seed", type=int, default=20261124)
    p.add_argument("--no-results", action="store_true", help="do not write bench/results/feeds.*")
    p.add_argument("--tcp", action="store_true", help="the app (and the SQL baselines) reach PostgreSQL and Redis "
                   "over TCP on 127.0.0.1 instead of their Unix sockets (the default, as on one production box)")
    p.add_argument("--profile", action="store_true", help="after the agreement check, profile the Redis "
                   "fragment (cProfile, every reader once) and print the heaviest functions, then stop")
    p.add_argument("--fanout-only", action="store_true", help="stop after the fan-out rows (and their profile "
                   "with --profile): no memory what-ifs, cards or pages")
    a = p.parse_args()
    quick = a.quick
    a.members = a.members or (20_000 if quick else 100_000)
    a.activities = a.activities or (300_000 if quick else 2_000_000)
    a.readers = a.readers or (100 if quick else 200)
    a.rounds = a.rounds or 2
    a.likes = a.likes if a.likes is not None else a.activities // 2
    a.replay = min(a.replay or (10_000 if quick else 20_000), a.activities // 2)
    a.projector_events = min(a.projector_events or (1_000 if quick else 2_000), a.replay // 2)
    if a.readers >= a.members // 2 or a.follows >= a.members // 2:
        p.error("--readers and --follows must be well below --members")
    return a


def main() -> int:
    args = parse_args()
    raise_on_sigterm()
    os.environ.setdefault("SECRET_KEY", "bench-feeds-secret-key")  # don't create instance/secret_key
    from app.rules import FEED
    from workers.projectors import feed_cards as card_projector
    from workers.projectors import feeds as projector

    global FEED_INACTIVE_DAYS
    FEED_INACTIVE_DAYS = FEED["inactive_days"]
    args.celebrity_followers = FEED["celebrity_followers"]
    started = time.monotonic()
    load_before = os.getloadavg()
    result: dict = {"config": {k: v for k, v in vars(args).items()}, "feed_rules": dict(FEED),
                    "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                "loadavg_start": load_before, "transport": "tcp" if args.tcp else "unix",
                                "hiredis": redis_parser_is_hiredis()}}
    stack = Stack(log=log, unix_sockets=not args.tcp)
    failed = False
    try:
        return run(args, stack, result, started, FEED, projector, card_projector)
    except BaseException:
        failed = True
        raise
    finally:
        gc.unfreeze() if hasattr(gc, "unfreeze") else None
        log("stopping PostgreSQL and Redis, removing " + str(stack.root))
        stack.close(failed=failed)


def run(args, stack: Stack, result: dict, started: float, FEED: dict, projector, card_projector) -> int:
    import psycopg
    import redis as redis_lib

    now = time.time()
    log(f"starting PostgreSQL and Redis in {stack.root}")
    stack.start_services("bench_feeds")
    pg = stack.pg
    conninfo = stack.dsn("bench_feeds")
    settings = {"shared_buffers": "2GB", "effective_cache_size": "8GB", "work_mem": "32MB", "jit": "off",
                "random_page_cost": "1.1", "max_wal_size": "8GB", "checkpoint_timeout": "30min"}
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for k, v in settings.items():
            conn.execute(f"ALTER SYSTEM SET {k} = '{v}'")
    from tests.services import _pg_bin

    pg._run(_pg_bin("pg_ctl"), "-D", str(pg.data), "-w", "-m", "fast", "-l", str(pg.root / "log"), "restart")
    result["postgres_settings"] = settings

    from app import create_app
    from app.extensions import db
    from app.feed import ACTIVITY_TYPES
    from app.read import keys

    app = create_app({"SQLALCHEMY_DATABASE_URI": stack.db_url, "REDIS_URL": stack.redis_url,
                      "INPROCESS_WORKER": False, "SCHEDULER_INTERVAL": 0, "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "SECRET_KEY": os.environ["SECRET_KEY"], "TESTING": False})
    import logging

    logging.getLogger("alembic").setLevel(logging.WARNING)
    with app.app_context():
        import flask_migrate

        flask_migrate.upgrade()
    log("schema created (flask_migrate.upgrade)")

    # 1. workload ---------------------------------------------------------------------------
    w = Workload(args, now)
    t = time.monotonic()
    w.generate_graph()
    w.generate_activities()
    w.generate_last_active()
    gen_s = time.monotonic() - t
    n_follows = len(w.fe_flat)
    log(f"generated in {gen_s:.1f}s: {w.n:,} members, {n_follows:,} follows, {args.activities:,} activities, "
        f"{len(w.celebrities)} celebrities")
    w.activity_types = ACTIVITY_TYPES
    loaded = load(conninfo, w, ACTIVITY_TYPES)
    loaded["timing"]["generate_s"] = gen_s
    rows = sum(loaded["rows"].values())
    log(f"loaded {rows:,} rows with COPY in {loaded['timing']['copy_total_s']:.1f}s "
        f"({rows / loaded['timing']['copy_total_s']:,.0f} rows/s); VACUUM ANALYZE "
        f"{loaded['timing']['vacuum_analyze_s']:.1f}s; baseline index {loaded['timing']['baseline_index_s']:.1f}s")
    readers = w.readers
    fc = w.follower_count
    wrong = [m for m in readers if len(w.followees(m)) != args.follows]
    if wrong:
        raise RuntimeError(f"{len(wrong)} readers do not follow exactly {args.follows} members")
    reader_stats = []
    for m in readers:
        fe = w.followees(m)
        reader_stats.append({"celebrities": sum(1 for f in fe if f in w.celebrities),
                             "followers_of_followees": sum(fc[f] for f in fe),
                             "followee_activities": sum(w.act_count[f] for f in fe)})
    type_counts = {name: 0 for name in w.type_names}
    for t_ in w.ev_type:
        type_counts[w.type_names[t_]] += 1
    degrees = sorted(w.fe_off[m] - w.fe_off[m - 1] for m in range(1, w.n + 1))
    followers_sorted = sorted(fc[1:w.n + 1])
    acts_sorted = sorted(w.act_count[1:w.n + 1])
    result["workload"] = {
        "members": w.n, "follows": n_follows, "activities": args.activities, "types": type_counts,
        "projects": loaded["projects"], "likes": loaded["rows"]["likes"], "rows": loaded["rows"],
        "following": {"mean": n_follows / w.n, "p50": degrees[w.n // 2], "p99": degrees[int(w.n * .99)],
                      "max": degrees[-1]},
        "followers": {"p50": followers_sorted[w.n // 2], "p99": followers_sorted[int(w.n * .99)],
                      "max": followers_sorted[-1]},
        "activities_per_member": {"p50": acts_sorted[w.n // 2], "p90": acts_sorted[int(w.n * .9)],
                                  "p99": acts_sorted[int(w.n * .99)], "max": acts_sorted[-1],
                                  "members_with_none": sum(1 for x in acts_sorted if x == 0)},
        "celebrities": len(w.celebrities),
        "readers": {"count": len(readers), "follows_each": args.follows,
                    "celebrities_followed_mean": statistics.fmean(r["celebrities"] for r in reader_stats),
                    "followers_of_followees_p50": statistics.median(r["followers_of_followees"] for r in reader_stats),
                    "followee_activities_p50": statistics.median(r["followee_activities"] for r in reader_stats)},
        "table_bytes": loaded["table_bytes"],
    }
    result["load"] = loaded["timing"]

    # 2. Redis read model --------------------------------------------------------------------
    r = redis_lib.Redis.from_url(stack.redis_url)
    build = RedisBuild(r, w, keys, FEED, projector.POPULAR_KEEP)
    build.activity_types = ACTIVITY_TYPES
    replay_first = args.activities - args.replay + 1
    proj_first = args.activities - args.projector_events + 1
    part = (proj_first - replay_first) // 4
    memory0 = info_memory(r)
    log(f"Redis: own activity lists, last-active index and home feeds up to activity {replay_first - 1:,}")
    build.preload(replay_first - 1)
    build.preload_follows()
    bf = build.report["bulk_feeds"]
    log(f"  {bf['feeds']:,} home feeds of {bf['members']:,} active members, {bf['entries']:,} entries, "
        f"in {bf['seconds']:.1f}s")
    fanout = {}

    def cpu_snapshot() -> dict:
        snapshot = cpu_seconds(stack, extra={"bench": os.getpid()})
        snapshot["commandstats"] = {k: (v["calls"], v["usec"]) for k, v in r.info("commandstats").items()}
        return snapshot

    def with_cpu(entry: dict, before: dict) -> dict:
        after = cpu_snapshot()
        calls = {k: (n - before["commandstats"].get(k, (0, 0))[0], us - before["commandstats"].get(k, (0, 0))[1])
                 for k, (n, us) in after.pop("commandstats").items()}
        # Redis' own accounting of its commands (those scripts call included): where its CPU goes
        entry["redis_us_per_insert"] = {k.removeprefix("cmdstat_"): us / max(1, entry["inserts"])
                                        for k, (n, us) in calls.items() if n and us}
        used = {k: after[k] - before.get(k, 0.0) for k in after if k != "commandstats"}
        entry["cpu_s"] = used
        entry["inserts_per_cpu_s"] = {role: entry["inserts"] / used[role] for role in ("bench", "redis", "postgres")
                                      if used.get(role, 0) > 0.05}
        return entry

    log(f"fan-out, one pipeline per activity: activities {replay_first:,}..{replay_first + part - 1:,}")
    cpu0 = cpu_snapshot()
    fanout["pipeline_per_activity"] = with_cpu(
        build.fan_out(replay_first, replay_first + part - 1, per_activity=True), cpu0)
    log(f"  {fanout['pipeline_per_activity']['inserts_per_s']:,.0f} inserts/s")
    for name, lo, hi, options in (
            ("pipeline_batched", replay_first + part, replay_first + 2 * part - 1, {}),
            ("whatif_no_deletes", replay_first + 2 * part, replay_first + 3 * part - 1, {"deletes_inactive": False}),
            ("script_batched", replay_first + 3 * part, proj_first - 1, {"script_calls": args.projector_batch})):
        log(f"fan-out, {name}: activities {lo:,}..{hi:,}")
        cpu0 = cpu_snapshot()
        fanout[name] = with_cpu(build.fan_out(lo, hi, per_activity=False, **options), cpu0)
        log(f"  {fanout[name]['inserts_per_s']:,.0f} inserts/s")
    from sqlalchemy import select

    from app.models import Event

    single_last = proj_first + args.projector_events // 4 - 1  # a quarter one per call, as a command's job
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    for name, lo, hi, batch in (("projector_single", proj_first, single_last, 1),
                                ("projector", single_last + 1, args.activities, args.projector_batch)):
        log(f"fan-out through workers.projectors.feeds.project(), {batch} per call: "
            f"activities {lo:,}..{hi:,}")
        expected = build.expected_inserts(lo, hi, time.time())
        proj_seconds = cards_seconds = proj_cpu = 0.0
        cpu0 = cpu_snapshot()
        ids = list(range(lo, hi + 1))
        with CountedInserts(projector, keys) as counted:  # the old count, ZADD calls, no longer equals inserts
            for i in range(0, len(ids), batch):
                with app.app_context():
                    events = list(db.session.scalars(
                        select(Event).where(Event.id.in_(ids[i:i + batch])).order_by(Event.id)))
                    t, c = time.perf_counter(), time.process_time()
                    if profiler and batch > 1:
                        profiler.runcall(projector.project, events)
                    else:
                        projector.project(events)
                    proj_seconds += time.perf_counter() - t
                    proj_cpu += time.process_time() - c
                    t = time.perf_counter()
                    card_projector.project(events)  # the other live projector these events meet: timed apart
                    cards_seconds += time.perf_counter() - t
        inserts = counted.inserts
        fanout[name] = with_cpu({
            "activities": len(ids), "inserts": inserts, "expected_inserts": expected,
            "seconds": proj_seconds, "inserts_per_s": inserts / proj_seconds if proj_seconds else None,
            "batch": batch, "activities_per_s": len(ids) / proj_seconds if proj_seconds else None,
            "project_cpu_s": proj_cpu,  # the benchmark's own CPU inside project() alone
            "cards_seconds": cards_seconds, "cards_per_s": len(ids) / cards_seconds if cards_seconds else None},
            cpu0)
        log(f"  {fanout[name]['inserts_per_s']:,.0f} inserts/s ({inserts:,} inserts, expected {expected:,})")
    result["fanout"] = fanout
    if profiler:
        import pstats

        print("=== profile: project(), relay chunks ===")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    if args.fanout_only:
        print_fanout(result, args)
        return 0
    feeds_n, entries_n = build.count_feeds(range(1, w.n + 1))
    final_mem = info_memory(r)
    before, after = build.report["memory_before_feeds"], build.report["memory_after_feeds"]
    feed_bytes = after["used_memory"] - before["used_memory"]
    per_entry = feed_bytes / bf["entries"] if bf["entries"] else 0.0
    sample = sorted(build.active)[:: max(1, len(build.active) // 200)]
    pipe = r.pipeline(transaction=False)
    for m in sample:
        pipe.memory_usage(keys.home_feed(m), samples=0)
        pipe.zcard(keys.home_feed(m))
    got = pipe.execute()
    usage = [(u, c) for u, c in zip(got[0::2], got[1::2]) if u]
    sampled_per_entry = sum(u for u, _ in usage) / max(1, sum(c for _, c in usage))
    cap = FEED["cap"]
    all_entries = 0
    for m in range(1, w.n + 1):
        size = w.act_count[m] + sum(w.act_count[f] for f in w.followees(m) if f not in w.celebrities)
        all_entries += min(cap, size)
    result["redis_memory"] = {
        "empty": memory0, "before_feeds": before, "after_bulk_feeds": after, "final": final_mem,
        "own_lists_bytes": before["used_memory"] - memory0["used_memory"],
        "own_list_entries": build.report["own_lists"]["entries"],
        "home_feeds_bytes": feed_bytes, "feeds": bf["feeds"], "feed_entries": bf["entries"],
        "bytes_per_entry": per_entry, "bytes_per_entry_memory_usage_sample": sampled_per_entry,
        "feeds_final": feeds_n, "feed_entries_final": entries_n,
        "active_members": len(build.active),
        "all_members_entries": all_entries, "all_members_estimate_bytes": all_entries * per_entry,
    }
    result["redis_build"] = build.report
    result["redis_memory"]["whatif_listpack"] = listpack_whatif(r, keys, sample, cap)
    lp = result["redis_memory"]["whatif_listpack"]
    log(f"what-if listpack feeds: {lp['listpack']['bytes_per_entry']:.1f} B/entry vs "
        f"{lp['skiplist']['bytes_per_entry']:.1f} (encodings {lp['listpack']['encodings']})")
    log(f"Redis: home feeds {fmt_bytes(feed_bytes)} for {bf['entries']:,} entries ({per_entry:.0f} B/entry); "
        f"used_memory {fmt_bytes(final_mem['used_memory'])}")
    # The feed cards of the last FEED["card_days"] days, as `flask projections rebuild feed_cards` writes them
    # (the same bytes as live projection; the projector's own cost is timed with project() above).
    before_cards, keys_before = info_memory(r)["used_memory"], r.dbsize()
    t = time.monotonic()
    with app.app_context():
        card_count = card_projector.rebuild()
    seconds = time.monotonic() - t
    result["cards"] = {"activities": card_count, "cards": r.dbsize() - keys_before, "seconds": seconds,
                       "per_s": card_count / seconds if seconds else None,
                       "bytes": info_memory(r)["used_memory"] - before_cards, "days": FEED["card_days"]}
    log(f"feed cards: {result['cards']['cards']:,} cards of the last {FEED['card_days']} days in {seconds:.1f}s, "
        f"{fmt_bytes(result['cards']['bytes'])}")

    # free the generator's data before timing reads (a big heap makes GC pauses part of p99)
    readers_followees = {m: list(w.followees(m)) for m in readers}
    del build, w
    gc.collect()
    gc.freeze()

    # 3. the feed page ------------------------------------------------------------------------
    from sqlalchemy import text

    import app.read.feeds as feeds_mod

    size = FEED["page_size"]
    limit = size + 10
    sql = baseline_sql(ACTIVITY_TYPES)
    redis_candidates = feeds_mod.candidate_ids

    def sql_ids(kind: str):
        statement = text(sql[kind])

        def candidate_ids(user_id: int, before: int | None, lim: int):
            found = list(db.session.scalars(statement, {"uid": user_id, "before": before or 2 ** 62, "limit": lim}))
            return feeds_mod.Candidates(found, set())  # cards: one MGET; hidden authors: the facts statement
        return candidate_ids

    sources = {"redis": redis_candidates, "join": sql_ids("join"), "lateral": sql_ids("lateral")}

    @contextlib.contextmanager
    def ids_from(kind: str):
        feeds_mod.candidate_ids = sources[kind]
        try:
            yield
        finally:
            feeds_mod.candidate_ids = redis_candidates

    client = app.test_client()
    item_re = re.compile(r'class="feed-item\b[^"]*" data-id="(\d+)"')
    problems: list[str] = []

    def ids_call(kind: str, uid: int) -> tuple[float, float]:
        with ids_from(kind), app.app_context():
            c, t = time.thread_time(), time.perf_counter()
            feeds_mod.candidate_ids(uid, None, limit)
            return time.perf_counter() - t, time.thread_time() - c

    def page_call(kind: str, uid: int) -> tuple[float, float]:
        with ids_from(kind), app.app_context():
            c, t = time.thread_time(), time.perf_counter()
            feeds_mod.following(uid)
            return time.perf_counter() - t, time.thread_time() - c

    # The session a log-in leaves (flask_login.login_user): with "_id", the session-protection hash of the
    # client's address and user agent. Without it every request failed that check, marked the session
    # not fresh and sent a new cookie, which a logged-in member's requests never do (until 2026-11-24 22:30).
    with app.test_request_context("/feed", environ_base=client.environ_base):
        session_id = app.login_manager._session_identifier_generator()

    def fragment_call(kind: str, uid: int, check: bool = False):
        with client.session_transaction() as session:
            session["_user_id"] = str(uid)
            session["_fresh"] = True
            session["_id"] = session_id
        with ids_from(kind):
            c, t = time.thread_time(), time.perf_counter()
            response = client.get("/feed", headers={"HX-Request": "true"})
            elapsed, cpu = time.perf_counter() - t, time.thread_time() - c
        if response.status_code != 200:
            raise RuntimeError(f"GET /feed for {uid} ({kind}) answered {response.status_code}: "
                               f"{response.get_data(as_text=True)[:300]}")
        if "Set-Cookie" in response.headers:
            raise RuntimeError(f"GET /feed for {uid} ({kind}) sent a new session cookie: the benchmark's "
                               "session is not what a log-in leaves")
        if check:
            return elapsed, [int(x) for x in item_re.findall(response.get_data(as_text=True))]
        return elapsed, cpu

    def method(kind: str, fn):
        return lambda uid: fn(kind, uid)

    methods = [(f"{kind}_{what}", method(kind, fn))
               for what, fn in (("ids", ids_call), ("page", page_call), ("fragment", fragment_call))
               for kind in ("redis", "join", "lateral")]

    # agreement (and warm-up): every reader's page from each source; the same items?
    agree = {"join": 0, "lateral": 0}
    short = 0
    for uid in readers:
        _, shown = fragment_call("redis", uid, check=True)
        if len(shown) < size:
            short += 1
        for kind in agree:
            _, other = fragment_call(kind, uid, check=True)
            if other == shown:
                agree[kind] += 1
            elif len(problems) < 5:
                problems.append(f"reader {uid}: Redis page {shown[:5]}... differs from {kind} {other[:5]}...")
    log(f"agreement: Redis page == SQL join page for {agree['join']}/{len(readers)} readers, == LATERAL for "
        f"{agree['lateral']}/{len(readers)}; pages with fewer than {size} items: {short}")
    if args.profile:
        import cProfile
        import pstats

        print("=== profile: the Redis fragment ===")
        profiler = cProfile.Profile()
        profiler.enable()
        for uid in readers:
            fragment_call("redis", uid)
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats("tottime")
        stats.print_stats(45)
        stats.sort_stats("cumulative").print_stats(70)
        return 0
    for uid in readers[: max(10, len(readers) // 10)]:  # and each way of timing once
        for _, fn in methods:
            fn(uid)
    samples: dict[str, list[float]] = {name: [] for name, _ in methods}
    cpu: dict[str, list[float]] = {name: [] for name, _ in methods}
    rng = random.Random(args.seed + 7)
    t_measure = time.monotonic()
    loads = []
    for rnd in range(args.rounds):
        order = readers[:]
        rng.shuffle(order)
        for i, uid in enumerate(order):
            k = (i + rnd) % len(methods)
            for name, fn in methods[k:] + methods[:k]:
                wall, used = fn(uid)
                samples[name].append(wall)
                cpu[name].append(used)
        loads.append(os.getloadavg()[0])
        log(f"  round {rnd + 1}/{args.rounds} done (load average {loads[-1]:.2f})")
    measure_s = time.monotonic() - t_measure
    latency = {name: summarize(v) for name, v in samples.items()}
    for name in latency:
        latency[name]["cpu_mean_ms"] = 1000 * statistics.fmean(cpu[name])
        latency[name]["cpu_p50_ms"] = 1000 * statistics.median(cpu[name])
    result["latency"] = latency
    result["machine"]["loadavg_rounds"] = loads
    result["agreement"] = {"readers": len(readers), "same_as_join": agree["join"], "same_as_lateral": agree["lateral"],
                           "short_pages": short, "examples": problems}

    # 4. where the time goes ------------------------------------------------------------------
    meter = Meter()
    with app.app_context():
        meter.install(db.engines.values())
    breakdown = {}
    some = readers[:100]
    for kind in ("redis", "join"):
        meter.reset()
        total = 0.0
        for uid in some:
            meter.on = True
            total += fragment_call(kind, uid)[0]
            meter.on = False
        n = len(some)
        sql_total = sum(sum(v) for v in meter.sql.values())
        statements = sorted(((k, len(v) / n, 1000 * sum(v) / n, 1000 * max(v)) for k, v in meter.sql.items()),
                            key=lambda s: -s[2])
        breakdown[kind] = {
            "fragment_mean_ms": 1000 * total / n, "sql_ms": 1000 * sql_total / n,
            "sql_statements": sum(len(v) for v in meter.sql.values()) / n,
            "redis_ms": 1000 * meter.redis / n, "redis_calls": meter.redis_calls / n,
            "render_ms": 1000 * meter.render / n,
            "other_ms": 1000 * (total - sql_total - meter.redis - meter.render) / n,
            "statements": [{"sql": s, "per_page": c, "mean_ms": m, "max_ms": mx} for s, c, m, mx in statements],
        }
        if kind == "redis":
            examples = dict(meter.example)
    # EXPLAIN ANALYZE the heaviest statements of a Redis page, and the two baselines, for the median reader
    explains = {}
    median_uid = sorted(readers, key=lambda u: len(readers_followees[u]))[len(readers) // 2]
    with app.app_context():
        conn = db.session.connection()
        for entry in breakdown["redis"]["statements"][:3]:
            statement, params = examples[entry["sql"]]
            try:
                plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params).scalars().all()
                explains[entry["sql"]] = plan
            except Exception as exc:  # noqa: BLE001 (report it, keep the run)
                explains[entry["sql"]] = [f"EXPLAIN failed: {exc}"]
        for kind in ("join", "lateral"):
            plan = db.session.execute(text("EXPLAIN (ANALYZE, BUFFERS) " + sql[kind]),
                                      {"uid": median_uid, "before": 2 ** 62, "limit": limit}).scalars().all()
            explains[f"baseline {kind}"] = plan
        db.session.rollback()
    if any(LATERAL_INDEX in line for line in explains["baseline join"]):
        raise RuntimeError(f"the plain join used {LATERAL_INDEX}, the LATERAL form's index: not the app's schema")
    result["breakdown"] = breakdown
    result["explain"] = explains
    result["redis_info"] = {"version": r.info("server").get("redis_version")}
    result["machine"]["loadavg_end"] = os.getloadavg()
    result["timing"] = {"total_s": time.monotonic() - started, "measure_s": measure_s}

    # targets ---------------------------------------------------------------------------------
    red = latency["redis_fragment"]
    ratios = {}
    for kind in ("join", "lateral"):
        for what in ("ids", "page", "fragment"):
            base, mine = latency[f"{kind}_{what}"], latency[f"redis_{what}"]
            ratios[f"{kind}_{what}"] = {"p50": base["p50_ms"] / mine["p50_ms"], "p99": base["p99_ms"] / mine["p99_ms"]}
        ratios[f"{kind}_query_vs_redis_fragment"] = {"p50": latency[f"{kind}_ids"]["p50_ms"] / red["p50_ms"],
                                                     "p99": latency[f"{kind}_ids"]["p99_ms"] / red["p99_ms"]}
    names = {"join": "the plain join (the issue's baseline: the app's indexes)",
             "lateral": "the tuned LATERAL top-N (its own extra index; for reference)"}
    targets = [
        ("fragment server time p99 < 25 ms", f"{red['p99_ms']:.2f} ms", red["p99_ms"] < 25),
        ("fragment server time p50 < 5 ms", f"{red['p50_ms']:.2f} ms", red["p50_ms"] < 5),
        *((f"fragment p99 >= 20x faster than {names[kind]}'s fragment (its ids, the same hydration and render)",
           f"{ratios[kind + '_fragment']['p99']:.2f}x", ratios[kind + "_fragment"]["p99"] >= 20)
          for kind in ("join", "lateral")),
        *((f"fragment p99 >= 20x faster than {names[kind]} query alone (ids only, no hydration)",
           f"{ratios[kind + '_query_vs_redis_fragment']['p99']:.2f}x",
           ratios[kind + "_query_vs_redis_fragment"]["p99"] >= 20) for kind in ("join", "lateral")),
        ("fan-out >= 100,000 feed inserts/s, the projector's Lua script in batched pipelines (no SQL)",
         f"{fanout['script_batched']['inserts_per_s']:,.0f}/s",
         fanout["script_batched"]["inserts_per_s"] >= 100_000),
        (f"fan-out >= 100,000 feed inserts/s, projector project(), {args.projector_batch} events per call "
         f"(a relay chunk)", f"{fanout['projector']['inserts_per_s']:,.0f}/s",
         fanout["projector"]["inserts_per_s"] >= 100_000),
        ("fan-out >= 100,000 feed inserts/s, projector project(), 1 event per call (a command's job)",
         f"{fanout['projector_single']['inserts_per_s']:,.0f}/s",
         fanout["projector_single"]["inserts_per_s"] >= 100_000),
        ("Redis memory of all feeds reported (INFO memory)",
         f"{fmt_bytes(result['redis_memory']['home_feeds_bytes'])}", True),
    ]
    result["ratios"] = ratios
    result["targets"] = [{"target": t_, "value": v, "met": bool(ok)} for t_, v, ok in targets]
    print_summary(result, args)
    if not args.no_results:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "feeds.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
        (RESULTS / "feeds.svg").write_text(svg_chart(result))
        print(f"\nwrote {RESULTS / 'feeds.json'} and {RESULTS / 'feeds.svg'}")
    return 0


def print_fanout(res: dict, args) -> None:
    fan = res["fanout"]
    p = print
    p("")
    p(f"Fan-out (a feed insert = ZADD into a member's home feed + ZREMRANGEBYRANK to the cap of "
      f"{res['feed_rules']['cap']}; the newest {args.replay:,} activities, after bulk-loading the rest):")
    for label, key in FANOUT_ROWS:
        f = fan[key]
        extra = (f"{f['deletes_of_inactive']:,} DELs of inactive followers' feeds, {f['commands']:,} commands in "
                 f"{f['round_trips']:,} round trips" if "commands" in f else
                 f"{f['activities_per_s']:,.0f} activities/s, batches of {f['batch']}, expected {f['expected_inserts']:,} "
                 f"inserts; the feed_cards projector apart: {f['cards_per_s']:,.0f} activities/s; CPU in project() "
                 f"{f.get('project_cpu_s', 0):.2f}s ({f['inserts'] / max(1e-9, f.get('project_cpu_s', 0)):,.0f} inserts per "
                 f"CPU-second)")
        used = f["cpu_s"]
        per_cpu = ", ".join(f"{role} {v:,.0f}" for role, v in f["inserts_per_cpu_s"].items())
        p(f"  {label:<38} {f['activities']:>6,} activities {f['inserts']:>9,} inserts {f['seconds']:>6.2f}s "
          f"{f['inserts_per_s']:>9,.0f} inserts/s")
        p(f"  {'':<38} {extra}")
        p(f"  {'':<38} CPU s: benchmark {used.get('bench', 0):.2f}, redis {used.get('redis', 0):.2f}, postgres "
          f"{used.get('postgres', 0):.2f}, whole machine {used.get('machine', 0):.2f} of {f['seconds'] * (res['machine']['cpus'] or 1):.2f} "
          f"available -> inserts per CPU-second: {per_cpu}")
        top = sorted(f.get("redis_us_per_insert", {}).items(), key=lambda kv: -kv[1])[:6]
        p(f"  {'':<38} Redis us per insert (its commandstats; a script's time includes the commands it calls): "
          + ", ".join(f"{k} {v:.2f}" for k, v in top))


def print_summary(res: dict, args) -> None:
    wl, ld, mem, lat = res["workload"], res["load"], res["redis_memory"], res["latency"]
    p = print
    p("")
    p(f"=== Feeds benchmark ({'quick' if args.quick else 'full'}) ===")
    types = ", ".join(f"{k} {v / wl['activities']:.0%}" for k, v in wl["types"].items())
    p(f"workload: {wl['members']:,} members, {wl['follows']:,} follows (mean {wl['following']['mean']:.1f}, "
      f"p99 {wl['following']['p99']}), {wl['activities']:,} activities over {args.days:g} days ({types}), "
      f"{wl['projects']:,} projects, {wl['likes']:,} likes")
    p(f"graph: followers p50 {wl['followers']['p50']}, p99 {wl['followers']['p99']:,}, max {wl['followers']['max']:,}; "
      f"{wl['celebrities']} celebrities (> {args.celebrity_followers:,} followers, merged at read time); "
      f"activities per member p50 {wl['activities_per_member']['p50']}, p99 {wl['activities_per_member']['p99']}, "
      f"max {wl['activities_per_member']['max']:,}")
    rd = wl["readers"]
    p(f"readers: {rd['count']} members following {rd['follows_each']} each (half by popularity, half at random); "
      f"they follow {rd['celebrities_followed_mean']:.1f} celebrities on average; their followees have "
      f"{rd['followers_of_followees_p50']:,.0f} followers in all and {rd['followee_activities_p50']:,.0f} activities "
      f"(medians)")
    p(f"load: generate {ld['generate_s']:.0f}s, COPY {ld['copy_total_s']:.0f}s "
      f"({sum(wl['rows'].values()) / ld['copy_total_s']:,.0f} rows/s), VACUUM ANALYZE {ld['vacuum_analyze_s']:.0f}s, "
      f"baseline index {ld['baseline_index_s']:.0f}s; postgres {', '.join(f'{k}={v}' for k, v in res['postgres_settings'].items())}")
    print_fanout(res, args)
    bf = res["redis_build"]["bulk_feeds"]
    p(f"  bulk load of the older history (ZUNIONSTORE of own lists, like a rebuild): {bf['feeds']:,} feeds, "
      f"{bf['entries']:,} entries in {bf['seconds']:.1f}s")
    p("")
    p("Redis memory (INFO memory, used_memory):")
    p(f"  home feeds of the {mem['active_members']:,} active members (last {res['feed_rules']['inactive_days']} days): "
      f"{fmt_bytes(mem['home_feeds_bytes'])} for {mem['feed_entries']:,} entries in {mem['feeds']:,} feeds = "
      f"{mem['bytes_per_entry']:.1f} B/entry (MEMORY USAGE sample: {mem['bytes_per_entry_memory_usage_sample']:.1f} B/entry)")
    p(f"  after the live fan-out: {mem['feeds_final']:,} feeds, {mem['feed_entries_final']:,} entries; "
      f"used_memory {fmt_bytes(mem['final']['used_memory'])}, rss {fmt_bytes(mem['final']['used_memory_rss'])}, "
      f"fragmentation {mem['final']['mem_fragmentation_ratio']}")
    p(f"  own-activity lists (read-time merge of celebrities): {fmt_bytes(mem['own_lists_bytes'])} for "
      f"{mem['own_list_entries']:,} entries")
    p(f"  if every one of the {wl['members']:,} members had a feed: {mem['all_members_entries']:,} entries, "
      f"about {fmt_bytes(mem['all_members_estimate_bytes'])}")
    lp = mem["whatif_listpack"]
    sk, li = lp["skiplist"], lp["listpack"]
    cards = res["cards"]
    p(f"  feed cards (the last {cards['days']} days' activities, rendered): {cards['cards']:,} cards, "
      f"{fmt_bytes(cards['bytes'])} ({cards['bytes'] / max(1, cards['cards']):,.0f} B/card); rebuilt in "
      f"{cards['seconds']:.1f}s ({cards['per_s']:,.0f}/s)")
    p(f"  what-if zset-max-listpack-entries {lp['config_whatif']} (default {lp['config_default']}), {li['feeds']} sampled "
      f"feeds copied: {li['bytes_per_entry']:.1f} B/entry ({', '.join(li['encodings'])}) vs {sk['bytes_per_entry']:.1f} "
      f"({', '.join(sk['encodings'])}), i.e. all feeds about {fmt_bytes(mem['feed_entries_final'] * li['bytes_per_entry'])} "
      f"instead of {fmt_bytes(mem['feed_entries_final'] * sk['bytes_per_entry'])}; fan-out (FAN_OUT_LUA) costs "
      f"{li['redis_cpu_us_per_insert']:.1f} us of Redis CPU per insert vs {sk['redis_cpu_us_per_insert']:.1f}")
    p("")
    n = lat["redis_fragment"]["n"]
    p(f"Feed page, first page ({res['feed_rules']['page_size']} items): {rd['count']} readers x {args.rounds} rounds = "
      f"{n} samples per row, methods interleaved, after a warm-up pass; in-process, one at a time")
    p(f"  {'':<50}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'mean ms':>9}{'max ms':>9}{'CPU ms':>9}")
    labels = {"ids": "ids only", "page": "page data (ids + hydrate)", "fragment": "fragment GET /feed (HX-Request)"}
    rows = [(f"{labels[what]}: {name}", f"{kind}_{what}") for what in ("ids", "page", "fragment")
            for kind, name in (("redis", "Redis"), ("join", "SQL plain join"), ("lateral", "SQL LATERAL (+index)"))]
    for label, key in rows:
        s = lat[key]
        p(f"  {label:<50}{s['p50_ms']:>9.2f}{s['p90_ms']:>9.2f}{s['p99_ms']:>9.2f}"
          f"{s['mean_ms']:>9.2f}{s['max_ms']:>9.2f}{s['cpu_mean_ms']:>9.2f}")
    p("  (CPU ms: mean CPU time of the benchmark's thread per call, i.e. Flask/SQLAlchemy/redis-py work without "
      "the waits on PostgreSQL, Redis or a busy machine)")
    for kind, name in (("join", "the plain join (baseline)"), ("lateral", "the tuned LATERAL (+index)")):
        p(f"  ratios {name} / Redis (p50, p99): " + "; ".join(
            f"{what.replace('_', ' ')} {v['p50']:.1f}x, {v['p99']:.1f}x" for k, v in res["ratios"].items()
            if k.startswith(kind + "_") for what in [k[len(kind) + 1:]]))
    ag = res["agreement"]
    p(f"  same items: Redis vs join {ag['same_as_join']}/{ag['readers']}, vs LATERAL {ag['same_as_lateral']}/"
      f"{ag['readers']}; pages shorter than "
      f"{res['feed_rules']['page_size']}: {ag['short_pages']}")
    p("")
    p(f"Where a fragment's time goes (mean per page, one extra pass over {min(100, rd['count'])} readers with every "
      f"call timed):")
    for kind in ("redis", "join"):
        b = res["breakdown"][kind]
        p(f"  {kind:<8} {b['fragment_mean_ms']:.2f} ms = SQL {b['sql_ms']:.2f} ms ({b['sql_statements']:.1f} statements)"
          f" + Redis {b['redis_ms']:.2f} ms ({b['redis_calls']:.1f} calls) + render {b['render_ms']:.2f} ms"
          f" + other Python {b['other_ms']:.2f} ms")
        for s in b["statements"][:6]:
            p(f"      {s['mean_ms']:7.2f} ms  x{s['per_page']:.0f}  {s['sql'][:130]}")
    for name, plan in res["explain"].items():
        last = [line for line in plan if "Execution Time" in line]
        p(f"  EXPLAIN ANALYZE {name[:90]}: {last[0].strip() if last else plan[:1]}")
    p("")
    p("Targets:")
    for t in res["targets"]:
        p(f"  [{'MET' if t['met'] else 'NOT MET':>7}] {t['target']}: {t['value']}")
    mc = res["machine"]
    p(f"(machine: {mc['cpus']} CPUs shared with other work; PostgreSQL and Redis over "
      f"{'Unix sockets' if mc.get('transport') == 'unix' else 'TCP on 127.0.0.1'}, Redis replies parsed by "
      f"{'hiredis' if mc.get('hiredis') else 'Python'}; load average {mc['loadavg_start'][0]:.2f} at start, "
      f"{', '.join(f'{x:.2f}' for x in mc['loadavg_rounds'])} after each timed round, {mc['loadavg_end'][0]:.2f} at "
      f"end; total {res['timing']['total_s']:.0f}s)")


if __name__ == "__main__":
    sys.exit(main())
