"""Pairing a device: a short one-time code an admin hands over, a long token the device keeps.

Only the SHA-256 of a code or a token is stored. A code is 8 letters and digits from an alphabet
without look-alikes (no 0/O, 1/I/L), written `ABCD-EFGH`; it is easy to read out or type on a TV's
keyboard, and it expires. A token is 256 random bits that never leave the device.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
DEVICE_KINDS = ("kiosk", "display")


def new_pairing_code(choose: Callable[[str], str]) -> str:
    """A fresh code such as `K7QF-M2XD`; `choose` picks one character (`secrets.choice`)."""
    letters = "".join(choose(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{letters[:4]}-{letters[4:]}"


def normalize_code(text: str) -> str | None:
    """A code as typed (any case, with or without dashes or spaces), or None if it cannot be one."""
    letters = "".join(text.split()).replace("-", "").upper()
    if len(letters) != CODE_LENGTH or any(letter not in CODE_ALPHABET for letter in letters):
        return None
    return f"{letters[:4]}-{letters[4:]}"


def secret_hash(secret: str) -> str:
    """What is stored of a code or token: its SHA-256, in hex."""
    return hashlib.sha256(secret.encode()).hexdigest()
