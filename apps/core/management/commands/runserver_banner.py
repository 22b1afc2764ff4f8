from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from apps.core.management.commands.loaddemo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "打印访问地址与演示账号"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args: Any, **options: Any) -> None:
        lines = [
            "",
            "先锋 · 智慧党建与基层治理平台",
            f"  访问地址： http://{options['host']}:{options['port']}/",
            f"  接口文档： http://{options['host']}:{options['port']}/api/v1/docs",
            f"  演示账号（密码均为 {DEMO_PASSWORD}）：",
        ]
        for username, display, _role, org in DEMO_USERS:
            lines.append(f"    {username:<16} {display}（{org}）")
        lines.append("    demo-member      党员（仅本人档案）")
        lines.append("    demo-grid        片长（上沙社区的片区）")
        lines.append("    demo-liaison     联户党员（我的联系户）")
        lines.append("    demo-dept        城管科工作人员（民情诉求部门）")
        lines.append("    demo-mediator    调解员（下沙街道人民调解委员会管理员）")
        lines.append("    demo-center      矛调中心工作人员（主管全区调解机构）")
        lines.append(f"  群众反映诉求： http://{options['host']}:{options['port']}/requests/submit/")
        lines.append(f"  群众申请调解： http://{options['host']}:{options['port']}/mediation/apply/")
        lines.append("")
        self.stdout.write("\n".join(lines))
