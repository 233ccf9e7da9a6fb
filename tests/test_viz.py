"""The explorer page without a browser: its data, its escaping, its determinism, ``kg view`` and
``kg build``'s graph.html. The page in a real browser is tested in test_viz_browser.py."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
import kg.viz
from kg.errors import UsageError
from kg.paths import PathRule, path_links
from kg.property_graph import graph_view
from kg.viz.data import event_times, find_entity, quote_span, select, short_label

FIXTURES = Path(__file__).resolve().parent / "fixtures"
XSS = FIXTURES / "xss"
MINI = FIXTURES / "mini"


def page_data(page: str) -> dict:
    """The JSON embedded in a page."""
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert match, "no embedded data"
    return json.loads(match.group(1))


@pytest.fixture(scope="session")
def bundled_page(bundled_project, bundled_dataset) -> str:
    return kg.viz.render_html(bundled_dataset, title=bundled_project.title)


@pytest.fixture(scope="session")
def xss_page() -> str:
    project = kg.open_project(XSS)
    return kg.viz.render_html(kg.build(kg.load(project)), title=project.title)


def test_embed_json_cannot_end_its_script_element():
    value = {"a": "</script><script>alert(1)</script>", "b": "<!-- x -->", "c": "a\u2028b\u2029c & d > e"}
    text = str(kg.viz.embed_json(value))
    assert json.loads(text) == value
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text


def test_page_is_self_contained(bundled_page):
    # Nothing is loaded from anywhere: no src/href attributes, no <link>, no CDN, and a policy
    # that forbids fetching anyway.
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b[^>]*\b(src|href)\s*=", bundled_page, re.I)
    assert "<link" not in bundled_page
    for cdn in ("cdnjs", "jsdelivr", "unpkg", "bootstrap"):
        assert cdn not in bundled_page
    assert "default-src 'none'" in bundled_page
    assert len(re.findall(r"^<script", bundled_page, re.M)) == 3  # vis-network, the data, the explorer


def test_page_holds_the_whole_view_with_evidence(bundled_page, bundled_project, bundled_dataset):
    view = graph_view(bundled_dataset)
    data = page_data(bundled_page)
    assert len(data["nodes"]) == len(data["vis"]["nodes"]) == len(view.nodes)
    # Every link of the view, and each claimant's link to what its claims are about (kg.paths).
    links = path_links(view, PathRule(claimants=True, inferred=True))
    assert len(data["edges"]) == len(data["vis"]["edges"]) == len(links)
    assert sum(not e["claimant"] for e in data["edges"]) == len(view.edges)
    assert data["vis"]["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["vis"]["nodes"])  # precomputed positions
    # Every link has its evidence, but a source's own metadata (its outlet, what it derives from),
    # which the sources table states.
    source_metadata = {"kg:outlet", "kg:copyOf", "kg:digestOf", "kg:translationOf", "kg:retellingOf"}
    for edge in data["edges"]:
        assert edge["evidence"] or edge["inferred"] or edge["predicate"] in source_metadata, edge
        assert edge["evidence"] or edge["predicate"] not in source_metadata or edge["sources"] == 0
    helicopter = next(e for e in data["edges"] if e["from"] == "medellin-helicopter-downing"
                      and e["to"] == "emc" and e["predicate"] == "kg:perpetrator")
    evidence = [data["evidence"][i] for i in helicopter["evidence"]]
    assert any("describing the strike as the work of EMC" in ev["quote"] and ev["claimantLabel"] == "Gustavo Petro"
               and data["sources"][ev["source"]]["label"].startswith("News report")
               and ev["modality"] == "allegation" and ev["reliability"] == "C" and ev["credibility"] == "3"
               for ev in evidence)
    assert helicopter["attributed"] and helicopter["style"] == "attributed"
    vis_edge = next(e for e in data["vis"]["edges"] if e["id"] == helicopter["id"])
    # The downing's perpetrator is disputed (the EMC, its 36th Front, FARC dissidents, the Gulf Clan ...): marked.
    assert vis_edge["dashes"] and vis_edge["label"] == "perpetrator ⚠"
    cjng = next(n for n in data["nodes"] if n["id"] == "cjng")
    assert "Jalisco New Generation Cartel" in cjng["aliases"]
    # Petro alleges that EMC downed the helicopter: a claimant's link, labelled and styled as one,
    # with his claim as its evidence; never drawn as a fact.
    petro = next(e for e in data["edges"] if e["from"] == "petro" and e["to"] == "medellin-helicopter-downing")
    assert petro["claimant"] and petro["style"] == "claimant" and petro["predicate"] == "kg:claimant"
    assert any("describing the strike as the work of EMC" in data["evidence"][i]["quote"] for i in petro["evidence"])
    vis_petro = next(e for e in data["vis"]["edges"] if e["id"] == petro["id"])
    assert vis_petro["dashes"] and vis_petro["label"] == "claims about"
    # Node labels are drawn by the page (by importance); vis.js gets none, and sizes by links.
    assert all("label" not in n and n["value"] >= 0 for n in data["vis"]["nodes"])


def test_event_labels_are_short_on_the_chart_and_whole_in_the_data(bundled_page):
    data = page_data(bundled_page)
    long = [n for n in data["nodes"] if len(n["label"]) > 30]
    assert long, "the report's events have sentence-long names"
    for node in data["nodes"]:
        assert len(node["short"]) <= 31
        assert node["short"] == node["label"] or (node["short"].endswith("…")
                                                  and node["label"].startswith(node["short"][:-1]))
    assert short_label("Police helicopter brought down by a drone in Medellín") == "Police helicopter brought down…"


def test_quotes_are_located_in_the_source_texts_the_page_carries(bundled_project, bundled_dataset):
    data = page_data(kg.viz.render_html(bundled_dataset,
                                        sources_path=bundled_project.sources_path))
    report = next(i for i, s in enumerate(data["sources"]) if s["label"].startswith("News report"))
    text = data["texts"][report]
    assert text and "describing the strike as the work of EMC" in text
    quoted = [ev for ev in data["evidence"] if ev["quote"] and ev["source"] == report]
    assert len(quoted) > 100
    for ev in quoted:  # every quote was checked against the text, so every one is found in it
        start, end = ev["span"]
        assert " ".join(text[start:end].split()) == " ".join(ev["quote"].split())
    # Without the texts, nothing is located and no text travels.
    bare = page_data(kg.viz.render_html(bundled_dataset))
    assert bare["texts"] == [None] * len(bare["sources"]) and all(ev["span"] is None for ev in bare["evidence"])
    assert quote_span("a  b\nc", "b c") == (3, 6) and quote_span("abc", "x") is None


def test_inferred_links_are_drawn_differently(make_dataset):
    # Inference reads the facts only: a stated two-step containment gives a transitive link.
    data = make_dataset(append={
        "entities.csv": ("shire,kg:AdminRegion,Shire,,rep,in Springfield,,,F,3,\n"
                         "land,kg:Country,Land,,rep,in Springfield,,,F,3,"),
        "statements.csv": "springfield,kg:locatedIn,shire,rep,in Springfield,,,F,3,,\n"
                          "shire,kg:locatedIn,land,rep,in Springfield,,,F,3,,"})
    ds = kg.infer(kg.build(kg.load(kg.open_project(data))), "owl-rl")
    data = page_data(kg.viz.render_html(ds))
    styles = {e["id"]: e["style"] for e in data["edges"]}
    inferred = [e for e in data["edges"] if e["inferred"]]
    assert inferred, "OWL-RL adds links (kg:locatedIn is transitive)"
    default = data["vis"]["options"]["edges"]["dashes"]  # reported facts take the default look
    dashes = {e["id"]: e.get("dashes", default) for e in data["vis"]["edges"]}
    assert {styles[e["id"]] for e in inferred} == {"inferred"}
    reported = next(e for e in data["edges"] if e["style"] == "reported-fact")
    attributed = next(e for e in data["edges"] if e["style"] == "attributed")
    assert len({json.dumps(dashes[inferred[0]["id"]]), json.dumps(dashes[reported["id"]]),
                json.dumps(dashes[attributed["id"]])}) == 3


def test_same_data_gives_a_byte_identical_file(bundled_page, bundled_project, bundled_dataset, tmp_path):
    again = kg.viz.render_html(bundled_dataset, title=bundled_project.title)
    assert again == bundled_page
    a = kg.viz.write_html(bundled_dataset, tmp_path / "a.html", title=bundled_project.title)
    assert a.read_bytes() == bundled_page.encode("utf-8")


def test_same_data_gives_the_same_file_in_other_processes(tmp_path):
    # Fresh interpreters with different hash seeds: nothing may depend on set or dict order.
    script = (
        "import hashlib, sys, kg, kg.viz\n"
        "p = kg.open_project(sys.argv[1])\n"
        "page = kg.viz.render_html(kg.build(kg.load(p)))\n"
        "print(hashlib.sha256(page.encode()).hexdigest())\n"
    )
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", script, str(MINI)], capture_output=True, text=True,
                                env=env, check=True)
        digests.add(result.stdout.strip())
    project = kg.open_project(MINI)
    page = kg.viz.render_html(kg.build(kg.load(project)))
    digests.add(hashlib.sha256(page.encode()).hexdigest())
    assert len(digests) == 1


def test_rendering_writes_nothing_into_the_working_directory(tmp_path, monkeypatch):
    # pyvis's own write path copies lib/ into the current directory; ours must not.
    monkeypatch.chdir(tmp_path)
    project = kg.open_project(MINI)
    kg.viz.render_html(kg.build(kg.load(project)))
    assert list(tmp_path.iterdir()) == []


def test_xss_probes_are_escaped_in_the_file(xss_page):
    # The data is in the page only as escaped JSON; the title only as escaped text.
    for raw in ("<img src=x", "</script><script>alert", "<script>alert(", "<svg onload", "<b onmouseover",
                "\u2028", "\u2029"):
        assert raw not in xss_page
    assert "<title>XSS probe &lt;img src=x onerror=alert(&#39;title&#39;)&gt;" in xss_page
    data = page_data(xss_page)
    labels = {n["label"] for n in data["nodes"]}
    assert {"<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", "href"} <= labels
    assert any("line\u2028separator\u2029paragraph" in n["description"] for n in data["nodes"])


def test_relative_and_undated_events_keep_their_time(bundled_project, bundled_dataset):
    view = graph_view(bundled_dataset)
    times = event_times(bundled_dataset, view)
    base = bundled_project.base
    assert len(times) == sum(1 for n in view.nodes.values() if n.kind == "event")
    last_week = times[base + "colombia-attacks-last-week"]
    assert last_week["status"] == "relative" and last_week["precision"] == "week"
    assert last_week["shown"] == "last week (relative to the news report)"
    # The downing is also the digests' Amalfi downing (kg:sameAs): of its times, the narrowest is
    # shown, The City Paper Bogotá's "Two separate attacks in Colombia on Thursday".
    thursday = times[base + "medellin-helicopter-downing"]
    assert (thursday["status"], thursday["precision"], thursday["text"]) == ("relative", "day", "on Thursday")
    year = times[base + "colombia-drone-attacks-2024"]
    assert (year["status"], year["start"], year["end"], year["precision"]) == (
        "absolute", "2024-01-01", "2024-12-31", "year")
    assert times[base + "cjng-drone-strikes"]["status"] == "undated"
    later = times[base + "chihuahua-drone-display"]
    assert later["shown"].startswith("later (relative to Cartel ambush")


def test_absolute_times_keep_their_precision(make_dataset):
    data_dir = make_dataset(append={
        "entities.csv": "raid,kg:Event,Springfield raid,,rep,flew a drone,,,F,3,\n"
                        "may,kg:AbsoluteTime,May 2024,,rep,last week,,,F,3,",
        "statements.csv": "raid,kg:eventType,kg:DroneAttack,rep,flew a drone,,,F,3,,\n"
                          "raid,kg:hasTime,may,rep,last week,,,F,3,,\n"
                          "may,kg:yearMonth,2024-05,rep,last week,,,F,3,,\n"
                          "may,time:unitType,time:unitMonth,rep,last week,,,F,3,,",
    })
    project = kg.open_project(data_dir)
    ds = kg.build(kg.load(project))
    view = graph_view(ds)
    times = event_times(ds, view)
    record = times[project.base + "raid"]
    assert record["status"] == "absolute"
    assert (record["start"], record["end"], record["precision"]) == ("2024-05-01", "2024-05-31", "month")


def test_focus_selects_the_neighbourhood(bundled_project, bundled_dataset):
    view = graph_view(bundled_dataset)
    assert find_entity(view, "Jalisco New Generation Cartel").id == "cjng"
    assert find_entity(view, "cjng").id == "cjng"
    one = select(view, focus="CJNG", hops=1)
    cjng = bundled_project.base + "cjng"
    links = path_links(view, PathRule(claimants=True, inferred=True))
    neighbours = ({x.target for x in links if x.source == cjng} | {x.source for x in links if x.target == cjng})
    assert set(one.nodes) == neighbours | {cjng}
    assert len(select(view, focus="CJNG", hops=2).nodes) > len(one.nodes)
    assert select(view, focus="CJNG", hops=0).nodes == [cjng]
    page = kg.viz.render_html(bundled_dataset, focus="CJNG", hops=1)
    data = page_data(page)
    assert data["focus"] == "cjng" and len(data["nodes"]) == len(one.nodes)
    assert "1-hop neighbourhood of <strong>CJNG</strong>" in page


def test_bad_focus_is_a_usage_error(bundled_project, bundled_dataset):
    view = graph_view(bundled_dataset)
    with pytest.raises(UsageError, match="no entity"):
        find_entity(view, "no such group")
    with pytest.raises(UsageError, match="needs --focus"):
        select(view, hops=2)
    with pytest.raises(UsageError, match="hops"):
        select(view, focus="cjng", hops=-1)


def test_a_capped_page_says_so(bundled_project, bundled_dataset):
    page = kg.viz.render_html(bundled_dataset, max_nodes=10)
    data = page_data(page)
    assert len(data["nodes"]) == 10 and data["capped"] and data["totalNodes"] > 10
    assert "only the 10 best connected are drawn" in page
    assert all(e["from"] in {n["id"] for n in data["nodes"]} for e in data["edges"])


def test_notebook_view_is_an_iframe_of_the_same_page(bundled_page):
    cell = kg.viz.Explorer(bundled_page)._repr_html_()
    match = re.fullmatch(r'<iframe srcdoc="([^"]*)" sandbox="allow-scripts" [^>]*></iframe>', cell)
    assert match
    assert html.unescape(match.group(1)) == bundled_page


def test_kg_view_writes_the_page(tmp_path):
    from kg.cli import main

    runner = CliRunner()
    out = tmp_path / "view.html"
    result = runner.invoke(main, ["view", "--data", str(MINI), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    assert len(page_data(out.read_text(encoding="utf-8"))["nodes"]) > 5
    focused = tmp_path / "focus.html"
    result = runner.invoke(main, ["view", "--data", str(MINI), "--out", str(focused),
                                  "--focus", "ECX", "--hops", "1"])
    assert result.exit_code == 0, result.output
    assert page_data(focused.read_text(encoding="utf-8"))["focus"] == "ecx"
    result = runner.invoke(main, ["view", "--data", str(MINI), "--out", str(focused), "--focus", "nobody"])
    assert result.exit_code == 2 and "no entity" in result.output
    result = runner.invoke(main, ["view", "--data", str(MINI), "--out", str(focused), "--hops", "2"])
    assert result.exit_code == 2 and "--focus" in result.output


def test_kg_build_writes_graph_html(tmp_path):
    project = kg.open_project(MINI)
    result = kg.run_build(project, tmp_path)
    page = (tmp_path / "graph.html").read_text(encoding="utf-8")
    assert tmp_path / "graph.html" in result.outputs
    assert page == kg.viz.render_html(result.built, title=project.title or project.name,
                                      sources_path=project.sources_path)
    assert "Governor Jane Roe said the attack was the work of ECX." in page_data(page)["texts"][0]


def test_focus_does_not_walk_through_concepts_times_or_sources(bundled_project, bundled_dataset):
    # kg view --focus CJNG --hops 2 once pulled in every drone event through the kg:Drone concept.
    view = graph_view(bundled_dataset)
    base = bundled_project.base
    two = set(select(view, focus="CJNG", hops=2).nodes)
    drone_events = {e.source for e in view.edges if e.target == str(kg.vocab.KG.Drone)}
    near = {x.target for x in path_links(view) if x.source == base + "cjng"} | \
        {x.source for x in path_links(view) if x.target == base + "cjng"}
    assert drone_events - two, "drone events unrelated to CJNG stay out"
    for iri in two - near - {base + "cjng"}:  # each 2-hop node is reached through a step
        middle = [n for n in near if view.nodes[n].kind not in ("equipment", "tactic", "activity", "time", "source")
                  and any({x.source, x.target} == {n, iri} for x in path_links(view))]
        assert middle, view.nodes[iri].label


def test_places_with_coordinates_are_on_the_map_and_others_listed(make_dataset):
    data_dir = make_dataset(append={"statements.csv": "springfield,kg:latitude,39.8,rep,in Springfield,,,F,3,,\n"
                                                      "springfield,kg:longitude,-89.6,rep,in Springfield,,,F,3,,"})
    project = kg.open_project(data_dir)
    page = kg.viz.render_html(kg.build(kg.load(project)))
    data = page_data(page)
    springfield = next(n for n in data["nodes"] if n["id"] == "springfield")
    assert springfield["coords"] == [39.8, -89.6]
    attack = next(n for n in data["nodes"] if n["id"] == "attack")
    assert attack["at"] == ["springfield"]  # the event is drawn where it took place
    world = re.search(r'<script type="application/json" id="kg-world">(.*?)</script>', page, re.S)
    assert world and len(json.loads(world.group(1))["countries"]) > 200
    assert "Natural Earth" in page
    # Without coordinates the outlines do not travel.
    plain = kg.viz.render_html(kg.build(kg.load(kg.open_project(MINI))))
    assert 'id="kg-world"' not in plain


def test_timeline_orders_relative_events_by_kg_after(make_dataset):
    data_dir = make_dataset(append={
        "entities.csv": "raid,kg:Event,A later raid,,rep,Governor Jane Roe said,,,F,3,",
        "statements.csv": "raid,kg:hasTime,lastweek,rep,last week,,,F,3,,\n"
                          "raid,kg:after,attack,rep,Governor Jane Roe said the attack,,,F,3,,"})
    project = kg.open_project(data_dir)
    data = page_data(kg.viz.render_html(kg.build(kg.load(project))))
    assert data["timeline"].index("attack") < data["timeline"].index("raid")  # not by label


def test_a_place_with_coordinates_is_one_node_with_its_coordinates(make_dataset):
    """The GeoSPARQL geometry kg adds for a place with coordinates is not drawn as a node of its own."""
    from kg.property_graph import graph_view

    data = make_dataset(append={"statements.csv": "springfield,kg:latitude,39.78,cur,,,,,,,\n"
                                                  "springfield,kg:longitude,-89.65,cur,,,,,,,"})
    view = graph_view(kg.build(kg.load(kg.open_project(data))))
    assert not [iri for iri in view.nodes if iri.endswith("/geometry")]
    springfield = view.nodes["https://example.org/mini/springfield"]
    assert springfield.properties["latitude"] == ["39.78"] and springfield.properties["longitude"] == ["-89.65"]
    assert not [e for e in view.edges if e.target.endswith("/geometry")]


# ---- a body of reporting: anchored times, sources' dates, kg:after among dated events ---------

def test_relative_times_are_anchored_or_say_why_not(body_built):
    view = graph_view(body_built)
    times = event_times(body_built, view)
    base = "https://example.org/body/"
    # "el jueves por la tarde" of Meganoticias's 2025-08-21 report: that Thursday, counted from it.
    confirmed = times[base + "petro-confirms-12"]
    assert (confirmed["status"], confirmed["start"], confirmed["end"], confirmed["precision"]) == (
        "anchored", "2025-08-21", "2025-08-21", "day")
    assert confirmed["shown"] == "el jueves por la tarde, counted from Meganoticias, 2025-08-21"
    # "on Thursday" of a report known only to the month, "Last week" of one known to the year:
    # relative, with no date, and why.
    thursday, week = times[base + "amalfi-downing"], times[base + "sinaloa-footage"]
    assert (thursday["status"], thursday["start"], thursday["end"]) == ("relative", "", "")
    assert thursday["note"] == "The City Paper Bogotá is dated only to 2025-08: too coarse to place a day"
    assert (week["status"], week["start"], week["anchorDate"]) == ("relative", "", "2025")
    assert times[base + "aguila-training"]["status"] == "undated"


def test_timeline_uses_kg_after_where_the_dates_do_not_decide(make_body):
    quote = "meganoticias,el jueves por la tarde"
    project = make_body(append={
        "entities.csv": f"aa-second,kg:Event,Aa second,,{quote},,reported-fact,F,3,\n"
                        f"zz-first,kg:Event,Zz first,,{quote},,reported-fact,F,3,",
        "statements.csv": f"aa-second,kg:hasTime,megan-thursday,{quote},,,,,,F,3,,,\n"
                          f"zz-first,kg:hasTime,megan-thursday,{quote},,,,,,F,3,,,\n"
                          f"aa-second,kg:after,zz-first,{quote},,,,,,F,3,,,\n"
                          # A chain of kg:after on one day: Petro confirms after both.
                          f"petro-confirms-12,kg:after,aa-second,{quote},,,,,,F,3,,,",
    })
    data = kg.viz.data.explorer_data(kg.build(kg.load(project)))
    placed = [i for i in data["timeline"] if i in ("aa-second", "zz-first", "petro-confirms-12")]
    assert placed == ["zz-first", "aa-second", "petro-confirms-12"]  # not by label: kg:after
    # The sources' dates travel with the page: each report's publication, earliest first.
    assert [(p["id"], p["date"], p["outlet"]) for p in data["publications"]][:2] == [
        ("telegraph-article", "2025", "The Telegraph"), ("defensenews-article", "2025-07", "Defense News")]
    digest = next(s for s in data["sources"] if s["iri"].endswith("/citypaper"))
    assert (digest["outlet"], digest["published"], digest["kind"]) == ("The City Paper Bogotá", "2025-08", "digest")
