from django.db import models


class ParkType(models.TextChoices):
    INDUSTRIAL = "industrial", "工业园区"
    AGRICULTURAL = "agricultural", "农业园区"
    TOURISM = "tourism", "旅游园区"
    CULTURAL = "cultural", "文化园区"
    COMMERCIAL = "commercial", "商贸集聚区"
    TOWN = "town", "特色小镇"


class UnitKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    SOCIAL = "social", "社会组织"


class SizeClass(models.TextChoices):
    """GB/T 统计上大中小微型企业划分办法 (2017)."""

    LARGE = "large", "大型"
    MEDIUM = "medium", "中型"
    SMALL = "small", "小型"
    MICRO = "micro", "微型"


class Sector(models.TextChoices):
    """The sections (门类) of GB/T 4754-2017 《国民经济行业分类》."""

    A = "A", "农、林、牧、渔业"
    B = "B", "采矿业"
    C = "C", "制造业"
    D = "D", "电力、热力、燃气及水生产和供应业"
    E = "E", "建筑业"
    F = "F", "批发和零售业"
    G = "G", "交通运输、仓储和邮政业"
    H = "H", "住宿和餐饮业"
    I = "I", "信息传输、软件和信息技术服务业"  # noqa: E741  (the standard's own letter)
    J = "J", "金融业"
    K = "K", "房地产业"
    L = "L", "租赁和商务服务业"
    M = "M", "科学研究和技术服务业"
    N = "N", "水利、环境和公共设施管理业"
    O = "O", "居民服务、修理和其他服务业"  # noqa: E741
    P = "P", "教育"
    Q = "Q", "卫生和社会工作"
    R = "R", "文化、体育和娱乐业"
    S = "S", "公共管理、社会保障和社会组织"
    T = "T", "国际组织"


class CoverageStatus(models.TextChoices):
    OWN = "own", "单建"
    JOINT = "joint", "联建"
    INSTRUCTOR = "instructor", "党建指导员覆盖"
    NONE = "none", "未覆盖"


class FormationMode(models.TextChoices):
    INCUBATION = "incubation", "同步孵化"
    GROUPING = "grouping", "党建组团"
    SHARED_SPACE = "shared_space", "园地共建"
    INDUSTRY = "industry", "产业建党"
    TRADE_GROUP = "trade_group", "行业型组团"
    MIXED_GROUP = "mixed_group", "综合型组团"
