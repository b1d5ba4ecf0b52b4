"""Ticket numbers, and a ticket's history replayed through its allowed changes."""

import pytest

from server.domain.tickets import EventKind, IllegalHistory, TicketStatus, format_number, replay


@pytest.mark.parametrize(
    ("prefix", "sequence", "number"),
    [
        ("A", 1, "A001"),
        ("A", 7, "A007"),
        ("B", 42, "B042"),
        ("C", 999, "C999"),
        ("D", 1000, "D1000"),
    ],
)
def test_number_is_prefix_and_padded_sequence(prefix: str, sequence: int, number: str) -> None:
    assert format_number(prefix, sequence) == number


def test_numbers_sort_in_issue_order_within_three_digits() -> None:
    numbers = [format_number("A", sequence) for sequence in range(1, 1000)]
    assert numbers == sorted(numbers)


@pytest.mark.parametrize("sequence", [0, -1])
def test_sequence_starts_at_one(sequence: int) -> None:
    with pytest.raises(ValueError, match="starts at 1"):
        format_number("A", sequence)


def test_a_history_replays_to_its_final_status() -> None:
    kinds = [
        "issued",
        "called",
        "recalled",
        "transferred",
        "called",
        "serving",
        "held",
        "resumed",
        "called",
        "completed",
    ]
    assert replay([EventKind(kind) for kind in kinds]) is TicketStatus.DONE
    assert (
        replay([EventKind.ISSUED, EventKind.CALLED, EventKind.NO_SHOW, EventKind.RESUMED])
        is TicketStatus.WAITING
    )


@pytest.mark.parametrize(
    "kinds",
    [
        [EventKind.CALLED],
        [EventKind.ISSUED, EventKind.CALLED, EventKind.CALLED],  # called twice without returning
        [EventKind.ISSUED, EventKind.COMPLETED],
        [EventKind.ISSUED, EventKind.CALLED, EventKind.COMPLETED, EventKind.RESUMED],
        [],
    ],
)
def test_an_illegal_history_is_refused(kinds: list[EventKind]) -> None:
    with pytest.raises(IllegalHistory):
        replay(kinds)
