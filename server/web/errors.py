"""Every refusal becomes `{"error": {"code", "message"}}` with its 4xx status, in one place."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, request
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from server.db import DatabaseBusy, is_busy
from server.domain.errors import DomainError, InvalidInput

log = logging.getLogger(__name__)
LANGUAGES = ("id", "en")
MAX_ID = 2**31 - 1  # the largest id a database integer column holds

HTTP_MESSAGES = {
    400: ("Permintaan tidak valid.", "The request is not valid."),
    404: ("Alamat tidak ditemukan.", "No such address."),
    405: ("Metode tidak diizinkan untuk alamat ini.", "Method not allowed for this address."),
    413: ("Permintaan terlalu besar.", "The request is too large."),
    415: ("Kirim data sebagai JSON.", "Send the data as JSON."),
    500: (
        "Terjadi kesalahan pada server. Coba lagi.",
        "Something went wrong on the server. Try again.",
    ),
}


class DatabaseId(IntegerConverter):
    """`<int:...>` in a route: an id a database column can hold; a larger one is not found."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(*args, **kwargs)


def init_app(app: Flask) -> None:
    """Register the handlers, and bound `<int:...>` route parts (before any route is added)."""
    app.url_map.converters["int"] = DatabaseId
    app.register_error_handler(DomainError, domain_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(OperationalError, database_error)
    app.register_error_handler(DataError, unstorable_input)
    app.register_error_handler(Exception, unexpected_error)


def request_lang() -> str:
    """The language the caller asked for: `?lang=`, then Accept-Language; Indonesian by default."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES, default="id") or "id"


def error_response(status: int, code: str, message: str) -> Response:
    """The JSON error body."""
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


def domain_error(error: DomainError) -> Response:
    """A rule refused the request."""
    return error_response(error.status, error.code, error.message(request_lang()))


def http_error(error: HTTPException) -> Response | HTTPException:
    """A routing or protocol error; JSON under the API, the normal page elsewhere."""
    if not request.path.startswith("/api/"):
        return error
    status = error.code or 500
    message_id, message_en = HTTP_MESSAGES.get(status, (error.description, error.description))
    return error_response(
        status,
        error.name.lower().replace(" ", "_"),
        message_en if request_lang() == "en" else message_id,
    )


def database_error(error: OperationalError) -> Response:
    """A database still locked by another process after the retries is a 503, not a bug."""
    return domain_error(DatabaseBusy()) if is_busy(error) else unexpected_error(error)


def unstorable_input(error: DataError) -> Response:
    """Input the database cannot store (a NUL character, a number out of range) is a 400."""
    log.warning("input refused by the database on %s %s: %s", request.method, request.path, error)
    return domain_error(
        invalid(
            "invalid_input",
            "Isi permintaan berisi nilai yang tidak dapat disimpan.",
            "The request holds a value that cannot be stored.",
        )
    )


def unexpected_error(error: Exception) -> Response:
    """A bug: logged with its traceback, answered without one."""
    log.exception("unhandled error on %s %s", request.method, request.path)
    message_id, message_en = HTTP_MESSAGES[500]
    return error_response(
        500, "internal_error", message_en if request_lang() == "en" else message_id
    )


def invalid(code: str, message_id: str, message_en: str) -> InvalidInput:
    """A 400 refusal for input that does not fit."""
    return InvalidInput(code, message_id, message_en)
