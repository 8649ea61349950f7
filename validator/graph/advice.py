"""The smallest change that lifts a site to a tier: candidates, each verified by re-running
the classification on the changed plan (CCV701's hint).

Candidates, in order: a second line on the site's own POP (when only access protection
is missing: it changes no POP set, so it costs nothing to verify), then backbone
changes — a second link beside a bridge that separates the site from a peer, a link
that bypasses a cut POP, a link joining unreachable POPs — then a second line on
another POP (same metro first, then backbone neighbours). When no single change
reaches the target, the change that removes the most failures is applied and the
search goes on (up to three changes). Re-classification only re-analyses the groups
the site belongs to; changed backbones are built once and cached; a budget of fresh
analyses keeps the cost bounded and the output deterministic."""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from validator.graph.analysis import Analysis, backbone_of, classify
from validator.graph.backbone import CUT_POP, Backbone, BLink, Node
from validator.graph.failures import Failures, analyse_groups
from validator.sla.tables import tier, tiers

MAX_ANALYSES = 100
MAX_BACKBONES = 12
KEPT_BACKBONES = 4
"""What-if backbones kept in memory at once (each costs as much as the plan's own): an
evicted one is built again when needed, with the same result."""
MAX_STEPS = 3
MAX_LINE_CANDIDATES = 8


@dataclass(frozen=True)
class Change:
    """One change to the plan: a line of the site on ``pop``, or a backbone ``link``."""

    text: str
    pop: str | None = None
    link: tuple[str, str] | None = None
    expensive: bool = False  # needs an analysis of its own (a line on a new POP)


@dataclass
class _State:
    pops: frozenset[str]
    lines: int
    links: tuple[tuple[str, str], ...]


def needed_tier(target: float) -> str | None:
    """The weakest tier whose committed availability meets ``target`` (None: none does)."""
    for entry in tiers():
        if entry.availability >= target:
            return entry.id
    return None


def _rank(tier_id: str) -> int:
    ids = [t.id for t in tiers()]
    return ids.index(tier_id) if tier_id in ids else -1


class Advisor:
    """What-if classification of single sites on changed plans, with caches and a budget.

    Failure analysis depends only on POP sets and the backbone, so a change that keeps
    the site's POPs (a second line on the same POP) reuses the plan's analysis, and the
    analysis of a changed backbone is shared by every member of the same groups. Fresh
    analyses and backbone builds are capped (:data:`MAX_ANALYSES`, :data:`MAX_BACKBONES`);
    past the cap the rule falls back to its generic hint, deterministically.
    """

    def __init__(self, an: Analysis) -> None:
        self.an = an
        self.backbones: set[tuple] = {()}  # every link set built so far (the budget counts them)
        self._kept: dict[tuple, Backbone] = {(): an.backbone}  # the last few, most recent last
        self.rebuilt = 0
        self.analyses = 0
        self.shared: dict[tuple, Failures] = {}
        self.site_groups: dict[str, tuple[int, ...]] = {}
        self.metro = {p.id: p.metro for p in an.plan.pops}
        for index, group in enumerate(an.groups):
            for member in set(group.members):
                self.site_groups.setdefault(member, ())
                self.site_groups[member] += (index,)

    def _spent(self) -> bool:
        return self.analyses >= MAX_ANALYSES

    def _pressed(self) -> bool:
        """Past half the budget: prefer cheap changes over the per-site expensive ones."""
        return self.analyses >= MAX_ANALYSES // 2

    def _backbone(self, links: tuple[tuple[str, str], ...]) -> Backbone:
        key = tuple(sorted(links))
        kept = self._kept
        if key in kept:
            kept[key] = kept.pop(key)  # most recently used last
            return kept[key]
        extra = tuple(BLink(f"+{a}--{b}#{i}", a, b) for i, (a, b) in enumerate(key))
        if key in self.backbones:
            self.rebuilt += 1
        self.backbones.add(key)
        kept[key] = backbone_of(self.an.plan, extra)
        if len(kept) > KEPT_BACKBONES:  # drop the least recently used what-if, never the plan's
            del kept[next(k for k in kept if k)]
        return kept[key]

    def evaluate(self, site: str, state: _State) -> tuple[str, Failures] | None:
        """Tier of ``site`` and its failures in the changed plan ``state``.

        None when that needs a fresh analysis and the budget is spent.
        """
        links = tuple(sorted(state.links))
        indices = self.site_groups.get(site, ())
        groups = [self.an.groups[i] for i in indices]
        if state.pops == self.an.sites[site].pops:
            key = (links, indices)
            if key not in self.shared:
                if links:
                    if self._spent() or (
                        tuple(sorted(links)) not in self.backbones
                        and len(self.backbones) >= MAX_BACKBONES
                    ):
                        return None
                    self.analyses += 1
                    bb = self._backbone(links)
                    self.shared[key] = analyse_groups(bb, self.an.site_pops, groups)
                else:
                    self.shared[key] = self.an.failures
            failures = self.shared[key]
        else:
            if self._spent() or (
                links not in self.backbones and len(self.backbones) >= MAX_BACKBONES
            ):
                return None
            self.analyses += 1
            site_pops = dict(self.an.site_pops)
            site_pops[site] = state.pops
            failures = analyse_groups(self._backbone(links), site_pops, groups)
        has_peer = self.an.sites[site].has_peer
        return classify(state.lines, state.pops, has_peer, site, failures)[0], failures

    def _candidates(self, site: str, state: _State, failures: Failures, want: str):
        an = self.an
        bb = self._backbone(state.links)
        pops = sorted(state.pops)
        needs_line = _rank(want) >= _rank("dual-protected") and (
            state.lines < 2 or (want == "highest" and len(state.pops) < 2)
        )
        if needs_line and want != "highest":
            yield Change(
                f"add a second line to site {site} on POP {pops[0]} (beside its line there)",
                pop=pops[0],
            )
        for text, pair in _link_fixes(bb, site, state, failures, an.site_pops):
            yield Change(text, link=pair)
        if needs_line:
            metro = self.metro
            near = {m for m in (metro.get(p) for p in pops) if m}
            neighbours = {n for p in pops for n in bb.neighbours(p)}
            others = heapq.nsmallest(
                MAX_LINE_CANDIDATES,
                (p for p in bb.pops if p not in state.pops),
                key=lambda p: (metro.get(p) not in near, p not in neighbours, p),
            )
            for pop in others:
                yield Change(
                    f"add a second line to site {site} on POP {pop}, another POP than "
                    f"{', '.join(pops)}",
                    pop=pop,
                    expensive=True,
                )

    def advise(self, site: str, target: float) -> str | None:
        """The verified smallest change text, or None when none is found within the budget."""
        want = needed_tier(target)
        if want is None:
            return None
        result = self.an.sites[site]
        state = _State(result.pops, len(result.site.lines), ())
        start = self.evaluate(site, state)
        if start is None:
            return None
        current, failures = start
        steps: list[str] = []
        for _ in range(MAX_STEPS):
            best = None
            baseline = (_rank(current), -_count(failures, site))
            for change in self._candidates(site, state, failures, want):
                if (
                    change.expensive
                    and best is not None
                    and best[0] > baseline
                    and (self._pressed())
                ):
                    break
                changed = _apply(state, change)
                outcome = self.evaluate(site, changed)
                if outcome is None:
                    continue
                reached, after = outcome
                if _rank(reached) >= _rank(want):
                    steps.append(change.text)
                    return "; and ".join(steps) + (
                        f": the site then reaches {reached} ({tier(reached).availability:g} %)"
                    )
                score = (_rank(reached), -_count(after, site))
                if best is None or score > best[0]:
                    best = (score, change, changed, after)
            if best is None or best[0] <= baseline:
                return None
            _, change, state, failures = best
            steps.append(change.text)
            outcome = self.evaluate(site, state)
            if outcome is None:
                return None
            current = outcome[0]
        return None


def _count(failures: Failures, site: str) -> int:
    return (
        (site in failures.unreachable)
        + len(failures.link_fail.get(site, {}))
        + len(failures.pop_fail.get(site, {}))
    )


def _apply(state: _State, change: Change) -> _State:
    if change.pop is not None:
        return _State(state.pops | {change.pop}, state.lines + 1, state.links)
    return _State(state.pops, state.lines, (*state.links, change.link))


def _link_fixes(bb: Backbone, site: str, state: _State, failures: Failures, site_pops):
    """Backbone changes that remove one of the site's failures: (text, (a, b))."""
    mine = sorted(state.pops)
    seen: set[tuple[str, str]] = set()

    def once(text: str, a: str, b: str):
        key = tuple(sorted((a, b)))
        if a != b and key not in seen:
            seen.add(key)
            yield text, key

    witness = failures.unreachable.get(site)
    if witness is not None:
        other = sorted(site_pops[witness])[0]
        yield from once(
            f"add a backbone link between {mine[0]} and {other} so {site} reaches {witness}",
            mine[0],
            other,
        )
    links = bb.link_by_id
    for link_id, _peer in sorted(failures.link_fail.get(site, {}).items()):
        link = links[link_id]
        yield from once(
            f"back up backbone link {link_id} with a second link between {link.a} and {link.b}",
            link.a,
            link.b,
        )
    for pop, peer in sorted(failures.pop_fail.get(site, {}).items()):
        here = [p for p in mine if p != pop]
        there = [p for p in sorted(site_pops[peer]) if p != pop]
        if here and there:
            yield from once(
                f"add a backbone link {here[0]}–{there[0]} (from POP {here[0]} of {site} to "
                f"POP {there[0]} of {peer}, around POP {pop})",
                here[0],
                there[0],
            )
        neighbours = sorted(bb.neighbours(pop))
        forest = bb.bc_forest
        node = Node(CUT_POP, pop)
        if node in forest.elements and len(neighbours) >= 2:
            by_piece: dict = {}
            for n in neighbours:
                by_piece.setdefault(forest.piece(bb.bc[n], node), n)
            firsts = sorted(by_piece.values())
            for i in range(len(firsts) - 1):
                yield from once(
                    f"add a backbone link {firsts[i]}–{firsts[i + 1]} that bypasses POP {pop}",
                    firsts[i],
                    firsts[i + 1],
                )
