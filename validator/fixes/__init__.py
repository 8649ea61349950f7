"""Verified fixes (SPEC §13): JSON Patch remedies that findings carry, and ``ccv fix``.

- ``patch``: RFC 6902 operations built from origins, and applied to a document's data
  (dicts and lists, or ruamel.yaml's round-trip nodes: key order is kept).
- ``suggest``: the values a fix may propose (a free range, VLAN, ASN or peering subnet),
  each accepted only when the rules themselves (the cloud packs' checks) accept it.
- ``verify``: the safety net: a fix that, applied alone, does not remove its finding or
  adds another is withdrawn.
- ``apply``: ``ccv fix``: rounds of fixes applied to the text, a diff, an atomic write.
"""
