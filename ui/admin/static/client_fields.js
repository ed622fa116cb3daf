// The client form's fields: one input per client metadata field the server knows, grouped in
// collapsible sections, and how each reads back into metadata. Choices come from
// GET /admin/api/client-options (what the metadata validation accepts). A field left empty
// is omitted (the server's default applies); a box unticked is sent as false only when the
// client had the field.

import { checkbox, h, input, lines, select, textarea } from "./dom.js";

const f = (name, label, kind, extra = {}) => ({ name, label, kind, ...extra });
const alg = (what, label) => [
  f(`${what}_signed_response_alg`, `${label} signing alg`, "select", { options: "signing_alg" }),
  f(`${what}_encrypted_response_alg`, `${label} encryption alg`, "select", { options: `${what}_encrypted_response_alg`, hint: "needs jwks or jwks_uri with an encryption key" }),
  f(`${what}_encrypted_response_enc`, `${label} encryption enc`, "select", { options: `${what}_encrypted_response_enc` }),
];

/** [id, title, open at first, fields] */
export const SECTIONS = [
  ["basics", "Basics", true, [
    f("client_name", "Name", "text"),
    f("description", "Description", "text", { hint: "for you; kept in the client's metadata" }),
    f("application_type", "Application type", "select", { options: "application_type", required: true }),
    f("token_endpoint_auth_method", "Client authentication", "select", { options: "token_endpoint_auth_method", required: true,
      hint: "none: a public client (PKCE); the secret methods get a secret shown once" }),
    f("grant_types", "Grant types", "checks", { options: "grant_type" }),
    f("response_types", "Response types", "checks", { options: "response_type" }),
    f("scope", "Scopes", "text", { hint: "space-separated scopes the client may ask for", list: "scope" }),
    f("subject_type", "Subject type", "select", { options: "subject_type" }),
    f("sector_identifier_uri", "Sector identifier URI", "text", { hint: "pairwise subjects: an https URL serving a JSON array of the redirect URIs" }),
  ]],
  ["redirects", "Redirects & logout", true, [
    f("redirect_uris", "Redirect URIs", "lines", { hint: "one per line; http on localhost and loopback is fine" }),
    f("redirect_uris_regex", "Redirect URI regex", "text", { hint: "also accepted: redirect URIs matching it in full" }),
    f("post_logout_redirect_uris", "Post-logout redirect URIs", "lines"),
    f("frontchannel_logout_uri", "Front-channel logout URI", "text"),
    f("frontchannel_logout_session_required", "Front-channel logout needs iss and sid", "check"),
    f("backchannel_logout_uri", "Back-channel logout URI", "text"),
    f("backchannel_logout_session_required", "Back-channel logout token needs sid", "check"),
  ]],
  ["tokens", "Tokens", false, [
    f("access_token_as_jwt", "Access token type", "tristate", { choices: [["", "(server default)"], ["true", "JWT (RFC 9068)"], ["false", "Reference"]] }),
    f("access_token_lifetime", "Access token lifetime (seconds)", "number", { hint: "empty: the server's default" }),
    f("require_pkce", "Require PKCE", "check"),
    f("code_challenge_method", "PKCE code challenge method", "select", { options: "code_challenge_method",
      hint: "S256 (the default) is always accepted; choose plain only for a client that cannot hash" }),
    f("default_max_age", "Default max age (seconds)", "number", { min: 0 }),
    f("require_auth_time", "Always include auth_time", "check"),
    f("default_acr_values", "Default ACRs", "checks", { options: "acr_value" }),
    f("authorized_acr_values", "Allowed ACRs", "checks", { options: "acr_value", hint: "none ticked: any" }),
    f("default_prompt_login", "Always prompt=login", "check"),
  ]],
  ["crypto", "Crypto", false, [
    f("jwks_uri", "JWKS URI", "text", { hint: "https (http on loopback) URL of the client's public keys" }),
    f("jwks", "JWKS", "json", { hint: "or the public keys themselves: {\"keys\": [...]}" }),
    ...alg("id_token", "ID Token"),
    ...alg("userinfo", "Userinfo"),
    f("request_object_signing_alg", "Request object signing alg", "select", { options: "request_object_signing_alg" }),
    f("request_object_encryption_alg", "Request object encryption alg", "select", { options: "request_object_encryption_alg" }),
    f("request_object_encryption_enc", "Request object encryption enc", "select", { options: "request_object_encryption_enc" }),
    ...alg("authorization", "Authorization response (JARM)"),
    ...alg("introspection", "Introspection response"),
    f("token_endpoint_auth_signing_alg", "Token endpoint auth signing alg", "select", { options: "token_endpoint_auth_signing_alg" }),
    f("access_token_signing_alg", "JWT access token signing alg", "select", { options: "signing_alg" }),
  ]],
  ["uris", "URIs & contacts", false, [
    f("client_uri", "Client URI", "text"),
    f("policy_uri", "Policy URI", "text"),
    f("logo_uri", "Logo URI", "text"),
    f("tos_uri", "Terms of service URI", "text"),
    f("initiate_login_uri", "Initiate login URI", "text"),
    f("contacts", "Contacts", "lines", { hint: "one e-mail address per line" }),
    f("software_id", "Software ID", "text"),
    f("software_version", "Software version", "text"),
  ]],
  ["advanced", "Advanced", false, [
    f("request_uris", "Request URIs", "lines"),
    f("require_pushed_authorization_requests", "Require PAR (RFC 9126)", "check"),
    f("require_par", "Require PAR (Janssen name)", "check"),
    f("par_lifetime", "PAR request_uri lifetime (seconds)", "number"),
    f("require_signed_request_object", "Require signed request objects", "check"),
  ]],
];

export const FIELD_NAMES = new Set(SECTIONS.flatMap(([, , , fields]) => fields.map((spec) => spec.name)));

/** The input of one field, showing ``value``. */
export function fieldInput(spec, value, options) {
  const { name, kind } = spec;
  if (kind === "select") {
    const choices = [...(options[spec.options] || [])];
    if (value != null && value !== "" && !choices.includes(value)) choices.push(value);
    const all = spec.required ? choices : ["", ...choices];
    return select(name, all.map((c) => [c, c || "(default)"]), value ?? all[0]);
  }
  if (kind === "tristate") return select(name, spec.choices, value == null ? "" : String(value));
  if (kind === "lines") return textarea(name, (value || []).join("\n"), { rows: 3 });
  if (kind === "textarea") return textarea(name, value ?? "", { rows: 3, class: "code" });
  if (kind === "json") return textarea(name, value == null ? "" : JSON.stringify(value, null, 2), { rows: 4, class: "code", spellcheck: false });
  if (kind === "check") return checkbox(name, value);
  if (kind === "number") return input(name, value ?? "", { type: "number", min: spec.min ?? 1 });
  if (kind === "checks") {
    const choices = [...(options[spec.options] || [])];
    for (const item of value || []) if (!choices.includes(item)) choices.push(item);
    return h("div", { class: "checks", id: `f-${name}`, name },
      choices.map((choice) => h("label", { class: "inline" },
        h("input", { type: "checkbox", name, value: choice, checked: (value || []).includes(choice) }),
        ` ${choice}`)));
  }
  return input(name, value ?? "");
}

/** Read one field: [present, value], or throw {field, message} for bad JSON. */
export function readField(form, spec, original) {
  const { name, kind } = spec;
  const had = name in original;
  if (kind === "checks") {
    const values = [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((box) => box.value);
    return [values.length > 0 || had, values];
  }
  const element = form.elements[name];
  if (kind === "check") return [element.checked || had, element.checked];
  if (kind === "lines") {
    const values = lines(element.value);
    return [values.length > 0 || had, values];
  }
  const text = element.value.trim();
  if (text === "") return [false, null];
  if (kind === "number") return [true, Number(text)];
  if (kind === "tristate") return [true, text === "true"];
  if (kind === "json") {
    try { return [true, JSON.parse(text)]; } catch (error) { throw { field: name, message: `not JSON (${error.message})` }; }
  }
  return [true, text];
}
