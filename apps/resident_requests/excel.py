"""The request ledger as Excel (phones masked)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone

from apps.core.excel import safe_cell, write_rows
from apps.resident_requests.flow import REQUEST_FLOW

HEADERS = [
    "受理编号", "受理日期", "来源渠道", "类别", "标题", "诉求人", "联系电话", "地址", "片区/社区",
    "承办部门", "状态", "办理期限", "督办等级", "答复时间", "办结日期", "满意度",
]  # fmt: skip
WIDTHS = [16, 12, 12, 10, 30, 10, 14, 28, 14, 16, 12, 12, 8, 18, 12, 8]


def export_requests(qs: Any, path: Path) -> int:
    rows = (
        [
            r.receipt_code,
            r.received_on,
            r.get_channel_display(),
            r.get_category_display(),
            safe_cell(r.title),
            safe_cell(r.submitter_name),
            r.phone_masked,
            safe_cell(r.address),
            r.zone.name if r.zone else "",
            r.department.name if r.department else "",
            REQUEST_FLOW.state(r.state).label,
            r.due_date,
            r.escalation_level or "",
            f"{timezone.localtime(r.replied_at):%Y-%m-%d %H:%M}" if r.replied_at else "",
            r.closed_on,
            r.rating or "",
        ]
        for r in qs.select_related("department", "zone").iterator(chunk_size=2000)
    )
    return write_rows(path, title="民情诉求", headers=HEADERS, rows=rows, widths=WIDTHS)
