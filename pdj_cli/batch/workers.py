"""A bounded pool of daemon worker threads with concurrent.futures' Future.

Not ThreadPoolExecutor: its threads are joined when the interpreter exits, so Ctrl-C during a
batch whose requests sit in botocore's retry backoff kept the process alive for up to half a
minute, and a second Ctrl-C during that join printed a traceback. Nothing waits for these.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

R = TypeVar("R")
_Task = tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]


class WorkerPool:
    def __init__(self, workers: int, name: str = "pdj-worker") -> None:
        if workers < 1:
            raise ValueError("a pool needs at least one worker")
        self._workers = workers
        self._name = name
        self._tasks: queue.SimpleQueue[_Task | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._idle = threading.Semaphore(0)
        self._closed = False

    def submit(self, function: Callable[..., R], *args: Any) -> Future[R]:
        if self._closed:
            raise RuntimeError("the pool is shut down")
        future: Future[R] = Future()
        self._tasks.put((future, function, args))
        # A thread is started only when none is idle, up to the bound (as ThreadPoolExecutor).
        if not self._idle.acquire(blocking=False) and len(self._threads) < self._workers:
            thread = threading.Thread(
                target=self._work, name=f"{self._name}-{len(self._threads)}", daemon=True
            )
            self._threads.append(thread)
            thread.start()
        return future

    def _work(self) -> None:
        while True:
            task = self._tasks.get()
            if task is None:
                return
            future, function, args = task
            if future.set_running_or_notify_cancel():
                try:
                    result = function(*args)
                except BaseException as error:  # handed to the future's owner
                    future.set_exception(error)
                else:
                    future.set_result(result)
                del future, function, args, task
            self._idle.release()

    def shutdown(self) -> None:
        """Cancel what has not started; running tasks finish on their own, unwaited for."""
        self._closed = True
        while True:
            try:
                task = self._tasks.get_nowait()
            except queue.Empty:
                break
            if task is not None:
                task[0].cancel()
        for _ in self._threads:
            self._tasks.put(None)
