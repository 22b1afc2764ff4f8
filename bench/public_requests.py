#!/usr/bin/env python
"""Load run of the residents' public request form over real HTTP, counting every submission.

  createdb -h 127.0.0.1 -U postgres xf_req_bench_small
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/xf_req_bench_small \\
      .venv/bin/python bench/public_requests.py --workers 5 --clients 32 --duration 60

Migrates the database, starts the application under gunicorn (several sync workers, DEBUG off,
the per-address rate limit off so one load generator may post as fast as it can: XF_PUBLIC_RATE_LIMIT=0),
then runs concurrent clients (threads with http.client). Each client GETs the form, reads the CSRF
token and the human-check question from the page, solves it, and POSTs; a share of the forms is
posted twice at the same moment from two connections (a double click, a retry) — they must yield one
row and the same receipt code. Afterwards the rows are counted in the database:

- OK: POSTs answered 200 with a receipt code;
- stored: rows of this run (each form carries a unique marker in its title);
- duplicates: forms stored more than once, and double posts answered with two different codes (must be 0);
- lost: receipt codes answered OK that have no row (must be 0).

Reports submissions per second (distinct forms stored ÷ the posting time) and POST latency
percentiles into bench/results/public_requests.md.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "public_requests.md"
PYTHON = sys.executable
GUNICORN = shutil.which("gunicorn", path=str(Path(PYTHON).parent)) or "gunicorn"

SETTINGS = """from xianfeng.settings import *  # noqa: F403

DEBUG = False
XF_PUBLIC_RATE_LIMIT = 0
# The load run does not serve static files; plain storage avoids needing a collected manifest.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
"""

CSRF_COOKIE = re.compile(r"csrftoken=([A-Za-z0-9]+)")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_FIELD = re.compile(r'name="token" value="([^"]+)"')
QUESTION = re.compile(r"验证：\s*(\d+)\s*加\s*(\d+)\s*等于几")
RECEIPT = re.compile(r'data-testid="receipt-code">([A-Z0-9]+)<')
CATEGORIES = [
    "sanitation",
    "property",
    "municipal",
    "security",
    "neighbour",
    "welfare",
    "employment",
    "other",
]


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    forms: int = 0  # distinct forms posted
    doubles: int = 0  # of which posted twice at once
    posts: int = 0
    ok: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    codes: dict[str, set[str]] = field(default_factory=dict)  # marker → receipt codes answered
    post_ms: list[float] = field(default_factory=list)
    get_ms: list[float] = field(default_factory=list)

    def error(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1


class Client:
    """One resident's browser: a keep-alive connection and the CSRF cookie."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.cookie = ""

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, float]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                start = time.perf_counter()
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                elapsed = (time.perf_counter() - start) * 1000
                break
            except (http.client.HTTPException, ConnectionError, TimeoutError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt:
                    raise
        found = CSRF_COOKIE.search(response.getheader("Set-Cookie") or "")
        if found:
            self.cookie = f"csrftoken={found.group(1)}"
        return response.status, text, elapsed


def fill(client: Client, tally: Tally, run: str, sequence: int) -> tuple[str, str] | None:
    """GETs the form and returns (marker, POST body) with the question answered."""
    status, html, elapsed = client.request("GET", "/requests/submit/")
    with tally.lock:
        tally.get_ms.append(elapsed)
    if status != 200:
        tally.error(f"GET {status}")
        return None
    csrf, token, question = CSRF_FIELD.search(html), TOKEN_FIELD.search(html), QUESTION.search(html)
    if not (csrf and token and question):
        tally.error("form unreadable")
        return None
    marker = f"{run}-{sequence}-{uuid.uuid4().hex[:6]}"
    body = urlencode({
        "csrfmiddlewaretoken": csrf.group(1), "token": token.group(1),
        "answer": str(int(question.group(1)) + int(question.group(2))), "website": "",
        "submitter_name": "压测居民", "submitter_phone": f"139{secrets.randbelow(10**8):08d}",
        "address": "压测小区1幢", "category": CATEGORIES[sequence % len(CATEGORIES)],
        "title": f"压测{marker}", "content": "负载测试提交的诉求内容，用于统计吞吐量与丢失、重复。" * 3,
    })  # fmt: skip
    return marker, body


def post(client: Client, tally: Tally, marker: str, body: str) -> None:
    try:
        status, html, elapsed = client.request("POST", "/requests/submit/", body)
    except Exception as exc:  # a refused connection is a failure to count, not to crash on
        tally.error(type(exc).__name__)
        return
    code = RECEIPT.search(html) if status == 200 else None
    with tally.lock:
        tally.posts += 1
        tally.post_ms.append(elapsed)
        if code:
            tally.ok += 1
            tally.codes.setdefault(marker, set()).add(code.group(1))
    if not code:
        tally.error(f"POST {status}")


def worker(
    host: str,
    port: int,
    tally: Tally,
    run: str,
    deadline: float,
    quota: list[int],
    double_share: float,
    index: int,
) -> None:
    client, twin = Client(host, port), Client(host, port)
    sequence = index * 1_000_000
    while time.perf_counter() < deadline:
        with tally.lock:
            if quota[0] <= 0:
                return
            quota[0] -= 1
        sequence += 1
        form = fill(client, tally, run, sequence)
        if form is None:
            continue
        marker, body = form
        double = secrets.randbelow(10_000) < double_share * 10_000
        with tally.lock:
            tally.forms += 1
            tally.doubles += int(double)
        if double:
            twin.cookie = client.cookie  # the same browser posting twice
            other = threading.Thread(target=post, args=(twin, tally, marker, body))
            other.start()
            post(client, tally, marker, body)
            other.join()
        else:
            post(client, tally, marker, body)


def percentile(samples: list[float], p: float) -> float:
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def wait_ready(host: str, port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited before it was ready")
        try:
            conn = http.client.HTTPConnection(host, port, timeout=5)
            conn.request("GET", "/requests/submit/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer within a minute")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--workers", type=int, default=(os.cpu_count() or 2) * 2 + 1, help="gunicorn sync workers"
    )
    parser.add_argument("--clients", type=int, default=32, help="concurrent client threads")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of posting")
    parser.add_argument(
        "--count", type=int, default=0, help="stop after this many forms (0: only the duration)"
    )
    parser.add_argument("--double-share", type=float, default=0.1, help="share of forms posted twice at once")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--no-migrate", action="store_true")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must point at a PostgreSQL database (see the docstring)")
    host = "127.0.0.1"
    settings_dir = Path(tempfile.mkdtemp(prefix="xf-bench-"))
    (settings_dir / "bench_public_settings.py").write_text(SETTINGS)
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "bench_public_settings", "XF_PUBLIC_RATE_LIMIT": "0",
        "PYTHONPATH": os.pathsep.join([str(settings_dir), str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }  # fmt: skip
    os.environ.update({"DJANGO_SETTINGS_MODULE": "bench_public_settings", "PYTHONPATH": env["PYTHONPATH"]})
    sys.path.insert(0, str(settings_dir))
    if not args.no_migrate:
        subprocess.run(  # noqa: S603 — our own interpreter and manage.py
            [PYTHON, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
            env=env,
            check=True,
            cwd=ROOT,
        )

    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count

    from apps.resident_requests.models import ResidentRequest

    server = subprocess.Popen(  # noqa: S603 — the gunicorn beside our interpreter
        [GUNICORN, "xianfeng.wsgi:application", "--workers", str(args.workers), "--bind", f"{host}:{args.port}",
         "--backlog", "2048", "--timeout", "120", "--log-level", "warning", "--access-logfile", "/dev/null"],
        env=env, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    run = f"R{int(time.time())}"
    tally = Tally()
    try:
        wait_ready(host, args.port, server)
        quota = [args.count if args.count > 0 else 10**12]
        started = time.perf_counter()
        deadline = started + args.duration
        threads = [
            threading.Thread(
                target=worker, args=(host, args.port, tally, run, deadline, quota, args.double_share, i)
            )
            for i in range(args.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)

    prefix = f"压测{run}-"
    rows = ResidentRequest.objects.filter(title__startswith=prefix)
    stored = rows.count()
    stored_codes = set(rows.values_list("receipt_code", flat=True))
    per_form = rows.values("title").annotate(n=Count("pk")).filter(n__gt=1).count()
    by_key = (
        rows.exclude(submission_key=None)
        .values("submission_key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    split_doubles = sum(1 for codes in tally.codes.values() if len(codes) > 1)
    answered = {code for codes in tally.codes.values() for code in codes}
    lost = len(answered - stored_codes)
    forms_ok = len(tally.codes)
    throughput = stored / elapsed if elapsed else 0.0
    database = connection.vendor
    lines = [
        "# Load run: the public request form",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M')} · {database} · gunicorn {args.workers} sync workers · {args.clients} clients · "
        f"{elapsed:.1f} s · {os.cpu_count()} CPUs · double posts {args.double_share:.0%} · rate limit off (XF_PUBLIC_RATE_LIMIT=0)",
        "",
        "Each client GETs /requests/submit/, solves the human check from the page and POSTs the form; a share of the forms is",
        "posted twice at the same moment from two connections. Rows are counted in the database afterwards.",
        "",
        "| figure | value |",
        "|---|---:|",
        f"| forms posted (distinct) | {tally.forms:,} |",
        f"| of which posted twice at once | {tally.doubles:,} |",
        f"| POST requests | {tally.posts:,} |",
        f"| POSTs answered OK with a receipt code | {tally.ok:,} |",
        f"| forms answered OK | {forms_ok:,} |",
        f"| rows stored | {stored:,} |",
        f"| **duplicates** (forms stored twice, same submission key twice, double posts given two codes) | **{per_form + by_key + split_doubles}** |",
        f"| **lost** (receipt codes answered OK without a row) | **{lost}** |",
        f"| **submissions per second** (rows stored ÷ posting time) | **{throughput:.1f}** |",
        f"| POST latency p50 / p90 / p99 / max | {percentile(tally.post_ms, 50):.0f} / {percentile(tally.post_ms, 90):.0f} / "
        f"{percentile(tally.post_ms, 99):.0f} / {max(tally.post_ms or [0]):.0f} ms |",
        f"| GET form latency p50 / p90 / p99 | {percentile(tally.get_ms, 50):.0f} / {percentile(tally.get_ms, 90):.0f} / "
        f"{percentile(tally.get_ms, 99):.0f} ms |",
        f"| mean POST latency | {statistics.fmean(tally.post_ms) if tally.post_ms else 0:.0f} ms |",
        f"| errors | {', '.join(f'{k}: {v}' for k, v in sorted(tally.errors.items())) or 'none'} |",
        "",
        f"Command: `DATABASE_URL=… .venv/bin/python bench/public_requests.py --workers {args.workers} --clients {args.clients} "
        f"--duration {args.duration:g}{f' --count {args.count}' if args.count else ''} --double-share {args.double_share:g}`",
        "",
    ]
    report = "\n".join(lines)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report)
    print(report)
    shutil.rmtree(settings_dir, ignore_errors=True)
    if lost or per_form or by_key or split_doubles:
        raise SystemExit("submissions were lost or duplicated")


if __name__ == "__main__":
    main()
