// Which officer action fits which counter state, and the keys that trigger it.
// `desk` is a counter state from the API: {status: open|break|closed, current: ticket|null}.

export const AT_COUNTER = ["called", "serving"];

const isCalled = (desk) => desk.current?.status === "called";
const atCounter = (desk) => AT_COUNTER.includes(desk.current?.status);
const free = (desk) => desk.status === "open" && !desk.current;

export const RULES = {
  call: { keys: ["enter", "n"], fits: free },
  recall: { keys: ["r"], fits: isCalled },
  start: { keys: ["s"], fits: isCalled },
  complete: { keys: ["c"], fits: atCounter },
  no_show: { keys: ["x"], fits: isCalled },
  transfer: { keys: ["t"], fits: atCounter },
  hold: { keys: ["h"], fits: atCounter },
  pause: { keys: ["b"], fits: (desk) => desk.status !== "open" || !desk.current },
  close: { keys: ["q"], fits: (desk) => desk.status !== "closed" && !desk.current },
  // Buttons in the lists, without a key: call one waiting ticket, resume a held one.
  call_ticket: { keys: [], fits: free },
  resume_held: { keys: [], fits: (desk) => desk.status !== "closed" },
};

/** The action a key press asks for, or null. */
export function actionForKey(key) {
  const pressed = key.toLowerCase();
  return Object.keys(RULES).find((name) => RULES[name].keys.includes(pressed)) ?? null;
}

/** What the break/resume button does now: "pause", "resume" or "open". */
export function pauseMeaning(desk) {
  if (!desk || desk.status === "open") return "pause";
  return desk.status === "break" ? "resume" : "open";
}
