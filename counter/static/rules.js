// Which officer action fits which counter state, and the keys that trigger it.
// `desk` is a counter state from the API: {status: open|break|closed, current: ticket|null}.

export const AT_COUNTER = ["called", "serving"];

const isCalled = (desk) => desk.current?.status === "called";

export const RULES = {
  call: { keys: ["enter", "n"], fits: (desk) => desk.status === "open" && !desk.current },
  recall: { keys: ["r"], fits: isCalled },
  start: { keys: ["s"], fits: isCalled },
  complete: { keys: ["c"], fits: (desk) => AT_COUNTER.includes(desk.current?.status) },
  no_show: { keys: ["x"], fits: isCalled },
  pause: { keys: ["b"], fits: (desk) => desk.status !== "open" || !desk.current },
  close: { keys: ["q"], fits: (desk) => desk.status !== "closed" && !desk.current },
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
