"""The reports API: JSON and workbooks for managers, an agency's manager held to their agency."""

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from server.extensions import db
from server.models import Agency
from server.services.context import system_clock
from server.services.staff import create_user
from tests.conftest import sign_in
from tests.report_day import make_report_day

TUESDAY = "from=2026-11-24&to=2026-11-24"
THREE_DAYS = "from=2026-11-23&to=2026-11-25"


@pytest.fixture
def day(app: Flask) -> dict[str, dict]:
    return make_report_day(db.session)


def agency_id(code: str) -> int:
    return db.session.scalars(select(Agency.id).where(Agency.code == code)).one()


def signed_in(client: FlaskClient, role: str, agency: str | None = None) -> FlaskClient:
    """The client, signed in as a new `role` account (of `agency`, for a manager)."""
    owner = None if agency is None else agency_id(agency)
    create_user(db.session, role, role.title(), "sandi-rahasia", role, system_clock(), owner)
    sign_in(client, role, "sandi-rahasia")
    return client


def workbook(client: FlaskClient, path: str) -> Workbook:
    answer = client.get(path)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in answer.headers["Content-Disposition"]
    content = answer.data
    answer.close()  # the server's temporary file goes with the response
    return load_workbook(io.BytesIO(content), read_only=True)


def test_the_admin_gets_each_services_day_as_json(client: FlaskClient, day: dict) -> None:
    admin = signed_in(client, "admin")
    answer = admin.get(f"/api/v1/reports/performance?{TUESDAY}&group=service&period=day")
    assert answer.status_code == 200
    report = answer.get_json()
    assert (report["group"], report["period"], report["timezone"]) == (
        "service",
        "day",
        "Asia/Jakarta",
    )
    services = {group["code"]: group["total"] for group in report["groups"]}
    assert {code: (t["arrivals"], t["served"], t["no_shows"]) for code, t in services.items()} == {
        "ktp": (3, 1, 0),
        "kk": (1, 0, 1),
        "pkb": (1, 1, 0),
    }
    assert (services["ktp"]["transferred"], services["ktp"]["wait_mean_s"]) == (1, 1290)
    assert (report["total"]["arrivals"], report["total"]["within_target"]) == (4, 0.75)
    assert report["heatmap"]["arrivals"][1][6] == 1  # 06:30 WIB on Tuesday, 23:30 UTC on Monday
    weekly = admin.get(f"/api/v1/reports/performance?{THREE_DAYS}&group=all&period=week")
    assert [(row["label"], row["arrivals"]) for row in weekly.get_json()["trend"]] == [
        ("2026-W48", 6)
    ]


def test_the_performance_workbook_has_the_figures_of_the_json(
    client: FlaskClient, day: dict
) -> None:
    admin = signed_in(client, "admin")
    query = f"{THREE_DAYS}&group=counter&period=day"
    report = admin.get(f"/api/v1/reports/performance?{query}").get_json()
    book = workbook(admin, f"/api/v1/reports/performance.xlsx?{query}")
    assert book.sheetnames == ["Ringkasan", "Peta kedatangan", "Tren kepatuhan", "Filter"]
    summary = list(book["Ringkasan"].iter_rows(values_only=True))
    totals = [row for row in summary if row[2] == "Jumlah"]
    assert [(row[0], row[5], row[6], row[7], row[8]) for row in totals] == [
        (g["name"], g["total"]["arrivals"], g["total"]["served"], g["total"]["no_shows"],
         g["total"]["transferred"])
        for g in report["groups"]
    ]  # fmt: skip
    assert [row[0] for row in totals] == ["Loket 1", "Loket 3", "(tanpa loket)"]
    heatmap = list(book["Peta kedatangan"].iter_rows(values_only=True))
    assert [list(row[1:25]) for row in heatmap[1:8]] == report["heatmap"]["arrivals"]
    filters = {row[0]: row[1] for row in book["Filter"].iter_rows(values_only=True) if len(row) > 1}
    assert (filters["Kelompok"], filters["Periode"]) == ("Loket", "Harian")


def test_the_ikm_workbook_has_the_figures_of_the_ikm_report(client: FlaskClient, day: dict) -> None:
    admin = signed_in(client, "admin")
    [overall] = admin.get(f"/api/v1/reports/ikm?{THREE_DAYS}").get_json()
    book = workbook(admin, f"/api/v1/reports/ikm.xlsx?{THREE_DAYS}&period=month")
    assert book.sheetnames == ["IKM", "Per instansi", "Per layanan", "Per petugas", "Per periode"]
    unit = list(book["IKM"].iter_rows(values_only=True))
    assert unit[2][1] == "23 November 2026 s.d. 25 November 2026"
    assert [round(row[2], 6) for row in unit[6:15]] == [round(v, 6) for v in overall["nrr"]]
    figures = {row[1]: row[4] for row in unit[15:20]}
    assert f"{figures['IKM unit pelayanan (NRR tertimbang × 25)']:.2f}" == overall["ikm"] == "86.11"
    assert (figures["Mutu pelayanan"], figures["Kinerja unit pelayanan"]) == ("B", "Baik")
    officers = admin.get(f"/api/v1/reports/ikm?{THREE_DAYS}&group=officer").get_json()
    rows = list(book["Per petugas"].iter_rows(values_only=True))[6:]
    assert [(row[1], row[2], f"{row[13]:.2f}", row[14]) for row in rows] == [
        (o["name"], o["respondents"], o["ikm"], o["grade"]) for o in officers
    ]
    [month] = list(book["Per periode"].iter_rows(values_only=True))[6:]
    assert (month[0], month[3], f"{month[14]:.2f}") == ("2026-11", 3, "86.11")


def test_an_agencys_manager_sees_only_their_agency(client: FlaskClient, day: dict) -> None:
    manager = signed_in(client, "manager", agency="samsat")
    dukcapil = agency_id("dukcapil")
    report = manager.get(f"/api/v1/reports/performance?{TUESDAY}&agency={dukcapil}").get_json()
    assert report["agency"]["code"] == "samsat"
    assert [(g["code"], g["total"]["arrivals"]) for g in report["groups"]] == [("pkb", 1)]
    book = workbook(manager, f"/api/v1/reports/ikm.xlsx?{TUESDAY}&agency={dukcapil}")
    unit = list(book["IKM"].iter_rows(values_only=True))
    assert unit[1][1] == "Samsat"
    assert [row[1] for row in list(book["Per layanan"].iter_rows(values_only=True))[6:]] == [
        "Pajak Kendaraan"
    ]


def test_the_hall_admin_may_ask_for_one_agency(client: FlaskClient, day: dict) -> None:
    admin = signed_in(client, "admin")
    dukcapil = agency_id("dukcapil")
    report = admin.get(f"/api/v1/reports/performance?{TUESDAY}&group=agency&agency={dukcapil}")
    assert [g["code"] for g in report.get_json()["groups"]] == ["dukcapil"]
    assert admin.get(f"/api/v1/reports/performance?{TUESDAY}&agency=9999").status_code == 404


@pytest.mark.parametrize("path", ["performance", "performance.xlsx", "ikm.xlsx"])
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("from=kemarin", "invalid_dates"),
        ("to=2026-11-24", "invalid_dates"),
        ("from=2026-11-24&to=2026-11-23", "invalid_dates"),
        ("from=2026-01-01&to=2027-12-31", "invalid_dates"),
        ("from=2026-11-24&period=fortnight", "invalid_period"),
        ("from=2026-11-24&agency=satu", "invalid_agency"),
    ],
)
def test_bad_parameters_are_refused_in_the_callers_language(
    client: FlaskClient, path: str, query: str, code: str
) -> None:
    admin = signed_in(client, "admin")
    indonesian = admin.get(f"/api/v1/reports/{path}?{query}")
    english = admin.get(f"/api/v1/reports/{path}?{query}&lang=en")
    assert (indonesian.status_code, english.status_code) == (400, 400)
    assert indonesian.get_json()["error"]["code"] == english.get_json()["error"]["code"] == code
    assert indonesian.get_json()["error"]["message"] != english.get_json()["error"]["message"]


def test_an_unknown_group_is_refused(client: FlaskClient) -> None:
    admin = signed_in(client, "admin")
    for path in ("performance", "performance.xlsx"):
        answer = admin.get(f"/api/v1/reports/{path}?from=2026-11-24&group=planet&lang=en")
        assert answer.status_code == 400
        assert answer.get_json()["error"] == {
            "code": "invalid_group",
            "message": "group must be one of all, agency, service, counter, officer.",
        }


def test_an_officer_gets_no_reports(client: FlaskClient) -> None:
    officer = signed_in(client, "officer")
    for path in ("performance", "performance.xlsx", "ikm.xlsx"):
        assert officer.get(f"/api/v1/reports/{path}?{TUESDAY}").status_code == 403
