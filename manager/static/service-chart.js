// The per-service chart (Chart.js, served from npm as /vendor/chart.umd.min.js): people waiting
// now, and the day's average wait against each service's target.

import { i18n } from "/manager/static/page.js";

const MINUTE = 60;

function colour(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

const minutes = (seconds) => (seconds === null ? null : Math.round((seconds / MINUTE) * 10) / 10);

function chartData(services) {
  const t = i18n.t;
  const averages = services.map((service) => minutes(service.wait_mean_s));
  const targets = services.map((service) => minutes(service.target_s));
  return {
    labels: services.map((service) => `${service.prefix} ${i18n.pick(service)}`),
    datasets: [
      {
        label: t("chart_waiting"),
        data: services.map((service) => service.waiting),
        backgroundColor: colour("--brand"),
        yAxisID: "people",
      },
      {
        label: t("chart_wait"),
        data: averages,
        backgroundColor: averages.map((average, index) =>
          average !== null && average > targets[index] ? colour("--danger") : colour("--ok"),
        ),
        yAxisID: "minutes",
      },
      {
        type: "line",
        label: t("chart_target"),
        data: targets,
        yAxisID: "minutes",
        showLine: false,
        pointStyle: "line",
        pointRadius: 18,
        pointHoverRadius: 18,
        borderWidth: 3,
        borderColor: colour("--ink"),
        backgroundColor: colour("--ink"),
      },
    ],
  };
}

function chartOptions() {
  const t = i18n.t;
  const axis = (title, position) => ({
    position,
    beginAtZero: true,
    suggestedMax: 5, // a queue of one should not fill the chart
    title: { display: true, text: title },
    ticks: { precision: 0 },
  });
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: { legend: { position: "bottom" } },
    scales: {
      people: axis(t("chart_people"), "left"),
      minutes: { ...axis(t("chart_minutes"), "right"), grid: { drawOnChartArea: false } },
    },
  };
}

/** Draws the chart on `canvas`, and redraws it in place for each snapshot or language. */
export class ServiceChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.chart = null;
  }

  show(services) {
    const Chart = window.Chart;
    if (!Chart) return; // the library did not load: the table above still says it all
    if (!this.chart) {
      this.chart = new Chart(this.canvas, {
        type: "bar",
        data: chartData(services),
        options: chartOptions(),
      });
      return;
    }
    this.chart.data = chartData(services);
    this.chart.options = chartOptions();
    this.chart.update("none");
  }
}
