"""Rule families. Importing this package registers every rule of the catalog."""

from validator.rules import (  # noqa: F401
    addressing,
    asns,
    capacity,
    input,
    paths,
    peering,
    sla_fit,
)
