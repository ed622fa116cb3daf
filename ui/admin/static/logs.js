// Logs: the audit events, newest first, polled every 2 s for new ones (after_id), filtered
// by event name and client. Each row opens to show all its fields: for a failed request the
// description says why it failed.
// API: /admin/api/events (app/admin/events.py).

import * as api from "./api.js";
import { badge, h, heading, input, time } from "./dom.js";

const POLL_MS = 2000;
const filters = { event: "", client_id: "" };

function levelOf(name) {
  if (/(error|failed|refused|reused|denied)/.test(name)) return "warn";
  return "";
}

function reasonOf(fields) {
  return fields.description || fields.error_description || fields.reason || fields.error || "";
}

function summary(fields) {
  return Object.entries(fields)
    .filter(([name]) => !["description", "error_description", "client_id"].includes(name))
    .map(([name, value]) => `${name}=${typeof value === "object" ? JSON.stringify(value) : value}`)
    .join(" ");
}

function eventRows(event) {
  const detail = h("tr", { class: "detail", hidden: true },
    h("td", { colspan: 5 }, h("pre", { class: "code" }, JSON.stringify(event.fields, null, 2))));
  const row = h("tr", {
    class: `clickable event ${levelOf(event.event)}`, dataset: { id: event.id, event: event.event },
    onclick: () => { detail.hidden = !detail.hidden; row.classList.toggle("open", !detail.hidden); },
  },
  h("td", { class: "nowrap" }, time(event.at)),
  h("td", {}, badge(event.event, levelOf(event.event))),
  h("td", {}, event.fields.client_id || ""),
  h("td", { class: "reason" }, reasonOf(event.fields)),
  h("td", { class: "fields muted" }, summary(event.fields)));
  return [row, detail];
}

export async function render(root) {
  const body = h("tbody", {});
  const status = h("small", { class: "muted", id: "poll-status" });
  let lastId = 0;
  let timer = null;
  let stopped = false;
  let paused = false;
  let generation = 0;

  async function load(reset) {
    const params = { ...filters, limit: 200 };
    if (reset) generation += 1;
    else params.after_id = lastId;
    const asked = generation;
    const answer = await api.get("/events", params);
    if (asked !== generation) return; // the filters changed meanwhile
    if (reset) body.replaceChildren();
    lastId = answer.last_id;
    const rows = answer.events.flatMap(eventRows);
    body.prepend(...rows);
    if (reset && !answer.events.length) body.append(h("tr", { class: "empty" }, h("td", { colspan: 5, class: "muted" }, "No events.")));
    if (answer.events.length) body.querySelector("tr.empty")?.remove();
    status.textContent = `Updated ${new Date().toLocaleTimeString()}`;
  }

  async function poll() {
    if (stopped) return;
    if (!paused) {
      try { await load(false); } catch (error) { status.textContent = error.message; if (error.status === 401) return; }
    }
    if (!stopped) timer = setTimeout(poll, POLL_MS);
  }

  const eventFilter = input("event", filters.event, { placeholder: "event, e.g. token.error", "aria-label": "Event", list: "event-names" });
  const clientFilter = input("client_id", filters.client_id, { placeholder: "client_id", "aria-label": "Client" });
  const names = h("datalist", { id: "event-names" }, ["token.error", "token.issued", "authorization.error",
    "authorization.granted", "login.failed", "login.succeeded", "consent.granted", "session.ended",
    "client.created", "client.updated", "key.rotated", "setting.changed", "admin.login"].map((name) => h("option", { value: name })));
  for (const element of [eventFilter, clientFilter]) {
    element.addEventListener("change", () => { filters[element.name] = element.value.trim(); load(true); });
  }
  const pause = h("button", { type: "button", class: "secondary", onclick: () => {
    paused = !paused;
    pause.textContent = paused ? "Resume" : "Pause";
  } }, "Pause");

  root.append(
    heading("Logs", pause),
    h("div", { class: "toolbar" }, eventFilter, names, clientFilter, status),
    h("p", { class: "muted" }, "New events appear every 2 seconds. Open a row to see all its fields."),
    h("table", { class: "list events" },
      h("thead", {}, h("tr", {}, ["Time", "Event", "Client", "Reason", "Fields"].map((t) => h("th", {}, t)))),
      body));
  await load(true);
  timer = setTimeout(poll, POLL_MS);
  return () => { stopped = true; clearTimeout(timer); };
}
