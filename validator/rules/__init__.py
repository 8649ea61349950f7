"""Rule families. Importing this package registers every rule of the catalog."""

from validator.rules import (  # noqa: F401
    addressing,
    asns,
    capacity,
    cloud_packs,
    input,
    paths,
    peering,
    sla_fit,
    terraform,
)
