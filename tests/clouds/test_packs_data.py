"""The cloud data files: every fact has a source, and the loader reads them as stated."""

from __future__ import annotations

import pytest

from validator.clouds import (
    CLOUDS,
    asn_refusal,
    load_data,
    orderable_bandwidths,
    pack,
    peer_asn_refusal,
    requires_private_asn,
    route_limit,
)

_DESCRIPTIVE = {"cloud", "name", "speaker"}  # labels, not facts


def _facts_without_source(node, path="") -> list[str]:
    """Paths of mappings that state a fact (a scalar or list of scalars) but no source."""
    missing = []
    if isinstance(node, dict):
        states_fact = any(
            key not in _DESCRIPTIVE
            and (
                not isinstance(value, (dict, list))
                or (isinstance(value, list) and value and not isinstance(value[0], dict))
            )
            for key, value in node.items()
        )
        if states_fact and not node.get("source"):
            missing.append(path or "/")
        for key, value in node.items():
            missing += _facts_without_source(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            missing += _facts_without_source(value, f"{path}/{index}")
    return missing


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_fact_has_a_source(cloud):
    data = load_data(cloud)
    assert data["cloud"] == cloud
    assert _facts_without_source(data) == []


@pytest.mark.parametrize("cloud", CLOUDS)
def test_tiers_are_official_or_secondary(cloud):
    def tiers(node):
        if isinstance(node, dict):
            if "tier" in node:
                yield node["tier"]
            for value in node.values():
                yield from tiers(value)
        elif isinstance(node, list):
            for value in node:
                yield from tiers(value)

    assert set(tiers(load_data(cloud))) <= {"official", "secondary"}


def test_the_source_walk_catches_a_fact_without_source():
    assert _facts_without_source({"routes": {"limit": 100}}) == ["/routes"]
    assert _facts_without_source({"routes": {"limit": 100, "source": "x"}}) == []


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_pack_loads(cloud):
    found = pack(cloud)
    assert found is not None and found.cloud == cloud
    assert found.asn is not None and found.asn.accepted


@pytest.mark.parametrize("cloud", ["onprem", "other", "amazon", None])
def test_no_pack_for_onprem_other_and_unknown(cloud):
    assert pack(cloud) is None
    assert requires_private_asn(cloud) is False


def test_key_facts_as_the_clouds_state_them():
    aws, azure, gcp = pack("aws"), pack("azure"), pack("gcp")
    assert (aws.vpc.prefix.shortest, aws.vpc.prefix.longest) == (16, 28)
    assert aws.routes.limit(4) == 100 and aws.routes.limit(6) == 100 and aws.routes.hard
    assert aws.asn.default == 64512 and aws.asn.accepts(4200000000)
    assert not aws.asn.accepts(65535)
    assert 400000 in aws.bandwidths_for("dedicated").values
    assert 400000 not in aws.bandwidths_for("partner").values
    assert azure.asn.accepts(12076) and azure.asn.reserved_for_peer(65517) is not None
    assert azure.routes.limit(4) == 4000 and azure.routes.limit(6) == 100
    assert azure.routes.limit(4, frozenset({"expressroute-premium"})) == 10000
    assert azure.routes.limit(6, frozenset({"expressroute-premium"})) == 100
    assert azure.circuit.links == 2 and azure.circuit.one_vlan
    assert gcp.asn.accepts(16550, "partner") and not gcp.asn.accepts(65001, "partner")
    assert gcp.asn.accepts(65001, "dedicated") and not gcp.asn.accepts(16550, "dedicated")
    assert 400000 in gcp.bandwidths_for("dedicated").values
    assert pack("huawei").routes.hard is False
    assert pack("huawei").asn.accepts(64600) and pack("huawei").asn.default == 64512
    assert pack("huawei").asn.reserved_for_peer(64512) is not None  # "reserved for Direct Connect"
    assert not pack("huawei").vpc.only_within_blocks  # publicly routable ranges are accepted
    assert pack("alibaba").asn.accepts(64600) and pack("alibaba").asn.forbidding(65025)
    assert gcp.vpc.prefix is None  # no size rule in Google's own documentation
    assert pack("tencent").routes is None and pack("tencent").bandwidths is None
    assert requires_private_asn("aws") and not requires_private_asn("azure")
    assert not requires_private_asn("gcp")  # Partner Interconnect uses the public AS 16550


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_source_is_a_url_a_reader_can_open(cloud):
    def sources(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "source":
                    yield value
                else:
                    yield from sources(value)
        elif isinstance(node, list):
            for value in node:
                yield from sources(value)

    found = list(sources(load_data(cloud)))
    assert found
    for source in found:
        assert "https://" in source, source
        assert "idx:" not in source, source


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_pack_states_its_interconnect_types_and_reserved_asns(cloud):
    data = load_data(cloud)
    assert {"partner", "dedicated", "differences"} <= set(data["interconnect"])
    assert "reserved" in data["asn"]  # possibly empty, then with a left_out entry saying why
    if not data["asn"]["reserved"]:
        assert any("reserves" in e["fact"] for e in data["asn"]["left_out"])
    routes = data["routes"]
    assert ("ipv4" in routes and "ipv6" in routes) or "left_out" in routes


def test_pure_cloud_questions():
    assert asn_refusal("gcp", 16550) is None
    assert "16550" in asn_refusal("gcp", 65001)
    assert asn_refusal("gcp", 65001, "dedicated") is None
    assert asn_refusal("onprem", 1) is None
    assert peer_asn_refusal("azure", 65515).first == 65515
    assert peer_asn_refusal("azure", 64600) is None
    assert peer_asn_refusal("gcp", 65515) is None
    assert 400000 in orderable_bandwidths("gcp", "dedicated")
    assert 100000 not in orderable_bandwidths("gcp", "partner")
    assert orderable_bandwidths("huawei") == ()
    assert route_limit("azure", 6) == 100
    assert route_limit("azure", 4, frozenset({"expressroute-premium"})) == 10000
    assert route_limit("gcp", 4) is None
