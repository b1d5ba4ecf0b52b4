"""Describe a hall in a TOML file and load it: agencies, services, zones, counters.

Loading is idempotent: things are matched by their `code`, updated in place, and added when new.
A service left out of the file is disabled rather than deleted, because its tickets stay in the log.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.db import write_transaction
from server.domain.calendar import hours_to_json, parse_hours
from server.models import Agency, Counter, CounterService, Device, Service, Setting, Zone

ALWAYS = {"daily": "00:00-24:00"}
MODES = ("fifo", "order", "weights")


class HallConfigError(ValueError):
    """The hall file is not valid; the message names the place and the fix."""


@dataclass
class LoadReport:
    """What a load changed."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)


LOGO_TYPES = {
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
MAX_LOGO_BYTES = 2_000_000


def install_logo(data: dict[str, Any], hall_file: Path, instance: Path) -> str | None:
    """Copy the hall's logo (a path relative to the hall file) into the instance folder."""
    name = _table(data, "hall", "hall").get("logo")
    if not name:
        return None
    source = (hall_file.parent / str(name)).resolve()
    kind = source.suffix.lower()
    if kind not in LOGO_TYPES:
        raise HallConfigError(f"hall.logo: {name!r} must be a PNG, SVG or JPEG file")
    if not source.is_file() or source.stat().st_size > MAX_LOGO_BYTES:
        raise HallConfigError(f"hall.logo: {name!r} is not a readable image of at most 2 MB")
    target = instance / f"hall-logo{kind}"
    for old in instance.glob("hall-logo.*"):
        old.unlink()
    target.write_bytes(source.read_bytes())
    return target.name


def read_hall_file(path: str | Path) -> dict[str, Any]:
    """Parse a hall TOML file, naming the line of a syntax error."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise HallConfigError(f"{path}: {error}") from error
    except OSError as error:
        raise HallConfigError(f"{path}: {error.strerror}") from error


def load_hall(session: Session, data: dict[str, Any]) -> LoadReport:
    """Create or update the hall described by `data` in one transaction."""
    report = LoadReport()
    with write_transaction(session):
        _load_settings(session, _table(data, "hall", "hall"))
        zones = {
            entry["code"]: _upsert(
                session, Zone, entry, "zones", report, name=_required(entry, "name", "zones")
            )
            for entry in _list(data, "zones")
        }
        services = _load_agencies(session, _list(data, "agencies"), report)
        _disable_missing_services(session, set(services), report)
        for index, entry in enumerate(_list(data, "counters")):
            _load_counter(session, entry, index, zones, services, report)
        for kind, key in (("kiosk", "kiosks"), ("display", "displays")):
            for index, entry in enumerate(_list(data, key)):
                where = f"{key}[{index}]"
                name = _required(entry, "name", where)
                _upsert(session, Device, entry, where, report, kind=kind, name=name)
    return report


def _load_settings(session: Session, hall: dict[str, Any]) -> None:
    if hall.get("voice_numbers", "digits") not in ("digits", "words"):
        raise HallConfigError("hall.voice_numbers: must be 'digits' (A nol nol tujuh) or 'words'")
    for key in ("name", "footer", "footer_en", "running_text", "voice_numbers", "logo"):
        if key in hall:
            _set(session, f"hall_{key}", str(hall[key]))
    for key in ("priority_ratio", "max_wait_minutes", "personal_data_days"):
        if key in hall:
            value = hall[key]
            if not isinstance(value, int) or value < 0:
                raise HallConfigError(f"hall.{key}: must be a whole number of at least 0")
            _set(session, f"hall_{key}", value)


def _set(session: Session, key: str, value: Any) -> None:
    row = session.get(Setting, key) or Setting(key=key)
    row.value = value
    session.add(row)


def _load_agencies(
    session: Session, entries: list[dict[str, Any]], report: LoadReport
) -> dict[str, Service]:
    services: dict[str, Service] = {}
    prefixes: dict[str, str] = {}
    for a_index, entry in enumerate(entries):
        where = f"agencies[{a_index}]"
        agency = _upsert(
            session,
            Agency,
            entry,
            where,
            report,
            name=_required(entry, "name", where),
            name_en=entry.get("name_en"),
            position=a_index,
        )
        for s_index, item in enumerate(entry.get("services", [])):
            service = _load_service(
                session, agency, item, f"{where}.services[{s_index}]", s_index, report
            )
            if service.prefix in prefixes and prefixes[service.prefix] != service.code:
                raise HallConfigError(
                    f"{where}.services[{s_index}]: prefix {service.prefix!r} is already used "
                    f"by service {prefixes[service.prefix]!r}; each service needs its own prefix"
                )
            prefixes[service.prefix] = service.code
            services[service.code] = service
    return services


def _load_service(
    session: Session,
    agency: Agency,
    entry: dict[str, Any],
    where: str,
    position: int,
    report: LoadReport,
) -> Service:
    prefix = str(_required(entry, "prefix", where)).upper()
    if not (prefix.isalpha() and 1 <= len(prefix) <= 3):
        raise HallConfigError(f"{where}.prefix: {prefix!r} must be 1 to 3 letters, e.g. 'A'")
    try:
        hours = hours_to_json(parse_hours(entry.get("hours", ALWAYS)))
    except ValueError as error:
        raise HallConfigError(f"{where}.hours: {error}") from error
    quota = entry.get("daily_quota")
    if quota is not None and (not isinstance(quota, int) or quota < 1):
        raise HallConfigError(f"{where}.daily_quota: must be a whole number of at least 1")
    return _upsert(
        session,
        Service,
        entry,
        where,
        report,
        agency=agency,
        prefix=prefix,
        name=_required(entry, "name", where),
        name_en=entry.get("name_en"),
        target_s=int(_minutes(entry, "target_minutes", where, 15) * 60),
        default_service_s=int(_minutes(entry, "service_minutes", where, 5) * 60),
        hours=hours,
        daily_quota=quota,
        enabled=bool(entry.get("enabled", True)),
        position=position,
    )


def _load_counter(
    session: Session,
    entry: dict[str, Any],
    index: int,
    zones: dict[str, Zone],
    services: dict[str, Service],
    report: LoadReport,
) -> None:
    where = f"counters[{index}]"
    zone_code = _required(entry, "zone", where)
    if zone_code not in zones:
        raise HallConfigError(
            f"{where}.zone: no zone with code {zone_code!r}; zones are {sorted(zones)}"
        )
    unknown = [code for code in entry.get("services", []) if code not in services]
    if unknown:
        raise HallConfigError(
            f"{where}.services: unknown service code(s) {unknown}; services are {sorted(services)}"
        )
    counter = _upsert(
        session,
        Counter,
        entry,
        where,
        report,
        name=_required(entry, "name", where),
        zone=zones[zone_code],
        position=index,
        mode=_mode(entry, where),
    )
    weights = _weights(entry, where)
    counter.links = [
        CounterService(service_id=services[code].id, position=place, weight=weights.get(code, 1))
        for place, code in enumerate(entry.get("services", []))
    ]


def _mode(entry: dict[str, Any], where: str) -> str:
    mode = entry.get("mode", "fifo")
    if mode not in MODES:
        raise HallConfigError(f"{where}.mode: {mode!r} is not one of {', '.join(MODES)}")
    return str(mode)


def _weights(entry: dict[str, Any], where: str) -> dict[str, int]:
    weights = entry.get("weights", {})
    bad = {code: w for code, w in weights.items() if not isinstance(w, int) or w < 1}
    if not isinstance(weights, dict) or bad:
        raise HallConfigError(f"{where}.weights: each weight must be a whole number of at least 1")
    unserved = sorted(set(weights) - set(entry.get("services", [])))
    if unserved:
        raise HallConfigError(f"{where}.weights: {unserved} are not services of this counter")
    return weights


def _disable_missing_services(session: Session, kept: set[str], report: LoadReport) -> None:
    for service in session.scalars(
        select(Service).where(Service.code.not_in(kept), Service.enabled.is_(True))
    ):
        service.enabled = False
        report.disabled.append(f"service {service.code}")


def _upsert(
    session: Session,
    model: type,
    entry: dict[str, Any],
    where: str,
    report: LoadReport,
    **values: Any,
) -> Any:
    code = str(_required(entry, "code", where))
    row = session.scalars(select(model).where(model.code == code)).first()
    label = f"{model.__tablename__[:-1] if model.__tablename__ != 'agencies' else 'agency'} {code}"
    if row is None:
        row = model(code=code)
        session.add(row)
        report.added.append(label)
    else:
        report.updated.append(label)
    for name, value in values.items():
        setattr(row, name, value)
    session.flush()
    return row


def _required(entry: dict[str, Any], key: str, where: str) -> Any:
    if key not in entry or entry[key] in ("", None):
        raise HallConfigError(f"{where}.{key}: required")
    return entry[key]


def _minutes(entry: dict[str, Any], key: str, where: str, default: float) -> float:
    value = entry.get(key, default)
    if not isinstance(value, int | float) or value <= 0:
        raise HallConfigError(f"{where}.{key}: must be a positive number of minutes")
    return float(value)


def _table(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise HallConfigError(f"{where}: must be a table, e.g. [{key}]")
    return value


def _list(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise HallConfigError(f"{key}: must be a list of tables, e.g. [[{key}]]")
    return value
