"""Running counts per organization subtree, kept by the database itself (PostgreSQL).

The dashboard's zone-wide figures (members by status, category, gender, education and birth month;
the month's dues bills and payments; units by coverage status and park type) would each read a whole
table on every view. Instead, statement-level triggers with transition tables append, for every
INSERT, UPDATE or DELETE on those tables — by the ORM, a bulk import or COPY — one grouped delta row
per (subtree path, dimension, value) to `core_tally`. A figure is the sum of its rows for the
subtree's path, so it is current within the same transaction. `compact()` folds the deltas together
(a scheduled task), `rebuild()` recomputes everything from the tables.

Other databases (the embedded SQLite) have no such triggers; there the selectors compute live, which
is fast at the embedded scale. `enabled()` says which path applies.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection

# The rows of one source, given as `rows`, turned into grouped deltas for every ancestor path.
MEMBER_DELTAS = """
SELECT 'member', substr(r.org_path, 1, l * 5), x.dim, x.value, SUM(r.d), 0
FROM (SELECT *, category NOT IN ('deceased', 'expelled', 'transferred_out') AS active FROM ({rows}) AS s) AS r
CROSS JOIN LATERAL generate_series(1, length(r.org_path) / 5) AS l
CROSS JOIN LATERAL (VALUES
    ('category', r.category, true),
    ('total', '', r.active),
    ('status', r.status, r.active),
    ('gender', r.gender, r.active),
    ('education', r.education, r.active),
    ('birth', to_char(r.birth_date, 'YYYY-MM'), r.active)
) AS x(dim, value, keep)
WHERE x.keep
GROUP BY 2, 3, 4 HAVING SUM(r.d) <> 0
"""
MEMBER_COLUMNS = "org_path, status, category, gender, education, birth_date"

BILL_DELTAS = """
SELECT 'bill', substr(r.org_path, 1, l * 5), x.dim, to_char(r.month, 'YYYY-MM'), SUM(x.n), SUM(x.amount)
FROM ({rows}) AS r
CROSS JOIN LATERAL generate_series(1, length(r.org_path) / 5) AS l
CROSS JOIN LATERAL (VALUES
    ('bills', r.d, r.d * r.amount),
    ('paid', r.d * (r.status = 'paid')::int, r.d * r.paid_amount)
) AS x(dim, n, amount)
GROUP BY 2, 3, 4 HAVING SUM(x.n) <> 0 OR SUM(x.amount) <> 0
"""
BILL_COLUMNS = "org_path, month, status, amount, paid_amount"

UNIT_DELTAS = """
SELECT 'unit', substr(r.org_path, 1, l * 5), x.dim, x.value, SUM(r.d), 0
FROM (SELECT u.org_path, u.status, COALESCE(p.park_type, '') AS park_type, u.d
      FROM ({rows}) AS u LEFT JOIN coverage_park p ON p.id = u.park_id
      WHERE u.closed_on IS NULL) AS r
CROSS JOIN LATERAL generate_series(1, length(r.org_path) / 5) AS l
CROSS JOIN LATERAL (VALUES ('status', r.status), ('park_type_status', r.park_type || ':' || r.status)) AS x(dim, value)
GROUP BY 2, 3, 4 HAVING SUM(r.d) <> 0
"""
UNIT_COLUMNS = "org_path, status, park_id, closed_on"

ORG_DELTAS = """
SELECT 'org', substr(r.path, 1, l * 5), 'type', r.org_type, SUM(r.d), 0
FROM ({rows}) AS r CROSS JOIN LATERAL generate_series(1, length(r.path) / 5) AS l
WHERE r.is_active GROUP BY 2, 3, 4 HAVING SUM(r.d) <> 0
"""
ORG_COLUMNS = "path, org_type, is_active"

PARK_DELTAS = """
SELECT 'unit', substr(r.org_path, 1, l * 5), 'park_type_status', r.park_type || ':' || r.status, SUM(r.d), 0
FROM ({rows}) AS r CROSS JOIN LATERAL generate_series(1, length(r.org_path) / 5) AS l
WHERE r.closed_on IS NULL GROUP BY 2, 3, 4 HAVING SUM(r.d) <> 0
"""

INSERT = "INSERT INTO core_tally (source, org_path, dim, value, n, amount) "

TABLES = {
    # table: (deltas, columns)
    "members_member": (MEMBER_DELTAS, MEMBER_COLUMNS),
    "dues_duesbill": (BILL_DELTAS, BILL_COLUMNS),
    "coverage_unit": (UNIT_DELTAS, UNIT_COLUMNS),
    "orgs_organization": (ORG_DELTAS, ORG_COLUMNS),
}
SOURCES = {
    "members_member": "member",
    "dues_duesbill": "bill",
    "coverage_unit": "unit",
    "orgs_organization": "org",
}


# Every statement here is assembled from the constants above, never from input.
def _rows(columns: str, table: str, sign: int) -> str:
    return f"SELECT {columns}, {sign} AS d FROM {table}"  # noqa: S608


def install_sql() -> list[str]:
    """The trigger functions and triggers (idempotent)."""
    statements = []
    for table, (deltas, columns) in TABLES.items():
        for event, rows in (
            ("INSERT", _rows(columns, "new_rows", 1)),
            ("DELETE", _rows(columns, "old_rows", -1)),
            ("UPDATE", f"{_rows(columns, 'old_rows', -1)} UNION ALL {_rows(columns, 'new_rows', 1)}"),
        ):
            name = f"xf_tally_{table}_{event.lower()}"
            transition = {
                "INSERT": "NEW TABLE AS new_rows",
                "DELETE": "OLD TABLE AS old_rows",
                "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            }[event]
            statements += [
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"{INSERT}{deltas.format(rows=rows)}; RETURN NULL; END $$",
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
                f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {transition} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
            ]
    # A park's type is part of its units' figures: moving a park to another type moves them.
    park_rows = (
        "SELECT u.org_path, u.status, u.park_id, u.closed_on, -1 AS d, o.park_type FROM coverage_unit u "
        "JOIN old_rows o ON o.id = u.park_id UNION ALL SELECT u.org_path, u.status, u.park_id, u.closed_on, 1, n.park_type "
        "FROM coverage_unit u JOIN new_rows n ON n.id = u.park_id"
    )
    park_deltas = PARK_DELTAS.format(rows=park_rows)
    statements += [
        f"CREATE OR REPLACE FUNCTION xf_tally_park_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"{INSERT}{park_deltas}; RETURN NULL; END $$",
        "DROP TRIGGER IF EXISTS xf_tally_park_update ON coverage_park",
        "CREATE TRIGGER xf_tally_park_update AFTER UPDATE ON coverage_park REFERENCING OLD TABLE AS old_rows "
        "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION xf_tally_park_update()",
    ]
    return statements


def uninstall_sql() -> list[str]:
    statements = []
    for table in TABLES:
        for event in ("insert", "delete", "update"):
            statements += [
                f"DROP TRIGGER IF EXISTS xf_tally_{table}_{event} ON {table}",
                f"DROP FUNCTION IF EXISTS xf_tally_{table}_{event}()",
            ]
    return [
        *statements,
        "DROP TRIGGER IF EXISTS xf_tally_park_update ON coverage_park",
        "DROP FUNCTION IF EXISTS xf_tally_park_update()",
    ]


def enabled() -> bool:
    return connection.vendor == "postgresql" and bool(getattr(settings, "XF_TALLIES", True))


def rebuild(sources: list[str] | None = None) -> None:
    """Recomputes the tallies (all, or some sources) from the tables (after a restore, or to check)."""
    with connection.cursor() as cursor:
        for table, (deltas, columns) in TABLES.items():
            if sources is not None and SOURCES[table] not in sources:
                continue
            cursor.execute("DELETE FROM core_tally WHERE source = %s", [SOURCES[table]])
            cursor.execute(INSERT + deltas.format(rows=_rows(columns, table, 1)))


def compact() -> int:
    """Folds each (source, path, dimension, value)'s delta rows into one; returns the rows left.
    Rows inserted by transactions that commit meanwhile are not seen by the DELETE, so none is lost."""
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH moved AS (DELETE FROM core_tally RETURNING source, org_path, dim, value, n, amount) "  # noqa: S608
            f"{INSERT}SELECT source, org_path, dim, value, SUM(n), SUM(amount) FROM moved "
            "GROUP BY 1, 2, 3, 4 HAVING SUM(n) <> 0 OR SUM(amount) <> 0"
        )
        cursor.execute("SELECT count(*) FROM core_tally")
        return int(cursor.fetchone()[0])


def read(
    source: str, paths: list[str] | tuple[str, ...], dims: list[str]
) -> dict[str, dict[str, tuple[int, Decimal]]]:
    """{dim: {value: (count, amount)}} summed over the subtrees rooted at `paths` (which must not
    nest: a nested path would be counted twice)."""
    result: dict[str, dict[str, tuple[int, Decimal]]] = defaultdict(dict)
    if not paths:
        return result
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT dim, value, SUM(n), SUM(amount) FROM core_tally WHERE source = %s AND org_path = ANY(%s) "
            "AND dim = ANY(%s) GROUP BY dim, value",
            [source, list(paths), list(dims)],
        )
        for dim, value, n, amount in cursor.fetchall():
            result[dim][value] = (int(n), amount or Decimal("0"))
    return result


def scope_paths(user: Any, perm: str) -> tuple[str, ...] | None:
    """The subtree roots a user's figures add up from, or None when the scope is not a set of whole
    subtrees (a member's own record): then the caller computes live."""
    from apps.core.scoping import get_scope
    from apps.orgs.models import Organization

    scope = get_scope(user)
    if scope.is_superuser:
        return tuple(Organization.objects.filter(parent__isnull=True).values_list("path", flat=True))
    paths = scope.paths(perm)
    return paths or None
