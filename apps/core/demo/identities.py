"""Realistic, valid (checksum-correct) but fictitious people for the demo and the benchmarks."""

from __future__ import annotations

import datetime as dt
import random

from pypinyin import Style, lazy_pinyin

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤俞虞裘楼应"
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华文辉力波宁斌晨欣怡子涵浩宇思远嘉怡雨轩梓萱"
    "俊杰晓东海燕志强永红春梅国庆建国卫东丽萍玉兰金龙晓红鹏飞婷婷佳琪一鸣天宇立新振华淑芬凤英家豪雅琴"
)
# County-level codes of Hangzhou and nearby (GB/T 2260), so IDs look like the zone's members.
REGIONS = (
    "330102",
    "330105",
    "330106",
    "330108",
    "330109",
    "330110",
    "330111",
    "330122",
    "330127",
    "330182",
    "330183",
    "330185",
    "330203",
    "330302",
    "330402",
    "330602",
    "330702",
    "340102",
    "360102",
    "410102",
    "420102",
    "510104",
)

_WEIGHTS = (7, 9, 10, 5, 8, 4, 3, 2, 2, 6, 5, 4, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2)
_CHECK_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CODES = "10X98765432"
_PINYIN_CACHE: dict[str, tuple[str, str]] = {}


def check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _CHECK_WEIGHTS, strict=True))
    return _CHECK_CODES[total % 11]


def citizen_id(rng: random.Random, birth: dt.date, gender: str, sequence: int | None = None) -> str:
    region = rng.choices(REGIONS, weights=_WEIGHTS)[0]
    seq = sequence if sequence is not None else rng.randrange(0, 100)
    order = seq % 100 * 10 + (
        rng.choice((1, 3, 5, 7, 9)) if gender == "male" else rng.choice((0, 2, 4, 6, 8))
    )
    first17 = f"{region}{birth:%Y%m%d}{order:03d}"
    return first17 + check_digit(first17)


def _char_pinyin(ch: str) -> tuple[str, str]:
    hit = _PINYIN_CACHE.get(ch)
    if hit is None:
        syllable = (lazy_pinyin(ch, style=Style.NORMAL) or [""])[0].lower()
        hit = (syllable, syllable[:1])
        _PINYIN_CACHE[ch] = hit
    return hit


def person_name(rng: random.Random) -> tuple[str, str, str]:
    """(name, full pinyin, initials), with pinyin built per character from a small cache."""
    surname = rng.choice(SURNAMES)
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))
    name = surname + given
    parts = [_char_pinyin(ch) for ch in name]
    return name, "".join(p[0] for p in parts), "".join(p[1] for p in parts)


def phone(rng: random.Random) -> str:
    return (
        rng.choice(
            ("138", "139", "137", "135", "158", "159", "186", "187", "188", "150", "152", "177", "181", "189")
        )
        + f"{rng.randrange(0, 10**8):08d}"
    )
