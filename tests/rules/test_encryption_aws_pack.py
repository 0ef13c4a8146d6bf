"""ENC007-ENC022, CRT001-CRT002 on the model: data stores, CloudFront, databases, VPN, certs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from tests.rules._aws_pack import FAIL, NA, NE, PASS, U, make, outcomes

from tutela.model.aws import (
    AcmCertificate,
    CloudFrontDistribution,
    DatabaseInstance,
    EfsFileSystem,
    ElastiCacheReplicationGroup,
    Encryption,
    KinesisStream,
    OpenSearchDomain,
    RedshiftCluster,
    SnsTopic,
    SqsQueue,
    VpnConnection,
    VpnTunnel,
)
from tutela.model.base import Resource
from tutela.rules.api import Rule, Status
from tutela.rules.encryption import aws_stores as stores
from tutela.rules.encryption import aws_transit as transit

KMS = Encryption(True, "aws:kms", "arn:aws:kms:us-east-1:1:key/k")
OFF = Encryption(False)


def cache(**f: Any) -> ElastiCacheReplicationGroup:
    return make(ElastiCacheReplicationGroup, **f)


def search(**f: Any) -> OpenSearchDomain:
    return make(OpenSearchDomain, **f)


def cdn(**f: Any) -> CloudFrontDistribution:
    defaults: dict[str, Any] = {"uses_default_certificate": False,
                                "minimum_protocol_version": "TLSv1.2_2021"}
    return make(CloudFrontDistribution, **{**defaults, **f})


def db(**f: Any) -> DatabaseInstance:
    return make(DatabaseInstance, engine=f.pop("engine", "postgres"), **f)


CASES: list[tuple[str, Rule, Resource, set[Status]]] = [
    ("cache at rest", stores.cache_encrypted_at_rest, cache(at_rest_encryption=True), {PASS}),
    ("cache not at rest", stores.cache_encrypted_at_rest, cache(), {FAIL}),
    ("cache at rest unknown", stores.cache_encrypted_at_rest, cache(at_rest_encryption=U), {NE}),
    ("cache tls", stores.cache_encrypted_in_transit, cache(transit_encryption=True), {PASS}),
    ("cache no tls", stores.cache_encrypted_in_transit, cache(), {FAIL}),
    ("search at rest", stores.search_domain_encrypted_at_rest, search(encrypt_at_rest=True),
     {PASS}),
    ("search clear", stores.search_domain_encrypted_at_rest, search(), {FAIL}),
    ("search n2n", stores.search_domain_node_to_node_encrypted,
     search(node_to_node_encryption=True), {PASS}),
    ("search no n2n", stores.search_domain_node_to_node_encrypted, search(), {FAIL}),
    ("https tls12", stores.search_domain_requires_modern_tls,
     search(enforce_https=True, tls_policy="Policy-Min-TLS-1-2-PFS-2023-10"), {PASS}),
    ("https tls10", stores.search_domain_requires_modern_tls,
     search(enforce_https=True, tls_policy="Policy-Min-TLS-1-0-2019-07"), {FAIL}),
    ("plain http", stores.search_domain_requires_modern_tls,
     search(enforce_https=False, tls_policy="Policy-Min-TLS-1-2-2019-07"), {FAIL}),
    ("tls policy unknown", stores.search_domain_requires_modern_tls,
     search(enforce_https=True, tls_policy=U), {NE}),
    ("warehouse encrypted", stores.warehouse_encrypted_at_rest,
     make(RedshiftCluster, encryption=KMS), {PASS}),
    ("warehouse clear", stores.warehouse_encrypted_at_rest, make(RedshiftCluster), {FAIL}),
    ("warehouse ssl", stores.warehouse_requires_ssl, make(RedshiftCluster, require_ssl=True),
     {PASS}),
    ("warehouse no ssl", stores.warehouse_requires_ssl, make(RedshiftCluster), {FAIL}),
    ("warehouse ssl unknown", stores.warehouse_requires_ssl,
     make(RedshiftCluster, require_ssl=U), {NE}),
    ("efs", stores.file_system_encrypted_at_rest, make(EfsFileSystem, encryption=KMS), {PASS}),
    ("efs clear", stores.file_system_encrypted_at_rest, make(EfsFileSystem), {FAIL}),
    ("stream", stores.stream_encrypted_at_rest, make(KinesisStream, encryption=KMS), {PASS}),
    ("stream clear", stores.stream_encrypted_at_rest, make(KinesisStream), {FAIL}),
    ("topic", stores.topic_encrypted_at_rest, make(SnsTopic, kms_key="alias/aws/sns"), {PASS}),
    ("topic clear", stores.topic_encrypted_at_rest, make(SnsTopic), {FAIL}),
    ("topic key unknown", stores.topic_encrypted_at_rest, make(SnsTopic, kms_key=U), {NE}),
    ("queue sse-sqs", stores.queue_encrypted_at_rest,
     make(SqsQueue, encryption=Encryption(True, "SQS_MANAGED")), {PASS}),
    ("queue opted out", stores.queue_encrypted_at_rest, make(SqsQueue, encryption=OFF), {FAIL}),
    ("queue unknown", stores.queue_encrypted_at_rest,
     make(SqsQueue, encryption=Encryption(U, "SQS_MANAGED")), {NE}),
    ("viewers https", transit.cdn_viewers_use_https,
     cdn(viewer_protocol_policies=("redirect-to-https", "https-only")), {PASS}),
    ("viewers allow-all", transit.cdn_viewers_use_https,
     cdn(viewer_protocol_policies=("redirect-to-https", "allow-all")), {FAIL}),
    ("viewers unknown", transit.cdn_viewers_use_https, cdn(viewer_protocol_policies=U), {NE}),
    ("cdn tls 2021", transit.cdn_minimum_tls_is_modern, cdn(), {PASS}),
    ("cdn tls 2019", transit.cdn_minimum_tls_is_modern,
     cdn(minimum_protocol_version="TLSv1.2_2019"), {FAIL}),
    ("cdn default cert", transit.cdn_minimum_tls_is_modern,
     cdn(uses_default_certificate=True), {FAIL}),
    ("cdn cert unknown", transit.cdn_minimum_tls_is_modern,
     cdn(uses_default_certificate=U), {NE}),
    ("origins https", transit.cdn_origins_use_https, cdn(origin_protocol_policies=("https-only",)),
     {PASS}),
    ("origins http", transit.cdn_origins_use_https, cdn(origin_protocol_policies=("http-only",)),
     {FAIL}),
    ("s3 origins only", transit.cdn_origins_use_https, cdn(), {NA}),
    ("db tls", transit.database_requires_tls, db(require_tls=True), {PASS}),
    ("db no tls", transit.database_requires_tls, db(require_tls=False), {FAIL}),
    ("db tls unknown", transit.database_requires_tls, db(require_tls=U), {NE}),
    ("oracle", transit.database_requires_tls, db(engine="oracle-ee", require_tls=None), {NA}),
    ("aurora member", transit.database_requires_tls, db(member_of_cluster=True), {NA}),
    ("vpn ikev2", transit.vpn_tunnels_use_strong_ike, make(VpnConnection, tunnels=(
        VpnTunnel(("ikev2",), (20,), (20,), "tunnels[0]"),
        VpnTunnel(("ikev2",), (14, 21), (14,), "tunnels[1]"))), {PASS}),
    ("vpn defaults", transit.vpn_tunnels_use_strong_ike,
     make(VpnConnection, tunnels=(VpnTunnel(path="tunnels[0]"),)), {FAIL}),
    ("vpn group 2", transit.vpn_tunnels_use_strong_ike, make(VpnConnection, tunnels=(
        VpnTunnel(("ikev2",), (2, 14), (14,), "tunnels[0]"),)), {FAIL}),
    ("vpn unknown tunnel", transit.vpn_tunnels_use_strong_ike, make(VpnConnection, tunnels=(
        VpnTunnel(U, (20,), (20,), "tunnels[0]"),
        VpnTunnel(("ikev2",), (20,), (20,), "tunnels[1]"))), {NE}),
    ("cert dns", transit.certificate_renews_automatically,
     make(AcmCertificate, validation_method="DNS"), {PASS}),
    ("cert email", transit.certificate_renews_automatically,
     make(AcmCertificate, validation_method="EMAIL"), {FAIL}),
    ("cert imported", transit.certificate_renews_automatically,
     make(AcmCertificate, imported=True), {FAIL}),
    ("cert expiring", transit.certificate_renews_automatically,
     make(AcmCertificate, validation_method="DNS", source="aws",
          not_after=datetime.now(UTC) + timedelta(days=5)), {FAIL}),
    ("cert method unknown", transit.certificate_renews_automatically,
     make(AcmCertificate, validation_method=U), {NE}),
    ("key ec", transit.certificate_key_is_strong,
     make(AcmCertificate, key_algorithm="EC_secp384r1"), {PASS}),
    ("key rsa 4096", transit.certificate_key_is_strong,
     make(AcmCertificate, key_algorithm="RSA_4096"), {PASS}),
    ("key rsa 1024", transit.certificate_key_is_strong,
     make(AcmCertificate, key_algorithm="RSA_1024"), {FAIL}),
    ("key unknown", transit.certificate_key_is_strong, make(AcmCertificate, key_algorithm=U),
     {NE}),
    ("key imported", transit.certificate_key_is_strong, make(AcmCertificate), {NA}),
]


@pytest.mark.parametrize(("rule", "resource", "expected"),
                         [pytest.param(r, res, e, id=i) for i, r, res, e in CASES])
def test_rule(rule: Rule, resource: Resource, expected: set[Status]) -> None:
    assert outcomes(rule, resource) == expected
