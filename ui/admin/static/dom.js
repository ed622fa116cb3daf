// Small DOM helpers the screens share: element building (text only, never innerHTML),
// tables, form fields with their error slot, notices and time formatting.

export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value == null) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name in element && typeof value !== "string") element[name] = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  element.append(...children.flat().filter((child) => child != null && child !== false));
  return element;
}

export function time(seconds) {
  if (!seconds) return "—";
  return new Date(seconds * 1000).toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" });
}

export function table(columns, rows, onOpen) {
  const head = h("tr", {}, columns.map(([title]) => h("th", {}, title)));
  const body = rows.map((row) => h("tr", onOpen ? { class: "clickable", onclick: () => onOpen(row) } : {},
    columns.map(([, cell]) => h("td", {}, cell(row)))));
  if (!rows.length) body.push(h("tr", {}, h("td", { colspan: columns.length, class: "muted" }, "Nothing here.")));
  return h("table", { class: "list" }, h("thead", {}, head), h("tbody", {}, body));
}

/** A labelled input with a slot for its error; ``name`` is the API's field name. */
export function field(label, input, hint) {
  const name = input.name || input.getAttribute("name");
  input.id ||= `f-${name}`;
  return h("div", { class: `field${input.type === "checkbox" ? " check" : ""}`, dataset: { field: name } },
    h("label", { for: input.id }, label), input,
    hint ? h("small", { class: "muted" }, hint) : null,
    h("small", { class: "field-error", role: "alert", hidden: true }));
}

export function input(name, value = "", attrs = {}) {
  return h("input", { type: "text", name, value: value ?? "", ...attrs });
}

export function textarea(name, value = "", attrs = {}) {
  return h("textarea", { name, rows: 4, ...attrs }, value ?? "");
}

export function checkbox(name, checked) {
  return h("input", { type: "checkbox", name, checked: Boolean(checked) });
}

export function select(name, options, value) {
  return h("select", { name }, options.map((option) => {
    const [optionValue, text] = Array.isArray(option) ? option : [option, option];
    return h("option", { value: optionValue, selected: optionValue === value }, text);
  }));
}

/** Show an ApiError: each entry of ``fields`` beside its field (or ``fallback``), and the
 * description in the form's banner. */
export function showErrors(form, error, fallback = null) {
  clearErrors(form);
  const banner = form.querySelector(".form-error");
  if (banner) { banner.textContent = error.message; banner.hidden = false; }
  for (const [name, message] of Object.entries(error.fields || {})) {
    const slot = form.querySelector(`[data-field="${CSS.escape(name)}"] .field-error`)
      || (fallback && form.querySelector(`[data-field="${CSS.escape(fallback)}"] .field-error`));
    if (slot) {
      slot.textContent = slot.hidden ? message : `${slot.textContent}; ${name}: ${message}`;
      slot.hidden = false;
    }
  }
}

export function clearErrors(form) {
  for (const slot of form.querySelectorAll(".field-error, .form-error")) {
    slot.hidden = true;
    slot.textContent = "";
  }
}

export function formError() {
  return h("p", { class: "form-error error", role: "alert", hidden: true });
}

export function toast(message) {
  const box = document.getElementById("toast");
  box.textContent = message;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, 3000);
}

export function copyButton(getText, label = "Copy") {
  return h("button", {
    type: "button", class: "secondary small",
    onclick: async () => {
      try { await navigator.clipboard.writeText(getText()); toast("Copied."); }
      catch { toast("Select the text and copy it (the clipboard is not available)."); }
    },
  }, label);
}

/** The page header of a screen: title, and actions on the right. */
export function heading(title, ...actions) {
  return h("div", { class: "heading" }, h("h1", {}, title), h("div", { class: "actions" }, actions));
}

export function searchBox(value, onSearch, placeholder = "Search") {
  let timer;
  return h("input", {
    type: "search", name: "q", value: value || "", placeholder, "aria-label": placeholder,
    class: "search",
    oninput: (event) => { clearTimeout(timer); timer = setTimeout(() => onSearch(event.target.value), 200); },
  });
}

export function lines(value) {
  return (value || "").split("\n").map((line) => line.trim()).filter(Boolean);
}

export function badge(text, kind = "") {
  return h("span", { class: `badge ${kind}` }, text);
}

export function confirmed(question) {
  return window.confirm(question);
}
