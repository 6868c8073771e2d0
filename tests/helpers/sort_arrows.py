"""Reading a table heading's sort arrow off its pixels: which way it points."""

import numpy as np
from PySide6.QtCore import Qt


def _section_pixels(header, section):
    header.repaint()
    image = header.grab().toImage()
    left, width = header.sectionViewportPosition(section), header.sectionSize(section)
    return np.array([[image.pixel(x, y) for x in range(left, left + width)]
                     for y in range(image.height())])


def arrow_rows(header, section):
    """How many dark pixels each row of the sort arrow in ``header``'s ``section`` has, top
    to bottom: the arrow is where the heading differs from itself drawn with the arrow of
    the other order (the text stays where it is)."""
    order = header.sortIndicatorOrder()
    shown = _section_pixels(header, section)
    other = (Qt.SortOrder.AscendingOrder if order == Qt.SortOrder.DescendingOrder else
             Qt.SortOrder.DescendingOrder)
    header.setSortIndicator(section, other)
    turned = _section_pixels(header, section)
    header.setSortIndicator(section, order)
    ys, xs = np.nonzero(shown != turned)
    box = shown[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    grey = ((box >> 16) & 255) * 0.3 + ((box >> 8) & 255) * 0.59 + (box & 255) * 0.11
    dark = grey < grey.max(axis=1, keepdims=True) - 40     # the heading's gradient aside
    return [int(n) for n in dark.sum(axis=1) if n]
