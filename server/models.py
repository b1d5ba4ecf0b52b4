"""The hall's tables: SQLAlchemy 2.x typed models."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.domain.tickets import TicketStatus
from server.extensions import db


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC instant, stored without zone so SQLite and PostgreSQL agree."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware instant")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Setting(db.Model):
    """One hall-wide setting, e.g. the hall's name or the ticket footer."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class Agency(db.Model):
    """An agency (instansi) with its own services in the hall."""

    __tablename__ = "agencies"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    services: Mapped[list[Service]] = relationship(
        back_populates="agency", order_by="Service.position"
    )


class Zone(db.Model):
    """A hall or floor that displays follow."""

    __tablename__ = "zones"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    counters: Mapped[list[Counter]] = relationship(
        back_populates="zone", order_by="Counter.position"
    )


class Service(db.Model):
    """A service (layanan) visitors queue for."""

    __tablename__ = "services"
    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    code: Mapped[str] = mapped_column(String(32), unique=True)
    prefix: Mapped[str] = mapped_column(String(4))
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(120))
    target_s: Mapped[int] = mapped_column(default=900)
    default_service_s: Mapped[int | None]
    hours: Mapped[dict[str, list[str]]] = mapped_column(JSON)
    daily_quota: Mapped[int | None]
    enabled: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    agency: Mapped[Agency] = relationship(back_populates="services")


class User(db.Model):
    """A staff account: officer (petugas loket), manager or admin."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    # Flask-Login's user interface
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        """A deactivated account cannot sign in."""
        return self.active

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session."""
        return str(self.id)


class StaffEvent(db.Model):
    """Attendance: sign-in and sign-out, counter open, break and close, with who and when."""

    __tablename__ = "staff_events"
    __table_args__ = (Index("ix_staff_events_at", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(24))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    detail: Mapped[str | None] = mapped_column(Text)


class Counter(db.Model):
    """A counter (loket) that serves one or more services."""

    __tablename__ = "counters"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    status: Mapped[str] = mapped_column(String(16), default="closed")
    break_reason: Mapped[str | None] = mapped_column(String(120))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    mode: Mapped[str] = mapped_column(String(16), default="fifo")
    position: Mapped[int] = mapped_column(default=0)
    officer: Mapped[User | None] = relationship()
    zone: Mapped[Zone] = relationship(back_populates="counters")
    links: Mapped[list[CounterService]] = relationship(
        order_by="CounterService.position", cascade="all, delete-orphan"
    )

    @property
    def service_ids(self) -> list[int]:
        """The services this counter calls from, in the order the manager set."""
        return [link.service_id for link in self.links]


class CounterService(db.Model):
    """A service a counter calls from, with its place in the counter's order."""

    __tablename__ = "counter_services"
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    weight: Mapped[int] = mapped_column(default=1)


class DailySequence(db.Model):
    """The last number issued for a service on a service day; taken with an atomic upsert."""

    __tablename__ = "daily_sequences"
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    service_day: Mapped[date] = mapped_column(primary_key=True)
    last_number: Mapped[int]


class Ticket(db.Model):
    """A queue ticket (nomor antrean)."""

    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("issued_service_id", "service_day", "sequence"),
        Index("ix_tickets_queue", "service_id", "service_day", "status", "arrived_at", "id"),
        Index("ix_tickets_counter_status", "counter_id", "status"),
        # each head query of call-next (`queue.queue_heads`) reads one index entry, however long
        # the queue: per service and class, and the tickets sent to one counter by name
        Index(
            "ix_tickets_heads",
            "service_id",
            "service_day",
            "status",
            "priority",
            "arrived_at",
            "id",
        ),
        Index(
            "ix_tickets_sent_to_counter",
            "target_counter_id",
            "service_day",
            "status",
            "arrived_at",
            "id",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(43), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    issued_service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    service_day: Mapped[date]
    sequence: Mapped[int]
    number: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=TicketStatus.WAITING)
    priority: Mapped[bool] = mapped_column(default=False)
    priority_class: Mapped[str | None] = mapped_column(String(16))
    target_counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    note: Mapped[str | None] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(2), default="id")
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    recall_count: Mapped[int] = mapped_column(default=0)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime())
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    served_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    service: Mapped[Service] = relationship(foreign_keys=[service_id])
    counter: Mapped[Counter | None] = relationship(foreign_keys=[counter_id])


class TicketEvent(db.Model):
    """One change of a ticket: the wait-time log every report is computed from."""

    __tablename__ = "ticket_events"
    __table_args__ = (Index("ix_ticket_events_at", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    detail: Mapped[str | None] = mapped_column(Text)


class Device(db.Model):
    """A kiosk or a hall display, paired by a one-time code; a kiosk's printer's last state."""

    __tablename__ = "devices"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="kiosk")
    name: Mapped[str] = mapped_column(String(120))
    pairing_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    pairing_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    agent_connected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    printer_online: Mapped[bool | None]
    printer_paper: Mapped[str | None] = mapped_column(String(16))
    printer_error: Mapped[str | None] = mapped_column(Text)
    printer_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DeviceToken(db.Model):
    """A paired device's secret (its browser's cookie, its print agent's token): only the hash."""

    __tablename__ = "device_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    device: Mapped[Device] = relationship()


class PrintJob(db.Model):
    """One request to print a ticket at a kiosk: the original (copy 0) or a reprint."""

    __tablename__ = "print_jobs"
    __table_args__ = (UniqueConstraint("ticket_id", "copy"),)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    copy: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(Text)
    ticket: Mapped[Ticket] = relationship()
    device: Mapped[Device] = relationship()


class SurveyResponse(db.Model):
    """A visitor's IKM survey answer for one completed ticket (PermenPANRB 14/2017)."""

    __tablename__ = "survey_responses"
    __table_args__ = (Index("ix_survey_responses_created_at", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    service_day: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    channel: Mapped[str] = mapped_column(String(16))
    u1: Mapped[int]
    u2: Mapped[int]
    u3: Mapped[int]
    u4: Mapped[int]
    u5: Mapped[int]
    u6: Mapped[int]
    u7: Mapped[int]
    u8: Mapped[int]
    u9: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)

    @property
    def ratings(self) -> list[int]:
        """The nine ratings, u1 to u9."""
        return [getattr(self, f"u{n}") for n in range(1, 10)]
