"""The heads a counter chooses from are the same on SQLite (read in one statement) and
PostgreSQL (one locking statement per head)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, update

from server.extensions import db
from server.models import Counter, Service, Ticket
from server.services import queue
from server.services.issuing import issue_ticket
from server.web.context import current_context
from tests.services.test_concurrency import busy_app

HALL = {
    "hall": {"name": "Aula"},
    "zones": [{"code": "z", "name": "Aula"}],
    "agencies": [
        {
            "code": "a",
            "name": "Instansi",
            "services": [
                {"code": "ktp", "prefix": "A", "name": "KTP"},
                {"code": "kk", "prefix": "B", "name": "KK"},
                {"code": "akta", "prefix": "C", "name": "Akta"},
            ],
        }
    ],
    "counters": [
        {"code": "L1", "name": "Loket 1", "zone": "z", "services": ["ktp", "kk", "akta"]},
        {"code": "L2", "name": "Loket 2", "zone": "z", "services": ["ktp"]},
    ],
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    url = (
        f"sqlite:///{tmp_path / 'heads.sqlite3'}"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    for app in busy_app(url, tmp_path, HALL):
        with app.app_context():
            yield app
            db.session.remove()


def counter(code: str) -> Counter:
    return db.session.scalars(select(Counter).where(Counter.code == code)).one()


def heads(code: str, as_counter: bool = True) -> list[tuple[str, bool, bool]]:
    """The heads of counter `code`'s services as (number, priority, sent to this counter), asked
    by that counter or (`as_counter=False`) by no counter."""
    asking = counter(code)
    day = db.session.scalars(select(Ticket.service_day)).first()
    found = queue.queue_heads(
        db.session, asking.service_ids, day, asking.id if as_counter else None
    )
    numbers = dict(db.session.execute(select(Ticket.id, Ticket.number)).all())
    services = dict(db.session.execute(select(Ticket.id, Ticket.service_id)).all())
    assert all(services[head.ticket_id] == head.service_id for head in found)
    return [(numbers[head.ticket_id], head.priority, head.for_this_counter) for head in found]


def test_each_service_and_class_has_its_head_and_a_ticket_sent_here_comes_last(app: Flask) -> None:
    ctx = current_context()
    ktp, kk = (
        db.session.scalars(select(Service.id).where(Service.code == code)).one()
        for code in ("ktp", "kk")
    )
    for service, priority in [(ktp, False), (ktp, False), (ktp, True), (kk, False), (kk, False)]:
        issue_ticket(db.session, ctx, service, priority=priority)
    for number, code in (("B002", "L1"), ("A002", "L2")):  # as a transfer by name leaves them
        db.session.execute(
            update(Ticket).where(Ticket.number == number).values(target_counter_id=counter(code).id)
        )
    db.session.commit()

    assert heads("L1") == [
        ("A001", False, False),
        ("A003", True, False),
        ("B001", False, False),
        ("B002", False, True),  # sent to Loket 1 by name; akta has nobody waiting
    ]
    assert heads("L2") == [("A001", False, False), ("A003", True, False), ("A002", False, True)]
    assert heads("L1", as_counter=False) == [
        ("A001", False, False),
        ("A003", True, False),
        ("B001", False, False),
    ]
