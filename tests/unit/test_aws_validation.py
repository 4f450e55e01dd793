"""Requests checked against a service model as AWS checks them: each constraint kind, paths, messages."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.model import ServiceModel

from devstack.aws_validation import check, message
from devstack.aws_validation.shapes import check_params

EXAMPLE_MODEL: dict[str, Any] = {
    "metadata": {"apiVersion": "2020-01-01", "protocol": "json", "serviceId": "Example", "endpointPrefix": "example"},
    "operations": {"PutThing": {"name": "PutThing", "input": {"shape": "PutThingInput"}}},
    "shapes": {
        "PutThingInput": {
            "type": "structure",
            "required": ["Name"],
            "members": {
                "Name": {"shape": "Name"},
                "Count": {"shape": "Count"},
                "Size": {"shape": "Size"},
                "Ratio": {"shape": "Ratio"},
                "Weight": {"shape": "Weight"},
                "Kind": {"shape": "Kind"},
                "Payload": {"shape": "Payload"},
                "Secret": {"shape": "Secret"},
                "Labels": {"shape": "Labels"},
                "Attributes": {"shape": "Attributes"},
                "Items": {"shape": "Items"},
                "Child": {"shape": "Node"},
                "Free": {"shape": "Free"},
            },
        },
        "Name": {"type": "string", "min": 1, "max": 8, "pattern": "[\\p{L}\\p{N}-]*"},
        "Count": {"type": "integer", "min": 1, "max": 10},
        "Size": {"type": "long", "max": 5000000000},
        "Ratio": {"type": "double", "min": 0, "max": 1},
        "Weight": {"type": "float", "min": 0.5},
        "Kind": {"type": "string", "enum": ["Small", "Large"]},
        "Payload": {"type": "blob", "min": 1, "max": 4},
        "Secret": {"type": "string", "max": 3, "sensitive": True},
        "Labels": {"type": "list", "member": {"shape": "Label"}, "min": 1, "max": 2},
        "Label": {"type": "string", "max": 3},
        "Attributes": {"type": "map", "key": {"shape": "AttributeKey"}, "value": {"shape": "AttributeValue"}, "max": 2},
        "AttributeKey": {"type": "string", "min": 1, "max": 5, "pattern": "[a-z]+"},
        "AttributeValue": {"type": "string", "max": 4, "pattern": "\\p{L}*"},
        "Items": {"type": "list", "member": {"shape": "Item"}},
        "Item": {
            "type": "structure",
            "required": ["Id"],
            "members": {"Id": {"shape": "Id"}, "Attributes": {"shape": "Attributes"}},
        },
        "Id": {"type": "string", "pattern": "[0-9]+"},
        "Node": {"type": "structure", "members": {"Name": {"shape": "Name"}, "Child": {"shape": "Node"}}},
        "Free": {"type": "string"},
    },
}
OPERATION = ServiceModel(EXAMPLE_MODEL, service_name="example").operation_model("PutThing")
NAME_PATTERN = "Member must satisfy regular expression pattern: [\\p{L}\\p{N}-]*"


def refused(**params: Any) -> list[str]:
    return [str(violation) for violation in check_params(OPERATION, {"Name": "ok", **params})]


def test_accepts_params_within_every_constraint() -> None:
    params = {
        "Count": 10,
        "Size": 5000000000,
        "Ratio": 0.0,
        "Weight": 0.5,
        "Kind": "Large",
        "Payload": b"1234",
        "Secret": "abc",
        "Labels": ["a", "bcd"],
        "Attributes": {"k": "äbc"},
        "Items": [{"Id": "1", "Attributes": {"x": ""}}],
        "Child": {"Name": "a", "Child": {"Name": "b"}},
        "Free": "anything {at} all",
    }
    assert refused(**params) == []


def test_refuses_strings_outside_their_length_naming_the_member_in_lower_camel_case() -> None:
    assert refused(Name="") == [
        "Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1"
    ]
    assert refused(Name="abcdefghi") == [
        "Value 'abcdefghi' at 'name' failed to satisfy constraint: Member must have length less than or equal to 8"
    ]


def test_a_pattern_must_match_the_whole_value() -> None:
    assert refused(Name="ab{") == [f"Value 'ab{{' at 'name' failed to satisfy constraint: {NAME_PATTERN}"]


def test_java_letter_and_number_classes_accept_non_ascii_letters() -> None:
    assert refused(Name="Jürgen-٣") == []
    assert refused(Name="Жук") == []


def test_refuses_a_value_outside_the_enum() -> None:
    assert refused(Kind="Medium") == [
        "Value 'Medium' at 'kind' failed to satisfy constraint: Member must satisfy enum value set: [Small, Large]"
    ]


@pytest.mark.parametrize(
    ("member", "value", "constraint"),
    [
        ("Count", 0, "Member must have value greater than or equal to 1"),
        ("Count", 11, "Member must have value less than or equal to 10"),
        ("Size", 5000000001, "Member must have value less than or equal to 5000000000"),
        ("Ratio", 1.5, "Member must have value less than or equal to 1"),
        ("Weight", 0.25, "Member must have value greater than or equal to 0.5"),
    ],
)
def test_refuses_numbers_outside_their_range(member: str, value: float, constraint: str) -> None:
    path = member[0].lower() + member[1:]
    assert refused(**{member: value}) == [f"Value '{value}' at '{path}' failed to satisfy constraint: {constraint}"]


def test_refuses_blobs_outside_their_length_without_repeating_them() -> None:
    assert refused(Payload=b"") == [
        "Value at 'payload' failed to satisfy constraint: Member must have length greater than or equal to 1"
    ]
    assert refused(Payload="é€") == [  # a str is sent as its UTF-8 bytes: 5 of them
        "Value at 'payload' failed to satisfy constraint: Member must have length less than or equal to 4"
    ]


def test_a_sensitive_member_is_named_but_its_value_is_not_shown() -> None:
    assert refused(Secret="hunter2") == [
        "Value at 'secret' failed to satisfy constraint: Member must have length less than or equal to 3"
    ]


def test_a_missing_required_member_must_not_be_null() -> None:
    found = check_params(OPERATION, {"Count": 1})
    assert [str(violation) for violation in found] == [
        "Value null at 'name' failed to satisfy constraint: Member must not be null"
    ]


def test_refuses_lists_outside_their_size_and_names_each_element_by_position() -> None:
    assert refused(Labels=[]) == [
        "Value '[]' at 'labels' failed to satisfy constraint: Member must have length greater than or equal to 1"
    ]
    assert refused(Labels=["a", "long", "c"]) == [
        "Value '[a, long, c]' at 'labels' failed to satisfy constraint: "
        "Member must have length less than or equal to 2",
        "Value 'long' at 'labels.2.member' failed to satisfy constraint: "
        "Member must have length less than or equal to 3",
    ]


def test_refuses_maps_outside_their_size_and_checks_keys_and_values() -> None:
    assert refused(Attributes={"a": "x", "b": "y", "c": "z"}) == [
        "Value '{a=x, b=y, c=z}' at 'attributes' failed to satisfy constraint: "
        "Member must have length less than or equal to 2"
    ]
    assert refused(Attributes={"Bad": "x", "k": "a{b}"}) == [
        "Value 'Bad' at 'attributes' failed to satisfy constraint: "
        "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-z]+]",
        "Value 'a{b}' at 'attributes.k' failed to satisfy constraint: Member must satisfy regular expression pattern: "
        "\\p{L}*",
    ]


def test_nested_members_are_named_by_their_whole_path() -> None:
    params = {"Items": [{"Id": "1"}, {"Attributes": {"k": "1"}}], "Child": {"Child": {"Name": "x y"}}}
    assert refused(**params) == [
        "Value null at 'items.2.member.id' failed to satisfy constraint: Member must not be null",
        "Value '1' at 'items.2.member.attributes.k' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: \\p{L}*",
        f"Value 'x y' at 'child.child.name' failed to satisfy constraint: {NAME_PATTERN}",
    ]


def test_values_of_the_wrong_type_are_left_to_botocore() -> None:
    assert refused(Count="eleven", Labels="a", Attributes=["k"], Kind=True) == []


def test_one_violation_is_an_error_and_several_are_counted_and_joined() -> None:
    one = check_params(OPERATION, {"Name": "ok", "Count": 0})
    two = check_params(OPERATION, {"Name": "ok", "Count": 0, "Kind": "x"})
    assert message(one) == f"1 validation error detected: {one[0]}"
    assert message(two) == f"2 validation errors detected: {two[0]}; {two[1]}"


def test_sagemaker_refuses_compact_json_as_a_customer_metadata_value() -> None:
    found = check(
        "sagemaker",
        "UpdateModelPackage",
        {
            "ModelPackageArn": "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud-detection-models/3",
            "CustomerMetadataProperties": {"shepherd:metrics": '{"auc":0.95}'},
        },
    )
    assert message(found) == (
        "1 validation error detected: Value '{\"auc\":0.95}' at 'customerMetadataProperties.shepherd:metrics' "
        "failed to satisfy constraint: Member must satisfy regular expression pattern: "
        "([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*)${1,256}"
    )


def test_sagemaker_refuses_parentheses_in_a_metadata_value_and_accepts_letters_spaces_and_colons() -> None:
    arn = "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud-detection-models/3"

    def metadata(value: str) -> list[str]:
        params = {"ModelPackageArn": arn, "CustomerMetadataProperties": {"shepherd:decided-by": value}}
        return [violation.path for violation in check("sagemaker", "UpdateModelPackage", params)]

    assert metadata("slack:jane (U024BE7LH)") == ["customerMetadataProperties.shepherd:decided-by"]
    assert metadata("slack:Jürgen U024BE7LH") == []


def test_sagemaker_refuses_an_endpoint_name_of_64_characters() -> None:
    found = check("sagemaker", "CreateEndpoint", {"EndpointName": "e" * 64, "EndpointConfigName": "c"})
    assert [violation.constraint for violation in found] == [
        "Member must have length less than or equal to 63",
        "Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
    ]


def test_sagemaker_refuses_a_51st_customer_metadata_key() -> None:
    arn = "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud-detection-models/3"
    keys = {f"team-{n}": "x" for n in range(48)} | {
        "shepherd:decision": "approve",
        "shepherd:a": "1",
        "shepherd:b": "2",
    }
    found = check("sagemaker", "UpdateModelPackage", {"ModelPackageArn": arn, "CustomerMetadataProperties": keys})
    assert [(violation.path, violation.constraint) for violation in found] == [
        ("customerMetadataProperties", "Member must have length less than or equal to 50")
    ]
