// kg query UI: plain JavaScript, no libraries, nothing loaded from the network but this server.
// Every value from the data is written with textContent (never innerHTML).
"use strict";

const $ = (id) => document.getElementById(id);
const state = { questions: {}, current: null, original: null };

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

async function loadQuestions() {
  const list = $("questions");
  try {
    const response = await fetch("/queries", { headers: { Accept: "application/json" } });
    const questions = await response.json();
    list.replaceChildren();
    for (const q of questions) {
      state.questions[q.name] = q;
      const item = el("li");
      const link = el("a", q.name);
      link.href = "#" + encodeURIComponent(q.name);
      link.title = q.description;
      link.dataset.name = q.name;
      item.append(link, el("div", q.title, "muted"));
      list.append(item);
    }
  } catch (err) {
    list.replaceChildren(el("li", "could not load the saved questions: " + err, "error"));
  }
}

function select(name, run) {
  const q = state.questions[name];
  if (!q) return;
  state.current = name;
  state.original = q.query;
  $("query").value = q.query;
  $("description").textContent = q.description;
  for (const a of document.querySelectorAll("#questions a")) a.classList.toggle("active", a.dataset.name === name);
  const box = $("params");
  box.replaceChildren();
  for (const p of q.params) {
    const label = el("label", p.name + " ");
    const input = el("input");
    input.name = p.name;
    input.value = p.default || "";
    input.placeholder = p.type + (p.default ? "" : " (optional)");
    input.title = p.description;
    label.append(input);
    box.append(label);
  }
  if (run) submit();
}

function acceptFor(format) {
  const types = {
    json: "application/sparql-results+json, application/ld+json;q=0.9",
    xml: "application/sparql-results+xml, application/rdf+xml;q=0.9",
    csv: "text/csv", tsv: "text/tab-separated-values",
    ttl: "text/turtle", nt: "application/n-triples", jsonld: "application/ld+json",
  };
  return types[format] || "application/sparql-results+json, text/turtle;q=0.9";
}

async function submit(event) {
  if (event) event.preventDefault();
  const format = $("format").value;
  const text = $("query").value;
  let url = "/sparql";
  const init = { headers: { Accept: acceptFor(format) } };
  if (state.current && text === state.original) {
    const params = new URLSearchParams();
    for (const input of $("params").querySelectorAll("input")) if (input.value) params.set(input.name, input.value);
    if (format) params.set("format", format);
    url = "/queries/" + encodeURIComponent(state.current) + "?" + params.toString();
  } else {
    init.method = "POST";
    init.headers["Content-Type"] = "application/x-www-form-urlencoded";
    const body = new URLSearchParams({ query: text });
    if (format) body.set("format", format);
    init.body = body.toString();
  }
  const status = $("status");
  const results = $("results");
  status.textContent = "running…";
  const started = performance.now();
  try {
    const response = await fetch(url, init);
    const type = response.headers.get("Content-Type") || "";
    const ms = Math.round(performance.now() - started);
    if (!response.ok) {
      status.textContent = response.status + " " + response.statusText + " (" + ms + " ms)";
      results.replaceChildren(el("div", await response.text(), "error"));
      return;
    }
    if (type.startsWith("application/sparql-results+json") && !format) {
      const data = await response.json();
      results.replaceChildren(render(data));
      const n = data.results ? data.results.bindings.length : 1;
      status.textContent = n + (n === 1 ? " row" : " rows") + " (" + ms + " ms)";
    } else {
      results.replaceChildren(el("pre", await response.text()));
      status.textContent = type.split(";")[0] + " (" + ms + " ms)";
    }
  } catch (err) {
    status.textContent = "";
    results.replaceChildren(el("div", String(err), "error"));
  }
}

function render(data) {
  if (typeof data.boolean === "boolean") return el("p", data.boolean ? "yes" : "no");
  const vars = data.head.vars || [];
  const table = el("table");
  const head = el("tr");
  for (const v of vars) head.append(el("th", v));
  table.append(head);
  for (const row of data.results.bindings) {
    const tr = el("tr");
    for (const v of vars) {
      const cell = row[v];
      const td = el("td", cell ? cell.value : "");
      if (cell && cell["xml:lang"]) td.title = "@" + cell["xml:lang"];
      else if (cell && cell.datatype) td.title = cell.datatype;
      tr.append(td);
    }
    table.append(tr);
  }
  return table;
}

function fromHash(run) {
  const name = decodeURIComponent(location.hash.slice(1));
  if (name && state.questions[name]) select(name, run);
}

document.addEventListener("DOMContentLoaded", async () => {
  $("form").addEventListener("submit", submit);
  $("query").addEventListener("input", () => { if ($("query").value !== state.original) $("params").replaceChildren(); });
  window.addEventListener("hashchange", () => fromHash(true));
  await loadQuestions();
  fromHash(true);
});
