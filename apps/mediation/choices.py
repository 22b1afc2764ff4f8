from __future__ import annotations

from django.db import models


class InstitutionKind(models.TextChoices):
    CENTER = "center", "矛调中心/司法所（主管）"
    STREET = "street", "街道人民调解委员会"
    COMMUNITY = "community", "社区（村）人民调解委员会"
    TRADE = "trade", "行业性专业性调解组织"
    LAWYER = "lawyer", "律师调解工作室"
    COURT = "court", "法院特邀调解组织"


class MediatorKind(models.TextChoices):
    FULL_TIME = "full_time", "专职调解员"
    PART_TIME = "part_time", "兼职调解员"
    LAWYER = "lawyer", "律师调解员"
    INVITED = "invited", "特邀调解员"


class DisputeType(models.TextChoices):
    FAMILY = "family", "婚姻家庭纠纷"
    NEIGHBOUR = "neighbour", "邻里纠纷"
    CONTRACT = "contract", "合同纠纷"
    LABOUR = "labour", "劳动争议"
    PROPERTY = "property", "物业纠纷"
    DAMAGE = "damage", "损害赔偿纠纷"
    MEDICAL = "medical", "医疗纠纷"
    TRAFFIC = "traffic", "道路交通事故纠纷"
    CONSUMER = "consumer", "消费纠纷"
    OTHER = "other", "其他纠纷"


class CaseSource(models.TextChoices):
    ONLINE = "online", "当事人网上申请"
    WALK_IN = "walk_in", "来访登记"
    COURT = "court", "法院委派"
    POLICE = "police", "公安移交"
    GRID = "grid", "网格/诉求转办"
    OTHER = "other", "其他部门移交"


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", "申请人"
    RESPONDENT = "respondent", "被申请人"
    AGENT = "agent", "代理人"


class SessionMode(models.TextChoices):
    ONSITE = "onsite", "现场调解"
    VIDEO = "video", "视频调解"
    PHONE = "phone", "电话调解"
    BACK_TO_BACK = "back_to_back", "背对背调解"
