"""Colour arithmetic for the codebook: how different two colours look, and the tints the
reader paints passages with.

CIEDE2000 (CIE 142-2001; Sharma, Wu and Dalal, 2005) is the colour difference that tracks
what people see: ΔE ≈ 2 is just noticeable side by side, ≥ 20 reads as a different colour at
a glance. The reader shows a passage as a tint of its category's colour over the window's
base colour (``tint``), so the default codebook is checked on those tints, in a light and a
dark scheme, and not only on the saturated swatches. Pure functions, no Qt: the reader's
highlighter blends with the same rule.
"""

from __future__ import annotations

import math

RGB = tuple[int, int, int]
Lab = tuple[float, float, float]

# Passage tint strength at stacking depth 1 (the reader's LIGHT_STRENGTH/DARK_STRENGTH[0]).
LIGHT_TINT = 0.30
DARK_TINT = 0.40
LIGHT_BASE = "#ffffff"  # Qt's light base
DARK_BASE = "#2d2d2d"  # a typical dark scheme's base (Fusion dark, Breeze dark are close)


def rgb(hex_colour: str) -> RGB:
    """``#rrggbb`` → (r, g, b), 0–255."""
    value = hex_colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"not a #rrggbb colour: {hex_colour!r}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def hex_of(colour: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour)


def tint(base: str, colour: str, strength: float) -> str:
    """``strength`` of ``colour`` over ``base``, opaque (as the reader paints a passage)."""
    b, c = rgb(base), rgb(colour)
    return hex_of(
        (
            round(b[0] * (1 - strength) + c[0] * strength),
            round(b[1] * (1 - strength) + c[1] * strength),
            round(b[2] * (1 - strength) + c[2] * strength),
        )
    )


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def lab(hex_colour: str) -> Lab:
    """sRGB (D65) → CIELAB."""
    r, g, b = (_linear(c) for c in rgb(hex_colour))
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(first: Lab, second: Lab) -> float:
    """CIEDE2000 colour difference of two CIELAB colours (kL = kC = kH = 1)."""
    l1, a1, b1 = first
    l2, a2, b2 = second
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0

    dl = l2 - l1
    dc = c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    elif h2p - h1p > 180:
        dh = h2p - h1p - 360
    else:
        dh = h2p - h1p + 360
    dH = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))

    l_mean = (l1 + l2) / 2
    cp_mean = (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        h_mean = (h1p + h2p + 360) / 2
    else:
        h_mean = (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    d_theta = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt(
        (dl / s_l) ** 2 + (dc / s_c) ** 2 + (dH / s_h) ** 2 + r_t * (dc / s_c) * (dH / s_h)
    )


def luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance, 0 (black) to 1 (white)."""
    r, g, b = (_linear(c) for c in rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio, 1 to 21 (body text wants at least 4.5)."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def difference(first: str, second: str) -> float:
    """CIEDE2000 difference of two ``#rrggbb`` colours."""
    return delta_e(lab(first), lab(second))


def closest_pair(colours: list[str]) -> tuple[float, str, str]:
    """The two colours that look most alike, with their difference."""
    best = (math.inf, "", "")
    for i, first in enumerate(colours):
        for second in colours[i + 1 :]:
            best = min(best, (difference(first, second), first, second))
    return best


# Colours a new category may take, beyond the default codebook's: saturated enough to show
# as a tint, spread round the hue circle at two lightnesses.
EXTRA_COLOURS = (
    "#bcbd22",
    "#e377c2",
    "#8c564b",
    "#393b79",
    "#637939",
    "#17becf",
    "#ad494a",
    "#7b4173",
    "#a55194",
    "#3182bd",
    "#e6550d",
    "#31a354",
)


def next_colour(used: list[str]) -> str:
    """The candidate whose reader tint stands furthest from every colour in use (what the
    officer will see side by side), for a new category."""
    if not used:
        return EXTRA_COLOURS[0]
    shown = [lab(tint(LIGHT_BASE, colour, LIGHT_TINT)) for colour in used]

    def nearest(candidate: str) -> float:
        mine = lab(tint(LIGHT_BASE, candidate, LIGHT_TINT))
        return min(delta_e(mine, other) for other in shown)

    fresh = [c for c in EXTRA_COLOURS if c.casefold() not in {u.casefold() for u in used}]
    return max(fresh or EXTRA_COLOURS, key=nearest)
