"""What a fan-out insert costs Redis when feeds are scored newest first (minus the activity id, the
new activity at the head of the sorted set) against oldest first (the id itself, the new activity
at the tail, as the feeds were scored until 2026-11-25), on feeds too many to be warm in cache.

One redis-server, two families of the same feeds (same members, same sizes), filled in alternating
chunks so neither sits in fresher memory: "by id" and "newest first". Optionally (--listpack) two
more families kept as listpacks (`zset-max-listpack-entries` above the cap while they are created).
Then rounds of fan-out: each call gives one new (newest) activity id to each of `--per-call`
random feeds, through the projector's own FAN_OUT_LUA for the newest-first family and through the
script as it was before (scored by the id, trimmed from the head) for the other; the families
alternate call by call and receive the same feeds in the same order. Measured per family: Redis'
own time per insert (commandstats: the script, and the ZADD and trim inside it) and inserts per
second of wall time.

    PYTHONPATH=. .venv/bin/python bench/zset_order.py                  # 42,000 feeds of 470: the feeds benchmark's size
    PYTHONPATH=. .venv/bin/python bench/zset_order.py --feeds 5000     # quick
    PYTHONPATH=. .venv/bin/python bench/zset_order.py --listpack       # and the listpack encoding

Writes bench/results/zset_order.json and bench/results/zset_order.svg.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import svg_bar_charts  # noqa: E402
from tests.services import RedisServer, temp_root  # noqa: E402
from workers.projectors.feeds import FAN_OUT_LUA  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"

# FAN_OUT_LUA as it was until 2026-11-25 (scored by the id: a new activity goes to the tail, and a
# trim drops from the head): the baseline.
BY_ID_LUA = """
local cap, at = tonumber(ARGV[1]), 2
for _, key in ipairs(KEYS) do
  local n, added = tonumber(ARGV[at]), 0
  if n == 1 then
    added = redis.call('ZADD', key, ARGV[at + 1], ARGV[at + 1])
  else
    local members = {}
    for j = 1, n do
      members[#members + 1] = ARGV[at + j]
      members[#members + 1] = ARGV[at + j]
    end
    added = redis.call('ZADD', key, unpack(members))
  end
  at = at + n + 1
  if added > 0 and redis.call('ZCARD', key) > cap then
    redis.call('ZREMRANGEBYRANK', key, 0, -cap - 1)
  end
end
return #KEYS
"""

# Fills `n` feeds of `entries` ids each, server side (ARGV: first feed, how many, entries, sign, prefix).
FILL_LUA = """
local first, n, entries, sign, prefix = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
for k = first, first + n - 1 do
  local args = {}
  for i = 1, entries do
    local id = i * 50000 + k % 50000
    args[#args + 1] = sign * id
    args[#args + 1] = id
  end
  redis.call('ZADD', prefix .. k, unpack(args))
end
return n
"""

FAMILIES = {"by id": ("old:", 1, BY_ID_LUA), "newest first": ("new:", -1, FAN_OUT_LUA)}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def fill(r, prefixes: list[tuple[str, int]], feeds: int, entries: int) -> None:
    script = r.register_script(FILL_LUA)
    chunk = 500
    for start in range(0, feeds, chunk):
        for prefix, sign in prefixes:
            script(args=[start, min(chunk, feeds - start), entries, sign, prefix])
        done = min(feeds, start + chunk)
        if done % 5000 < chunk or done == feeds:
            log(f"  filled {done:,}/{feeds:,} feeds of each family")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feeds", type=int, default=42_000, help="feeds per family (42,000: the active feeds "
                        "of bench/feeds.py at full size)")
    parser.add_argument("--entries", type=int, default=470, help="ids per feed at the start (470: that run's mean)")
    parser.add_argument("--cap", type=int, default=800, help="the feeds' cap (FEED['cap'])")
    parser.add_argument("--inserts", type=int, default=200_000, help="inserts per family")
    parser.add_argument("--per-call", type=int, default=1000, help="feeds given a new id per script call "
                        "(FAN_OUT_IDS)")
    parser.add_argument("--listpack", action="store_true", help="also families kept as listpacks")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-results", action="store_true", help="don't write bench/results/")
    args = parser.parse_args()

    root = temp_root()
    server = RedisServer(root).start()
    try:
        r = redis.Redis(port=server.port, decode_responses=True)
        families = dict(FAMILIES)
        t = time.monotonic()
        log(f"filling {len(families)} families of {args.feeds:,} feeds x {args.entries} ids")
        fill(r, [(p, s) for p, s, _ in families.values()], args.feeds, args.entries)
        if args.listpack:
            r.config_set("zset-max-listpack-entries", args.cap + 224)
            lp = {"by id, listpack": ("lpold:", 1, BY_ID_LUA), "newest first, listpack": ("lpnew:", -1, FAN_OUT_LUA)}
            log("filling the listpack families")
            fill(r, [(p, s) for p, s, _ in lp.values()], args.feeds, args.entries)
            families.update(lp)
        memory = r.info("memory")["used_memory"]
        log(f"filled in {time.monotonic() - t:.0f} s; used_memory {memory / 2**30:.2f} GiB")
        encodings = {name: r.object("encoding", f"{prefix}0") for name, (prefix, _, _) in families.items()}

        rng = random.Random(args.seed)
        scripts = {name: r.register_script(lua) for name, (_, _, lua) in families.items()}
        stats = {name: {"inserts": 0, "seconds": 0.0, "script_us": 0.0, "zadd_us": 0.0, "trim_us": 0.0}
                 for name in families}
        next_id = 10 ** 9
        calls = args.inserts // args.per_call
        for call in range(calls):
            targets = rng.sample(range(args.feeds), args.per_call)
            ids = list(range(next_id, next_id + args.per_call))
            next_id += args.per_call
            order = list(families.items())
            if call % 2:
                order.reverse()
            for name, (prefix, _, _) in order:
                argv = [args.cap]
                for feed_id in ids:
                    argv += [1, feed_id]
                before = r.info("commandstats")
                started = time.perf_counter()
                scripts[name](keys=[f"{prefix}{k}" for k in targets], args=argv)
                stats[name]["seconds"] += time.perf_counter() - started
                after = r.info("commandstats")
                for field, command in (("script_us", "cmdstat_evalsha"), ("zadd_us", "cmdstat_zadd"),
                                       ("trim_us", "cmdstat_zremrangebyrank")):
                    stats[name][field] += (after.get(command, {}).get("usec", 0)
                                           - before.get(command, {}).get("usec", 0))
                stats[name]["inserts"] += len(targets)
            if (call + 1) % max(1, calls // 10) == 0:
                log(f"  fan-out: {call + 1}/{calls} calls per family")
        rows = {}
        for name, s in stats.items():
            n = s["inserts"]
            rows[name] = {"inserts": n, "inserts_per_s": n / s["seconds"], "encoding": encodings[name],
                          "redis_script_us_per_insert": s["script_us"] / n, "zadd_us_per_insert": s["zadd_us"] / n,
                          "trim_us_per_insert": s["trim_us"] / n}
        base = rows["by id"]
        for row in rows.values():
            row["script_cost_vs_by_id"] = row["redis_script_us_per_insert"] / base["redis_script_us_per_insert"]
            row["speed_vs_by_id"] = row["inserts_per_s"] / base["inserts_per_s"]
        result = {"workload": {k: getattr(args, k) for k in ("feeds", "entries", "cap", "inserts", "per_call")},
                  "used_memory": memory, "rows": rows, "redis_version": r.info("server")["redis_version"]}
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)

    print(f"{args.feeds:,} feeds x {args.entries} ids per family, cap {args.cap}; {args.inserts:,} inserts per "
          f"family, {args.per_call} feeds a call; used_memory {memory / 2**30:.2f} GiB")
    print(f"{'family':<24}{'encoding':<10}{'inserts/s':>11}{'x by id':>9}{'Redis us/insert':>17}"
          f"{'x by id':>9}{'ZADD us':>9}{'trim us':>9}")
    for name, row in rows.items():
        print(f"{name:<24}{row['encoding']:<10}{row['inserts_per_s']:>11,.0f}{row['speed_vs_by_id']:>8.2f}x"
              f"{row['redis_script_us_per_insert']:>17.2f}{row['script_cost_vs_by_id']:>8.2f}x"
              f"{row['zadd_us_per_insert']:>9.2f}{row['trim_us_per_insert']:>9.2f}")
    if not args.no_results:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "zset_order.json").write_text(json.dumps(result, indent=2) + "\n")
        colours = ["#999999", "#2b7bb9", "#bbbbbb", "#6baed6"]
        panels = [{"title": "Redis time per insert (commandstats)", "unit": "us", "target": None,
                   "bars": [(n, row["redis_script_us_per_insert"], colours[i]) for i, (n, row) in enumerate(rows.items())]},
                  {"title": "Inserts per second (one client)", "unit": "/s", "target": ("100,000", 100_000),
                   "bars": [(n, row["inserts_per_s"], colours[i]) for i, (n, row) in enumerate(rows.items())]}]
        (RESULTS / "zset_order.svg").write_text(svg_bar_charts(
            panels, "Fan-out into feeds: newest first vs by id",
            f"{args.feeds:,} feeds x {args.entries} ids per family, {args.inserts:,} inserts each, "
            f"{args.per_call} a script call"))
        print(f"wrote {RESULTS / 'zset_order.json'} and {RESULTS / 'zset_order.svg'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
