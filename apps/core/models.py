"""Shared records: the access log of personal data and background jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class HistoryContext(models.Model):
    """Extra columns on every history row: where the change came from (see apps.core.history)."""

    ip_address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True, default="")

    class Meta:
        abstract = True


class AccessAction(models.TextChoices):
    REVEAL_CITIZEN_ID = "reveal_citizen_id", "查看身份证号明文"
    REVEAL_PHONE = "reveal_phone", "查看电话明文"
    EXPORT_MASKED = "export_masked", "导出（脱敏）"
    EXPORT_UNMASKED = "export_unmasked", "导出（明文）"
    IMPORT = "import", "导入"
    PRINT_LETTER = "print_letter", "打印介绍信（含身份证号）"


class AccessLog(models.Model):
    """One read or export of personal data: who, when, which record, from which address.

    Append-only: nothing in the product updates or deletes these rows.
    """

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField("操作", max_length=32, choices=AccessAction.choices, db_index=True)
    target_type = models.CharField("对象类型", max_length=64, blank=True, default="")
    target_id = models.BigIntegerField("对象编号", null=True, blank=True)
    target_label = models.CharField("对象", max_length=200, blank=True, default="")
    org_path = models.CharField("所属组织路径", max_length=255, blank=True, default="", db_index=True)
    ip_address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True, default="")
    detail = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = "个人信息访问日志"
        verbose_name_plural = verbose_name
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="core_access_target_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.target_label}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "处理中"
    READY = "ready", "待确认"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
    CANCELLED = "cancelled", "已取消"


class Job(models.Model):
    """A long piece of work (an import, an export) run in the background, with its progress.

    Only its creator sees it. `result` holds what the page shows (counts, row errors); files
    live under PRIVATE_ROOT and are served only to the creator.
    """

    kind = models.CharField("类型", max_length=40, db_index=True)
    step = models.CharField("步骤", max_length=20, default="run")
    status = models.CharField("状态", max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.CASCADE, related_name="jobs"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    total = models.PositiveIntegerField("总数", default=0)
    done = models.PositiveIntegerField("已处理", default=0)
    message = models.CharField("说明", max_length=500, blank=True, default="")
    params = models.JSONField("参数", default=dict, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    input_name = models.CharField("上传文件名", max_length=255, blank=True, default="")
    input_file = models.CharField("上传文件", max_length=255, blank=True, default="")
    output_file = models.CharField("结果文件", max_length=255, blank=True, default="")
    ip_address = models.GenericIPAddressField("来源地址", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind}#{self.pk}"

    @property
    def percent(self) -> int:
        if self.status in {JobStatus.DONE, JobStatus.READY}:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED, JobStatus.READY, JobStatus.CANCELLED}


class StoredUpload(models.Model):
    """The columns of a file kept by apps.core.uploads.store_upload: the name the user gave it, where it
    lies under the private root (a random name), its size and checked type. Modules add the record it
    belongs to."""

    name = models.CharField("文件名", max_length=200)
    path = models.CharField("存储位置", max_length=400, editable=False)
    size = models.PositiveIntegerField("大小")
    content_type = models.CharField("类型", max_length=120)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class WorkItemEvent(models.Model):
    """One move of a work item from state to state, written by apps.core.workflow.move."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    action = models.CharField("操作", max_length=40)
    from_state = models.CharField("原状态", max_length=30)
    to_state = models.CharField("新状态", max_length=30)
    note = models.CharField("说明", max_length=300, blank=True, default="")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "事项流转记录"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["content_type", "object_id"], name="core_workitem_target_idx")]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.from_state}→{self.to_state}"


class StatSnapshot(models.Model):
    """A figure of one organization's subtree as it stood in a month (the trend lines' past points).

    Written by apps.core.snapshots.take_snapshot (daily by the task queue, so the running month's row
    follows the records until the month ends and then stays as the month's value).
    """

    month = models.DateField("月份")
    org = models.ForeignKey(
        "orgs.Organization", verbose_name="党组织", on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField("指标", max_length=40)
    value = models.IntegerField("数值")
    taken_at = models.DateTimeField("统计时间", auto_now=True)

    class Meta:
        verbose_name = "统计快照"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["org", "code", "month"], name="core_snapshot_once")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.code} {self.month:%Y-%m} = {self.value}"


class Tally(models.Model):
    """Running counts per organization subtree (the figures the dashboard reads at province scale).

    On PostgreSQL, statement-level triggers on the member, dues-bill and unit tables append one
    grouped delta row per (subtree path, dimension, value) for every change, whatever made it (the
    ORM, a bulk import, COPY); `apps.core.tallies.compact` folds the deltas together from time to time.
    A figure is the sum of its rows, so it is always current. Other databases compute live instead.
    """

    source = models.CharField("来源", max_length=16)
    org_path = models.CharField("组织路径", max_length=255)
    dim = models.CharField("维度", max_length=32)
    value = models.CharField("取值", max_length=64)
    n = models.BigIntegerField("数量")
    amount = models.DecimalField("金额", max_digits=16, decimal_places=2, default=0)

    class Meta:
        verbose_name = "统计计数"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["source", "org_path", "dim"], name="core_tally_lookup")]

    def __str__(self) -> str:
        return f"{self.source} {self.org_path} {self.dim}={self.value}: {self.n}"
