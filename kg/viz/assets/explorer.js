/* The kg explorer. Reads the JSON embedded in #kg-data, draws it with vis-network and wires the
 * labels, selection, search, filters, focus and expansion, shortest path, evidence panel, source
 * texts, timeline, map, exports and the state kept in the URL.
 *
 * Globals, as in pyvis pages: `network` (the vis.Network), `nodes` and `edges` (its vis.DataSets),
 * plus `kgData` (the embedded data) and `kgExplorer` (the functions below), for users and tests.
 *
 * Every string from the data reaches the page through textContent or a text node (or, in an SVG
 * export, through XML escaping), never as HTML.
 */
"use strict";
var network, nodes, edges, kgData, kgExplorer;

(function () {
  var mark = function (name) { if (window.performance && performance.mark) performance.mark("kg:" + name); };
  mark("start");
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  mark("parsed");
  kgData = data;
  var BIG = data.nodes.length > 2000;

  // ---- indexes --------------------------------------------------------------------------------
  var nodeById = new Map(), rankOf = new Map(), byIri = new Map();
  data.nodes.forEach(function (n, i) { nodeById.set(n.id, n); rankOf.set(n.id, i); byIri.set(n.iri, n.id); });
  var edgeById = new Map();
  data.edges.forEach(function (e) { edgeById.set(e.id, e); });
  var links = new Map(); // node id -> [edge]
  data.nodes.forEach(function (n) { links.set(n.id, []); });
  data.edges.forEach(function (e) { links.get(e.from).push(e); if (e.to !== e.from) links.get(e.to).push(e); });
  var kindInfo = new Map();
  data.kinds.forEach(function (k) { kindInfo.set(k.kind, k); });
  var stepKinds = new Set(data.steps);
  var edgeStyle = new Map();
  data.edgeStyles.forEach(function (s) { edgeStyle.set(s.key, s); });

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
  function button(text, onClick, className, title) {
    var b = el("button", className, text);
    b.type = "button";
    if (title) b.title = title;
    b.addEventListener("click", onClick);
    return b;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function fold(s) { return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  function defRow(dl, term, value) {
    if (value === null || value === undefined || value === "") return;
    dl.appendChild(el("dt", null, term));
    dl.appendChild(el("dd", null, value));
  }
  function kindLabel(kind) { var k = kindInfo.get(kind); return k ? k.label : kind; }
  function modalityLabel(m) { return (data.grades.modality || {})[m] || m; }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

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
  var defaultEdgeColor = data.vis.options.edges.color.color;

  // ---- state ---------------------------------------------------------------------------------
  var state = {
    kinds: new Set(data.kinds.map(function (k) { return k.kind; })),
    modalities: new Set(data.modalities),
    inferred: true,
    claimants: true,
    sources: new Set(data.sources.map(function (s, i) { return i; })),
    hideIsolated: false,
    timeFrom: "", timeTo: "", timeMode: "overlaps", timeRelative: true, timeUndated: true,
    focus: null, hops: 1, shown: null, // shown: the set of nodes a focus or an expansion keeps
    through: new Set(),
    path: null, pathEnds: null,
    selected: null, selectedEdge: null,
    moved: new Map(), // node id -> [x, y] for nodes moved by a re-layout or a drag
  };
  var visibleNodes = new Set(data.nodes.map(function (n) { return n.id; }));
  var visibleEdges = new Set(data.edges.map(function (e) { return e.id; }));

  // ---- filters -------------------------------------------------------------------------------
  function parseBound(text, end) {
    var t = text.trim();
    if (!t) return "";
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(t);
    if (!m) return null;
    var month = m[2] ? parseInt(m[2], 10) : 1, day = m[3] ? parseInt(m[3], 10) : 1;
    if (month < 1 || month > 12 || day < 1 || day > 31) return null;
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
    if (state.shown && !state.shown.has(n.id)) return false;
    return true;
  }
  function edgeOk(e) {
    if (e.claimant && !state.claimants) return false;
    if (e.inferred) return state.inferred;
    return e.evidence.length === 0 || evidenceOk(e.evidence);
  }

  function applyFilters(refit) {
    var nodeVisible = new Set();
    data.nodes.forEach(function (n) { if (nodeOk(n)) nodeVisible.add(n.id); });
    var edgeVisible = new Set();
    data.edges.forEach(function (e) {
      if (nodeVisible.has(e.from) && nodeVisible.has(e.to) && edgeOk(e)) edgeVisible.add(e.id);
    });
    if (state.hideIsolated) {
      var linked = new Set();
      edgeVisible.forEach(function (id) { var e = edgeById.get(id); linked.add(e.from); linked.add(e.to); });
      nodeVisible.forEach(function (id) { if (!linked.has(id) && id !== state.focus) nodeVisible.delete(id); });
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
    if (state.selected && !visibleNodes.has(state.selected)) clearHighlight();
    else if (state.selected) highlight(state.selected);
    updateTimelineVisibility();
    updateMap();
    $("kg-status").textContent = "Showing " + visibleNodes.size + " of " + data.nodes.length + " nodes and " +
      visibleEdges.size + " of " + data.edges.length + " links.";
    // Re-fit to what is left (above 2,000 nodes a fit is one more full redraw, seconds at 50k:
    // there the Fit button does it on demand).
    if (refit && (!BIG || visibleNodes.size <= 2000)) fitVisible();
    saveState();
  }
  function fitVisible() {
    if (visibleNodes.size) network.fit({ nodes: Array.from(visibleNodes), animation: false });
  }

  function checkList(listId, items, onChange) {
    var list = $(listId);
    items.forEach(function (item) {
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.setAttribute("data-key", item.key);
      box.addEventListener("change", function () { onChange(item.key, box.checked); applyFilters(true); });
      var label = el("label", "kg-check", box);
      if (item.swatch) label.appendChild(item.swatch);
      label.appendChild(document.createTextNode(item.label));
      if (item.count !== undefined) label.appendChild(el("span", "kg-count", "(" + item.count + ")"));
      list.appendChild(el("li", null, label));
    });
  }
  function setChecks(listId, isOn) {
    document.querySelectorAll("#" + listId + " input[data-key]").forEach(function (box) {
      box.checked = isOn(box.getAttribute("data-key"));
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

  var present = new Set(data.edges.map(function (e) { return e.style; }));
  data.edgeStyles.forEach(function (s) {
    if (!present.has(s.key)) return;
    var line = el("span", "kg-line" + (s.dashes ? (s.dashes[0] > 4 ? " dashed" : " dotted") : ""));
    line.style.borderTopColor = s.color;
    $("kg-edge-legend").appendChild(el("li", null, line, el("span", null, s.label)));
  });
  // A body of reporting: link width counts independent sources; a sign marks disputed values.
  var widest = data.edges.reduce(function (m, e) { return Math.max(m, e.sources || 0); }, 0);
  if (widest > 1) {
    var widths = el("span", "kg-widths");
    [1, 2, 3].forEach(function (k) { if (k <= widest) { var w = el("span", "kg-line"); w.style.borderTopWidth = (1.2 + 1.4 * (k - 1)).toFixed(1) + "px"; widths.appendChild(w); } });
    $("kg-edge-legend").appendChild(el("li", "kg-legend-sources", widths, el("span", null, "Width: number of independent sources (copies and retellings of one report count once)")));
  }
  if (data.edges.some(function (e) { return e.versions; }) || data.nodes.some(function (n) { return n.disputes; })) {
    $("kg-edge-legend").appendChild(el("li", "kg-legend-disputed", el("span", "kg-sign", "\u26a0"), el("span", null, "Disputed: the sources give different values (see the panel)")));
  }
  var modalityItems = data.modalities.map(function (m) { return { key: m, label: modalityLabel(m) }; });
  if (data.edges.some(function (e) { return e.inferred; })) modalityItems.push({ key: "__inferred", label: "Inferred links" });
  if (data.edges.some(function (e) { return e.claimant; })) modalityItems.push({ key: "__claimants", label: "Claimant links (who claims what)" });
  checkList("kg-modalities", modalityItems, function (key, on) {
    if (key === "__inferred") state.inferred = on;
    else if (key === "__claimants") state.claimants = on;
    else toggle(state.modalities, key, on);
  });
  checkList("kg-sources", data.sources.map(function (s, i) { return { key: String(i), label: s.label }; }),
    function (key, on) { toggle(state.sources, parseInt(key, 10), on); });
  $("kg-hide-isolated").addEventListener("change", function (ev) { state.hideIsolated = ev.target.checked; applyFilters(true); });

  var timeHelp = "write a year (2025), a month (2025-08) or a day (2025-08-21)";
  function readTime(refit) {
    var from = parseBound($("kg-time-from").value, false), to = parseBound($("kg-time-to").value, true);
    $("kg-time-from").setAttribute("aria-invalid", from === null ? "true" : "false");
    $("kg-time-to").setAttribute("aria-invalid", to === null ? "true" : "false");
    var problems = [];
    if (from === null) problems.push("From \u201c" + $("kg-time-from").value.trim() + "\u201d is not a date: " + timeHelp + ".");
    if (to === null) problems.push("To \u201c" + $("kg-time-to").value.trim() + "\u201d is not a date: " + timeHelp + ".");
    if (from && to && from > to) problems.push("From is after To: no event can fall in this range.");
    $("kg-time-error").textContent = problems.join(" ");
    state.timeFrom = from || "";
    state.timeTo = to || "";
    state.timeMode = $("kg-time-mode").value;
    state.timeRelative = $("kg-time-relative").checked;
    state.timeUndated = $("kg-time-undated").checked;
    applyFilters(refit);
  }
  ["kg-time-from", "kg-time-to"].forEach(function (id) {
    $(id).addEventListener("input", function () { readTime(false); });
    $(id).addEventListener("change", function () { readTime(true); });
  });
  ["kg-time-mode", "kg-time-relative", "kg-time-undated"].forEach(function (id) {
    $(id).addEventListener("change", function () { readTime(true); });
  });

  // ---- labels: drawn by the page, by importance, never overlapping ---------------------------
  // vis-network draws no node labels (it would draw them all, overlapping). After each frame the
  // page writes the labels of the most important visible nodes first (the selection and its
  // neighbours, a path, the focus, then by number of links), each only where it overlaps no label
  // already written, at a size that stays legible at every zoom.
  var LABEL_FONT = 13, LABEL_LINE = 16, MAX_LABELS = BIG ? 150 : 400;
  var importance = data.nodes.map(function (n, i) { return i; });
  importance.sort(function (a, b) {
    var na = data.nodes[a], nb = data.nodes[b];
    return (nb.id === data.focus) - (na.id === data.focus) || nb.degree - na.degree || a - b;
  });
  var labelWidth = new Map();
  var highlighted = null; // Set of node ids when a node is selected
  var drawnLabels = [];
  function labelBoxes() { return drawnLabels; }
  function canvasSize() {
    // From the canvas's own size (no layout read: asking the DOM would force a layout of the
    // whole page, seconds after a filter has changed thousands of timeline rows).
    var ratio = (network.canvas && network.canvas.pixelRatio) || window.devicePixelRatio || 1;
    var canvas = network.canvas.frame.canvas;
    return { width: canvas.width / ratio, height: canvas.height / ratio, ratio: ratio };
  }
  function drawLabels(ctx) {
    var scale = network.getScale(), t = network.body.view.translation;
    var size = canvasSize(), ratio = size.ratio, width = size.width, height = size.height;
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    var cell = 64, grid = new Map(), placed = [];
    function cells(b, add) {
      for (var gx = Math.floor(b[0] / cell); gx <= Math.floor(b[2] / cell); gx++) {
        for (var gy = Math.floor(b[1] / cell); gy <= Math.floor(b[3] / cell); gy++) {
          var key = gx + ":" + gy, list = grid.get(key);
          if (add) { if (!list) grid.set(key, list = []); list.push(b); }
          else if (list) {
            for (var i = 0; i < list.length; i++) {
              var o = list[i];
              if (b[0] < o[2] && b[2] > o[0] && b[1] < o[3] && b[3] > o[1] && o[4] !== b[4]) return true;
            }
          }
        }
      }
      return false;
    }
    // Node shapes are obstacles too (on graphs small enough to afford it), so a label never
    // covers another node.
    var bodies = network.body.nodes;
    if (visibleNodes.size <= 3000) {
      visibleNodes.forEach(function (id) {
        var b = bodies[id];
        if (!b) return;
        var x = b.x * scale + t.x, y = b.y * scale + t.y, r = Math.max(3, (b.options.size || 10) * scale);
        if (x < -r || y < -r || x > width + r || y > height + r) return;
        cells([x - r, y - r, x + r, y + r, id], true);
      });
    }
    var order = [];
    var first = new Set();
    function want(id) { if (!first.has(id)) { first.add(id); order.push(rankOf.get(id)); } }
    if (state.selected) want(state.selected);
    if (state.path) state.path.nodes.forEach(want);
    if (highlighted) highlighted.forEach(want);
    var n = 0;
    function place(i, dim) {
      var node = data.nodes[i];
      if (!visibleNodes.has(node.id)) return;
      var b = bodies[node.id];
      if (!b) return;
      var x = b.x * scale + t.x, y = b.y * scale + t.y;
      if (x < -80 || x > width + 80 || y < -30 || y > height + 30) return;
      var bold = node.id === state.selected;
      ctx.font = (bold ? "bold " : "") + LABEL_FONT + "px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
      // A node whose sources dispute a value carries a warning sign after its name.
      var text = node.disputes ? node.short + " \u26a0" : node.short;
      var key = (bold ? "b" : "") + i, w = labelWidth.get(key);
      if (w === undefined) { w = ctx.measureText(text).width; labelWidth.set(key, w); }
      var r = Math.max(3, (b.options.size || 10) * scale);
      // Below the node, else above, right or left of it: the first place that is free.
      var spots = [[x, y + r + 1, "center"], [x, y - r - 1 - LABEL_LINE, "center"],
                   [x + r + 3 + w / 2, y - LABEL_LINE / 2, "center"], [x - r - 3 - w / 2, y - LABEL_LINE / 2, "center"]];
      var box = null;
      for (var s = 0; s < spots.length && !box; s++) {
        var c = [spots[s][0] - w / 2 - 2, spots[s][1], spots[s][0] + w / 2 + 2, spots[s][1] + LABEL_LINE, node.id];
        if (c[0] < 0 || c[2] > width || c[1] < 0 || c[3] > height) continue;
        if (!cells(c, false)) box = c;
      }
      if (!box) return;
      cells(box, true);
      placed.push({ id: node.id, text: text, left: box[0], top: box[1], right: box[2], bottom: box[3], size: LABEL_FONT });
      var tx = (box[0] + box[2]) / 2, ty = box[1] + 1;
      ctx.lineWidth = 4;
      ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.strokeText(text, tx, ty);
      ctx.fillStyle = dim ? "#9aa5ab" : "#1d2327";
      ctx.fillText(text, tx, ty);
      n++;
    }
    for (var k = 0; k < order.length && n < MAX_LABELS; k++) place(order[k], false);
    // On big graphs only the most important few thousand are tried, so a frame stays cheap.
    var tries = BIG ? Math.min(importance.length, 3000) : importance.length;
    for (k = 0; k < tries && n < MAX_LABELS; k++) {
      var i = importance[k];
      if (first.has(data.nodes[i].id)) continue;
      place(i, highlighted !== null);
    }
    ctx.restore();
    drawnLabels = placed;
  }
  network.on("afterDrawing", drawLabels);
  function labelAt(x, y) {
    for (var i = 0; i < drawnLabels.length; i++) {
      var b = drawnLabels[i];
      if (x >= b.left && x <= b.right && y >= b.top && y <= b.bottom) return b.id;
    }
    return null;
  }

  // ---- selection: the neighbourhood stands out, the rest is dimmed ---------------------------
  var DIM = 0.18, HIDDEN_FONT = { color: "rgba(0,0,0,0)", strokeColor: "rgba(0,0,0,0)", strokeWidth: 0 };
  var dimmed = new Set(), dimmedEdges = new Set();
  function edgeColor(id, opacity) {
    var base = baseEdge.get(id).color;
    var colour = typeof base === "string" ? base : (base && base.color) || defaultEdgeColor;
    return { color: colour, highlight: colour, hover: colour, opacity: opacity, inherit: false };
  }
  function highlight(id) {
    if (BIG) { highlighted = null; return; } // dimming 10k+ items costs seconds: selection only
    var keep = new Set([id]), keepEdges = new Set();
    links.get(id).forEach(function (e) {
      if (!visibleEdges.has(e.id)) return;
      keepEdges.add(e.id);
      keep.add(e.from); keep.add(e.to);
    });
    var nodeUpdates = [], edgeUpdates = [];
    data.nodes.forEach(function (n) {
      var dim = !keep.has(n.id);
      if (dim !== dimmed.has(n.id)) { nodeUpdates.push({ id: n.id, opacity: dim ? DIM : 1 }); toggle(dimmed, n.id, dim); }
    });
    data.edges.forEach(function (e) {
      var dim = !keepEdges.has(e.id);
      if (dim !== dimmedEdges.has(e.id) && !(state.path && state.path.edges.indexOf(e.id) >= 0)) {
        // A dimmed link's relation label goes too, so the neighbourhood's labels stand alone.
        edgeUpdates.push({ id: e.id, color: dim ? edgeColor(e.id, 0.12) : edgeColor(e.id, 1), font: dim ? HIDDEN_FONT : null });
        toggle(dimmedEdges, e.id, dim);
      }
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    highlighted = keep;
  }
  function clearHighlight() {
    if (dimmed.size) nodes.update(Array.from(dimmed).map(function (id) { return { id: id, opacity: 1 }; }));
    if (dimmedEdges.size) edges.update(Array.from(dimmedEdges).map(function (id) { return { id: id, color: edgeColor(id, 1), font: null }; }));
    dimmed.clear();
    dimmedEdges.clear();
    highlighted = null;
  }

  // ---- details panel -------------------------------------------------------------------------
  var details = $("kg-details");

  function modalityBadge(m) { return el("span", "kg-badge " + m, modalityLabel(m)); }
  function evidenceCard(i) {
    var ev = data.evidence[i];
    var card = el("div", "kg-evidence" + (ev.attributed ? " attributed" : ""));
    card.setAttribute("data-evidence", String(i));
    var quote = el("blockquote", "kg-quote", ev.quote || "(no quote: " + (ev.external ? "curator knowledge" : "none given") + ")");
    if (ev.quote && ev.language) quote.setAttribute("lang", ev.language);
    card.appendChild(quote);
    if (ev.translation) card.appendChild(el("div", "kg-translation", "Curator's translation: ", el("span", null, ev.translation)));
    var dl = el("dl");
    var source = data.sources[ev.source];
    defRow(dl, "Source", source.label || source.iri);
    var published = ev.published || source.published;
    if (source.outlet || published) {
      defRow(dl, "Published", (source.outlet ? source.outlet + ", " : "") + (published || "date unknown") +
        (source.kind && source.kind !== "original" ? " (read in a " + source.kind.replace(/-/g, " ") + ")" : ""));
    }
    if (ev.origin && ev.origin !== source.outlet) defRow(dl, "Counts as", ev.origin + " (independent origin)");
    defRow(dl, "Claimant", ev.claimantLabel || "the source, in its own voice");
    defRow(dl, "Reported via", ev.via);
    if (ev.modality) defRow(dl, "Modality", modalityBadge(ev.modality));
    var rel = ev.reliability ? (data.grades.reliability[ev.reliability] || ev.reliability) : "not graded";
    var cred = ev.credibility ? (data.grades.credibility[ev.credibility] || ev.credibility) : "not graded";
    defRow(dl, "Admiralty", (ev.reliability || "-") + (ev.credibility || "-") + ": " + rel + ", " + cred);
    defRow(dl, "Note", ev.note);
    if (ev.external) defRow(dl, "External", "curator knowledge from outside the sources");
    card.appendChild(dl);
    if (ev.span && data.texts[ev.source]) {
      card.appendChild(button("Read it in the source", function () { showSource(ev.source, ev.span); }, "kg-in-source"));
    } else if (ev.quote && data.texts[ev.source] === null) {
      card.appendChild(el("div", "kg-hint", "The source's text is not in this page."));
    }
    card.appendChild(el("div", "kg-iri", ev.claim));
    return card;
  }

  function linkButton(e, fromHere) {
    var other = nodeById.get(fromHere ? e.to : e.from);
    var text = fromHere ? e.label + " \u2192 " + other.label : other.label + " \u2192 " + e.label + " \u2192 this";
    var b = button(text, function () { selectEdge(e.id, true); }, "kg-link");
    if (e.inferred) b.appendChild(el("span", "kg-badge inferred", "inferred"));
    if (e.claimant) b.appendChild(el("span", "kg-badge claimant", "claimant link"));
    if (e.versions && e.versions.length) b.appendChild(el("span", "kg-badge disputed", "disputed"));
    else e.modalities.forEach(function (m) { if (m !== "reported-fact") b.appendChild(modalityBadge(m)); });
    if (!visibleEdges.has(e.id)) b.appendChild(el("span", "kg-badge", "hidden"));
    return b;
  }

  function hiddenNeighbours(id) {
    var out = new Set();
    links.get(id).forEach(function (e) {
      if (!edgeOk(e)) return;
      var other = e.from === id ? e.to : e.from;
      if (!visibleNodes.has(other) && state.kinds.has(nodeById.get(other).kind)) out.add(other);
    });
    return out;
  }

  // A dispute: every version of a single-valued property, in the order of the reports'
  // publication, each with who gives it (outlet, date, claimant and standing); the quotes fold out.
  function sourceLine(i) {
    var ev = data.evidence[i], source = data.sources[ev.source];
    var li = el("li", "kg-vsource" + (ev.attributed ? " attributed" : ""));
    li.setAttribute("data-evidence", String(i));
    li.appendChild(el("strong", null, source.outlet || ev.origin || source.label));
    li.appendChild(document.createTextNode(", " + (ev.published || source.published || "date unknown")));
    li.appendChild(el("span", "kg-standing", ev.standing ? " — " + ev.standing : " — in the source's own voice"));
    return li;
  }
  function versionsBlock(title, versions, current) {
    var box = el("div", "kg-disputes");
    box.appendChild(el("h3", null, title, el("span", "kg-badge disputed", "\u26a0 disputed")));
    var list = el("ol", "kg-versions");
    versions.forEach(function (v) {
      var item = el("li", "kg-version-item" + (current !== undefined && v.value === current ? " kg-this" : ""));
      var head = el("div", "kg-version", v.value);
      if (current !== undefined && v.value === current) head.appendChild(el("span", "kg-badge", "this link"));
      item.appendChild(head);
      var sources = el("ul", "kg-vsources");
      v.evidence.forEach(function (i) { sources.appendChild(sourceLine(i)); });
      item.appendChild(sources);
      var quotes = el("details", "kg-vquotes", el("summary", null, v.evidence.length === 1 ? "The quote" : "The " + v.evidence.length + " quotes"));
      v.evidence.forEach(function (i) { quotes.appendChild(evidenceCard(i)); });
      item.appendChild(quotes);
      list.appendChild(item);
    });
    box.appendChild(list);
    box.appendChild(el("p", "kg-hint", "Versions in the order of their reports' publication (unknown dates last)."));
    return box;
  }
  function disputeBlock(n) {
    if (!n.disputes || !n.disputes.length) return null;
    var box = el("div", "kg-disputes-all");
    box.appendChild(el("h3", null, "Disputed values (" + n.disputes.length + ")"));
    n.disputes.forEach(function (d) { box.appendChild(versionsBlock(d.property + ": " + plural(d.versions.length, "version"), d.versions)); });
    return box;
  }
  function corroboration(e) {
    var count = e.sources, text = plural(count, "independent source");
    var box = el("span", "kg-corroboration");
    box.appendChild(el("span", "kg-badge sources" + (count > 1 ? " many" : ""), text));
    if (e.origins && e.origins.length) box.appendChild(el("span", "kg-origins", " " + e.origins.join("; ")));
    return box;
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
    if (n.disputes && n.disputes.length) kind.appendChild(el("span", "kg-badge disputed", "disputed"));
    details.appendChild(kind);
    var actions = el("div", "kg-actions");
    var hidden = hiddenNeighbours(id);
    actions.appendChild(button("Expand" + (hidden.size ? " (" + hidden.size + ")" : ""), function () { expand(id); },
      "kg-expand", "Show the links of this node that are not on the chart"));
    actions.appendChild(button("Collapse", function () { collapse(id); }, "kg-collapse",
      "Hide the nodes that hang off this one alone"));
    actions.appendChild(button("Start here", function () { focusOn(id, 0); }, "kg-start",
      "Show this node alone, then expand it step by step"));
    actions.appendChild(button("Path from", function () { $("kg-path-from").value = n.label; }, null));
    actions.appendChild(button("Path to", function () { $("kg-path-to").value = n.label; }, null));
    if (n.coords || (n.at && n.at.length)) actions.appendChild(button("On the map", function () { showMap(id); }, null));
    details.appendChild(actions);
    if (n.description) details.appendChild(el("p", null, n.description));
    var dl = el("dl");
    defRow(dl, "Id", n.id);
    if (n.short !== n.label) defRow(dl, "Name", n.label);
    if (n.aliases.length) defRow(dl, "Aliases", n.aliases.join("; "));
    if (n.time) defRow(dl, "When", n.time.shown + " (precision: " + n.time.precision + ")");
    Object.keys(n.properties).forEach(function (k) { defRow(dl, k, n.properties[k].join("; ")); });
    details.appendChild(dl);
    var block = disputeBlock(n);
    if (block) details.appendChild(block);
    var out = links.get(id).filter(function (e) { return e.from === id; });
    var inc = links.get(id).filter(function (e) { return e.to === id && e.from !== id; });
    if (out.length || inc.length) {
      details.appendChild(el("h3", null, "Links (" + (out.length + inc.length) + ")"));
      out.forEach(function (e) { details.appendChild(linkButton(e, true)); });
      inc.forEach(function (e) { details.appendChild(linkButton(e, false)); });
    }
    if (n.evidence.length) {
      details.appendChild(el("h3", null, "Evidence for its type"));
      n.evidence.forEach(function (i) { details.appendChild(evidenceCard(i)); });
    }
    details.appendChild(el("div", "kg-iri", n.iri));
  }

  function edgeHeading(e) {
    return nodeById.get(e.from).label + " \u2014 " + e.label + " \u2192 " + nodeById.get(e.to).label;
  }
  function edgeKind(e) {
    if (e.claimant) return "A claimant's link: " + nodeById.get(e.from).label + " makes the claims below about " +
      nodeById.get(e.to).label + ". It says who claims what, not that the two are tied in fact.";
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
    if (!e.inferred) defRow(dl, "Corroboration", corroboration(e));
    details.appendChild(dl);
    if (e.versions && e.versions.length) {
      details.appendChild(versionsBlock("Disputed: " + plural(e.versions.length, "version") + " of " + e.label,
        e.versions, nodeById.get(e.to).label));
    }
    details.appendChild(el("h3", null, "Evidence (" + e.evidence.length + ")"));
    e.evidence.forEach(function (i) { details.appendChild(evidenceCard(i)); });
  }

  function showPath(path, fromId, toId) {
    clear(details);
    details.setAttribute("data-showing", "path");
    var through = Array.from(state.through);
    var rule = "Through actors, places, events and assets" + (through.length ? ", and " + through.join(", ") : "") +
      (state.claimants ? "; claimant links count as links" : "; claimant links left out") + ".";
    if (!path) {
      details.appendChild(el("h2", null, "No path"));
      details.appendChild(el("p", null, "No chain of visible links joins " + nodeById.get(fromId).label +
        " and " + nodeById.get(toId).label + "."));
      details.appendChild(el("p", "kg-hint", rule));
      return;
    }
    details.appendChild(el("h2", null, "Shortest path: " + plural(path.nodes.length - 1, "link")));
    details.appendChild(el("p", null, path.nodes.map(function (id) { return nodeById.get(id).label; }).join(" \u2192 ")));
    details.appendChild(el("p", "kg-hint", rule));
    path.hops.forEach(function (hop, i) {
      hop.forEach(function (id) {
        var e = edgeById.get(id);
        var h = el("h3", null, (i + 1) + ". " + edgeHeading(e));
        if (e.claimant) h.appendChild(el("span", "kg-badge claimant", "claimant link"));
        details.appendChild(h);
        if (e.inferred || e.claimant) details.appendChild(el("p", "kg-hint", edgeKind(e)));
        e.evidence.forEach(function (j) { details.appendChild(evidenceCard(j)); });
      });
    });
  }

  function selectNode(id, move) {
    if (!nodeById.has(id)) return;
    if (!visibleNodes.has(id)) { revealNode(id); }
    state.selected = id;
    state.selectedEdge = null;
    network.selectNodes([id], true);
    highlight(id);
    if (move) network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showNode(id);
    mapSelection();
    markTimeline(id);
    saveState();
  }
  function selectEdge(id, move) {
    if (!edgeById.has(id)) return;
    state.selectedEdge = id;
    state.selected = null;
    clearHighlight();
    network.setSelection({ nodes: [], edges: [id] }, { unselectAll: true, highlightEdges: false });
    if (move) {
      var e = edgeById.get(id);
      network.fit({ nodes: [e.from, e.to], animation: false });
      if (network.getScale() > 1.5) network.moveTo({ scale: 1.5, animation: false });
    }
    showEdge(id);
    mapSelection();
    saveState();
  }
  function unselect() {
    state.selected = null;
    state.selectedEdge = null;
    clearHighlight();
    network.unselectAll();
    mapSelection();
    markTimeline(null);
    saveState();
  }

  network.on("click", function (params) {
    if (params.nodes.length) { selectNode(params.nodes[0], false); return; }
    if (params.edges.length) { selectEdge(params.edges[0], false); return; }
    var hit = labelAt(params.pointer.DOM.x, params.pointer.DOM.y);
    if (hit) selectNode(hit, false);
    else unselect();
  });
  network.on("doubleClick", function (params) {
    if (!params.nodes.length) return;
    var id = params.nodes[0];
    if (hiddenNeighbours(id).size) expand(id); else collapse(id);
  });
  network.on("dragEnd", function (params) {
    params.nodes.forEach(function (id) {
      var p = network.getPosition(id);
      state.moved.set(id, [Math.round(p.x), Math.round(p.y)]);
    });
    if (params.nodes.length) saveState();
  });
  network.on("zoom", function () { saveStateSoon(); });
  network.on("dragEnd", function () { saveStateSoon(); });

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
      if (!visibleNodes.has(h.id)) b.appendChild(el("div", "kg-muted", "not on the chart: a click adds it"));
      list.appendChild(el("li", null, b));
    });
    if (hits.length > 25) list.appendChild(el("li", "kg-muted", (hits.length - 25) + " more: type more of the name"));
    if ($("kg-search").value.trim() && !hits.length) list.appendChild(el("li", "kg-muted", "No node has this name or alias."));
  }
  $("kg-search").addEventListener("input", showSearch);
  $("kg-search").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { var hits = search(ev.target.value); if (hits.length) selectNode(hits[0].id, true); }
  });

  // ---- focus, expand and collapse ------------------------------------------------------------
  // One meaning of "path" (kg.paths): a walk goes on only through steps (actors, places, events,
  // assets, and the kinds ticked under "Also through"); other nodes are reached as leaves.
  function isStep(id) {
    var k = nodeById.get(id).kind;
    return stepKinds.has(k) || state.through.has(k);
  }
  function neighbourhood(centre, hops, usable) {
    var seen = new Map([[centre, 0]]), queue = [centre];
    while (queue.length) {
      var id = queue.shift(), d = seen.get(id);
      if (d >= hops) continue;
      if (id !== centre && !isStep(id)) continue;
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
    state.hops = hops;
    state.shown = neighbourhood(id, hops);
    $("kg-hops").value = String(hops);
    applyFilters(true);
    selectNode(id, false);
  }
  function clearFocus() {
    state.focus = null;
    state.shown = null;
    applyFilters(true);
  }
  function expand(id) {
    var more = hiddenNeighbours(id);
    if (!more.size) return 0;
    if (!state.shown) state.shown = new Set(visibleNodes);
    more.forEach(function (n) { state.shown.add(n); });
    state.shown.add(id);
    applyFilters(true);
    if (state.selected === id) showNode(id);
    return more.size;
  }
  function collapse(id) {
    // Hide the neighbours that hang off this node alone (no other visible link), never the focus.
    if (!state.shown) state.shown = new Set(visibleNodes);
    var gone = [];
    links.get(id).forEach(function (e) {
      if (!visibleEdges.has(e.id)) return;
      var other = e.from === id ? e.to : e.from;
      if (other === id || other === state.focus) return;
      var elsewhere = links.get(other).some(function (f) {
        if (!visibleEdges.has(f.id)) return false;
        var far = f.from === other ? f.to : f.from;
        return far !== id && far !== other;
      });
      if (!elsewhere) gone.push(other);
    });
    gone.forEach(function (n) { state.shown.delete(n); });
    applyFilters(true);
    if (state.selected === id) showNode(id);
    return gone.length;
  }
  function revealNode(id) {
    // A node asked for by name (search, path, map, URL) is brought onto the chart.
    var n = nodeById.get(id);
    if (!state.kinds.has(n.kind)) { state.kinds.add(n.kind); setChecks("kg-kinds", function (k) { return state.kinds.has(k); }); }
    if (state.shown) state.shown.add(id);
    applyFilters(false);
  }
  $("kg-focus-selected").addEventListener("click", function () {
    var id = state.selected || (network.getSelectedNodes()[0]);
    if (id) focusOn(id, Math.max(0, parseInt($("kg-hops").value, 10) || 0));
  });
  $("kg-focus-clear").addEventListener("click", clearFocus);

  // ---- re-layout -----------------------------------------------------------------------------
  var laying = false;
  function relayout(done) {
    if (laying || visibleNodes.size > 3000) { if (done) done(false); return false; }
    laying = true;
    $("kg-relayout").disabled = true;
    network.setOptions({ physics: { enabled: true, solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -70, centralGravity: 0.012, springLength: 110, springConstant: 0.06, avoidOverlap: 0.5 },
      stabilization: { enabled: true, iterations: 400, updateInterval: 100, fit: false }, minVelocity: 0.5 } });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      var positions = network.getPositions(Array.from(visibleNodes));
      Object.keys(positions).forEach(function (id) {
        state.moved.set(id, [Math.round(positions[id].x), Math.round(positions[id].y)]);
      });
      laying = false;
      $("kg-relayout").disabled = false;
      fitVisible();
      saveState();
      document.body.setAttribute("data-kg-laid-out", String(Date.now()));
      if (done) done(true);
    });
    network.stabilize(400);
    return true;
  }
  $("kg-relayout").addEventListener("click", function () { relayout(); });
  $("kg-fit").addEventListener("click", fitVisible);

  // ---- shortest path -------------------------------------------------------------------------
  if (data.nodes.length <= 5000) {
    var names = $("kg-names");
    data.nodes.forEach(function (n) { var o = el("option"); o.value = n.label; names.appendChild(o); });
  }
  function resolve(text) {
    var t = text.trim();
    if (!t) return null;
    if (nodeById.has(t)) return t;
    if (byIri.has(t)) return byIri.get(t);
    var hits = search(t);
    return hits.length ? hits[0].id : null;
  }
  function shortestPath(fromId, toId) {
    // As kg.paths.shortest_path: distances from the target over visible links, walking on only
    // through steps; then from the source, always to the next node first in IRI order.
    if (fromId === toId) return { nodes: [fromId], edges: [], hops: [] };
    var dist = new Map([[toId, 0]]), queue = [toId];
    while (queue.length) {
      var id = queue.shift();
      if (id !== toId && !isStep(id)) continue;
      links.get(id).forEach(function (e) {
        if (!visibleEdges.has(e.id) || e.from === e.to) return;
        var other = e.from === id ? e.to : e.from;
        if (!dist.has(other)) { dist.set(other, dist.get(id) + 1); queue.push(other); }
      });
    }
    if (!dist.has(fromId)) return null;
    var pathNodes = [fromId], cur = fromId;
    while (cur !== toId) {
      var wanted = dist.get(cur) - 1, best = null;
      links.get(cur).forEach(function (e) {
        if (!visibleEdges.has(e.id) || e.from === e.to) return;
        var other = e.from === cur ? e.to : e.from;
        if (dist.get(other) !== wanted || (other !== toId && !isStep(other))) return;
        if (best === null || rankOf.get(other) < rankOf.get(best)) best = other;
      });
      pathNodes.push(best);
      cur = best;
    }
    var hops = [], pathEdges = [];
    for (var i = 0; i + 1 < pathNodes.length; i++) {
      var a = pathNodes[i], b = pathNodes[i + 1];
      var hop = links.get(a).filter(function (e) {
        return visibleEdges.has(e.id) && ((e.from === a && e.to === b) || (e.from === b && e.to === a));
      }).map(function (e) { return e.id; });
      hops.push(hop);
      pathEdges = pathEdges.concat(hop);
    }
    return { nodes: pathNodes, edges: pathEdges, hops: hops };
  }
  function clearPath() {
    if (!state.path) return;
    nodes.update(state.path.nodes.map(function (id) { return { id: id, borderWidth: nodeBorder(id), shadow: false }; }));
    edges.update(state.path.edges.map(function (id) {
      var b = baseEdge.get(id);
      return { id: id, color: b.color === undefined ? null : b.color, width: b.width === undefined ? null : b.width };
    }));
    state.path = null;
    state.pathEnds = null;
    saveState();
  }
  function nodeBorder(id) { var b = baseBorder.get(id); return b === undefined ? 1 : b; }
  function findPath() {
    var fromId = resolve($("kg-path-from").value), toId = resolve($("kg-path-to").value);
    $("kg-path-from").setAttribute("aria-invalid", fromId ? "false" : "true");
    $("kg-path-to").setAttribute("aria-invalid", toId ? "false" : "true");
    $("kg-path-error").textContent = (!fromId && $("kg-path-from").value.trim() ? "No node is called \u201c" + $("kg-path-from").value.trim() + "\u201d. " : "") +
      (!toId && $("kg-path-to").value.trim() ? "No node is called \u201c" + $("kg-path-to").value.trim() + "\u201d." : "");
    if (!fromId || !toId) return null;
    clearPath();
    [fromId, toId].forEach(function (id) { if (!visibleNodes.has(id)) revealNode(id); });
    var path = shortestPath(fromId, toId);
    state.pathEnds = [fromId, toId];
    if (path) {
      state.path = path;
      nodes.update(path.nodes.map(function (id) {
        return { id: id, opacity: 1, borderWidth: 5, shadow: { enabled: true, color: "#ff6d00", size: 16, x: 0, y: 0 } };
      }));
      edges.update(path.edges.map(function (id) { return { id: id, width: 5, color: { color: "#ff6d00", highlight: "#ff6d00", hover: "#ff6d00", opacity: 1 } }; }));
      network.fit({ nodes: path.nodes, animation: false });
    }
    showPath(path, fromId, toId);
    saveState();
    return path;
  }
  $("kg-path-find").addEventListener("click", findPath);
  $("kg-path-clear").addEventListener("click", function () { clearPath(); clear(details); });
  $("kg-path-from-sel").addEventListener("click", function () { if (state.selected) $("kg-path-from").value = nodeById.get(state.selected).label; });
  $("kg-path-to-sel").addEventListener("click", function () { if (state.selected) $("kg-path-to").value = nodeById.get(state.selected).label; });
  var throughGroups = [
    { key: "equipment", label: "equipment, tactics and activities", kinds: ["equipment", "tactic", "activity"] },
    { key: "time", label: "time expressions", kinds: ["time"] },
    { key: "source", label: "sources", kinds: ["source"] },
  ];
  throughGroups.forEach(function (g) {
    var box = el("input");
    box.type = "checkbox";
    box.setAttribute("data-key", g.key);
    box.addEventListener("change", function () {
      g.kinds.forEach(function (k) { toggle(state.through, k, box.checked); });
      if (state.pathEnds) findPath();
      saveState();
    });
    $("kg-path-through").appendChild(el("li", null, el("label", "kg-check", box, g.label)));
  });

  // ---- source texts: a quote in its context --------------------------------------------------
  function showSource(index, span) {
    var text = data.texts[index];
    if (!text) return;
    var box = $("kg-source-text");
    clear(box);
    var marked = el("mark", "kg-quote-mark", text.slice(span[0], span[1]));
    box.appendChild(document.createTextNode(text.slice(0, span[0])));
    box.appendChild(marked);
    box.appendChild(document.createTextNode(text.slice(span[1])));
    $("kg-source-title").textContent = data.sources[index].label || data.sources[index].iri;
    $("kg-source-view").hidden = false;
    $("kg-source-view").setAttribute("data-source", String(index));
    box.scrollTop = Math.max(0, marked.offsetTop - box.clientHeight / 3);
    $("kg-source-close").focus();
  }
  function closeSource() { $("kg-source-view").hidden = true; }
  $("kg-source-close").addEventListener("click", closeSource);
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape" && !$("kg-source-view").hidden) closeSource(); });

  // ---- timeline ------------------------------------------------------------------------------
  // One row per event placed in time (absolute dates at their precision: a day as a point, a
  // week, month or year as a bar; relative ones kg build anchored to their report's publication
  // date as a hatched bar, with the anchor marked) and one per report, by publication date, on
  // one axis; in kgData.timeline order (dates, then kg:after where the dates do not decide).
  // Relative times that cannot be placed and undated events are listed apart, never given a date.
  var timelineRows = new Map();
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function dayNumber(iso) {
    // Days since 1970 of an ISO date; a day past the month's end (2025-02-31) is its last day.
    var y = parseInt(iso.slice(0, 4), 10), m = parseInt(iso.slice(5, 7), 10) || 1, d = parseInt(iso.slice(8, 10), 10) || 1;
    var last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return Date.UTC(y, m - 1, Math.min(d, last)) / 864e5;
  }
  function timeScale(items) {
    var lo = Infinity, hi = -Infinity;
    items.forEach(function (it) { lo = Math.min(lo, dayNumber(it.start)); hi = Math.max(hi, dayNumber(it.end) + 1); });
    if (hi - lo < 14) { var mid = (lo + hi) / 2; lo = mid - 7; hi = mid + 7; }
    var pad = (hi - lo) * 0.02;
    lo -= pad; hi += pad;
    return {
      lo: lo, hi: hi,
      x: function (iso, end) { return 100 * (dayNumber(iso) + (end ? 1 : 0) - lo) / (hi - lo); },
    };
  }
  function ticks(scale) {
    var out = [], span = scale.hi - scale.lo, d = new Date(Math.ceil(scale.lo) * 864e5);
    var y = d.getUTCFullYear(), m = d.getUTCMonth();
    if (span <= 62) { // weeks: Mondays
      var day = Math.ceil(scale.lo);
      while (new Date(day * 864e5).getUTCDay() !== 1) day++;
      for (; day < scale.hi; day += 7) {
        var t = new Date(day * 864e5);
        out.push({ at: 100 * (day - scale.lo) / span, text: MONTHS[t.getUTCMonth()] + " " + t.getUTCDate() + (t.getUTCMonth() === 0 && t.getUTCDate() <= 7 ? " " + t.getUTCFullYear() : ""), major: t.getUTCDate() <= 7 });
      }
      return out;
    }
    var step = span <= 800 ? 1 : span <= 2000 ? 3 : 12;
    m = Math.ceil(m / step) * step;
    for (var at = Date.UTC(y, m, 1) / 864e5; at < scale.hi; at = Date.UTC(y, m, 1) / 864e5) {
      if (at >= scale.lo) {
        out.push({ at: 100 * (at - scale.lo) / span, text: m % 12 === 0 ? String(y + Math.floor(m / 12)) : MONTHS[m % 12], major: m % 12 === 0 });
      }
      m += step;
    }
    return out;
  }
  function ganttRow(id, className, label, when, badge, bars) {
    var head = el("div", "kg-glabel", button(label, function () { selectNode(id, true); }, "kg-gname"));
    head.firstChild.title = label;
    var whenLine = el("div", "kg-gwhen", when);
    if (badge) whenLine.appendChild(el("span", "kg-badge", badge));
    head.appendChild(whenLine);
    var track = el("div", "kg-gtrack");
    bars.forEach(function (b) { track.appendChild(b); });
    var row = el("div", "kg-grow " + className, head, track);
    row.setAttribute("data-id", id);
    return row;
  }
  function bar(scale, start, end, className, title, id) {
    var left = scale.x(start, false), right = scale.x(end, true);
    var point = start === end ? " kg-point" : "";
    var b = el("span", "kg-bar " + className + point);
    b.style.left = left.toFixed(3) + "%";
    b.style.width = Math.max(0.35, right - left).toFixed(3) + "%";
    b.title = title;
    b.setAttribute("data-id", id);
    b.addEventListener("click", function () { selectNode(id, true); });
    return b;
  }
  var TIMELINE_ROWS = 1000;  // rows of the time axis laid out at once on a big page
  function buildTimeline() {
    var body = $("kg-timeline-body");
    var events = data.timeline.map(function (id) { return nodeById.get(id); });
    var placed = events.filter(function (n) { return n.time.status === "absolute" || n.time.status === "anchored"; });
    var published = data.publications || [];
    if (placed.length || published.length) {
      var scale = timeScale(placed.map(function (n) { return n.time; }).concat(published));
      var chart = el("div", "kg-gantt");
      chart.setAttribute("role", "table");
      chart.setAttribute("aria-label", "Events and reports on one time axis");
      var axisTrack = el("div", "kg-gtrack kg-gaxis");
      ticks(scale).forEach(function (t) {
        var tick = el("span", "kg-tick" + (t.major ? "" : " kg-minor"), t.text);
        tick.style.left = t.at.toFixed(3) + "%";
        axisTrack.appendChild(tick);
      });
      chart.appendChild(el("div", "kg-grow kg-ghead", el("div", "kg-glabel", ""), axisTrack));
      if (placed.length) {
        chart.appendChild(el("div", "kg-gsection", "Events placed in time (" + placed.length + "): dated at the precision the source gives; " +
          "relative ones counted from their report's publication date (hatched)"));
        var placedRow = function (n) {
          var t = n.time, bars = [];
          var title = n.label + ": " + t.shown + " (" + t.precision + ")";
          bars.push(bar(scale, t.start, t.end, t.status === "anchored" ? "kg-anchored" : "kg-dated", title, n.id));
          if (t.status === "anchored" && /^\d{4}/.test(t.anchorDate || "")) {
            var a = t.anchorDate, aEnd = a.length === 10 ? a : a.length === 7 ? a + "-31" : a.slice(0, 4) + "-12-31";
            var pin = el("span", "kg-anchor", "\u25BC");
            pin.style.left = ((scale.x(a.length === 10 ? a : a.length === 7 ? a + "-01" : a.slice(0, 4) + "-01-01", false) + scale.x(aEnd, true)) / 2).toFixed(3) + "%";
            pin.title = "Counted from " + t.anchor + ", published " + a;
            bars.push(pin);
          }
          var row = ganttRow(n.id, t.status === "anchored" ? "kg-event kg-relative-placed" : "kg-event", n.label, t.shown, t.precision, bars);
          timelineRows.set(n.id, row);
          return row;
        };
        // A big page lays out the first rows only (thousands of rows hold the first paint back by
        // seconds); the rest come on request, in the same order.
        var shown = BIG ? Math.min(placed.length, TIMELINE_ROWS) : placed.length;
        placed.slice(0, shown).forEach(function (n) { chart.appendChild(placedRow(n)); });
        if (shown < placed.length) {
          var more = el("div", "kg-gsection kg-more");
          more.appendChild(button("Show the other " + (placed.length - shown) + " events placed in time", function () {
            var rest = document.createDocumentFragment();
            placed.slice(shown).forEach(function (n) { rest.appendChild(placedRow(n)); });
            chart.replaceChild(rest, more);
            updateTimelineVisibility();
          }, null));
          chart.appendChild(more);
        }
      }
      if (published.length) {
        chart.appendChild(el("div", "kg-gsection", "Reports, by publication date (" + published.length + ")"));
        published.forEach(function (p) {
          var title = "Published " + p.date + ": " + p.label;
          var row = ganttRow(p.id, "kg-report", p.outlet || p.label, p.date + (p.outlet ? " \u00b7 " + p.label : ""), p.precision,
            [bar(scale, p.start, p.end, "kg-pub", title, p.id)]);
          chart.appendChild(row);
        });
      }
      body.appendChild(chart);
    }
    var relative = events.filter(function (n) { return n.time.status === "relative"; });
    if (relative.length) {
      body.appendChild(el("h3", null, "Relative, not placed in time (" + relative.length + "): as the source words them, " +
        "in the order kg:after gives where it does"));
      var table = el("table", "kg-events");
      table.setAttribute("data-group", "relative");
      relative.forEach(function (n) {
        var tr = el("tr", null,
          el("td", "kg-when", n.time.shown, el("span", "kg-badge relative", "relative")),
          el("td", null, button(n.label, function () { selectNode(n.id, true); }, null)),
          el("td", "kg-why", n.time.note ? "Not placed: " + n.time.note + "." : ""));
        tr.setAttribute("data-id", n.id);
        timelineRows.set(n.id, tr);
        table.appendChild(tr);
      });
      body.appendChild(table);
    }
    var undated = events.filter(function (n) { return n.time.status === "undated"; });
    if (undated.length) {
      body.appendChild(el("h3", null, "Undated (" + undated.length + ")"));
      var list = el("ul", "kg-undated");
      list.setAttribute("data-group", "undated");
      undated.forEach(function (n) {
        var li = el("li", null, button(n.label, function () { selectNode(n.id, true); }, null));
        li.setAttribute("data-id", n.id);
        timelineRows.set(n.id, li);
        list.appendChild(li);
      });
      body.appendChild(list);
    }
    if (!events.length) body.appendChild(el("p", "kg-hint", "No events in this view."));
  }
  var currentRow = null;
  function markTimeline(id) {
    // The selected event's row stands out (each report's row too, when a source is selected).
    if (currentRow) currentRow.forEach(function (r) { r.classList.remove("kg-current"); });
    currentRow = Array.prototype.slice.call(document.querySelectorAll("#kg-timeline-body [data-id].kg-grow, #kg-timeline-body tr[data-id], #kg-timeline-body li[data-id]"))
      .filter(function (r) { return r.getAttribute("data-id") === id; });
    currentRow.forEach(function (r) { r.classList.add("kg-current"); });
  }
  function updateTimelineVisibility() {
    timelineRows.forEach(function (row, id) {
      row.classList.toggle("kg-hidden", !visibleNodes.has(id));
      row.classList.toggle("kg-current", id === state.selected);
    });
  }

  // ---- map: located places and events on public-domain outlines -------------------------------
  var SVG = "http://www.w3.org/2000/svg";
  var located = []; // {id, lat, lon, kind}
  var unlocated = [];
  (function () {
    var coords = new Map();
    data.nodes.forEach(function (n) { if (n.coords) coords.set(n.id, n.coords); });
    data.nodes.forEach(function (n) {
      if (n.kind === "place") {
        if (n.coords) located.push({ id: n.id, lat: n.coords[0], lon: n.coords[1], kind: "place" });
        else unlocated.push(n.id);
      } else if (n.kind === "event" && n.at && n.at.length) {
        var at = n.at.filter(function (p) { return coords.has(p); });
        if (at.length) located.push({ id: n.id, lat: coords.get(at[0])[0], lon: coords.get(at[0])[1], kind: "event", place: at[0] });
        else unlocated.push(n.id);
      }
    });
  })();
  var mapBuilt = false, mapMarks = new Map(), mapPlace = new Map(), mapView = null;
  function svgEl(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function buildMap() {
    if (mapBuilt) return;
    mapBuilt = true;
    var holder = $("kg-map-body");
    var list = $("kg-map-unlocated");
    if (unlocated.length) {
      list.appendChild(el("h3", null, "Not on the map: no coordinates in the data (" + unlocated.length + ")"));
      var ul = el("ul", "kg-undated");
      unlocated.forEach(function (id) {
        var li = el("li", null, button(nodeById.get(id).label, function () { selectNode(id, true); }, null),
          el("span", "kg-count", " " + kindLabel(nodeById.get(id).kind)));
        li.setAttribute("data-id", id);
        ul.appendChild(li);
      });
      list.appendChild(ul);
    }
    var worldScript = $("kg-world");
    if (!located.length || !worldScript) {
      holder.appendChild(el("p", "kg-hint", "No place in this view has coordinates (kg:latitude, kg:longitude)."));
      return;
    }
    var world = JSON.parse(worldScript.textContent);
    var svg = svgEl("svg", { id: "kg-map-svg", role: "img", "aria-label": "Map of located places and events" });
    var land = svgEl("g", { transform: "scale(0.1)", "class": "kg-land" });
    world.countries.forEach(function (c) {
      var p = svgEl("path", { d: c.d });
      var t = svgEl("title");
      t.textContent = c.name;
      p.appendChild(t);
      land.appendChild(p);
    });
    svg.appendChild(land);
    var marks = svgEl("g", { "class": "kg-marks" });
    // Several events at one place sit on a small ring around it.
    var atPlace = new Map();
    located.forEach(function (m) { if (m.kind === "event") atPlace.set(m.place, (atPlace.get(m.place) || 0) + 1); });
    var seenAt = new Map();
    located.forEach(function (m) {
      var dx = 0, dy = 0;
      if (m.kind === "event") { // on a ring around its place, in mark units (they keep their size)
        var k = seenAt.get(m.place) || 0, count = atPlace.get(m.place);
        seenAt.set(m.place, k + 1);
        var angle = Math.PI / 2 + 2 * Math.PI * k / count;
        dx = 0.55 * Math.cos(angle); dy = 0.55 * Math.sin(angle);
      }
      var g = svgEl("g", { "class": "kg-mark " + m.kind, "data-id": m.id });
      mapPlace.set(m.id, [m.lon, -m.lat, dx, dy]);
      var shape = m.kind === "place" ? svgEl("rect", { x: -0.18, y: -0.18, width: 0.36, height: 0.36 })
        : svgEl("path", { d: "M0 -0.25L0.25 0L0 0.25L-0.25 0Z" });
      shape.style.fill = kindInfo.get(m.kind) ? kindInfo.get(m.kind).color : "#888";
      var title = svgEl("title");
      title.textContent = nodeById.get(m.id).label;
      g.appendChild(title);
      g.appendChild(shape);
      var label = svgEl("text", { x: 0.32, y: 0.12, "class": "kg-map-label" });
      label.textContent = nodeById.get(m.id).short;
      if (m.kind === "place") g.appendChild(label);
      g.addEventListener("click", function (ev) { ev.stopPropagation(); selectNode(m.id, true); });
      marks.appendChild(g);
      mapMarks.set(m.id, g);
    });
    svg.appendChild(marks);
    holder.appendChild(svg);
    fitMap();
    // Wheel to zoom, drag to pan.
    svg.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var r = svg.getBoundingClientRect(), f = ev.deltaY > 0 ? 1.25 : 0.8;
      var px = mapView[0] + mapView[2] * (ev.clientX - r.left) / r.width, py = mapView[1] + mapView[3] * (ev.clientY - r.top) / r.height;
      setMapView([px - (px - mapView[0]) * f, py - (py - mapView[1]) * f, mapView[2] * f, mapView[3] * f]);
    }, { passive: false });
    var drag = null;
    svg.addEventListener("mousedown", function (ev) { drag = [ev.clientX, ev.clientY, mapView.slice()]; });
    window.addEventListener("mouseup", function () { drag = null; });
    svg.addEventListener("mousemove", function (ev) {
      if (!drag) return;
      var r = svg.getBoundingClientRect();
      setMapView([drag[2][0] - (ev.clientX - drag[0]) * drag[2][2] / r.width, drag[2][1] - (ev.clientY - drag[1]) * drag[2][3] / r.height, drag[2][2], drag[2][3]]);
    });
    updateMap();
    mapSelection();
  }
  function setMapView(v) {
    mapView = v;
    var svg = $("kg-map-svg");
    svg.setAttribute("viewBox", v.map(function (x) { return x.toFixed(3); }).join(" "));
    // Marks keep their size on screen whatever the zoom.
    var k = v[2] / 60;
    mapMarks.forEach(function (g, id) {
      var p = mapPlace.get(id);
      g.setAttribute("transform", "translate(" + (p[0] + p[2] * k).toFixed(3) + " " + (p[1] + p[3] * k).toFixed(3) + ") scale(" + k.toFixed(4) + ")");
    });
  }
  function fitMap(ids) {
    var marks = located.filter(function (m) { return (!ids || ids.has(m.id)) && visibleNodes.has(m.id); });
    if (!marks.length) marks = located;
    var lon = marks.map(function (m) { return m.lon; }), lat = marks.map(function (m) { return -m.lat; });
    var x0 = Math.min.apply(null, lon), x1 = Math.max.apply(null, lon), y0 = Math.min.apply(null, lat), y1 = Math.max.apply(null, lat);
    var w = Math.max(40, (x1 - x0) * 1.4), holder = $("kg-map-body");
    var aspect = Math.max(0.3, (holder.clientHeight || 300) / (holder.clientWidth || 800));
    var h = Math.max(w * aspect, (y1 - y0) * 1.4);
    w = Math.max(w, h / aspect);
    setMapView([(x0 + x1) / 2 - w / 2, (y0 + y1) / 2 - h / 2, w, h]);
  }
  function updateMap() {
    if (!mapBuilt) return;
    mapMarks.forEach(function (g, id) { g.style.display = visibleNodes.has(id) ? "" : "none"; });
    document.querySelectorAll("#kg-map-unlocated li[data-id]").forEach(function (li) {
      li.className = visibleNodes.has(li.getAttribute("data-id")) ? "" : "kg-hidden";
    });
  }
  function mapSelection() {
    if (!mapBuilt) return;
    var keep = highlighted || null;
    mapMarks.forEach(function (g, id) {
      var cls = g.getAttribute("class").replace(/ (selected|dim)/g, "");
      if (id === state.selected) cls += " selected";
      else if (keep && !keep.has(id)) cls += " dim";
      g.setAttribute("class", cls);
    });
  }
  function showMap(id) {
    setTab("map");
    if (id) {
      var n = nodeById.get(id);
      var ids = new Set([id]);
      if (n.at) n.at.forEach(function (p) { ids.add(p); });
      fitMap(ids);
    }
  }

  // ---- tabs below the chart ------------------------------------------------------------------
  function setTab(name) {
    ["timeline", "map"].forEach(function (t) {
      $("kg-tab-" + t).setAttribute("aria-selected", String(t === name));
      $("kg-" + t).hidden = t !== name;
    });
    if (name === "map") buildMap();
    saveState();
  }
  $("kg-tab-timeline").addEventListener("click", function () { setTab("timeline"); });
  $("kg-tab-map").addEventListener("click", function () { setTab("map"); });

  // ---- export the picture --------------------------------------------------------------------
  function download(name, blob) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }
  function fileStem() { return (String(data.title || "graph").replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "") || "graph").slice(0, 60); }
  function exportPng(callback) {
    var source = container.querySelector("canvas");
    var out = document.createElement("canvas");
    out.width = source.width;
    out.height = source.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(source, 0, 0);
    out.toBlob(function (blob) { download(fileStem() + ".png", blob); if (callback) callback(blob); }, "image/png");
  }
  function xml(s) {
    return String(s).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "\ufffd")
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }
  function shapePath(shape, x, y, r) {
    function poly(points) { return "M" + points.map(function (p) { return (x + p[0] * r).toFixed(1) + " " + (y + p[1] * r).toFixed(1); }).join("L") + "Z"; }
    switch (shape) {
      case "diamond": return poly([[0, -1], [1, 0], [0, 1], [-1, 0]]);
      case "square": return poly([[-1, -1], [1, -1], [1, 1], [-1, 1]]);
      case "triangle": return poly([[0, -1.1], [1, 0.7], [-1, 0.7]]);
      case "triangleDown": return poly([[0, 1.1], [1, -0.7], [-1, -0.7]]);
      case "hexagon": return poly([[-0.5, -0.87], [0.5, -0.87], [1, 0], [0.5, 0.87], [-0.5, 0.87], [-1, 0]]);
      case "star": return poly([[0, -1], [0.22, -0.31], [0.95, -0.31], [0.36, 0.12], [0.59, 0.81], [0, 0.38], [-0.59, 0.81], [-0.36, 0.12], [-0.95, -0.31], [-0.22, -0.31]]);
      default: return null;
    }
  }
  function svgText() {
    // The picture as it is on screen: visible links and nodes in the viewport, and the labels drawn.
    var width = container.clientWidth, height = container.clientHeight;
    var scale = network.getScale(), t = network.body.view.translation;
    function dom(p) { return [p.x * scale + t.x, p.y * scale + t.y]; }
    var out = ['<?xml version="1.0" encoding="UTF-8"?>',
      '<svg xmlns="http://www.w3.org/2000/svg" width="' + width + '" height="' + height + '" viewBox="0 0 ' + width + " " + height + '">',
      "<title>" + xml(data.title || "Knowledge graph") + "</title>",
      '<rect width="100%" height="100%" fill="#ffffff"/>', '<g fill="none">'];
    visibleEdges.forEach(function (id) {
      var body = network.body.edges[id];
      if (!body || !body.edgeType) return;
      var item = edges.get(id), e = edgeById.get(id);
      var pts = [];
      for (var k = 0; k <= 12; k++) pts.push(dom(body.edgeType.getPoint(k / 12)));
      var colour = body.options.color.color, w = Math.max(1, body.options.width * Math.min(1, scale + 0.3));
      var dash = item.dashes ? ' stroke-dasharray="' + (Array.isArray(item.dashes) ? item.dashes.join(" ") : "5 5") + '"' : "";
      var opacity = body.options.color.opacity !== undefined && body.options.color.opacity < 1 ? ' stroke-opacity="' + body.options.color.opacity + '"' : "";
      out.push('<path data-edge="' + xml(id) + '" d="M' + pts.map(function (p) { return p[0].toFixed(1) + " " + p[1].toFixed(1); }).join("L") +
        '" stroke="' + xml(colour) + '" stroke-width="' + w.toFixed(1) + '"' + dash + opacity + "><title>" + xml(edgeHeading(e)) + "</title></path>");
    });
    out.push("</g>", "<g>");
    visibleNodes.forEach(function (id) {
      var body = network.body.nodes[id];
      if (!body) return;
      var p = dom(body), r = Math.max(2, (body.options.size || 10) * scale);
      if (p[0] < -r || p[1] < -r || p[0] > width + r || p[1] > height + r) return;
      var n = nodeById.get(id), k = kindInfo.get(n.kind);
      var fill = k ? k.color : "#cccccc", shape = k ? k.shape : "dot";
      var opacity = dimmed.has(id) ? ' opacity="' + DIM + '"' : "";
      var stroke = ' stroke="#333333" stroke-width="' + (state.path && state.path.nodes.indexOf(id) >= 0 ? 3 : 0.8) + '"';
      var d = shapePath(shape, p[0], p[1], r);
      var title = "<title>" + xml(n.label) + "</title>";
      out.push(d ? '<path data-node="' + xml(id) + '" d="' + d + '" fill="' + xml(fill) + '"' + stroke + opacity + ">" + title + "</path>"
        : '<circle data-node="' + xml(id) + '" cx="' + p[0].toFixed(1) + '" cy="' + p[1].toFixed(1) + '" r="' + r.toFixed(1) + '" fill="' + xml(fill) + '"' + stroke + opacity + ">" + title + "</circle>");
    });
    out.push("</g>", '<g font-family="system-ui, sans-serif" font-size="' + LABEL_FONT + '" text-anchor="middle" stroke="#ffffff" stroke-width="4" paint-order="stroke" stroke-linejoin="round">');
    drawnLabels.forEach(function (b) {
      out.push('<text x="' + ((b.left + b.right) / 2).toFixed(1) + '" y="' + (b.top + 1 + LABEL_FONT * 0.8).toFixed(1) + '" fill="' +
        (highlighted && !highlighted.has(b.id) ? "#9aa5ab" : "#1d2327") + '"' + (b.id === state.selected ? ' font-weight="bold"' : "") + ">" + xml(b.text) + "</text>");
    });
    out.push("</g>", "</svg>", "");
    return out.join("\n");
  }
  function exportSvg() {
    var text = svgText();
    download(fileStem() + ".svg", new Blob([text], { type: "image/svg+xml" }));
    return text;
  }
  $("kg-export-png").addEventListener("click", function () { exportPng(); });
  $("kg-export-svg").addEventListener("click", exportSvg);

  // ---- the view's state in the URL -----------------------------------------------------------
  // #sel=ID&hide=KIND,...&mod=...&src=...&from=...&focus=ID&hops=N&shown=ID,...&path=A,B&through=...
  //  &view=X,Y,SCALE&pos=ID:X:Y,...&tab=map   (every item percent-encoded; lists joined by ",")
  var restoring = false, saveTimer = null;
  function enc(list) { return list.map(encodeURIComponent).join(","); }
  function stateHash() {
    var parts = [];
    function put(key, value) { if (value !== "" && value !== null && value !== undefined) parts.push(key + "=" + value); }
    if (state.selected) put("sel", encodeURIComponent(state.selected));
    if (state.selectedEdge) put("link", encodeURIComponent(state.selectedEdge));
    put("hide", enc(data.kinds.map(function (k) { return k.kind; }).filter(function (k) { return !state.kinds.has(k); })));
    put("mod", enc(data.modalities.filter(function (m) { return !state.modalities.has(m); })));
    put("src", data.sources.map(function (s, i) { return i; }).filter(function (i) { return !state.sources.has(i); }).join(","));
    if (!state.inferred) put("inf", "0");
    if (!state.claimants) put("cl", "0");
    if (state.hideIsolated) put("iso", "1");
    put("from", encodeURIComponent($("kg-time-from").value.trim()));
    put("to", encodeURIComponent($("kg-time-to").value.trim()));
    if (state.timeMode !== "overlaps") put("match", state.timeMode);
    if (!state.timeRelative) put("rel", "0");
    if (!state.timeUndated) put("und", "0");
    if (state.focus) { put("focus", encodeURIComponent(state.focus)); put("hops", String(state.hops)); }
    if (state.shown) put("shown", enc(Array.from(state.shown).sort(function (a, b) { return rankOf.get(a) - rankOf.get(b); })));
    if (state.pathEnds) put("path", enc(state.pathEnds));
    put("through", enc(Array.from(state.through).sort()));
    var size = canvasSize(), scale = network.getScale(), t = network.body.view.translation;
    put("view", [Math.round((size.width / 2 - t.x) / scale), Math.round((size.height / 2 - t.y) / scale), scale.toFixed(3)].join(","));
    if (state.moved.size && state.moved.size <= 600) {
      put("pos", enc(Array.from(state.moved.keys()).sort(function (a, b) { return rankOf.get(a) - rankOf.get(b); })
        .map(function (id) { var p = state.moved.get(id); return id + ":" + p[0] + ":" + p[1]; })));
    }
    if (!$("kg-map").hidden) put("tab", "map");
    return parts.join("&");
  }
  function saveState() {
    if (restoring) return;
    var hash = stateHash();
    try { history.replaceState(null, "", "#" + hash); } catch (err) { /* a sandboxed srcdoc page has no URL to keep */ }
  }
  function saveStateSoon() {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = setTimeout(saveState, 250);
  }
  function parseHash(hash) {
    var out = {};
    hash.replace(/^#/, "").split("&").forEach(function (part) {
      if (!part) return;
      var i = part.indexOf("=");
      var key = i < 0 ? part : part.slice(0, i), value = i < 0 ? "" : part.slice(i + 1);
      out[key] = value;
    });
    return out;
  }
  function list(value) {
    if (!value) return [];
    return value.split(",").map(function (v) { try { return decodeURIComponent(v); } catch (err) { return v; } });
  }
  function one(value) { try { return decodeURIComponent(value || ""); } catch (err) { return value || ""; } }
  function nodeRef(text) { return nodeById.has(text) ? text : (byIri.has(text) ? byIri.get(text) : null); }
  function restore(hash) {
    var h = parseHash(hash);
    if (!Object.keys(h).length) return false;
    restoring = true;
    try {
      var hide = new Set(list(h.hide));
      state.kinds = new Set(data.kinds.map(function (k) { return k.kind; }).filter(function (k) { return !hide.has(k); }));
      setChecks("kg-kinds", function (k) { return state.kinds.has(k); });
      var mod = new Set(list(h.mod));
      state.modalities = new Set(data.modalities.filter(function (m) { return !mod.has(m); }));
      state.inferred = h.inf !== "0";
      state.claimants = h.cl !== "0";
      setChecks("kg-modalities", function (k) {
        return k === "__inferred" ? state.inferred : k === "__claimants" ? state.claimants : state.modalities.has(k);
      });
      var src = new Set(list(h.src).map(function (s) { return parseInt(s, 10); }));
      state.sources = new Set(data.sources.map(function (s, i) { return i; }).filter(function (i) { return !src.has(i); }));
      setChecks("kg-sources", function (k) { return state.sources.has(parseInt(k, 10)); });
      state.hideIsolated = h.iso === "1";
      $("kg-hide-isolated").checked = state.hideIsolated;
      $("kg-time-from").value = one(h.from);
      $("kg-time-to").value = one(h.to);
      $("kg-time-mode").value = h.match === "within" ? "within" : "overlaps";
      $("kg-time-relative").checked = h.rel !== "0";
      $("kg-time-undated").checked = h.und !== "0";
      state.through = new Set();
      var through = new Set(list(h.through));
      throughGroups.forEach(function (g) {
        var on = through.has(g.key) || g.kinds.some(function (k) { return through.has(k); });
        g.kinds.forEach(function (k) { toggle(state.through, k, on); });
        document.querySelector('#kg-path-through input[data-key="' + g.key + '"]').checked = on;
      });
      var focus = nodeRef(one(h.focus));
      state.focus = focus;
      state.hops = Math.max(0, parseInt(h.hops, 10) || 0);
      if (focus) $("kg-hops").value = String(state.hops);
      if (h.shown !== undefined) {
        state.shown = new Set(list(h.shown).map(nodeRef).filter(Boolean));
        if (focus) state.shown.add(focus);
      } else if (focus) {
        state.shown = neighbourhood(focus, state.hops);
      } else {
        state.shown = null;
      }
      var moved = list(h.pos).map(function (item) {
        var m = /^(.*):(-?\d+(?:\.\d+)?):(-?\d+(?:\.\d+)?)$/.exec(item);
        return m && nodeById.has(m[1]) ? { id: m[1], x: parseFloat(m[2]), y: parseFloat(m[3]) } : null;
      }).filter(Boolean);
      if (moved.length) {
        nodes.update(moved);
        moved.forEach(function (m) { state.moved.set(m.id, [m.x, m.y]); });
      }
      readTime(false);
    } finally {
      restoring = false;
    }
    var path = list(h.path).map(nodeRef);
    if (path.length === 2 && path[0] && path[1]) {
      $("kg-path-from").value = nodeById.get(path[0]).label;
      $("kg-path-to").value = nodeById.get(path[1]).label;
      findPath();
    }
    var sel = nodeRef(one(h.sel));
    if (sel) selectNode(sel, !h.view);
    else if (h.link && edgeById.has(one(h.link))) selectEdge(one(h.link), !h.view);
    if (h.tab === "map") setTab("map");
    var view = (h.view || "").split(",").map(parseFloat);
    if (view.length === 3 && view.every(isFinite) && view[2] > 0) {
      network.moveTo({ position: { x: view[0], y: view[1] }, scale: view[2], animation: false });
    } else if (!sel) {
      fitVisible();
    }
    saveState();
    return true;
  }
  window.addEventListener("hashchange", function () {
    if (location.hash.replace(/^#/, "") !== stateHash()) restore(location.hash);
  });
  $("kg-copy-link").addEventListener("click", function () {
    saveState();
    var text = location.href;
    $("kg-link-text").value = text;
    $("kg-link-text").hidden = false;
    $("kg-link-text").select();
    if (navigator.clipboard) navigator.clipboard.writeText(text).catch(function () {});
  });

  // ---- start ---------------------------------------------------------------------------------
  if (data.queryUrl) {
    var q = el("a", null, "SPARQL query page");
    q.href = data.queryUrl;
    q.id = "kg-query-link";
    $("kg-summary").appendChild(q);
  }
  mark("controls");
  buildTimeline();
  mark("timeline");
  var restored = false;
  try { restored = restore(location.hash || ""); } catch (err) { restored = false; }
  if (!restored) {
    // Nothing to keep in the URL yet (and asking vis.js where the view is would force a layout
    // of the whole page before its first paint: 1.5 s at 50k nodes).
    restoring = true;
    applyFilters(false);
    restoring = false;
    if (data.focus) selectNode(data.focus, false);
  }

  kgExplorer = {
    search: search, selectNode: selectNode, selectEdge: selectEdge, unselect: unselect,
    focusOn: focusOn, clearFocus: clearFocus, expand: expand, collapse: collapse,
    findPath: function (fromText, toText) { $("kg-path-from").value = fromText; $("kg-path-to").value = toText; return findPath(); },
    shortestPath: shortestPath,
    applyFilters: applyFilters, relayout: relayout, fit: fitVisible,
    visibleNodes: function () { return Array.from(visibleNodes); },
    visibleEdges: function () { return Array.from(visibleEdges); },
    dimmedNodes: function () { return Array.from(dimmed); },
    labels: labelBoxes,
    showSource: showSource, showMap: showMap, setTab: setTab,
    svg: svgText, exportSvg: exportSvg, exportPng: exportPng,
    stateHash: stateHash, restore: restore,
    ready: true,
  };
  mark("ready");
  document.body.setAttribute("data-kg-ready", "true");
})();
