"""Line sizes the capacity hints may suggest (SPEC §13: every suggested value is valid).

A suggestion for a site's lines must leave the site clean under the capacity rules
themselves: the lines carry `bandwidth_mbps` (CCV601), the lines left after losing the
largest still carry it (CCV602), and every suggested line size is one the site's cloud
sells for its interconnect type (CCV604, from the cloud pack via
``clouds.orderable_bandwidths``). Clouds that publish no list accept any size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from validator.clouds import orderable_bandwidths
from validator.model import Site


def lines_carry(need: float, sizes: Sequence[float]) -> bool:
    """True when lines of ``sizes`` (Mbps) pass CCV601 and CCV602 for a site planning ``need``."""
    total = sum(sizes)
    if need > total:
        return False
    return len(sizes) < 2 or need <= total - max(sizes)


def _choices(site: Site, wanted: Sequence[float]) -> list[float]:
    """Sizes a line of ``site`` may take: the orderable ones, else the ``wanted`` figures."""
    orderable = orderable_bandwidths(site.cloud, site.interconnect)
    if orderable:
        return sorted(orderable)
    return sorted({math.ceil(w) for w in wanted if w > 0})


def line_change(site: Site, need: float) -> str | None:
    """Words for the cheapest change of ``site``'s lines that carries ``need`` Mbps.

    Tries raising one line, adding one line, then raising every line to one size,
    and keeps the change adding the least bandwidth whose every new size is orderable
    and after which :func:`lines_carry` holds. None when no such change exists (the
    cloud sells no size large enough).
    """
    sizes = [line.bandwidth_mbps or 0 for line in site.lines]
    total = sum(sizes)
    largest = max(sizes, default=0)
    count = len(sizes)
    wanted = [need, need - (total - largest)]
    wanted += [need - (total - s) for s in sizes]
    wanted += [need - (total - s - largest) for s in sizes]
    if count:
        wanted.append(need / max(count - 1, 1))
    choices = _choices(site, wanted)
    options: list[tuple[float, int, str]] = []
    for i, line in enumerate(site.lines):
        for value in choices:
            if value <= sizes[i]:
                continue
            trial = sizes[:i] + [value] + sizes[i + 1 :]
            if lines_carry(need, trial):
                text = f"raise line {line.id} to {value:g} Mbps"
                options.append((value - sizes[i], 0, text))
                break
    for value in choices:
        if lines_carry(need, [*sizes, value]):
            options.append((value, 1, f"add a line of {value:g} Mbps"))
            break
    for value in choices:
        trial = [max(s, value) for s in sizes]
        if count >= 2 and lines_carry(need, trial):
            text = f"raise every line of {site.id} to at least {value:g} Mbps"
            options.append((sum(trial) - total, 2, text))
            break
    if not options:
        return None
    return min(options)[2]
