/* The kg explorer. Reads the JSON embedded in #kg-data, draws it with vis-network and wires the
 * search, filters, focus, shortest path, evidence panel and timeline.
 *
 * Globals, as in pyvis pages: `network` (the vis.Network), `nodes` and `edges` (its vis.DataSets),
 * plus `kgData` (the embedded data) and `kgExplorer` (the functions below), for users and tests.
 *
 * Every string from the data reaches the page through textContent or a text node, never as HTML.
 */
"use strict";
var network, nodes, edges, kgData, kgExplorer;

(function () {
  var mark = function (name) { if (window.performance && performance.mark) performance.mark("kg:" + name); };
  mark("start");
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  mark("parsed");
  kgData = data;

  // ---- indexes --------------------------------------------------------------------------------
  var nodeById = new Map();
  data.nodes.forEach(function (n) { nodeById.set(n.id, n); });
  var edgeById = new Map();
  data.edges.forEach(function (e) { edgeById.set(e.id, e); });
  var links = new Map(); // node id -> [edge]
  data.nodes.forEach(function (n) { links.set(n.id, []); });
  data.edges.forEach(function (e) { links.get(e.from).push(e); if (e.to !== e.from) links.get(e.to).push(e); });
  var kindInfo = new Map();
  data.kinds.forEach(function (k) { kindInfo.set(k.kind, k); });

  // ---- DOM helpers: text only ----------------------------------------------------------------
  function $(id) { return document.getElementById(id); }
  function el(tag, className) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === false) continue;
      e.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    }
    return e;
  }
  function button(text, onClick, className) {
    var b = el("button", className, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function fold(s) { return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  function defRow(dl, term, value) {
    if (value === null || value === undefined || value === "") return;
    dl.appendChild(el("dt", null, term));
    dl.appendChild(typeof value === "string" ? el("dd", null, value) : el("dd", null, value));
  }
  function kindLabel(kind) { var k = kindInfo.get(kind); return k ? k.label : kind; }
  function modalityLabel(m) { return (data.grades.modality || {})[m] || m; }

  // ---- the network ---------------------------------------------------------------------------
  nodes = new vis.DataSet(data.vis.nodes);
  edges = new vis.DataSet(data.vis.edges);
  var container = $("mynetwork");
  network = new vis.Network(container, { nodes: nodes, edges: edges }, data.vis.options);
  mark("network");
  // Usable once drawn: benchmarks and tests wait for this.
  network.once("afterDrawing", function () { mark("drawn"); document.body.setAttribute("data-kg-drawn", "true"); });
  var baseBorder = new Map();
  data.vis.nodes.forEach(function (n) { if (n.borderWidth !== undefined) baseBorder.set(n.id, n.borderWidth); });
  var baseEdge = new Map();
  data.vis.edges.forEach(function (e) { baseEdge.set(e.id, { color: e.color, width: e.width }); });

  // ---- state ---------------------------------------------------------------------------------
  var state = {
    kinds: new Set(data.kinds.map(function (k) { return k.kind; })),
    modalities: new Set(data.modalities),
    inferred: true,
    sources: new Set(data.sources.map(function (s, i) { return i; })),
    hideIsolated: false,
    timeFrom: "", timeTo: "", timeMode: "overlaps", timeRelative: true, timeUndated: true,
    focus: null, focusSet: null,
    path: null,
    selected: null,
  };
  var visibleNodes = new Set(data.nodes.map(function (n) { return n.id; }));
  var visibleEdges = new Set(data.edges.map(function (e) { return e.id; }));

  // ---- filters -------------------------------------------------------------------------------
  function parseBound(text, end) {
    var t = text.trim();
    if (!t) return "";
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(t);
    if (!m) return null;
    if (m[3]) return t;
    if (m[2]) return m[1] + "-" + m[2] + (end ? "-31" : "-01");
    return m[1] + (end ? "-12-31" : "-01-01");
  }
  function timeOk(node) {
    var t = node.time;
    if (!t) return true;
    if (t.status === "relative") return state.timeRelative;
    if (t.status === "undated") return state.timeUndated;
    var from = state.timeFrom, to = state.timeTo;
    if (!from && !to) return true;
    if (state.timeMode === "within") return (!from || t.start >= from) && (!to || t.end <= to);
    return (!from || t.end >= from) && (!to || t.start <= to);
  }
  function evidenceOk(refs) {
    return refs.some(function (i) {
      var ev = data.evidence[i];
      return state.sources.has(ev.source) && (!ev.modality || state.modalities.has(ev.modality));
    });
  }
  function nodeOk(n) {
    if (!state.kinds.has(n.kind)) return false;
    if (!timeOk(n)) return false;
    if (n.evidence.length && !n.evidence.some(function (i) { return state.sources.has(data.evidence[i].source); })) return false;
    if (state.focusSet && !state.focusSet.has(n.id)) return false;
    return true;
  }
  function edgeOk(e) {
    if (e.inferred) return state.inferred;
    return e.evidence.length === 0 || evidenceOk(e.evidence);
  }

  function applyFilters() {
    var nodeVisible = new Set();
    data.nodes.forEach(function (n) { if (nodeOk(n)) nodeVisible.add(n.id); });
    var edgeVisible = new Set();
    data.edges.forEach(function (e) {
      if (nodeVisible.has(e.from) && nodeVisible.has(e.to) && edgeOk(e)) edgeVisible.add(e.id);
    });
    if (state.hideIsolated) {
      var linked = new Set();
      edgeVisible.forEach(function (id) { var e = edgeById.get(id); linked.add(e.from); linked.add(e.to); });
      nodeVisible.forEach(function (id) { if (!linked.has(id)) nodeVisible.delete(id); });
    }
    var nodeUpdates = [], edgeUpdates = [];
    // Only what changes is updated (every item starts visible).
    data.nodes.forEach(function (n) {
      var show = nodeVisible.has(n.id);
      if (show !== visibleNodes.has(n.id)) nodeUpdates.push({ id: n.id, hidden: !show });
    });
    data.edges.forEach(function (e) {
      var show = edgeVisible.has(e.id);
      if (show !== visibleEdges.has(e.id)) edgeUpdates.push({ id: e.id, hidden: !show });
    });
    visibleNodes = nodeVisible;
    visibleEdges = edgeVisible;
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    updateTimelineVisibility();
    $("kg-status").textContent = "Showing " + visibleNodes.size + " of " + data.nodes.length + " nodes and " +
      visibleEdges.size + " of " + data.edges.length + " links.";
  }

  function checkList(listId, items, onChange) {
    var list = $(listId);
    items.forEach(function (item) {
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.setAttribute("data-key", item.key);
      box.addEventListener("change", function () { onChange(item.key, box.checked); applyFilters(); });
      var label = el("label", "kg-check", box);
      if (item.swatch) label.appendChild(item.swatch);
      label.appendChild(document.createTextNode(item.label));
      if (item.count !== undefined) label.appendChild(el("span", "kg-count", "(" + item.count + ")"));
      list.appendChild(el("li", null, label));
    });
  }

  function toggle(set, key, on) { if (on) set.add(key); else set.delete(key); }

  var kindCounts = new Map();
  data.nodes.forEach(function (n) { kindCounts.set(n.kind, (kindCounts.get(n.kind) || 0) + 1); });
  checkList("kg-kinds", data.kinds.map(function (k) {
    var sw = el("span", "kg-swatch " + k.shape);
    sw.style.background = k.color;
    return { key: k.kind, label: k.label, swatch: sw, count: kindCounts.get(k.kind) || 0 };
  }), function (key, on) { toggle(state.kinds, key, on); });

  data.edgeStyles.forEach(function (s) {
    var line = el("span", "kg-line" + (s.key === "attributed" ? " dashed" : s.key === "inferred" ? " dotted" : ""));
    line.style.borderTopColor = s.color;
    $("kg-edge-legend").appendChild(el("li", null, line, el("span", null, s.label)));
  });
  var modalityItems = data.modalities.map(function (m) { return { key: m, label: modalityLabel(m) }; });
  if (data.edges.some(function (e) { return e.inferred; })) modalityItems.push({ key: "__inferred", label: "Inferred links" });
  checkList("kg-modalities", modalityItems, function (key, on) {
    if (key === "__inferred") state.inferred = on; else toggle(state.modalities, key, on);
  });
  checkList("kg-sources", data.sources.map(function (s, i) { return { key: String(i), label: s.label }; }),
    function (key, on) { toggle(state.sources, parseInt(key, 10), on); });
  $("kg-hide-isolated").addEventListener("change", function (ev) { state.hideIsolated = ev.target.checked; applyFilters(); });

  function readTime() {
    var from = parseBound($("kg-time-from").value, false), to = parseBound($("kg-time-to").value, true);
    $("kg-time-from").setAttribute("aria-invalid", from === null ? "true" : "false");
    $("kg-time-to").setAttribute("aria-invalid", to === null ? "true" : "false");
    state.timeFrom = from || "";
    state.timeTo = to || "";
    state.timeMode = $("kg-time-mode").value;
    state.timeRelative = $("kg-time-relative").checked;
    state.timeUndated = $("kg-time-undated").checked;
    applyFilters();
  }
  ["kg-time-from", "kg-time-to"].forEach(function (id) { $(id).addEventListener("input", readTime); });
  ["kg-time-mode", "kg-time-relative", "kg-time-undated"].forEach(function (id) { $(id).addEventListener("change", readTime); });

  // ---- details panel -------------------------------------------------------------------------
  var details = $("kg-details");

  function evidenceCard(ev) {
    var card = el("div", "kg-evidence" + (ev.attributed ? " attributed" : ""));
    card.appendChild(el("blockquote", "kg-quote", ev.quote || "(no quote: " + (ev.external ? "curator knowledge" : "none given") + ")"));
    var dl = el("dl");
    var source = data.sources[ev.source];
    defRow(dl, "Source", source.label || source.iri);
    defRow(dl, "Claimant", ev.claimantLabel || "the source, in its own voice");
    defRow(dl, "Reported via", ev.via);
    defRow(dl, "Modality", el("span", null, modalityLabel(ev.modality), el("span", "kg-badge " + ev.modality, ev.modality)));
    var rel = ev.reliability ? (data.grades.reliability[ev.reliability] || ev.reliability) : "not graded";
    var cred = ev.credibility ? (data.grades.credibility[ev.credibility] || ev.credibility) : "not graded";
    defRow(dl, "Admiralty", (ev.reliability || "-") + (ev.credibility || "-"));
    defRow(dl, "Reliability", rel);
    defRow(dl, "Credibility", cred);
    defRow(dl, "Note", ev.note);
    if (ev.external) defRow(dl, "External", "curator knowledge from outside the sources");
    card.appendChild(dl);
    card.appendChild(el("div", "kg-iri", ev.claim));
    return card;
  }

  function linkButton(e, fromHere) {
    var other = nodeById.get(fromHere ? e.to : e.from);
    var text = fromHere ? e.label + " \u2192 " + other.label : other.label + " \u2192 " + e.label + " \u2192 this";
    var b = button(text, function () { selectEdge(e.id, true); }, "kg-link");
    if (e.inferred) b.appendChild(el("span", "kg-badge inferred", "inferred"));
    e.modalities.forEach(function (m) { if (m !== "reported-fact") b.appendChild(el("span", "kg-badge " + m, m)); });
    return b;
  }

  function showNode(id) {
    var n = nodeById.get(id);
    if (!n) return;
    clear(details);
    details.setAttribute("data-showing", "node:" + id);
    details.appendChild(el("h2", null, n.label));
    var kind = el("p", null, el("strong", null, kindLabel(n.kind)));
    var classes = n.classLabels.filter(function (c) { return c !== kindLabel(n.kind); });
    if (classes.length) kind.appendChild(document.createTextNode(" \u2014 " + classes.join(", ")));
    if (n.unnamed) kind.appendChild(el("span", "kg-badge", "unnamed"));
    if (n.collective) kind.appendChild(el("span", "kg-badge", "collective"));
    details.appendChild(kind);
    if (n.description) details.appendChild(el("p", null, n.description));
    var dl = el("dl");
    defRow(dl, "Id", n.id);
    if (n.aliases.length) defRow(dl, "Aliases", n.aliases.join("; "));
    if (n.time) defRow(dl, "When", n.time.shown + " (precision: " + n.time.precision + ")");
    Object.keys(n.properties).forEach(function (k) { defRow(dl, k, n.properties[k].join("; ")); });
    details.appendChild(dl);
    var out = links.get(id).filter(function (e) { return e.from === id; });
    var inc = links.get(id).filter(function (e) { return e.to === id && e.from !== id; });
    if (out.length || inc.length) {
      details.appendChild(el("h3", null, "Links (" + (out.length + inc.length) + ")"));
      out.forEach(function (e) { details.appendChild(linkButton(e, true)); });
      inc.forEach(function (e) { details.appendChild(linkButton(e, false)); });
    }
    if (n.evidence.length) {
      details.appendChild(el("h3", null, "Evidence for its type"));
      n.evidence.forEach(function (i) { details.appendChild(evidenceCard(data.evidence[i])); });
    }
    details.appendChild(el("div", "kg-iri", n.iri));
  }

  function edgeHeading(e) {
    return nodeById.get(e.from).label + " \u2014 " + e.label + " \u2192 " + nodeById.get(e.to).label;
  }
  function edgeKind(e) {
    if (e.inferred) return "Inferred by the reasoner: no claim states it directly.";
    return e.attributed ? "Attributed: every claim is someone's claim, an assessment, an allegation or a forecast."
      : "Reported as fact by the source.";
  }

  function showEdge(id) {
    var e = edgeById.get(id);
    if (!e) return;
    clear(details);
    details.setAttribute("data-showing", "edge:" + id);
    details.appendChild(el("h2", null, edgeHeading(e)));
    details.appendChild(el("p", null, edgeKind(e)));
    var dl = el("dl");
    defRow(dl, "Relation", e.label + " (" + e.predicate + ")");
    defRow(dl, "From", button(nodeById.get(e.from).label, function () { selectNode(e.from, true); }, "kg-link"));
    defRow(dl, "To", button(nodeById.get(e.to).label, function () { selectNode(e.to, true); }, "kg-link"));
    details.appendChild(dl);
    details.appendChild(el("h3", null, "Evidence (" + e.evidence.length + ")"));
    e.evidence.forEach(function (i) { details.appendChild(evidenceCard(data.evidence[i])); });
  }

  function showPath(path, fromId, toId) {
    clear(details);
    details.setAttribute("data-showing", "path");
    if (!path) {
      details.appendChild(el("h2", null, "No path"));
      details.appendChild(el("p", null, "No chain of visible links joins " + nodeById.get(fromId).label +
        " and " + nodeById.get(toId).label + "."));
      return;
    }
    details.appendChild(el("h2", null, "Shortest path: " + path.edges.length + " link" + (path.edges.length === 1 ? "" : "s")));
    details.appendChild(el("p", null, path.nodes.map(function (id) { return nodeById.get(id).label; }).join(" \u2192 ")));
    path.edges.forEach(function (id, i) {
      var e = edgeById.get(id);
      details.appendChild(el("h3", null, (i + 1) + ". " + edgeHeading(e)));
      if (e.inferred) details.appendChild(el("p", "kg-hint", edgeKind(e)));
      e.evidence.forEach(function (j) { details.appendChild(evidenceCard(data.evidence[j])); });
    });
  }

  function selectNode(id, move) {
    if (!nodeById.has(id)) return;
    state.selected = id;
    network.selectNodes([id], true);
    if (move) network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showNode(id);
  }
  function selectEdge(id, move) {
    if (!edgeById.has(id)) return;
    network.setSelection({ nodes: [], edges: [id] }, { unselectAll: true, highlightEdges: false });
    if (move) {
      var e = edgeById.get(id);
      network.fit({ nodes: [e.from, e.to], animation: false });
      if (network.getScale() > 1.5) network.moveTo({ scale: 1.5, animation: false });
    }
    showEdge(id);
  }

  network.on("click", function (params) {
    if (params.nodes.length) { state.selected = params.nodes[0]; showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
  });

  // ---- search --------------------------------------------------------------------------------
  var searchIndex = data.nodes.map(function (n) {
    return { id: n.id, label: fold(n.label), aliases: n.aliases.map(fold), key: fold(n.id) };
  });
  function search(query) {
    var q = fold(query.trim());
    if (!q) return [];
    var hits = [];
    searchIndex.forEach(function (s) {
      var rank = -1, aliases = [];
      if (s.label === q || s.key === q) rank = 0;
      else if (s.label.indexOf(q) === 0) rank = 1;
      else if (s.label.indexOf(q) >= 0 || s.key.indexOf(q) >= 0) rank = 2;
      for (var i = 0; i < s.aliases.length; i++) {
        if (s.aliases[i].indexOf(q) >= 0) {
          aliases.push(nodeById.get(s.id).aliases[i]);
          var r = s.aliases[i] === q ? 0 : 3;
          if (rank < 0 || r < rank) rank = r;
        }
      }
      if (rank >= 0) hits.push({ id: s.id, rank: rank, aliases: aliases });
    });
    hits.sort(function (a, b) {
      return a.rank - b.rank || (nodeById.get(a.id).label < nodeById.get(b.id).label ? -1 : 1);
    });
    return hits;
  }
  function showSearch() {
    var list = $("kg-search-results");
    clear(list);
    var hits = search($("kg-search").value);
    hits.slice(0, 25).forEach(function (h) {
      var n = nodeById.get(h.id);
      var b = button(n.label, function () { selectNode(h.id, true); }, null);
      b.setAttribute("data-id", h.id);
      b.appendChild(el("span", "kg-count", " " + kindLabel(n.kind)));
      if (h.aliases.length) b.appendChild(el("div", "kg-muted", (h.aliases.length > 1 ? "aliases: " : "alias: ") + h.aliases.join("; ")));
      if (!visibleNodes.has(h.id)) b.appendChild(el("div", "kg-muted", "hidden by the filters"));
      list.appendChild(el("li", null, b));
    });
    if (hits.length > 25) list.appendChild(el("li", "kg-muted", (hits.length - 25) + " more: type more of the name"));
    if ($("kg-search").value.trim() && !hits.length) list.appendChild(el("li", "kg-muted", "No node has this name or alias."));
  }
  $("kg-search").addEventListener("input", showSearch);
  $("kg-search").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var hits = search(ev.target.value); if (hits.length) selectNode(hits[0].id, true); }
  });

  // ---- focus ---------------------------------------------------------------------------------
  function neighbourhood(centre, hops, usable) {
    var seen = new Map([[centre, 0]]), queue = [centre];
    while (queue.length) {
      var id = queue.shift(), d = seen.get(id);
      if (d >= hops) continue;
      links.get(id).forEach(function (e) {
        if (usable && !usable(e)) return;
        var other = e.from === id ? e.to : e.from;
        if (!seen.has(other)) { seen.set(other, d + 1); queue.push(other); }
      });
    }
    return new Set(seen.keys());
  }
  function focusOn(id, hops) {
    if (!nodeById.has(id)) return;
    state.focus = id;
    state.focusSet = neighbourhood(id, hops);
    applyFilters();
    network.fit({ nodes: Array.from(visibleNodes), animation: false });
    selectNode(id, false);
  }
  function clearFocus() {
    state.focus = null;
    state.focusSet = null;
    applyFilters();
    network.fit({ animation: false });
  }
  $("kg-focus-selected").addEventListener("click", function () {
    var id = state.selected || (network.getSelectedNodes()[0]);
    if (id) focusOn(id, Math.max(0, parseInt($("kg-hops").value, 10) || 0));
  });
  $("kg-focus-clear").addEventListener("click", clearFocus);

  // ---- shortest path -------------------------------------------------------------------------
  if (data.nodes.length <= 5000) {
    var names = $("kg-names");
    data.nodes.forEach(function (n) { var o = el("option"); o.value = n.label; names.appendChild(o); });
  }
  function resolve(text) {
    var t = text.trim();
    if (!t) return null;
    if (nodeById.has(t)) return t;
    var hits = search(t);
    return hits.length ? hits[0].id : null;
  }
  function shortestPath(fromId, toId) {
    var prev = new Map([[fromId, null]]), queue = [fromId];
    while (queue.length) {
      var id = queue.shift();
      if (id === toId) break;
      links.get(id).forEach(function (e) {
        if (!visibleEdges.has(e.id)) return;
        var other = e.from === id ? e.to : e.from;
        if (!prev.has(other)) { prev.set(other, { node: id, edge: e.id }); queue.push(other); }
      });
    }
    if (!prev.has(toId)) return null;
    var pathNodes = [toId], pathEdges = [], cur = toId;
    while (prev.get(cur)) { pathEdges.unshift(prev.get(cur).edge); cur = prev.get(cur).node; pathNodes.unshift(cur); }
    return { nodes: pathNodes, edges: pathEdges };
  }
  function clearPath() {
    if (!state.path) return;
    nodes.update(state.path.nodes.map(function (id) { return { id: id, borderWidth: nodeBorder(id), shadow: false }; }));
    edges.update(state.path.edges.map(function (id) {
      var b = baseEdge.get(id);
      return { id: id, color: b.color === undefined ? null : b.color, width: b.width === undefined ? null : b.width };
    }));
    state.path = null;
  }
  function nodeBorder(id) { var b = baseBorder.get(id); return b === undefined ? 1 : b; }
  function findPath() {
    var fromId = resolve($("kg-path-from").value), toId = resolve($("kg-path-to").value);
    $("kg-path-from").setAttribute("aria-invalid", fromId ? "false" : "true");
    $("kg-path-to").setAttribute("aria-invalid", toId ? "false" : "true");
    if (!fromId || !toId) return null;
    clearPath();
    var path = shortestPath(fromId, toId);
    if (path) {
      state.path = path;
      nodes.update(path.nodes.map(function (id) {
        return { id: id, borderWidth: 5, shadow: { enabled: true, color: "#ff6d00", size: 16, x: 0, y: 0 } };
      }));
      edges.update(path.edges.map(function (id) { return { id: id, width: 5, color: { color: "#ff6d00", highlight: "#ff6d00", hover: "#ff6d00" } }; }));
      network.fit({ nodes: path.nodes, animation: false });
    }
    showPath(path, fromId, toId);
    return path;
  }
  $("kg-path-find").addEventListener("click", findPath);
  $("kg-path-clear").addEventListener("click", function () { clearPath(); clear(details); });
  $("kg-path-from-sel").addEventListener("click", function () { if (state.selected) $("kg-path-from").value = nodeById.get(state.selected).label; });
  $("kg-path-to-sel").addEventListener("click", function () { if (state.selected) $("kg-path-to").value = nodeById.get(state.selected).label; });

  // ---- timeline ------------------------------------------------------------------------------
  var timelineRows = new Map();
  function buildTimeline() {
    var body = $("kg-timeline-body");
    var groups = [
      ["absolute", "Dated (to the precision the source gives)"],
      ["relative", "Relative dates, as the source words them"],
      ["undated", "Undated"],
    ];
    var events = data.timeline.map(function (id) { return nodeById.get(id); });
    var dated = events.filter(function (n) { return n.time.status === "absolute"; });
    if (dated.length) body.appendChild(axis(dated));
    groups.forEach(function (g) {
      var rows = events.filter(function (n) { return n.time.status === g[0]; });
      if (!rows.length) return;
      body.appendChild(el("h3", null, g[1] + " (" + rows.length + ")"));
      if (g[0] === "undated") {
        var list = el("ul", "kg-undated");
        list.setAttribute("data-group", g[0]);
        rows.forEach(function (n) {
          var li = el("li", null, button(n.label, function () { selectNode(n.id, true); }, null));
          li.setAttribute("data-id", n.id);
          timelineRows.set(n.id, li);
          list.appendChild(li);
        });
        body.appendChild(list);
        return;
      }
      var table = el("table", "kg-events");
      table.setAttribute("data-group", g[0]);
      rows.forEach(function (n) {
        var when = n.time.shown;
        var tr = el("tr", null,
          el("td", "kg-when", when, el("span", "kg-badge", n.time.precision)),
          el("td", null, button(n.label, function () { selectNode(n.id, true); }, null)));
        tr.setAttribute("data-id", n.id);
        timelineRows.set(n.id, tr);
        table.appendChild(tr);
      });
      body.appendChild(table);
    });
    if (!events.length) body.appendChild(el("p", "kg-hint", "No events in this view."));
  }
  function axis(dated) {
    var min = dated.reduce(function (m, n) { return n.time.start < m ? n.time.start : m; }, dated[0].time.start);
    var max = dated.reduce(function (m, n) { return n.time.end > m ? n.time.end : m; }, dated[0].time.end);
    var y0 = parseInt(min.slice(0, 4), 10), y1 = parseInt(max.slice(0, 4), 10) + 1;
    function pos(iso) {
      var y = parseInt(iso.slice(0, 4), 10), m = parseInt(iso.slice(5, 7), 10) - 1, d = parseInt(iso.slice(8, 10), 10) - 1;
      return 100 * ((y - y0) + (m + d / 31) / 12) / (y1 - y0);
    }
    var box = el("div", "kg-axis");
    for (var y = y0; y <= y1; y++) {
      var tick = el("span", "kg-tick", String(y));
      tick.style.left = (100 * (y - y0) / (y1 - y0)) + "%";
      box.appendChild(tick);
    }
    dated.forEach(function (n) {
      var span = el("span", "kg-span");
      span.style.left = pos(n.time.start) + "%";
      span.style.width = Math.max(0.5, pos(n.time.end) - pos(n.time.start) + 100 / (31 * 12 * (y1 - y0))) + "%";
      span.title = n.label + " (" + n.time.shown + ")";
      span.setAttribute("data-id", n.id);
      span.addEventListener("click", function () { selectNode(n.id, true); });
      box.appendChild(span);
    });
    return box;
  }
  function updateTimelineVisibility() {
    timelineRows.forEach(function (tr, id) { tr.className = visibleNodes.has(id) ? "" : "kg-hidden"; });
  }

  mark("controls");
  buildTimeline();
  mark("timeline");
  applyFilters();
  if (data.focus) selectNode(data.focus, false);

  kgExplorer = {
    search: search, selectNode: selectNode, selectEdge: selectEdge, focusOn: focusOn, clearFocus: clearFocus,
    findPath: function (fromText, toText) { $("kg-path-from").value = fromText; $("kg-path-to").value = toText; return findPath(); },
    applyFilters: applyFilters,
    visibleNodes: function () { return Array.from(visibleNodes); },
    visibleEdges: function () { return Array.from(visibleEdges); },
    ready: true,
  };
  mark("ready");
  document.body.setAttribute("data-kg-ready", "true");
})();
