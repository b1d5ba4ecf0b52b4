"""Who is next at a counter: table-driven cases, then properties over random days (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.domain.routing import Candidate, Policy, RecentCall, ServiceMode, choose_next

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
NOW = T0 + timedelta(minutes=10)
REGULAR, PRIORITY = False, True


def c(ticket_id: int, service_id: int, minute: float, priority: bool = REGULAR) -> Candidate:
    return Candidate(ticket_id, service_id, T0 + timedelta(minutes=minute), priority)


def calls(*pattern: str) -> list[RecentCall]:
    """Recent calls from letters: 'P' priority, 'R' regular, on service 1; 'R2' on service 2."""
    return [RecentCall(int(p[1:] or 1), p[0] == "P") for p in pattern]


CASES = [
    # (name, candidates, order, policy, recent, expected ticket, reason starts with)
    ("nobody waits", [], [1], Policy(), [], None, None),
    (
        "earliest arrival across services",
        [c(1, 1, 5), c(2, 2, 3)],
        [1, 2],
        Policy(),
        [],
        2,
        "Kedatangan paling awal",
    ),
    (
        "a tie goes to the counter's first service",
        [c(1, 1, 5), c(2, 2, 5)],
        [2, 1],
        Policy(),
        [],
        2,
        "Kedatangan",
    ),
    (
        "priority goes first",
        [c(1, 1, 1), c(2, 1, 5, PRIORITY)],
        [1],
        Policy(),
        [],
        2,
        "Pengunjung prioritas",
    ),
    (
        "after two priority calls regular has its turn",
        [c(1, 1, 1), c(2, 1, 5, PRIORITY)],
        [1],
        Policy(priority_ratio=2),
        calls("P", "P"),
        1,
        "Giliran antrean reguler setelah 2 prioritas",
    ),
    (
        "one regular call resets the streak",
        [c(1, 1, 1), c(2, 1, 5, PRIORITY)],
        [1],
        Policy(priority_ratio=2),
        calls("P", "P", "R"),
        2,
        "Pengunjung prioritas",
    ),
    (
        "ratio 0 alternates nothing: regular whenever both wait",
        [c(1, 1, 1), c(2, 1, 0, PRIORITY)],
        [1],
        Policy(priority_ratio=0),
        [],
        1,
        "Giliran antrean reguler",
    ),
    (
        "only priority waits",
        [c(2, 1, 5, PRIORITY)],
        [1],
        Policy(),
        calls("P", "P", "P"),
        2,
        "Pengunjung prioritas",
    ),
    (
        "ageing beats priority",
        [c(1, 1, 0), c(2, 1, 5, PRIORITY)],
        [1],
        Policy(max_wait=timedelta(minutes=10)),
        [],
        1,
        "Sudah menunggu lebih dari 10 menit",
    ),
    (
        "ageing picks the oldest overdue",
        [c(1, 2, 0), c(2, 1, -5)],
        [1, 2],
        Policy(max_wait=timedelta(minutes=10), mode=ServiceMode.ORDER),
        [],
        2,
        "Sudah menunggu",
    ),
    (
        "order mode takes the first service with someone waiting",
        [c(1, 1, 5), c(2, 2, 1)],
        [1, 2],
        Policy(mode=ServiceMode.ORDER),
        [],
        1,
        "Urutan layanan loket",
    ),
    (
        "weights share the calls",
        [c(1, 1, 1), c(2, 2, 5)],
        [1, 2],
        Policy(mode=ServiceMode.WEIGHTS, weights={1: 3, 2: 1}),
        calls("R1", "R1", "R1"),
        2,
        "Giliran sesuai bobot",
    ),
    (
        "weights favour the heavier service",
        [c(1, 1, 5), c(2, 2, 1)],
        [1, 2],
        Policy(mode=ServiceMode.WEIGHTS, weights={1: 3, 2: 1}),
        calls("R1", "R2"),
        1,
        "Giliran sesuai bobot",
    ),
    (
        "a ticket sent to this counter beats ageing and priority",
        [
            c(1, 1, -30),
            c(2, 1, 0, PRIORITY),
            Candidate(3, 2, T0 + timedelta(minutes=8), False, True),
        ],
        [1],
        Policy(max_wait=timedelta(minutes=10)),
        [],
        3,
        "Ditujukan ke loket ini",
    ),
]


@pytest.mark.parametrize(
    ("name", "candidates", "order", "policy", "recent", "expected", "reason"),
    CASES,
    ids=[case[0] for case in CASES],
)
def test_routing_table(
    name: str,
    candidates: list,
    order: list,
    policy: Policy,
    recent: list,
    expected: int | None,
    reason: str | None,
) -> None:
    choice = choose_next(candidates, order, NOW, policy, recent)
    if expected is None:
        assert choice is None
        return
    assert choice is not None and choice.ticket_id == expected, name
    assert choice.reason_id.startswith(reason), choice.reason_id
    assert choice.reason_en


# Properties: one counter serving up to three services calls on every tick while visitors arrive.

arrival = st.tuples(
    st.integers(0, 120), st.integers(1, 3), st.booleans()
)  # minute, service, priority
modes = st.sampled_from(list(ServiceMode))


def simulate(
    arrivals: list[tuple[int, int, bool]], policy: Policy, step_min: int = 2
) -> list[tuple[datetime, Candidate, Candidate | None]]:
    """Call one ticket per step until none is left; log (time, chosen, oldest regular)."""
    waiting = [
        c(i, service, minute, priority) for i, (minute, service, priority) in enumerate(arrivals)
    ]
    recent: list[RecentCall] = []
    log = []
    now = T0
    while waiting:
        present = [t for t in waiting if t.arrived_at <= now]
        heads = {}
        for ticket in sorted(present, key=lambda t: (t.arrived_at, t.ticket_id)):
            heads.setdefault((ticket.service_id, ticket.priority), ticket)
        choice = choose_next(list(heads.values()), [1, 2, 3], now, policy, recent)
        if choice is not None:
            chosen = next(t for t in waiting if t.ticket_id == choice.ticket_id)
            oldest_regular = min(
                (t for t in present if not t.priority), key=lambda t: t.arrived_at, default=None
            )
            log.append((now, chosen, oldest_regular))
            waiting.remove(chosen)
            recent.append(RecentCall(chosen.service_id, chosen.priority))
        now += timedelta(minutes=step_min)
        assert now < T0 + timedelta(days=2), "the counter never emptied the queue"
    return log


@settings(max_examples=150, deadline=None)
@given(st.lists(arrival, min_size=20, max_size=60), modes, st.integers(0, 4))
def test_every_waiting_ticket_is_eventually_called(
    arrivals: list, mode: ServiceMode, ratio: int
) -> None:
    log = simulate(
        arrivals, Policy(priority_ratio=ratio, max_wait=timedelta(minutes=30), mode=mode)
    )
    assert sorted(chosen.ticket_id for _, chosen, _ in log) == list(range(len(arrivals)))


@settings(max_examples=150, deadline=None)
@given(st.lists(arrival, min_size=20, max_size=60), modes, st.integers(0, 4))
def test_first_come_first_served_within_a_class_and_service(
    arrivals: list, mode: ServiceMode, ratio: int
) -> None:
    log = simulate(arrivals, Policy(priority_ratio=ratio, mode=mode))
    for service in (1, 2, 3):
        for priority in (REGULAR, PRIORITY):
            order = [
                chosen
                for _, chosen, _ in log
                if (chosen.service_id, chosen.priority) == (service, priority)
            ]
            assert order == sorted(order, key=lambda t: (t.arrived_at, t.ticket_id))


@settings(max_examples=150, deadline=None)
@given(st.lists(arrival, min_size=20, max_size=60), modes, st.integers(0, 4), st.integers(5, 40))
def test_no_priority_call_passes_a_regular_visitor_past_the_ageing_bound(
    arrivals: list, mode: ServiceMode, ratio: int, bound_min: int
) -> None:
    bound = timedelta(minutes=bound_min)
    for now, chosen, oldest_regular in simulate(
        arrivals, Policy(priority_ratio=ratio, max_wait=bound, mode=mode)
    ):
        if chosen.priority and oldest_regular is not None:
            assert (
                now - oldest_regular.arrived_at < bound
                or now - chosen.arrived_at >= now - oldest_regular.arrived_at
            )
