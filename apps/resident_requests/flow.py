"""The flows of resident requests (民情诉求) and of the parts of a work order (工作联系单), declared once
for the work-item engine (apps.core.workflow).

A request waits one working day to be routed; once routed, the department has the working days its
category allows (apps.resident_requests.models.CategoryRule), counted on the Chinese calendar, and keeps
that deadline while it handles the request. A replied request waits for the resident's rating and
closes by itself after RATING_WAIT_DAYS. A request that needs several departments becomes a work order
whose parts run on their own small flow; when every part is done the lead department sends the
combined reply.
"""

from __future__ import annotations

from apps.core.workflow import OPEN, RESOLVED, UNRESOLVED, Flow, State, Transition

ROUTE_WORKING_DAYS = 1

REQUEST_FLOW = Flow(
    name="resident_request",
    states=(
        State("submitted", "待分派", OPEN, ROUTE_WORKING_DAYS),
        State("routed", "已分派待受理", OPEN),
        State("handling", "办理中", OPEN),
        State("work_order", "联系单办理中", OPEN),
        State("replied", "已答复", OPEN),
        State("closed", "已办结", RESOLVED),
        State("rejected", "不予受理", UNRESOLVED),
    ),
    transitions=(
        Transition("route", "分派", ("submitted",), "routed"),
        Transition("accept", "受理", ("routed",), "handling"),
        Transition("return", "退回重新分派", ("routed", "handling"), "submitted", needs_note=True),
        Transition("reject", "不予受理", ("submitted",), "rejected", needs_note=True),
        Transition("to_work_order", "转为工作联系单", ("submitted", "routed", "handling"), "work_order"),
        Transition("reply", "答复", ("handling", "work_order"), "replied"),
        Transition("rate", "群众评价", ("replied",), "closed"),
        Transition("close", "办结", ("replied",), "closed"),
    ),
)

# States in which somebody owes the resident an answer (so a passed deadline is overdue).
WAITING_STATES = ("submitted", "routed", "handling", "work_order")
OPEN_STATES = (*WAITING_STATES, "replied")
CLOSED_STATES = ("closed", "rejected")

# What a resident reads on the tracking page: no staff names, no internal wording.
PUBLIC_LABELS = {
    "submit": "诉求已受理登记",
    "route": "已转交职能部门",
    "accept": "部门正在办理",
    "return": "重新分派中",
    "reject": "不予受理",
    "to_work_order": "多部门联合办理",
    "reply": "已答复",
    "rate": "您已评价",
    "close": "已办结",
    "escalate": "已督办",
}
PUBLIC_STATES = {
    "submitted": "已登记，待分派",
    "routed": "已转交职能部门",
    "handling": "办理中",
    "work_order": "多部门联合办理中",
    "replied": "已答复，待您评价",
    "closed": "已办结",
    "rejected": "不予受理",
}

PART_FLOW = Flow(
    name="work_order_part",
    states=(
        State("pending", "待签收", OPEN),
        State("working", "办理中", OPEN),
        State("done", "已完成", RESOLVED),
        State("returned", "已退回", UNRESOLVED),
    ),
    transitions=(
        Transition("sign", "签收", ("pending",), "working"),
        Transition("complete", "办结", ("working",), "done"),
        Transition("return", "退回", ("pending", "working"), "returned", needs_note=True),
        Transition("reopen", "重新交办", ("returned",), "pending"),
    ),
)
PART_OPEN_STATES = ("pending", "working")

ESCALATE_LABEL = "超期督办"
