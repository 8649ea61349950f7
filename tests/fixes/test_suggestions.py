"""Every suggested value is valid where it goes (SPEC §13): the field cases of the issue
with their right values, the kinds behind them, the patch operations and the safety net."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ccv_test_helpers import bare_site

from validator import validate
from validator.config import Settings
from validator.engine import recheck
from validator.fixes.patch import apply_patch, shift_pointer
from validator.fixes.verify import verify
from validator.load.document import load_document, parse_document

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def findings(path: Path, rule: str):
    return [f for f in validate(str(path)).findings if f.rule == rule]


def plan(text: str, name: str = "plan.yaml"):
    return parse_document(name, text.encode("utf-8"))


def test_alibaba_gets_a_free_rfc1918_range_not_the_shared_space_it_forbids():
    (overlap,) = findings(FIXTURES / "alibaba-free-range-hint.yaml", "CCV201")
    value = overlap.fix[0]["value"]
    assert value == "172.16.0.0/16"  # RFC 1918 (10/8 is the data centre's), not 100.64/10
    assert "100.64" not in overlap.hint and value in overlap.hint


def test_the_free_vlan_is_free_among_every_line_of_the_pop_whole_file():
    (vlan,) = findings(FIXTURES / "free-vlan-hint.yaml", "CCV307")
    assert vlan.fix == [{"op": "replace", "path": vlan.path, "value": 103}]
    assert "e.g. 103" in vlan.hint


def test_rfc1918_before_rfc6598_even_for_a_range_in_shared_space():
    doc = plan(
        "version: 1\nname: s\nexchange: {asn: 64600}\nsites:\n"
        "  - {id: a, cloud: onprem, asn: 65001, cidrs: [100.64.0.0/16]}\n"
        "  - {id: b, cloud: onprem, asn: 65002, cidrs: [100.64.0.0/16]}\n"
    )
    from validator.engine import validate_documents

    report = validate_documents([doc], Settings(), merge=False)
    (dup,) = [f for f in report.findings if f.rule == "CCV202"]
    assert dup.fix[0]["value"] == "10.0.0.0/16"


def test_huawei_free_range_stays_inside_the_blocks_huawei_allows():
    doc = plan(
        "version: 1\nname: h\nexchange: {asn: 64600}\nsites:\n"
        "  - {id: dc, cloud: onprem, asn: 65001, cidrs: [10.0.0.0/8, 172.16.0.0/12]}\n"
        "  - {id: hw, cloud: huawei, asn: 64512, cidrs: [10.9.0.0/16]}\n"
    )
    from validator.engine import validate_documents

    report = validate_documents([doc], Settings(), merge=False, verify_fixes=False)
    (overlap,) = [f for f in report.findings if f.rule == "CCV201"]
    assert overlap.fix[0]["value"] == "192.168.0.0/16"


def test_a_cloud_that_fixes_its_asn_gets_as_override_in_words_and_no_asn():
    doc = plan(
        "version: 1\nname: z\nexchange: {asn: 64600}\nsites:\n"
        "  - {id: az1, cloud: azure, asn: 12076, cidrs: [10.1.0.0/16]}\n"
        "  - {id: az2, cloud: azure, asn: 12076, cidrs: [10.2.0.0/16]}\n"
    )
    from validator.engine import validate_documents

    report = validate_documents([doc], Settings(), merge=False)
    (shared,) = [f for f in report.findings if f.rule == "CCV403"]
    assert shared.fix is None
    assert "exchange.as_override: true" in shared.hint and "private ASN" not in shared.hint


def test_a_shared_asn_is_split_keeping_the_site_whose_cloud_fixes_it():
    doc = plan(
        "version: 1\nname: z\nexchange: {asn: 64600}\nsites:\n"
        "  - {id: dc, cloud: onprem, asn: 45090, cidrs: [10.1.0.0/16]}\n"
        "  - {id: tc, cloud: tencent, asn: 45090, cidrs: [10.2.0.0/16]}\n"
    )
    from validator.engine import validate_documents

    report = validate_documents([doc], Settings(), merge=False)
    (shared,) = [f for f in report.findings if f.rule == "CCV403"]
    assert shared.fix == [{"op": "replace", "path": "/sites/0/asn", "value": 64513}]


def test_verification_withdraws_a_fix_that_would_add_a_finding():
    doc = load_document(str(FIXTURES / "free-vlan-hint.yaml"))
    settings = Settings()
    found = recheck([doc], settings)
    (vlan,) = [f for f in found if f.rule == "CCV307"]
    # a wrong fix, as a careless suggestion would make: VLAN 101 is used later on P1
    wrong = replace(vlan, fix=[{"op": "replace", "path": vlan.path, "value": 101}])
    wrong.fallback = "use a free VLAN on P1"
    verify([doc], [wrong], lambda docs: recheck(docs, settings), items=10)
    assert wrong.fix is None and wrong.hint == "use a free VLAN on P1"
    right = replace(vlan, fix=[{"op": "replace", "path": vlan.path, "value": 103}])
    verify([doc], [right], lambda docs: recheck(docs, settings), items=10)
    assert right.fix is not None


def test_patch_operations():
    data = {"sites": [{"id": "a", "cidr": ["10.0.0.0/16", "10.0.4.0/24"], "asn": 1}]}
    moved = apply_patch(data, [{"op": "move", "from": "/sites/0/cidr", "path": "/sites/0/cidrs"}])
    assert list(moved["sites"][0]) == ["id", "cidrs", "asn"]  # renamed in place
    removed = apply_patch(data, [{"op": "remove", "path": "/sites/0/cidr/0"}])
    assert removed["sites"][0]["cidr"] == ["10.0.4.0/24"]
    assert data["sites"][0]["cidr"][0] == "10.0.0.0/16"  # the input is not changed
    ops = [{"op": "remove", "path": "/sites/0/cidr/0"}]
    assert shift_pointer("/sites/0/cidr/1", ops) == "/sites/0/cidr/0"
    assert shift_pointer("/sites/0/cidr/0", ops) is None
    assert shift_pointer("/sites/0/asn", ops) == "/sites/0/asn"


def test_an_aggregation_hint_never_includes_the_receiving_sites_own_ranges():
    import ipaddress
    import re

    others = ", ".join(f"10.0.{i}.0/24" for i in range(1, 102))
    doc = plan(
        "version: 1\nname: r\nexchange: {asn: 64600}\nsites:\n"
        "  - {id: aws, cloud: aws, asn: 64512, cidrs: [10.0.0.0/24]}\n"
        f"  - {{id: dc, cloud: onprem, asn: 65001, cidrs: [{others}]}}\n"
    )
    from validator.engine import validate_documents

    report = validate_documents([doc], Settings(), merge=False)
    (limit,) = [f for f in report.findings if f.rule == "CCV208"]
    shown = [ipaddress.ip_network(t) for t in re.findall(r"\d+\.\d+\.\d+\.\d+/\d+", limit.hint)]
    assert shown and not any(n.overlaps(ipaddress.ip_network("10.0.0.0/24")) for n in shown)


def test_cloud_range_fixes_widen_split_and_move_only_where_the_plan_has_room():
    doc = plan(
        "version: 1\nname: c\nexchange: {asn: 64600}\nsites:\n"
        "  - {id: small, cloud: aws, asn: 64512, cidrs: [10.4.0.0/29]}\n"
        "  - {id: big, cloud: aws, asn: 64513, cidrs: [10.8.0.0/15]}\n"
        "  - {id: hw, cloud: huawei, asn: 64512, cidrs: [100.64.0.0/16]}\n"
    )
    from validator.engine import validate_documents

    report = validate_documents([doc], Settings(), merge=False)
    fixes = {f.objects: f.fix for f in report.findings if f.rule == "CCV207"}
    assert fixes[("small",)] == [
        {"op": "replace", "path": "/sites/0/cidrs/0", "value": "10.4.0.0/28"}
    ]
    assert fixes[("big",)] == [
        {"op": "replace", "path": "/sites/1/cidrs/0", "value": "10.8.0.0/16"},
        {"op": "add", "path": "/sites/1/cidrs/1", "value": "10.9.0.0/16"},
    ]
    # Huawei takes RFC 1918 only: the free range comes from 10/8, not from 100.64/10
    assert fixes[("hw",)] == [{"op": "replace", "path": "/sites/2/cidrs/0", "value": "10.0.0.0/16"}]


def test_a_reference_slip_is_fixed_a_sibling_name_is_not():
    doc = plan(
        "version: 1\nname: t\nexchange: {asn: 64600}\npops: [{id: HKG1}, {id: HKG2}]\n"
        "sites:\n"
        "  - id: a\n    cloud: onprem\n    asn: 65001\n    cidrs: [10.1.0.0/16]\n"
        "    lines:\n"
        "      - {id: a1, pop: hkg1, bandwidth_mbps: 100}\n"
        "      - {id: a2, pop: HKG3, bandwidth_mbps: 100}\n"
    )
    from validator.engine import validate_documents

    report = validate_documents([doc], Settings(), merge=False)
    refs = {f.path: f for f in report.findings if f.rule == "CCV101"}
    assert refs["/sites/0/lines/0/pop"].fix == [
        {"op": "replace", "path": "/sites/0/lines/0/pop", "value": "HKG1"}
    ]
    assert refs["/sites/0/lines/1/pop"].fix is None  # HKG1 or HKG2? or a POP to add


def test_a_block_skipped_for_its_prefix_length_has_no_range_the_cloud_accepts():
    """The free-range search skips a block when the cloud refuses every range of that
    length there (``length_refused``): it must never skip one that holds an accepted
    range. Checked against the cloud's own range check (CCV207) on every cloud, private
    block and IPv4 prefix length, at candidates spread over the block."""
    from validator.addressing.parse import make_net
    from validator.addressing.suggest import search_blocks
    from validator.clouds import CLOUDS
    from validator.rules.addressing_cloud import length_refused, range_refused

    skipped = 0
    for cloud in CLOUDS:
        site = bare_site(cloud)
        for block in search_blocks(4):
            for length in range(block.prefixlen, 33):
                if not length_refused(site, 4, block, length):
                    continue
                skipped += 1
                size = 1 << (32 - length)
                count = 1 << (length - block.prefixlen)
                for step in {0, 1, count // 3, count // 2, count - 1}:
                    if step < count:
                        candidate = make_net(4, block.first + step * size, length)
                        assert range_refused(site, candidate), (cloud, candidate)
    assert skipped > 0  # Tencent refuses /29–/32 everywhere: the shortcut does apply
