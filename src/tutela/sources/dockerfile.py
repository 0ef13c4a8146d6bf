"""Dockerfiles -> one normalized `Dockerfile` resource per file.

A small hand-written parser rather than `dockerfile-parse`: that library is fast
enough, but it is lossy where a security scanner cannot be. It ends an
instruction at a blank line inside a continuation (BuildKit skips such lines),
reads heredoc bodies as instructions (a `USER root` inside `RUN <<EOF` would
count as the image's user), and silently drops an instruction continued at the
end of the file. This parser follows BuildKit's rules instead:

- parser directives (`# escape=`, `# syntax=`) only at the very top;
- comments and blank lines are skipped, also inside a continuation;
- a line ending in the escape character (`\\` or `` ` ``, optionally followed by
  blanks) continues on the next line;
- heredocs (`<<EOF`, `<<-EOF`, `<<"EOF"`) on RUN, COPY and ADD take their body;
- instructions are case-insensitive; keywords are reported upper-case.

Variable substitution (`$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:+alt}`,
`${VAR-default}`, `${VAR+alt}`) is applied to the instructions Docker applies it
to (FROM with the global ARGs; ADD, COPY, ENV, ARG, EXPOSE, LABEL, STOPSIGNAL,
USER, VOLUME, WORKDIR with the stage's ARGs and ENVs, ENV taking precedence).
RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK and ONBUILD keep their text as written:
their variables are expanded by a shell at build or run time. A variable whose
value cannot be known here (an ARG without default, a build-time predefined
ARG such as `TARGETARCH`, an undeclared name) is left as written, so rules see
`python:${PY}` rather than a silently wrong `python:`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tutela.model.base import SOURCE_DOCKERFILE, Resource
from tutela.model.container import Dockerfile, Instruction, Stage
from tutela.model.values import Location
from tutela.sources.raw import ParseError

__all__ = ["INSTRUCTIONS", "expand", "is_dockerfile", "load_dockerfile", "parse_dockerfile_text"]

INSTRUCTIONS = frozenset(
    {
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    }
)
_SUBSTITUTED = frozenset(
    {"ADD", "ARG", "COPY", "ENV", "EXPOSE", "LABEL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"}
)
_HEREDOC_KEYWORDS = frozenset({"RUN", "COPY", "ADD"})

_DIRECTIVE = re.compile(r"#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(.*?)\s*$")
_HEREDOC = re.compile(r"(?:^|(?<=\s))<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_.-]*)\2(?=\s|$)")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_IMAGE_TOKEN = re.compile(r"[A-Za-z0-9_${}][A-Za-z0-9_.\-/:@${}]*")

_NAME_SUFFIXES = (".dockerfile", ".containerfile")
_NOT_DOCKERFILE_SUFFIXES = frozenset(
    {
        ".bat",
        ".go",
        ".js",
        ".json",
        ".md",
        ".ps1",
        ".py",
        ".rst",
        ".sh",
        ".toml",
        ".ts",
        ".yaml",
        ".yml",
    }
)


# --------------------------------------------------------------------------- detection


def is_dockerfile(path: Path, head: str) -> bool:
    """True for a Dockerfile by name (`Dockerfile`, `Dockerfile.api`, `api.Dockerfile`,
    `Containerfile`) or, failing that, by content: the first instruction (after
    directives, comments and blank lines) is FROM or ARG, there is a FROM with an
    image-like argument, and every instruction in `head` is a Dockerfile keyword."""
    name = path.name.lower()
    if name in ("dockerfile", "containerfile"):
        return True
    if name.endswith(_NAME_SUFFIXES):
        return True
    if name.startswith(("dockerfile.", "containerfile.")) and (
        Path(name).suffix not in _NOT_DOCKERFILE_SUFFIXES
    ):
        return True
    return _content_looks_like_dockerfile(head)


def _content_looks_like_dockerfile(head: str) -> bool:
    if not head or "\x00" in head:
        return False
    text = head.lstrip("\ufeff")
    lines = _split_lines(text)
    if not text.endswith(("\n", "\r")) and len(lines) > 1:
        lines = lines[:-1]  # `head` may stop mid-line
    escape, first = _directives(lines)
    seen_from = False
    for count, logical in enumerate(_logical_lines(lines, first, escape)):
        keyword = logical.keyword
        if keyword not in INSTRUCTIONS:
            return False
        if count == 0 and keyword not in ("FROM", "ARG"):
            return False
        if keyword == "FROM":
            words = [w for w in logical.value.split() if not w.startswith("--")]
            if not words or not _IMAGE_TOKEN.fullmatch(words[0]):
                return False
            if len(words) not in (1, 3) or (len(words) == 3 and words[1].lower() != "as"):
                return False
            seen_from = True
    return seen_from


# --------------------------------------------------------------------------- loading


def load_dockerfile(path: Path, *, root: Path) -> tuple[list[Resource], list[ParseError]]:
    """Read one Dockerfile. Never raises for bad input: problems come back as ParseErrors."""
    rel = _relative(path, root)
    try:
        data = path.read_bytes()
    except OSError as exc:
        message = f"cannot read file: {exc.strerror or exc}"
        return [], [ParseError(rel, None, None, message, SOURCE_DOCKERFILE)]
    text, error = _decode(data, rel)
    if error is not None:
        return [], [error]
    assert text is not None
    return parse_dockerfile_text(text, rel, name=path.name)


def parse_dockerfile_text(
    text: str, file: str, *, name: str | None = None
) -> tuple[list[Resource], list[ParseError]]:
    """Parse Dockerfile text already decoded; `file` is the path reported in locations."""
    text = text.lstrip("\ufeff")
    lines = _split_lines(text)
    if lines and lines[-1] == "" and len(lines) > 1:
        lines.pop()  # the text ended with a newline
    last_line = max(len(lines), 1)
    escape, first = _directives(lines)
    builder = _Builder(file, escape)
    for logical in _logical_lines(lines, first, escape):
        builder.add(logical)
    return builder.finish(last_line, name if name is not None else file.rsplit("/", 1)[-1])


# --------------------------------------------------------------------------- lexing


@dataclass(slots=True)
class _Logical:
    keyword: str  # upper-case
    value: str  # the arguments, continuation lines joined, heredoc bodies appended
    line: int  # 1-based
    end_line: int
    raw: str


def _split_lines(text: str) -> list[str]:
    """Split on \\n only (as Docker does), dropping a trailing \\r from each line."""
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def _directives(lines: list[str]) -> tuple[str, int]:
    """The escape character and the index of the first line after the directives."""
    escape = "\\"
    seen: set[str] = set()
    for index, line in enumerate(lines):
        match = _DIRECTIVE.match(line)
        if match is None:
            return escape, index
        key = match.group(1).lower()
        if key in seen:
            return escape, index  # a repeated directive is an ordinary comment
        seen.add(key)
        if key == "escape" and match.group(2) in ("\\", "`"):
            escape = match.group(2)
    return escape, len(lines)


def _is_skipped(line: str) -> bool:
    stripped = line.lstrip()
    return not stripped or stripped.startswith("#")


def _continues(line: str, escape: str) -> tuple[str, bool]:
    """The line without a trailing continuation mark, and whether it had one."""
    trimmed = line.rstrip(" \t")
    if trimmed.endswith(escape):
        return trimmed[:-1], True
    return line, False


def _logical_lines(lines: list[str], first: int, escape: str) -> Iterator[_Logical]:
    n = len(lines)
    i = first
    while i < n:
        line = lines[i]
        if _is_skipped(line):
            i += 1
            continue
        start = i
        end = i
        parts: list[str] = []
        current = line
        while True:
            body, more = _continues(current, escape)
            parts.append(body)
            if not more:
                break
            j = end + 1
            while j < n and _is_skipped(lines[j]):
                j += 1
            if j >= n:
                break  # continued at the end of the file
            end = j
            current = lines[j]
        pieces = "".join(parts).split(None, 1)
        keyword = pieces[0].upper() if pieces else ""
        value = pieces[1].strip() if len(pieces) > 1 else ""
        if keyword in _HEREDOC_KEYWORDS and "<<" in value and not value.startswith("["):
            bodies: list[str] = []
            for match in _HEREDOC.finditer(value):
                strip_tabs = match.group(1) == "-"
                terminator = match.group(3)
                j = end + 1
                while j < n:
                    candidate = lines[j].lstrip("\t") if strip_tabs else lines[j]
                    if candidate == terminator:
                        break
                    j += 1
                stop = min(j, n - 1)
                bodies.extend(lines[end + 1 : stop + 1])
                end = stop
            if bodies:
                value = value + "\n" + "\n".join(bodies)
        raw = "\n".join(lines[start : end + 1])
        yield _Logical(keyword, value, start + 1, end + 1, raw)
        i = end + 1


# --------------------------------------------------------------------------- substitution

Lookup = Callable[[str], str | None]


def _find_close(text: str, start: int) -> int:
    """Index of the `}` closing a `${` whose body starts at `start` (-1 if none)."""
    depth = 1
    i = start
    while i < len(text):
        char = text[i]
        if char == "{" and text[i - 1] == "$":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _expand_braced(body: str, lookup: Lookup, escape: str) -> str | None:
    """The value of `${body}`, or None when it cannot be known (kept as written)."""
    match = _NAME.match(body)
    if match is None:
        return None
    name = match.group()
    rest = body[match.end() :]
    value = lookup(name)
    if not rest:
        return value
    for operator in (":-", ":+", "-", "+"):
        if rest.startswith(operator):
            word = rest[len(operator) :]
            break
    else:
        return None  # ${VAR#pattern} and friends: left as written
    if operator in (":-", "-"):
        # An unknown value (an ARG without default) most likely takes the default.
        use_default = value is None or (operator == ":-" and value == "")
        return expand(word, lookup, escape) if use_default else value
    if value is None:
        return None
    present = value != "" if operator == ":+" else True
    return expand(word, lookup, escape) if present else ""


def expand(text: str, lookup: Lookup, escape: str = "\\") -> str:
    """Substitute variables in `text`, keeping quotes; unknown variables stay as written.

    Nothing is expanded inside single quotes; an escaped `$` stays literal.
    """
    if "$" not in text:
        return text
    out: list[str] = []
    i = 0
    n = len(text)
    in_single = False
    in_double = False
    while i < n:
        char = text[i]
        if in_single:
            if char == "'":
                in_single = False
            out.append(char)
            i += 1
            continue
        if char == escape and i + 1 < n:
            out.append(text[i : i + 2])
            i += 2
            continue
        if char == "'" and not in_double:
            in_single = True
        elif char == '"':
            in_double = not in_double
        elif char == "$" and i + 1 < n:
            if text[i + 1] == "{":
                close = _find_close(text, i + 2)
                if close > 0:
                    value = _expand_braced(text[i + 2 : close], lookup, escape)
                    out.append(text[i : close + 1] if value is None else value)
                    i = close + 1
                    continue
            else:
                match = _NAME.match(text, i + 1)
                if match is not None:
                    value = lookup(match.group())
                    out.append("$" + match.group() if value is None else value)
                    i = match.end()
                    continue
        out.append(char)
        i += 1
    return "".join(out)


def _words(text: str, escape: str) -> list[str]:
    """Split already-expanded text into shell-like words, removing quotes and escapes."""
    words: list[str] = []
    current: list[str] = []
    has_word = False
    quote: str | None = None
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if quote is not None:
            if char == quote:
                quote = None
            elif quote == '"' and char == escape and text[i + 1 : i + 2] in ('"', escape, "$"):
                i += 1
                current.append(text[i])
            else:
                current.append(char)
            i += 1
            continue
        if char in " \t\n":
            if has_word:
                words.append("".join(current))
                current = []
                has_word = False
            i += 1
            continue
        has_word = True
        if char in ("'", '"'):
            quote = char
        elif char == escape and i + 1 < n:
            i += 1
            current.append(text[i])
        else:
            current.append(char)
        i += 1
    if has_word:
        words.append("".join(current))
    return words


def _assignments(text: str, escape: str, *, allow_bare: bool) -> list[tuple[str, str | None]]:
    """`A=1 B="two words"` (or ENV's legacy `A some value`) as (name, value) pairs."""
    words = _words(text, escape)
    if not words:
        return []
    if allow_bare and "=" not in words[0] and len(words) > 1:
        rest = text.strip()[len(text.strip().split(None, 1)[0]) :].strip()
        return [(words[0], " ".join(_words(rest, escape)) if rest else "")]
    pairs: list[tuple[str, str | None]] = []
    for word in words:
        name, equals, value = word.partition("=")
        if name:
            pairs.append((name, value if equals else None))
    return pairs


# --------------------------------------------------------------------------- building


@dataclass(slots=True)
class _StageState:
    index: int
    name: str | None
    base_image: str
    from_line: int
    instructions: list[Instruction]
    args: dict[str, str | None]
    env: dict[str, str]

    def lookup(self, name: str) -> str | None:
        if name in self.env:
            return self.env[name]
        return self.args.get(name)


class _Builder:
    def __init__(self, file: str, escape: str) -> None:
        self.file = file
        self.escape = escape
        self.global_args: list[Instruction] = []
        self.global_values: dict[str, str | None] = {}
        self.stages: list[_StageState] = []
        self.errors: list[ParseError] = []
        self.first_line: int | None = None

    def error(self, line: int, message: str) -> None:
        self.errors.append(ParseError(self.file, line, None, message, SOURCE_DOCKERFILE))

    def add(self, logical: _Logical) -> None:
        if self.first_line is None:
            self.first_line = logical.line
        keyword = logical.keyword
        if keyword not in INSTRUCTIONS:
            self.error(logical.line, f"unknown instruction: {keyword}")
        if keyword == "FROM":
            self._from(logical)
            return
        if not self.stages:
            if keyword == "ARG":
                value = expand(logical.value, self.global_values.get, self.escape)
                for name, default in _assignments(value, self.escape, allow_bare=False):
                    self.global_values[name] = default
                self.global_args.append(self._instruction(logical, value))
            elif keyword in INSTRUCTIONS:
                self.error(logical.line, f"{keyword} before the first FROM (only ARG may precede)")
            return
        stage = self.stages[-1]
        value = logical.value
        if keyword in _SUBSTITUTED:
            value = expand(value, stage.lookup, self.escape)
        if keyword == "ARG":
            for name, default in _assignments(value, self.escape, allow_bare=False):
                if default is None:
                    default = self.global_values.get(name)
                stage.args[name] = default
        elif keyword == "ENV":
            for name, env_value in _assignments(value, self.escape, allow_bare=True):
                if env_value is not None:
                    stage.env[name] = env_value
        stage.instructions.append(self._instruction(logical, value))

    def _from(self, logical: _Logical) -> None:
        value = expand(logical.value, self.global_values.get, self.escape)
        words = [w for w in value.split() if not w.startswith("--")]
        base = words[0] if words else ""
        name: str | None = None
        if len(words) >= 3 and words[1].lower() == "as":
            name = words[2]
        if not base or len(words) not in (1, 3) or (len(words) == 3 and name is None):
            self.error(logical.line, "FROM needs an image, optionally followed by 'AS name'")
        env: dict[str, str] = {}
        for earlier in self.stages:
            if earlier.name is not None and earlier.name.lower() == base.lower():
                # Stage names are case-insensitive; name the stage as it was declared.
                # A stage built on another inherits its ENV (not its ARGs).
                base = earlier.name
                env = dict(earlier.env)
        stage = _StageState(
            index=len(self.stages),
            name=name,
            base_image=base,
            from_line=logical.line,
            instructions=[],
            args={},
            env=env,
        )
        stage.instructions.append(self._instruction(logical, value))
        self.stages.append(stage)

    @staticmethod
    def _instruction(logical: _Logical, value: str) -> Instruction:
        return Instruction(
            keyword=logical.keyword,
            value=value,
            line=logical.line,
            end_line=logical.end_line,
            raw=logical.raw,
        )

    def finish(self, last_line: int, name: str) -> tuple[list[Resource], list[ParseError]]:
        if not self.stages:
            # One error says it all: no "before the first FROM" noise per instruction.
            line = self.first_line if self.first_line is not None else 1
            return [], [ParseError(self.file, line, None, "no FROM instruction", SOURCE_DOCKERFILE)]
        file = self.file
        locations: dict[str, Location] = {}
        for k, arg in enumerate(self.global_args):
            locations[f"global_args[{k}]"] = Location(file, arg.line, arg.end_line)
        stages: list[Stage] = []
        for stage in self.stages:
            prefix = f"stages[{stage.index}]"
            end = max(i.end_line for i in stage.instructions)
            locations[prefix] = Location(file, stage.from_line, end)
            first = stage.instructions[0]
            locations[f"{prefix}.from"] = Location(file, first.line, first.end_line)
            for j, instruction in enumerate(stage.instructions):
                locations[f"{prefix}.instructions[{j}]"] = Location(
                    file, instruction.line, instruction.end_line
                )
            stages.append(
                Stage(
                    index=stage.index,
                    name=stage.name,
                    base_image=stage.base_image,
                    instructions=tuple(stage.instructions),
                )
            )
        final = stages[-1]
        for keyword, key in (("USER", "user"), ("HEALTHCHECK", "healthcheck")):
            found = final.of(keyword)
            if found:
                locations[key] = Location(file, found[-1].line, found[-1].end_line)
        resource = Dockerfile(
            address=file,
            native_type="Dockerfile",
            source=SOURCE_DOCKERFILE,
            name=name,
            location=Location(file, 1, last_line),
            field_locations=locations,
            stages=tuple(stages),
            global_args=tuple(self.global_args),
        )
        return [resource], self.errors


# --------------------------------------------------------------------------- helpers


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


def _decode(data: bytes, file: str) -> tuple[str | None, ParseError | None]:
    if b"\x00" in data[:8192]:
        message = "binary file (contains NUL bytes)"
        return None, ParseError(file, None, None, message, SOURCE_DOCKERFILE)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, ParseError(file, line, column, "invalid UTF-8", SOURCE_DOCKERFILE)
