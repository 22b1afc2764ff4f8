"""Demo parks and "two new" organizations of the zone: the known enterprises and social organizations
of the organization tree, plus a few hundred smaller firms, with coverage that changed over the years."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from apps.core.identity import name_pinyin

PARKS = [
    # name, type, responsible organization
    ("大创小镇", "town", "大创小镇综合党委"),
    ("下沙高新技术产业园", "industrial", "下沙街道党工委"),
    ("江滨文化创意园", "cultural", "下沙街道党工委"),
    ("钱塘江滨旅游休闲区", "tourism", "下沙街道党工委"),
    ("白杨商贸集聚区", "commercial", "白杨街道党工委"),
    ("东湾现代农业园", "agricultural", "白杨街道党工委"),
]

# Units that have their own or a joint organization in the tree: (name, kind, park, sector, covering org, status)
KNOWN = [
    ("松下家电（中国）有限公司", "enterprise", "下沙高新技术产业园", "C", "松下家电（中国）有限公司党委", "own"),
    ("杭州电缆股份有限公司", "enterprise", "下沙高新技术产业园", "C", "富春江集团杭州电缆股份有限公司党委", "own"),
    ("杭州默沙东生物医药有限公司", "enterprise", "大创小镇", "C", "杭州默沙东生物医药党支部", "own"),
    ("浙江信息技术服务有限公司", "enterprise", "大创小镇", "I", "浙江信息技术服务党支部", "own"),
    *[(f"杭州{n}新材料科技有限公司", "enterprise", "大创小镇", "C", "杭州新材料科技联合党支部", "joint") for n in ("恒创", "锦程", "瑞丰", "德辉")],
    *[(f"杭州{n}网络科技有限公司", "enterprise", "大创小镇", "I", "大创小镇众创空间联合党支部", "joint") for n in ("云栖", "星河", "智联", "易达", "微光")],
    ("开发区律师协会", "social", None, "S", "开发区律师行业党支部", "own"),
    ("开发区慈善总会", "social", None, "S", "开发区慈善总会党支部", "own"),
    *[(f"{n}社区志愿者协会", "social", None, "S", "社区社会组织联合党支部", "joint") for n in ("上沙", "东湾", "滙澜", "早城", "江滨花园")],
]  # fmt: skip

WORDS = [
    "恒远",
    "华创",
    "同力",
    "金桥",
    "新锐",
    "博达",
    "宏图",
    "联晟",
    "嘉禾",
    "瑞泰",
    "天成",
    "卓越",
    "钱江",
    "东海",
    "之江",
    "富春",
    "世纪",
    "中泰",
    "润丰",
    "启明",
    "立信",
    "永兴",
    "汇通",
    "华强",
]
TRADES = [
    ("C", "机械制造有限公司"), ("C", "电子科技有限公司"), ("C", "精密部件有限公司"), ("C", "食品有限公司"),
    ("I", "软件有限公司"), ("I", "信息科技有限公司"), ("F", "商贸有限公司"), ("G", "物流有限公司"),
    ("H", "餐饮管理有限公司"), ("L", "企业管理咨询有限公司"), ("M", "检测技术有限公司"), ("R", "文化传媒有限公司"),
    ("A", "农业发展有限公司"), ("E", "建设工程有限公司"), ("K", "物业服务有限公司"),
]  # fmt: skip
SOCIAL = ["行业协会", "商会", "培训学校", "养老服务中心", "社会工作服务中心", "文体协会"]
PARK_TRADES = {
    "industrial": "CCCM",
    "town": "IIMC",
    "cultural": "RRI",
    "tourism": "HHR",
    "commercial": "FFLG",
    "agricultural": "AAC",
}


def load(system: Any, rng: random.Random, instructors: list[Any]) -> int:
    """Creates the parks and about 320 units; returns how many units."""
    from apps.coverage.models import CoverageRecord, Park, Unit
    from apps.coverage.rules import make_credit_code
    from apps.orgs.models import Organization

    today = timezone.localdate()
    orgs = {o.name: o for o in Organization.objects.all()}
    parks = {}
    for name, park_type, org_name in PARKS:
        org = orgs.get(org_name)
        if org is not None:
            parks[name] = Park.objects.create(name=name, park_type=park_type, org=org, org_path=org.path)
    if not parks:
        return 0
    streets = [orgs[n] for n in ("下沙街道党工委", "白杨街道党工委") if n in orgs]
    social_home = orgs.get("开发区社会组织综合党委") or streets[0]
    units: list[Any] = []
    history: list[tuple[int, str, Any, dt.date | None]] = []  # (index, status, covering org, since)
    serial = 0

    def add(
        name: str, kind: str, park: Any, sector: str, status: str, covering: Any, members: int, home: Any
    ) -> None:
        nonlocal serial
        serial += 1
        established = dt.date(rng.randint(2003, 2024), rng.randint(1, 12), rng.randint(1, 28))
        employees = max(members, rng.choice([8, 15, 30, 60, 120, 260, 800, 2400]))
        size = (
            "large"
            if employees >= 1000
            else "medium"
            if employees >= 300
            else "small"
            if employees >= 20
            else "micro"
        )
        org = park.org if park else home
        instructor = rng.choice(instructors) if status == "instructor" and instructors else None
        unit = Unit(
                kind=kind, name=name, name_initials=name_pinyin(name)[1][:60],
                credit_code=make_credit_code(880_000 + serial, kind=kind), sector=sector, size_class=size,
                above_size=employees >= 100 and kind == "enterprise", employees=employees, party_members=members,
                park=park, org=org, org_path=org.path, established_on=established, status=status, covering_org=covering,
                formation_mode=rng.choice(["incubation", "grouping", "industry", "shared_space"]) if status in ("own", "joint") else "",
                instructor=instructor, liaison="" if status != "none" else rng.choice(["", "办公室主任", "人事经理"]),
            )  # fmt: skip
        units.append(unit)
        # Most covered units were covered a few years after they were founded.
        since = None
        if status != "none":
            earliest = max(established, today - dt.timedelta(days=365 * 6))
            span = max(0, (today - earliest).days - 30)
            since = earliest + dt.timedelta(days=rng.randint(0, span))
        history.append((len(units) - 1, status, covering, since))

    for name, kind, park_name, sector, covering_name, status in KNOWN:
        covering = orgs.get(covering_name)
        if covering is None:
            continue
        park = parks.get(park_name) if park_name else None
        add(
            name,
            kind,
            park,
            sector,
            status,
            covering,
            rng.randint(3, 40) if status == "own" else rng.randint(1, 3),
            social_home,
        )
    joint_homes = [
        orgs[n]
        for n in ("大创小镇众创空间联合党支部", "杭州新材料科技联合党支部", "社区社会组织联合党支部")
        if n in orgs
    ]
    park_list = list(parks.values())
    used = {u.name for u in units}
    while len(units) < 320:
        park = rng.choice(park_list) if rng.random() < 0.8 else None
        if rng.random() < 0.18:
            kind, sector = "social", "S"
            name = f"开发区{rng.choice(WORDS)}{rng.choice(SOCIAL)}"
        else:
            kind = "enterprise"
            letters = PARK_TRADES.get(park.park_type, "CFI") if park else "CFIGL"
            choices = [t for t in TRADES if t[0] in letters] or TRADES
            sector, suffix = rng.choice(choices)
            name = f"杭州{rng.choice(WORDS)}{suffix}"
        if name in used:
            continue
        used.add(name)
        roll = rng.random()
        status = "joint" if roll < 0.3 else "instructor" if roll < 0.62 else "none"
        members = rng.choice([0, 0, 0, 1, 1, 2, 2, 3, 4, 5]) if status != "joint" else rng.randint(1, 2)
        covering = rng.choice(joint_homes) if status == "joint" and joint_homes else None
        if status == "joint" and covering is None:
            status = "instructor"
        add(
            name,
            kind,
            park,
            sector,
            status,
            covering,
            members,
            rng.choice(streets) if kind == "enterprise" else social_home,
        )
    Unit.objects.bulk_create(units, batch_size=500)
    records = []
    for index, status, covering, since in history:
        unit = units[index]
        if since is None:
            records.append(
                CoverageRecord(
                    unit=unit, status="none", valid_from=unit.established_on, note="登记", recorded_by=system
                )
            )
            continue
        if since > unit.established_on:
            records.append(
                CoverageRecord(
                    unit=unit,
                    status="none",
                    valid_from=unit.established_on,
                    valid_to=since,
                    note="登记",
                    recorded_by=system,
                )
            )
        records.append(
            CoverageRecord(unit=unit, status=status, covering_org=covering, formation_mode=unit.formation_mode, valid_from=since,
                           note="建立党组织" if status in ("own", "joint") else "选派党建指导员", recorded_by=system)
        )  # fmt: skip
    CoverageRecord.objects.bulk_create(records, batch_size=1000)
    return len(units)
