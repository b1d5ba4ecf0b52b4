"""Printer URIs, opening printers with messages an officer understands, and printer status."""

from __future__ import annotations

import re
import socket
from datetime import UTC, datetime

import escpos.printer.cups
import escpos.printer.usb
import pytest
from escpos.printer import Dummy, File

from kiosk.agent import PrinterUnavailable, ticket_paper
from kiosk.agent.paper import UnknownProfile
from kiosk.agent.printers import (
    CupsAddress,
    DummyAddress,
    FileAddress,
    NetworkAddress,
    UsbAddress,
    open_printer,
    parse_printer_uri,
    printer_factory,
)
from kiosk.agent.status import read_status

CHECKED_AT = datetime(2026, 11, 23, 2, 15, 4, tzinfo=UTC)


@pytest.mark.parametrize(
    ("uri", "address"),
    [
        ("usb:0x0416:0x5011", UsbAddress(0x0416, 0x5011)),
        ("usb:0416:5011", UsbAddress(0x0416, 0x5011)),
        ("USB:04b8:0e15", UsbAddress(0x04B8, 0x0E15)),
        ("file:/dev/usb/lp0", FileAddress("/dev/usb/lp0")),
        ("file:///dev/usb/lp0", FileAddress("/dev/usb/lp0")),
        ("net:192.168.1.50:9100", NetworkAddress("192.168.1.50", 9100)),
        ("net:printer.hall.local", NetworkAddress("printer.hall.local", 9100)),
        ("net:[fe80::1]:9101", NetworkAddress("fe80::1", 9101)),
        ("cups:TM-T20", CupsAddress("TM-T20")),
        ("dummy:", DummyAddress()),
    ],
)
def test_a_printer_uri_names_its_backend_and_address(uri, address):
    assert parse_printer_uri(uri) == address


@pytest.mark.parametrize(
    "uri",
    ["", "usb:", "usb:0416", "usb:zzzz:5011", "usb:0:5011", "usb:10000:5011", "usb:0416:5011:1",
     "file:", "net:", "net:host:port", "net:host:70000", "cups:", "lpt:1", "/dev/usb/lp0"],
)  # fmt: skip
def test_a_malformed_uri_is_refused_with_examples(uri):
    with pytest.raises(PrinterUnavailable, match=r"is not valid; use e\.g\. usb:0416:5011"):
        parse_printer_uri(uri)


def test_a_malformed_uri_is_refused_before_any_job():
    with pytest.raises(PrinterUnavailable):
        printer_factory("usb:printer", ticket_paper(80))


def test_usb_without_pyusb_says_which_package_to_install(monkeypatch):
    monkeypatch.setattr(escpos.printer.usb, "_DEP_USB", False)

    with pytest.raises(
        PrinterUnavailable, match=r"needs the pyusb package: run `pip install pyusb`"
    ):
        open_printer(parse_printer_uri("usb:0416:5011"), ticket_paper(58))


def test_cups_without_pycups_says_which_package_to_install(monkeypatch):
    monkeypatch.setattr(escpos.printer.cups, "_DEP_PYCUPS", False)

    with pytest.raises(PrinterUnavailable, match=r"needs the pycups package"):
        open_printer(parse_printer_uri("cups:TM-T20"), ticket_paper(58))


def test_a_missing_device_file_says_where_it_looked(tmp_path):
    factory = printer_factory(f"file:{tmp_path}/usb/lp0", ticket_paper(58))

    with pytest.raises(PrinterUnavailable) as refusal:
        factory()

    assert str(refusal.value) == (
        f"printer not found at file:{tmp_path}/usb/lp0 — check the cable and the device "
        "(`ls /dev/usb/`)"
    )


# python-escpos 3.1's Network.open drops its socket without closing it when connect() fails.
@pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning")
def test_a_network_printer_that_refuses_says_to_check_the_network():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        port = listener.getsockname()[1]
    factory = printer_factory(f"net:127.0.0.1:{port}", ticket_paper(80), timeout_s=2)

    with pytest.raises(
        PrinterUnavailable, match=re.escape(f"not reachable at net:127.0.0.1:{port}")
    ):
        factory()


def test_a_device_file_that_appears_is_printed_to(tmp_path):
    device = tmp_path / "lp0"
    device.touch()

    printer = printer_factory(f"file:{device}", ticket_paper(58))()
    printer.textln("A007")
    printer.close()

    assert isinstance(printer, File)
    assert b"A007\n" in device.read_bytes()


def test_the_dummy_printer_knows_the_papers_width():
    printer = printer_factory("dummy:", ticket_paper(58))()

    assert isinstance(printer, Dummy)
    assert printer.profile.profile_data["media"]["width"]["pixels"] == 384


def test_the_paper_is_narrowed_to_what_a_known_printer_model_prints():
    paper = ticket_paper(80, "TM-T88V")

    assert (paper.dots, paper.columns, paper.profile) == (512, 42, "TM-T88V")
    assert (ticket_paper(58, "TM-T88V").dots, ticket_paper(80).dots) == (384, 576)


def test_an_unknown_printer_profile_is_refused_with_examples():
    with pytest.raises(UnknownProfile, match=r"unknown printer profile 'TM-X1'; .* e\.g\. default"):
        ticket_paper(80, "TM-X1")


def test_a_backend_that_cannot_read_reports_paper_unknown():
    status = read_status(Dummy(), CHECKED_AT)

    assert (status.online, status.paper, status.error) == (True, "unknown", None)


@pytest.mark.parametrize(
    ("paper_byte", "level"),
    [(0x12, "ok"), (0x1E, "near_end"), (0x72, "out")],
)
def test_a_printer_that_answers_reports_its_paper_level(sensing_printer, paper_byte, level):
    sensing_printer.paper_byte = paper_byte

    status = read_status(sensing_printer, CHECKED_AT)

    assert (status.online, status.paper) == (True, level)
    assert sensing_printer.output == b""


def test_a_printer_that_does_not_answer_status_queries_is_still_used(paper):
    class Silent(Dummy):
        def _read(self):
            raise TimeoutError("Operation timed out")

    status = read_status(Silent(), CHECKED_AT)

    assert (status.online, status.paper, status.refuses_jobs) == (True, "unknown", False)
    assert status.error == "printer did not answer the status query (Operation timed out)"


def test_the_status_payload_is_v1_with_a_utc_time():
    status = read_status(Dummy(), datetime.fromisoformat("2026-11-23T09:15:04+07:00"))

    assert status.payload() == {
        "v": 1,
        "online": True,
        "paper": "unknown",
        "error": None,
        "checked_at": "2026-11-23T02:15:04Z",
    }
