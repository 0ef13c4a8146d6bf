"""API Gateway (regional): REST API stages and methods, HTTP/WebSocket API stages and routes.

Fills ApiGatewayStage and ApiGatewayMethod.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tutela.collectors.aws.base import Collector, tag_map
from tutela.collectors.aws.pool import Job
from tutela.model.aws import ApiGatewayMethod, ApiGatewayStage
from tutela.model.values import Unknown

SERVICE = "apigateway"
SCOPE = "regional"
TYPES = (ApiGatewayStage, ApiGatewayMethod)


def collect(c: Collector) -> Sequence[Job]:
    rest = c.listing(c.client(), "get_rest_apis", "items", TYPES)
    http = c.listing(c.client("apigatewayv2"), "get_apis", "Items", TYPES)
    items = [("rest", a) for a in rest or ()] + [("http", a) for a in http or ()]
    return c.fan_out(items, _apis, "APIs")


def _stage_arn(c: Collector, api_id: str, stage: str) -> str:
    return f"arn:{c.partition}:apigateway:{c.region}::/restapis/{api_id}/stages/{stage}"


def _apis(c: Collector, chunk: Sequence[tuple[str, Mapping[str, Any]]]) -> None:
    for kind, api in chunk:
        if kind == "rest":
            _rest(c, api)
        else:
            _http(c, api)


def _rest(c: Collector, api: Mapping[str, Any]) -> None:
    gw = c.client()
    api_id = str(api.get("id"))
    api_arn = f"arn:{c.partition}:apigateway:{c.region}::/restapis/{api_id}"
    stages = c.pages(gw, "get_stages", "item", resource=api_arn, restApiId=api_id)
    if isinstance(stages, Unknown):
        c.emit(c.placeholder(ApiGatewayStage, stages))
    for s in stages or ():
        name = str(s.get("stageName"))
        settings = (s.get("methodSettings") or {}).values()
        throttled = any(m.get("throttlingRateLimit") is not None for m in settings)
        cache = s.get("cacheClusterEnabled")
        c.emit(ApiGatewayStage(
            **c.base(_stage_arn(c, api_id, name), "AWS::ApiGateway::Stage", name=name,
                     tags=tag_map(s.get("tags") or {})),
            api_id=api_id,
            access_logging=bool((s.get("accessLogSettings") or {}).get("destinationArn")),
            tracing=bool(s.get("tracingEnabled", False)),
            throttling_configured=throttled,
            cache_encrypted=(any(m.get("cacheDataEncrypted", False) for m in settings)
                             if cache else None),
            web_acl=s.get("webAclArn"),
        ))
    resources = c.pages(gw, "get_resources", "items", resource=api_arn, restApiId=api_id,
                        embed=["methods"])
    if isinstance(resources, Unknown):
        c.emit(c.placeholder(ApiGatewayMethod, resources))
        return
    for r in resources or ():
        path = str(r.get("path", "/"))
        for verb, method in (r.get("resourceMethods") or {}).items():
            c.emit(ApiGatewayMethod(
                **c.base(f"{api_arn}/resources/{r.get('id')}/methods/{verb}",
                         "AWS::ApiGateway::Method", name=f"{verb} {path}"),
                http_method=str(verb),
                authorization_type=str((method or {}).get("authorizationType", "NONE")),
                api_key_required=bool((method or {}).get("apiKeyRequired", False)),
            ))


def _http(c: Collector, api: Mapping[str, Any]) -> None:
    gw = c.client("apigatewayv2")
    api_id = str(api.get("ApiId"))
    api_arn = f"arn:{c.partition}:apigateway:{c.region}::/apis/{api_id}"
    stages = c.pages(gw, "get_stages", "Items", resource=api_arn, ApiId=api_id)
    if isinstance(stages, Unknown):
        c.emit(c.placeholder(ApiGatewayStage, stages))
    for s in stages or ():
        name = str(s.get("StageName"))
        defaults = s.get("DefaultRouteSettings") or {}
        c.emit(ApiGatewayStage(
            **c.base(f"{api_arn}/stages/{name}", "AWS::ApiGatewayV2::Stage", name=name,
                     tags=tag_map(s.get("Tags") or {})),
            api_id=api_id,
            access_logging=bool((s.get("AccessLogSettings") or {}).get("DestinationArn")),
            throttling_configured=defaults.get("ThrottlingRateLimit") is not None,
        ))
    routes = c.pages(gw, "get_routes", "Items", resource=api_arn, ApiId=api_id)
    if isinstance(routes, Unknown):
        c.emit(c.placeholder(ApiGatewayMethod, routes))
        return
    for r in routes or ():
        key = str(r.get("RouteKey", ""))
        c.emit(ApiGatewayMethod(
            **c.base(f"{api_arn}/routes/{r.get('RouteId')}", "AWS::ApiGatewayV2::Route",
                     name=key),
            http_method=key.split(" ", 1)[0],
            authorization_type=str(r.get("AuthorizationType", "NONE")),
            api_key_required=bool(r.get("ApiKeyRequired", False)),
        ))
