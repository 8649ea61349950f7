"""Address ranges and interface addresses: parsing, and the indexes rules share."""
