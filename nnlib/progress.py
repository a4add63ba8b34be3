"""A one-line progress display for training loops.

In a notebook it updates a single output line in place (via IPython's
display handles); elsewhere it prints a line per update. IPython is imported
only when a notebook is running.
"""

from __future__ import annotations

import sys


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    ip = shell.get_ipython()
    return ip is not None and type(ip).__name__ == "ZMQInteractiveShell"


class Progress:
    """``Progress(total)``; call ``update(done, text)`` as work gets done."""

    def __init__(self, total: int, width: int = 30):
        self.total = total
        self.width = width
        self._handle = None
        if _in_notebook():
            from IPython.display import Pretty, display

            self._handle = display(Pretty(self.line(0)), display_id=True)

    def line(self, done: int, text: str = "") -> str:
        """``[#######.......] 12/40 text``."""
        filled = int(self.width * done / max(self.total, 1))
        bar = "#" * filled + "." * (self.width - filled)
        return f"[{bar}] {done}/{self.total} {text}".rstrip()

    def update(self, done: int, text: str = "") -> None:
        if self._handle is not None:
            from IPython.display import Pretty

            self._handle.update(Pretty(self.line(done, text)))
        else:
            print(self.line(done, text), flush=True)
