"""The JSON API under /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from apps.accounts.api import router as auth_router
from apps.alerts.api import router as alerts_router
from apps.appraisal.api import router as appraisal_router
from apps.core.api import AUTH, error_body
from apps.core.errors import DomainError
from apps.coverage.api import router as coverage_router
from apps.development.api import router as development_router
from apps.dues.api import router as dues_router
from apps.grid.api import router as grid_router
from apps.lostcontact.api import router as lost_router
from apps.mediation.api import router as mediation_router
from apps.meetings.api import router as meetings_router
from apps.members.api import router as members_router
from apps.orgs.api import router as orgs_router
from apps.pioneer.api import router as pioneer_router
from apps.reports.api import router as reports_router
from apps.resident_requests.api import router as requests_router
from apps.transfers.api import router as transfers_router

api = NinjaAPI(
    title="先锋 智慧党建与基层治理平台 API",
    version="1.0",
    description="所有接口都按调用者的权限范围返回数据；范围之外的对象一律返回 404。身份证号与电话默认脱敏。",
    auth=AUTH,
    urls_namespace="api",
)
api.add_router("/auth", auth_router)
api.add_router("/orgs", orgs_router)
api.add_router("/members", members_router)
api.add_router("/dues", dues_router)
api.add_router("/meetings", meetings_router)
api.add_router("/development", development_router)
api.add_router("/transfers", transfers_router)
api.add_router("/lost-contact", lost_router)
api.add_router("/pioneer", pioneer_router)
api.add_router("/alerts", alerts_router)
api.add_router("/coverage", coverage_router)
api.add_router("/appraisal", appraisal_router)
api.add_router("/grid", grid_router)
api.add_router("/requests", requests_router)
api.add_router("/mediation", mediation_router)
api.add_router("", reports_router)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, error_body(exc.code, exc.message, exc.field), status=exc.status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload", "filters")]
        errors.append(
            {
                "code": f"input.{err.get('type', 'invalid')}",
                "message": _chinese(err),
                "field": ".".join(loc) or None,
            }
        )
    return api.create_response(request, {"errors": errors}, status=422)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body("not_found", "对象不存在或不在您的权限范围内"), status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, error_body("auth.required", "请先登录或提供有效的令牌"), status=401)


def _chinese(err: dict) -> str:
    kind = str(err.get("type", ""))
    if kind == "missing":
        return "必填项缺失"
    if kind.startswith(("date", "datetime")):
        return "日期格式应为 YYYY-MM-DD"
    if kind.startswith("int"):
        return "应为整数"
    if kind.startswith("bool"):
        return "应为 true 或 false"
    if kind.startswith("string"):
        return "应为文本"
    return str(err.get("msg", "输入不正确"))
