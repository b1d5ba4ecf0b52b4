// The display's voice: the server's chime, then the server's spoken call (WAV), in Indonesian
// and, if the display asks (`?voice=id,en`), in English too. When the server cannot speak (503,
// network) the browser's own voice says the sentence the server wrote for the call (its number
// words come from num2words on the server); when there is none, the call is only shown. A
// browser that holds audio back until someone clicks the page is reported through
// `onBlocked(true)`.

const CHIME_URL = "/api/v1/audio/chime.wav";
const CHIME_MAX_MS = 5_000;
const SPEECH_MAX_MS = 20_000; // a stalled clip never holds up the calls behind it
const LANGS = ["id", "en"];

/**
 * The languages this display speaks each call in, from `?voice=`: `id` (the default), `en`, or
 * both in order, `id,en`.
 */
export function voiceLangs(search = window.location.search) {
  const asked = (new URLSearchParams(search).get("voice") ?? "id").split(",");
  const langs = asked.map((lang) => lang.trim().toLowerCase()).filter((lang) => LANGS.includes(lang));
  return langs.length ? [...new Set(langs)] : ["id"];
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

function browserVoice(lang) {
  const voices = window.speechSynthesis?.getVoices() ?? [];
  return voices.find((voice) => voice.lang.replace("_", "-").toLowerCase().startsWith(lang)) ?? null;
}

/** Say `text` with the browser's voice for `lang`; false when there is none or it failed. */
function speakInBrowser(text, lang) {
  const voice = text ? browserVoice(lang) : null;
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
  constructor(fallbackChime, onBlocked = () => {}, langs = voiceLangs()) {
    this.fallbackChime = fallbackChime;
    this.onBlocked = onBlocked;
    this.langs = langs;
    window.speechSynthesis?.getVoices(); // browsers load their voices on first ask
  }

  /** Start loading a call's audio, one clip per language, while it is shown and chimed. */
  prepare(call) {
    return this.langs.map((lang) => {
      const audio = new Audio();
      audio.preload = "auto";
      audio.src = `/api/v1/calls/${encodeURIComponent(call.call_id)}/audio.wav?lang=${lang}`;
      return audio;
    });
  }

  /** The chime before a call. */
  async chime() {
    const outcome = await this.play(new Audio(CHIME_URL), CHIME_MAX_MS);
    if (outcome === "failed") await this.fallbackChime.play();
  }

  /**
   * Speak a call in each of the display's languages; resolves with how the first was said:
   * "server", "browser" (the sentence the server wrote, in the browser's voice) or "silent".
   */
  async speak(call, clips = this.prepare(call)) {
    const ways = [];
    for (const [index, lang] of this.langs.entries()) {
      if ((await this.play(clips[index], SPEECH_MAX_MS)) === "ended") ways.push("server");
      else if (await speakInBrowser(call.spoken?.[lang], lang)) ways.push("browser");
      else ways.push("silent");
    }
    return ways[0];
  }

  async play(audio, maxMs) {
    const outcome = await playClip(audio, maxMs);
    if (outcome === "blocked") this.onBlocked(true);
    else if (outcome === "ended") this.onBlocked(false);
    return outcome;
  }
}
