#!/usr/bin/env python3
"""Validates every model file under examples/ against docs/model.schema.json, and every scenario
file (`grid2gpu_scenario`) against docs/scenario.schema.json.

usage: tests/schema/validate_examples.py [SOURCE_DIR]   (default: the repository of this script)

A model file is a YAML or JSON file whose top level is a map with the format-version key
`grid2gpu`; study files (`grid2gpu_study`), converter SPECs and other YAML are skipped and listed.
The validator is the one for the draft the schema declares in `$schema`. Each violation is
printed with its file and JSON path; the exit status is 1 when there is any, or when no model
file was found. Negative cases run too: a small model with a misspelt key, or with a plain word
for an integer, must be rejected (and the same model without the mistake accepted).

Runs under CTest (tests/CMakeLists.txt) with Debian's python3-jsonschema and python3-yaml.
"""

import json
import pathlib
import re
import sys

import jsonschema
import yaml

MODEL_KEY = "grid2gpu"  # the format version, required at the top of every model file
MODEL_SUFFIXES = {".yaml", ".yml", ".json"}


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML with YAML 1.2 core-schema scalars, as the grid2gpu loader and editors read them.

    PyYAML follows YAML 1.1: `yes`/`no`/`on`/`off` would become booleans and `1e-10` (no dot) a
    string, so the schema would be checked against values the loader never sees.
    """


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                           "tag:yaml.org,2002:float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"))
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+.0123456789"))


def construct_float(loader, node):
    """PyYAML's float constructor does not take 1.2 forms such as `1e-10`; Python's does."""
    text = loader.construct_scalar(node).lower()
    if text.endswith(".inf"):
        return float("-inf") if text.startswith("-") else float("inf")
    return float("nan") if text == ".nan" else float(text)


def construct_int(loader, node):
    text = loader.construct_scalar(node)
    return int(text, 0) if text[:2] in ("0o", "0x") else int(text)


Yaml12Loader.add_constructor("tag:yaml.org,2002:float", construct_float)
Yaml12Loader.add_constructor("tag:yaml.org,2002:int", construct_int)


def load_document(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    return yaml.load(text, Loader=Yaml12Loader)


def json_path(error):
    path = "$"
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def violations(validator, document):
    """(JSON path, message) of every violation, the deepest cause of each shown."""
    found = []
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        # An anyOf/oneOf failure says little by itself: name the branch that got furthest.
        deepest = error
        while deepest.context:
            deepest = max(deepest.context, key=lambda e: len(e.absolute_path))
        found.append((json_path(deepest), deepest.message))
    return found


# Models the loader rejects, and the word the schema's complaint must name: a misspelt key
# ("did you mean 'cross_section'?"), and a count that is neither an integer nor a parameter
# reference (parameter references must not open integers to any text).
TINY_MODEL = """
grid2gpu: 1
parameters: {runs: 2}
buses:
  - {id: src, kind: dc, voltage: 800 V}
  - {id: rack, kind: dc, voltage: 800 V}
components:
  - {id: s, type: dc_source, bus: src}
  - {id: c1, type: cable, from: src, to: rack, cross_section: 240 mm2, length: 50 m,
     parallel_runs: $runs}
  - {id: l1, type: load, bus: rack, power: 100 kW}
"""
REJECTED = [
    ("the misspelt key 'cross_sektion'", TINY_MODEL.replace("cross_section", "cross_sektion"),
     "cross_sektion"),
    ("parallel_runs: runs (no $)", TINY_MODEL.replace("$runs", "runs"), "runs"),
]


def validate_scenarios(source_dir):
    """Every scenario file (`grid2gpu_scenario`) under examples/ against docs/scenario.schema.json,
    and a scenario with a misspelt key rejected; returns the number of failures."""
    schema = json.loads((source_dir / "docs" / "scenario.schema.json").read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    failures = 0
    scenarios = 0
    for path in sorted((source_dir / "examples").rglob("*.yaml")):
        document = load_document(path)
        if not isinstance(document, dict) or "grid2gpu_scenario" not in document:
            continue
        scenarios += 1
        problems = violations(validator, document)
        for where, message in problems:
            print(f"FAIL {path.relative_to(source_dir)}: {where}: {message}")
        failures += len(problems)
        if not problems:
            print(f"ok   {path.relative_to(source_dir)} (scenario)")
    misspelt = "grid2gpu_scenario: 1\nduraton: 1 s\nmetrics: {ramp_window: 1 s}\n"
    if any("duraton" in message for _, message in
           violations(validator, yaml.load(misspelt, Loader=Yaml12Loader))):
        print("ok   a scenario with the misspelt key 'duraton' is rejected")
    else:
        print("FAIL a scenario with the misspelt key 'duraton' is accepted by the schema")
        failures += 1
    if scenarios == 0:
        print(f"FAIL no scenario file under {source_dir / 'examples'}")
        failures += 1
    return failures


def main():
    source_dir = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else __file__).resolve()
    if len(sys.argv) <= 1:
        source_dir = source_dir.parents[2]
    schema_path = source_dir / "docs" / "model.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema, default=None)
    if validator_class is None:
        print(f"{schema_path}: no validator for $schema {schema.get('$schema')!r}")
        return 1
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    print(f"schema: {schema_path} ({validator_class.__name__})")

    failures = 0
    models = 0
    for path in sorted((source_dir / "examples").rglob("*")):
        if path.suffix not in MODEL_SUFFIXES or not path.is_file():
            continue
        name = path.relative_to(source_dir)
        document = load_document(path)
        if not isinstance(document, dict) or MODEL_KEY not in document:
            keys = ", ".join(list(document)[:3]) if isinstance(document, dict) else "not a map"
            print(f"skip {name}: not a model file (top level: {keys})")
            continue
        models += 1
        problems = violations(validator, document)
        for where, message in problems:
            print(f"FAIL {name}: {where}: {message}")
        failures += len(problems)
        if not problems:
            print(f"ok   {name}")

    tiny = violations(validator, yaml.load(TINY_MODEL, Loader=Yaml12Loader))
    for where, message in tiny:
        print(f"FAIL the valid tiny model: {where}: {message}")
    failures += len(tiny)
    for what, text, word in REJECTED:
        problems = violations(validator, yaml.load(text, Loader=Yaml12Loader))
        if any(word in where or word in message for where, message in problems):
            print(f"ok   a model with {what} is rejected")
        else:
            print(f"FAIL a model with {what} is accepted by the schema: {problems}")
            failures += 1

    failures += validate_scenarios(source_dir)

    if models == 0:
        print(f"FAIL no model file under {source_dir / 'examples'}")
        return 1
    print(f"{models} model files, {failures} violations")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
