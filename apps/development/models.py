"""Member development (发展党员): a person's way from applicant to full member, step by step (SPEC §4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from apps.development.flow import APPROVAL_FLOW


class Stage(models.TextChoices):
    APPLICANT = "applicant", "入党申请人"
    ACTIVIST = "activist", "入党积极分子"
    CANDIDATE = "candidate", "发展对象"
    PROBATIONARY = "probationary", "预备党员"
    FULL = "full", "正式党员"
    STOPPED = "stopped", "终止培养"


class Prospect(models.Model):
    """One person in the development pipeline of a branch, with the date and evidence of every step."""

    org = models.ForeignKey(
        "orgs.Organization", verbose_name="党支部", on_delete=models.PROTECT, related_name="prospects"
    )
    org_path = models.CharField("组织路径", max_length=255)
    name = models.CharField("姓名", max_length=50)
    citizen_id_encrypted = models.TextField("身份证号（加密）", editable=False)
    citizen_id_hash = models.CharField("身份证号摘要", max_length=64, unique=True, editable=False)
    citizen_id_last4 = models.CharField("身份证号后四位", max_length=4, editable=False)
    citizen_id_masked = models.CharField("身份证号（脱敏）", max_length=18, editable=False)
    gender = models.CharField("性别", max_length=6)
    birth_date = models.DateField("出生日期")
    phone = models.CharField("联系电话", max_length=20, blank=True, default="")
    work_unit = models.CharField("工作单位", max_length=120, blank=True, default="")
    stage = models.CharField("阶段", max_length=14, choices=Stage.choices, default=Stage.APPLICANT)

    application_date = models.DateField("递交入党申请日期")
    talk_date = models.DateField("谈话日期", null=True, blank=True)
    talk_by = models.CharField("谈话人", max_length=50, blank=True, default="")
    activist_date = models.DateField("确定积极分子日期", null=True, blank=True)
    contacts = models.ManyToManyField(
        "members.Member", verbose_name="培养联系人", blank=True, related_name="+"
    )
    candidate_date = models.DateField("确定发展对象日期", null=True, blank=True)
    political_review_date = models.DateField("政治审查日期", null=True, blank=True)
    training_hours = models.PositiveSmallIntegerField("集中培训学时", default=0)
    introducers = models.ManyToManyField(
        "members.Member", verbose_name="入党介绍人", blank=True, related_name="+"
    )
    publicity_start = models.DateField("公示开始日期", null=True, blank=True)
    publicity_end = models.DateField("公示结束日期", null=True, blank=True)
    meeting_date = models.DateField("支部大会日期", null=True, blank=True)
    vote_eligible = models.PositiveSmallIntegerField("应到有表决权党员", null=True, blank=True)
    vote_present = models.PositiveSmallIntegerField("实到有表决权党员", null=True, blank=True)
    vote_yes = models.PositiveSmallIntegerField("赞成票", null=True, blank=True)
    approval_date = models.DateField("上级党委审批日期", null=True, blank=True)
    member = models.OneToOneField(
        "members.Member",
        verbose_name="党员档案",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="prospect",
    )
    extension_months = models.PositiveSmallIntegerField("延长预备期（月）", default=0)
    full_date = models.DateField("转正日期", null=True, blank=True)
    stopped_reason = models.CharField("终止原因", max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "发展对象记录"
        verbose_name_plural = verbose_name
        ordering = ["org_path", "stage", "application_date"]
        indexes = [
            models.Index(fields=["org_path"], name="development_path_pfx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["stage"], name="development_stage_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_stage_display()}）"


class StepLog(models.Model):
    """Who recorded which step, when, with what evidence note."""

    prospect = models.ForeignKey(
        Prospect, verbose_name="发展对象", on_delete=models.CASCADE, related_name="steps"
    )
    step = models.CharField("步骤", max_length=30)
    on = models.DateField("日期")
    note = models.CharField("说明", max_length=300, blank=True, default="")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "发展步骤记录"
        verbose_name_plural = verbose_name
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.prospect_id} {self.step} {self.on}"


class AdmissionApproval(models.Model):
    """A work item for the higher committee: the branch's vote to admit a candidate, awaiting approval.

    `org` is the approving committee (the nearest committee above the branch), so its queue and
    alerts follow its scope; `due_date` is three months after the branch meeting.
    """

    prospect = models.ForeignKey(
        Prospect, verbose_name="发展对象", on_delete=models.CASCADE, related_name="approvals"
    )
    org = models.ForeignKey(
        "orgs.Organization", verbose_name="审批党委", on_delete=models.PROTECT, related_name="+"
    )
    org_path = models.CharField("审批党委路径", max_length=255)
    state = models.CharField("状态", max_length=10, choices=APPROVAL_FLOW.choices(), default="pending")
    due_date = models.DateField("审批期限", null=True, blank=True)
    meeting_date = models.DateField("支部大会日期")
    decided_on = models.DateField("审批日期", null=True, blank=True)
    note = models.CharField("审批意见", max_length=300, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("报送时间", auto_now_add=True)

    class Meta:
        verbose_name = "接收预备党员审批"
        verbose_name_plural = verbose_name
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["prospect"],
                condition=models.Q(state="pending"),
                name="development_one_pending_approval",
            )
        ]
        indexes = [
            models.Index(
                fields=["org_path"], name="development_appr_path_pfx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["state", "due_date"], name="development_appr_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.prospect_id} {self.state}"
