"""Fault injection: latency, throttling, 5xx and dropped connections, per request; and a
service error for every CreateDataDeletionJob."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, fields
from typing import Any

NONE = "none"
THROTTLE = "throttle"
SERVER_ERROR = "5xx"
DROP = "drop"
CREATE_ERROR = "create-error"  # the request log's fault for an answer of `create_error`

# `create_error` values: the service errors a create can meet that no scenario produces.
RESOURCE_IN_USE = "resource-in-use"  # ResourceInUseException: the dataset group is busy
ACCESS_DENIED = "access-denied"  # AccessDeniedException: the caller may not create jobs
S3_ACCESS_DENIED = "s3-access-denied"  # AccessDeniedException: the role cannot read the data
CREATE_ERRORS = (RESOURCE_IN_USE, ACCESS_DENIED, S3_ACCESS_DENIED)

_RATES = ("throttle_rate", "error_rate", "drop_rate")


@dataclass
class FaultConfig:
    """Faults applied to every request. Change attributes at any time; the next request sees them.

    latency: seconds added before every answer (dropped connections included).
    throttle_rate / error_rate / drop_rate: fractions 0..1 of requests answered with
    ThrottlingException (400), InternalFailure (500) or ServiceUnavailable (503), or closed
    with no answer. seed: makes the sequence of faults repeat from run to run.
    create_error: every valid CreateDataDeletionJob of an existing group is answered with this
    service error instead of a job, until set back to None: "resource-in-use"
    (ResourceInUseException), "access-denied" (AccessDeniedException: the caller may not
    create jobs) or "s3-access-denied" (AccessDeniedException: the role cannot read the data
    location). Validation and ResourceNotFoundException come first, as on the service.
    """

    latency: float = 0.0
    throttle_rate: float = 0.0
    error_rate: float = 0.0
    drop_rate: float = 0.0
    seed: int | None = None
    create_error: str | None = None

    def __setattr__(self, name: str, value: Any) -> None:
        _check(name, value)
        super().__setattr__(name, value)

    def update(self, **changes: Any) -> None:
        known = {f.name for f in fields(self)}
        for name, value in changes.items():
            if name not in known:
                raise TypeError(f"unknown fault option: {name}")
            setattr(self, name, value)


def _check(name: str, value: Any) -> None:
    if name in _RATES:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise ValueError(f"{name.replace('_', ' ')} must be between 0 and 1, not {value!r}")
    elif name == "latency":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ValueError(f"latency must be a number of seconds >= 0, not {value!r}")
    elif (
        name == "seed"
        and value is not None
        and (isinstance(value, bool) or not isinstance(value, int))
    ):
        raise ValueError(f"seed must be an integer, not {value!r}")
    elif name == "create_error" and value is not None and value not in CREATE_ERRORS:
        raise ValueError(f"create error must be one of {', '.join(CREATE_ERRORS)}, not {value!r}")


@dataclass(frozen=True)
class FaultDecision:
    kind: str  # NONE, THROTTLE, SERVER_ERROR or DROP
    status: int = 200
    latency: float = 0.0


class FaultInjector:
    """Draws one decision per request from a seeded generator, under a lock.

    Every request draws the same four numbers whatever the rates, so a seed gives the same
    sequence of decisions for the same sequence of requests. Precedence: drop, throttle, 5xx.
    """

    def __init__(self, config: FaultConfig) -> None:
        self._lock = threading.Lock()
        self.config = config
        self._seeded_with: int | None = None
        self._random = random.Random()
        self._reseed()

    def _reseed(self) -> None:
        self._seeded_with = self.config.seed
        self._random = random.Random(self._seeded_with)

    def reset(self) -> None:
        """Restarts the fault sequence from the configured seed."""
        with self._lock:
            self._reseed()

    def decide(self) -> FaultDecision:
        with self._lock:
            config = self.config
            if config.seed != self._seeded_with:
                self._reseed()  # a new seed set while running starts a new sequence
            drop, throttle, error, which = (self._random.random() for _ in range(4))
            latency = config.latency
            if drop < config.drop_rate:
                return FaultDecision(DROP, 0, latency)
            if throttle < config.throttle_rate:
                return FaultDecision(THROTTLE, 400, latency)
            if error < config.error_rate:
                return FaultDecision(SERVER_ERROR, 500 if which < 0.5 else 503, latency)
            return FaultDecision(NONE, 200, latency)
