"""Audio for the hall display: the chime, and each call spoken (cached on disk)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import Blueprint, Response, current_app
from sqlalchemy import select

from server.domain.errors import DomainError, NotFound
from server.domain.tickets import EventKind
from server.extensions import db
from server.models import Counter, Ticket, TicketEvent
from server.services import voice
from server.web.access import allow
from server.web.auth import STAFF_ROLES
from server.web.errors import request_lang

bp = Blueprint("audio", __name__, url_prefix="/api/v1")


class VoiceMissing(DomainError):
    """No server voice: the display should speak with the browser's own voice."""

    status = 503


@bp.get("/audio/chime.wav")
@allow(roles=STAFF_ROLES, devices=("display",))
def get_chime() -> Response:
    """The chime played before every call."""
    return _wav(_chime())


@cache
def _chime() -> bytes:
    return voice.chime()


@bp.get("/calls/<int:call_id>/audio.wav")
@allow(roles=STAFF_ROLES, devices=("display",))
def get_call_audio(call_id: int) -> Response:
    """A call or recall, spoken: "Nomor antrean A nol nol tujuh, silakan menuju loket tiga"."""
    row = db.session.execute(
        select(Ticket.number, Counter.name)
        .join(TicketEvent, TicketEvent.ticket_id == Ticket.id)
        .join(Counter, Counter.id == TicketEvent.counter_id)
        .where(
            TicketEvent.id == call_id, TicketEvent.kind.in_([EventKind.CALLED, EventKind.RECALLED])
        )
    ).first()
    if row is None:
        raise NotFound("call_not_found", "Panggilan tidak ditemukan.", "Call not found.")
    digits = voice.reads_digits(db.session)
    announcement = voice.call_announcement(row.number, row.name, request_lang(), digits)
    config = current_app.config
    pack = Path(config["ANTRE_VOICE_PACK"]) if config.get("ANTRE_VOICE_PACK") else None
    cache_dir = Path(current_app.instance_path) / "voice-cache"
    try:
        return _wav(voice.speak(announcement, request_lang(), pack, cache_dir))
    except voice.VoiceUnavailable as error:
        raise VoiceMissing(
            "voice_unavailable", "Suara server tidak tersedia.", str(error)
        ) from error


def _wav(audio: bytes) -> Response:
    response = Response(audio, mimetype="audio/wav")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response
