"""Every change to a request or a work order: access check → lock → validate → write → history.

Residents submit without a login through `submit_public` (human check, one row per form however often
it is posted); staff take hotline calls and liaisons submit for their households through
`submit_staff`. The zone routes each request to a department, whose staff accept, handle and reply;
the resident rates the reply, or it closes by itself after RATING_WAIT_DAYS. Overdue items are
escalated daily by `escalate_overdue`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.http import Http404
from django.utils import timezone

from apps.core.audit import log_access
from apps.core.calendar import add_working_days, working_days_between
from apps.core.errors import ConflictError, DomainError
from apps.core.identity import normalize_phone
from apps.core.models import AccessAction, WorkItemEvent
from apps.core.public import normalise_receipt, receipt_code, verify_challenge
from apps.core.uploads import StoredFile, store_upload
from apps.core.workflow import move, start
from apps.resident_requests import selectors
from apps.resident_requests.choices import (
    ATTACHMENT_MAX_BYTES,
    CONTENT_MAX,
    MAX_ATTACHMENTS,
    RATING_WAIT_DAYS,
    REPLY_MAX,
    TITLE_MAX,
    Category,
    Channel,
)
from apps.resident_requests.flow import PART_FLOW, PART_OPEN_STATES, REQUEST_FLOW, WAITING_STATES
from apps.resident_requests.models import (
    CategoryRule,
    Department,
    RequestAttachment,
    ResidentRequest,
    WorkOrder,
    WorkOrderPart,
    WorkOrderState,
)

DEFAULT_WORKING_DAYS = 5
# Files one request may carry in all (the resident's up to MAX_ATTACHMENTS and the staff's).
STAFF_ATTACHMENTS_MAX = 10
UPLOAD_FOLDER = "requests"


# ---------------------------------------------------------------- input


def _text(values: dict[str, Any], key: str, label: str, max_len: int, *, required: bool = True) -> str:
    value = str(values.get(key) or "").strip()
    if required and not value:
        raise DomainError(f"request.{key}_required", f"请填写{label}", field=key)
    if len(value) > max_len:
        raise DomainError(f"request.{key}_too_long", f"{label}不能超过{max_len}个字", field=key)
    return value


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """The resident's fields, checked: bounded text, a valid phone, a known category."""
    name = _text(values, "submitter_name", "姓名", 50)
    phone = normalize_phone(str(values.get("submitter_phone") or ""), field="submitter_phone")
    if not phone:
        raise DomainError("request.phone_required", "请填写联系电话，便于答复", field="submitter_phone")
    category = str(values.get("category") or "")
    if category not in Category.values:
        raise DomainError("request.category", "请选择诉求类别", field="category")
    return {
        "submitter_name": name,
        "submitter_phone": phone,
        "address": _text(values, "address", "地址", 160, required=False),
        "category": category,
        "title": _text(values, "title", "标题", TITLE_MAX),
        "content": _text(values, "content", "诉求内容", CONTENT_MAX),
    }


def _zone(values: dict[str, Any]) -> Any:
    from apps.grid.models import Zone

    raw = str(values.get("zone") or "")
    if not raw:
        return None
    zone = Zone.objects.filter(pk=int(raw), is_active=True).first() if raw.isdigit() else None
    if zone is None:
        raise DomainError("request.zone", "所选社区不存在", field="zone")
    return zone


def _store_files(files: Sequence[Any]) -> list[StoredFile]:
    """Checks every file before keeping any: one refused file refuses the whole submission."""
    files = [f for f in files if f is not None and bool(getattr(f, "name", None))]
    if len(files) > MAX_ATTACHMENTS:
        raise DomainError("request.too_many_files", f"最多上传{MAX_ATTACHMENTS}个附件", field="file")
    stored: list[StoredFile] = []
    try:
        for upload in files:
            stored.append(store_upload(upload, folder=UPLOAD_FOLDER, max_bytes=ATTACHMENT_MAX_BYTES))
    except DomainError:
        _discard(stored)
        raise
    return stored


def _discard(stored: Iterable[StoredFile]) -> None:
    for f in stored:
        Path(f.path).unlink(missing_ok=True)


def _attach(request: ResidentRequest, stored: Iterable[StoredFile]) -> None:
    RequestAttachment.objects.bulk_create(
        [
            RequestAttachment(
                request=request, name=f.name, path=f.path, size=f.size, content_type=f.content_type
            )
            for f in stored
        ]
    )


def _new_request(fields: dict[str, Any], actor: Any, on: dt.date) -> ResidentRequest:
    """Creates the row with a fresh receipt code (a collision of random codes is retried)."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                request = ResidentRequest.objects.create(
                    receipt_code=receipt_code("SQ"),
                    state="submitted",
                    due_date=add_working_days(on, 1),
                    received_on=on,
                    created_by_id=getattr(actor, "pk", None),
                    **fields,
                )
                start(request, REQUEST_FLOW, actor=actor)
                return request
        except IntegrityError:
            if (
                fields.get("submission_key")
                and ResidentRequest.objects.filter(submission_key=fields["submission_key"]).exists()
            ):
                raise
            continue
    raise ConflictError("request.code", "生成受理编号失败，请重试")


# ---------------------------------------------------------------- submission


def submit_public(
    *,
    values: dict[str, Any],
    files: Sequence[Any] = (),
    token: str,
    answer: str,
    trap: str = "",
    actor: Any = None,
) -> tuple[ResidentRequest, bool]:
    """A resident's request from the public form. Returns (request, created): a form posted twice
    returns the row stored the first time, with created False. A logged-in resident (`actor`) finds
    the request among their own afterwards."""
    if trap.strip():
        # The hidden field only a robot fills in: refuse without saying why.
        raise DomainError("public.rejected", "提交未通过校验，请刷新页面后重试")
    nonce = verify_challenge(token, answer)
    existing = ResidentRequest.objects.filter(submission_key=nonce).first()
    if existing is not None:
        return existing, False
    fields = _clean(values)
    zone = _zone(values)
    stored = _store_files(files)
    fields.update(
        channel=Channel.PUBLIC, zone=zone, org_path=zone.org_path if zone else "", submission_key=nonce
    )
    try:
        with transaction.atomic():
            request = _new_request(fields, actor, timezone.localdate())
            _attach(request, stored)
    except IntegrityError:
        _discard(stored)
        existing = ResidentRequest.objects.filter(submission_key=nonce).first()
        if existing is None:
            raise
        return existing, False
    except BaseException:
        _discard(stored)
        raise
    return request, True


@transaction.atomic
def submit_staff(
    *,
    actor: Any,
    channel: str,
    values: dict[str, Any],
    files: Sequence[Any] = (),
    household_id: int | None = None,
    visit_id: int | None = None,
    on: dt.date | None = None,
) -> ResidentRequest:
    """A request taken by staff: from the hotline or a visit, or by a liaison for a household. A
    request raised from a visit-log entry (`visit_id`, of the same household) records that visit."""
    if channel not in Channel.values or channel == Channel.PUBLIC:
        raise DomainError("request.channel", "请选择来源渠道", field="channel")
    household = selectors.access_household(actor, household_id) if household_id else None
    visit = selectors.visit_of(household, visit_id) if visit_id else None
    if visit_id and visit is None:
        raise DomainError("request.visit", "该走访记录不属于所选住户", field="visit")
    if household is None and channel == Channel.LIAISON:
        raise DomainError("request.household", "代办诉求须选择住户", field="household")
    if household is None and not (selectors.is_manager(actor) or selectors.department_ids(actor)):
        raise Http404
    values = dict(values)
    if household is not None:
        values["submitter_name"] = values.get("submitter_name") or household.head_name
        values["submitter_phone"] = values.get("submitter_phone") or household.phone
        values["address"] = values.get("address") or household.address
    fields = _clean(values)
    zone = household.zone if household is not None else _zone(values)
    org_path = household.org_path if household is not None else (zone.org_path if zone else "")
    stored = _store_files(files)
    try:
        request = _new_request(
            {
                **fields,
                "channel": channel,
                "household": household,
                "zone": zone,
                "org_path": org_path,
                "visit": visit,
            },
            actor,
            on or timezone.localdate(),
        )
        _attach(request, stored)
    except BaseException:
        _discard(stored)
        raise
    return request


@transaction.atomic
def add_attachments(*, actor: Any, request_id: int, files: Sequence[Any]) -> list[RequestAttachment]:
    """Staff who may act on an open request add files to it (photos of the site, a signed reply…)."""
    request = _locked(actor, request_id)
    if not selectors.may_act_on(actor, request):
        raise DomainError("request.forbidden", "只有诉求管理员和承办部门可以上传附件", status=403)
    if request.state in ("closed", "rejected"):
        raise DomainError("request.closed", "诉求已办结，不能再上传附件", status=409)
    files = [f for f in files if f is not None and bool(getattr(f, "name", None))]
    if not files:
        raise DomainError("request.file_required", "请选择要上传的文件", field="file")
    if request.attachments.count() + len(files) > STAFF_ATTACHMENTS_MAX:
        raise DomainError(
            "request.too_many_files", f"每件诉求最多{STAFF_ATTACHMENTS_MAX}个附件", field="file"
        )
    stored: list[StoredFile] = []
    try:
        for upload in files:
            stored.append(store_upload(upload, folder=UPLOAD_FOLDER, max_bytes=ATTACHMENT_MAX_BYTES))
        _attach(request, stored)
    except BaseException:
        _discard(stored)
        raise
    return list(request.attachments.order_by("-id")[: len(stored)])[::-1]


# ---------------------------------------------------------------- the request flow


def _locked(actor: Any, request_id: int) -> ResidentRequest:
    return selectors.access_request(actor, request_id, lock=True)


def require_manager(actor: Any) -> None:
    if not selectors.is_manager(actor):
        raise DomainError("request.forbidden", "只有街道（开发区）诉求管理员可以分派或处理此操作", status=403)


def _require_department(actor: Any, request: ResidentRequest) -> None:
    if not (
        getattr(actor, "is_superuser", False) or selectors.may_act_as_department(actor, request.department_id)
    ):
        raise DomainError("request.forbidden", "只有承办部门的工作人员可以办理", status=403)


def rule_for(category: str) -> CategoryRule | None:
    return CategoryRule.objects.select_related("department").filter(category=category).first()


def deadline_for(category: str, on: dt.date) -> dt.date:
    """The handling deadline of a request of `category` routed on `on`, in working days."""
    rule = rule_for(category)
    return add_working_days(on, rule.working_days if rule else DEFAULT_WORKING_DAYS)


@transaction.atomic
def route(
    *, actor: Any, request_id: int, department_id: int | None, note: str = "", on: dt.date | None = None
) -> ResidentRequest:
    """The zone routes a request to a department; the deadline is the category's working days."""
    require_manager(actor)
    request = _locked(actor, request_id)
    department = (
        Department.objects.filter(pk=department_id, is_active=True).first() if department_id else None
    )
    if department is None:
        raise DomainError("request.department", "请选择承办部门", field="department")
    day = on or timezone.localdate()
    move(request, REQUEST_FLOW, "route", actor=actor, note=note or f"分派至{department.name}", on=day,
         due=deadline_for(request.category, day))  # fmt: skip
    request.department = department
    request.escalation_level = 0
    request.save(update_fields=["state", "due_date", "department", "escalation_level"])
    return request


@transaction.atomic
def accept(*, actor: Any, request_id: int, on: dt.date | None = None) -> ResidentRequest:
    request = _locked(actor, request_id)
    _require_department(actor, request)
    move(request, REQUEST_FLOW, "accept", actor=actor, on=on, due=request.due_date)
    request.save(update_fields=["state", "due_date"])
    return request


@transaction.atomic
def return_request(*, actor: Any, request_id: int, reason: str) -> ResidentRequest:
    """The department (or the zone) sends a request back to be routed again, with the reason."""
    request = _locked(actor, request_id)
    if not selectors.is_manager(actor):
        _require_department(actor, request)
    move(request, REQUEST_FLOW, "return", actor=actor, note=reason[:300])
    request.department = None
    request.escalation_level = 0
    request.save(update_fields=["state", "due_date", "department", "escalation_level"])
    return request


@transaction.atomic
def reject(*, actor: Any, request_id: int, reason: str, on: dt.date | None = None) -> ResidentRequest:
    require_manager(actor)
    request = _locked(actor, request_id)
    move(request, REQUEST_FLOW, "reject", actor=actor, note=reason[:300], on=on)
    request.reply = f"不予受理：{reason.strip()}"[:REPLY_MAX]
    request.closed_on = on or timezone.localdate()
    request.save(update_fields=["state", "due_date", "reply", "closed_on"])
    resolve_alerts(request=request)
    return request


def _reply_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError("request.reply_required", "请填写答复内容", field="reply")
    if len(text) > REPLY_MAX:
        raise DomainError("request.reply_too_long", f"答复不能超过{REPLY_MAX}个字", field="reply")
    return text


def _mark_replied(request: ResidentRequest, actor: Any, text: str, on: dt.date | None) -> None:
    """The answer: the handling deadline stays (to tell an answer in time from a late one) and the
    rating wait is kept apart in `rating_due`."""
    day = on or timezone.localdate()
    move(request, REQUEST_FLOW, "reply", actor=actor, on=day, due=request.due_date)
    request.reply = text
    request.rating_due = day + dt.timedelta(days=RATING_WAIT_DAYS)
    request.replied_at = (
        timezone.now() if on is None else timezone.make_aware(dt.datetime.combine(day, dt.time(16, 0)))
    )
    request.save(update_fields=["state", "due_date", "reply", "rating_due", "replied_at"])
    resolve_alerts(request=request)


@transaction.atomic
def reply(*, actor: Any, request_id: int, text: str, on: dt.date | None = None) -> ResidentRequest:
    """The department answers the resident; the request then waits for the rating."""
    request = _locked(actor, request_id)
    _require_department(actor, request)
    if request.state == "work_order":
        raise DomainError("request.work_order", "该诉求已转为工作联系单，由牵头部门汇总答复", status=409)
    _mark_replied(request, actor, _reply_text(text), on)
    return request


@transaction.atomic
def close(*, actor: Any, request_id: int, on: dt.date | None = None) -> ResidentRequest:
    require_manager(actor)
    request = _locked(actor, request_id)
    move(request, REQUEST_FLOW, "close", actor=actor, on=on, note="管理员办结", due=request.due_date)
    request.closed_on = on or timezone.localdate()
    request.rating_due = None
    request.save(update_fields=["state", "due_date", "rating_due", "closed_on"])
    resolve_alerts(request=request)
    return request


def find_by_receipt(raw: str) -> ResidentRequest | None:
    code = normalise_receipt(raw)
    if len(code) < 6:
        return None
    return ResidentRequest.objects.select_related("department").filter(receipt_code=code).first()


@transaction.atomic
def rate(*, code: str, rating: Any, comment: str = "") -> ResidentRequest:
    """The resident's rating of a reply, once; it closes the request."""
    normalised = normalise_receipt(code)
    request = ResidentRequest.objects.select_for_update().filter(receipt_code=normalised).first()
    if request is None:
        raise Http404
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise DomainError("request.rating", "请先点选满意度星级（1～5颗星）再提交评价", field="rating")
    if request.rating is not None or request.state != "replied":
        raise ConflictError("request.rated", "该诉求已评价或尚未答复，不能再评价", field="rating")
    comment = (comment or "").strip()
    if len(comment) > 200:
        raise DomainError("request.comment_too_long", "评价意见不能超过200个字", field="comment")
    move(request, REQUEST_FLOW, "rate", actor=None, note=f"{value}星", due=request.due_date)
    request.rating, request.rating_comment, request.rated_at = value, comment, timezone.now()
    request.closed_on, request.rating_due = timezone.localdate(), None
    request.save(
        update_fields=["state", "due_date", "rating", "rating_comment", "rated_at", "closed_on", "rating_due"]
    )
    resolve_alerts(request=request)
    return request


def auto_close(request_id: int, today: dt.date) -> bool:
    """Closes one replied request whose rating wait has passed; False when it is no longer waiting."""
    with transaction.atomic():
        request = ResidentRequest.objects.select_for_update().filter(pk=request_id, state="replied").first()
        if request is None:
            return False
        move(
            request,
            REQUEST_FLOW,
            "close",
            actor=None,
            on=today,
            note=f"答复后{RATING_WAIT_DAYS}天未评价，自动办结",
            due=request.due_date,
        )
        request.closed_on, request.rating_due = today, None
        request.save(update_fields=["state", "due_date", "closed_on", "rating_due"])
        resolve_alerts(request=request)
    return True


def close_unrated(today: dt.date | None = None) -> int:
    """Closes the replied requests whose rating wait has passed (run daily)."""
    today = today or timezone.localdate()
    ids = list(
        ResidentRequest.objects.filter(state="replied", rating_due__lt=today).values_list("pk", flat=True)
    )
    return sum(1 for pk in ids if auto_close(pk, today))


# ---------------------------------------------------------------- alerts


def resolve_alerts(*, request: ResidentRequest | None = None, part: WorkOrderPart | None = None) -> int:
    """Resolves the open overdue alerts of an item whose condition has just ended (answered, closed,
    refused, completed or returned), so they leave the inbox now rather than at the next daily run."""
    from apps.alerts.models import Alert
    from apps.resident_requests.rules import KIND

    keys = []
    if request is not None:
        keys.append(f"{KIND}:request:{request.pk}")
    if part is not None:
        keys.append(f"{KIND}:part:{part.pk}")
    return Alert.objects.filter(key__in=keys, resolved_at__isnull=True).update(resolved_at=timezone.now())


# ---------------------------------------------------------------- escalation


def escalation_level(due: dt.date, today: dt.date) -> int:
    """0 on time; 1 (warning) when 1–2 working days late; 2 (danger) beyond."""
    if today <= due:
        return 0
    late = working_days_between(due, today)
    if late <= 0:
        return 0
    return 1 if late <= 2 else 2


LEVEL_NAMES = {1: "黄色督办", 2: "红色督办"}


def _record_escalation(item: Any, level: int, late: int) -> None:
    """Writes the escalation into the item's history (same state before and after)."""
    WorkItemEvent.objects.create(
        content_type=ContentType.objects.get_for_model(type(item)),
        object_id=item.pk,
        action="escalate",
        from_state=item.state,
        to_state=item.state,
        note=f"超期{late}个工作日，升级为{LEVEL_NAMES[level]}",
        actor=None,
    )


def escalate_overdue(today: dt.date | None = None) -> dict[str, int]:
    """Raises the escalation level of open requests and work-order parts past their deadline and records
    it in their history; an item is escalated once per level. Returns how many of each were raised."""
    today = today or timezone.localdate()
    raised = {"requests": 0, "parts": 0}
    for model, states, key in (
        (ResidentRequest, WAITING_STATES, "requests"),
        (WorkOrderPart, PART_OPEN_STATES, "parts"),
    ):
        candidates = model.objects.filter(state__in=states, due_date__lt=today, escalation_level__lt=2)
        for pk, due, current in candidates.values_list("pk", "due_date", "escalation_level"):
            level = escalation_level(due, today) if due is not None else 0
            if level <= current:
                continue
            with transaction.atomic():
                item = model.objects.select_for_update().filter(pk=pk, state__in=states).first()
                if item is None or item.due_date is None or level <= item.escalation_level:
                    continue
                item.escalation_level = level
                item.save(update_fields=["escalation_level"])
                _record_escalation(item, level, working_days_between(item.due_date, today))
                raised[key] += 1
    return raised


# ---------------------------------------------------------------- work orders


def _next_number(year: int) -> str:
    """The year's next number, counted numerically (LXD-2026-9999 is followed by LXD-2026-10000).

    Callers create the row inside a savepoint and retry on the unique constraint, so two work orders
    raised at the same moment cannot share a number."""
    prefix = f"LXD-{year}-"
    # Numbers are zero-padded to four digits and never shorter, so a longer number is a larger one:
    # ordering by length, then text, is numeric order and lets the database pick the highest.
    last = (
        WorkOrder.objects.filter(number__regex=rf"^{prefix}[0-9]+$")
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    return f"{prefix}{int(last[len(prefix) :]) + 1 if last else 1:04d}"


@transaction.atomic
def to_work_order(
    *,
    actor: Any,
    request_id: int,
    title: str,
    content: str,
    lead_department_id: int | None,
    parts: Sequence[dict[str, Any]],
    on: dt.date | None = None,
) -> WorkOrder:
    """Turns a request that needs several departments into a work order with one part per department."""
    require_manager(actor)
    request = _locked(actor, request_id)
    values = {"title": title, "content": content}
    title = _text(values, "title", "联系单事项", TITLE_MAX)
    content = _text(values, "content", "办理要求", CONTENT_MAX)
    departments = {d.pk: d for d in Department.objects.filter(is_active=True)}
    lead = departments.get(lead_department_id or 0)
    if lead is None:
        raise DomainError("work_order.lead", "请选择牵头部门", field="lead_department")
    clean_parts: list[tuple[Department, str, int]] = []
    seen: set[int] = set()
    for part in parts:
        department = departments.get(int(part.get("department_id") or 0))
        task = str(part.get("task") or "").strip()
        if department is None and not task:
            continue
        if department is None:
            raise DomainError("work_order.department", "每个分项须选择承办部门", field="parts")
        if department.pk in seen:
            raise DomainError(
                "work_order.duplicate", f"{department.name}重复，每个部门只能有一个分项", field="parts"
            )
        if not task or len(task) > 300:
            raise DomainError(
                "work_order.task", f"请填写{department.name}的承办任务（300字以内）", field="parts"
            )
        try:
            days = int(part.get("working_days") or DEFAULT_WORKING_DAYS)
        except (TypeError, ValueError):
            days = 0
        if not 1 <= days <= 60:
            raise DomainError("work_order.days", "时限应为1至60个工作日", field="parts")
        seen.add(department.pk)
        clean_parts.append((department, task, days))
    if len(clean_parts) < 2:
        raise DomainError("work_order.parts", "工作联系单至少需要两个承办部门", field="parts")
    day = on or timezone.localdate()
    parts_due = [add_working_days(day, days) for _d, _t, days in clean_parts]
    move(request, REQUEST_FLOW, "to_work_order", actor=actor, on=day, due=max(parts_due),
         note=f"转为工作联系单，牵头部门：{lead.name}")  # fmt: skip
    request.department = lead
    request.escalation_level = 0
    request.save(update_fields=["state", "due_date", "department", "escalation_level"])
    order = None
    for _attempt in range(5):
        try:
            with transaction.atomic():
                order = WorkOrder.objects.create(
                    number=_next_number(day.year), request=request, title=title, content=content,
                    lead_department=lead, created_by_id=getattr(actor, "pk", None),
                )  # fmt: skip
            break
        except IntegrityError:
            if WorkOrder.objects.filter(request=request).exists():
                raise ConflictError("work_order.exists", "该诉求已有工作联系单") from None
    if order is None:
        raise ConflictError("work_order.number", "生成联系单编号失败，请重试")
    for (department, task, days), due in zip(clean_parts, parts_due, strict=True):
        created_part = WorkOrderPart.objects.create(
            work_order=order, department=department, task=task, working_days=days, due_date=due
        )
        start(created_part, PART_FLOW, actor=actor, action="submit")
    return order


def _locked_part(actor: Any, part_id: int) -> WorkOrderPart:
    part = WorkOrderPart.objects.select_related("work_order").filter(pk=part_id).first()
    if part is None:
        raise Http404
    selectors.access_work_order(actor, part.work_order_id)
    return WorkOrderPart.objects.select_for_update().get(pk=part_id)


def _require_part_department(actor: Any, part: WorkOrderPart) -> None:
    if not (
        getattr(actor, "is_superuser", False) or selectors.may_act_as_department(actor, part.department_id)
    ):
        raise DomainError("work_order.forbidden", "只有该分项的承办部门可以办理", status=403)


@transaction.atomic
def part_sign(*, actor: Any, part_id: int, on: dt.date | None = None) -> WorkOrderPart:
    part = _locked_part(actor, part_id)
    _require_part_department(actor, part)
    move(part, PART_FLOW, "sign", actor=actor, on=on, due=part.due_date)
    part.save(update_fields=["state", "due_date"])
    return part


@transaction.atomic
def part_complete(*, actor: Any, part_id: int, text: str, on: dt.date | None = None) -> WorkOrderPart:
    part = _locked_part(actor, part_id)
    _require_part_department(actor, part)
    reply_text = _reply_text(text)
    move(part, PART_FLOW, "complete", actor=actor, on=on, due=part.due_date)
    part.reply, part.done_on = reply_text, on or timezone.localdate()
    part.save(update_fields=["state", "due_date", "reply", "done_on"])
    resolve_alerts(part=part)
    _refresh_order(part.work_order_id)
    return part


@transaction.atomic
def part_return(*, actor: Any, part_id: int, reason: str) -> WorkOrderPart:
    """The department says the part is not theirs; the zone reassigns or reopens it."""
    part = _locked_part(actor, part_id)
    _require_part_department(actor, part)
    move(part, PART_FLOW, "return", actor=actor, note=reason[:300], due=part.due_date)
    part.save(update_fields=["state", "due_date"])
    resolve_alerts(part=part)
    return part


@transaction.atomic
def part_reopen(
    *, actor: Any, part_id: int, department_id: int | None = None, working_days: int | None = None
) -> WorkOrderPart:
    """The zone hands a returned part out again, to the same or another department."""
    require_manager(actor)
    part = _locked_part(actor, part_id)
    department = Department.objects.filter(pk=department_id or part.department_id, is_active=True).first()
    if department is None:
        raise DomainError("work_order.department", "请选择承办部门", field="department")
    if (
        department.pk != part.department_id
        and WorkOrderPart.objects.filter(work_order_id=part.work_order_id, department=department).exists()
    ):
        raise ConflictError("work_order.duplicate", f"{department.name}已有分项", field="department")
    days = working_days or part.working_days
    if not 1 <= days <= 60:
        raise DomainError("work_order.days", "时限应为1至60个工作日", field="working_days")
    move(part, PART_FLOW, "reopen", actor=actor, note=f"重新交办{department.name}",
         due=add_working_days(timezone.localdate(), days))  # fmt: skip
    part.department, part.working_days, part.escalation_level = department, days, 0
    part.save(update_fields=["state", "due_date", "department", "working_days", "escalation_level"])
    return part


def _refresh_order(work_order_id: int) -> None:
    """When every part is done the order waits for the lead department's combined reply (drafted here)."""
    order = WorkOrder.objects.select_for_update().get(pk=work_order_id)
    parts = list(order.parts.select_related("department").order_by("id"))
    if order.state == WorkOrderState.WORKING and parts and all(p.state == "done" for p in parts):
        order.state = WorkOrderState.READY
        order.combined_reply = "\n".join(f"【{p.department.name}】{p.reply}" for p in parts)[:REPLY_MAX]
        order.save(update_fields=["state", "combined_reply"])


@transaction.atomic
def work_order_send(*, actor: Any, work_order_id: int, text: str, on: dt.date | None = None) -> WorkOrder:
    """The lead department sends the combined reply (edited if needed) to the resident."""
    order = selectors.access_work_order(actor, work_order_id, lock=True)
    if not (selectors.is_manager(actor) or selectors.may_act_as_department(actor, order.lead_department_id)):
        raise DomainError("work_order.forbidden", "只有牵头部门可以汇总答复", status=403)
    if order.state != WorkOrderState.READY:
        raise DomainError("work_order.not_ready", "各承办部门全部办结后才能汇总答复", status=409)
    reply_text = _reply_text(text)
    request = ResidentRequest.objects.select_for_update().get(pk=order.request_id)
    _mark_replied(request, actor, reply_text, on)
    order.state, order.combined_reply, order.sent_at = WorkOrderState.SENT, reply_text, timezone.now()
    order.save(update_fields=["state", "combined_reply", "sent_at"])
    return order


# ---------------------------------------------------------------- personal data


def reveal_phone(*, actor: Any, request_id: int) -> str:
    """The submitter's full phone for a user who may see the request; every reveal is logged."""
    request = selectors.access_request(actor, request_id)
    log_access(
        user=actor, action=AccessAction.REVEAL_PHONE, target_type="resident_request", target_id=request.pk,
        target_label=f"{request.receipt_code} {request.submitter_name}", org_path=request.org_path,
    )  # fmt: skip
    return request.submitter_phone


# ---------------------------------------------------------------- configuration


@transaction.atomic
def department_save(*, actor: Any, values: dict[str, Any], department_id: int | None = None) -> Department:
    require_manager(actor)
    from apps.accounts.models import User

    department = (
        Department.objects.select_for_update().filter(pk=department_id).first()
        if department_id
        else Department()
    )
    if department is None:
        raise Http404
    name = _text(values, "name", "部门名称", 60)
    code = _text(values, "code", "部门代码", 20).upper()
    if not code.replace("_", "").replace("-", "").isalnum():
        raise DomainError("department.code", "部门代码只能包含字母、数字和连字符", field="code")
    clash = Department.objects.filter(Q(name=name) | Q(code=code)).exclude(pk=department.pk or 0).first()
    if clash is not None:
        raise ConflictError("department.exists", f"已有同名或同代码的部门：{clash.name}", field="name")
    department.name, department.code = name, code
    department.phone = _text(values, "phone", "办公电话", 30, required=False)
    department.is_active = str(values.get("is_active", "1")) in ("1", "true", "on", "True")
    department.save()
    if "staff" in values:
        raw = values["staff"]
        usernames = raw if isinstance(raw, list) else str(raw).replace("，", ",").split(",")
        usernames = [u.strip() for u in usernames if u and u.strip()]
        users = list(User.objects.filter(username__in=usernames, is_active=True))
        missing = sorted(set(usernames) - {u.username for u in users})
        if missing:
            raise DomainError("department.staff", f"以下用户名不存在：{'、'.join(missing)}", field="staff")
        department.staff.set(users)
    return department


def ensure_defaults() -> None:
    """Creates the default departments and category rules that are missing (the data migration's
    content), leaving edited ones alone."""
    from apps.resident_requests.choices import DEFAULT_DEPARTMENTS, DEFAULT_RULES

    departments = {}
    for code, name in DEFAULT_DEPARTMENTS:
        departments[code], _ = Department.objects.get_or_create(code=code, defaults={"name": name})
    for category, (days, code) in DEFAULT_RULES.items():
        CategoryRule.objects.get_or_create(
            category=category, defaults={"working_days": days, "department": departments.get(code)}
        )


@transaction.atomic
def rule_save(*, actor: Any, category: str, working_days: Any, department_id: Any = None) -> CategoryRule:
    require_manager(actor)
    if category not in Category.values:
        raise DomainError("rule.category", "未知的诉求类别", field="category")
    try:
        days = int(working_days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 60:
        raise DomainError("rule.days", "办理时限应为1至60个工作日", field="working_days")
    department = None
    if department_id not in (None, "", 0, "0"):
        department = Department.objects.filter(pk=int(department_id), is_active=True).first()
        if department is None:
            raise DomainError("rule.department", "默认承办部门不存在", field="department")
    rule, _created = CategoryRule.objects.update_or_create(
        category=category,
        defaults={
            "working_days": days,
            "department": department,
            "updated_by_id": getattr(actor, "pk", None),
        },
    )
    return rule
