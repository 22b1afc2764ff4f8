"""The resident liaison grid (片组户): zones → groups → households with their residents, the party
members who each keep in touch with about ten households, the service teams, and the visit log.

"联系无遗漏、管理无盲点、服务无缝隙": every household has a liaison, and visits are logged so the
grid can tell which households nobody has seen lately. `Household.last_visited_on` is kept by the
visit services so the coverage figures read one indexed column instead of aggregating the log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.core.masking import mask_phone


class VulnerableTag(models.TextChoices):
    ELDERLY_ALONE = "elderly_alone", "独居老人"
    EMPTY_NEST = "empty_nest", "空巢老人"
    DISABLED = "disabled", "残疾人"
    LOW_INCOME = "low_income", "低保户"
    SERIOUS_ILLNESS = "serious_illness", "大病患者"
    LEFT_BEHIND_CHILD = "left_behind_child", "留守儿童"
    VETERAN = "veteran", "退役军人"


class VisitKind(models.TextChoices):
    HOME = "home", "入户走访"
    PHONE = "phone", "电话联系"
    TALK = "talk", "民情恳谈会"
    OTHER = "other", "其他"


class Zone(models.Model):
    """A management zone (片区) run by a community or village party organization."""

    org = models.ForeignKey(
        "orgs.Organization", verbose_name="所属党组织", on_delete=models.PROTECT, related_name="grid_zones"
    )
    org_path = models.CharField("组织路径", max_length=255, db_index=True)
    code = models.CharField("片区编号", max_length=30, unique=True)
    name = models.CharField("片区名称", max_length=80)
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="片长/网格长", blank=True, related_name="grid_zones"
    )
    hotline = models.CharField("民情服务热线", max_length=30, blank=True, default="")
    note = models.CharField("备注", max_length=200, blank=True, default="")
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "片区"
        verbose_name_plural = verbose_name
        ordering = ["code"]
        indexes = [
            models.Index(fields=["org_path"], name="grid_zone_path_pfx", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self) -> str:
        return self.name


class ServiceTeam(models.Model):
    """A service team (服务团队) of party members working for a zone."""

    zone = models.ForeignKey(Zone, verbose_name="片区", on_delete=models.CASCADE, related_name="teams")
    name = models.CharField("团队名称", max_length=80)
    speciality = models.CharField("服务内容", max_length=120, blank=True, default="")
    leader = models.ForeignKey(
        "members.Member",
        verbose_name="队长",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(
        "members.Member", verbose_name="队员", blank=True, related_name="grid_teams"
    )

    class Meta:
        verbose_name = "服务团队"
        verbose_name_plural = verbose_name
        ordering = ["zone", "name"]

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """A service group (组) inside a zone, usually a few buildings or a village group."""

    zone = models.ForeignKey(Zone, verbose_name="片区", on_delete=models.CASCADE, related_name="groups")
    code = models.CharField("组编号", max_length=30)
    name = models.CharField("组名称", max_length=80)
    leader = models.ForeignKey(
        "members.Member",
        verbose_name="组长",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    team = models.ForeignKey(
        ServiceTeam,
        verbose_name="服务团队",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="groups",
    )

    class Meta:
        verbose_name = "服务组"
        verbose_name_plural = verbose_name
        ordering = ["zone", "code"]
        constraints = [models.UniqueConstraint(fields=["zone", "code"], name="grid_group_code_unique")]

    def __str__(self) -> str:
        return f"{self.zone.name}{self.name}" if self.zone_id else self.name


class Household(models.Model):
    """A household (户): its address, its head, and the liaison party member who keeps in touch."""

    zone = models.ForeignKey(Zone, verbose_name="片区", on_delete=models.CASCADE, related_name="households")
    group = models.ForeignKey(
        Group, verbose_name="服务组", on_delete=models.CASCADE, related_name="households"
    )
    org_path = models.CharField("组织路径", max_length=255)
    code = models.CharField("户编号", max_length=40, unique=True)
    address = models.CharField("住址", max_length=160)
    head_name = models.CharField("户主", max_length=50)
    phone = models.CharField("联系电话", max_length=20, blank=True, default="")
    liaison = models.ForeignKey(
        "members.Member",
        verbose_name="联户党员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="liaison_households",
    )
    last_visited_on = models.DateField("最近走访", null=True, blank=True)
    is_active = models.BooleanField("在册", default=True)
    note = models.CharField("备注", max_length=200, blank=True, default="")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "住户"
        verbose_name_plural = verbose_name
        ordering = ["zone", "group", "code"]
        indexes = [
            models.Index(
                fields=["org_path"], name="grid_household_path_pfx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["zone", "liaison"], name="grid_household_zone_liaison"),
            models.Index(fields=["zone", "last_visited_on"], name="grid_household_zone_visit"),
            models.Index(fields=["liaison"], name="grid_household_liaison_idx"),
            # Covers both coverage queries (grid_coverage): an index-only scan, for one zone or all.
            models.Index(
                fields=["zone", "is_active", "liaison", "last_visited_on"], name="grid_household_coverage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.address}（{self.head_name}）"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class Resident(models.Model):
    """A person living in a household, with the tags that call for more attention."""

    household = models.ForeignKey(
        Household, verbose_name="住户", on_delete=models.CASCADE, related_name="residents"
    )
    name = models.CharField("姓名", max_length=50)
    relation = models.CharField("与户主关系", max_length=20, default="户主")
    phone = models.CharField("联系电话", max_length=20, blank=True, default="")
    birth_year = models.PositiveSmallIntegerField("出生年份", null=True, blank=True)
    # Codes of VulnerableTag joined as ",a,b," so one `contains` lookup filters on either database.
    tags = models.CharField("关爱标签", max_length=160, blank=True, default="")

    class Meta:
        verbose_name = "居民"
        verbose_name_plural = verbose_name
        ordering = ["household", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def tag_codes(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]

    @property
    def tag_labels(self) -> list[str]:
        labels = dict(VulnerableTag.choices)
        return [labels.get(t, t) for t in self.tag_codes]


class Visit(models.Model):
    """A visit-log entry (民情日志): who saw which household, how, and what they heard."""

    household = models.ForeignKey(
        Household, verbose_name="住户", on_delete=models.CASCADE, related_name="visits"
    )
    liaison = models.ForeignKey(
        "members.Member",
        verbose_name="走访党员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visited_on = models.DateField("走访日期")
    kind = models.CharField("方式", max_length=10, choices=VisitKind.choices, default=VisitKind.HOME)
    content = models.TextField("走访情况", max_length=2000)
    needs = models.CharField("群众诉求", max_length=500, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "民情日志"
        verbose_name_plural = verbose_name
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["household", "visited_on"], name="grid_visit_household_day")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.visited_on}"
