"""A summary is a covering route: CCV205/CCV206/CCV209 judge what it is, not the special
blocks it contains (SPEC §12). A hub's default route (0.0.0.0/0, ::/0) is normal."""

from __future__ import annotations

from pathlib import Path

import pytest

from validator import validate

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def findings():
    return validate(str(FIXTURES / "default-routes.yaml")).findings


def _at(findings, rule: str, site: str) -> list[str]:
    return [f.path for f in findings if f.rule == rule and site in f.objects]


def test_a_default_route_summary_is_no_special_purpose_or_public_space(findings):
    for rule in ("CCV205", "CCV206", "CCV209", "CCV201", "CCV203", "CCV208", "CCV207"):
        assert _at(findings, rule, "hub") == [], rule


def test_a_default_route_covers_each_site_it_meets_once(findings):
    covered = [f.objects for f in findings if f.rule == "CCV210"]
    # one per summary and covered site: the IPv4 default covers each spoke's range, the
    # IPv6 default covers nothing (no spoke has IPv6 ranges), the lab never meets the hub
    assert sorted(covered) == [
        ("aws-spoke", "hub"),
        ("azure-spoke", "hub"),
        ("gcp-spoke", "hub"),
    ]
    assert {f.path for f in findings if f.rule == "CCV210"} == {"/sites/0/summaries/0"}


def test_a_summary_inside_a_special_block_is_still_a_finding(findings):
    assert _at(findings, "CCV205", "lab") == ["/sites/4/summaries/0", "/sites/4/summaries/3"]
    assert _at(findings, "CCV209", "lab") == ["/sites/4/summaries/1"]


def test_a_summary_containing_public_space_is_ccv206_not_ccv205(findings):
    (public,) = [f for f in findings if f.rule == "CCV206" and "lab" in f.objects]
    assert public.path == "/sites/4/summaries/2"
    assert "0.0.0.0/1 of site lab covers public address space" in public.message
    assert "remove the summary 0.0.0.0/1" in public.hint
    assert "such as" not in public.hint  # moving a covering route covers nothing


def test_summary_hints_for_special_space_say_what_to_write(findings):
    (loopback,) = [f for f in findings if f.path == "/sites/4/summaries/0"]
    assert "lies in special-purpose space 127.0.0.0/8" in loopback.message
    assert "remove the summary 127.0.0.0/16" in loopback.hint


def test_ranges_are_judged_as_before(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "version: 1\nname: x\nexchange: {asn: 64600}\n"
        "sites:\n  - {id: a, cloud: onprem, asn: 65001, cidrs: [0.0.0.0/1, 172.16.0.0/16]}\n"
    )
    rules = sorted(f.rule for f in validate(str(plan)).findings if f.rule.startswith("CCV20"))
    assert rules == ["CCV205"]  # a range covering 0/8 is unusable


def _self_overlaps(tmp_path, cidrs: str, summaries: str) -> list[tuple[str, str]]:
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "version: 1\nname: x\nexchange: {asn: 64600}\n"
        f"sites:\n  - {{id: hub, cloud: onprem, asn: 65001, cidrs: {cidrs}, "
        f"summaries: {summaries}}}\n"
    )
    return [(f.path, f.message) for f in validate(str(plan)).findings if f.rule == "CCV203"]


@pytest.mark.parametrize(
    ("cidrs", "summaries"),
    [
        ("[10.10.0.0/16]", "[10.10.0.0/16]"),  # the site's own range, once more
        ("[10.10.0.0/16, 10.20.0.0/16]", "[10.20.0.0/16, 10.0.0.0/8]"),
        ('["fd00:1::/48"]', '["fd00:1::/48", "fd00::/8", "::/0"]'),
        ("[10.10.0.0/16]", "[0.0.0.0/0, 10.10.0.0/16]"),
    ],
)
def test_a_summary_equal_to_or_covering_an_own_range_is_no_self_overlap(tmp_path, cidrs, summaries):
    assert _self_overlaps(tmp_path, cidrs, summaries) == []


def test_repeated_summaries_and_a_summary_inside_an_own_range_still_are(tmp_path):
    found = _self_overlaps(tmp_path, "[10.10.0.0/16]", "[10.0.0.0/8, 10.0.0.0/8, 10.10.5.0/24]")
    assert found == [
        ("/sites/0/summaries/1", "site hub lists 10.0.0.0/8 twice (also as 10.0.0.0/8)"),
        (
            "/sites/0/summaries/2",
            "10.10.5.0/24 of site hub overlaps its own range 10.10.0.0/16",
        ),
    ]


def test_a_summary_made_only_of_special_blocks_is_special_space(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "version: 1\nname: x\nexchange: {asn: 64600}\nsites:\n"
        "  - {id: a, cloud: onprem, asn: 65001, cidrs: [10.1.0.0/16],"
        " summaries: [224.0.0.0/3, 192.0.0.0/3]}\n"
    )
    found = {f.path: f.rule for f in validate(str(plan)).findings if f.rule in ("CCV205", "CCV206")}
    # 224/3 is 224/4 (multicast) and 240/4 (reserved) only: no public space in it;
    # 192/3 holds 192.168/16 and public space beside it
    assert found == {"/sites/0/summaries/0": "CCV205", "/sites/0/summaries/1": "CCV206"}
