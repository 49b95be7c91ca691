// A tile-grid map of the United States: one labelled square per state (and DC), no geodata needed.
// Each tile prints its state's value; shade only repeats it. States with no activated jurisdiction in
// the records have a dashed outline and a dash; the selected state gets a thick frame and a marker.
import { s } from "./dom.js";
import { count } from "./format.js";

// [state, column, row] in the common tile-grid layout.
const TILES = [
  ["AK", 0, 0], ["ME", 10, 0], ["VT", 9, 1], ["NH", 10, 1],
  ["WA", 0, 2], ["ID", 1, 2], ["MT", 2, 2], ["ND", 3, 2], ["MN", 4, 2], ["IL", 5, 2], ["WI", 6, 2],
  ["MI", 7, 2], ["NY", 8, 2], ["RI", 9, 2], ["MA", 10, 2],
  ["OR", 0, 3], ["NV", 1, 3], ["WY", 2, 3], ["SD", 3, 3], ["IA", 4, 3], ["IN", 5, 3], ["OH", 6, 3],
  ["PA", 7, 3], ["NJ", 8, 3], ["CT", 9, 3],
  ["CA", 0, 4], ["UT", 1, 4], ["CO", 2, 4], ["NE", 3, 4], ["MO", 4, 4], ["KY", 5, 4], ["WV", 6, 4],
  ["VA", 7, 4], ["MD", 8, 4], ["DE", 9, 4],
  ["AZ", 1, 5], ["NM", 2, 5], ["KS", 3, 5], ["AR", 4, 5], ["TN", 5, 5], ["NC", 6, 5], ["SC", 7, 5], ["DC", 8, 5],
  ["OK", 3, 6], ["LA", 4, 6], ["MS", 5, 6], ["AL", 6, 6], ["GA", 7, 6],
  ["HI", 0, 7], ["TX", 3, 7], ["FL", 8, 7],
];
export const STATES = TILES.map((t) => t[0]);
const SHADES = ["#eef3fa", "#c6d7ec", "#8fb0d8", "#4f7fb8", "#1d4e89"];

function shade(value, max) {
  if (!value) return SHADES[0];
  return SHADES[Math.min(SHADES.length - 1, 1 + Math.floor((3.999 * value) / Math.max(1, max)))];
}

// values: {state: count|null} for states with data (null = withheld); absent states have none.
export function tileMap({ title, values, selected, measure }) {
  const size = 54, pad = 4, top = 24;
  const width = 11 * size, height = top + 8 * size;
  const present = Object.keys(values);
  const label = `${title}. ${present.length} states with activated jurisdictions: ` +
    present.map((st) => `${st} ${count(values[st])}`).join(", ") + ". The same numbers are in the table below.";
  const svg = s("svg", { role: "img", "aria-label": label, width, height, viewBox: `0 0 ${width} ${height}`,
    xmlns: "http://www.w3.org/2000/svg", class: "chart tilemap" }, s("title", { text: title }),
  s("defs", {}, s("pattern", { id: "tm-withheld", width: 6, height: 6, patternUnits: "userSpaceOnUse" },
    s("rect", { width: 6, height: 6, fill: "#fff" }), s("path", { d: "M0,6 L6,0", stroke: "#999" }))));
  svg.append(s("text", { x: 0, y: 16, "font-size": 14, "font-weight": "bold", text: title }));
  const max = Math.max(1, ...present.map((st) => values[st] || 0));
  for (const [st, col, row] of TILES) {
    const x = col * size + pad / 2, y = top + row * size + pad / 2, w = size - pad;
    const has = st in values, value = values[st], isSelected = st === selected;
    const dark = has && value !== null && shade(value, max) === SHADES[SHADES.length - 1];
    const fill = !has ? "#fff" : value === null ? "url(#tm-withheld)" : shade(value, max);
    const g = s("g", { class: `tile${isSelected ? " selected" : ""}`, "data-state": st });
    g.append(s("rect", { x, y, width: w, height: w, fill, stroke: isSelected ? "#000" : has ? "#1b1b1b" : "#767676",
      "stroke-width": isSelected ? 4 : 1, "stroke-dasharray": has ? null : "4 3" }));
    g.append(s("text", { x: x + w / 2, y: y + 19, "text-anchor": "middle", "font-size": 13, "font-weight": "bold",
      fill: dark ? "#fff" : "#1b1b1b", text: isSelected ? `▸${st}` : st }));
    g.append(s("text", { x: x + w / 2, y: y + 38, "text-anchor": "middle", "font-size": 12, class: "value",
      fill: dark ? "#fff" : "#1b1b1b", text: has ? count(value) : "–" }));
    svg.append(g);
  }
  return svg;
}
