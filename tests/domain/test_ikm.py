"""The IKM formula of PermenPANRB 14/2017, with a worked example."""

from decimal import Decimal
from fractions import Fraction

import pytest

from server.domain.ikm import WEIGHT, check_ratings, compute_ikm, grade_of


def test_worked_example_of_four_respondents() -> None:
    # Four respondents rate the nine elements (u1..u9):
    responses = [
        [4, 3, 3, 4, 3, 4, 4, 3, 3],
        [3, 3, 2, 4, 3, 3, 4, 3, 3],
        [4, 4, 3, 4, 4, 4, 4, 3, 4],
        [3, 3, 3, 4, 3, 4, 3, 2, 3],
    ]
    result = compute_ikm(responses)
    assert result is not None
    # NRR per element = column average: 14/4, 13/4, 11/4, 16/4, 13/4, 15/4, 15/4, 11/4, 13/4
    assert result.nrr == tuple(Fraction(total, 4) for total in (14, 13, 11, 16, 13, 15, 15, 11, 13))
    # weighted sum = 121/4 × 1/9 = 121/36 = 3.3611…; × 25 = 84.0277… → 84.03, grade B (Baik)
    assert (result.ikm, result.grade, result.grade_id, result.respondents) == (
        Decimal("84.03"),
        "B",
        "Baik",
        4,
    )


def test_every_element_weighs_exactly_one_ninth() -> None:
    assert Fraction(1, 9) == WEIGHT
    assert sum([WEIGHT] * 9) == 1


@pytest.mark.parametrize(
    ("ratings", "ikm", "grade"),
    [
        ([4] * 9, "100.00", "A"),
        ([1] * 9, "25.00", "D"),
        ([3] * 9, "75.00", "C"),
        ([2] * 9, "50.00", "D"),
    ],
)
def test_uniform_ratings_map_onto_the_25_to_100_scale(
    ratings: list[int], ikm: str, grade: str
) -> None:
    result = compute_ikm([ratings])
    assert result is not None and (result.ikm, result.grade) == (Decimal(ikm), grade)


@pytest.mark.parametrize(
    ("ikm", "grade", "name"),
    [
        ("100.00", "A", "Sangat Baik"),
        ("88.31", "A", "Sangat Baik"),
        ("88.30", "B", "Baik"),
        ("76.61", "B", "Baik"),
        ("76.60", "C", "Kurang Baik"),
        ("65.00", "C", "Kurang Baik"),
        ("64.99", "D", "Tidak Baik"),
        ("25.00", "D", "Tidak Baik"),
    ],
)
def test_grade_boundaries(ikm: str, grade: str, name: str) -> None:
    assert grade_of(Decimal(ikm))[:2] == (grade, name)


def test_rounding_is_half_up_exactly_at_the_grade_boundary() -> None:
    # 5000 respondents, 45000 ratings summing to 158949: mean 3.5322, IKM exactly 88.305.
    # Half up gives 88.31 (A, Sangat Baik); rounding half to even would give 88.30 (B).
    ratings = [4] * 23949 + [3] * (45000 - 23949)
    responses = [ratings[i : i + 9] for i in range(0, 45000, 9)]
    result = compute_ikm(responses)
    assert result is not None and (result.ikm, result.grade) == (Decimal("88.31"), "A")


def test_no_responses_means_no_index() -> None:
    assert compute_ikm([]) is None


@pytest.mark.parametrize("ratings", [[4] * 8, [0] + [4] * 8, [5] * 9, [True] * 9, [3.5] * 9])
def test_a_response_must_rate_nine_elements_from_one_to_four(ratings: list) -> None:
    with pytest.raises(ValueError):
        check_ratings(ratings)
