// Numbers as the dashboard prints them. A null count is a withheld small cell (1 to 9).
export const WITHHELD = "<10";
const LEVEL_NAMES = { level_1: "Level 1", level_2: "Level 2", level_3: "Level 3", non_criminal: "Non-criminal" };
export const LEVELS = Object.keys(LEVEL_NAMES);

export function count(value) {
  return value === null || value === undefined ? WITHHELD : Number(value).toLocaleString("en-US");
}

export function percent(part, whole) {
  if (part === null || whole === null || part === undefined || whole === undefined || !whole) return "";
  return `${((100 * part) / whole).toFixed(1)} %`;
}

export function share(value) {
  return value === null || value === undefined ? "—" : `${(100 * value).toFixed(1)} %`;
}

export function hours(value) {
  return value === null || value === undefined ? WITHHELD : `${Number(value).toLocaleString("en-US")} h`;
}

export function levelName(key) {
  return LEVEL_NAMES[key] || key;
}

export function lastDay(month) { // "2012-02" -> "2012-02-29"
  const [year, m] = month.split("-").map(Number);
  const day = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, "0")}`;
}
