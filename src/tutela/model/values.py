"""Values with provenance, and the explicit UNKNOWN.

A value that cannot be known before apply (an unset variable, a computed
attribute, an API call that was denied) is an `Unknown`. It refuses to act as
true or false or to be compared, so a rule that forgets to handle it cannot
silently pass or fail: the engine turns the resulting `UnknownValueError` into
an honest "not evaluated".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NoReturn

from typing_extensions import TypeIs


class UnknownValueError(Exception):
    """Raised when an Unknown value is used as if it were known."""

    def __init__(self, unknown: Unknown) -> None:
        super().__init__(unknown.reason)
        self.unknown = unknown


class Unknown:
    """A value that is not known before apply (or could not be collected)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str = "value is not known before apply") -> None:
        self.reason = reason

    def _refuse(self, *_: Any) -> NoReturn:
        raise UnknownValueError(self)

    __bool__ = _refuse
    __lt__ = _refuse
    __le__ = _refuse
    __gt__ = _refuse
    __ge__ = _refuse
    __iter__ = _refuse
    __len__ = _refuse
    __contains__ = _refuse
    __int__ = _refuse
    __float__ = _refuse
    # Arithmetic too (an expiry date minus now, a size times a count): not evaluated.
    __add__ = __radd__ = __sub__ = __rsub__ = _refuse
    __mul__ = __rmul__ = __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = _refuse

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Unknown):
            return self.reason == other.reason
        raise UnknownValueError(self)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(("tutela.Unknown", self.reason))

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"

    def __str__(self) -> str:
        return f"<unknown: {self.reason}>"


UNKNOWN = Unknown()


class PartialString(Unknown):
    """A string with known literal parts around unknown ones, e.g.
    `"arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"`.

    It is Unknown (it refuses to be compared), but `template` shows what is known
    (`${...}` stands for each unknown part) and `could_be(text)` answers whether
    the final value could equal `text`: an ARN with a literal prefix can never be `*`.
    """

    __slots__ = ("parts",)

    def __init__(self, parts: tuple[str | Unknown | Reference, ...], reason: str) -> None:
        super().__init__(reason)
        self.parts = parts

    @property
    def template(self) -> str:
        return "".join(p if isinstance(p, str) else "${" + _name(p) + "}" for p in self.parts)

    def could_be(self, text: str) -> bool:
        """False when the known parts rule `text` out (they are not all found in it, in order)."""
        position = 0
        for part in self.parts:
            if isinstance(part, str) and part:
                found = text.find(part, position)
                if found < 0:
                    return False
                position = found + len(part)
        return True

    def __repr__(self) -> str:
        return f"PartialString({self.template!r})"


def _name(value: Unknown | Reference) -> str:
    return str(value) if isinstance(value, Reference) else "?"


def is_unknown(value: object) -> TypeIs[Unknown]:
    """True when `value` is an Unknown (never raises)."""
    return isinstance(value, Unknown)


@dataclass(frozen=True, slots=True)
class Reference:
    """A reference to another object whose value is computed at apply time.

    `target` is the address of the referenced object (`aws_kms_key.main`,
    `module.db.aws_kms_key.k["a"]`, or a CloudFormation logical id); `attribute`
    is the attribute read from it (`arn`, `id`), if any. A reference is *set*
    (truthy): a `kms_key_id` that references a key is known to name a key.
    """

    target: str
    attribute: str | None = None

    def __bool__(self) -> bool:
        return True

    def __str__(self) -> str:
        return f"{self.target}.{self.attribute}" if self.attribute else self.target


@dataclass(frozen=True, slots=True)
class Location:
    """Where a value came from: a file and a 1-based inclusive line range."""

    file: str
    start_line: int
    end_line: int

    def __str__(self) -> str:
        if self.start_line == self.end_line:
            return f"{self.file}:{self.start_line}"
        return f"{self.file}:{self.start_line}-{self.end_line}"
