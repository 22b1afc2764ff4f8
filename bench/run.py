#!/usr/bin/env python
"""Reproducible benchmarks at province scale (see bench/README.md and docs/benchmarks.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xianfeng_bench .venv/bin/python bench/run.py

Each read figure is the median of --repeat runs after --warmup runs. Beside it is the median time of
the bare SQL behind it: the statements Django ran, captured once and replayed through a raw cursor
with the rows fetched. The ratio shows what Python, the ORM, the templates and the middleware add to
the database's own work. The table goes to bench/results/latest.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xianfeng.settings")
# Jobs run in this process, so the import is timed from start to finish.
os.environ.setdefault("XF_JOBS", "inline")
# The production posture for what is timed: no debug cursor recording every statement.
os.environ.setdefault("XF_DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.accounts.models import RoleGrant, User  # noqa: E402
from apps.core import crypto  # noqa: E402
from apps.core.demo import identities  # noqa: E402
from apps.core.jobs import continue_job, new_file_path, start_job  # noqa: E402
from apps.core.models import Job, JobStatus  # noqa: E402
from apps.core.scoping import Role  # noqa: E402
from apps.members.choices import Education  # noqa: E402
from apps.members.excel import COLUMNS  # noqa: E402
from apps.members.models import Member, MemberOrgPeriod  # noqa: E402
from apps.members.selectors import MemberFilters, member_count, member_page  # noqa: E402
from apps.orgs.choices import OrgType  # noqa: E402
from apps.orgs.models import Organization  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "latest.md"
GENERATOR_GOAL_S = 600.0
GENERATOR_GOAL_MEMBERS = 1_000_000


@dataclass
class Row:
    label: str
    seconds: float | None
    bare: float | None = None
    goal: float | None = None  # seconds
    notes: list[str] = field(default_factory=list)

    @property
    def met(self) -> str:
        if self.goal is None or self.seconds is None:
            return ""
        return "yes" if self.seconds < self.goal else "**no**"


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds >= 10:
        return f"{seconds:.1f} s"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.1f} ms"


def timed(fn: Callable[[], Any], repeat: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def capture(fn: Callable[[], Any]) -> list[str]:
    """The statements `fn` sends to the database, with their parameters bound (as sent)."""
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return [q["sql"] for q in ctx.captured_queries]


def replay(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            if cursor.description is not None:
                cursor.fetchall()


def plural(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def spread(samples: list[float]) -> str:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return f"min {fmt(ordered[0])}, p90 {fmt(p90)}"


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.rows: list[Row] = []
        self.first_import_id = 0

    def say(self, text: str) -> None:
        print(text, flush=True)

    # --- data -------------------------------------------------------------------------------------

    def prepare(self) -> None:
        if not self.args.no_migrate:
            start = time.perf_counter()
            call_command("migrate", verbosity=0, interactive=False)
            self.say(f"migrate: {time.perf_counter() - start:.1f} s")
        if self.args.skip_generate:
            if not Member.objects.exists():
                sys.exit("--skip-generate: the database has no members; run without it first")
            self.rows.append(Row("generator", None, notes=["not run (--skip-generate)"]))
        else:
            if Member.objects.exists():
                sys.exit(
                    "the database already has members: pass --skip-generate to measure them, "
                    "or recreate the database (dropdb/createdb) to generate afresh"
                )
            members = self.args.members
            start = time.perf_counter()
            call_command("gensynthetic", members=members, seed=self.args.seed)
            elapsed = time.perf_counter() - start
            # The goal is stated for a million members; other sizes are held to it pro rata.
            goal = GENERATOR_GOAL_S * members / GENERATOR_GOAL_MEMBERS
            self.rows.append(
                Row(
                    f"generator: gensynthetic --members {members:,}",
                    elapsed,
                    goal=goal,
                    notes=[
                        f"{members / elapsed:,.0f} members/s; COPY is already the bare path",
                        "incl. ANALYZE; no history rows",
                    ],
                )
            )
        if connection.vendor == "postgresql":
            # What autovacuum would have done long before anyone searched: visibility map and hint
            # bits set, statistics fresh. Without it the first reads pay for them, and autovacuum
            # may start in the middle of the measurements.
            start = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE) orgs_organization, members_member, members_memberorgperiod")
            self.say(f"VACUUM (ANALYZE): {time.perf_counter() - start:.1f} s")

    def users(self) -> tuple[User, User, Organization, Organization]:
        root = Organization.objects.filter(parent__isnull=True).order_by("id").first()
        assert root is not None
        # A branch of typical size: the median by member count among the root's branches.
        counted = list(
            Member.objects.filter(org_path__startswith=root.path, org__org_type=OrgType.BRANCH)
            .values("org_id")
            .annotate(n=Count("id"))
            .order_by("n", "org_id")
            .values_list("org_id", flat=True)
        )
        branch = Organization.objects.get(pk=counted[len(counted) // 2])
        admin = self._user("bench-root", "基准测试·组织部管理员", Role.ZONE_ADMIN, root)
        secretary = self._user("bench-branch", "基准测试·支部书记", Role.BRANCH_SECRETARY, branch)
        return admin, secretary, root, branch

    @staticmethod
    def _user(username: str, display: str, role: str, org: Organization) -> User:
        user, _ = User.objects.get_or_create(username=username, defaults={"display_name": display})
        # A regenerated dataset leaves grants on organizations that no longer mean the same thing.
        RoleGrant.objects.filter(user=user).exclude(role=role, org=org).delete()
        RoleGrant.objects.get_or_create(user=user, role=role, org=org)
        return user

    # --- measurements -----------------------------------------------------------------------------

    def measure(
        self, label: str, fn: Callable[[], Any], goal_ms: float | None, notes: list[str] | None = None
    ) -> Row:
        samples = timed(fn, self.args.repeat, self.args.warmup)
        statements = capture(fn)
        bare = timed(lambda: replay(statements), self.args.repeat, self.args.warmup)
        row = Row(
            label,
            statistics.median(samples),
            statistics.median(bare),
            goal=goal_ms / 1000 if goal_ms else None,
            notes=[*(notes or []), plural(len(statements), "statement"), spread(samples)],
        )
        self.rows.append(row)
        ratio = row.seconds / row.bare if row.seconds and row.bare else 0
        self.say(f"{label}: {fmt(row.seconds)} (bare SQL {fmt(row.bare)}, ×{ratio:.2f}; {spread(samples)})")
        return row

    def reads(self, admin: User, secretary: User, root: Organization, branch: Organization) -> None:
        root_client, branch_client = Client(), Client()
        root_client.force_login(admin)
        branch_client.force_login(secretary)

        def get(client: Client, url: str) -> Callable[[], Any]:
            def go() -> None:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            return go

        branch_size = Member.objects.filter(org=branch).count()
        total = Member.objects.filter(org_path__startswith=root.path).count()
        self.say(f"root {root.name}: {total:,} members; branch {branch.name}: {branch_size} members")

        self.measure("member list, first page, root scope — GET /members/", get(root_client, "/members/"), 50)
        self.measure(
            "member list, first page, root scope — selector member_page",
            lambda: member_page(admin, MemberFilters(), None, 20),
            50,
            ["scope resolved once, as within a request"],
        )
        self.measure(
            "member list, first page, one branch — GET /members/",
            get(branch_client, "/members/"),
            50,
            [f"{branch_size} members in the branch"],
        )
        self.measure(
            "member list, first page, one branch — selector member_page",
            lambda: member_page(secretary, MemberFilters(), None, 20),
            50,
        )
        for q in self.search_terms(root):
            matches = member_count(admin, MemberFilters(q=q))
            self.measure(
                f"pinyin initials search '{q}', root scope — GET /members/?q={q}",
                get(root_client, f"/members/?q={q}"),
                50,
                [f"{matches:,} matches"],
            )
            self.measure(
                f"pinyin initials search '{q}', root scope — selector member_page",
                lambda q=q: member_page(admin, MemberFilters(q=q), None, 20),
                50,
            )
        self.measure(
            "subtree member count at the root — selector member_count",
            lambda: member_count(admin, MemberFilters()),
            200,
            [f"{total:,} members in scope"],
        )
        self.measure(
            "subtree member count at the root — GET /members/count/",
            get(root_client, "/members/count/"),
            200,
            ["the count the list page loads after itself"],
        )

    def search_terms(self, root: Organization) -> list[str]:
        if self.args.search:
            return self.args.search
        # Initials of a real member in the middle of the table: a two-letter and a three-letter
        # prefix, as a user types them. Deterministic for a given seed.
        qs = Member.objects.filter(org_path__startswith=root.path).order_by("id")
        middle = qs.count() // 2
        initials = next(
            m for m in qs.values_list("name_initials", flat=True)[middle : middle + 1000] if len(m) >= 3
        )
        return [initials[:2], initials[:3]]

    # --- import -----------------------------------------------------------------------------------

    def imports(self, admin: User, root: Organization) -> None:
        rows = self.args.import_rows
        if rows <= 0:
            return
        names = self.unique_branch_names(root)
        region = self.fresh_region(rows)
        self.first_import_id = (Member.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        with tempfile.TemporaryDirectory() as tmp:
            workbook = Path(tmp) / "import.xlsx"
            start = time.perf_counter()
            build_workbook(
                workbook, rows, names, region, self.args.seed, write_only=self.args.workbook == "write-only"
            )
            self.say(
                f"workbook ({self.args.workbook}): {rows:,} rows over {len(names):,} branches, region {region}, "
                f"{workbook.stat().st_size / 1e6:.1f} MB, built in {time.perf_counter() - start:.1f} s"
            )
            validate, commit, total = [], [], []
            sql: tuple[list[str], list[str]] = ([], [])
            for run in range(self.args.import_repeat):
                v, c, captured = self.import_once(admin, workbook, rows, capture_sql=run == 0)
                validate.append(v)
                commit.append(c)
                total.append(v + c)
                sql = captured or sql
                self.say(f"import run {run + 1}: validate {v:.1f} s, commit {c:.1f} s, total {v + c:.1f} s")
                self.cleanup_import()
        bare_validate = self.replay_import("validate", sql[0])
        bare_commit = self.replay_import("commit", sql[1])
        bare_total = bare_validate + bare_commit if bare_validate and bare_commit else None
        n = len(total)
        runs = f"median of {plural(n, 'run')} (no warm-up)"
        kind = f"{self.args.workbook} workbook"
        once = "bare SQL replayed once in a rolled-back transaction"
        self.rows += [
            Row(
                f"import {rows:,} rows — validate (preview)",
                statistics.median(validate),
                bare_validate,
                notes=[
                    runs,
                    f"range {fmt(min(validate))}–{fmt(max(validate))}",
                    plural(len(sql[0]), "statement"),
                ],
            ),
            Row(
                f"import {rows:,} rows — commit",
                statistics.median(commit),
                bare_commit,
                notes=[
                    runs,
                    f"range {fmt(min(commit))}–{fmt(max(commit))}",
                    plural(len(sql[1]), "statement"),
                ],
            ),
            Row(
                f"import {rows:,} rows — total (validate + commit)",
                statistics.median(total),
                bare_total,
                goal=60.0,
                notes=[runs, f"range {fmt(min(total))}–{fmt(max(total))}", kind, once],
            ),
        ]

    def import_once(
        self, admin: User, workbook: Path, rows: int, *, capture_sql: bool
    ) -> tuple[float, float, tuple[list[str], list[str]] | None]:
        # The import removes its upload when done, as the web upload is removed: each run gets a copy.
        path = new_file_path(".xlsx")
        shutil.copyfile(workbook, path)

        def recorder() -> CaptureQueriesContext | contextlib.nullcontext[None]:
            return CaptureQueriesContext(connection) if capture_sql else contextlib.nullcontext()

        with recorder() as validate_sql:
            start = time.perf_counter()
            job = start_job(
                user=admin,
                kind="members.import",
                step="validate",
                input_name="bench-import.xlsx",
                input_file=path,
                ip_address="127.0.0.1",
            )
            validated = time.perf_counter()
        job = Job.objects.get(pk=job.pk)
        assert job.status == JobStatus.READY, (job.status, job.message)
        assert job.result["errors_count"] == 0, job.result["errors"][:3]
        assert job.result["new"] == rows, job.result
        with recorder() as commit_sql:
            resumed = time.perf_counter()
            continue_job(job, "commit")
            done = time.perf_counter()
        job = Job.objects.get(pk=job.pk)
        assert job.status == JobStatus.DONE, (job.status, job.message)
        captured = None
        if validate_sql is not None and commit_sql is not None:
            captured = (
                [q["sql"] for q in validate_sql.captured_queries],
                [q["sql"] for q in commit_sql.captured_queries],
            )
        return validated - start, done - resumed, captured

    def cleanup_import(self) -> None:
        """Removes the imported members, so every run (and the next benchmark) sees the same data."""
        if self.args.keep_import:
            return
        first = self.first_import_id
        start = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM members_memberorgperiod WHERE member_id >= %s", [first])
            cursor.execute("DELETE FROM members_historicalmember WHERE id >= %s", [first])
            cursor.execute("DELETE FROM members_member WHERE id >= %s", [first])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "VACUUM (ANALYZE) members_member, members_historicalmember, members_memberorgperiod"
                )
        self.say(f"  removed the imported members ({time.perf_counter() - start:.1f} s)")

    def replay_import(self, phase: str, statements: list[str]) -> float | None:
        """One phase's SQL run again through a raw cursor, then rolled back (its rows were removed)."""
        if not statements or self.args.keep_import:
            return None
        # The phase's own transaction control would end this one early: only the statements go in.
        control = {"BEGIN", "START", "COMMIT", "END", "ROLLBACK"}
        statements = [sql for sql in statements if sql.split(None, 1)[0].upper() not in control]
        start = time.perf_counter()
        with transaction.atomic():
            replay(statements)
            elapsed = time.perf_counter() - start
            transaction.set_rollback(True)
        self.say(f"import {phase} SQL replayed: {elapsed:.1f} s ({len(statements):,} statements)")
        return elapsed

    def unique_branch_names(self, root: Organization) -> list[str]:
        """Branches whose name no other organization has (as a name or short name) in the importer's scope."""
        names = (
            Organization.objects.filter(path__startswith=root.path, is_active=True)
            .values("name")
            .annotate(n=Count("id"))
            .filter(n=1)
            .values_list("name", flat=True)
        )
        shorts = set(Organization.objects.exclude(short_name="").values_list("short_name", flat=True))
        branch_names = set(
            Organization.objects.filter(path__startswith=root.path, org_type=OrgType.BRANCH).values_list(
                "name", flat=True
            )
        )
        unique = sorted((set(names) & branch_names) - shorts)
        return Random(self.args.seed).sample(unique, min(5000, len(unique)))

    @staticmethod
    def fresh_region(rows: int) -> str:
        """A region code (Beijing's province code, which the synthetic data never uses) no member holds yet."""
        for j in range(101, 10_000):
            region = f"11{j:04d}"
            if not Member.objects.filter(
                citizen_id_hash=crypto.keyed_hash(import_citizen_id(region, 0))
            ).exists():
                return region
        raise RuntimeError("no fresh region code left for the import")

    # --- report -----------------------------------------------------------------------------------

    def report(self, started: float) -> str:
        members = Member.objects.count()
        orgs = Organization.objects.count()
        lines = [
            "# Benchmark results",
            "",
            f"- run: {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, {time.perf_counter() - started:.0f} s "
            f"in all; code {git_revision()}",
            f"- data: {members:,} members, {orgs:,} organizations, {MemberOrgPeriod.objects.count():,} org periods",
            f"- database: {database_description()}",
            f"- machine: {machine_description()}",
            f"- method: median of {plural(self.args.repeat, 'run')} after {plural(self.args.warmup, 'warm-up run')}; bare SQL = "
            "the captured statements replayed through a raw cursor, rows fetched, same median",
            "",
            "| measurement | median | bare SQL | ratio | goal | met | notes |",
            "|---|---:|---:|---:|---:|:-:|---|",
        ]
        for row in self.rows:
            ratio = f"{row.seconds / row.bare:.2f}×" if row.seconds and row.bare else "—"
            goal = f"< {fmt(row.goal)}" if row.goal else ""
            lines.append(
                f"| {row.label} | {fmt(row.seconds)} | {fmt(row.bare)} | {ratio} | {goal} | {row.met} "
                f"| {'; '.join(row.notes)} |"
            )
        return "\n".join(lines) + "\n"


def import_citizen_id(region: str, i: int) -> str:
    # Birth day from the low digits, sequence from the high ones: unique for up to five million rows.
    birth = dt.date(1955, 1, 1) + dt.timedelta(days=i % 10_000)
    seq = (i // 10_000) * 2 + (i % 2)
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + identities.check_digit(first17)


def build_workbook(
    path: Path, rows: int, names: list[str], region: str, seed: int, *, write_only: bool
) -> None:
    """An import file in the template's columns.

    Write-only workbooks (the default) store each text cell inline and record no sheet size, which
    makes them slower to read than files saved by Excel or WPS (shared strings, size recorded):
    "regular" writes those, at the cost of building the whole sheet in memory first.
    """
    from openpyxl import Workbook

    rng = Random(seed)
    headers = [h for h, _ in COLUMNS]
    orgs = names
    educations = [str(label) for _, label in Education.choices]
    today = timezone.localdate()
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("党员信息") if write_only else wb.active
    ws.title = "党员信息"
    ws.append(headers)
    for i in range(rows):
        number = import_citizen_id(region, i)
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        admission = birth + dt.timedelta(days=365 * 24 + rng.randint(0, 365 * 15))
        probationary = rng.random() < 0.03
        if probationary:
            admission = today - dt.timedelta(days=rng.randint(30, 300))
        full = None if probationary else admission + dt.timedelta(days=366 + rng.randint(0, 30))
        values = {
            "name": identities.person_name(rng)[0],
            "citizen_id": number,
            "gender": "男" if int(number[16]) % 2 else "女",
            "ethnicity": "汉族" if rng.random() < 0.95 else "回族",
            "birth_date": birth if rng.random() < 0.5 else None,
            "education": rng.choice(educations),
            "phone": identities.phone(rng),
            "org": orgs[rng.randrange(len(orgs))],
            "admission_date": admission,
            "full_membership_date": full,
            "category": "离退休" if today.year - birth.year >= 60 else "在职",
            "work_unit": "合成数据单位",
        }
        ws.append([values[f] for _, f in COLUMNS])
    wb.save(str(path))


def git(*args: str) -> str:
    command = ["git", "-C", str(ROOT), *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()  # noqa: S603 — fixed arguments


def git_revision() -> str:
    try:
        head = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}{' with uncommitted changes' if dirty else ''}"


def database_description() -> str:
    if connection.vendor != "postgresql":
        return connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        settings_shown = []
        for name in ("shared_buffers", "work_mem", "max_parallel_workers_per_gather"):
            cursor.execute(f"SHOW {name}")
            settings_shown.append(f"{name}={cursor.fetchone()[0]}")
    return f"PostgreSQL {version} ({', '.join(settings_shown)}), database {settings.DATABASES['default']['NAME']}"


def machine_description() -> str:
    memory = ""
    try:
        with open("/proc/meminfo") as meminfo:
            kib = int(meminfo.readline().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} CPU cores{memory}, {platform.system()} {platform.release()}, Python {platform.python_version()}, Django {django.__version__}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--members", type=int, default=1_000_000, help="members to generate (default 1,000,000)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--skip-generate", action="store_true", help="measure the data already in the database"
    )
    parser.add_argument("--no-migrate", action="store_true")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per read figure (default 15)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--search", nargs="*", help="search terms (default: a 2- and a 3-letter prefix)")
    parser.add_argument("--import-rows", type=int, default=100_000, help="0 skips the import")
    parser.add_argument(
        "--import-repeat", type=int, default=3, help="import runs (each takes about a minute; default 3)"
    )
    parser.add_argument(
        "--workbook",
        choices=("write-only", "regular"),
        default="write-only",
        help="how the import file is written (default write-only; regular is what Excel and WPS save)",
    )
    parser.add_argument("--keep-import", action="store_true", help="leave the imported members in place")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.repeat < 1 or args.import_repeat < 1:
        parser.error("--repeat and --import-repeat must be at least 1")
    if args.keep_import and args.import_repeat > 1:
        parser.error("--keep-import needs --import-repeat 1 (each run imports the same people)")
    if connection.vendor != "postgresql":
        print(
            "warning: not PostgreSQL; these figures are not the ones docs/benchmarks.md is about", flush=True
        )

    started = time.perf_counter()
    bench = Bench(args)
    bench.prepare()
    admin, secretary, root, branch = bench.users()
    bench.reads(admin, secretary, root, branch)
    bench.imports(admin, root)
    text = bench.report(started)
    print()
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
