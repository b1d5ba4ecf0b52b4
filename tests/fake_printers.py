"""Fake ESC/POS printers for tests: python-escpos Dummy printers that misbehave like real ones."""

from __future__ import annotations

import threading
from typing import Any

from escpos.constants import RT_STATUS_ONLINE, RT_STATUS_PAPER
from escpos.exceptions import DeviceNotFoundError
from escpos.printer import Dummy


class SensingPrinter(Dummy):
    """A printer that answers real-time status queries like an Epson does, with a paper sensor."""

    ONLINE = 0x16
    PAPER_OK = 0x12
    PAPER_NEAR_END = 0x1E
    PAPER_OUT = 0x72

    def __init__(self, paper_byte: int = PAPER_OK, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.paper_byte = paper_byte
        self._query = b""

    def _raw(self, msg: bytes) -> None:
        """Take status queries as the printer does (answered, not printed); keep the rest."""
        if msg in (RT_STATUS_ONLINE, RT_STATUS_PAPER):
            self._query = msg
            return
        super()._raw(msg)

    def _read(self) -> bytes:
        """Answer the last status query."""
        return bytes([self.ONLINE if self._query == RT_STATUS_ONLINE else self.paper_byte])


class UnpluggedPrinter(Dummy):
    """A printer that cannot be opened while its cable is out."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plugged = False

    def open(self) -> None:
        """Fail like python-escpos's Usb printer when the device is not on the bus."""
        if not self.plugged:
            raise DeviceNotFoundError("Unable to open USB printer on (1046, 20497)")


class StuckPrinter(Dummy):
    """A printer whose writes block until the test releases it (a jammed printer)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.released = threading.Event()

    def _raw(self, msg: bytes) -> None:
        """Block until released; give up after a while so that no test thread is left behind."""
        if not self.released.wait(timeout=10):
            raise TimeoutError("the test never released the printer")
        super()._raw(msg)
