"""Resident requests (民情诉求), the departments that handle them, and work orders (工作联系单).

A request comes from a resident's public form, a liaison member acting for a household, the hotline,
or a visit. It carries the organization path of its household or zone (empty for a public request
without a zone) so committee admins and grid leaders see their part, and the department it was
routed to so the department's staff see theirs.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from apps.core.masking import mask_phone
from apps.core.models import StoredUpload
from apps.resident_requests.choices import CONTENT_MAX, REPLY_MAX, TITLE_MAX, Category, Channel
from apps.resident_requests.flow import PART_FLOW, REQUEST_FLOW, WAITING_STATES


class Department(models.Model):
    """A functional department of the street office or zone (部门) that handles requests."""

    name = models.CharField("部门名称", max_length=60, unique=True)
    code = models.CharField("部门代码", max_length=20, unique=True)
    phone = models.CharField("办公电话", max_length=30, blank=True, default="")
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="工作人员", blank=True, related_name="request_departments"
    )
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "职能部门"
        verbose_name_plural = verbose_name
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CategoryRule(models.Model):
    """How long a category of request may take once routed, and the department it usually goes to."""

    category = models.CharField("诉求类别", max_length=20, choices=Category.choices, unique=True)
    department = models.ForeignKey(
        Department,
        verbose_name="默认承办部门",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    working_days = models.PositiveSmallIntegerField(
        "办理时限（工作日）", validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "诉求类别时限"
        verbose_name_plural = verbose_name
        ordering = ["category"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.working_days}个工作日"


class ResidentRequest(models.Model):
    receipt_code = models.CharField("受理编号", max_length=20, unique=True)
    # The nonce of the public form's human check: a form posted twice finds the first row.
    submission_key = models.CharField("提交标识", max_length=40, unique=True, null=True, blank=True)
    channel = models.CharField("来源渠道", max_length=10, choices=Channel.choices)
    household = models.ForeignKey(
        "grid.Household",
        verbose_name="住户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    zone = models.ForeignKey(
        "grid.Zone",
        verbose_name="片区/社区",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    org_path = models.CharField("组织路径", max_length=255, blank=True, default="")
    submitter_name = models.CharField("诉求人", max_length=50)
    submitter_phone = models.CharField("联系电话", max_length=20)
    address = models.CharField("地址", max_length=160, blank=True, default="")
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    title = models.CharField("标题", max_length=TITLE_MAX)
    content = models.TextField("诉求内容", max_length=CONTENT_MAX)
    department = models.ForeignKey(
        Department,
        verbose_name="承办部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    state = models.CharField("状态", max_length=12, choices=REQUEST_FLOW.choices(), default="submitted")
    # The handling deadline (to route while submitted, to answer once routed); kept after the reply so
    # the page can tell whether the answer came in time.
    due_date = models.DateField("办理期限", null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField("督办等级", default=0)
    reply = models.TextField("答复内容", max_length=REPLY_MAX, blank=True, default="")
    # The last day a replied request waits for the resident's rating before it closes by itself.
    rating_due = models.DateField("评价截止日期", null=True, blank=True)
    visit = models.ForeignKey(
        "grid.Visit",
        verbose_name="来源走访记录",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        "满意度", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField("评价意见", max_length=200, blank=True, default="")
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    received_on = models.DateField("受理日期", db_index=True)

    class Meta:
        verbose_name = "民情诉求"
        verbose_name_plural = verbose_name
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["org_path"], name="rr_request_path_pfx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["state", "due_date"], name="rr_request_state_due"),
            models.Index(fields=["department", "state"], name="rr_request_dept_state"),
            models.Index(fields=["created_by"], name="rr_request_creator"),
            models.Index(fields=["submitter_name"], name="rr_request_submitter"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="rr_request_rating_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.receipt_code} {self.title}"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.submitter_phone)

    @property
    def state_label(self) -> str:
        return REQUEST_FLOW.state(self.state).label

    @property
    def is_waiting(self) -> bool:
        """Somebody still owes the resident an answer (so a passed deadline means overdue)."""
        return self.state in WAITING_STATES

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_waiting and self.due_date is not None and self.due_date < today

    @property
    def answered_late(self) -> bool:
        """Replied after the handling deadline (in local time)."""
        if self.replied_at is None or self.due_date is None:
            return False
        return timezone.localdate(self.replied_at) > self.due_date


class RequestAttachment(StoredUpload):
    """A file attached to a request, stored under PRIVATE_ROOT and served only to who may see it."""

    request = models.ForeignKey(
        ResidentRequest, verbose_name="诉求", on_delete=models.CASCADE, related_name="attachments"
    )

    class Meta:
        verbose_name = "诉求附件"
        verbose_name_plural = verbose_name
        ordering = ["id"]


class WorkOrderState(models.TextChoices):
    WORKING = "working", "各部门办理中"
    READY = "ready", "待牵头部门答复"
    SENT = "sent", "已答复"


class WorkOrder(models.Model):
    """A cross-department work order (工作联系单) raised from one request; one part per department."""

    number = models.CharField("联系单编号", max_length=20, unique=True)
    request = models.OneToOneField(
        ResidentRequest, verbose_name="来源诉求", on_delete=models.PROTECT, related_name="work_order"
    )
    title = models.CharField("事项", max_length=TITLE_MAX)
    content = models.TextField("办理要求", max_length=CONTENT_MAX)
    lead_department = models.ForeignKey(
        Department, verbose_name="牵头部门", on_delete=models.PROTECT, related_name="led_work_orders"
    )
    state = models.CharField(
        "状态", max_length=10, choices=WorkOrderState.choices, default=WorkOrderState.WORKING
    )
    combined_reply = models.TextField("汇总答复", max_length=REPLY_MAX, blank=True, default="")
    sent_at = models.DateTimeField("答复时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)

    class Meta:
        verbose_name = "工作联系单"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class WorkOrderPart(models.Model):
    """One department's share of a work order, with its own small flow and deadline."""

    work_order = models.ForeignKey(
        WorkOrder, verbose_name="联系单", on_delete=models.CASCADE, related_name="parts"
    )
    department = models.ForeignKey(
        Department, verbose_name="承办部门", on_delete=models.PROTECT, related_name="parts"
    )
    task = models.CharField("承办任务", max_length=300)
    working_days = models.PositiveSmallIntegerField("时限（工作日）", default=5)
    state = models.CharField("状态", max_length=10, choices=PART_FLOW.choices(), default="pending")
    due_date = models.DateField("办理期限", null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField("督办等级", default=0)
    reply = models.TextField("办理结果", max_length=REPLY_MAX, blank=True, default="")
    done_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "联系单分项"
        verbose_name_plural = verbose_name
        ordering = ["work_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["work_order", "department"], name="rr_part_one_per_department")
        ]
        indexes = [models.Index(fields=["state", "due_date"], name="rr_part_state_due")]

    def __str__(self) -> str:
        return f"{self.work_order_id} {self.department_id}"

    @property
    def state_label(self) -> str:
        return PART_FLOW.state(self.state).label
