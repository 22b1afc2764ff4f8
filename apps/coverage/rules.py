"""Rules of the "two new" organizations' coverage (两个覆盖), as pure functions.

Sources: GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》 (the 18-character code and its check
character) and GB 11714-1997 (the 9-character organization code inside it, with its own check);
《关于加强和改进非公有制企业党的建设工作的意见（试行）》(2012) and the social-organization opinion
(2015): a unit with three or more full party members sets up its own organization (单建); otherwise a
joint organization (联建) or an assigned instructor (党建指导员) covers the work.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_CODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # GB 11714 body characters and their values
SHOULD_BUILD_ALONE_MEMBERS = 3


def credit_code_check(first17: str) -> str:
    """The 18th character of a unified social credit code, from its first 17."""
    total = sum(CODE_CHARS.index(c) * w for c, w in zip(first17, CODE_WEIGHTS, strict=True))
    return CODE_CHARS[(31 - total % 31) % 31]


def org_code_check(first8: str) -> str:
    """The 9th character of the organization code (positions 9–17 of the credit code)."""
    total = sum(ORG_CODE_CHARS.index(c) * w for c, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    value = (11 - total % 11) % 11
    return "X" if value == 10 else str(value)


def credit_code_problem(code: str) -> str | None:
    """Why `code` is not a valid unified social credit code, in words; None when it is valid."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位，当前为{len(code)}位"
    bad = [c for c in code if c not in CODE_CHARS]
    if bad:
        return f"统一社会信用代码含有不允许的字符“{bad[0]}”（不使用I、O、S、V、Z）"
    if not code[2:8].isdigit():
        return "统一社会信用代码第3至8位应为行政区划代码（数字）"
    if credit_code_check(code[:17]) != code[17]:
        return "统一社会信用代码校验位不正确，请核对"
    if org_code_check(code[8:16]) != code[16]:
        return "统一社会信用代码中的组织机构代码校验位不正确，请核对"
    return None


def normalize_credit_code(raw: str) -> str:
    return "".join(raw.split()).upper()


def rate(part: int, total: int) -> Decimal:
    """A coverage rate as a fraction rounded to 4 decimals (half up); 0 when there is nothing to cover."""
    if total <= 0:
        return Decimal("0.0000")
    return (Decimal(part) / Decimal(total)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def should_build_alone(party_members: int, status: str) -> bool:
    """Three or more party members and no organization of its own (单建)."""
    return party_members >= SHOULD_BUILD_ALONE_MEMBERS and status != "own"


def make_credit_code(n: int, *, region: str = "330100", kind: str = "enterprise") -> str:
    """A fictitious but valid credit code, distinct for every n (test, demo and synthetic data):
    工商 (9) enterprises (1), or 民政 (5) social groups (1)."""
    prefix = "91" if kind == "enterprise" else "51"
    body = ""
    value = n
    for _ in range(8):
        value, digit = divmod(value, len(CODE_CHARS))
        body = CODE_CHARS[digit] + body
    if value:
        raise ValueError("n too large for an eight-character organization code")
    first16 = prefix + region + body
    first17 = first16 + org_code_check(body)
    return first17 + credit_code_check(first17)
