// "Try it" on a client's page: the admin acts as the client. The code flow opens the
// authorization URL in this window (sign in, consent), comes back through
// {issuer}/admin/try-it/callback to #/clients/<id>/try/<state>, where the server redeems the
// code and this screen shows each token decoded and checked, and the userinfo answer.
// client_credentials shows its token at once. The callback URI is an ordinary redirect URI:
// when the client lacks it, the panel offers to add it (no exception to exact matching).
// API: /admin/api/clients/<id>/try-it, /admin/api/try-it/<state> (app/admin/try_it.py).

import * as api from "./api.js";
import { badge, copyButton, h, heading, toast } from "./dom.js";

const LABELS = {
  authorization_code: "Try it: sign in (code flow)",
  client_credentials: "Try it: client_credentials",
};

const path = (clientId) => `/clients/${encodeURIComponent(clientId)}`;

/** The panel of a client's page. */
export async function tryPanel(client) {
  const plan = await api.get(`${path(client.client_id)}/try-it`);
  const out = h("div", { class: "try-out" });
  const card = h("section", { class: "card", id: "try-it" }, h("h2", {}, "Try it"),
    h("p", { class: "muted" }, "Runs this client's flow with this window as the app, then shows the tokens decoded."));
  if (plan.reason) card.append(h("p", { class: "notice try-reason" }, plan.reason));
  const buttons = h("div", { class: "buttons" });
  for (const { flow, reason } of plan.flows) {
    if (plan.reason) break;
    if (reason) {
      card.append(h("p", { class: "notice try-reason" }, reason));
    } else if (flow === "authorization_code" && !plan.redirect_uri_registered) {
      card.append(redirectOffer(client, plan.redirect_uri));
    } else {
      buttons.append(h("button", { type: "button", dataset: { flow }, onclick: () => start(client, flow, out) }, LABELS[flow]));
    }
  }
  card.append(buttons, out);
  return card;
}

function redirectOffer(client, uri) {
  return h("div", { class: "notice", id: "try-redirect-offer" },
    h("p", {}, "The code flow comes back to ", h("code", {}, uri),
      ", which is not a redirect URI of this client. Redirect URIs are matched exactly, this one too: add it to try the flow."),
    h("button", {
      type: "button", id: "try-add-redirect",
      onclick: async () => {
        try {
          await api.patch(path(client.client_id), { metadata: { redirect_uris: [...(client.metadata.redirect_uris || []), uri] } });
          toast("Redirect URI added.");
          window.dispatchEvent(new HashChangeEvent("hashchange"));
        } catch (error) {
          if (error.status !== 401) toast(error.message);
        }
      },
    }, "Add it to the redirect URIs"));
}

async function start(client, flow, out) {
  try {
    const answer = await api.post(`${path(client.client_id)}/try-it`, { flow });
    if (answer.authorization_url) location.assign(answer.authorization_url);
    else out.replaceChildren(resultView(answer.result));
  } catch (error) {
    if (error.status !== 401) out.replaceChildren(h("p", { class: "error" }, error.message));
  }
}

/** #/clients/<id>/try/<state>: the end of a code flow. */
export async function renderRun(root, clientId, state) {
  root.append(heading(`Try it: ${clientId}`,
    h("a", { class: "button secondary", href: `#${path(clientId)}` }, "Back to the client")));
  try {
    root.append(resultView(await api.post(`/try-it/${encodeURIComponent(state)}`)));
  } catch (error) {
    if (error.status !== 401) root.append(h("p", { class: "error" }, error.message));
  }
}

const json = (value) => JSON.stringify(value, null, 2);

function jsonBlock(title, value, className) {
  return h("div", { class: `json ${className || ""}` }, h("h4", {}, title), h("pre", { class: "copyable" }, json(value)));
}

function tokenView(token) {
  const signature = token.signature;
  return h("section", { class: "token", dataset: { token: token.name } },
    h("h3", {}, token.name, " ", badge(token.format),
      signature ? badge(signature.verified ? "signature verified" : "signature NOT verified", signature.verified ? "ok" : "warn") : null),
    signature ? h("p", { class: "muted signature" }, signature.detail) : null,
    token.detail ? h("p", { class: "muted" }, token.detail) : null,
    h("div", { class: "row" }, h("code", { class: "raw" }, token.raw), copyButton(() => token.raw)),
    token.header ? jsonBlock("Header", token.header, "header") : null,
    token.payload !== undefined ? jsonBlock("Payload", token.payload, "payload") : null);
}

function userinfoView(userinfo) {
  return h("section", { class: "token", id: "try-userinfo" },
    h("h3", {}, "Userinfo ", badge(`HTTP ${userinfo.status}`, userinfo.status === 200 ? "ok" : "warn")),
    userinfo.www_authenticate ? h("p", { class: "muted" }, `WWW-Authenticate: ${userinfo.www_authenticate}`) : null,
    userinfo.token ? tokenView(userinfo.token) : jsonBlock("Response", userinfo.body, "body"));
}

/** A Try it result: the OP's error as it came, the checks, each token, userinfo. */
export function resultView(result) {
  const view = h("section", { class: "card", id: "try-result", dataset: { flow: result.flow } },
    h("h2", {}, `Result: ${result.flow}`));
  if (result.error) {
    view.append(h("div", { class: "error try-error", role: "alert" },
      h("strong", { class: "error-code" }, result.error.error),
      result.error.error_description ? h("span", { class: "error-description" }, `: ${result.error.error_description}`) : null));
  }
  if (result.checks?.length) {
    view.append(h("ul", { class: "try-checks" }, result.checks.map((check) => h("li", {},
      badge(check.ok ? "ok" : "failed", check.ok ? "ok" : "warn"), ` ${check.name}: `,
      h("code", {}, typeof check.detail === "string" ? check.detail : json(check.detail))))));
  }
  for (const token of result.tokens || []) view.append(tokenView(token));
  if (result.userinfo) view.append(userinfoView(result.userinfo));
  for (const [key, title] of [["authorization_response", "Authorization response"], ["par_response", "PAR response"], ["token_response", "Token response"]]) {
    if (result[key]) view.append(h("details", { class: "raw-response" }, h("summary", {}, `${title} (as it came)`), h("pre", { class: "copyable" }, json(result[key]))));
  }
  return view;
}
