"""Recognising plaintext secrets, and masking them so findings never reveal one.

Secrets are recognised by name (PASSWORD, TOKEN, API_KEY...) with a literal
value, or by well-known value shapes (AWS access keys, private keys, GitHub
tokens). Values that point at a secret store are not secrets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from tutela.model.values import Reference, is_unknown
from tutela.rules.api import Verdict, failed

_SECRET_NAME = re.compile(
    r"(pass(word|wd|phrase)?|secret|token|api[_-]?key|apikey|private[_-]?key|access[_-]?key"
    r"|client[_-]?secret|credentials?|auth[_-]?key|signing[_-]?key|conn(ection)?[_-]?str(ing)?)",
    re.IGNORECASE,
)


_NOT_SECRET_NAME = re.compile(
    r"(_file|_path|_arn|_id|_name|_url|_uri|_ttl|_length|_expiry|_region|_endpoint|_secret_arn"
    r"|_policy|_rotation|_header|_version|_enabled)$",
    re.IGNORECASE,
)


_SECRET_VALUE = (
    ("an AWS access key id", re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("a GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a password in a connection string", re.compile(r"://[^:/@\s]+:[^@/\s]{3,}@")),
)


# Values that name a secret instead of holding one.
_INDIRECT = re.compile(
    r"^(arn:aws[a-z-]*:(secretsmanager|ssm|kms):|\{\{resolve:|\$\{|/run/secrets/|/var/run/secrets/"
    r"|vault:|ssm:|secretsmanager:|projects/[^/]+/secrets/|https://[a-z0-9-]+\.vault\.azure\.net/)",
    re.IGNORECASE,
)


_PLACEHOLDER = re.compile(
    r"^(|changeme|change_me|none|null|false|true|xxx+|\*+|<.*>|example)$", re.I
)


def mask(value: str) -> str:
    """A hint that never reveals a secret: its first two characters and its length."""
    if len(value) <= 4:
        return "*" * len(value)
    return f"{value[:2]}{'*' * 6} ({len(value)} chars)"


def secret_in(name: str, value: object) -> str | None:
    """Why `name=value` looks like a plaintext secret, or None."""
    if value is None or is_unknown(value) or isinstance(value, Reference):
        return None
    text = str(value).strip()
    for what, pattern in _SECRET_VALUE:
        if pattern.search(text):
            return f"{name} holds {what} ({mask(text)})"
    if _INDIRECT.match(text) or _PLACEHOLDER.match(text):
        return None
    if _SECRET_NAME.search(name) and not _NOT_SECRET_NAME.search(name) and len(text) >= 6:
        return f"{name} holds a literal secret value ({mask(text)})"
    return None


def scan_mapping(values: Mapping[str, object], at: str) -> Iterator[Verdict]:
    for key, value in values.items():
        why = secret_in(str(key), value)
        if why:
            yield failed(why, at=f"{at}.{key}", subject=str(key))
