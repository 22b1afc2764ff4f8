"""Meetings and other routine branch activities, attendance, and the cadence requirements (SPEC §3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class MeetingType(models.TextChoices):
    GENERAL_MEETING = "general_meeting", "支部党员大会"
    COMMITTEE_MEETING = "committee_meeting", "支委会"
    GROUP_MEETING = "group_meeting", "党小组会"
    PARTY_LECTURE = "party_lecture", "党课"
    THEME_DAY = "theme_day", "固定主题党日"
    ORG_LIFE = "org_life", "组织生活会"
    APPRAISAL = "appraisal", "民主评议党员"
    HEART_TALK = "heart_talk", "谈心谈话"
    TRAINING = "training", "党员教育培训"
    ELECTION = "election", "换届选举"
    PUBLICITY = "publicity", "党务公开"


class Cadence(models.TextChoices):
    MONTHLY = "monthly", "每月"
    BIMONTHLY = "bimonthly", "每两月"
    QUARTERLY = "quarterly", "每季度"
    HALFYEARLY = "halfyearly", "每半年"
    YEARLY = "yearly", "每年"


class RequirementSource(models.TextChoices):
    """What evidences a checklist item: held meetings of a type, or a check over other records
    (each a function registered in apps.core.rules_engine by the module that owns the records)."""

    MEETING = "meeting", "会议与活动记录"
    TRANSFERS = "transfers", "组织关系转接记录"
    RECORDS = "records", "党籍档案"
    DUES = "dues", "党费台账"
    DEVELOPMENT = "development", "发展党员记录"
    PIONEER = "pioneer", "先锋指数公示"
    ELECTION = "election", "换届记录"
    LEDGER = "ledger", "会议记录与附件"


class Requirement(models.Model):
    """One item of the routine-work checklist: what evidences it, how often, how many times.

    Data, not code: the zone's organization department edits cadences without a release.
    """

    item_no = models.PositiveSmallIntegerField("序号")
    name = models.CharField("工作事项", max_length=60)
    source = models.CharField(
        "佐证来源", max_length=16, choices=RequirementSource.choices, default=RequirementSource.MEETING
    )
    meeting_type = models.CharField(
        "对应活动", max_length=24, choices=MeetingType.choices, blank=True, default=""
    )
    cadence = models.CharField("周期", max_length=12, choices=Cadence.choices)
    times = models.PositiveSmallIntegerField("每周期次数", default=1)
    evidence = models.CharField("佐证材料", max_length=200, blank=True, default="")
    needs_committee = models.BooleanField("仅设支委会的支部", default=False)
    needs_groups = models.BooleanField("仅设党小组的支部", default=False)
    is_active = models.BooleanField("启用", default=True)
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
        verbose_name = "经常性工作要求"
        verbose_name_plural = verbose_name
        ordering = ["item_no", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting_type"],
                condition=models.Q(source="meeting"),
                name="meetings_requirement_one_per_type",
            ),
            models.UniqueConstraint(
                fields=["source"],
                condition=~models.Q(source="meeting"),
                name="meetings_requirement_one_per_check",
            ),
            models.CheckConstraint(
                condition=~models.Q(source="meeting") | ~models.Q(meeting_type=""),
                name="meetings_requirement_meeting_has_type",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "计划"
    HELD = "held", "已召开"
    CANCELLED = "cancelled", "已取消"


class Meeting(models.Model):
    """A meeting or routine activity of one organization, planned or held."""

    org = models.ForeignKey(
        "orgs.Organization", verbose_name="党组织", on_delete=models.PROTECT, related_name="meetings"
    )
    org_path = models.CharField("组织路径", max_length=255)
    meeting_type = models.CharField("类型", max_length=24, choices=MeetingType.choices)
    topic = models.CharField("主题", max_length=200)
    date = models.DateField("日期")
    start_time = models.TimeField("开始时间", null=True, blank=True)
    end_time = models.TimeField("结束时间", null=True, blank=True)
    place = models.CharField("地点", max_length=120, blank=True, default="")
    host = models.CharField("主持人", max_length=50, blank=True, default="")
    minutes = models.TextField("会议记录", blank=True, default="")
    status = models.CharField(
        "状态", max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    checkin_code = models.CharField("签到码", max_length=40, blank=True, default="", db_index=True)
    checkin_opens = models.DateTimeField("签到开始", null=True, blank=True)
    checkin_closes = models.DateTimeField("签到截止", null=True, blank=True)
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
        verbose_name = "会议与活动"
        verbose_name_plural = verbose_name
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["org", "meeting_type", "date"], name="meetings_org_type_date_idx"),
            # A month's meetings of a type across the zone, counted per branch from the index alone
            # (the dashboard's routine-work compliance).
            models.Index(
                fields=["date", "meeting_type", "org"],
                name="meetings_date_type_org",
                include=["org_path", "status"],
            ),
            models.Index(
                fields=["org_path"], name="meetings_path_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_meeting_type_display()} {self.date} {self.topic}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "出席"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"


class Attendance(models.Model):
    """Whether a member attended a meeting, and how it was recorded (QR sign-in or by the secretary)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField("状态", max_length=8, choices=AttendanceStatus.choices)
    reason = models.CharField("请假事由", max_length=200, blank=True, default="")
    via_qr = models.BooleanField("扫码签到", default=False)
    recorded_at = models.DateTimeField("记录时间", auto_now=True)

    class Meta:
        verbose_name = "出席记录"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="meetings_attendance_once")]
        indexes = [models.Index(fields=["member", "status"], name="meetings_att_member_idx")]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.member_id} {self.status}"


class MeetingAttachment(models.Model):
    """A file attached to a meeting (sign-in sheet, photos, minutes), stored outside the web root."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="attachments"
    )
    name = models.CharField("文件名", max_length=200)
    path = models.CharField("存储位置", max_length=255)
    size = models.PositiveIntegerField("大小")
    content_type = models.CharField("类型", max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "会议附件"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.name
