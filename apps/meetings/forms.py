from __future__ import annotations

from django import forms

from apps.core.forms import DateInput
from apps.meetings.models import MeetingType
from apps.orgs.forms import bootstrapify


class TimeInput(forms.TimeInput):
    input_type = "time"


class MeetingForm(forms.Form):
    meeting_type = forms.ChoiceField(label="类型", choices=MeetingType.choices)
    topic = forms.CharField(label="主题", max_length=200)
    date = forms.DateField(label="日期", widget=DateInput())
    start_time = forms.TimeField(label="开始时间", required=False, widget=TimeInput(format="%H:%M"))
    end_time = forms.TimeField(label="结束时间", required=False, widget=TimeInput(format="%H:%M"))
    place = forms.CharField(label="地点", max_length=120, required=False)
    host = forms.CharField(label="主持人", max_length=50, required=False)
    minutes = forms.CharField(label="会议记录", required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        bootstrapify(self)


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件（PDF、图片、Word、Excel，不超过10MB）")
