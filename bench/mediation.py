#!/usr/bin/env python
"""Benchmark of the mediation bulletin at scale (PostgreSQL).

  DATABASE_URL=postgres://…/xf_bench_governance .venv/bin/python bench/mediation.py [--cases 100000]

Migrates the database, then adds (once) 700 institutions under 20 supervising centres and `--cases` cases received over the last
three years (a third of them in the measured year), in every state, some answered late, some with a
judicial confirmation; the rows go in with COPY. Measures, each the median of 9 runs after a warm-up:
the bulletin contract `bulletin(start, end)` for the whole year, the same for one institution, the
per-institution table of the bulletin page, and the bulletin page itself through Django's test
client as a supervising centre's user. Results go to bench/results/mediation.md.
"""

from __future__ import annotations

import argparse
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

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from bench.timing import median_ms  # noqa: E402

STATES = [
    "received",
    "accepted",
    "mediating",
    "success",
    "success",
    "success",
    "success",
    "failure",
    "rejected",
    "withdrawn",
]


def generate(cases: int, today: dt.date, seed: int = 11) -> None:
    from apps.mediation.models import Case, Institution, JudicialConfirmation

    if Case.objects.count() >= cases:
        return
    rng = random.Random(seed)
    centres = [Institution.objects.create(name=f"矛调中心{n:02d}", kind="center") for n in range(20)]
    insts = Institution.objects.bulk_create(
        [
            Institution(
                name=f"调解委员会{n:04d}",
                kind=rng.choice(["street", "community", "trade", "lawyer"]),
                supervisor=centres[n % 20],
            )
            for n in range(700)
        ]
    )
    buf = io.StringIO()
    start = today - dt.timedelta(days=3 * 365)
    for n in range(cases):
        received = start + dt.timedelta(days=rng.randint(0, 3 * 365))
        state = rng.choice(STATES)
        respond_by = received + dt.timedelta(days=4)
        answered = state != "received"
        responded = received + dt.timedelta(days=rng.choice([0, 1, 2, 3, 6])) if answered else None
        accepted = responded if state not in ("received", "rejected") else None
        row = [
            f"TJ{n:010d}", "", "\\N", "online", "", str(rng.choice(insts).pk), "neighbour", "\\N", "楼上漏水", "赔偿", "申请人",
            "13800000000", "\\N", state, str(respond_by), str(received), str(respond_by),
            str(responded) if responded else "\\N", str((responded - received).days) if responded else "\\N",
            str(accepted) if accepted else "\\N", "", "\\N", "\\N", "", "", "", "\\N", dt.datetime.now(dt.UTC).isoformat(),
        ]  # fmt: skip
        buf.write("\t".join(row) + "\n")
    buf.seek(0)
    columns = (
        "receipt, number, submission_key, source, referred_by, institution_id, dispute_type, amount, facts, claims, applicant_name, "
        "applicant_phone, applicant_user_id, state, due_date, received_on, respond_by, responded_on, response_days, accepted_on, "
        "reject_reason, mediator_id, closed_on, agreement, performance, close_note, created_by_id, created_at"
    )
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY mediation_case ({columns}) FROM STDIN") as copy:
            copy.write(buf.getvalue())
        cursor.execute("ANALYZE mediation_case")
    success = list(Case.objects.filter(state="success").values_list("pk", "received_on")[: cases // 20])
    JudicialConfirmation.objects.bulk_create(
        [
            JudicialConfirmation(
                case_id=pk,
                court="开发区人民法院",
                applied_on=on + dt.timedelta(days=20),
                state="confirmed",
                decided_on=on + dt.timedelta(days=25),
            )
            for pk, on in success
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE mediation_judicialconfirmation")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--no-migrate", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL (DATABASE_URL=postgres://…)")
    if not args.no_migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    from django.test import Client

    from apps.accounts.models import User
    from apps.mediation import selectors
    from apps.mediation.models import Case, Institution, Mediator

    today = dt.date.today()  # noqa: DTZ011
    t0 = time.perf_counter()
    generate(args.cases, today)
    generated = time.perf_counter() - t0
    total = Case.objects.count()
    year_start = dt.date(today.year, 1, 1)
    in_year = Case.objects.filter(received_on__gte=year_start, received_on__lte=today).count()
    inst = Institution.objects.filter(kind="street").order_by("pk").first()
    centre = Institution.objects.filter(kind="center").order_by("pk").first()
    user, _ = User.objects.get_or_create(username="bench-centre", defaults={"display_name": "矛调中心"})
    Mediator.objects.get_or_create(
        institution=centre, user=user, defaults={"name": "矛调中心", "is_admin": True}
    )
    client = Client()
    client.force_login(user)

    figures = selectors.bulletin(year_start, today)
    rows = [
        ("`bulletin(start, end)` for the year, all institutions", median_ms(lambda: selectors.bulletin(year_start, today))),
        ("`bulletin(start, end, institution)` for one institution", median_ms(lambda: selectors.bulletin(year_start, today, inst))),
        ("per-institution table (700 institutions)", median_ms(lambda: selectors.bulletin_by_institution(year_start, today, Institution.objects.exclude(kind="center")))),
        ("bulletin page as a centre's user (35 institutions), HTTP", median_ms(lambda: client.get(f"/mediation/bulletin/?start={year_start}&end={today}"))),
        ("ledger first page as the centre's user, HTTP", median_ms(lambda: client.get("/mediation/"))),
    ]  # fmt: skip
    lines = [
        "# Mediation bulletin benchmark",
        "",
        f"Run on {dt.datetime.now():%Y-%m-%d %H:%M} · PostgreSQL · {total:,} cases ({in_year:,} received this year) · 720 institutions · generated in {generated:.1f} s",  # noqa: DTZ005
        "",
        f"Year's figures: received {figures['received']:,}, accepted {figures['accepted']:,}, mediated {figures['mediated']:,}, "
        f"mediation rate {figures['mediation_rate']}, success rate {figures['success_rate']}, overdue institutions {len(figures['overdue_institutions'])}.",
        "",
        "| Measure | median ms | min ms | p90 ms | goal |",
        "|---|---:|---:|---:|---|",
    ]
    for label, (median, low, high) in rows:
        goal = "< 300 ms" if label.startswith("`bulletin(start, end)` for the year") else ""
        lines.append(f"| {label} | {median:.1f} | {low:.1f} | {high:.1f} | {goal} |")
    out = ROOT / "bench" / "results" / "mediation.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
