// Users: the people who sign in at the login page. List with search, create, edit the
// claims (a JSON object: the standard claims and any custom ones), reset the password,
// (de)activate, delete. Changes apply to the next token or userinfo call.
// API: /admin/api/users (app/admin/users.py).

import * as api from "./api.js";
import {
  badge, checkbox, clearErrors, confirmed, field, formError, h, heading, input, searchBox,
  showErrors, table, textarea, time, toast,
} from "./dom.js";

const NEW = ":new";
const EXAMPLE_CLAIMS = { name: "", email: "", email_verified: false };
let query = "";

export async function render(root, item) {
  if (item === null) return renderList(root);
  if (item === NEW) return renderForm(root, null);
  return renderForm(root, await api.get(`/users/${encodeURIComponent(item)}`));
}

const open = (user) => { location.hash = `#/users/${encodeURIComponent(user.sub)}`; };

async function renderList(root) {
  const results = h("div", {});
  async function load() {
    const { users } = await api.get("/users", { q: query });
    results.replaceChildren(table([
      ["Username", (u) => h("a", { href: `#/users/${encodeURIComponent(u.sub)}` }, u.username)],
      ["Name", (u) => u.claims.name || ""],
      ["Email", (u) => u.claims.email || ""],
      ["sub", (u) => h("code", {}, u.sub)],
      ["Status", (u) => (u.active ? badge("active", "ok") : badge("inactive", "warn"))],
    ], users, open));
  }
  root.append(
    heading("Users", h("a", { class: "button", href: `#/users/${NEW}` }, "New user")),
    h("div", { class: "toolbar" }, searchBox(query, (value) => { query = value; load(); }, "Search users")),
    results);
  await load();
}

function readClaims(form) {
  try {
    const claims = JSON.parse(form.elements.claims.value || "{}");
    if (claims && typeof claims === "object" && !Array.isArray(claims)) return claims;
  } catch { /* shown below */ }
  showErrors(form, { message: "The claims are not a JSON object.", fields: { claims: "expected a JSON object" } });
  return null;
}

function renderForm(root, user) {
  const isNew = user === null;
  const form = h("form", { class: "card form", id: "user-form", novalidate: true },
    formError(),
    h("div", { class: "grid" },
      field("Username", input("username", user?.username || "", { readOnly: !isNew })),
      isNew ? field("Password", input("password", "", { type: "password", autocomplete: "new-password" }))
        : field("sub", input("sub", user.sub, { readOnly: true })),
      isNew ? field("sub", input("sub", "", { placeholder: "empty: generated" })) : null,
      field("Active", checkbox("active", user ? user.active : true))),
    field("Claims (JSON)", textarea("claims", JSON.stringify(user ? user.claims : EXAMPLE_CLAIMS, null, 2),
      { rows: 22, class: "code", spellcheck: false }),
    "standard claims (OIDC Core §5.1) with their types, plus any custom claim; sub and updated_at are set by the server"),
    h("div", { class: "buttons" }, h("button", { type: "submit" }, isNew ? "Create user" : "Save changes"),
      h("a", { class: "button secondary", href: "#/users" }, "Back to the list")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const claims = readClaims(form);
    if (!claims) return;
    try {
      if (isNew) {
        const body = { username: form.elements.username.value.trim(), password: form.elements.password.value,
          claims, active: form.elements.active.checked };
        if (form.elements.sub.value.trim()) body.sub = form.elements.sub.value.trim();
        const created = await api.post("/users", body);
        toast(`User ${created.username} created.`);
        open(created);
      } else {
        await api.put(`/users/${encodeURIComponent(user.sub)}`, { claims, active: form.elements.active.checked });
        toast("Saved: the next token and userinfo answer carry the change.");
      }
    } catch (error) {
      if (error.status !== 401) showErrors(form, error, "claims");
    }
  });
  const actions = isNew ? [] : [h("button", { type: "button", class: "danger", onclick: () => remove(user) }, "Delete")];
  root.append(heading(isNew ? "New user" : `User ${user.username}`, ...actions));
  if (!isNew) root.append(h("p", { class: "muted" }, `created ${time(user.created_at)} · updated ${time(user.updated_at)}`));
  root.append(form);
  if (!isNew) root.append(passwordForm(user));
}

function passwordForm(user) {
  const form = h("form", { class: "card form", id: "password-form", novalidate: true },
    h("h2", {}, "Reset password"), formError(),
    field("New password", input("password", "", { type: "password", autocomplete: "new-password" })),
    h("div", { class: "buttons" }, h("button", { type: "submit" }, "Set password")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      await api.patch(`/users/${encodeURIComponent(user.sub)}`, { password: form.elements.password.value });
      form.elements.password.value = "";
      toast(`Password of ${user.username} changed.`);
    } catch (error) {
      if (error.status !== 401) showErrors(form, error);
    }
  });
  return form;
}

async function remove(user) {
  if (!confirmed(`Delete user ${user.username}? Their sessions, consents and tokens go with them.`)) return;
  try {
    await api.del(`/users/${encodeURIComponent(user.sub)}`);
    toast(`User ${user.username} deleted.`);
    location.hash = "#/users";
  } catch (error) {
    toast(error.message);
  }
}
