"""Star ratings (星级评定), honours (党建示范点, 最强党支部) and secretaries' yearly reports (述职) with
the higher committee's appraisal."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.appraisal.flow import REPORT_FLOW


class Criterion(models.TextChoices):
    """The five standards of a well-run party organization; each one met is a star."""

    SETUP = "setup", "组织设置规范"
    TEAM = "team", "班子队伍坚强"
    LIFE = "life", "组织生活正常"
    MANAGEMENT = "management", "党员管理严格"
    ROLE = "role", "作用发挥明显"


class StarRating(models.Model):
    org = models.ForeignKey(
        "orgs.Organization", verbose_name="党组织", on_delete=models.CASCADE, related_name="+"
    )
    org_path = models.CharField("组织路径", max_length=255)
    year = models.PositiveSmallIntegerField("年度")
    criteria = models.JSONField("达到的标准", default=list)
    stars = models.PositiveSmallIntegerField("星级")
    note = models.CharField("评定依据", max_length=300)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评定人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rated_at = models.DateTimeField("评定时间", auto_now=True)

    class Meta:
        verbose_name = "星级评定"
        verbose_name_plural = verbose_name
        ordering = ["-year", "-stars", "org_path"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="appraisal_one_rating_a_year"),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="appraisal_stars_1_to_5"
            ),
        ]
        indexes = [
            models.Index(fields=["org_path"], name="appraisal_rating_path", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year} {self.stars}★"


class HonorKind(models.TextChoices):
    DEMO_SITE = "demo_site", "党建示范点"
    STRONGEST = "strongest", "最强党支部"


class Honor(models.Model):
    org = models.ForeignKey(
        "orgs.Organization", verbose_name="党组织", on_delete=models.CASCADE, related_name="+"
    )
    org_path = models.CharField("组织路径", max_length=255)
    kind = models.CharField("称号", max_length=12, choices=HonorKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    note = models.CharField("事迹与依据", max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="认定人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField("认定时间", auto_now_add=True)

    class Meta:
        verbose_name = "示范点与最强党支部"
        verbose_name_plural = verbose_name
        ordering = ["-year", "kind", "org_path"]
        constraints = [models.UniqueConstraint(fields=["org", "kind", "year"], name="appraisal_honor_once")]
        indexes = [
            models.Index(fields=["org_path"], name="appraisal_honor_path", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.kind} {self.year}"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "好"
    GOOD = "good", "较好"
    FAIR = "fair", "一般"
    POOR = "poor", "差"


class WorkReport(models.Model):
    """A secretary's yearly report on party-building work, and the higher committee's appraisal."""

    org = models.ForeignKey(
        "orgs.Organization", verbose_name="党组织", on_delete=models.CASCADE, related_name="+"
    )
    org_path = models.CharField("组织路径", max_length=255)
    year = models.PositiveSmallIntegerField("年度")
    secretary = models.CharField("述职人", max_length=50)
    content = models.TextField("述职内容")
    state = models.CharField("状态", max_length=10, choices=REPORT_FLOW.choices(), default="submitted")
    due_date = models.DateField("评议期限", null=True, blank=True)
    grade = models.CharField("评议等次", max_length=10, choices=Grade.choices, blank=True, default="")
    comment = models.CharField("评议意见", max_length=500, blank=True, default="")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评议人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    appraised_on = models.DateField("评议日期", null=True, blank=True)

    class Meta:
        verbose_name = "书记述职评议"
        verbose_name_plural = verbose_name
        ordering = ["-year", "state", "org_path"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="appraisal_one_report_a_year")]
        indexes = [
            models.Index(fields=["org_path"], name="appraisal_report_path", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year} {self.state}"
