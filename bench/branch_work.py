#!/usr/bin/env python
"""Benchmarks of branch work at province scale (run after bench/run.py has generated the members).

  DATABASE_URL=postgres://…/xianfeng_bench .venv/bin/python bench/branch_work.py

Measures: generating a month's dues bills for every member (one INSERT … SELECT), the collection
rate of the root for a month, and the committee checklist table for the root (the selector and the
page, every item: meetings and the checks over transfers, records, dues, development, pioneer
publications, elections and the ledger); each beside the bare SQL it runs, replayed through a raw
cursor. Half a year of synthetic meetings is inserted first when there are none. Results go to
bench/results/branch_work.md.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xianfeng.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402


def median_ms(fn, repeat: int = 9) -> float:  # type: ignore[no-untyped-def]
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def bare_ms(fn, repeat: int = 9) -> float:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        fn()
    statements = [q["sql"] for q in ctx.captured_queries]

    def replay() -> None:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()

    return median_ms(replay, repeat)


def _get(client, url: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")


def main() -> None:
    from apps.accounts.models import RoleGrant, User
    from apps.core.scoping import Role
    from apps.dues.models import DuesBase, DuesBill
    from apps.dues.selectors import collection
    from apps.dues.services import dues_bills_generate
    from apps.meetings.selectors import branches_under, committee_table
    from apps.members.models import Member
    from apps.orgs.models import Organization

    root = Organization.objects.get(parent__isnull=True)
    admin, _ = User.objects.get_or_create(username="bench-root")
    RoleGrant.objects.get_or_create(user=admin, role=Role.ZONE_ADMIN, org=root)
    members = Member.objects.count()
    if not DuesBase.objects.exists():
        with connection.cursor() as cursor:
            # Every member gets a base: incomes spread over all brackets, a tenth retired.
            cursor.execute(
                "INSERT INTO dues_duesbase (member_id, category, base, effective_from, note, set_at) "
                "SELECT id, CASE WHEN id %% 10 = 0 THEN 'retired' ELSE 'employed' END, 2000 + (id * 37) %% 14000, %s, '', now() FROM members_member",
                [dt.date(2020, 1, 1)],
            )
            cursor.execute("ANALYZE dues_duesbase")
    from apps.meetings.models import Meeting

    if not Meeting.objects.exists():
        with connection.cursor() as cursor:
            # Half a year of branch life: every branch holds a theme day and a committee meeting most
            # months, a general meeting and a lecture each quarter; about one in eight skips a month.
            cursor.execute(
                "INSERT INTO meetings_meeting (org_id, org_path, meeting_type, topic, date, place, host, minutes, status, "
                "checkin_code, created_at, updated_at) "
                "SELECT o.id, o.path, t.kind, '主题', (date_trunc('month', now()) - (m.n || ' month')::interval + ((o.id % 20) || ' day')::interval)::date, "
                "'活动室', '书记', CASE WHEN o.id % 3 = 0 THEN '' ELSE '会议记录' END, 'held', '', now(), now() "
                "FROM orgs_organization o CROSS JOIN generate_series(0, 5) AS m(n) "
                "CROSS JOIN (VALUES ('theme_day'), ('committee_meeting'), ('general_meeting'), ('party_lecture')) AS t(kind) "
                "WHERE o.org_type IN ('branch', 'joint_branch', 'temp_branch') AND (o.id + m.n) % 8 <> 0 "
                "AND (t.kind IN ('theme_day', 'committee_meeting') OR m.n % 3 = 0) "
                "AND (date_trunc('month', now()) - (m.n || ' month')::interval + ((o.id % 20) || ' day')::interval)::date < now()::date"
            )
            cursor.execute("ANALYZE meetings_meeting")
    month = timezone.localdate().replace(day=1)
    DuesBill.objects.filter(month=month).delete()
    start = time.perf_counter()
    result = dues_bills_generate(actor=admin, month=month)
    generation_ms = (time.perf_counter() - start) * 1000
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dues_duesbill")
    # A payment rate of about 80 % for the collection figures.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE dues_duesbill SET status = 'paid', paid_amount = amount, paid_on = %s WHERE month = %s AND id %% 5 <> 0",
            [month, month],
        )
    rows = [
        (
            "dues bills for one month, all members (INSERT … SELECT)",
            generation_ms,
            None,
            "< 60 s",
            f"{result.created:,} bills",
        ),
    ]
    today = timezone.localdate()
    from django.test import Client

    page_client = Client()
    page_client.force_login(admin)
    for label, fn, goal in (
        ("collection rate, root, one month", lambda: collection(admin, month=month, org=root), "< 200 ms"),
        (
            "committee checklist table, root, first page in tree order (GET /meetings/checklist/)",
            lambda: committee_table(
                admin, root, on=today, today=today, branches=list(branches_under(admin, root)[:50])
            ),
            "< 300 ms",
        ),
        (
            "the same page through Django's test Client (middleware, session, template)",
            lambda: _get(page_client, f"/meetings/checklist/?org={root.pk}"),
            "< 300 ms",
        ),
        (
            "committee checklist, root, every branch (to sort by red items)",
            lambda: committee_table(admin, root, on=today, today=today),
            "—",
        ),
    ):
        if "every branch" in label and "--skip-all-branches" in sys.argv:
            continue  # minutes at province scale; not a goal
        server = median_ms(fn)
        rows.append((label, server, bare_ms(fn), goal, ""))
        print(f"{label}: {server:.1f} ms", flush=True)
    lines = [
        f"Database: {connection.vendor} · members: {members:,} · branches: {Organization.objects.filter(org_type='branch').count():,} · {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        "| measurement | median | bare SQL | ratio | goal | notes |",
        "|---|---|---|---|---|---|",
    ]
    for label, ms, sql, goal, notes in rows:
        value = f"{ms / 1000:.1f} s" if ms >= 10_000 else f"{ms:.1f} ms"
        bare = "—" if sql is None else f"{sql:.1f} ms"
        ratio = "—" if not sql else f"{ms / sql:.2f}×"
        lines.append(f"| {label} | {value} | {bare} | {ratio} | {goal} | {notes} |")
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "bench" / "results" / "branch_work.md").write_text(text)


if __name__ == "__main__":
    main()
