"""A template's intrinsic functions, evaluated as CloudFormation evaluates the few our templates use.

Strict where CloudFormation is, so a test cannot pass on a template CloudFormation would build differently:
- `Fn::Sub` substitutes once, in its String only: a variable's value goes in as it is, and a `${...}` in that
  value stays literal (the AWS Fn::Sub reference: VarValue is "the value that CloudFormation substitutes for
  the associated variable name"; `${!Literal}` writes `${Literal}`).
- The `Fn::Join` and `Fn::Split` delimiters and the `Fn::Sub` String take no function: "For the Fn::Join
  delimiter, you can't use any functions. You must specify a string value." (the AWS Fn::Join reference).
- A name nothing defines is an error, not an empty string.
"""

from __future__ import annotations

import re
from typing import Any

NO_VALUE = object()
_VARIABLE = re.compile(r"\$\{([^}]*)\}")


def resolve(node: Any, parameters: dict[str, Any], conditions: dict[str, bool]) -> Any:
    if isinstance(node, list):
        return [item for item in (resolve(i, parameters, conditions) for i in node) if item is not NO_VALUE]
    if not isinstance(node, dict):
        return node
    if "Ref" in node:
        return NO_VALUE if node["Ref"] == "AWS::NoValue" else parameters[node["Ref"]]
    if "Fn::If" in node:
        name, then, otherwise = node["Fn::If"]
        return resolve(then if conditions[name] else otherwise, parameters, conditions)
    if "Fn::Join" in node:
        delimiter, items = node["Fn::Join"]
        joined = resolve(items, parameters, conditions)
        assert all(isinstance(item, str) for item in joined), f"Fn::Join of a non-string: {joined}"
        return _literal(delimiter, "Fn::Join delimiter").join(joined)
    if "Fn::Split" in node:
        delimiter, text = node["Fn::Split"]
        return resolve(text, parameters, conditions).split(_literal(delimiter, "Fn::Split delimiter"))
    if "Fn::Sub" in node:
        return _sub(node["Fn::Sub"], parameters, conditions)
    if "Fn::GetAtt" in node:
        return f"<{'.'.join(node['Fn::GetAtt'])}>"
    return {
        key: value
        for key, value in ((k, resolve(v, parameters, conditions)) for k, v in node.items())
        if value is not NO_VALUE
    }


def _sub(arguments: Any, parameters: dict[str, Any], conditions: dict[str, bool]) -> str:
    text, names = arguments if isinstance(arguments, list) else (arguments, {})
    values = {name: resolve(value, parameters, conditions) for name, value in names.items()}

    def value_of(found: re.Match[str]) -> str:
        name = found.group(1)
        if name.startswith("!"):
            return "${" + name[1:] + "}"  # written literally, for IAM's own policy variables
        value = values[name] if name in values else parameters[name]  # KeyError: nothing defines it
        assert isinstance(value, str), f"Fn::Sub of a non-string ${{{name}}}: {value!r}"
        return value  # as it is: CloudFormation does not substitute inside a variable's value

    return _VARIABLE.sub(value_of, _literal(text, "Fn::Sub String"))


def _literal(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"CloudFormation takes no function as the {what}: {value!r}")
    return value
