"""Parks, the "two new" organizations in them and their party-building coverage over time (SPEC §8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.coverage.choices import CoverageStatus, FormationMode, ParkType, Sector, SizeClass, UnitKind


class Park(models.Model):
    """A park or special town (产业园区 / 特色小镇), looked after by one party organization."""

    name = models.CharField("名称", max_length=100, unique=True)
    park_type = models.CharField("类型", max_length=16, choices=ParkType.choices)
    org = models.ForeignKey(
        "orgs.Organization", verbose_name="负责党组织", on_delete=models.PROTECT, related_name="parks"
    )
    org_path = models.CharField("组织路径", max_length=255)
    address = models.CharField("地址", max_length=200, blank=True, default="")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "园区"
        verbose_name_plural = verbose_name
        ordering = ["park_type", "name"]
        indexes = [
            models.Index(fields=["org_path"], name="coverage_park_path", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """An enterprise or social organization, in a park or a street, with its current coverage.

    `org` is the organization whose scope holds it (the park's, or the street's); the current
    status is kept here for lists and today's rates, and every change also closes one
    CoverageRecord and opens the next, so the rates at any past date come from the records.
    """

    kind = models.CharField("类别", max_length=12, choices=UnitKind.choices)
    name = models.CharField("名称", max_length=120)
    name_initials = models.CharField("名称拼音首字母", max_length=60, blank=True, default="")
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    sector = models.CharField("行业门类", max_length=1, choices=Sector.choices)
    size_class = models.CharField("规模", max_length=8, choices=SizeClass.choices)
    above_size = models.BooleanField("规模以上", default=False)
    employees = models.PositiveIntegerField("从业人员", default=0)
    party_members = models.PositiveIntegerField("党员人数", default=0)
    park = models.ForeignKey(
        Park, verbose_name="所在园区", null=True, blank=True, on_delete=models.PROTECT, related_name="units"
    )
    org = models.ForeignKey(
        "orgs.Organization", verbose_name="属地党组织", on_delete=models.PROTECT, related_name="+"
    )
    org_path = models.CharField("组织路径", max_length=255)
    address = models.CharField("地址", max_length=200, blank=True, default="")
    established_on = models.DateField("成立（登记）日期")
    closed_on = models.DateField("注销日期", null=True, blank=True)
    status = models.CharField(
        "党建状态", max_length=12, choices=CoverageStatus.choices, default=CoverageStatus.NONE
    )
    covering_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="覆盖的党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="covered_units",
    )
    formation_mode = models.CharField(
        "组建方式", max_length=16, choices=FormationMode.choices, blank=True, default=""
    )
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="党建指导员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="instructed_units",
    )
    liaison = models.CharField("联络员", max_length=50, blank=True, default="")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "两新组织"
        verbose_name_plural = verbose_name
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["org_path"], name="coverage_unit_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["park", "status"], name="coverage_unit_park_status"),
            models.Index(fields=["status", "party_members"], name="coverage_unit_status"),
            models.Index(fields=["name"], name="coverage_unit_name", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name


class CoverageRecord(models.Model):
    """The unit's party-building status over [valid_from, valid_to): the history behind past rates."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="records")
    status = models.CharField("党建状态", max_length=12, choices=CoverageStatus.choices)
    covering_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="覆盖的党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    formation_mode = models.CharField("组建方式", max_length=16, blank=True, default="")
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("截止日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "党建覆盖记录"
        verbose_name_plural = verbose_name
        ordering = ["unit", "valid_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(valid_to__isnull=True), name="coverage_one_open_record"
            )
        ]
        indexes = [models.Index(fields=["unit", "valid_from"], name="coverage_record_unit_from")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.status} {self.valid_from}"


class InstructorVisit(models.Model):
    """A visit of the party-building instructor to the unit they cover (走访记录)."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="visits")
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="指导员",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visited_on = models.DateField("走访日期")
    content = models.CharField("走访内容", max_length=500)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "指导员走访记录"
        verbose_name_plural = verbose_name
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.visited_on}"
