// A short two-tone chime with the Web Audio API. Browsers may keep audio suspended until
// someone clicks the page: then the chime is skipped (never an error) and `onBlocked` says so.

const NOTES = [
  { hz: 659.25, at: 0 }, // E5
  { hz: 523.25, at: 0.42 }, // C5
];
const NOTE_S = 1.1;

export class Chime {
  constructor(onStateChange = () => {}) {
    this.onStateChange = onStateChange;
    try {
      this.context = new AudioContext();
      this.context.addEventListener("statechange", () => this.onStateChange(this.blocked));
    } catch (error) {
      console.warn("no Web Audio here; the display stays silent", error);
      this.context = null;
    }
  }

  /** True when the browser is holding audio back until a user gesture. */
  get blocked() {
    return Boolean(this.context) && this.context.state !== "running";
  }

  /** Try to start audio (call from a click or key press). */
  unlock() {
    if (!this.context) return Promise.resolve();
    return this.context.resume().catch(() => {});
  }

  /** Play the chime; resolves when it has sounded (at once when audio is blocked). */
  play() {
    if (!this.context) return Promise.resolve();
    if (this.blocked) {
      this.unlock();
      this.onStateChange(true);
      return Promise.resolve();
    }
    const start = this.context.currentTime + 0.05;
    NOTES.forEach((note) => this.tone(note.hz, start + note.at));
    const lengthMs = (NOTES[NOTES.length - 1].at + NOTE_S) * 1000;
    return new Promise((resolve) => window.setTimeout(resolve, lengthMs));
  }

  tone(hz, at) {
    const oscillator = this.context.createOscillator();
    const gain = this.context.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = hz;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.5, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + NOTE_S);
    oscillator.connect(gain).connect(this.context.destination);
    oscillator.start(at);
    oscillator.stop(at + NOTE_S + 0.05);
  }
}
