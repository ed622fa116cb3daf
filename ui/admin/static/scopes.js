// Scopes: OAuth scopes (a description), OpenID scopes (a description and the claims they
// release), spontaneous scopes (read-only: clients' requests create them). List with search
// and a kind filter, create, edit, delete (not the built-in ones).
// API: /admin/api/scopes (app/admin/scopes.py).

import * as api from "./api.js";
import {
  badge, clearErrors, confirmed, field, formError, h, heading, input, searchBox, select,
  showErrors, table, textarea, toast,
} from "./dom.js";

const NEW = ":new";
let query = "";
let kind = "";

export async function render(root, item) {
  if (item === null) return renderList(root);
  if (item === NEW) return renderForm(root, null);
  return renderForm(root, await api.get(`/scopes/${encodeURIComponent(item)}`));
}

const open = (scope) => { location.hash = `#/scopes/${encodeURIComponent(scope.name)}`; };

async function renderList(root) {
  const results = h("div", {});
  async function load() {
    const { scopes } = await api.get("/scopes", { q: query, kind });
    results.replaceChildren(table([
      ["Scope", (s) => h("a", { href: `#/scopes/${encodeURIComponent(s.name)}` }, s.name)],
      ["Kind", (s) => [badge(s.kind, s.kind), s.builtin ? badge("built in") : null]],
      ["Description", (s) => s.description],
      ["Claims", (s) => s.claims.join(" ")],
    ], scopes, open));
  }
  const kindFilter = select("kind", [["", "All kinds"], ["oauth", "OAuth"], ["openid", "OpenID"],
    ["spontaneous", "Spontaneous"]], kind);
  kindFilter.setAttribute("aria-label", "Kind");
  kindFilter.addEventListener("change", () => { kind = kindFilter.value; load(); });
  root.append(
    heading("Scopes", h("a", { class: "button", href: `#/scopes/${NEW}` }, "New scope")),
    h("div", { class: "toolbar" }, searchBox(query, (value) => { query = value; load(); }, "Search scopes"), kindFilter),
    results);
  await load();
}

function renderForm(root, scope) {
  const isNew = scope === null;
  const readOnly = scope?.kind === "spontaneous";
  const kindInput = isNew ? select("kind", [["oauth", "OAuth (description only)"], ["openid", "OpenID (releases claims)"]], "oauth")
    : input("kind", scope.kind, { readOnly: true });
  const form = h("form", { class: "card form", novalidate: true },
    formError(),
    field("Name", input("name", scope?.name || "", { readOnly: !isNew, required: true })),
    field("Kind", kindInput),
    field("Description", textarea("description", scope?.description || "", { rows: 2, readOnly })),
    field("Claims", textarea("claims", (scope?.claims || []).join("\n"), { rows: 4, readOnly }),
      "OpenID scopes only: one claim name per line (or separated by spaces)"),
    readOnly ? h("p", { class: "muted" }, "A spontaneous scope: clients' requests define it; it is shown read-only.")
      : h("div", { class: "buttons" }, h("button", { type: "submit" }, isNew ? "Create scope" : "Save changes"),
        h("a", { class: "button secondary", href: "#/scopes" }, "Back to the list")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const claims = form.elements.claims.value.split(/\s+/).filter(Boolean);
    const body = { description: form.elements.description.value };
    const chosenKind = isNew ? form.elements.kind.value : scope.kind;
    if (chosenKind === "openid" || claims.length) body.claims = claims;
    try {
      if (isNew) {
        const created = await api.post("/scopes", { ...body, name: form.elements.name.value.trim(), kind: chosenKind });
        toast(`Scope ${created.name} created.`);
        open(created);
      } else {
        await api.put(`/scopes/${encodeURIComponent(scope.name)}`, body);
        toast("Saved.");
      }
    } catch (error) {
      if (error.status !== 401) showErrors(form, error);
    }
  });
  const actions = [];
  if (!isNew && !scope.builtin && !readOnly) {
    actions.push(h("button", { type: "button", class: "danger", onclick: () => remove(scope) }, "Delete"));
  }
  root.append(heading(isNew ? "New scope" : `Scope ${scope.name}`, ...actions), form);
}

async function remove(scope) {
  if (!confirmed(`Delete scope ${scope.name}?`)) return;
  try {
    await api.del(`/scopes/${encodeURIComponent(scope.name)}`);
    toast(`Scope ${scope.name} deleted.`);
    location.hash = "#/scopes";
  } catch (error) {
    toast(error.message);
  }
}
