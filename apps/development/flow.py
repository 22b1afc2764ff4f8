"""The higher committee's approval of an admission (接收预备党员审批), on the work-item engine.

《中国共产党发展党员工作细则》 art. 24–25: after the branch meeting has voted, the branch reports to the
higher committee, which sends someone to talk with the candidate and approves collectively within
three months (six at most in special cases). The committee may send the case back with its reasons;
the branch then puts it to a new meeting.
"""

from __future__ import annotations

from apps.core.workflow import OPEN, RESOLVED, UNRESOLVED, Flow, State, Transition

APPROVAL_FLOW = Flow(
    name="admission_approval",
    states=(
        State("pending", "待上级党委审批", OPEN),
        State("approved", "已批准", RESOLVED),
        State("returned", "已退回支部", UNRESOLVED),
    ),
    transitions=(
        Transition("approve", "批准接收为预备党员", ("pending",), "approved"),
        Transition("return", "退回支部", ("pending",), "returned", needs_note=True),
    ),
)
