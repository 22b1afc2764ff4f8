"""What happens to a mediation case: application, acceptance, assignment, sessions, outcome, judicial
confirmation. Every change goes through the work-item engine, so each case carries its history."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from apps.core.calendar import add_working_days, working_days_between
from apps.core.errors import DomainError
from apps.core.forms import parse_id
from apps.core.public import receipt_code
from apps.core.uploads import StoredFile, discard, store_all
from apps.core.workflow import move, start
from apps.mediation import selectors
from apps.mediation.choices import (
    CaseSource,
    DisputeType,
    InstitutionKind,
    MediatorKind,
    PartyRole,
    SessionMode,
)
from apps.mediation.flow import CASE_FLOW, JUDICIAL_APPLY_DAYS, JUDICIAL_FLOW
from apps.mediation.models import (
    Attachment,
    Case,
    Institution,
    JudicialConfirmation,
    Mediator,
    Party,
    Session,
)

PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
MAX_ATTACHMENTS = 5


def _text(
    values: dict[str, Any], name: str, label: str, *, low: int = 1, high: int = 200, required: bool = True
) -> str:
    value = str(values.get(name) or "").strip()
    if not value:
        if required:
            raise DomainError("mediation.required", f"请填写{label}", field=name)
        return ""
    if len(value) < low:
        raise DomainError("mediation.too_short", f"{label}至少 {low} 个字", field=name)
    if len(value) > high:
        raise DomainError("mediation.too_long", f"{label}不能超过 {high} 个字", field=name)
    return value


def _phone(values: dict[str, Any], name: str, label: str, *, required: bool = True) -> str:
    value = str(values.get(name) or "").strip().replace(" ", "")
    if not value and not required:
        return ""
    if not PHONE.match(value):
        raise DomainError("mediation.phone", f"{label}应为11位手机号或带区号的固定电话", field=name)
    return value


def _amount(raw: Any) -> Decimal | None:
    text = str(raw or "").strip().replace(",", "")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise DomainError("mediation.amount", "涉及金额应为数字（元）", field="amount") from None
    if amount < 0 or amount >= Decimal("1e12"):
        raise DomainError("mediation.amount", "涉及金额超出范围", field="amount")
    return amount.quantize(Decimal("0.01"))


def _choice(values: dict[str, Any], name: str, choices: Any, label: str) -> str:
    value = str(values.get(name) or "")
    if value not in choices.values:
        raise DomainError("mediation.choice", f"请选择{label}", field=name)
    return value


def _date(raw: Any, name: str, label: str, *, default: dt.date | None = None) -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    if not raw:
        if default is not None:
            return default
        raise DomainError("mediation.date", f"请填写{label}", field=name)
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise DomainError("mediation.date", f"{label}格式应为 YYYY-MM-DD", field=name) from None


def _check_files(files: list[Any]) -> None:
    if len(files) > MAX_ATTACHMENTS:
        raise DomainError("mediation.files", f"最多上传 {MAX_ATTACHMENTS} 个材料", field="files")


def _attach(case: Case, stored: list[StoredFile], *, by_applicant: bool, actor: Any) -> None:
    Attachment.objects.bulk_create(
        [
            Attachment(
                case=case, name=f.name, path=f.path, size=f.size, content_type=f.content_type, by_applicant=by_applicant,
                uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            for f in stored
        ]
    )  # fmt: skip


@contextmanager
def _files_kept_only_if_saved(files: list[Any], folder: str) -> Iterator[list[StoredFile]]:
    """Stores the uploads (all or none) for the records written in the block; if the block fails,
    the files go too, so a refused or rolled-back submission leaves nothing on disk."""
    _check_files(files)
    stored = store_all(files, folder=folder)
    try:
        yield stored
    except BaseException:
        discard(stored)
        raise


def _validated_case(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "dispute_type": _choice(values, "dispute_type", DisputeType, "纠纷类型"),
        "amount": _amount(values.get("amount")),
        "facts": _text(values, "facts", "纠纷事实", low=10, high=3000),
        "claims": _text(values, "claims", "申请事项", low=2, high=1000),
        "applicant_name": _text(values, "applicant_name", "申请人姓名", high=50),
        "applicant_phone": _phone(values, "applicant_phone", "申请人电话"),
    }


def _parties(values: dict[str, Any]) -> list[Party]:
    return [
        Party(
            role=PartyRole.APPLICANT,
            name=_text(values, "applicant_name", "申请人姓名", high=50),
            phone=_phone(values, "applicant_phone", "申请人电话"),
            address=_text(values, "applicant_address", "申请人住址", high=160, required=False),
        ),
        Party(
            role=PartyRole.RESPONDENT,
            name=_text(values, "respondent_name", "被申请人姓名或名称", high=80),
            phone=_phone(values, "respondent_phone", "被申请人电话", required=False),
            address=_text(values, "respondent_address", "被申请人住址", high=160, required=False),
        ),
    ]


def _receive(case: Case, parties: list[Party], *, actor: Any, note: str) -> Case:
    """Saves a new case with a fresh receipt code, its parties and the first line of its history."""
    today = case.received_on
    case.respond_by = add_working_days(today, case.institution.limit_accept)
    case.due_date = case.respond_by
    for _attempt in range(5):
        case.receipt = receipt_code("TJ")
        try:
            with transaction.atomic():
                case.save()
        except IntegrityError as exc:
            if case.submission_key and Case.objects.filter(submission_key=case.submission_key).exists():
                raise DuplicateSubmissionError(case.submission_key) from exc
            continue  # a receipt code collided: draw another
        break
    for party in parties:
        party.case = case
    Party.objects.bulk_create(parties)
    start(case, CASE_FLOW, actor=actor, action="submit", note=note)
    return case


class DuplicateSubmissionError(Exception):
    """The same form was posted again; the first case stands."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def apply_online(
    values: dict[str, Any],
    files: list[Any],
    *,
    submission_key: str,
    user: Any = None,
    today: dt.date | None = None,
) -> tuple[Case, bool]:
    """A resident's online application. Returns (case, created); a repeated post of the same form
    (same submission key) returns the first case and stores nothing."""
    existing = Case.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing, False
    fields = _validated_case(values)
    parties = _parties(values)
    institution = Institution.objects.filter(pk=_int(values.get("institution")), is_active=True, online=True).exclude(
        kind=InstitutionKind.CENTER
    ).first()  # fmt: skip
    if institution is None:
        raise DomainError("mediation.institution", "请选择受理的调解机构", field="institution")
    applicant = user if getattr(user, "is_authenticated", False) else None
    case = Case(
        **fields, source=CaseSource.ONLINE, institution=institution, submission_key=submission_key,
        received_on=today or timezone.localdate(), applicant_user=applicant, created_by=applicant,
    )  # fmt: skip
    try:
        with (
            _files_kept_only_if_saved(files, f"mediation/{case.received_on:%Y%m}") as stored,
            transaction.atomic(),
        ):
            _receive(case, parties, actor=applicant, note="当事人网上申请")
            _attach(case, stored, by_applicant=True, actor=applicant)
    except DuplicateSubmissionError:
        return Case.objects.get(submission_key=submission_key), False
    return case, True


def _int(raw: Any) -> int:
    """A posted id or number, or 0 (which matches no row) when it is not one."""
    return parse_id(raw) or 0


@transaction.atomic
def register_case(
    actor: Any, values: dict[str, Any], files: list[Any] | None = None, today: dt.date | None = None
) -> Case:
    """Staff register a referred or walk-in case for an institution they may supervise."""
    institution_id = _int(values.get("institution"))
    institution = selectors.institutions_for(actor).filter(pk=institution_id, is_active=True).first()
    if institution is None:
        raise DomainError("mediation.institution", "请选择受理的调解机构", field="institution")
    if not selectors.may_supervise(actor, institution):
        raise DomainError("mediation.forbidden", "您不能为该机构登记案件", status=403)
    source = _choice(values, "source", CaseSource, "案件来源")
    case = Case(
        **_validated_case(values), source=source, institution=institution,
        referred_by=_text(values, "referred_by", "移交单位", high=100, required=source not in (CaseSource.ONLINE, CaseSource.WALK_IN)),
        received_on=_received_on(values.get("received_on"), today),
        created_by=actor,
    )  # fmt: skip
    parties = _parties(values)
    with _files_kept_only_if_saved(files or [], f"mediation/{case.received_on:%Y%m}") as stored:
        _receive(case, parties, actor=actor, note=case.get_source_display())
        _attach(case, stored, by_applicant=False, actor=actor)
    return case


@transaction.atomic
def refer_request(actor: Any, request_id: int, values: dict[str, Any], today: dt.date | None = None) -> Case:
    """A department handling a resident's request finds it is a dispute between parties: the request
    becomes a mediation case (source 网格/诉求转办) at the chosen institution, and the resident gets a
    reply with the case's receipt code so they can follow the mediation too."""
    from apps.resident_requests import services as request_services
    from apps.resident_requests.selectors import access_request

    request = access_request(actor, request_id)
    if request.state != "handling":
        raise DomainError("mediation.refer_state", "只有办理中的诉求可以转人民调解", status=409)
    institution = Institution.objects.filter(pk=_int(values.get("institution")), is_active=True).exclude(
        kind=InstitutionKind.CENTER
    ).first()  # fmt: skip
    if institution is None:
        raise DomainError("mediation.institution", "请选择受理的调解机构", field="institution")
    applicant = {
        "applicant_name": request.submitter_name,
        "applicant_phone": request.submitter_phone,
        "applicant_address": request.address,
    }
    merged = {
        **applicant, "facts": request.content, "claims": request.title,
        "dispute_type": values.get("dispute_type"), "respondent_name": values.get("respondent_name"),
        "respondent_phone": values.get("respondent_phone"), "amount": values.get("amount"),
    }  # fmt: skip
    department = request.department.name if request.department is not None else "民情诉求"
    case = Case(
        **_validated_case(merged), source=CaseSource.GRID, institution=institution, from_request=request,
        referred_by=f"{department}（诉求 {request.receipt_code}）"[:100], received_on=today or timezone.localdate(), created_by=actor,
    )  # fmt: skip
    _receive(case, _parties(merged), actor=actor, note=f"由民情诉求 {request.receipt_code} 转入")
    request_services.reply(
        actor=actor, request_id=request.pk,
        text=f"您反映的纠纷已转{institution.name}调解，调解案件回执码 {case.receipt}，可在“在线矛盾纠纷多元化解”的进度查询页凭该回执码查询调解进度。",
    )  # fmt: skip
    return case


def _received_on(raw: Any, today: dt.date | None) -> dt.date:
    """A registered case's receipt date: today by default, up to a year back (a case registered late)."""
    now = today or timezone.localdate()
    day = _date(raw, "received_on", "收案日期", default=now)
    if day > now or day < now - dt.timedelta(days=366):
        raise DomainError("mediation.date", "收案日期应在一年前至今天之间", field="received_on")
    return day


def _last_step(case: Case) -> dt.date:
    """The last dated step of a case before it is closed: acceptance or the latest session."""
    last_session = case.sessions.order_by("-held_on").values_list("held_on", flat=True).first()
    return max(d for d in (case.received_on, case.accepted_on, last_session) if d is not None)


def _locked(actor: Any, case_id: int) -> Case:
    case = selectors.access_case(actor, case_id)
    return (
        Case.objects.select_for_update(of=("self",)).select_related("institution", "mediator").get(pk=case.pk)
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise DomainError("mediation.forbidden", message, status=403)


def _settle_alerts(case: Case) -> None:
    """A case that moved on is no longer late in its previous stage: clear that alert now."""
    from apps.alerts.store import resolve_now

    resolve_now(f"mediation:{case.pk}:", keep=f"mediation:{case.pk}:{case.state}")


def _action_date(on: dt.date | None, floor: dt.date, label: str) -> dt.date:
    """The day an action is recorded for: today by default; never in the future, never before the case's
    previous milestone — so an institution cannot date an answer back to look punctual."""
    today = timezone.localdate()
    day = on or today
    if day > today:
        raise DomainError("mediation.date_future", "日期不能晚于今天", field="on")
    if day < floor:
        raise DomainError("mediation.date_early", f"日期不能早于{label}（{floor:%Y-%m-%d}）", field="on")
    return day


def _respond(case: Case, on: dt.date) -> None:
    if case.responded_on is None:
        case.responded_on = on
        case.response_days = max(working_days_between(case.received_on, on), 0)


def _next_number(case: Case, on: dt.date) -> str:
    """（2026）下沙街道调字第0001号: numbered by year within the name's prefix. The institutions sharing the
    prefix are locked (in id order) while the next number is read, so two acceptances never collide."""
    short = case.institution.name[:6]
    list(
        Institution.objects.select_for_update()
        .filter(name__startswith=short)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    prefix = f"（{on.year}）{short}调字第"
    used = Case.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{used + 1:04d}号"


@transaction.atomic
def accept(actor: Any, case_id: int, on: dt.date | None = None) -> Case:
    case = _locked(actor, case_id)
    _require(selectors.may_supervise(actor, case.institution), "只有机构管理员或主管单位可以受理")
    day = _action_date(on, case.received_on, "收案日期")
    move(
        case,
        CASE_FLOW,
        "accept",
        actor=actor,
        on=day,
        due=add_working_days(day, case.institution.limit_assign),
    )
    _respond(case, day)
    case.accepted_on = day
    case.number = _next_number(case, day)
    case.save()
    _settle_alerts(case)
    return case


@transaction.atomic
def reject(actor: Any, case_id: int, reason: str, on: dt.date | None = None) -> Case:
    case = _locked(actor, case_id)
    _require(selectors.may_supervise(actor, case.institution), "只有机构管理员或主管单位可以决定不予受理")
    day = _action_date(on, case.received_on, "收案日期")
    move(case, CASE_FLOW, "reject", actor=actor, note=reason, on=day)
    _respond(case, day)
    case.reject_reason = reason.strip()[:300]
    case.closed_on = day
    case.save()
    _settle_alerts(case)
    return case


@transaction.atomic
def assign(actor: Any, case_id: int, mediator_id: Any, on: dt.date | None = None) -> Case:
    case = _locked(actor, case_id)
    _require(selectors.may_supervise(actor, case.institution), "只有机构管理员或主管单位可以分派调解员")
    mediator = Mediator.objects.filter(
        pk=_int(mediator_id), institution_id=case.institution_id, is_active=True
    ).first()
    if mediator is None:
        raise DomainError("mediation.mediator", "请选择本机构在岗的调解员", field="mediator")
    day = _action_date(on, case.accepted_on or case.received_on, "受理日期")
    due = (
        case.due_date if case.state == "mediating" else add_working_days(day, case.institution.limit_mediate)
    )
    move(case, CASE_FLOW, "assign", actor=actor, note=f"调解员：{mediator.name}", on=day, due=due)
    case.mediator = mediator
    case.save()
    _settle_alerts(case)
    return case


@transaction.atomic
def record_session(actor: Any, case_id: int, values: dict[str, Any]) -> Session:
    case = _locked(actor, case_id)
    _require(selectors.may_mediate(actor, case), "只有承办调解员或机构管理员可以记录调解")
    held_on = _date(values.get("held_on"), "held_on", "调解日期")
    if held_on < case.received_on or held_on > timezone.localdate():
        raise DomainError("mediation.date", "调解日期应在收案日期与今天之间", field="held_on")
    session = Session.objects.create(
        case=case, held_on=held_on, mode=_choice(values, "mode", SessionMode, "调解方式"),
        place=_text(values, "place", "地点", high=120, required=False),
        participants=_text(values, "participants", "参加人员", high=300, required=False),
        summary=_text(values, "summary", "调解情况", low=5, high=3000), recorded_by=actor,
    )  # fmt: skip
    move(
        case,
        CASE_FLOW,
        "session",
        actor=actor,
        note=f"{held_on:%Y-%m-%d} {session.get_mode_display()}",
        on=held_on,
        due=case.due_date,
    )
    case.save(update_fields=["state", "due_date"])
    return session


@transaction.atomic
def succeed(
    actor: Any, case_id: int, agreement: str, performance: str = "", on: dt.date | None = None
) -> Case:
    case = _locked(actor, case_id)
    _require(selectors.may_mediate(actor, case), "只有承办调解员或机构管理员可以结案")
    if not case.sessions.exists():
        raise DomainError("mediation.no_session", "请先记录至少一次调解情况再结案", field="agreement")
    terms = _text({"agreement": agreement}, "agreement", "调解协议内容", low=10, high=5000)
    day = _action_date(on, _last_step(case), "上一次办理日期")
    move(case, CASE_FLOW, "succeed", actor=actor, note="达成调解协议", on=day)
    case.agreement = terms
    case.performance = performance.strip()[:200]
    case.closed_on = day
    case.save()
    _settle_alerts(case)
    return case


def _close_without_agreement(
    actor: Any, case_id: int, action: str, reason: str, on: dt.date | None, refused: str
) -> Case:
    """Ends a case that reached no agreement (调解不成) or that the applicant withdrew, with the reason."""
    case = _locked(actor, case_id)
    _require(selectors.may_mediate(actor, case), refused)
    day = _action_date(on, _last_step(case), "上一次办理日期")
    move(case, CASE_FLOW, action, actor=actor, note=reason, on=day)
    case.close_note = reason.strip()[:300]
    case.closed_on = day
    case.save()
    _settle_alerts(case)
    return case


@transaction.atomic
def fail(actor: Any, case_id: int, reason: str, on: dt.date | None = None) -> Case:
    return _close_without_agreement(actor, case_id, "fail", reason, on, "只有承办调解员或机构管理员可以结案")


@transaction.atomic
def withdraw(actor: Any, case_id: int, reason: str, on: dt.date | None = None) -> Case:
    return _close_without_agreement(
        actor, case_id, "withdraw", reason, on, "只有承办调解员或机构管理员可以登记撤回"
    )


@transaction.atomic
def apply_judicial(actor: Any, case_id: int, court: str, on: dt.date | None = None) -> JudicialConfirmation:
    """Records the parties' joint application for judicial confirmation (within 30 days)."""
    case = _locked(actor, case_id)
    _require(selectors.may_mediate(actor, case), "只有承办调解员或机构管理员可以登记司法确认")
    if case.state != "success":
        raise DomainError("mediation.judicial_state", "只有调解成功的案件可以申请司法确认", status=409)
    if JudicialConfirmation.objects.filter(case=case).exists():
        raise DomainError("mediation.judicial_twice", "该案件已申请过司法确认", status=409)
    closed_on = case.closed_on or timezone.localdate()
    day = _action_date(on, closed_on, "调解协议生效日期")
    if (day - closed_on).days > JUDICIAL_APPLY_DAYS:
        raise DomainError(
            "mediation.judicial_late",
            f"应自调解协议生效之日起 {JUDICIAL_APPLY_DAYS} 日内申请司法确认",
            field="on",
        )
    name = _text({"court": court}, "court", "受理法院", high=100)
    judicial = JudicialConfirmation(case=case, court=name, applied_on=day, state="applied")
    judicial.due_date = add_working_days(day, JUDICIAL_FLOW.state("applied").due_working_days or 3)
    judicial.save()
    start(judicial, JUDICIAL_FLOW, actor=actor, action="submit", note=name)
    return judicial


JUDICIAL_ACTIONS = ("court_accept", "confirm", "dismiss")


@transaction.atomic
def judicial_decide(
    actor: Any,
    case_id: int,
    action: str,
    *,
    court_number: str = "",
    note: str = "",
    on: dt.date | None = None,
) -> JudicialConfirmation:
    case = _locked(actor, case_id)
    _require(selectors.may_mediate(actor, case), "只有承办调解员或机构管理员可以登记法院裁定")
    judicial = JudicialConfirmation.objects.select_for_update().filter(case=case).first()
    if judicial is None or action not in JUDICIAL_ACTIONS:
        raise Http404
    day = _action_date(on, judicial.applied_on, "申请日期")
    move(judicial, JUDICIAL_FLOW, action, actor=actor, note=note, on=day)
    if court_number.strip():
        judicial.court_number = court_number.strip()[:60]
    if action != "court_accept":
        judicial.decided_on = day
        judicial.note = note.strip()[:300]
    judicial.save()
    if action != "court_accept":
        from apps.alerts.store import resolve_now

        resolve_now(f"mediation:judicial:{judicial.pk}")
    return judicial


@transaction.atomic
def add_attachments(actor: Any, case_id: int, files: list[Any]) -> None:
    case = _locked(actor, case_id)
    _require(selectors.may_mediate(actor, case), "只有承办调解员或机构管理员可以上传材料")
    if not files:
        raise DomainError("mediation.files", "请选择要上传的文件", field="files")
    if case.attachments.count() + len(files) > 20:
        raise DomainError("mediation.files", "每个案件最多 20 个材料", field="files")
    with _files_kept_only_if_saved(files, f"mediation/{case.received_on:%Y%m}") as stored:
        _attach(case, stored, by_applicant=False, actor=actor)


def _limit(values: dict[str, Any], name: str, label: str) -> int:
    value = _int(values.get(name))
    if not 1 <= value <= 90:
        raise DomainError("mediation.limit", f"{label}应为 1 到 90 个工作日", field=name)
    return value


@transaction.atomic
def institution_save(
    actor: Any, values: dict[str, Any], institution: Institution | None = None
) -> Institution:
    """Creates or edits an institution: the zone administrators, or the institution's supervisors."""
    if institution is None:
        _require(selectors.visible_institution_ids(actor) is None, "只有开发区管理员可以新增调解机构")
        institution = Institution()
    else:
        _require(
            selectors.visible_institution_ids(actor) is None
            or (
                institution.supervisor_id is not None
                and selectors.may_supervise(actor, institution.supervisor)
            ),
            "只有开发区管理员或主管单位可以修改机构信息",
        )
    name = _text(values, "name", "机构名称", high=100)
    if Institution.objects.filter(name=name).exclude(pk=institution.pk).exists():
        raise DomainError("mediation.duplicate", "已有同名调解机构", field="name")
    supervisor_id = _int(values.get("supervisor"))
    supervisor = None
    if supervisor_id:
        supervisor = selectors.institutions_for(actor).filter(pk=supervisor_id).first()
        if supervisor is None or (
            institution.pk and supervisor.pk in selectors.descendants({institution.pk})
        ):
            raise DomainError("mediation.supervisor", "主管单位不能是本机构或其下级机构", field="supervisor")
    institution.name = name
    institution.kind = _choice(values, "kind", InstitutionKind, "机构类型")
    institution.supervisor = supervisor
    institution.phone = _text(values, "phone", "联系电话", high=30, required=False)
    institution.address = _text(values, "address", "地址", high=160, required=False)
    institution.scope_note = _text(values, "scope_note", "受理范围", high=200, required=False)
    institution.online = bool(values.get("online"))
    institution.is_active = bool(values.get("is_active", True))
    institution.limit_accept = _limit(values, "limit_accept", "受理时限")
    institution.limit_assign = _limit(values, "limit_assign", "分派时限")
    institution.limit_mediate = _limit(values, "limit_mediate", "调解时限")
    institution.save()
    return institution


@transaction.atomic
def mediator_save(
    actor: Any, institution: Institution, values: dict[str, Any], mediator: Mediator | None = None
) -> Mediator:
    _require(selectors.may_supervise(actor, institution), "只有机构管理员或主管单位可以维护调解员")
    from apps.accounts.models import User

    mediator = mediator or Mediator(institution=institution)
    mediator.name = _text(values, "name", "调解员姓名", high=50)
    mediator.kind = _choice(values, "kind", MediatorKind, "调解员类别")
    mediator.phone = _phone(values, "phone", "联系电话", required=False)
    mediator.speciality = _text(values, "speciality", "擅长领域", high=120, required=False)
    mediator.is_admin = bool(values.get("is_admin"))
    mediator.is_active = bool(values.get("is_active", True))
    username = str(values.get("username") or "").strip()
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise DomainError("mediation.user", "没有这个登录账号", field="username")
        mediator.user = user
    try:
        with transaction.atomic():
            mediator.save()
    except IntegrityError:
        raise DomainError("mediation.user", "该账号已是本机构的调解员", field="username") from None
    return mediator
