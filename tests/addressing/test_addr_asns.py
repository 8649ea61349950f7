"""CCV401–CCV403, CCV405 and CCV406 on small plans, through the public API."""

from __future__ import annotations

from tests.addressing.addr_helpers import findings, line_of
from validator.rules.asns import requires_private_asn


def test_invalid_and_documentation_asns():
    got = {f.objects[0]: f.rule for f in findings("asns.yaml", "CCV401", "CCV402")}
    assert got == {
        "zero": "CCV401",
        "trans": "CCV401",
        "last16": "CCV401",
        "last32": "CCV401",
        "too-big": "CCV401",
        "bad-asdot": "CCV401",
        "negative": "CCV401",
        "doc16": "CCV402",
        "doc32": "CCV402",  # asdot 1.4 = 65540
    }  # asdot-ok (64086.59905 = 4200000001) and private-edge (65534) are fine
    trans = next(f for f in findings("asns.yaml", "CCV401") if f.objects == ("trans",))
    assert "23456" in trans.message and "RFC 6793" in trans.message
    assert trans.path == "/sites/1/asn"
    assert trans.location.line == line_of("asns.yaml", "id: trans")


def test_invalid_asn_message_shows_the_value_as_written():
    by_site = {f.objects[0]: f.message for f in findings("asns.yaml", "CCV401")}
    # -1 (an integer) is not an asdot notation: the message must not call it one
    assert by_site["negative"] == (
        "site negative uses ASN -1 (outside 0..4294967295), which BGP cannot use"
    )
    assert by_site["bad-asdot"] == (
        'site bad-asdot uses asdot ASN "1.70000" (each part at most 65535), which BGP cannot use'
    )


def test_shared_asn_is_one_finding_naming_every_site():
    found = findings("asns.yaml", "CCV403")
    assert len(found) == 1
    assert found[0].objects == ("twin-a", "twin-b", "twin-c")
    assert found[0].severity == "error"
    assert found[0].path == "/sites/12/asn"  # the second site with AS 65001 ("AS65001")
    assert "loop" in found[0].hint and "as_override" in found[0].hint


def test_shared_asn_under_as_override_is_a_warning():
    found = findings("asn-override.yaml", "CCV403")
    assert [(f.objects, f.severity) for f in found] == [(("a", "b"), "warning")]


def test_shared_asn_in_disjoint_segments_is_fine_and_public_exchange_asn_warns():
    assert findings("asn-segments.yaml", "CCV403") == []
    public = findings("asn-segments.yaml", "CCV405")
    assert [(f.objects, f.path, f.severity) for f in public] == [((), "/exchange/asn", "warning")]


def test_exchange_documentation_asn_is_ccv402_not_ccv405():
    found = findings("asn-exchange-doc.yaml", "CCV402", "CCV405")
    assert [(f.rule, f.path) for f in found] == [("CCV402", "/exchange/asn")]


def test_asn_public_for_sites_follows_the_cloud_packs_and_never_onprem():
    # public-onprem uses AS 3356: onprem never gets CCV405
    assert findings("asns.yaml", "CCV405") == []
    assert not requires_private_asn("onprem")
    assert not requires_private_asn("other")
    found = findings("asn-cloud-public.yaml", "CCV405")
    # AWS requires a private ASN when the cloud packs say so; dc-hk (onprem) never
    expected = [(("aws-hk",), "/sites/0/asn")] if requires_private_asn("aws") else []
    assert [(f.objects, f.path) for f in found] == expected


def test_site_with_the_exchange_asn():
    found = findings("asns.yaml", "CCV406")
    assert [(f.objects, f.path) for f in found] == [(("clash",), "/sites/14/asn")]
