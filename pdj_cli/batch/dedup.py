"""De-duplication: each input answered once, remembering one 64-bit digest per unique key."""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pdj_cli.batch.items import Item


def _digest(key: str) -> int:
    """A stable 64-bit digest of an input (surrogatepass: argv may hold undecodable bytes)."""
    data = key.encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


# Digests in one flat array, not a set of strings: 2 MB per 100,000 inputs, not 16 MB (below).
class DigestSet:
    """A set of strings kept as 64-bit digests in one flat array (open addressing, linear probe).

    Exact up to a digest collision: over n unique inputs the chance of any is about
    n**2 / 2**65, 3e-10 for 10**5 and 3e-8 for 10**6 (a collision would drop one input as a
    duplicate). Load stays between 1/3 and 2/3: 12-24 bytes a key.

    Measured per 100,000 ARNs (Python 3.11, loaded 2-CPU machine, CPU time, digest included):
    this, 2.1 MB (3.1 MB peak while growing) and 2.5-5 us an add; an in-memory sqlite3 table
    (INTEGER PRIMARY KEY, rowid or not), 1.5 MB of pages and 6-10 us; a set of int digests,
    7.8 MB; the set of ARN strings it replaces, 16.2 MB. Hand-written rather than sqlite3: as
    small, twice as fast, and nothing to close (a connection would need closing on every exit
    of the batch generator, which Python 3.13 warns of, and _sqlite3 is missing from some builds).
    """

    def __init__(self, capacity: int = 1024) -> None:
        if capacity < 2 or capacity & (capacity - 1):
            raise ValueError("capacity must be a power of two, at least 2")
        self._slots = array("Q", [0]) * capacity  # 0 marks an empty slot
        self._size = 0
        self._has_zero = False  # the digest 0 cannot be stored, so it is remembered here

    def __len__(self) -> int:
        return self._size

    @property
    def capacity(self) -> int:
        return len(self._slots)

    def add(self, key: str) -> bool:
        """Remembers `key`: True if it is new, False if it was added before."""
        digest = _digest(key)
        if digest == 0:
            new, self._has_zero = not self._has_zero, True
        else:
            new = self._insert(self._slots, digest)
        if new:
            self._size += 1
            if self._size * 3 > len(self._slots) * 2:
                self._grow()
        return new

    @staticmethod
    def _insert(slots: array[int], digest: int) -> bool:
        mask = len(slots) - 1
        index = digest & mask
        while (held := slots[index]) != 0:
            if held == digest:
                return False
            index = (index + 1) & mask
        slots[index] = digest
        return True

    def _grow(self) -> None:
        slots = array("Q", [0]) * (2 * len(self._slots))
        for digest in self._slots:
            if digest:
                self._insert(slots, digest)
        self._slots = slots


@dataclass
class Deduplicator:
    """Passes each input once: a job ARN (or an invalid text) seen before is counted, dropped.

    The only part of a batch that grows with the input: one 64-bit digest per unique key.
    """

    seen: DigestSet = field(default_factory=DigestSet)
    duplicates: int = 0

    def unique(self, items: Iterable[Item]) -> Iterator[Item]:
        for item in items:
            key = item.key
            if key is not None and not self.seen.add(key):
                self.duplicates += 1
                continue
            yield item
