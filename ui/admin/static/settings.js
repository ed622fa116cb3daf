// Configuration: every server setting with its value, default, description, where the value
// comes from and whether a change needs a restart; edit one (checked by the server, the
// error shown beside the field) or reset it to its default. Export downloads the whole
// configuration as one JSON file (keys only when asked); Import uploads one, merged or
// replacing, and shows what was imported or every problem of the file.
// API: /admin/api/settings (app/admin/settings.py), /admin/api/export and /import
// (app/admin/portability.py).

import * as api from "./api.js";
import { badge, clearErrors, confirmed, h, heading, searchBox, showErrors, toast } from "./dom.js";

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

function portability(reload) {
  const keys = h("input", { type: "checkbox", name: "include_keys", id: "export-keys" });
  const file = h("input", { type: "file", name: "import_file", accept: ".json,application/json", "aria-label": "Export file to import" });
  const mode = h("select", { name: "import_mode", "aria-label": "Import mode" },
    h("option", { value: "merge" }, "Merge: add and update"),
    h("option", { value: "replace" }, "Replace: also delete what the file lacks"));
  const report = h("div", { class: "import-report", role: "status" });

  async function exportFile() {
    try {
      await api.download("/export", { keys: keys.checked ? "1" : "" }, "pocket-op-export.json");
      toast("Exported.");
    } catch (error) {
      if (error.status !== 401) toast(error.message);
    }
  }

  async function importFile() {
    report.replaceChildren();
    if (!file.files.length) { report.append(h("p", { class: "error" }, "Choose an export file first.")); return; }
    let data;
    try { data = JSON.parse(await file.files[0].text()); } catch (error) {
      report.append(h("p", { class: "error" }, `The file is not JSON (${error.message}).`));
      return;
    }
    if (mode.value === "replace" && !confirmed("Replace deletes the clients, users and scopes the file does not hold, and makes the settings exactly the file's. Go on?")) return;
    try {
      const done = await api.post(`/import?mode=${mode.value}`, data);
      const counts = ["clients", "scopes", "users", "keys", "settings"].map((name) => `${done[name]} ${name}`).join(", ");
      const deleted = Object.entries(done.deleted || {}).map(([name, count]) => `${count} ${name}`).join(", ");
      report.append(h("p", { class: "notice import-done" }, `Imported (${done.mode}): ${counts}.`,
        deleted ? ` Deleted: ${deleted}.` : ""));
      await reload();
    } catch (error) {
      if (error.status === 401) return;
      const problems = Object.entries(error.fields || {});
      report.append(h("div", { class: "error import-problems", role: "alert" },
        h("p", {}, problems.length ? `Nothing was imported: the file has ${problems.length} problem${problems.length > 1 ? "s" : ""}.` : error.message),
        problems.length ? h("ul", { class: "problems" }, problems.map(([where, what]) => h("li", {}, h("code", {}, where), `: ${what}`))) : null));
    }
  }

  return h("section", { class: "card", id: "portability" },
    h("h2", {}, "Export / import"),
    h("p", { class: "muted" }, "The whole configuration as one JSON file: clients (with their secrets), scopes, users (with password hashes) and settings. Keep it like a backup."),
    h("div", { class: "row" }, h("label", { class: "inline" }, keys, " include the keys (with their private halves)"),
      h("button", { type: "button", id: "export-button", onclick: exportFile }, "Export")),
    h("div", { class: "row" }, file, mode, h("button", { type: "button", id: "import-button", onclick: importFile }, "Import")),
    report);
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
    portability(() => load()),
    h("p", { class: "muted" }, "Changes are written to settings.json in the data dir. A value set by the environment or the command line wins over it."),
    h("div", { class: "toolbar" }, searchBox(query, (value) => { query = value; load(); }, "Search settings")),
    notice, results);
  await load();
}
