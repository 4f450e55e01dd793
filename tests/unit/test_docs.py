"""The docs against the code: what they name exists, and every command and policy key is documented.

The conventions they rely on are in docs/developing.md ("Docs the tests hold to the code"): backticked
tokens name things; `shepherd ...` and `make ...` are command lines; docs/cli.md has one heading per
command; docs/policy.md's `key` tables hold one row per key path of chalicelib/shared/policy_schema.json.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from shepherd_cli import exit_codes
from shepherd_cli.main import build_parser

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
CODE = [ROOT / "app.py", ROOT / "Makefile"] + [
    path for folder in ("chalicelib", "devstack", "shepherd_cli", "infra") for path in (ROOT / folder).rglob("*.py")
]
SPAN = re.compile(r"`([^`]+)`")
SETTING = re.compile(r"\bSHEPHERD_[A-Z0-9]+(?:_[A-Z0-9]+)*\b")
REPO_PATH = re.compile(
    r"^(app\.py|Makefile|pyproject\.toml|\.chalice/|\.ci/|(chalicelib|devstack|shepherd_cli|infra|bench|tests|policies|docs)/)\S*$"
)
MODULE_REF = re.compile(r"^(chalicelib|devstack|shepherd_cli|infra|bench|tests)(\.[A-Za-z_]\w*)+$")
HELP = {"-h", "--help"}


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def spans(text: str) -> list[str]:
    """Inline code outside fenced blocks, whitespace as one space (a span may wrap; a table's `\\|` is `|`)."""
    prose = "\n".join(prose_lines(text))
    return [" ".join(span.replace("\\|", "|").split()) for span in SPAN.findall(prose)]


def prose_lines(text: str) -> Iterator[str]:
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            yield line


def block_lines(text: str) -> Iterator[str]:
    """Lines of fenced code blocks, as typed: no prompt, no `.venv/bin/`, no trailing comment."""
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif fenced:
            yield line.split(" #", 1)[0].strip().removeprefix("$ ").removeprefix(".venv/bin/")


def command_lines(program: str) -> Iterator[tuple[Path, str]]:
    """Every `program ...` in the docs: inline code, and lines of code blocks."""
    for doc in DOCS:
        text = read(doc)
        for line in [span.removeprefix(".venv/bin/") for span in spans(text)] + list(block_lines(text)):
            if line == program or line.startswith(f"{program} "):
                yield doc, line


def table_rows(text: str, first_header: str) -> Iterator[list[str]]:
    """Rows of every markdown table whose first header cell is `first_header`."""
    inside = False
    for line in prose_lines(text):
        if not line.strip().startswith("|"):
            inside = False
            continue
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if cells and cells[0] == first_header:
            inside = True
        elif inside and not set(cells[0]) <= {"-", " "}:
            yield cells


# --- the CLI: commands, options, exit codes -------------------------------------------------------


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def options(parser: argparse.ArgumentParser) -> set[str]:
    return {name for action in parser._actions for name in action.option_strings} - HELP


def leaf_commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> dict[str, argparse.ArgumentParser]:
    children = subcommands(parser)
    if not children:
        return {" ".join(path): parser}
    return {
        name: leaf for word, child in children.items() for name, leaf in leaf_commands(child, (*path, word)).items()
    }


def command_line_problems(line: str, root: argparse.ArgumentParser) -> list[str]:
    """`shepherd approve|reject GROUP VERSION [--by NAME]`: each command word and each --option must exist."""
    words = [word.strip("[]().,") for word in line.split()[1:]]
    while words and words[0] in options(root):  # `shepherd --local status ...`: the CLI's own options first
        words.pop(0)
    parsers = {"shepherd": root}
    while words and not words[0].startswith("-") and all(subcommands(p) for p in parsers.values()):
        word = words.pop(0)
        found = {f"{path} {alt}": subcommands(p).get(alt) for path, p in parsers.items() for alt in word.split("|")}
        if missing := [path for path, child in found.items() if child is None]:
            return [f"{line!r}: no command {missing[0]!r}"]
        parsers = {path: child for path, child in found.items() if child is not None}
    named = {alt.split("=")[0] for word in words for alt in word.split("|") if alt.startswith("--")}
    return [f"{line!r}: {path} has no option {name}" for path, p in parsers.items() for name in named - options(p)]


def cli_sections() -> dict[str, str]:
    """docs/cli.md: each heading naming `shepherd <command>` owns the text up to the next heading."""
    sections: dict[str, str] = {}
    names: list[str] = []
    for line in read(ROOT / "docs" / "cli.md").splitlines():
        if line.startswith("#"):
            names = [span.removeprefix("shepherd ") for span in SPAN.findall(line) if span.startswith("shepherd ")]
            sections.update({name: "" for name in names})
        for name in names:
            sections[name] += line + "\n"
    return sections


def defined_exit_codes() -> dict[int, str]:
    return {value: name for name, value in vars(exit_codes).items() if name.isupper() and isinstance(value, int)}


def test_every_cli_command_has_its_section_in_cli_md() -> None:
    assert set(leaf_commands(build_parser())) <= set(cli_sections())


def test_each_cli_section_documents_exactly_its_commands_options() -> None:
    commands = leaf_commands(build_parser())
    for name, text in cli_sections().items():
        assert name in commands, f"docs/cli.md has a section for `shepherd {name}`, which is no command"
        documented = {span.split()[0] for span in spans(text) if span.startswith("--")}
        assert documented == options(commands[name]), f"shepherd {name}"


def test_shepherd_command_lines_in_the_docs_name_real_commands_and_options() -> None:
    root = build_parser()
    problems = [
        f"{doc.name}: {p}" for doc, line in command_lines("shepherd") for p in command_line_problems(line, root)
    ]
    assert not problems


def test_the_exit_code_table_is_exit_codes_py() -> None:
    rows = table_rows(read(ROOT / "docs" / "cli.md"), "code")
    assert {int(code.strip("`")): name.strip("`") for code, name, *_ in rows} == defined_exit_codes()


def test_exit_codes_the_docs_name_exist() -> None:
    named = set()
    for doc in DOCS:
        for paragraph in read(doc).split("\n\n"):
            if paragraph.startswith("Exit codes:"):
                named |= {int(code) for code in re.findall(r"`(\d+)`", paragraph)}
        named |= {int(code) for code in re.findall(r"exit code `(\d+)`", read(doc))}
    assert named and named <= set(defined_exit_codes())


# --- settings --------------------------------------------------------------------------------------


def settings_in(paths: list[Path]) -> set[str]:
    return {name for path in paths for name in SETTING.findall(read(path))}


def test_every_setting_the_docs_name_is_read_by_the_code() -> None:
    assert settings_in(DOCS) - settings_in(CODE) == set()


def test_every_setting_the_code_reads_is_in_configuration_md() -> None:
    documented = {cells[0].strip("`") for cells in table_rows(read(ROOT / "docs" / "configuration.md"), "variable")}
    assert settings_in(CODE) - documented == set()


# --- policy keys -----------------------------------------------------------------------------------

SCHEMA: dict[str, Any] = json.loads(read(ROOT / "chalicelib" / "shared" / "policy_schema.json"))


def resolved(node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" not in node:
        return node
    target = SCHEMA["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return {**resolved(target), **{k: v for k, v in node.items() if k != "$ref"}}


def schema_keys(node: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any], bool]]:
    """(key path, its schema, required) for every key a policy may hold; `*` is any name, `[]` any item."""
    node = resolved(node)
    for name, child in node.get("properties", {}).items():
        key = f"{path}.{name}" if path else name
        yield key, resolved(child), name in node.get("required", [])
        yield from schema_keys(child, key)
    if isinstance(node.get("additionalProperties"), dict):
        yield f"{path}.*", resolved(node["additionalProperties"]), False
        yield from schema_keys(node["additionalProperties"], f"{path}.*")
    items = resolved(node.get("items", {}))
    if "properties" in items:
        yield from schema_keys(items, f"{path}[]")


def documented_keys() -> dict[str, tuple[str, str]]:
    """docs/policy.md: key path -> (type cell, default cell), from every table headed `key`."""
    keys = {}
    for cells in table_rows(read(ROOT / "docs" / "policy.md"), "key"):
        for span in SPAN.findall(cells[0]):
            keys[re.sub(r"<[^>]+>", "*", span)] = (cells[1], cells[2])
    return keys


def test_every_policy_key_in_the_schema_is_in_policy_md_and_no_other() -> None:
    assert set(documented_keys()) == {key for key, _, _ in schema_keys(SCHEMA)}


def test_policy_md_gives_each_key_its_schema_type_and_default() -> None:
    documented = documented_keys()
    for key, node, required in schema_keys(SCHEMA):
        kind, default = documented[key]
        assert node.get("type", "") in kind, key
        assert all(f"`{value}`" in kind for value in node.get("enum", [])), key
        assert "const" not in node or f'`"{node["const"]}"`' in kind, key
        assert ("required" in kind) == required, key
        assert "default" not in node or f"`{json.dumps(node['default']).strip(chr(34))}`" in default, key


# --- the metadata a decision writes on a package ---------------------------------------------------


def test_the_gate_page_lists_exactly_the_metadata_a_gate_decision_writes() -> None:
    from chalicelib.gate.verdict import Decision, Outcome
    from chalicelib.shared.decision_record import decision_metadata
    from tests.support.policies import example_policy

    policy = example_policy()
    decision = Decision(Outcome.APPROVE, "meets the bar", metrics={name: 0.5 for name in policy.metric_names})
    written = decision_metadata({}, decision, policy, datetime.now(UTC)).metadata
    rows = table_rows(read(ROOT / "docs" / "concepts" / "gate.md"), "metadata key")
    assert {cells[0].strip("`") for cells in rows} == set(written)


def test_every_shepherd_metadata_key_the_docs_name_is_in_the_code() -> None:
    source = "\n".join(read(path) for path in (ROOT / "chalicelib").rglob("*.py"))
    named = {key for doc in DOCS for span in spans(read(doc)) for key in re.findall(r"^shepherd:([a-z-]+)$", span)}
    written = set(re.findall(r"(?:shepherd:|\{PREFIX\})([a-z-]+)", source))  # literal, or decision_record's PREFIX
    assert named - written == set()


# --- other names: make targets, benchmarks, local-stack options, paths, modules, links --------------


def test_make_targets_the_docs_name_exist() -> None:
    targets = set(re.findall(r"^([a-z][a-z0-9-]*):", read(ROOT / "Makefile"), re.MULTILINE))
    named = {line.split()[1] for _, line in command_lines("make") if len(line.split()) > 1}
    assert {name for name in named if "=" not in name and not name.startswith("<")} - targets == set()


def benchmarks() -> set[str]:
    def has_main(path: Path) -> bool:
        return any(isinstance(node, ast.FunctionDef) and node.name == "main" for node in ast.parse(read(path)).body)

    return {path.stem for path in (ROOT / "bench").glob("*.py") if path.stem != "run_all" and has_main(path)}


def test_every_benchmark_is_in_benchmarks_md_and_every_named_one_exists() -> None:
    assert {f"bench.{name}" for name in benchmarks()} <= set(spans(read(ROOT / "docs" / "benchmarks.md")))
    named = {name for doc in DOCS for name in re.findall(r"-m bench\.(\w+)", read(doc))}
    assert named - benchmarks() - {"run_all"} == set()


def test_local_stack_options_are_exactly_those_of_devstack_server(capsys: pytest.CaptureFixture[str]) -> None:
    from devstack.server import parse_args

    with pytest.raises(SystemExit):
        parse_args(["--help"])
    actual = set(re.findall(r"(--[a-z][a-z-]*)", capsys.readouterr().out)) - HELP
    rows = table_rows(read(ROOT / "docs" / "local-stack.md"), "option")
    assert {cells[0].strip("`").split()[0] for cells in rows} == actual


def ignored_by_git(path: str) -> bool:
    patterns = [line.strip().rstrip("/") for line in read(ROOT / ".gitignore").splitlines() if "/" in line]
    return any(path.startswith(pattern) for pattern in patterns if not pattern.startswith("#"))


def test_repository_paths_the_docs_name_exist() -> None:
    named = {span for doc in DOCS for span in spans(read(doc)) if REPO_PATH.match(span)}
    globs = {path: re.sub(r"<[^>]+>", "*", path) for path in named if not ignored_by_git(path)}
    assert [path for path, pattern in globs.items() if not any(ROOT.glob(pattern.rstrip("/")))] == []


def python_object(ref: str) -> Any:
    """`chalicelib.release.rollback.rollback`: the longest importable module, then attributes."""
    parts = ref.split(".")
    for length in range(len(parts), 0, -1):
        try:
            target: Any = importlib.import_module(".".join(parts[:length]))
        except ImportError:
            continue
        for name in parts[length:]:
            target = getattr(target, name)
        return target
    raise ImportError(ref)


def test_python_names_the_docs_give_import() -> None:
    named = {span.split("(")[0] for doc in DOCS for span in spans(read(doc))}
    for ref in sorted(name for name in named if MODULE_REF.match(name)):
        try:
            python_object(ref)
        except (ImportError, AttributeError) as error:
            pytest.fail(f"the docs name {ref}, which does not import: {error}")


def slug(heading: str) -> str:
    text = heading.lstrip("#").strip().replace("`", "").lower()
    return re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", text))


def is_page(path: Path) -> bool:
    return path.suffix == ".md" and path.is_file()


def test_links_between_the_docs_reach_a_file_and_a_heading() -> None:
    broken = []
    for doc in DOCS:
        for target, anchor in re.findall(r"\]\(([^)#\s:]*)(?:#([^)\s]+))?\)", read(doc)):
            path = (doc.parent / target).resolve() if target else doc
            headings = (
                {slug(line) for line in prose_lines(read(path)) if line.startswith("#")} if is_page(path) else set()
            )
            if not path.exists() or (anchor and anchor not in headings):
                broken.append(f"{doc.relative_to(ROOT)}: ({target}#{anchor})")
    assert broken == []


def test_the_local_stacks_verbose_option_says_which_app_logs_show_without_it() -> None:
    from devstack.environment import quiet_environment

    level = quiet_environment()["POWERTOOLS_LOG_LEVEL"]  # what the stack shows of the app's logs by default
    row = next(row for row in table_rows(read(ROOT / "docs" / "local-stack.md"), "option") if row[0] == "`--verbose`")
    assert f"below `{level}`" in row[1], row
