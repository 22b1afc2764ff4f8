from __future__ import annotations

from django import forms

from apps.core.forms import DateInput
from apps.members.choices import ETHNICITIES, Education, MemberCategory
from apps.orgs.forms import bootstrapify


class MemberForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=30)
    citizen_id = forms.CharField(
        label="身份证号", max_length=18, help_text="18位，性别与出生日期由身份证号自动得出"
    )
    ethnicity = forms.ChoiceField(label="民族", choices=[(e, e) for e in ETHNICITIES], initial="汉族")
    education = forms.ChoiceField(label="学历", choices=[("", "—"), *list(Education.choices)], required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    org = forms.IntegerField(
        label="所在党组织", widget=forms.HiddenInput, error_messages={"required": "请选择所在党组织"}
    )
    work_unit = forms.CharField(label="工作单位", max_length=120, required=False)
    position = forms.CharField(label="职务", max_length=60, required=False)
    application_date = forms.DateField(label="申请入党日期", required=False, widget=DateInput())
    activist_date = forms.DateField(label="确定积极分子日期", required=False, widget=DateInput())
    candidate_date = forms.DateField(label="确定发展对象日期", required=False, widget=DateInput())
    admission_date = forms.DateField(label="入党日期", widget=DateInput())
    full_membership_date = forms.DateField(
        label="转正日期", required=False, widget=DateInput(), help_text="预备党员留空"
    )
    category = forms.ChoiceField(
        label="党员类别", choices=MemberCategory.choices, initial=MemberCategory.EMPLOYED
    )
    reason = forms.CharField(label="修改原因", max_length=200, required=False)

    def __init__(self, *args, editing: bool = False, groups: list | None = None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if groups:
            # Groups of the member's current branch; after a change of branch the group is cleared.
            self.fields["party_group"] = forms.TypedChoiceField(
                label="党小组",
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", "—")] + [(g.pk, g.name) for g in groups],
            )
        if not editing:
            del self.fields["reason"]
        else:
            # Category changes go through their own action, which records the date and reason.
            del self.fields["category"]
        bootstrapify(self)


class MakeFullForm(forms.Form):
    on = forms.DateField(label="转正日期", widget=DateInput())
    reason = forms.CharField(label="说明", max_length=200, required=False)


class CategoryForm(forms.Form):
    category = forms.ChoiceField(label="新的党员类别", choices=MemberCategory.choices)
    on = forms.DateField(label="变更日期", widget=DateInput())
    reason = forms.CharField(label="变更原因", max_length=200)


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")


class ExportForm(forms.Form):
    unmasked = forms.BooleanField(label="导出明文身份证号和电话（将记入访问日志）", required=False)
