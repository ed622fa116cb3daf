// Logs: the audit events and the recorded HTTP requests (event "http.request"), newest on
// top, live: every 2 s the screen asks for the rows after the last id it has seen (again at
// once while the server says there are more), so no row is skipped. The filters (search,
// event, client, user, endpoint, level) go to the server as query parameters: pages, "Load
// older" and the polling all see the same rows. A row opens to its detail: a request's
// parameters and response (secrets already redacted by the server) and the events it
// caused; an event's fields; every JWT in either shown decoded (header, claims and whether
// pocket-op's keys verify its signature).
// API: /admin/api/events (app/admin/logs.py).

import * as api from "./api.js";
import { badge, h, heading, input, searchBox, select, time } from "./dom.js";

const POLL_MS = 2000;
const PAGE = 100;
const MAX_ROWS = 500;
const filters = { q: "", event: "", client_id: "", user: "", endpoint: "", level: "" };
const EVENT_NAMES = ["http.request", "token.error", "token.issued", "authorization.error",
  "authorization.granted", "login.failed", "login.succeeded", "consent.granted", "session.ended",
  "client.created", "client.updated", "key.rotated", "setting.changed", "acr.updated", "admin.login"];
const ENDPOINTS = ["/authorize", "/token", "/userinfo", "/interaction", "/register", "/par",
  "/introspect", "/revoke", "/end_session", "/jwks", "/.well-known"];
const LEVEL_BADGES = { error: "error", warning: "warn", info: "", debug: "" };
let usernames = {};

const isRequest = (row) => row.event === "http.request";
const isJwt = (value) => value && typeof value === "object" && "jwt_header" in value;
const json = (value) => h("pre", { class: "code" }, JSON.stringify(value, null, 2));

function userOf(row) {
  if (!row.sub) return row.fields.username || "";
  return usernames[row.sub] || row.sub;
}

function whatOf(row) {
  if (!isRequest(row)) return badge(row.event, LEVEL_BADGES[row.level]);
  const f = row.fields;
  return h("span", { class: "request-line" }, h("code", {}, `${f.method} ${f.path}`), " ",
    badge(String(f.status), f.status >= 400 || f.error ? "error" : "ok"), " ",
    h("small", { class: "muted" }, `${f.duration_ms} ms`));
}

function reasonOf(row) {
  const f = row.fields;
  if (isRequest(row)) {
    const body = f.response && f.response.body;
    const described = body && typeof body === "object" ? body.error_description : "";
    return [f.error, described].filter(Boolean).join(": ");
  }
  return f.description || f.error_description || f.reason || f.error || "";
}

/** Every decoded JWT below ``value``: [path, jwt]. */
function jwtsIn(value, path = "", found = []) {
  if (isJwt(value)) found.push([path, value]);
  else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) jwtsIn(inner, path ? `${path}.${key}` : key, found);
  }
  return found;
}

function jwtBox([path, token]) {
  const verified = /^valid/.test(token.signature || "");
  return h("div", { class: "jwt", dataset: { path } },
    h("div", { class: "jwt-title" }, h("strong", {}, path), " ", badge("JWT"), " ",
      badge(token.signature || "signature not checked", verified ? "ok" : /INVALID/.test(token.signature) ? "error" : ""),
      " ", h("small", { class: "muted" }, token.fingerprint || "")),
    h("div", { class: "jwt-parts" },
      h("div", { class: "jwt-header" }, h("h4", {}, "Header"), json(token.jwt_header)),
      h("div", { class: "jwt-claims" }, h("h4", {}, "Claims"), json(token.jwt_claims))),
    h("small", { class: "muted" }, "The signature itself is not kept."));
}

function shown(value) {
  if (isJwt(value)) return h("em", {}, "JWT, decoded below");
  if (value && typeof value === "object") return h("code", {}, JSON.stringify(value));
  return h("code", {}, String(value));
}

function paramTable(title, values) {
  if (!values || typeof values !== "object" || Array.isArray(values)) return values ? h("div", {}, h("h4", {}, title), json(values)) : null;
  return h("div", { class: "params" }, h("h4", {}, title),
    h("table", { class: "kv" }, Object.entries(values).map(([name, value]) =>
      h("tr", { dataset: { param: name } }, h("th", {}, name), h("td", {}, shown(value))))));
}

function requestDetail(row) {
  const f = row.fields;
  const sent = f.request || {};
  const answered = f.response || {};
  const body = answered.body;
  return [
    h("section", { class: "request" }, h("h3", {}, `Request: ${f.method} ${f.path}`),
      paramTable("Query", sent.query), paramTable("Form", sent.form),
      sent.json !== undefined ? h("div", {}, h("h4", {}, "JSON body"), json(sent.json)) : null,
      sent.body ? h("p", { class: "muted" }, `Body: ${sent.body}`) : null,
      paramTable("Headers", sent.headers),
      sent.truncated ? h("p", { class: "muted" }, `Truncated: ${sent.truncated}`) : null),
    h("section", { class: "response" },
      h("h3", {}, `Response: ${f.status} in ${f.duration_ms} ms`),
      h("p", { class: "muted" }, [answered.content_type, answered.size != null ? `${answered.size} bytes` : null].filter(Boolean).join(", ")),
      answered.location ? h("p", {}, "Redirect to ", h("code", {}, answered.location)) : null,
      paramTable("Redirect query", answered.location_query),
      paramTable("Redirect fragment", answered.location_fragment),
      body !== undefined ? h("div", { class: "body" }, h("h4", {}, "Body"), isJwt(body) ? shown(body) : json(body)) : null,
      answered.truncated ? h("p", { class: "muted" }, `Truncated: ${answered.truncated}`) : null),
  ];
}

async function relatedEvents(row) {
  const box = h("section", { class: "related" }, h("h3", {}, "Events of this request"));
  try {
    const { events } = await api.get("/events", { request_id: row.request_id, limit: 50 });
    const others = events.filter((event) => event.id !== row.id).reverse();
    box.append(others.length
      ? h("ul", {}, others.map((event) => h("li", {}, badge(event.event, LEVEL_BADGES[event.level]), " ", reasonOf(event))))
      : h("p", { class: "muted" }, "None."));
  } catch (error) {
    box.append(h("p", { class: "error" }, error.message));
  }
  return box;
}

async function detailOf(row) {
  const parts = isRequest(row) ? requestDetail(row) : [h("section", { class: "fields" }, h("h3", {}, "Fields"), json(row.fields))];
  const jwts = jwtsIn(row.fields);
  const meta = h("p", { class: "muted" }, `#${row.id} · ${row.endpoint || "no endpoint"} · level ${row.level}`,
    row.client_id ? ` · client ${row.client_id}` : "", row.sub ? ` · user ${userOf(row)}` : "");
  return [meta, ...parts,
    jwts.length ? h("section", { class: "jwts" }, h("h3", {}, "JWTs"), jwts.map(jwtBox)) : null,
    isRequest(row) && row.request_id ? await relatedEvents(row) : null];
}

function rowsOf(row) {
  const cell = h("td", { colspan: 6 });
  const detail = h("tr", { class: "detail", hidden: true }, cell);
  const line = h("tr", {
    class: `clickable event level-${row.level}`,
    dataset: { id: row.id, event: row.event, level: row.level, endpoint: row.endpoint || "" },
    onclick: async () => {
      const open = detail.hidden;
      if (open && !cell.childElementCount) cell.append(...(await detailOf(row)).filter(Boolean));
      detail.hidden = !open;
      line.classList.toggle("open", open);
    },
  },
  h("td", { class: "nowrap" }, time(row.at)),
  h("td", {}, badge(row.level, LEVEL_BADGES[row.level])),
  h("td", {}, whatOf(row)),
  h("td", {}, row.client_id || ""),
  h("td", {}, userOf(row)),
  h("td", { class: "reason" }, reasonOf(row)));
  return [line, detail];
}

export async function render(root) {
  const body = h("tbody", {});
  const status = h("small", { class: "muted", id: "poll-status" });
  const older = h("button", { type: "button", class: "secondary", id: "load-older", hidden: true, onclick: () => loadOlder() }, "Load older");
  let lastId = 0;
  let oldestId = null;
  let timer = null;
  let stopped = false;
  let paused = false;
  let generation = 0;

  const params = () => Object.fromEntries(Object.entries(filters).filter(([, value]) => value));

  function trim() {
    const rows = body.querySelectorAll("tr.event");
    for (let i = MAX_ROWS; i < rows.length; i += 1) {
      rows[i].nextElementSibling?.remove();
      rows[i].remove();
    }
    const last = body.querySelectorAll("tr.event");
    oldestId = last.length ? Number(last[last.length - 1].dataset.id) : null;
  }

  function showEmpty() {
    body.querySelector("tr.empty")?.remove();
    if (!body.querySelector("tr.event")) {
      body.append(h("tr", { class: "empty" }, h("td", { colspan: 6, class: "muted" }, "Nothing matches.")));
    }
  }

  async function loadNewest() {
    generation += 1;
    const asked = generation;
    const answer = await api.get("/events", { ...params(), limit: PAGE });
    if (asked !== generation) return; // the filters changed meanwhile
    body.replaceChildren(...answer.events.flatMap(rowsOf));
    lastId = answer.last_id;
    older.hidden = !answer.more;
    trim();
    showEmpty();
    status.textContent = `Updated ${new Date().toLocaleTimeString()}`;
  }

  async function loadNewer() {
    const asked = generation;
    let more = true;
    while (more && !stopped) {
      const answer = await api.get("/events", { ...params(), after: lastId, limit: 200 });
      if (asked !== generation) return;
      for (const row of answer.events) body.prepend(...rowsOf(row));
      lastId = answer.last_id;
      more = answer.more;
    }
    trim();
    showEmpty();
    status.textContent = `Updated ${new Date().toLocaleTimeString()}`;
  }

  async function loadOlder() {
    if (oldestId == null) return;
    const asked = generation;
    const answer = await api.get("/events", { ...params(), before: oldestId, limit: PAGE });
    if (asked !== generation) return;
    body.append(...answer.events.flatMap(rowsOf));
    older.hidden = !answer.more;
    const rows = body.querySelectorAll("tr.event");
    oldestId = rows.length ? Number(rows[rows.length - 1].dataset.id) : null;
  }

  async function poll() {
    if (stopped) return;
    if (!paused) {
      try { await loadNewer(); } catch (error) { status.textContent = error.message; if (error.status === 401) return; }
    }
    if (!stopped) timer = setTimeout(poll, POLL_MS);
  }

  function onFilter(name, value) {
    filters[name] = value.trim();
    loadNewest().catch((error) => { status.textContent = error.message; });
  }

  const textFilter = (name, placeholder, list) => {
    const element = input(name, filters[name], { placeholder, "aria-label": placeholder, list, class: "filter" });
    element.addEventListener("change", () => onFilter(name, element.value));
    return element;
  };
  const level = select("level", [["", "All levels"], ["warning", "Warnings and errors"], ["error", "Errors only"]], filters.level);
  level.setAttribute("aria-label", "Level");
  level.addEventListener("change", () => onFilter("level", level.value));
  const pause = h("button", { type: "button", class: "secondary", onclick: () => {
    paused = !paused;
    pause.textContent = paused ? "Resume" : "Pause";
  } }, "Pause");

  try {
    const { users } = await api.get("/users");
    usernames = Object.fromEntries(users.map((user) => [user.sub, user.username]));
  } catch { usernames = {}; }

  root.append(
    heading("Logs", pause),
    h("div", { class: "toolbar logs-filters" },
      searchBox(filters.q, (value) => onFilter("q", value), "Search the logs"),
      textFilter("event", "event, e.g. token.error", "event-names"),
      textFilter("client_id", "client_id"),
      textFilter("user", "user (username or sub)"),
      textFilter("endpoint", "endpoint, e.g. /token", "endpoints"),
      level, status),
    h("datalist", { id: "event-names" }, EVENT_NAMES.map((name) => h("option", { value: name }))),
    h("datalist", { id: "endpoints" }, ENDPOINTS.map((path) => h("option", { value: path }))),
    h("p", { class: "muted" }, "New rows appear every 2 seconds. Open a row to see the request and response, or the event's fields, with every JWT decoded. HTTP request logging and audit logging are switched in Configuration."),
    h("table", { class: "list events" },
      h("thead", {}, h("tr", {}, ["Time", "Level", "What", "Client", "User", "Reason"].map((t) => h("th", {}, t)))),
      body),
    h("div", { class: "buttons more" }, older));
  await loadNewest();
  timer = setTimeout(poll, POLL_MS);
  return () => { stopped = true; clearTimeout(timer); };
}
