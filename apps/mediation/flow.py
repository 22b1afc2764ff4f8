"""The mediation case flow and the judicial-confirmation flow, declared once for the work-item engine.

收案 → 受理 (or 不予受理 with a reason) → 分派调解员 → 调解中 (sessions) → 调解成功 (agreement) / 调解不成;
a case may be withdrawn while open. The deadline of each stage is the institution's own limit in
working days (Institution.limit_*), so the flow passes `due=` to the engine instead of a fixed number.

Judicial confirmation (司法确认, 《人民调解法》第三十三条): the parties apply jointly within 30 days of the
agreement taking effect; the court decides whether to accept within 3 days and then confirms the
agreement or rejects the application.
"""

from __future__ import annotations

from apps.core.workflow import OPEN, RESOLVED, UNRESOLVED, Flow, State, Transition

CASE_FLOW = Flow(
    name="mediation",
    states=(
        State("received", "已收案，待受理", OPEN),
        State("accepted", "已受理，待分派", OPEN),
        State("mediating", "调解中", OPEN),
        State("success", "调解成功", RESOLVED),
        State("failure", "调解不成", UNRESOLVED),
        State("rejected", "不予受理", UNRESOLVED),
        State("withdrawn", "已撤回", UNRESOLVED),
    ),
    transitions=(
        Transition("accept", "受理", ("received",), "accepted"),
        Transition("reject", "不予受理", ("received",), "rejected", needs_note=True),
        Transition("assign", "分派调解员", ("accepted", "mediating"), "mediating"),
        Transition("session", "记录调解", ("mediating",), "mediating"),
        Transition("succeed", "调解成功结案", ("mediating",), "success"),
        Transition("fail", "调解不成结案", ("mediating",), "failure", needs_note=True),
        Transition("withdraw", "撤回", ("received", "accepted", "mediating"), "withdrawn", needs_note=True),
    ),
)
OPEN_STATES = ("received", "accepted", "mediating")
MEDIATED_STATES = ("success", "failure")

JUDICIAL_APPLY_DAYS = 30  # calendar days after the agreement takes effect (人民调解法 第三十三条)
COURT_ACCEPT_WORKING_DAYS = 3

JUDICIAL_FLOW = Flow(
    name="judicial",
    states=(
        State("applied", "已申请，待法院受理", OPEN, COURT_ACCEPT_WORKING_DAYS),
        State("accepted", "法院已受理", OPEN),
        State("confirmed", "已确认有效", RESOLVED),
        State("rejected", "驳回申请", UNRESOLVED),
    ),
    transitions=(
        Transition("court_accept", "法院受理", ("applied",), "accepted"),
        Transition("confirm", "裁定确认有效", ("applied", "accepted"), "confirmed"),
        Transition("dismiss", "裁定驳回申请", ("applied", "accepted"), "rejected", needs_note=True),
    ),
)
