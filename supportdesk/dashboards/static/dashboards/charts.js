/* Small SVG charts for the managers' dashboard: no library, no network.
 * SDCharts.line(container, {labels, series: [{name, values, className}], max, integer, format})
 * SDCharts.bars(container, {labels, values, format})
 * Values may be null (a gap). Colours come from CSS classes (dashboard.css).
 */
(function () {
  "use strict";

  const NS = "http://www.w3.org/2000/svg";
  const W = 480;
  const H = 220;
  const PAD = { top: 12, right: 12, bottom: 34, left: 44 };

  function el(name, attrs, text) {
    const node = document.createElementNS(NS, name);
    for (const [key, value] of Object.entries(attrs || {})) {
      node.setAttribute(key, String(value));
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function niceMax(value) {
    if (!(value > 0)) {
      return 1;
    }
    const power = Math.pow(10, Math.floor(Math.log10(value)));
    for (const step of [1, 2, 2.5, 5, 10]) {
      if (step * power >= value) {
        return step * power;
      }
    }
    return 10 * power;
  }

  function frame(container, labels, max, format) {
    container.replaceChildren();
    const svg = el("svg", {
      viewBox: `0 0 ${W} ${H}`,
      class: "sd-svg",
      role: "img",
      preserveAspectRatio: "xMidYMid meet",
    });
    const plotW = W - PAD.left - PAD.right;
    const plotH = H - PAD.top - PAD.bottom;
    const y = (v) => PAD.top + plotH - (v / max) * plotH;
    for (let i = 0; i <= 4; i += 1) {
      const v = (max * i) / 4;
      svg.append(el("line", { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: "sd-grid" }));
      svg.append(el("text", { x: PAD.left - 6, y: y(v) + 4, class: "sd-axis", "text-anchor": "end" }, format(v)));
    }
    const step = Math.max(1, Math.ceil(labels.length / 6));
    const x = (i) => PAD.left + (labels.length <= 1 ? plotW / 2 : (i * plotW) / (labels.length - 1));
    labels.forEach((label, i) => {
      if ((labels.length - 1 - i) % step === 0) {
        svg.append(el("text", { x: x(i), y: H - PAD.bottom + 16, class: "sd-axis", "text-anchor": "middle" }, label));
      }
    });
    container.append(svg);
    return { svg, x, y, plotW, plotH };
  }

  function scaleMax(values, integer) {
    const max = niceMax(Math.max(0, ...values));
    // integer counts: four grid steps of whole numbers
    return integer ? Math.max(4, Math.ceil(max / 4) * 4) : max;
  }

  function legend(container, series) {
    const list = document.createElement("ul");
    list.className = "sd-legend";
    for (const s of series) {
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = `sd-swatch ${s.className}`;
      item.append(swatch, document.createTextNode(` ${s.name}`));
      list.append(item);
    }
    container.append(list);
  }

  function line(container, opts) {
    const values = opts.series.flatMap((s) => s.values).filter((v) => v !== null);
    const max = opts.max || scaleMax(values, opts.integer);
    const f = frame(container, opts.labels, max, opts.format);
    for (const s of opts.series) {
      let d = "";
      s.values.forEach((v, i) => {
        if (v === null) {
          return;
        }
        const prev = i > 0 ? s.values[i - 1] : null;
        d += `${d && prev !== null ? "L" : "M"}${f.x(i).toFixed(1)},${f.y(v).toFixed(1)} `;
        const dot = el("circle", { cx: f.x(i), cy: f.y(v), r: 2.5, class: `sd-dot ${s.className}` });
        dot.append(el("title", {}, `${opts.labels[i]}: ${opts.format(v)}`));
        f.svg.append(dot);
      });
      f.svg.append(el("path", { d: d.trim(), class: `sd-line ${s.className}`, fill: "none" }));
    }
    f.svg.setAttribute("aria-label", opts.series.map((s) => s.name).join(", "));
    legend(container, opts.series);
  }

  function bars(container, opts) {
    const max = scaleMax(opts.values, true);
    const f = frame(container, [], max, opts.format);
    const n = opts.values.length;
    const slot = f.plotW / Math.max(n, 1);
    opts.values.forEach((v, i) => {
      const x = PAD.left + i * slot + slot * 0.15;
      const bar = el("rect", {
        x,
        y: f.y(v),
        width: slot * 0.7,
        height: Math.max(f.y(0) - f.y(v), 0),
        class: "sd-bar",
      });
      bar.append(el("title", {}, `${opts.labels[i]}: ${opts.format(v)}`));
      f.svg.append(bar);
      f.svg.append(el("text", { x: x + slot * 0.35, y: H - PAD.bottom + 16, class: "sd-axis", "text-anchor": "middle" }, opts.labels[i]));
    });
    f.svg.setAttribute("aria-label", opts.labels.map((l, i) => `${l}: ${opts.values[i]}`).join(", "));
  }

  window.SDCharts = { line, bars };
})();
