// SVG charts drawn here, from local code only. Every chart is an <svg role="img"> with an accessible
// name, prints its values beside the marks (so no reader needs colour), tells series apart by pattern
// as well as by shade, and comes with a data table holding the same numbers.
import { h, s } from "./dom.js";
import { count } from "./format.js";

let serial = 0;
const INK = "#1b1b1b";
// Fills that differ in pattern, not only in colour: solid, diagonal hatch, dots, cross-hatch.
const PATTERNS = [
  { name: "solid", shade: "#1d4e89" },
  { name: "hatch", shade: "#1d4e89", draw: (p) => [s("path", { d: "M0,8 L8,0", stroke: INK, "stroke-width": 2 })] },
  { name: "dots", shade: "#1d4e89", draw: (p) => [s("circle", { cx: 4, cy: 4, r: 1.8, fill: INK })] },
  { name: "cross", shade: "#1d4e89", draw: (p) => [
    s("path", { d: "M0,0 L8,8 M8,0 L0,8", stroke: INK, "stroke-width": 1.2 })] },
];

function defs(prefix) {
  const patterns = PATTERNS.map((p, i) => {
    if (!p.draw) return null;
    return s("pattern", { id: `${prefix}-p${i}`, width: 8, height: 8, patternUnits: "userSpaceOnUse" },
      s("rect", { width: 8, height: 8, fill: "#dbe6f3" }), ...p.draw(p));
  });
  const withheld = s("pattern", { id: `${prefix}-withheld`, width: 6, height: 6, patternUnits: "userSpaceOnUse" },
    s("rect", { width: 6, height: 6, fill: "#fff" }), s("path", { d: "M0,6 L6,0", stroke: "#999", "stroke-width": 1 }));
  return s("defs", {}, ...patterns, withheld);
}

export function fillFor(prefix, index) {
  return PATTERNS[index % PATTERNS.length].draw ? `url(#${prefix}-p${index % PATTERNS.length})`
    : PATTERNS[index % PATTERNS.length].shade;
}

function frame(title, description, width, height) {
  const prefix = `c${++serial}`;
  const svg = s("svg", { role: "img", "aria-label": `${title}. ${description}`, width, height,
    viewBox: `0 0 ${width} ${height}`, xmlns: "http://www.w3.org/2000/svg", class: "chart" },
  s("title", { text: title }), defs(prefix));
  return { svg, prefix };
}

// Vertical bars, one per label, each with its count printed above it. Withheld cells are drawn as a
// hatched stub labelled "<10" rather than left out.
export function barChart({ title, rows, description = "Values are printed on the bars and in the table." }) {
  const barW = 38, gap = 18, left = 12, top = 34, plot = 150, bottom = 44;
  const width = Math.max(320, left * 2 + rows.length * (barW + gap));
  const { svg, prefix } = frame(title, description, width, top + plot + bottom);
  const max = Math.max(1, ...rows.map((r) => r.value || 0));
  svg.append(s("text", { x: 0, y: 16, "font-size": 14, "font-weight": "bold", text: title }));
  svg.append(s("line", { x1: 0, x2: width, y1: top + plot, y2: top + plot, stroke: INK }));
  rows.forEach((row, i) => {
    const x = left + i * (barW + gap);
    const withheld = row.value === null || row.value === undefined;
    const barH = withheld ? 8 : Math.round((plot * row.value) / max);
    const y = top + plot - barH;
    svg.append(s("rect", { x, y, width: barW, height: barH, fill: withheld ? `url(#${prefix}-withheld)` : "#1d4e89",
      stroke: INK, "stroke-dasharray": withheld ? "3 2" : null, "data-label": row.label }));
    svg.append(s("text", { x: x + barW / 2, y: y - 5, "text-anchor": "middle", "font-size": 12, class: "value",
      "data-label": row.label, text: count(row.value) }));
    svg.append(s("text", { x: x + barW / 2, y: top + plot + 16, "text-anchor": "middle", "font-size": 11,
      text: row.label }));
  });
  return svg;
}

// Horizontal bars in groups; within a group one bar per series, told apart by pattern and by the
// series name printed with each value.
export function groupedBars({ title, groups, series, description = "Values are printed beside the bars and in the table." }) {
  const labelW = 150, barH = 18, gap = 12, valueW = 250, plotW = 300;
  const top = 34 + series.length * 18; // below a legend of one line per series
  const groupH = series.length * barH + gap;
  const width = labelW + plotW + valueW;
  const height = top + groups.length * groupH;
  const { svg, prefix } = frame(title, description, width, height);
  const max = Math.max(1, ...groups.flatMap((g) => g.values.map((v) => v || 0)));
  svg.append(s("text", { x: 0, y: 16, "font-size": 14, "font-weight": "bold", text: title }));
  series.forEach((name, i) => { // legend: pattern swatch and name, one line each
    const y = 24 + i * 18;
    svg.append(s("rect", { x: labelW, y, width: 14, height: 14, fill: fillFor(prefix, i), stroke: INK }));
    svg.append(s("text", { x: labelW + 20, y: y + 12, "font-size": 12, text: name }));
  });
  groups.forEach((group, g) => {
    const y0 = top + g * groupH;
    svg.append(s("text", { x: 0, y: y0 + (series.length * barH) / 2 + 4, "font-size": 12, text: group.label }));
    group.values.forEach((value, i) => {
      const y = y0 + i * barH;
      const withheld = value === null || value === undefined;
      const w = withheld ? 6 : Math.round((plotW * value) / max);
      svg.append(s("rect", { x: labelW, y, width: w, height: barH - 3, stroke: INK,
        fill: withheld ? `url(#${prefix}-withheld)` : fillFor(prefix, i) }));
      const extra = group.notes ? group.notes[i] : "";
      svg.append(s("text", { x: labelW + w + 6, y: y + barH - 6, "font-size": 11, class: "value",
        "data-group": group.label, "data-series": series[i], text: `${series[i]}: ${count(value)}${extra}` }));
    });
  });
  return svg;
}

// A data table: columns [{key, label, num, format}], rows of plain objects.
export function dataTable({ id, caption, columns, rows, selected = () => false }) {
  const head = h("tr", {}, columns.map((c) => h("th", { scope: "col", className: c.num ? "num" : null, text: c.label })));
  const body = rows.map((row) => h("tr", { className: selected(row) ? "selected" : null,
  },
  columns.map((c, i) => {
    const text = c.format ? c.format(row[c.key], row) : row[c.key] ?? "";
    const attrs = { className: c.num ? "num" : null, "data-key": c.key, text };
    return i === 0 ? h("th", { scope: "row", ...attrs }) : h("td", attrs);
  })));
  return h("table", { id }, h("caption", { text: caption }), h("thead", {}, head), h("tbody", {}, body));
}

// A chart with its caption and, right below, the same numbers as a table.
export function figure(caption, svg, table) {
  return h("figure", {}, h("figcaption", { text: caption }), svg,
    h("details", { open: true }, h("summary", { text: `Data table: ${caption}` }), table));
}
