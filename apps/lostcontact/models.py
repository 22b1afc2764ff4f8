"""Lost-contact cases (失联党员): the search, its follow-ups, and the decision (SPEC §2, issue: lost contact).

《中国共产党党员教育管理工作条例》(2019) and 组通字〔2006〕45号: a member out of contact for six months
or more who cannot be found is suspended (停止党籍) by the organization; if still out of contact two
years after the suspension, the member is removed as having left the party (自行脱党，予以除名).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CaseState(models.TextChoices):
    OPEN = "open", "查找中"
    RESOLVED = "resolved", "已恢复联系"
    SUSPENDED = "suspended", "已停止党籍"


class LostContactCase(models.Model):
    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.CASCADE, related_name="lost_contact_cases"
    )
    org_path = models.CharField("组织路径", max_length=255)
    opened_on = models.DateField("登记失联日期")
    reason = models.CharField("失联情形", max_length=200)
    previous_category = models.CharField("原党员类别", max_length=16)
    state = models.CharField("状态", max_length=10, choices=CaseState.choices, default=CaseState.OPEN)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    removal_due = models.DateField(
        "除名期限", null=True, blank=True, help_text="停止党籍满两年仍无法取得联系的，按自行脱党予以除名"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "失联党员查找"
        verbose_name_plural = verbose_name
        ordering = ["state", "-opened_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=models.Q(state="open"), name="lostcontact_one_open_case"
            )
        ]
        indexes = [
            models.Index(fields=["org_path"], name="lostcontact_path_pfx", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.get_state_display()}"


class FollowUp(models.Model):
    case = models.ForeignKey(
        LostContactCase, verbose_name="查找记录", on_delete=models.CASCADE, related_name="follow_ups"
    )
    on = models.DateField("日期")
    action = models.CharField("方式", max_length=60)
    note = models.CharField("结果", max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "查找跟进"
        verbose_name_plural = verbose_name
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.on} {self.action}"
