"""Timing helpers shared by the benchmark scripts (import after django.setup())."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def median_ms(fn: Callable[[], Any], repeat: int = 9) -> tuple[float, float, float]:
    """(median, min, p90) in milliseconds of `repeat` runs after one warm-up run."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[0], samples[max(0, int(len(samples) * 0.9) - 1)]


def bare_ms(fn: Callable[[], Any], repeat: int = 9) -> tuple[float, int]:
    """The median time of the SQL `fn` runs, replayed through a raw cursor, and how many statements."""
    with CaptureQueriesContext(connection) as ctx:
        fn()
    statements = [q["sql"] for q in ctx.captured_queries]

    def replay() -> None:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()

    return median_ms(replay, repeat)[0], len(statements)
