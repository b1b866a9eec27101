"""Access to the read-model Redis client, and graceful failure when it is gone."""
from __future__ import annotations

import logging

import redis as redis_lib

from app.extensions import store

log = logging.getLogger(__name__)
RedisUnavailable = (redis_lib.ConnectionError, redis_lib.TimeoutError)


def client() -> redis_lib.Redis:
    return store().client


def publish(topic: str, message: str = "{}") -> None:
    """Tell every web process that a topic changed; a lost push is healed by the next one."""
    from app.read import keys

    try:
        client().publish(keys.push_channel(topic), message)
    except RedisUnavailable:
        log.warning("could not publish to %s", topic)


def publish_all(topics) -> None:
    """Tell every web process that these topics changed, in one round trip (a batch of events
    touches hundreds of members' topics)."""
    publish_messages([(topic, "{}") for topic in sorted(topics)])


def queue_publish(pipe, topics, message: str = "{}") -> None:
    """Queue the push of each topic on a pipeline, sorted, to go out with what else it carries."""
    from app.read import keys

    for topic in sorted(topics):
        pipe.publish(keys.push_channel(topic), message)


def publish_messages(messages: list[tuple[str, str]]) -> None:
    """Publish each (topic, message), in order, in one round trip."""
    if not messages:
        return
    try:
        pipe = client().pipeline(transaction=False)
        for topic, message in messages:
            queue_publish(pipe, [topic], message)
        pipe.execute()
    except RedisUnavailable:
        log.warning("could not publish to %d topic(s)", len(messages))


def clear_read_model(name: str) -> int:
    """Delete every key a read model owns (before a rebuild); return how many went."""
    from app.read import keys

    r, deleted = client(), 0
    for pattern in keys.read_model_patterns()[name]:
        for key in r.scan_iter(match=pattern, count=1000):
            deleted += r.delete(key)
    return deleted
