"""CCV404 (cloud ASNs) and CCV306 (cloud peering rules) on small fixture plans."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"

ASNS = FIXTURES / "asns.yaml"
PEERING = FIXTURES / "peering.yaml"


@pytest.fixture(scope="module")
def asn_hits(findings):
    return findings(ASNS, "CCV404")


@pytest.fixture(scope="module")
def peering_hits(findings):
    return findings(PEERING, "CCV306")


@pytest.mark.parametrize(
    ("site", "index", "words", "hint"),
    [
        ("azure-reserved", 4, "is 12076", "set asn to 12076"),
        ("azure-private", 5, "is 12076", "set asn to 12076"),
        ("gcp-public", 9, "of a partner interconnect is 16550", "set asn to 16550"),
        ("alibaba-wrong", 11, "reserves it: reserved by Alibaba Cloud (65025)", "45104"),
        ("oracle-wrong", 14, "is 31898", "set asn to 31898"),
        ("gcp-partner-private", 18, "of a partner interconnect is 16550", "set asn to 16550"),
        (
            "gcp-dedicated-16550",
            19,
            "of a dedicated interconnect is 64512–65534 or 4200000000–4294967294",
            "set asn to a private ASN in 64512–65534 or 4200000000–4294967294",
        ),
    ],
)
def test_asn_the_cloud_does_not_use_is_an_error(asn_hits, site, index, words, hint, line_of):
    (finding,) = asn_hits[(site,)]
    assert finding.severity == "error"
    assert words in finding.message
    assert hint in finding.hint
    assert finding.path == f"/sites/{index}/asn"
    assert finding.location.line == line_of(ASNS, f"{{id: {site},")


@pytest.mark.parametrize(
    "site",
    [
        "aws-default",
        "aws-long",
        "azure-microsoft",
        "gcp-partner",
        "gcp-private",
        "alibaba-ok",
        "alibaba-custom",  # Alibaba lets the customer choose the VBR's ASN
        "tencent-ok",
        "oracle-ok",
        "huawei-beijing",
        "huawei-custom",  # Huawei: 64512 by default, any private ASN by choice
        "onprem-public",
    ],
)
def test_asns_the_cloud_uses_pass(asn_hits, site):
    assert (site,) not in asn_hits


def test_documentation_asn_is_left_to_ccv402(asn_hits):
    assert ("aws-documentation",) not in asn_hits
    assert len(asn_hits) == 7


def test_public_asn_where_the_cloud_requires_a_private_one_is_ccv405_only(findings):
    assert ("aws-public",) not in findings(ASNS, "CCV404")
    (finding,) = findings(ASNS, "CCV405")[("aws-public",)]
    assert "public ASN 7224" in finding.message


@pytest.mark.parametrize(
    ("line", "field", "words", "hint"),
    [
        (
            "azure-swapped",
            "site_ip",
            "must use 192.168.100.133 (address 1",
            "site 192.168.100.134/30, exchange 192.168.100.133/30",
        ),
        ("azure-slash29", "site_ip", "is a /29, not /30", "use a /30"),
        ("azure-v6-127", "site_ipv6", "is a /127, not /126", "site fd00:2::2/126"),
        (
            "gcp-private",
            "site_ip",
            "10.255.0.0/30 is not inside 169.254.0.0/16",
            "site 169.254.0.1/30, exchange 169.254.0.2/30",
        ),
        ("gcp-slash31", "site_ip", "is a /31, not /29 or /30", "use a /30"),
        ("oci-slash27", "site_ip", "is a /27, not /28 to /31", "use a /28"),
        ("aws-dual-stack", "site_ipv6", "Amazon allocates a /125", "remove site_ipv6"),
    ],
)
def test_peering_breaking_cloud_rule_is_reported(peering_hits, line, field, words, hint, line_of):
    (finding,) = peering_hits[(line,)]
    assert finding.severity == "error"
    assert words in finding.message and line in finding.message
    assert hint in finding.hint
    assert finding.path.endswith(f"/peering/{field}")
    block_start = line_of(PEERING, f"id: {line}")
    text = PEERING.read_text(encoding="utf-8").splitlines()
    expected = next(n for n in range(block_start, len(text) + 1) if f"{field}:" in text[n - 1])
    assert finding.location.line == expected


@pytest.mark.parametrize(
    "line",
    [
        "azure-good",
        "gcp-good",
        "oci-good",
        "aws-v4-only",
        "dc-anything",
        "azure-network-address",
    ],  # the last is CCV302's (network address), not repeated here
)
def test_peering_near_misses_stay_quiet(peering_hits, line):
    assert (line,) not in peering_hits


def test_peering_paths_point_at_the_line(peering_hits):
    (finding,) = peering_hits[("gcp-private",)]
    assert finding.path == "/sites/1/lines/1/peering/site_ip"


def test_an_ipv4_pair_in_the_ipv6_fields_is_not_held_to_the_ipv6_rule(findings):
    """The IPv6 rule of a cloud (Azure: a /126) says nothing about an IPv4 address
    written as site_ipv6/exchange_ipv6; before, its hint computed a /126 of an IPv4
    address and ccv stopped with an internal error."""
    hits = findings(FIXTURES / "peering-other-family.yaml", "CCV306")
    assert list(hits) == [("azure-2",)]
    (finding,) = hits[("azure-2",)]
    assert "is a /29, not /30" in finding.message
