from __future__ import annotations

from django import forms

from apps.core.forms import DateInput
from apps.dues.models import DuesCategory, PaymentMethod
from apps.orgs.forms import bootstrapify


class BaseForm(forms.Form):
    category = forms.ChoiceField(label="缴费类别", choices=DuesCategory.choices)
    base = forms.DecimalField(
        label="月缴费基数（税后月收入，元）", max_digits=12, decimal_places=2, min_value=0
    )
    effective_from = forms.DateField(label="起始月份", widget=DateInput())
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label="缴纳金额（元）", max_digits=10, decimal_places=2)
    method = forms.ChoiceField(label="缴纳方式", choices=PaymentMethod.choices)
    paid_on = forms.DateField(label="缴纳日期", widget=DateInput())
    reference = forms.CharField(label="凭证号", max_length=64, required=False)
    token = forms.CharField(widget=forms.HiddenInput)


class RebateForm(forms.Form):
    year = forms.IntegerField(label="年度")
    amount = forms.DecimalField(label="拨返金额（元）", max_digits=12, decimal_places=2)
    granted_on = forms.DateField(label="拨返日期", widget=DateInput())
    note = forms.CharField(label="说明", max_length=200, required=False)


class SpendingForm(forms.Form):
    amount = forms.DecimalField(label="支出金额（元）", max_digits=12, decimal_places=2)
    spent_on = forms.DateField(label="支出日期", widget=DateInput())
    purpose = forms.CharField(label="用途", max_length=200)
