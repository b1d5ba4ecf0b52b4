// The kiosk's printer, as visitors see it: a banner on the start screen while it cannot print,
// and on the result screen what became of this ticket's print ("Mencetak tiket…", then "take
// your ticket", or a friendly notice to photograph the screen, with "Cetak ulang").

import { ApiError, api } from "/static/api.js";

const REMEMBERED_RESULTS = 20;
const RETRY_MS = 5000;

const byId = (id) => document.getElementById(id);

/** Whether visitors should be told that tickets will not print. */
export function cannotPrint(status) {
  return Boolean(status) && (!status.agent_connected || status.online === false || status.paper === "out");
}

export class KioskPrinter {
  /**
   * `code` is the kiosk's code from `?kiosk=` (null: this kiosk does not print).
   * `onTrouble()` runs when the visitor's ticket did not print; `onReprint()` when they ask
   * for it again. Without a result after `resultWaitS`, the print counts as failed.
   */
  constructor(code, { i18n, resultWaitS = 8, onTrouble = () => {}, onReprint = () => {} }) {
    this.code = code || null;
    this.resultWaitMs = resultWaitS * 1000;
    this.i18n = i18n;
    this.onTrouble = onTrouble;
    this.kiosk = null; // {id, code, name} once known
    this.status = null; // the last printer_status
    this.job = null; // {id, ticketId, state: printing|printed|failed|no_agent}
    this.results = new Map(); // job id → print_result, for results that beat the POST answer
    this.timer = null;
    this.reprinting = false;
    this.refused = false; // the server will not reprint this ticket
    byId("reprint").addEventListener("click", () => onReprint());
  }

  /** The kiosk code to send with a new ticket, or null. */
  get kioskCode() {
    return this.code;
  }

  /** The Socket.IO room of this kiosk's print results and printer states. */
  rooms() {
    return this.kiosk ? [`kiosk:${this.kiosk.id}`] : [];
  }

  get events() {
    return {
      print_result: (result) => this.onResult(result),
      printer_status: (status) => this.onStatus(status),
    };
  }

  /** Load the kiosk and its printer's last state; an unknown kiosk code turns printing off. */
  async load() {
    if (!this.code) return;
    try {
      const status = await api(`/api/v1/kiosks/${encodeURIComponent(this.code)}`);
      this.kiosk = status.kiosk;
      this.onStatus(status);
    } catch (error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
        console.error(`kiosk ${this.code} is unknown to the server; tickets will not be printed`);
        this.code = null;
        this.render();
        return;
      }
      throw error;
    }
  }

  async loadUntilDone() {
    for (;;) {
      try {
        await this.load();
        return;
      } catch (error) {
        console.warn("kiosk printer state not loaded yet", error);
        await new Promise((resolve) => window.setTimeout(resolve, RETRY_MS));
      }
    }
  }

  onStatus(status) {
    this.status = status;
    this.render();
  }

  onResult(result) {
    this.results.set(result.job_id, result);
    if (this.results.size > REMEMBERED_RESULTS) this.results.delete(this.results.keys().next().value);
    if (this.job && this.job.id === result.job_id) this.settle(result.ok ? "printed" : "failed");
  }

  /** Follow the print of a ticket just issued or reprinted (its `print` field). */
  follow(ticket) {
    this.stopTimer();
    const print = this.code ? ticket.print : null;
    if (!print) {
      this.job = null;
      this.render();
      return;
    }
    this.job = { id: print.job_id, ticketId: ticket.id, state: "printing" };
    const early = this.results.get(print.job_id);
    if (print.status === "no_agent") this.settle("no_agent");
    else if (early) this.settle(early.ok ? "printed" : "failed");
    else {
      this.timer = window.setTimeout(() => this.settle("failed"), this.resultWaitMs);
      this.render();
    }
  }

  /** Ask the server to print the ticket again at this kiosk; resolves with the ticket. */
  async reprint(lang) {
    if (!this.job || this.reprinting) return null;
    this.reprinting = true;
    this.render();
    try {
      return await api(`/api/v1/tickets/${this.job.ticketId}/reprint`, {
        method: "POST",
        body: { kiosk: this.code },
        lang,
      });
    } catch (error) {
      console.warn("reprint refused", error);
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) this.refused = true;
      return null;
    } finally {
      this.reprinting = false;
      this.render();
    }
  }

  /** The visitor has gone: forget their ticket. */
  forget() {
    this.stopTimer();
    this.job = null;
    this.refused = false;
    this.render();
  }

  settle(state) {
    if (!this.job) return;
    const before = this.job.state;
    this.stopTimer();
    this.job.state = state;
    this.render();
    if (state !== "printed" && before === "printing") this.onTrouble();
  }

  stopTimer() {
    window.clearTimeout(this.timer);
    this.timer = null;
  }

  render() {
    const { i18n, job } = this;
    const banner = byId("printer-banner");
    banner.hidden = !this.code || !cannotPrint(this.status);
    const output = byId("print-state");
    output.hidden = !job;
    const trouble = Boolean(job) && (job.state === "failed" || job.state === "no_agent");
    const agentThere = this.status?.agent_connected !== false;
    byId("reprint").hidden = !trouble || job.state === "no_agent" || !agentThere || this.refused;
    byId("reprint").disabled = this.reprinting;
    if (!job) return;
    output.dataset.state = trouble ? "trouble" : job.state;
    byId("print-text").textContent = i18n.t(trouble ? "print_trouble" : job.state);
  }
}
