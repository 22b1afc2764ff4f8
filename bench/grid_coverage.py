#!/usr/bin/env python
"""Benchmark of the liaison grid's coverage (片组户) at the Jianggan report's scale.

  DATABASE_URL=postgres://…/xianfeng_bench .venv/bin/python bench/grid_coverage.py [--households 200000]

Adds (once) about 700 zones under the street-level organizations of the synthetic tree (run
bench/run.py or `manage.py gensynthetic` first; on an empty database this script runs gensynthetic
itself with a member count fitting the households), five groups per zone, and the households with COPY:
about ten per liaison member taken from the zone's organization subtree, one in twenty without a
liaison, a few liaisons over the limit, a tenth never visited and a fifth last visited over a month
ago. Then measures `grid_coverage()` for the whole grid, for one zone and over the zones a zone
administrator sees, and the per-zone figures of the grid's first page: the median of 9 runs after a
warm-up, beside the bare SQL replayed through a raw cursor. Results go to bench/results/grid.md.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xianfeng.settings")
os.environ.setdefault("XF_DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.timing import bare_ms, median_ms  # noqa: E402

GOAL_MS = 300
ZONES = 700
GROUPS_PER_ZONE = 5


def ensure_tree(households: int, seed: int) -> None:
    from apps.members.models import Member

    if Member.objects.exists():
        return
    members = max(3000, households // 8)
    print(f"no members: gensynthetic --members {members:,}", flush=True)
    call_command("gensynthetic", members=members, seed=seed)


def homes() -> list[tuple[int, str]]:
    """Organizations to hang zones on: the street-level 党委 and 党总支 of the tree (depth 4), or the
    deepest non-branch level the tree has."""
    from apps.orgs.models import Organization

    for depth in (4, 3, 2, 1):
        rows = list(
            Organization.objects.filter(depth=depth, is_active=True)
            .exclude(org_type__in=["branch", "joint_branch", "temp_branch", "group"])
            .order_by("id")
            .values_list("id", "path")
        )
        if rows:
            return rows
    return list(Organization.objects.order_by("id").values_list("id", "path")[:1])


def generate(households: int, seed: int) -> None:
    from apps.grid.models import Zone
    from apps.members.choices import INACTIVE_CATEGORIES
    from apps.members.models import Member

    rng = random.Random(seed)
    today = timezone.localdate()
    places = homes()
    rng.shuffle(places)
    zone_count = min(ZONES, max(1, households // 100))
    chosen = [places[i % len(places)] for i in range(zone_count)]
    start = time.perf_counter()
    now = timezone.now().isoformat()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM grid_zone")
        first_zone = cursor.fetchone()[0] + 1
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM grid_group")
        first_group = cursor.fetchone()[0] + 1
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM grid_household")
        first_household = cursor.fetchone()[0] + 1
        zone_buf, group_buf = io.StringIO(), io.StringIO()
        zones = []
        for n, (org_id, path) in enumerate(chosen):
            zone_id = first_zone + n
            zones.append((zone_id, path))
            zone_buf.write(
                f"{zone_id}\t{org_id}\t{path}\tBZ{zone_id:05d}\t合成片区{zone_id}\t0571-8690{n % 10000:04d}\t\tt\t{now}\n"
            )
            for g in range(GROUPS_PER_ZONE):
                group_buf.write(
                    f"{first_group + n * GROUPS_PER_ZONE + g}\t{zone_id}\t{g + 1:02d}\t{g + 1}幢服务组\t\\N\t\\N\n"
                )
        with cursor.copy(
            "COPY grid_zone (id, org_id, org_path, code, name, hotline, note, is_active, created_at) FROM STDIN"
        ) as copy:
            copy.write(zone_buf.getvalue())
        with cursor.copy("COPY grid_group (id, zone_id, code, name, leader_id, team_id) FROM STDIN") as copy:
            copy.write(group_buf.getvalue())
        # Members by path, to take each zone's liaisons from its own subtree.
        members = list(
            Member.objects.exclude(category__in=INACTIVE_CATEGORIES)
            .order_by("org_path", "id")
            .values_list("org_path", "id")
        )
        paths = [p for p, _ in members]
        household_buf = io.StringIO()
        per_zone = [
            households // zone_count + (1 if i < households % zone_count else 0) for i in range(zone_count)
        ]
        next_id = first_household
        for z, ((zone_id, path), count) in enumerate(zip(zones, per_zone, strict=True)):
            lo, hi = bisect.bisect_left(paths, path), bisect.bisect_left(paths, path + "\uffff")
            pool = [members[i][1] for i in range(lo, hi)] or [members[rng.randrange(len(members))][1]]
            rng.shuffle(pool)
            liaisons = pool[: max(1, round(count * 0.95 / 10))]
            for i in range(count):
                group_id = first_group + z * GROUPS_PER_ZONE + i % GROUPS_PER_ZONE
                roll = rng.random()
                if roll < 0.05:
                    liaison = "\\N"
                elif roll < 0.06:
                    liaison = str(liaisons[0])  # a few liaisons keep more than ten
                else:
                    liaison = str(liaisons[i % len(liaisons)])
                visit = rng.random()
                last = (
                    "\\N" if visit < 0.1
                    else (today - dt.timedelta(days=rng.randint(31, 200))).isoformat() if visit < 0.3
                    else (today - dt.timedelta(days=rng.randint(0, 30))).isoformat()
                )  # fmt: skip
                active = "f" if rng.random() < 0.02 else "t"
                household_buf.write(
                    f"{next_id}\t{zone_id}\t{group_id}\t{path}\tBH{next_id:08d}\t合成小区{zone_id}幢{i}号\t户主{i}\t"
                    f"138{next_id % 10**8:08d}\t{liaison}\t{last}\t{active}\t\t{now}\n"
                )
                next_id += 1
        with cursor.copy(
            "COPY grid_household (id, zone_id, group_id, org_path, code, address, head_name, phone, liaison_id, "
            "last_visited_on, is_active, note, created_at) FROM STDIN"
        ) as copy:
            copy.write(household_buf.getvalue())
        for table in ("grid_zone", "grid_group", "grid_household"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) grid_zone, grid_group, grid_household")
    print(
        f"generated {Zone.objects.count():,} zones and {households:,} households in {time.perf_counter() - start:.1f} s",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--no-migrate", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("run on PostgreSQL: set DATABASE_URL=postgres://…")
    if not args.no_migrate:
        call_command("migrate", verbosity=0, interactive=False)

    from apps.accounts.models import RoleGrant, User
    from apps.core.scoping import Role
    from apps.grid.models import Household, Zone
    from apps.grid.selectors import coverage_by_zone, grid_coverage, grid_coverage_for
    from apps.orgs.models import Organization

    existing = Household.objects.count()
    if existing < args.households:
        ensure_tree(args.households - existing, args.seed)
        generate(args.households - existing, args.seed)
    else:
        print(f"reusing {existing:,} households", flush=True)
    root = Organization.objects.filter(parent__isnull=True).order_by("id").first()
    assert root is not None
    admin, _ = User.objects.get_or_create(
        username="bench-root", defaults={"display_name": "基准测试·组织部管理员"}
    )
    RoleGrant.objects.get_or_create(user=admin, role=Role.ZONE_ADMIN, org=root)
    # A zone of typical size: the median by household count.
    sizes = sorted(Household.objects.values("zone_id").annotate(n=Count("id")).values_list("n", "zone_id"))
    zone = Zone.objects.get(pk=sizes[len(sizes) // 2][1])
    first_page = Zone.objects.filter(pk__in=Zone.objects.order_by("code").values("pk")[:30])

    def scoped() -> None:
        if hasattr(admin, "_xf_scope"):
            del admin._xf_scope
        grid_coverage_for(admin)

    rows = []
    for label, fn in (
        ("grid_coverage() — every zone", lambda: grid_coverage()),
        (
            f"grid_coverage(zone) — one zone ({sizes[len(sizes) // 2][0]} households)",
            lambda: grid_coverage(zone),
        ),
        ("grid_coverage_for(zone administrator) — the zones in scope", scoped),
        ("coverage_by_zone — the 30 zones of the grid's first page", lambda: coverage_by_zone(first_page)),
    ):
        server, low, p90 = median_ms(fn)
        sql, statements = bare_ms(fn)
        rows.append((label, server, sql, f"{statements} statements; min {low:.1f} ms, p90 {p90:.1f} ms"))
        print(f"{label}: {server:.1f} ms (bare SQL {sql:.1f} ms)", flush=True)
    figures = grid_coverage()
    lines = [
        f"Database: {connection.vendor} · zones: {Zone.objects.count():,} · households: {Household.objects.count():,} · "
        f"{time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"Coverage of the whole grid: {figures}",
        "",
        "| measurement | median | bare SQL | goal | met | notes |",
        "|---|---:|---:|---:|:-:|---|",
    ]
    for label, ms, sql, notes in rows:
        lines.append(
            f"| {label} | {ms:.1f} ms | {sql:.1f} ms | < {GOAL_MS} ms | {'yes' if ms < GOAL_MS else '**no**'} | {notes} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "bench" / "results" / "grid.md").write_text(text)


if __name__ == "__main__":
    main()
