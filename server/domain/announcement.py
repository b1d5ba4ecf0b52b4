"""What the hall display says for a call, as words: for a speech engine and for a clip pack.

"Nomor antrean A nol nol tujuh, silakan menuju loket tiga." The number words come from a
function passed in (the services use num2words), so these rules stay free of libraries.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

NumberWords = Callable[[int, str], str]

_ID_LETTERS = "a be ce de e ef ge ha i je ka el em en o pe ki er es te u fe we eks ye zet"
_EN_LETTERS = (
    "a bee cee dee e ef gee aitch i jay kay el em en o pee cue ar ess tee u vee double-u ex wy zed"
)
LETTER_NAMES = {
    lang: dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", names.split(" "), strict=True))
    for lang, names in (("id", _ID_LETTERS), ("en", _EN_LETTERS))
}
PHRASES = {
    "id": {"number": "Nomor antrean", "go": "silakan menuju", "counter": "loket"},
    "en": {"number": "Number", "go": "please go to", "counter": "counter"},
}
COUNTER_WORDS = {"loket", "counter", "meja", "desk"}
_PART = re.compile(r"[A-Za-z]+|\d+")


@dataclass(frozen=True)
class Announcement:
    """A call as clip names (one recorded clip each) and as a sentence to speak."""

    tokens: tuple[str, ...]
    text: str


def announce_call(
    number: str,
    counter_name: str,
    lang: str,
    number_words: NumberWords,
    digit_by_digit: bool = True,
) -> Announcement:
    """The spoken call for `number` at `counter_name`, in Bahasa Indonesia or English."""
    if lang not in PHRASES:
        raise ValueError(f"no announcement wording for language {lang!r}")
    phrases = PHRASES[lang]
    ticket = _say(number, lang, number_words, digit_by_digit)
    counter = _say_counter(counter_name, lang, number_words)
    tokens = (_token(phrases["number"]), *ticket, _token(phrases["go"]), *counter)
    go = phrases["go"].capitalize()
    text = f"{phrases['number']}, {' '.join(ticket)}. {go} {' '.join(counter)}."
    return Announcement(tuple(tokens), text)


def _say(text: str, lang: str, number_words: NumberWords, digit_by_digit: bool) -> list[str]:
    words: list[str] = []
    for part in _PART.findall(text):
        if part.isdigit():
            numbers = [int(d) for d in part] if digit_by_digit else [int(part)]
            for value in numbers:
                words.extend(_split_words(number_words(value, lang)))
        else:
            words.extend(
                LETTER_NAMES[lang][letter]
                for letter in part.upper()
                if letter in LETTER_NAMES[lang]
            )
    return words


def _say_counter(counter_name: str, lang: str, number_words: NumberWords) -> list[str]:
    """`Loket 3` → `loket tiga` (`counter three` in English); other names are read as written."""
    words: list[str] = []
    for part in _PART.findall(counter_name):
        if part.isdigit():
            words.extend(_split_words(number_words(int(part), lang)))
        elif part.lower() in COUNTER_WORDS:
            words.append(PHRASES[lang]["counter"])
        else:
            words.append(part.lower())
    return words


def _split_words(spoken: str) -> list[str]:
    return [word for word in re.split(r"[\s,\-]+", spoken.lower()) if word]


def _token(phrase: str) -> str:
    return "-".join(phrase.lower().split())
