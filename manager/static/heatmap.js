// Arrivals by weekday and hour of day (local time), as a grid whose shade grows with the count.

import { element, fill } from "/static/dom.js";
import { byId, i18n, state } from "/manager/static/report-page.js";

const LEVELS = 4;

/** 0 for no arrivals, else 1..LEVELS by the share of the busiest hour. */
function level(count, busiest) {
  return count === 0 ? 0 : Math.max(1, Math.ceil((count / busiest) * LEVELS));
}

export function renderHeatmap() {
  const { weekdays, hours, arrivals } = state.report.heatmap;
  const busiest = Math.max(1, ...arrivals.flat());
  const header = element(
    "div",
    { className: "heatmap-row", attributes: { role: "row" } },
    element("span", { className: "heatmap-corner", attributes: { role: "columnheader" } }),
    ...hours.map((hour) =>
      element("span", { className: "heatmap-hour", attributes: { role: "columnheader" } }, two(hour)),
    ),
  );
  const rows = weekdays.map((weekday, index) =>
    element(
      "div",
      { className: "heatmap-row", attributes: { role: "row" } },
      element("span", { className: "heatmap-day", attributes: { role: "rowheader" } }, i18n.t(`weekday_${weekday}`)),
      ...hours.map((hour) => cell(weekday, index, hour, arrivals[index][hour], busiest)),
    ),
  );
  fill(byId("heatmap"), header, ...rows);
}

function cell(weekday, index, hour, count, busiest) {
  const label = i18n.t("heatmap_cell", { day: i18n.t(`day_${weekday}`), hour: `${two(hour)}.00`, n: count });
  return element(
    "span",
    {
      className: "heatmap-cell tabular",
      title: label,
      dataset: { weekday: index, hour, level: level(count, busiest) },
      attributes: { role: "cell", "aria-label": label },
    },
    count ? String(count) : "",
  );
}

const two = (value) => String(value).padStart(2, "0");
