// Real time on the `/live` namespace: subscribe to rooms, reload the snapshot on every
// (re)connect and when the hall's set-up changed (`hall_changed`), then apply events in the
// order they came. Never poll for calls.

import { io } from "/vendor/socket.io.esm.min.js";

const ROOMS_PER_SUBSCRIBE = 16;
const ACK_TIMEOUT_MS = 5000;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 15000;
const HALL_CHANGED_SPREAD_MS = 3000; // screens reload at random moments, not all at once

const sleep = (ms) => new Promise((resolve) => window.setTimeout(resolve, ms));

/** Join rooms, 16 at a time (the server's limit); resolves with the rooms joined. */
export async function subscribe(socket, rooms) {
  const joined = [];
  for (let start = 0; start < rooms.length; start += ROOMS_PER_SUBSCRIBE) {
    const batch = rooms.slice(start, start + ROOMS_PER_SUBSCRIBE);
    const ack = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("subscribe", { rooms: batch });
    if (ack && ack.ok) joined.push(...ack.rooms);
    else console.error("subscribe refused", batch, ack && ack.error);
  }
  return joined;
}

async function reloadUntilDone(reload, stillWanted) {
  let delay = RETRY_FIRST_MS;
  while (stillWanted()) {
    try {
      await reload();
      return true;
    } catch (error) {
      console.warn("snapshot failed; retrying", error);
    }
    await sleep(delay);
    delay = Math.min(delay * 2, RETRY_MAX_MS);
  }
  return false;
}

/**
 * Follow the hall live.
 * - `rooms()`: the rooms to join, asked again on every connect;
 * - `reload()`: async, loads and applies the screen's snapshot; runs after every (re)connect;
 * - `events`: `{ticket_called(payload) {...}, ...}`; events that arrive while the snapshot
 *   loads are held and applied after it, in order;
 * - `onStatus(state)`: "syncing", "online" or "offline".
 */
export function followLive({ rooms, reload, events, onStatus = () => {} }) {
  const socket = io("/live", {
    transports: ["websocket", "polling"],
    tryAllTransports: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
  let synced = false;
  let held = [];
  let generation = 0;

  function apply(name, payload) {
    try {
      events[name](payload);
    } catch (error) {
      console.error(`${name} handler failed`, error);
    }
  }

  Object.keys(events).forEach((name) => {
    socket.on(name, (payload) => (synced ? apply(name, payload) : held.push([name, payload])));
  });

  async function sync() {
    const connection = ++generation;
    const current = () => connection === generation && socket.connected;
    synced = false;
    held = [];
    onStatus("syncing");
    try {
      await subscribe(socket, rooms());
    } catch (error) {
      console.warn("no answer to subscribe; reconnecting", error);
      if (current()) socket.disconnect().connect();
      return;
    }
    if (!(await reloadUntilDone(reload, current))) return;
    synced = true;
    const queued = held;
    held = [];
    queued.forEach(([name, payload]) => apply(name, payload));
    onStatus("online");
  }

  socket.on("connect", sync);
  socket.on("hall_changed", () => {
    window.setTimeout(() => socket.connected && sync(), Math.random() * HALL_CHANGED_SPREAD_MS);
  });
  socket.on("disconnect", () => {
    generation += 1;
    synced = false;
    onStatus("offline");
  });
  socket.on("connect_error", () => onStatus("offline"));

  return {
    socket,
    /** Join more rooms now (they must also be in `rooms()` to survive a reconnect). */
    subscribe: (more) => (socket.connected ? subscribe(socket, more) : Promise.resolve([])),
  };
}

/**
 * Show `banner` while the socket is down. The body's `data-live` says the state
 * ("syncing", "online", "offline") and `is-offline` lets a screen dim itself.
 */
export function offlineBanner(banner) {
  return (state) => {
    document.body.dataset.live = state;
    if (state === "syncing") return;
    const offline = state === "offline";
    banner.hidden = !offline;
    document.body.classList.toggle("is-offline", offline);
  };
}
