// kg query UI: a CodeMirror 6 SPARQL editor (editor.js, bundled offline by js/build.mjs), the
// saved questions, a history kept in this browser (localStorage), results shown as labels,
// CURIEs or IRIs that open the entity in the explorer (/), and downloads in every format.
// Nothing is loaded from the network but this server. Every value from the data is written
// with textContent (never innerHTML).
"use strict";

const $ = (id) => document.getElementById(id);
const HISTORY_KEY = "kg-query-history";
const HISTORY_MAX = 50;
const state = {
  questions: {}, current: null, original: null, editor: null,
  prefixes: {}, base: "", terms: [], labels: new Map(), last: null, lastKind: null,
};

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

// ---- the editor -------------------------------------------------------------------------------
function getQuery() { return state.editor ? state.editor.getValue() : $("query").value; }
function setQuery(text) {
  if (state.editor) state.editor.setValue(text); else $("query").value = text;
}

function curie(iri) {
  let best = null;
  for (const [p, ns] of Object.entries(state.prefixes)) {
    if (iri.startsWith(ns) && (!best || ns.length > best[1].length)) best = [p, ns];
  }
  if (!best) return null;
  const local = iri.slice(best[1].length);
  return /^[\w.-]*$/.test(local) ? best[0] + ":" + local : null;
}

async function sparqlJson(query) {
  const body = new URLSearchParams({ query });
  const response = await fetch("/sparql", {
    method: "POST", body: body.toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/sparql-results+json" },
  });
  if (!response.ok) throw new Error(response.status + " " + (await response.text()));
  return response.json();
}

async function loadTerms() {
  // Prefixes from the server, classes and properties from the ontology (in the union graph).
  try {
    const info = await (await fetch("/prefixes", { headers: { Accept: "application/json" } })).json();
    state.prefixes = info.prefixes || {};
    state.base = info.base || "";
    const data = await sparqlJson(`SELECT DISTINCT ?t ?kind ?label WHERE {
      VALUES (?type ?kind) { (owl:Class "class") (rdfs:Class "class") (owl:ObjectProperty "property")
                             (owl:DatatypeProperty "property") (rdf:Property "property") (skos:Concept "concept") }
      ?t a ?type . FILTER(isIRI(?t)) OPTIONAL { ?t rdfs:label ?label } } LIMIT 5000`);
    const seen = new Set();
    for (const row of data.results.bindings) {
      const iri = row.t.value, name = curie(iri);
      if (!name || seen.has(name)) continue;
      seen.add(name);
      state.terms.push({ label: name, type: row.kind.value === "property" ? "property" : row.kind.value === "class" ? "class" : "constant",
        detail: row.label ? row.label.value : row.kind.value });
    }
    document.body.setAttribute("data-terms", String(state.terms.length));
  } catch (err) {
    $("status").textContent = "completion of terms unavailable: " + err;
  }
}

async function lookupEntities(prefix, typed) {
  // Known entities whose IRI starts with what is typed after "prefix:" (with their labels).
  const ns = state.prefixes[prefix];
  if (!ns || !/^[\w.-]*$/.test(typed)) return [];
  const start = JSON.stringify(ns + typed);
  const data = await sparqlJson(`SELECT DISTINCT ?s (SAMPLE(?l) AS ?label) WHERE {
      ?s a ?type . FILTER(isIRI(?s) && STRSTARTS(STR(?s), ${start})) OPTIONAL { ?s rdfs:label ?l } }
    GROUP BY ?s ORDER BY ?s LIMIT 50`);
  return data.results.bindings.map((row) => ({
    label: curie(row.s.value) || "<" + row.s.value + ">", type: "variable",
    detail: row.label ? row.label.value : "",
  })).filter((t) => !t.label.startsWith("<"));
}

function makeEditor() {
  const textarea = $("query");
  if (!window.KgEditor) { textarea.hidden = false; return; } // the plain box still works
  state.editor = KgEditor.createEditor($("editor"), {
    doc: textarea.value,
    onRun: () => submit(),
    terms: () => ({ prefixes: state.prefixes, terms: state.terms }),
    lookup: lookupEntities,
  });
}

// ---- saved questions --------------------------------------------------------------------------
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
  setQuery(q.query);
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

// ---- history ----------------------------------------------------------------------------------
function readHistory() {
  try { const h = JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]"); return Array.isArray(h) ? h : []; }
  catch (err) { return []; }
}
function remember(query) {
  let history = readHistory().filter((h) => h && h.query !== query);
  history.unshift({ query, time: new Date().toISOString().slice(0, 16).replace("T", " ") });
  history = history.slice(0, HISTORY_MAX);
  try { localStorage.setItem(HISTORY_KEY, JSON.stringify(history)); } catch (err) { /* storage full or off */ }
  showHistory();
}
function showHistory() {
  const list = $("history");
  list.replaceChildren();
  const history = readHistory();
  if (!history.length) list.append(el("li", "queries you run appear here", "muted"));
  history.forEach((h, i) => {
    const item = el("li");
    const button = el("button", String(h.query).replace(/\s+/g, " ").slice(0, 80), "history-item");
    button.type = "button";
    button.title = h.query;
    button.dataset.index = String(i);
    button.addEventListener("click", () => {
      state.current = null;
      $("params").replaceChildren();
      setQuery(String(h.query));
    });
    item.append(button, el("div", h.time, "muted"));
    list.append(item);
  });
}

// ---- running and showing ----------------------------------------------------------------------
function acceptFor(format) {
  const types = {
    json: "application/sparql-results+json", xml: "application/sparql-results+xml",
    csv: "text/csv", tsv: "text/tab-separated-values",
    ttl: "text/turtle", nt: "application/n-triples", jsonld: "application/ld+json", rdf: "application/rdf+xml",
  };
  return types[format] || "application/sparql-results+json, text/turtle;q=0.9";
}

function request(format) {
  const text = getQuery();
  const init = { headers: { Accept: acceptFor(format) } };
  if (state.current && text === state.original) {
    const params = new URLSearchParams();
    for (const input of $("params").querySelectorAll("input")) if (input.value) params.set(input.name, input.value);
    if (format) params.set("format", format);
    return ["/queries/" + encodeURIComponent(state.current) + "?" + params.toString(), init];
  }
  init.method = "POST";
  init.headers["Content-Type"] = "application/x-www-form-urlencoded";
  const body = new URLSearchParams({ query: text });
  if (format) body.set("format", format);
  init.body = body.toString();
  return ["/sparql", init];
}

async function submit(event) {
  if (event) event.preventDefault();
  const status = $("status");
  const results = $("results");
  status.textContent = "running…";
  const started = performance.now();
  const [url, init] = request("");
  remember(getQuery());
  try {
    const response = await fetch(url, init);
    const type = response.headers.get("Content-Type") || "";
    const ms = Math.round(performance.now() - started);
    if (!response.ok) {
      status.textContent = response.status + " " + response.statusText + " (" + ms + " ms)";
      results.replaceChildren(el("div", await response.text(), "error"));
      $("downloads").hidden = true;
      return;
    }
    if (type.startsWith("application/sparql-results+json")) {
      const data = await response.json();
      state.last = data;
      state.lastKind = "table";
      await fetchLabels(data);
      results.replaceChildren(render(data));
      const n = data.results ? data.results.bindings.length : 1;
      status.textContent = n + (n === 1 ? " row" : " rows") + " (" + ms + " ms)";
    } else {
      state.last = null;
      state.lastKind = "graph";
      results.replaceChildren(el("pre", await response.text()));
      status.textContent = type.split(";")[0] + " (" + ms + " ms)";
    }
    $("downloads").hidden = false;
    $("download-table").hidden = state.lastKind !== "table";
    $("download-graph").hidden = state.lastKind !== "graph";
  } catch (err) {
    status.textContent = "";
    results.replaceChildren(el("div", String(err), "error"));
  }
}

async function fetchLabels(data) {
  // rdfs:label of the IRIs in a result (at most 500 at once), for "show: labels".
  if (!data.results) return;
  const wanted = new Set();
  for (const row of data.results.bindings) {
    for (const cell of Object.values(row)) if (cell.type === "uri" && !state.labels.has(cell.value)) wanted.add(cell.value);
  }
  const iris = Array.from(wanted).filter((iri) => !/[<>"{}|\\^`\s]/.test(iri)).slice(0, 500);
  if (!iris.length) return;
  try {
    const values = iris.map((iri) => "<" + iri + ">").join(" ");
    const labels = await sparqlJson(`SELECT ?s (SAMPLE(?l) AS ?label) WHERE { VALUES ?s { ${values} } ?s rdfs:label ?l } GROUP BY ?s`);
    for (const row of labels.results.bindings) state.labels.set(row.s.value, row.label.value);
  } catch (err) { /* labels are a convenience: IRIs and CURIEs still show */ }
}

function iriCell(iri) {
  const show = $("show").value;
  const name = curie(iri);
  const text = show === "iri" ? iri : show === "curie" ? (name || iri) : (state.labels.get(iri) || name || iri);
  const link = el("a", text, "entity");
  link.href = "/#sel=" + encodeURIComponent(iri); // the explorer selects it (by IRI)
  link.title = iri + " (open in the explorer)";
  return link;
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
      const td = el("td");
      if (cell && cell.type === "uri") td.append(iriCell(cell.value));
      else if (cell) td.textContent = cell.value;
      if (cell && cell["xml:lang"]) td.title = "@" + cell["xml:lang"];
      else if (cell && cell.datatype) td.title = curie(cell.datatype) || cell.datatype;
      tr.append(td);
    }
    table.append(tr);
  }
  return table;
}

async function download(format) {
  const [url, init] = request(format);
  const status = $("status");
  try {
    const response = await fetch(url, init);
    if (!response.ok) { status.textContent = "download failed: " + response.status + " " + (await response.text()); return; }
    const blob = await response.blob();
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "result." + format;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  } catch (err) {
    status.textContent = "download failed: " + err;
  }
}

function fromHash(run) {
  const name = decodeURIComponent(location.hash.slice(1));
  if (name && state.questions[name]) select(name, run);
}

document.addEventListener("DOMContentLoaded", async () => {
  makeEditor();
  $("form").addEventListener("submit", submit);
  $("show").addEventListener("change", () => { if (state.last) $("results").replaceChildren(render(state.last)); });
  for (const b of document.querySelectorAll("#downloads button")) b.addEventListener("click", () => download(b.dataset.format));
  $("history-clear").addEventListener("click", () => { localStorage.removeItem(HISTORY_KEY); showHistory(); });
  window.addEventListener("hashchange", () => fromHash(true));
  showHistory();
  await Promise.all([loadQuestions(), loadTerms()]);
  fromHash(true);
  document.body.setAttribute("data-ready", "true");
});
