"""Home feeds: fan-out on write into a capped sorted set per member (newest first: scored by minus the
activity id, `keys.newest_first`),
skipping inactive members and celebrities (whose activities are merged in at read time, from each
member's set of followed celebrities, kept here on follows, unfollows and threshold crossings).

Every write is idempotent (ZADD of the same id and score; trims keep the newest `cap`, the lowest
scores), and
`rebuild` derives the same sets from Postgres alone. See docs/feed.md.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import exists, func, select

from app.extensions import db, on_postgres
from app.feed import ACTIVITY_TYPES, feed_ids_from_postgres, is_activity, is_viral, still_shown
from app.models import Event, Follow, User
from app.models.types import utcnow
from app.read import keys
from app.read.redis import clear_read_model, client
from app.rules import FEED

NAME = "feeds"
STAGE = "live"
POPULAR_KEEP = 500
# Activities into capped sets, many sets and many activities in one call (KEYS: the sets; ARGV: the
# cap, then for each key in turn how many ids it gets and the ids). Each id is scored by minus itself
# (`keys.newest_first`): a new activity goes in at the head of the set's skiplist. A set gets all its ids
# in one ZADD (in slices: Lua's unpack is limited) and is trimmed once, only when that added something and
# took it over the cap: the same newest `cap` ids as adding them one at a time, since a trim only ever
# drops the oldest (the tail). A replay adds nothing, so it costs a ZADD per set and trims nothing.
# Its keys span many members' hash slots: under Redis Cluster, call it once per slot instead.
FAN_OUT_LUA = """
local cap, at = tonumber(ARGV[1]), 2
for _, key in ipairs(KEYS) do
  local n, added = tonumber(ARGV[at]), 0
  if n == 1 then
    added = redis.call('ZADD', key, '-' .. ARGV[at + 1], ARGV[at + 1])
  else
    for first = 1, n, 2000 do
      local members = {}
      for j = first, math.min(first + 1999, n) do
        members[#members + 1] = '-' .. ARGV[at + j]
        members[#members + 1] = ARGV[at + j]
      end
      added = added + redis.call('ZADD', key, unpack(members))
    end
  end
  at = at + n + 1
  if added > 0 and redis.call('ZCARD', key) > cap then
    redis.call('ZREMRANGEBYRANK', key, cap, -1)
  end
end
return #KEYS
"""
# Ids per FAN_OUT_LUA call: one call holds Redis for about 10 µs an id when feeds are cold in memory, so
# a feed page waits at most about 10 ms behind a fan-out (a set with more ids than this has a call alone).
FAN_OUT_IDS = 1000
# Drop inactive members' feeds (KEYS: the last-active index, then their feeds; ARGV: the cutoff,
# then their ids): each feed goes and its member's last-active time turns negative, so later
# fan-outs know there is nothing to delete; their next action makes it positive again (ZADD GT).
# A member who acted meanwhile is left alone.
DROP_LUA = """
local cutoff = tonumber(ARGV[1])
for i = 2, #KEYS do
  local seen = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[i]))
  if seen and seen > 0 and seen < cutoff then
    redis.call('DEL', KEYS[i])
    redis.call('ZADD', KEYS[1], -seen, ARGV[i])
  end
end
return #KEYS - 1
"""
# Members' latest actions (KEYS: the last-active index; ARGV: member id, epoch seconds, ...): a time is
# written only if later than the one kept, whatever its sign (ZADD GT, but a dropped feed's negative
# time counts as the time itself), so projecting an event twice changes nothing.
TOUCH_LUA = """
for i = 1, #ARGV, 2 do
  local seen, at = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[i])), tonumber(ARGV[i + 1])
  if not seen or at > math.abs(seen) then redis.call('ZADD', KEYS[1], at, ARGV[i]) end
end
return #ARGV / 2
"""
# Events besides activities that change feeds: a run of activities between two of them fans out together.
FEED_EVENTS = frozenset({"MemberFollowed", "MemberUnfollowed", "ProjectDeleted", "RepostWithdrawn",
                         "ToolReviewDeleted", "ProjectEdited", "MemberLoggedIn"})


def _epoch(moment) -> int:
    return int(moment.timestamp())


def follower_ids(user_id: int) -> list[int]:
    return list(db.session.scalars(select(Follow.follower_id).where(Follow.followee_id == user_id)))


def followers_of(user_ids: set[int]) -> dict[int, list[int]]:
    """Each member's followers, for many members in one query (a row per member, not per follow)."""
    found: dict[int, list[int]] = {uid: [] for uid in user_ids}
    if user_ids:
        if on_postgres():
            rows = db.session.execute(select(Follow.followee_id, func.array_agg(Follow.follower_id))
                                      .where(Follow.followee_id.in_(user_ids)).group_by(Follow.followee_id))
            found.update((followee, fans) for followee, fans in rows)
        else:
            for followee, follower in db.session.execute(select(Follow.followee_id, Follow.follower_id)
                                                         .where(Follow.followee_id.in_(user_ids))):
                found[followee].append(follower)
    return found


def is_celebrity(follower_count: int) -> bool:
    return follower_count > FEED["celebrity_followers"]


def _cutoff(now) -> int:
    return _epoch(now - timedelta(days=FEED["inactive_days"]))


def _active(r, member_ids: list[int], now) -> tuple[list[int], list[int]]:
    """The active members, and the inactive ones whose feed may still need dropping, from one ZMSCORE
    (a negative time: inactive and dropped already; none: never active here). Sorted in Python, not in a
    script: Redis is what a fan-out waits for, and the script's loop cost it more than the ZMSCORE."""
    if not member_ids:
        return [], []
    cutoff = _cutoff(now)
    active, stale = [], []
    for member, seen in zip(member_ids, r.zmscore(keys.last_active(), member_ids), strict=True):
        if seen is not None and seen > 0:
            (active if seen >= cutoff else stale).append(member)
    return active, stale


def _keep_newest(pipe, key: str, cap: int) -> None:
    """Trim an activity set to its newest `cap` (the head: lowest scores)."""
    pipe.zremrangebyrank(key, cap, -1)


def _push(pipe, member_id: int, ids: list[int]) -> None:
    if ids:
        pipe.zadd(keys.home_feed(member_id), {str(i): keys.newest_first(i) for i in ids})
        _keep_newest(pipe, keys.home_feed(member_id), FEED["cap"])


def project(events: list[Event]) -> set[str]:
    r = client()
    now = utcnow()
    topics: set[str] = set()
    latest: dict[int, int] = {}
    for event in events:
        if event.actor_id:
            latest[event.actor_id] = max(latest.get(event.actor_id, 0), _epoch(event.created_at))
    if latest:
        r.register_script(TOUCH_LUA)(keys=[keys.last_active()], args=[x for pair in latest.items() for x in pair])
    published = [e for e in events if e.type == "ProjectPublished"]
    hidden = {e.id for e in published} - {e.id for e in still_shown(published)}  # draft or private now
    activities: list[Event] = []  # consecutive activities fan out together
    for event in events:
        if is_activity(event):
            if event.id not in hidden:
                activities.append(event)
            continue
        if event.type not in FEED_EVENTS:
            continue
        topics |= _fan_out(r, activities, now)
        activities = []
        if event.type == "MemberFollowed":
            topics |= _follow_changed(r, event.payload["follower_id"], event.payload["followee_id"])
            topics |= _backfill(r, event.payload["follower_id"], event.payload["followee_id"])
        elif event.type == "MemberUnfollowed":
            topics |= _follow_changed(r, event.payload["follower_id"], event.payload["followee_id"])
            own = r.zrange(keys.member_activities(event.payload["followee_id"]), 0, -1)
            if own:
                r.zrem(keys.home_feed(event.payload["follower_id"]), *own)
        elif event.type in ("ProjectDeleted", "RepostWithdrawn", "ToolReviewDeleted"):
            _remove_everywhere(r, event)
        elif event.type == "ProjectEdited" and event.payload.get("change") == "visibility":
            topics |= _visibility_changed(r, event, now)
        elif event.type == "MemberLoggedIn" and not r.exists(keys.home_feed(event.actor_id)):
            rebuild_member(event.actor_id)  # back after a while: their feed was skipped
    return topics | _fan_out(r, activities, now)


def _follow_changed(r, follower: int, followee: int) -> set[str]:
    """After a follow or unfollow, write what it changed as Postgres has it now (absolute values, so
    replays and any order give the same state): whether the follower follows few people, whether the
    followee is a celebrity (a flip updates all their followers: `_celebrity_flipped`), and the
    follower's set of followed celebrities. One statement, one pipeline."""
    few = select(Follow.followee_id).where(Follow.follower_id == follower).limit(FEED["cold_start_following"])
    followers, following, follows = db.session.execute(select(
        select(func.count()).select_from(Follow).where(Follow.followee_id == followee).scalar_subquery(),
        select(func.count()).select_from(few.subquery()).scalar_subquery(),
        exists().where(Follow.follower_id == follower, Follow.followee_id == followee))).one()
    famous = is_celebrity(followers or 0)
    topics = set()
    if famous != bool(r.sismember(keys.celebrities(), str(followee))):
        topics = _celebrity_flipped(r, followee, famous)
    pipe = r.pipeline(transaction=False)
    if following >= FEED["cold_start_following"]:
        pipe.sadd(keys.following_many(), str(follower))
    else:
        pipe.srem(keys.following_many(), str(follower))
    if famous and follows:
        pipe.sadd(keys.followed_celebrities(follower), str(followee))
    else:
        pipe.srem(keys.followed_celebrities(follower), str(followee))
    pipe.execute()
    return topics


def _celebrity_flipped(r, member_id: int, famous: bool) -> set[str]:
    """A member crossed the celebrity threshold: their activities leave their followers' feeds (and
    are merged at read time through each follower's set of followed celebrities), or come back into
    the active followers' feeds (inactive ones are rebuilt from Postgres when they return). The
    celebrity set changes last, so a worker that dies half way redoes the whole flip on replay."""
    followers = follower_ids(member_id)
    own = [int(m) for m in r.zrange(keys.member_activities(member_id), 0, -1)]
    active, _ = _active(r, followers, utcnow())  # those fan-out writes to
    pipe = r.pipeline(transaction=False)
    for follower in followers:
        if famous:
            pipe.sadd(keys.followed_celebrities(follower), str(member_id))
        else:
            pipe.srem(keys.followed_celebrities(follower), str(member_id))
    for follower in active:
        if famous and own:
            pipe.zrem(keys.home_feed(follower), *own)
        elif not famous:
            _push(pipe, follower, own)
        if len(pipe) >= 2000:
            pipe.execute()
    if famous:
        pipe.sadd(keys.celebrities(), str(member_id))
    else:
        pipe.srem(keys.celebrities(), str(member_id))
    pipe.execute()
    return {f"member.{f}" for f in active}


def _fan_out(r, activities: list[Event], now) -> set[str]:
    """Each activity into its author's own set and the feeds of the author and their active followers
    (celebrities' followers read it at read time), with the followers of every author in one query and
    their last-active times in one ZMSCORE; then every set's new ids at once (`add_capped`), one pipeline."""
    if not activities:
        return set()
    authors = sorted({event.actor_id for event in activities})
    famous = dict(zip(authors, r.smismember(keys.celebrities(), [str(a) for a in authors]), strict=True))
    followers = followers_of({a for a in authors if not famous[a]})
    active, inactive = _active(r, sorted({f for fans in followers.values() for f in fans}), now)
    active_set = set(active)
    pipe = r.pipeline(transaction=False)
    if inactive:  # rebuilt from Postgres when they come back
        r.register_script(DROP_LUA)(keys=[keys.last_active(), *(keys.home_feed(m) for m in inactive)],
                                    args=[_cutoff(now), *inactive], client=pipe)
    own: dict[int, list[int]] = {}
    feeds: dict[int, list[int]] = {}
    readers: dict[int, list[int]] = {}  # each author's feed and their active followers'
    for event in activities:
        author = event.actor_id
        if is_viral(event):
            pipe.zadd(keys.popular_activities(), {str(event.id): keys.newest_first(event.id)})
            _keep_newest(pipe, keys.popular_activities(), POPULAR_KEEP)
        own.setdefault(author, []).append(event.id)
        if author not in readers:
            readers[author] = [author, *(m for m in followers.get(author, ()) if m in active_set)]
        for member in readers[author]:
            feeds.setdefault(member, []).append(event.id)
    add_capped(r, pipe, {**{keys.member_activities(a): ids for a, ids in own.items()},
                         **{keys.home_feed(m): ids for m, ids in feeds.items()}})
    pipe.execute()
    return {f"member.{m}" for m in feeds}


def add_capped(r, pipe, ids_by_key: dict[str, list[int]]) -> None:
    """Queue on `pipe` the FAN_OUT_LUA calls adding each key's ids (newest first) and keeping each
    set's newest FEED["cap"]: at most about FAN_OUT_IDS ids a call, each key in one call."""
    script = r.register_script(FAN_OUT_LUA)
    call_keys: list[str] = []
    args: list[int] = [FEED["cap"]]
    queued = 0
    for key, ids in ids_by_key.items():
        if call_keys and queued + len(ids) > FAN_OUT_IDS:
            script(keys=call_keys, args=args, client=pipe)
            call_keys, args, queued = [], [FEED["cap"]], 0
        call_keys.append(key)
        args.append(len(ids))
        args.extend(ids)
        queued += len(ids)
    if call_keys:
        script(keys=call_keys, args=args, client=pipe)


def _remove_everywhere(r, event: Event) -> None:
    """A deleted project's activities (and reposts of them), or a withdrawn repost, leave every
    feed: the author's and reposters' followers', their own, and the popular set."""
    from app.models import Event as EventRow

    if "activity_ids" in event.payload:  # a project deleted or made private
        ids = [str(i) for i in event.payload.get("activity_ids", [])]
        reposts = db.session.scalars(select(EventRow.id).where(
            EventRow.type == "ActivityReposted", EventRow.actor_id.in_(event.payload.get("reposted_by", []) or [0])))
        ids += [str(i) for i in reposts]
        owners = [event.payload["author_id"], *event.payload.get("reposted_by", [])]
    else:
        reposts = db.session.scalars(select(EventRow.id).where(
            EventRow.type == "ActivityReposted", EventRow.actor_id == event.actor_id,
            EventRow.payload["activity_id"].as_integer() == event.payload["activity_id"]))
        ids = [str(i) for i in reposts]
        owners = [event.actor_id]
    if not ids:
        return
    pipe = r.pipeline(transaction=False)
    for owner in owners:
        for member in [owner, *follower_ids(owner)]:
            pipe.zrem(keys.home_feed(member), *ids)
        pipe.zrem(keys.member_activities(owner), *ids)
    pipe.zrem(keys.popular_activities(), *ids)
    pipe.execute()


def _visibility_changed(r, event: Event, now) -> set[str]:
    """Private: the project's activities (and reposts of them) leave every feed. Public again:
    they are fanned out again, exactly as a rebuild would place them."""
    from app.models import Event as EventRow

    if event.payload["visibility"] == "private":
        _remove_everywhere(r, event)
        return set()
    activity_ids = event.payload.get("activity_ids", [])
    if not activity_ids:
        return set()
    reposts = select(EventRow).where(EventRow.type == "ActivityReposted",
                                     EventRow.actor_id.in_(event.payload.get("reposted_by", []) or [0]))
    again = list(db.session.scalars(select(EventRow).where(EventRow.id.in_(activity_ids))))
    again += [e for e in db.session.scalars(reposts) if e.payload.get("activity_id") in activity_ids]
    return _fan_out(r, still_shown(sorted(again, key=lambda e: e.id)), now)


def _backfill(r, follower: int, followee: int) -> set[str]:
    """A new follow brings the followee's recent activities into the follower's feed."""
    if r.sismember(keys.celebrities(), str(followee)):
        return set()
    if not r.exists(keys.home_feed(follower)):
        rebuild_member(follower)
        return {f"member.{follower}"}
    recent = r.zrange(keys.member_activities(followee), 0, FEED["cap"] - 1)
    pipe = r.pipeline(transaction=False)
    _push(pipe, follower, [int(m) for m in recent])
    pipe.execute()
    return {f"member.{follower}"}


def rebuild_member(member_id: int) -> None:
    r = client()
    ids = feed_ids_from_postgres(member_id)
    pipe = r.pipeline(transaction=True)
    pipe.delete(keys.home_feed(member_id))
    if ids:
        pipe.zadd(keys.home_feed(member_id), {str(i): keys.newest_first(i) for i in ids})
    pipe.execute()


def _rebuild_follows(r, famous: list[int]) -> None:
    """Each member's set of followed celebrities, and who follows many people, from Postgres."""
    followed: dict[int, list[str]] = {}
    for follower, followee in db.session.execute(select(Follow.follower_id, Follow.followee_id)
                                                 .where(Follow.followee_id.in_(famous or [0]))):
        followed.setdefault(follower, []).append(str(followee))
    many = db.session.scalars(select(Follow.follower_id).group_by(Follow.follower_id)
                              .having(func.count() >= FEED["cold_start_following"])).all()
    pipe = r.pipeline(transaction=False)
    for follower, stars in followed.items():
        pipe.sadd(keys.followed_celebrities(follower), *stars)
    for start in range(0, len(many), 10_000):
        pipe.sadd(keys.following_many(), *[str(m) for m in many[start:start + 10_000]])
    pipe.execute()


def rebuild(progress: Callable[[int], None] = lambda n: None) -> int:
    r = client()
    clear_read_model(NAME)
    now = utcnow()
    famous = db.session.scalars(select(Follow.followee_id).group_by(Follow.followee_id)
                                .having(func.count() > FEED["celebrity_followers"])).all()
    if famous:
        r.sadd(keys.celebrities(), *[str(m) for m in famous])
    _rebuild_follows(r, famous)
    last_seen = db.session.execute(select(Event.actor_id, func.max(Event.created_at))
                                   .where(Event.actor_id.is_not(None)).group_by(Event.actor_id)).all()
    if last_seen:  # negative: inactive, with no feed (as live fan-out leaves them once it drops it)
        cutoff = _cutoff(now)
        r.zadd(keys.last_active(), {str(uid): _epoch(when) if _epoch(when) >= cutoff else -_epoch(when)
                                    for uid, when in last_seen})
    activities = still_shown(list(db.session.scalars(
        select(Event).where(Event.type.in_(ACTIVITY_TYPES), Event.actor_id.is_not(None)).order_by(Event.id))))
    pipe = r.pipeline(transaction=False)
    for event in activities:
        pipe.zadd(keys.member_activities(event.actor_id), {str(event.id): keys.newest_first(event.id)})
        if is_viral(event):
            pipe.zadd(keys.popular_activities(), {str(event.id): keys.newest_first(event.id)})
    pipe.execute()
    pipe = r.pipeline(transaction=False)
    for uid in db.session.scalars(select(User.id)):
        _keep_newest(pipe, keys.member_activities(uid), FEED["cap"])
    _keep_newest(pipe, keys.popular_activities(), POPULAR_KEEP)
    pipe.execute()
    members = list(db.session.scalars(select(User.id).order_by(User.id)))
    active, _ = _active(r, members, now)
    for uid in active:
        rebuild_member(uid)
        progress(1)
    return len(active)


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(User)) or 0
