"""A figure for an explorer: drawn off-screen, its fixed parts once, its moving parts per update.

Used by the explorers of ``nnlib.graph_plot``, ``nnlib.landscape_plot`` and
``nnlib.outlier_explorer``. ``ExplorerPicture(width, height)`` holds a
matplotlib ``Figure`` on the Agg canvas (outside pyplot, so it never shows up
on its own). ``png(moving)`` returns the picture as PNG bytes:

- ``moving`` given (a list of artists): the rest of the figure is drawn once
  and kept; each call pastes it back and draws only those artists on top
  (*blitting*), which keeps a slider quick;
- ``moving`` None: the whole figure is drawn again (for pictures whose every
  part may change).
"""

from __future__ import annotations

import io

import numpy as np


class ExplorerPicture:
    """An off-screen figure of ``width`` x ``height`` inches at ``dpi`` that renders to PNG."""

    def __init__(self, width: float, height: float, dpi: float = 80):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(width, height), dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self._background = None

    def png(self, moving=None) -> bytes:
        """The figure as PNG bytes, redrawing only ``moving`` (None: everything)."""
        from PIL import Image

        if moving is None:
            self.canvas.draw()
        else:
            if self._background is None:
                for artist in moving:
                    artist.set_animated(True)
                self.canvas.draw()
                self._background = self.canvas.copy_from_bbox(self.figure.bbox)
            self.canvas.restore_region(self._background)
            for artist in moving:
                self.figure.draw_artist(artist)
        buffer = io.BytesIO()
        Image.fromarray(np.asarray(self.canvas.buffer_rgba())).save(buffer, format="png",
                                                                    compress_level=1)
        return buffer.getvalue()
