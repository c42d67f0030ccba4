"""The `newsbot` script's entry point: the command line imported with the cyclic garbage
collector paused, and what the import made frozen out of its view.

Why: most commands are short processes, and for `ask` or `search` the user waits for the
whole of one. Importing the command line makes a few hundred thousand objects (modules,
functions, classes, compiled patterns) that live until the process ends. While they are
being made the collector walks them again and again, and at exit it walks them all once
more, which cost a fresh process about a fifth of its time to a first answer (README,
"Speed"). `gc.freeze` is the standard library's tool for objects that live for the whole
process: it moves them to a permanent generation that later collections skip, so those
collections only see what the command itself makes.
"""

from __future__ import annotations

import gc


def main() -> None:
    """Run the `newsbot` command line."""
    gc.disable()
    try:
        from bot.cli.commands import main as run_command_line
    finally:
        gc.freeze()
        gc.enable()
    run_command_line()
