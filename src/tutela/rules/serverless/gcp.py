"""3.5.2 on Google Cloud: who can invoke Cloud Functions and Cloud Run services, and how."""

from __future__ import annotations

from collections.abc import Iterator

from tutela.model.gcp import CloudFunction, ServerlessService
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, failed, not_applicable, passed, rule, unknown
from tutela.rules.keys.gcp import cmek_verdict
from tutela.rules.network.gcp import public_grant_verdicts
from tutela.rules.settings import Settings


def _public_by_design(service: ServerlessService, settings: Settings) -> bool:
    return settings.has_tag(service.tags, settings.public_exposure_tags)


@rule(
    code="FN201",
    controls=("3.5.2.b.2", "3.2.1.a.3"),
    severity=Severity.HIGH,
    remediation="""
        Remove `allUsers` / `allAuthenticatedUsers` invoker grants and let callers
        authenticate (service accounts, IAP, API Gateway). A service that must be public
        (a webhook, a public website) carries a `public_exposure_tags` label such as
        `exposure = "public"`.
    """,
    snippets={
        "terraform": """
            resource "google_cloud_run_v2_service_iam_member" "frontend_invoker" {
              name     = google_cloud_run_v2_service.api.name
              location = google_cloud_run_v2_service.api.location
              role     = "roles/run.invoker"
              member   = "serviceAccount:${google_service_account.frontend.email}"
            }
        """,
    },
)
def gcp_serverless_requires_authenticated_invocation(
    service: ServerlessService, settings: Settings
) -> Iterator[Verdict]:
    """Cloud Functions and Cloud Run services cannot be invoked anonymously.

    Why: a grant to `allUsers` (or `invoker_iam_disabled`) lets anyone on the internet
    call code that reads and writes ePHI; only authenticated, authorized event sources
    and callers should reach it. Services labelled public by design are not applicable.
    """
    if is_unknown(service.tags):
        yield unknown(f"labels not known: {service.tags.reason}")
        return
    if _public_by_design(service, settings):
        yield not_applicable("labelled as public by design")
        return
    flag = service.public_invoker
    if is_unknown(flag):
        yield unknown(f"invoker_iam_disabled not known: {flag.reason}", at="public_invoker")
        return
    if flag:
        yield failed("invoker IAM checks are disabled: anyone may invoke the service",
                     at="public_invoker")
        return
    yield from public_grant_verdicts(service.iam, what="anonymous")


@rule(
    code="FN202",
    controls=("3.5.2.b.1", "3.1.2.a.2"),
    severity=Severity.MEDIUM,
    remediation="""
        Accept only internal traffic and traffic from your load balancer (where Cloud
        Armor and IAP apply): `ingress_settings = "ALLOW_INTERNAL_AND_GCLB"` (functions),
        `ingress = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"` (Cloud Run v2) or the
        `run.googleapis.com/ingress` annotation (Cloud Run v1).
    """,
    snippets={"terraform": 'ingress = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"'},
)
def gcp_serverless_ingress_restricted(service: ServerlessService, settings: Settings
                                      ) -> Verdict:
    """Cloud Functions and Cloud Run services do not accept traffic from the whole internet.

    Why: with ingress `all` (the default) the service's own URL is reachable from
    anywhere, bypassing the load balancer's WAF, rate limits and IAP. Services labelled
    public by design, and event-triggered 1st generation functions, are not applicable.
    """
    if is_unknown(service.tags):
        return unknown(f"labels not known: {service.tags.reason}")
    if _public_by_design(service, settings):
        return not_applicable("labelled as public by design")
    if isinstance(service, CloudFunction) and service.generation == 1:
        if is_unknown(service.http_trigger):
            return unknown(f"trigger not known: {service.http_trigger.reason}",
                           at="http_trigger")
        if not service.http_trigger:
            return not_applicable("an event-triggered function has no HTTP endpoint")
    ingress = service.ingress
    if is_unknown(ingress):
        return unknown(f"ingress not known: {ingress.reason}", at="ingress")
    if ingress == "all":
        return failed("ingress allows all traffic from the internet", at="ingress")
    return passed(f"ingress {ingress}")


@rule(
    code="FN203",
    controls=("3.5.2.b.3", "3.3.2.a.2"),
    severity=Severity.MEDIUM,
    remediation="""
        Encrypt the code, images and data of ePHI functions and services with a Cloud KMS
        key: `kms_key_name` (functions), `template { encryption_key = ... }` (Cloud Run v2)
        or the `run.googleapis.com/encryption-key` annotation (Cloud Run v1).
    """,
    snippets={
        "terraform": """
            template {
              encryption_key = google_kms_crypto_key.run.id
              containers {
                image = "us-docker.pkg.dev/acme/apps/api@sha256:4f7e9a..."
              }
            }
        """,
    },
)
def gcp_serverless_ephi_uses_cmek(service: ServerlessService, settings: Settings) -> Verdict:
    """Functions and services labelled as handling ePHI use a customer-managed key.

    Why: source archives, container images and environment of the service are stored
    by Google; a customer-managed key keeps that data under the organisation's control.
    """
    return cmek_verdict(service.tags, service.kms_key, settings, "the service")
