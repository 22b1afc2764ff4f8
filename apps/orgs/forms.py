from __future__ import annotations

from typing import TypeVar

from django import forms

from apps.core.forms import DateInput
from apps.orgs.choices import CommitteeRole, FormationMode, OrgType, UnitKind

F = TypeVar("F", bound=forms.Form)


class OrgForm(forms.Form):
    name = forms.CharField(label="组织名称", max_length=120)
    short_name = forms.CharField(label="简称", max_length=60, required=False)
    org_type = forms.ChoiceField(label="组织类别", choices=OrgType.choices)
    unit_kind = forms.ChoiceField(label="所在单位类型", choices=UnitKind.choices)
    unit_name = forms.CharField(label="所在单位", max_length=120, required=False)
    founded_on = forms.DateField(label="成立日期", required=False, widget=DateInput())
    formation_mode = forms.ChoiceField(label="组建方式", choices=FormationMode.choices)
    last_election_on = forms.DateField(label="最近换届日期", required=False, widget=DateInput())
    end_date = forms.DateField(label="期满日期（临时党支部）", required=False, widget=DateInput())
    star_rating = forms.TypedChoiceField(
        label="星级",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "未评定")] + [(i, f"{i}星") for i in range(1, 6)],
    )
    is_demonstration = forms.BooleanField(label="党建示范点", required=False)
    is_strongest_branch = forms.BooleanField(label="最强党支部", required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    address = forms.CharField(label="地址", max_length=200, required=False)
    reason = forms.CharField(label="修改原因", max_length=200, required=False)


class MoveForm(forms.Form):
    new_parent = forms.IntegerField(
        label="新的上级组织", widget=forms.HiddenInput, error_messages={"required": "请选择新的上级组织"}
    )
    effective_on = forms.DateField(label="生效日期", widget=DateInput())
    reason = forms.CharField(label="调整原因", max_length=200)


class CommitteeForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    role = forms.ChoiceField(label="职务", choices=CommitteeRole.choices)
    term_start = forms.DateField(label="任期开始", widget=DateInput())
    term_end = forms.DateField(label="任期结束", required=False, widget=DateInput())


class EndTermForm(forms.Form):
    term_end = forms.DateField(label="任期结束", widget=DateInput())


def bootstrapify(form: F) -> F:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control")
    return form
