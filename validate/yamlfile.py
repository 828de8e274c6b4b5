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


def load_yaml(path: str, text: str) -> Any:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise SchemaFileError(path, f"not valid YAML: {problem}",
                              mark.line + 1 if mark else None) from None
    if node is None:
        raise SchemaFileError(path, "empty file")
    return _convert(node, path)


def _convert(node: yaml.Node, path: str) -> Any:
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
    return _SCALARS.construct_object(node, deep=True)
