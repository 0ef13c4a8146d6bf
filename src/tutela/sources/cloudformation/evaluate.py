"""Evaluate a parsed CloudFormation template into `RawResource`s.

What is computed: parameters (defaults, caller-supplied values, list types),
pseudo parameters (`AWS::Partition` is "aws", `AWS::NoValue` removes the
property or list element, the others are Unknown), conditions, `Fn::If`,
`Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::FindInMap`,
`Fn::Base64`, `Fn::Cidr`, `Fn::Length`, `Fn::ToJsonString`. `Ref` and
`Fn::GetAtt` to a resource give a `Reference`. Values known only at deploy
time (`Fn::GetAZs`, `Fn::ImportValue`, `Fn::Transform`, SSM parameter types,
most pseudo parameters) are `Unknown` with a reason.

`Fn::If` on a condition that cannot be decided joins its two branches: equal
parts keep their value, differing parts become Unknown (so two mappings that
both set `SSEAlgorithm`, to different values, still show that the key is set).

SAM (`Transform: AWS::Serverless-2016-10-31`): the `Globals` of a section
(`Function`, `Api`, `HttpApi`, ...) are merged into each `AWS::Serverless::*`
resource of that kind as SAM does it (mappings merged, lists concatenated,
scalars taken from the resource). The SAM translator itself is not run.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import re
from collections.abc import Callable, Mapping
from itertools import islice
from typing import Any

from tutela.model.values import Location, PartialString, Reference, Unknown
from tutela.sources.raw import ParseError, RawParseResult, RawResource
from tutela.sources.yamlmarks import MarkedDocument, Path

__all__ = ["SOURCE", "evaluate_template"]

SOURCE = "cloudformation"
SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
PARAMETER_TYPE = "AWS::CloudFormation::Parameter"

# Resource-level attributes copied next to the properties, under "__<name>".
RESOURCE_ATTRIBUTES = (
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "DependsOn",
    "Metadata",
    "CreationPolicy",
    "UpdatePolicy",
)

_DEPLOY_TIME_PSEUDO = {
    "AWS::Region": "the region",
    "AWS::AccountId": "the account id",
    "AWS::StackName": "the stack name",
    "AWS::StackId": "the stack id",
    "AWS::URLSuffix": "the URL suffix",
    "AWS::NotificationARNs": "the notification ARNs",
}
_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")


class _NoValue:
    """`AWS::NoValue`: the enclosing property or list element is removed."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE: Any = _NoValue()


def _contains_unresolved(value: Any) -> Unknown | Reference | None:
    """The first Unknown or Reference inside `value`, if any."""
    if isinstance(value, Unknown | Reference):
        return value
    if isinstance(value, dict):
        for item in value.values():
            found = _contains_unresolved(item)
            if found is not None:
                return found
    elif isinstance(value, list):
        for item in value:
            found = _contains_unresolved(item)
            if found is not None:
                return found
    return None


def _same(a: Any, b: Any) -> bool:
    """Structural equality that never raises on Unknown (Unknowns equal by reason)."""
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        return isinstance(a, Unknown) and isinstance(b, Unknown) and a.reason == b.reason
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _join(a: Any, b: Any, reason: str) -> Any:
    """What is known of a value that is either `a` or `b`."""
    if a is NO_VALUE or b is NO_VALUE:
        return NO_VALUE if a is b else Unknown(reason)
    if isinstance(a, dict) and isinstance(b, dict):
        joined: dict[Any, Any] = {}
        for key, value in a.items():
            joined[key] = _join(value, b[key], reason) if key in b else Unknown(reason)
        for key in b:
            if key not in a:
                joined[key] = Unknown(reason)
        return joined
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [_join(x, y, reason) for x, y in zip(a, b, strict=True)]
    return a if _same(a, b) else Unknown(reason)


def _to_text(value: Any) -> str | None:
    """CloudFormation's string view of a scalar; None for anything else."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return None


def _describe(value: Unknown | Reference) -> str:
    if isinstance(value, Reference):
        return f"the deploy-time value of {value}"
    return value.reason


def _map_get(table: dict[Any, Any], key: Any) -> Any:
    """Look a Mappings key up as CloudFormation does: as text (YAML may have read `123` as int)."""
    if isinstance(key, list | dict):
        return NO_VALUE
    if key in table:
        return table[key]
    text = _to_text(key)
    for candidate, value in table.items():
        if _to_text(candidate) == text:
            return value
    return NO_VALUE


def _sam_merge(global_value: Any, local_value: Any) -> Any:
    if isinstance(global_value, dict) and isinstance(local_value, dict):
        merged = dict(global_value)
        for key, value in local_value.items():
            merged[key] = _sam_merge(global_value[key], value) if key in global_value else value
        return merged
    if isinstance(global_value, list) and isinstance(local_value, list):
        return global_value + local_value
    return local_value


class _Template:
    """One template's evaluation context."""

    def __init__(
        self,
        document: MarkedDocument,
        file: str,
        overrides: Mapping[str, str],
    ) -> None:
        self.document = document
        self.spans = document.spans
        self.file = file
        self.overrides = overrides
        self.errors: list[ParseError] = []
        self.parameters: dict[str, Any] = {}
        self.resource_ids: set[str] = set()
        self.mappings: dict[Any, Any] = {}
        self.conditions: dict[Any, Any] = {}
        self._condition_values: dict[str, bool | Unknown] = {}
        self._conditions_in_progress: set[str] = set()
        self.functions: dict[str, Callable[[Any], Any]] = {
            "Ref": self._ref,
            "Fn::GetAtt": self._get_att,
            "Fn::Sub": self._sub,
            "Fn::Join": self._join_fn,
            "Fn::Select": self._select,
            "Fn::Split": self._split,
            "Fn::FindInMap": self._find_in_map,
            "Fn::If": self._if,
            "Fn::Base64": self._base64,
            "Fn::GetAZs": self._get_azs,
            "Fn::ImportValue": self._import_value,
            "Fn::Cidr": self._cidr,
            "Fn::Transform": self._transform,
            "Fn::Length": self._length,
            "Fn::ToJsonString": self._to_json_string,
            "Fn::Equals": self._condition_function("Fn::Equals"),
            "Fn::Not": self._condition_function("Fn::Not"),
            "Fn::And": self._condition_function("Fn::And"),
            "Fn::Or": self._condition_function("Fn::Or"),
        }

    # ------------------------------------------------------------------ helpers

    def location(self, path: Path) -> Location:
        span = self.spans.get(path)
        if span is None:
            return self._nearest(path)
        return Location(self.file, span.first_line, span.end_line)

    def _nearest(self, path: Path) -> Location:
        while path:
            path = path[:-1]
            span = self.spans.get(path)
            if span is not None:
                return Location(self.file, span.first_line, span.end_line)
        return Location(self.file, 1, 1)

    def line(self, path: Path) -> int:
        return self.location(path).start_line

    def error(self, path: Path, message: str) -> None:
        self.errors.append(ParseError(self.file, self.line(path), None, message, SOURCE))

    # --------------------------------------------------------------- evaluation

    def evaluate(self, value: Any) -> Any:
        kind = type(value)
        if kind is dict:
            if len(value) == 1:
                ((name, argument),) = value.items()
                function = self.functions.get(name) if type(name) is str else None
                if function is not None:
                    return function(argument)
                if type(name) is str and name.startswith("Fn::"):
                    return Unknown(f"unsupported intrinsic function {name}")
            result: dict[Any, Any] = {}
            for key, item in value.items():
                evaluated = self.evaluate(item)
                if evaluated is not NO_VALUE:
                    result[key] = evaluated
            return result
        if kind is list:
            items = []
            for item in value:
                evaluated = self.evaluate(item)
                if evaluated is not NO_VALUE:
                    items.append(evaluated)
            return items
        return value

    def _name(self, argument: Any, function: str) -> str | Unknown:
        """An argument that must be a name (evaluated, then required to be text)."""
        value = self.evaluate(argument)
        if isinstance(value, str):
            return value
        if isinstance(value, Unknown | Reference):
            return Unknown(f"{function}: {_describe(value)}")
        return Unknown(f"{function} needs a name, got {type(value).__name__}")

    def _ref(self, argument: Any) -> Any:
        name = self._name(argument, "Ref")
        if isinstance(name, Unknown):
            return name
        return self._lookup(name, "Ref")

    def _lookup(self, name: str, function: str) -> Any:
        if name in self.parameters:
            return self.parameters[name]
        if name == "AWS::NoValue":
            return NO_VALUE
        if name == "AWS::Partition":
            return "aws"
        if name in _DEPLOY_TIME_PSEUDO:
            return Unknown(f"{name} ({_DEPLOY_TIME_PSEUDO[name]}) is known only at deploy time")
        if name in self.resource_ids:
            return Reference(name)
        return Unknown(f"{function} to undefined name {name}")

    def _get_att(self, argument: Any) -> Any:
        if isinstance(argument, str):
            resource, _, attribute_name = argument.partition(".")
            parts: list[Any] = [resource, attribute_name]
        elif isinstance(argument, list) and len(argument) == 2:
            parts = list(argument)
        else:
            return Unknown("Fn::GetAtt needs [resource, attribute]")
        resource_name = self._name(parts[0], "Fn::GetAtt")
        attribute = self._name(parts[1], "Fn::GetAtt")
        if isinstance(resource_name, Unknown):
            return resource_name
        if isinstance(attribute, Unknown):
            return attribute
        return Reference(resource_name, attribute or None)

    def _sub(self, argument: Any) -> Any:
        variables: dict[str, Any] = {}
        if isinstance(argument, list) and len(argument) == 2:
            template = self.evaluate(argument[0])
            local = self.evaluate(argument[1])
            if not isinstance(local, dict):
                return Unknown("Fn::Sub variables must be a mapping")
            variables = local
        elif isinstance(argument, list) and len(argument) == 1:
            template = self.evaluate(argument[0])
        else:
            template = self.evaluate(argument)
        if isinstance(template, Unknown):
            return template
        if not isinstance(template, str):
            return Unknown("Fn::Sub needs a string")
        pieces: list[str] = []
        parts: list[str | Unknown | Reference] = []  # like pieces, keeping unknown parts
        unresolved: list[str] = []
        position = 0
        for match in _SUB_VARIABLE.finditer(template):
            pieces.append(template[position : match.start()])
            parts.append(template[position : match.start()])
            position = match.end()
            name = match.group(1)
            if name.startswith("!"):
                pieces.append("${" + name[1:] + "}")
                parts.append("${" + name[1:] + "}")
                continue
            name = name.strip()
            value = self._sub_variable(name, variables)
            if isinstance(value, Reference) and match.start() == 0 and match.end() == len(template):
                return value
            text = _to_text(value)
            if text is None:
                if isinstance(value, Unknown | Reference):
                    unresolved.append(f"${{{name}}}")
                    parts.append(value)
                else:
                    unresolved.append(f"${{{name}}} (not a string)")
                    parts.append(Unknown(f"{name} is not a string"))
                pieces.append("")
            else:
                pieces.append(text)
                parts.append(text)
        pieces.append(template[position:])
        parts.append(template[position:])
        if unresolved:
            reason = "Fn::Sub depends on " + ", ".join(unresolved)
            if any(isinstance(p, str) and p for p in parts):
                return PartialString(tuple(parts), reason)
            return Unknown(reason)
        return "".join(pieces)

    def _sub_variable(self, name: str, variables: dict[str, Any]) -> Any:
        if name in variables:
            return variables[name]
        if name in self.parameters or name.startswith("AWS::") or name in self.resource_ids:
            return self._lookup(name, "Fn::Sub")
        resource, dot, attribute = name.partition(".")
        if dot and resource in self.resource_ids:
            return Reference(resource, attribute)
        return Unknown(f"Fn::Sub variable {name} is not defined")

    def _join_fn(self, argument: Any) -> Any:
        if not isinstance(argument, list) or len(argument) != 2:
            return Unknown("Fn::Join needs [delimiter, list]")
        delimiter = self.evaluate(argument[0])
        items = self.evaluate(argument[1])
        if isinstance(delimiter, Unknown):
            return delimiter
        if isinstance(items, Unknown):
            return Unknown(f"Fn::Join: {items.reason}")
        if not isinstance(delimiter, str) or not isinstance(items, list):
            return Unknown("Fn::Join needs [delimiter, list]")
        texts: list[str] = []
        unresolved: list[str] = []
        for item in items:
            text = _to_text(item)
            if text is not None:
                texts.append(text)
            elif isinstance(item, Unknown | Reference):
                unresolved.append(_describe(item))
            else:
                unresolved.append(f"a {type(item).__name__} element")
        if unresolved:
            return Unknown("Fn::Join depends on " + "; ".join(unresolved))
        return delimiter.join(texts)

    def _select(self, argument: Any) -> Any:
        if not isinstance(argument, list) or len(argument) != 2:
            return Unknown("Fn::Select needs [index, list]")
        index = self.evaluate(argument[0])
        items = self.evaluate(argument[1])
        if isinstance(index, Unknown):
            return index
        if isinstance(items, Unknown):
            return Unknown(f"Fn::Select: {items.reason}")
        if isinstance(items, Reference):
            return Unknown(f"Fn::Select: {_describe(items)}")
        try:
            position = int(index) if not isinstance(index, bool) else -1
        except (TypeError, ValueError):
            return Unknown(f"Fn::Select index {index!r} is not a number")
        if not isinstance(items, list):
            return Unknown("Fn::Select needs a list")
        if not 0 <= position < len(items):
            return Unknown(f"Fn::Select index {position} is out of range")
        return items[position]

    def _split(self, argument: Any) -> Any:
        if not isinstance(argument, list) or len(argument) != 2:
            return Unknown("Fn::Split needs [delimiter, string]")
        delimiter = self.evaluate(argument[0])
        source = self.evaluate(argument[1])
        for value in (delimiter, source):
            if isinstance(value, Unknown | Reference):
                return Unknown(f"Fn::Split: {_describe(value)}")
        if not isinstance(delimiter, str) or not delimiter or not isinstance(source, str):
            return Unknown("Fn::Split needs [delimiter, string]")
        return source.split(delimiter)

    def _find_in_map(self, argument: Any) -> Any:
        if not isinstance(argument, list) or len(argument) not in (3, 4):
            return Unknown("Fn::FindInMap needs [map, top-level key, second-level key]")
        keys = [self.evaluate(item) for item in argument[:3]]
        default: Any = NO_VALUE
        if len(argument) == 4:
            option = argument[3]
            if isinstance(option, dict) and "DefaultValue" in option:
                default = self.evaluate(option["DefaultValue"])
        for key in keys:
            if isinstance(key, Reference):
                return Unknown(f"Fn::FindInMap key is {_describe(key)}")
        map_name, top, second = keys
        if isinstance(map_name, Unknown):
            return map_name
        table = _map_get(self.mappings, map_name)
        if not isinstance(table, dict):
            return (
                default
                if default is not NO_VALUE
                else Unknown(f"Fn::FindInMap: mapping {map_name} is not defined")
            )
        if isinstance(top, Unknown) or isinstance(second, Unknown):
            # The same answer under every key that could be chosen is still an answer.
            candidates = self._map_candidates(table, top, second)
            reason = top.reason if isinstance(top, Unknown) else second.reason
            if candidates and all(_same(candidates[0], c) for c in candidates[1:]):
                return self.evaluate(candidates[0])
            return Unknown(f"Fn::FindInMap {map_name}: {reason}")
        entry = _map_get(table, top)
        if isinstance(entry, dict):
            found = _map_get(entry, second)
            if found is not NO_VALUE:
                return self.evaluate(found)
        if default is not NO_VALUE:
            return default
        return Unknown(f"Fn::FindInMap: {map_name}/{top}/{second} is not defined")

    @staticmethod
    def _map_candidates(table: dict[Any, Any], top: Any, second: Any) -> list[Any]:
        if isinstance(top, Unknown):
            entries = [entry for entry in table.values() if isinstance(entry, dict)]
        else:
            entry = _map_get(table, top)
            entries = [entry] if isinstance(entry, dict) else []
        candidates: list[Any] = []
        for entry in entries:
            if isinstance(second, Unknown):
                candidates.extend(entry.values())
                continue
            found = _map_get(entry, second)
            if found is NO_VALUE:
                return []
            candidates.append(found)
        return candidates

    def _if(self, argument: Any) -> Any:
        if not isinstance(argument, list) or len(argument) != 3:
            return Unknown("Fn::If needs [condition, value if true, value if false]")
        name = argument[0]
        if not isinstance(name, str):
            return Unknown("Fn::If needs a condition name")
        decided = self.condition(name)
        if decided is True:
            return self.evaluate(argument[1])
        if decided is False:
            return self.evaluate(argument[2])
        reason = f"depends on condition {name}: {decided.reason}"
        return _join(self.evaluate(argument[1]), self.evaluate(argument[2]), reason)

    def _base64(self, argument: Any) -> Any:
        value = self.evaluate(argument)
        if isinstance(value, Unknown | Reference):
            return Unknown(f"Fn::Base64: {_describe(value)}")
        text = _to_text(value)
        if text is None:
            return Unknown("Fn::Base64 needs a string")
        return base64.b64encode(text.encode("utf-8")).decode("ascii")

    def _get_azs(self, argument: Any) -> Any:
        return Unknown("Fn::GetAZs: availability zones are known only at deploy time")

    def _import_value(self, argument: Any) -> Any:
        name = self.evaluate(argument)
        label = name if isinstance(name, str) else "a computed name"
        return Unknown(f"Fn::ImportValue {label} is exported by another stack")

    def _transform(self, argument: Any) -> Any:
        name = argument.get("Name") if isinstance(argument, dict) else None
        label = name if isinstance(name, str) else "a macro"
        return Unknown(f"Fn::Transform: {label} runs at deploy time")

    def _cidr(self, argument: Any) -> Any:
        if not isinstance(argument, list) or len(argument) != 3:
            return Unknown("Fn::Cidr needs [ip block, count, cidr bits]")
        values = [self.evaluate(item) for item in argument]
        for value in values:
            if isinstance(value, Unknown | Reference):
                return Unknown(f"Fn::Cidr: {_describe(value)}")
        block, count, bits = values
        try:
            network = ipaddress.ip_network(str(block), strict=False)
            count_number = int(count)
            prefix = network.max_prefixlen - int(bits)
            subnets = [str(net) for net in islice(network.subnets(new_prefix=prefix), count_number)]
        except (TypeError, ValueError) as exc:
            return Unknown(f"Fn::Cidr: {exc}")
        if len(subnets) < count_number:
            return Unknown(f"Fn::Cidr: {block} has fewer than {count_number} such subnets")
        return subnets

    def _length(self, argument: Any) -> Any:
        value = self.evaluate(argument)
        if isinstance(value, list):
            return len(value)
        if isinstance(value, Unknown | Reference):
            return Unknown(f"Fn::Length: {_describe(value)}")
        return Unknown("Fn::Length needs a list")

    def _to_json_string(self, argument: Any) -> Any:
        value = self.evaluate(argument)
        unresolved = _contains_unresolved(value)
        if unresolved is not None:
            return Unknown(f"Fn::ToJsonString: {_describe(unresolved)}")
        return json.dumps(value, separators=(",", ":"))

    # --------------------------------------------------------------- conditions

    def _condition_function(self, name: str) -> Callable[[Any], Any]:
        def run(argument: Any) -> Any:
            return self.condition_expression({name: argument})

        return run

    def condition(self, name: str) -> bool | Unknown:
        cached = self._condition_values.get(name)
        if cached is not None:
            return cached
        if name not in self.conditions:
            return Unknown(f"condition {name} is not defined")
        if name in self._conditions_in_progress:
            return Unknown(f"condition {name} refers to itself")
        self._conditions_in_progress.add(name)
        try:
            result = self.condition_expression(self.conditions[name])
        finally:
            self._conditions_in_progress.discard(name)
        self._condition_values[name] = result
        return result

    def condition_expression(self, expression: Any) -> bool | Unknown:
        if isinstance(expression, dict) and len(expression) == 1:
            ((function, argument),) = expression.items()
            if function == "Condition":
                if isinstance(argument, str):
                    return self.condition(argument)
                return Unknown("Condition needs a condition name")
            if function == "Fn::Equals":
                return self._equals(argument)
            if function == "Fn::Not":
                operands = argument if isinstance(argument, list) else [argument]
                if len(operands) != 1:
                    return Unknown("Fn::Not needs one condition")
                value = self.condition_expression(operands[0])
                return value if isinstance(value, Unknown) else not value
            if function in ("Fn::And", "Fn::Or"):
                if not isinstance(argument, list):
                    return Unknown(f"{function} needs a list of conditions")
                results = [self.condition_expression(item) for item in argument]
                decisive = bool(function == "Fn::Or")  # True decides Or, False decides And
                if any(result is decisive for result in results):
                    return decisive
                for result in results:
                    if isinstance(result, Unknown):
                        return result
                return not decisive
        value = self.evaluate(expression)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if isinstance(value, Unknown):
            return value
        return Unknown("condition is not a boolean")

    def _equals(self, argument: Any) -> bool | Unknown:
        if not isinstance(argument, list) or len(argument) != 2:
            return Unknown("Fn::Equals needs two values")
        left, right = (self.evaluate(item) for item in argument)
        for value in (left, right):
            unresolved = _contains_unresolved(value)
            if unresolved is not None:
                return Unknown(_describe(unresolved))
        return bool(_comparable(left) == _comparable(right))

    # --------------------------------------------------------------- parameters

    def read_parameters(self, declarations: dict[Any, Any]) -> None:
        for name, declaration in declarations.items():
            if not isinstance(name, str):
                continue
            if not isinstance(declaration, dict):
                self.error(("Parameters", name), f"parameter {name} is not a mapping")
                self.parameters[name] = Unknown(f"parameter {name} is malformed")
                continue
            self.parameters[name] = self._parameter_value(name, declaration)

    def _parameter_value(self, name: str, declaration: dict[Any, Any]) -> Any:
        kind = declaration.get("Type")
        kind = kind if isinstance(kind, str) else "String"
        if kind.startswith("AWS::SSM::Parameter::Value<"):
            return Unknown(f"parameter {name} is read from SSM Parameter Store at deploy time")
        if name in self.overrides:
            raw: Any = self.overrides[name]
        elif "Default" in declaration:
            raw = declaration["Default"]
        else:
            return Unknown(f"parameter {name} has no value")
        if isinstance(raw, Unknown):
            return raw
        if kind == "CommaDelimitedList" or kind.startswith("List<"):
            if isinstance(raw, list):
                items = [_to_text(item) for item in raw]
            else:
                text = _to_text(raw)
                items = [part.strip() for part in text.split(",")] if text is not None else [None]
            if any(item is None for item in items):
                return Unknown(f"parameter {name} has a malformed value")
            return items
        text = _to_text(raw)
        if text is None:
            return Unknown(f"parameter {name} has a malformed value")
        return text


def _comparable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_comparable(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), repr(_comparable(v))) for k, v in value.items()))
    text = _to_text(value)
    return text if text is not None else value


# ---------------------------------------------------------------------- output


def evaluate_template(
    document: MarkedDocument,
    *,
    file: str,
    parameters: Mapping[str, str] | None = None,
) -> RawParseResult:
    """Turn one parsed template into raw resources (and errors for malformed parts)."""
    template = _Template(document, file, parameters or {})
    try:
        resources = _evaluate(template)
    except RecursionError:
        template.errors.append(
            ParseError(file, None, None, "template is nested too deeply to evaluate", SOURCE)
        )
        resources = []
    return RawParseResult(tuple(resources), tuple(template.errors))


def _evaluate(template: _Template) -> list[RawResource]:
    body = template.document.value
    file = template.file
    if body is None:
        template.errors.append(ParseError(file, 1, None, "template is empty", SOURCE))
        return []
    if not isinstance(body, dict):
        template.error((), "template is not a mapping")
        return []

    out: list[RawResource] = []
    declarations = body.get("Parameters")
    if declarations is not None and not isinstance(declarations, dict):
        template.error(("Parameters",), "Parameters is not a mapping")
        declarations = None
    if declarations:
        template.read_parameters(declarations)
        out.extend(_parameter_resources(template, declarations))

    mappings = body.get("Mappings")
    if isinstance(mappings, dict):
        template.mappings = mappings
    elif mappings is not None:
        template.error(("Mappings",), "Mappings is not a mapping")
    conditions = body.get("Conditions")
    if isinstance(conditions, dict):
        template.conditions = conditions
    elif conditions is not None:
        template.error(("Conditions",), "Conditions is not a mapping")

    resources = body.get("Resources")
    if resources is None:
        template.error((), "template has no Resources section")
        return out
    if not isinstance(resources, dict):
        template.error(("Resources",), "Resources is not a mapping")
        return out
    template.resource_ids = {name for name in resources if isinstance(name, str)}

    globals_by_type = _sam_globals(template, body)
    for logical_id, declaration in resources.items():
        resource = _resource(template, logical_id, declaration, globals_by_type)
        if resource is not None:
            out.append(resource)
    return out


def _is_sam(body: dict[Any, Any]) -> bool:
    transform = body.get("Transform")
    if isinstance(transform, str):
        return transform == SAM_TRANSFORM
    return isinstance(transform, list) and SAM_TRANSFORM in transform


def _sam_globals(template: _Template, body: dict[Any, Any]) -> dict[str, str]:
    """Resource type -> its Globals section name (only for SAM templates)."""
    section = body.get("Globals")
    if section is None or not _is_sam(body):
        return {}
    if not isinstance(section, dict):
        template.error(("Globals",), "Globals is not a mapping")
        return {}
    found: dict[str, str] = {}
    for name, value in section.items():
        if not isinstance(name, str):
            continue
        if not isinstance(value, dict):
            template.error(("Globals", name), f"Globals.{name} is not a mapping")
            continue
        found[f"AWS::Serverless::{name}"] = name
    return found


def _resource(
    template: _Template,
    logical_id: Any,
    declaration: Any,
    globals_by_type: dict[str, str],
) -> RawResource | None:
    path: Path = ("Resources", logical_id)
    if not isinstance(logical_id, str):
        template.error(path, f"resource name {logical_id!r} is not a string")
        return None
    if logical_id.startswith("Fn::ForEach::"):
        return None  # AWS::LanguageExtensions loops are not expanded
    if not isinstance(declaration, dict):
        template.error(path, f"resource {logical_id} is not a mapping")
        return None
    resource_type = declaration.get("Type")
    if not isinstance(resource_type, str) or not resource_type:
        template.error(path, f"resource {logical_id} has no Type")
        return None

    condition = declaration.get("Condition")
    if condition is not None:
        if not isinstance(condition, str):
            template.error((*path, "Condition"), f"resource {logical_id}: Condition is not a name")
        elif condition not in template.conditions:
            template.error(
                (*path, "Condition"), f"resource {logical_id}: condition {condition} is not defined"
            )
        elif template.condition(condition) is False:
            return None

    raw_properties = declaration.get("Properties")
    attribute_locations: dict[str, Location] = {}
    properties_path: Path = (*path, "Properties")
    if raw_properties is None:
        attributes: dict[str, Any] = {}
    else:
        evaluated = template.evaluate(raw_properties)
        if isinstance(evaluated, dict):
            attributes = evaluated
        elif isinstance(evaluated, Unknown):
            attributes = {"__Properties": evaluated}
        else:
            template.error(properties_path, f"resource {logical_id}: Properties is not a mapping")
            return None

    locator = _Locator(template, attribute_locations)
    section = globals_by_type.get(resource_type)
    global_values: Any = None
    global_path: Path = ()
    if section is not None and not isinstance(attributes.get("__Properties"), Unknown):
        global_path = ("Globals", section)
        global_raw = template.document.value["Globals"][section]
        global_values = template.evaluate(global_raw)
    if isinstance(global_values, dict):
        locator.merged(
            global_raw, global_values, global_path, raw_properties, attributes, properties_path, ""
        )
        attributes = _sam_merge(global_values, attributes)
    elif raw_properties is not None:
        locator.children(raw_properties, attributes, properties_path, "")

    for name in RESOURCE_ATTRIBUTES:
        if name in declaration:
            value = template.evaluate(declaration[name])
            if value is NO_VALUE:
                continue
            attributes[f"__{name}"] = value
            attribute_locations[f"__{name}"] = template.location((*path, name))

    return RawResource(
        address=logical_id,
        type=resource_type,
        mode="resource",
        attributes=attributes,
        location=template.location(path),
        source=SOURCE,
        attribute_locations=attribute_locations,
        name=logical_id,
    )


class _Locator:
    """Locations of property values, keyed `Name`, `Name.Sub`, `Name.0.Sub` (dotted paths).

    The raw (unevaluated) value and the evaluated one are walked together: below an
    intrinsic function, or a list whose length evaluation changed (AWS::NoValue),
    only the enclosing value is located.
    """

    __slots__ = ("out", "template")

    def __init__(self, template: _Template, out: dict[str, Location]) -> None:
        self.template = template
        self.out = out

    def _is_function(self, raw: Any) -> bool:
        if not isinstance(raw, dict) or len(raw) != 1:
            return False
        name = next(iter(raw))
        return isinstance(name, str) and (name == "Ref" or name.startswith("Fn::"))

    def children(self, raw: Any, value: Any, raw_path: Path, rel: str, offset: int = 0) -> None:
        if isinstance(raw, dict) and isinstance(value, dict) and not self._is_function(raw):
            for key in value:
                if key in raw:
                    self.child(raw, value, raw_path, key, key, rel)
        elif isinstance(raw, list) and isinstance(value, list) and len(raw) == len(value):
            for index in range(len(raw)):
                self.child(raw, value, raw_path, index, index + offset, rel)

    def child(self, raw: Any, value: Any, raw_path: Path, key: Any, label: Any, rel: str) -> None:
        path = (*raw_path, key)
        span = self.template.spans.get(path)
        if span is None:
            return
        name = f"{rel}.{label}" if rel else str(label)
        self.out[name] = Location(self.template.file, span.first_line, span.end_line)
        self.children(raw[key], value[key], path, name)

    def merged(
        self,
        global_raw: Any,
        global_value: Any,
        global_path: Path,
        local_raw: Any,
        local_value: Any,
        local_path: Path,
        rel: str,
    ) -> None:
        """Mirror `_sam_merge`: each merged value is located where it came from."""
        if (
            isinstance(global_value, dict)
            and isinstance(local_value, dict)
            and isinstance(global_raw, dict)
            and not self._is_function(global_raw)
            and (
                local_raw is None
                or (isinstance(local_raw, dict) and not self._is_function(local_raw))
            )
        ):
            for key in global_value:
                if key not in local_value and key in global_raw:
                    self.child(global_raw, global_value, global_path, key, key, rel)
            for key in local_value:
                if local_raw is None or key not in local_raw:
                    continue
                if key not in global_value or key not in global_raw:
                    self.child(local_raw, local_value, local_path, key, key, rel)
                    continue
                path = (*local_path, key)
                span = self.template.spans.get(path)
                if span is None:
                    continue
                name = f"{rel}.{key}" if rel else str(key)
                self.out[name] = Location(self.template.file, span.first_line, span.end_line)
                self.merged(
                    global_raw[key],
                    global_value[key],
                    (*global_path, key),
                    local_raw[key],
                    local_value[key],
                    path,
                    name,
                )
        elif isinstance(global_value, list) and isinstance(local_value, list):
            self.children(global_raw, global_value, global_path, rel)
            self.children(local_raw, local_value, local_path, rel, offset=len(global_value))
        else:
            self.children(local_raw, local_value, local_path, rel)


def _parameter_resources(template: _Template, declarations: dict[Any, Any]) -> list[RawResource]:
    out: list[RawResource] = []
    for name, declaration in declarations.items():
        if not isinstance(name, str) or not isinstance(declaration, dict):
            continue
        path: Path = ("Parameters", name)
        locations = {
            key: template.location((*path, key))
            for key in declaration
            if isinstance(key, str) and (*path, key) in template.spans
        }
        out.append(
            RawResource(
                address=f"Parameters.{name}",
                type=PARAMETER_TYPE,
                mode="parameter",
                attributes=dict(declaration),
                location=template.location(path),
                source=SOURCE,
                attribute_locations=locations,
                name=name,
            )
        )
    return out
