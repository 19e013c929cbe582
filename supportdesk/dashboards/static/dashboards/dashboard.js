/* The managers' dashboard: polls /api/v1/dashboard/* and redraws in place, never reloading.
 * Strings come translated from the server (config.labels); numbers and times are formatted
 * with the page's locale. Data reaches the DOM through textContent only.
 */
(function () {
  "use strict";

  const config = JSON.parse(document.getElementById("sd-dashboard-config").textContent);
  const L = config.labels;
  const locale = config.locale;
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const status = document.getElementById("sd-status");
  const flowPicker = document.getElementById("sd-flow-language");
  const staffingForm = document.getElementById("sd-staffing-form");
  let trends = null;
  let timer = null;

  function duration(seconds) {
    const s = Math.round(seconds);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const rest = String(s % 60).padStart(2, "0");
    return h ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
  }

  function format(value, kind) {
    if (value === null || value === undefined) {
      return "–";
    }
    switch (kind) {
      case "duration":
        return duration(value);
      case "percent":
        return percent.format(value);
      case "decimal":
        return decimal.format(value);
      case "status":
        return L.statuses[value] || value;
      case "list":
        return value.join(", ");
      default:
        return typeof value === "number" ? integer.format(value) : String(value);
    }
  }

  // "first_match.last_hour.native_share" reaches into nested figures
  function pick(data, path) {
    return path.split(".").reduce((value, key) => (value == null ? value : value[key]), data);
  }

  function fillCards(container, data) {
    for (const dd of container.querySelectorAll("[data-field]")) {
      dd.textContent = format(pick(data, dd.dataset.field), dd.dataset.format);
    }
  }

  function fillTable(table, rows, keyName, keyOf, rowClass) {
    const columns = [...table.querySelectorAll("thead th")].map((th) => th.dataset);
    const body = document.createElement("tbody");
    for (const row of rows) {
      const tr = document.createElement("tr");
      tr.dataset[keyName] = keyOf(row);
      const extra = rowClass ? rowClass(row) : "";
      if (extra) {
        tr.className = extra;
      }
      for (const column of columns) {
        const td = document.createElement(column.field === "name" ? "th" : "td");
        if (column.field === "name") {
          td.scope = "row";
        }
        td.dataset.field = column.field;
        td.textContent = format(pick(row, column.field), column.format);
        tr.append(td);
      }
      body.append(tr);
    }
    table.tBodies[0].replaceWith(body);
  }

  function hourLabels(hours) {
    return hours.map((iso) =>
      new Date(iso).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
    );
  }

  function drawFlow() {
    if (!trends) {
      return;
    }
    const tag = flowPicker.value;
    const series = trends.languages.find((s) => s.language === tag) || trends.total;
    window.SDCharts.line(document.getElementById("sd-flow-chart"), {
      labels: hourLabels(trends.hours),
      series: [
        { name: L.arrivals, values: series.arrivals, className: "sd-s1" },
        { name: L.solved, values: series.solved, className: "sd-s2" },
      ],
      integer: true,
      format: (v) => integer.format(v),
    });
    const waits = trends.wait_distribution;
    const counts = (waits.languages.find((s) => s.language === tag) || { counts: waits.total }).counts;
    window.SDCharts.bars(document.getElementById("sd-wait-chart"), {
      labels: L.wait_buckets,
      values: counts,
      format: (v) => integer.format(v),
    });
  }

  function fillPicker(queues) {
    const chosen = flowPicker.value;
    const options = [new Option(L.all_languages, "")].concat(
      queues.map((q) => new Option(`${q.name} (${q.language})`, q.language)),
    );
    flowPicker.replaceChildren(...options);
    flowPicker.value = chosen;
  }

  function drawSla(sla) {
    window.SDCharts.line(document.getElementById("sd-sla-chart"), {
      labels: hourLabels(sla.trend.map((p) => p.hour)),
      series: [{ name: L.attainment, values: sla.trend.map((p) => p.attainment), className: "sd-s3" }],
      max: 1,
      format: (v) => percent.format(v),
    });
  }

  async function getJSON(url) {
    const response = await fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) {
      throw new Error(String(response.status));
    }
    return response.json();
  }

  function staffingUrl() {
    const params = new URLSearchParams(new FormData(staffingForm));
    return `${config.api.staffing}?${params}`;
  }

  async function refresh() {
    window.clearTimeout(timer);
    try {
      const [hub, queues, agents, sla, trendData, staffing] = await Promise.all([
        getJSON(config.api.hub),
        getJSON(config.api.queues),
        getJSON(config.api.agents),
        getJSON(config.api.sla),
        getJSON(config.api.trends),
        getJSON(staffingUrl()).catch(() => null),
      ]);
      fillCards(document.getElementById("sd-hub"), hub);
      fillTable(document.getElementById("sd-queues"), queues, "language", (q) => q.language, (q) =>
        q.breached ? "sd-row-bad" : q.at_risk ? "sd-row-warn" : "",
      );
      fillTable(document.getElementById("sd-agents"), agents, "agent", (a) => a.id, (a) =>
        a.available ? "" : "sd-row-muted",
      );
      if (staffing) {
        fillTable(document.getElementById("sd-staffing"), staffing, "language", (s) => s.language);
      }
      fillPicker(queues);
      trends = trendData;
      drawFlow();
      drawSla(sla);
      status.classList.remove("sd-error");
      status.textContent = L.updated.replace("{time}", new Date().toLocaleTimeString(locale));
    } catch (error) {
      status.classList.add("sd-error");
      status.textContent = L.error.replace("{status}", error.message);
    } finally {
      timer = window.setTimeout(refresh, config.refresh_seconds * 1000);
    }
  }

  flowPicker.addEventListener("change", drawFlow);
  staffingForm.addEventListener("change", refresh);
  staffingForm.addEventListener("submit", (event) => {
    event.preventDefault();
    refresh();
  });
  refresh();
})();
