"""Device tokens: who holds one, remembered for a few seconds, and checked again by issuing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.domain.errors import InvalidInput
from server.extensions import db
from server.models import Ticket
from server.services import devices
from server.services.context import Context
from server.services.devices import NotPaired, PairedDevice, device_for_token
from server.services.issuing import issue_ticket
from server.services.recent import Recent
from tests.conftest import pair_device, service_id

pytestmark = pytest.mark.usefixtures("app")


class Seconds:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def holder(recent: Recent[str, PairedDevice], token: str | None) -> PairedDevice | None:
    """The device holding `token`, as a request asks for it."""
    return recent.get(token or "", lambda: device_for_token(db.session, token))


def test_a_checked_token_is_remembered_until_it_is_no_longer_fresh() -> None:
    token, seconds = pair_device("K1"), Seconds()
    recent = Recent(fresh_s=5, clock=seconds)
    kiosk = holder(recent, token)
    assert kiosk is not None and (kiosk.kind, kiosk.code) == ("kiosk", "K1")

    devices.revoke_device(db.session, "K1")  # as another process or the command line would
    seconds.now += 4.9
    assert holder(recent, token) == kiosk
    seconds.now += 0.1
    assert holder(recent, token) is None


def test_a_forgotten_token_is_checked_again_at_once() -> None:
    kiosk_token, display_token = pair_device("K1"), pair_device("D1")
    recent = Recent(fresh_s=60, clock=Seconds())
    assert holder(recent, kiosk_token) is not None
    assert holder(recent, display_token) is not None
    devices.revoke_device(db.session, "K1")
    devices.revoke_device(db.session, "D1")

    recent.forget(kiosk_token)
    assert holder(recent, kiosk_token) is None
    assert holder(recent, display_token) is not None
    recent.forget()
    assert holder(recent, display_token) is None


def test_no_token_is_remembered_when_freshness_is_zero() -> None:
    token = pair_device("K1")
    recent = Recent(fresh_s=0, clock=Seconds())
    assert holder(recent, token) is not None
    devices.revoke_device(db.session, "K1")
    assert holder(recent, token) is None
    assert holder(recent, None) is None and holder(recent, "") is None and not recent.seen


@pytest.mark.parametrize("print_here", [None, "K1"])
def test_a_revoked_kiosk_takes_no_ticket_and_uses_no_number(
    ctx: Context, print_here: str | None
) -> None:
    token = pair_device("K1")
    ktp = service_id("ktp")
    first = issue_ticket(db.session, ctx, ktp, kiosk=print_here, kiosk_token=token)
    devices.revoke_device(db.session, "K1")

    with pytest.raises(NotPaired):
        issue_ticket(db.session, ctx, ktp, kiosk=print_here, kiosk_token=token)
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 1
    later = issue_ticket(db.session, ctx, ktp, kiosk_token=pair_device("K2"))
    assert (first["number"], later["number"]) == ("A001", "A002")


def test_a_kiosk_prints_only_at_itself_whatever_code_it_names(ctx: Context) -> None:
    with pytest.raises(InvalidInput) as refused:
        issue_ticket(db.session, ctx, service_id("ktp"), kiosk="K2", kiosk_token=pair_device("K1"))
    assert refused.value.code == "unknown_kiosk"
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 0
