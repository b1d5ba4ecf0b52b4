"""Refusals a rule can give, each with a stable code and messages for officers and visitors."""

from __future__ import annotations


class DomainError(Exception):
    """A request the rules refuse; `code` is stable, the messages are for people."""

    status = 409

    def __init__(self, code: str, message_id: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.messages = {"id": message_id, "en": message_en}

    def message(self, lang: str = "id") -> str:
        """The message in `lang`, Bahasa Indonesia when that language is unknown."""
        return self.messages.get(lang, self.messages["id"])


class NotFound(DomainError):
    """The thing asked for does not exist."""

    status = 404


class InvalidInput(DomainError):
    """The request itself is malformed."""

    status = 400


class WrongState(DomainError):
    """The action does not fit the ticket's or counter's current state."""

    status = 409


class ServiceClosed(DomainError):
    """The service takes no tickets now."""

    status = 409
