"""Service-model patterns matched as Java (and so AWS) matches them: whole value, Java's classes."""

from __future__ import annotations

import pytest

from devstack.aws_validation.java_regex import compile_java, full_match

METADATA_VALUE = "([\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@]*)${1,256}"  # SageMaker's CustomerMetadataProperties


@pytest.mark.parametrize(
    "value", ["Jürgen", "Жук", "日本語", "auc=0.95 precision=0.9", "slack:jane U024BE7LH", "a\u00a0b"]
)
def test_unicode_letter_number_and_separator_classes_accept_any_script(value: str) -> None:
    assert full_match(METADATA_VALUE, value)


@pytest.mark.parametrize("value", ['{"auc":0.95}', "a,b", "slack:jane (U024BE7LH)", "tab\there", "line\nbreak"])
def test_the_metadata_alphabet_refuses_punctuation_outside_it_anywhere_in_the_value(value: str) -> None:
    assert not full_match(METADATA_VALUE, value)


def test_a_pattern_without_anchors_must_still_match_the_whole_value() -> None:
    assert full_match("[a-z]+", "abc")
    assert not full_match("[a-z]+", "abc1")
    assert not full_match("[a-z]+", "1abc")


def test_shorthand_classes_are_ascii_only_as_in_java() -> None:
    assert full_match("\\w+", "a_1")
    assert not full_match("\\w+", "é")
    assert not full_match("\\d+", "٣")
    assert full_match("[\\S]+", "a\u2003b")  # Java's \S is "not ASCII whitespace": an em space is in it


def test_posix_classes_are_ascii_only_as_in_java() -> None:
    assert full_match("\\p{Alnum}+", "abc123")
    assert not full_match("\\p{Alnum}+", "é")
    assert not full_match("[\\p{Print}]*", "tab\t")


def test_dot_stops_at_every_java_line_terminator() -> None:
    assert full_match(".*", "any {thing} at all")
    for terminator in ("\n", "\r", "\u0085", "\u2028", "\u2029"):
        assert not full_match(".*", f"a{terminator}b")


def test_a_surrogate_pair_range_means_the_supplementary_code_points() -> None:
    xml_chars = "[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\r\\n\\t]*"
    assert full_match(xml_chars, "emoji 😀 ok")
    assert not full_match(xml_chars, "bell \x07")


def test_a_pipe_inside_a_class_is_a_character_as_in_java() -> None:
    assert full_match("[\\p{L}||\\p{N}]+", "a|1")


def test_java_end_of_input_and_hex_escapes() -> None:
    assert full_match("\\Aab\\z", "ab")
    assert full_match("[\\x{0022}a]+", 'a"a')


def test_a_pattern_that_cannot_be_translated_is_not_checked_rather_than_guessed() -> None:
    assert compile_java("[0-9]{11}{0,3}") is None
    assert full_match("[0-9]{11}{0,3}", "anything")
