"""3.1 on Azure: data residency, network exposure of services, VM and AKS hardening."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from tutela.model.azure import (
    INTERNET_SOURCES,
    ApplicationGateway,
    AzureResource,
    ContainerRegistry,
    CosmosDbAccount,
    DatabaseFirewallRule,
    DatabaseServer,
    KeyVault,
    KubernetesCluster,
    NetworkSecurityGroup,
    NsgRule,
    SqlServer,
    StorageAccount,
    VirtualMachine,
)
from tutela.model.values import UnknownValueError, is_unknown
from tutela.rules.api import (
    Severity,
    Verdict,
    failed,
    not_applicable,
    or_passed,
    passed,
    rule,
    unknown,
)
from tutela.rules.settings import Settings

ADMIN_PORTS = {22: "SSH", 3389: "RDP", 5985: "WinRM", 5986: "WinRM over TLS", 23: "Telnet"}
DATABASE_PORTS = {
    1433: "SQL Server",
    3306: "MySQL",
    5432: "PostgreSQL",
    6379: "Redis",
    6380: "Redis over TLS",
    9042: "Cassandra",
    9200: "Elasticsearch",
    10255: "Cosmos DB (MongoDB API)",
    11211: "Memcached",
    27017: "MongoDB",
}

# --- 3.1.1 data residency ---------------------------------------------------------------


@rule(
    code="NET101",
    controls=("3.1.1.b.3",),
    severity=Severity.HIGH,
    remediation="""
        Deploy into an approved Azure location (`[settings] approved_azure_locations` in
        .tutela.toml; default: the US regions), or have the list amended through the
        policy exception process.
    """,
    snippets={"terraform": 'location = "eastus2"'},
)
def azure_location_is_approved(resource: AzureResource, settings: Settings) -> Iterator[Verdict]:
    """Azure resources are deployed in approved locations.

    Why: ENG-POL-003 requires data residency controls that keep data inside approved
    geographies; a storage account or database created in another region moves ePHI
    (and its backups) out of the jurisdiction the organisation committed to. Replica
    locations (Cosmos DB geo-locations, registry geo-replications) count too. Resources
    without a location (role assignments, rules) are not judged; `global` ones are not
    applicable.
    """
    region = resource.region
    if region is None:
        return
    if is_unknown(region):
        yield unknown(f"location not known before apply: {region.reason}", at="region")
        return
    if region == "global":
        yield not_applicable("a global resource")
        return
    approved = {loc.replace(" ", "").lower() for loc in settings.approved_azure_locations}
    if region not in approved:
        yield failed(f"location {region!r} is not an approved location", at="region")
        return
    replicas = resource.replica_regions
    if is_unknown(replicas):
        yield unknown(f"replica locations not known: {replicas.reason}", at="replica_regions")
        return
    outside = sorted({r for r in replicas if r not in approved})
    if outside:
        yield failed(f"data is replicated to {', '.join(outside)}, outside the approved "
                     "locations", at="replica_regions")
        return
    yield passed(f"location {region}")


# --- network security groups ------------------------------------------------------------


def _shadowed(allow: NsgRule, port: int, rules: tuple[NsgRule, ...]) -> bool:
    """A higher-priority (lower number) Deny from the internet covers `port` first."""
    if not isinstance(allow.priority, int):
        return False
    for other in rules:
        try:
            if (other.is_inbound_deny and isinstance(other.priority, int)
                    and other.priority < allow.priority and other.from_internet
                    and other.covers_port(port)):
                return True
        except UnknownValueError:
            continue
    return False


def _exposed_ports(nsg: NetworkSecurityGroup, ports: dict[int, str]) -> Iterator[Verdict]:
    rules = nsg.rules
    if is_unknown(rules):
        yield unknown(f"security rules are not known before apply: {rules.reason}", at="rules")
        return

    def problems() -> Iterator[Verdict]:
        for r in rules:
            try:
                if not r.is_inbound_allow or not r.from_internet:
                    continue
                hit = sorted(p for p in ports if r.covers_port(p) and not _shadowed(r, p, rules))
            except UnknownValueError as exc:
                yield unknown(f"rule not evaluated: {exc.unknown.reason}", at=r.path,
                              subject=_name(r))
                continue
            if hit:
                names = ", ".join(f"{p} ({ports[p]})" for p in hit)
                yield failed(f"rule {_name(r)} allows {names} from the internet", at=r.path,
                             subject=_name(r))

    yield from or_passed(problems(), "no inbound rule allows these ports from the internet")


def _name(r: NsgRule) -> str:
    return r.name if isinstance(r.name, str) else r.path


@rule(
    code="NET102",
    controls=("3.1.2.a.2",),
    severity=Severity.CRITICAL,
    remediation="""
        Remove inbound Allow rules from `*`, `Internet` or `0.0.0.0/0` to SSH, RDP and
        WinRM. Reach VMs through Azure Bastion, Just-in-Time VM access, or a VPN whose
        address range is the only allowed source.
    """,
    snippets={
        "terraform": """
            security_rule {
              name                       = "ssh-from-bastion"
              priority                   = 100
              direction                  = "Inbound"
              access                     = "Allow"
              protocol                   = "Tcp"
              source_port_range          = "*"
              destination_port_range     = "22"
              source_address_prefix      = "10.0.250.0/26" # AzureBastionSubnet
              destination_address_prefix = "VirtualNetwork"
            }
        """,
    },
)
def nsg_blocks_admin_ports_from_internet(nsg: NetworkSecurityGroup) -> Iterator[Verdict]:
    """Network security groups do not expose SSH, RDP or WinRM to the internet.

    Why: administration ports open to any address are brute-forced within minutes of
    exposure. Rules declared inline and as `azurerm_network_security_rule` are judged
    together; an Allow shadowed by a higher-priority Deny from the internet is not an
    exposure.
    """
    yield from _exposed_ports(nsg, ADMIN_PORTS)


@rule(
    code="NET103",
    controls=("3.1.2.a.2",),
    severity=Severity.HIGH,
    remediation="""
        Allow database and cache ports only from the application subnets, service tags
        or application security groups, never from `*`, `Internet` or `0.0.0.0/0`.
    """,
    snippets={
        "terraform": """
            security_rule {
              name                       = "postgres-from-app"
              priority                   = 110
              direction                  = "Inbound"
              access                     = "Allow"
              protocol                   = "Tcp"
              source_port_range          = "*"
              destination_port_range     = "5432"
              source_address_prefix      = "10.0.1.0/24"
              destination_address_prefix = "10.0.2.0/24"
            }
        """,
    },
)
def nsg_blocks_database_ports_from_internet(nsg: NetworkSecurityGroup) -> Iterator[Verdict]:
    """Network security groups do not expose database or cache ports to the internet.

    Why: a database listener reachable from anywhere leaves one leaked or weak password
    between an attacker and ePHI.
    """
    yield from _exposed_ports(nsg, DATABASE_PORTS)


# --- public endpoints of data services ------------------------------------------------------


def _network_default(public: object, action: object, what: str) -> Verdict:
    """Public access off, or networks denied by default; else a failure naming `what`."""
    if public is False:
        return passed("public network access is disabled")
    if isinstance(action, str) and action.lower() == "deny":
        return passed("networks are denied by default")
    if is_unknown(action):
        return unknown(f"network default action not known: {action.reason}",
                       at="network_default_action")
    if is_unknown(public):
        return unknown(f"public network access not known: {public.reason}",
                       at="public_network_access")
    return failed(what, at="network_default_action")


@rule(
    code="NET104",
    controls=("3.1.2.a.2", "3.3.1.a.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Deny public network access by default: `network_rules { default_action = "Deny" }`
        (or `azurerm_storage_account_network_rules`) with the subnets and addresses that
        need access, or `public_network_access_enabled = false` with private endpoints.
    """,
    snippets={
        "terraform": """
            network_rules {
              default_action             = "Deny"
              bypass                     = ["AzureServices"]
              virtual_network_subnet_ids = [azurerm_subnet.app.id]
            }
        """,
    },
)
def storage_account_denies_public_network_access(account: StorageAccount) -> Verdict:
    """Storage accounts deny network access by default.

    Why: without network rules a storage account answers from every network, so a
    leaked key or SAS token is usable from anywhere.
    """
    return _network_default(account.public_network_access, account.network_default_action,
                            "public network access is allowed from all networks")


@rule(
    code="NET105",
    controls=("3.1.2.a.2", "3.1.1.a.1"),
    severity=Severity.HIGH,
    remediation="""
        Set `allow_nested_items_to_be_public = false` (the provider defaults to `true`),
        and share data through SAS tokens or Entra ID authorization instead.
    """,
    snippets={"terraform": "allow_nested_items_to_be_public = false"},
)
def storage_account_blocks_public_blob_access(account: StorageAccount) -> Verdict:
    """Storage accounts do not allow anonymous public access to blobs.

    Why: with nested items allowed to be public, one container's access level turns its
    blobs into anonymous downloads; the azurerm provider allows it unless told otherwise.
    """
    if account.has_blob_service is False:
        return not_applicable(f"{account.account_kind} accounts have no blob service")
    if account.public_nested_items:
        implied = "" if "public_nested_items" in account.field_locations else " (the default)"
        return failed(f"containers may be made public{implied}", at="public_nested_items")
    return passed()


@rule(
    code="NET106",
    controls=("3.1.2.a.2", "3.3.1.a.2"),
    severity=Severity.HIGH,
    remediation="""
        Set `public_network_access_enabled = false` and connect through private
        endpoints.
    """,
    snippets={"terraform": "public_network_access_enabled = false"},
)
def sql_server_public_network_access_disabled(server: SqlServer) -> Verdict:
    """Azure SQL servers do not accept connections from public networks.

    Why: the public endpoint puts the server's listener on the internet, where only the
    firewall rules (often broadened over time) stand between attackers and ePHI.
    """
    if server.public_network_access:
        return failed("public network access is enabled", at="public_network_access")
    return passed()


@rule(
    code="NET107",
    controls=("3.1.2.a.2", "3.3.1.a.2"),
    severity=Severity.HIGH,
    remediation="""
        Deploy flexible servers with private access (`delegated_subnet_id` and
        `private_dns_zone_id`), or set `public_network_access_enabled = false` and use
        private endpoints.
    """,
    snippets={
        "terraform": """
            delegated_subnet_id           = azurerm_subnet.postgres.id
            private_dns_zone_id           = azurerm_private_dns_zone.postgres.id
            public_network_access_enabled = false
        """,
    },
)
def database_server_public_network_access_disabled(server: DatabaseServer) -> Verdict:
    """PostgreSQL and MySQL servers do not accept connections from public networks.

    Why: a server with public access is one firewall rule away from the internet; VNet
    integration or private endpoints keep database traffic inside the private network.
    """
    if server.public_network_access:
        return failed("public network access is enabled", at="public_network_access")
    return passed()


_AZURE_SERVICES = ipaddress.IPv4Address("0.0.0.0")
_BROAD = 2**24  # more addresses than a /8: no organisation's egress range is that large


@rule(
    code="NET108",
    controls=("3.1.2.a.2",),
    severity=Severity.HIGH,
    remediation="""
        Allow only the organisation's own egress addresses. Remove `0.0.0.0`-`0.0.0.0`
        ("allow Azure services": any tenant's Azure resources) and any range covering the
        internet; use private endpoints or VNet rules for Azure workloads.
    """,
    snippets={
        "terraform": """
            resource "azurerm_mssql_firewall_rule" "office" {
              name             = "office-egress"
              server_id        = azurerm_mssql_server.claims.id
              start_ip_address = "203.0.113.10"
              end_ip_address   = "203.0.113.10"
            }
        """,
    },
)
def database_firewall_rule_not_open(fw: DatabaseFirewallRule) -> Verdict:
    """Database firewall rules do not open the server to the internet or to all of Azure.

    Why: `0.0.0.0`-`255.255.255.255` admits the whole internet, and `0.0.0.0`-`0.0.0.0`
    admits every Azure customer's resources, not only the organisation's.
    """
    start, end = fw.start_ip, fw.end_ip
    if is_unknown(start) or is_unknown(end):
        return unknown("the rule's addresses are not known before apply", at="start_ip")
    try:
        low = ipaddress.IPv4Address(str(start).strip())
        high = ipaddress.IPv4Address(str(end).strip())
    except ValueError:
        return unknown(f"addresses {start!r}-{end!r} are not IPv4 addresses", at="start_ip")
    if low == high == _AZURE_SERVICES:
        return failed("the rule admits all Azure services of every tenant", at="start_ip")
    size = int(high) - int(low) + 1
    if size > _BROAD:
        return failed(f"the rule admits {low}-{high} ({size:,} addresses)", at="start_ip")
    return passed(f"{low}-{high}")


@rule(
    code="NET109",
    controls=("3.1.2.a.2", "3.3.1.a.2"),
    severity=Severity.HIGH,
    remediation="""
        Set `public_network_access_enabled = false` with private endpoints, or restrict
        access with `ip_range_filter` and `is_virtual_network_filter_enabled = true`.
    """,
    snippets={
        "terraform": """
            public_network_access_enabled     = false
            is_virtual_network_filter_enabled = true
        """,
    },
)
def cosmosdb_not_publicly_accessible(account: CosmosDbAccount) -> Verdict:
    """Cosmos DB accounts are not reachable from every network.

    Why: an account without IP or virtual network filters accepts requests from the
    whole internet, protected only by its keys.
    """
    if account.public_network_access is False:
        return passed("public network access is disabled")
    ranges = account.ip_range_filter
    if is_unknown(ranges):
        return unknown(f"ip_range_filter not known: {ranges.reason}", at="ip_range_filter")
    if any(r.strip() in ("0.0.0.0/0", "*") for r in ranges):
        return failed("ip_range_filter admits the whole internet", at="ip_range_filter")
    if any(r.strip() in ("0.0.0.0", "0.0.0.0/32") for r in ranges):
        return failed("ip_range_filter admits all Azure datacenters (0.0.0.0), every tenant's",
                      at="ip_range_filter")
    if ranges or account.virtual_network_filter:
        return passed("access is restricted by IP or virtual network filters")
    return failed("public network access is enabled without IP or virtual network filters",
                  at="public_network_access")


@rule(
    code="NET110",
    controls=("3.1.2.a.2", "3.5.1.a.5"),
    severity=Severity.HIGH,
    remediation="""
        Set `public_network_access_enabled = false` and use private endpoints, or (Premium)
        `network_rule_set { default_action = "Deny" }` with allowed ranges; keep
        `anonymous_pull_enabled` off.
    """,
    snippets={
        "terraform": """
            sku                           = "Premium"
            public_network_access_enabled = false
            anonymous_pull_enabled        = false
        """,
    },
)
def container_registry_not_public(registry: ContainerRegistry) -> Verdict:
    """Container registries are private: no anonymous pull, no open public endpoint.

    Why: ENG-POL-003 requires private registries with access controls; an open registry
    exposes images (and the secrets or internal endpoints baked into them) to anyone.
    """
    if registry.anonymous_pull:
        return failed("anonymous pull is enabled", at="anonymous_pull")
    return _network_default(registry.public_network_access, registry.network_default_action,
                            "the registry accepts pushes and pulls from every network")


@rule(
    code="NET111",
    controls=("3.1.2.a.2", "3.3.2.b.1"),
    severity=Severity.MEDIUM,
    remediation="""
        Add `network_acls { default_action = "Deny", bypass = "AzureServices" }` with the
        allowed subnets and addresses, or set `public_network_access_enabled = false`.
    """,
    snippets={
        "terraform": """
            network_acls {
              default_action             = "Deny"
              bypass                     = "AzureServices"
              virtual_network_subnet_ids = [azurerm_subnet.app.id]
            }
        """,
    },
)
def key_vault_denies_public_network_access(vault: KeyVault) -> Verdict:
    """Key Vaults deny network access by default.

    Why: a vault reachable from every network lets a stolen token read keys and secrets
    from anywhere; network ACLs confine key use to the workloads that need it.
    """
    return _network_default(vault.public_network_access, vault.network_default_action,
                            "the vault accepts requests from every network")


@rule(
    code="NET112",
    controls=("3.1.2.a.2", "3.5.1.b.1"),
    severity=Severity.HIGH,
    remediation="""
        Make the cluster private (`private_cluster_enabled = true`) or restrict the API
        server to known ranges with `api_server_access_profile { authorized_ip_ranges }`.
    """,
    snippets={
        "terraform": """
            api_server_access_profile {
              authorized_ip_ranges = ["203.0.113.0/24"]
            }
        """,
    },
)
def aks_api_server_not_open(cluster: KubernetesCluster) -> Verdict:
    """AKS API servers are private or restricted to authorized IP ranges.

    Why: a public API server reachable from the whole internet leaves only credentials
    between the world and cluster-admin.
    """
    if cluster.private_cluster:
        return passed("private cluster")
    ranges = cluster.authorized_ip_ranges
    if is_unknown(ranges):
        return unknown(f"authorized IP ranges not known: {ranges.reason}",
                       at="authorized_ip_ranges")
    if not ranges:
        return failed("the API server is public and accepts every address",
                      at="authorized_ip_ranges")
    if any(r.strip() in INTERNET_SOURCES for r in ranges):
        return failed("authorized IP ranges include 0.0.0.0/0", at="authorized_ip_ranges")
    return passed("the API server accepts authorized ranges only")


# --- virtual machines ---------------------------------------------------------------------


@rule(
    code="NET113",
    controls=("3.1.2.a.1", "3.1.2.b.1"),
    severity=Severity.HIGH,
    remediation="""
        Use SSH keys (`admin_ssh_key`) and keep `disable_password_authentication = true`
        (the default of `azurerm_linux_virtual_machine`).
    """,
    snippets={
        "terraform": """
            disable_password_authentication = true
            admin_ssh_key {
              username   = "azureuser"
              public_key = var.admin_ssh_public_key
            }
        """,
    },
)
def linux_vm_password_authentication_disabled(vm: VirtualMachine) -> Verdict:
    """Linux VMs accept SSH keys only, not passwords.

    Why: password logins can be guessed and are the target of constant brute-force
    campaigns; the CIS baselines require key-based SSH authentication.
    """
    if vm.os_type == "windows":
        return not_applicable("Windows VMs authenticate with passwords or Entra ID")
    if not vm.password_auth_disabled:
        return failed("password authentication is enabled", at="password_auth_disabled")
    return passed()


@rule(
    code="NET114",
    controls=("3.1.2.b.1",),
    severity=Severity.MEDIUM,
    remediation="""
        Use Trusted Launch: a Gen2 image with `secure_boot_enabled = true` and
        `vtpm_enabled = true` (the legacy `azurerm_virtual_machine` cannot; migrate to
        `azurerm_linux_virtual_machine` / `azurerm_windows_virtual_machine`).
    """,
    snippets={
        "terraform": """
            secure_boot_enabled = true
            vtpm_enabled        = true
        """,
    },
)
def vm_uses_trusted_launch(vm: VirtualMachine) -> Verdict:
    """Virtual machines use Trusted Launch (secure boot and vTPM).

    Why: secure boot refuses unsigned boot loaders and kernels, and the vTPM lets boot
    integrity be measured and attested: the hardened-image baseline against rootkits.
    """
    missing = [n for n, on in (("secure boot", vm.secure_boot), ("vTPM", vm.vtpm)) if not on]
    if missing:
        at = "secure_boot" if "secure boot" in missing else "vtpm"
        return failed(f"{' and '.join(missing)} not enabled", at=at)
    return passed()


# --- edge ---------------------------------------------------------------------------------


@rule(
    code="NET115",
    controls=("3.1.2.a.2", "3.7.1.a.3"),
    severity=Severity.MEDIUM,
    remediation="""
        Use the `WAF_v2` tier with a WAF policy (`firewall_policy_id`, Prevention mode) or
        `waf_configuration { enabled = true, firewall_mode = "Prevention" }`.
    """,
    snippets={
        "terraform": """
            sku {
              name = "WAF_v2"
              tier = "WAF_v2"
            }
            firewall_policy_id = azurerm_web_application_firewall_policy.portal.id
        """,
    },
)
def application_gateway_has_waf(gateway: ApplicationGateway) -> Verdict:
    """Application Gateways inspect traffic with a web application firewall.

    Why: a WAF blocks the OWASP top-ten attacks (injection, traversal) before they
    reach applications that process ePHI, and records attempts for detection.
    """
    if gateway.firewall_policy:
        return passed("a WAF policy is attached")
    if gateway.waf_enabled:
        mode = gateway.waf_mode
        if is_unknown(mode):
            return unknown(f"WAF mode not known: {mode.reason}", at="waf_enabled")
        if str(mode).lower() == "detection":
            return failed("the WAF only detects (Detection mode), it does not block",
                          at="waf_enabled")
        return passed("WAF enabled")
    return failed("no web application firewall is enabled", at="waf_enabled")
