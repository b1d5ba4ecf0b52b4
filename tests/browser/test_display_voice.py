"""The hall display speaks each call once, in order, with the server's voice, and recovers alone.

The display logs what it spoke in a hidden `#announced` list: one item per call, with
`data-call-id` and `data-via` ("server", "browser" or "silent"). Chromium plays the audio for
real (headless, into nothing), so each call takes as long as it sounds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import BrowserContext, Page, Playwright, expect

from tests.browser.screens import TV, issue, pair_browser, wait_until_live
from tests.conftest import (
    CHROMIUM_ARGS,
    ROOT,
    LiveServer,
    require,
    start_live_server,
    stop_live_server,
    wait_until_healthy,
)

pytestmark = [pytest.mark.browser, pytest.mark.live]

LAPTOP = {"width": 1366, "height": 768}
PORTRAIT = {"width": 1080, "height": 1920}
SPEAKING_S = 40  # three spoken calls of about six seconds each, with their chimes


def zone_id(server: LiveServer, zone_code: str) -> int:
    zones = server.api("GET", "/api/v1/hall").json()["zones"]
    return next(zone["id"] for zone in zones if zone["code"] == zone_code)


def open_display(
    context: BrowserContext, server: LiveServer, size: dict[str, int] = TV, zone: str = "z1"
) -> Page:
    """A hall display of one zone, live."""
    display = context.new_page()
    display.set_viewport_size(size)
    display.goto(f"{server.url}/display?zone={zone_id(server, zone)}")
    wait_until_live(display)
    return display


def announced(display: Page) -> list[tuple[int, str]]:
    """What the display has spoken so far: (call_id, via), in order."""
    items = display.locator("#announced li").evaluate_all(
        "items => items.map(item => [Number(item.dataset.callId), item.dataset.via])"
    )
    return [(call_id, via) for call_id, via in items]


def counter_api(
    server: LiveServer, officer: requests.Session, path: str, **json: Any
) -> requests.Response:
    response = officer.post(server.url + path, json=json or None, timeout=10)
    assert response.status_code in (200, 204), response.text
    return response


def take_counter(server: LiveServer, officer: requests.Session, counter_code: str) -> int:
    """Open a counter for this officer with nobody at it; its id."""
    counter_id = server.ids()["counters"][counter_code]
    counter_api(server, officer, f"/api/v1/counters/{counter_id}/open")
    current = officer.get(f"{server.url}/api/v1/counters/{counter_id}", timeout=10).json()
    if current["counter"]["current"] is not None:
        complete(server, officer, current["counter"]["current"])
    return counter_id


def call_next(server: LiveServer, officer: requests.Session, counter_id: int) -> dict[str, Any]:
    return counter_api(server, officer, f"/api/v1/counters/{counter_id}/call-next").json()


def complete(server: LiveServer, officer: requests.Session, ticket: dict[str, Any]) -> None:
    path = f"/api/v1/tickets/{ticket['id']}/complete"
    counter_api(server, officer, path, counter_id=ticket["counter_id"])


def latest_call_ids(server: LiveServer, count: int, zone: str = "z1") -> list[int]:
    """The ids of the zone's last `count` calls, oldest first."""
    path = f"/api/v1/zones/{zone_id(server, zone)}/snapshot"
    snapshot = server.api("GET", path, device="D1").json()
    return [call["call_id"] for call in snapshot["last_calls"][:count]][::-1]


def test_calls_are_spoken_once_each_in_order_by_the_server_voice(
    context: BrowserContext, live_server: LiveServer
) -> None:
    require(shutil.which("espeak-ng") is not None, "espeak-ng is not installed")
    first_officer, second_officer = live_server.officer(1), live_server.officer(2)
    loket_1 = take_counter(live_server, first_officer, "L1")
    loket_2 = take_counter(live_server, second_officer, "L2")
    for _ in range(3):
        issue(live_server, "ktp")
    display = open_display(context, live_server)

    first = call_next(live_server, first_officer, loket_1)
    call_next(live_server, second_officer, loket_2)
    complete(live_server, first_officer, first)
    third = call_next(live_server, first_officer, loket_1)
    calls = latest_call_ids(live_server, 3)

    expect(display.locator("#announced li")).to_have_count(3, timeout=SPEAKING_S * 1000)
    assert announced(display) == [(call_id, "server") for call_id in calls]
    expect(display.locator("#now-number")).to_have_text(third["number"])
    expect(display.locator("#announced")).to_be_hidden()

    display.reload()
    wait_until_live(display)
    expect(display.locator("#now-number")).to_have_text(third["number"])
    display.wait_for_timeout(2_000)
    assert announced(display) == []


def test_after_a_lost_connection_only_calls_still_current_are_spoken(
    context: BrowserContext, live_server: LiveServer
) -> None:
    first_officer, second_officer = live_server.officer(1), live_server.officer(2)
    loket_1 = take_counter(live_server, first_officer, "L1")
    loket_2 = take_counter(live_server, second_officer, "L2")
    issue(live_server, "ktp")
    issue(live_server, "ktp")
    display = open_display(context, live_server, LAPTOP)

    context.set_offline(True)
    expect(display.locator("#live-banner")).to_be_visible()
    served = call_next(live_server, first_officer, loket_1)
    complete(live_server, first_officer, served)  # no longer current: not worth saying
    waiting_for_visitor = call_next(live_server, second_officer, loket_2)
    (still_current,) = latest_call_ids(live_server, 1)
    context.set_offline(False)

    wait_until_live(display)
    expect(display.locator("#now-number")).to_have_text(waiting_for_visitor["number"])
    expect(display.locator("#announced li")).to_have_count(1, timeout=15_000)
    assert announced(display) == [(still_current, "server")]
    expect(display.locator(".last-call")).to_contain_text(
        [waiting_for_visitor["number"], served["number"]]
    )


def test_the_announcer_keeps_call_order_and_caps_its_queue(
    context: BrowserContext, live_server: LiveServer
) -> None:
    page = context.new_page()
    page.goto(f"{live_server.url}/healthz")
    spoken = page.evaluate(
        """async () => {
          const { Announcer } = await import("/display/static/announcer.js");
          const spoken = [];
          let release;
          const gate = new Promise((resolve) => (release = resolve));
          const dropped = [];
          const speak = async (call) => { spoken.push(call.call_id); await gate; };
          const announcer = new Announcer([speak], {
            onDropped: (call) => dropped.push(call.call_id),
          });
          const call = (id) => ({ call_id: id, counter_id: id % 3 });
          announcer.announce(call(1));  // being spoken while the rest arrive
          [3, 2, 2, 1].forEach((id) => announcer.announce(call(id)));  // out of order, twice
          for (let id = 4; id <= 25; id += 1) announcer.announce(call(id));
          release();
          while (announcer.busy) await new Promise((resolve) => setTimeout(resolve, 10));
          return { spoken, dropped: dropped.length };
        }"""
    )
    # Calls 2..21 piled up to 20: only the newest of each counter (19, 20, 21) stayed in line.
    assert spoken == {"spoken": [1, 19, 20, 21, 22, 23, 24, 25], "dropped": 17}


@pytest.mark.parametrize("size", [LAPTOP, PORTRAIT], ids=["1366x768", "1080x1920"])
def test_the_display_fits_the_screen_after_a_call(
    context: BrowserContext, live_server: LiveServer, size: dict[str, int]
) -> None:
    officer = live_server.officer(2)
    loket_2 = take_counter(live_server, officer, "L2")
    issue(live_server, "ktp")
    display = open_display(context, live_server, size)
    ticket = call_next(live_server, officer, loket_2)
    expect(display.locator("#now-number")).to_have_text(ticket["number"])
    expect(display.locator("#now-counter")).to_have_text("Loket 2")
    expect(display.locator(".last-call").first).to_contain_text(ticket["number"])
    overflow = display.evaluate(
        """() => {
          const inside = (node) => {
            const box = node.getBoundingClientRect();
            return box.left >= 0 && box.top >= 0 && box.right <= innerWidth + 1
              && box.bottom <= innerHeight + 1;
          };
          const nodes = ['#now-number', '#now-counter', '.counter-card', '.last-call',
                         '.waiting-row', '#clock'].map((s) => document.querySelector(s));
          return {
            scroll: document.documentElement.scrollWidth > innerWidth
              || document.documentElement.scrollHeight > innerHeight,
            outside: nodes.filter((node) => !node || !inside(node)).map((node) => node?.id
              || node?.className),
          };
        }"""
    )
    assert overflow == {"scroll": False, "outside": []}


def test_a_call_without_server_voice_is_still_shown(
    context: BrowserContext, live_server: LiveServer
) -> None:
    officer = live_server.officer(2)
    loket_2 = take_counter(live_server, officer, "L2")
    issue(live_server, "ktp")
    display = open_display(context, live_server, LAPTOP)
    display.route(
        "**/api/v1/calls/*/audio.wav*",
        lambda route: route.fulfill(
            status=503,
            content_type="application/json",
            body='{"error": {"code": "voice_unavailable", "message": "no voice"}}',
        ),
    )
    ticket = call_next(live_server, officer, loket_2)
    expect(display.locator("#now-number")).to_have_text(ticket["number"])
    expect(display.locator("#announced li")).to_have_count(1, timeout=10_000)
    (call_id,) = latest_call_ids(live_server, 1)
    via = announced(display)[0]
    # This Chromium has no Indonesian voice of its own, so the call is shown without a voice.
    has_voice = display.evaluate(
        "speechSynthesis.getVoices().some(voice => voice.lang.toLowerCase().startsWith('id'))"
    )
    assert via == (call_id, "browser" if has_voice else "silent")


# A browser voice that records what it is asked to say, for a display whose server cannot speak.
FAKE_BROWSER_VOICE = """
window.__said = [];
const voices = [{ lang: "id-ID", name: "Bahasa Indonesia" }, { lang: "en-US", name: "English" }];
Object.defineProperty(window, "speechSynthesis", { value: {
  getVoices: () => voices,
  cancel: () => {},
  speak: (utterance) => {
    window.__said.push([utterance.lang, utterance.text]);
    setTimeout(() => utterance.onend && utterance.onend(), 10);
  },
} });
window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
"""


def test_the_browser_voice_says_the_servers_sentence_in_each_chosen_language(
    context: BrowserContext, live_server: LiveServer
) -> None:
    officer = live_server.officer(2)
    loket_2 = take_counter(live_server, officer, "L2")
    issue(live_server, "ktp")
    context.add_init_script(FAKE_BROWSER_VOICE)
    display = context.new_page()
    display.set_viewport_size(LAPTOP)
    asked: list[str] = []
    display.route(
        "**/api/v1/calls/*/audio.wav*",
        lambda route: (
            asked.append(urlsplit(route.request.url).query),
            route.fulfill(
                status=503,
                content_type="application/json",
                body='{"error": {"code": "voice_unavailable", "message": "no voice"}}',
            ),
        ),
    )
    display.goto(f"{live_server.url}/display?zone={zone_id(live_server, 'z1')}&voice=id,en")
    wait_until_live(display)
    ticket = call_next(live_server, officer, loket_2)
    expect(display.locator("#now-number")).to_have_text(ticket["number"])
    expect(display.locator("#announced li")).to_have_count(1, timeout=10_000)
    (call_id,) = latest_call_ids(live_server, 1)
    assert announced(display) == [(call_id, "browser")]
    assert asked == ["lang=id", "lang=en"]
    said = display.evaluate("window.__said")
    assert [lang for lang, _text in said] == ["id-ID", "en-US"]
    (_lang, indonesian), (_lang2, english) = said
    assert indonesian.startswith("Nomor antrean, a nol nol") and indonesian.endswith("loket dua.")
    assert english.startswith("Number, a zero zero") and english.endswith("go to counter two.")
    assert "nol" in indonesian and "zero" in english


def test_blocked_audio_asks_for_a_click(playwright: Playwright, live_server: LiveServer) -> None:
    chromium = playwright.chromium.launch(
        executable_path=shutil.which("chromium"),
        headless=True,
        args=[arg for arg in CHROMIUM_ARGS if not arg.startswith("--autoplay-policy")]
        + ["--autoplay-policy=document-user-activation-required"],
    )
    try:
        display = chromium.new_page(viewport=LAPTOP)
        pair_browser(display.context, live_server, "D1")
        display.goto(f"{live_server.url}/display?zone={zone_id(live_server, 'z1')}")
        wait_until_live(display)
        hint = display.get_by_role("button", name="Klik untuk mengaktifkan suara")
        expect(hint).to_be_visible()
        hint.click()
        expect(hint).to_be_hidden()
    finally:
        chromium.close()


def restart_on_same_port(server: LiveServer, directory: Path) -> LiveServer:
    """A new server process on the stopped server's port, database and instance folder.

    `server` was started with `start_live_server(directory)`; this launches gunicorn the same way.
    """
    port = str(urlsplit(server.url).port)
    env = {
        **os.environ,
        "ANTRE_DATABASE_URL": server.database_url,
        "ANTRE_PORT": port,
        "ANTRE_INSTANCE_PATH": str(directory / "instance"),  # as start_live_server(directory)
    }
    for name in ("ANTRE_MESSAGE_QUEUE", "ANTRE_LOCAL_AGENT"):
        env.pop(name, None)
    log_path = directory / f"server-{port}-restarted.log"
    command = [sys.executable, "-m", "server.cli", "serve", "--host", "127.0.0.1"]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [*command, "--port", port, "--threads", "64"],
            env=env,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    restarted = LiveServer(server.url, server.database_url, process, log_path, server.tokens)
    try:
        wait_until_healthy(restarted)
    except BaseException:
        stop_live_server(restarted)
        raise
    return restarted


def test_the_display_recovers_when_the_server_restarts(
    context: BrowserContext, tmp_path: Path
) -> None:
    server = start_live_server(tmp_path)
    try:
        pair_browser(context, server, "D1")  # this server's display, not the module's
        display = open_display(context, server, LAPTOP)
        stop_live_server(server)
        expect(display.locator("#live-banner")).to_be_visible()
        server = restart_on_same_port(server, tmp_path)
        officer = server.officer(1)
        loket_1 = take_counter(server, officer, "L1")
        issue(server, "kk")
        ticket = call_next(server, officer, loket_1)
        (call_id,) = latest_call_ids(server, 1)

        wait_until_live(display)
        expect(display.locator("#live-banner")).to_be_hidden()
        expect(display.locator("#now-number")).to_have_text(ticket["number"])
        expect(display.locator("#now-counter")).to_have_text("Loket 1")
        expect(display.locator("#announced li")).to_have_count(1, timeout=15_000)
        assert announced(display) == [(call_id, "server")]
    finally:
        stop_live_server(server)
