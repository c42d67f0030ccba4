"""Progress bars for the long steps of a command, on a terminal only.

The service reports `(stage, done, total)` through its `Progress` callback; each stage
(reading files, tokenizing, indexing, saving, re-tokenizing) gets its own tqdm bar on stderr.
A bar appears only after its step has taken `DELAY_SECONDS`, so quick commands print nothing
extra; and when either output is not a terminal (piped, redirected, a test runner) no bar is
drawn at all, so the output is the report alone.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from tqdm import tqdm

#: How the service's stage names read on a bar.
STAGE_LABELS = {
    "read": "reading",
    "tokenize": "tokenizing",
    "index": "indexing",
    "save": "saving",
    "reindex": "tokenizing",
    "merge": "merging",
}
DELAY_SECONDS = 0.5
#: Redraw a bar at most this often.
REDRAW_SECONDS = 0.1


def on_terminal(*streams: TextIO) -> bool:
    """True when every stream is an interactive terminal."""
    return all(getattr(s, "isatty", lambda: False)() for s in streams)


class Bars:
    """A `Progress` callback drawing one tqdm bar per stage (see the module docstring)."""

    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = on_terminal(sys.stdout, self.stream) if enabled is None else enabled
        self.bars: dict[str, tqdm[Any]] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        bar = self.bars.get(stage)
        if bar is None:
            label = STAGE_LABELS.get(stage, stage)
            bar = self.bars[stage] = tqdm(
                total=total,
                desc=label,
                file=self.stream,
                delay=DELAY_SECONDS,
                mininterval=REDRAW_SECONDS,
                leave=False,
            )
        bar.total = total
        bar.update(done - bar.n)  # update(), not refresh(): it honours `delay`

    def close(self) -> None:
        """Remove the bars (the report follows on stdout)."""
        for bar in self.bars.values():
            bar.close()
        self.bars.clear()
