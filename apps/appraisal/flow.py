"""The secretaries' yearly report (书记抓党建述职) and its appraisal, on the work-item engine.

《中国共产党党委（党组）书记抓基层党建工作述职评议考核办法》: secretaries report on their party-building
work each year and the higher committee appraises it (好、较好、一般、差). The appraisal is due within
twenty working days of the report (a setting of the flow).
"""

from __future__ import annotations

from apps.core.workflow import OPEN, RESOLVED, Flow, State, Transition

APPRAISAL_WORKING_DAYS = 20

REPORT_FLOW = Flow(
    name="work_report",
    states=(
        State("submitted", "待上级党组织评议", OPEN, APPRAISAL_WORKING_DAYS),
        State("appraised", "已评议", RESOLVED),
    ),
    transitions=(Transition("appraise", "评议", ("submitted",), "appraised"),),
)
