"""The v1 `print_ticket` job format, as the server and the agent agree on it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.agent import JobError, parse_job
from kiosk.agent.job import job_id_of

REQUIRED_FIELDS = [
    "v",
    "job_id",
    "hall",
    "hall.name",
    "ticket",
    "ticket.number",
    "ticket.service",
    "ticket.issued_at",
    "ticket.ahead",
    "ticket.status_url",
]


def without(payload: dict[str, Any], field: str) -> dict[str, Any]:
    """Return the payload with one dotted field removed."""
    *sections, key = field.split(".")
    holder = payload
    for section in sections:
        holder = holder[section]
    del holder[key]
    return payload


def test_a_valid_payload_becomes_a_job(make_job):
    job = parse_job(make_job())

    assert job.job_id == "j-8f3a0c2e"
    assert job.lang == "id"
    assert job.reprint is False
    assert job.hall.name == "Mal Pelayanan Publik Kota Contoh"
    assert job.hall.footer == "Terima kasih. Simpan struk ini."
    assert job.ticket.number == "A007"
    assert (job.ticket.service, job.ticket.agency) == ("Perekaman KTP-el", "Dukcapil")
    assert job.ticket.issued_at.utcoffset() == timedelta(hours=7)
    assert (job.ticket.issued_at.hour, job.ticket.issued_at.minute) == (9, 15)
    assert job.ticket.ahead == 3
    assert job.ticket.estimated_wait_s == 540
    assert job.ticket.priority is False
    assert job.ticket.status_url.startswith("http://hall.local:5000/t/")


@pytest.mark.parametrize("field", REQUIRED_FIELDS)
def test_a_missing_required_field_is_refused_by_name(make_job, field):
    with pytest.raises(JobError) as refusal:
        parse_job(without(make_job(), field))

    assert refusal.value.field == field
    assert str(refusal.value).startswith(f"{field}: missing")


def test_optional_fields_take_their_defaults(make_job):
    payload = make_job()
    for field in ("lang", "reprint", "hall.footer", "ticket.agency", "ticket.priority"):
        without(payload, field)
    del payload["ticket"]["estimated_wait_s"]

    job = parse_job(payload)

    assert (job.lang, job.reprint, job.hall.footer) == ("id", False, "")
    assert (job.ticket.agency, job.ticket.priority, job.ticket.estimated_wait_s) == (
        "",
        False,
        None,
    )


def test_an_unknown_wait_is_null(make_job):
    assert parse_job(make_job(estimated_wait_s=None)).ticket.estimated_wait_s is None


def test_unknown_extra_keys_are_ignored(make_job):
    payload = make_job()
    payload["printer_hint"] = "TM-T20"
    payload["hall"]["logo"] = "data:image/png;base64,..."
    payload["ticket"]["counter_id"] = 4

    assert parse_job(payload) == parse_job(make_job())


@pytest.mark.parametrize("version", [2, 0, "1", 1.0, True, None])
def test_any_version_but_1_is_refused(make_job, version):
    payload = make_job()
    payload["v"] = version

    with pytest.raises(JobError, match=r"^v: .*this agent understands v=1"):
        parse_job(payload)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("number", ""),
        ("number", 7),
        ("number", "A" * 17),
        ("service", "   "),
        ("ahead", -1),
        ("ahead", "3"),
        ("ahead", True),
        ("estimated_wait_s", "540"),
        ("estimated_wait_s", -5),
        ("estimated_wait_s", float("nan")),
        ("issued_at", "23/11/2026 09:15"),
        ("issued_at", "2026-11-23T09:15:04"),
        ("issued_at", 1795400104),
        ("status_url", "/t/Zk3"),
        ("status_url", "javascript:alert(1)"),
        ("status_url", "http://hall.local/t/a b"),
        ("status_url", "http://hall.local/t/" + "x" * 400),
        ("priority", "yes"),
    ],
)
def test_an_invalid_ticket_field_is_refused_by_name(make_job, field, value):
    with pytest.raises(JobError) as refusal:
        parse_job(make_job(**{field: value}))

    assert refusal.value.field == f"ticket.{field}"


@pytest.mark.parametrize("payload", [None, [], "job", 1])
def test_a_payload_that_is_not_an_object_is_refused(payload):
    with pytest.raises(JobError, match=r"^payload: "):
        parse_job(payload)


def test_english_is_chosen_by_lang_and_anything_else_prints_indonesian(make_job):
    assert parse_job(make_job(lang="en")).lang == "en"
    assert parse_job(make_job(lang="en-US")).lang == "en"
    assert parse_job(make_job(lang="jv")).lang == "id"


def test_control_characters_never_reach_the_printer(make_job):
    payload = make_job(service="Perekaman\x1b@KTP-el\n")
    payload["hall"]["name"] = "Mal\x1dV\x00 Pelayanan"

    job = parse_job(payload)

    assert job.ticket.service == "Perekaman @KTP-el"
    assert job.hall.name == "Mal V Pelayanan"


def test_the_job_id_of_a_refused_payload_is_still_known(make_job):
    payload = without(make_job(job_id="j-77"), "ticket.number")

    assert job_id_of(payload) == "j-77"
    assert job_id_of({"job_id": 5}) is None
    assert job_id_of("junk") is None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children)
    ),
    max_leaves=12,
)


@given(field=st.sampled_from(REQUIRED_FIELDS[1:]), value=json_values)
def test_any_value_in_any_field_gives_a_job_or_a_job_error(field, value):
    payload = {
        "v": 1,
        "job_id": "j-1",
        "hall": {"name": "Mal"},
        "ticket": {
            "number": "A001",
            "service": "KTP",
            "issued_at": "2026-11-23T09:15:04+07:00",
            "ahead": 0,
            "status_url": "http://hall.local/t/abc",
        },
    }
    *sections, key = field.split(".")
    holder = payload
    for section in sections:
        holder = holder[section]
    holder[key] = value

    try:
        parse_job(payload)
    except JobError as refusal:
        assert refusal.field.split(".")[0] == field.split(".")[0]
