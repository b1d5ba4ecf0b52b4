"""Numbering and calling stay exact under real concurrent threads, on SQLite and PostgreSQL.

Each thread has its own app context and so its own session and connection, as request threads do.
"""

from __future__ import annotations

import threading
from collections import Counter as Tally
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from server import create_app
from server.extensions import db
from server.models import Counter, Service, Ticket, TicketEvent
from server.services import queue
from server.services.calling import call_next
from server.services.counters import set_counter_status
from server.services.hall_config import load_hall
from server.services.handling import complete_ticket
from server.services.issuing import issue_ticket
from server.services.publisher import RecordingPublisher
from server.web.context import current_context

THREADS = 8
ISSUES_PER_THREAD = 500
COUNTERS = 8

BUSY_HALL = {
    "hall": {"name": "Aula Sibuk"},
    "zones": [{"code": "z", "name": "Aula"}],
    "agencies": [
        {
            "code": "a",
            "name": "Instansi",
            "services": [{"code": "s", "prefix": "A", "name": "Layanan"}],
        }
    ],
    "counters": [
        {"code": f"L{i}", "name": f"Loket {i}", "zone": "z", "services": ["s"]}
        for i in range(1, COUNTERS + 1)
    ],
}


def busy_app(database_url: str, instance: Path, hall: dict = BUSY_HALL) -> Iterator[Flask]:
    """An app on `database_url` with `hall` loaded (by default a busy hall's one service)."""
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "ANTRE_PUBLISHER": RecordingPublisher(),
            "INSTANCE_PATH": str(instance),
        }
    )
    with app.app_context():
        db.create_all()
        load_hall(db.session, hall)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    if request.param == "sqlite":
        yield from busy_app(f"sqlite:///{tmp_path / 'busy.sqlite3'}", tmp_path)
    else:
        yield from busy_app(request.getfixturevalue("postgres_url"), tmp_path)


def in_threads(app: Flask, work: Callable[[int], list[str]], workers: int) -> list[str]:
    """Run `work(worker_index)` in `workers` threads that start together; collect their results."""
    start = threading.Barrier(workers)

    def run(index: int) -> list[str]:
        with app.app_context():
            start.wait()
            try:
                return work(index)
            finally:
                db.session.remove()

    with ThreadPoolExecutor(workers) as pool:
        return [item for result in pool.map(run, range(workers)) for item in result]


def issue_many(app: Flask, count: int) -> list[str]:
    with app.app_context():
        service = db.session.scalars(select(Service.id)).one()

    def issue(_index: int) -> list[str]:
        ctx = current_context()
        return [issue_ticket(db.session, ctx, service)["number"] for _ in range(count)]

    return in_threads(app, issue, THREADS)


def test_concurrent_issues_are_numbered_without_gap_or_duplicate(app: Flask) -> None:
    numbers = issue_many(app, ISSUES_PER_THREAD)
    total = THREADS * ISSUES_PER_THREAD
    assert len(numbers) == total
    assert sorted(int(number[1:]) for number in numbers) == list(range(1, total + 1))
    with app.app_context():
        stored = db.session.scalars(select(Ticket.sequence)).all()
        assert sorted(stored) == list(range(1, total + 1))


def test_concurrent_counters_call_every_ticket_exactly_once(app: Flask) -> None:
    issued = issue_many(app, 100)
    with app.app_context():
        counter_ids = db.session.scalars(select(Counter.id).order_by(Counter.id)).all()
        for counter in counter_ids:
            set_counter_status(db.session, current_context(), counter, "open")

    def serve_until_empty(index: int) -> list[str]:
        ctx, counter, called = current_context(), counter_ids[index], []
        while (ticket := call_next(db.session, ctx, counter)) is not None:
            called.append(ticket["number"])
            complete_ticket(db.session, ctx, ticket["id"], counter)
        return called

    called = in_threads(app, serve_until_empty, COUNTERS)
    assert sorted(called) == sorted(issued)
    assert not [number for number, times in Tally(called).items() if times > 1]
    with app.app_context():
        call_events = db.session.scalars(
            select(TicketEvent.ticket_id).where(TicketEvent.kind == "called")
        ).all()
        assert len(call_events) == len(set(call_events)) == len(issued)
        statuses = set(db.session.scalars(select(Ticket.status)).all())
        assert statuses == {"done"}


def issue_in_turn(app: Flask, count: int) -> list[int]:
    """Issue `count` tickets one after another; their ids in order."""
    with app.app_context():
        service = db.session.scalars(select(Service.id)).one()
        ctx = current_context()
        return [issue_ticket(db.session, ctx, service)["id"] for _ in range(count)]


@pytest.fixture
def postgres_app(postgres_url: str, tmp_path: Path) -> Iterator[Flask]:
    yield from busy_app(postgres_url, tmp_path)


@pytest.mark.postgres
def test_a_counter_calls_past_a_head_another_counters_call_holds_on_postgresql(
    postgres_app: Flask,
) -> None:
    app = postgres_app
    first, second = issue_in_turn(app, 2)
    with app.app_context():
        counter_ids = db.session.scalars(select(Counter.id).order_by(Counter.id)).all()
        for counter in counter_ids[:2]:
            set_counter_status(db.session, current_context(), counter, "open")
        service = db.session.scalars(select(Service.id)).one()
        day = db.session.scalars(select(Ticket.service_day)).first()
    holding, held = threading.Event(), threading.Event()

    def hold_the_head() -> None:  # counter 1's call, stopped after reading its head
        with app.app_context(), db.engine.connect() as connection, connection.begin():
            session = Session(bind=connection)
            heads = queue.queue_heads(session, [service], day, counter_ids[0])
            assert [head.ticket_id for head in heads] == [first]
            holding.set()
            held.wait(10)

    holder = threading.Thread(target=hold_the_head)
    holder.start()
    try:
        assert holding.wait(10)
        with app.app_context():
            called = call_next(db.session, current_context(), counter_ids[1])
            db.session.remove()
    finally:
        held.set()
        holder.join()
    assert called is not None and called["id"] == second
