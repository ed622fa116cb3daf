// Clients: the list (search by id or name), a client's page (copy-ready settings for the
// app, its secret shown once, "Try it", and one input per metadata field in collapsible
// sections, with a JSON editor for whatever else the client carries), create, edit,
// regenerate the secret and delete. #/clients/<id>/try/<state> shows a Try it run's result.
// API: /admin/api/clients (app/admin/clients.py), /admin/api/client-options.

import * as api from "./api.js";
import { FIELD_NAMES, SECTIONS, fieldInput, readField } from "./client_fields.js";
import {
  badge, checkbox, clearErrors, confirmed, copyButton, field, formError, h, heading, input,
  searchBox, showErrors, table, textarea, time, toast,
} from "./dom.js";
import { renderRun, tryPanel } from "./try_it.js";

const NEW = ":new";
const RAW = "metadata_json";
let query = "";
let shownSecret = null; // {client_id, secret}: the answer that carried it, shown once

export async function render(root, item) {
  if (item === null) return renderList(root);
  const run = item.match(/^(.+)\/try\/([^/]+)$/);
  if (run) return renderRun(root, run[1], run[2]);
  const [discovery, options] = await Promise.all([api.getDiscovery(), api.get("/client-options")]);
  if (item === NEW) return renderForm(root, null, discovery, options);
  const client = await api.get(`/clients/${encodeURIComponent(item)}`);
  return renderForm(root, client, discovery, options);
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

/** The settings an app needs, each with its copy button, and all of them as .env lines. */
function settingsBlock(client, discovery) {
  const metadata = client.metadata;
  const rows = [
    ["issuer", discovery.issuer],
    ["client_id", client.client_id],
    ["client_secret", client.has_secret ? "(shown once: when created or regenerated)" : "(none: public client)", false],
    ["discovery_url", `${discovery.issuer}/.well-known/openid-configuration`],
    ["authorization_endpoint", discovery.authorization_endpoint],
    ["token_endpoint", discovery.token_endpoint],
    ["userinfo_endpoint", discovery.userinfo_endpoint],
    ["end_session_endpoint", discovery.end_session_endpoint],
    ["jwks_uri", discovery.jwks_uri],
    ["introspection_endpoint", discovery.introspection_endpoint],
    ["revocation_endpoint", discovery.revocation_endpoint],
    ["pushed_authorization_request_endpoint", discovery.pushed_authorization_request_endpoint],
    ...(metadata.redirect_uris || []).map((uri) => ["redirect_uri", uri]),
    ...(metadata.post_logout_redirect_uris || []).map((uri) => ["post_logout_redirect_uri", uri]),
    ["scope", metadata.scope],
  ].filter(([, value]) => value);
  const text = rows.map(([name, value]) => `${name}=${value}`).join("\n");
  // Each line reads name=value (the copy buttons' label is CSS, not text), as in a .env file.
  return h("section", { class: "card", id: "copy-settings" },
    h("div", { class: "heading small" }, h("h2", {}, "Settings for your app"), copyButton(() => text, "Copy all")),
    h("div", { id: "app-settings", class: "copyable settings-lines" }, rows.map(([name, value, copyable]) =>
      h("div", { class: "line", dataset: { setting: name } },
        h("code", {}, `${name}=${value}`),
        copyable === false ? null : h("button", {
          type: "button", class: "secondary small copy-icon", title: `Copy ${name}`, "aria-label": `Copy ${name}`,
          onclick: () => copyText(value),
        })))));
}

async function copyText(text) {
  try { await navigator.clipboard.writeText(text); toast("Copied."); }
  catch { toast("Select the text and copy it (the clipboard is not available)."); }
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

function adminFields(client) {
  return [
    field("Trusted (skip consent)", checkbox("trusted", client?.trusted)),
    field("Active", checkbox("active", client ? client.active : true)),
    field("Expires at", input("expires_at", toLocalInput(client?.expires_at), { type: "datetime-local" }),
      "empty: never expires"),
  ];
}

function section([id, title, open, fields], metadata, options, extra = []) {
  const hint = (spec) => (spec.list ? `${spec.hint}; known: ${(options[spec.list] || []).join(" ")}` : spec.hint);
  return h("details", { class: "section", dataset: { section: id }, open },
    h("summary", {}, title),
    h("div", { class: "grid" }, fields.map((spec) => field(spec.label, fieldInput(spec, metadata[spec.name], options), hint(spec))),
      extra));
}

function renderForm(root, client, discovery, options) {
  const isNew = client === null;
  const metadata = client ? client.metadata : { grant_types: ["authorization_code"], response_types: ["code"] };
  const rest = Object.fromEntries(Object.entries(metadata).filter(([name]) => !FIELD_NAMES.has(name)));
  const [basics, ...others] = SECTIONS;
  const form = h("form", { class: "card form client-form", novalidate: true },
    formError(),
    isNew ? field("Client ID", input("client_id", "", { placeholder: "empty: generated" })) : null,
    section(basics, metadata, options, adminFields(client)),
    others.map((spec) => section(spec, metadata, options)),
    field("Other metadata (JSON)", textarea(RAW, JSON.stringify(rest, null, 2), { rows: 6, class: "code", spellcheck: false }),
      "any other client metadata the server keeps as given (extensions of your own)"),
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
    const panel = h("div", {});
    root.append(panel);
    tryPanel(client).then((element) => panel.replaceWith(element)).catch((error) => {
      if (error.status !== 401) panel.replaceWith(h("p", { class: "error" }, error.message));
    });
  }
  root.append(form);
}

/** The form's metadata, or null after showing the field whose JSON does not parse. */
function readMetadata(form, original) {
  const problems = {};
  let extra = {};
  try {
    extra = JSON.parse(form.elements[RAW].value || "{}");
    if (typeof extra !== "object" || Array.isArray(extra) || extra === null) throw new Error("expected a JSON object");
  } catch (error) {
    problems[RAW] = error.message;
  }
  const metadata = { ...extra };
  for (const [, , , fields] of SECTIONS) {
    for (const spec of fields) {
      try {
        const [present, value] = readField(form, spec, original);
        if (present) metadata[spec.name] = value;
      } catch (problem) {
        problems[problem.field] = problem.message;
      }
    }
  }
  if (!Object.keys(problems).length) return metadata;
  showFieldErrors(form, { message: `Invalid '${Object.keys(problems)[0]}': not JSON.`, fields: problems });
  return null;
}

/** The API's errors next to their fields, each closed section holding one opened. */
function showFieldErrors(form, error) {
  showErrors(form, error, RAW);
  for (const slot of form.querySelectorAll(".field-error:not([hidden])")) {
    const details = slot.closest("details");
    if (details) details.open = true;
  }
}

async function save(form, client, original) {
  clearErrors(form);
  const metadata = readMetadata(form, original);
  if (metadata === null) return;
  const expires = form.elements.expires_at.value;
  const body = {
    metadata,
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
    showFieldErrors(form, error);
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
