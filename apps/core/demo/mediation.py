"""Demo mediation: the zone's online mediation platform with its institutions and mediators, and the
cases that give the figures of the platform's first report — by the end of August, 816 received,
813 accepted and a mediation rate of 99.5% (809 of 813 mediated) — plus the autumn's cases in every
stage, a few judicial confirmations, and institutions that were slow to respond."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.core.calendar import add_working_days, working_days_between
from apps.core.models import WorkItemEvent
from apps.core.public import receipt_code
from apps.mediation.choices import (
    CaseSource,
    DisputeType,
    InstitutionKind,
    MediatorKind,
    PartyRole,
    SessionMode,
)
from apps.mediation.models import Case, Institution, JudicialConfirmation, Mediator, Party, Session

LAUNCH = dt.date(2026, 1, 5)
REPORT_END = dt.date(2026, 8, 31)
REPORT = {"received": 816, "accepted": 813, "mediated": 809}

CENTER = "开发区社会矛盾纠纷调处化解中心"
INSTITUTIONS = [
    # name, kind, supervisor, weight of the case load, slow to respond
    (CENTER, InstitutionKind.CENTER, None, 0, False),
    ("下沙街道人民调解委员会", InstitutionKind.STREET, CENTER, 20, False),
    ("白杨街道人民调解委员会", InstitutionKind.STREET, CENTER, 18, False),
    ("上沙社区人民调解委员会", InstitutionKind.COMMUNITY, "下沙街道人民调解委员会", 8, False),
    ("东湾社区人民调解委员会", InstitutionKind.COMMUNITY, "下沙街道人民调解委员会", 6, True),
    ("江滨花园社区人民调解委员会", InstitutionKind.COMMUNITY, "下沙街道人民调解委员会", 5, False),
    ("滙澜社区人民调解委员会", InstitutionKind.COMMUNITY, "白杨街道人民调解委员会", 6, False),
    ("早城社区人民调解委员会", InstitutionKind.COMMUNITY, "白杨街道人民调解委员会", 4, True),
    ("开发区劳动人事争议调解中心", InstitutionKind.TRADE, CENTER, 12, False),
    ("开发区物业纠纷人民调解委员会", InstitutionKind.TRADE, CENTER, 8, False),
    ("开发区医疗纠纷人民调解委员会", InstitutionKind.TRADE, CENTER, 3, False),
    ("开发区道路交通事故纠纷调解室", InstitutionKind.TRADE, CENTER, 5, False),
    ("开发区律师调解工作室", InstitutionKind.LAWYER, CENTER, 3, False),
    ("开发区人民法院特邀调解组织", InstitutionKind.COURT, CENTER, 2, False),
]
TYPES_BY_KIND: dict[str, list[DisputeType]] = {
    InstitutionKind.STREET: [
        DisputeType.NEIGHBOUR,
        DisputeType.FAMILY,
        DisputeType.CONTRACT,
        DisputeType.DAMAGE,
    ],
    InstitutionKind.COMMUNITY: [DisputeType.NEIGHBOUR, DisputeType.FAMILY, DisputeType.PROPERTY],
    InstitutionKind.LAWYER: [DisputeType.CONTRACT, DisputeType.CONSUMER],
    InstitutionKind.COURT: [DisputeType.CONTRACT, DisputeType.DAMAGE],
}
TRADE_TYPES = {
    "开发区劳动人事争议调解中心": [DisputeType.LABOUR],
    "开发区物业纠纷人民调解委员会": [DisputeType.PROPERTY],
    "开发区医疗纠纷人民调解委员会": [DisputeType.MEDICAL],
    "开发区道路交通事故纠纷调解室": [DisputeType.TRAFFIC],
}
FACTS = {
    DisputeType.NEIGHBOUR: (
        "楼上住户装修期间噪音和漏水，影响楼下正常生活，双方多次协商未果。",
        "要求对方赔偿漏水造成的损失并控制施工时间",
    ),
    DisputeType.FAMILY: (
        "夫妻因子女抚养和家庭财产分配产生矛盾，老人赡养费用分担也有分歧。",
        "请求调解赡养费分担和子女抚养安排",
    ),
    DisputeType.CONTRACT: ("双方签订货物买卖合同后，买方以质量问题为由拒付尾款。", "要求支付剩余货款"),
    DisputeType.LABOUR: (
        "员工离职后，公司未足额支付加班工资和经济补偿。",
        "要求公司支付拖欠的加班工资和经济补偿金",
    ),
    DisputeType.PROPERTY: (
        "小区业主认为物业服务不到位，拒交物业费，物业公司催缴引发争执。",
        "请求调解物业费缴纳及服务整改事宜",
    ),
    DisputeType.DAMAGE: ("宠物狗咬伤路人，双方对医疗费和误工费金额有争议。", "要求赔偿医疗费、误工费"),
    DisputeType.MEDICAL: ("患者术后出现并发症，家属认为医院存在过错。", "要求医院赔偿后续治疗费用"),
    DisputeType.TRAFFIC: (
        "电动自行车与小型轿车发生碰撞，双方对责任比例和赔偿金额有争议。",
        "要求按责任比例赔偿车辆维修费和医疗费",
    ),
    DisputeType.CONSUMER: ("消费者在培训机构预付学费后机构停业，退费未果。", "要求退还剩余课时费用"),
}
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁沈"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌婷雪梅海燕晨浩宇欣怡佳琪"
MEDIATOR_USERS = [
    ("demo-mediator", "下沙街道人民调解委员会", "调解员"),
    ("demo-center", CENTER, "矛调中心工作人员"),
]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng: random.Random) -> str:
    return "1" + rng.choice("3589") + "".join(str(rng.randint(0, 9)) for _ in range(9))


def _day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def load(system: Any, rng: random.Random, make_user: Any) -> int:
    """Creates the platform's institutions, mediators and cases; nothing when institutions exist."""
    if Institution.objects.exists():
        return 0
    today = timezone.localdate()
    made: dict[str, Institution] = {}
    for name, kind, supervisor, _w, _slow in INSTITUTIONS:
        made[name] = Institution.objects.create(
            name=name, kind=kind, supervisor=made.get(supervisor or ""), phone="0571-8691" + str(rng.randint(1000, 9999)),
            address="杭州经济技术开发区", scope_note="" if kind != InstitutionKind.TRADE else "本行业、本领域纠纷",
        )  # fmt: skip
    mediators: dict[int, list[Mediator]] = {}
    for inst in made.values():
        team = [
            Mediator(institution=inst, name=_name(rng), kind=MediatorKind.FULL_TIME if n == 0 else rng.choice(list(MediatorKind)),
                     phone=_phone(rng), is_admin=n == 0, speciality=rng.choice(["婚姻家庭", "邻里关系", "劳动用工", "合同债务", "物业管理", ""]))
            for n in range(3 if inst.kind != InstitutionKind.CENTER else 2)
        ]  # fmt: skip
        mediators[inst.pk] = Mediator.objects.bulk_create(team)
    for username, inst_name, display in MEDIATOR_USERS:
        user = make_user(username, display)
        admin = mediators[made[inst_name].pk][0]
        Mediator.objects.filter(pk=admin.pk).update(user=user)
        user.display_name = admin.name
        user.save(update_fields=["display_name"])

    weighted = [(made[name], w, slow) for name, _k, _s, w, slow in INSTITUTIONS if w]
    pool = [entry for entry in weighted for _ in range(entry[1])]
    # The report period: exactly 816 received, 3 rejected, 809 mediated, 4 still open or withdrawn.
    outcomes = ["rejected"] * 3 + ["mediating"] * 2 + ["withdrawn"] * 2 + ["failure"] * 38 + ["success"] * 771
    assert len(outcomes) == REPORT["received"]  # noqa: S101 — the demo must match the report it models
    plan: list[tuple[dt.date, str]] = [
        (_day_between(rng, LAUNCH, min(REPORT_END, today)), o) for o in outcomes
    ]
    autumn_start = REPORT_END + dt.timedelta(days=1)
    if today > autumn_start:
        for _ in range((today - autumn_start).days):
            received = _day_between(rng, autumn_start, today)
            age = (today - received).days
            if age < 4:
                outcome = rng.choice(["received", "received", "accepted"])
            elif age < 30:
                outcome = rng.choice(["mediating", "mediating", "success", "accepted"])
            else:
                outcome = rng.choice(["success"] * 8 + ["failure", "rejected", "mediating"])
            plan.append((received, outcome))
    return _create_cases(plan, pool, mediators, system, rng, today)


def _create_cases(
    plan: list[tuple[dt.date, str]], pool: list[tuple[Institution, int, bool]], mediators: dict[int, list[Mediator]],
    system: Any, rng: random.Random, today: dt.date,
) -> int:  # fmt: skip
    plan.sort()
    cases: list[Case] = []
    events: list[tuple[int, list[tuple[str, str, str, dt.date, str]]]] = []
    parties: list[tuple[int, list[Party]]] = []
    sessions: list[tuple[int, list[Session]]] = []
    numbers: dict[tuple[int, int], int] = {}
    for received, outcome in plan:
        inst, _w, slow = rng.choice(pool)
        kinds = TRADE_TYPES.get(inst.name) or TYPES_BY_KIND.get(inst.kind, [DisputeType.OTHER])
        dispute = rng.choice(kinds)
        facts, claims = FACTS.get(dispute, ("双方因经济往来产生纠纷。", "请求调解"))
        applicant, respondent = _name(rng), _name(rng) if dispute not in (DisputeType.LABOUR, DisputeType.PROPERTY) else rng.choice(["杭州某科技有限公司", "某物业服务有限公司", "某餐饮管理有限公司"])  # fmt: skip
        respond_by = add_working_days(received, inst.limit_accept)
        late = slow and rng.random() < 0.35
        responded = (
            add_working_days(respond_by, rng.randint(1, 4))
            if late
            else add_working_days(received, rng.randint(0, inst.limit_accept))
        )
        responded = min(responded, today)
        c = Case(
            receipt=receipt_code("TJ"), source=rng.choice([CaseSource.ONLINE] * 5 + [CaseSource.WALK_IN, CaseSource.COURT, CaseSource.GRID, CaseSource.POLICE]),
            institution=inst, dispute_type=dispute, amount=rng.choice([None, rng.randint(2, 400) * 500]), facts=facts, claims=claims,
            applicant_name=applicant, applicant_phone=_phone(rng), received_on=received, respond_by=respond_by, created_by=system,
        )  # fmt: skip
        if c.source == CaseSource.COURT:
            c.referred_by = "开发区人民法院"
        elif c.source == CaseSource.GRID:
            c.referred_by = "社区网格"
        elif c.source == CaseSource.POLICE:
            c.referred_by = "下沙派出所"
        trail: list[tuple[str, str, str, dt.date, str]] = [
            ("submit", "", "received", received, c.get_source_display())
        ]
        sess: list[Session] = []
        if outcome == "received":
            c.state, c.due_date = "received", respond_by
        elif outcome == "rejected":
            c.state, c.responded_on, c.closed_on = "rejected", responded, responded
            c.reject_reason = "不属于人民调解受理范围，已告知当事人向有关部门申请处理"
            trail.append(("reject", "received", "rejected", responded, c.reject_reason))
        else:
            c.responded_on, c.accepted_on = responded, responded
            year = responded.year
            numbers[(inst.pk, year)] = numbers.get((inst.pk, year), 0) + 1
            c.number = f"（{year}）{inst.name[:6]}调字第{numbers[(inst.pk, year)]:04d}号"
            trail.append(("accept", "received", "accepted", responded, ""))
            if outcome == "accepted":
                c.state, c.due_date = "accepted", add_working_days(responded, inst.limit_assign)
            else:
                mediator = rng.choice(mediators[inst.pk])
                assigned = min(add_working_days(responded, rng.randint(0, 2)), today)
                c.mediator = mediator
                trail.append(("assign", "accepted", "mediating", assigned, f"调解员：{mediator.name}"))
                held = assigned
                for _ in range(rng.randint(1, 3) if outcome != "withdrawn" else 1):
                    held = min(held + dt.timedelta(days=rng.randint(1, 8)), today)
                    sess.append(Session(held_on=held, mode=rng.choice(list(SessionMode)), place=f"{inst.name}调解室", participants=f"{applicant}、{respondent}",
                                        summary="调解员分别听取双方陈述，释明相关法律规定，引导双方换位思考，双方就主要分歧交换了意见。", recorded_by=system))  # fmt: skip
                    trail.append(("session", "mediating", "mediating", held, f"{held:%Y-%m-%d} 现场调解"))
                closed = min(held + dt.timedelta(days=rng.randint(0, 5)), today)
                if outcome == "mediating":
                    c.state, c.due_date = "mediating", add_working_days(assigned, inst.limit_mediate)
                elif outcome == "withdrawn":
                    c.state, c.closed_on, c.close_note = "withdrawn", closed, "双方自行和解，申请人撤回申请"
                    trail.append(("withdraw", "mediating", "withdrawn", closed, c.close_note))
                elif outcome == "failure":
                    c.state, c.closed_on = "failure", closed
                    c.close_note = "双方分歧较大未能达成协议，已告知当事人可依法向人民法院起诉"
                    trail.append(("fail", "mediating", "failure", closed, c.close_note))
                else:
                    c.state, c.closed_on = "success", closed
                    c.agreement = f"一、{respondent}于协议签订之日起十五日内一次性支付{applicant}人民币{(c.amount or 3000) * 6 // 10}元；\n二、双方就本纠纷再无其他争议。"
                    c.performance = "银行转账，一次性履行"
                    trail.append(("succeed", "mediating", "success", closed, "达成调解协议"))
        if c.responded_on:
            c.response_days = max(working_days_between(received, c.responded_on), 0)
        cases.append(c)
        events.append((len(cases) - 1, trail))
        parties.append((len(cases) - 1, [
            Party(role=PartyRole.APPLICANT, name=applicant, phone=c.applicant_phone, address="杭州经济技术开发区"),
            Party(role=PartyRole.RESPONDENT, name=respondent, phone=_phone(rng) if rng.random() < 0.7 else ""),
        ]))  # fmt: skip
        sessions.append((len(cases) - 1, sess))
    Case.objects.bulk_create(cases, batch_size=500)
    case_type = ContentType.objects.get_for_model(Case)
    for i, ps in parties:
        for p in ps:
            p.case = cases[i]
    for i, ss in sessions:
        for s in ss:
            s.case = cases[i]
    Party.objects.bulk_create([p for _i, ps in parties for p in ps], batch_size=1000)
    Session.objects.bulk_create([s for _i, ss in sessions for s in ss], batch_size=1000)
    rows = [
        (WorkItemEvent(content_type=case_type, object_id=cases[i].pk, action=action, from_state=src, to_state=dst, note=note, actor_id=system.pk),
         timezone.make_aware(dt.datetime.combine(day, dt.time(9 + n, 30))))
        for i, trail in events for n, (action, src, dst, day, note) in enumerate(trail)
    ]  # fmt: skip
    created = WorkItemEvent.objects.bulk_create([e for e, _at in rows], batch_size=2000)
    for event, (_e, at) in zip(created, rows, strict=True):
        event.at = at  # `at` is filled in on insert; the demo dates its history afterwards
    WorkItemEvent.objects.bulk_update(created, ["at"], batch_size=500)
    _judicial(cases, rng, today)
    return len(cases)


def _judicial(cases: list[Case], rng: random.Random, today: dt.date) -> None:
    """Online judicial confirmation started after the report (it had not been carried out by August)."""
    judicial_type = ContentType.objects.get_for_model(JudicialConfirmation)
    for c in [c for c in cases if c.state == "success" and c.closed_on and c.received_on > REPORT_END][:12]:
        assert c.closed_on is not None  # noqa: S101
        applied = min(c.closed_on + dt.timedelta(days=rng.randint(2, 20)), today)
        j = JudicialConfirmation.objects.create(case=c, court="杭州经济技术开发区人民法院", applied_on=applied, state="applied",
                                                due_date=add_working_days(applied, 3))  # fmt: skip
        WorkItemEvent.objects.create(
            content_type=judicial_type, object_id=j.pk, action="submit", to_state="applied", note=j.court
        )
        decided = add_working_days(applied, rng.randint(2, 8))
        if decided <= today:
            j.state, j.decided_on, j.due_date = "confirmed", decided, None
            j.court_number = f"（{decided.year}）浙0191民特{rng.randint(100, 999)}号"
            j.save()
            WorkItemEvent.objects.create(
                content_type=judicial_type,
                object_id=j.pk,
                action="confirm",
                from_state="applied",
                to_state="confirmed",
            )
