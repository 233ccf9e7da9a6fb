"""The data behind the explorer page: the graph view (:func:`kg.property_graph.graph_view`) turned into
plain JSON-able values, with layout positions, the time of every event, the evidence table,
and the vis.js node and edge lists built with pyvis.

Everything is sorted and positions are seeded, so the same dataset gives the same data.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.term import Node as RdfNode

from kg.build import Built

from kg.errors import UsageError
from kg.property_graph import Edge, Evidence, GraphView, Node, graph_view
from kg.vocab import KG, RDF, RDFS, SKOS, TIME
from kg.viz.layout import layout_positions
from kg.viz.style import EDGE_STYLES, KIND_STYLES, kind_style

__all__ = ["DEFAULT_MAX_NODES", "Selection", "event_times", "explorer_data", "find_entity", "select", "view_data"]

#: Above this many nodes the page shows the best-connected ones and says so (see README).
DEFAULT_MAX_NODES = 50_000
#: Above this many nodes the page drops what costs time to draw (hover titles, curved links).
_BIG = 2000


_STATUS_ORDER = {"absolute": 0, "relative": 1, "undated": 2}
_PRECISION_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3, "unspecified": 4}
_UNDATED = {"text": "", "shown": "undated", "precision": "unspecified", "status": "undated",
            "start": "", "end": "", "anchor": ""}


@dataclass(frozen=True)
class Selection:
    """Which nodes of the view the page shows, and why."""

    nodes: list[str]  # IRIs, sorted
    focus: str | None = None  # IRI
    hops: int | None = None
    total_nodes: int = 0
    capped: bool = False


def find_entity(view: GraphView, name: str) -> Node:
    """The node whose id, IRI, label or alias is ``name`` (ids and IRIs first; case-insensitive).

    Raises :class:`UsageError` when nothing or more than one node matches.
    """
    wanted = name.strip()
    for node in view.nodes.values():
        if wanted in (node.id, node.iri):
            return node
    folded = wanted.casefold()
    matches = [n for n in view.nodes.values()
               if n.label.casefold() == folded or folded in (a.casefold() for a in n.aliases)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise UsageError(f"--focus {name!r}: no entity has this id, label or alias; "
                         "give an id such as the first column of entities.csv")
    ids = ", ".join(n.id for n in matches[:10])
    raise UsageError(f"--focus {name!r} is ambiguous: {ids}; give one of these ids")


def select(view: GraphView, *, focus: str | None = None, hops: int | None = None,
           max_nodes: int = DEFAULT_MAX_NODES) -> Selection:
    """The nodes to draw: the ``hops``-neighbourhood of ``focus`` (links read both ways), or the
    whole view; at most ``max_nodes`` of them, the best connected first."""
    if hops is not None and hops < 0:
        raise UsageError(f"--hops {hops}: give a number of hops >= 0")
    if hops is not None and focus is None:
        raise UsageError("--hops needs --focus ENTITY")
    if max_nodes < 1:
        raise UsageError(f"max_nodes {max_nodes}: give a positive number")
    neighbours: dict[str, set[str]] = {iri: set() for iri in view.nodes}
    for edge in view.edges:
        neighbours[edge.source].add(edge.target)
        neighbours[edge.target].add(edge.source)
    total = len(view.nodes)
    if focus is not None:
        centre = find_entity(view, focus).iri
        hops = 1 if hops is None else hops
        seen = {centre: 0}
        queue = deque([centre])
        while queue:
            current = queue.popleft()
            if seen[current] >= hops:
                continue
            for other in sorted(neighbours[current]):
                if other not in seen:
                    seen[other] = seen[current] + 1
                    queue.append(other)
        chosen = sorted(seen)
    else:
        centre = None
        chosen = sorted(view.nodes)
    capped = len(chosen) > max_nodes
    if capped:
        keep = sorted(chosen, key=lambda iri: (iri != centre, -len(neighbours[iri]), iri))[:max_nodes]
        chosen = sorted(keep)
    return Selection(chosen, centre, hops, total, capped)


def _time_record(built: Built, view: GraphView, time_node: RdfNode) -> dict:
    """What the page needs to place one time expression: text, precision and interval."""
    text = str(built.value(time_node, KG.expressionText) or built.value(time_node, RDFS.label) or "")
    unit = built.value(time_node, TIME.unitType)
    precision = str(built.value(unit, SKOS.notation, built.ontology) or "") if unit is not None else ""
    date = built.value(time_node, KG.date)
    year_month = built.value(time_node, KG.yearMonth)
    year = built.value(time_node, KG.year)
    start = end = ""
    if date is not None:
        start = end = str(date)[:10]
        precision = precision or "day"
    elif year_month is not None:
        ym = str(year_month)[:7]
        start, end = f"{ym}-01", f"{ym}-31"  # compared as text: the last day of any month is <= 31
        precision = precision or "month"
    elif year is not None:
        y = str(year)[:4]
        start, end = f"{y}-01-01", f"{y}-12-31"
        precision = precision or "year"
    relative_to = built.value(time_node, KG.relativeTo)
    anchor = ""
    if relative_to is not None:
        node = view.nodes.get(str(relative_to))
        if node is not None and node.kind == "source":
            anchor = f"the {(node.class_labels or ['source'])[0].lower()}"
        else:
            anchor = node.label if node is not None else str(relative_to)
    types = set(built.objects(time_node, RDF.type))
    if start:
        status = "absolute"
    elif relative_to is not None or KG.RelativeTime in types:
        status = "relative"
    else:
        status = "undated"
    shown = text or start
    if status == "relative":
        shown = f"{text} (relative to {anchor})" if anchor else f"{text} (relative, anchor unknown)"
    return {"text": text, "shown": shown, "precision": precision or "unspecified", "status": status,
            "start": start, "end": end, "anchor": anchor}


def event_times(built: Built, view: GraphView) -> dict[str, dict]:
    """``{event IRI: time record}`` for every event of the view; events with no time are
    ``status: "undated"`` (they are shown as undated, never dropped)."""
    times: dict[str, dict] = {}
    # The time links come from the view, which takes them from the claims: an event only a claimant
    # tells of keeps its time (its link is drawn as attributed).
    time_of: dict[str, list[str]] = {}
    has_time = built.curie(KG.hasTime)
    for edge in view.edges:
        if edge.predicate == has_time and not edge.inferred:
            time_of.setdefault(edge.source, []).append(edge.target)
    for iri, node in view.nodes.items():
        if node.kind != "event":
            continue
        records = [_time_record(built, view, URIRef(t)) for t in sorted(time_of.get(iri, []))]
        if records:  # several times: the dated ones first, the narrowest of them first
            times[iri] = min(records, key=lambda r: (_STATUS_ORDER[r["status"]],
                                                     _PRECISION_ORDER.get(r["precision"], 9), r["start"], r["shown"]))
        else:
            times[iri] = _UNDATED
    return times


def _grades(built: Built) -> dict[str, dict[str, str]]:
    """Labels of modalities, Admiralty grades and precisions, by notation, from the ontology."""
    onto = built.graph(built.ontology)  # small: rdflib is fine here
    out: dict[str, dict[str, str]] = {}
    for key, scheme in (("modality", KG.ModalityScheme), ("reliability", KG.ReliabilityScheme),
                        ("credibility", KG.CredibilityScheme)):
        out[key] = {
            str(onto.value(c, SKOS.notation)): str(onto.value(c, RDFS.label) or onto.value(c, SKOS.prefLabel) or "")
            for c in sorted(onto.subjects(SKOS.inScheme, scheme)) if onto.value(c, SKOS.notation) is not None
        }
    return out


def _edge_style(edge: Edge) -> str:
    if edge.inferred:
        return "inferred"
    return "attributed" if edge.attributed else "reported-fact"


def _vis_options(options: dict, *, big: bool) -> dict:
    """pyvis's options, plus how labels, arrows and interaction look in the explorer."""
    from kg.viz.layout import SEED

    options["nodes"] = {
        "size": 14, "borderWidth": 1,
        "font": {"size": 14, "color": "#222222", "strokeWidth": 3, "strokeColor": "#ffffff"},
        # Labels disappear when zoomed out far enough to be unreadable anyway.
        "scaling": {"label": {"drawThreshold": 12 if big else 5}},
    }
    options["edges"].update({
        "width": 1.2, "selectionWidth": 2.5, "dashes": False,
        "color": {"color": EDGE_STYLES["reported-fact"]["color"], "inherit": False},
        # Arrow heads cost a third of the first draw of a big graph, where they are too small to
        # see until zoomed in; the direction stays in the link's panel.
        "arrows": {"to": {"enabled": not big, "scaleFactor": 0.55}},
        "font": {"size": 11, "color": "#444444", "strokeWidth": 3, "strokeColor": "#ffffff", "align": "middle"},
        "scaling": {"label": {"drawThreshold": 14 if big else 8}},
    })
    if "smooth" in options["edges"] and options["edges"]["smooth"].get("enabled"):
        options["edges"]["smooth"]["roundness"] = 0.12
    options["interaction"].update({"hover": not big, "tooltipDelay": 400, "multiselect": False})
    options["layout"] = {"randomSeed": SEED, "improvedLayout": False}
    return options


def explorer_data(built: Built, *, focus: str | None = None, hops: int | None = None,
                  title: str = "", max_nodes: int = DEFAULT_MAX_NODES) -> dict:
    """Everything the explorer page embeds for a built dataset, as JSON-able values."""
    view = graph_view(built)
    return view_data(view, times=event_times(built, view), grades=_grades(built), focus=focus,
                     hops=hops, title=title, max_nodes=max_nodes)


def view_data(view: GraphView, *, times: dict[str, dict] | None = None,
              grades: dict[str, dict[str, str]] | None = None, focus: str | None = None,
              hops: int | None = None, title: str = "", max_nodes: int = DEFAULT_MAX_NODES) -> dict:
    """Everything the explorer page embeds for a graph view (see the module docstring).

    ``times`` are the events' time records (:func:`event_times`; events missing from it are
    undated) and ``grades`` the labels of modalities and Admiralty grades by notation.
    """
    from pyvis.edge import Edge as VisEdge
    from pyvis.network import Network
    from pyvis.node import Node as VisNode

    times = times or {}
    chosen = select(view, focus=focus, hops=hops, max_nodes=max_nodes)
    keep = set(chosen.nodes)
    edges = [e for e in view.edges if e.source in keep and e.target in keep]
    nodes = [view.nodes[iri] for iri in chosen.nodes]
    ids = {n.iri: n.id for n in nodes}
    if len(set(ids.values())) != len(ids):  # ids from several namespaces collide: use IRIs
        ids = {n.iri: n.iri for n in nodes}
    positions = layout_positions([ids[n.iri] for n in nodes], [(ids[e.source], ids[e.target]) for e in edges])

    evidence_index: dict[str, int] = {}
    evidence_rows: list[dict] = []
    every_evidence = [ev for n in nodes for ev in n.evidence] + [ev for e in edges for ev in e.evidence]
    sources = sorted({(ev.source_label, ev.source) for ev in every_evidence})
    source_index = {iri: i for i, (_label, iri) in enumerate(sources)}

    def cite(items: list[Evidence]) -> list[int]:
        refs = []
        for ev in items:
            if ev.claim not in evidence_index:
                evidence_index[ev.claim] = len(evidence_rows)
                evidence_rows.append({
                    "claim": ev.claim, "source": source_index[ev.source], "quote": ev.quote,
                    "modality": ev.modality, "claimantLabel": ev.claimant_label,
                    "reliability": ev.reliability, "credibility": ev.credibility, "via": ev.via_label,
                    "note": ev.note, "external": ev.external, "attributed": ev.attributed,
                    "attribution": ev.attribution, "inference": ev.inference,
                })
            refs.append(evidence_index[ev.claim])
        return refs

    # pyvis holds the vis.js node and edge lists and the options; its Node/Edge classes build
    # each item (Network.add_node/add_edge scan lists, O(N*E), so items are appended directly).
    net = Network(directed=True)
    net.toggle_physics(False)
    net.set_edge_smooth("curvedCW")  # opposite links between two nodes stay apart
    if len(nodes) > _BIG:
        net.options.edges.smooth.enabled = False  # straight lines draw much faster
    net.toggle_hide_edges_on_drag(len(nodes) > _BIG)

    # Shapes and colours come from one vis.js group per kind; big graphs skip the hover titles.
    big = len(nodes) > _BIG
    node_rows = []
    for node in nodes:
        style = kind_style(node.kind)
        vid = ids[node.iri]
        x, y = positions[vid]
        extra = {} if big else {"title": f"{node.label} ({style.label.lower()})"}
        item = VisNode(vid, style.shape, label=node.label, group=node.kind, x=x, y=y, **extra).options
        del item["shape"]
        if node.unnamed:
            item["shapeProperties"] = {"borderDashes": [4, 3]}
            item["borderWidth"] = 2
        if node.iri == chosen.focus:
            item["borderWidth"] = 4
            item["size"] = 32
        net.nodes.append(item)
        net.node_ids.append(vid)
        net.node_map[vid] = item
        row = {
            "id": vid, "iri": node.iri, "label": node.label, "kind": node.kind, "classes": node.classes,
            "classLabels": node.class_labels, "aliases": node.aliases, "description": node.description,
            # Facts as they are; a value only a claim gives says who gives it (never passes for a fact).
            "properties": node.property_texts(), "unnamed": node.unnamed, "collective": node.collective,
            "evidence": cite(node.evidence),
        }
        if node.kind == "event":
            row["time"] = times.get(node.iri, _UNDATED)
        node_rows.append(row)

    edge_rows = []
    for i, edge in enumerate(edges):
        style_key = _edge_style(edge)
        style = EDGE_STYLES[style_key]
        eid = f"e{i}"
        extra = {} if big else {"title": f"{edge.label} ({style_key})"}
        if style_key != "reported-fact":  # the default look is set once in the options
            extra.update(color=style["color"], dashes=style["dashes"])
        item = VisEdge(ids[edge.source], ids[edge.target], False, id=eid, label=edge.label, **extra).options
        net.edges.append(item)
        edge_rows.append({
            "id": eid, "from": ids[edge.source], "to": ids[edge.target], "predicate": edge.predicate,
            "label": edge.label, "inferred": edge.inferred, "attributed": edge.attributed,
            "style": style_key, "modalities": edge.modalities, "evidence": cite(edge.evidence),
        })

    vis_nodes, vis_edges, _heading, _height, _width, options_json = net.get_network_data()
    options = _vis_options(json.loads(options_json), big=big)
    options["groups"] = {k: {"shape": s.shape, "color": s.color} for k, s in KIND_STYLES.items()}
    kinds_present = {n.kind for n in nodes}
    timeline = sorted(
        (r for r in node_rows if "time" in r),
        key=lambda r: (_STATUS_ORDER[r["time"]["status"]],
                       r["time"]["start"], r["time"]["end"], r["label"], r["id"]),
    )
    return {
        "title": title,
        "focus": ids.get(chosen.focus) if chosen.focus else None,
        "hops": chosen.hops,
        "totalNodes": chosen.total_nodes,
        "capped": chosen.capped,
        "kinds": [{"kind": k, "label": s.label, "color": s.color, "shape": s.shape}
                  for k, s in KIND_STYLES.items() if k in kinds_present],
        "edgeStyles": [{"key": k, **v} for k, v in EDGE_STYLES.items()],
        "grades": grades or {"modality": {}, "reliability": {}, "credibility": {}},
        "sources": [{"iri": iri, "label": label} for label, iri in sources],  # evidence cites them by index
        "modalities": sorted({r["modality"] for r in evidence_rows if r["modality"]}),
        "nodes": node_rows,
        "edges": edge_rows,
        "evidence": evidence_rows,
        "timeline": [r["id"] for r in timeline],
        "vis": {"nodes": vis_nodes, "edges": vis_edges, "options": options},
    }
