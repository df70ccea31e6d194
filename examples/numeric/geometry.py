"""Plane geometry: distances, polygon area, and points on a circle."""

from __future__ import annotations

import math
from typing import Iterable

try:
    from poet import poet
except ImportError:  # without POET's runtime the functions run undecorated
    poet = lambda *_args, **_kwargs: (lambda fn: fn)  # noqa: E731

Point = tuple[float, float]


def distance(a: Point, b: Point, /) -> float:
    """Euclidean distance between two points."""
    return math.hypot(b[0] - a[0], b[1] - a[1])


@poet(domain="computation", retries=0, timeout=1.0)
def polygon_area(vertices: Iterable[Point]) -> float:
    """Area of a simple polygon by the shoelace formula (vertices in order, either direction)."""
    pts = list(vertices)
    if len(pts) < 3:
        raise ValueError(f"a polygon needs at least 3 vertices, got {len(pts)}")
    twice = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1]))
    return abs(twice) / 2.0


@poet(domain="computation", timeout=1.0)
def circle_points(center: Point = (0.0, 0.0), radius: float = 1.0, count: int = 8, **options: bool) -> list[Point]:
    """``count`` evenly spaced points on a circle, starting at angle 0 (counter-clockwise).

    ``options['round']`` rounds the coordinates to 9 places.
    """
    if radius < 0 or count < 1:
        raise ValueError("radius must be >= 0 and count >= 1")
    step = 2 * math.pi / count
    pts = [(center[0] + radius * math.cos(i * step), center[1] + radius * math.sin(i * step)) for i in range(count)]
    if options.get("round"):
        pts = [(round(x, 9), round(y, 9)) for x, y in pts]
    return pts
