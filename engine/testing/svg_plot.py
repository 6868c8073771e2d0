"""Small SVG charts for reports, without a plotting library: lines, points, shaded bands,
bars and stems on linear axes with rounded ticks, a title, axis labels and a legend.

    figure = Figure("Error by horizon", "steps ahead", "RMSE")
    figure.line([1, 2, 3], [1.0, 1.5, 2.2], "#d62728", "network")
    text = figure.svg()              # a complete <svg> document
    uri = data_uri(text)             # for <img src="...">

x values may be dates as seconds since 1970 (``x_dates=True``): ticks are then labelled as
dates. NaN values break lines and are left out elsewhere.
"""

import base64
import math
from html import escape

import numpy as np

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"


def nice_ticks(low, high, count=6):
    """Round tick values covering ``[low, high]``: steps of 1, 2, 2.5 or 5 times a power of
    ten, about ``count`` of them."""
    if not (np.isfinite(low) and np.isfinite(high)):
        return [0.0, 1.0]
    if high <= low:
        low, high = low - 0.5 * (abs(low) or 1), high + 0.5 * (abs(high) or 1)
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    if first + step == first:       # a range narrower than the values' rounding (1e26 + 1)
        return [low, high]
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 12))
        value += step
    if ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return ticks


def number_text(value):
    """A tick label: few digits, no trailing zeros."""
    if value == 0:
        return "0"
    if abs(value) >= 1e9 or abs(value) < 1e-3:
        return f"{value:.2e}"
    return f"{value:.6g}"


def date_text(seconds, span):
    stamp = np.datetime64(int(round(seconds)), "s")
    text = str(stamp)
    if span > 2 * 365 * 86400:
        return text[:7] if text[5:7] != "01" else text[:4]
    if span > 60 * 86400:
        return text[:7]
    if span > 2 * 86400:
        return text[:10]
    return text[5:16].replace("T", " ")


def _around(value):
    """A range around a single value: 10% of it on either side (1 around 0), so that a
    value of 1e26 gets a range wider than its rounding."""
    pad = abs(value) * 0.1 or 1.0
    return value - pad, value + pad


class Figure:
    """One chart; add elements, then :meth:`svg`."""

    def __init__(self, title, x_label="", y_label="", width=680, height=300, x_dates=False,
                 y_range=None, x_integer=False):
        self.title, self.x_label, self.y_label = title, x_label, y_label
        self.x_integer = x_integer
        self.width, self.height, self.x_dates = width, height, x_dates
        self.y_range = y_range
        self.items = []
        self.legend = []

    # -- elements ------------------------------------------------------------------------
    def _add(self, kind, x, y, color, label, **style):
        x = np.asarray(x, dtype=float).ravel()
        y = np.asarray(y, dtype=float).ravel()
        self.items.append((kind, x, y, color, style))
        if label:
            self.legend.append((label, color, kind, style.get("dash")))

    def line(self, x, y, color, label=None, width=1.6, dash=None):
        self._add("line", x, y, color, label, width=width, dash=dash)

    def points(self, x, y, color, label=None, radius=2.6):
        self._add("points", x, y, color, label, radius=radius)

    def band(self, x, low, high, color, label=None, opacity=0.18):
        x = np.asarray(x, dtype=float).ravel()
        self._add("band", np.r_[x, x[::-1]],
                  np.r_[np.asarray(low, float).ravel(), np.asarray(high, float).ravel()[::-1]],
                  color, label, opacity=opacity)

    def bars(self, left, right, heights, color, label=None):
        left = np.asarray(left, dtype=float).ravel()
        right = np.asarray(right, dtype=float).ravel()
        self._add("bars", np.c_[left, right].ravel(), np.repeat(heights, 2), color, label)
        self.items[-1][4]["zero"] = True

    def stems(self, x, y, color, label=None):
        self._add("stems", x, y, color, label, zero=True)

    def hline(self, y, color, dash="4 3", label=None):
        self._add("hline", [], [y], color, label, dash=dash)

    # -- drawing -------------------------------------------------------------------------
    def _ranges(self):
        xs = [x for kind, x, _, _, _ in self.items if kind != "hline"]
        ys = [y for _, _, y, _, _ in self.items]
        if any(style.get("zero") for *_, style in self.items):
            ys.append(np.array([0.0]))
        x = np.concatenate(xs) if xs else np.zeros(1)
        y = np.concatenate(ys) if ys else np.zeros(1)
        x, y = x[np.isfinite(x)], y[np.isfinite(y)]
        x_low, x_high = (x.min(), x.max()) if x.size else (0.0, 1.0)
        y_low, y_high = (y.min(), y.max()) if y.size else (0.0, 1.0)
        kinds = {kind for kind, *_ in self.items}
        if kinds & {"points", "stems"} and x_high > x_low:
            pad = 0.03 * (x_high - x_low)         # markers at the ends stay whole
            x_low, x_high = x_low - pad, x_high + pad
        if "points" in kinds and y_high > y_low and self.y_range is None:
            pad = 0.03 * (y_high - y_low)
            y_low, y_high = y_low - pad, y_high + pad
        if self.y_range is not None:
            y_low, y_high = self.y_range
        if x_high <= x_low:
            x_low, x_high = _around(x_low)
        if y_high <= y_low:
            y_low, y_high = _around(y_low)
        return x_low, x_high, y_low, y_high

    def _legend_places(self, left):
        """``(x, line)`` of each legend entry: entries side by side, wrapped onto further
        lines where the next would pass the right edge."""
        places, x, line = [], left, 0
        for label, *_ in self.legend:
            width = 34 + 6.5 * len(label)
            if x > left and x + width - 12 > self.width:
                x, line = left, line + 1
            places.append((x, line))
            x += width
        return places

    def _x_ticks(self, x_low, x_high):
        """The x axis' tick positions: 6 evenly spaced for dates, else round numbers in
        the range (whole ones for whole-number axes)."""
        if self.x_dates:
            return list(np.linspace(x_low, x_high, 6))
        return [t for t in nice_ticks(x_low, x_high) if x_low <= t <= x_high
                and (not self.x_integer or float(t).is_integer())] or [x_low, x_high]

    def svg(self):
        W, H = self.width, self.height
        legend = self._legend_places(70)
        lines = legend[-1][1] + 1 if legend else 0
        H = self.height + 16 * max(lines - 1, 0)
        left, right, top, bottom = 70, 30, 30, 46 + 16 * lines
        x_low, x_high, y_low, y_high = self._ranges()
        x_ticks = self._x_ticks(x_low, x_high)
        y_ticks = nice_ticks(y_low, y_high, 6)
        y_low, y_high = min(y_low, y_ticks[0]), max(y_high, y_ticks[-1])
        pw, ph = W - left - right, H - top - bottom

        def px(x):
            return left + (np.asarray(x, float) - x_low) / (x_high - x_low) * pw

        def py(y):
            return top + (y_high - np.asarray(y, float)) / (y_high - y_low) * ph

        out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
               f'viewBox="0 0 {W} {H}" font-family="{FONT}" font-size="11">',
               f'<rect width="{W}" height="{H}" fill="white"/>',
               f'<text x="{W / 2:.1f}" y="18" text-anchor="middle" font-size="13" '
               f'font-weight="bold">{escape(self.title)}</text>']
        for t in y_ticks:
            y = py(t)
            out.append(f'<line x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}" '
                       'stroke="#e4e4e4"/>')
            out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
                       f'fill="#333">{escape(number_text(t))}</text>')
        span = x_high - x_low
        for t in x_ticks:
            x = px(t)
            label = date_text(t, span) if self.x_dates else number_text(t)
            out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + ph}" '
                       'stroke="#eeeeee"/>')
            out.append(f'<text x="{x:.1f}" y="{top + ph + 15}" text-anchor="middle" '
                       f'fill="#333">{escape(label)}</text>')
        out.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" '
                   'stroke="#999"/>')
        if y_low < 0 < y_high:
            out.append(f'<line x1="{left}" x2="{left + pw}" y1="{py(0):.1f}" '
                       f'y2="{py(0):.1f}" stroke="#888"/>')
        out.append(f'<defs><clipPath id="plot"><rect x="{left}" y="{top}" width="{pw}" '
                   f'height="{ph}"/></clipPath></defs><g clip-path="url(#plot)">')
        for kind, x, y, color, style in self.items:
            out.extend(self._draw(kind, x, y, color, style, px, py, left, pw))
        out.append("</g>")
        if self.x_label:
            out.append(f'<text x="{left + pw / 2:.1f}" y="{top + ph + 32}" '
                       f'text-anchor="middle" fill="#333">{escape(self.x_label)}</text>')
        if self.y_label:
            out.append(f'<text transform="translate(14 {top + ph / 2:.1f}) rotate(-90)" '
                       f'text-anchor="middle" fill="#333">{escape(self.y_label)}</text>')
        out.extend(self._legend_svg(legend, lines, H))
        out.append("</svg>")
        return "\n".join(out)

    def _legend_svg(self, places, lines, height):
        """The legend's SVG elements: a line or swatch and the label per entry, at the
        ``places`` of :meth:`_legend_places` on ``lines`` lines above the bottom edge."""
        out = []
        for (label, color, kind, dash), (x, line) in zip(self.legend, places):
            y = height - 10 - 16 * (lines - 1 - line)
            if kind == "line" or kind == "hline":
                dashed = f' stroke-dasharray="{dash}"' if dash else ""
                out.append(f'<line x1="{x}" x2="{x + 18}" y1="{y - 4}" y2="{y - 4}" '
                           f'stroke="{color}" stroke-width="2"{dashed}/>')
            else:
                opacity = 0.3 if kind == "band" else 1
                out.append(f'<rect x="{x}" y="{y - 9}" width="18" height="10" '
                           f'fill="{color}" fill-opacity="{opacity}"/>')
            out.append(f'<text x="{x + 22}" y="{y}" fill="#333">{escape(label)}</text>')
        return out

    @staticmethod
    def _draw(kind, x, y, color, style, px, py, left, pw):
        out = []
        if kind == "line":
            dash = f' stroke-dasharray="{style["dash"]}"' if style.get("dash") else ""
            for part in _runs(x, y):
                points = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(px(part[0]),
                                                                    py(part[1])))
                out.append(f'<polyline points="{points}" fill="none" stroke="{color}" '
                           f'stroke-width="{style["width"]}"{dash}/>')
        elif kind == "points":
            keep = np.isfinite(x) & np.isfinite(y)
            for a, b in zip(px(x[keep]), py(y[keep])):
                out.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="{style["radius"]}" '
                           f'fill="{color}" fill-opacity="0.75"/>')
        elif kind == "band":
            keep = np.isfinite(x) & np.isfinite(y)
            if keep.all() and len(x):
                points = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(px(x), py(y)))
                out.append(f'<polygon points="{points}" fill="{color}" '
                           f'fill-opacity="{style["opacity"]}" stroke="none"/>')
        elif kind == "bars":
            zero = py(0)
            for i in range(0, len(x), 2):
                a, b = px(x[i]), px(x[i + 1])
                top = py(y[i])
                out.append(f'<rect x="{a:.1f}" y="{min(top, zero):.1f}" '
                           f'width="{max(b - a - 1, 1):.1f}" height="{abs(zero - top):.1f}" '
                           f'fill="{color}" fill-opacity="0.8"/>')
        elif kind == "stems":
            zero = py(0)
            for a, b in zip(px(x), py(y)):
                if np.isfinite(b):
                    out.append(f'<line x1="{a:.1f}" x2="{a:.1f}" y1="{zero:.1f}" '
                               f'y2="{b:.1f}" stroke="{color}" stroke-width="2"/>')
                    out.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="2.5" fill="{color}"/>')
        elif kind == "hline":
            level = py(y[0])
            out.append(f'<line x1="{left}" x2="{left + pw}" y1="{level:.1f}" '
                       f'y2="{level:.1f}" stroke="{color}" stroke-dasharray="{style["dash"]}"/>')
        return out


def _runs(x, y):
    """Consecutive stretches of finite points (x, y) as a list of (x, y) pairs."""
    keep = np.isfinite(x) & np.isfinite(y)
    runs, start = [], None
    for i, ok in enumerate(np.r_[keep, False]):
        if ok and start is None:
            start = i
        elif not ok and start is not None:
            runs.append((x[start:i], y[start:i]))
            start = None
    return runs


def data_uri(svg_text):
    """``data:image/svg+xml;base64,...`` of an SVG document."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg_text.encode("utf-8")).decode()
