"""ENG-POL-003-style policy markdown -> `Catalog`.

The importer reads the structure the policy template uses and nothing else:

- front matter `title:` (the policy id is taken from the title's parentheses);
- section 3: numbered headings `3.N` (areas) and `3.N.M` (sections); under a
  section, bullet groups `- **Group Title:**` whose indented bullets are the
  requirements, numbered `<section>.<group letter>.<item>`;
- section 4: the table mapping policy sections to framework controls; a row
  for "All" applies to every requirement, a row for `3.1` to everything under
  3.1, a row for `3.1.2` to section 3.1.2 only;
- section 6: the table of roles and responsibilities.

What the policy leaves implicit is inferred from its text, with the cue
recorded, so that an organisation's edited copy still imports sensibly:
owners (from section 6's responsibility wording), cadence (from phrases such
as "at least quarterly") and verification (configuration state, procedure, or
both). Malformed input raises `CatalogError` naming the file and line.

Regenerate the shipped catalog with `python scripts/regenerate_catalog.py` or
`tutela catalog import POLICY.md -o src/tutela/data/catalog.yaml`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tutela.catalog.model import (
    CADENCE_INTERVAL_DAYS,
    Area,
    Cadence,
    CadenceKind,
    Catalog,
    FrameworkReference,
    Group,
    MappingRow,
    OwnerAssignment,
    Requirement,
    Role,
    Section,
    Verification,
    VerificationKind,
    framework_key,
)
from tutela.errors import CatalogError

__all__ = [
    "import_policy",
    "infer_cadence",
    "infer_owners",
    "infer_verification",
    "parse_policy",
]

POLICY_SECTION = "3"
MAPPING_SECTION = "4"
ROLES_SECTION = "6"
SCOPE_ALL = "all"

# --------------------------------------------------------------------------- entry points


def import_policy(path: Path | str, *, policy_id: str | None = None) -> Catalog:
    """Read a policy markdown file and build its catalog."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError("policy file not found", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise CatalogError(
            f"policy file is not UTF-8 text ({exc.reason})", path=str(path)
        ) from None
    except OSError as exc:
        raise CatalogError(f"cannot read policy file: {exc.strerror}", path=str(path)) from None
    return parse_policy(text, source=str(path), policy_id=policy_id)


def parse_policy(text: str, *, source: str = "<policy>", policy_id: str | None = None) -> Catalog:
    """Build a catalog from policy markdown text; `source` names the file in errors."""
    return _Parser(text, source).parse(policy_id)


# --------------------------------------------------------------------------- markdown parsing

_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<rest>.*?)\s*#*\s*$")
_NUMBERED = re.compile(r"^(?P<number>\d+(?:\.\d+)*)\.?\s+(?P<title>\S.*)$")
_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d+[.)])\s+(?P<body>.*\S)\s*$")
_EMPTY_BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])\s*$")
_GROUP_TITLE = re.compile(r"^(?:\*\*|__)(?P<title>[^*_].*?)(?:\*\*|__)\s*:?$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_POLICY_ID = re.compile(r"\b([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+)\b")
_VERSION = re.compile(
    r"^(?P<name>.*?\S)\s*,?\s+(?P<version>(?:v(?:ersion)?\s*\.?\s*)?\d+(?:\.\d+)+[a-z]?|v\d+[a-z]?)$",
    re.IGNORECASE,
)
_YEAR_VERSION = re.compile(r"^(?P<name>.*?\S)\s*:\s*(?P<version>(?:19|20)\d{2})$")
_CONTROL_TITLE = re.compile(r"\s+[-–—]\s+")
_CONTROL_PREFIX = re.compile(r"^(?:controls?|safeguards?)\s+(?=\S*\d)", re.IGNORECASE)


def _indent_width(indent: str) -> int:
    return len(indent.expandtabs(4))


def _strip_emphasis(cell: str) -> str:
    cell = cell.strip()
    for mark in ("**", "__"):
        if len(cell) > 2 * len(mark) and cell.startswith(mark) and cell.endswith(mark):
            cell = cell[len(mark) : -len(mark)].strip()
    return cell


def _split_row(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells = re.split(r"(?<!\\)\|", body)
    return [_strip_emphasis(cell.replace("\\|", "|")) for cell in cells]


def _is_separator(cells: Sequence[str]) -> bool:
    return bool(cells) and all(re.fullmatch(r":?-{3,}:?", cell.replace(" ", "")) for cell in cells)


@dataclass
class _Heading:
    line: int
    number: str | None
    title: str
    depth: int  # number of "#"


@dataclass
class _TopSection:
    heading: _Heading
    end: int  # index (exclusive, 0-based) of the first line after the section


@dataclass
class _Item:
    text: str
    line: int


@dataclass
class _GroupDraft:
    letter: str
    title: str
    line: int
    header_indent: int
    item_indent: int | None = None
    items: list[_Item] = field(default_factory=list)


@dataclass
class _SectionDraft:
    id: str
    title: str
    line: int
    groups: list[_GroupDraft] = field(default_factory=list)


@dataclass
class _AreaDraft:
    id: str
    title: str
    line: int
    sections: list[_SectionDraft] = field(default_factory=list)


@dataclass(frozen=True)
class _Table:
    header: list[str]
    header_line: int
    rows: list[tuple[int, str, list[str]]]  # (line, raw text, cells)


class _Parser:
    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.lines = text.splitlines()

    def error(self, message: str, line: int | None = None) -> CatalogError:
        return CatalogError(message, path=self.source, line=line)

    # ---------------------------------------------------------------- top level

    def parse(self, policy_id: str | None) -> Catalog:
        front, body_start = self._front_matter()
        headings = self._headings(body_start)
        tops = self._top_sections(headings)
        for number, what in (
            (POLICY_SECTION, "section 3 (the policy requirements)"),
            (MAPPING_SECTION, "section 4 (standards compliance mapping)"),
            (ROLES_SECTION, "section 6 (responsibilities)"),
        ):
            if number not in tops:
                raise self.error(f"missing {what}: no heading numbered '{number}.'")

        title = front.get("title") or tops[POLICY_SECTION].heading.title
        pid = policy_id or self._policy_id(title)

        areas = self._parse_policy_section(tops[POLICY_SECTION], headings)
        roles = self._parse_roles(tops[ROLES_SECTION])
        rows = self._parse_mapping(tops[MAPPING_SECTION])

        requirements = self._build_requirements(areas, rows, roles)
        return Catalog(
            policy_id=pid,
            title=title,
            source=Path(self.source).name if self.source != "<policy>" else None,
            source_sha256=hashlib.sha256(self.text.encode("utf-8")).hexdigest(),
            areas=tuple(
                Area(
                    id=a.id,
                    title=a.title,
                    line=a.line,
                    sections=tuple(
                        Section(
                            id=s.id,
                            title=s.title,
                            line=s.line,
                            groups=tuple(
                                Group(
                                    id=f"{s.id}.{g.letter}",
                                    letter=g.letter,
                                    title=g.title,
                                    line=g.line,
                                )
                                for g in s.groups
                            ),
                        )
                        for s in a.sections
                    ),
                )
                for a in areas
            ),
            requirements=requirements,
            roles=tuple(roles),
            mapping=tuple(row.raw for row in rows),
        )

    def _front_matter(self) -> tuple[dict[str, str], int]:
        if not self.lines or self.lines[0].strip() != "---":
            return {}, 0
        values: dict[str, str] = {}
        for index in range(1, len(self.lines)):
            line = self.lines[index]
            if line.strip() in ("---", "..."):
                return values, index + 1
            match = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$", line)
            if match:
                value = match.group(2)
                if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                    value = value[1:-1]
                values[match.group(1).lower()] = value
        raise self.error("front matter opened with '---' is never closed", 1)

    def _policy_id(self, title: str) -> str:
        for candidate in (title, Path(self.source).stem):
            match = _POLICY_ID.search(candidate)
            if match:
                return match.group(1)
        raise self.error(
            "cannot tell the policy id: put it in the title, e.g. 'title: ... (ENG-POL-003)'", 1
        )

    def _headings(self, start: int) -> list[_Heading]:
        headings: list[_Heading] = []
        in_fence = False
        for index in range(start, len(self.lines)):
            line = self.lines[index]
            if _FENCE.match(line):
                in_fence = not in_fence
                continue
            match = None if in_fence else _HEADING.match(line)
            if not match:
                continue
            rest = match.group("rest")
            numbered = _NUMBERED.match(rest)
            if numbered:
                title = _strip_emphasis(numbered.group("title"))
                headings.append(
                    _Heading(index + 1, numbered.group("number"), title, len(match.group("hashes")))
                )
            else:
                headings.append(
                    _Heading(index + 1, None, _strip_emphasis(rest), len(match.group("hashes")))
                )
        return headings

    def _top_sections(self, headings: list[_Heading]) -> dict[str, _TopSection]:
        tops: dict[str, _TopSection] = {}
        top_headings = [h for h in headings if h.number is not None and "." not in h.number]
        for position, heading in enumerate(top_headings):
            assert heading.number is not None
            if heading.number in tops:
                first = tops[heading.number].heading.line
                raise self.error(
                    f"section {heading.number} appears twice (first at line {first})", heading.line
                )
            end = (
                top_headings[position + 1].line - 1
                if position + 1 < len(top_headings)
                else len(self.lines)
            )
            tops[heading.number] = _TopSection(heading, end)
        return tops

    # ---------------------------------------------------------------- section 3

    def _parse_policy_section(self, top: _TopSection, headings: list[_Heading]) -> list[_AreaDraft]:
        start = top.heading.line  # 0-based index of the line after the heading
        by_line = {h.line: h for h in headings}
        areas: list[_AreaDraft] = []
        area: _AreaDraft | None = None
        section: _SectionDraft | None = None
        group: _GroupDraft | None = None
        last_item: _Item | None = None
        previous_blank = True
        preamble_bullet = False
        in_fence = False

        for index in range(start, top.end):
            number = index + 1
            line = self.lines[index]
            if _FENCE.match(line):
                in_fence = not in_fence
                group, last_item, previous_blank = None, None, False
                continue
            if in_fence:
                continue
            if not line.strip():
                previous_blank = True
                continue

            heading = by_line.get(number)
            if heading is not None:
                group, last_item, preamble_bullet = None, None, False
                previous_blank = True
                if heading.number is None:
                    continue
                parts = heading.number.split(".")
                if parts[0] != POLICY_SECTION:
                    raise self.error(
                        f"heading {heading.number} inside section {POLICY_SECTION}", number
                    )
                if len(parts) == 2:
                    if any(a.id == heading.number for a in areas):
                        raise self.error(f"area {heading.number} appears twice", number)
                    area = _AreaDraft(heading.number, heading.title, number)
                    areas.append(area)
                    section = None
                elif len(parts) == 3:
                    parent = ".".join(parts[:2])
                    if area is None or area.id != parent:
                        where = (
                            f"area {area.id}"
                            if area
                            else f"section {POLICY_SECTION} before any area"
                        )
                        raise self.error(
                            f"section {heading.number} is outside its area {parent} "
                            f"(found under {where})",
                            number,
                        )
                    if any(s.id == heading.number for s in area.sections):
                        raise self.error(f"section {heading.number} appears twice", number)
                    section = _SectionDraft(heading.number, heading.title, number)
                    area.sections.append(section)
                else:
                    raise self.error(
                        f"heading {heading.number} is nested too deep: requirements are the "
                        "bullets of groups under a section like 3.1.1",
                        number,
                    )
                continue

            if _EMPTY_BULLET.match(line):
                raise self.error("empty bullet", number)
            bullet = _BULLET.match(line)
            if bullet:
                indent = _indent_width(bullet.group("indent"))
                body = bullet.group("body").strip()
                title = _GROUP_TITLE.match(body)
                if indent < 2 and title:
                    if section is None:
                        where = (
                            f"area {area.id} before any section"
                            if area
                            else f"section {POLICY_SECTION}"
                        )
                        raise self.error(
                            f"group '{title.group('title').rstrip(':').strip()}' is outside a "
                            f"section (in {where}); groups belong under a heading like 3.1.1",
                            number,
                        )
                    if len(section.groups) >= 26:
                        raise self.error(f"section {section.id} has more than 26 groups", number)
                    group_title = title.group("title").strip().rstrip(":").strip()
                    if not group_title:
                        raise self.error("group with an empty title", number)
                    group = _GroupDraft(
                        chr(ord("a") + len(section.groups)), group_title, number, indent
                    )
                    section.groups.append(group)
                    last_item = None
                    preamble_bullet = False
                elif indent < 2:
                    if area is None and section is None:
                        # A statement of the policy's section 3 itself, before any area.
                        preamble_bullet = True
                        group, last_item = None, None
                    else:
                        raise self.error(
                            "bullet outside any group: a requirement bullet must be indented "
                            "under a group title like '- **Group Title:**'",
                            number,
                        )
                else:
                    if group is None:
                        if preamble_bullet:
                            raise self.error(
                                "a sub-bullet where none is expected (under a section-3 statement)",
                                number,
                            )
                        raise self.error(
                            "bullet outside any group: no '- **Group Title:**' line above it",
                            number,
                        )
                    if group.item_indent is None:
                        group.item_indent = indent
                    elif indent > group.item_indent + 1:
                        raise self.error(
                            "a sub-bullet where none is expected: requirement bullets are one "
                            f"level deep under group '{group.title}'",
                            number,
                        )
                    last_item = _Item(body, number)
                    group.items.append(last_item)
                previous_blank = False
                continue

            # Plain text: lazy continuation of a bullet, or a paragraph.
            stripped = line.strip()
            if stripped.startswith("|"):
                group, last_item = None, None
            elif last_item is not None and (
                not previous_blank or _indent_width(line) - len(line.lstrip()) >= 2
            ):
                last_item.text = f"{last_item.text} {stripped}"
            else:
                # A paragraph (an area's or section's introduction) ends the group.
                group, last_item = None, None
            previous_blank = False

        if not areas:
            raise self.error(
                f"section {POLICY_SECTION} has no areas (headings numbered like 3.1)",
                top.heading.line,
            )
        for a in areas:
            if not a.sections:
                raise self.error(
                    f"area {a.id} has no sections (headings numbered like {a.id}.1)", a.line
                )
            for s in a.sections:
                if not s.groups:
                    raise self.error(
                        f"section {s.id} has no requirement groups ('- **Group Title:**' bullets)",
                        s.line,
                    )
                for g in s.groups:
                    if not g.items:
                        raise self.error(
                            f"group '{g.title}' of section {s.id} has no requirements", g.line
                        )
        return areas

    # ---------------------------------------------------------------- tables

    def _table(self, top: _TopSection, what: str) -> _Table:
        start = top.heading.line
        index = start
        while index < top.end and not self.lines[index].lstrip().startswith("|"):
            index += 1
        if index >= top.end:
            raise self.error(f"section {top.heading.number} has no {what} table", top.heading.line)
        header = _split_row(self.lines[index])
        header_line = index + 1
        index += 1
        if index < top.end and _is_separator(_split_row(self.lines[index])):
            index += 1
        else:
            raise self.error(f"{what} table has no '|---|' separator row", header_line + 1)
        rows: list[tuple[int, str, list[str]]] = []
        while index < top.end and self.lines[index].lstrip().startswith("|"):
            raw = self.lines[index].strip()
            cells = _split_row(raw)
            if len(cells) != len(header):
                raise self.error(
                    f"{what} row has {len(cells)} cells where the header has {len(header)}",
                    index + 1,
                )
            rows.append((index + 1, raw, cells))
            index += 1
        if not rows:
            raise self.error(f"{what} table has no rows", header_line)
        return _Table(header, header_line, rows)

    @staticmethod
    def _column(header: Sequence[str], cues: Iterable[str], default: int) -> int:
        lowered = [cell.lower() for cell in header]
        for cue in cues:
            for position, cell in enumerate(lowered):
                if cue in cell:
                    return position
        return default

    # ---------------------------------------------------------------- section 6

    def _parse_roles(self, top: _TopSection) -> list[Role]:
        table = self._table(top, "responsibilities")
        name_col = self._column(table.header, ("role",), 0)
        text_col = self._column(table.header, ("responsib",), 1)
        roles: list[Role] = []
        for line, _raw, cells in table.rows:
            name, text = cells[name_col], cells[text_col]
            if not name or not text:
                raise self.error("responsibilities row needs a role and a responsibility", line)
            if any(role.name == name for role in roles):
                raise self.error(f"role '{name}' appears twice", line)
            roles.append(Role(name=name, responsibility=text, line=line))
        return roles

    # ---------------------------------------------------------------- section 4

    def _parse_mapping(self, top: _TopSection) -> list[_Row]:
        table = self._table(top, "standards mapping")
        scope_col = self._column(table.header, ("section", "scope"), 0)
        framework_col = self._column(table.header, ("standard", "framework"), 1)
        control_col = self._column(table.header, ("control", "reference"), 2)
        if len({scope_col, framework_col, control_col}) != 3:
            raise self.error(
                "standards mapping table needs 'Policy Section', 'Standard/Framework' and "
                "'Control Reference' columns",
                table.header_line,
            )
        rows: list[_Row] = []
        for line, raw, cells in table.rows:
            scope, framework, control = cells[scope_col], cells[framework_col], cells[control_col]
            if not scope or not framework or not control:
                raise self.error("standards mapping row has an empty cell", line)
            rows.append(
                _Row(
                    raw=MappingRow(
                        scope=scope, framework=framework, control=control, line=line, text=raw
                    ),
                    scopes=_parse_scope(scope),
                    references=_parse_references(framework, control, scope, line, self.source),
                )
            )
        return rows

    # ---------------------------------------------------------------- assembly

    def _build_requirements(
        self, areas: list[_AreaDraft], rows: list[_Row], roles: list[Role]
    ) -> tuple[Requirement, ...]:
        known: set[str] = set()
        for a in areas:
            known.add(a.id)
            for s in a.sections:
                known.add(s.id)
                for g in s.groups:
                    known.add(f"{s.id}.{g.letter}")
                    known.update(f"{s.id}.{g.letter}.{n}" for n in range(1, len(g.items) + 1))
        for row in rows:
            for scope in row.scopes:
                if scope != SCOPE_ALL and scope not in known:
                    area_ids = ", ".join(a.id for a in areas)
                    raise self.error(
                        f"standards mapping row scope '{scope}' names a section that does not "
                        f"exist (areas: {area_ids})",
                        row.raw.line,
                    )

        requirements: list[Requirement] = []
        for a in areas:
            for s in a.sections:
                for g in s.groups:
                    for number, item in enumerate(g.items, start=1):
                        rid = f"{s.id}.{g.letter}.{number}"
                        references = tuple(
                            ref
                            for row in rows
                            if any(_applies(scope, rid) for scope in row.scopes)
                            for ref in row.references
                        )
                        context = _Context(
                            text=item.text,
                            area_title=a.title,
                            section_title=s.title,
                            group_title=g.title,
                        )
                        cadence = infer_cadence(item.text)
                        requirements.append(
                            Requirement(
                                id=rid,
                                text=item.text,
                                line=item.line,
                                area=a.id,
                                area_title=a.title,
                                section=s.id,
                                section_title=s.title,
                                group=g.letter,
                                group_title=g.title,
                                item=number,
                                owners=infer_owners(context, roles),
                                cadence=cadence,
                                verification=infer_verification(item.text, cadence),
                                references=references,
                            )
                        )
        return tuple(requirements)


@dataclass(frozen=True)
class _Row:
    raw: MappingRow
    scopes: tuple[str, ...]
    references: tuple[FrameworkReference, ...]


def _applies(scope: str, requirement_id: str) -> bool:
    return scope == SCOPE_ALL or requirement_id == scope or requirement_id.startswith(scope + ".")


def _parse_scope(cell: str) -> tuple[str, ...]:
    scopes: list[str] = []
    for part in re.split(r"\s*[,;]\s*|\s+and\s+", cell.strip()):
        part = part.strip().rstrip(".")
        if not part:
            continue
        # "All", or an area/section/group/requirement id; unknown ids are reported by the caller
        scopes.append(SCOPE_ALL if part.lower() == SCOPE_ALL else part)
    return tuple(scopes)


def _parse_references(
    framework: str, control: str, scope: str, line: int, source: str
) -> tuple[FrameworkReference, ...]:
    name, version = framework.strip(), None
    match = _YEAR_VERSION.match(name) or _VERSION.match(name)
    if match:
        name, version = match.group("name").strip(), match.group("version").replace(" ", "")
    key = framework_key(name)

    parts = _CONTROL_TITLE.split(control.strip(), maxsplit=1)
    ids_text = parts[0].strip()
    title = parts[1].strip() if len(parts) > 1 and parts[1].strip() else None
    ids_text = _CONTROL_PREFIX.sub("", ids_text)
    ids = [part.strip() for part in re.split(r"\s*[,;]\s*", ids_text) if part.strip()]
    if not ids:
        raise CatalogError(
            f"standards mapping row has no control id in '{control}'", path=source, line=line
        )
    return tuple(
        FrameworkReference(
            framework=key,
            framework_name=name,
            version=version,
            control=control_id,
            title=title,
            scope=scope,
            line=line,
        )
        for control_id in ids
    )


# --------------------------------------------------------------------------- cadence

_PERIODS: tuple[tuple[CadenceKind, str], ...] = (
    (CadenceKind.DAILY, r"daily|every day"),
    (CadenceKind.WEEKLY, r"weekly|every week"),
    (CadenceKind.MONTHLY, r"monthly|every month"),
    (CadenceKind.QUARTERLY, r"quarterly|every quarter|every (?:three|3) months"),
    (CadenceKind.SEMIANNUAL, r"semi-?annual(?:ly)?|twice a year|every (?:six|6) months"),
    (CadenceKind.ANNUAL, r"annual(?:ly)?|yearly|every year|once a year|every (?:twelve|12) months"),
)
_TRIGGER = r"(?P<trigger>(?:when|whenever|upon|after|if)\s+[^.;,]+?)(?=\s+to\s|[.;,]|$)"
_EVENT_PATTERNS = (
    re.compile(r"\bupon\s+(?P<trigger>[^.;,]+?)(?=\s+to\s|[.;,]|$)", re.IGNORECASE),
    re.compile(r"\bafter\s+(?P<trigger>each\s+[^.;,]+?)(?=\s+to\s|[.;,]|$)", re.IGNORECASE),
    re.compile(r"\bin the event of\s+(?P<trigger>[^.;,]+?)(?=\s+to\s|[.;,]|$)", re.IGNORECASE),
    re.compile(
        r"\bfollowing\s+(?P<trigger>(?:each|any|every)\s+[^.;,]+?)(?=\s+to\s|[.;,]|$)",
        re.IGNORECASE,
    ),
)
_CHANGE_PATTERN = re.compile(
    r"\b(?:before|prior to)\s+(?:being\s+)?"
    r"(?:merged|merging|deployment|deploying|release|production release)\b",
    re.IGNORECASE,
)


def infer_cadence(text: str) -> Cadence:
    """The cadence the requirement text states, else continuous.

    "at least quarterly" and "Quarterly" give quarterly (91 days); "annually or
    when ..." gives annual with the "when ..." trigger; "upon ..." and "after
    each ..." give on_event; "before deployment"/"before being merged" give
    on_change. `phrase` keeps the matched words.
    """
    for kind, words in _PERIODS:
        match = re.search(
            rf"\b(?:at least\s+|performed\s+)?(?:{words})\b(?:\s+or\s+{_TRIGGER})?",
            text,
            re.IGNORECASE,
        )
        if match:
            trigger = match.group("trigger")
            return Cadence(
                kind=kind,
                interval_days=CADENCE_INTERVAL_DAYS[kind],
                phrase=match.group(0).strip(),
                trigger=trigger.strip() if trigger else None,
            )
    for pattern in _EVENT_PATTERNS:
        match = pattern.search(text)
        if match:
            return Cadence(
                kind=CadenceKind.ON_EVENT,
                phrase=match.group(0).strip(),
                trigger=match.group("trigger").strip(),
            )
    match = _CHANGE_PATTERN.search(text)
    if match:
        return Cadence(kind=CadenceKind.ON_CHANGE, phrase=match.group(0).strip())
    return Cadence(kind=CadenceKind.CONTINUOUS)


# --------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class _Cue:
    label: str
    pattern: re.Pattern[str]

    def find(self, text: str) -> str | None:
        match = self.pattern.search(text)
        return match.group(0) if match else None


def _cues(*pairs: tuple[str, str]) -> tuple[_Cue, ...]:
    return tuple(_Cue(label, re.compile(pattern, re.IGNORECASE)) for label, pattern in pairs)


CONFIG_CUES = _cues(
    ("encryption", r"\bencrypt\w*|\bTLS\b|\bVPN\b|forward secrecy"),
    ("certificates", r"\bcertificate management\b"),
    (
        "key management service",
        r"\bKMS\b|key management services?|customer-managed encryption keys|\bCMEK\b",
    ),
    ("key policy separation", r"separation of key management"),
    ("HSM", r"\bHSM\b|hardware security module"),
    ("key/credential rotation", r"\brotation\b"),
    (
        "geographic distribution",
        r"geographic(?:al)? distribution|geographically separated|data residency",
    ),
    ("MFA", r"multi-factor authentication|\bMFA\b"),
    ("SSO", r"single sign-on|\bSSO\b"),
    ("least privilege", r"least privilege|minimal required permissions"),
    ("role-based access control", r"role-based access control|\bRBAC\b"),
    ("access expiration", r"time-based access expiration"),
    ("access controls", r"(?<!elevated )\baccess controls\b"),
    (
        "logging",
        r"\baudit logging\b|\blogging\b|centralized log|"
        r"\blog (?:collection|retention|storage|integrity)",
    ),
    ("alerting", r"\balerting\b|threat detection|anomaly detection|real-time monitoring|\bSIEM\b"),
    (
        "network exposure",
        r"network policies|micro-segmentation|\bisolation\b|unnecessary services|rate limiting|"
        r"public(?:ly)? access\w*|internet-facing|security groups?|open ports|"
        r"\bingress\b|\bfirewall",
    ),
    ("API gateway", r"\bAPI Gateway\b"),
    (
        "backups",
        r"automated backups|backup (?:integrity|monitoring|alerting)|point-in-time recovery|"
        r"automated failover",
    ),
    ("retention", r"\bretention polic(?:y|ies)\b"),
    ("hardened images", r"hardened images|minimal base images|image updates"),
    ("security baseline", r"security baselines?\b|baseline enforcement"),
    ("drift detection", r"drift detection"),
    ("vulnerability scanning", r"vulnerability scanning|image security scanning"),
    ("image signing", r"image signing"),
    ("container registry", r"container registr(?:y|ies)"),
    ("container hardening", r"resource limits|orchestration platform security"),
    ("secrets management", r"secrets? management|secret stores|secure vaults"),
    ("endpoint detection", r"endpoint detection and response|\bEDR\b"),
    ("function timeouts", r"\btimeout\b"),
    ("execution roles", r"execution roles"),
    ("event source validation", r"event source security"),
)
"""Configuration states that rules can check in IaC or cloud APIs."""

PROCESS_CUES = _cues(
    ("documented", r"\bdocument(?:ed|ation)\b"),
    ("procedures", r"\bprocedures?\b"),
    ("review", r"\breview(?:s|ed)?\b"),
    ("approval", r"\bapproval\b|\bformally approved\b"),
    ("testing", r"\btesting\b|\btested\b|\bexercises?\b"),
    ("validation", r"restoration validation|regular validation|validated through"),
    ("SLA", r"\bSLAs?\b|service level agreements"),
    ("patch management", r"patch management"),
    ("rotation policy", r"rotation polic(?:y|ies)"),
    ("retention policy", r"retention polic(?:y|ies)"),
    ("change management", r"change management"),
    ("escalation", r"\bescalation\b"),
    ("24/7 operations", r"24/7"),
    ("reporting", r"\breporting\b"),
    ("workflow", r"\bworkflows?\b"),
    ("personnel", r"\bpersonnel\b|\bmanual\b"),
    ("pre-deployment activity", r"before deployment|deployment process"),
)
"""Processes that produce evidence (documents, reviews, tests, agreements...)."""

PROCEDURAL_CUES = _cues(
    ("training", r"\btraining\b|\bawareness\b"),
    (
        "coordination",
        r"\bcoordination (?:with|during)\b|communication (?:procedures|channels)|\bnotification\b",
    ),
    ("vendor assessment", r"vendor risk assessments?|compliance certifications"),
    ("shared responsibility", r"shared responsibility"),
    ("post-incident review", r"post-incident review|lessons learned"),
    ("considerations", r"\bconsiderations\b"),
    ("forensics", r"forensics capabilities|evidence preservation"),
    ("CI/CD pipeline practice", r"\bCI/CD\b|\bpipelines?\b|deployment (?:environments|artifacts)"),
    ("exception handling", r"exception handling"),
    ("multi-person authorization", r"multi-person authorization"),
    ("disposal", r"\bdisposal\b|destruction procedures"),
    ("application-level control", r"end-to-end encryption"),
)
"""Activities that are procedural whatever configuration they mention."""


_PURPOSE = re.compile(
    r"(?:,\s*|\s+)(?:in order\s+)?to\s+(?:ensure|prevent|provide|enable|identify|protect|detect|"
    r"maintain|reduce|minimi[sz]e|restrict|support|validate|streamline|correlate|address|deliver|"
    r"meet|keep|guarantee|allow|help|remove|avoid|limit)\b.*$",
    re.IGNORECASE,
)


def _without_purpose(text: str) -> str:
    """The requirement without its trailing purpose clause ("... to ensure ...").

    Cues in the purpose ("so that only authorized personnel can access") say
    why, not what: they must not change how the requirement is verified.
    """
    return _PURPOSE.sub("", text).strip() or text


def _found(cues: Iterable[_Cue], text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for cue in cues:
        words = cue.find(text)
        if words is not None:
            found.append((cue.label, words))
    return found


def _quote(found: Sequence[tuple[str, str]], limit: int = 2) -> str:
    return ", ".join(f"'{words}'" for _label, words in found[:limit])


def infer_verification(text: str, cadence: Cadence | None = None) -> Verification:
    """Automated, evidence or hybrid, decided by cues in the requirement text.

    - a procedural activity (training, coordination, vendor assessment...)
      is evidence whatever it mentions;
    - a configuration state checkable in IaC or cloud APIs (encryption, MFA,
      least privilege, logging, network exposure, backups...) is automated,
      or hybrid when the text also demands a process (documentation, review,
      testing, SLAs, a periodic or event-driven activity);
    - anything else is evidence.
    """
    core = _without_purpose(text)
    procedural = _found(PROCEDURAL_CUES, core)
    if procedural:
        label = procedural[0][0]
        return Verification(
            kind=VerificationKind.EVIDENCE,
            rationale=(
                f"{label} ({_quote(procedural)}) is not a configuration state of IaC or "
                "cloud APIs: verified by recorded evidence"
            ),
        )
    config = _found(CONFIG_CUES, core)
    process = _found(PROCESS_CUES, core)
    if cadence is not None and cadence.kind not in (CadenceKind.CONTINUOUS, CadenceKind.ON_CHANGE):
        process.append(("cadence", cadence.phrase or cadence.kind.value))
    if config and process:
        return Verification(
            kind=VerificationKind.HYBRID,
            rationale=(
                f"configuration state checkable in IaC/cloud APIs ({_quote(config)}) "
                f"plus a process needing evidence ({_quote(process)})"
            ),
        )
    if config:
        return Verification(
            kind=VerificationKind.AUTOMATED,
            rationale=f"configuration state checkable in IaC/cloud APIs ({_quote(config)})",
        )
    if process:
        return Verification(
            kind=VerificationKind.EVIDENCE,
            rationale=f"process or activity ({_quote(process)}): verified by recorded evidence",
        )
    return Verification(
        kind=VerificationKind.EVIDENCE,
        rationale=(
            "no configuration state checkable in IaC/cloud APIs is named: verified by evidence"
        ),
    )


# --------------------------------------------------------------------------- owners


@dataclass(frozen=True)
class _Context:
    text: str
    area_title: str
    section_title: str
    group_title: str

    @property
    def local(self) -> str:
        """Section title, group title and text: what the bullet itself is about."""
        return f"{self.section_title} | {self.group_title} | {self.text}"


@dataclass(frozen=True)
class _OwnerRule:
    """A topic of the policy and the section-6 responsibility wording that owns it."""

    topic: str
    applies: Callable[[_Context], str | None]
    """Returns the cue that matched, or None."""
    responsibilities: tuple[str, ...]
    """Regexes over section-6 responsibility text; the first that matches a role wins."""


def _search(pattern: str, pick: Callable[[_Context], str]) -> Callable[[_Context], str | None]:
    regex = re.compile(pattern, re.IGNORECASE)

    def applies(context: _Context) -> str | None:
        match = regex.search(pick(context))
        return match.group(0) if match else None

    return applies


def _text(c: _Context) -> str:
    return c.text


def _local(c: _Context) -> str:
    return c.local


def _area(c: _Context) -> str:
    return c.area_title


def _section(c: _Context) -> str:
    return c.section_title


def _group(c: _Context) -> str:
    return c.group_title


def _both(
    first: Callable[[_Context], str | None], second: Callable[[_Context], str | None]
) -> Callable[[_Context], str | None]:
    def applies(context: _Context) -> str | None:
        return second(context) if first(context) is not None else None

    return applies


OWNER_RULES: tuple[_OwnerRule, ...] = (
    _OwnerRule(
        "database encryption",
        _search(
            r"\bdatabase encryption\b|\bdatabases?\b(?=[^.]*\bencrypt)|"
            r"(?<=encryption )\bdatabases?\b",
            _text,
        ),
        (r"manage database encryption", r"database"),
    ),
    _OwnerRule(
        "database",
        _search(r"\bdatabases?\b", _text),
        (r"implement database security controls", r"database"),
    ),
    _OwnerRule(
        "CI/CD pipelines",
        _search(r"\bCI/CD\b|\bpipelines?\b|\bdeployment artifacts\b", _local),
        (r"implement secure CI/CD pipelines", r"CI/CD"),
    ),
    _OwnerRule(
        "infrastructure as code",
        _search(
            r"infrastructure as code|\bIaC\b|configuration management|"
            r"infrastructure (?:code|templates)",
            _area,
        ),
        (r"manage infrastructure as code", r"infrastructure as code"),
    ),
    _OwnerRule(
        "container orchestration",
        _search(r"\borchestration\b|\bkubernetes\b", _text),
        (r"manage container orchestration platform security", r"container orchestration"),
    ),
    _OwnerRule(
        "containers",
        _search(r"\bcontainer\w*", _local),
        (r"implement container security controls", r"container"),
    ),
    _OwnerRule(
        "serverless",
        _search(r"\bserverless\b|\bAPI Gateway\b|\bLambda\b", _local),
        (r"design and implement secure cloud infrastructure", r"cloud infrastructure"),
    ),
    _OwnerRule(
        "cloud architecture",
        _search(r"\barchitecture\b", _section),
        (r"design secure cloud architecture", r"architecture"),
    ),
    _OwnerRule(
        "identity and access",
        _search(r"identity|access management|\bIAM\b|access review", _area),
        (r"manage system access", r"\baccess\b"),
    ),
    _OwnerRule(
        "hardening and baselines",
        _search(
            r"hardening|hardened|baselin\w+|vulnerability scanning|patch|\bEDR\b|"
            r"endpoint detection",
            _local,
        ),
        (r"implement security baselines", r"configure and maintain secure systems"),
    ),
    _OwnerRule(
        "encryption and keys",
        _search(
            r"encrypt\w*|key management|\bKMS\b|\bHSM\b|\bTLS\b|\bVPN\b|certificate|cryptograph\w*",
            _local,
        ),
        (r"manage cloud security configurations", r"security configurations"),
    ),
    _OwnerRule(
        "backup and recovery",
        _search(r"backup|disaster recovery|business continuity", _area),
        (r"design and implement secure cloud infrastructure", r"cloud infrastructure"),
    ),
    _OwnerRule(
        "security monitoring",
        _both(_search(r"\bmonitoring\b", _area), _search(r"\bmonitoring\b", _section)),
        (r"provide 24/7 security monitoring", r"monitor infrastructure security events"),
    ),
    _OwnerRule(
        "security monitoring",
        _both(_search(r"\bmonitoring\b", _area), _search(r"\bmonitoring\b", _section)),
        (r"monitor infrastructure security(?! events)",),
    ),
    _OwnerRule(
        "access monitoring",
        _search(r"\bmonitoring\b|\bauditing\b", _group),
        (r"monitor infrastructure security events", r"security events"),
    ),
    _OwnerRule(
        "incident response",
        _search(r"\bincident response\b", _section),
        (r"coordinate incident response",),
    ),
    _OwnerRule(
        "incident response",
        _search(r"\bincident response\b", _section),
        (r"respond to infrastructure security incidents",),
    ),
    _OwnerRule(
        "security alerts",
        _search(r"\balert\w*|anomal\w+|suspicious|\bSIEM\b", _text),
        (r"analyze security alerts", r"security alerts"),
    ),
    _OwnerRule(
        "audit",
        _search(r"\baudit(?! logging)\b|\baudit trails\b", _text),
        (r"coordinate audit activities", r"audit"),
    ),
    _OwnerRule(
        "compliance assessment",
        _search(
            r"compliance (?:certifications|checking|monitoring|validation|posture)|"
            r"vendor risk assessments?",
            _text,
        ),
        (r"conduct compliance assessments", r"compliance"),
    ),
    _OwnerRule(
        "security standards",
        _search(r"\bstandards\b[^.]*\b(?:reviewed|updated|established|defined)\b", _text),
        (r"establish security standards",),
    ),
    _OwnerRule(
        "training",
        _search(r"\btraining\b|\bawareness\b", _text),
        (r"participate in security training", r"training"),
    ),
)
"""Topic -> section-6 responsibility. Roles are found by their wording, not their names."""

FALLBACK_RESPONSIBILITIES = (r"implement security controls", r"security")


def _responsible(roles: Sequence[Role], patterns: Iterable[str]) -> tuple[Role, str] | None:
    for pattern in patterns:
        regex = re.compile(pattern, re.IGNORECASE)
        for role in roles:
            match = regex.search(role.responsibility)
            if match:
                return role, _clause(role.responsibility, match.start(), match.end())
    return None


def _clause(text: str, start: int, end: int) -> str:
    """The comma-separated clause of the responsibility text around a match."""
    left = max(text.rfind(",", 0, start), text.rfind(";", 0, start))
    right_candidates = [
        pos for pos in (text.find(",", end), text.find(";", end), text.find(".", end)) if pos >= 0
    ]
    right = min(right_candidates) if right_candidates else len(text)
    clause = text[left + 1 : right].strip()
    clause = re.sub(r"^(?:and|or)\s+", "", clause)
    return clause[:1].lower() + clause[1:]


def infer_owners(context: _Context, roles: Sequence[Role]) -> tuple[OwnerAssignment, ...]:
    """Owner roles for a requirement, inferred from section 6's responsibility wording.

    The policy assigns roles by area, not per bullet, so every assignment is
    marked inferred with the section-6 clause it rests on.
    """
    owners: dict[str, OwnerAssignment] = {}
    for rule in OWNER_RULES:
        cue = rule.applies(context)
        if cue is None:
            continue
        found = _responsible(roles, rule.responsibilities)
        if found is None:
            continue
        role, clause = found
        if role.name not in owners:
            owners[role.name] = OwnerAssignment(
                role=role.name,
                inferred=True,
                basis=f"section 6 assigns '{clause}' to {role.name} ({rule.topic}: '{cue}')",
            )
    if not owners:
        found = _responsible(roles, FALLBACK_RESPONSIBILITIES)
        role, clause = found if found is not None else (roles[0], roles[0].responsibility)
        owners[role.name] = OwnerAssignment(
            role=role.name,
            inferred=True,
            basis=f"no topic matched; section 6 assigns '{clause}' to {role.name}",
        )
    return tuple(owners.values())
