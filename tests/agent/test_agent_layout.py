"""The printed ticket: exact ESC/POS bytes, and a QR code a phone can scan.

The expected bytes live in `tests/agent/golden/*.bin`. After an intended layout change, rewrite
them with `ANTRE_UPDATE_GOLDEN=1 .venv/bin/pytest tests/agent/test_agent_layout.py`, print the new
files on a real printer (`cat tests/agent/golden/ticket-80-id.bin > /dev/usb/lp0`) to look at
them, and commit them with the change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from escpos.printer import Dummy
from PIL import Image
from pyzbar import pyzbar

from kiosk.agent import Paper, parse_job, print_ticket, printer_profile, ticket_paper
from kiosk.agent.layout import fact_row, number_scale

GOLDEN = Path(__file__).parent / "golden"
UPDATE_GOLDEN = os.environ.get("ANTRE_UPDATE_GOLDEN") == "1"
RASTER_IMAGE = b"\x1dv0"


def printed_bytes(payload: dict, paper: Paper) -> bytes:
    """Print a job's ticket on a Dummy printer and return the bytes sent."""
    printer = Dummy(profile=printer_profile(paper))
    print_ticket(printer, parse_job(payload), paper)
    return printer.output


def raster_images(output: bytes) -> list[Image.Image]:
    """Rebuild the images that `GS v 0` raster commands would print, one per command."""
    images = []
    start = output.find(RASTER_IMAGE)
    while start >= 0:
        header = output[start + 3 : start + 8]
        width_bytes = header[1] + 256 * header[2]
        height = header[3] + 256 * header[4]
        data = output[start + 8 : start + 8 + width_bytes * height]
        # ESC/POS sets a bit for a black dot; Pillow's "1" mode sets it for white.
        inverted = bytes(byte ^ 0xFF for byte in data)
        images.append(Image.frombytes("1", (width_bytes * 8, height), inverted))
        start = output.find(RASTER_IMAGE, start + 8 + len(data))
    return images


def printed_page(output: bytes) -> Image.Image:
    """Stack the printed images on white paper, with the blank lines the printer feeds between."""
    images = raster_images(output)
    margin = 24
    width = max(image.width for image in images) + 2 * margin
    height = sum(image.height + margin for image in images) + margin
    page = Image.new("L", (width, height), 255)
    top = margin
    for image in images:
        page.paste(image.convert("L"), (margin, top))
        top += image.height + margin
    return page


@pytest.mark.parametrize(
    ("name", "width_mm", "lang", "special"),
    [
        ("ticket-58-id", 58, "id", False),
        ("ticket-80-id", 80, "id", False),
        ("ticket-80-en-priority-reprint", 80, "en", True),
    ],
)
def test_the_ticket_bytes_match_the_golden_file(make_job, name, width_mm, lang, special):
    payload = make_job(lang=lang, priority=special)
    payload["reprint"] = special
    golden = GOLDEN / f"{name}.bin"

    output = printed_bytes(payload, ticket_paper(width_mm))

    if UPDATE_GOLDEN:
        golden.write_bytes(output)
    assert golden.exists(), f"{golden} is missing; create it with ANTRE_UPDATE_GOLDEN=1"
    assert output == golden.read_bytes(), f"{name} changed; see this module's docstring"


@pytest.mark.parametrize("width_mm", [58, 80])
def test_the_printed_qr_code_scans_as_the_status_url(make_job, width_mm):
    payload = make_job()
    output = printed_bytes(payload, ticket_paper(width_mm))

    codes = pyzbar.decode(printed_page(output))

    assert [(code.type, code.data.decode()) for code in codes] == [
        ("QRCODE", payload["ticket"]["status_url"])
    ]
    assert b"A007" in output


@pytest.mark.parametrize("width_mm", [58, 80])
def test_the_qr_code_fits_the_paper_and_is_centred(make_job, width_mm):
    paper = ticket_paper(width_mm)

    (image,) = raster_images(printed_bytes(make_job(), paper))
    box = image.point(lambda value: 255 - value).getbbox()

    assert image.width == paper.dots
    assert box is not None and box[2] - box[0] <= paper.qr_dots
    assert abs(box[0] - (paper.dots - box[2])) <= 8


def test_the_ticket_shows_the_number_service_and_english_labels(make_job):
    output = printed_bytes(make_job(lang="en", number="B123", ahead=1), ticket_paper(80))

    for text in (b"B123", b"Perekaman KTP-el", b"QUEUE NUMBER", b"1 person", b"9 min"):
        assert text in output
    assert b"NOMOR ANTREAN" not in output


def test_a_ticket_starts_from_a_reset_printer_and_ends_with_a_cut(make_job):
    output = printed_bytes(make_job(), ticket_paper(58))

    assert output.startswith(b"\x1b@")
    assert output.endswith(b"\x1dV\x00")


def test_fact_rows_fill_the_line_or_wrap_the_value():
    assert fact_row("Waktu", "23 Nov 2026 09.15", 32) == "Waktu          23 Nov 2026 09.15\n"
    assert fact_row("Perkiraan tunggu", "1 jam 25 menit", 24) == (
        "Perkiraan tunggu\n          1 jam 25 menit\n"
    )


@pytest.mark.parametrize(
    ("number", "width_mm", "scale"), [("A007", 58, 4), ("A007", 80, 5), ("LONGNUMBER12", 58, 2)]
)
def test_the_number_is_as_large_as_fits_on_one_line(number, width_mm, scale):
    assert number_scale(number, ticket_paper(width_mm)) == scale
