"""Deferred acceptance with capacities (college admissions, hospitals–residents).

Candidate-proposing by default: it yields the candidate-optimal stable matching, and no
candidate can get a better place by misreporting their preferences. Organisation-proposing
yields the organisation-optimal stable matching. Both are unique, so any correct
implementation (e.g. the PyPI package ``matching``) gives exactly the same result.

A pair is acceptable only when each side ranks the other; a one-sided ranking is ignored.
An organisation without a capacity has no places. String ids are mapped to ints once, and the
proposals run on plain lists: a heap per organisation holds its candidates by its own rank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from heapq import heappush, heapreplace
from itertools import repeat
from typing import Literal

Optimal = Literal["candidate", "organisation"]
Matching = dict[str, str | None]

EXAMPLES = 5  # blocking pairs kept as examples in a Verification


@dataclass(frozen=True)
class Instance:
    """Preference lists (most preferred first) and the number of places per organisation."""

    candidate_prefs: Mapping[str, Sequence[str]]
    organisation_prefs: Mapping[str, Sequence[str]]
    capacities: Mapping[str, int]

    @cached_property
    def index(self) -> Index:
        return Index.build(self)


@dataclass
class Index:
    """The instance in ints: candidate ``c`` and organisation ``o`` are positions in
    ``candidates`` and ``organisations``; ``p`` is a position in an organisation's own list.

    ``acceptable[c]`` are the pairs ``(o, p)`` of the organisations with places that rank
    ``c``, in ``c``'s order. A name listed twice counts at its first place.
    """

    candidates: list[str]  # those with a preference list
    cand_index: dict[str, int]
    organisations: list[str]
    org_index: dict[str, int]
    capacity: list[int]
    org_lists: list[Sequence[str]]  # each organisation's list as given
    org_pos: list[dict[str, int]]  # candidate -> first position in the organisation's list
    acceptable: list[list[tuple[int, int]]]

    @classmethod
    def build(cls, instance: Instance) -> Index:
        capacity, org_lists, org_pos = [], [], []
        with_places: dict[str, tuple[int, dict[str, int]]] = {}
        for o, (name, places) in enumerate(instance.capacities.items()):
            if places < 0:
                raise ValueError(f"organisation {name!r} has a negative capacity ({places})")
            ranked = instance.organisation_prefs.get(name, ())
            positions = {c: p for p, c in enumerate(ranked)}
            if len(positions) != len(ranked):
                positions = {}
                for p, c in enumerate(ranked):
                    positions.setdefault(c, p)
            capacity.append(places)
            org_lists.append(ranked)
            org_pos.append(positions)
            if places > 0:
                with_places[name] = (o, positions)
        nowhere: dict[str, int] = {}
        unknown = repeat((-1, nowhere))
        acceptable = [
            [
                (o, at)
                for o, pos in map(with_places.get, ranked, unknown)
                if (at := pos.get(c)) is not None
            ]
            for c, ranked in instance.candidate_prefs.items()
        ]
        candidates = list(instance.candidate_prefs)
        organisations = list(instance.capacities)
        return cls(
            candidates,
            {name: c for c, name in enumerate(candidates)},
            organisations,
            {name: o for o, name in enumerate(organisations)},
            capacity,
            org_lists,
            org_pos,
            acceptable,
        )


def solve(instance: Instance, optimal: Optimal = "candidate") -> Matching:
    """The stable matching optimal for one side: every candidate -> organisation or None.

    Candidates that appear only in organisations' lists are included (always None).
    """
    ix = instance.index
    if optimal == "candidate":
        placed = _candidates_propose(ix)
    elif optimal == "organisation":
        placed = _organisations_propose(ix)
    else:
        raise ValueError(f"optimal must be 'candidate' or 'organisation', not {optimal!r}")
    names = [*ix.organisations, None]  # index -1: unmatched
    matching = dict(zip(ix.candidates, [names[o] for o in placed], strict=True))
    only_ranked = set().union(*instance.organisation_prefs.values()).difference(matching)
    matching.update(dict.fromkeys(sorted(only_ranked)))
    return matching


def _candidates_propose(ix: Index) -> list[int]:
    """Free candidates propose down their lists; a full organisation rejects its worst."""
    acceptable, org_lists, cand_index = ix.acceptable, ix.org_lists, ix.cand_index
    capacity = ix.capacity
    held: list[list[int]] = [[] for _ in capacity]  # max-heaps of positions, stored negated
    following = [0] * len(acceptable)
    for start in range(len(acceptable)):
        c = start
        while c >= 0:  # c proposes; a displaced candidate continues in its place
            pairs, i, displaced = acceptable[c], following[c], -1
            while i < len(pairs):
                o, p = pairs[i]
                i += 1
                heap = held[o]
                if len(heap) < capacity[o]:
                    heappush(heap, -p)
                    break
                if -heap[0] > p:
                    displaced = cand_index[org_lists[o][-heapreplace(heap, -p)]]
                    break
            following[c] = i
            c = displaced
    placed = [-1] * len(acceptable)
    for o, heap in enumerate(held):
        for negated in heap:
            placed[cand_index[org_lists[o][-negated]]] = o
    return placed


def _organisations_propose(ix: Index) -> list[int]:
    """Organisations with free places offer them down their lists; a candidate keeps the best."""
    proposals: list[list[tuple[int, int, int]]] = [[] for _ in ix.capacity]
    for c, pairs in enumerate(ix.acceptable):
        for q, (o, p) in enumerate(pairs):
            proposals[o].append((p, c, q))  # q: the organisation's place in c's list
    offers, choice = [], []
    for entries in proposals:
        entries.sort()
        offers.append([c for _, c, _ in entries])
        choice.append([q for _, _, q in entries])
    capacity, acceptable = ix.capacity, ix.acceptable
    unset = len(ix.organisations) + 1
    best = [unset] * len(acceptable)  # position in the candidate's list of the offer held
    count, following = [0] * len(capacity), [0] * len(capacity)
    waiting = [o for o in range(len(capacity)) if offers[o]]
    while waiting:
        o = waiting.pop()
        cands, qs, i, k = offers[o], choice[o], following[o], count[o]
        while k < capacity[o] and i < len(cands):
            c, q = cands[i], qs[i]
            i += 1
            current = best[c]
            if q < current:
                best[c] = q
                k += 1
                if current != unset:
                    previous = acceptable[c][current][0]
                    count[previous] -= 1
                    waiting.append(previous)
        count[o], following[o] = k, i
    return [acceptable[c][q][0] if q != unset else -1 for c, q in enumerate(best)]


@dataclass(frozen=True)
class Verification:
    """What is wrong with a matching; empty lists and zero blocking pairs when it is stable."""

    over_capacity: list[str] = field(default_factory=list)
    unacceptable: list[tuple[str, str]] = field(default_factory=list)
    blocking_pairs: int = 0
    blocking_examples: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.over_capacity or self.unacceptable or self.blocking_pairs)

    def describe(self) -> str:
        parts = [f"over capacity: {name}" for name in self.over_capacity]
        parts += [f"unacceptable pair ({c}, {o})" for c, o in self.unacceptable]
        if self.blocking_pairs:
            examples = ", ".join(f"({c}, {o})" for c, o in self.blocking_examples)
            parts.append(f"{self.blocking_pairs} blocking pair(s), e.g. {examples}")
        return "; ".join(parts) or "stable"


def verify(instance: Instance, matching: Mapping[str, str | None]) -> Verification:
    """Capacities, acceptability and stability of ``matching``, in time linear in the lists.

    A pair (c, o) blocks when both rank each other, c prefers o to its match (or is unmatched),
    and o has a free place or prefers c to the worst candidate it holds.
    """
    ix = instance.index
    seen = _Held.of(instance, matching)
    over = [
        f"{name} holds {seen.count[o]} with a capacity of {ix.capacity[o]}"
        for o, name in enumerate(ix.organisations)
        if seen.count[o] > ix.capacity[o]
    ]
    blocking, examples = 0, list[tuple[str, str]]()
    count, worst, capacity, names = seen.count, seen.worst, ix.capacity, ix.organisations
    for c, pairs in enumerate(ix.acceptable):
        mine, preferred = seen.placed[c], seen.preferred.get(c)
        for o, p in pairs:
            if o == mine or (preferred is not None and names[o] not in preferred):
                break  # from here on c likes its own place better
            if count[o] < capacity[o] or p < worst[o]:
                blocking += 1
                if len(examples) < EXAMPLES:
                    examples.append((ix.candidates[c], names[o]))
    return Verification(sorted(over), sorted(set(seen.unacceptable)), blocking, examples)


@dataclass
class _Held:
    """Who holds whom in a matching that may be wrong in any way."""

    placed: list[int]  # organisation per candidate, -1 if none (or unknown)
    count: list[int]  # candidates held per organisation
    worst: list[int]  # largest position held; an unacceptable candidate counts as the worst
    unacceptable: list[tuple[str, str]]
    preferred: dict[int, set[str]]  # for a place c ranks that is not acceptable: those above

    @classmethod
    def of(cls, instance: Instance, matching: Mapping[str, str | None]) -> _Held:
        ix = instance.index
        seen = cls(
            [-1] * len(ix.candidates), [0] * len(ix.capacity), [-1] * len(ix.capacity), [], {}
        )
        for name, org in matching.items():
            if org is None:
                continue
            c, o = ix.cand_index.get(name), ix.org_index.get(org)
            p = ix.org_pos[o].get(name) if o is not None else None
            ranked = instance.candidate_prefs[name] if c is not None else ()
            if c is None or p is None or org not in ranked:
                seen.unacceptable.append((name, org))
            if o is not None:
                seen.count[o] += 1
                seen.worst[o] = max(seen.worst[o], len(ix.org_lists[o]) if p is None else p)
            if c is None:
                continue
            if o is not None:
                seen.placed[c] = o
            if org in ranked and (o is None or p is None or not ix.capacity[o]):
                seen.preferred[c] = set(ranked[: list(ranked).index(org)])
        return seen


def rank_distribution(instance: Instance, matching: Mapping[str, str | None]) -> dict[int, int]:
    """How many candidates got their 1st, 2nd, … choice (the position in their own list)."""
    counts: dict[int, int] = {}
    for name, ranked in instance.candidate_prefs.items():
        org = matching.get(name)
        if org is not None and org in ranked:
            choice = list(ranked).index(org) + 1
            counts[choice] = counts.get(choice, 0) + 1
    return dict(sorted(counts.items()))


def unmatched(instance: Instance, matching: Mapping[str, str | None]) -> list[str]:
    """The candidates with a preference list who got no place, sorted."""
    return sorted(name for name in instance.candidate_prefs if matching.get(name) is None)


def open_places(instance: Instance, matching: Mapping[str, str | None]) -> dict[str, int]:
    """Organisations with places left, and how many."""
    held: dict[str, int] = {}
    for org in matching.values():
        if org is not None:
            held[org] = held.get(org, 0) + 1
    left = {name: places - held.get(name, 0) for name, places in instance.capacities.items()}
    return {name: n for name, n in left.items() if n > 0}
