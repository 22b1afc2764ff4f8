"""Loads the demo zone: organizations, a few thousand members and the four demo logins. Idempotent."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import RoleGrant, User
from apps.core.context import acting
from apps.core.demo import identities
from apps.core.demo.zone import POSITIONS, WORK_UNITS_BY_KIND, ZONE
from apps.core.scoping import Role, Scope
from apps.members.choices import Education, MemberCategory
from apps.members.models import Member
from apps.members.services import apply_clean, bulk_register
from apps.members.validation import validate_member
from apps.orgs.choices import CommitteeRole, OrgType
from apps.orgs.models import CommitteeMember, Organization
from apps.orgs.rules import add_years
from apps.orgs.services import org_create

DEMO_PASSWORD = "Xianfeng@2026"  # noqa: S105 — the documented demo password
SCALE = 2.5  # branches of nine or more members are scaled up to give the zone a few thousand members

DEMO_USERS = [
    ("demo-admin", "组织部管理员", Role.ZONE_ADMIN, "杭州经济技术开发区党工委"),
    ("demo-committee", "机关党委管理员", Role.COMMITTEE_ADMIN, "开发区机关党委"),
    ("demo-secretary", "组织部党支部书记", Role.BRANCH_SECRETARY, "组织部（人力资源局）党支部"),
    ("demo-instructor", "党建指导员", Role.INSTRUCTOR, "下沙街道党工委"),
]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class Command(BaseCommand):
    help = "载入演示数据（开发区党工委、组织、党员与演示账号）；重复运行不会重复载入"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        if Organization.objects.filter(name=ZONE["name"], parent__isnull=True).exists():
            self.stdout.write("演示数据已存在，跳过载入。")
            self._ensure_users()
            system = User.objects.get(username="system")
            with transaction.atomic(), acting(user_id=system.pk, ip_address=None, request_id="loaddemo"):
                if self._governance(system, random.Random(options["seed"])):
                    from apps.alerts.store import refresh_alerts

                    refresh_alerts()
            return
        rng = random.Random(options["seed"])
        system, _ = User.objects.get_or_create(
            username="system", defaults={"display_name": "系统", "is_active": False}
        )
        with transaction.atomic(), acting(user_id=system.pk, ip_address=None, request_id="loaddemo"):
            self._create_tree(system, ZONE, None, rng)
            self._dues(system, rng)
            self._meetings(system, rng)
            self._development(system, rng)
            self._transfers(system)
            self._pioneer(system, rng)
            self._coverage(system, rng)
            self._appraisal(system, rng)
            self._governance(system, rng)
            from apps.core.snapshots import backfill

            backfill(12)
            from apps.alerts.store import refresh_alerts

            refresh_alerts()
            self._ensure_users()
        self.stdout.write(
            self.style.SUCCESS(
                f"已载入演示数据：{Organization.objects.count()} 个党组织，{Member.objects.count()} 名党员。"
            )
        )

    def _create_tree(
        self, actor: User, spec: dict[str, Any], parent: Organization | None, rng: random.Random
    ) -> Organization:
        today = timezone.localdate()
        founded = _date(spec.get("founded")) or dt.date(
            rng.randint(1996, 2016), rng.randint(1, 12), rng.randint(1, 28)
        )
        values: dict[str, Any] = {
            "name": spec["name"],
            "org_type": spec["org_type"],
            "unit_kind": spec["unit_kind"],
            "unit_name": spec.get("unit_name", ""),
            "founded_on": founded,
            "formation_mode": spec.get("mode", "single"),
            # Most organizations elected within their term; about one in eight is overdue, to show the alert.
            "last_election_on": _date(spec.get("elected"))
            or max(
                founded,
                today
                - dt.timedelta(
                    days=rng.randint(120, 1000) if rng.random() > 0.12 else rng.randint(1100, 1400)
                ),
            ),
            "end_date": _date(spec.get("end_date")),
            "star_rating": spec.get("star"),
            "is_demonstration": bool(spec.get("demo")),
            "is_strongest_branch": bool(spec.get("strongest")),
        }
        actor_for_create = _superuser_proxy(actor)
        org = org_create(actor=actor_for_create, parent_id=parent.pk if parent else None, values=values)
        groups = [
            org_create(
                actor=actor_for_create,
                parent_id=org.pk,
                values={
                    "name": f"{org.name}第{i + 1}党小组",
                    "org_type": OrgType.GROUP,
                    "unit_kind": org.unit_kind,
                },
            )
            for i in range(spec.get("groups", 0))
        ]
        count = spec.get("members", 0)
        if count >= 9:
            count = int(count * SCALE)
        self._members(actor, org, groups, count, rng, spec)
        for child in spec.get("children", []):
            self._create_tree(actor, child, org, rng)
        self._committee(org, rng)
        return org

    def _members(
        self,
        actor: User,
        org: Organization,
        groups: list[Organization],
        count: int,
        rng: random.Random,
        spec: dict[str, Any],
    ) -> None:
        today = timezone.localdate()
        prepared: list[Member] = []
        cleans = []
        units = WORK_UNITS_BY_KIND.get(spec["unit_kind"]) or [spec.get("unit_name") or org.name]
        community = spec["unit_kind"] == "community"
        small = count < 5
        for index in range(count):
            gender = "male" if rng.random() < 0.62 else "female"
            age = rng.randint(22, 88) if community else rng.randint(22, 62)
            birth = today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
            admission = birth + dt.timedelta(
                days=365 * rng.randint(19, max(19, min(age - 1, 40))) + rng.randint(0, 300)
            )
            admission = min(admission, today - dt.timedelta(days=rng.randint(30, 400)))
            probationary = (today - admission).days < 365 or (small and index == 0) or rng.random() < 0.03
            if probationary:
                admission = today - dt.timedelta(days=rng.randint(20, 330))
            full = None if probationary else admission + dt.timedelta(days=365 + rng.randint(0, 20))
            if full and full > today:
                full = None
            category = MemberCategory.RETIRED if age >= 60 else MemberCategory.EMPLOYED
            roll = rng.random()
            if roll < 0.04:
                category = MemberCategory.MOBILE
            elif roll < 0.055 and not community:
                category = MemberCategory.STUDENT if age < 26 else category
            elif roll < 0.065:
                category = MemberCategory.LOST_CONTACT
            name, _, _ = identities.person_name(rng)
            values: dict[str, Any] = {
                "name": name,
                "citizen_id": identities.citizen_id(rng, birth, gender),
                "ethnicity": "汉族"
                if rng.random() < 0.95
                else rng.choice(["回族", "满族", "畲族", "土家族", "苗族"]),
                "education": rng.choices(
                    [e.value for e in Education],
                    weights=[12, 38, 22, 8, 12, 8] if not community else [3, 18, 20, 12, 25, 22],
                )[0],
                "phone": identities.phone(rng),
                "org": org,
                "party_group": groups[index % len(groups)] if groups else None,
                "work_unit": rng.choice(units),
                "position": rng.choice(POSITIONS),
                "application_date": admission - dt.timedelta(days=rng.randint(700, 1200))
                if rng.random() < 0.7
                else None,
                "admission_date": admission,
                "full_membership_date": full,
                "category": category,
            }
            if values["application_date"] and values["application_date"] < add_years(
                birth, 18
            ) + dt.timedelta(days=2):
                values["application_date"] = None
            clean, errors = validate_member(values, today=today)
            if errors or clean is None:
                continue
            member = Member()
            apply_clean(member, clean)
            member._change_reason = "演示数据"  # type: ignore[attr-defined]
            prepared.append(member)
            cleans.append(clean)
        bulk_register(prepared, cleans, actor)

    def _dues(self, system: User, rng: random.Random) -> None:
        """Bases for every member, bills for the last seven months, most of them paid."""
        import uuid
        from decimal import Decimal

        from django.db.models import F

        from apps.dues.models import DuesBase, DuesBill, DuesPayment
        from apps.dues.services import dues_bills_generate

        today = timezone.localdate()
        start = dt.date(today.year - 1, 1, 1)
        bases = []
        for member_id, category, education in Member.objects.values_list("id", "category", "education"):
            if category == MemberCategory.RETIRED:
                dues_category, base = "retired", rng.randint(2800, 7500)
            elif category == MemberCategory.STUDENT:
                dues_category, base = "student", 0
            else:
                top = 26000 if education in {"postgraduate", "bachelor"} else 9000
                dues_category, base = "employed", rng.randint(2600, top)
            bases.append(
                DuesBase(
                    member_id=member_id,
                    category=dues_category,
                    base=Decimal(base),
                    effective_from=start,
                    set_by=system,
                    note="年度核定",
                )
            )
        DuesBase.objects.bulk_create(bases, batch_size=2000)
        months = [(today.replace(day=1) - dt.timedelta(days=31 * i)).replace(day=1) for i in range(6, -1, -1)]
        proxy = _superuser_proxy(system)
        for month in months:
            dues_bills_generate(actor=proxy, month=month)
        never_pay = set(
            Member.objects.filter(category=MemberCategory.LOST_CONTACT).values_list("id", flat=True)
        )
        payments = []
        paid_ids = []
        for bill_id, member_id, month, amount in DuesBill.objects.values_list(
            "id", "member_id", "month", "amount"
        ):
            current = month == months[-1]
            if member_id in never_pay or rng.random() > (0.55 if current else 0.97):
                continue
            paid_on = min(today, month + dt.timedelta(days=rng.randint(3, 25)))
            paid_ids.append((bill_id, paid_on))
            payments.append(
                DuesPayment(
                    bill_id=bill_id,
                    amount=amount,
                    method=rng.choice(["online", "online", "transfer", "cash"]),
                    paid_on=paid_on,
                    token=uuid.uuid4().hex,
                    recorded_by=system,
                )
            )
        DuesPayment.objects.bulk_create(payments, batch_size=2000)
        by_date: dict[dt.date, list[int]] = {}
        for bill_id, paid_on in paid_ids:
            by_date.setdefault(paid_on, []).append(bill_id)
        for paid_on, ids in by_date.items():
            DuesBill.objects.filter(pk__in=ids).update(
                status="paid", paid_amount=F("amount"), paid_on=paid_on
            )

    def _meetings(self, system: User, rng: random.Random) -> None:
        """Half a year of branch life: most branches keep their cadence, some miss items."""
        from apps.meetings.models import Attendance, Meeting
        from apps.meetings.rules import period_of

        today = timezone.localdate()
        topics = {
            "theme_day": [
                "学习贯彻党的二十大精神",
                "“最多跑一次”改革志愿服务",
                "五水共治河道清洁",
                "走访慰问困难党员",
                "重温入党誓词",
            ],
            "committee_meeting": ["研究本月党建工作", "讨论发展党员工作", "部署主题党日活动"],
            "general_meeting": ["学习党章党规", "讨论接收预备党员", "通报党费收缴情况"],
            "party_lecture": ["书记讲党课：勇立潮头方显担当", "党史专题党课", "廉政教育党课"],
            "group_meeting": ["党小组学习", "交流学习体会"],
            "org_life": ["年度组织生活会"],
            "appraisal": ["年度民主评议党员"],
        }
        branches = list(Organization.objects.filter(org_type__in=["branch", "joint_branch", "temp_branch"]))
        diligence = {b.pk: rng.choice([0.95, 0.9, 0.85, 0.6]) for b in branches}
        months = [(today.replace(day=1) - dt.timedelta(days=31 * i)).replace(day=1) for i in range(5, -1, -1)]
        meetings: list[Meeting] = []
        for branch in branches:
            p = diligence[branch.pk]
            for month in months:
                last_day = today if month == months[-1] else period_of("monthly", month)[1]

                def add(
                    kind: str, day: dt.date, branch: Organization = branch, month: dt.date = month
                ) -> None:
                    day = min(day, today - dt.timedelta(days=1))
                    if day < month:
                        return
                    meetings.append(
                        Meeting(
                            org=branch,
                            org_path=branch.path,
                            meeting_type=kind,
                            topic=rng.choice(topics[kind]),
                            date=day,
                            place="党员活动室",
                            host="支部书记",
                            status="held",
                            created_by=system,
                            minutes="会议按议程进行，与会党员进行了讨论。",
                        )
                    )

                if rng.random() < p:
                    add(
                        "theme_day",
                        month + dt.timedelta(days=rng.randint(0, max(0, (last_day - month).days))),
                    )
                if rng.random() < p - 0.1:
                    add("committee_meeting", month + dt.timedelta(days=rng.randint(0, 20)))
                if month.month in (1, 4, 7, 10) or rng.random() < 0.15:
                    if rng.random() < p:
                        add("general_meeting", month + dt.timedelta(days=rng.randint(5, 25)))
                    if rng.random() < p:
                        add("party_lecture", month + dt.timedelta(days=rng.randint(5, 25)))
                if month.month == 12 or (month == months[0] and rng.random() < p):
                    add("org_life", month + dt.timedelta(days=15))
                    add("appraisal", month + dt.timedelta(days=16))
        Meeting.objects.bulk_create(meetings, batch_size=2000)
        members_by_org: dict[int, list[int]] = {}
        for member_id, org_id in Member.objects.filter(org__in=branches).values_list("id", "org_id"):
            members_by_org.setdefault(org_id, []).append(member_id)
        records = []
        for meeting in (
            Meeting.objects.filter(org__in=branches)
            .exclude(meeting_type="committee_meeting")
            .values("id", "org_id")
        ):
            for member_id in members_by_org.get(meeting["org_id"], []):
                roll = rng.random()
                status, reason = (
                    ("present", "")
                    if roll < 0.86
                    else ("leave", rng.choice(["出差", "生病", "值班"]))
                    if roll < 0.93
                    else ("absent", "")
                )
                records.append(
                    Attendance(
                        meeting_id=meeting["id"],
                        member_id=member_id,
                        status=status,
                        reason=reason,
                        via_qr=status == "present" and rng.random() < 0.6,
                    )
                )
        Attendance.objects.bulk_create(records, batch_size=5000)
        demo_branch = Organization.objects.filter(name="组织部（人力资源局）党支部").first()
        if demo_branch:
            Meeting.objects.create(
                org=demo_branch,
                org_path=demo_branch.path,
                meeting_type="theme_day",
                topic="本月固定主题党日：学习党的创新理论",
                date=today,
                place="管委会3楼党员活动室",
                host="支部书记",
                created_by=system,
            )

    def _development(self, system: User, rng: random.Random) -> None:
        """A few people at each stage of the pipeline in the demo secretary's branch."""
        from apps.development import services as dev

        branch = Organization.objects.filter(name="组织部（人力资源局）党支部").first()
        if branch is None:
            return
        proxy = _superuser_proxy(system)
        today = timezone.localdate()
        full = list(
            Member.objects.filter(org=branch, status="full").order_by("id").values_list("id", flat=True)[:4]
        )

        def person(days_ago: int) -> Any:
            birth = today - dt.timedelta(days=365 * rng.randint(22, 35))
            name, _, _ = identities.person_name(rng)
            return dev.prospect_register(
                actor=proxy, org_id=branch.pk, name=name, citizen_id=identities.citizen_id(rng, birth, rng.choice(["male", "female"])),
                application_date=today - dt.timedelta(days=days_ago), phone=identities.phone(rng), work_unit="杭州经济技术开发区管委会",
            )  # fmt: skip

        person(40)  # an application waiting for its talk, overdue
        p = person(500)
        dev.record_talk(actor=proxy, prospect_id=p.pk, on=today - dt.timedelta(days=490), by="支部书记")
        dev.make_activist(
            actor=proxy, prospect_id=p.pk, on=today - dt.timedelta(days=380), contact_ids=full[:1]
        )
        p = person(900)
        dev.record_talk(actor=proxy, prospect_id=p.pk, on=today - dt.timedelta(days=890), by="支部书记")
        dev.make_activist(
            actor=proxy, prospect_id=p.pk, on=today - dt.timedelta(days=850), contact_ids=full[:2]
        )
        dev.make_candidate(actor=proxy, prospect_id=p.pk, on=today - dt.timedelta(days=60))
        dev.prepare_admission(
            actor=proxy, prospect_id=p.pk, review_date=today - dt.timedelta(days=40), training_hours=32, introducer_ids=full[2:4],
            publicity_start=today - dt.timedelta(days=30),
        )  # fmt: skip
        # Voted by the branch meeting, now in the committee's approval queue.
        p = person(1100)
        dev.record_talk(actor=proxy, prospect_id=p.pk, on=today - dt.timedelta(days=1090), by="支部书记")
        dev.make_activist(
            actor=proxy, prospect_id=p.pk, on=today - dt.timedelta(days=1000), contact_ids=full[:2]
        )
        dev.make_candidate(actor=proxy, prospect_id=p.pk, on=today - dt.timedelta(days=130))
        dev.prepare_admission(
            actor=proxy, prospect_id=p.pk, review_date=today - dt.timedelta(days=120), training_hours=32, introducer_ids=full[2:4],
            publicity_start=today - dt.timedelta(days=110),
        )  # fmt: skip
        dev.branch_meeting_vote(
            actor=proxy, prospect_id=p.pk, on=today - dt.timedelta(days=80), eligible=max(len(full), 4) + 20,
            present=max(len(full), 4) + 18, yes=max(len(full), 4) + 18,
        )  # fmt: skip

    def _coverage(self, system: User, rng: random.Random) -> None:
        """Parks and the zone's enterprises and social organizations; three instructors cover some."""
        from apps.core.demo import coverage

        instructors = []
        for username, display, org_name in (
            ("demo-instructor", "党建指导员", "下沙街道党工委"),
            ("instructor-baiyang", "白杨街道党建指导员", "白杨街道党工委"),
            ("instructor-dachuang", "大创小镇党建指导员", "大创小镇综合党委"),
        ):
            org = Organization.objects.filter(name=org_name).first()
            if org is None:
                continue
            user = _demo_user(username, display)
            RoleGrant.objects.get_or_create(user=user, role=Role.INSTRUCTOR, org=org)
            instructors.append(user)
        coverage.load(system, rng, instructors)

    def _appraisal(self, system: User, rng: random.Random) -> None:
        """Last year's star ratings and honours, and secretaries' reports (one still awaiting appraisal)."""
        from apps.appraisal import services as appraisal
        from apps.appraisal.models import Criterion

        proxy = _superuser_proxy(system)
        year = timezone.localdate().year - 1
        branches = list(Organization.objects.filter(org_type__in=["branch", "joint_branch"]).order_by("id"))
        standards = list(Criterion.values)
        for branch in branches:
            if rng.random() < 0.6:
                met = rng.sample(standards, rng.choice([2, 3, 3, 4, 4, 5]))
                appraisal.rate(
                    actor=proxy, org_id=branch.pk, year=year, criteria=met, note="年度党建工作考核"
                )
        for name, kind in (
            ("组织部（人力资源局）党支部", "strongest"),
            ("杭州默沙东生物医药党支部", "strongest"),
            ("大创小镇综合党委", "demo_site"),
            ("松下家电（中国）有限公司党委", "demo_site"),
            ("上沙社区党委", "demo_site"),
        ):
            org = Organization.objects.filter(name=name).first()
            if org is not None:
                appraisal.honor(
                    actor=proxy, org_id=org.pk, kind=kind, year=year, note="经开发区党工委研究认定"
                )
        content = (
            "一年来，支部坚持“三会一课”、主题党日等制度，按月公示党员先锋指数，党费按月足额收缴；"
            "围绕中心工作开展志愿服务，发展党员工作按程序推进。存在问题：党员教育方式还不够灵活。"
        )
        for index, branch in enumerate(branches[:12]):
            report = appraisal.submit_report(
                actor=proxy, org_id=branch.pk, year=year, secretary="支部书记", content=content
            )
            if index:
                appraisal.appraise(
                    actor=proxy,
                    report_id=report.pk,
                    grade=rng.choice(["excellent", "good", "good", "fair"]),
                    comment="工作扎实",
                )

    def _pioneer(self, system: User, rng: random.Random) -> None:
        """Most branches published their pioneer-index scores for the last months; some forgot."""
        from apps.pioneer.services import publish_month

        proxy = _superuser_proxy(system)
        this_month = timezone.localdate().replace(day=1)
        months = [(this_month - dt.timedelta(days=1)).replace(day=1)]
        months.insert(0, (months[0] - dt.timedelta(days=1)).replace(day=1))
        for branch_id in Organization.objects.filter(org_type__in=["branch", "joint_branch"]).values_list(
            "id", flat=True
        ):
            for month in months:
                if rng.random() < 0.85:
                    publish_month(actor=proxy, org_id=branch_id, month=month)

    def _transfers(self, system: User) -> None:
        """A transfer waiting for its receipt past the deadline, and one completed, in the demo branch."""
        from apps.transfers import services as tr
        from apps.transfers.models import Transfer

        branch = Organization.objects.filter(name="组织部（人力资源局）党支部").first()
        target = Organization.objects.filter(name="税务局党支部").first()
        if branch is None or target is None:
            return
        proxy = _superuser_proxy(system)
        today = timezone.localdate()
        movers = list(Member.objects.filter(org=branch, user__isnull=True).order_by("id")[:2])
        for index, member in enumerate(movers):
            t = tr.transfer_request(actor=proxy, member_id=member.pk, to_org_id=target.pk, reason="工作调动")
            tr.transfer_issue(actor=proxy, transfer_id=t.pk, dues_paid_to=today)
            if index == 0:
                Transfer.objects.filter(pk=t.pk).update(
                    issued_on=today - dt.timedelta(days=40), due_date=today - dt.timedelta(days=10)
                )
            else:
                tr.transfer_receive(actor=proxy, transfer_id=t.pk, on=today)

    def _committee(self, org: Organization, rng: random.Random) -> None:
        if org.org_type == OrgType.GROUP:
            return
        # A committee's seats are usually held by members of its subordinate organizations.
        pool = (
            Member.objects.filter(org=org)
            if org.is_branch
            else Member.objects.filter(org_path__startswith=org.path)
        )
        members = list(pool.filter(status="full").order_by("id")[:5])
        if not members:
            return
        start = org.last_election_on or org.founded_on or timezone.localdate()
        roles = [
            CommitteeRole.SECRETARY,
            CommitteeRole.ORGANIZATION,
            CommitteeRole.PUBLICITY,
            CommitteeRole.DISCIPLINE,
            CommitteeRole.DEPUTY_SECRETARY,
        ]
        # Branches with a committee get three to five seats; a few big ones are left without, to show the warning.
        seats = (
            1
            if org.org_type in {"branch", "joint_branch", "temp_branch"} and rng.random() < 0.35
            else min(len(members), rng.choice((3, 4, 5)))
        )
        CommitteeMember.objects.bulk_create(
            [
                CommitteeMember(org=org, member=m, name=m.name, role=roles[i], term_start=start)
                for i, m in enumerate(members[:seats])
            ]
        )

    def _governance(self, system: User, rng: random.Random) -> int:
        """Grassroots governance: the liaison grid, residents' requests, the mediation platform. Each
        part loads once, so a demo database from an earlier version gains the parts it lacks."""
        from apps.core.demo import grid, mediation
        from apps.core.demo import requests as resident_requests

        households = grid.load(system, rng)
        if households:
            self.stdout.write(f"已载入片组户演示数据：{households} 户。")
        made = resident_requests.load(system, rng)
        if made:
            self.stdout.write(f"已载入民情诉求演示数据：{made} 件诉求。")
        cases = mediation.load(system, rng, _demo_user)
        if cases:
            self.stdout.write(f"已载入矛盾纠纷调解演示数据：{cases} 件案件。")
        return households + made + cases

    def _ensure_users(self) -> None:
        for username, display, role, org_name in DEMO_USERS:
            org = Organization.objects.filter(name=org_name).first()
            if org is None:
                continue
            user = _demo_user(username, display)
            RoleGrant.objects.get_or_create(user=user, role=role, org=org)
        secretary = User.objects.filter(username="demo-secretary").first()
        branch = Organization.objects.filter(name="组织部（人力资源局）党支部").first()
        if branch is None:
            return
        if secretary is not None and not Member.objects.filter(user=secretary).exists():
            m = Member.objects.filter(org=branch, user__isnull=True, status="full").order_by("id").first()
            if m:
                Member.objects.filter(pk=m.pk).update(user=secretary)
                User.objects.filter(pk=secretary.pk).update(display_name=m.name)
        member_user = _demo_user("demo-member", "党员")
        if not Member.objects.filter(user=member_user).exists():
            m = Member.objects.filter(org=branch, user__isnull=True).order_by("-id").first()
            if m:
                Member.objects.filter(pk=m.pk).update(user=member_user)
                User.objects.filter(pk=member_user.pk).update(display_name=m.name)


def _demo_user(username: str, display: str) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"display_name": display})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


class _SuperuserProxy:
    """The loader acts with zone-wide rights without a real superuser account."""

    def __init__(self, user: User):
        self.pk = user.pk
        self.is_authenticated = True
        self.is_superuser = True
        self._xf_scope = Scope(user_id=user.pk, is_superuser=True)


def _superuser_proxy(user: User) -> Any:
    return _SuperuserProxy(user)
