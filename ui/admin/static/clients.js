// Clients: the list (search by id or name), a client's page (copy-ready settings for the
// app, its secret shown once, every metadata field: a form for the common ones and a JSON
// editor for the rest), create, edit, regenerate the secret and delete.
// API: /admin/api/clients (app/admin/clients.py).

import * as api from "./api.js";
import {
  badge, checkbox, clearErrors, confirmed, copyButton, field, formError, h, heading, input,
  lines, searchBox, select, showErrors, table, textarea, time, toast,
} from "./dom.js";

const NEW = ":new";
const RAW = "metadata_json";
let query = "";
let shownSecret = null; // {client_id, secret}: the answer that carried it, shown once

/** The metadata fields the form edits; every other one lives in the JSON editor. */
const FORM_FIELDS = [
  ["client_name", "Name", "text"],
  ["application_type", "Application type", "select", () => ["web", "native"]],
  ["token_endpoint_auth_method", "Client authentication", "select",
    (d) => d.token_endpoint_auth_methods_supported, "none: a public client (PKCE); the secret methods get a secret shown once"],
  ["redirect_uris", "Redirect URIs", "lines", null, "one per line; http on localhost and loopback is fine"],
  ["grant_types", "Grant types", "checks", (d) => d.grant_types_supported],
  ["response_types", "Response types", "lines", null, "one per line, e.g. code"],
  ["scope", "Scopes", "text", null, "space-separated scopes the client may ask for"],
  ["post_logout_redirect_uris", "Post-logout redirect URIs", "lines"],
  ["subject_type", "Subject type", "select", (d) => ["", ...(d.subject_types_supported || [])]],
  ["require_pkce", "Require PKCE", "check"],
  ["access_token_as_jwt", "JWT access tokens (RFC 9068)", "check"],
  ["access_token_lifetime", "Access token lifetime (seconds)", "number", null, "empty: the server's default"],
  ["default_prompt_login", "Always prompt=login", "check"],
];
const FORM_NAMES = new Set(FORM_FIELDS.map(([name]) => name));

export async function render(root, item) {
  if (item === null) return renderList(root);
  const discovery = await api.getDiscovery();
  if (item === NEW) return renderForm(root, null, discovery);
  const client = await api.get(`/clients/${encodeURIComponent(item)}`);
  return renderForm(root, client, discovery);
}

async function renderList(root) {
  const results = h("div", {});
  async function load() {
    const { clients } = await api.get("/clients", { q: query });
    results.replaceChildren(table([
      ["Client ID", (c) => h("a", { href: `#/clients/${encodeURIComponent(c.client_id)}` }, c.client_id)],
      ["Name", (c) => c.metadata.client_name || ""],
      ["Authentication", (c) => c.metadata.token_endpoint_auth_method || "client_secret_basic"],
      ["Grant types", (c) => (c.metadata.grant_types || []).join(", ")],
      ["Status", (c) => [c.active ? badge("active", "ok") : badge("inactive", "warn"),
        c.trusted ? badge("trusted") : null]],
    ], clients, (c) => { location.hash = `#/clients/${encodeURIComponent(c.client_id)}`; }));
  }
  root.append(
    heading("Clients", h("a", { class: "button", href: `#/clients/${NEW}` }, "New client")),
    h("div", { class: "toolbar" }, searchBox(query, (value) => { query = value; load(); },
      "Search clients")),
    results);
  await load();
}

function formInput([name, , kind, options], value, discovery) {
  if (kind === "select") {
    const choices = options(discovery) || [];
    if (value && !choices.includes(value)) choices.push(value);
    return select(name, choices.map((c) => [c, c || "(default)"]), value ?? choices[0]);
  }
  if (kind === "lines") return textarea(name, (value || []).join("\n"), { rows: 3 });
  if (kind === "check") return checkbox(name, value);
  if (kind === "number") return input(name, value ?? "", { type: "number", min: 1 });
  if (kind === "checks") {
    return h("div", { class: "checks", id: `f-${name}`, name },
      (options(discovery) || []).map((grant) => h("label", { class: "inline" },
        h("input", { type: "checkbox", name, value: grant, checked: (value || []).includes(grant) }),
        ` ${grant}`)));
  }
  return input(name, value ?? "");
}

function readForm(form, original) {
  const metadata = {};
  for (const [name, , kind] of FORM_FIELDS) {
    if (kind === "checks") {
      metadata[name] = [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((box) => box.value);
      continue;
    }
    const element = form.elements[name];
    if (kind === "check") {
      if (element.checked || name in original) metadata[name] = element.checked;
    } else if (kind === "lines") {
      const values = lines(element.value);
      if (values.length || name in original) metadata[name] = values;
    } else if (kind === "number") {
      if (element.value !== "") metadata[name] = Number(element.value);
    } else if (element.value.trim() !== "") {
      metadata[name] = element.value.trim();
    }
  }
  return metadata;
}

function settingsBlock(client, discovery) {
  const rows = [
    ["issuer", discovery.issuer],
    ["client_id", client.client_id],
    ["client_secret", client.has_secret ? "(shown once: when created or regenerated)" : "(none: public client)"],
    ["discovery_url", `${discovery.issuer}/.well-known/openid-configuration`],
    ["authorization_endpoint", discovery.authorization_endpoint],
    ["token_endpoint", discovery.token_endpoint],
    ["userinfo_endpoint", discovery.userinfo_endpoint],
    ["end_session_endpoint", discovery.end_session_endpoint],
    ["jwks_uri", discovery.jwks_uri],
    ["redirect_uri", (client.metadata.redirect_uris || [])[0]],
    ["scope", client.metadata.scope],
  ].filter(([, value]) => value);
  const text = rows.map(([name, value]) => `${name}=${value}`).join("\n");
  return h("section", { class: "card" },
    h("div", { class: "heading small" }, h("h2", {}, "Settings for your app"), copyButton(() => text)),
    h("pre", { id: "app-settings", class: "copyable" }, text));
}

function secretBox(client) {
  if (!shownSecret || shownSecret.client_id !== client.client_id) return null;
  const { secret } = shownSecret;
  shownSecret = null;
  return h("section", { class: "card secret", id: "client-secret" },
    h("h2", {}, "Client secret"),
    h("p", {}, "Copy it now: it is shown only this once. Regenerate it if it is lost."),
    h("div", { class: "row" }, h("code", { class: "secret-value" }, secret), copyButton(() => secret)));
}

function toLocalInput(seconds) {
  if (!seconds) return "";
  const date = new Date(seconds * 1000);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

function renderForm(root, client, discovery) {
  const isNew = client === null;
  const metadata = client ? client.metadata : { grant_types: ["authorization_code"], response_types: ["code"] };
  const rest = Object.fromEntries(Object.entries(metadata).filter(([name]) => !FORM_NAMES.has(name)));
  const form = h("form", { class: "card form", novalidate: true },
    formError(),
    isNew ? field("Client ID", input("client_id", "", { placeholder: "empty: generated" })) : null,
    h("div", { class: "grid" }, FORM_FIELDS.map((spec) => field(spec[1],
      formInput(spec, metadata[spec[0]], discovery), spec[4]))),
    h("fieldset", {}, h("legend", {}, "Admin"),
      h("div", { class: "grid" },
        field("Trusted (skip consent)", checkbox("trusted", client?.trusted)),
        field("Active", checkbox("active", client ? client.active : true)),
        field("Expires at", input("expires_at", toLocalInput(client?.expires_at), { type: "datetime-local" }),
          "empty: never expires"))),
    field("Other metadata (JSON)", textarea(RAW, JSON.stringify(rest, null, 2), { rows: 10, class: "code", spellcheck: false }),
      "every other client metadata field: signing and encryption algs, JWKS, logout, PAR, ACRs, URIs, contacts, software statement…"),
    h("div", { class: "buttons" }, h("button", { type: "submit" }, isNew ? "Create client" : "Save changes"),
      h("a", { class: "button secondary", href: "#/clients" }, "Back to the list")));
  form.addEventListener("submit", (event) => { event.preventDefault(); save(form, client, metadata); });

  const actions = [];
  if (!isNew) {
    if (client.has_secret) actions.push(h("button", { type: "button", class: "secondary", onclick: () => regenerate(client) }, "Regenerate secret"));
    actions.push(h("button", { type: "button", class: "danger", onclick: () => remove(client) }, "Delete"));
  }
  const title = isNew ? "New client" : `Client ${client.metadata.client_name || client.client_id}`;
  root.append(heading(title, ...actions));
  if (!isNew) {
    root.append(h("p", { class: "muted" }, `client_id ${client.client_id} · created ${time(client.created_at)} · updated ${time(client.updated_at)}`));
    root.append(...[secretBox(client), settingsBlock(client, discovery)].filter(Boolean));
  }
  root.append(form);
}

async function save(form, client, original) {
  clearErrors(form);
  let extra;
  try {
    extra = JSON.parse(form.elements[RAW].value || "{}");
    if (typeof extra !== "object" || Array.isArray(extra) || extra === null) throw new Error("expected a JSON object");
  } catch (error) {
    showErrors(form, { message: "The other metadata is not a JSON object.", fields: { [RAW]: error.message } });
    return;
  }
  const expires = form.elements.expires_at.value;
  const body = {
    metadata: { ...extra, ...readForm(form, original) },
    trusted: form.elements.trusted.checked,
    active: form.elements.active.checked,
    expires_at: expires ? Math.floor(new Date(expires).getTime() / 1000) : null,
  };
  try {
    let answer;
    if (client === null) {
      const clientId = form.elements.client_id.value.trim();
      if (clientId) body.client_id = clientId;
      answer = await api.post("/clients", body);
      toast(`Client ${answer.client_id} created.`);
    } else {
      answer = await api.put(`/clients/${encodeURIComponent(client.client_id)}`, body);
      toast("Saved.");
    }
    if (answer.client_secret) shownSecret = { client_id: answer.client_id, secret: answer.client_secret };
    const target = `#/clients/${encodeURIComponent(answer.client_id)}`;
    if (location.hash === target) window.dispatchEvent(new HashChangeEvent("hashchange"));
    else location.hash = target;
  } catch (error) {
    if (error.status === 401) return;
    showErrors(form, error, RAW);
  }
}

async function regenerate(client) {
  if (!confirmed(`Regenerate the secret of ${client.client_id}? The old one stops working at once.`)) return;
  try {
    const answer = await api.post(`/clients/${encodeURIComponent(client.client_id)}/secret`);
    shownSecret = { client_id: answer.client_id, secret: answer.client_secret };
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } catch (error) {
    toast(error.message);
  }
}

async function remove(client) {
  if (!confirmed(`Delete client ${client.client_id}? Its codes, tokens and consents go with it.`)) return;
  try {
    await api.del(`/clients/${encodeURIComponent(client.client_id)}`);
    toast(`Client ${client.client_id} deleted.`);
    location.hash = "#/clients";
  } catch (error) {
    toast(error.message);
  }
}
