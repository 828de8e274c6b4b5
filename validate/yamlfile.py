"""YAML loading that remembers the line of every key, so a mistake is reported where it is."""

from __future__ import annotations

from typing import Any

import yaml

from validate.errors import SchemaFileError

try:  # the C loader is much faster; fall back quietly where libyaml is missing
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


_SCALARS = yaml.constructor.SafeConstructor()


class Located(dict):
    """A mapping from a YAML file that knows the line of each of its keys."""

    def __init__(self, *args, path: str = "", line: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.path = path
        self.line = line
        self.key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def error(self, key: str | None, message: str) -> SchemaFileError:
        return SchemaFileError(self.path, message, self.line_of(key) if key else self.line)


# Schema files are small, flat declarations: no anchors or aliases (`x: &a [*a]` is a cycle,
# nine levels of ten aliases expand to a billion nodes), no nesting deeper than this.
MAX_DEPTH = 64
_MAPPING_TAG = "tag:yaml.org,2002:map"
_SEQUENCE_TAG = "tag:yaml.org,2002:seq"


def load_yaml(path: str, text: str) -> Any:
    try:
        _check_events(path, text)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise SchemaFileError(path, f"not valid YAML: {_one_line(problem)}",
                              mark.line + 1 if mark else None) from None
    if node is None:
        raise SchemaFileError(path, "empty file")
    return _convert(node, path)


def _check_events(path: str, text: str) -> None:
    """Refuse what a schema file never needs, before anything is built from it: the parser's
    events come one at a time, so this costs no memory however hostile the file."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise SchemaFileError(path, "anchors and aliases (&name, *name) are not allowed in "
                                        "schema files: write the value out", line)
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise SchemaFileError(path, f"nested more than {MAX_DEPTH} levels deep", line)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + "..."


def _convert(node: yaml.Node, path: str) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode) and node.tag != _MAPPING_TAG \
            or isinstance(node, yaml.SequenceNode) and node.tag != _SEQUENCE_TAG:
        raise SchemaFileError(path, f"YAML tag {_one_line(node.tag, 80)!r} is not allowed in schema files", line)
    if isinstance(node, yaml.MappingNode):
        result = Located(path=path, line=node.start_mark.line + 1)
        for key_node, value_node in node.value:
            key = _convert(key_node, path)
            if not isinstance(key, (str, int, float)):
                raise SchemaFileError(path, "a mapping key must be a plain name",
                                      key_node.start_mark.line + 1)
            key = str(key)
            if key in result:
                raise SchemaFileError(path, f"key {key!r} appears twice",
                                      key_node.start_mark.line + 1)
            result[key] = _convert(value_node, path)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path) for item in node.value]
    if node.tag == "tag:yaml.org,2002:merge":
        raise SchemaFileError(path, "merge keys (<<) are not allowed in schema files", line)
    try:
        return _SCALARS.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        raise SchemaFileError(path, f"cannot read this value: {_one_line(problem)}", line) from None
    except ValueError as exc:  # an integer of thousands of digits, among others
        if len(node.value) > 100:
            raise SchemaFileError(path, f"a value of {len(node.value)} characters is too long "
                                        "to be a number", line) from None
        raise SchemaFileError(path, f"cannot read the value {_one_line(node.value, 40)!r}: "
                                    f"{_one_line(exc, 120)}", line) from None

