"""YAML input: the composed node tree gives every value and key its line and column.

Uses libyaml's C loader when PyYAML was built with it. Mapping keys written twice
are recorded (PyYAML would silently keep the last one) and the last one wins, as
in the JSON loader.
"""

from __future__ import annotations

import yaml

from validator.load.types import Document, DuplicateKey, InputError, Path_

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml
    _Loader = yaml.SafeLoader

_MAX_DEPTH = 200


class YamlLocator:
    """Positions recorded while the node tree was converted to data."""

    def __init__(self) -> None:
        self.values: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}
        self.scalars: dict[Path_, tuple[int, int, str]] = {}  # end line, end column, quote

    def value(self, path: Path_) -> tuple[int, int] | None:
        """Line and column of the value at ``path``."""
        return self.values.get(tuple(path))

    def key(self, path: Path_) -> tuple[int, int] | None:
        """Line and column of the key that ends ``path``."""
        return self.keys.get(tuple(path))

    def span(self, path: Path_) -> tuple[tuple[int, int], tuple[int, int], str] | None:
        """(start, end, quote) of the scalar value at ``path``: 1-based positions of its
        first character and of the character after it (quotes included), and its quote
        character (``'"'``, ``"'"`` or ``""`` for a plain scalar). None for a mapping,
        a list, a block scalar or a path not in the text."""
        start = self.values.get(tuple(path))
        found = self.scalars.get(tuple(path))
        if start is None or found is None:
            return None
        return start, (found[0], found[1]), found[2]

    def prepare(self, paths) -> None:
        """Nothing to do: every position is known after loading."""


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Converter:
    def __init__(self, loader: yaml.SafeLoader, locator: YamlLocator) -> None:
        self.loader = loader
        self.locator = locator
        self.duplicates: list[DuplicateKey] = []

    def convert(self, node: yaml.Node, path: Path_, depth: int = 0) -> object:
        if depth > _MAX_DEPTH:
            raise InputError(f"nested deeper than {_MAX_DEPTH} levels (a recursive alias?)")
        self.locator.values[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)  # applies "<<" merge keys
            result: dict = {}
            for key_node, value_node in node.value:
                # Keys are text, as in JSON: `1:` or `yes:` stays the text written.
                if isinstance(key_node, yaml.ScalarNode):
                    key = key_node.value
                else:
                    key = str(self.loader.construct_object(key_node, deep=True))
                child = (*path, key)
                if key in result:
                    self.duplicates.append(
                        DuplicateKey(child, self.locator.keys.get(child), _mark(key_node))
                    )
                self.locator.keys[child] = _mark(key_node)
                result[key] = self.convert(value_node, child, depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [
                self.convert(item, (*path, index), depth + 1)
                for index, item in enumerate(node.value)
            ]
        if node.style in (None, "", '"', "'") and node.start_mark.line == node.end_mark.line:
            self.locator.scalars[path] = (
                node.end_mark.line + 1,
                node.end_mark.column + 1,
                node.style or "",
            )
        return self.loader.construct_object(node, deep=True)


def load(name: str, text: str) -> Document:
    """Parse YAML ``text`` named ``name``; InputError when it is not YAML."""
    locator = YamlLocator()
    loader = _Loader(text)
    try:
        nodes = []
        while loader.check_node():
            nodes.append(loader.get_node())
        if not nodes:
            return Document(name, None, "yaml", locator, empty=True)
        converter = _Converter(loader, locator)
        data = converter.convert(nodes[0], ())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        problem = exc.problem or exc.context or "syntax error"
        raise InputError(f"{where}: not valid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{name}: not valid YAML: {exc}") from None
    except InputError as exc:
        raise InputError(f"{name}: {exc}") from None
    finally:
        loader.dispose()
    return Document(
        name,
        data,
        "yaml",
        locator,
        duplicate_keys=converter.duplicates,
        extra_documents=len(nodes) - 1,
    )
