"""nnlib.progress updates one line in place wherever it runs, chosen by what the output can do.

Each case runs for real: a Jupyter kernel driven by nbclient (the output is replaced through
its display id), a shell that is not ipykernel's but whose display output reaches a front
end (as in Colab or JupyterLite), a pseudo-terminal (``"\\r"``), and a pipe (one line each).
"""

import os
import pty
import subprocess
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
BARS = "from nnlib.progress import Progress\nbar = Progress(3, width=6)\n" \
       "for i in range(1, 4):\n    bar.update(i, f'step {i}')\n"


def test_in_a_jupyter_kernel_one_output_is_replaced_in_place(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n" + BARS + "print(bar.mode)")])
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={
        "metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    shown = [o for o in outputs if o.output_type == "display_data"]
    assert len(shown) == 1, outputs  # one output, updated three times, not four outputs
    assert shown[0].data["text/plain"] == "[######] 3/3 step 3"
    assert "display" in "".join(o.get("text", "") for o in outputs if o.output_type == "stream")


def test_a_shell_with_a_front_end_publisher_gets_display_handles_whatever_its_name():
    code = (
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "from IPython.core.displaypub import CapturingDisplayPublisher\n"
        "class LiteShell(InteractiveShell):\n    pass\n"  # not ipykernel's class, another name
        "shell = LiteShell.instance()\n"
        "shell.display_pub = CapturingDisplayPublisher()\n"
        + BARS +
        "print(bar.mode)\n"
        "for o in shell.display_pub.outputs:\n"
        "    print(o['update'], o['data']['text/plain'], o['transient']['display_id'] != '')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.splitlines()
    assert out == ["display",
                   "False [......] 0/3 True",
                   "True [##....] 1/3 step 1 True",
                   "True [####..] 2/3 step 2 True",
                   "True [######] 3/3 step 3 True"]


def test_a_plain_ipython_shell_without_a_front_end_does_not_use_display_handles():
    code = ("from IPython.core.interactiveshell import InteractiveShell\n"
            "InteractiveShell.instance()\n" + BARS + "print(bar.mode)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.splitlines()
    assert out[-1] == "lines"
    assert out[:3] == ["[##....] 1/3 step 1", "[####..] 2/3 step 2", "[######] 3/3 step 3"]


def test_on_a_terminal_the_line_is_rewritten_with_carriage_returns():
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-c", BARS + "import sys; "
                                "print(bar.mode, file=sys.stderr)"],
                               stdout=follower, stderr=subprocess.PIPE, cwd=ROOT)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 1024)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=60) == 0
    with process.stderr:
        assert process.stderr.read().decode().strip() == "terminal"
    text = b"".join(chunks).decode()
    assert text == ("\r[##....] 1/3 step 1\r[####..] 2/3 step 2\r[######] 3/3 step 3\r\n")


def test_in_a_pipe_each_update_is_its_own_line():
    out = subprocess.run([sys.executable, "-c", BARS + "print(bar.mode)"], capture_output=True,
                         text=True, check=True, cwd=ROOT).stdout
    assert out == "[##....] 1/3 step 1\n[####..] 2/3 step 2\n[######] 3/3 step 3\nlines\n"
