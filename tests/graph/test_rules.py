"""One fixture per rule (CCV501–509, 601–603, 605, 701–703), each with a near miss."""

from __future__ import annotations

from tests.graph.conftest import line_of
from tests.graph.plans import plan
from validator import validate


def only(report, rule: str) -> list:
    return [f for f in report.findings if f.rule == rule]


# --- paths ---------------------------------------------------------------------------


def test_ccv501_site_without_lines(run):
    (finding,) = only(run("paths.yaml"), "CCV501")
    assert finding.objects == ("idle",)
    assert finding.path == "/sites/6/lines"
    assert finding.location.line == line_of("paths.yaml", "id: idle")
    assert "idle" in finding.message


def test_ccv502_flow_without_path(run):
    (finding,) = only(run("paths.yaml"), "CCV502")
    assert finding.objects == ("hk", "hk->lon", "lon")
    assert finding.path == "/flows/3"
    assert finding.location.line == line_of("paths.yaml", "{from: hk, to: lon}")
    assert "LON1" in finding.message and "HKG1" in finding.message


def test_ccv502_groups_without_declared_flows():
    data = plan(["A", "B", "C"], [("ab", "A", "B")], {"x": ["A"], "y": ["B"], "z": ["C"]})
    (finding,) = only(validate(data), "CCV502")
    assert finding.objects == ("x", "y", "z")
    assert "[x, y] | [z]" in finding.message
    data["backbone"].append({"id": "bc", "a": "B", "b": "C"})
    assert not only(validate(data), "CCV502")  # near miss


def test_ccv503_latency_over_budget_and_near_miss(run):
    report = run("paths.yaml")
    (finding,) = only(report, "CCV503")
    assert finding.objects == ("hk->sg",)
    assert finding.path == "/flows/0/max_latency_ms"
    assert finding.location.line == line_of("paths.yaml", "max_latency_ms: 30")
    assert "32 ms" in finding.message and "30 ms" in finding.message
    # sg->hk has a budget of exactly 32 ms: met, so no finding names it.


def test_ccv504_chain_link_and_ring_near_miss(run):
    findings = only(run("chain.yaml"), "CCV504")
    assert [f.objects for f in findings] == [
        ("dc-hk", "gcp-fra", "hkg2-sin1"),
        ("dc-hk", "gcp-fra", "sin1-fra1"),
    ]
    assert findings[0].path == "/backbone/1"
    assert findings[0].location.line == line_of("chain.yaml", "id: hkg2-sin1")
    assert "dc-hk->gcp-fra" in findings[0].message
    # hkg1-hkg2 is a bridge too, but dc-hk sits on both its ends: it cuts nothing.
    assert not only(run("ring.yaml"), "CCV504")


def test_ccv504_groups_without_declared_flows():
    links = [("ab", "A", "B"), ("bc", "B", "C"), ("ca", "C", "A"), ("cd", "C", "D")]
    sites = {"w": ["A"], "x": ["B"], "y": ["D"]}
    report = validate(plan(["A", "B", "C", "D"], links, sites))
    (finding,) = only(report, "CCV504")
    assert finding.objects == ("cd", "w", "x", "y")
    assert "[w, x] | [y]" in finding.message
    (pop,) = only(report, "CCV505")
    assert pop.objects == ("C", "w", "x", "y")


def test_ccv505_transit_pop_only(run):
    (finding,) = only(run("chain.yaml"), "CCV505")
    assert finding.objects == ("SIN1", "dc-hk", "gcp-fra")
    assert finding.path == "/pops/2"
    assert finding.location.line == line_of("chain.yaml", "id: SIN1")
    # HKG2 is a cut POP as well, but dc-hk has a line on it: not transit.
    assert not only(run("ring.yaml"), "CCV505")


def test_ccv506_unused_pop_and_link(run):
    findings = only(run("paths.yaml"), "CCV506")
    assert [(f.objects, f.path) for f in findings] == [
        (("TYO1",), "/pops/3"),
        (("hkg1-tyo1",), "/backbone/2"),
    ]
    assert findings[0].location.line == line_of("paths.yaml", "{id: TYO1}")
    # near miss: in a ring every POP carries failover paths
    assert not only(run("ring.yaml"), "CCV506")


def test_ccv506_failover_path_counts():
    # D carries no line but lies on the ring A-B-D: it is used.
    links = [("ab", "A", "B"), ("bd", "B", "D"), ("da", "D", "A"), ("ae", "A", "E")]
    report = validate(plan(["A", "B", "D", "E"], links, {"x": ["A"], "y": ["B"]}))
    assert [f.objects for f in only(report, "CCV506")] == [("E",), ("ae",)]


def test_ccv507_isolated_site(run):
    findings = only(run("paths.yaml"), "CCV507")
    assert [f.objects for f in findings] == [("lab1",), ("dev1",)]
    assert findings[0].path == "/sites/4"
    assert findings[0].location.line == line_of("paths.yaml", "id: lab1")
    # classified from its lines alone
    sites = {s["id"]: s["tier"] for s in run("paths.yaml").sites}
    assert sites["lab1"] == "single-protected"


def test_ccv507_without_flows_segment_mate_is_a_peer():
    data = plan(
        ["A"],
        [],
        {"x": ["A"], "y": ["A"], "z": ["A"]},
        segments={"one": ["x", "y"], "alone": ["z"]},
    )
    assert [f.objects for f in only(validate(data), "CCV507")] == [("z",)]


def test_ccv508_unknown_latency(run):
    (finding,) = only(run("paths.yaml"), "CCV508")
    assert finding.objects == ("hk->fr", "sin1-fra1")
    assert finding.path == "/flows/2/max_latency_ms"
    assert finding.location.line == line_of("paths.yaml", "max_latency_ms: 100")


def test_ccv509_flow_across_segments(run):
    report = run("paths.yaml")
    (finding,) = only(report, "CCV509")
    assert finding.objects == ("dev1", "hk", "hk->dev1")
    assert finding.path == "/flows/4"
    assert finding.location.line == line_of("paths.yaml", "{from: hk, to: dev1}")
    # no further analysis: no path in the report, no CCV502 for it
    flows = {(f["from"], f["to"]): f for f in report.flows}
    assert flows[("hk", "dev1")]["path"] is None
    assert all("hk->dev1" not in f.objects for f in only(report, "CCV502"))


# --- flows in the report -----------------------------------------------------------


def test_flow_summaries(run):
    flows = {(f["from"], f["to"]): f for f in run("paths.yaml").flows}
    assert flows[("hk", "sg")] == {
        "from": "hk",
        "to": "sg",
        "path": ["hk", "HKG1", "SIN1", "sg"],
        "latency_ms": 32.0,
    }
    assert flows[("hk", "fr")]["path"] == ["hk", "HKG1", "SIN1", "FRA1", "fr"]
    assert flows[("hk", "fr")]["latency_ms"] is None  # sin1-fra1 has no latency
    assert flows[("hk", "lon")]["path"] is None
    cap = {(f["from"], f["to"]): f for f in run("capacity.yaml").flows}
    assert cap[("hk-ok", "hk-pair")]["latency_ms"] == 0  # both on HKG1
    assert cap[("hk-ok", "hk-pair")]["path"] == ["hk-ok", "HKG1", "hk-pair"]
    assert cap[("hk-ok", "sg")]["bandwidth_mbps"] == 800


def test_best_path_prefers_latency_then_hops_then_pop_ids():
    links = [
        ("ab", "A", "B", 5.0),
        ("bd", "B", "D", 5.0),
        ("ac", "A", "C", 5.0),
        ("cd", "C", "D", 5.0),
        ("ad-slow", "A", "D", 11.0),
    ]
    data = plan(["A", "B", "C", "D"], links, {"x": ["A"], "y": ["D"]}, flows=[("x", "y")])
    (flow,) = validate(data).flows
    assert flow["path"] == ["x", "A", "B", "D", "y"]  # 10 ms; B < C
    data["backbone"][4]["latency_ms"] = 10.0  # as fast, fewer links
    (flow,) = validate(data).flows
    assert flow["path"] == ["x", "A", "D", "y"]


def test_parallel_links_of_equal_latency_load_the_smaller_id():
    links = [("ab-2", "A", "B", 5.0), ("ab-1", "A", "B", 5.0)]
    data = plan(["A", "B"], links, {"x": ["A"], "y": ["B"]})
    data["backbone"][0]["capacity_mbps"] = 10
    data["backbone"][1]["capacity_mbps"] = 10
    data["flows"] = [{"from": "x", "to": "y", "bandwidth_mbps": 50}]
    (finding,) = only(validate(data), "CCV603")
    assert finding.objects == ("ab-1", "x->y")


# --- capacity ----------------------------------------------------------------------


def test_ccv601_site_over_line_capacity(run):
    (finding,) = only(run("capacity.yaml"), "CCV601")
    assert finding.objects == ("hk-big",)
    assert finding.path == "/sites/0/bandwidth_mbps"
    assert finding.location.line == line_of("capacity.yaml", "bandwidth_mbps: 2000")
    assert "raise line hk-big-1 to 2000 Mbps" in finding.hint  # one line of 2000 carries it


def test_ccv602_failover_and_near_miss(run):
    (finding,) = only(run("capacity.yaml"), "CCV602")
    assert finding.objects == ("hk-pair",)  # hk-ok (1000 + 1000) is the near miss
    assert finding.path == "/sites/1/bandwidth_mbps"
    assert "hk-pair-1" in finding.message and "500 Mbps" in finding.message


def test_ccv603_per_direction(run):
    (finding,) = only(run("capacity.yaml"), "CCV603")
    # HKG1 -> SIN1 carries 800 + 400; SIN1 -> HKG1 carries 900 (under 1000): quiet
    assert finding.objects == ("hk-ok->sg", "hk-pair->sg", "hkg1-sin1")
    assert finding.path == "/backbone/0/capacity_mbps"
    assert finding.location.line == line_of("capacity.yaml", "id: hkg1-sin1")
    assert "1200 Mbps from HKG1 to SIN1" in finding.message


def test_ccv605_sent_and_received_separately(run):
    (finding,) = only(run("capacity.yaml"), "CCV605")
    # hk-ok sends 800 + 300 (over 1000) and receives 900 (fits): one finding
    assert finding.objects == ("hk-ok",)
    assert "sends 1100 Mbps" in finding.message
    assert finding.path == "/sites/2/bandwidth_mbps"


# --- SLA ---------------------------------------------------------------------------


def test_ccv701_at_the_inherited_default_with_verified_hint(run):
    (finding,) = only(run("sla.yaml"), "CCV701")
    assert finding.objects == ("inherits",)
    assert finding.path == "/sla_target"
    assert finding.location.line == line_of("sla.yaml", "sla_target: 99.95")
    assert "single-protected" in finding.message and "99.9 %" in finding.message
    assert "second line to site inherits on POP HKG1" in finding.hint
    assert "dual-protected" in finding.hint


def test_ccv701_hint_names_the_backbone_change(run):
    (finding,) = only(run("chain.yaml"), "CCV701")
    assert finding.objects == ("dc-hk",)
    assert finding.path == "/sites/0/sla_target"
    # one link HKG1-FRA1 closes the chain into a ring: verified to reach the target
    assert "HKG1–FRA1" in finding.hint
    assert "reaches highest" in finding.hint


def test_ccv701_quiet_without_targets_and_when_met(run):
    assert not only(run("tiers.yaml"), "CCV701")  # no sla_target anywhere
    report = run("sla.yaml")
    named = {o for f in only(report, "CCV701") for o in f.objects}
    assert "exact" not in named  # 99.9 on single-protected: met
    assert "best" not in named  # highest meets 99.99


def test_ccv702_once_where_written(run):
    (finding,) = only(run("sla.yaml"), "CCV702")
    assert finding.objects == ("odd",)
    assert finding.path == "/sites/2/sla_target"
    assert finding.location.line == line_of("sla.yaml", "sla_target: 99.7")
    assert "99.9" in finding.hint
    (default,) = only(run("sla-default-odd.yaml"), "CCV702")
    assert default.path == "/sla_target"
    assert default.location.line == line_of("sla-default-odd.yaml", "sla_target: 99.8")


def test_ccv703_dual_lines_without_backbone(run):
    (finding,) = only(run("chain.yaml"), "CCV703")
    assert finding.objects == ("dc-hk",)
    assert finding.path == "/sites/0/lines"
    assert "hkg2-sin1" in finding.message
    assert not only(run("ring.yaml"), "CCV703")


def test_report_notes_special_scenario():
    from tests.graph.conftest import FIXTURES
    from validator import validate

    (note,) = validate(str(FIXTURES / "sla.yaml")).notes
    assert "special-scenario" in note and "best" in note
    assert validate(str(FIXTURES / "chain.yaml")).notes == []


def test_long_groups_are_abbreviated_in_messages_and_objects():
    links = [("ab", "A", "B"), ("bc", "B", "C"), ("ca", "C", "A"), ("cd", "C", "D")]
    sites = {f"s{i:02d}": ["A"] for i in range(12)} | {"far": ["D"]}
    (finding,) = only(validate(plan(["A", "B", "C", "D"], links, sites)), "CCV504")
    assert "[far] | [s00, s01, s02, s03, s04, s05, s06, s07, … 12 sites]" in finding.message
    # the link, then the first eight of the 13 cut-off sites by id
    assert list(finding.objects) == ["cd", "far", *(f"s{i:02d}" for i in range(7))]


def test_many_cut_flows_are_counted_not_all_named():
    links = [("ab", "A", "B"), ("bc", "B", "C")]
    sites = {f"s{i:02d}": ["A"] for i in range(12)} | {"far": ["C"]}
    flows = [(f"s{i:02d}", "far") for i in range(12)]
    found = only(validate(plan(["A", "B", "C"], links, sites, flows=flows)), "CCV504")
    assert [f.objects[0] for f in found] == ["ab", "bc"]
    names = ", ".join(f"s{i:02d}->far" for i in range(8))
    assert found[0].message == f"a failure of backbone link ab cuts 12 flows: {names} and 4 more"
    assert list(found[0].objects) == ["ab", "far", *(f"s{i:02d}" for i in range(7))]
    (pop,) = only(validate(plan(["A", "B", "C"], links, sites, flows=flows[:3])), "CCV505")
    assert pop.message == "a failure of POP B cuts flows s00->far, s01->far, s02->far"


def test_report_fits_the_report_schema(run):
    import json
    from pathlib import Path

    import jsonschema

    schema_path = Path(__file__).parents[2] / "validator" / "schemas" / "report.schema.json"
    schema = json.loads(schema_path.read_text())
    for name in ("paths.yaml", "capacity.yaml", "sla.yaml", "tiers.yaml"):
        jsonschema.validate(run(name).to_dict(), schema)


def test_ccv701_hint_really_reaches_the_target(run):
    import yaml

    from tests.graph.conftest import FIXTURES

    data = yaml.safe_load((FIXTURES / "chain.yaml").read_text())
    (finding,) = only(run("chain.yaml"), "CCV701")
    assert "add a backbone link HKG1–FRA1" in finding.hint
    data["backbone"].append({"id": "hkg1-fra1", "a": "HKG1", "b": "FRA1"})
    report = validate(data)
    assert not only(report, "CCV701")
    assert {s["id"]: s["tier"] for s in report.sites}["dc-hk"] == "highest"


def test_ccv701_highest_needs_a_line_on_another_pop():
    links = [("ab", "A", "B"), ("bc", "B", "C"), ("ca", "C", "A")]
    data = plan(["A", "B", "C"], links, {"x": ["A", "A"], "y": ["C"]})
    data["sites"][0]["sla_target"] = 99.99
    (finding,) = only(validate(data), "CCV701")
    assert "dual-protected" in finding.message
    assert "second line to site x on POP B (100 Mbps, VLAN 2), another POP than A" in finding.hint
    assert "reaches highest" in finding.hint


def test_ccv701_target_above_every_tier():
    data = plan(["A"], [], {"x": ["A", "A"]})
    data["sites"][0]["sla_target"] = 99.999
    (finding,) = only(validate(data), "CCV701")
    assert "no tier commits 99.999" in finding.hint and "99.99" in finding.hint


def test_ccv701_closes_an_open_ring_for_every_site(run):
    # twelve POPs in a line: one link NYC1–HKG1 lifts every site; those with one line
    # also get a second line; every hint is verified ("then reaches")
    findings = only(run("open-ring.yaml"), "CCV701")
    assert {f.objects[0] for f in findings} == {"dc-hkg", "dc-sin", "dc-tyo", "dc-fra", "dc-nyc"}
    for finding in findings:
        assert "HKG1–NYC1" in finding.hint or "NYC1–HKG1" in finding.hint, finding.hint
        assert "then reaches" in finding.hint
    hints = {f.objects[0]: f.hint for f in findings}
    assert "second line to site dc-sin on POP SIN2" in hints["dc-sin"]
    assert "another POP than TYO1" in hints["dc-tyo"] and "reaches highest" in hints["dc-tyo"]


def test_ccv701_advice_on_a_long_chain_is_shared_not_spent_site_by_site():
    # 300 POPs in a line and 60 one-line sites along it: each site fails on up to 299
    # links; the ring link P000–P299 is analysed once for all of them, so every site
    # gets a verified hint instead of the generic one once a budget is spent
    pops = [f"P{i:03d}" for i in range(300)]
    links = [(f"k{i:03d}", pops[i], pops[i + 1]) for i in range(299)]
    sites = {f"s{i:02d}": [pops[i * 5 + (4 if i == 59 else 0)]] for i in range(60)}
    findings = only(validate(plan(pops, links, sites, sla_target=99.95)), "CCV701")
    assert len(findings) == 60
    for finding in findings:
        assert "P000–P299" in finding.hint or "P299–P000" in finding.hint, finding.hint
        assert "reaches dual-protected" in finding.hint


def test_ccv701_one_ring_covers_every_flow_of_a_hub():
    # a hub on P4 with flows to five sites along a 10-POP line: one link between the
    # outermost POPs (P0, P9) covers all five paths; per-flow links would need five
    pops = [f"P{i}" for i in range(10)]
    links = [(f"k{i}", pops[i], pops[i + 1]) for i in range(9)]
    spokes = {"a": ["P0"], "b": ["P2"], "c": ["P6"], "d": ["P7"], "e": ["P9"]}
    data = plan(pops, links, {"hub": ["P4", "P4"], **spokes}, flows=[("hub", s) for s in spokes])
    data["sites"][0]["sla_target"] = 99.95
    (finding,) = only(validate(data), "CCV701")
    assert "add a backbone link P0–P9 (from POP P0 of a to POP P9 of e)" in finding.hint
    assert "reaches dual-protected" in finding.hint
