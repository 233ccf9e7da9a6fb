"""The data behind the explorer page: the graph view (:func:`kg.property_graph.graph_view`) turned into
plain JSON-able values, with layout positions, the time of every event, the evidence table,
and the vis.js node and edge lists built with pyvis.

Everything is sorted and positions are seeded, so the same dataset gives the same data.
"""

from __future__ import annotations

import heapq
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef
from rdflib.term import Node as RdfNode

from kg.build import Built
from kg.errors import UsageError
from kg.paths import OPTIONAL_STEP_KINDS, STEP_KINDS, PathLink, PathRule, neighbourhood, path_links
from kg.property_graph import Evidence, GraphView, Node, graph_view
from kg.viz.layout import layout_positions
from kg.viz.style import EDGE_STYLES, KIND_STYLES, kind_style
from kg.vocab import KG, RDF, RDFS, SKOS, TIME

__all__ = ["DEFAULT_MAX_NODES", "Selection", "event_times", "explorer_data", "find_entity", "quote_span",
           "select", "short_label", "source_details", "source_texts", "view_data"]

#: Above this many nodes the page shows the best-connected ones and says so (see README).
DEFAULT_MAX_NODES = 50_000
#: Above this many nodes the page drops what costs time to draw (hover titles, curved links).
_BIG = 2000


_STATUS_ORDER = {"absolute": 0, "anchored": 1, "relative": 2, "undated": 3}
_PRECISION_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3, "unspecified": 4}
_UNDATED = {"text": "", "shown": "undated", "precision": "unspecified", "status": "undated",
            "start": "", "end": "", "anchor": "", "anchorDate": "", "note": ""}
#: The links the page draws and walks: every link of the view (inferred ones too, when the
#: dataset has them) and the claimants' links (kg.paths); the page's filters narrow them.
_PAGE_RULE = PathRule(claimants=True, inferred=True)
#: Longest label drawn on the canvas; the whole label is in the hover title and the panel.
SHORT_LABEL = 30


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
        from kg.suggest import hint

        near = hint(wanted, [n.id for n in view.nodes.values()] + [n.label for n in view.nodes.values()])
        raise UsageError(f"--focus {name!r}: no entity has this id, label or alias; "
                         + (f"{near}" if near else "give an id such as the first column of entities.csv"))
    ids = ", ".join(n.id for n in matches[:10])
    raise UsageError(f"--focus {name!r} is ambiguous: {ids}; give one of these ids")


def select(view: GraphView, *, focus: str | None = None, hops: int | None = None,
           max_nodes: int = DEFAULT_MAX_NODES, links: list[PathLink] | None = None) -> Selection:
    """The nodes to draw: the ``hops``-neighbourhood of ``focus`` (links read both ways), or the
    whole view; at most ``max_nodes`` of them, the best connected first."""
    if hops is not None and hops < 0:
        raise UsageError(f"--hops {hops}: give a number of hops >= 0")
    if hops is not None and focus is None:
        raise UsageError("--hops needs --focus ENTITY")
    if max_nodes < 1:
        raise UsageError(f"max_nodes {max_nodes}: give a positive number")
    total = len(view.nodes)
    if focus is None and total <= max_nodes:
        return Selection(sorted(view.nodes), None, hops, total, False)
    links = path_links(view, _PAGE_RULE) if links is None else links
    neighbours: dict[str, set[str]] = {iri: set() for iri in view.nodes}
    for link in links:
        neighbours[link.source].add(link.target)
        neighbours[link.target].add(link.source)
    if focus is not None:
        centre = find_entity(view, focus).iri
        hops = 1 if hops is None else hops
        # The explorer's own focus and path walk the same way (kg.paths): through actors,
        # places, events and assets only, so a drone concept does not pull in every drone event.
        chosen = sorted(neighbourhood(view, links, centre, hops, _PAGE_RULE))
    else:
        centre = None
        chosen = sorted(view.nodes)
    capped = len(chosen) > max_nodes
    if capped:
        keep = sorted(chosen, key=lambda iri: (iri != centre, -len(neighbours[iri]), iri))[:max_nodes]
        chosen = sorted(keep)
    return Selection(chosen, centre, hops, total, capped)


def _date_precision(value: str) -> str:
    """The precision of an ISO date as written: ``2025-08-21`` day, ``2025-08`` month, ``2025`` year."""
    return {10: "day", 7: "month", 4: "year"}.get(len(value), "unspecified")


def _source_name(built: Built, view: GraphView, source: RdfNode) -> str:
    """How the page names a source a time counts from: its outlet (or the outlet of the source
    that dates it: the original of a digest or copy), else "the news report" (its class)."""
    for candidate in (source, built.value(source, KG.datedBy, built.computed)):
        outlet = built.value(candidate, KG.outlet) if candidate is not None else None
        if outlet is not None and str(outlet) in view.nodes:
            return view.nodes[str(outlet)].label
    node = view.nodes.get(str(source))
    return f"the {(node.class_labels or ['source'])[0].lower()}" if node is not None else str(source)


def _time_record(built: Built, view: GraphView, time_node: RdfNode) -> dict:
    """What the page needs to place one time expression: its words, status, precision and
    interval, and for a relative one what it counts from.

    ``status`` is ``absolute`` (a date in the data), ``anchored`` (a relative time that kg build
    placed by its source's publication date: ``kg:anchoredStart``/``kg:anchoredEnd`` in the
    computed graph), ``relative`` (one that cannot be placed: ``note`` says why) or ``undated``.
    """
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
    anchor = anchor_date = note = ""
    if relative_to is not None:
        node = view.nodes.get(str(relative_to))
        if node is not None and node.kind == "source":
            anchor = _source_name(built, view, relative_to)
        else:
            anchor = node.label if node is not None else str(relative_to)
    computed = built.computed
    anchor_source = built.value(time_node, KG.anchorSource, computed)
    if anchor_source is not None:
        anchor = _source_name(built, view, anchor_source)
        anchor_date = str(built.value(time_node, KG.anchorDate, computed) or "")
    anchored_start = built.value(time_node, KG.anchoredStart, computed)
    anchored_end = built.value(time_node, KG.anchoredEnd, computed)
    types = set(built.objects(time_node, RDF.type))
    if start:
        status = "absolute"
    elif anchored_start is not None and anchored_end is not None:
        status = "anchored"
        start, end = str(anchored_start)[:10], str(anchored_end)[:10]
        unit = built.value(time_node, KG.anchoredPrecision, computed)
        if unit is not None:
            precision = str(built.value(unit, SKOS.notation, built.ontology) or precision)
    elif relative_to is not None or KG.RelativeTime in types:
        status = "relative"
        if anchor_date:
            coarse = _PRECISION_ORDER.get(_date_precision(anchor_date), 9) > _PRECISION_ORDER.get(precision, 9)
            note = (f"{anchor} is dated only to {anchor_date}: too coarse to place a {precision}" if coarse
                    else f"counted from {anchor}, {anchor_date}, its wording does not say when")
        elif relative_to is not None and (node := view.nodes.get(str(relative_to))) is not None \
                and node.kind == "source":
            note = f"the publication date of {anchor} is unknown"
        elif relative_to is None:
            note = "what it counts from is not given"
        else:
            note = f"it counts from {anchor}, not from a dated report"
    else:
        status = "undated"
    shown = text or start
    if status == "relative":
        shown = f"{text} (relative to {anchor})" if anchor else f"{text} (relative, anchor unknown)"
    elif status == "anchored":
        shown = f"{text}, counted from {anchor}, {anchor_date}" if anchor_date else f"{text}, counted from {anchor}"
    return {"text": text, "shown": shown, "precision": precision or "unspecified", "status": status,
            "start": start, "end": end, "anchor": anchor, "anchorDate": anchor_date, "note": note}


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


def source_details(built: Built, view: GraphView) -> dict[str, dict]:
    """``{source IRI: {outlet, published, precision, kind}}`` for the view's sources: the outlet's
    label (its own, or that of the source that dates it: a digest's original), the publication
    date that dates it as given (``2025-08-21``, ``2025-08``, ``2025``; empty when unknown) with
    its precision, its kind (``original``, ``digest`` ...), and ``own``: whether that date is its
    own (an article) rather than its original's (a digest or copy)."""
    out = {}
    for iri, node in view.nodes.items():
        if node.kind != "source":
            continue
        source = URIRef(iri)
        dated_by = built.value(source, KG.datedBy, built.computed)
        published = built.value(dated_by, KG.published) if dated_by is not None else None
        outlet = ""
        for candidate in (source, dated_by):
            found = built.value(candidate, KG.outlet) if candidate is not None else None
            if found is not None and str(found) in view.nodes:
                outlet = view.nodes[str(found)].label
                break
        kind = built.value(source, KG.sourceKind)
        date = str(published)[:10] if published is not None else ""
        out[iri] = {"outlet": outlet, "published": date, "precision": _date_precision(date) if date else "",
                    "kind": str(built.value(kind, SKOS.notation, built.ontology) or "") if kind is not None else "",
                    "own": dated_by == source}
    return out


def _grades(built: Built) -> dict[str, dict[str, str]]:
    """Labels of modalities, Admiralty grades and precisions, by notation, from the ontology."""
    onto = built.graph(built.ontology)  # small: rdflib is fine here
    out: dict[str, dict[str, str]] = {}
    for key, scheme in (("modality", KG.ModalityScheme), ("reliability", KG.ReliabilityScheme),
                        ("credibility", KG.CredibilityScheme)):
        out[key] = {
            str(onto.value(c, SKOS.notation)): str(onto.value(c, RDFS.label) or onto.value(c, SKOS.prefLabel) or "")
            for c in sorted(onto.subjects(SKOS.inScheme, scheme), key=str) if onto.value(c, SKOS.notation) is not None
        }
    return out


def _vis_options(options: dict, *, big: bool) -> dict:
    """pyvis's options, plus how labels, arrows and interaction look in the explorer."""
    from kg.viz.layout import SEED

    options["nodes"] = {
        "size": 14, "borderWidth": 1,
        # Size by number of links (each node's "value"); the page draws the labels itself.
        "scaling": {"min": 8, "max": 30, "label": {"enabled": False}},
    }
    options["edges"].update({
        "width": 1.2, "selectionWidth": 2.5, "dashes": False,
        "color": {"color": EDGE_STYLES["reported-fact"]["color"], "inherit": False},
        # Arrow heads cost a third of the first draw of a big graph, where they are too small to
        # see until zoomed in; the direction stays in the link's panel.
        "arrows": {"to": {"enabled": not big, "scaleFactor": 0.55}},
        "font": {"size": 11, "color": "#444444", "strokeWidth": 3, "strokeColor": "#ffffff", "align": "middle"},
        "scaling": {"label": {"drawThreshold": 14 if big else 9}},
    })
    if "smooth" in options["edges"] and options["edges"]["smooth"].get("enabled"):
        options["edges"]["smooth"]["roundness"] = 0.12
    options["interaction"].update({"hover": not big, "tooltipDelay": 400, "multiselect": False})
    options["layout"] = {"randomSeed": SEED, "improvedLayout": False}
    return options


def short_label(label: str, limit: int = SHORT_LABEL) -> str:
    """``label`` cut at a word boundary to at most ``limit`` characters, with an ellipsis.

    >>> short_label("Police helicopter brought down by a drone in Medellín")
    'Police helicopter brought down…'
    >>> short_label("CJNG")
    'CJNG'
    """
    if len(label) <= limit:
        return label
    space = label[:limit + 1].rfind(" ")  # a word that ends exactly at the limit is kept
    cut = label[:space] if space >= limit // 2 else label[:limit]
    return cut.rstrip(" ,;:-") + "…"


def quote_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` stands in ``text``, as ``(start, end)`` character offsets, matching runs of
    white space loosely (as the quote check does); None when it is not there.

    >>> quote_span("He said:  the work   of EMC.", "the work of EMC")
    (10, 27)
    """
    words = quote.split()
    if not words:
        return None
    match = re.search(r"\s+".join(re.escape(w) for w in words), text)
    return (match.start(), match.end()) if match else None


def source_texts(view: GraphView, sources_path: Sequence[Path]) -> dict[str, str]:
    """``{source IRI: text}`` for the view's sources whose text file (``kg:textFile``) is found
    on ``sources_path`` (a :class:`kg.project.Project`'s); sources without one are left out."""
    texts = {}
    for iri, node in view.nodes.items():
        if node.kind != "source":
            continue
        for name in node.properties.get("text file", []):
            for directory in sources_path:
                path = Path(directory) / name
                if path.is_file():
                    texts[iri] = path.read_bytes().decode("utf-8", errors="replace")
                    break
            if iri in texts:
                break
    return texts


def _coordinates(built: Built, view: GraphView) -> dict[str, tuple[float, float]]:
    """``{place IRI: (latitude, longitude)}`` for the places the data gives both for."""
    out = {}
    for iri, node in view.nodes.items():
        if node.kind != "place":
            continue
        lat, lon = built.value(URIRef(iri), KG.latitude), built.value(URIRef(iri), KG.longitude)
        if lat is None or lon is None:
            continue
        try:
            latitude, longitude = float(str(lat)), float(str(lon))
        except ValueError:
            continue
        if -90 <= latitude <= 90 and -180 <= longitude <= 180:
            out[iri] = (latitude, longitude)
    return out


def explorer_data(built: Built, *, focus: str | None = None, hops: int | None = None,
                  title: str = "", max_nodes: int = DEFAULT_MAX_NODES,
                  sources_path: Sequence[Path] = (), query_url: str = "") -> dict:
    """Everything the explorer page embeds for a built dataset, as JSON-able values.

    ``sources_path`` (a project's) is where source texts are looked for: the texts found travel
    in the page, so every quote can be read in its context. ``query_url`` links the page to a
    query page (``kg serve``'s ``/query``).
    """
    view = graph_view(built)
    return view_data(view, times=event_times(built, view), grades=_grades(built), focus=focus,
                     hops=hops, title=title, max_nodes=max_nodes, texts=source_texts(view, sources_path),
                     coordinates=_coordinates(built, view), query_url=query_url,
                     sources=source_details(built, view))


def _edge_row(eid: str, link: PathLink, ids: dict[str, str], refs: list[int], sources: int,
              origins: list[str]) -> dict:
    attributed = bool(link.evidence) and all(e.attributed for e in link.evidence)
    style_key = "claimant" if link.claimant else ("inferred" if link.inferred else
                                                  "attributed" if attributed else "reported-fact")
    return {
        "id": eid, "from": ids[link.source], "to": ids[link.target], "predicate": link.predicate,
        "label": link.label, "inferred": link.inferred, "attributed": style_key in ("attributed", "claimant"),
        "claimant": link.claimant, "style": style_key, "modalities": sorted({e.modality for e in link.evidence}),
        "sources": sources, "origins": origins, "evidence": refs,
    }


def view_data(view: GraphView, *, times: dict[str, dict] | None = None,
              grades: dict[str, dict[str, str]] | None = None, focus: str | None = None,
              hops: int | None = None, title: str = "", max_nodes: int = DEFAULT_MAX_NODES,
              texts: Mapping[str, str] | None = None,
              coordinates: Mapping[str, tuple[float, float]] | None = None, query_url: str = "",
              sources: Mapping[str, dict] | None = None) -> dict:
    """Everything the explorer page embeds for a graph view (see the module docstring).

    ``times`` are the events' time records (:func:`event_times`; events missing from it are
    undated), ``grades`` the labels of modalities and Admiralty grades by notation, ``texts``
    the sources' texts by IRI (:func:`source_texts`), ``coordinates`` the places'
    ``(latitude, longitude)`` by IRI, and ``sources`` each source's outlet, publication date
    and kind (:func:`source_details`; without it, dates come from the evidence and the sources'
    ``publication date`` property).
    """
    from pyvis.edge import Edge as VisEdge
    from pyvis.network import Network
    from pyvis.node import Node as VisNode

    times = times or {}
    texts = texts or {}
    details = sources or {}
    coordinates = coordinates or {}
    every_link = path_links(view, _PAGE_RULE)
    chosen = select(view, focus=focus, hops=hops, max_nodes=max_nodes, links=every_link)
    keep = set(chosen.nodes)
    links = [link for link in every_link if link.source in keep and link.target in keep]
    nodes = [view.nodes[iri] for iri in chosen.nodes]
    ids = {n.iri: n.id for n in nodes}
    if len(set(ids.values())) != len(ids):  # ids from several namespaces collide: use IRIs
        ids = {n.iri: n.iri for n in nodes}
    degree = {n.iri: 0 for n in nodes}
    for link in links:
        if link.source != link.target:
            degree[link.source] += 1
            degree[link.target] += 1
    positions = layout_positions([ids[n.iri] for n in nodes], [(ids[x.source], ids[x.target]) for x in links],
                                 kinds=[n.kind for n in nodes])

    evidence_index: dict[str, int] = {}
    evidence_rows: list[dict] = []
    # The view's edges carry a body of reporting's counts: independent sources, origins, versions.
    view_edges = {(e.source, e.predicate, e.target): e for e in view.edges}
    every_evidence = [ev for n in nodes for ev in n.evidence] + [ev for x in links for ev in x.evidence]
    # Disputed versions cite sources too (a version may rest on a source nothing else in the view cites).
    every_evidence += [ev for n in nodes for versions in (getattr(n, "disputes", None) or {}).values()
                       for _value, evidence in versions for ev in evidence]
    every_evidence += [ev for x in links
                       for _value, evidence in getattr(view_edges.get((x.source, x.predicate, x.target)), "versions",
                                                       None) or ()
                       for ev in evidence]
    cited = sorted({(ev.source_label, ev.source) for ev in every_evidence})
    source_index = {iri: i for i, (_label, iri) in enumerate(cited)}
    dated = {ev.source: ev.published for ev in every_evidence if ev.published}

    def cite(items: Sequence[Evidence]) -> list[int]:
        refs = []
        for ev in items:
            if ev.claim not in evidence_index:
                evidence_index[ev.claim] = len(evidence_rows)
                text = texts.get(ev.source)
                span = quote_span(text, ev.quote) if text and ev.quote else None
                evidence_rows.append({
                    "claim": ev.claim, "source": source_index[ev.source], "quote": ev.quote,
                    "modality": ev.modality, "claimantLabel": ev.claimant_label,
                    "reliability": ev.reliability, "credibility": ev.credibility, "via": ev.via_label,
                    "note": ev.note, "external": ev.external, "attributed": ev.attributed,
                    "attribution": ev.attribution, "inference": ev.inference,
                    "span": list(span) if span else None,
                    # A body of reporting: when the source was published (its original's date for
                    # a digest), the independent origin it counts as, why it is not a fact, and
                    # the quote's language with the curator's translation.
                    "published": ev.published, "origin": ev.origin_label, "standing": ev.standing,
                    "language": ev.quote_language, "translation": ev.translation,
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
    # Node labels are drawn by the page itself (by importance, never overlapping), not by vis.js.
    big = len(nodes) > _BIG
    node_rows = []
    places_of: dict[str, list[str]] = {}
    for link in links:
        if link.claimant:
            continue
        a, b = view.nodes[link.source], view.nodes[link.target]
        if a.kind == "event" and b.kind == "place":
            places_of.setdefault(a.iri, []).append(ids[b.iri])
    for node in nodes:
        style = kind_style(node.kind)
        vid = ids[node.iri]
        x, y = positions[vid]
        extra = {} if big else {"title": f"{node.label} ({style.label.lower()})"}
        item = VisNode(vid, style.shape, label="", group=node.kind, x=x, y=y, **extra).options
        del item["shape"], item["label"]
        item["value"] = degree[node.iri]
        if node.unnamed:
            item["shapeProperties"] = {"borderDashes": [4, 3]}
            item["borderWidth"] = 2
        if node.iri == chosen.focus:
            item["borderWidth"] = 4
        net.nodes.append(item)
        net.node_ids.append(vid)
        net.node_map[vid] = item
        row = {
            "id": vid, "iri": node.iri, "label": node.label, "short": short_label(node.label),
            "kind": node.kind, "classes": node.classes,
            "classLabels": node.class_labels, "aliases": node.aliases, "description": node.description,
            # Facts as they are; a value only a claim gives says who gives it (never passes for a fact).
            "properties": node.property_texts(), "unnamed": node.unnamed, "collective": node.collective,
            "degree": degree[node.iri], "evidence": cite(node.evidence),
        }
        if node.kind == "event":
            row["time"] = times.get(node.iri, _UNDATED)
            row["at"] = sorted(set(places_of.get(node.iri, [])))
        if node.iri in coordinates:
            row["coords"] = list(coordinates[node.iri])
        disputes = _disputes(node, cite)
        if disputes:
            row["disputes"] = disputes
        node_rows.append(row)

    edge_rows = []
    for i, link in enumerate(links):
        eid = f"e{i}"
        independent = _independent_sources(view_edges, link)
        origins = _origins(view_edges, link)
        edge_row = _edge_row(eid, link, ids, cite(link.evidence), independent, origins)
        versions = getattr(view_edges.get((link.source, link.predicate, link.target)), "versions", None)
        if versions and not link.claimant:
            edge_row["versions"] = [{"value": str(value), "evidence": cite(list(evidence))}
                                    for value, evidence in versions]
        edge_style = EDGE_STYLES[edge_row["style"]]
        label = "claims about" if link.claimant else link.label + (" \u26a0" if "versions" in edge_row else "")
        edge_extra: dict[str, object] = {} if big else {
            "title": f"{link.label} ({edge_row['style']}; "
                     f"{independent} independent source{'s' * (independent != 1)})"}
        if edge_row["style"] != "reported-fact":  # the default look is set once in the options
            edge_extra.update(color=edge_style["color"], dashes=edge_style["dashes"])
        if independent > 1:
            edge_extra["width"] = round(1.2 + 1.4 * min(independent - 1, 5), 1)
        item = VisEdge(ids[link.source], ids[link.target], False, id=eid, label=label, **edge_extra).options
        net.edges.append(item)
        edge_rows.append(edge_row)

    vis_nodes, vis_edges, _heading, _height, _width, options_json = net.get_network_data()
    options = _vis_options(json.loads(options_json), big=big)
    options["groups"] = {k: {"shape": s.shape, "color": s.color} for k, s in KIND_STYLES.items()}
    kinds_present = {n.kind for n in nodes}
    timeline = _timeline_order(node_rows, edge_rows)
    return {
        "title": title,
        "focus": ids.get(chosen.focus) if chosen.focus else None,
        "hops": chosen.hops,
        "totalNodes": chosen.total_nodes,
        "capped": chosen.capped,
        "queryUrl": query_url,
        "kinds": [{"kind": k, "label": s.label, "color": s.color, "shape": s.shape}
                  for k, s in KIND_STYLES.items() if k in kinds_present],
        "steps": sorted(STEP_KINDS),
        "optionalSteps": list(OPTIONAL_STEP_KINDS),
        "edgeStyles": [{"key": k, **v} for k, v in EDGE_STYLES.items()],
        "grades": grades or {"modality": {}, "reliability": {}, "credibility": {}},
        # Evidence cites the sources by index.
        "sources": [{"iri": iri, "label": label, "outlet": details.get(iri, {}).get("outlet", ""),
                     "published": details.get(iri, {}).get("published", "") or dated.get(iri, ""),
                     "kind": details.get(iri, {}).get("kind", "")} for label, iri in cited],
        "publications": _publications(nodes, ids, details),
        "texts": [texts.get(iri) for _label, iri in cited],
        "modalities": sorted({r["modality"] for r in evidence_rows if r["modality"]}),
        "nodes": node_rows,
        "edges": edge_rows,
        "evidence": evidence_rows,
        "timeline": timeline,
        "vis": {"nodes": vis_nodes, "edges": vis_edges, "options": options},
    }


def _independent_sources(edges: Mapping[tuple[str, str, str], object], link: PathLink) -> int:
    """How many independent sources a link rests on: the view's own count when its edge has one
    (``Edge.independent_sources``, for a body of reporting where copies of one report count
    once), else the number of distinct origins (or sources, where no origin is known) behind it."""
    counted = getattr(edges.get((link.source, link.predicate, link.target)), "independent_sources", None)
    if isinstance(counted, int):
        return counted
    return len({e.origin or e.source for e in link.evidence if e.origin or e.source})


def _origins(edges: Mapping[tuple[str, str, str], object], link: PathLink) -> list[str]:
    """The labels of the independent origins behind a link (``Edge.origins``), sorted; else those
    of its evidence."""
    found = getattr(edges.get((link.source, link.predicate, link.target)), "origins", None)
    if isinstance(found, list):
        return found
    return sorted({e.origin_label for e in link.evidence if e.origin_label})


def _publications(nodes: Sequence[Node], ids: Mapping[str, str], details: Mapping[str, dict]) -> list[dict]:
    """When each report on the page was published, as given (``2025-08-21``, ``2025-08``,
    ``2025``), earliest first: the sources with a date of their own (a digest or copy is dated by
    its original, drawn once). Each with its outlet and the interval its date stands for."""
    out = []
    for node in nodes:
        if node.kind != "source":
            continue
        info = details.get(node.iri)
        date = (info["published"] if info and info.get("own") else "") if details else \
            next(iter(node.properties.get("publication date", [])), "")
        if not re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", date or ""):
            continue
        start, end = (date, date) if len(date) == 10 else (f"{date}-01", f"{date}-31") if len(date) == 7 \
            else (f"{date}-01-01", f"{date}-12-31")
        out.append({"id": ids[node.iri], "label": node.label, "outlet": (info or {}).get("outlet", ""),
                    "date": date, "precision": _date_precision(date), "start": start, "end": end})
    return sorted(out, key=lambda p: (p["start"], p["end"], p["label"], p["id"]))


def _disputes(node: Node, cite: Callable[[Sequence[Evidence]], list[int]]) -> list[dict]:
    """The node's disputed values, when the view gives them (``Node.disputes``: property label ->
    list of ``(value, [Evidence])``, one entry per version), as ``[{property, versions: [{value,
    evidence}]}]``; empty otherwise."""
    disputes = getattr(node, "disputes", None) or {}
    return [{"property": prop, "versions": [{"value": value, "evidence": cite(list(evidence))}
                                            for value, evidence in versions]}
            for prop, versions in sorted(disputes.items())]


def _timeline_order(node_rows: list[dict], edge_rows: list[dict]) -> list[str]:
    """Event ids in timeline order: events placed in time (absolute dates, and relative ones kg
    build anchored) by their interval, then relative ones that cannot be placed, then undated
    ones. Within each group ``kg:after`` decides where the dates do not (an event after another
    comes later when their intervals overlap, or when neither is placed); otherwise the earlier
    interval, then the label. A cycle of ``kg:after`` is broken at its smallest key."""
    events = [r for r in node_rows if "time" in r]
    groups = (("absolute", "anchored"), ("relative",), ("undated",))
    ordered: list[str] = []
    for statuses in groups:
        members = {r["id"]: r for r in events if r["time"]["status"] in statuses}
        key = {m: (r["time"]["start"], r["time"]["end"], r["label"], m) for m, r in members.items()}
        later: dict[str, list[str]] = {m: [] for m in members}
        waiting = dict.fromkeys(members, 0)
        for e in edge_rows:  # e["from"] happened after e["to"]
            a, b = e["from"], e["to"]
            if e["predicate"] != "kg:after" or a not in members or b not in members or a == b:
                continue
            ta, tb = members[a]["time"], members[b]["time"]
            if ta["start"] and tb["start"] and (ta["end"] < tb["start"] or tb["end"] < ta["start"]):
                continue  # the dates decide
            later[b].append(a)
            waiting[a] += 1
        heap = [key[m] for m in members if not waiting[m]]
        heapq.heapify(heap)
        done: set[str] = set()
        while len(done) < len(members):
            if not heap:  # a cycle: start it at its smallest key
                heap = [min(key[m] for m in members if m not in done)]
            first = heapq.heappop(heap)[-1]
            if first in done:
                continue
            done.add(first)
            ordered.append(first)
            for nxt in later[first]:
                waiting[nxt] -= 1
                if waiting[nxt] == 0 and nxt not in done:
                    heapq.heappush(heap, key[nxt])
    return ordered
