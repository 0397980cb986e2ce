"""Reading a rulebook's YAML: safe types only, repeated keys recorded, and a bound on the size
the text expands to.

YAML aliases (`*name`) repeat an anchored value (`&name`) without copying it, so a few hundred
bytes of anchors, each aliasing the one before several times, stand for billions of values (a
"billion laughs"), and merge keys (`<<: [*a, *a]`) double a mapping at every level. Every walk
over the parsed rules (repeated keys, the checksum, the conditions) would pay for each of them,
so the expanded size is counted on the document's nodes, each counted once, before anything is
built from them; a rulebook that expands past MAX_VALUES is refused. The default rulebook uses
an alias on purpose (two rules share one condition), so aliases as such stay allowed.
"""

from __future__ import annotations

import yaml

# Over ten times what the default rulebook expands to: room for a much larger rulebook, while every
# walk over the rules, and the conformance check, stays short (a test keeps the margin).
MAX_VALUES = 40_000


class RulebookYamlError(ValueError):
    """The text cannot be read as a rulebook's YAML; the message says why."""


class RecordedMapping(dict):
    """A YAML mapping that remembers the keys it was given more than once (YAML keeps the last
    silently, so a rule written with two `effect:` keys would lose one without a word)."""

    repeated: tuple[str, ...] = ()


class RulebookLoader(yaml.SafeLoader):
    """SafeLoader whose mappings record repeated keys, so the loader can name the rule."""


def _construct_mapping(loader: RulebookLoader, node: yaml.MappingNode) -> RecordedMapping:
    loader.flatten_mapping(node)
    mapping = RecordedMapping()
    repeated = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            repeated.append(str(key))
        mapping[key] = loader.construct_object(value_node, deep=True)
    mapping.repeated = tuple(repeated)
    return mapping


RulebookLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def expanded_size(root: yaml.Node) -> int:
    """How many values the document stands for once every alias is expanded (merge keys
    included: they expand to at most the mapping they alias). Linear in the distinct nodes; a
    node that contains itself counts as more than MAX_VALUES."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        if isinstance(node, yaml.ScalarNode):
            return 1
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = MAX_VALUES + 1  # what a node met again inside itself counts for
        if isinstance(node, yaml.MappingNode):
            total = 1 + sum(size(key) + size(value) for key, value in node.value)
        else:
            total = 1 + sum(size(item) for item in node.value)
        sizes[id(node)] = total
        return total

    return size(root)


def read_rulebook_yaml(text: str) -> object:
    """The data of a YAML rulebook (mappings as RecordedMapping); RulebookYamlError if the text
    is not YAML, nests too deeply or expands past MAX_VALUES."""
    loader = RulebookLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if expanded_size(node) > MAX_VALUES:
            raise RulebookYamlError(
                f"rulebook is too large to read: it would expand to more than {MAX_VALUES:,} "
                "YAML values (each use of an alias such as *name counts its values again)"
            )
        return loader.construct_document(node)
    except yaml.YAMLError as error:
        raise RulebookYamlError(f"rulebook is not valid YAML: {error}") from None
    except RecursionError:
        raise RulebookYamlError("rulebook nests too deeply to be read") from None
    finally:
        loader.dispose()


def repeated_key(data: object) -> str | None:
    """The first key repeated in a mapping anywhere inside `data`, if any. Visits each value
    once, however many aliases repeat it."""
    seen: set[int] = set()

    def walk(node: object) -> str | None:
        if isinstance(node, RecordedMapping) and node.repeated:
            return node.repeated[0]
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            return None
        if id(node) in seen:
            return None
        seen.add(id(node))
        for child in children:
            found = walk(child)
            if found is not None:
                return found
        return None

    return walk(data)
