// The display's voice: the server's chime, then the server's spoken call (WAV). When the server
// cannot speak (503, network) the browser's own `id-ID` voice says the call; when that is not
// there either, the call is only shown. A browser that holds audio back until someone clicks
// the page is reported through `onBlocked(true)`.

const CHIME_URL = "/api/v1/audio/chime.wav";
const CHIME_MAX_MS = 5_000;
const SPEECH_MAX_MS = 20_000; // a stalled clip never holds up the calls behind it
const LETTERS_ID = "a be ce de e ef ge ha i je ka el em en o pe ki er es te u fe we eks ye zet".split(" ");
const DIGITS_ID = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"];
const ONES_ID = [...DIGITS_ID, "sepuluh", "sebelas"];

/** Indonesian number words: 3 → "tiga", 12 → "dua belas", 105 → "seratus lima". */
export function numberWords(value) {
  const tail = (rest) => (rest ? ` ${numberWords(rest)}` : "");
  if (value < 12) return ONES_ID[value];
  if (value < 20) return `${ONES_ID[value - 10]} belas`;
  if (value < 100) return `${ONES_ID[Math.floor(value / 10)]} puluh${tail(value % 10)}`;
  if (value < 200) return `seratus${tail(value - 100)}`;
  if (value < 1000) return `${ONES_ID[Math.floor(value / 100)]} ratus${tail(value % 100)}`;
  if (value < 2000) return `seribu${tail(value - 1000)}`;
  if (value < 1_000_000) return `${numberWords(Math.floor(value / 1000))} ribu${tail(value % 1000)}`;
  return String(value);
}

/** The call as the server says it: "Nomor antrean, a nol nol tujuh. Silakan menuju loket tiga." */
export function spokenCall(number, counterName) {
  const ticket = (number.match(/[A-Za-z]+|\d+/g) ?? []).flatMap((part) =>
    /\d/.test(part)
      ? [...part].map((digit) => DIGITS_ID[Number(digit)])
      : [...part.toUpperCase()].map((letter) => LETTERS_ID[letter.charCodeAt(0) - 65] ?? ""),
  );
  const counter = (counterName.match(/[A-Za-z]+|\d+/g) ?? []).map((part) =>
    /\d/.test(part) ? numberWords(Number(part)) : part.toLowerCase(),
  );
  return `Nomor antrean, ${ticket.join(" ")}. Silakan menuju ${counter.join(" ")}.`;
}

/** Play a clip to its end: "ended", "failed" (no such audio, stalled) or "blocked" (autoplay). */
function playClip(audio, maxMs) {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome) => {
      if (settled) return;
      settled = true;
      window.clearTimeout(timer);
      audio.removeEventListener("ended", onEnded);
      audio.removeEventListener("error", onError);
      if (outcome !== "ended") audio.pause();
      resolve(outcome);
    };
    const onEnded = () => finish("ended");
    const onError = () => finish("failed");
    const timer = window.setTimeout(() => finish(audio.currentTime > 0 ? "ended" : "failed"), maxMs);
    audio.addEventListener("ended", onEnded);
    audio.addEventListener("error", onError);
    if (audio.error) {
      finish("failed");
      return;
    }
    audio.play().catch((error) => finish(error?.name === "NotAllowedError" ? "blocked" : "failed"));
  });
}

function indonesianVoice() {
  const voices = window.speechSynthesis?.getVoices() ?? [];
  return voices.find((voice) => voice.lang.replace("_", "-").toLowerCase().startsWith("id")) ?? null;
}

/** Say `text` with the browser's Indonesian voice; false when there is none or it failed. */
function speakInBrowser(text) {
  const voice = indonesianVoice();
  if (!voice) return Promise.resolve(false);
  return new Promise((resolve) => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = 0.9;
    const timer = window.setTimeout(() => {
      window.speechSynthesis.cancel();
      resolve(false);
    }, SPEECH_MAX_MS);
    utterance.onend = () => {
      window.clearTimeout(timer);
      resolve(true);
    };
    utterance.onerror = () => {
      window.clearTimeout(timer);
      resolve(false);
    };
    window.speechSynthesis.speak(utterance);
  });
}

export class Voice {
  /** `fallbackChime` is the Web Audio chime, used when the server's chime cannot play. */
  constructor(fallbackChime, onBlocked = () => {}) {
    this.fallbackChime = fallbackChime;
    this.onBlocked = onBlocked;
    window.speechSynthesis?.getVoices(); // browsers load their voices on first ask
  }

  /** Start loading a call's audio while it is shown and the chime plays. */
  prepare(call) {
    const audio = new Audio();
    audio.preload = "auto";
    audio.src = `/api/v1/calls/${encodeURIComponent(call.call_id)}/audio.wav?lang=id`;
    return audio;
  }

  /** The chime before a call. */
  async chime() {
    const outcome = await this.play(new Audio(CHIME_URL), CHIME_MAX_MS);
    if (outcome === "failed") await this.fallbackChime.play();
  }

  /** Speak a call; resolves with how: "server", "browser" or "silent". */
  async speak(call, audio = this.prepare(call)) {
    if ((await this.play(audio, SPEECH_MAX_MS)) === "ended") return "server";
    if (await speakInBrowser(spokenCall(call.number, call.counter))) return "browser";
    return "silent";
  }

  async play(audio, maxMs) {
    const outcome = await playClip(audio, maxMs);
    if (outcome === "blocked") this.onBlocked(true);
    else if (outcome === "ended") this.onBlocked(false);
    return outcome;
  }
}
