"""How much a member pays each month.

Source: 《关于中国共产党党费收缴、使用和管理的规定》(中共中央组织部, in force 2008-04-01), arts. 3–6:
members paid a monthly salary pay 0.5% of their after-tax monthly salary income up to 3,000 yuan,
1% above 3,000 up to 5,000, 1.5% above 5,000 up to 10,000 and 2% above 10,000 (the whole base at the
bracket's rate, not progressively); retirees 0.5% of their pension up to 5,000 and 1% above; farmers
0.2 to 1 yuan a month; students, the unemployed and those living on subsistence allowances 0.2 yuan.
Amounts are rounded half up to the fen.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

FEN = Decimal("0.01")
FIXED_MINIMUM = Decimal("0.20")

# (upper bound inclusive, rate in basis points); None = no upper bound.
EMPLOYED_BRACKETS: tuple[tuple[Decimal | None, int], ...] = (
    (Decimal("3000"), 50),
    (Decimal("5000"), 100),
    (Decimal("10000"), 150),
    (None, 200),
)
RETIRED_BRACKETS: tuple[tuple[Decimal | None, int], ...] = ((Decimal("5000"), 50), (None, 100))
FIXED_CATEGORIES = frozenset({"student", "unemployed", "low_income"})
CATEGORIES = frozenset({"employed", "retired", "farmer", *FIXED_CATEGORIES})


def rate_basis_points(base: Decimal, category: str) -> int | None:
    """The bracket's rate in basis points (50 = 0.5%), or None for fixed-amount categories."""
    brackets = (
        EMPLOYED_BRACKETS if category == "employed" else RETIRED_BRACKETS if category == "retired" else None
    )
    if brackets is None:
        return None
    for upper, rate in brackets:
        if upper is None or base <= upper:
            return rate
    raise AssertionError("unreachable: the last bracket has no upper bound")


def farmer_amount() -> Decimal:
    """Farmers pay 0.20 yuan unless the zone configured a higher amount (at most 1 yuan)."""
    configured = Decimal(str(getattr(settings, "XF_DUES_FARMER_AMOUNT", "0.20")))
    return min(max(configured, FIXED_MINIMUM), Decimal("1.00")).quantize(FEN)


def monthly_dues(base: Decimal, category: str) -> Decimal:
    """The monthly dues for a member with this monthly base (after-tax income) and category."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown dues category: {category}")
    if category in FIXED_CATEGORIES:
        return FIXED_MINIMUM
    if category == "farmer":
        return farmer_amount()
    base = Decimal(base)
    if base < 0:
        raise ValueError("the dues base cannot be negative")
    rate = rate_basis_points(base, category)
    if rate is None:
        raise ValueError(f"no bracket for category {category}")
    return (base * rate / Decimal(10000)).quantize(FEN, rounding=ROUND_HALF_UP)
