"""`pdj batch` without the terminal: read inputs, answer each once, concurrently, and wait.

- inputs: ARNs from arguments, files and standard input, read lazily, plus every job of a
  dataset group through list paging (the items they yield are in items);
- dedup: a duplicate input is answered once;
- runner: `BatchRunner.run`, a bounded pool of workers yielding one `RecordReady` (events) per
  unique input as answers arrive, each carrying a `BatchRecord` (records);
- scheduler: with `wait`, the `WaitScheduler` that refreshes every pending job once per poll.

Knows nothing of typer or rich and never prints: the command renders the events. The names
below are the ones the view and the command use; tests import from the modules themselves.
"""

from pdj_cli.batch.events import (
    BatchEvent,
    GroupExpanded,
    InputComplete,
    JobPending,
    Polled,
    PollTrouble,
    RecordReady,
    StatusChanged,
    WaitEnded,
    WaitReason,
    WaitStarted,
)
from pdj_cli.batch.inputs import open_inputs, read_inputs
from pdj_cli.batch.records import BatchRecord, Tally, plural
from pdj_cli.batch.runner import BatchRunner

__all__ = [
    "BatchEvent",
    "BatchRecord",
    "BatchRunner",
    "GroupExpanded",
    "InputComplete",
    "JobPending",
    "PollTrouble",
    "Polled",
    "RecordReady",
    "StatusChanged",
    "Tally",
    "WaitEnded",
    "WaitReason",
    "WaitStarted",
    "open_inputs",
    "plural",
    "read_inputs",
]
