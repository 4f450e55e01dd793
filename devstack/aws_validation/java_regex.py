"""The service models' `pattern`s, matched as AWS matches them: Java regular expressions, whole value.

AWS validates with java.util.regex and `matches()`, so a pattern must cover the entire value even
without `^...$` (`[\\p{L}]*` refuses `{"a":1}`; a search would accept it). Python's `regex` module
speaks `\\p{L}` and nested classes (V1); what Java means differently is rewritten here:
`\\w \\d \\s` and the POSIX classes (`\\p{Alnum}`...) are ASCII-only in Java, `.` stops at any line
terminator, `\\z` is Python's `\\Z`, and a surrogate pair `\\uD800\\uDC00` is one code point.
"""

from __future__ import annotations

import functools
from typing import Any

import regex

LINE_TERMINATORS = "\\n\\r\\u0085\\u2028\\u2029"
ASCII_CLASSES = {
    "w": "[a-zA-Z0-9_]",
    "W": "[^a-zA-Z0-9_]",
    "d": "[0-9]",
    "D": "[^0-9]",
    "s": "[ \\t\\n\\x0B\\f\\r]",
    "S": "[^ \\t\\n\\x0B\\f\\r]",
}
POSIX_CLASSES = {
    "Lower": "a-z",
    "Upper": "A-Z",
    "ASCII": "\\x00-\\x7F",
    "Alpha": "a-zA-Z",
    "Digit": "0-9",
    "Alnum": "a-zA-Z0-9",
    "Punct": "!-/:-@\\[-`{-~",
    "Graph": "!-~",
    "Print": " -~",
    "Blank": " \\t",
    "Cntrl": "\\x00-\\x1F\\x7F",
    "XDigit": "0-9a-fA-F",
    "Space": " \\t\\n\\x0B\\f\\r",
    "all": "\\x00-\\U0010FFFF",
}


@functools.cache
def compile_java(pattern: str) -> Any:
    """The compiled pattern; None when it cannot be translated (then it is not checked, never guessed)."""
    try:
        return regex.compile(translate(pattern), flags=regex.V1)
    except (regex.error, ValueError):  # ValueError: a malformed \x{...}
        return None


def full_match(pattern: str, value: str) -> bool:
    compiled = compile_java(pattern)
    return compiled is None or compiled.fullmatch(value) is not None


def translate(pattern: str) -> str:
    out: list[str] = []
    i, depth = 0, 0  # depth: how many character classes are open
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            text, i = _escape(pattern, i)
            out.append(text)
            continue
        if char == "[":
            depth += 1
        elif char == "]" and depth:
            depth -= 1
        elif char == "." and not depth:
            char = f"[^{LINE_TERMINATORS}]"
        elif depth and pattern.startswith(("--", "||", "~~"), i):
            char = "\\" + char  # set operators in regex V1, plain characters in Java
        out.append(char)
        i += 1
    return "".join(out)


def _escape(pattern: str, i: int) -> tuple[str, int]:
    """One escape sequence starting at pattern[i] == '\\': its translation and the index after it."""
    letter = pattern[i + 1]
    if letter in ASCII_CLASSES:
        return ASCII_CLASSES[letter], i + 2
    if letter == "z":
        return "\\Z", i + 2
    if letter in "pP" and pattern.startswith("{", i + 2) and "}" in pattern[i + 2 :]:
        end = pattern.index("}", i + 2)
        name = pattern[i + 3 : end]
        if name in POSIX_CLASSES:
            negate = "^" if letter == "P" else ""
            return f"[{negate}{POSIX_CLASSES[name]}]", end + 1
        return pattern[i : end + 1], end + 1
    if letter == "x" and pattern.startswith("{", i + 2) and "}" in pattern[i + 2 :]:
        end = pattern.index("}", i + 2)
        return f"\\U{int(pattern[i + 3 : end], 16):08X}", end + 1
    if letter == "u" and _is_surrogate_pair(pattern, i):
        high, low = int(pattern[i + 2 : i + 6], 16), int(pattern[i + 8 : i + 12], 16)
        return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08X}", i + 12
    if letter == "Q":
        end = pattern.find("\\E", i + 2)
        end = len(pattern) if end < 0 else end
        return regex.escape(pattern[i + 2 : end]), end + 2
    return pattern[i : i + 2], i + 2


def _is_surrogate_pair(pattern: str, i: int) -> bool:
    high, low = pattern[i + 2 : i + 6], pattern[i + 8 : i + 12]
    try:
        return (
            pattern[i + 6 : i + 8] == "\\u" and 0xD800 <= int(high, 16) <= 0xDBFF and 0xDC00 <= int(low, 16) <= 0xDFFF
        )
    except ValueError:
        return False
