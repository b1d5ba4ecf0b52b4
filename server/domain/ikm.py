"""Indeks Kepuasan Masyarakat (IKM) as PermenPANRB No. 14 Tahun 2017 computes it.

Each respondent rates the nine elements (unsur) on a 1–4 scale. For each element the average
rating is its NRR; each NRR weighs exactly 1/9; the weighted sum times 25 is the IKM on a 25–100
scale, reported with two decimals and graded A–D.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

ELEMENTS: tuple[tuple[str, str, str], ...] = (
    ("u1", "Persyaratan", "Requirements"),
    ("u2", "Sistem, mekanisme, dan prosedur", "Systems, mechanisms and procedures"),
    ("u3", "Waktu penyelesaian", "Completion time"),
    ("u4", "Biaya/tarif", "Cost/tariff"),
    ("u5", "Produk spesifikasi jenis pelayanan", "Service product specification"),
    ("u6", "Kompetensi pelaksana", "Staff competence"),
    ("u7", "Perilaku pelaksana", "Staff behaviour"),
    ("u8", "Penanganan pengaduan, saran dan masukan", "Handling of complaints and suggestions"),
    ("u9", "Sarana dan prasarana", "Facilities and infrastructure"),
)
WEIGHT = Fraction(1, len(ELEMENTS))
SCALE = 25
GRADES: tuple[tuple[Decimal, str, str, str], ...] = (
    (Decimal("88.31"), "A", "Sangat Baik", "Very good"),
    (Decimal("76.61"), "B", "Baik", "Good"),
    (Decimal("65.00"), "C", "Kurang Baik", "Poor"),
    (Decimal("25.00"), "D", "Tidak Baik", "Very poor"),
)

Ratings = Sequence[int]


@dataclass(frozen=True)
class IkmResult:
    """The index of a set of responses, with what makes it up."""

    respondents: int
    nrr: tuple[Fraction, ...]
    ikm: Decimal
    grade: str
    grade_id: str
    grade_en: str


def check_ratings(ratings: Ratings) -> None:
    """Refuse anything but nine whole ratings from 1 to 4."""
    if len(ratings) != len(ELEMENTS):
        raise ValueError(f"a response rates all {len(ELEMENTS)} elements, not {len(ratings)}")
    bad = [r for r in ratings if isinstance(r, bool) or not isinstance(r, int) or not 1 <= r <= 4]
    if bad:
        raise ValueError(f"ratings are whole numbers from 1 to 4, not {bad}")


def compute_ikm(responses: Sequence[Ratings]) -> IkmResult | None:
    """The IKM of these responses, or None when there are none."""
    if not responses:
        return None
    for ratings in responses:
        check_ratings(ratings)
    count = len(responses)
    nrr = tuple(Fraction(sum(r[i] for r in responses), count) for i in range(len(ELEMENTS)))
    exact = sum((value * WEIGHT for value in nrr), Fraction(0)) * SCALE
    ikm = round_half_up(exact)
    grade = grade_of(ikm)
    return IkmResult(count, nrr, ikm, *grade)


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    """Round as the regulation's tables do: half up, to `places` decimals."""
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(quantum, ROUND_HALF_UP)


def grade_of(ikm: Decimal) -> tuple[str, str, str]:
    """The mutu pelayanan for an index: A Sangat Baik, B Baik, C Kurang Baik, D Tidak Baik."""
    for lower, grade, name_id, name_en in GRADES:
        if ikm >= lower:
            return grade, name_id, name_en
    raise ValueError(f"an IKM of {ikm} is below the scale's minimum of 25")
