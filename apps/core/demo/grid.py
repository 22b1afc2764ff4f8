"""Demo liaison grid (片组户), modelled on the Jianggan report: "划片管理、分组服务、入户联系" — zones
under the community party organizations of the two streets, groups by building, a service team or two,
households with their residents, and party members who each keep in touch with about ten households
(民情联系卡, 住户档案, 民情服务热线). A few gaps are left on purpose so the coverage lists have
something to show: households without a liaison, liaisons over the limit, households nobody has
visited for a month. Relatives' birth years fit their relation to the head of household.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db.models import Max
from django.utils import timezone

from apps.core.demo import identities

# code, name, organization, estates, households, hotline
ZONES = [
    ("XS-SS01", "上沙社区第一片", "上沙社区党委", ["上沙花苑", "沙城公寓"], 190, "0571-86912345"),
    ("XS-SS02", "上沙社区第二片", "上沙社区党委", ["金沙学府", "上沙新村"], 160, "0571-86912345"),
    ("XS-DW01", "东湾社区片区", "东湾社区党总支", ["东湾新城", "东湾家园"], 150, "0571-86913366"),
    ("BY-HL01", "滙澜社区第一片", "滙澜社区党委", ["滙澜家园", "白杨公寓"], 180, "0571-86725500"),
    ("BY-ZC01", "早城社区片区", "早城社区党总支", ["早城嘉苑", "早城人家"], 120, "0571-86726688"),
]
TEAMS = {
    "XS-SS01": ("上沙社区党员先锋服务队", "助老助残、邻里调解、环境整治"),
    "BY-HL01": ("滙澜“邻里帮”党员志愿服务队", "为独居老人代购代办、电器维修、法律咨询"),
}
TAGS = [
    ("elderly_alone", 0.05), ("empty_nest", 0.06), ("disabled", 0.03), ("low_income", 0.02),
    ("serious_illness", 0.015), ("left_behind_child", 0.01), ("veteran", 0.03),
]  # fmt: skip
VISIT_NOTES = [
    "入户了解家庭近况，老人身体状况良好，叮嘱注意防寒保暖。",
    "宣传垃圾分类和消防安全知识，发放民情联系卡。",
    "了解到楼道灯损坏，已联系物业当日修复。",
    "询问子女就学情况，介绍社区四点半课堂。",
    "陪同老人到社区卫生服务站测量血压。",
    "电话问候，告知近期社区义诊时间。",
    "参加楼道民情恳谈会，听取居民对停车管理的意见。",
    "帮助办理高龄津贴申领材料。",
    "走访了解家庭困难情况，协助申请临时救助。",
    "宣传防范电信诈骗知识，居民表示受益。",
]
NEEDS = [
    "希望增设小区非机动车充电桩",
    "楼下餐饮油烟扰民，希望协调处理",
    "希望社区组织老年人智能手机培训",
    "小区门口路灯不亮",
    "",
    "",
    "",
]
RELATIONS = ["配偶", "子女", "子女", "父母", "孙子女"]


def relative_age(relation: str, head_age: int, rng: random.Random) -> int | None:
    """A plausible age for a relative of a head of household aged `head_age`, or None when the relation
    cannot fit (parents of a head past 82, grandchildren of a head under 37): a spouse within 15 years
    (and an adult), a child at least 18 years younger, a parent at least 18 years older (at most 100),
    a grandchild at least 36 years younger."""
    if relation == "配偶":
        return rng.randint(max(18, head_age - 15), min(100, head_age + 15))
    if relation == "子女":
        return rng.randint(max(1, head_age - 45), head_age - 18) if head_age >= 19 else None
    if relation == "父母":
        return rng.randint(head_age + 18, min(100, head_age + 40)) if head_age <= 82 else None
    if relation == "孙子女":
        return rng.randint(max(1, head_age - 70), head_age - 36) if head_age >= 37 else None
    return None


def load(system_user: Any, rng: random.Random) -> int:
    """Builds the demo grid; does nothing when zones exist. Returns the number of households created."""
    from apps.accounts.models import RoleGrant, User
    from apps.core.management.commands.loaddemo import DEMO_PASSWORD
    from apps.core.scoping import Role
    from apps.grid.models import Group, Household, Resident, ServiceTeam, Visit, Zone
    from apps.members.choices import INACTIVE_CATEGORIES, MemberCategory
    from apps.members.models import Member
    from apps.orgs.models import Organization

    if Zone.objects.exists():
        return 0
    today = timezone.localdate()
    skip_categories = {*INACTIVE_CATEGORIES, MemberCategory.LOST_CONTACT, MemberCategory.MOBILE}
    created = 0
    zones: list[Zone] = []
    liaisons_all: list[Member] = []
    first_liaisons: list[tuple[Zone, Member]] = []
    for code, name, org_name, estates, count, hotline in ZONES:
        org = Organization.objects.filter(name=org_name, is_active=True).order_by("id").first()
        if org is None:
            continue
        zone = Zone.objects.create(
            org=org,
            org_path=org.path,
            code=code,
            name=name,
            hotline=hotline,
            note="划片管理、分组服务、入户联系",
        )
        zones.append(zone)
        pool = list(
            Member.objects.filter(org_path__startswith=org.path)
            .exclude(category__in=skip_categories)
            .order_by("id")
        )
        rng.shuffle(pool)
        team = None
        if code in TEAMS:
            team = ServiceTeam.objects.create(zone=zone, name=TEAMS[code][0], speciality=TEAMS[code][1],
                                              leader=pool[0] if pool else None)  # fmt: skip
            team.members.set(pool[:8])
        # Groups by building: about 30 households each.
        group_count = max(2, round(count / 30))
        groups = Group.objects.bulk_create(
            [
                Group(zone=zone, code=f"{n + 1:02d}", name=f"{estates[n % len(estates)]}{n // len(estates) + 1}区服务组",
                      leader=pool[n] if n < len(pool) else None, team=team if n % 2 == 0 else None)
                for n in range(group_count)
            ]
        )  # fmt: skip
        households: list[Household] = []
        for n in range(count):
            group = groups[n % group_count]
            estate = estates[(n % group_count) % len(estates)]
            building = (n % group_count) // len(estates) * 6 + rng.randint(1, 6)
            head, _, _ = identities.person_name(rng)
            households.append(
                Household(
                    zone=zone, group=group, org_path=org.path, code=f"{code}-{group.code}-{n // group_count + 1:03d}",
                    address=f"{estate}{building}幢{rng.randint(1, 3)}单元{rng.randint(1, 18)}{rng.randint(1, 4):02d}室",
                    head_name=head, phone=identities.phone(rng) if rng.random() < 0.9 else "",
                )
            )  # fmt: skip
        # About ten households per liaison; one in twenty is still waiting for one.
        linked = [h for h in households if rng.random() > 0.05]
        liaison_count = min(len(pool), max(1, round(len(linked) / 9.5)))
        liaisons = pool[:liaison_count]
        liaisons_all.extend(liaisons)
        if liaisons:
            first_liaisons.append((zone, liaisons[0]))
        for index, household in enumerate(linked):
            household.liaison = liaisons[index * liaison_count // max(1, len(linked))] if liaisons else None
        Household.objects.bulk_create(households, batch_size=1000)
        created += len(households)
        residents: list[Resident] = []
        for household in households:
            size = rng.choice([1, 1, 2, 2, 2, 3, 3, 4])
            head_age = rng.randint(28, 92)
            for member_index in range(size):
                tags = [t for t, p in TAGS if rng.random() < p]
                if member_index == 0 and size == 1 and head_age >= 70 and rng.random() < 0.5:
                    tags.append("elderly_alone")
                tags = sorted(set(tags))
                relation, age = "户主", head_age
                if member_index:
                    relation = rng.choice(RELATIONS)
                    found = relative_age(relation, head_age, rng)
                    if found is None:  # heads are at least 28: a child always fits
                        relation, found = "子女", relative_age("子女", head_age, rng)
                    age = found or 1
                name = household.head_name if member_index == 0 else identities.person_name(rng)[0]
                residents.append(
                    Resident(household=household, name=name, relation=relation, birth_year=today.year - age,
                             phone=household.phone if member_index == 0 else (identities.phone(rng) if age > 16 and rng.random() < 0.6 else ""),
                             tags=f",{','.join(tags)}," if tags else "")
                )  # fmt: skip
        Resident.objects.bulk_create(residents, batch_size=2000)
        # Visits: most households were seen this month, some a while ago, some never.
        visits: list[Visit] = []
        for household in households:
            roll = rng.random()
            if household.liaison_id is None or roll < 0.08:
                continue
            recent = roll < 0.8
            days = [rng.randint(0, 29) if recent else rng.randint(31, 120)]
            days += [d + rng.randint(20, 60) for d in days for _ in range(rng.randint(0, 2))]
            for d in days:
                visits.append(
                    Visit(household=household, liaison_id=household.liaison_id, visited_on=today - dt.timedelta(days=min(d, 360)),
                          kind=rng.choice(["home", "home", "home", "phone", "talk"]), content=rng.choice(VISIT_NOTES),
                          needs=rng.choice(NEEDS), created_by=system_user)
                )  # fmt: skip
        Visit.objects.bulk_create(visits, batch_size=2000)
    if not zones:
        return 0
    # Keep last_visited_on as the services do: the latest visit of each household.
    latest = dict(
        Visit.objects.values("household_id")
        .annotate(last=Max("visited_on"))
        .values_list("household_id", "last")
    )
    by_day: dict[dt.date, list[int]] = {}
    for household_id, day in latest.items():
        by_day.setdefault(day, []).append(household_id)
    for day, ids in by_day.items():
        Household.objects.filter(pk__in=ids).update(last_visited_on=day)
    # Two liaisons took over a neighbour's households and now keep more than ten.
    for zone, liaison in first_liaisons[:2]:
        extra = list(
            Household.objects.filter(zone=zone, liaison__isnull=True)
            .order_by("id")
            .values_list("id", flat=True)[:4]
        )
        Household.objects.filter(pk__in=extra).update(liaison=liaison)
    # The grid leader (片长) of 上沙社区 and a liaison's own login.
    first = zones[0]
    user, fresh = User.objects.get_or_create(username="demo-grid", defaults={"display_name": "片长"})
    if fresh:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    RoleGrant.objects.get_or_create(user=user, role=Role.GRID_LEADER, org=first.org)
    for zone in zones:
        if zone.org_id == first.org_id:
            zone.leaders.add(user)
    spare = next((m for m in liaisons_all if m.user_id is None), None)
    if spare is not None and not User.objects.filter(username="demo-liaison").exists():
        liaison_user = User.objects.create(username="demo-liaison", display_name=spare.name)
        liaison_user.set_password(DEMO_PASSWORD)
        liaison_user.save(update_fields=["password"])
        Member.objects.filter(pk=spare.pk).update(user=liaison_user)
    return created
