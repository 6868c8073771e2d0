"""Reading the HTML reports in tests: their images, headings and table cells, and the SVG
drawing inside an image."""

import base64
import xml.etree.ElementTree as ET
from html.parser import HTMLParser


class Page(HTMLParser):
    """Collects the images, headings and table cells; fails on unbalanced tables."""

    def __init__(self):
        super().__init__()
        self.images, self.headings, self.cells, self.open = [], [], [], []
        self._heading = None

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))
        if tag in ("h1", "h2", "h3"):
            self._heading = ""
        if tag in ("table", "tr", "td", "th"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3"):
            self.headings.append(self._heading)
            self._heading = None
        if tag in ("table", "tr", "td", "th"):
            assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open}"
            self.open.pop()

    def handle_data(self, data):
        if self._heading is not None:
            self._heading += data
        if self.open and self.open[-1] in ("td", "th"):
            self.cells.append(data)


def svg_of(source):
    """The SVG drawing (its root element) of an image's ``src``, a base64 data URI."""
    prefix = "data:image/svg+xml;base64,"
    assert source.startswith(prefix)
    return ET.fromstring(base64.b64decode(source[len(prefix):], validate=True))
