#!/usr/bin/env python
"""Benchmarks of coverage, the dashboard and the yearly report at province scale (after bench/run.py).

  DATABASE_URL=postgres://…/xianfeng_bench .venv/bin/python bench/coverage_dashboard.py [--units 400000]

Adds (once) 600 parks and 400,000 enterprises and social organizations with valid credit codes,
spread over the committees of the synthetic tree, a third of them with a status that changed two
years ago (so a past date reads other records than today), then backfills twelve months of snapshots.
Measures, as the root's zone administrator: the home dashboard through Django's test client (every
figure), the coverage rates at a past date, and the yearly report (one run). Each read figure is the
median of 9 runs after a warm-up, beside the bare SQL it runs replayed through a raw cursor.
Results go to bench/results/coverage_dashboard.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import tempfile
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

from bench.timing import bare_ms, median_ms  # noqa: E402


def generate(units: int, seed: int = 7) -> None:
    from apps.coverage.rules import make_credit_code
    from apps.orgs.models import Organization

    rng = random.Random(seed)
    today = timezone.localdate()
    homes = list(
        Organization.objects.filter(
            depth=4, org_type__in=["street_committee", "committee", "general_committee"]
        ).values_list("id", "path")
    )
    types = ["industrial", "agricultural", "tourism", "cultural", "commercial", "town"]
    with connection.cursor() as cursor:
        parks = []
        for n in range(600):
            org_id, path = rng.choice(homes)
            parks.append((f"合成园区{n:03d}", types[n % len(types)], org_id, path))
        cursor.executemany(
            "INSERT INTO coverage_park (name, park_type, org_id, org_path, address, created_at) VALUES (%s, %s, %s, %s, '', now())",
            parks,
        )
        cursor.execute("SELECT id, org_id, org_path FROM coverage_park WHERE name LIKE '合成园区%%'")
        park_rows = cursor.fetchall()
    start = time.perf_counter()
    unit_buf, record_buf = io.StringIO(), io.StringIO()
    two_years = today - dt.timedelta(days=730)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM coverage_unit")
        first_id = cursor.fetchone()[0] + 1
    for i in range(units):
        unit_id = first_id + i
        kind = "social" if i % 6 == 0 else "enterprise"
        if rng.random() < 0.8:
            park_id, org_id, path = rng.choice(park_rows)
        else:
            park_id = None
            org_id, path = rng.choice(homes)
        roll = rng.random()
        status = "own" if roll < 0.12 else "joint" if roll < 0.42 else "instructor" if roll < 0.7 else "none"
        members = rng.choice([0, 0, 1, 1, 2, 3, 4, 6])
        established = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randint(0, 8000))
        employees = rng.choice([5, 12, 30, 80, 200, 600, 1500])
        size = (
            "large"
            if employees >= 1000
            else "medium"
            if employees >= 300
            else "small"
            if employees >= 20
            else "micro"
        )
        fields = [
            unit_id, kind, f"合成单位{i}", "", make_credit_code(2_000_000 + i, kind=kind), "S" if kind == "social" else rng.choice("CCCFGIM"),
            size, "t" if employees >= 100 else "f", employees, max(0, min(members, employees)), "\\N" if park_id is None else park_id,
            org_id, path, "", established, "\\N", status, "\\N", "", "\\N", "", "now()", "now()",
        ]  # fmt: skip
        unit_buf.write("\t".join(map(str, fields)) + "\n")
        if status != "none" and rng.random() < 0.35 and established < two_years:
            record_buf.write(f"{unit_id}\tnone\t\\N\t\t{established}\t{two_years}\t\t\\N\tnow()\n")
            record_buf.write(f"{unit_id}\t{status}\t\\N\t\t{two_years}\t\\N\t\t\\N\tnow()\n")
        else:
            record_buf.write(f"{unit_id}\t{status}\t\\N\t\t{established}\t\\N\t\t\\N\tnow()\n")
    columns = (
        "id, kind, name, name_initials, credit_code, sector, size_class, above_size, employees, party_members, park_id, "
        "org_id, org_path, address, established_on, closed_on, status, covering_org_id, formation_mode, instructor_id, liaison, "
        "created_at, updated_at"
    )
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY coverage_unit ({columns}) FROM STDIN") as copy:
            copy.write(unit_buf.getvalue().replace("now()", timezone.now().isoformat()))
        with cursor.copy(
            "COPY coverage_coveragerecord (unit_id, status, covering_org_id, formation_mode, valid_from, valid_to, note, recorded_by_id, recorded_at) FROM STDIN"
        ) as copy:
            copy.write(record_buf.getvalue().replace("now()", timezone.now().isoformat()))
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('coverage_unit', 'id'), (SELECT MAX(id) FROM coverage_unit))"
        )
        cursor.execute("ANALYZE coverage_unit")
        cursor.execute("ANALYZE coverage_coveragerecord")
        cursor.execute("ANALYZE coverage_park")
    print(f"generated {units:,} units in {time.perf_counter() - start:.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=400_000)
    args = parser.parse_args()
    from django.test import Client

    from apps.accounts.models import RoleGrant, User
    from apps.core.scoping import Role
    from apps.core.snapshots import backfill
    from apps.coverage.models import Unit
    from apps.coverage.selectors import coverage_rates, units_for
    from apps.members.models import Member
    from apps.orgs.models import Organization
    from apps.reports.yearly import build_sections, write_excel, write_pdf

    root = Organization.objects.get(parent__isnull=True)
    admin, _ = User.objects.get_or_create(username="bench-root")
    RoleGrant.objects.get_or_create(user=admin, role=Role.ZONE_ADMIN, org=root)
    if not Unit.objects.exists():
        generate(args.units)
        start = time.perf_counter()
        written = backfill(12)
        print(f"snapshots: {written:,} rows in {time.perf_counter() - start:.1f} s", flush=True)
    client = Client()
    client.force_login(admin)

    def home() -> None:
        response = client.get("/")
        if response.status_code != 200:
            raise SystemExit(f"/ answered {response.status_code}")

    past = timezone.localdate() - dt.timedelta(days=900)
    rows = []
    for label, fn, goal in (
        ("zone dashboard, every figure (GET /)", home, 300),
        (
            "coverage rates of the zone at a past date (coverage_rates)",
            lambda: coverage_rates(None, past, units=units_for(admin)),
            500,
        ),
        ("coverage rates of the zone today", lambda: coverage_rates(None, units=units_for(admin)), 500),
    ):
        server, low, p90 = median_ms(fn)
        sql, statements = bare_ms(fn)
        rows.append(
            (label, server, sql, goal, f"{statements} statements; min {low:.1f} ms, p90 {p90:.1f} ms")
        )
        print(f"{label}: {server:.1f} ms (bare SQL {sql:.1f} ms)", flush=True)
    year = timezone.localdate().year
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        sections = build_sections(admin, year, None)
    built = time.perf_counter() - start
    out = Path(tempfile.mkdtemp())
    write_excel(sections, out / "report.xlsx", "年报")
    write_pdf(sections, out / "report.pdf", "年报")
    report_s = time.perf_counter() - start
    statements = [q["sql"] for q in ctx.captured_queries]
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            if cursor.description:
                cursor.fetchall()
    report_sql = time.perf_counter() - start
    rows.append(("yearly report of the zone, Excel and PDF (one run)", report_s * 1000, report_sql * 1000, 120_000,
                 f"{len(statements)} statements; sections built in {built:.1f} s"))  # fmt: skip
    lines = [
        f"Database: {connection.vendor} · members: {Member.objects.count():,} · units: {Unit.objects.count():,} · "
        f"parks: 600 · {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        "| measurement | median | bare SQL | ratio | goal | met | notes |",
        "|---|---:|---:|---:|---:|:-:|---|",
    ]
    for label, ms, sql, goal, notes in rows:
        value = f"{ms / 1000:.1f} s" if ms >= 10_000 else f"{ms:.1f} ms"
        goal_text = f"< {goal / 1000:.0f} s" if goal >= 10_000 else f"< {goal} ms"
        lines.append(
            f"| {label} | {value} | {sql:.1f} ms | {ms / sql:.2f}× | {goal_text} | {'yes' if ms < goal else '**no**'} | {notes} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "bench" / "results" / "coverage_dashboard.md").write_text(text)


if __name__ == "__main__":
    main()
