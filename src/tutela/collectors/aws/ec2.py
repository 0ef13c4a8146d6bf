"""EC2 (regional): instances, volumes, snapshots, security groups, network ACLs, VPCs, flow logs.

Fills Ec2Instance (metadata options, image, public IP, instance profile, root
volume encryption, user data), EbsVolume, Snapshot (EBS, with public
create-volume permission), SecurityGroup (one SecurityGroupRule per
permission), NetworkAcl, Vpc and FlowLog.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from typing import Any

from tutela.collectors.aws.base import Collector, tag_map
from tutela.collectors.aws.pool import Job
from tutela.model.aws import (
    EbsVolume,
    Ec2Instance,
    Encryption,
    FlowLog,
    MetadataOptions,
    NetworkAcl,
    NetworkAclRule,
    SecurityGroup,
    SecurityGroupRule,
    Snapshot,
    Vpc,
)
from tutela.model.values import Unknown

SERVICE = "ec2"
SCOPE = "regional"
TYPES = (Ec2Instance, EbsVolume, Snapshot, SecurityGroup, NetworkAcl, Vpc, FlowLog)
PROTOCOLS = {"-1": "-1", "all": "-1", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}


def protocol(value: Any) -> str:
    text = str(value if value is not None else "-1").strip().lower()
    return PROTOCOLS.get(text, text)


def collect(c: Collector) -> Sequence[Job]:
    ec2 = c.client()
    jobs: list[Job] = []
    volumes = c.listing(ec2, "describe_volumes", "Volumes", (EbsVolume,))
    by_id: dict[str, Encryption] = {}
    for v in volumes or ():
        vid = str(v.get("VolumeId"))
        enc = Encryption(enabled=bool(v.get("Encrypted", False)), kms_key=v.get("KmsKeyId"))
        by_id[vid] = enc
        c.emit(EbsVolume(**c.base(c.arn("ec2", f"volume/{vid}"), "AWS::EC2::Volume",
                                  name=vid, tags=tag_map(v.get("Tags"))), encryption=enc))
    reservations = c.listing(ec2, "describe_instances", "Reservations", (Ec2Instance,))
    instances = [i for r in reservations or () for i in r.get("Instances", [])]
    jobs += c.fan_out(instances, lambda cc, chunk: _instances(cc, chunk, by_id, volumes),
                      "EC2 instances")
    snapshots = c.listing(ec2, "describe_snapshots", "Snapshots", (Snapshot,), OwnerIds=["self"])
    jobs += c.fan_out(snapshots or [], _snapshots, "EBS snapshots")
    for g in c.listing(ec2, "describe_security_groups", "SecurityGroups", (SecurityGroup,)) or ():
        c.emit(_security_group(c, g))
    for acl in c.listing(ec2, "describe_network_acls", "NetworkAcls", (NetworkAcl,)) or ():
        c.emit(_network_acl(c, acl))
    for vpc in c.listing(ec2, "describe_vpcs", "Vpcs", (Vpc,)) or ():
        vid = str(vpc.get("VpcId"))
        c.emit(Vpc(**c.base(c.arn("ec2", f"vpc/{vid}"), "AWS::EC2::VPC", name=vid,
                            tags=tag_map(vpc.get("Tags"))),
                   vpc_id=vid, is_default=bool(vpc.get("IsDefault", False))))
    for log in c.listing(ec2, "describe_flow_logs", "FlowLogs", (FlowLog,)) or ():
        fid = str(log.get("FlowLogId"))
        c.emit(FlowLog(**c.base(c.arn("ec2", f"vpc-flow-log/{fid}"), "AWS::EC2::FlowLog",
                                name=fid, tags=tag_map(log.get("Tags"))),
                       target=log.get("ResourceId"),
                       traffic_type=str(log.get("TrafficType", "ALL"))))
    return jobs


def _instances(c: Collector, chunk: Sequence[Mapping[str, Any]],
               volumes_by_id: Mapping[str, Encryption], volumes: list[Any] | None) -> None:
    ec2 = c.client()
    for i in chunk:
        iid = str(i.get("InstanceId"))
        arn = c.arn("ec2", f"instance/{iid}")
        meta = i.get("MetadataOptions") or {}
        root_name = i.get("RootDeviceName")
        root: Encryption | None = None
        for mapping in i.get("BlockDeviceMappings", []) or ():
            if mapping.get("DeviceName") == root_name:
                vid = str((mapping.get("Ebs") or {}).get("VolumeId"))
                if volumes is None:
                    root = Encryption(enabled=Unknown("not collected: ec2:DescribeVolumes failed"))
                else:
                    root = volumes_by_id.get(vid)
        user_data: str | Unknown | None = None
        answer = c.call(ec2, "describe_instance_attribute", resource=arn, InstanceId=iid,
                        Attribute="userData")
        if isinstance(answer, Unknown):
            user_data = answer
        else:
            encoded = ((answer or {}).get("UserData") or {}).get("Value")
            if encoded:
                try:
                    user_data = base64.b64decode(encoded).decode("utf-8", errors="replace")
                except (binascii.Error, ValueError):
                    user_data = str(encoded)
        profile = (i.get("IamInstanceProfile") or {}).get("Arn")
        c.emit(Ec2Instance(
            **c.base(arn, "AWS::EC2::Instance", name=iid, tags=tag_map(i.get("Tags"))),
            image_id=i.get("ImageId"),
            metadata_options=MetadataOptions(
                http_tokens=str(meta.get("HttpTokens", "optional")),
                http_endpoint=str(meta.get("HttpEndpoint", "enabled")),
            ),
            root_volume_encryption=root,
            public_ip=bool(i.get("PublicIpAddress")),
            iam_instance_profile=profile,
            user_data=user_data,
        ))


def _snapshots(c: Collector, chunk: Sequence[Mapping[str, Any]]) -> None:
    ec2 = c.client()
    for s in chunk:
        sid = str(s.get("SnapshotId"))
        arn = c.arn("ec2", f"snapshot/{sid}", account=str(s.get("OwnerId") or c.account))
        answer = c.call(ec2, "describe_snapshot_attribute", resource=arn, SnapshotId=sid,
                        Attribute="createVolumePermission")
        public: bool | Unknown
        if isinstance(answer, Unknown):
            public = answer
        else:
            perms = (answer or {}).get("CreateVolumePermissions", []) or []
            public = any(p.get("Group") == "all" for p in perms)
        c.emit(Snapshot(
            **c.base(arn, "AWS::EC2::Snapshot", name=sid, tags=tag_map(s.get("Tags"))),
            snapshot_type="ebs",
            encrypted=bool(s.get("Encrypted", False)),
            public=public,
        ))


def _rules(direction: str, permissions: Sequence[Mapping[str, Any]],
           start: int) -> list[SecurityGroupRule]:
    out: list[SecurityGroupRule] = []
    for p in permissions or ():
        proto = protocol(p.get("IpProtocol"))
        v4 = tuple(str(r.get("CidrIp")) for r in p.get("IpRanges", []) or ())
        v6 = tuple(str(r.get("CidrIpv6")) for r in p.get("Ipv6Ranges", []) or ())
        groups = tuple(str(g.get("GroupId")) for g in p.get("UserIdGroupPairs", []) or ())
        lists = tuple(str(g.get("PrefixListId")) for g in p.get("PrefixListIds", []) or ())
        descriptions = [r.get("Description") for r in (*(p.get("IpRanges") or ()),
                                                       *(p.get("Ipv6Ranges") or ()))]
        description = next((str(d) for d in descriptions if d), None)
        from_port = p.get("FromPort")
        to_port = p.get("ToPort")
        out.append(SecurityGroupRule(
            direction=direction,
            protocol=proto,
            from_port=None if proto == "-1" or from_port is None else int(from_port),
            to_port=None if proto == "-1" or to_port is None else int(to_port),
            cidr_blocks=v4,
            ipv6_cidr_blocks=v6,
            source_security_groups=groups + lists,
            description=description,
            path=f"rules[{start + len(out)}]",
        ))
    return out


def _security_group(c: Collector, g: Mapping[str, Any]) -> SecurityGroup:
    gid = str(g.get("GroupId"))
    ingress = _rules("ingress", g.get("IpPermissions", []), 0)
    egress = _rules("egress", g.get("IpPermissionsEgress", []), len(ingress))
    return SecurityGroup(
        **c.base(c.arn("ec2", f"security-group/{gid}", account=str(g.get("OwnerId") or c.account)),
                 "AWS::EC2::SecurityGroup", name=str(g.get("GroupName") or gid),
                 tags=tag_map(g.get("Tags"))),
        rules=tuple(ingress + egress),
        vpc_id=g.get("VpcId"),
        description=g.get("Description"),
    )


def _network_acl(c: Collector, acl: Mapping[str, Any]) -> NetworkAcl:
    aid = str(acl.get("NetworkAclId"))
    rules: list[NetworkAclRule] = []
    for i, e in enumerate(acl.get("Entries", []) or ()):
        ports = e.get("PortRange") or {}
        rules.append(NetworkAclRule(
            egress=bool(e.get("Egress", False)),
            rule_number=int(e.get("RuleNumber", 0)),
            action=str(e.get("RuleAction", "")).lower(),
            protocol=protocol(e.get("Protocol")),
            from_port=ports.get("From"),
            to_port=ports.get("To"),
            cidr_block=e.get("CidrBlock"),
            ipv6_cidr_block=e.get("Ipv6CidrBlock"),
            path=f"rules[{i}]",
        ))
    return NetworkAcl(
        **c.base(c.arn("ec2", f"network-acl/{aid}"), "AWS::EC2::NetworkAcl", name=aid,
                 tags=tag_map(acl.get("Tags"))),
        rules=tuple(rules),
    )
