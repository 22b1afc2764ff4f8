#!/usr/bin/env python
"""Reproducible benchmarks at province scale (see bench/README.md).

Run on PostgreSQL:  DATABASE_URL=postgres://…/xianfeng_bench .venv/bin/python bench/run.py --members 1000000
Each figure is the median of repeated runs after a warm-up. Beside it: the time of the bare SQL that
produces the same result (the statements Django ran, replayed through a raw cursor), and the ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xianfeng.settings")
os.environ.setdefault("XF_JOBS", "inline")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

GOALS = {
    "list_root": 50,
    "list_branch": 50,
    "search": 50,
    "count_root": 200,
}


def median_ms(fn: Callable[[], Any], repeat: int) -> float:
    for _ in range(3):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def bare_sql_ms(fn: Callable[[], Any], repeat: int, only_last: int | None = None) -> tuple[float, int]:
    """Replays the SQL that `fn` ran, through a raw cursor, and returns its median total time."""
    with CaptureQueriesContext(connection) as ctx:
        fn()
    statements = [q["sql"] for q in ctx.captured_queries]
    if only_last:
        statements = statements[-only_last:]

    def replay() -> None:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()

    return median_ms(replay, repeat), len(statements)


def ensure_users() -> tuple[Any, Any, Any]:
    from apps.accounts.models import RoleGrant, User
    from apps.core.scoping import Role
    from apps.orgs.models import Organization

    root = Organization.objects.get(parent__isnull=True)
    branch = Organization.objects.filter(org_type="branch").order_by("id")[len("bench") * 97]
    admin, _ = User.objects.get_or_create(username="bench-root")
    secretary, _ = User.objects.get_or_create(username="bench-branch")
    RoleGrant.objects.get_or_create(user=admin, role=Role.ZONE_ADMIN, org=root)
    RoleGrant.objects.get_or_create(user=secretary, role=Role.BRANCH_SECRETARY, org=branch)
    return admin, secretary, branch


def fresh_region() -> str:
    """A region code no earlier run imported, so every run measures new members, not no-op updates."""
    from apps.core import crypto
    from apps.core.demo import identities
    from apps.members.models import Member

    for code in range(110101, 659999, 7):
        first17 = f"{code}19600101001"
        if not Member.objects.filter(
            citizen_id_hash=crypto.keyed_hash(first17 + identities.check_digit(first17))
        ).exists():
            return str(code)
    raise RuntimeError("no fresh region code left")


def build_workbook(rows: int, path: str, region: str = "110105") -> None:
    import random

    from openpyxl import Workbook

    from apps.core.demo import identities
    from apps.members.excel import COLUMNS
    from apps.orgs.models import Organization

    rng = random.Random(99)
    names = list(Organization.objects.filter(org_type="branch").values_list("name", flat=True)[:5000])
    # A regular workbook records the sheet's dimension as Excel and WPS do; openpyxl's write-only
    # mode leaves it out, which makes every reader scan the sheet once more to find its size.
    wb = Workbook()
    ws = wb.active
    ws.title = "党员信息"
    ws.append([h for h, _ in COLUMNS])
    import datetime as dt

    for i in range(rows):
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=i // 400)
        seq = (i % 400) * 2 + 1
        first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
        number = first17 + identities.check_digit(first17)
        admission = birth + dt.timedelta(days=365 * 25)
        ws.append([
            identities.person_name(rng)[0], number, "男", "汉族", None, "大学本科", identities.phone(rng), rng.choice(names),
            admission.isoformat(), (admission + dt.timedelta(days=400)).isoformat(), "在职", "合成单位",
        ])  # fmt: skip
    wb.save(path)


def run(args: argparse.Namespace) -> list[tuple[str, float, float | None, str, str]]:
    from apps.members.models import Member
    from apps.members.selectors import MemberFilters, member_count, member_page

    results: list[tuple[str, float, float | None, str, str]] = []
    if not args.skip_generate:
        if Member.objects.exists():
            sys.exit("the database already has members: use --skip-generate or an empty database")
        start = time.perf_counter()
        call_command("gensynthetic", members=args.members)
        results.append(
            (
                f"generator, {args.members} members",
                (time.perf_counter() - start) * 1000,
                None,
                "< 600 s",
                "",
            )
        )
    total = Member.objects.count()
    admin, secretary, _branch = ensure_users()
    root_client, branch_client = Client(), Client()
    root_client.force_login(admin)
    branch_client.force_login(secretary)
    sample = Member.objects.order_by("id")[total // 2]
    query = sample.name_initials[:2]
    query3 = sample.name_initials[:3] if len(sample.name_initials) >= 3 else sample.name_pinyin[:4]

    def page(client: Client, url: str) -> Callable[[], Any]:
        def go() -> Any:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response

        return go

    for label, key, fn in (
        ("member list, first page, root scope (GET /members/)", "list_root", page(root_client, "/members/")),
        (
            "member list, first page, one branch (GET /members/)",
            "list_branch",
            page(branch_client, "/members/"),
        ),
        (
            f"pinyin search '{query}', root scope (GET /members/?q=)",
            "search",
            page(root_client, f"/members/?q={query}"),
        ),
        (
            f"pinyin search '{query3}', root scope (GET /members/?q=)",
            "search",
            page(root_client, f"/members/?q={query3}"),
        ),
        (
            "member list selector only, root scope",
            "list_root",
            lambda: member_page(admin, MemberFilters(), None, 20).items,
        ),
        ("subtree member count at the root", "count_root", lambda: member_count(admin, MemberFilters())),
    ):
        server = median_ms(fn, args.repeat)
        sql, n = bare_sql_ms(fn, args.repeat)
        goal = GOALS[key]
        results.append((label, server, sql, f"< {goal} ms", f"{n} statements"))
        print(f"{label}: {server:.1f} ms (bare SQL {sql:.1f} ms)", flush=True)

    if args.import_rows:
        from apps.core.jobs import continue_job, start_job
        from apps.core.models import Job

        settings.XF_JOBS = "inline"
        with tempfile.TemporaryDirectory() as tmp:
            path = str(Path(tmp) / "import.xlsx")
            build_workbook(args.import_rows, path, region=fresh_region())
            started = time.perf_counter()
            job = start_job(
                user=admin, kind="members.import", step="validate", input_name="bench.xlsx", input_file=path
            )
            job.refresh_from_db()
            validated = time.perf_counter()
            assert job.status == "ready", (job.status, job.message)
            assert job.result["errors_count"] == 0, job.result["errors"][:3]
            with CaptureQueriesContext(connection) as ctx:
                continue_job(job, "commit")
            done = time.perf_counter()
            job = Job.objects.get(pk=job.pk)
            assert job.status == "done", job.message
            sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
            results.append(
                (
                    f"import of {args.import_rows} rows: validate (preview)",
                    (validated - started) * 1000,
                    None,
                    "",
                    "",
                )
            )
            results.append(
                (
                    f"import of {args.import_rows} rows: commit",
                    (done - validated) * 1000,
                    sql_ms,
                    "",
                    f"{len(ctx.captured_queries)} statements",
                )
            )
            results.append(
                (f"import of {args.import_rows} rows: total", (done - started) * 1000, None, "< 60 s", "")
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--import-rows", type=int, default=100_000)
    args = parser.parse_args()
    results = run(args)
    from apps.members.models import Member

    lines = [
        f"Database: {connection.vendor} · members: {Member.objects.count():,} · {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        "| measurement | median | bare SQL | ratio | goal | notes |",
        "|---|---|---|---|---|---|",
    ]
    for label, ms, sql, goal, notes in results:
        value = f"{ms / 1000:.1f} s" if ms >= 10_000 else f"{ms:.1f} ms"
        bare = "—" if sql is None else (f"{sql / 1000:.1f} s" if sql >= 10_000 else f"{sql:.1f} ms")
        ratio = "—" if not sql else f"{ms / sql:.2f}×"
        lines.append(f"| {label} | {value} | {bare} | {ratio} | {goal} | {notes} |")
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / "bench" / "results" / "latest.md"
    out.write_text(text)


if __name__ == "__main__":
    main()
