"""Asserts that a page's query count does not grow with the number of rows it shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def assert_constant_queries(client: Any, url: str, grow: Callable[[], None]) -> int:
    client.get(url)  # warm caches (session, content types) so both runs compare like with like
    before = count_queries(client, url)
    grow()
    after = count_queries(client, url)
    assert after == before, f"{url}: {before} queries before adding rows, {after} after"
    return after
