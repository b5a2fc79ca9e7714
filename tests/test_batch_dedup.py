"""De-duplication by 64-bit digest: exact counts, growth, probing, and the documented trade-off."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

import pdj_cli.batch.dedup
from pdj_cli.arns import parse_dataset_group_arn
from pdj_cli.batch.dedup import Deduplicator, DigestSet, _digest
from pdj_cli.batch.inputs import classify
from pdj_cli.batch.items import GroupListed, InvalidLine, JobInput, Origin
from tests.batch_fakes import arn_of

GROUP = "arn:aws:personalize:us-east-1:123456789012:dataset-group/g"


@dataclass(frozen=True)
class Keyed:
    """Stands in for an input: the deduplicator only reads `key`."""

    key: str | None


def test_each_key_passes_once_and_every_repeat_is_counted() -> None:
    dedup = Deduplicator()
    items = [Keyed(key) for key in ["a", "b", "a", "c", "b", "a", "A", "a ", None, None]]
    passed = [item.key for item in dedup.unique(items)]  # type: ignore[arg-type]
    assert passed == ["a", "b", "c", "A", "a ", None, None]  # no key: never a duplicate
    assert dedup.duplicates == 3
    assert len(dedup.seen) == 5


def test_valid_and_invalid_inputs_are_deduplicated_alike() -> None:
    here = Origin("f.txt", 1)
    items = [classify(text, here) for text in [arn_of("a"), "bad", arn_of("a"), "bad", "good?"]]
    group = GroupListed(parse_dataset_group_arn(GROUP), 0)
    passed = list(Deduplicator().unique([*items, group, group]))  # type: ignore[list-item]
    assert [type(item).__name__ for item in passed] == [
        "JobInput",
        "InvalidLine",
        "InvalidLine",
        "GroupListed",
        "GroupListed",
    ]
    assert isinstance(passed[0], JobInput) and passed[0].key == arn_of("a")
    assert [item.text for item in passed[1:3] if isinstance(item, InvalidLine)] == ["bad", "good?"]


def test_two_hundred_thousand_distinct_keys_all_pass_and_all_repeat() -> None:
    keys = [arn_of(f"job-{i:06d}") for i in range(200_000)]
    dedup = Deduplicator()
    assert sum(1 for _ in dedup.unique(Keyed(key) for key in keys)) == 200_000  # type: ignore[misc]
    assert dedup.duplicates == 0
    assert sum(1 for _ in dedup.unique(Keyed(key) for key in keys)) == 0  # type: ignore[misc]
    assert dedup.duplicates == 200_000
    assert len(dedup.seen) == 200_000
    assert dedup.seen.capacity == 1 << 19  # the first power of two that holds 200,000 at 2/3


def test_the_set_grows_past_two_thirds_and_keeps_what_it_held() -> None:
    seen = DigestSet(capacity=2)
    capacities = []
    for i in range(1, 101):
        assert seen.add(f"key-{i}")
        capacities.append(seen.capacity)
        assert 3 * len(seen) <= 2 * seen.capacity  # never fuller than 2/3
        assert not any(seen.add(f"key-{j}") for j in range(1, i + 1))  # nothing lost on growth
    assert sorted(set(capacities)) == [2, 4, 8, 16, 32, 64, 128, 256]
    assert len(seen) == 100


def test_capacity_must_be_a_power_of_two() -> None:
    for capacity in (0, 1, 3, 100):
        with pytest.raises(ValueError):
            DigestSet(capacity)


@pytest.fixture
def forced_digests(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Digests chosen by the test, to reach probing, wrap-around, zero and collisions."""
    chosen: dict[str, int] = {}
    monkeypatch.setattr(pdj_cli.batch.dedup, "_digest", chosen.__getitem__)
    return chosen


def test_keys_sharing_a_slot_probe_onwards_and_wrap_around(forced_digests: dict[str, int]) -> None:
    # Capacity 8: all of these start at slot 6 and fill 6, 7, then wrap to 0 and 1.
    forced_digests.update({"a": 6, "b": 6 + 8, "c": 6 + 16, "d": 6 + (1 << 63)})
    seen = DigestSet(capacity=8)
    assert [seen.add(key) for key in "abcd"] == [True] * 4
    assert [seen.add(key) for key in "dcba"] == [False] * 4
    assert list(seen._slots) == [6 + 16, 6 + (1 << 63), 0, 0, 0, 0, 6, 6 + 8]


def test_growth_rehashes_a_chain_of_shared_slots(forced_digests: dict[str, int]) -> None:
    forced_digests.update({f"k{i}": 3 + 4 * i for i in range(6)})  # one slot at capacity 4
    seen = DigestSet(capacity=4)
    assert all(seen.add(f"k{i}") for i in range(6))
    assert seen.capacity == 16
    assert not any(seen.add(f"k{i}") for i in range(6))


def test_the_digest_zero_is_kept_apart_from_empty_slots(forced_digests: dict[str, int]) -> None:
    forced_digests.update({"zero": 0, "one": 1})
    seen = DigestSet(capacity=4)
    assert seen.add("zero") and seen.add("one")
    assert not seen.add("zero") and not seen.add("one")
    assert len(seen) == 2
    assert list(seen._slots) == [0, 1, 0, 0]


def test_keys_with_the_same_digest_count_as_one(forced_digests: dict[str, int]) -> None:
    # The documented trade-off (~3e-8 over a million inputs): a collision drops an input.
    forced_digests.update({"first": 42, "other": 42})
    dedup = Deduplicator()
    passed = list(dedup.unique([Keyed("first"), Keyed("other")]))  # type: ignore[list-item]
    assert passed == [Keyed("first")] and dedup.duplicates == 1


def test_digests_are_stable_and_take_any_argument_text() -> None:
    assert _digest("arn") == _digest("arn") != _digest("arn ")
    assert _digest("arn") == 0xDEC8ABC5D5E5FAAD  # BLAKE2b-64, the same in every process
    undecodable = "job-\udcff"  # how Python hands over a non-UTF-8 byte in argv
    seen = DigestSet()
    assert seen.add(undecodable) and not seen.add(undecodable) and seen.add("job-\udcfe")
