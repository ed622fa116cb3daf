// Sessions: the live SSO sessions (user, clients, created, last used, acr, IP, user agent).
// Revoke one, or all of a user's: the same logout as end_session (back-channel included).
// API: /admin/api/sessions (app/admin/sessions.py).

import * as api from "./api.js";
import { badge, confirmed, h, heading, searchBox, table, time, toast } from "./dom.js";

let query = "";

export async function render(root) {
  const results = h("div", {});

  async function load() {
    const { sessions } = await api.get("/sessions");
    const q = query.toLowerCase();
    const shown = sessions.filter((s) => !q || [s.username || "", s.sub, s.ip || "", s.user_agent || "",
      s.clients.join(" "), s.acr || ""].some((text) => text.toLowerCase().includes(q)));
    results.replaceChildren(table([
      ["User", (s) => h("a", { href: `#/users/${encodeURIComponent(s.sub)}` }, s.username || s.sub)],
      ["Clients", (s) => s.clients.join(", ") || "—"],
      ["Created", (s) => time(s.created_at)],
      ["Last used", (s) => [time(s.last_used_at), s.expired ? badge("expired", "warn") : null]],
      ["acr / amr", (s) => `${s.acr ?? "—"} / ${(s.amr || []).join(" ") || "—"}`],
      ["IP", (s) => s.ip || "—"],
      ["User agent", (s) => h("span", { class: "ua", title: s.user_agent || "" }, s.user_agent || "—")],
      ["", (s) => h("div", { class: "row-actions" },
        h("button", { type: "button", class: "danger small", dataset: { sid: s.sid }, onclick: () => revoke(s) }, "Revoke"),
        h("button", { type: "button", class: "secondary small", onclick: () => revokeAll(s) }, "Revoke all of user"))],
    ], shown));
  }

  async function revoke(session) {
    if (!confirmed(`Revoke this session of ${session.username || session.sub}?`)) return;
    try {
      await api.del(`/sessions/${encodeURIComponent(session.sid)}`);
      toast("Session revoked.");
    } catch (error) {
      toast(error.message);
    }
    await load();
  }

  async function revokeAll(session) {
    if (!confirmed(`Revoke every session of ${session.username || session.sub}?`)) return;
    try {
      const { revoked } = await api.del("/sessions", { sub: session.sub });
      toast(`${revoked} session(s) revoked.`);
    } catch (error) {
      toast(error.message);
    }
    await load();
  }

  root.append(
    heading("Sessions", h("button", { type: "button", class: "secondary", onclick: load }, "Refresh")),
    h("div", { class: "toolbar" }, searchBox(query, (value) => { query = value; load(); }, "Search sessions")),
    results);
  await load();
}
