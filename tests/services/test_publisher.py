"""The throttled publisher: facts go out at once, a state at most once per interval, the newest;
a counter's state reaches the zone's displays once it has settled, unless a call there says it."""

from __future__ import annotations

import time

from server.services.publisher import NAMESPACE, RecordingPublisher, ThrottledPublisher

INTERVAL_S = 0.25


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def throttled() -> tuple[ThrottledPublisher, RecordingPublisher, FakeClock]:
    inner, clock = RecordingPublisher(), FakeClock()
    return ThrottledPublisher(inner, INTERVAL_S, clock, background=False), inner, clock


def waiting(service_id: int, count: int) -> dict:
    return {"v": 1, "service_id": service_id, "waiting": count}


def state(counter_id: int, current: str | None) -> dict:
    return {"v": 1, "counter": {"id": counter_id, "current": current}}


def call(counter_id: int, number: str) -> dict:
    return {"v": 1, "ticket": {"number": number}, "counter": {"id": counter_id, "zone": 1}}


def test_the_first_state_goes_out_at_once_and_the_newest_of_a_burst_when_the_interval_ends():
    publisher, inner, clock = throttled()
    for count in range(1, 6):
        publisher.publish("queue_changed", waiting(1, count), ["zone:1"])
    assert inner.events("queue_changed") == [waiting(1, 1)]
    clock.now += INTERVAL_S / 2
    assert publisher.send_due() == INTERVAL_S / 2
    assert inner.events("queue_changed") == [waiting(1, 1)]
    clock.now += INTERVAL_S / 2
    assert publisher.send_due() is None
    assert inner.events("queue_changed") == [waiting(1, 1), waiting(1, 5)]


def test_facts_are_never_held_even_behind_a_held_state():
    publisher, inner, _clock = throttled()
    publisher.publish("counter_changed", {"counter": {"id": 3, "status": "open"}}, ["counter:3"])
    publisher.publish("counter_changed", {"counter": {"id": 3, "status": "break"}}, ["counter:3"])
    publisher.publish("ticket_called", call(3, "A009"), ["zone:1", "counter:3"])
    publisher.publish("ticket_issued", {"ticket": {"id": 10}}, ["staff"])
    assert [event for event, _, _ in inner.sent] == [
        "counter_changed",
        "ticket_called",
        "ticket_issued",
    ]


def test_states_of_different_services_and_counters_are_throttled_apart():
    publisher, inner, clock = throttled()
    publisher.publish("queue_changed", waiting(1, 1), ["service:1"])
    publisher.publish("queue_changed", waiting(2, 7), ["service:2"])
    publisher.publish("counter_changed", {"counter": {"id": 1}}, ["counter:1"])
    publisher.publish("counter_changed", {"counter": {"id": 2}}, ["counter:2"])
    assert len(inner.sent) == 4
    publisher.publish("queue_changed", waiting(2, 8), ["service:2"])
    clock.now += INTERVAL_S
    publisher.send_due()
    assert inner.sent[-1] == ("queue_changed", waiting(2, 8), ["service:2"])
    assert len(inner.sent) == 5


def test_a_held_state_goes_to_every_room_any_of_its_versions_named():
    publisher, inner, clock = throttled()
    publisher.publish("queue_changed", waiting(1, 1), ["zone:1", "service:1"])
    publisher.publish("queue_changed", waiting(1, 2), ["zone:1", "service:1"])
    publisher.publish("queue_changed", waiting(1, 3), ["zone:2", "service:1"])
    clock.now += INTERVAL_S
    publisher.send_due()
    assert inner.sent[-1] == ("queue_changed", waiting(1, 3), ["zone:1", "service:1", "zone:2"])


def test_a_counters_state_reaches_its_terminal_at_once_and_the_zone_once_it_has_settled():
    publisher, inner, clock = throttled()
    publisher.publish("counter_changed", state(1, "A001"), ["zone:1", "counter:1", "staff"])
    assert inner.sent == [("counter_changed", state(1, "A001"), ["counter:1", "staff"])]
    clock.now += INTERVAL_S / 2
    publisher.publish("counter_changed", state(1, None), ["zone:1", "counter:1", "staff"])
    publisher.publish("counter_changed", state(1, "A002"), ["zone:2", "counter:1", "staff"])
    assert publisher.send_due() == INTERVAL_S / 2
    assert len(inner.sent) == 1
    clock.now += INTERVAL_S / 2
    assert publisher.send_due() is None
    assert sorted(inner.sent[1:]) == [
        ("counter_changed", state(1, "A002"), ["counter:1", "staff"]),
        ("counter_changed", state(1, "A002"), ["zone:1", "zone:2"]),
    ]


def test_a_call_at_the_counter_tells_the_zone_instead_of_the_state_it_passed_through():
    publisher, inner, clock = throttled()
    publisher.publish("counter_changed", state(1, None), ["zone:1", "counter:1", "staff"])
    publisher.publish("counter_changed", state(2, None), ["zone:1", "counter:2", "staff"])
    publisher.publish("ticket_called", call(1, "A002"), ["zone:1", "counter:1", "ticket:t2"])
    publisher.publish("counter_changed", state(1, "A002"), ["counter:1", "staff"])
    clock.now += INTERVAL_S
    publisher.send_due()
    zone_heard = [(event, payload) for event, payload, rooms in inner.sent if "zone:1" in rooms]
    assert zone_heard == [
        ("ticket_called", call(1, "A002")),
        ("counter_changed", state(2, None)),  # no call followed at counter 2
    ]
    assert ("counter_changed", state(1, "A002"), ["counter:1", "staff"]) in inner.sent[-2:]


def test_a_call_supersedes_a_settling_state_only_where_it_was_heard():
    publisher, inner, clock = throttled()
    publisher.publish("counter_changed", state(1, None), ["zone:1", "zone:2", "counter:1"])
    publisher.publish("ticket_recalled", call(1, "A001"), ["zone:1", "counter:1"])
    clock.now += INTERVAL_S
    publisher.send_due()
    assert inner.sent[-1] == ("counter_changed", state(1, None), ["zone:2"])
    assert [event for event, _, _ in inner.sent].count("counter_changed") == 2


def test_a_quiet_state_goes_out_at_once_again_after_the_interval():
    publisher, inner, clock = throttled()
    publisher.publish("queue_changed", waiting(1, 1), ["zone:1"])
    clock.now += INTERVAL_S
    publisher.publish("queue_changed", waiting(1, 2), ["zone:1"])
    assert inner.events("queue_changed") == [waiting(1, 1), waiting(1, 2)]
    assert inner.namespaces == [NAMESPACE, NAMESPACE]


def test_a_failing_screen_link_does_not_stop_the_held_states():
    class Broken(RecordingPublisher):
        def publish(self, event, payload, rooms, namespace=NAMESPACE):
            if payload.get("service_id") == 1 and payload["waiting"] > 1:
                raise ConnectionError("message queue down")
            super().publish(event, payload, rooms, namespace)

    inner, clock = Broken(), FakeClock()
    publisher = ThrottledPublisher(inner, INTERVAL_S, clock, background=False)
    for service_id in (1, 2):
        publisher.publish("queue_changed", waiting(service_id, 1), ["zone:1"])
        publisher.publish("queue_changed", waiting(service_id, 2), ["zone:1"])
    clock.now += INTERVAL_S
    publisher.send_due()
    assert inner.events("queue_changed") == [waiting(1, 1), waiting(2, 1), waiting(2, 2)]


def test_the_background_thread_sends_what_is_held():
    inner = RecordingPublisher()
    publisher = ThrottledPublisher(inner, 0.05)
    for count in range(1, 4):
        publisher.publish("queue_changed", waiting(1, count), ["zone:1"])
    deadline = time.monotonic() + 5
    while len(inner.sent) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert inner.events("queue_changed") == [waiting(1, 1), waiting(1, 3)]
