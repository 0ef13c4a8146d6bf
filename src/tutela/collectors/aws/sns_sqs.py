"""SNS and SQS (regional): topics and queues with their encryption and access policy.

Fills SnsTopic (service `sns`) and SqsQueue (service `sqs`).
"""

from __future__ import annotations

from collections.abc import Sequence

from tutela.collectors.aws.base import Collector, document
from tutela.collectors.aws.pool import Job
from tutela.model.aws import Encryption, SnsTopic, SqsQueue
from tutela.model.values import Unknown

SERVICES = ("sns", "sqs")
SCOPE = "regional"
TYPES = (SnsTopic, SqsQueue)


def collect_sns(c: Collector) -> Sequence[Job]:
    topics = c.listing(c.client("sns"), "list_topics", "Topics", (SnsTopic,))
    return c.fan_out([str(t.get("TopicArn")) for t in topics or ()], _topics, "topics")


def _topics(c: Collector, arns: Sequence[str]) -> None:
    sns = c.client("sns")
    for arn in arns:
        answer = c.call(sns, "get_topic_attributes", resource=arn, TopicArn=arn)
        if isinstance(answer, Unknown):
            c.emit(SnsTopic(**c.base(arn, "AWS::SNS::Topic", name=arn.rsplit(":", 1)[-1]),
                            kms_key=answer, policy=answer))
            continue
        attrs = (answer or {}).get("Attributes") or {}
        c.emit(SnsTopic(
            **c.base(arn, "AWS::SNS::Topic", name=arn.rsplit(":", 1)[-1]),
            kms_key=attrs.get("KmsMasterKeyId") or None,
            policy=document(attrs.get("Policy"), "topic policy") if attrs.get("Policy") else None,
        ))


def collect_sqs(c: Collector) -> Sequence[Job]:
    urls = c.listing(c.client("sqs"), "list_queues", "QueueUrls", (SqsQueue,))
    return c.fan_out([str(u) for u in urls or ()], _queues, "queues")


def _queues(c: Collector, urls: Sequence[str]) -> None:
    sqs = c.client("sqs")
    for url in urls:
        name = url.rstrip("/").rsplit("/", 1)[-1]
        arn = c.arn("sqs", name)
        answer = c.call(sqs, "get_queue_attributes", resource=arn, QueueUrl=url,
                        AttributeNames=["All"])
        if isinstance(answer, Unknown):
            c.emit(SqsQueue(**c.base(arn, "AWS::SQS::Queue", name=name),
                            encryption=Encryption(enabled=answer), policy=answer))
            continue
        attrs = (answer or {}).get("Attributes") or {}
        arn = str(attrs.get("QueueArn") or arn)
        key = attrs.get("KmsMasterKeyId")
        if key:
            enc = Encryption(enabled=True, algorithm="aws:kms", kms_key=str(key))
        elif str(attrs.get("SqsManagedSseEnabled", "false")).lower() == "true":
            enc = Encryption(enabled=True, algorithm="SQS_MANAGED")
        else:
            enc = Encryption(enabled=False)
        c.emit(SqsQueue(
            **c.base(arn, "AWS::SQS::Queue", name=name),
            encryption=enc,
            policy=document(attrs.get("Policy"), "queue policy") if attrs.get("Policy") else None,
        ))
