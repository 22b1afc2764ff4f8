"""Transfers of a member's organizational relationship (SPEC §5)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.transfers.flow import OPEN_STATES, TRANSFER_FLOW


class TransferKind(models.TextChoices):
    WITHIN = "within", "区内转接"
    OUT = "out", "转出本区"
    IN = "in", "转入本区"


class Transfer(models.Model):
    """One transfer: who, from where to where, its letter, and where it stands in the flow."""

    kind = models.CharField("类型", max_length=8, choices=TransferKind.choices)
    number = models.CharField("介绍信编号", max_length=30, blank=True, default="")
    member = models.ForeignKey(
        "members.Member",
        verbose_name="党员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    person_name = models.CharField("姓名", max_length=50)
    incoming = models.JSONField("转入人员信息", default=dict, blank=True)
    from_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="转出组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_path = models.CharField("转出组织路径", max_length=255, blank=True, default="")
    from_external = models.CharField("转出单位（区外）", max_length=120, blank=True, default="")
    to_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name="接收组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_path = models.CharField("接收组织路径", max_length=255, blank=True, default="")
    to_external = models.CharField("接收单位（区外）", max_length=120, blank=True, default="")
    reason = models.CharField("转接原因", max_length=200)
    state = models.CharField("状态", max_length=12, choices=TRANSFER_FLOW.choices(), default="requested")
    due_date = models.DateField("办理期限", null=True, blank=True)
    requested_on = models.DateField("申请日期")
    issued_on = models.DateField("开具日期", null=True, blank=True)
    valid_days = models.PositiveSmallIntegerField("有效期（天）", default=90)
    dues_paid_to = models.DateField("党费交至", null=True, blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    external_number = models.CharField("来函编号", max_length=40, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "组织关系转接"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(state__in=OPEN_STATES),
                name="transfers_one_open_per_member",
            ),
            models.UniqueConstraint(
                fields=["number"], condition=~models.Q(number=""), name="transfers_number_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["from_path"], name="transfers_from_pfx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["to_path"], name="transfers_to_pfx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["state", "due_date"], name="transfers_state_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} {self.get_kind_display()} {self.number}"

    @property
    def from_label(self) -> str:
        return self.from_org.name if self.from_org_id and self.from_org else self.from_external

    @property
    def to_label(self) -> str:
        return self.to_org.name if self.to_org_id and self.to_org else self.to_external
