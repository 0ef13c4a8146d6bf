"""Dockerfiles -> the normalized `Dockerfile` model, through the real parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutela.model.container import Dockerfile, ImageRef, Instruction, image_name
from tutela.model.values import Location
from tutela.sources.dockerfile import expand, is_dockerfile, load_dockerfile

FIXTURES = Path(__file__).parent / "fixtures"
DOCKER = FIXTURES / "docker"


def load(path: Path, root: Path = FIXTURES) -> Dockerfile:
    resources, errors = load_dockerfile(path, root=root)
    assert errors == []
    assert len(resources) == 1
    resource = resources[0]
    assert isinstance(resource, Dockerfile)
    return resource


def write(tmp_path: Path, text: str, name: str = "Dockerfile") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def loc(start: int, end: int | None = None, file: str = "docker/multistage/Dockerfile") -> Location:
    return Location(file, start, start if end is None else end)


# --------------------------------------------------------------------------- multi-stage


@pytest.fixture(scope="module")
def multistage() -> Dockerfile:
    return load(DOCKER / "multistage" / "Dockerfile")


def test_resource_identity(multistage: Dockerfile) -> None:
    assert multistage.address == "docker/multistage/Dockerfile"
    assert multistage.native_type == "Dockerfile"
    assert multistage.source == "dockerfile"
    assert multistage.name == "Dockerfile"
    assert multistage.location == loc(1, 32)


def test_global_args(multistage: Dockerfile) -> None:
    assert [(a.keyword, a.value, a.line) for a in multistage.global_args] == [
        ("ARG", "PYTHON_VERSION=3.12", 3),
        ("ARG", "REGISTRY=registry.example.com", 4),
        ("ARG", "DIGEST", 5),
    ]
    assert multistage.field_locations["global_args[2]"] == loc(5)


def test_stages_and_base_images_after_substitution(multistage: Dockerfile) -> None:
    stages = multistage.stages
    assert [(s.index, s.name, s.base_image) for s in stages] == [
        (0, "Builder", "registry.example.com/python:3.12-slim"),
        # `from builder` names an earlier stage (case-insensitively): kept as that stage.
        (1, "test", "Builder"),
        # DIGEST has no default: left as written rather than silently emptied.
        (2, None, "python:3.12-slim@sha256:${DIGEST}"),
    ]
    assert multistage.stage_names() == {"Builder", "test"}


def test_from_is_the_first_instruction_of_each_stage(multistage: Dockerfile) -> None:
    first = multistage.stages[0].instructions[0]
    assert first == Instruction(
        keyword="FROM",
        value="registry.example.com/python:3.12-slim AS Builder",
        line=7,
        end_line=7,
        raw="FROM ${REGISTRY}/python:${PYTHON_VERSION}-slim AS Builder",
    )
    lower = multistage.stages[1].instructions[0]
    assert (lower.keyword, lower.value, lower.raw) == (
        "FROM",
        "builder as test",
        "from builder as test",
    )


def test_continuation_lines_with_comment_and_blank_line(multistage: Dockerfile) -> None:
    run = multistage.stages[0].of("RUN")[0]
    assert (run.line, run.end_line) == (12, 16)
    assert run.value == (
        "apt-get update     && apt-get install -y --no-install-recommends build-essential"
        "     && rm -rf /var/lib/apt/lists/*"
    )
    assert run.raw.splitlines()[1] == "    # keep the image small"
    assert len(run.raw.splitlines()) == 5
    env = multistage.stages[0].of("ENV")[0]
    assert (env.line, env.end_line, env.value) == (
        9,
        10,
        "APP_HOME=/srv/app     PIP_NO_CACHE_DIR=1",
    )


def test_env_and_arg_substitution_inside_stages(multistage: Dockerfile) -> None:
    builder, _, final = multistage.stages
    assert builder.of("WORKDIR")[0].value == "/srv/app"
    assert builder.of("COPY")[0].value == "requirements.txt /srv/app/"
    assert final.of("EXPOSE")[0].value == "8080 9090/tcp"
    assert final.user == "app:app"
    assert [u.value for u in final.of("USER")] == ["root", "app:app"]


def test_shell_evaluated_instructions_keep_their_text(multistage: Dockerfile) -> None:
    final = multistage.stages[2]
    health = final.of("HEALTHCHECK")[0]
    assert health.value == (
        "--interval=30s CMD curl -fsS http://localhost:${PORT}/health || exit 1"
    )
    assert final.of("CMD")[0].value == '["python", "-m", "payments"]'


def test_field_locations(multistage: Dockerfile) -> None:
    fl = multistage.field_locations
    assert fl["stages[0]"] == loc(7, 18)
    assert fl["stages[0].from"] == loc(7)
    assert fl["stages[0].instructions[4]"] == loc(12, 16)
    assert fl["stages[1]"] == loc(20, 21)
    assert fl["stages[2]"] == loc(23, 32)
    assert fl["stages[2].instructions[4]"] == loc(27)
    assert fl["user"] == loc(30)
    assert fl["healthcheck"] == loc(31)
    assert multistage.location_of("stages[2].instructions[4]") == loc(27)


def test_every_instruction_line_and_end_line(multistage: Dockerfile) -> None:
    lines = [(i.keyword, i.line, i.end_line) for s in multistage.stages for i in s.instructions]
    assert lines == [
        ("FROM", 7, 7),
        ("ARG", 8, 8),
        ("ENV", 9, 10),
        ("WORKDIR", 11, 11),
        ("RUN", 12, 16),
        ("COPY", 17, 17),
        ("RUN", 18, 18),
        ("FROM", 20, 20),
        ("RUN", 21, 21),
        ("FROM", 23, 23),
        ("ARG", 24, 24),
        ("ENV", 25, 25),
        ("COPY", 26, 26),
        ("EXPOSE", 27, 27),
        ("USER", 28, 28),
        ("RUN", 29, 29),
        ("USER", 30, 30),
        ("HEALTHCHECK", 31, 31),
        ("CMD", 32, 32),
    ]


# --------------------------------------------------------------------------- parser details


def test_escape_directive_and_backtick_continuation(tmp_path: Path) -> None:
    text = (
        "# escape=`\n"
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
        "RUN dir `\n"
        "    c:\\\n"
        "USER ContainerUser\n"
    )
    image = load(write(tmp_path, text), tmp_path)
    run = image.stages[0].of("RUN")[0]
    assert (run.value, run.line, run.end_line) == ("dir     c:\\", 3, 4)
    assert image.stages[0].user == "ContainerUser"


def test_escape_is_a_directive_only_at_the_top(tmp_path: Path) -> None:
    text = "FROM alpine:3.20\n# escape=`\nRUN echo a `\nUSER nobody\n"
    image = load(write(tmp_path, text), tmp_path)
    run, user = image.stages[0].instructions[1:]
    assert (run.value, run.end_line) == ("echo a `", 3)
    assert (user.value, user.line) == ("nobody", 4)


def test_heredoc_body_is_part_of_the_instruction(tmp_path: Path) -> None:
    text = (
        "FROM debian:12\n"
        "RUN <<EOF\n"
        "USER root\n"
        "apt-get update\n"
        "EOF\n"
        "COPY <<-CONF /etc/app.conf\n"
        "\tlisten 8080\n"
        "\tCONF\n"
        "USER 10001\n"
    )
    image = load(write(tmp_path, text), tmp_path)
    stage = image.stages[0]
    assert [(i.keyword, i.line, i.end_line) for i in stage.instructions] == [
        ("FROM", 1, 1),
        ("RUN", 2, 5),
        ("COPY", 6, 8),
        ("USER", 9, 9),
    ]
    assert stage.of("RUN")[0].value == "<<EOF\nUSER root\napt-get update\nEOF"
    assert stage.user == "10001"


def test_continuation_at_end_of_file_keeps_the_instruction(tmp_path: Path) -> None:
    image = load(write(tmp_path, "FROM alpine:3.20\nUSER app \\\n"), tmp_path)
    user = image.stages[0].of("USER")[0]
    assert (user.line, user.end_line) == (2, 2)
    assert image.location == Location("Dockerfile", 1, 2)


def test_env_legacy_form_quotes_and_defaults(tmp_path: Path) -> None:
    text = (
        "FROM alpine:3.20\n"
        "ENV GREETING hello world\n"
        'ENV NAME="app user" HOME=/home/app\n'
        "WORKDIR ${HOME}/$NAME\n"
        "LABEL a=${MISSING:-fallback} b=${NAME:+set} c='$HOME' d=\\$HOME e=${UNDECLARED}\n"
        "USER ${GREETING}\n"
    )
    stage = load(write(tmp_path, text), tmp_path).stages[0]
    assert stage.of("WORKDIR")[0].value == "/home/app/app user"
    assert stage.of("LABEL")[0].value == "a=fallback b=set c='$HOME' d=\\$HOME e=${UNDECLARED}"
    assert stage.user == "hello world"


def test_stage_arg_redeclares_global_default_and_env_wins(tmp_path: Path) -> None:
    text = (
        "ARG VERSION=1.2\n"
        "ARG USER_ID=1000\n"
        "FROM alpine:${VERSION}\n"
        "USER ${USER_ID}\n"  # global args are not visible inside a stage
        "ARG USER_ID\n"
        "EXPOSE ${VERSION}\n"
        "USER ${USER_ID}\n"
        "ENV USER_ID=2000\n"
        "USER ${USER_ID}\n"
    )
    stage = load(write(tmp_path, text), tmp_path).stages[0]
    assert stage.base_image == "alpine:1.2"
    assert [u.value for u in stage.of("USER")] == ["${USER_ID}", "1000", "2000"]
    assert stage.of("EXPOSE")[0].value == "${VERSION}"


def test_stage_on_stage_inherits_env(tmp_path: Path) -> None:
    text = "FROM alpine:3.20 AS base\nENV APP_UID=10001\nFROM base\nUSER $APP_UID\n"
    image = load(write(tmp_path, text), tmp_path)
    assert image.stages[1].base_image == "base"
    assert image.final_stage is not None and image.final_stage.user == "10001"


def test_platform_flag_and_predefined_args_left_as_written(tmp_path: Path) -> None:
    text = "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nFROM scratch\n"
    image = load(write(tmp_path, text), tmp_path)
    assert [(s.name, s.base_image) for s in image.stages] == [
        ("build", "golang:1.22"),
        (None, "scratch"),
    ]
    assert image.stages[0].instructions[0].value == "--platform=$BUILDPLATFORM golang:1.22 AS build"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$A", "1"),
        ("${A}x", "1x"),
        ("${B:-d}", "d"),
        ("${E:-d}", "d"),
        ("${E-d}", ""),
        ("${A:+alt}", "alt"),
        ("${E:+alt}", ""),
        ("${U:-${A}}", "1"),
        ("${U}", "${U}"),
        ("$U-x", "$U-x"),
        ("'$A'", "'$A'"),
        ('"$A"', '"1"'),
        ("\\$A", "\\$A"),
        ("${A#pre}", "${A#pre}"),
        ("cost $", "cost $"),
    ],
)
def test_expand(text: str, expected: str) -> None:
    values = {"A": "1", "E": ""}
    assert expand(text, values.get) == expected


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    "name",
    [
        "Dockerfile",
        "dockerfile",
        "Dockerfile.api",
        "api.Dockerfile",
        "web.dockerfile",
        "Containerfile",
    ],
)
def test_detected_by_name(name: str) -> None:
    assert is_dockerfile(Path("src") / name, "")


@pytest.mark.parametrize(
    "name", ["Dockerfile.md", "dockerfile.py", "notes.txt", "build", "Makefile"]
)
def test_not_detected_by_name_alone(name: str) -> None:
    assert not is_dockerfile(Path(name), "")


def test_detected_by_content() -> None:
    head = (DOCKER / "api" / "build").read_text(encoding="utf-8")
    assert is_dockerfile(Path("build"), head)
    assert is_dockerfile(Path("recipe"), "# escape=`\nARG BASE=alpine\nfrom ${BASE}\nrun ls\n")
    # A head cut in the middle of a line still counts.
    assert is_dockerfile(Path("build"), "FROM alpine:3.20\nRUN apk add --no-cache cu")


@pytest.mark.parametrize(
    "head",
    [
        "",
        "from here on we keep a log of changes\n",
        "FROM alpine\nmake all\n",
        "RUN ls\nFROM alpine\n",
        "ARG X=1\n",
        "all: build\n\tgo build ./...\n",
        "FROM alpine\x00\n",
    ],
)
def test_not_detected_by_content(head: str) -> None:
    assert not is_dockerfile(Path("build"), head)


def test_named_and_content_detected_files_load() -> None:
    api = load(DOCKER / "api" / "Dockerfile.api")
    assert (api.address, api.name) == ("docker/api/Dockerfile.api", "Dockerfile.api")
    assert api.final_stage is not None and api.final_stage.user == "node"
    build = load(DOCKER / "api" / "build")
    assert [s.base_image for s in build.stages] == [
        "golang:1.22",
        "gcr.io/distroless/static:nonroot",
    ]
    run = build.stages[0].of("RUN")[0]
    assert (run.line, run.end_line) == (3, 4)
    assert build.final_stage is not None and build.final_stage.user is None
    assert "user" not in build.field_locations


# --------------------------------------------------------------------------- errors


def test_no_from_is_one_error_at_the_first_instruction() -> None:
    resources, errors = load_dockerfile(DOCKER / "no-from" / "Dockerfile", root=FIXTURES)
    assert resources == []
    assert [(e.file, e.line, e.message, e.source) for e in errors] == [
        ("docker/no-from/Dockerfile", 3, "no FROM instruction", "dockerfile")
    ]


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    resources, errors = load_dockerfile(write(tmp_path, "# nothing\n"), root=tmp_path)
    assert resources == []
    assert [(e.line, e.message) for e in errors] == [(1, "no FROM instruction")]


def test_binary_content_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"FROM alpine\n\x00\x01\x02\xff")
    resources, errors = load_dockerfile(path, root=tmp_path)
    assert resources == []
    assert len(errors) == 1 and "binary" in errors[0].message


def test_invalid_utf8_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"FROM alpine\nLABEL owner=caf\xe9\n")
    resources, errors = load_dockerfile(path, root=tmp_path)
    assert resources == []
    assert [(e.line, e.column, e.message) for e in errors] == [(2, 16, "invalid UTF-8")]


def test_unreadable_path_is_an_error(tmp_path: Path) -> None:
    resources, errors = load_dockerfile(tmp_path / "missing" / "Dockerfile", root=tmp_path)
    assert resources == []
    assert errors[0].file == "missing/Dockerfile" and errors[0].line is None


def test_unknown_instruction_and_instruction_before_from_are_reported(tmp_path: Path) -> None:
    text = "RUN echo early\nFROM alpine:3.20\nRUNN echo typo\nUSER app\n"
    resources, errors = load_dockerfile(write(tmp_path, text), root=tmp_path)
    assert [(e.line, e.message) for e in errors] == [
        (1, "RUN before the first FROM (only ARG may precede)"),
        (3, "unknown instruction: RUNN"),
    ]
    assert len(resources) == 1  # the rest of the file is still scanned


@pytest.mark.parametrize(
    "text",
    [
        "FROM\n",
        "FROM a b\n",
        "FROM a AS\n",
        "FROM ${\n",
        "FROM a\nENV\n",
        "FROM a\nENV =x\n",
        "FROM a\nARG\n",
        "FROM a\nRUN <<\n",
        "FROM a\nRUN <<EOF\n",
        "FROM a\nUSER ${A:-${B:-\n",
        "\\\n\\\n",
        "FROM a\n\r\n\r\nUSER x\r\n",
        "\ufeffFROM a\n",
    ],
)
def test_odd_input_never_raises(tmp_path: Path, text: str) -> None:
    resources, errors = load_dockerfile(write(tmp_path, text), root=tmp_path)
    assert resources or errors


def test_crlf_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"FROM alpine:3.20\r\nRUN echo a \\\r\n  b\r\nUSER app\r\n")
    image = load(path, tmp_path)
    run = image.stages[0].of("RUN")[0]
    assert (run.value, run.line, run.end_line) == ("echo a   b", 2, 3)
    assert image.stages[0].user == "app"
    assert image.location == Location("Dockerfile", 1, 4)


# --------------------------------------------------------------------------- stage lineage


LINEAGE = """\
ARG BASE=gcr.io/distroless/static-debian12:nonroot
FROM --platform=$BUILDPLATFORM golang:1.23 AS build
USER builder
FROM ${BASE} AS runtime
USER 65532
FROM runtime AS release
COPY --from=build /out/app /app
FROM Build AS debug
"""


def test_lineage_follows_stages_built_on_stages(tmp_path: Path) -> None:
    image = load(write(tmp_path, LINEAGE), root=tmp_path)
    build, runtime, release, debug = image.stages
    assert image.parent_of(release) is runtime
    assert image.parent_of(runtime) is None  # an image, not a stage
    assert image.parent_of(debug) is build  # stage names are case-insensitive
    assert image.lineage(release) == (release, runtime)
    assert image.final_image_stages == (debug, build)
    assert image.external_base(release) == "gcr.io/distroless/static-debian12:nonroot"
    assert image.effective_user(release) == "65532"  # inherited from `runtime`
    assert image.effective_user(debug) == "builder"


def test_effective_user_is_none_when_no_stage_sets_one(tmp_path: Path) -> None:
    image = load(write(tmp_path, "FROM alpine:3.20 AS a\nFROM a\nRUN true\n"), root=tmp_path)
    final = image.final_stage
    assert final is not None
    assert image.effective_user(final) is None


@pytest.mark.parametrize(
    ("text", "registry", "repository", "tag", "digest", "explicit"),
    [
        ("nginx", "docker.io", "library/nginx", None, None, False),
        ("nginx:1.27", "docker.io", "library/nginx", "1.27", None, False),
        ("docker.io/nginx:latest", "docker.io", "library/nginx", "latest", None, True),
        ("index.docker.io/bitnami/redis:7", "docker.io", "bitnami/redis", "7", None, True),
        ("bitnami/redis:7", "docker.io", "bitnami/redis", "7", None, False),
        ("localhost:5000/app", "localhost:5000", "app", None, None, True),
        ("registry:5000/team/app:2", "registry:5000", "team/app", "2", None, True),
        ("quay.io/prometheus/node-exporter:v1.8.2@sha256:ab12", "quay.io",
         "prometheus/node-exporter", "v1.8.2", "sha256:ab12", True),
        ("111122223333.dkr.ecr.us-east-1.amazonaws.com/api@sha256:cd34",
         "111122223333.dkr.ecr.us-east-1.amazonaws.com", "api", None, "sha256:cd34", True),
    ],
)
def test_image_references(
    text: str, registry: str, repository: str, tag: str | None, digest: str | None,
    explicit: bool,
) -> None:
    ref = ImageRef.parse(text)
    assert (ref.registry, ref.repository, ref.tag, ref.digest, ref.explicit_registry) == (
        registry, repository, tag, digest, explicit,
    )
    assert ref.pinned is (digest is not None)
    assert ref.name == f"{registry}/{repository}"
    assert not ref.templated


def test_image_reference_helpers() -> None:
    assert ImageRef.parse("nginx:1.27").is_docker_hub_official
    assert not ImageRef.parse("bitnami/redis:7").is_docker_hub_official
    assert ImageRef.parse("${REGISTRY}/api:${TAG}").templated
    assert not ImageRef.parse("api@${DIGEST}").pinned
    assert image_name("registry:5000/app:1@sha256:ab") == "registry:5000/app"
    assert image_name("registry:5000/app") == "registry:5000/app"
