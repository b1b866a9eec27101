"""Worker entry points: the `flask worker` process and the embedded in-process worker."""
from __future__ import annotations

import logging
import threading
import time

from flask import Flask
from rq import SimpleWorker
from rq.timeouts import TimerDeathPenalty

from app.extensions import db, store

log = logging.getLogger(__name__)


class ThreadWorker(SimpleWorker):
    """An RQ worker that can live on a non-main thread: no signals, timer-based timeouts."""

    death_penalty_class = TimerDeathPenalty

    def _install_signal_handlers(self):
        pass


def relay_forever(app: Flask, interval: float, stop: threading.Event) -> None:
    """Run the outbox relay every `interval` seconds until stopped; survive Redis outages."""
    from workers.jobs import relay

    while not stop.wait(interval):
        with app.app_context():
            try:
                handed = relay(app.config["RELAY_GRACE_SECONDS"])
                if handed:
                    log.info("relay re-enqueued %d event(s)", handed)
            except Exception:
                log.warning("relay pass failed; retrying in %ss", interval, exc_info=True)
            finally:
                db.session.remove()


def schedule_forever(app: Flask, interval: float, stop: threading.Event) -> None:
    """Every `interval` seconds run the periodic jobs that are due (standings, archives, streak
    expiry, rank snapshots); once a minute, the nudges, digests and recaps."""
    from app.models.types import utcnow
    from workers import nudges, scheduled

    last_nudges = 0.0
    while not stop.wait(interval):
        with app.app_context():
            try:
                scheduled.run_due(utcnow())
                if time.monotonic() - last_nudges >= 60:
                    last_nudges = time.monotonic()
                    nudges.run(utcnow())
            except Exception:
                log.warning("scheduled pass failed; retrying in %ss", interval, exc_info=True)
            finally:
                db.session.remove()


def start_relay_thread(app: Flask, interval: float = 5.0) -> threading.Event:
    stop = threading.Event()
    threading.Thread(target=relay_forever, args=(app, interval, stop), name="outbox-relay",
                     daemon=True).start()
    if app.config.get("SCHEDULER_INTERVAL", 10) > 0:
        threading.Thread(target=schedule_forever, args=(app, app.config.get("SCHEDULER_INTERVAL", 10), stop),
                         name="scheduler", daemon=True).start()
    return stop


def run_worker(app: Flask, burst: bool = False, relay_interval: float = 5.0,
               queues: tuple[str, ...] = ("projections", "policies")) -> None:
    """Run one RQ worker in this process (jobs in-process, no fork) with the relay beside it.

    By default it takes projections first (they feed what members see live) and policies when
    no projection waits; pass queues=("projections",) for a worker that only keeps read models
    and pushes fresh, so heavy policy work can never delay a push.
    """
    stop = start_relay_thread(app, relay_interval) if relay_interval > 0 else None
    try:
        with app.app_context():
            by_name = {"projections": store(app).queue, "policies": store(app).policy_queue}
            worker = SimpleWorker([by_name[q] for q in queues], connection=store(app).raw)
            worker.work(burst=burst, logging_level="WARNING")
    finally:
        if stop:
            stop.set()


def start_inprocess_worker(app: Flask, relay_interval: float = 5.0) -> None:
    """Embedded default: the same RQ worker and relay on daemon threads of the web process."""

    def work() -> None:
        while True:
            try:
                with app.app_context():
                    ThreadWorker([store(app).queue, store(app).policy_queue], connection=store(app).raw).work(
                        logging_level="WARNING")
            except Exception:
                log.warning("in-process worker stopped; restarting", exc_info=True)
            time.sleep(1)

    threading.Thread(target=work, name="inprocess-worker", daemon=True).start()
    start_relay_thread(app, relay_interval)
