"""Pairing codes: short, readable, typed in any case; only their hash is kept."""

from __future__ import annotations

import hashlib
import random

import pytest

from server.domain.pairing import CODE_ALPHABET, new_pairing_code, normalize_code, secret_hash


def test_a_code_is_eight_unambiguous_characters_in_two_groups() -> None:
    code = new_pairing_code(random.Random(7).choice)
    assert len(code) == 9 and code[4] == "-"
    assert all(letter in CODE_ALPHABET for letter in code.replace("-", ""))
    assert not set("01ILO") & set(CODE_ALPHABET)


@pytest.mark.parametrize("typed", ["K7QF-M2XD", "k7qf-m2xd", "K7QFM2XD", " k7qf m2xd "])
def test_a_code_may_be_typed_in_any_case_with_or_without_the_dash(typed: str) -> None:
    assert normalize_code(typed) == "K7QF-M2XD"


@pytest.mark.parametrize("typed", ["", "K7QF-M2X", "K7QF-M2XDD", "K0QF-M2XD", "K7QF_M2XD", "á" * 8])
def test_anything_else_is_no_code(typed: str) -> None:
    assert normalize_code(typed) is None


def test_what_is_stored_is_the_sha256() -> None:
    assert secret_hash("K7QF-M2XD") == hashlib.sha256(b"K7QF-M2XD").hexdigest()
