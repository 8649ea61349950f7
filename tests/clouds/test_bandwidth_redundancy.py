"""CCV604 (orderable bandwidths) and CCV704 (cloud redundancy): graph-stage rules."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"

BANDWIDTH = FIXTURES / "bandwidth.yaml"
REDUNDANCY = FIXTURES / "redundancy.yaml"


@pytest.fixture(scope="module")
def bandwidth_hits(findings):
    return findings(BANDWIDTH, "CCV604")


@pytest.fixture(scope="module")
def redundancy_hits(findings):
    return findings(REDUNDANCY, "CCV704")


@pytest.mark.parametrize(
    ("line", "path", "hint"),
    [
        (
            "aws-750",
            "/sites/0/lines/0/bandwidth_mbps",
            "order 500 Mbit/s below or 1000 Mbit/s above",
        ),
        # a hosted (partner) connection: 25 Gbps at most
        ("aws-200g", "/sites/0/lines/3/bandwidth_mbps", "order 25000 Mbit/s below"),
        (
            "azure-300",
            "/sites/1/lines/0/bandwidth_mbps",
            "order 200 Mbit/s below or 500 Mbit/s above",
        ),
        ("azure-tiny", "/sites/1/lines/2/bandwidth_mbps", "order 50 Mbit/s above"),
    ],
)
def test_bandwidth_the_cloud_does_not_sell_warns(bandwidth_hits, line, path, hint, line_of):
    (finding,) = bandwidth_hits[(line,)]
    assert finding.severity == "warning"
    assert line in finding.message
    assert finding.hint == hint
    assert finding.path == path
    assert finding.location.line == line_of(BANDWIDTH, f"{{id: {line},")


@pytest.mark.parametrize(
    "line", ["aws-500", "aws-25g", "azure-200", "gcp-300", "gcp-20g", "ali-750", "dc-750"]
)
def test_orderable_or_unknown_bandwidths_pass(bandwidth_hits, line):
    assert (line,) not in bandwidth_hits


@pytest.mark.parametrize(
    ("site", "index", "words", "hint"),
    [
        ("azure-one", 0, "requires more", "at least 2 lines (primary and secondary links)"),
        ("aws-one-pop", 2, "High Resiliency", "at least 2 different POPs"),
        ("aws-max-short", 4, "Maximum Resiliency", "2 lines on each of 2 POPs"),
        ("aws-dev", 6, "Development and Test", "at least 2 lines"),
        ("gcp-one", 7, "one per availability domain", "at least 2 lines"),
        ("huawei-one-pop", 9, "different locations", "at least 2 different POPs"),
        ("ali-prod", 11, "99.95", "at least 2 lines and lines on at least 2 different POPs"),
    ],
)
def test_missing_cloud_redundancy_warns(redundancy_hits, site, index, words, hint, line_of):
    (finding,) = redundancy_hits[(site,)]
    assert finding.severity == "warning"
    assert words in finding.message and site in finding.message
    assert hint in finding.hint
    assert finding.path == f"/sites/{index}/lines"
    site_line = line_of(REDUNDANCY, f"id: {site}")
    assert finding.location.line == line_of(REDUNDANCY, "lines:", occurrence=1 + index)
    assert finding.location.line > site_line


@pytest.mark.parametrize(
    "site",
    [
        "azure-two",
        "aws-two-pops",
        "aws-max",
        "gcp-pair",
        "ali-dev",
        "tencent-one",
        "dc-one",
        "gcp-no-lines",
    ],
)
def test_enough_redundancy_passes(redundancy_hits, site):
    assert (site,) not in redundancy_hits
