"""`pdj batch` without the terminal: read inputs, answer each once, concurrently, and wait.

- items: what the inputs yield (a job to describe, an invalid line, a listed job);
- inputs: ARNs from arguments, files and standard input, read lazily, plus every job of a
  dataset group through list paging;
- dedup: a duplicate input is answered once;
- records: one `BatchRecord` per unique input (a job or an error), and their `Tally`;
- events: what the runner reports as it goes (`RecordReady`, `StatusChanged`, `WaitEnded`...);
- runner: `BatchRunner.run`, a bounded pool of workers yielding the events;
- scheduler: with `wait`, the `WaitScheduler` that refreshes every pending job once per poll.

Knows nothing of typer or rich and never prints: the command renders the events. Import from
the modules themselves: this file re-exports nothing, so there is no second list of names.
"""
