"""Alerts (预警): conditions found in the records by the rules, shown to whoever's scope covers them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AlertLevel(models.TextChoices):
    DANGER = "danger", "紧急"
    WARNING = "warning", "提醒"
    INFO = "info", "提示"


class Alert(models.Model):
    """One open (or resolved) condition, identified by a stable key so a daily run updates it in place.

    `org_path` places it in the tree (who sees it); `member` also shows it to that member.
    """

    key = models.CharField("标识", max_length=120, unique=True)
    kind = models.CharField("类别", max_length=40, db_index=True)
    level = models.CharField("级别", max_length=10, choices=AlertLevel.choices)
    org = models.ForeignKey(
        "orgs.Organization", verbose_name="党组织", on_delete=models.CASCADE, related_name="+"
    )
    org_path = models.CharField("组织路径", max_length=255)
    member = models.ForeignKey(
        "members.Member",
        verbose_name="党员",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    channel = models.CharField("通知对象", max_length=60, blank=True, default="", db_index=True)
    title = models.CharField("标题", max_length=120)
    message = models.CharField("内容", max_length=300)
    link = models.CharField("办理链接", max_length=200, blank=True, default="")
    due_date = models.DateField("期限", null=True, blank=True)
    first_seen = models.DateTimeField("发现时间", auto_now_add=True)
    last_seen = models.DateTimeField("最近确认", auto_now=True)
    resolved_at = models.DateTimeField("消除时间", null=True, blank=True)

    class Meta:
        verbose_name = "预警"
        verbose_name_plural = verbose_name
        ordering = ["resolved_at", "level", "due_date", "-first_seen"]
        indexes = [
            models.Index(fields=["org_path"], name="alerts_path_pfx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["resolved_at", "kind"], name="alerts_open_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class AlertRead(models.Model):
    """A user has read an alert (the unread count and the bold rows come from its absence)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "user"], name="alerts_read_once")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.alert_id}"
