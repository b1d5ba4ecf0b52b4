// Calls are announced one at a time, in call order, and never twice (keyed by call_id).
// Each step is `async (call) => {...}`: show it, chime, speak it, hold it on screen.

const REMEMBERED_CALLS = 500;
const MAX_WAITING = 20;

export class Announcer {
  /**
   * When `maxWaiting` calls wait their turn, only the newest call of each counter stays in
   * line; `onDropped(call)` is told of the others (they are shown, not spoken).
   */
  constructor(steps, { maxWaiting = MAX_WAITING, onDropped = () => {} } = {}) {
    this.steps = steps;
    this.maxWaiting = maxWaiting;
    this.onDropped = onDropped;
    this.queue = [];
    this.seen = new Set();
    this.running = false;
  }

  /** True while a call is being announced or waits its turn. */
  get busy() {
    return this.running || this.queue.length > 0;
  }

  /** True when this call was announced, is waiting, or was counted as announced. */
  hasSeen(callId) {
    return this.seen.has(callId);
  }

  /** True while this call waits its turn. */
  isWaiting(callId) {
    return this.queue.some((call) => call.call_id === callId);
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
    const later = this.queue.findIndex((waiting) => waiting.call_id > call.call_id);
    this.queue.splice(later < 0 ? this.queue.length : later, 0, call); // events may overtake
    if (this.queue.length >= this.maxWaiting) this.keepNewestPerCounter();
    this.drain();
    return true;
  }

  keepNewestPerCounter() {
    const newest = new Map(this.queue.map((call) => [call.counter_id, call]));
    const dropped = this.queue.filter((call) => newest.get(call.counter_id) !== call);
    this.queue = this.queue.filter((call) => newest.get(call.counter_id) === call);
    dropped.forEach((call) => this.onDropped(call));
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
