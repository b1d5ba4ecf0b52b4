"""Open a python-escpos printer from a printer URI: usb:, file:, net:, cups: or dummy:.

Nothing here touches hardware until `open_printer` is called.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from escpos.escpos import Escpos
from escpos.printer import CupsPrinter, Dummy, File, Network, Usb

from kiosk.agent.paper import Paper, printer_profile

DEFAULT_NETWORK_PORT = 9100
URI_EXAMPLES = "usb:0416:5011, file:/dev/usb/lp0, net:192.168.1.50:9100, cups:NAME or dummy:"


class PrinterUnavailable(RuntimeError):
    """The configured printer cannot be used; the message tells an officer what to check."""


@dataclass(frozen=True)
class UsbAddress:
    """A USB printer by vendor and product id, as `lsusb` shows them."""

    vendor_id: int
    product_id: int


@dataclass(frozen=True)
class FileAddress:
    """A printer device file such as /dev/usb/lp0 (Linux usblp driver)."""

    path: str


@dataclass(frozen=True)
class NetworkAddress:
    """A network printer's raw TCP port (usually 9100)."""

    host: str
    port: int


@dataclass(frozen=True)
class CupsAddress:
    """A printer queue of the local CUPS server, printed to as raw ESC/POS."""

    name: str


@dataclass(frozen=True)
class DummyAddress:
    """No printer: the bytes are kept in memory (for trying the agent out)."""


PrinterAddress = UsbAddress | FileAddress | NetworkAddress | CupsAddress | DummyAddress
PrinterFactory = Callable[[], Escpos]


def parse_printer_uri(uri: str) -> PrinterAddress:
    """Read a printer URI such as `usb:0x0416:0x5011` or `net:10.0.0.5`; refuse malformed ones."""
    scheme, _, rest = uri.strip().partition(":")
    readers: dict[str, Callable[[str], PrinterAddress | None]] = {
        "usb": _usb_address,
        "file": _file_address,
        "net": _network_address,
        "cups": _cups_address,
        "dummy": lambda rest: DummyAddress(),
    }
    reader = readers.get(scheme.lower())
    address = reader(rest) if reader else None
    if address is None:
        raise PrinterUnavailable(f"printer URI {uri!r} is not valid; use e.g. {URI_EXAMPLES}")
    return address


def _usb_address(rest: str) -> UsbAddress | None:
    """Read `VID:PID` in hexadecimal, with or without `0x`."""
    ids = rest.split(":")
    if len(ids) != 2:
        return None
    try:
        vendor_id, product_id = (int(part, 16) for part in ids)
    except ValueError:
        return None
    if not (0 < vendor_id <= 0xFFFF and 0 < product_id <= 0xFFFF):
        return None
    return UsbAddress(vendor_id, product_id)


def _file_address(rest: str) -> FileAddress | None:
    """Read a device path; `file:///dev/usb/lp0` is accepted too."""
    path = "/" + rest.lstrip("/") if rest.startswith("/") else rest
    return FileAddress(path) if path.strip() else None


def _network_address(rest: str) -> NetworkAddress | None:
    """Read `HOST[:PORT]`, an IPv6 host in brackets."""
    try:
        parts = urlsplit(f"//{rest}")
        port = parts.port or DEFAULT_NETWORK_PORT
    except ValueError:
        return None
    return NetworkAddress(parts.hostname, port) if parts.hostname else None


def _cups_address(rest: str) -> CupsAddress | None:
    """Read a CUPS queue name."""
    return CupsAddress(rest) if rest.strip() else None


def printer_uri(address: PrinterAddress) -> str:
    """Write an address back as the URI an officer configured."""
    if isinstance(address, UsbAddress):
        return f"usb:{address.vendor_id:04x}:{address.product_id:04x}"
    if isinstance(address, FileAddress):
        return f"file:{address.path}"
    if isinstance(address, NetworkAddress):
        return f"net:{address.host}:{address.port}"
    if isinstance(address, CupsAddress):
        return f"cups:{address.name}"
    return "dummy:"


def printer_factory(uri: str, paper: Paper, timeout_s: float = 10.0) -> PrinterFactory:
    """Check a printer URI now and return a function that opens that printer when called."""
    address = parse_printer_uri(uri)
    return lambda: open_printer(address, paper, timeout_s)


def open_printer(address: PrinterAddress, paper: Paper, timeout_s: float = 10.0) -> Escpos:
    """Open the printer at an address, or raise `PrinterUnavailable` saying what to check."""
    _check_dependency(address)
    try:
        printer = _build(address, paper, timeout_s)
        printer.open()
    except Exception as error:  # python-escpos's backends raise many unrelated types
        raise _unavailable(address, error) from error
    return printer


def _build(address: PrinterAddress, paper: Paper, timeout_s: float) -> Escpos:
    """Build the python-escpos printer for an address, without opening it."""
    profile = printer_profile(paper)
    if isinstance(address, UsbAddress):
        milliseconds = int(timeout_s * 1000)
        return Usb(address.vendor_id, address.product_id, timeout=milliseconds, profile=profile)
    if isinstance(address, FileAddress):
        return File(address.path, profile=profile)
    if isinstance(address, NetworkAddress):
        return Network(address.host, address.port, timeout=timeout_s, profile=profile)
    if isinstance(address, CupsAddress):
        return CupsPrinter(address.name, profile=profile)
    return Dummy(profile=profile)


def _check_dependency(address: PrinterAddress) -> None:
    """Explain which package to install when a backend's optional dependency is missing."""
    if isinstance(address, UsbAddress) and not Usb.is_usable():
        raise PrinterUnavailable(
            "USB printing needs the pyusb package: run `pip install pyusb` in the agent's "
            "virtualenv (and `apt install libusb-1.0-0`), or use file:/dev/usb/lp0"
        )
    if isinstance(address, CupsAddress) and not CupsPrinter.is_usable():
        raise PrinterUnavailable(
            "CUPS printing needs the pycups package: run `apt install libcups2-dev` and then "
            "`pip install pycups` in the agent's virtualenv"
        )


def _unavailable(address: PrinterAddress, error: BaseException) -> PrinterUnavailable:
    """Turn a backend's error into one message an officer can act on."""
    uri = printer_uri(address)
    if _is_permission_problem(error):
        return PrinterUnavailable(
            f"no permission to use the printer at {uri} — add the udev rule from "
            "kiosk/agent/README.md and put the kiosk user in the `lp` group"
        )
    if type(error).__name__ == "NoBackendError":  # pyusb is installed but libusb is not
        return PrinterUnavailable("USB printing needs libusb: run `apt install libusb-1.0-0`")
    return PrinterUnavailable(_not_found(address, uri, error))


def _not_found(address: PrinterAddress, uri: str, error: BaseException) -> str:
    """Say where the printer was looked for and what to check."""
    if isinstance(address, UsbAddress):
        return f"printer not found at {uri} — check the cable and `lsusb`"
    if isinstance(address, FileAddress):
        return f"printer not found at {uri} — check the cable and the device (`ls /dev/usb/`)"
    if isinstance(address, NetworkAddress):
        return f"printer not reachable at {uri} — check the network cable and the printer's IP"
    if isinstance(address, CupsAddress):
        return f"CUPS printer {address.name!r} not found — check `lpstat -p`"
    return f"cannot open the printer at {uri}: {error}"


def _is_permission_problem(error: BaseException | None) -> bool:
    """Tell whether an error, or one it was raised from, is a permission denial."""
    while error is not None:
        if isinstance(error, PermissionError) or getattr(error, "errno", None) in (
            errno.EACCES,
            errno.EPERM,
        ):
            return True
        error = error.__cause__ or error.__context__
    return False


def hands_over_on_close(printer: Escpos) -> bool:
    """Tell whether a printer only submits its job when closed (CUPS) and must then be reopened."""
    return isinstance(printer, CupsPrinter)
