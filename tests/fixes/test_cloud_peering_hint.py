"""CCV306 suggests a peering pair that is free in the plan (SPEC §13): the pair the
cloud's rule asks for stays where the line already is when nothing else is there, else a
free subnet the cloud accepts, each handed out once; following every hint (or ``ccv fix``)
adds no CCV303/CCV304/CCV305 nor range finding."""

from __future__ import annotations

import ipaddress
import re
import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from fixes.fix_property import failures
from validator import validate
from validator.cli import cli
from validator.load.document import load_document

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "cloud-peering-hint.yaml"


def _suggested(finding) -> dict[str, str]:
    """The peering fields the finding's fix sets (field name -> address/prefix)."""
    return {op["path"].rsplit("/", 1)[1]: op["value"] for op in finding.fix}


def _subnet(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    return ipaddress.ip_interface(text).network


def _space_of_others(doc: dict, line_id: str, version: int) -> list:
    """Every range of the plan and every peering subnet of another line (one IP version)."""
    used = [
        ipaddress.ip_network(cidr, strict=False)
        for site in doc["sites"]
        for cidr in site.get("cidrs", [])
    ]
    for site in doc["sites"]:
        for line in site.get("lines", []):
            if line["id"] != line_id:
                used += [_subnet(v) for v in (line.get("peering") or {}).values()]
    return [n for n in used if n.version == version]


def test_every_suggestion_is_free_distinct_and_named_by_the_hint():
    doc = yaml.safe_load(FIXTURE.read_text())
    found = [f for f in validate(str(FIXTURE)).findings if f.rule == "CCV306"]
    assert len(found) == 7
    handed_out: list = []
    for finding in found:
        values = _suggested(finding)
        subnets = {_subnet(v) for v in values.values()}
        assert len(subnets) == 1, finding.fix  # both ends in one subnet
        (subnet,) = subnets
        line_id = finding.objects[0]
        for other in _space_of_others(doc, line_id, subnet.version) + handed_out:
            assert not subnet.overlaps(other), f"{line_id}: {subnet} overlaps {other}"
        handed_out.append(subnet)
        for value in values.values():
            assert value in finding.hint
        # withdrawn, the fix leaves words that name no address to set
        assert finding.fallback is not None
        assert not any(v.split("/")[0] in finding.fallback for v in values.values())


def test_the_naive_pairs_are_not_suggested_any_more():
    hints = {
        (f.objects[0], ":" in f.hint): f.hint
        for f in validate(str(FIXTURE)).findings
        if f.rule == "CCV306"
    }
    # gcp-tokyo-1 holds 169.254.0.0/30; the others' /30s must not land on it
    assert "169.254.0.1/30" not in hints[("gcp-tokyo-2", False)]
    assert "169.254.0.1/30" not in hints[("gcp-tokyo-3", False)]
    assert hints[("gcp-tokyo-2", False)] != hints[("gcp-tokyo-3", False)]
    # each /31 (/127) grown to a /30 (/126) would cover its neighbour
    assert "192.168.100.0/30" not in str(hints)
    assert "fd00:100::1/126" not in hints[("azure-sg-1", True)]
    assert "fd00:100::1/126" not in hints[("azure-sg-2", True)]
    # a /30 inside the line's own /29 stays where the line is
    assert hints[("azure-sg-3", False)] == (
        "use a /30 such as site 192.168.100.10/30, exchange 192.168.100.9/30"
    )


def test_each_fix_alone_removes_its_finding_and_adds_none():
    applied, broken = failures(load_document(str(FIXTURE)))
    assert broken == []
    assert applied >= 7


def test_ccv_fix_applies_them_all_and_leaves_no_peering_finding(tmp_path):
    plan = tmp_path / "plan.yaml"
    shutil.copy(FIXTURE, plan)
    before = {(f.rule, f.path) for f in validate(str(plan)).findings}
    result = CliRunner().invoke(cli, ["fix", "--write", str(plan)])
    assert result.exit_code in (0, 1), result.output
    after = {(f.rule, f.path) for f in validate(str(plan)).findings}
    assert not [key for key in after if key[0] == "CCV306"]
    assert after <= before, after - before
    assert not [key for key in after if key[0].startswith(("CCV2", "CCV30"))]


def test_a_line_whose_move_would_re_anchor_other_findings_gets_words_only(tmp_path):
    # Two lines copy one private /30: moving the first would move the copy's CCV304 to
    # the second line, so the first is told the rule in words; the second is moved.
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "version: 1\nname: copies\nexchange: {asn: 64600}\npops: [{id: TYO1}]\nsites:\n"
        "  - id: gcp-tokyo\n    cloud: gcp\n    asn: 16550\n    cidrs: [10.30.0.0/16]\n"
        "    lines:\n"
        "      - {id: a, pop: TYO1, vlan: 11, peering: {site_ip: 10.255.0.1/30, "
        "exchange_ip: 10.255.0.2/30}}\n"
        "      - {id: b, pop: TYO1, vlan: 12, peering: {site_ip: 10.255.0.1/30, "
        "exchange_ip: 10.255.0.2/30}}\n"
    )
    report = validate(str(plan))
    cloud = {f.objects[0]: f for f in report.findings if f.rule == "CCV306"}
    assert cloud["a"].fix is None
    assert cloud["a"].hint == (
        "use a /30 inside 169.254.0.0/16 that no range and no other line of the plan uses, "
        "with the host addresses the cloud asks for"
    )
    assert cloud["b"].fix is not None
    # the duplicate's own move and the cloud rule's agree on one subnet for line b
    (moved,) = [f for f in report.findings if f.rule == "CCV303" and "b" in f.objects]
    assert _suggested(moved) == _suggested(cloud["b"])
    applied, broken = failures(load_document(str(plan)))
    assert broken == [] and applied >= 2


def test_two_circuits_are_not_told_the_same_vlan_on_a_shared_pop(tmp_path):
    path = Path(__file__).resolve().parent / "fixtures" / "cloud-circuit-vlan-hint.yaml"
    found = [f for f in validate(str(path)).findings if f.rule == "CCV306"]
    told = {}
    for finding in found:
        match = re.fullmatch(r"set vlan: (\d+) on lines (\S+) and (\S+) \(.*\)", finding.hint)
        assert match, finding.hint
        told[match.group(2), match.group(3)] = int(match.group(1))
    assert told == {("er1-pri", "er1-sec"): 101, ("er2-pri", "er2-sec"): 102}
    # following both hints leaves no VLAN finding
    doc = yaml.safe_load(path.read_text())
    for (first, second), vlan in told.items():
        for line in doc["sites"][0]["lines"]:
            if line["id"] in (first, second):
                line["vlan"] = vlan
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(doc))
    assert not [f for f in validate(str(plan)).findings if f.rule in ("CCV306", "CCV307")]


def test_links_beyond_a_circuit_get_circuits_and_vlans_of_their_own(tmp_path):
    # er1 has four links; the third shares VLAN 300 on P1 with er1's first two (allowed
    # within one circuit, CCV307 out of it), the fourth is alone on P2 with VLAN 400.
    line = {"bandwidth_mbps": 1000, "circuit": "er1"}
    azure = {"id": "azure", "cloud": "azure", "asn": 12076, "cidrs": ["10.1.0.0/16"]}
    azure["lines"] = [
        {"id": "pri", "pop": "P1", "vlan": 300, **line},
        {"id": "sec", "pop": "P1", "vlan": 300, **line},
        {"id": "third", "pop": "P1", "vlan": 300, **line},
        {"id": "fourth", "pop": "P2", "vlan": 400, **line},
    ]
    doc = {"version": 1, "name": "c", "exchange": {"asn": 64600}, "sites": [azure]}
    doc["pops"] = [{"id": "P1"}, {"id": "P2"}]
    doc["backbone"] = [{"id": "p1-p2", "a": "P1", "b": "P2", "latency_ms": 2}]
    plan = tmp_path / "plan.yaml"
    plan.write_text(yaml.safe_dump(doc))
    before = {(f.rule, f.path) for f in validate(str(plan)).findings}
    hints = {f.objects: f.hint for f in validate(str(plan)).findings if f.rule == "CCV306"}
    pattern = (
        r"give line (\S+) a circuit of its own \(circuit: (\S+?)(?:, vlan: (\d+))?\) with its "
        r"other link \(a line with circuit: \2 on a second port, VLAN (\d+)\), or remove line "
        r"\1; a circuit has 2 links"
    )
    told = {}
    for hint in hints.values():
        match = re.fullmatch(pattern, hint)
        assert match, hint
        told[match.group(1)] = (match.group(2), match.group(3), int(match.group(4)))
    assert told == {"third": ("er1-2", "301", 301), "fourth": ("er1-3", None, 400)}
    # following both hints (each line moved, its circuit's other link added on the other
    # POP) leaves none of these findings and adds none
    lines = doc["sites"][0]["lines"]
    for line_id, (circuit, _, vlan) in told.items():
        moved = next(ln for ln in lines if ln["id"] == line_id)
        moved.update(circuit=circuit, vlan=vlan)
        other = "P2" if moved["pop"] == "P1" else "P1"
        lines.append({"id": f"{line_id}-other", "pop": other, "circuit": circuit, "vlan": vlan})
        lines[-1]["bandwidth_mbps"] = 1000
    plan.write_text(yaml.safe_dump(doc))
    after = {(f.rule, f.path) for f in validate(str(plan)).findings}
    assert not {key for key in after if key[0] in ("CCV306", "CCV307", "CCV704")}
    assert after <= before, after - before
