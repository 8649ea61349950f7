"""Address ranges and interface addresses: parsing, and the indexes rules share.

- ``parse``: ``parse_net(text) -> Net`` (integers; IPv4 by regex, IPv6 by netaddr).
- ``special``: the IANA special-purpose registries and private space (data file).
- ``index``: the range index, the overlap sweep and the free-space finder.
- ``aggregate``: prefix arithmetic (exact merge, covering supernets).
- ``suggest``: where to look for a free range.
"""
