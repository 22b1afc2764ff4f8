"""Builds a province-shaped organization tree and N members with valid (fictitious) IDs, fast.

About one organization per 15 members: a root working committee → 13 city committees → county
committees → street and enterprise committees → branches holding the members. On PostgreSQL rows go
in with COPY and preassigned ids; on SQLite with bulk inserts. History rows are not written for
synthetic data (they would double the load and measure nothing the benchmarks need).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from apps.core import crypto
from apps.core.demo import identities
from apps.core.masking import mask_citizen_id
from apps.members.models import Member, MemberOrgPeriod
from apps.orgs.models import Organization, encode_segment

MEMBERS_PER_BRANCH = 15
CITIES = 13
COUNTIES_PER_CITY = 8
UNITS_PER_COUNTY = 10

ORG_COLUMNS = [
    "id", "name", "short_name", "name_pinyin", "name_initials", "org_type", "parent_id", "path", "depth", "unit_kind",
    "unit_name", "founded_on", "formation_mode", "last_election_on", "end_date", "star_rating", "is_demonstration",
    "is_strongest_branch", "contact_phone", "address", "is_active", "created_at", "updated_at",
]  # fmt: skip
MEMBER_COLUMNS = [
    "id", "name", "name_pinyin", "name_initials", "citizen_id_encrypted", "citizen_id_hash", "citizen_id_last4",
    "citizen_id_masked", "gender", "ethnicity", "birth_date", "education", "phone", "work_unit", "position",
    "application_date", "activist_date", "candidate_date", "admission_date", "full_membership_date", "status",
    "category", "category_since", "org_id", "org_path", "party_group_id", "user_id", "created_at", "updated_at",
]  # fmt: skip
PERIOD_COLUMNS = ["id", "member_id", "org_id", "start", "end", "reason"]
EDUCATIONS = [
    "postgraduate",
    "bachelor",
    "bachelor",
    "junior_college",
    "junior_college",
    "secondary_vocational",
    "high_school",
    "middle_school",
]
CATEGORIES = ["employed"] * 14 + ["retired"] * 4 + ["mobile", "student"]
BIRTH_ORIGIN = dt.date(1940, 1, 1)


class Command(BaseCommand):
    help = "生成省级规模的合成数据（组织树与党员），用于性能测试"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--members", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if Organization.objects.exists() or Member.objects.exists():
            raise CommandError("数据库中已有组织或党员：请在空数据库上生成合成数据")
        total = options["members"]
        rng = random.Random(options["seed"])
        started = time.monotonic()
        orgs, branches = self._tree(total)
        with transaction.atomic():
            self._write("orgs_organization", ORG_COLUMNS, iter(orgs), Organization)
            self.stdout.write(f"组织 {len(orgs)} 个，用时 {time.monotonic() - started:.1f} 秒")
            self._write("members_member", MEMBER_COLUMNS, self._members(total, branches, rng), Member)
            self.stdout.write(f"党员 {total} 名，用时 {time.monotonic() - started:.1f} 秒")
            self._write(
                "members_memberorgperiod", PERIOD_COLUMNS, self._periods(total, branches), MemberOrgPeriod
            )
            self._reset_sequences()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "ANALYZE orgs_organization; ANALYZE members_member; ANALYZE members_memberorgperiod;"
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"完成：{len(orgs)} 个组织，{total} 名党员，共 {time.monotonic() - started:.1f} 秒"
            )
        )

    def _tree(self, total: int) -> tuple[list[tuple[Any, ...]], list[tuple[int, str]]]:
        now = timezone.now()
        founded = dt.date(2000, 7, 1)
        elected = timezone.localdate() - dt.timedelta(days=400)
        rows: list[tuple[Any, ...]] = []
        next_id = 1

        def add(name: str, org_type: str, parent: tuple[int, str, int] | None) -> tuple[int, str, int]:
            nonlocal next_id
            pk = next_id
            next_id += 1
            path = (parent[1] if parent else "") + encode_segment(pk)
            depth = (parent[2] + 1) if parent else 1
            rows.append(
                (pk, name, "", "", "", org_type, parent[0] if parent else None, path, depth, "other", "", founded, "single", elected,
                 None, None, False, False, "", "", True, now, now)
            )  # fmt: skip
            return pk, path, depth

        branches_needed = max(1, total // MEMBERS_PER_BRANCH)
        units = CITIES * COUNTIES_PER_CITY * UNITS_PER_COUNTY
        per_unit = max(1, -(-branches_needed // units))
        root = add("合成省委组织部党工委", "working_committee", None)
        branches: list[tuple[int, str]] = []
        for c in range(CITIES):
            city = add(f"第{c + 1}市委", "committee", root)
            for k in range(COUNTIES_PER_CITY):
                county = add(f"第{c + 1}市第{k + 1}县委", "committee", city)
                for u in range(UNITS_PER_COUNTY):
                    if len(branches) >= branches_needed:
                        break
                    unit = add(f"第{c + 1}市第{k + 1}县第{u + 1}街道党工委", "street_committee", county)
                    for b in range(per_unit):
                        if len(branches) >= branches_needed:
                            break
                        pk, path, _ = add(f"第{c + 1}-{k + 1}-{u + 1}-{b + 1}党支部", "branch", unit)
                        branches.append((pk, path))
        return rows, branches

    def _members(
        self, total: int, branches: list[tuple[int, str]], rng: random.Random
    ) -> Iterator[tuple[Any, ...]]:
        now = timezone.now()
        today = timezone.localdate()
        for i in range(total):
            org_id, org_path = branches[i % len(branches)]
            gender = "male" if i % 2 else "female"
            # Birth day and sequence both come from the counter, so no two IDs collide.
            birth = BIRTH_ORIGIN + dt.timedelta(days=(i // 500) % 23000)
            seq = (i % 500) * 2 + (1 if gender == "male" else 0)
            first17 = f"{rng.choice(identities.REGIONS)}{birth:%Y%m%d}{seq:03d}"
            number = first17 + identities.check_digit(first17)
            name, pinyin, initials = identities.person_name(rng)
            admission = birth + dt.timedelta(days=365 * 22 + rng.randint(0, 365 * 20))
            if admission > today:
                admission = today - dt.timedelta(days=rng.randint(30, 300))
            full = admission + dt.timedelta(days=366) if (today - admission).days > 400 else None
            yield (
                i + 1, name, pinyin, initials, crypto.encrypt(number), crypto.keyed_hash(number), number[-4:], mask_citizen_id(number),
                gender, "汉族", birth, rng.choice(EDUCATIONS), identities.phone(rng), "", "", None, None, None, admission, full,
                "full" if full else "probationary", rng.choice(CATEGORIES), None, org_id, org_path, None, None, now, now,
            )  # fmt: skip

    def _periods(self, total: int, branches: list[tuple[int, str]]) -> Iterator[tuple[Any, ...]]:
        start = dt.date(2000, 1, 1)
        for i in range(total):
            yield (i + 1, i + 1, branches[i % len(branches)][0], start, None, "合成数据")

    def _write(self, table: str, columns: list[str], rows: Iterator[tuple[Any, ...]], model: Any) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                quoted = ", ".join(f'"{c}"' for c in columns)
                with cursor.cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            return
        batch: list[Any] = []
        for row in rows:
            batch.append(model(**dict(zip(columns, row, strict=True))))
            if len(batch) >= 5000:
                model.objects.bulk_create(batch)
                batch = []
        model.objects.bulk_create(batch)

    def _reset_sequences(self) -> None:
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for table in ("orgs_organization", "members_member", "members_memberorgperiod"):
                sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM \"{table}\"))"  # noqa: S608 — constant table names
                cursor.execute(sql)
