// Configuration: every server setting with its value, default, description, where the value
// comes from and whether a change needs a restart; edit one (checked by the server, the
// error shown beside the field) or reset it to its default. The Export / import panel on top
// is portability.js.
// API: /admin/api/settings (app/admin/settings.py).

import * as api from "./api.js";
import { badge, clearErrors, h, heading, searchBox, showErrors, toast } from "./dom.js";
import { portabilityPanel } from "./portability.js";

let query = "";

function valueInput(setting) {
  const value = setting.saved_value ?? setting.value;
  if (typeof setting.default === "boolean") {
    return h("input", { type: "checkbox", name: setting.name, id: `s-${setting.name}`, checked: Boolean(value) });
  }
  const type = typeof setting.default === "number" ? "number"
    : /token|secret|password/.test(setting.name) ? "password" : "text";
  return h("input", { type, name: setting.name, id: `s-${setting.name}`, value: value ?? "",
    autocomplete: "off", readOnly: setting.name === "data_dir" });
}

function readValue(element, setting) {
  if (element.type === "checkbox") return element.checked;
  if (typeof setting.default === "number" && /^-?\d+$/.test(element.value.trim())) return Number(element.value);
  return element.value;
}

function show(value) {
  if (value === "" || value == null) return "(empty)";
  return String(value);
}

function settingRow(setting, reload) {
  const element = valueInput(setting);
  const status = h("small", { class: "status muted" });
  const form = h("form", { class: "setting", dataset: { setting: setting.name }, novalidate: true },
    h("div", { class: "setting-head" },
      h("label", { for: element.id }, h("code", {}, setting.name)),
      setting.restart_required ? badge("restart needed", "warn") : badge("applied at once", "ok"),
      badge(`from ${setting.source}`)),
    h("p", { class: "description" }, setting.description),
    h("div", { class: "field", dataset: { field: setting.name } },
      h("div", { class: "row" }, element,
        h("button", { type: "submit", class: "small" }, "Save"),
        h("button", { type: "button", class: "secondary small", onclick: reset }, "Reset to default")),
      h("small", { class: "field-error", role: "alert", hidden: true })),
    h("small", { class: "muted" }, `Default: ${show(setting.default)} · current: ${show(setting.value)}`),
    status);
  if (setting.name === "data_dir") {
    form.querySelectorAll("button").forEach((button) => { button.disabled = true; });
    status.textContent = "Set with --data-dir.";
  }

  function report(answer) {
    if (answer.overridden_by) return `Saved; the ${answer.overridden_by} still decides the value.`;
    if (answer.applied) return "Saved and applied.";
    return "Saved; restart pocket-op to apply it.";
  }

  async function reset() {
    clearErrors(form);
    try {
      const answer = await api.del(`/settings/${encodeURIComponent(setting.name)}`);
      toast(`${setting.name}: ${report(answer)}`);
      await reload(`${setting.name}: ${report(answer)}`);
    } catch (error) {
      if (error.status !== 401) showErrors(form, error);
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      const answer = await api.put(`/settings/${encodeURIComponent(setting.name)}`, { value: readValue(element, setting) });
      toast(`${setting.name}: ${report(answer)}`);
      await reload(`${setting.name}: ${report(answer)}`);
    } catch (error) {
      if (error.status !== 401) showErrors(form, error, setting.name);
    }
  });
  return form;
}

export async function render(root) {
  const results = h("div", { class: "settings" });
  const notice = h("p", { class: "notice", role: "status", hidden: true });

  async function load(message) {
    const { settings } = await api.get("/settings");
    const q = query.toLowerCase();
    const shown = settings.filter((s) => !q || s.name.includes(q) || s.description.toLowerCase().includes(q));
    results.replaceChildren(...shown.map((setting) => settingRow(setting, load)));
    notice.textContent = message || "";
    notice.hidden = !message;
  }

  root.append(
    heading("Configuration"),
    portabilityPanel(() => load()),
    h("p", { class: "muted" }, "Changes are written to settings.json in the data dir. A value set by the environment or the command line wins over it."),
    h("div", { class: "toolbar" }, searchBox(query, (value) => { query = value; load(); }, "Search settings")),
    notice, results);
  await load();
}
