import nbformat as nbf

cells = [
    nbf.v4.new_markdown_cell("# Demo lesson for the browser test"),
    nbf.v4.new_code_cell('print("hello from the demo lesson")'),
    nbf.v4.new_code_cell(
        "%matplotlib inline\n"
        "import matplotlib.pyplot as plt\n"
        "plt.plot([0, 1, 2], [0, 1, 4])\n"
        "plt.show()"
    ),
    nbf.v4.new_code_cell(
        '''import io

import ipywidgets as widgets
import matplotlib
import numpy as np
from matplotlib.figure import Figure


def line_png(slope, intercept):
    """Draw y = slope * x + intercept and return it as PNG bytes."""
    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    x = np.linspace(-1, 1, 20)
    ax.plot(x, slope * x + intercept)
    ax.set_ylim(-5, 5)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


slope = widgets.FloatSlider(value=1.0, min=-3, max=3, step=0.1, description="slope")
intercept = widgets.FloatSlider(value=0.0, min=-2, max=2, step=0.1, description="intercept")
readout = widgets.HTML().add_class("nnlib-readout")
figure = widgets.Image(format="png").add_class("nnlib-figure")


def update(change=None):
    readout.value = f"<b>slope</b> = {slope.value:.2f}, <b>intercept</b> = {intercept.value:.2f}"
    figure.value = line_png(slope.value, intercept.value)


slope.observe(update, names="value")
intercept.observe(update, names="value")
update()
widgets.VBox([slope, intercept, readout, figure]).add_class("nnlib-explorer")'''
    ),
]
nb = nbf.v4.new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
nbf.write(nb, "demo.ipynb")
