"""3.4.1 / 3.4.2 Secrets on AWS: rotation, template parameters, credentials written in
resource arguments, build environments and SSM parameters."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from tutela.model.aws import (
    AwsProvider,
    AwsResource,
    CodeBuildProject,
    DatabaseInstance,
    ElastiCacheReplicationGroup,
    OpenSearchDomain,
    RedshiftCluster,
    SecretsManagerSecret,
    SsmParameter,
    StackParameter,
)
from tutela.model.base import SOURCE_AWS
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, failed, or_passed, passed, rule, unknown
from tutela.rules.secrets.detect import scan_mapping, secret_in
from tutela.rules.settings import Settings


@rule(
    code="SEC004",
    controls=("3.2.1.b.2", "3.3.2.a.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Attach a rotation function and schedule (`aws_secretsmanager_secret_rotation` with
        `rotation_rules { automatically_after_days = 30 }`), at most the organisation's
        maximum interval (`[settings] secret_rotation_max_days`, default 90).
    """,
    snippets={
        "terraform": """
            resource "aws_secretsmanager_secret_rotation" "db" {
              secret_id           = aws_secretsmanager_secret.db.id
              rotation_lambda_arn = aws_lambda_function.rotate_db.arn
              rotation_rules {
                automatically_after_days = 30
              }
            }
        """,
        "cloudformation": """
            DbSecretRotation:
              Type: AWS::SecretsManager::RotationSchedule
              Properties:
                SecretId: !Ref DbSecret
                RotationLambdaARN: !GetAtt RotateDb.Arn
                RotationRules:
                  AutomaticallyAfterDays: 30
        """,
    },
)
def secret_rotates_automatically(secret: SecretsManagerSecret, settings: Settings) -> Verdict:
    """Secrets Manager secrets rotate automatically, at least every 90 days.

    Why: ENG-POL-003 requires regular rotation of service credentials and API keys; a
    secret that never rotates stays valid for as long as any copy of it leaks.
    """
    if not secret.rotation_enabled:
        return failed("automatic rotation is not configured", at="rotation_enabled")
    days = secret.rotation_days
    if days is None:
        return passed("rotation configured")
    if is_unknown(days):
        return unknown(f"rotation interval not known: {days.reason}", at="rotation_days")
    maximum = settings.secret_rotation_max_days
    if days > maximum:
        return failed(f"rotates every {days} days, more than the maximum of {maximum}",
                      at="rotation_days")
    return passed(f"rotates every {days} days")


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _secret_like(name: str) -> bool:
    """A parameter name that suggests a secret (PASSWORD, TOKEN, API_KEY...), CamelCase
    read as words (`DatabaseSecretArn` names a secret, it does not hold one)."""
    return secret_in(_CAMEL.sub("_", name), "k7Qv9zR2mW4p") is not None


@rule(
    code="SEC005",
    controls=("3.4.1.a.5", "3.4.2.b.2"),
    severity=Severity.HIGH,
    remediation="""
        CloudFormation: give secret parameters `NoEcho: true` and no `Default`, or better,
        resolve them from Secrets Manager (`{{resolve:secretsmanager:...}}`). Terraform:
        pass stack parameters from a secret store or a sensitive variable, never a literal.
    """,
    snippets={
        "cloudformation": """
            Parameters:
              DbPassword:
                Type: String
                NoEcho: true
        """,
        "terraform": """
            parameters = {
              DbPassword = data.aws_secretsmanager_secret_version.db.secret_string
            }
        """,
    },
)
def stack_secret_parameters_protected(param: StackParameter) -> Iterator[Verdict]:
    """Stack parameters that carry secrets are neither echoed nor written in code.

    Why: CloudFormation shows parameter values in the console, `describe-stacks` and
    change sets unless `NoEcho` is set, and a `Default` (or a literal passed by
    Terraform's `aws_cloudformation_stack`) puts the secret in version control.
    Parameters whose names do not suggest a secret are not judged.
    """
    name = param.parameter_name
    if not _secret_like(name):
        return
    kind = param.parameter_type
    if isinstance(kind, str) and kind.startswith("AWS::SSM::Parameter"):
        yield passed("resolved from SSM Parameter Store")
        return
    if param.native_type == "AWS::CloudFormation::Parameter":
        if not param.no_echo:
            yield failed(f"parameter {name} looks like a secret but is echoed (no NoEcho)",
                         at="no_echo")
            return
        default = param.default
        why = secret_in(name, default) if isinstance(default, str) else None
        if why:
            yield failed(f"the template's Default writes the secret in code: {why}",
                         at="default")
            return
        yield passed("NoEcho, no literal default")
        return
    value = param.value
    why = secret_in(name, value) if isinstance(value, str) else None
    if why:
        yield failed(f"a literal secret is passed to the stack: {why}", at="value")
        return
    yield passed("no literal secret passed")


# Credential arguments of AWS resources (literal values only; references are fine).
_CREDENTIALS: Mapping[type[AwsResource], tuple[tuple[str, str], ...]] = MappingProxyType({
    AwsProvider: (("access_key", "access_key"), ("secret_key", "secret_key"),
                  ("token", "token")),
    DatabaseInstance: (("master_password", "password"),),
    RedshiftCluster: (("master_password", "master_password"),),
    ElastiCacheReplicationGroup: (("auth_token", "auth_token"),),
    OpenSearchDomain: (("master_password", "master_user_password"),),
})


@rule(
    code="SEC006",
    controls=("3.4.1.a.5", "3.2.1.b.2"),
    severity=Severity.CRITICAL,
    remediation="""
        Never write credentials in code. Let RDS and Redshift manage master passwords
        (`manage_master_user_password = true`), generate secrets with `random_password` and
        store them in Secrets Manager, and give Terraform AWS credentials through the
        environment, a profile or an assumed role.
    """,
    snippets={
        "terraform": """
            manage_master_user_password = true
        """,
        "cloudformation": """
            ManageMasterUserPassword: true
        """,
    },
)
def no_plaintext_credentials_in_code(resource: AwsResource) -> Iterator[Verdict]:
    """Provider blocks and resources hold no literal credentials.

    Why: a password or access key written in Terraform or a template is in version
    control, in every clone and CI log, and in the state file, and rotating it means
    rewriting history. Judges provider `access_key`/`secret_key`/`token`, database and
    warehouse master passwords, cache AUTH tokens and search master-user passwords.
    """
    fields = _CREDENTIALS.get(type(resource))
    if fields is None or resource.source == SOURCE_AWS:
        return  # live resources never show their credentials

    def problems() -> Iterator[Verdict]:
        for field, label in fields:
            value = getattr(resource, field)
            if not isinstance(value, str):
                continue
            why = secret_in(label, value)
            if why:
                yield failed(f"a literal credential: {why}", at=field, subject=field)

    yield from or_passed(problems(), "no literal credentials")


@rule(
    code="SEC007",
    controls=("3.4.2.b.2", "3.4.1.a.5"),
    severity=Severity.HIGH,
    remediation="""
        Give build secrets as `SECRETS_MANAGER` or `PARAMETER_STORE` environment variables
        (the value is the secret's name), never `PLAINTEXT`.
    """,
    snippets={
        "terraform": """
            environment_variable {
              name  = "NPM_TOKEN"
              type  = "SECRETS_MANAGER"
              value = "ci/npm-token"
            }
        """,
        "cloudformation": """
            EnvironmentVariables:
              - Name: NPM_TOKEN
                Type: SECRETS_MANAGER
                Value: ci/npm-token
        """,
    },
)
def build_environment_has_no_plaintext_secrets(project: CodeBuildProject) -> Iterator[Verdict]:
    """Build projects hold no plaintext secrets in their environment.

    Why: PLAINTEXT environment variables are shown in the console and returned by
    `batch-get-projects` to anyone who can read the project; deployment credentials
    belong in a secret store.
    """
    env = project.plaintext_env
    if is_unknown(env):
        yield unknown(f"environment not known: {env.reason}", at="plaintext_env")
        return
    found = list(scan_mapping(env, "plaintext_env"))
    yield from found or [passed("no secret-looking plaintext variable")]


_INDIRECT_VALUE = re.compile(r"^(arn:aws[a-z-]*:(secretsmanager|kms|ssm):|\{\{resolve:)", re.I)


@rule(
    code="SEC008",
    controls=("3.4.1.a.5", "3.4.2.b.2"),
    severity=Severity.HIGH,
    remediation="""
        Store secrets as `SecureString` parameters (encrypted with KMS) whose value comes
        from a generator or is set outside code, or in Secrets Manager. CloudFormation
        cannot create SecureString parameters: use `AWS::SecretsManager::Secret` with
        `GenerateSecretString`.
    """,
    snippets={
        "terraform": """
            resource "aws_ssm_parameter" "db_password" {
              name   = "/records/db/password"
              type   = "SecureString"
              key_id = aws_kms_key.config.arn
              value  = random_password.db.result
            }
        """,
        "cloudformation": """
            DbSecret:
              Type: AWS::SecretsManager::Secret
              Properties:
                GenerateSecretString:
                  PasswordLength: 32
        """,
    },
)
def parameter_store_secrets_are_encrypted(param: SsmParameter) -> Iterator[Verdict]:
    """SSM parameters that hold secrets are SecureString and not written in code.

    Why: `String` parameters are stored and shown unencrypted to anyone who can read
    Parameter Store; a literal value in code is a leaked secret whatever its type.
    Parameters whose names do not suggest a secret are not judged.
    """
    name = param.parameter_name
    if not isinstance(name, str) or not _secret_like(name.rsplit("/", 1)[-1]):
        return
    value = param.value
    if isinstance(value, str) and _INDIRECT_VALUE.match(value.strip()):
        yield passed("holds a reference to a secret, not the secret")
        return
    kind = param.parameter_type
    if is_unknown(kind):
        yield unknown(f"parameter type not known: {kind.reason}", at="parameter_type")
        return
    if kind != "SecureString":
        yield failed(f"{name} looks like a secret but is stored as a plaintext {kind}",
                     at="parameter_type")
        return
    why = secret_in(name.rsplit("/", 1)[-1], value) if isinstance(value, str) else None
    if why:
        yield failed(f"the secret's value is written in code: {why}", at="value")
        return
    yield passed("SecureString")



