// The dashboard's views: each takes API answers and the filters, and renders into its section.
import { barChart, dataTable, figure, groupedBars } from "./charts.js";
import { h, replace } from "./dom.js";
import { LEVELS, count, hours, levelName, percent, share } from "./format.js";
import { tileMap } from "./tilemap.js";

const num = (key, label, format = count) => ({ key, label, num: true, format });
const yesNo = (value) => (value ? "yes" : "no");

export function renderJurisdictions(report, filters) {
  const values = Object.fromEntries(report.states.map((r) => [r.state, r.submissions]));
  const map = tileMap({ title: "Interoperability submissions by state", values, selected: filters.state });
  const stateTable = dataTable({
    id: "table-states", caption: "Submissions, matches and removals by state",
    columns: [{ key: "state", label: "State" }, { key: "activated_on", label: "First activation" },
      num("submissions", "Submissions"), num("matches", "IDENT matches"), num("matches_level_1", "Level 1 matches"),
      num("removals", "Removals")],
    rows: report.states, selected: (r) => r.state === filters.state });
  const counties = report.counties.filter((r) => (!filters.state || r.state === filters.state) &&
    (!filters.jurisdiction || r.code === filters.jurisdiction));
  const countyTable = dataTable({
    id: "table-counties", caption: `Jurisdictions (${counties.length})`,
    columns: [{ key: "code", label: "Code" }, { key: "name", label: "Jurisdiction" }, { key: "state", label: "State" },
      { key: "activated_on", label: "Activated" }, num("submissions", "Submissions"), num("matches", "IDENT matches"),
      num("matches_level_1", "Level 1"), num("matches_level_2_3", "Levels 2–3"),
      num("matches_non_criminal", "Non-criminal"), num("book_ins", "ICE book-ins"), num("removals", "Removals"),
      { key: "removals_non_criminal_share", label: "Removals non-criminal", num: true, format: share }],
    rows: counties });
  const national = h("p", { id: "national", className: "note" },
    `National, ${report.start} through ${report.through}: ${count(report.national.submissions)} submissions, ` +
    `${count(report.national.matches)} IDENT matches, ${count(report.national.removals)} removals.`);
  replace("map", figure("Map of states", map, stateTable));
  replace("jurisdiction-table", national, countyTable);
}

const TRENDS = [["submissions", "Submissions"], ["matches", "IDENT matches"], ["detainers", "Detainers lodged"]];

export function renderTrends(series) {
  const charts = TRENDS.map(([key, label]) => barChart({
    title: `${label} per month`,
    description: `${series.months.length} months from ${series.months[0]?.month ?? "–"}; ` +
      "values printed above the bars and in the table below.",
    rows: series.months.map((m) => ({ label: m.month, value: m[key] })) }));
  replace("trend-charts", charts.map((svg, i) => h("figure", { "data-measure": TRENDS[i][0] }, svg)));
  const table = dataTable({
    id: "table-trends", caption: "Per month (counted by each event's own date)",
    columns: [{ key: "month", label: "Month" }, num("submissions", "Submissions"), num("matches", "IDENT matches"),
      num("detainers", "Detainers lodged"), num("book_ins", "ICE book-ins"), num("removals", "Removals")],
    rows: [...series.months, { ...series.total, month: "Total" }] });
  replace("trend-table", h("details", { open: true }, h("summary", { text: "Data table: monthly trends" }), table));
}

const BREAKDOWNS = [["matches_by_level", "IDENT matches", "matches"], ["detainers_by_level", "Detainers lodged", "detainers"],
  ["removals_by_level", "Removals", "removals"]];

export function renderLevels(series) {
  const t = series.total;
  const groups = BREAKDOWNS.map(([key, label, totalKey]) => ({
    label, values: LEVELS.map((lv) => t[key][lv]),
    notes: LEVELS.map((lv) => { const p = percent(t[key][lv], t[totalKey]); return p ? ` (${p})` : ""; }) }));
  const chart = groupedBars({ title: "Levels among matches, detainers and removals", groups,
    series: LEVELS.map(levelName) });
  const rows = LEVELS.map((lv) => ({ level: levelName(lv), matches: t.matches_by_level[lv],
    detainers: t.detainers_by_level[lv], removals: t.removals_by_level[lv] }));
  rows.push({ level: "All levels", matches: t.matches, detainers: t.detainers, removals: t.removals });
  const table = dataTable({
    id: "table-levels", caption: "By level, over the months chosen",
    columns: [{ key: "level", label: "Level" }, num("matches", "IDENT matches"), num("detainers", "Detainers lodged"),
      num("removals", "Removals")], rows });
  replace("level-charts", figure("Level breakdown", chart, table));
  replace("level-table");
}

export function renderIndicators(answer) {
  const declined = (v, row) => count(v) + (row.declined_by_rule && Object.keys(row.declined_by_rule).length
    ? ` (${Object.entries(row.declined_by_rule).map(([r, n]) => `${r}: ${count(n)}`).join("; ")})` : "");
  replace("indicator-table", answer.rows.length ? dataTable({
    id: "table-indicators", caption: "Transparency indicators by jurisdiction and month",
    columns: [{ key: "jurisdiction", label: "Jurisdiction" }, { key: "month", label: "Month" },
      num("detainers", "Detainers"), { key: "detainers_non_criminal_share", label: "Non-criminal", num: true, format: share },
      { key: "detainers_level_1_share", label: "Level 1", num: true, format: share },
      num("citizen_detainers", "On citizens"), num("holds_past_deadline", "Holds past deadline"),
      num("traffic_only_matches", "Traffic-only matches"), num("declined", "Declined", declined)],
    rows: answer.rows }) : h("p", { text: "No indicator rows for these filters." }));
}

export function renderPolicyPrompt(text) {
  replace("policy-result", h("p", { className: "note", id: "policy-message", text }));
}

export function renderPolicy(result) {
  const groups = [["Total", result.total], ...LEVELS.map((lv) => [levelName(lv), result.by_level[lv]])]
    .filter(([, t]) => t);
  const actual = `Actual (${result.actual_policies.join(", ") || "none"})`;
  const alternative = `Alternative (${result.alternative_policy})`;
  const chart = groupedBars({ title: `Holds: actual vs ${result.alternative_policy}, ${result.jurisdiction}`,
    series: [actual, alternative], groups: groups.map(([label, t]) => ({ label, values: [t.actual_holds, t.alternative_holds] })) });
  const table = dataTable({
    id: "table-policy", caption: `${result.jurisdiction}, bookings ${result.start} to ${result.end}`,
    columns: [{ key: "group", label: "Group" }, num("bookings", "Lodged detainers"), num("actual_holds", "Holds, actual"),
      num("alternative_holds", "Holds, alternative"), num("actual_hours", "Hold-hours, actual", hours),
      num("alternative_hours", "Hold-hours, alternative", hours)],
    rows: groups.map(([group, t]) => ({ group, ...t })) });
  const flips = result.flips ? dataTable({
    id: "table-flips", caption: "Bookings whose decision differs",
    columns: [{ key: "tcn", label: "TCN" }, { key: "level", label: "Level", format: levelName },
      { key: "actual_hold", label: "Held, actual", format: yesNo }, { key: "actual_rule", label: "Actual rule" },
      { key: "alternative_hold", label: "Held, alternative", format: yesNo },
      { key: "alternative_rule", label: "Alternative rule" }],
    rows: result.flips }) : h("p", { className: "note", text: `${count(result.flip_count)} bookings would be decided ` +
      "differently; the list of bookings is shown to auditors only." });
  replace("policy-result", figure("Policy comparison", chart, table), flips);
}

export function renderTimeline(answer) {
  const t = answer.transaction;
  const facts = [["TCN", t.tcn], ["ORI", t.ori], ["Jurisdiction", t.jurisdiction ?? "–"], ["Status", t.status],
    ["Booked", t.booked_at], ["Level", t.level ?? "not shown to this role"],
    ["Detainer", t.detainer ? `${t.detainer.action} / ${t.detainer.state}` : "none shown"]];
  const list = h("ol", { className: "steps", id: "timeline-steps", "aria-label": `Steps of booking ${t.tcn}` },
    answer.steps.map((step) => h("li", {}, h("time", { datetime: step.at, text: step.at.replace("T", " ").slice(0, 16) }),
      h("strong", { text: step.step }), " ", h("span", { className: "source", text: step.source }),
      step.detail ? h("div", { text: step.detail }) : null)));
  replace("timeline-result", h("h3", { text: `Booking ${t.tcn}` }),
    h("dl", { className: "facts" }, facts.flatMap(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })])), list);
}

export function renderRefusal(id, text) {
  replace(id, h("p", { className: "refused", role: "alert", id: `${id}-refused`, text }));
}
