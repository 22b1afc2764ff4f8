"""The transfer flow (组织关系转接), declared once for the work-item engine.

组通字〔2006〕45号 and 《中国共产党党员教育管理工作条例》(2019) art. 31–33: the sending organization
issues a numbered introduction letter; the receiving organization returns the receipt (回执); until
then the sending side stays responsible. The days allowed for the receipt are a setting.
"""

from __future__ import annotations

from django.conf import settings

from apps.core.workflow import OPEN, RESOLVED, UNRESOLVED, Flow, State, Transition

RECEIPT_WORKING_DAYS = int(getattr(settings, "XF_TRANSFER_RECEIPT_DAYS", 20))
ISSUE_WORKING_DAYS = 5

TRANSFER_FLOW = Flow(
    name="transfer",
    states=(
        State("requested", "待开具介绍信", OPEN, ISSUE_WORKING_DAYS),
        State("issued", "已开具，待回执", OPEN, RECEIPT_WORKING_DAYS),
        State("completed", "已完成", RESOLVED),
        State("returned", "已退回", UNRESOLVED),
        State("cancelled", "已撤销", UNRESOLVED),
    ),
    transitions=(
        Transition("issue", "开具介绍信", ("requested",), "issued"),
        Transition("receive", "确认接收", ("issued",), "completed"),
        Transition("receive_in", "确认转入", ("requested",), "completed"),
        Transition("confirm_receipt", "登记回执", ("issued",), "completed"),
        Transition("return", "退回", ("issued",), "returned", needs_note=True),
        Transition("cancel", "撤销", ("requested",), "cancelled", needs_note=True),
    ),
)
OPEN_STATES = ("requested", "issued")
