// The compliance trend (Chart.js, served from npm as /vendor/chart.umd.min.js): the share of calls
// within target per period, for the whole scope and, when there are few, for each group.

import { groupName, i18n, state } from "/manager/static/report-page.js";

const MAX_GROUP_LINES = 8;
const PALETTE = ["#0b5cab", "#1a7f37", "#b45309", "#6f42c1", "#b42318", "#0e7490", "#a16207", "#475569"];

const share = (value) => (value === null || value === undefined ? null : Math.round(value * 1000) / 10);

function chartData(report) {
  const labels = report.trend.map((row) => row.label);
  const datasets = [
    {
      label: i18n.t("trend_all"),
      data: report.trend.map((row) => share(row.within_target)),
      borderColor: "#14213d",
      backgroundColor: "#14213d",
      borderWidth: 3,
    },
  ];
  if (report.group !== "all" && report.groups.length <= MAX_GROUP_LINES) {
    report.groups.forEach((group, index) => {
      const byLabel = new Map(group.periods.map((row) => [row.label, row.within_target]));
      datasets.push({
        label: groupName(group),
        data: labels.map((label) => share(byLabel.get(label))),
        borderColor: PALETTE[index % PALETTE.length],
        backgroundColor: PALETTE[index % PALETTE.length],
        borderWidth: 2,
        borderDash: [6, 4],
      });
    });
  }
  return { labels, datasets };
}

function chartOptions() {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    spanGaps: true,
    plugins: { legend: { position: "bottom" } },
    scales: {
      y: { min: 0, max: 100, title: { display: true, text: i18n.t("trend_axis") } },
    },
  };
}

/** Draws the chart on `canvas`, and redraws it in place for each report or language. */
export class TrendChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.chart = null;
  }

  show() {
    const Chart = window.Chart;
    if (!Chart || !state.report) return; // no library: the table still has every figure
    if (!this.chart) {
      this.chart = new Chart(this.canvas, { type: "line", data: chartData(state.report), options: chartOptions() });
      return;
    }
    this.chart.data = chartData(state.report);
    this.chart.options = chartOptions();
    this.chart.update("none");
  }
}
