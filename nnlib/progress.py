"""A one-line progress display for training loops.

How it updates in place depends on what the output can do, not on which program runs it:

- under a kernel whose display output goes to a front end (JupyterLab, Notebook, VS Code,
  Colab, JupyterLite...), it shows one output and replaces it through an IPython display
  handle (``display(..., display_id=True)`` then ``handle.update(...)``);
- on a real terminal (``sys.stdout.isatty()``), it rewrites the same line with ``"\\r"``;
- anywhere else (a log file, a pipe, CI), it prints one line per update.

IPython is only looked at when it is already imported, so a plain script never loads it.
"""

from __future__ import annotations

import sys


def _display_reaches_a_front_end() -> bool:
    """True if IPython is running a shell whose display output a front end receives.

    IPython's own ``DisplayPublisher.publish`` just prints text to stdout, where an update
    would appear as a new line. Kernels that talk to a front end (ipykernel's, Colab's, the
    Pyodide kernel's) install a publisher that overrides ``publish``; that is the capability
    display handles need to replace an output.
    """
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    publisher = getattr(shell, "display_pub", None)
    if publisher is None:
        return False
    from IPython.core.displaypub import DisplayPublisher

    return type(publisher).publish is not DisplayPublisher.publish


def _is_terminal(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


class Progress:
    """``Progress(total)``; call ``update(done, text)`` as work gets done.

    The display is chosen once, when the bar is made: ``"display"`` (a replaceable notebook
    output), ``"terminal"`` (one line rewritten with ``"\\r"``) or ``"lines"`` (a line per
    update). ``mode`` says which one was chosen.
    """

    def __init__(self, total: int, width: int = 30):
        self.total = total
        self.width = width
        self._handle = None
        self._last_length = 0
        if _display_reaches_a_front_end():
            from IPython.display import Pretty, display

            self.mode = "display"
            self._handle = display(Pretty(self.line(0)), display_id=True)
        elif _is_terminal(sys.stdout):
            self.mode = "terminal"
        else:
            self.mode = "lines"

    def line(self, done: int, text: str = "") -> str:
        """``[#######.......] 12/40 text``."""
        filled = int(self.width * done / max(self.total, 1))
        bar = "#" * filled + "." * (self.width - filled)
        return f"[{bar}] {done}/{self.total} {text}".rstrip()

    def update(self, done: int, text: str = "") -> None:
        line = self.line(done, text)
        if self.mode == "display":
            from IPython.display import Pretty

            self._handle.update(Pretty(line))
        elif self.mode == "terminal":
            # Pad with spaces so a shorter line fully covers the longer one before it.
            padding = " " * max(self._last_length - len(line), 0)
            end = "\n" if done >= self.total else ""
            sys.stdout.write("\r" + line + padding + end)
            sys.stdout.flush()
            self._last_length = len(line)
        else:
            print(line, flush=True)
