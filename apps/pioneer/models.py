"""The pioneer index (党员先锋指数): a configurable scheme of items, fed by the records and by manual
entries with a reason. Practice, not central rules (Zhejiang's 先锋指数 and T/ZS 0046-2019 use a base
score plus earned points minus deductions): every item and its points are data."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ItemSource(models.TextChoices):
    BASE = "base", "基础分（每月）"
    ATTENDANCE_PRESENT = "attendance_present", "出席组织生活（每次）"
    ATTENDANCE_ABSENT = "attendance_absent", "无故缺席组织生活（每次）"
    DUES_ON_TIME = "dues_on_time", "按月交纳党费（每月）"
    DUES_UNPAID = "dues_unpaid", "欠缴党费（每月）"
    TRAINING_HOURS = "training_hours", "参加党课和教育培训（每学时）"
    MANUAL = "manual", "人工登记（须填写事由）"


class PioneerItem(models.Model):
    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("项目", max_length=60)
    source = models.CharField("数据来源", max_length=24, choices=ItemSource.choices)
    points = models.DecimalField("分值", max_digits=6, decimal_places=1, help_text="扣分项填负数")
    monthly_cap = models.DecimalField(
        "每月上限（绝对值）", max_digits=6, decimal_places=1, null=True, blank=True
    )
    is_active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "先锋指数项目"
        verbose_name_plural = verbose_name
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class ManualScore(models.Model):
    """Points given by the branch for a manual item (volunteering, commendation, a violation…)."""

    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.CASCADE, related_name="pioneer_scores"
    )
    item = models.ForeignKey(PioneerItem, verbose_name="项目", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("月份")
    points = models.DecimalField("分值", max_digits=6, decimal_places=1)
    reason = models.CharField("事由", max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "先锋指数人工记分"
        verbose_name_plural = verbose_name
        ordering = ["-month", "-id"]
        indexes = [models.Index(fields=["member", "month"], name="pioneer_member_month_idx")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m} {self.points}"


class MonthlyPublication(models.Model):
    """The branch has reviewed and published (公示) its members' scores of a month: the checklist's
    evidence for 党员先锋指数管理, with the ranking as it stood when published."""

    org = models.ForeignKey(
        "orgs.Organization", verbose_name="党支部", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField("月份")
    scores = models.JSONField("公示得分", default=list)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="公示人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField("公示时间", auto_now=True)
    revisions = models.PositiveSmallIntegerField("更新次数", default=0)

    class Meta:
        verbose_name = "先锋指数月度公示"
        verbose_name_plural = verbose_name
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["org", "month"], name="pioneer_publication_once")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.month:%Y-%m}"
