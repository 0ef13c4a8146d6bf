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

    def parent_of(self, stage: Stage) -> Stage | None:
        """The earlier stage `stage` is built FROM, if its base is a stage name."""
        ref = stage.base_image.lower()
        for earlier in reversed(self.stages[: stage.index]):
            if earlier.name is not None and earlier.name.lower() == ref:
                return earlier
        return None

    def lineage(self, stage: Stage) -> tuple[Stage, ...]:
        """`stage` and the stages it is built on, nearest first."""
        chain = [stage]
        parent = self.parent_of(stage)
        while parent is not None and parent not in chain:
            chain.append(parent)
            parent = self.parent_of(parent)
        return tuple(chain)

    @property
    def final_image_stages(self) -> tuple[Stage, ...]:
        """The stages whose instructions end up in the image that runs: the final stage and
        the stages it is built FROM (not the stages it merely copies files from)."""
        final = self.final_stage
        return self.lineage(final) if final is not None else ()

    def external_base(self, stage: Stage) -> str:
        """The image (not a stage of this file) at the root of `stage`'s lineage."""
        return self.lineage(stage)[-1].base_image

    def effective_user(self, stage: Stage) -> str | None:
        """The USER in force at the end of `stage`, following the stages it is built on
        (None when none of them sets one: the base image's user)."""
        for item in self.lineage(stage):
            user = item.user
            if user is not None:
                return user
        return None


def image_name(image: str) -> str:
    """`image` without tag and digest: `registry:5000/app:1@sha256:..` -> `registry:5000/app`."""
    name = image.split("@", 1)[0]
    slash, colon = name.rfind("/"), name.rfind(":")
    return name[:colon] if colon > slash else name


DOCKER_HUB = "docker.io"
_DOCKER_HUB_ALIASES = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io"})


@dataclass(frozen=True, slots=True)
class ImageRef:
    """A container image reference split as Docker reads it:
    `[registry/]repository[:tag][@digest]`.

    Without a registry host (a first component with no `.` or `:` and not `localhost`)
    the image comes from Docker Hub, and a one-component name is an official image under
    `library/`. `templated` is True when the text still holds a variable or template
    placeholder (`$`, `{{`): nothing about it is then known for sure.
    """

    text: str
    registry: str
    repository: str
    tag: str | None
    digest: str | None
    explicit_registry: bool
    templated: bool

    @classmethod
    def parse(cls, text: str) -> ImageRef:
        value = text.strip()
        templated = "$" in value or "{{" in value
        name, _, digest = value.partition("@")
        first, slash, rest = name.partition("/")
        explicit = bool(slash) and ("." in first or ":" in first or first == "localhost")
        if explicit:
            registry, path = first.lower(), rest
        else:
            registry, path = DOCKER_HUB, name
        tag: str | None = None
        last_slash = path.rfind("/")
        colon = path.rfind(":")
        if colon > last_slash:
            path, tag = path[:colon], path[colon + 1 :]
        if registry in _DOCKER_HUB_ALIASES:
            registry = DOCKER_HUB
            if "/" not in path:
                path = f"library/{path}"
        return cls(
            text=value,
            registry=registry,
            repository=path,
            tag=tag or None,
            digest=digest or None,
            explicit_registry=explicit,
            templated=templated,
        )

    @property
    def pinned(self) -> bool:
        """Pinned to a content digest (`@sha256:...`) that is not itself a variable."""
        return self.digest is not None and ":" in self.digest and "$" not in self.digest

    @property
    def is_docker_hub_official(self) -> bool:
        return self.registry == DOCKER_HUB and self.repository.startswith("library/")

    @property
    def name(self) -> str:
        """Registry and repository, without tag or digest (`docker.io/library/nginx`)."""
        return f"{self.registry}/{self.repository}"
