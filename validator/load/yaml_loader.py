"""YAML input: the composed node tree gives every value and key its line and column.

Uses libyaml's C loader when PyYAML was built with it. Mapping keys written twice
are recorded (PyYAML would silently keep the last one) and the last one wins, as
in the JSON loader.
"""

from __future__ import annotations

import yaml

from validator.load.limits import DEFAULT_LIMITS, LimitError, Limits
from validator.load.types import Document, DuplicateKey, InputError, Path_
from validator.redaction import quote

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml
    _Loader = yaml.SafeLoader


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


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def measure(root: yaml.Node) -> tuple[int, int, int]:
    """(depth, items, items written once) of the data ``root`` stands for, aliases expanded.

    Aliases make the node tree a graph; each node's expanded size and depth are computed
    once (memoised by identity, without recursion), so a "billion laughs" file is
    measured in the time of its few hundred nodes, before anything is expanded. Merge
    keys (``<<``) count as the mappings they copy. Items are list items and mapping
    entries (an empty list or mapping counts as one). InputError for an alias that
    contains itself.
    """
    sizes: dict[int, tuple[int, int]] = {}  # id -> (depth, expanded items)
    own = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    open_nodes: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            children = _children(node)
            depth = 1 + max((sizes[id(c)][0] for c in children), default=0)
            count = (len(node.value) or 1) + sum(sizes[id(c)][1] for c in children)
            sizes[key] = (depth, count)
            open_nodes.discard(key)
            own += len(node.value) or 1
            continue
        if key in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[key] = (0, 0)
            continue
        if key in open_nodes:
            line, column = _mark(node)
            raise InputError(
                f"{line}:{column}: an alias refers to the collection that contains it "
                "(a recursive alias); it would expand without end"
            )
        open_nodes.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in open_nodes:
                line, column = _mark(child)
                raise InputError(
                    f"{line}:{column}: an alias refers to the collection that contains it "
                    "(a recursive alias); it would expand without end"
                )
            if id(child) not in sizes:
                stack.append((child, False))
    depth, items = sizes[id(root)]
    return depth, items, own


def _check_limits(name: str, root: yaml.Node, limits: Limits) -> None:
    depth, items, own = measure(root)
    if items - own > limits.alias_nodes:
        raise LimitError(
            "alias-nodes",
            name,
            f"aliases expand to {items - own:,} more values",
            limits.alias_nodes,
        )
    if items > limits.items:
        raise LimitError("items", name, f"{items:,} values", limits.items)
    if depth > limits.depth:
        raise LimitError("depth", name, f"nested {depth} levels deep", limits.depth)


_TAG_WORDS = {
    "tag:yaml.org,2002:int": "an integer",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:timestamp": "a date or time",
    "tag:yaml.org,2002:binary": "base64 data",
    "tag:yaml.org,2002:null": "null",
}


def _unreadable(node: yaml.Node, path: Path_, exc: Exception) -> InputError:
    """The located error for a scalar no Python value can hold (``!!int abc``...)."""
    line, column = _mark(node)
    what = _TAG_WORDS.get(node.tag, f"a {node.tag} value")
    value = quote(node.value, path, width=40)
    reason = str(exc).split(":")[0] if "Exceeds the limit" in str(exc) else ""
    if reason or (node.tag == "tag:yaml.org,2002:int" and len(str(node.value)) > 4000):
        problem = "an integer too long to read (Python reads up to 4,300 digits)"
    else:
        problem = f"the value {value} cannot be read as {what}"
    return InputError(f"{line}:{column}: {problem}; correct the value, or quote it to make it text")


class _Converter:
    def __init__(self, loader: yaml.SafeLoader, locator: YamlLocator, name: str, limits: Limits):
        self.loader = loader
        self.locator = locator
        self.duplicates: list[DuplicateKey] = []
        self.name = name
        self.limits = limits
        self.items = 0

    def _count(self, node: yaml.Node, depth: int) -> None:
        """Depth and items as the tree is converted (text without aliases: measure() ran
        only when there are some)."""
        if depth >= self.limits.depth:
            raise LimitError(
                "depth", self.name, f"nested more than {self.limits.depth} levels deep",
                self.limits.depth,
            )  # fmt: skip
        self.items += len(node.value) or 1
        if self.items > self.limits.items:
            raise LimitError(
                "items", self.name, f"more than {self.limits.items:,} values", self.limits.items
            )

    def convert(self, node: yaml.Node, path: Path_, depth: int = 0) -> object:
        self.locator.values[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)  # applies "<<" merge keys
            self._count(node, depth)
            result: dict = {}
            for key_node, value_node in node.value:
                # Keys are text, as in JSON: `1:` or `yes:` stays the text written.
                if isinstance(key_node, yaml.ScalarNode):
                    key = key_node.value
                else:
                    key = quote(self._scalar(key_node, path), path, width=200)
                child = (*path, key)
                if key in result:
                    self.duplicates.append(
                        DuplicateKey(child, self.locator.keys.get(child), _mark(key_node))
                    )
                self.locator.keys[child] = _mark(key_node)
                result[key] = self.convert(value_node, child, depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            self._count(node, depth)
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
        return self._scalar(node, path)

    def _scalar(self, node: yaml.Node, path: Path_) -> object:
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError:
            raise  # located by load()
        except Exception as exc:  # PyYAML's constructors raise anything
            # (ValueError for !!int abc, AttributeError for !!timestamp 2001-02-30x, ...)
            raise _unreadable(node, path, exc) from None


def yaml_error_text(name: str, exc: yaml.YAMLError) -> str:
    """One line for a YAML syntax error: ``NAME:LINE:COL: not valid YAML: problem``.

    PyYAML's own text spans several lines (a context, a quoted excerpt, a caret).
    """
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        problem = exc.problem or exc.context or "syntax error"
        return f"{where}: not valid YAML: {problem}"
    return f"{name}: not valid YAML: " + "; ".join(str(exc).split("\n"))


def load(name: str, text: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Parse YAML ``text`` named ``name``; InputError when it is not YAML or holds a value
    no Python value can hold, LimitError past one of ``limits`` (checked before aliases
    are expanded)."""
    locator = YamlLocator()
    loader = _Loader(text)
    try:
        nodes = []
        while loader.check_node():
            nodes.append(loader.get_node())
        if not nodes:
            return Document(name, None, "yaml", locator, empty=True)
        if "*" in text:  # aliases can only be written with a *: measure before expanding
            _check_limits(name, nodes[0], limits)
        converter = _Converter(loader, locator, name, limits)
        data = converter.convert(nodes[0], ())
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character or "?")
        raise InputError(
            f"{name}:{line}:{column}: not valid YAML: the character U+{char:04X} is not allowed"
            f" ({exc.reason}); remove it"
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(yaml_error_text(name, exc)) from None
    except LimitError:
        raise
    except InputError as exc:
        raise InputError(f"{name}:{exc}") from None
    except RecursionError:
        raise LimitError("depth", name, "nested too deeply to read", limits.depth) from None
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
