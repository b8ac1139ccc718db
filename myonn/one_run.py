"""Slow work done on another thread, one run at a time, so that a window stays responsive.

The drawing window learns what digits look like to its network (`myonn.familiar`) and
remembers the training images' hidden outputs (`myonn.nearest`) this way: about a
second each, while the learner already draws. Asked again while it works (a lesson
changed the network meanwhile), it works once more when done, for the network as it is
then, rather than start a second thread beside the first on a laptop's two cores.
"""

from __future__ import annotations

import threading
from typing import Callable, Generic, TypeVar

Result = TypeVar("Result")


class OneRunAtATime(Generic[Result]):
    """Runs `work()` on a thread at each `start`, and hands what it gives to `ready` (unless None)."""

    def __init__(self, work: Callable[[], Result | None], ready: Callable[[Result], None], name: str = "work"):
        """`work` is run on a thread named `name`; each result that is not None goes to `ready`, on that thread."""
        self.work, self.ready, self.name = work, ready, name
        self._lock = threading.Lock()
        self._running = False  # a thread is working
        self._again = False  # asked again while it was

    def start(self) -> None:
        """Work, or work again after the run under way."""
        with self._lock:
            if self._running:
                self._again = True
                return
            self._running = True
        threading.Thread(target=self._work, name=self.name, daemon=True).start()

    def _work(self) -> None:
        while True:
            result = self.work()
            if result is not None:
                self.ready(result)
            with self._lock:
                if not self._again:
                    self._running = False
                    return
                self._again = False
