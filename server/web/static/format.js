// Times and durations, shown in the hall's local time (the API gives ISO 8601 with its offset).

const DAYS = {
  id: ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
  en: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
};
const MONTHS = {
  id: [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
  ],
  en: [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
  ],
};

const two = (value) => String(value).padStart(2, "0");

/** Minutes east of UTC in an ISO 8601 string ("+07:00" → 420, "Z" → 0). */
export function offsetMinutes(iso) {
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(iso || "");
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === "-" ? -minutes : minutes;
}

/** The wall-clock time written in an ISO string, Indonesian style: "09.15". */
export function clockText(iso) {
  const match = /T(\d{2}):(\d{2})/.exec(iso || "");
  return match ? `${match[1]}.${match[2]}` : "";
}

/** Seconds as "mm:ss", or "h:mm:ss" past an hour. */
export function duration(seconds) {
  const whole = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = two(whole % 60);
  return hours ? `${hours}:${two(minutes)}:${rest}` : `${two(minutes)}:${rest}`;
}

/** An estimated wait: "± 15 menit"; "-" when unknown (null). */
export function estimateText(seconds, lang = "id") {
  if (seconds === null || seconds === undefined) return "-";
  const unit = lang === "en" ? "min" : "menit";
  if (seconds < 60) return `< 1 ${unit}`;
  return `± ${Math.round(seconds / 60)} ${unit}`;
}

/**
 * The hall's clock, set from a server `now` (ISO with offset): corrects this device's clock
 * and shows the hall's local time whatever the device's own time zone is.
 */
export class HallClock {
  constructor(nowIso) {
    this.sync(nowIso);
  }

  sync(nowIso) {
    const server = Date.parse(nowIso || "");
    /** False until the server's time is known: screens then show no clock rather than a wrong one. */
    this.known = !Number.isNaN(server);
    this.skewMs = this.known ? server - Date.now() : 0;
    this.offset = offsetMinutes(nowIso);
  }

  /** Milliseconds since the epoch, by the server's clock. */
  nowMs() {
    return Date.now() + this.skewMs;
  }

  /** A Date whose UTC fields read as the hall's local wall time. */
  wall() {
    return new Date(this.nowMs() + this.offset * 60000);
  }

  /** "09.15" */
  time() {
    if (!this.known) return "";
    const wall = this.wall();
    return `${two(wall.getUTCHours())}.${two(wall.getUTCMinutes())}`;
  }

  /** "Senin, 23 November 2026" */
  date(lang = "id") {
    if (!this.known) return "";
    const wall = this.wall();
    const words = lang === "en" ? "en" : "id";
    return `${DAYS[words][wall.getUTCDay()]}, ${wall.getUTCDate()} ${
      MONTHS[words][wall.getUTCMonth()]
    } ${wall.getUTCFullYear()}`;
  }

  /** Seconds elapsed since an ISO instant, by the server's clock. */
  since(iso) {
    const at = Date.parse(iso || "");
    return Number.isNaN(at) ? 0 : (this.nowMs() - at) / 1000;
  }
}
