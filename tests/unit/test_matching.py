"""Deferred acceptance with capacities: hand-made cases, stability, and the PyPI package
``matching`` as an independent reference on many random instances."""

from __future__ import annotations

import random
import warnings
from itertools import permutations

import pytest

from rvg.matching.algorithm import (
    Instance,
    open_places,
    rank_distribution,
    solve,
    unmatched,
    verify,
)

# The reference package sets warnings.simplefilter("always") when imported, which would
# override pytest's filters for every test collected after this module.
with warnings.catch_warnings():
    from matching.games import HospitalResident


def _instance(candidates, organisations, capacities) -> Instance:
    return Instance(
        {c: list(orgs) for c, orgs in candidates.items()},
        {o: list(cands) for o, cands in organisations.items()},
        dict(capacities),
    )


CLASSIC = _instance(
    {"anna": "XY", "bram": "YX"},
    {"X": ["bram", "anna"], "Y": ["anna", "bram"]},
    {"X": 1, "Y": 1},
)


def test_candidate_and_organisation_optimal_differ_in_the_classic_example():
    assert solve(CLASSIC) == {"anna": "X", "bram": "Y"}
    assert solve(CLASSIC, "organisation") == {"anna": "Y", "bram": "X"}
    assert verify(CLASSIC, solve(CLASSIC)).ok
    assert verify(CLASSIC, solve(CLASSIC, "organisation")).ok


def test_capacities_and_the_organisations_order_decide_who_is_displaced():
    instance = _instance(
        {"a": "X", "b": "XY", "c": "XY", "d": "Y"},
        {"X": ["c", "a", "b"], "Y": ["b", "d", "c"]},
        {"X": 2, "Y": 1},
    )
    matching = solve(instance)
    assert matching == {"a": "X", "b": "Y", "c": "X", "d": None}
    assert rank_distribution(instance, matching) == {1: 2, 2: 1}
    assert unmatched(instance, matching) == ["d"]
    assert open_places(instance, matching) == {}
    assert verify(instance, matching).ok


def test_nobody_acceptable():
    instance = _instance(
        {"a": "XY", "b": "Y"},
        {"X": ["b"], "Y": []},
        {"X": 2, "Y": 1},
    )
    for optimal in ("candidate", "organisation"):
        matching = solve(instance, optimal)
        assert matching == {"a": None, "b": None}
        assert verify(instance, matching).ok
        assert open_places(instance, matching) == {"X": 2, "Y": 1}
        assert rank_distribution(instance, matching) == {}


def test_an_organisation_with_zero_capacity_takes_nobody():
    instance = _instance(
        {"a": "XY", "b": "XY"},
        {"X": ["a", "b"], "Y": ["b", "a"]},
        {"X": 0, "Y": 1},
    )
    for optimal in ("candidate", "organisation"):
        matching = solve(instance, optimal)
        assert matching == {"a": None, "b": "Y"}
        assert verify(instance, matching).ok
        assert open_places(instance, matching) == {}


def test_more_places_than_candidates_gives_everyone_their_first_choice():
    instance = _instance(
        {"a": "XY", "b": "XY", "c": "YX"},
        {"X": ["c", "b", "a"], "Y": ["a", "b", "c"]},
        {"X": 5, "Y": 3},
    )
    for optimal in ("candidate", "organisation"):
        matching = solve(instance, optimal)
        assert matching == {"a": "X", "b": "X", "c": "Y"}
        assert rank_distribution(instance, matching) == {1: 3}
        assert open_places(instance, matching) == {"X": 3, "Y": 2}


def test_a_one_sided_ranking_is_ignored():
    instance = _instance(
        {"a": "XY", "b": "Y"},  # X does not rank a; Y ranks c, who ranks nobody
        {"X": ["b"], "Y": ["c", "b", "a"]},
        {"X": 1, "Y": 1},
    )
    matching = solve(instance)
    assert matching == {"a": None, "b": "Y", "c": None}
    assert verify(instance, matching).ok
    assert open_places(instance, matching) == {"X": 1}
    assert unmatched(instance, matching) == ["a"]


def test_an_organisation_without_capacity_or_list_has_no_places():
    instance = _instance({"a": "ZX"}, {"X": ["a"], "Z": ["a"]}, {"X": 1})
    assert solve(instance) == {"a": "X"}
    assert rank_distribution(instance, solve(instance)) == {2: 1}


def test_a_name_listed_twice_counts_at_its_first_place():
    instance = _instance(
        {"a": "XYX", "b": "X"}, {"X": ["b", "a", "b"], "Y": ["a"]}, {"X": 1, "Y": 1}
    )
    for optimal in ("candidate", "organisation"):
        assert solve(instance, optimal) == {"a": "Y", "b": "X"}


def test_nonsense_is_refused():
    with pytest.raises(ValueError, match="negative capacity"):
        solve(_instance({"a": "X"}, {"X": ["a"]}, {"X": -1}))
    with pytest.raises(ValueError, match="optimal"):
        solve(CLASSIC, "hospital")  # type: ignore[arg-type]


def test_verify_catches_a_broken_matching():
    instance = _instance(
        {"a": "XY", "b": "XY", "c": "Y"},
        {"X": ["a", "b"], "Y": ["a", "b"]},
        {"X": 1, "Y": 1},
    )
    assert solve(instance) == {"a": "X", "b": "Y", "c": None}

    over = verify(instance, {"a": "X", "b": "X", "c": None})
    assert over.over_capacity == ["X holds 2 with a capacity of 1"]
    assert not over.ok

    unacceptable = verify(instance, {"a": "X", "b": "Y", "c": "Y"})
    assert unacceptable.unacceptable == [("c", "Y")]
    assert verify(instance, {"a": "Q", "b": None, "c": None}).unacceptable == [("a", "Q")]

    swapped = verify(instance, {"a": "Y", "b": "X", "c": None})
    assert swapped.blocking_pairs == 1
    assert swapped.blocking_examples == [("a", "X")]
    assert "1 blocking pair(s), e.g. (a, X)" in swapped.describe()

    empty = verify(instance, {"a": None, "b": None, "c": None})
    assert empty.blocking_pairs == 4
    assert verify(instance, solve(instance)).describe() == "stable"


def _random_instance(rng: random.Random) -> Instance:
    """Up to 30 candidates and 8 organisations; some pairs ranked by one side only."""
    cands = [f"c{i}" for i in range(rng.randint(1, 30))]
    orgs = [f"o{j}" for j in range(rng.randint(1, 8))]
    popularity = {o: rng.random() for o in orgs}
    candidate_prefs = {}
    for c in cands:
        listed = rng.sample(orgs, rng.randint(1, len(orgs)))
        candidate_prefs[c] = sorted(listed, key=lambda o: -popularity[o] - rng.random())
    organisation_prefs = {}
    for o in orgs:
        applied = [c for c in cands if o in candidate_prefs[c]] + rng.sample(
            cands, min(2, len(cands))
        )
        ranked = [c for c in dict.fromkeys(applied) if rng.random() < 0.85]
        rng.shuffle(ranked)
        organisation_prefs[o] = ranked
    if rng.random() < 0.3:
        candidate_prefs[f"c{len(cands)}"] = []  # ranks nobody
    capacities = {o: rng.randint(0, 4) for o in orgs}
    return Instance(candidate_prefs, organisation_prefs, capacities)


def _blocking_pairs_naively(instance: Instance, matching) -> list[tuple[str, str]]:
    """Every candidate against every organisation, straight from the definition."""
    held = {o: [c for c, m in matching.items() if m == o] for o in instance.capacities}
    pairs = []
    for c, ranked in instance.candidate_prefs.items():
        for o, places in instance.capacities.items():
            theirs = instance.organisation_prefs.get(o, [])
            if o not in ranked or c not in theirs or places == 0:
                continue  # an organisation without places can take nobody, so blocks nothing
            mine = matching[c]
            if mine is not None and ranked.index(mine) < ranked.index(o):
                continue
            if mine == o:
                continue
            if len(held[o]) < places or any(theirs.index(c) < theirs.index(h) for h in held[o]):
                pairs.append((c, o))
    return pairs


def _reference(instance: Instance, optimal: str) -> dict[str, str | None]:
    """The same instance through ``matching``, cleaned to what it requires: only mutually
    ranked pairs, no empty lists, capacities of at least 1 (it warns about and mishandles
    the rest, e.g. an organisation with an empty list crashes its hospital-optimal solver)."""
    capacities = {o: k for o, k in instance.capacities.items() if k > 0}
    residents = {
        c: [o for o in ranked if o in capacities and c in instance.organisation_prefs.get(o, [])]
        for c, ranked in instance.candidate_prefs.items()
    }
    residents = {c: ranked for c, ranked in residents.items() if ranked}
    hospitals = {
        o: [c for c in instance.organisation_prefs.get(o, []) if o in residents.get(c, [])]
        for o in capacities
    }
    hospitals = {o: ranked for o, ranked in hospitals.items() if ranked}
    result: dict[str, str | None] = dict.fromkeys(instance.candidate_prefs)
    if not residents:
        return result
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would mean the cleaning above is incomplete
        game = HospitalResident.create_from_dictionaries(
            residents, hospitals, {o: capacities[o] for o in hospitals}
        )
        for hospital, matched in game.solve(optimal=optimal).items():
            for resident in matched:
                result[resident.name] = hospital.name
    return result


@pytest.mark.parametrize(
    ("ours", "theirs"), [("candidate", "resident"), ("organisation", "hospital")]
)
def test_identical_to_the_matching_package_on_random_instances(ours, theirs):
    rng = random.Random(20270101)
    for attempt in range(250):
        instance = _random_instance(rng)
        matching = solve(instance, ours)
        expected = _reference(instance, theirs)
        got = {c: matching[c] for c in instance.candidate_prefs}
        assert got == expected, f"instance {attempt}: {instance}"


@pytest.mark.parametrize("optimal", ["candidate", "organisation"])
def test_random_matchings_are_stable_and_within_capacity(optimal):
    rng = random.Random(7)
    for attempt in range(200):
        instance = _random_instance(rng)
        matching = solve(instance, optimal)
        check = verify(instance, matching)
        assert check.ok, f"instance {attempt}: {check.describe()}"
        assert _blocking_pairs_naively(instance, matching) == []
        ranked_by = instance.organisation_prefs
        for c, o in matching.items():
            assert o is None or (o in instance.candidate_prefs[c] and c in ranked_by[o])


def test_verify_finds_the_same_blocking_pairs_as_the_definition():
    rng = random.Random(11)
    for _ in range(200):
        instance = _random_instance(rng)
        arbitrary = {}
        for c, ranked in instance.candidate_prefs.items():
            acceptable = [o for o in ranked if c in instance.organisation_prefs.get(o, [])]
            arbitrary[c] = rng.choice([*acceptable, None]) if rng.random() < 0.8 else None
        assert verify(instance, arbitrary).blocking_pairs == len(
            _blocking_pairs_naively(instance, arbitrary)
        )


def test_each_side_does_at_least_as_well_in_its_own_optimal_matching():
    rng = random.Random(3)
    for _ in range(100):
        instance = _random_instance(rng)
        good, bad = solve(instance, "candidate"), solve(instance, "organisation")
        for c, ranked in instance.candidate_prefs.items():
            if bad[c] is not None:
                assert good[c] is not None
                assert ranked.index(good[c]) <= ranked.index(bad[c])


def test_no_candidate_gains_by_misreporting():
    """Candidate-proposing is strategy-proof for candidates: every reordering or shortening
    of a candidate's own list leaves them with a place they like no better."""
    rng = random.Random(5)
    for _ in range(25):
        cands = [f"c{i}" for i in range(rng.randint(2, 7))]
        orgs = [f"o{j}" for j in range(rng.randint(1, 4))]
        truth = {c: rng.sample(orgs, rng.randint(1, len(orgs))) for c in cands}
        organisation_prefs = {o: rng.sample(cands, len(cands)) for o in orgs}
        capacities = {o: rng.randint(1, 2) for o in orgs}
        honest = solve(Instance(truth, organisation_prefs, capacities))
        for c in cands:
            worth = {o: truth[c].index(o) for o in truth[c]}
            honest_worth = worth.get(honest[c], len(orgs)) if honest[c] else len(orgs)
            for size in range(len(orgs) + 1):
                for lie in permutations(orgs, size):
                    told = Instance({**truth, c: list(lie)}, organisation_prefs, capacities)
                    got = solve(told)[c]
                    assert (worth.get(got, len(orgs)) if got else len(orgs)) >= honest_worth
