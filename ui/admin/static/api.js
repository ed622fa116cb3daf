// The screens' only way to the server: the admin JSON API under /admin/api.
// Two ways in: the desktop window's per-launch token (Authorization: Bearer, kept in this
// tab's sessionStorage so a reload stays signed in, never shown), or the admin sign-in
// (an HttpOnly cookie set by POST /session, plus the CSRF token it returns, kept in memory
// and echoed as X-CSRF-Token on every change).

const BASE = document.body.dataset.api;
const TOKEN_KEY = "pocket-op.launch";
let launchToken = sessionStorage.getItem(TOKEN_KEY);
let csrfToken = null;
let onSignedOut = () => {};

export class ApiError extends Error {
  constructor(status, body) {
    super(body.error_description || body.error || `HTTP ${status}`);
    this.status = status;
    this.error = body.error || "error";
    this.fields = body.fields || {};
  }
}

export function useLaunchToken(token) {
  launchToken = token;
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function hasLaunchToken() {
  return Boolean(launchToken);
}

export function whenSignedOut(callback) {
  onSignedOut = callback;
}

export function url(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v != null));
  const text = query.toString();
  return BASE + path + (text ? `?${text}` : "");
}

async function call(method, path, { params, body } = {}) {
  const headers = { Accept: "application/json" };
  if (launchToken) headers.Authorization = `Bearer ${launchToken}`;
  else if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url(path, params), {
    method, headers, credentials: "same-origin", cache: "no-store",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const text = await response.text();
  let data = {};
  try { data = text ? JSON.parse(text) : {}; } catch { data = { error: "server_error", error_description: text }; }
  if (!response.ok) {
    const error = new ApiError(response.status, data);
    if (response.status === 401 && path !== "/session") onSignedOut(error);
    throw error;
  }
  return data;
}

export const get = (path, params) => call("GET", path, { params });
export const post = (path, body = {}) => call("POST", path, { body });
export const put = (path, body) => call("PUT", path, { body });
export const patch = (path, body) => call("PATCH", path, { body });
export const del = (path, params) => call("DELETE", path, { params });

/** Who is signed in, or null; remembers the CSRF token of a cookie session. */
export async function currentSession() {
  try {
    const session = await call("GET", "/session");
    csrfToken = session.csrf_token;
    return session;
  } catch (error) {
    if (error.status === 401) {
      if (launchToken) forgetLaunchToken();
      return null;
    }
    throw error;
  }
}

export async function signIn(username, password) {
  const session = await call("POST", "/session", { body: { username, password } });
  csrfToken = session.csrf_token;
  return session;
}

export async function signOut() {
  if (!launchToken) await call("DELETE", "/session").catch(() => null);
  csrfToken = null;
}

function forgetLaunchToken() {
  launchToken = null;
  sessionStorage.removeItem(TOKEN_KEY);
}

/** A GET answered as a file the browser saves (the Authorization header rules out a link). */
export async function download(path, params, filename) {
  const headers = launchToken ? { Authorization: `Bearer ${launchToken}` } : {};
  const response = await fetch(url(path, params), { headers, credentials: "same-origin" });
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => ({})));
  const blob = await response.blob();
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

/** The public discovery document (for copy-ready settings and the metadata choices). */
let discovery = null;
export async function getDiscovery() {
  if (!discovery) {
    const root = BASE.replace(/\/admin\/api$/, "");
    const response = await fetch(`${root}/.well-known/openid-configuration`, { cache: "no-store" });
    discovery = await response.json();
  }
  return discovery;
}
