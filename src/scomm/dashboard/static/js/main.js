// The dashboard's wiring: filters, token, and which API answers feed which view.
import { ApiError, getJSON, setToken } from "./api.js";
import { lastDay } from "./format.js";
import { renderIndicators, renderJurisdictions, renderLevels, renderPolicy, renderPolicyPrompt, renderRefusal,
  renderTimeline, renderTrends } from "./views.js";

const $ = (id) => document.getElementById(id);
const root = document.documentElement;
let generation = 0;
let counties = []; // every activated jurisdiction, for the jurisdiction select
let months = []; // every month with any event, for the month selects

function busy(stateName) {
  root.dataset.state = stateName;
  if (stateName !== "loading") root.dataset.generation = String(++generation);
}

function showError(error) {
  const box = $("error");
  box.textContent = error ? `Could not load the statistics: ${error.message}` : "";
  box.hidden = !error;
}

function options(select, items, keep) {
  const first = select.options[0] && select.options[0].value === "" ? select.options[0] : null;
  select.replaceChildren(...(first ? [first] : []), ...items.map(([value, label]) => {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = label;
    return option;
  }));
  select.value = items.some(([value]) => value === keep) ? keep : (first ? "" : items[0]?.[0] ?? "");
}

function filters() {
  return { state: $("f-state").value, jurisdiction: $("f-jurisdiction").value, from: $("f-from").value, to: $("f-to").value };
}

function windowOf(f) {
  return { start: f.from ? `${f.from}-01` : "", through: f.to ? lastDay(f.to) : "" };
}

function fillJurisdictions() {
  const state = $("f-state").value;
  const shown = counties.filter((c) => !state || c.state === state);
  options($("f-jurisdiction"), shown.map((c) => [c.code, `${c.name} (${c.code})`]), $("f-jurisdiction").value);
}

function describe(f) {
  const where = [f.state || "all states", f.jurisdiction || "all jurisdictions"].join(", ");
  return `Showing ${where}, ${f.from || "first"} through ${f.to || "last"} month.`;
}

async function refresh() {
  busy("loading");
  const f = filters();
  const w = windowOf(f);
  try {
    const [report, series, indicators] = await Promise.all([
      getJSON("/v1/statistics/interoperability", w),
      getJSON("/v1/statistics/monthly", { ...w, state: f.state, jurisdiction: f.jurisdiction }),
      getJSON("/v1/statistics/transparency", { ...w, state: f.state, jurisdiction: f.jurisdiction }),
    ]);
    renderJurisdictions(report, f);
    renderTrends(series);
    renderLevels(series);
    renderIndicators(indicators);
    renderPolicyPrompt(f.jurisdiction ? `Choose a policy and press Compare to re-decide ${f.jurisdiction}.`
      : "Choose a jurisdiction in the filters above, then a policy, and press Compare.");
    $("filter-summary").textContent = describe(f);
    showError(null);
    busy("ready");
  } catch (error) {
    showError(error);
    busy("error");
  }
}

async function showCaller() {
  const me = await getJSON("/v1/me");
  $("viewer").textContent = me.role === "public"
    ? "Viewing as the public: counts from 1 to 9 are withheld and no booking is shown."
    : `Signed in as ${me.name} (${me.role}${me.ori ? `, ORI ${me.ori}` : ""}${me.state ? `, state ${me.state}` : ""}` +
      `${me.ice_office ? `, office ${me.ice_office}` : ""}): ` +
      (me.suppression_threshold === null ? "every cell shown." : "counts from 1 to 9 are withheld.");
}

async function setup() {
  busy("loading");
  const [all, report, policies] = await Promise.all([getJSON("/v1/statistics/monthly"),
    getJSON("/v1/statistics/interoperability"), getJSON("/v1/statistics/policies"), showCaller()]);
  months = all.months.map((m) => m.month);
  counties = report.counties;
  options($("f-from"), months.map((m) => [m, m]), months[0]);
  options($("f-to"), months.map((m) => [m, m]), months[months.length - 1]);
  options($("f-state"), [...new Set(counties.map((c) => c.state))].sort().map((st) => [st, st]), "");
  fillJurisdictions();
  options($("p-policy"), policies.map((p) => [p.name, p.label]), "honor_all");
}

async function useToken(event) {
  event.preventDefault();
  const candidate = $("token").value.trim();
  try {
    if (candidate) await getJSON("/v1/me", {}, candidate); // refuse a bad token before keeping it
    setToken(candidate);
    $("token").value = "";
    await showCaller();
    await refresh();
  } catch (error) {
    $("viewer").textContent = error instanceof ApiError && error.status === 401
      ? "That token was refused (invalid, expired or revoked). Still viewing as before." : `Error: ${error.message}`;
  }
}

async function forgetToken() {
  setToken("");
  replaceTimeline();
  await showCaller();
  await refresh();
}

function replaceTimeline() {
  $("timeline-result").replaceChildren();
}

async function compare(event) {
  event.preventDefault();
  const f = filters();
  if (!f.jurisdiction) {
    renderPolicyPrompt("Choose a jurisdiction in the filters above first.");
    return;
  }
  busy("loading");
  try {
    const w = windowOf(f);
    renderPolicy(await getJSON("/v1/statistics/what-if", { jurisdiction: f.jurisdiction, policy: $("p-policy").value,
      start: w.start, end: w.through }));
  } catch (error) {
    renderRefusal("policy-result", `The comparison failed: ${error.message}`);
  }
  busy("ready");
}

async function showTimeline(event) {
  event.preventDefault();
  const tcn = $("t-tcn").value.trim();
  if (!tcn) return renderRefusal("timeline-result", "Enter a TCN first.");
  busy("loading");
  try {
    renderTimeline(await getJSON(`/v1/bookings/${encodeURIComponent(tcn)}/timeline`));
  } catch (error) {
    const status = error instanceof ApiError ? error.status : 0;
    renderRefusal("timeline-result", status === 401
      ? "Refused: booking timelines are shown only to authorised users. Enter an API token above."
      : status === 404 ? `No booking ${tcn} within your token's scope.`
        : status === 403 ? "Refused: your role may not read bookings." : `Error: ${error.message}`);
  }
  busy("ready");
}

function wire() {
  $("filters").addEventListener("submit", (event) => { event.preventDefault(); refresh(); });
  $("f-state").addEventListener("change", () => { fillJurisdictions(); refresh(); });
  $("f-jurisdiction").addEventListener("change", refresh);
  for (const id of ["f-from", "f-to"]) {
    $(id).addEventListener("change", () => {
      if ($("f-from").value > $("f-to").value) { // keep the range the right way round
        if (id === "f-from") $("f-to").value = $("f-from").value; else $("f-from").value = $("f-to").value;
      }
      refresh();
    });
  }
  $("f-reset").addEventListener("click", () => {
    $("f-state").value = "";
    fillJurisdictions();
    $("f-jurisdiction").value = "";
    $("f-from").value = months[0] ?? "";
    $("f-to").value = months[months.length - 1] ?? "";
    refresh();
  });
  $("token-form").addEventListener("submit", useToken);
  $("token-forget").addEventListener("click", forgetToken);
  $("policy-form").addEventListener("submit", compare);
  $("timeline-form").addEventListener("submit", showTimeline);
}

wire();
setup().then(refresh).catch((error) => { showError(error); busy("error"); });
