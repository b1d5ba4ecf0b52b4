"""Managers' API: reports, the IKM, the wait-time exports. An agency's manager sees only it."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, jsonify, request, send_file, stream_with_context
from flask_login import current_user

from server.domain.reports import GROUPS, PERIODS
from server.extensions import db
from server.services import exports, reports, survey
from server.services.report_workbooks import write_ikm_xlsx, write_report_xlsx
from server.web.auth import role_required
from server.web.context import current_context
from server.web.errors import MAX_ID, invalid

bp = Blueprint("manager_api", __name__, url_prefix="/api/v1")
MANAGERS = ("manager", "admin")
MAX_DAYS = 400
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)


@bp.get("/reports/ikm")
@role_required(*MANAGERS)
def get_ikm_report() -> Response:
    """The IKM per group for a range of days: `?from=2026-11-01&to=2026-11-30&group=service`."""
    start, end = _date_range()
    group = request.args.get("group", "all")
    return jsonify(survey.ikm_report(db.session, start, end, group, _agency_scope()))


@bp.get("/reports/ikm.xlsx")
@role_required(*MANAGERS)
def get_ikm_workbook() -> Response:
    """The IKM report as a KemenPANRB-style workbook: the unit, per group and `period`."""
    scope = _report_filter(group=None, period="month")
    data = reports.ikm_workbook_data(db.session, current_context(), scope)
    name = f"antre-ikm-{scope.start.isoformat()}-{scope.end.isoformat()}.xlsx"
    return _workbook(lambda path: write_ikm_xlsx(data, path), name)


@bp.get("/reports/performance")
@role_required(*MANAGERS)
def get_performance_report() -> Response:
    """Arrivals, outcomes, waits and compliance: `?from=&to=&group=service&period=day`."""
    return jsonify(reports.performance_report(db.session, current_context(), _report_filter()))


@bp.get("/reports/performance.xlsx")
@role_required(*MANAGERS)
def get_performance_workbook() -> Response:
    """The performance report as a workbook: summary, heatmap, compliance trend, filters."""
    scope = _report_filter()
    report = reports.performance_report(db.session, current_context(), scope)
    name = f"antre-kinerja-{scope.start.isoformat()}-{scope.end.isoformat()}.xlsx"
    return _workbook(lambda path: write_report_xlsx(report, path), name)


@bp.get("/exports/<what>.<kind>")
@role_required(*MANAGERS)
def get_export(what: str, kind: str) -> Any:
    """The wait-time log (`tickets`) or the event log (`events`) as CSV or XLSX, streamed."""
    if what not in ("tickets", "events") or kind not in ("csv", "xlsx"):
        raise invalid("unknown_export", "Ekspor tidak dikenal.", "Unknown export.")
    start, end = _date_range()
    scope = exports.ExportFilter(
        start,
        end,
        agency_id=_agency_scope(),
        service_id=_number("service"),
        counter_id=_number("counter"),
        officer_id=_number("officer"),
    )
    columns = exports.TICKET_COLUMNS if what == "tickets" else exports.EVENT_COLUMNS
    produce = exports.ticket_rows if what == "tickets" else exports.event_rows
    rows = produce(db.session, current_context(), scope)
    name = f"antre-{what}-{start.isoformat()}-{end.isoformat()}.{kind}"
    if kind == "csv":
        lines = stream_with_context(exports.write_csv(rows, columns))
        response = Response(lines, mimetype="text/csv; charset=utf-8")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return _workbook(lambda path: exports.write_xlsx(rows, columns, path, what), name)


def _workbook(write: Callable[[Path], object], name: str) -> Response:
    """A workbook written to a temporary file, sent as an attachment, then deleted."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as handle:
        path = Path(handle.name)
    try:
        write(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    response = send_file(path, as_attachment=True, download_name=name)
    response.call_on_close(lambda: path.unlink(missing_ok=True))
    return response


def _report_filter(group: str | None = "service", period: str = "day") -> reports.ReportFilter:
    """The range, grouping (None: not asked) and period of a report, within the caller's agency."""
    start, end = _date_range()
    return reports.ReportFilter(
        start,
        end,
        group="all" if group is None else _choice("group", GROUPS, group),
        period=_choice("period", PERIODS, period),
        agency_id=_agency_scope(),
    )


def _choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = request.args.get(name, default)
    if value not in choices:
        listed = ", ".join(choices)
        raise invalid(
            f"invalid_{name}",
            f"{name} harus salah satu dari {listed}.",
            f"{name} must be one of {listed}.",
        )
    return value


def _agency_scope() -> int | None:
    """An agency's manager is limited to their agency; the hall's admin sees all."""
    if current_user.role == "manager" and current_user.agency_id is not None:
        return current_user.agency_id
    return _number("agency")


def _date_range() -> tuple[date, date]:
    try:
        start = _day(request.args["from"])
        end = _day(request.args.get("to", request.args["from"]))
    except (KeyError, ValueError) as error:
        raise invalid(
            "invalid_dates",
            "Isi tanggal from dan to sebagai YYYY-MM-DD (tahun 2000–2999).",
            "Give from and to as YYYY-MM-DD (years 2000–2999).",
        ) from error
    if end < start or (end - start).days > MAX_DAYS:
        raise invalid(
            "invalid_dates",
            f"Rentang tanggal 1 sampai {MAX_DAYS} hari.",
            f"The range must be 1 to {MAX_DAYS} days.",
        )
    return start, end


def _day(text: str) -> date:
    """A service day written exactly YYYY-MM-DD, within the years a hall can have tickets."""
    if not DAY.fullmatch(text):
        raise ValueError(text)
    day = date.fromisoformat(text)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(text)
    return day


def _number(name: str) -> int | None:
    value = request.args.get(name)
    if value is None:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 10 and 1 <= int(value) <= MAX_ID):
        raise invalid(
            f"invalid_{name}",
            f"{name} harus angka 1 sampai {MAX_ID}.",
            f"{name} must be a number from 1 to {MAX_ID}.",
        )
    return int(value)
