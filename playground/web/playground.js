// The slimfile playground: the page's state (Dockerfile, build-context files, safety level,
// base preference, passes) goes to slimfile's rewrite core, compiled to WebAssembly
// (playground/src/lib.rs), on every edit; the notes, the diff and the rewritten file come back.
// The state also lives in the URL's fragment (compressed JSON), so a link reproduces the page;
// the fragment never reaches a server.

import init, { rewrite, passes, example } from "./pkg/slimfile_playground.js";

const $ = (id) => document.getElementById(id);
const DEBOUNCE_MS = 150;
const LEVELS = ["safe", "review", "unsafe"];
const PREFER = ["slim", "alpine", "distroless"];

let passIds = [];
let runs = 0;
let timer = 0;
let urlWrite = 0;

// ---------------------------------------------------------------------------
// State in the URL: `#z=` + base64url of deflate-raw JSON (`#j=`: uncompressed, for browsers
// without CompressionStream).

function toBase64url(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text) {
  const s = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

async function through(bytes, stream) {
  const piped = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(piped).arrayBuffer());
}

async function encodeState(state) {
  const json = new TextEncoder().encode(JSON.stringify(state));
  if (typeof CompressionStream === "function") {
    return "z=" + toBase64url(await through(json, new CompressionStream("deflate-raw")));
  }
  return "j=" + toBase64url(json);
}

async function decodeState(fragment) {
  const kind = fragment.slice(0, 2);
  if (kind !== "z=" && kind !== "j=") throw new Error("not a playground link");
  try {
    let bytes = fromBase64url(fragment.slice(2));
    if (kind === "z=") bytes = await through(bytes, new DecompressionStream("deflate-raw"));
    return checked(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    throw new Error("the link is damaged: cut short, or changed by hand");
  }
}

// A state read from a link: only the fields and values the page knows.
function checked(state) {
  const text = (v) => (typeof v === "string" ? v : "");
  return {
    dockerfile: text(state?.dockerfile),
    files: Array.isArray(state?.files)
      ? state.files.map((f) => ({ path: text(f?.path), text: text(f?.text) }))
      : [],
    safety: LEVELS.includes(state?.safety) ? state.safety : "review",
    prefer: PREFER.includes(state?.prefer) ? state.prefer : "slim",
    passes: Array.isArray(state?.passes) ? state.passes.filter((p) => passIds.includes(p)) : null,
  };
}

// ---------------------------------------------------------------------------
// The page's fields ↔ the state

function currentState() {
  const files = [...document.querySelectorAll("#files .file")].map((f) => ({
    path: f.querySelector(".file-path").value,
    text: f.querySelector(".file-text").value,
  }));
  const boxes = [...document.querySelectorAll("#passes input")];
  const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
  return {
    dockerfile: $("dockerfile").value,
    files,
    safety: $("safety").value,
    prefer: $("prefer").value,
    // all passes: none named, so a link keeps meaning "all" when passes are added
    passes: chosen.length === boxes.length ? null : chosen,
  };
}

function show(state) {
  $("dockerfile").value = state.dockerfile;
  $("files").replaceChildren();
  for (const f of state.files) addFile(f.path, f.text);
  $("safety").value = state.safety;
  $("prefer").value = state.prefer;
  for (const box of document.querySelectorAll("#passes input")) {
    box.checked = state.passes === null || state.passes.includes(box.value);
  }
}

function addFile(path = "", text = "") {
  const node = $("file-template").content.firstElementChild.cloneNode(true);
  node.querySelector(".file-path").value = path;
  node.querySelector(".file-text").value = text;
  node.querySelector(".file-remove").addEventListener("click", () => {
    node.remove();
    schedule();
  });
  $("files").append(node);
  return node;
}

function showPasses(list) {
  passIds = list.map((p) => p.id);
  const box = $("passes");
  for (const p of list) {
    const label = document.createElement("label");
    label.title = `${p.summary} (default safety: ${p.safety})`;
    const input = document.createElement("input");
    input.type = "checkbox";
    input.value = p.id;
    input.checked = true;
    label.append(input, " " + p.id + " ");
    const safety = document.createElement("span");
    safety.className = "safety";
    safety.textContent = p.safety;
    label.append(safety);
    box.append(label);
  }
}

// ---------------------------------------------------------------------------
// Running and showing the result

// `data-pending` is 1 from an edit until its result is shown, `data-runs` counts results and
// `data-linked` is the run whose state the URL holds: what a test waits for.
function schedule() {
  clearTimeout(timer);
  document.body.dataset.pending = "1";
  timer = setTimeout(run, DEBOUNCE_MS);
}

function run() {
  clearTimeout(timer);
  const state = currentState();
  const request = { ...state };
  if (request.passes === null) delete request.passes;
  const started = performance.now();
  let response;
  try {
    response = JSON.parse(rewrite(JSON.stringify(request)));
  } catch (e) {
    setStatus(`internal error (a bug in slimfile, please report it): ${e}`, true);
    document.body.dataset.pending = "0";
    return;
  }
  const ms = performance.now() - started;
  render(response);
  runs += 1;
  document.body.dataset.runs = String(runs);
  if (runs === 1) document.body.dataset.firstResultMs = String(Math.round(performance.now()));
  const file = response.report?.files?.[0];
  const what = file ? (file.status === "error" ? "error" : file.status) : "not run";
  setStatus(`${what} · ${ms.toFixed(1)} ms`, what === "error" || response.errors.length > 0);
  document.body.dataset.pending = "0";
  writeUrl(state, runs);
}

async function writeUrl(state, run) {
  const mine = ++urlWrite;
  const fragment = await encodeState(state);
  if (mine === urlWrite) {
    history.replaceState(null, "", "#" + fragment);
    document.body.dataset.linked = String(run);
  }
}

function setStatus(text, error = false) {
  const s = $("status");
  s.textContent = text;
  s.classList.toggle("error", error);
}

function render(response) {
  const notes = $("notes");
  notes.replaceChildren();
  const note = (kind, position, tags, message) => {
    const li = document.createElement("li");
    li.className = kind;
    if (position) {
      const at = document.createElement("span");
      at.className = "at";
      at.textContent = `${position.line}:${position.column}`;
      li.append(at);
    }
    for (const t of tags) {
      const tag = document.createElement("span");
      tag.className = "tag";
      tag.textContent = t;
      li.append(tag);
    }
    li.append(message);
    notes.append(li);
  };
  for (const e of response.errors) note("error", null, ["request"], e);
  const file = response.report?.files?.[0];
  if (file?.error) note("error", file.error.position, ["error"], file.error.message);
  if (response.image) note("image", null, [], response.image);
  for (const c of file?.changes ?? []) note("change", c.position, [c.pass, c.safety], c.message);
  for (const c of file?.suggestions ?? []) {
    note("suggestion", c.position, [c.pass, `suggestion: needs --safety ${c.safety}`], c.message);
  }
  for (const n of file?.notes ?? []) note(n.level, n.position, [n.pass, `${n.level}[${n.code}]`], n.message);

  const diff = $("diff");
  diff.replaceChildren();
  for (const line of response.diff.split("\n").slice(0, -1)) {
    const span = document.createElement("span");
    span.className = line.startsWith("+++") || line.startsWith("---") ? "head"
      : line.startsWith("@@") ? "hunk"
      : line.startsWith("+") ? "add"
      : line.startsWith("-") ? "del" : "ctx";
    span.textContent = line + "\n";
    diff.append(span);
  }
  $("output").textContent = response.output ?? "";
}

// ---------------------------------------------------------------------------

async function copy(text, done) {
  try {
    await navigator.clipboard.writeText(text);
    setStatus(done);
  } catch {
    window.prompt("Copy:", text);
  }
}

async function start() {
  await init();
  showPasses(JSON.parse(passes()));
  let state = null;
  let problem = null;
  if (location.hash.length > 1) {
    try {
      state = await decodeState(location.hash.slice(1));
    } catch (e) {
      problem = `this link's state cannot be read (${e.message}): showing the example`;
    }
  }
  show(state ?? checked(JSON.parse(example())));
  run();
  if (problem) setStatus(problem, true);

  document.querySelector("main").addEventListener("input", schedule);
  document.querySelector("main").addEventListener("change", schedule);
  $("add-file").addEventListener("click", () => {
    addFile().querySelector(".file-path").focus();
  });
  $("example").addEventListener("click", () => {
    show(checked(JSON.parse(example())));
    run();
  });
  $("copy-link").addEventListener("click", () => copy(location.href, "link copied"));
  $("copy-output").addEventListener("click", () => copy($("output").textContent, "rewritten Dockerfile copied"));
  window.addEventListener("hashchange", async () => {
    try {
      show(await decodeState(location.hash.slice(1)));
      run();
    } catch (e) {
      setStatus(`this link's state cannot be read (${e.message})`, true);
    }
  });
}

start().catch((e) => setStatus(`cannot start: ${e}`, true));
