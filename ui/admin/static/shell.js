// The shell: sign-in (or the desktop window's launch token), the nav and hash routing
// (#/screen/item) to one module per screen. Each screen's render(root, item) may return a
// function that stops it (the Logs screen's polling) when another route opens.

import * as api from "./api.js";
import { toast } from "./dom.js";

const SCREENS = {
  clients: () => import("./clients.js"),
  scopes: () => import("./scopes.js"),
  users: () => import("./users.js"),
  keys: () => import("./keys.js"),
  sessions: () => import("./sessions.js"),
  acrs: () => import("./acrs.js"),
  settings: () => import("./settings.js"),
  logs: () => import("./logs.js"),
};
const DEFAULT_SCREEN = "clients";

const signInScreen = document.getElementById("sign-in-screen");
const signInForm = document.getElementById("sign-in");
const screen = document.getElementById("screen");
const nav = document.getElementById("screens");
const signOutButton = document.getElementById("sign-out");
const loading = document.getElementById("loading");
let stopScreen = null;
let routeCount = 0;

function takeLaunchToken() {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get("launch");
  if (!token) return;
  api.useLaunchToken(token);
  history.replaceState(null, "", `${location.pathname}${location.search}#/${DEFAULT_SCREEN}`);
}

function showSignIn(message) {
  stop();
  loading.hidden = true;
  screen.hidden = true;
  nav.hidden = true;
  signOutButton.hidden = true;
  signInScreen.hidden = false;
  const error = signInForm.querySelector(".error");
  error.textContent = message || "";
  error.hidden = !message;
  signInForm.password.value = "";
  signInForm.password.focus();
}

function showApp(session) {
  loading.hidden = true;
  signInScreen.hidden = true;
  nav.hidden = false;
  screen.hidden = false;
  signOutButton.hidden = session.method !== "cookie";
  route();
}

function stop() {
  if (typeof stopScreen === "function") stopScreen();
  stopScreen = null;
}

async function route() {
  if (signInScreen.hidden === false) return;
  const [name, ...rest] = location.hash.replace(/^#\/?/, "").split("/");
  if (!SCREENS[name]) {
    location.replace(`#/${DEFAULT_SCREEN}`);
    return;
  }
  const item = rest.length ? decodeURIComponent(rest.join("/")) : null;
  for (const link of nav.querySelectorAll("a")) {
    link.classList.toggle("current", link.dataset.screen === name);
    if (link.dataset.screen === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  stop();
  const count = ++routeCount;
  const module = await SCREENS[name]();
  if (count !== routeCount) return; // another route opened meanwhile
  screen.replaceChildren();
  screen.dataset.screen = name;
  try {
    stopScreen = await module.render(screen, item);
  } catch (error) {
    if (error.status !== 401) screen.append(errorBox(error));
  }
}

function errorBox(error) {
  const box = document.createElement("p");
  box.className = "error";
  box.setAttribute("role", "alert");
  box.textContent = error.message;
  return box;
}

signInForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = signInForm.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const session = await api.signIn(signInForm.username.value, signInForm.password.value);
    showApp(session);
  } catch (error) {
    showSignIn(error.message);
  } finally {
    button.disabled = false;
  }
});

signOutButton.addEventListener("click", async () => {
  await api.signOut();
  showSignIn();
  toast("Signed out.");
});

api.whenSignedOut(() => showSignIn("Your admin sign-in has ended; sign in again."));
window.addEventListener("hashchange", route);

async function start() {
  takeLaunchToken();
  try {
    const session = await api.currentSession();
    if (session) showApp(session);
    else showSignIn();
  } catch (error) {
    loading.replaceWith(errorBox(error));
  }
}

start();
