"""ASN rules (CCV401–CCV406): AS numbers must be valid, usable and free of conflicts."""

from __future__ import annotations

from validator.rules.registry import planned

_F = "asns"
planned(
    "CCV401",
    "asn-invalid",
    "error",
    "ASN 0, 23456, 65535, 4294967295, or out of range",
    "use a private ASN: 64512–65534 or 4200000000–4294967294",
    family=_F,
)
planned(
    "CCV402",
    "asn-reserved",
    "error",
    "documentation ASN (64496–64511, 65536–65551)",
    "documentation ASNs are for examples; use a private ASN",
    family=_F,
)
planned(
    "CCV403",
    "asn-duplicate",
    "error",
    "two sites that meet share an ASN and `exchange.as_override` is not set",
    "give each site its own ASN, or set exchange.as_override: true",
    family=_F,
)
planned(
    "CCV405",
    "asn-public",
    "warning",
    "a public ASN where a private one is expected",
    "use a private ASN unless you own this public one",
    family=_F,
)
planned(
    "CCV406",
    "asn-exchange-clash",
    "error",
    "a site's ASN equals the exchange ASN",
    "give the site an ASN other than the exchange's",
    family=_F,
)
