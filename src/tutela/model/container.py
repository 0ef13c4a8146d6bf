"""Container image definitions (Dockerfiles)."""

from __future__ import annotations

from dataclasses import dataclass

from tutela.model.base import Resource


@dataclass(frozen=True, slots=True)
class Instruction:
    """One instruction with ARG substitution applied; `line`/`end_line` are 1-based."""

    keyword: str  # upper-case: FROM, RUN, USER, ENV, ARG, EXPOSE, ADD, COPY, HEALTHCHECK...
    value: str
    line: int
    end_line: int
    raw: str = ""


@dataclass(frozen=True, slots=True)
class Stage:
    index: int
    name: str | None
    base_image: str
    instructions: tuple[Instruction, ...]

    def of(self, keyword: str) -> tuple[Instruction, ...]:
        return tuple(i for i in self.instructions if i.keyword == keyword)

    @property
    def user(self) -> str | None:
        """The effective USER at the end of the stage (None when never set: root)."""
        users = self.of("USER")
        return users[-1].value.strip() if users else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Dockerfile(Resource):
    """A Dockerfile; the last stage is the image that runs."""

    kind = "dockerfile"
    provider = "docker"

    stages: tuple[Stage, ...] = ()
    global_args: tuple[Instruction, ...] = ()

    @property
    def final_stage(self) -> Stage | None:
        return self.stages[-1] if self.stages else None

    def stage_names(self) -> set[str]:
        return {s.name for s in self.stages if s.name}
