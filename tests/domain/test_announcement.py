"""The words the display speaks for a call."""

import pytest

from server.domain.announcement import announce_call

WORDS = {
    ("id", 0): "nol",
    ("id", 3): "tiga",
    ("id", 7): "tujuh",
    ("id", 12): "dua belas",
    ("id", 112): "seratus dua belas",
    ("en", 0): "zero",
    ("en", 3): "three",
    ("en", 7): "seven",
    ("en", 21): "twenty-one",
}


def number_words(value: int, lang: str) -> str:
    return WORDS[(lang, value)]


def test_indonesian_call_reads_the_number_digit_by_digit() -> None:
    call = announce_call("A007", "Loket 3", "id", number_words)
    assert call.text == "Nomor antrean, a nol nol tujuh. Silakan menuju loket tiga."
    assert call.tokens == (
        "nomor-antrean",
        "a",
        "nol",
        "nol",
        "tujuh",
        "silakan-menuju",
        "loket",
        "tiga",
    )


def test_numbers_can_be_read_as_words() -> None:
    call = announce_call("B112", "Loket 12", "id", number_words, digit_by_digit=False)
    assert call.text == "Nomor antrean, be seratus dua belas. Silakan menuju loket dua belas."
    assert call.tokens[1:5] == ("be", "seratus", "dua", "belas")


def test_english_call_says_counter_for_loket() -> None:
    call = announce_call("A007", "Loket 21", "en", number_words)
    assert call.text == "Number, a zero zero seven. Please go to counter twenty one."
    assert call.tokens[-3:] == ("counter", "twenty", "one")


def test_letters_are_named_as_people_say_them() -> None:
    assert announce_call("H001", "Loket 3", "id", lambda _value, _lang: "x").tokens[1] == "ha"
    assert announce_call("H001", "Loket 3", "en", lambda _value, _lang: "x").tokens[1] == "aitch"


def test_an_unknown_language_is_a_bug() -> None:
    with pytest.raises(ValueError):
        announce_call("A001", "Loket 1", "fr", number_words)
