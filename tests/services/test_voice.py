"""Spoken calls as audio: clip packs joined with the standard library, espeak-ng, the cache."""

import io
import math
import shutil
import struct
import wave
from pathlib import Path

import pytest

from server.domain.announcement import Announcement
from server.services import voice
from tests.conftest import require

CALL = voice.call_announcement("A007", "Loket 3", "id", digit_by_digit=True)


def tone(path: Path, seconds: float, framerate: int = 16000, channels: int = 1) -> None:
    """Write a WAV clip of a plain tone."""
    frames = b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * n / framerate))) * channels
        for n in range(int(framerate * seconds))
    )
    with wave.open(str(path), "wb") as clip:
        clip.setnchannels(channels)
        clip.setsampwidth(2)
        clip.setframerate(framerate)
        clip.writeframes(frames)


def make_pack(root: Path, tokens: tuple[str, ...], seconds: float = 0.3) -> Path:
    (root / "id").mkdir(parents=True)
    for token in tokens:
        tone(root / "id" / f"{token}.wav", seconds)
    return root


def test_a_complete_pack_is_joined_word_by_word_with_short_gaps(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "pack", CALL.tokens)
    audio = voice.speak(CALL, "id", pack, tmp_path / "cache")
    expected = len(CALL.tokens) * 0.3 + (len(CALL.tokens) - 1) * voice.WORD_GAP_S
    assert voice.wav_duration_s(audio) == pytest.approx(expected, abs=0.01)
    with wave.open(io.BytesIO(audio)) as joined:
        assert (joined.getnchannels(), joined.getframerate()) == (1, 16000)


def test_clips_of_different_formats_are_refused_with_the_clip_named(tmp_path: Path) -> None:
    tone(tmp_path / "a.wav", 0.1)
    tone(tmp_path / "b.wav", 0.1, framerate=22050)
    with pytest.raises(ValueError, match=r"b\.wav differs"):
        voice.join_clips([tmp_path / "a.wav", tmp_path / "b.wav"])


def test_a_pack_missing_a_word_is_not_used(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "pack", CALL.tokens[:-1])
    assert voice.clip_paths(pack / "id", CALL.tokens) is None


def test_without_a_pack_espeak_speaks_the_sentence(tmp_path: Path) -> None:
    require(
        shutil.which("espeak-ng") is not None,
        "espeak-ng is not installed (apt-get install espeak-ng)",
    )
    audio = voice.speak(CALL, "id", None, tmp_path / "cache")
    assert audio.startswith(b"RIFF") and 3.0 < voice.wav_duration_s(audio) < 12.0


def test_audio_is_cached_and_a_changed_pack_is_not_served_stale(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "pack", CALL.tokens, seconds=0.2)
    first = voice.speak(CALL, "id", pack, tmp_path / "cache")
    assert voice.speak(CALL, "id", pack, tmp_path / "cache") == first
    assert len(list((tmp_path / "cache").glob("*.wav"))) == 1
    tone(pack / "id" / "tiga.wav", 0.5)
    longer = voice.speak(CALL, "id", pack, tmp_path / "cache")
    assert voice.wav_duration_s(longer) == pytest.approx(
        voice.wav_duration_s(first) + 0.3, abs=0.01
    )


def test_no_voice_at_all_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(voice.VoiceUnavailable, match="espeak-ng is not installed"):
        voice.speak(Announcement(("x",), "x"), "id", None, tmp_path / "cache")


def test_the_chime_is_a_short_valid_wav() -> None:
    assert 0.8 < voice.wav_duration_s(voice.chime()) < 2.0
