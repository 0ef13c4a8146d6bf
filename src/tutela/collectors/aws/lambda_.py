"""Lambda (regional): functions (timeout, environment and its key, concurrency, tracing,
dead-letter target, role, code signing) and code signing configurations.

Fills LambdaFunction and LambdaCodeSigningConfig.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tutela.collectors.aws.base import Collector
from tutela.collectors.aws.pool import Job
from tutela.model.aws import LambdaCodeSigningConfig, LambdaFunction
from tutela.model.values import Unknown

SERVICE = "lambda"
SCOPE = "regional"
TYPES = (LambdaFunction, LambdaCodeSigningConfig)


def collect(c: Collector) -> Sequence[Job]:
    fn = c.client()
    functions = c.listing(fn, "list_functions", "Functions", (LambdaFunction,))
    configs = c.listing(fn, "list_code_signing_configs", "CodeSigningConfigs",
                        (LambdaCodeSigningConfig,))
    for cfg in configs or ():
        policies = cfg.get("CodeSigningPolicies") or {}
        c.emit(LambdaCodeSigningConfig(
            **c.base(str(cfg.get("CodeSigningConfigArn")), "AWS::Lambda::CodeSigningConfig",
                     name=str(cfg.get("CodeSigningConfigId"))),
            enforce=str(policies.get("UntrustedArtifactOnDeployment", "Warn")),
        ))
    return c.fan_out(functions or [], _functions, "Lambda functions")


def _functions(c: Collector, chunk: Sequence[Mapping[str, Any]]) -> None:
    client = c.client()
    for f in chunk:
        arn = str(f.get("FunctionArn"))
        name = str(f.get("FunctionName"))
        concurrency = c.call(client, "get_function_concurrency", resource=arn, FunctionName=name)
        reserved: int | Unknown | None = (
            concurrency if isinstance(concurrency, Unknown)
            else (concurrency or {}).get("ReservedConcurrentExecutions"))
        signing = c.call(client, "get_function_code_signing_config", resource=arn,
                         FunctionName=name)
        signing_arn: str | Unknown | None = (
            signing if isinstance(signing, Unknown)
            else (signing or {}).get("CodeSigningConfigArn") or None)
        env = (f.get("Environment") or {}).get("Variables")
        c.emit(LambdaFunction(
            **c.base(arn, "AWS::Lambda::Function", name=name),
            timeout_seconds=f.get("Timeout", 3),
            reserved_concurrency=reserved,
            environment=dict(env) if env else None,
            env_kms_key=f.get("KMSKeyArn") or None,
            tracing_mode=(f.get("TracingConfig") or {}).get("Mode"),
            dead_letter_target=(f.get("DeadLetterConfig") or {}).get("TargetArn"),
            role=f.get("Role"),
            code_signing_config=signing_arn,
            runtime=f.get("Runtime"),
        ))
