// Keys: the OP's signing and encryption keys (kid, kind, alg, use, status, created), one
// active per kind. Generate a key of a kind, rotate (the old key stays published so what it
// signed still verifies), retire a replaced key (gone from the JWKS), download the JWKS.
// API: /admin/api/keys (app/admin/keys.py).

import * as api from "./api.js";
import { badge, confirmed, h, heading, searchBox, select, table, time, toast } from "./dom.js";

let query = "";
const STATUS_KIND = { active: "ok", published: "", retired: "warn" };

export async function render(root) {
  const results = h("div", {});
  const kindChoice = select("kind", []);
  kindChoice.setAttribute("aria-label", "Key kind");
  let kinds = [];

  async function load() {
    const answer = await api.get("/keys");
    kinds = answer.kinds;
    if (!kindChoice.options.length) {
      kindChoice.append(...kinds.map((kind) => h("option", { value: kind.name },
        `${kind.name} (${kind.use}: ${kind.algs.join(", ")})`)));
    }
    const q = query.toLowerCase();
    const keys = answer.keys.filter((key) => !q || [key.kid, key.kind, key.status, key.algs.join(" ")]
      .some((text) => text.toLowerCase().includes(q)));
    results.replaceChildren(table([
      ["kid", (k) => h("code", { class: "kid" }, k.kid)],
      ["Kind", (k) => k.kind],
      ["Alg", (k) => k.algs.join(", ")],
      ["Use", (k) => k.use],
      ["Status", (k) => badge(k.status, STATUS_KIND[k.status])],
      ["Created", (k) => time(k.created_at)],
      ["Retired", (k) => time(k.retired_at)],
      ["", (k) => h("div", { class: "row-actions" },
        k.status !== "retired" ? h("button", { type: "button", class: "secondary small", onclick: () => act("rotate", k) }, "Rotate") : null,
        k.status === "published" ? h("button", { type: "button", class: "danger small", onclick: () => act("retire", k) }, "Retire") : null)],
    ], keys));
    results.firstChild.dataset.keys = "";
  }

  async function act(action, key) {
    const question = action === "rotate"
      ? `Rotate ${key.kind} key ${key.kid}? A new key signs from now on; this one stays published.`
      : `Retire key ${key.kid}? It leaves the JWKS: tokens it signed no longer verify.`;
    if (!confirmed(question)) return;
    try {
      const answer = await api.post(`/keys/${encodeURIComponent(key.kid)}/${action}`);
      toast(action === "rotate" ? `New ${answer.kind} key ${answer.kid} is active.` : `Key ${key.kid} retired.`);
      await load();
    } catch (error) {
      toast(error.message);
    }
  }

  async function generate() {
    try {
      const answer = await api.post("/keys", { kind: kindChoice.value });
      toast(`New ${answer.kind} key ${answer.kid} is active.`);
      await load();
    } catch (error) {
      toast(error.message);
    }
  }

  async function downloadJwks() {
    try {
      await api.download("/keys/jwks", { download: 1 }, "jwks.json");
    } catch (error) {
      toast(error.message);
    }
  }

  root.append(
    heading("Keys", h("button", { type: "button", class: "secondary", onclick: downloadJwks }, "Download JWKS")),
    h("div", { class: "toolbar" }, searchBox(query, (value) => { query = value; load(); }, "Search keys"),
      h("span", { class: "spacer" }), kindChoice,
      h("button", { type: "button", onclick: generate }, "Generate key")),
    h("p", { class: "muted" }, "Active keys sign; published keys still verify what they signed; retired keys are gone from the JWKS."),
    results);
  await load();
}
