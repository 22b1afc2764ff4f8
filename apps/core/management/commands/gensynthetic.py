"""Synthetic province-scale data for the benchmarks: `manage.py gensynthetic --members N [--seed S]`.

The tree has about one organization per 15 members: a root 党工委 → up to 13 city 党委 → county and
district 党委 → street and enterprise 党委 and 党总支 → 党支部, which hold the members. Paths are built
as apps.orgs.models builds them (the parent's path plus encode_segment(pk)). Every member has a valid
(checksum-correct, fictitious) citizen ID stored as the application stores a real one: encrypted,
keyed hash, last four digits and masked form. Each member also gets one open MemberOrgPeriod.

On PostgreSQL the rows go in with COPY under preassigned ids, in one transaction. The server updates
the indexes while Python builds the next rows, so the work is spread over two cores without extra
processes. Other databases (SQLite in development) get bulk_create in batches.

No django-simple-history rows are written. History records who changed a record and when; synthetic
rows have no author. The member list, the search and the counts never read the history tables, so
writing history would double the load time and the disk used and measure nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from random import Random
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from apps.core import crypto
from apps.core.demo import identities
from apps.core.identity import name_pinyin
from apps.core.masking import mask_citizen_id
from apps.members.choices import ETHNICITIES, Education, MemberStatus
from apps.members.models import Member, MemberOrgPeriod
from apps.orgs.choices import FormationMode, OrgType, UnitKind
from apps.orgs.models import Organization, encode_segment
from apps.orgs.rules import add_years

MEMBERS_PER_ORG = 15
MAX_CITIES = 13
ORGS_PER_COUNTY = 520  # about ten counties a city at a million members
BRANCHES_PER_UNIT = 12

# A citizen ID is derived from the member's id, so two runs (or an --append) never produce the same
# ID. The id picks the region, then a birth day through a permutation of the birth range, then the
# two leading digits of the sequence; only the gender digit is random. The stride must be prime to
# the number of days for the permutation: 25,202 = 2 × 12,601 and 7,919 is another prime.
BIRTH_FIRST = dt.date(1936, 1, 1)
BIRTH_DAYS = (dt.date(2004, 12, 31) - BIRTH_FIRST).days + 1
BIRTH_STRIDE = 7919
REGIONS = identities.REGIONS
ID_CAPACITY = len(REGIONS) * BIRTH_DAYS * 100

ORG_COLUMNS = [f.column for f in Organization._meta.concrete_fields]
MEMBER_COLUMNS = [
    "id", "name", "name_pinyin", "name_initials", "citizen_id_encrypted", "citizen_id_hash",
    "citizen_id_last4", "citizen_id_masked", "gender", "ethnicity", "birth_date", "education", "phone",
    "work_unit", "position", "application_date", "activist_date", "candidate_date", "admission_date",
    "full_membership_date", "status", "category", "category_since", "org_id", "org_path",
    "party_group_id", "user_id", "created_at", "updated_at",
]  # fmt: skip
PERIOD_COLUMNS = ["id", "member_id", "org_id", "start", "end", "reason"]

# Four trees' worth of city names, so the trees of --append runs are told apart at a glance.
CITY_NAMES = (
    "临江", "青川", "云州", "白沙", "安平", "长宁", "永和", "清源", "金川", "宁远", "丰泽", "南屏", "北辰",
    "东陵", "西岭", "江阴", "河阳", "山南", "湖西", "平川", "嘉禾", "瑞城", "泰和", "福安", "龙泉", "凤台",
    "明州", "光泽", "兴宁", "华阳", "新丰", "石门", "玉溪", "桃源", "松江", "竹溪", "梅林", "兰溪", "桂平",
    "柳城", "杨林", "枫桥", "雁塔", "鹤山", "鹿邑", "马鞍", "牛首", "虎林", "象山", "狮岭", "鸿城", "燕郊",
)  # fmt: skip
PLACE_FIRST = "东西南北新安永清长宁江河山湖青白金石平和兴华泰福龙凤云阳明光嘉瑞丰松竹梅兰桂柳杨枫"
PLACE_SECOND = "城桥湾塘岭溪园林坪港口坝洲川源泉峰台庄湖苑里堡坡田埠店渡关"
INDUSTRIES = ("机械", "电子", "化工", "纺织", "建设", "物流", "能源", "医药", "食品", "科技", "交通", "水务")
CN_NUMBERS = "一二三四五六七八九十"

EDUCATIONS = [e.value for e in Education]
EDUCATION_WEIGHTS = {  # by decade of birth: older members went to school for fewer years
    "old": [2, 8, 14, 14, 27, 35],
    "middle": [6, 30, 26, 10, 16, 12],
    "young": [16, 52, 22, 4, 4, 2],
}
POSITIONS = ("", "", "", "", "职员", "科员", "教师", "工程师", "技术员", "主任", "经理", "医生", "会计")
OTHER_ETHNICITIES = ETHNICITIES[1:]
# Cumulative odds of each category by age band; a few leave (出党, 去世) so the default filter has work.
CATEGORY_ODDS = {
    "old": ((0.86, "retired"), (0.965, "employed"), (0.985, "mobile"), (1.0, "deceased")),
    "young": ((0.5, "student"), (0.94, "employed"), (1.0, "mobile")),
    "adult": (
        (0.9, "employed"), (0.95, "mobile"), (0.97, "retired"), (0.98, "abroad"), (0.99, "lost_contact"),
        (0.994, "suspended"), (0.997, "expelled"), (1.0, "deceased"),
    ),
}  # fmt: skip


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 35 → 三十五 (names carry Chinese ordinals, as real ones do)."""
    if n <= 10:
        return CN_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_NUMBERS[tens - 1]
    return head + "十" + (CN_NUMBERS[ones - 1] if ones else "")


@cache
def part_pinyin(part: str) -> tuple[str, str]:
    return name_pinyin(part)


def pinyin_of(parts: Iterable[str]) -> tuple[str, str]:
    """Pinyin of a name made of reused parts: each part is converted once, not each of 60,000 names."""
    pieces = [part_pinyin(p) for p in parts]
    return "".join(p[0] for p in pieces), "".join(p[1] for p in pieces)


def apportion(total: int, weights: Sequence[float], minimum: int = 1) -> list[int]:
    """Splits `total` into integers proportional to `weights`, each at least `minimum` when it fits."""
    n = len(weights)
    floor = minimum if total >= minimum * n else 0
    rest = total - floor * n
    scale = rest / sum(weights)
    shares = [w * scale for w in weights]
    counts = [floor + int(s) for s in shares]
    short = total - sum(counts)
    # Largest remainders first, so the split is as even as the weights allow.
    for i in sorted(range(n), key=lambda i: shares[i] - int(shares[i]), reverse=True)[:short]:
        counts[i] += 1
    return counts


PLACES = [a + b for a in PLACE_FIRST for b in PLACE_SECOND if a != b]
PLACES_LONG = PLACES + [
    f"{a}{b}{c}" for a in PLACE_FIRST for b in PLACE_FIRST for c in PLACE_SECOND if a != b
]


def place_names(rng: Random, count: int, suffix: str = "") -> list[str]:
    """`count` distinct place names (two characters while they last, then three)."""
    pool = PLACES if count <= len(PLACES) else PLACES_LONG
    return [name + suffix for name in rng.sample(pool, count)]


@dataclass
class Branch:
    id: int
    path: str
    unit_name: str


@dataclass
class Tree:
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    branches: list[Branch] = field(default_factory=list)


class TreeBuilder:
    """Lays out the organizations with their final ids, paths and depths before anything is written."""

    def __init__(self, rng: Random, first_id: int, tree_index: int):
        self.rng = rng
        self.next_id = first_id
        self.tree = Tree()
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.cities = [CITY_NAMES[(tree_index * MAX_CITIES + i) % len(CITY_NAMES)] for i in range(MAX_CITIES)]

    def add(
        self,
        parts: tuple[str, ...],
        org_type: str,
        parent: tuple[int, str, int] | None,
        *,
        unit_kind: str = UnitKind.OTHER,
        unit_name: str = "",
        formation_mode: str = FormationMode.SINGLE,
    ) -> tuple[int, str, int]:
        pk = self.next_id
        self.next_id += 1
        path = (parent[1] if parent else "") + encode_segment(pk)
        depth = parent[2] + 1 if parent else 1
        rng = self.rng
        founded = dt.date(
            rng.randint(1985 if depth <= 2 else 1995, 2022), rng.randint(1, 12), rng.randint(1, 28)
        )
        term = 5 if org_type == OrgType.COMMITTEE or org_type == OrgType.WORKING_COMMITTEE else 3
        # Most organizations elected within their term; about one in ten is overdue (the alert shows).
        months_since = (
            rng.randint(1, term * 12 - 1) if rng.random() > 0.1 else rng.randint(term * 12, term * 12 + 18)
        )
        elected = max(founded, self.today - dt.timedelta(days=months_since * 30))
        is_branch = org_type in (OrgType.BRANCH, OrgType.JOINT_BRANCH)
        star = rng.randint(1, 5) if is_branch and rng.random() < 0.4 else None
        name = "".join(parts)
        pinyin, initials = pinyin_of(parts)
        self.tree.rows.append(
            (
                pk, name, "", pinyin[:400], initials[:120], org_type, parent[0] if parent else None, path, depth,
                unit_kind, unit_name, founded, formation_mode, elected, None, star,
                is_branch and rng.random() < 0.02, is_branch and rng.random() < 0.01,
                identities.phone(rng) if rng.random() < 0.5 else "", "", True, self.now, self.now,
            )
        )  # fmt: skip
        return pk, path, depth

    def build(self, members: int) -> Tree:
        rng = self.rng
        target = max(6, round(members / MEMBERS_PER_ORG))
        cities = max(1, min(MAX_CITIES, target // 50))
        counties = max(cities, round(target / ORGS_PER_COUNTY))
        units = max(counties, round((target - 1 - cities - counties) / (BRANCHES_PER_UNIT + 1)))
        branches = max(units, target - 1 - cities - counties - units)

        root = self.add(("合成省", "党工委"), OrgType.WORKING_COMMITTEE, None, unit_kind=UnitKind.GOVERNMENT)
        county_split = apportion(counties, [rng.uniform(0.6, 1.4) for _ in range(cities)])
        county_names = place_names(rng, counties)
        # Each unit's kind first, then the branches spread by kind: streets have many community
        # branches, enterprises a handful, general branches (schools, hospitals) two to six.
        kinds = rng.choices(("street", "enterprise", "general"), weights=(45, 30, 25), k=units)
        weight_of = {"street": 2.2, "enterprise": 1.0, "general": 0.35}
        branch_split = apportion(branches, [weight_of[k] * rng.uniform(0.5, 1.5) for k in kinds])
        unit_split = apportion(units, [rng.uniform(0.5, 1.5) for _ in range(counties)])
        company_names = place_names(rng, sum(1 for k in kinds if k == "enterprise"))
        unit_index = county_index = company_index = 0
        for c in range(cities):
            city_name = self.cities[c] + "市"
            city = self.add((city_name, "委"), OrgType.COMMITTEE, root, unit_kind=UnitKind.GOVERNMENT)
            for _ in range(county_split[c]):
                county_name = county_names[county_index] + ("区" if rng.random() < 0.6 else "县")
                county = self.add(
                    (city_name, county_name, "委"), OrgType.COMMITTEE, city, unit_kind=UnitKind.GOVERNMENT
                )
                n_units = unit_split[county_index]
                county_index += 1
                streets = iter(place_names(rng, n_units, "街道"))
                schools = 0
                for _ in range(n_units):
                    kind, n_branches = kinds[unit_index], branch_split[unit_index]
                    unit_index += 1
                    if kind == "street":
                        self._street(county, county_name, next(streets), n_branches)
                    elif kind == "enterprise":
                        company = f"{company_names[company_index]}{rng.choice(INDUSTRIES)}有限公司"
                        company_index += 1
                        self._enterprise(county, company, n_branches)
                    else:
                        schools += 1
                        self._general(county, county_name, schools, n_branches)
        return self.tree

    def _street(self, county: tuple[int, str, int], county_name: str, street: str, n: int) -> None:
        unit = self.add(
            (county_name, street, "党委"),
            OrgType.COMMITTEE,
            county,
            unit_kind=UnitKind.STREET,
            unit_name=f"{county_name}{street}办事处",
        )
        communities = place_names(self.rng, n, "社区")
        for community in communities:
            joint = self.rng.random() < 0.05
            self._branch(
                (county_name, street, community, "联合党支部" if joint else "党支部"),
                OrgType.JOINT_BRANCH if joint else OrgType.BRANCH,
                unit,
                UnitKind.COMMUNITY,
                f"{street}{community}居民委员会",
            )

    def _enterprise(self, county: tuple[int, str, int], company: str, n: int) -> None:
        unit = self.add(
            (company, "党委"), OrgType.COMMITTEE, county, unit_kind=UnitKind.ENTERPRISE, unit_name=company
        )
        for k in range(1, n + 1):
            self._branch(
                (company, "第", cn_number(k), "党支部"), OrgType.BRANCH, unit, UnitKind.ENTERPRISE, company
            )

    def _general(self, county: tuple[int, str, int], county_name: str, number: int, n: int) -> None:
        school = f"{county_name}第{cn_number(number)}中学"
        unit = self.add(
            (county_name, "第", cn_number(number), "中学", "党总支"),
            OrgType.GENERAL_BRANCH,
            county,
            unit_kind=UnitKind.INSTITUTION,
            unit_name=school,
        )
        for k in range(1, n + 1):
            # The retirees' branch has the same name in every school, as in real registers: an import
            # naming it is refused as ambiguous, so the benchmark picks branches with unique names.
            parts = ("离退休教职工党支部",) if k == n and n > 2 else (school, "第", cn_number(k), "党支部")
            self._branch(parts, OrgType.BRANCH, unit, UnitKind.INSTITUTION, school)

    def _branch(
        self, parts: tuple[str, ...], org_type: str, parent: tuple[int, str, int], kind: str, unit_name: str
    ) -> None:
        pk, path, _ = self.add(parts, org_type, parent, unit_kind=kind, unit_name=unit_name)
        self.tree.branches.append(Branch(pk, path, unit_name))


class MemberFactory:
    """Builds member rows in COPY column order; everything random comes from one seeded generator."""

    def __init__(self, rng: Random, branches: list[Branch], first_id: int, total: int):
        self.rng = rng
        self.branches = branches
        self.first_id = first_id
        self.total = total
        self.now = timezone.now()
        self.today = timezone.localdate()
        # Branch sizes vary (a few members to over a hundred); members are shuffled over the branches,
        # as registrations over the years interleave them.
        sizes = apportion(total, [rng.lognormvariate(0, 0.6) for _ in branches], minimum=3)
        slots = array("i", (i for i, size in enumerate(sizes) for _ in range(size)))
        rng.shuffle(slots)
        self.slots = slots
        self.admissions = array("i", [0]) * total

    def citizen(self, member_id: int, male: bool) -> tuple[str, dt.date]:
        """The member's citizen ID (unique to the id) and the birth date it encodes."""
        region_index = member_id % len(REGIONS)
        rest = member_id // len(REGIONS)
        birth = BIRTH_FIRST + dt.timedelta(days=rest * BIRTH_STRIDE % BIRTH_DAYS)
        lead = rest // BIRTH_DAYS
        gender_digit = self.rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
        first17 = f"{REGIONS[region_index]}{birth:%Y%m%d}{lead:02d}{gender_digit}"
        return first17 + identities.check_digit(first17), birth

    def rows(self) -> Iterator[tuple[Any, ...]]:
        rng = self.rng
        random = rng.random
        randint = rng.randint
        today, now = self.today, self.now
        encrypt, keyed_hash = crypto.encrypt, crypto.keyed_hash
        person_name, phone = identities.person_name, identities.phone
        branches, slots, admissions = self.branches, self.slots, self.admissions
        timedelta = dt.timedelta
        for i in range(self.total):
            member_id = self.first_id + i
            male = random() < 0.72
            number, birth = self.citizen(member_id, male)
            age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
            name, pinyin, initials = person_name(rng)
            branch = branches[slots[i]]

            # Admitted at 19 or later (applications from 18), mostly young, never after today.
            earliest = add_years(birth, 19)
            latest = min(today - timedelta(days=1), add_years(birth, 55))
            admission = earliest + timedelta(days=int((latest - earliest).days * random() ** 1.7))
            admissions[i] = admission.toordinal()
            full: dt.date | None = add_years(admission, 1)
            if full is not None and full > today:
                full = None
            application: dt.date | None
            activist: dt.date | None
            candidate: dt.date | None
            if admission.year >= 1985:
                application = max(add_years(birth, 18), admission - timedelta(days=randint(380, 1500)))
                span = (admission - application).days
                activist = application + timedelta(days=span * 3 // 10)
                candidate = application + timedelta(days=span * 3 // 4)
            else:
                application = activist = candidate = None  # older files rarely kept these dates

            band = "old" if age >= 60 else "young" if age <= 24 else "adult"
            roll = random()
            category = next(value for limit, value in CATEGORY_ODDS[band] if roll < limit)
            if category == "employed":
                since = None
            elif category == "retired" and age >= 60:
                since = max(admission, add_years(birth, 60))
            else:
                since = admission + timedelta(days=int((today - admission).days * random()))
            decade = "old" if birth.year < 1960 else "middle" if birth.year < 1985 else "young"
            education = rng.choices(EDUCATIONS, EDUCATION_WEIGHTS[decade])[0]
            yield (
                member_id, name, pinyin, initials, encrypt(number), keyed_hash(number), number[-4:],
                mask_citizen_id(number), "male" if male else "female",
                "汉族" if random() < 0.93 else OTHER_ETHNICITIES[randint(0, len(OTHER_ETHNICITIES) - 1)],
                birth, education, phone(rng), branch.unit_name,
                "" if category == "retired" else POSITIONS[randint(0, len(POSITIONS) - 1)],
                application, activist, candidate, admission, full,
                MemberStatus.FULL.value if full else MemberStatus.PROBATIONARY.value, category, since,
                branch.id, branch.path, None, None, now, now,
            )  # fmt: skip

    def periods(self, first_period_id: int) -> Iterator[tuple[Any, ...]]:
        from_ordinal = dt.date.fromordinal
        for i in range(self.total):
            yield (
                first_period_id + i,
                self.first_id + i,
                self.branches[self.slots[i]].id,
                from_ordinal(self.admissions[i]),
                None,
                "合成数据",
            )


class Command(BaseCommand):
    help = "生成省级规模的合成数据（组织树与党员），用于性能测试；不写变更历史"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, required=True, help="党员人数")
        parser.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同数据）")
        parser.add_argument(
            "--append", action="store_true", help="库中已有党员时仍生成：另建一棵组织树，编号接在已有数据之后"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        total: int = options["members"]
        if total < 1:
            raise CommandError("--members 应为正整数")
        missing = {f.column for f in Member._meta.concrete_fields} - set(MEMBER_COLUMNS)
        if missing:
            raise CommandError(f"党员表有生成器不认识的列：{', '.join(sorted(missing))}，请更新 gensynthetic")
        if Member.objects.exists() and not options["append"]:
            raise CommandError("数据库中已有党员。若要在其后追加合成数据，请加 --append")
        postgres = connection.vendor == "postgresql"
        rng = Random(options["seed"])
        started = time.perf_counter()

        def lap(label: str, since: float) -> float:
            now = time.perf_counter()
            self.stdout.write(f"{label}：{now - since:.1f} 秒")
            self.stdout.flush()
            return now

        with transaction.atomic():
            if postgres:
                with connection.cursor() as cursor:
                    # Readers may go on; another writer would race for the preassigned ids.
                    cursor.execute(
                        "LOCK TABLE orgs_organization, members_member, members_memberorgperiod "
                        "IN SHARE ROW EXCLUSIVE MODE"
                    )
            org_first = self._next_id(Organization)
            member_first = self._next_id(Member)
            period_first = self._next_id(MemberOrgPeriod)
            if member_first + total > ID_CAPACITY:
                raise CommandError(f"合成身份证号的编号空间只够 {ID_CAPACITY:,} 名党员")
            roots = Organization.objects.filter(parent__isnull=True).count()
            tree = TreeBuilder(rng, org_first, tree_index=roots).build(total)
            factory = MemberFactory(rng, tree.branches, member_first, total)
            step = lap(f"规划：{len(tree.rows):,} 个组织（其中党支部 {len(tree.branches):,} 个）", started)
            self._write(Organization, ORG_COLUMNS, tree.rows, len(tree.rows))
            step = lap("写入组织", step)
            self._write(Member, MEMBER_COLUMNS, factory.rows(), total)
            step = lap(f"写入党员 {total:,} 名", step)
            self._write(MemberOrgPeriod, PERIOD_COLUMNS, factory.periods(period_first), total)
            step = lap("写入组织关系记录", step)
            if postgres:
                self._reset_sequences()
                with connection.cursor() as cursor:
                    # Deferred foreign keys are checked here rather than at COMMIT, so the time shows.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                step = lap("外键检查", step)
        step = lap("提交", step)
        if postgres:
            with connection.cursor() as cursor:
                # Fresh statistics: the planner otherwise sees empty tables and picks bad plans.
                cursor.execute("ANALYZE orgs_organization, members_member, members_memberorgperiod")
            step = lap("ANALYZE", step)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"完成：{len(tree.rows):,} 个组织，{total:,} 名党员，共 {elapsed:.1f} 秒"
                f"（{total / elapsed:,.0f} 名/秒）"
            )
        )

    @staticmethod
    def _next_id(model: type[models.Model]) -> int:
        return (model._default_manager.aggregate(m=Max("id"))["m"] or 0) + 1

    def _write(
        self, model: type[models.Model], columns: list[str], rows: Iterable[tuple[Any, ...]], total: int
    ) -> None:
        report_every = max(100_000, total // 10)
        started = time.perf_counter()

        def progress(done: int) -> None:
            if done % report_every == 0 and done < total:
                rate = done / (time.perf_counter() - started)
                self.stdout.write(f"  {model._meta.verbose_name}：{done:,} / {total:,}（{rate:,.0f} 行/秒）")
                self.stdout.flush()

        table = model._meta.db_table
        if connection.vendor == "postgresql":
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            with connection.cursor() as cursor:
                raw = cursor.cursor
                with raw.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                    for done, row in enumerate(rows, start=1):
                        copy.write_row(row)
                        progress(done)
            return
        attnames = {f.column: f.attname for f in model._meta.concrete_fields}
        names = [attnames[c] for c in columns]
        batch: list[models.Model] = []
        for done, row in enumerate(rows, start=1):
            batch.append(model(**dict(zip(names, row, strict=True))))
            if len(batch) == 2000:
                model._default_manager.bulk_create(batch)
                batch = []
            progress(done)
        model._default_manager.bulk_create(batch)

    @classmethod
    def _reset_sequences(cls) -> None:
        with connection.cursor() as cursor:
            for model in (Organization, Member, MemberOrgPeriod):
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                    [model._meta.db_table, cls._next_id(model) - 1 or 1],
                )
