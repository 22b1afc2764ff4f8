"""Dues: each member's base over time, monthly bills, payments and rebates (SPEC §6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DuesCategory(models.TextChoices):
    EMPLOYED = "employed", "按月领取工资"
    RETIRED = "retired", "离退休"
    FARMER = "farmer", "农民"
    STUDENT = "student", "学生"
    UNEMPLOYED = "unemployed", "下岗失业"
    LOW_INCOME = "low_income", "领取低保/依靠救济"


class DuesBase(models.Model):
    """The member's monthly dues base (after-tax monthly income) and category from a month on."""

    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.CASCADE, related_name="dues_bases"
    )
    category = models.CharField("缴费类别", max_length=16, choices=DuesCategory.choices)
    base = models.DecimalField("缴费基数（元/月）", max_digits=12, decimal_places=2)
    effective_from = models.DateField("起始月份")
    note = models.CharField("说明", max_length=200, blank=True, default="")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核定人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField("核定时间", auto_now_add=True)

    class Meta:
        verbose_name = "党费基数"
        verbose_name_plural = verbose_name
        ordering = ["member", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["member", "effective_from"], name="dues_base_one_per_month"),
            models.CheckConstraint(
                condition=models.Q(base__gte=0),
                name="dues_base_not_negative",
                violation_error_message="缴费基数不能为负数",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.effective_from:%Y-%m} {self.base}"


class BillStatus(models.TextChoices):
    UNPAID = "unpaid", "未缴"
    PAID = "paid", "已缴"


class DuesBill(models.Model):
    """One member's dues for one month, fixed when the bill is generated."""

    member = models.ForeignKey(
        "members.Member", verbose_name="党员", on_delete=models.CASCADE, related_name="dues_bills"
    )
    month = models.DateField("月份")
    org = models.ForeignKey(
        "orgs.Organization", verbose_name="党组织", on_delete=models.PROTECT, related_name="+"
    )
    org_path = models.CharField("组织路径", max_length=255)
    category = models.CharField("缴费类别", max_length=16, choices=DuesCategory.choices)
    base = models.DecimalField("缴费基数", max_digits=12, decimal_places=2)
    amount = models.DecimalField("应缴金额", max_digits=10, decimal_places=2)
    status = models.CharField("状态", max_length=8, choices=BillStatus.choices, default=BillStatus.UNPAID)
    paid_amount = models.DecimalField("实缴金额", max_digits=10, decimal_places=2, default=0)
    paid_on = models.DateField("缴纳日期", null=True, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "党费账单"
        verbose_name_plural = verbose_name
        ordering = ["-month", "member_id"]
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="dues_bill_one_per_month")]
        indexes = [
            # month equality then org_path LIKE prefix: the path needs the pattern operator class on PostgreSQL
            models.Index(
                fields=["month", "org_path"],
                name="dues_bill_month_path_idx",
                opclasses=["date_ops", "varchar_pattern_ops"],
            ),
            models.Index(fields=["member", "status", "month"], name="dues_bill_member_status_idx"),
            models.Index(fields=["status", "month"], name="dues_bill_status_month_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m} {self.amount}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", "现金"
    TRANSFER = "transfer", "转账"
    ONLINE = "online", "线上支付"


class DuesPayment(models.Model):
    """The payment of one bill. A bill has at most one payment; the token makes a resubmission harmless."""

    bill = models.OneToOneField(
        DuesBill, verbose_name="账单", on_delete=models.PROTECT, related_name="payment"
    )
    amount = models.DecimalField("金额", max_digits=10, decimal_places=2)
    method = models.CharField("方式", max_length=10, choices=PaymentMethod.choices)
    paid_on = models.DateField("缴纳日期")
    reference = models.CharField("凭证号", max_length=64, blank=True, default="")
    token = models.CharField("提交标识", max_length=64, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "党费缴纳记录"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.bill_id} {self.amount}"


class DuesRebate(models.Model):
    """Dues returned to a grassroots organization (党费拨返) for its work."""

    org = models.ForeignKey(
        "orgs.Organization", verbose_name="党组织", on_delete=models.PROTECT, related_name="dues_rebates"
    )
    year = models.PositiveSmallIntegerField("年度")
    amount = models.DecimalField("拨返金额", max_digits=12, decimal_places=2)
    granted_on = models.DateField("拨返日期")
    note = models.CharField("说明", max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "党费拨返"
        verbose_name_plural = verbose_name
        ordering = ["-granted_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="dues_rebate_positive")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year} {self.amount}"


class RebateSpending(models.Model):
    """How a rebate was spent."""

    rebate = models.ForeignKey(
        DuesRebate, verbose_name="拨返", on_delete=models.PROTECT, related_name="spendings"
    )
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2)
    spent_on = models.DateField("支出日期")
    purpose = models.CharField("用途", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "拨返经费使用"
        verbose_name_plural = verbose_name
        ordering = ["-spent_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="dues_spending_positive")
        ]

    def __str__(self) -> str:
        return f"{self.rebate_id} {self.amount}"
