// parkcast report.html: the what-if sliders. Plain JavaScript (ES2015), no library, no network:
// it reads the grid embedded in each language's section (<script type="application/json">),
// and on every move of a slider shows that grid cell's numbers, headline and fan chart. The
// numbers are the ones parkcast computed; this script only picks the cell and draws.
// A URL parameter or fragment `slider.<lever>=<value>` sets a slider on load (nearest value).
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function nearest(values, x) {
    var best = 0;
    for (var i = 1; i < values.length; i++) {
      if (Math.abs(values[i] - x) < Math.abs(values[best] - x)) best = i;
    }
    return best;
  }

  // `slider.<lever>=<value>` pairs from the query string and the fragment
  function requested() {
    var out = {};
    var text = window.location.search.slice(1) + "&" + window.location.hash.slice(1);
    text.split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i < 0) return;
      var key = decodeURIComponent(kv.slice(0, i));
      var value = parseFloat(decodeURIComponent(kv.slice(i + 1)));
      if (key.indexOf("slider.") === 0 && isFinite(value)) out[key.slice(7)] = value;
    });
    return out;
  }

  function el(name, attrs, text) {
    var e = document.createElementNS(SVG, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // about five round tick values from lo to hi
  function ticks(lo, hi) {
    var span = hi - lo;
    if (!(span > 0)) return [lo];
    var step = Math.pow(10, Math.floor(Math.log(span / 5) / Math.LN10));
    [1, 2, 2.5, 5, 10].some(function (m) {
      if (span / (step * m) <= 6) { step = step * m; return true; }
      return false;
    });
    var out = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.round(v / step) * step);
    return out;
  }

  function tickText(v) {
    var a = Math.abs(v);
    return a >= 100 || v === Math.round(v) ? v.toFixed(0) : a >= 1 ? v.toFixed(1) : v.toFixed(2);
  }

  // the fan chart of target `t` in `cell`, on an axis fixed over every cell of the grid
  function drawFan(box, data, cell, t) {
    var target = data.targets[t];
    var lo = target.key === "parks" ? 0 : Infinity, hi = target.threshold;
    data.cells.forEach(function (c) {
      c.fan[t].forEach(function (b) { lo = Math.min(lo, b[0]); hi = Math.max(hi, b[2]); });
    });
    lo = Math.min(lo, target.threshold);
    if (lo > 0 && target.key !== "parks") lo = lo * 0.9;
    hi = hi * 1.08;
    var W = 760, H = 350, L = 78, R = 44, T = 36, B = 72;
    var n = data.months.length;
    var x = function (i) { return L + (W - L - R) * (n > 1 ? i / (n - 1) : 0.5); };
    var y = function (v) { return T + (H - T - B) * (1 - (v - lo) / (hi - lo)); };
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": target.title });
    svg.appendChild(el("text", { x: L, y: 22, "font-size": 17, fill: "#222" }, target.title));
    ticks(lo, hi).forEach(function (v) {
      svg.appendChild(el("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: "#e3e3e3" }));
      svg.appendChild(el("text", { x: L - 8, y: y(v) + 5, "font-size": 13, "text-anchor": "end", fill: "#444" }, tickText(v)));
    });
    data.months.forEach(function (m, i) {
      if (!m.label) return;
      svg.appendChild(el("line", { x1: x(i), x2: x(i), y1: H - B, y2: H - B + 5, stroke: "#444" }));
      svg.appendChild(el("text", { x: x(i), y: H - B + 22, "font-size": 13, "text-anchor": "middle", fill: "#444" }, m.label));
    });
    svg.appendChild(el("line", { x1: L, x2: W - R, y1: H - B, y2: H - B, stroke: "#444" }));
    var band = cell.fan[t];
    var upper = band.map(function (b, i) { return x(i) + "," + y(b[2]); });
    var lower = band.map(function (b, i) { return x(i) + "," + y(b[0]); }).reverse();
    svg.appendChild(el("polygon", { points: upper.concat(lower).join(" "), fill: "#0072b2", "fill-opacity": 0.22, stroke: "none" }));
    svg.appendChild(el("polyline", {
      points: band.map(function (b, i) { return x(i) + "," + y(b[1]); }).join(" "),
      fill: "none", stroke: "#0072b2", "stroke-width": 3
    }));
    svg.appendChild(el("line", {
      x1: L, x2: W - R, y1: y(target.threshold), y2: y(target.threshold),
      stroke: "#d55e00", "stroke-width": 2, "stroke-dasharray": "8 5"
    }));
    svg.appendChild(el("text", { x: W - R - 4, y: y(target.threshold) - 7, "font-size": 14, "text-anchor": "end", fill: "#d55e00" },
      data.text.target + " " + target.thresholdText));
    var fig = box.querySelector(".sl-fan");
    fig.textContent = "";
    fig.appendChild(svg);
    // legend under the axis, clear of the target line wherever it lies; items placed by
    // their measured widths (the svg is in the page by now)
    var ly = H - 16, lx = L;
    [
      [el("rect", { y: ly - 11, width: 22, height: 12, fill: "#0072b2", "fill-opacity": 0.22 }), data.text.band],
      [el("line", { y1: ly - 5, y2: ly - 5, stroke: "#0072b2", "stroke-width": 3 }), data.text.median],
      [el("line", { y1: ly - 5, y2: ly - 5, stroke: "#d55e00", "stroke-width": 2, "stroke-dasharray": "8 5" }), data.text.target]
    ].forEach(function (item) {
      var mark = item[0];
      if (mark.tagName === "rect") mark.setAttribute("x", lx);
      else { mark.setAttribute("x1", lx); mark.setAttribute("x2", lx + 22); }
      svg.appendChild(mark);
      var t = el("text", { x: lx + 28, y: ly, "font-size": 13, fill: "#222" }, item[1]);
      svg.appendChild(t);
      var w = t.getComputedTextLength ? t.getComputedTextLength() : 13 * item[1].length;
      lx += 28 + (w > 0 ? w : 13 * item[1].length) + 24;
    });
    fig.setAttribute("data-target", target.key);
  }

  function init(box) {
    var data = JSON.parse(box.querySelector("script.sl-data").textContent);
    var inputs = box.querySelectorAll("input.sl-range");
    var select = box.querySelector("select.sl-metric");
    var want = requested();
    data.levers.forEach(function (l, j) {
      var i = l.key in want ? nearest(l.values, want[l.key]) : l.start;
      inputs[j].value = String(i);
    });

    function show() {
      var k = 0;
      var index = [];
      data.levers.forEach(function (l, j) {
        var i = Math.max(0, Math.min(l.values.length - 1, parseInt(inputs[j].value, 10) || 0));
        index.push(i);
        k = k * l.values.length + i;
        inputs[j].setAttribute("value", String(i));
        box.querySelector("#" + inputs[j].id + "-v").textContent = l.texts[i];
      });
      var cell = data.cells[k];
      box.setAttribute("data-cell", String(k));
      box.setAttribute("data-values", index.map(function (i, j) { return data.levers[j].values[i]; }).join(","));
      box.querySelector(".sl-headline").innerHTML = cell.headline;
      var rows = box.querySelectorAll("tr[data-row]");
      for (var r = 0; r < rows.length; r++) {
        var row = cell.rows[parseInt(rows[r].getAttribute("data-row"), 10)];
        ["p", "ci", "med", "done"].forEach(function (c) {
          var td = rows[r].querySelector("td." + c);
          if (td) td.innerHTML = row[c];
        });
      }
      drawFan(box, data, cell, parseInt(select.value, 10) || 0);
    }

    for (var j = 0; j < inputs.length; j++) inputs[j].addEventListener("input", show);
    select.addEventListener("change", show);
    box.hidden = false;
    show();
  }

  function start() {
    var boxes = document.querySelectorAll("section.sliders");
    for (var i = 0; i < boxes.length; i++) {
      try {
        init(boxes[i]);
      } catch (e) {
        // leave the section hidden: the static report above stays as it is
        if (window.console) window.console.error("parkcast sliders: " + e);
      }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
