"""Benchmark of the network analysis (kg.analyze) on generated data.

    .venv/bin/python python -m kg.bench.analyze                      # 100k and 1M triples
    .venv/bin/python python -m kg.bench.analyze --triples 100000 --k 200

The generated dataset has the shape ``kg.build`` gives: actors, places nested with kg:locatedIn,
n-ary events (type, place, perpetrators, a target, sometimes casualties, a claimant and an
allegation), one kg:Claim per asserted triple in the provenance graph and the ontology in its
graph. "Triples" counts the default and provenance graphs (what ``kg build`` reports), not the
ontology. Timed: the property-graph view, the projection, degree, betweenness (networkx and
igraph, exact and sampled with the same k and seed), eigenvector (networkx and igraph),
communities (Louvain), a shortest path, timelines and counts by place. Ratios compare igraph to
networkx; "exact (projected)" is the per-source-node cost times the number of nodes.
Not run by the test suite, except as a tiny smoke run.
"""

from __future__ import annotations

import argparse
import random
import time

import igraph  # noqa: F401 (imported up front so its import time is not timed)
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import NamespaceManager

from kg.analyze import centrality, communities, counts_by_place, project, shortest_paths, timelines
from kg.build import Built, graph_names
from kg.ontology import load_ontology
from kg.property_graph import graph_view
from kg.vocab import KG, RDF, RDFS, STANDARD_PREFIXES, XSD

BASE = "https://example.org/bench/"
ACTOR_CLASSES = (KG.Cartel, KG.ArmedGroup, KG.PoliceForce, KG.Person, KG.CriminalOrganization)
EVENT_TYPES = (KG.Attack, KG.DroneAttack, KG.Ambush, KG.ArmedClash, KG.Trafficking)
MODALITIES = (KG.ReportedFact, KG.ReportedFact, KG.ReportedFact, KG.Assessment, KG.Allegation)


def generate(n_triples: int, seed: int = 1) -> Dataset:
    """A dataset of about ``n_triples`` triples (default + provenance graphs)."""
    rng = random.Random(seed)
    names = graph_names(BASE)
    ds = Dataset(default_union=False)
    ds.namespace_manager = NamespaceManager(ds, bind_namespaces="none")
    for prefix, ns in sorted(STANDARD_PREFIXES.items()):
        ds.bind(prefix, ns, override=True, replace=True)
    facts, prov, onto = ds.default_graph, ds.graph(names.provenance), ds.graph(names.ontology)
    onto.addN((s, p, o, onto) for s, p, o in load_ontology().graph)
    source = URIRef(BASE + "report")
    facts.add((source, RDF.type, KG.NewsReport))
    facts.add((source, RDFS.label, Literal("Generated report")))
    count = [2]
    fact_quads: list = []
    prov_quads: list = []

    def fact(s, p, o, claimant=None, modality=KG.ReportedFact):
        n = count[0]
        c = URIRef(f"{BASE}claim/{n}")
        fact_quads.append((s, p, o, facts))
        rows = [(c, RDF.type, KG.Claim), (c, RDF.subject, s), (c, RDF.predicate, p), (c, RDF.object, o),
                (c, KG.source, source), (c, KG.modality, modality), (c, KG.quote, Literal(f"quote {n}")),
                (c, KG.sourceReliability, KG.ReliabilityF), (c, KG.informationCredibility, KG.Credibility3)]
        if claimant is not None:
            rows.append((c, KG.claimant, claimant))
        prov_quads.extend((*row, prov) for row in rows)
        count[0] += 1 + len(rows)

    def entity(local: str, cls, label: str) -> URIRef:
        iri = URIRef(BASE + local)
        fact(iri, RDF.type, cls)
        fact_quads.append((iri, RDFS.label, Literal(label), facts))
        count[0] += 1
        return iri

    events_wanted = max(5, n_triples // 110)
    countries = [entity(f"country-{i}", KG.Country, f"Country {i}") for i in range(max(2, events_wanted // 400))]
    cities = []
    for i in range(max(4, events_wanted // 20)):
        city = entity(f"city-{i}", KG.City, f"City {i}")
        fact(city, KG.locatedIn, rng.choice(countries))
        cities.append(city)
    classes = [rng.choice(ACTOR_CLASSES) for _ in range(max(6, events_wanted // 2))]
    actors = [entity(f"actor-{i}", cls, f"Actor {i}") for i, cls in enumerate(classes)]
    people = [a for a, cls in zip(actors, classes, strict=True) if cls == KG.Person] or actors
    for actor in actors[: len(actors) // 3]:
        fact(actor, rng.choice((KG.memberOf, KG.rivalOf, KG.affiliatedWith)), rng.choice(actors))
    events: list[URIRef] = []
    i = 0
    while count[0] < n_triples:
        event = entity(f"event-{i}", KG.Event, f"Event {i}")
        fact(event, KG.eventType, rng.choice(EVENT_TYPES))
        fact(event, KG.place, rng.choice(cities))
        for perpetrator in rng.sample(actors, rng.choice((1, 1, 2))):
            modality = rng.choice(MODALITIES)
            fact(event, KG.perpetrator, perpetrator, claimant=rng.choice(people) if modality == KG.Allegation else None,
                 modality=modality)
        fact(event, KG.target, rng.choice(actors))
        if rng.random() < 0.3:
            fact(event, KG.killed, Literal(rng.randint(1, 20), datatype=XSD.nonNegativeInteger))
        if events and rng.random() < 0.05:
            fact(event, KG.partOf, rng.choice(events))
        events.append(event)
        i += 1
    facts.addN(fact_quads)
    prov.addN(prov_quads)
    return ds


def timed(label: str, func, rows: list, size: int):
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    rows.append((size, label, seconds))
    print(f"{size:>9} {label:<44} {seconds:10.3f} s", flush=True)
    return result


def bench(n_triples: int, k: int) -> None:
    rows: list = []
    ds = timed("generate dataset", lambda: generate(n_triples), rows, n_triples)
    size = len(ds.default_graph) + len(ds.graph(graph_names(BASE).provenance))
    print(f"{n_triples:>9} dataset: {size} triples (default + provenance)")
    built = Built.from_rdflib(ds, BASE)
    view = timed("graph_view (property-graph view)", lambda: graph_view(built), rows, n_triples)
    G = timed("projection (networkx Graph)", lambda: project(view), rows, n_triples)
    n = G.number_of_nodes()
    print(f"{n_triples:>9} projection: {n} nodes, {G.number_of_edges()} edges")
    timed("degree", lambda: centrality.degree(G), rows, n_triples)
    k = min(k, n)
    nx_s = timed(f"betweenness networkx sampled k={k}", lambda: centrality.betweenness(
        G, engine="networkx", exact_max=0, k=k), rows, n_triples)
    ig_s = timed(f"betweenness igraph sampled k={k}", lambda: centrality.betweenness(
        G, engine="igraph", exact_max=0, k=k), rows, n_triples)
    diff = max(abs(nx_s.values[v] - ig_s.values[v]) for v in G)
    t_nx, t_ig = rows[-2][2], rows[-1][2]
    print(f"{n_triples:>9} betweenness per source node: networkx {1000 * t_nx / k:.2f} ms, "
          f"igraph {1000 * t_ig / k:.3f} ms; igraph/networkx time ratio {t_ig / t_nx:.4f} "
          f"(speed-up x{t_nx / max(t_ig, 1e-9):.0f}); max |difference| {diff:.2e}")
    print(f"{n_triples:>9} betweenness exact (projected): networkx {t_nx / k * n:.0f} s, igraph {t_ig / k * n:.1f} s")
    if n <= 20000:
        timed("betweenness igraph exact", lambda: centrality.betweenness(G, engine="igraph", exact_max=n), rows,
              n_triples)
    e_nx = timed("eigenvector networkx", lambda: centrality.eigenvector(G, engine="networkx"), rows, n_triples)
    e_ig = timed("eigenvector igraph", lambda: centrality.eigenvector(G, engine="igraph"), rows, n_triples)
    print(f"{n_triples:>9} eigenvector igraph/networkx time ratio {rows[-1][2] / rows[-2][2]:.4f} "
          f"({e_nx.method} vs {e_ig.method})")
    timed("communities louvain (networkx, seeded)", lambda: communities(G), rows, n_triples)
    nodes = sorted(G)
    timed("shortest paths (one pair)", lambda: shortest_paths(G, nodes[0], nodes[-1]), rows, n_triples)
    timed("timelines", lambda: timelines(view), rows, n_triples)
    timed("counts by place", lambda: counts_by_place(view), rows, n_triples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, action="append", help="dataset size (repeatable); "
                        "default 100000 and 1000000")
    parser.add_argument("--k", type=int, default=centrality.BETWEENNESS_SAMPLES,
                        help="sampled source nodes for betweenness")
    args = parser.parse_args()
    print(f"{'triples':>9} {'step':<44} {'time':>12}")
    for n in args.triples or [100_000, 1_000_000]:
        bench(n, args.k)


if __name__ == "__main__":
    main()
