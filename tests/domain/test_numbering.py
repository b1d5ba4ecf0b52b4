"""Ticket numbers: a prefix and a zero-padded daily sequence."""

import pytest

from server.domain.tickets import format_number


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
