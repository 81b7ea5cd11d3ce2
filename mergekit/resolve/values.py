"""Frozen value classes made without `dataclasses`: `@value` for `@dataclass(frozen=True)`.

`dataclasses.dataclass` writes the source of `__init__`, `__repr__`, `__eq__`, `__hash__`,
`__setattr__` and `__delattr__` for each class and compiles it when its module is imported, and
importing `dataclasses` itself loads `inspect` (with `ast`, `dis` and `tokenize`): together more
than the merge driver's whole structural merge of a barrel file, paid by every driver process
(git runs one per conflicted file). `value` reads the fields from the class's own annotations and
gives the class those six methods, written once, here; nothing imports `dataclasses` until someone
asks for the class's dataclass fields.

Their behaviour is the generated one: construction by position or keyword with defaults (a
missing or unknown argument is a `TypeError`), equality between instances of the same class field
by field, the hash of the fields, `Name(field=value, ...)` as repr, `__match_args__`, and
`dataclasses.FrozenInstanceError` on assignment. `dataclasses.is_dataclass`, `fields`, `replace`
and `asdict` work: `__dataclass_fields__` is made on first use, from a frozen dataclass with the
same fields (`_Fields`), and mypy reads the class as a frozen dataclass. A field takes a plain
default only (no `dataclasses.field`, no factory: a tuple default is immutable), and a value class
inherits from no other class. For classes made a few times per file; one made for every child of
a container (`mergekit.resolve.items.Item`) is a plain class with `__slots__`.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the merge driver does without importing typing
if TYPE_CHECKING:
    from typing import Any, TypeVar, dataclass_transform

    T = TypeVar("T")
else:

    def dataclass_transform(**_options: object) -> object:
        """What `typing.dataclass_transform` does at run time: nothing (it guides type checkers)."""
        return lambda function: function


_OWN = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")
"""The methods `dataclass` would generate, which `value` gives from this module instead."""


class _Fields:
    """A value class's `__dataclass_fields__`, made when first looked up (by `dataclasses`'
    `is_dataclass`, `fields`, `replace` or `asdict`) and then stored on the class in its place."""

    def __get__(self, instance: object, owner: type) -> dict[str, Any]:
        import dataclasses

        names, defaults = owner.__value_fields__  # type: ignore[attr-defined]
        hints = owner.__annotations__
        spec = [
            (name, hints[name], dataclasses.field(default=defaults.get(name, dataclasses.MISSING)))
            for name in names
        ]
        twin = dataclasses.make_dataclass(owner.__name__, spec, frozen=True)
        made: dict[str, Any] = dict(twin.__dataclass_fields__)  # type: ignore[attr-defined]
        type.__setattr__(owner, "__dataclass_fields__", made)
        type.__setattr__(owner, "__dataclass_params__", twin.__dataclass_params__)  # type: ignore[attr-defined]
        return made


@dataclass_transform(frozen_default=True)
def value(cls: type[T]) -> type[T]:
    """Make `cls` a frozen value class with shared methods (see the module docstring)."""
    written = [name for name in _OWN if name in cls.__dict__]
    if written:
        raise TypeError(f"{cls.__name__}: a value class does not write {', '.join(written)} itself")
    if cls.__bases__ != (object,):
        raise TypeError(f"{cls.__name__}: a value class inherits from no other class")
    names = tuple(cls.__annotations__)
    defaults: dict[str, object] = {}
    for name in names:
        if name not in cls.__dict__:
            if defaults:
                raise TypeError(f"{cls.__name__}.{name}: a field without a default after one with a default")
            continue
        default = cls.__dict__[name]
        kind = type(default)
        if kind.__module__ == "dataclasses" or kind.__hash__ is None:
            raise TypeError(f"{cls.__name__}.{name}: a value field takes only a default, plain and immutable")
        defaults[name] = default
    given = {
        "__value_fields__": (names, defaults),
        "__match_args__": names,
        "__dataclass_fields__": _Fields(),
    }
    given.update(zip(_OWN, (_init, _repr, _eq, _hash, _setattr, _delattr), strict=True))
    for name, method in given.items():
        setattr(cls, name, method)
    return cls


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    cls = type(self)
    names, defaults = cls.__value_fields__
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
    from dataclasses import FrozenInstanceError

    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> None:
    from dataclasses import FrozenInstanceError

    raise FrozenInstanceError(f"cannot delete field {name!r}")
