// Calls are announced one at a time, in order, and never twice (keyed by call_id).
// Each step is `async (call) => {...}`: show it, chime, (later) speak it, hold it on screen.

const REMEMBERED_CALLS = 500;

export class Announcer {
  constructor(steps) {
    this.steps = steps;
    this.queue = [];
    this.seen = new Set();
    this.running = false;
  }

  /** True while a call is being announced or waits its turn. */
  get busy() {
    return this.running || this.queue.length > 0;
  }

  /** Count a call as already announced (e.g. it was in the snapshot). */
  markSeen(callId) {
    this.seen.add(callId);
    if (this.seen.size > REMEMBERED_CALLS) {
      this.seen.delete(this.seen.values().next().value);
    }
  }

  /** Queue a call unless it was seen before; true when it was queued. */
  announce(call) {
    if (this.seen.has(call.call_id)) return false;
    this.markSeen(call.call_id);
    this.queue.push(call);
    this.drain();
    return true;
  }

  async drain() {
    if (this.running) return;
    this.running = true;
    while (this.queue.length) {
      const call = this.queue.shift();
      for (const step of this.steps) {
        try {
          await step(call);
        } catch (error) {
          console.error("announcement step failed", error);
        }
      }
    }
    this.running = false;
  }
}
