"""The reports as XLSX workbooks, written from the same answers the API gives.

The performance workbook has the summary per group and period, the arrivals heatmap, the
compliance trend and a sheet saying what was asked for. The IKM workbook is laid out as a
KemenPANRB report is: a title, the unit, the period and the regulation, then the nine elements'
averages (NRR), their weighted sum, the index (×25) and the grade with its name, for the unit and
per agency, service, officer and period. Durations are Excel durations, shares are percentages.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from server.domain.calendar import HARI
from server.domain.ikm import ELEMENTS, GRADES

COUNT, SHARE, DURATION, DAY = "0", "0.0%", "[h]:mm:ss", "yyyy-mm-dd"
FIGURE_COLUMNS = (
    ("arrivals", "Kedatangan", COUNT),
    ("served", "Dilayani", COUNT),
    ("no_shows", "Tidak hadir", COUNT),
    ("transferred", "Dialihkan keluar", COUNT),
    ("cancelled", "Dibatalkan", COUNT),
    ("open", "Belum selesai", COUNT),
    ("recalls", "Panggil ulang", COUNT),
    ("called", "Dipanggil", COUNT),
    ("within", "Dipanggil dalam target", COUNT),
    ("within_target", "Kepatuhan target", SHARE),
    ("wait_mean_s", "Tunggu rata-rata", DURATION),
    ("wait_median_s", "Tunggu median", DURATION),
    ("wait_p90_s", "Tunggu P90", DURATION),
    ("service_mean_s", "Layanan rata-rata", DURATION),
    ("service_median_s", "Layanan median", DURATION),
    ("service_p90_s", "Layanan P90", DURATION),
    ("no_show_rate", "Tingkat tidak hadir", SHARE),
)
GROUP_WORDS = {
    "all": "Semua layanan",
    "agency": "Instansi",
    "service": "Layanan",
    "counter": "Loket",
    "officer": "Petugas",
}
PERIOD_WORDS = {"day": "Harian", "week": "Mingguan (Senin–Minggu)", "month": "Bulanan"}
BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
DEFINITIONS = (
    "Kedatangan: nomor yang masuk ke kelompok (diambil, atau dialihkan dari kelompok lain).",
    "Dialihkan keluar: nomor yang dialihkan ke kelompok lain.",
    "Tunggu: dari masuk antrean layanan sampai panggilan pertama di layanan itu.",
    "Kepatuhan target: bagian panggilan yang terjadi dalam target waktu tunggu layanannya.",
    "Tingkat tidak hadir: tidak hadir ÷ (dilayani + tidak hadir).",
    "Semua angka dihitung menurut hari layanan setempat (zona waktu di atas).",
)
IKM_TITLE = "LAPORAN INDEKS KEPUASAN MASYARAKAT (IKM)"
IKM_BASIS = "Peraturan Menteri PANRB Nomor 14 Tahun 2017"
IKM_COLUMNS = (
    "Responden",
    *(code.upper() for code, _name, _en in ELEMENTS),
    "NRR tertimbang",
    "IKM",
    "Mutu",
    "Kinerja",
)
IKM_GROUP_SHEETS = (
    ("agency", "Per instansi"),
    ("service", "Per layanan"),
    ("officer", "Per petugas"),
)
BOLD = Font(bold=True)
CENT = Decimal("0.01")


def write_report_xlsx(report: dict[str, Any], path: Path) -> None:
    """The performance report: summary, arrivals heatmap, compliance trend, and its filters."""
    book = Workbook(write_only=True)
    _summary_sheet(book, report)
    _heatmap_sheet(book, report)
    _trend_sheet(book, report)
    _filter_sheet(book, report)
    book.save(path)


def write_ikm_xlsx(ikm: dict[str, Any], path: Path) -> None:
    """The IKM report: the unit's index by element, then per agency, service, officer, period."""
    book = Workbook(write_only=True)
    _ikm_unit_sheet(book, ikm)
    for group, title in IKM_GROUP_SHEETS:
        sheet = _ikm_sheet(book, ikm, title, ("No", "Nama", *IKM_COLUMNS))
        for number, row in enumerate(ikm["groups"][group], start=1):
            sheet.append([number, row["name"], *_ikm_cells(sheet, row)])
    sheet = _ikm_sheet(book, ikm, "Per periode", ("Periode", "Dari", "Sampai", *IKM_COLUMNS))
    for row in ikm["by_period"]:
        sheet.append([row["label"], *_days(sheet, row), *_ikm_cells(sheet, row)])
    book.save(path)


# --- the performance workbook -------------------------------------------------------------


def _summary_sheet(book: Workbook, report: dict[str, Any]) -> None:
    sheet = _sheet(book, "Ringkasan", ("Kelompok", "Kode", "Periode", "Dari", "Sampai"))
    for group in report["groups"]:
        for row in group["periods"]:
            sheet.append(
                [
                    group["name"],
                    group["code"],
                    row["label"],
                    *_days(sheet, row),
                    *_figures(sheet, row),
                ]
            )
        whole = {"start": report["from"], "end": report["to"]}
        sheet.append(
            [
                _bold(sheet, group["name"]),
                group["code"],
                _bold(sheet, "Jumlah"),
                *_days(sheet, whole),
                *_figures(sheet, group["total"]),
            ]
        )


def _heatmap_sheet(book: Workbook, report: dict[str, Any]) -> None:
    hours = report["heatmap"]["hours"]
    sheet = book.create_sheet("Peta kedatangan")
    sheet.append(_headings(sheet, ("Hari", *(f"{hour:02d}" for hour in hours), "Jumlah")))
    counts = report["heatmap"]["arrivals"]
    for weekday, arrivals in enumerate(counts):
        sheet.append([HARI[weekday], *arrivals, sum(arrivals)])
    per_hour = [sum(day[hour] for day in counts) for hour in hours]
    sheet.append([_bold(sheet, "Jumlah"), *per_hour, sum(per_hour)])


def _trend_sheet(book: Workbook, report: dict[str, Any]) -> None:
    sheet = _sheet(book, "Tren kepatuhan", ("Periode", "Dari", "Sampai"))
    for row in report["trend"]:
        sheet.append([row["label"], *_days(sheet, row), *_figures(sheet, row)])


def _filter_sheet(book: Workbook, report: dict[str, Any]) -> None:
    sheet = book.create_sheet("Filter")
    sheet.column_dimensions["A"].width = 18
    agency = report["agency"]
    for label, value in (
        ("Laporan", "Kinerja pelayanan"),
        ("Unit", report["hall"] if agency is None else agency["name"]),
        ("Instansi", "Semua instansi" if agency is None else agency["name"]),
        ("Dari", date.fromisoformat(report["from"])),
        ("Sampai", date.fromisoformat(report["to"])),
        ("Kelompok", GROUP_WORDS[report["group"]]),
        ("Periode", PERIOD_WORDS[report["period"]]),
        ("Zona waktu", report["timezone"]),
        ("Dibuat", report["generated_at"]),
    ):
        sheet.append(
            [
                _bold(sheet, label),
                _formatted(sheet, value, DAY) if isinstance(value, date) else value,
            ]
        )
    sheet.append([])
    for line in DEFINITIONS:
        sheet.append([line])


def _sheet(book: Workbook, title: str, leading: tuple[str, ...]) -> WriteOnlyWorksheet:
    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["A"].width = 28
    sheet.append(_headings(sheet, (*leading, *(heading for _key, heading, _f in FIGURE_COLUMNS))))
    return sheet


def _figures(sheet: WriteOnlyWorksheet, figures: dict[str, Any]) -> list[Any]:
    cells = []
    for key, _heading, number_format in FIGURE_COLUMNS:
        value = figures[key]
        if value is not None and number_format == DURATION:
            value = timedelta(seconds=value)
        cells.append(_formatted(sheet, value, number_format))
    return cells


def _days(sheet: WriteOnlyWorksheet, row: dict[str, Any]) -> list[WriteOnlyCell]:
    return [_formatted(sheet, date.fromisoformat(row[key]), DAY) for key in ("start", "end")]


# --- the IKM workbook ---------------------------------------------------------------------


def _ikm_unit_sheet(book: Workbook, ikm: dict[str, Any]) -> None:
    sheet = _ikm_sheet(
        book, ikm, "IKM", ("No", "Unsur pelayanan", "NRR per unsur", "Bobot", "NRR tertimbang")
    )
    overall = ikm["overall"]
    if overall is None:
        sheet.append(["", "Belum ada responden pada periode ini."])
        return
    weight = 1 / len(ELEMENTS)
    for number, ((_code, name, _en), nrr) in enumerate(
        zip(ELEMENTS, overall["nrr"], strict=True), start=1
    ):
        sheet.append(
            [
                number,
                name,
                _formatted(sheet, nrr, "0.00"),
                _formatted(sheet, weight, "0.000"),
                _formatted(sheet, nrr * weight, "0.000"),
            ]
        )
    for label, value, number_format in (
        ("Jumlah NRR tertimbang", _weighted(overall), "0.000"),
        ("IKM unit pelayanan (NRR tertimbang × 25)", float(overall["ikm"]), "0.00"),
        ("Mutu pelayanan", overall["grade"], None),
        ("Kinerja unit pelayanan", overall["grade_name"], None),
        ("Jumlah responden", overall["respondents"], COUNT),
    ):
        sheet.append(["", _bold(sheet, label), "", "", _formatted(sheet, value, number_format)])
    sheet.append([])
    sheet.append(["", *_headings(sheet, ("Nilai interval IKM", "Mutu", "Kinerja"))])
    upper = "100,00"
    for lower, grade, name_id, _name_en in GRADES:
        sheet.append(["", f"{str(lower).replace('.', ',')} – {upper}", grade, name_id])
        upper = str(lower - CENT).replace(".", ",")


def _ikm_sheet(
    book: Workbook, ikm: dict[str, Any], title: str, headings: Iterable[str]
) -> WriteOnlyWorksheet:
    sheet = book.create_sheet(title)
    sheet.column_dimensions["B"].width = 40
    agency = ikm["agency"]
    sheet.append([_bold(sheet, IKM_TITLE)])
    sheet.append(["Unit pelayanan", ikm["hall"] if agency is None else agency["name"]])
    sheet.append(["Periode", f"{_tanggal(ikm['from'])} s.d. {_tanggal(ikm['to'])}"])
    sheet.append(["Dasar", IKM_BASIS])
    sheet.append([])
    sheet.append(_headings(sheet, headings))
    return sheet


def _ikm_cells(sheet: WriteOnlyWorksheet, row: dict[str, Any]) -> list[Any]:
    if not row["respondents"]:
        return [0]
    return [
        row["respondents"],
        *(_formatted(sheet, nrr, "0.00") for nrr in row["nrr"]),
        _formatted(sheet, _weighted(row), "0.000"),
        _formatted(sheet, float(row["ikm"]), "0.00"),
        row["grade"],
        row["grade_name"],
    ]


def _weighted(row: dict[str, Any]) -> float:
    """The weighted sum of the elements' averages (1–4), before the ×25."""
    return float(sum(row["nrr"])) / len(ELEMENTS)


def _tanggal(day: str) -> str:
    parsed = date.fromisoformat(day)
    return f"{parsed.day} {BULAN[parsed.month - 1]} {parsed.year}"


# --- cells --------------------------------------------------------------------------------


def _headings(sheet: WriteOnlyWorksheet, headings: Iterable[str]) -> list[WriteOnlyCell]:
    return [_bold(sheet, heading) for heading in headings]


def _bold(sheet: WriteOnlyWorksheet, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = BOLD
    return cell


def _formatted(sheet: WriteOnlyWorksheet, value: Any, number_format: str | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if number_format is not None and value is not None:
        cell.number_format = number_format
    return cell
