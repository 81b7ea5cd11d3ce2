"""Frozen value classes whose methods are shared, not generated: `@value` for `@dataclass(frozen=True)`.

`dataclasses.dataclass` writes the source of `__init__`, `__repr__`, `__eq__`, `__hash__`,
`__setattr__` and `__delattr__` for each class and compiles it when its module is imported: a
third of a millisecond per class, which every merge-driver process (git runs one per conflicted
file) pays for every value class it imports. `value` keeps the rest of a dataclass
(`dataclasses.fields`, `replace` and `asdict` work, `__match_args__` is set, and mypy reads the
class as a frozen dataclass) and gives it those six methods written once, here.

Their behaviour is the generated one: construction by position or keyword with defaults and
default factories (a missing or unknown argument is a `TypeError`), equality between instances
of the same class field by field, the hash of the fields, `Name(field=value, ...)` as repr, and
`dataclasses.FrozenInstanceError` on assignment. For classes made a few times per file; one made
for every child of a container (`mergekit.resolve.items.Item`) keeps the generated, faster
`__init__`.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")

_OWN = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")
"""The methods `dataclass` would generate, which `value` gives from this module instead."""


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def value(cls: type[T]) -> type[T]:
    """Make `cls` a frozen dataclass with shared methods (see the module docstring)."""
    written = [name for name in _OWN if name in cls.__dict__]
    if written:
        raise TypeError(f"{cls.__name__}: a value class does not write {', '.join(written)} itself")
    made: Any = dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
    fields = dataclasses.fields(made)
    for f in fields:
        if not (f.init and f.repr and f.compare and f.hash is None and not f.kw_only):
            raise TypeError(f"{cls.__name__}.{f.name}: a value field takes only a default or a factory")
    made.__value_fields__ = (
        tuple(f.name for f in fields),
        {f.name: f.default for f in fields if f.default is not dataclasses.MISSING},
        {f.name: f.default_factory for f in fields if f.default_factory is not dataclasses.MISSING},
    )
    for name, method in zip(_OWN, (_init, _repr, _eq, _hash, _setattr, _delattr), strict=True):
        setattr(made, name, method)
    return made  # type: ignore[no-any-return]


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    cls = type(self)
    names, defaults, factories = cls.__value_fields__
    if len(args) > len(names):
        counts = f"{len(names) + 1} positional arguments but {len(args) + 1} were given"
        raise TypeError(f"{cls.__name__}.__init__() takes {counts}")
    for name, given in zip(names, args, strict=False):
        if name in kwargs:
            raise TypeError(f"{cls.__name__}.__init__() got multiple values for argument {name!r}")
        object.__setattr__(self, name, given)
    for name in names[len(args) :]:
        if name in kwargs:
            given = kwargs.pop(name)
        elif name in defaults:
            given = defaults[name]
        elif name in factories:
            given = factories[name]()
        else:
            raise TypeError(f"{cls.__name__}.__init__() missing 1 required positional argument: {name!r}")
        object.__setattr__(self, name, given)
    for name in kwargs:
        if name not in names:
            raise TypeError(f"{cls.__name__}.__init__() got an unexpected keyword argument {name!r}")


def _fields(self: Any) -> tuple[Any, ...]:
    return tuple(getattr(self, name) for name in type(self).__value_fields__[0])


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in type(self).__value_fields__[0])
    return f"{type(self).__qualname__}({shown})"


def _eq(self: Any, other: object) -> object:
    if other.__class__ is self.__class__:
        return _fields(self) == _fields(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(_fields(self))


def _setattr(self: Any, name: str, given: object) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
