"""The PostgreSQL pool keeps a connection per serving thread instead of opening and closing them."""
import threading

import psycopg

from app import create_app
from app.extensions import db


SESSIONS = "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"


def test_busy_threads_reuse_pooled_connections(services):
    """Twelve threads, each holding a connection at once, ten times over (as a 12-thread gunicorn
    worker under load does): the first round opens twelve PostgreSQL sessions and later rounds
    open none. SQLAlchemy's own default (5 kept, the rest closed on return) would start a backend
    (a fork and a log-in) for seven of every twelve requests."""
    url = services["postgres"].create_database("allthrive_pool")
    dsn = f"host=127.0.0.1 port={services['postgres'].port} user=postgres dbname=allthrive_pool"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": services["redis"].url,
                      "INPROCESS_WORKER": False, "DB_POOL_SIZE": 12})
    threads, rounds = 12, 10
    barrier = threading.Barrier(threads)

    def request() -> None:
        with app.app_context():
            for _ in range(rounds):
                db.session.execute(db.text("SELECT 1"))
                barrier.wait(10)  # every thread holds its connection at the same time
                db.session.remove()
                barrier.wait(10)

    with app.app_context():
        engine = db.engine
    monitor = psycopg.connect(dsn, autocommit=True)
    before = monitor.execute(SESSIONS).fetchone()[0]
    workers = [threading.Thread(target=request) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    started = monitor.execute(SESSIONS).fetchone()[0] - before
    monitor.close()
    assert started == threads, f"{started} sessions started for {threads} threads over {rounds} rounds"
    assert engine.pool.checkedin() == threads
    engine.dispose()


def test_after_a_burst_requests_one_at_a_time_reuse_the_warmest_connection(services):
    """Once a burst has opened several connections, requests one at a time keep getting the one
    used last (its prepared statements and caches warm), not each pooled connection in turn."""
    url = services["postgres"].create_database("allthrive_pool_lifo")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": services["redis"].url,
                      "INPROCESS_WORKER": False, "DB_POOL_SIZE": 4})
    with app.app_context():
        engine = db.engine
        burst = [engine.connect() for _ in range(4)]
        for connection in burst:
            connection.close()
        backends = set()
        for _ in range(8):
            with app.app_context():
                backends.add(db.session.execute(db.text("SELECT pg_backend_pid()")).scalar())
                db.session.remove()
    assert engine.pool.checkedin() == 4
    assert len(backends) == 1, f"one request at a time went to {len(backends)} different connections"
    engine.dispose()
