"""Demo resident requests (民情诉求) and work orders (工作联系单), modelled on a development zone's street
office: the departments that handle residents' requests, a staff account in 城管科, and about 150
requests of the last six months from the public form, the hotline, liaison members and visits — most
closed and rated, some still being handled, a few overdue, and two cross-department work orders.

Runs after the grid demo: requests raised by liaisons belong to its households when there are any.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from apps.core.demo import identities

DEPARTMENTS = [
    # code, name, phone (the five of the data migration, and two more of a street office)
    ("CGK", "城管科", "0571-86911001"),
    ("SHSWK", "社会事务科", "0571-86911002"),
    ("PAB", "平安办（综治中心）", "0571-86911003"),
    ("JSGLK", "建设管理科", "0571-86911004"),
    ("SQFWZX", "社区服务中心", "0571-86911005"),
    ("JJFZK", "经济发展服务科", "0571-86911006"),
    ("LDBZS", "劳动保障所", "0571-86911007"),
]

# category → [(title, content, reply)]
MATTERS: dict[str, list[tuple[str, str, str]]] = {
    "sanitation": [
        (
            "小区垃圾桶满溢无人清运",
            "小区东门的垃圾桶已经满了两天，气味很大，希望尽快清运。",
            "已督促保洁公司当日清运，并将清运频次调整为每日两次。",
        ),
        (
            "绿化带内建筑垃圾堆放",
            "有住户装修后把建筑垃圾倒在绿化带里，影响环境。",
            "已联系责任住户清理，并在绿化带设置提示牌。",
        ),
        (
            "楼道内堆放杂物",
            "3单元楼道堆满纸板和旧家具，存在消防隐患。",
            "社区已联合物业清理楼道，并开展消防通道专项检查。",
        ),
        (
            "路边餐饮油烟扰民",
            "沿街小吃店油烟直排，楼上住户无法开窗。",
            "已责令商户安装油烟净化设施，复查达标。",
        ),
    ],
    "property": [
        (
            "电梯经常故障停运",
            "2幢电梯本月坏了三次，老人上下楼很困难。",
            "已约谈物业和维保单位，更换控制主板，并每周检查一次。",
        ),
        (
            "物业费上涨未公示",
            "物业突然通知涨价，没有召开业主大会。",
            "已要求物业暂停调价，依法履行公示和业主表决程序。",
        ),
        ("地下车库积水", "下雨后地下车库积水严重，车辆无法进出。", "物业已疏通排水沟并加装排水泵。"),
    ],
    "municipal": [
        (
            "路灯不亮",
            "学源街与文泽路交叉口附近路灯连续一周不亮，夜间出行不安全。",
            "已安排市政养护单位更换灯具，恢复照明。",
        ),
        ("人行道地砖松动", "小区门口人行道地砖松动，下雨踩上去溅水，老人容易摔倒。", "已完成地砖修复。"),
        ("窨井盖破损", "路边窨井盖破了一个角，存在安全隐患。", "已设置警示并于次日更换井盖。"),
        ("公交站台缺少遮雨棚", "站台没有遮雨棚，雨天候车不便。", "已纳入今年站台改造计划，三季度完成。"),
    ],
    "security": [
        (
            "夜间有人在小区内飙车",
            "每晚十一点后有电动车在小区内高速行驶，噪音大且危险。",
            "已加强夜间巡逻，并在主干道设置减速带。",
        ),
        (
            "小区监控探头损坏",
            "北门的监控坏了很久，最近有电瓶车被盗。",
            "已督促物业修复监控，派出所已受理失窃案件。",
        ),
        (
            "出租房群租隐患",
            "隔壁出租房住了十几个人，进出频繁。",
            "已会同派出所检查，责令整改并登记流动人口。",
        ),
    ],
    "neighbour": [
        (
            "楼上漏水协商不成",
            "楼上卫生间漏水到我家天花板，多次协商无果。",
            "社区调解员组织双方协商，楼上已完成防水维修并赔偿。",
        ),
        ("邻居长期占用公共车位", "邻居用地锁占用公共车位。", "经调解，邻居已拆除地锁。"),
        (
            "宠物狗夜间吠叫扰民",
            "邻居家的狗每天深夜叫，影响休息。",
            "社区上门沟通，犬主承诺夜间关窗并加强管理。",
        ),
    ],
    "welfare": [
        (
            "独居老人申请助餐服务",
            "我父亲八十多岁独居，想申请社区老年食堂助餐。",
            "已为老人办理助餐卡，每日送餐上门。",
        ),
        ("低保申请进度咨询", "上个月提交了低保申请，想了解办理进度。", "材料已审核通过，公示期满后发放。"),
        ("残疾人辅具申领", "家里老人腿脚不便，想申请轮椅。", "已登记申领，轮椅已送达。"),
    ],
    "employment": [
        (
            "失业人员求职登记",
            "刚从企业离职，想登记求职并参加技能培训。",
            "已办理失业登记并推荐参加电工培训班。",
        ),
        (
            "创业担保贷款咨询",
            "想在小区附近开一家早餐店，咨询创业贷款政策。",
            "已讲解创业担保贷款政策，并协助准备申请材料。",
        ),
    ],
    "other": [
        (
            "建议增设社区图书角",
            "希望社区活动室增设图书角，方便孩子放学后阅读。",
            "感谢建议，社区已在党群服务中心设立图书角。",
        ),
        (
            "咨询党群服务中心开放时间",
            "想了解党群服务中心周末是否开放。",
            "党群服务中心周六上午开放，可预约活动室。",
        ),
    ],
}
RATING_COMMENTS = [
    "处理很及时，谢谢！",
    "满意",
    "问题解决了",
    "工作人员态度很好",
    "希望以后保持",
    "还可以，速度再快点更好",
]


class _Zone:
    """The zone-wide actor of the loader (dispatching needs the zone's rights)."""

    is_authenticated = True
    is_superuser = True

    def __init__(self, user: Any):
        from apps.core.scoping import Scope

        self.pk = user.pk
        self._xf_scope = Scope(user_id=user.pk, is_superuser=True)
        self._xf_request_departments: list[int] = []


def _stamps(
    days: list[dt.date], rng: random.Random, now: dt.datetime, after: dt.datetime | None = None
) -> list[dt.datetime]:
    """Times for events that happened on `days` (in order): within office hours where possible, each
    later than the one before (and than `after`), and none in the future (today's fall between
    midnight and now)."""
    out: list[dt.datetime] = []
    today = timezone.localdate(now)
    for day in days:
        prev = out[-1] if out else after
        if day >= today:
            midnight = timezone.make_aware(dt.datetime.combine(today, dt.time(0, 0)))
            lo = max(prev, midnight) if prev else midnight
            at = lo + (now - lo) * rng.uniform(0.2, 0.6)
        else:
            opening = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30)))
            closing = timezone.make_aware(dt.datetime.combine(day, dt.time(17, 30)))
            lo = max(opening, prev + dt.timedelta(minutes=5)) if prev else opening
            hi = max(closing, lo + dt.timedelta(minutes=40))
            same_day = prev is not None and timezone.localdate(prev) == day
            at = lo + (hi - lo) * rng.uniform(0.05, 0.4 if same_day else 0.9)
        rounded = at.replace(second=0, microsecond=0)
        at = rounded if prev is None or rounded > prev else at
        if prev is not None and at <= prev:
            at = prev + dt.timedelta(seconds=30)
        out.append(at)
    return out


def _retime(
    item: Any, days: list[dt.date], rng: random.Random, now: dt.datetime, after: dt.datetime | None = None
) -> list[dt.datetime]:
    """Dates the item's recorded events (in the order they were made) by the days they happened."""
    from django.contrib.contenttypes.models import ContentType

    from apps.core.models import WorkItemEvent

    events = list(
        WorkItemEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(type(item)), object_id=item.pk
        ).order_by("id")
    )
    stamps = _stamps(days, rng, now, after)
    for event, at in zip(events, stamps, strict=True):
        event.at = at
    WorkItemEvent.objects.bulk_update(events, ["at"])
    return stamps


def load(system_user: Any, rng: random.Random) -> int:
    """Creates the departments, the demo department account and the requests; does nothing when
    requests exist. Returns the number of requests created."""
    from apps.accounts.models import User
    from apps.core.calendar import add_working_days
    from apps.core.management.commands.loaddemo import DEMO_PASSWORD
    from apps.core.models import WorkItemEvent
    from apps.grid.models import Household, Zone
    from apps.resident_requests import services
    from apps.resident_requests.models import CategoryRule, Department, ResidentRequest

    services.ensure_defaults()
    departments = {}
    for code, name, phone in DEPARTMENTS:
        department, _ = Department.objects.get_or_create(code=code, defaults={"name": name, "phone": phone})
        if not department.phone:
            Department.objects.filter(pk=department.pk).update(phone=phone)
        departments[code] = department
    CategoryRule.objects.filter(category="employment").update(department=departments["LDBZS"])
    staff, created = User.objects.get_or_create(
        username="demo-dept", defaults={"display_name": "城管科工作人员"}
    )
    if created:
        staff.set_password(DEMO_PASSWORD)
        staff.save(update_fields=["password"])
    departments["CGK"].staff.add(staff)
    if ResidentRequest.objects.exists():
        return 0

    zone_actor = _Zone(system_user)
    now = timezone.now()
    today = timezone.localdate(now)
    rules = {r.category: r for r in CategoryRule.objects.select_related("department")}
    households = list(Household.objects.select_related("zone").filter(is_active=True).order_by("id")[:400])
    zones = list(Zone.objects.filter(is_active=True).order_by("code"))
    categories = list(MATTERS)
    weights = [22, 14, 18, 10, 10, 12, 6, 8]
    made: list[tuple[Any, list[dt.date]]] = []

    def handler(department: Any) -> Any:
        return staff if department.code == "CGK" else zone_actor

    for index in range(150):
        category = rng.choices(categories, weights)[0]
        title, content, answer = rng.choice(MATTERS[category])
        age = int(rng.triangular(0, 175, 20))
        day = add_working_days(today - dt.timedelta(days=age), 0)
        if day > today:
            day = today
        channel = rng.choices(["public", "liaison", "hotline", "visit"], [45, 25, 20, 10])[0]
        name = identities.person_name(rng)[0]
        household = rng.choice(households) if households and channel in ("liaison", "visit") else None
        values = {
            "submitter_name": household.head_name if household else name,
            "submitter_phone": (household.phone if household and household.phone else identities.phone(rng)),
            "address": household.address if household else "",
            "category": category, "title": title, "content": content,
            "zone": str(rng.choice(zones).pk) if zones and household is None and rng.random() < 0.6 else "",
        }  # fmt: skip
        if channel == "liaison" and household is None:
            channel = "hotline"
        request = services.submit_staff(
            actor=zone_actor, channel=channel if channel != "public" else "hotline", values=values,
            household_id=household.pk if household else None, on=day,
        )  # fmt: skip
        ResidentRequest.objects.filter(pk=request.pk).update(
            channel=channel, created_by=None if channel == "public" else system_user
        )
        if channel == "public":
            # A resident's own submission has no staff actor.
            WorkItemEvent.objects.filter(
                content_type__model="residentrequest", object_id=request.pk, action="submit"
            ).update(actor=None)
        days = [day]  # the day of every event, in the order the services record them
        rule = rules.get(category)
        department = (rule.department if rule and rule.department else None) or departments["SQFWZX"]
        # Where the request stands today: old ones are mostly closed, recent ones still moving.
        if age > 25:
            stage = rng.choices(["rated", "auto", "rejected", "handling"], [66, 20, 7, 7])[0]
        elif age > 7:
            stage = rng.choices(["rated", "auto", "rejected", "handling", "routed"], [40, 15, 5, 30, 10])[0]
        else:
            stage = rng.choices(["submitted", "routed", "handling", "replied"], [30, 25, 25, 20])[0]
        if index % 37 == 5:
            stage = "submitted"  # a few left unrouted for days: the zone's overdue list
        if stage == "submitted":
            made.append((request, days))
            continue
        if stage == "rejected":
            rejected_on = min(add_working_days(day, 1), today)
            services.reject(
                actor=zone_actor,
                request_id=request.pk,
                on=rejected_on,
                reason="该事项属于司法诉讼范围，已告知通过法律途径解决",
            )
            days.append(rejected_on)
            made.append((request, days))
            continue
        routed_on = min(add_working_days(day, rng.choice([0, 0, 1])), today)
        services.route(actor=zone_actor, request_id=request.pk, department_id=department.pk, on=routed_on)
        days.append(routed_on)
        if stage == "routed":
            made.append((request, days))
            continue
        accepted_on = min(add_working_days(routed_on, 1), today)
        services.accept(actor=handler(department), request_id=request.pk, on=accepted_on)
        days.append(accepted_on)
        limit = rule.working_days if rule else 5
        replied_on = add_working_days(accepted_on, rng.randint(0, limit + 2))
        if stage == "handling" or replied_on > today:
            made.append((request, days))
            continue
        services.reply(actor=handler(department), request_id=request.pk, text=answer, on=replied_on)
        days.append(replied_on)
        if stage == "rated" and (today - replied_on).days >= 1:
            rated_on = replied_on + dt.timedelta(days=rng.randint(0, min(6, (today - replied_on).days)))
            rating = rng.choices([5, 4, 3, 2], [55, 30, 10, 5])[0]
            services.rate(
                code=request.receipt_code,
                rating=rating,
                comment=rng.choice(RATING_COMMENTS) if rng.random() < 0.6 else "",
            )
            days.append(rated_on)
        elif (today - replied_on).days > 7:
            services.auto_close(request.pk, replied_on + dt.timedelta(days=8))
            days.append(replied_on + dt.timedelta(days=8))
        made.append((request, days))

    count = len(made)
    orders = _work_orders(zone_actor, staff, departments, today, now, rng)
    for request, days in made:
        stamps = _retime(request, days, rng, now)
        fields: dict[str, Any] = {"created_at": stamps[0]}
        events = [e.action for e in WorkItemEvent.objects.filter(
            content_type__model="residentrequest", object_id=request.pk).order_by("id")]  # fmt: skip
        if "reply" in events:
            fields["replied_at"] = stamps[events.index("reply")]
        if "rate" in events:
            fields.update(rated_at=stamps[events.index("rate")], closed_on=days[events.index("rate")])
        ResidentRequest.objects.filter(pk=request.pk).update(**fields)
    # Today's daily run: the overdue requests and parts are escalated (recorded now, after all else).
    services.escalate_overdue(today)
    return count + orders


def _work_orders(
    zone_actor: Any,
    staff: Any,
    departments: dict[str, Any],
    today: dt.date,
    now: dt.datetime,
    rng: random.Random,
) -> int:
    """Two work orders: a waterlogged road handled by three departments and replied, and an old
    residential area's renovation still under way with one part overdue. Every event is dated by the
    day it happened, in order."""
    from apps.core.calendar import add_working_days
    from apps.resident_requests import services
    from apps.resident_requests.models import ResidentRequest, WorkOrder

    first_day = add_working_days(today - dt.timedelta(days=30), 0)
    values = {
        "submitter_name": identities.person_name(rng)[0], "submitter_phone": identities.phone(rng),
        "address": "文泽路与学林街交叉口", "category": "municipal", "title": "暴雨后路口积水严重",
        "content": "每次下大雨路口积水到小腿，附近小区居民和学生出行困难，路边还有占道堆物堵住了雨水口。",
    }  # fmt: skip
    water = services.submit_staff(actor=zone_actor, channel="hotline", values=values, on=first_day)
    ordered_on = add_working_days(first_day, 1)
    order = services.to_work_order(
        actor=zone_actor, request_id=water.pk, title="文泽路口积水联合整治", on=ordered_on,
        content="建设管理科牵头疏通并改造雨水管网；城管科清理占道堆物、保持雨水口畅通；平安办做好雨天交通疏导。",
        lead_department_id=departments["JSGLK"].pk,
        parts=[
            {"department_id": departments["JSGLK"].pk, "task": "疏通雨水管网，评估改造方案", "working_days": 10},
            {"department_id": departments["CGK"].pk, "task": "清理占道堆物，每日巡查雨水口", "working_days": 3},
            {"department_id": departments["PAB"].pk, "task": "雨天安排人员疏导交通", "working_days": 5},
        ],
    )  # fmt: skip
    results = {
        "JSGLK": "已疏通管网并新增两处雨水口。",
        "CGK": "已清理占道堆物，纳入每日巡查。",
        "PAB": "雨天安排网格员在路口值守疏导。",
    }
    part_days = []
    for part in order.parts.select_related("department").order_by("id"):
        actor = staff if part.department.code == "CGK" else zone_actor
        signed = add_working_days(ordered_on, 1)
        done = add_working_days(ordered_on, min(part.working_days, 8))
        services.part_sign(actor=actor, part_id=part.pk, on=signed)
        services.part_complete(actor=actor, part_id=part.pk, text=results[part.department.code], on=done)
        part_days.append((part, [ordered_on, signed, done]))
    order.refresh_from_db()
    sent_on = add_working_days(ordered_on, 9)
    services.work_order_send(
        actor=zone_actor, work_order_id=order.pk, on=sent_on,
        text="经建设管理科、城管科、平安办联合整治，路口雨水管网已疏通并新增雨水口，占道堆物已清理，雨天有专人疏导。",
    )  # fmt: skip
    stamps = _retime(water, [first_day, ordered_on, sent_on], rng, now)
    WorkOrder.objects.filter(pk=order.pk).update(created_at=stamps[1], sent_at=stamps[2])
    ResidentRequest.objects.filter(pk=water.pk).update(created_at=stamps[0], replied_at=stamps[2])
    for part, days in part_days:
        _retime(part, days, rng, now, after=stamps[1])

    second_day = add_working_days(today - dt.timedelta(days=12), 0)
    values = {
        "submitter_name": identities.person_name(rng)[0], "submitter_phone": identities.phone(rng),
        "address": "上沙新村", "category": "property", "title": "老旧小区加装电梯和停车难",
        "content": "上沙新村没有物业，楼道老化，老人盼望加装电梯；晚上车辆乱停，消防通道经常被堵。",
    }  # fmt: skip
    old = services.submit_staff(actor=zone_actor, channel="visit", values=values, on=second_day)
    order = services.to_work_order(
        actor=zone_actor, request_id=old.pk, title="上沙新村加装电梯与停车秩序整治", on=second_day,
        content="建设管理科指导加装电梯意见征集和审批；社区服务中心组织居民议事；城管科整治消防通道占用。",
        lead_department_id=departments["JSGLK"].pk,
        parts=[
            {"department_id": departments["JSGLK"].pk, "task": "加装电梯政策宣讲与审批指导", "working_days": 15},
            {"department_id": departments["SQFWZX"].pk, "task": "组织居民议事会征求意见", "working_days": 5},
            {"department_id": departments["CGK"].pk, "task": "清理消防通道违停", "working_days": 3},
        ],
    )  # fmt: skip
    stamps = _retime(old, [second_day, second_day], rng, now)
    WorkOrder.objects.filter(pk=order.pk).update(created_at=stamps[1])
    ResidentRequest.objects.filter(pk=old.pk).update(created_at=stamps[0])
    for part in order.parts.select_related("department").order_by("id"):
        days = [second_day]
        if part.department.code == "CGK":
            services.part_sign(actor=staff, part_id=part.pk, on=second_day)  # signed but overdue
            days.append(second_day)
        elif part.department.code == "SQFWZX":
            signed, done = add_working_days(second_day, 1), add_working_days(second_day, 4)
            services.part_sign(actor=zone_actor, part_id=part.pk, on=signed)
            services.part_complete(actor=zone_actor, part_id=part.pk, on=done,
                                   text="已召开居民议事会，82%的住户同意加装电梯。")  # fmt: skip
            days += [signed, done]
        _retime(part, days, rng, now, after=stamps[1])  # handed out with the order
    return 2
