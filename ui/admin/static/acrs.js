// Enabled ACRs: the authentication context classes (acr values) the login page can satisfy,
// each with a level (a session at a level satisfies requests at that level or below), a
// description, enabled or not, and the one default (the level of a sign-in nobody asked a
// level of). Enable / disable and "Make default" act at once; the line above the list shows
// what discovery's acr_values_supported says now. Create and edit in a form.
// API: /admin/api/acrs (app/admin/acrs.py).

import * as api from "./api.js";
import {
  badge, checkbox, clearErrors, confirmed, field, formError, h, heading, input, searchBox,
  showErrors, table, toast,
} from "./dom.js";

const NEW = ":new";
let query = "";

export async function render(root, item) {
  if (item === null) return renderList(root);
  if (item === NEW) return renderForm(root, null);
  return renderForm(root, await api.get(`/acrs/${encodeURIComponent(item)}`));
}

const hrefOf = (acr) => `#/acrs/${encodeURIComponent(acr.value)}`;

async function discovered() {
  const base = document.body.dataset.api.replace(/\/admin\/api$/, "");
  const response = await fetch(`${base}/.well-known/openid-configuration`, { cache: "no-store" });
  return (await response.json()).acr_values_supported || [];
}

async function renderList(root) {
  const results = h("div", {});
  const advertised = h("p", { class: "notice", id: "acr-discovery" });

  async function change(acr, body, done) {
    try {
      await api.patch(`/acrs/${encodeURIComponent(acr.value)}`, body);
      toast(done);
    } catch (error) {
      if (error.status !== 401) toast(error.message);
    }
    await load();
  }

  async function remove(acr) {
    if (!confirmed(`Delete ACR ${acr.value}?`)) return;
    try {
      await api.del(`/acrs/${encodeURIComponent(acr.value)}`);
      toast(`ACR ${acr.value} deleted.`);
    } catch (error) {
      if (error.status !== 401) toast(error.message);
    }
    await load();
  }

  function enabledToggle(acr) {
    const box = checkbox("enabled", acr.enabled);
    box.setAttribute("aria-label", `${acr.value} enabled`);
    box.disabled = acr.default;
    box.title = acr.default ? "The default ACR stays enabled" : "";
    box.addEventListener("change", () => change(acr, { enabled: box.checked },
      `${acr.value} ${box.checked ? "enabled" : "disabled"}.`));
    return box;
  }

  async function load() {
    const [{ acrs }, values] = await Promise.all([api.get("/acrs"), discovered()]);
    const q = query.toLowerCase();
    const shown = acrs.filter((a) => !q || `${a.value} ${a.description}`.toLowerCase().includes(q));
    advertised.replaceChildren("Discovery advertises acr_values_supported: ",
      h("code", { id: "acr-values-supported" }, values.join(" ") || "(none)"));
    results.replaceChildren(table([
      ["ACR value", (a) => [h("a", { href: hrefOf(a) }, h("code", {}, a.value)), a.default ? badge("default", "ok") : null]],
      ["Level", (a) => String(a.level)],
      ["Description", (a) => a.description],
      ["Enabled", enabledToggle],
      ["", (a) => h("div", { class: "row-actions" },
        a.default || !a.enabled ? null : h("button", { type: "button", class: "secondary small", onclick: () => change(a, { default: true }, `${a.value} is the default.`) }, "Make default"),
        a.default ? null : h("button", { type: "button", class: "danger small", onclick: () => remove(a) }, "Delete"))],
    ], shown));
    for (const row of results.querySelectorAll("tbody tr")) {
      const link = row.querySelector("a[href^='#/acrs/']");
      if (link) row.dataset.acr = decodeURIComponent(link.getAttribute("href").slice("#/acrs/".length));
    }
  }

  root.append(
    heading("Enabled ACRs", h("a", { class: "button", href: `#/acrs/${NEW}` }, "New ACR")),
    h("p", { class: "muted" }, "The acr values the login page can satisfy. A request's acr_values (or an essential acr claim) " +
      "lets the person choose among the requested enabled ones; a session at a lower level signs in again (step-up). " +
      "Clients may name only enabled ACRs in default_acr_values and authorized_acr_values."),
    advertised,
    h("div", { class: "toolbar" }, searchBox(query, (value) => { query = value; load(); }, "Search ACRs")),
    results);
  await load();
}

function renderForm(root, acr) {
  const isNew = acr === null;
  const form = h("form", { class: "card form", novalidate: true },
    formError(),
    field("ACR value", input("value", acr?.value || "", { readOnly: !isNew, required: true,
      placeholder: "e.g. urn:example:acr:gold" }), "No spaces: acr_values is space-separated"),
    field("Level", h("input", { type: "number", name: "level", min: 0, max: 100, value: acr?.level ?? 1 }),
      "0 to 100; a session at a level satisfies requests at that level or below"),
    field("Description", input("description", acr?.description || "")),
    field("Enabled", checkbox("enabled", acr ? acr.enabled : true)),
    field("Default", checkbox("default", acr?.default || false),
      "The level of a sign-in nobody asked a level of"),
    h("div", { class: "buttons" }, h("button", { type: "submit" }, isNew ? "Create ACR" : "Save changes"),
      h("a", { class: "button secondary", href: "#/acrs" }, "Back to the list")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const level = form.elements.level.value.trim();
    const body = {
      level: /^-?\d+$/.test(level) ? Number(level) : level,
      description: form.elements.description.value,
      enabled: form.elements.enabled.checked,
    };
    if (form.elements.default.checked && !acr?.default) body.default = true;
    try {
      if (isNew) {
        const created = await api.post("/acrs", { ...body, value: form.elements.value.value.trim() });
        toast(`ACR ${created.value} created.`);
      } else {
        await api.patch(`/acrs/${encodeURIComponent(acr.value)}`, body);
        toast("Saved.");
      }
      location.hash = "#/acrs";
    } catch (error) {
      if (error.status !== 401) showErrors(form, error);
    }
  });
  root.append(heading(isNew ? "New ACR" : `ACR ${acr.value}`), form);
}
