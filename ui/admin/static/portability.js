// Export / import, a panel of the Configuration screen: Export downloads the whole
// configuration as one JSON file (keys only when asked); Import uploads one, merged or
// replacing, and shows what was imported or every problem of the file.
// API: /admin/api/export and /admin/api/import (app/admin/portability.py).

import * as api from "./api.js";
import { confirmed, h, toast } from "./dom.js";

/** The panel of the Configuration screen; `reload` shows the settings an import changed. */
export function portabilityPanel(reload) {
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
