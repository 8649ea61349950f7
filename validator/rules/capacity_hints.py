"""Line sizes the capacity hints may suggest (SPEC §13: every suggested value is valid).

A suggestion for a site's lines must leave the site clean under the capacity rules
themselves: the lines carry `bandwidth_mbps` (CCV601), the lines left after losing the
largest still carry it (CCV602), and every suggested line size is one the site's cloud
sells for its interconnect type (CCV604, from the cloud pack via
``clouds.orderable_bandwidths``). Clouds that publish no list accept any size.
"""

from __future__ import annotations

import math
import weakref
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from validator.clouds import orderable_bandwidths, pack
from validator.model import Line, Site


@dataclass(frozen=True, slots=True)
class LineChange:
    """A change of a site's lines in words, and as new sizes of existing lines.

    ``raises`` lists (line, new Mbps) when the change only raises existing lines (a
    definite edit of the document); it is empty when the change adds a line.
    """

    text: str
    raises: tuple[tuple[Line, float], ...] = ()


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


def line_change(site: Site, need: float, plan=None) -> LineChange | None:
    """The cheapest change of ``site``'s lines that carries ``need`` Mbps.

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
    options: list[tuple[float, int, LineChange]] = []
    for i, line in enumerate(site.lines):
        for value in choices:
            if value <= sizes[i]:
                continue
            trial = sizes[:i] + [value] + sizes[i + 1 :]
            if lines_carry(need, trial):
                text = f"raise line {line.id} to {value:g} Mbps"
                options.append((value - sizes[i], 0, LineChange(text, ((line, value),))))
                break
    for value in choices:
        if lines_carry(need, [*sizes, value]) and site.lines:
            pop = site.lines[0].pop
            where = f" on POP {pop}" if pop else ""
            spec = new_line_text(plan, site, pop, value) if plan is not None and pop else ""
            text = f"add a line{where}" + (spec or f" of {value:g} Mbps")
            options.append((value, 1, LineChange(text)))
            break
    for value in choices:
        trial = [max(s, value) for s in sizes]
        if count >= 2 and lines_carry(need, trial):
            text = f"raise every line of {site.id} to at least {value:g} Mbps"
            raises = tuple(
                (ln, value) for ln, s in zip(site.lines, sizes, strict=True) if s < value
            )
            options.append((sum(trial) - total, 2, LineChange(text, raises)))
            break
    if not options:
        return None
    return min(options, key=lambda option: option[:2])[2]  # ties: the first line


def new_line_size(site: Site) -> float | None:
    """A size (Mbps) for one more line of ``site``: orderable, and the lines still carry it.

    With a ``bandwidth_mbps``, the smallest orderable size after which CCV601 and CCV602
    hold (None when none does: adding one line cannot fix a site its lines already
    fail). Without one, the size of its largest line, or the next orderable size up.
    """
    sizes = [line.bandwidth_mbps or 0 for line in site.lines]
    need = site.bandwidth_mbps
    if need is None:
        floor = max(sizes, default=0)
        choices = _choices(site, [floor])
        return next((v for v in choices if v >= floor), None)
    wanted = [need, need - (sum(sizes) - max(sizes, default=0))]
    for value in _choices(site, wanted):
        if lines_carry(need, [*sizes, value]):
            return value
    return None


_BY_POP: dict[int, tuple[weakref.ref, dict[str, list]]] = {}
_BY_POP: dict[int, tuple[weakref.ref, dict[str, list], dict[str, Counter]]] = {}


def lines_on(plan, pop: str) -> list:
    """The lines of ``plan`` on ``pop``, in input order.

    The plan's lines are grouped by POP once per plan (O(lines)) and kept while the plan
    lives, so a hint per site costs the lines of one POP, not of the whole plan (a
    million sites without lines each got a CCV501 hint that scanned every line).
    """
    return _held(plan)[1].get(pop, [])


def vlans_on(plan, pop: str) -> Counter:
    """How many lines of ``plan`` on ``pop`` use each VLAN (counted once per POP and plan,
    so a hint per site does not walk every line of a busy POP again)."""
    counts = _held(plan)[2]
    found = counts.get(pop)
    if found is None:
        found = counts[pop] = Counter(line.vlan for line in lines_on(plan, pop))
    return found


def _held(plan) -> tuple:
    held = _BY_POP.get(id(plan))
    if held is None or held[0]() is not plan:
        by_pop: dict[str, list] = {}
        for line in plan.lines():
            by_pop.setdefault(line.pop, []).append(line)
        key = id(plan)
        held = (weakref.ref(plan, lambda _: _BY_POP.pop(key, None)), by_pop, {})
        _BY_POP[key] = held
    return held


def new_line_text(plan, site: Site, pop: str, size: float | None = None) -> str:
    """``" (N Mbps, VLAN V)"`` for a new line of ``site`` on ``pop``; unknown parts left out.

    N is ``size``, else :func:`new_line_size`. V is the lowest VLAN from 2 (1 is the
    native VLAN of most switches) that no line of the plan uses on ``pop`` (CCV307).
    Where the cloud's circuits carry one VLAN (Azure ExpressRoute, from the cloud pack),
    a line joining the site's circuit takes the circuit's VLAN, named only when no other
    circuit uses it on ``pop`` (CCV306); when the circuit is full, a new circuit needs
    all its links, and the text says so instead of naming a VLAN.
    """
    if size is None:
        size = new_line_size(site)
    found = pack(site.cloud)
    circuit = found.circuit if found is not None else None
    members = [line for line in site.lines if (line.circuit or site.id) == site.id]
    counts = vlans_on(plan, pop)
    own_lines = members if circuit is not None and circuit.one_vlan else []
    mine = Counter(line.vlan for line in own_lines if line.pop == pop)

    def used(v) -> bool:  # some line on the POP, other than the site's circuit, has it
        return counts.get(v, 0) > mine.get(v, 0)

    vlan = next((v for v in range(2, 4095) if not used(v)), None)
    parts = [f"{size:g} Mbps"] if size is not None else []
    if circuit is not None and circuit.one_vlan and members:
        if len(members) >= circuit.links:
            parts.append(f"as a new circuit: {circuit.links} lines with their own circuit id")
            return f" ({', '.join(parts)})"
        own = members[0].vlan
        vlan = own if own is not None and not used(own) else None
    if vlan is not None:
        parts.append(f"VLAN {vlan}")
    return f" ({', '.join(parts)})" if parts else ""
