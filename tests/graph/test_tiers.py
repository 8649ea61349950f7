"""Tier of every site (SPEC §3, §8), one fixture per tier, with near-misses."""

from __future__ import annotations

from tests.graph.conftest import line_of


def _sites(report) -> dict:
    return {s["id"]: s for s in report.sites}


def test_one_site_per_tier(run):
    sites = _sites(run("tiers.yaml"))
    assert {k: v["tier"] for k, v in sites.items()} == {
        "two-pops": "highest",
        "same-pop": "dual-protected",  # near miss: a second line on the same POP
        "one-line": "single-protected",
        "no-line": "none",
    }


def test_site_entries_carry_availability_target_lines_pops(run):
    sites = _sites(run("sla.yaml"))
    assert list(sites["best"]) == ["id", "tier", "availability", "target", "lines", "pops"]
    assert sites["best"] == {
        "id": "best",
        "tier": "highest",
        "availability": 99.99,
        "target": 99.99,
        "lines": 2,
        "pops": ["HKG1", "HKG2"],
    }
    assert sites["inherits"]["target"] == 99.95  # the top-level default


def test_site_without_lines_is_tier_none_with_only_ccv501(run):
    report = run("tiers.yaml")
    assert _sites(report)["no-line"]["availability"] is None
    about = [f for f in report.findings if "no-line" in f.objects]
    assert [f.rule for f in about] == ["CCV501"]
    assert about[0].path == "/sites/3/lines"
    assert about[0].location.line == line_of("tiers.yaml", "lines: []")


def test_chain_makes_everything_single_unprotected(run):
    sites = _sites(run("chain.yaml"))
    assert sites["dc-hk"]["tier"] == "single-unprotected"
    assert sites["gcp-fra"]["tier"] == "single-unprotected"


def test_ring_near_miss_restores_protection(run):
    sites = _sites(run("ring.yaml"))
    assert sites["dc-hk"]["tier"] == "highest"
    assert sites["gcp-fra"]["tier"] == "single-protected"


def test_parallel_links_are_not_bridges(run):
    # sla.yaml joins HKG1 and HKG2 by two links with distinct ids
    report = run("sla.yaml")
    assert _sites(report)["best"]["tier"] == "highest"
    assert not [f for f in report.findings if f.rule == "CCV504"]


def test_single_parallel_link_is_a_bridge():
    from tests.graph.plans import plan
    from validator import validate

    data = plan(["A", "B"], [("ab", "A", "B")], {"x": ["A", "A"], "y": ["B", "B"]})
    report = validate(data)
    assert {s["id"]: s["tier"] for s in report.sites} == {
        "x": "single-unprotected",
        "y": "single-unprotected",
    }
    data["backbone"].append({"id": "ab-2", "a": "A", "b": "B"})
    report = validate(data)
    assert {s["id"]: s["tier"] for s in report.sites} == {
        "x": "dual-protected",
        "y": "dual-protected",
    }


def test_peer_sharing_a_pop_never_costs_protection():
    from tests.graph.plans import plan
    from validator import validate

    # no backbone at all: both sites on A (shared), x also on B
    data = plan(["A", "B"], [], {"x": ["A", "B"], "y": ["A"]})
    report = validate(data)
    assert {s["id"]: s["tier"] for s in report.sites} == {
        "x": "highest",
        "y": "single-protected",
    }


def test_pop_diversity_counts_own_pop_failure_but_not_the_peers():
    from tests.graph.plans import plan
    from validator import validate

    # Square A-C-D-A plus a spur C-B. x has lines on A and D, y on B and C.
    links = [("ac", "A", "C"), ("bc", "B", "C"), ("cd", "C", "D"), ("ad", "A", "D")]
    sites = {"x": ["A", "D"], "y": ["B", "C"]}
    report = validate(plan(["A", "B", "C", "D"], links, sites))
    tiers = {s["id"]: s["tier"] for s in report.sites}
    # x: losing C is the peer's own POP (excluded); losing A or D leaves the other.
    assert tiers["x"] == "highest"
    # y: no link separates it (it sits on both ends of bridge bc), but losing its own
    # POP C strands B: not POP-diverse.
    assert tiers["y"] == "dual-protected"
