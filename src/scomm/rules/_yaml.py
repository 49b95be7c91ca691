"""Load a rules YAML file keeping line numbers, and validate it with pydantic into PolicyFileError.

Every mapping and list comes back as a subclass of dict/list that remembers the line of each key and item,
so that a pydantic error location (``("hold", "rules", 2, "when", "age_at_least")``) maps back to a line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from scomm.errors import PolicyFileError

M = TypeVar("M", bound=BaseModel)


class LineDict(dict):
    line: int = 0
    key_lines: dict[Any, int]


class LineList(list):
    line: int = 0
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        self.flatten_mapping(node)
        data = LineDict()
        data.line = node.start_mark.line + 1
        data.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in data:
                raise PolicyFileError(self.name, key_node.start_mark.line + 1, f"duplicate key {key!r}")
            data[key] = self._construct(value_node)
            data.key_lines[key] = key_node.start_mark.line + 1
        return data

    def _construct(self, node):
        """Construct one value; a scalar that resolves but cannot be built (2011-02-30) gets its own line."""
        try:
            return self.construct_object(node, deep=True)
        except (ValueError, TypeError) as exc:
            raise PolicyFileError(self.name, node.start_mark.line + 1, f"bad value {node.value!r}: {exc}") from exc

    def construct_sequence(self, node, deep=False):  # type: ignore[override]
        data = LineList(self._construct(child) for child in node.value)
        data.line = node.start_mark.line + 1
        data.item_lines = [child.start_mark.line + 1 for child in node.value]
        return data


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


def load_yaml(path: Path) -> Any:
    """Parse ``path``; any syntax or value error (e.g. the date 2011-13-45) becomes PolicyFileError."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyFileError(str(path), None, f"cannot read: {exc.strerror}") from exc
    loader = _Loader(text)
    loader.name = str(path)
    try:
        return loader.get_single_data()
    except PolicyFileError:
        raise
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise PolicyFileError(str(path), line, f"YAML syntax: {exc.problem}") from exc
    except (ValueError, TypeError) as exc:  # a scalar the resolver accepted but cannot construct
        line = _current_line(loader)
        raise PolicyFileError(str(path), line, f"bad value: {exc}") from exc
    finally:
        loader.dispose()


def _current_line(loader: _Loader) -> int | None:
    mark = getattr(loader, "mark", None) or loader.get_mark()
    return mark.line + 1 if mark else None


def line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest node along ``loc`` that we know a line for."""
    line = getattr(data, "line", None)
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            continue  # pydantic inserts union-member names into loc; skip them
    return line


def validate(model: type[M], data: Any, path: Path) -> M:
    """Validate ``data`` as ``model``; the first error becomes PolicyFileError(path, line, reason)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        where = ".".join(str(p) for p in loc) or "(file)"
        raise PolicyFileError(str(path), line_of(data, loc), f"{where}: {err['msg']}") from exc
