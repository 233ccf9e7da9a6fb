// kg curate: the review page. Every string from the data reaches the page through textContent
// or an input's value, never as HTML. Every change is sent to the server at once (which saves
// it), so closing the page loses nothing.
"use strict";

const kgReview = (() => {
  let state = null;
  let selection = "";
  let focusedQuote = null; // the quote input the selection goes to

  const $ = (id) => document.getElementById(id);
  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === "class") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key in node) node[key] = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) node.append(child);
    return node;
  };
  const fold = (s) => (s || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

  function status(message, isError = false) {
    const box = $("status");
    box.textContent = message;
    box.classList.toggle("error", isError);
  }

  async function call(path, body) {
    const response = await fetch(path, {
      method: body === undefined ? "GET" : "POST",
      headers: body === undefined ? {} : {"Content-Type": "application/json"},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await response.json();
    if (!response.ok && !data.errors) data.errors = [`HTTP ${response.status}`];
    return data;
  }

  // -- the text -------------------------------------------------------------------------
  function renderText() {
    const text = state.text;
    const box = $("text");
    box.replaceChildren();
    const marks = [];
    for (const m of state.mentions) {
      const kind = !m.known ? "new" : (m.entity ? "known" : "ambiguous");
      const title = m.entity ? `${m.entity} (${m.how})` : `one of: ${m.candidates.join(", ")}`;
      marks.push({start: m.start, end: m.end, tag: "mark", cls: kind, title});
    }
    for (const t of state.times) marks.push({start: t.start, end: t.end, tag: "span", cls: "time",
                                             title: `${t.kind}, ${t.unit}${t.value ? ": " + t.value : ""}`});
    marks.sort((a, b) => a.start - b.start || b.end - a.end);
    let paragraph = el("p");
    box.append(paragraph);
    for (const s of state.sentences) {
      const between = text.slice(s.index === 0 ? 0 : state.sentences[s.index - 1].end, s.start);
      if (between.includes("\n")) { paragraph = el("p"); box.append(paragraph); }
      else if (s.index > 0) paragraph.append(" ");
      const span = el("span", {class: "sentence", dataset: {sentence: String(s.index)}});
      let at = s.start;
      for (const m of marks) {
        if (m.start < at || m.start >= s.end || m.end > s.end) continue;
        span.append(text.slice(at, m.start));
        span.append(el(m.tag, {class: m.cls, title: m.title}, text.slice(m.start, m.end)));
        at = m.end;
      }
      span.append(text.slice(at, s.end));
      paragraph.append(span);
    }
  }

  function onSelect() {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !$("text").contains(sel.anchorNode)) return;
    selection = sel.toString().replace(/\s+/g, " ").trim();
    $("selection").textContent = selection;
    $("use-quote").disabled = !selection;
    $("new-entity").disabled = !selection;
  }

  // -- completion -----------------------------------------------------------------------
  function choices(kind) {
    const entities = state.entities.map((e) => ({value: e.id, label: e.label, also: e.aliases.join(" ")}));
    const terms = (list) => list.map((t) => ({value: t, label: state.labels[t] || "", also: ""}));
    if (kind === "entity") return entities;
    if (kind === "property") return terms(state.properties);
    if (kind === "class") return terms(state.classes);
    if (kind === "object") return entities.concat(terms(state.concepts));
    if (kind === "source") return state.sources.map((s) => ({value: s, label: "", also: ""}));
    return [];
  }

  const COMPLETE = {subject: "entity", object: "object", claimant: "entity", via: "entity", predicate: "property",
                    type: "class", source: "source"};

  function attachCompletion(input, kind) {
    const list = $("suggest");
    let items = [];
    let active = -1;
    const mine = () => list.dataset.owner === input.id;
    const close = () => {  // only this input's list: another input's late blur must not hide it
      if (mine()) list.hidden = true;
      items = []; active = -1;
    };
    const pick = (item) => {
      if (kind === "class" && input.value.includes("|")) {
        input.value = input.value.replace(/[^|]*$/, item.value);
      } else input.value = item.value;
      close();
      input.dispatchEvent(new Event("change", {bubbles: true}));
    };
    const show = () => {
      const word = fold(kind === "class" ? input.value.split("|").pop() : input.value).trim();
      if (!word) { close(); return; }
      items = choices(kind).filter((c) => fold(`${c.value} ${c.label} ${c.also}`).includes(word))
        .sort((a, b) => (fold(a.value).startsWith(word) ? 0 : 1) - (fold(b.value).startsWith(word) ? 0 : 1)
                         || a.value.localeCompare(b.value)).slice(0, 8);
      list.replaceChildren(...items.map((c, i) => {
        const li = el("li", {dataset: {value: c.value}}, c.label ? `${c.value} — ${c.label}` : c.value);
        li.addEventListener("mousedown", (event) => { event.preventDefault(); pick(items[i]); });
        return li;
      }));
      active = -1;
      if (!items.length) { close(); return; }
      const box = input.getBoundingClientRect();
      list.style.left = `${box.left + window.scrollX}px`;
      list.style.top = `${box.bottom + window.scrollY}px`;
      list.dataset.owner = input.id;
      list.hidden = false;
    };
    input.addEventListener("input", show);
    input.addEventListener("blur", () => setTimeout(close, 100));
    input.addEventListener("keydown", (event) => {
      if (list.hidden || !mine() || !items.length) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        active = (active + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
        [...list.children].forEach((li, i) => li.classList.toggle("active", i === active));
        event.preventDefault();
      } else if (event.key === "Enter") {
        pick(items[active >= 0 ? active : 0]);
        event.preventDefault();
      } else if (event.key === "Escape") close();
    });
  }

  // -- rows -----------------------------------------------------------------------------
  function field(table, name, value, prefix) {
    const wide = name === "quote" || name === "note" || name === "description";
    let input;
    if (name === "modality" || name === "reliability" || name === "credibility") {
      const options = {modality: state.modalities, reliability: state.reliabilities,
                       credibility: state.credibilities}[name];
      input = el("select", {name}, el("option", {value: ""}, ""), ...options.map((o) => el("option", {value: o}, o)));
      input.value = value || "";
    } else {
      input = el("input", {name, type: "text", value: value || "", spellcheck: false});
      if (COMPLETE[name]) attachCompletion(input, COMPLETE[name]);
    }
    input.id = `${prefix}-${name}`;
    if (name === "quote") input.addEventListener("focus", () => { focusedQuote = input; });
    return el("label", {class: wide ? "wide" : ""}, name, input);
  }

  function cellsOf(container) {
    const cells = {};
    for (const input of container.querySelectorAll(".fields input, .fields select")) cells[input.name] = input.value;
    return cells;
  }

  function showMessages(box, result) {
    box.replaceChildren();
    for (const e of result.errors || []) box.append(el("div", {class: "error"}, e));
    for (const w of result.warnings || []) box.append(el("div", {class: "warning"}, w));
  }

  function renderRows() {
    const box = $("rows");
    box.replaceChildren();
    const counts = {};
    for (const row of state.rows) {
      counts[row.status] = (counts[row.status] || 0) + 1;
      const card = el("div", {class: `row ${row.status}`, id: `row-${row.id}`, dataset: {row: row.id}});
      const fields = el("div", {class: "fields"});
      for (const name of state.columns[row.table]) fields.append(field(row.table, name, row.cells[name], row.id));
      const messages = el("div", {class: "messages"});
      const buttons = el("div", {class: "buttons"});
      if (row.status === "pending" || row.status === "in-tables") {
        const accept = el("button", {type: "button", class: "accept"}, "Accept");
        const reject = el("button", {type: "button", class: "reject"}, "Reject");
        accept.addEventListener("click", () => act(() => call("/api/accept", {row: row.id, cells: cellsOf(card)}),
                                                   messages, `accepted ${row.id}`));
        reject.addEventListener("click", () => act(() => call("/api/reject", {row: row.id}), messages,
                                                   `rejected ${row.id}`));
        buttons.append(accept, " ", reject);
        fields.addEventListener("change", async () => {
          const result = await call("/api/save", {row: row.id, cells: cellsOf(card)});
          if (result.ok) { row.cells = cellsOf(card); status(`saved the edit of ${row.id}`); state.undo = `edit ${row.id}`; $("undo").disabled = false; }
          else showMessages(messages, result);
        });
      } else {
        for (const input of fields.querySelectorAll("input, select")) input.disabled = true;
      }
      card.append(el("div", {class: "why"}, `${row.id} · ${row.table} · ${row.kind} · ${row.status} — ${row.why}`),
                  fields, buttons, messages);
      card.addEventListener("focusin", () => focusSentence(row.sentence));
      box.append(card);
    }
    $("counts").textContent = Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(", ");
  }

  function focusSentence(index) {
    for (const s of document.querySelectorAll(".sentence.focus")) s.classList.remove("focus");
    const span = document.querySelector(`.sentence[data-sentence="${index}"]`);
    if (span) span.classList.add("focus");
  }

  function renderNewRow(values = {}) {
    const table = $("new-table").value;
    const box = $("new-fields");
    box.replaceChildren(...state.columns[table].map((name) => field(table, name, values[name] || "", "new")));
  }

  async function act(request, messages, done) {
    const result = await request();
    if (result.ok) {
      await reload();
      if (typeof done === "function") done = done(result);
      status(done + ((result.warnings || []).length ? `\n${result.warnings.join("\n")}` : ""));
    } else {
      showMessages(messages, result);
      status((result.errors || []).join("\n"), true);
    }
    return result;
  }

  async function reload() {
    state = await call("/api/state");
    $("source-id").textContent = state.source.id;
    $("undo").disabled = !state.undo;
    $("undo").title = state.undo ? `undo: ${state.undo}` : "";
    renderText();
    renderRows();
  }

  async function start() {
    await reload();
    renderNewRow();
    document.addEventListener("mouseup", onSelect);
    document.addEventListener("keyup", onSelect);
    $("new-table").addEventListener("change", () => renderNewRow(cellsOf($("new-row"))));
    $("use-quote").addEventListener("click", () => {
      const target = focusedQuote && document.body.contains(focusedQuote) ? focusedQuote : $("new-quote");
      target.value = selection;
      target.dispatchEvent(new Event("change", {bubbles: true}));
      status(`quote set: ${selection}`);
    });
    $("new-entity").addEventListener("click", async () => {
      const answer = await call("/api/new-id", {label: selection});
      $("new-table").value = "entities";
      renderNewRow({id: answer.id || "", label: selection, quote: selection, source: state.source.id});
      $("new-type").focus();
    });
    $("new-row").addEventListener("submit", (event) => {
      event.preventDefault();
      act(() => call("/api/add", {table: $("new-table").value, cells: cellsOf($("new-row"))}), $("new-messages"),
          (result) => `row added: ${result.row}`).then((result) => { if (result.ok) { renderNewRow(); $("new-messages").replaceChildren(); } });
    });
    $("undo").addEventListener("click", () => act(() => call("/api/undo", {}), $("new-messages"), "undone"));
    status(`${state.rows.length} drafted rows; select words in the text to quote them`);
    document.body.dataset.ready = "true";
  }

  return {start, get state() { return state; }};
})();

document.addEventListener("DOMContentLoaded", () => kgReview.start().catch((error) => {
  document.getElementById("status").textContent = `could not load: ${error}`;
}));
