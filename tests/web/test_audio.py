"""The display's audio endpoints."""

import shutil

from flask.testing import FlaskClient

from server.models import User
from server.services import voice
from tests.conftest import counter_id, require, service_id


def make_a_call(client: FlaskClient) -> int:
    client.post("/api/v1/tickets", json={"service_id": service_id("ktp")})
    counter = counter_id("L1")
    client.post(f"/api/v1/counters/{counter}/open")
    client.post(f"/api/v1/counters/{counter}/call-next")
    return client.get(f"/api/v1/counters/{counter}").get_json()["today"][0]["event_id"]


def test_a_call_is_spoken_as_a_wav_that_fits_the_phrase(client: FlaskClient, officer: User) -> None:
    require(
        shutil.which("espeak-ng") is not None,
        "espeak-ng is not installed (apt-get install espeak-ng)",
    )
    call_id = make_a_call(client)
    spoken = client.get(f"/api/v1/calls/{call_id}/audio.wav")
    assert spoken.status_code == 200 and spoken.mimetype == "audio/wav"
    seconds = voice.wav_duration_s(spoken.data)
    assert (
        3.0 < seconds < 12.0
    )  # eight words: "Nomor antrean, a nol nol satu. Silakan menuju loket satu."
    english = client.get(f"/api/v1/calls/{call_id}/audio.wav?lang=en")
    assert english.status_code == 200 and english.data != spoken.data


def test_only_calls_have_audio(client: FlaskClient, officer: User) -> None:
    assert client.get("/api/v1/calls/999/audio.wav").status_code == 404
    client.post("/api/v1/tickets", json={"service_id": service_id("ktp")})
    issued_event = 1
    assert (
        client.get(f"/api/v1/calls/{issued_event}/audio.wav").get_json()["error"]["code"]
        == "call_not_found"
    )


def test_the_chime(display_client: FlaskClient) -> None:
    chime = display_client.get("/api/v1/audio/chime.wav")
    assert chime.status_code == 200 and voice.wav_duration_s(chime.data) > 0.8
