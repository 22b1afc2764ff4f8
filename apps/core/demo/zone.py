"""The demo zone, modelled on the Hangzhou Economic and Technological Development Zone (下沙) as the
source reports describe it: the working committee, the organ committee with its 19 organizations and a
temporary project branch, two streets and their communities, the 大创小镇 special town, two enterprise
committees (松下家电, 杭州电缆) and the social organizations' committee."""

from __future__ import annotations

# (name, org_type, unit_kind, unit_name, member count, extra) — children nested under "children".
ORGAN_UNITS = [
    "党政办公室",
    "组织部（人力资源局）",
    "宣传统战部",
    "纪工委（监察室）",
    "经济发展局",
    "财政局",
    "税务局",
    "人民检察院",
    "行政执法大队",
    "社会发展局",
    "建设局",
    "市场监督管理局",
    "科技局",
    "商务局",
    "环境保护分局",
    "国土规划分局",
    "行政服务中心",
    "文明办",
    "投资促进局",
]

ZONE = {
    "name": "杭州经济技术开发区党工委",
    "org_type": "working_committee",
    "unit_kind": "government",
    "unit_name": "杭州经济技术开发区管委会",
    "founded": "1993-04-01",
    "elected": "2022-06-28",
    "members": 6,
    "children": [
        {
            "name": "开发区机关党委",
            "org_type": "organ_committee",
            "unit_kind": "government",
            "unit_name": "开发区机关",
            "founded": "1994-03-10",
            "elected": "2022-11-20",
            "members": 0,
            "star": 5,
            "children": [
                *[
                    {
                        "name": f"{unit}党支部",
                        "org_type": "branch",
                        "unit_kind": "government",
                        "unit_name": unit,
                        "members": m,
                        "elected": e,
                    }
                    for unit, m, e in zip(
                        ORGAN_UNITS,
                        [14, 22, 11, 9, 18, 15, 26, 20, 31, 16, 17, 24, 12, 10, 13, 8, 19, 7, 2],
                        [
                            "2025-03-15",
                            "2024-01-10",
                            "2022-05-20",
                            "2025-06-01",
                            "2024-04-18",
                            "2025-09-09",
                            "2024-05-12",
                            "2024-12-01",
                            "2025-03-02",
                            "2024-08-08",
                            "2023-11-11",
                            "2024-02-20",
                            "2024-10-15",
                            "2025-04-04",
                            "2024-07-07",
                            "2025-05-05",
                            "2024-03-03",
                            "2025-01-12",
                            "2022-09-30",
                        ],
                        strict=True,
                    )
                ],
                {
                    "name": "文明环境提升项目临时党支部",
                    "org_type": "temp_branch",
                    "unit_kind": "project",
                    "unit_name": "文明城市指数测评迎检专班",
                    "members": 15,
                    "end_date": "2025-12-31",
                    "founded": "2025-01-15",
                    "mode": "single",
                },
            ],
        },
        {
            "name": "下沙街道党工委",
            "org_type": "street_committee",
            "unit_kind": "street",
            "unit_name": "下沙街道",
            "founded": "2001-09-01",
            "elected": "2023-09-15",
            "members": 12,
            "children": [
                {
                    "name": "上沙社区党委",
                    "org_type": "committee",
                    "unit_kind": "community",
                    "unit_name": "上沙社区",
                    "elected": "2023-05-20",
                    "members": 5,
                    "star": 4,
                    "children": [
                        {
                            "name": f"上沙社区第{n}党支部",
                            "org_type": "branch",
                            "unit_kind": "community",
                            "unit_name": "上沙社区",
                            "members": c,
                            "groups": 2,
                        }
                        for n, c in (("一", 38), ("二", 41), ("三", 29))
                    ],
                },
                {
                    "name": "东湾社区党总支",
                    "org_type": "general_branch",
                    "unit_kind": "community",
                    "unit_name": "东湾社区",
                    "elected": "2021-05-22",
                    "members": 4,
                    "children": [
                        {
                            "name": f"东湾社区第{n}党支部",
                            "org_type": "branch",
                            "unit_kind": "community",
                            "unit_name": "东湾社区",
                            "members": c,
                        }
                        for n, c in (("一", 27), ("二", 33))
                    ],
                },
                {
                    "name": "江滨花园社区党支部",
                    "org_type": "branch",
                    "unit_kind": "community",
                    "unit_name": "江滨花园社区",
                    "members": 46,
                    "elected": "2019-05-10",
                    "groups": 3,
                },
            ],
        },
        {
            "name": "白杨街道党工委",
            "org_type": "street_committee",
            "unit_kind": "street",
            "unit_name": "白杨街道",
            "founded": "2001-09-01",
            "elected": "2023-09-18",
            "members": 10,
            "children": [
                {
                    "name": "滙澜社区党委",
                    "org_type": "committee",
                    "unit_kind": "community",
                    "unit_name": "滙澜社区",
                    "elected": "2023-05-25",
                    "members": 5,
                    "star": 5,
                    "demo": True,
                    "children": [
                        {
                            "name": f"滙澜社区第{n}党支部",
                            "org_type": "branch",
                            "unit_kind": "community",
                            "unit_name": "滙澜社区",
                            "members": c,
                        }
                        for n, c in (("一", 35), ("二", 31), ("三", 44), ("四", 22))
                    ],
                },
                {
                    "name": "早城社区党总支",
                    "org_type": "general_branch",
                    "unit_kind": "community",
                    "unit_name": "早城社区",
                    "elected": "2024-05-26",
                    "members": 3,
                    "children": [
                        {
                            "name": f"早城社区第{n}党支部",
                            "org_type": "branch",
                            "unit_kind": "community",
                            "unit_name": "早城社区",
                            "members": c,
                        }
                        for n, c in (("一", 30), ("二", 26))
                    ],
                },
            ],
        },
        {
            "name": "大创小镇综合党委",
            "org_type": "general_committee",
            "unit_kind": "park",
            "unit_name": "大创小镇（特色小镇）",
            "founded": "2016-07-01",
            "elected": "2023-07-01",
            "members": 6,
            "mode": "park_co_build",
            "star": 4,
            "children": [
                {
                    "name": "大创小镇党群服务中心党支部",
                    "org_type": "branch",
                    "unit_kind": "park",
                    "unit_name": "大创小镇党群服务中心",
                    "members": 9,
                    "demo": True,
                },
                {
                    "name": "大创小镇众创空间联合党支部",
                    "org_type": "joint_branch",
                    "unit_kind": "enterprise",
                    "unit_name": "众创空间入驻企业（5家）",
                    "members": 11,
                    "mode": "joint",
                },
                {
                    "name": "杭州默沙东生物医药党支部",
                    "org_type": "branch",
                    "unit_kind": "enterprise",
                    "unit_name": "杭州默沙东生物医药有限公司",
                    "members": 23,
                    "mode": "incubation",
                },
                {
                    "name": "杭州新材料科技联合党支部",
                    "org_type": "joint_branch",
                    "unit_kind": "enterprise",
                    "unit_name": "新材料产业园企业（4家）",
                    "members": 2,
                    "mode": "industry_cluster",
                },
                {
                    "name": "浙江信息技术服务党支部",
                    "org_type": "branch",
                    "unit_kind": "enterprise",
                    "unit_name": "浙江信息技术服务有限公司",
                    "members": 58,
                    "mode": "industry_build",
                },
            ],
        },
        {
            "name": "松下家电（中国）有限公司党委",
            "org_type": "committee",
            "unit_kind": "enterprise",
            "unit_name": "松下家电（中国）有限公司",
            "founded": "2006-06-18",
            "elected": "2023-06-20",
            "members": 7,
            "star": 5,
            "demo": True,
            "children": [
                {
                    "name": f"松下家电{unit}党支部",
                    "org_type": "branch",
                    "unit_kind": "enterprise",
                    "unit_name": "松下家电（中国）有限公司",
                    "members": c,
                    "groups": g,
                    "strongest": s,
                }
                for unit, c, g, s in (
                    ("洗衣机事业部", 48, 3, True),
                    ("冰箱事业部", 42, 3, False),
                    ("技术中心", 31, 2, False),
                    ("管理部门", 19, 1, False),
                )
            ],
        },
        {
            "name": "富春江集团杭州电缆股份有限公司党委",
            "org_type": "committee",
            "unit_kind": "enterprise",
            "unit_name": "杭州电缆股份有限公司",
            "founded": "2000-05-01",
            "elected": "2022-05-18",
            "members": 5,
            "star": 4,
            "children": [
                {
                    "name": f"杭州电缆{unit}党支部",
                    "org_type": "branch",
                    "unit_kind": "enterprise",
                    "unit_name": "杭州电缆股份有限公司",
                    "members": c,
                }
                for unit, c in (("生产一车间", 36), ("生产二车间", 28), ("营销中心", 17))
            ],
        },
        {
            "name": "开发区社会组织综合党委",
            "org_type": "general_committee",
            "unit_kind": "social_org",
            "unit_name": "开发区社会组织服务中心",
            "founded": "2015-11-01",
            "elected": "2020-11-10",
            "members": 3,
            "children": [
                {
                    "name": "开发区律师行业党支部",
                    "org_type": "branch",
                    "unit_kind": "social_org",
                    "unit_name": "开发区律师协会",
                    "members": 21,
                    "mode": "industry_cluster",
                },
                {
                    "name": "开发区慈善总会党支部",
                    "org_type": "branch",
                    "unit_kind": "social_org",
                    "unit_name": "开发区慈善总会",
                    "members": 6,
                },
                {
                    "name": "社区社会组织联合党支部",
                    "org_type": "joint_branch",
                    "unit_kind": "social_org",
                    "unit_name": "社区社会组织（5家）",
                    "members": 8,
                    "mode": "comprehensive_cluster",
                },
            ],
        },
    ],
}

WORK_UNITS_BY_KIND = {
    "government": ["杭州经济技术开发区管委会"],
    "street": ["下沙街道办事处", "白杨街道办事处"],
    "community": ["社区居民委员会", "社区股份经济合作社", "物业服务中心"],
    "enterprise": [],
    "park": ["大创小镇管理办公室", "大创小镇党群服务中心"],
    "social_org": ["开发区律师协会", "开发区慈善总会", "社区社会组织服务中心"],
    "project": ["开发区文明办"],
}
POSITIONS = [
    "科员",
    "副科长",
    "科长",
    "主任科员",
    "工程师",
    "高级工程师",
    "技术员",
    "经理",
    "主管",
    "社工",
    "职员",
    "教师",
    "会计",
    "律师",
    "",
]
