"""Spoken calls as WAV audio, built on the server and cached.

A clip pack is a folder per language (`<pack>/id/`, `<pack>/en/`) of recorded word clips named
after their tokens (`nomor-antrean.wav`, `a.wav`, `nol.wav`, `loket.wav`, ...), all with the same
WAV format; a hall can record and replace them. When the pack lacks a word, espeak-ng's voice
speaks the sentence instead. When neither is there, `VoiceUnavailable` tells the display to use
the browser's own voice.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import shutil
import struct
import subprocess
import wave
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from num2words import num2words
from sqlalchemy.orm import Session

from server.domain.announcement import Announcement, announce_call
from server.services.settings import settings

WORD_GAP_S = 0.06
ESPEAK_VOICES = {"id": "id", "en": "en"}
ESPEAK_TIMEOUT_S = 15


class VoiceUnavailable(RuntimeError):
    """Neither a complete clip pack nor espeak-ng can speak this call."""


def call_announcement(
    number: str, counter_name: str, lang: str, digit_by_digit: bool
) -> Announcement:
    """The words for a call, with number words from num2words."""
    return announce_call(number, counter_name, lang, _number_words, digit_by_digit)


NUMBERS_SETTING = {"hall_voice_numbers": "digits"}  # or "words"


def reads_digits(session: Session) -> bool:
    """Whether the hall reads ticket numbers digit by digit ("satu dua") or as words."""
    return numbers_as_digits(settings(session, NUMBERS_SETTING))


def numbers_as_digits(hall: Mapping[str, Any]) -> bool:
    """`reads_digits` from settings the caller has read, `NUMBERS_SETTING` among them."""
    return hall["hall_voice_numbers"] != "words"


def spoken_call(number: str, counter_name: str, digit_by_digit: bool) -> dict[str, str]:
    """The call as sentences in both languages, for the browser's own voice as a last resort."""
    return {
        lang: call_announcement(number, counter_name, lang, digit_by_digit).text
        for lang in ("id", "en")
    }


@functools.lru_cache(maxsize=4096)  # a hall's numbers run to a few hundred a day
def _number_words(value: int, lang: str) -> str:
    return num2words(value, lang=lang)


def speak(announcement: Announcement, lang: str, pack: Path | None, cache: Path) -> bytes:
    """The call as WAV bytes: from the clip pack when it has every word, else espeak-ng."""
    clips = None if pack is None else clip_paths(pack / lang, announcement.tokens)
    source = "pack:" + "|".join(str(p.stat().st_mtime_ns) for p in clips) if clips else "espeak"
    key = hashlib.sha256(
        f"{lang}\n{announcement.text}\n{announcement.tokens}\n{source}".encode()
    ).hexdigest()
    cached = cache / f"{key[:32]}.wav"
    if cached.exists():
        return cached.read_bytes()
    audio = join_clips(clips) if clips else espeak(announcement.text, lang)
    cache.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".part")
    partial.write_bytes(audio)
    partial.replace(cached)
    return audio


def clip_paths(folder: Path, tokens: tuple[str, ...]) -> list[Path] | None:
    """The clip for every token, or None when the pack lacks any of them."""
    paths = [folder / f"{token}.wav" for token in tokens]
    return paths if all(path.is_file() for path in paths) else None


def join_clips(paths: list[Path], gap_s: float = WORD_GAP_S) -> bytes:
    """Join WAV clips of one format into one WAV, with a short silence between words."""
    output = io.BytesIO()
    with wave.open(output, "wb") as joined:
        params = None
        for index, path in enumerate(paths):
            with wave.open(str(path), "rb") as clip:
                if params is None:
                    params = clip.getparams()
                    joined.setparams(params)
                elif clip.getparams()[:3] != params[:3]:
                    raise ValueError(
                        f"{path.name} differs in format from {paths[0].name}; re-export the pack"
                    )
                if index:
                    joined.writeframes(
                        b"\0" * int(params.framerate * gap_s) * params.sampwidth * params.nchannels
                    )
                joined.writeframes(clip.readframes(clip.getnframes()))
    return output.getvalue()


def espeak(text: str, lang: str) -> bytes:
    """Speak a sentence with espeak-ng's voice for `lang`, as WAV."""
    binary = shutil.which("espeak-ng")
    if binary is None:
        raise VoiceUnavailable("espeak-ng is not installed and no complete clip pack is set")
    result = subprocess.run(
        [binary, "-v", ESPEAK_VOICES[lang], "-s", "135", "-g", "4", "--stdout", text],
        capture_output=True,
        timeout=ESPEAK_TIMEOUT_S,
        check=False,
    )
    if result.returncode != 0 or not result.stdout.startswith(b"RIFF"):
        raise VoiceUnavailable(f"espeak-ng failed: {result.stderr.decode(errors='replace')[:200]}")
    return _fix_streamed_sizes(result.stdout)


def _fix_streamed_sizes(audio: bytes) -> bytes:
    """espeak-ng writes to a pipe before it knows the length; fill in the RIFF and data sizes."""
    data_at = audio.find(b"data")
    if data_at < 0:
        raise VoiceUnavailable("espeak-ng gave no audio data")
    fixed = bytearray(audio)
    struct.pack_into("<I", fixed, 4, len(audio) - 8)
    struct.pack_into("<I", fixed, data_at + 4, len(audio) - data_at - 8)
    return bytes(fixed)


def chime(framerate: int = 22050) -> bytes:
    """A two-tone "ding-dong" chime as WAV, made with the standard library."""
    frames = bytearray()
    for frequency, seconds in ((880.0, 0.45), (660.0, 0.7)):
        count = int(framerate * seconds)
        for n in range(count):
            envelope = math.exp(-3.5 * n / count)
            sample = (
                0.45
                * envelope
                * (
                    math.sin(2 * math.pi * frequency * n / framerate)
                    + 0.3 * math.sin(4 * math.pi * frequency * n / framerate)
                )
            )
            frames += struct.pack("<h", int(max(-1.0, min(1.0, sample)) * 32767))
    output = io.BytesIO()
    with wave.open(output, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(framerate)
        sound.writeframes(bytes(frames))
    return output.getvalue()


def wav_duration_s(audio: bytes) -> float:
    """The length of WAV audio in seconds."""
    with wave.open(io.BytesIO(audio), "rb") as sound:
        return sound.getnframes() / sound.getframerate()
