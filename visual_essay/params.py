"""Parameters, declared once as data.

A widget lists its controls in ``PARAMS``. That one declaration builds the HTML control, checks the
Markdown's overrides and the URL's values, seeds the build-time figure, chooses the values the
table of precomputed scenes covers and bounds the fuzz tests. Each kind of parameter (``Slider``,
``Choice``, ``Toggle``, ``Seed``) carries all of its behaviour as methods, so adding a kind is one
class here (and one entry in the runtime's controls). Standard library only: this module also runs
in the reader's browser.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
import json
import math
import re
from typing import Any, ClassVar

SEED_MAX = 2**31 - 1

# What the table of precomputed scenes covers (see ``tables``): values per slider, samples per
# seed besides the figure's own, and the stride between table seeds (a prime; any will do).
GRID = 24
SEEDS = 4
SEED_STRIDE = 7919


# A value's width kept from the start: in em, estimated, and its widest few texts, measured by
# the page (layout.reserved_em, layout.widest_texts).
Reserve = tuple[float, Sequence[str]]
NO_RESERVE: Reserve = (0.0, ())


class ParamError(ValueError):
    """A parameter value that the declaration does not allow; the message names both."""


class Param:
    """What every kind of parameter answers. Subclasses are frozen dataclasses with at least
    ``name``, ``default``, ``label`` and ``unit``."""

    kind: ClassVar[str]
    name: str
    default: Any
    label: str
    unit: str

    def valid(self) -> str:
        """The values allowed, in words, for error messages."""
        raise NotImplementedError

    def check(self, value: Any) -> Any:
        """``value`` as the widget receives it, or ``ParamError`` naming the allowed values."""
        raise NotImplementedError

    def ends(self) -> tuple[Any, Any]:
        """The two extremes, for contract tests."""
        raise NotImplementedError

    def other_value(self, value: Any) -> Any:
        """A value other than ``value`` (a scaffolded test moves each control with it)."""
        lo, hi = self.ends()
        return hi if value != hi else lo

    def table_values(self, value: Any) -> list[Any]:
        """The values the table of precomputed scenes covers, ``value`` (the figure's) first."""
        raise NotImplementedError

    def table_index(self, value: Any) -> int:
        """One whole number per value: the table's lookup key (the runtime computes the same)."""
        raise NotImplementedError

    def strategy(self) -> Any:
        """A hypothesis strategy for every value the declaration allows."""
        raise NotImplementedError

    def control_html(self, control_id: str, value: Any, value_width: Reserve = NO_RESERVE) -> str:
        """The native, labelled HTML control, set to ``value``; a control that shows its value
        keeps ``value_width`` for it: the widest of ``value_texts`` in em, an estimate kept from
        the start, and its widest few texts, which the page measures in its own font."""
        raise NotImplementedError

    def value_texts(self) -> list[str]:
        """Every text the control shows as its value (none for a control that shows none)."""
        return []

    def prose_text(self, value: Any) -> str:
        """``value`` as a sentence shows it (a control in prose starts as this text)."""
        return str(value)

    def _invalid(self, value: Any) -> ParamError:
        return ParamError(f"invalid {self.name}: {value!r} (expected {self.valid()})")


def _first(value: Any, values: Iterable[Any]) -> list[Any]:
    return [value] + [v for v in values if v != value]


@dataclass(frozen=True)
class Slider(Param):
    """A number between ``min`` and ``max``; whole numbers when ``step`` and both ends are whole.
    ``table``: the values the page's table holds (and the slider snaps to before Python), where
    equal strides would skip the ones the prose names (a few small step counts, say)."""

    name: str
    min: float
    max: float
    step: float
    default: float
    label: str
    unit: str = ""
    table: tuple[float, ...] = ()
    kind: ClassVar[str] = "slider"

    def __post_init__(self) -> None:
        for value in self.table:
            k = (value - self.min) / self.step if isinstance(value, (int, float)) else math.nan
            if not self.min <= value <= self.max or not abs(k - round(k)) < 1e-9:
                raise ParamError(
                    f"{self.name}: table value {value!r} is not on the slider "
                    f"({self.valid()}, in steps of {_fmt(self.step)})"
                )

    @property
    def integer(self) -> bool:
        return all(float(v).is_integer() for v in (self.min, self.max, self.step))

    def valid(self) -> str:
        noun = "a whole number" if self.integer else "a number"
        return f"{noun} from {_fmt(self.min)} to {_fmt(self.max)}"

    def check(self, value: Any) -> float | int:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._invalid(value)
        if not math.isfinite(value) or not self.min <= value <= self.max:
            raise self._invalid(value)
        if self.integer:
            if not float(value).is_integer():
                raise self._invalid(value)
            return int(value)
        return float(value)

    def ends(self) -> tuple[Any, Any]:
        return self.check(self.min), self.check(self.max)

    def steps(self) -> int:
        return round((self.max - self.min) / self.step)

    def on_step(self, k: int) -> float | int:
        """The value ``k`` steps above ``min``, as the browser's range input gives it."""
        v = self.min + k * self.step
        return self.check(min(self.max, round(v) if self.integer else round(v, 10)))

    def moved(self, value: Any, n: int) -> float | int | None:
        """The value ``n`` steps above ``value``, or below it where that is past ``max`` (a
        reader's first moves); None where neither is on the slider."""
        k = self.table_index(value)
        for to in (k + n, k - n):
            if 0 <= to <= self.steps():
                return self.on_step(to)
        return None

    def grid(self, value: Any) -> list[Any]:
        """At most ``GRID`` values: the whole range in equal strides (a multiple of the step)
        through ``value``, plus both ends (or the declared ``table``, with ``value`` and both
        ends). Until Python is live the slider snaps to them."""
        if self.table:
            return sorted({self.check(v) for v in (*self.table, value, self.min, self.max)})
        steps = self.steps()
        if steps + 1 <= GRID:
            return [self.on_step(k) for k in range(steps + 1)]
        stride = math.ceil(steps / (GRID - 3))
        at = round((value - self.min) / self.step)
        ks = {0, steps} | set(range(at % stride, steps + 1, stride))
        return [self.on_step(k) for k in sorted(ks)]

    def table_values(self, value: Any) -> list[Any]:
        return _first(value, self.grid(value))

    def prose_text(self, value: Any) -> str:
        return format_value(value, self.unit)

    def table_index(self, value: Any) -> int:
        return round((value - self.min) / self.step)

    def strategy(self) -> Any:
        """The slider's own steps (what a reader's drag gives), and any value between them that
        ``check`` accepts (what an address may carry)."""
        from hypothesis import strategies as st

        between = (
            st.integers(int(self.min), int(self.max))
            if self.integer
            else st.floats(self.min, self.max, allow_nan=False)
        )
        return st.one_of(st.integers(0, self.steps()).map(self.on_step), between.map(self.check))

    def control_html(self, control_id: str, value: Any, value_width: Reserve = NO_RESERVE) -> str:
        track = (
            f'data-kind="slider" min="{self.min}" max="{self.max}" step="{self.step}" '
            f'value="{value}"'
        )
        return _slider_html(self, control_id, track, format_value(value, self.unit), value_width)

    def value_texts(self) -> list[str]:
        stride = self.steps() // MOST_VALUE_TEXTS + 1  # a fine slider: a spread, and its ends
        steps = [*range(0, self.steps(), stride), self.steps()]
        return [format_value(self.on_step(k), self.unit) for k in steps]


@dataclass(frozen=True)
class Stops(Param):
    """A slider that stops only at the listed ``values``, in increasing order: uneven steps, where
    most of what matters sits at one end of the range (2 to 256 bins, say, on a log scale). The
    range input moves by position, one value per position, so each part of the track, each arrow
    key and each drag of the number in a sentence has as much to show as any other."""

    name: str
    values: tuple[float, ...]
    default: float
    label: str
    unit: str = ""
    kind: ClassVar[str] = "stops"

    def __post_init__(self) -> None:
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in self.values)
        if len(self.values) < 2 or not numbers or list(self.values) != sorted(set(self.values)):
            raise ParamError(f"{self.name}: values must be two or more numbers in increasing order")
        self.check(self.default)

    def valid(self) -> str:
        return "one of " + ", ".join(_fmt(v) for v in self.values)

    def check(self, value: Any) -> float | int:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._invalid(value)
        if value not in self.values:
            raise self._invalid(value)
        return self.values[self.values.index(value)]

    def ends(self) -> tuple[Any, Any]:
        return self.values[0], self.values[-1]

    def grid(self, value: Any) -> list[Any]:
        """At most ``GRID`` of the values, evenly by position, with ``value`` and both ends: the
        ones the page's table holds (the slider snaps to them until Python is live)."""
        last = len(self.values) - 1
        if last < GRID:
            return list(self.values)
        at = {round(i * last / (GRID - 2)) for i in range(GRID - 1)} | {self.table_index(value)}
        return [self.values[i] for i in sorted(at)]

    def table_values(self, value: Any) -> list[Any]:
        return _first(value, self.grid(value))

    def table_index(self, value: Any) -> int:
        return self.values.index(value)

    def prose_text(self, value: Any) -> str:
        return format_value(value, self.unit)

    def strategy(self) -> Any:
        from hypothesis import strategies as st

        return st.sampled_from(self.values)

    def control_html(self, control_id: str, value: Any, value_width: Reserve = NO_RESERVE) -> str:
        stops = ",".join(_fmt(v) for v in self.values)
        shown = format_value(value, self.unit)
        track = (
            f'data-kind="stops" data-stops="{stops}" min="0" max="{len(self.values) - 1}" '
            f'step="1" value="{self.table_index(value)}" aria-valuetext="{escape(shown)}"'
        )
        return _slider_html(self, control_id, track, shown, value_width)

    def value_texts(self) -> list[str]:
        return [format_value(v, self.unit) for v in self.values]


@dataclass(frozen=True)
class Choice(Param):
    """One of a few named options, shown as a select box."""

    name: str
    choices: tuple[str, ...]
    default: str
    label: str
    unit: str = ""
    kind: ClassVar[str] = "choice"

    def valid(self) -> str:
        # A choice with a comma of its own is quoted, so that the list reads unambiguously.
        shown = [repr(c) if "," in c else c for c in self.choices]
        return "one of " + ", ".join(shown)

    def check(self, value: Any) -> str:
        if value not in self.choices:
            raise self._invalid(value)
        return value

    def ends(self) -> tuple[Any, Any]:
        return self.choices[0], self.choices[-1]

    def table_values(self, value: Any) -> list[Any]:
        return _first(value, self.choices)

    def table_index(self, value: Any) -> int:
        return self.choices.index(value)

    def strategy(self) -> Any:
        from hypothesis import strategies as st

        return st.sampled_from(self.choices)

    def control_html(self, control_id: str, value: Any, value_width: Reserve = NO_RESERVE) -> str:
        options = "".join(
            f'<option value="{escape(c)}"{" selected" if c == value else ""}>{escape(c)}</option>'
            for c in self.choices
        )
        return (
            f'<div class="vw-control vw-choice"><label for="{control_id}">{escape(self.label)}'
            f'</label><select id="{control_id}" name="{self.name}" data-kind="choice">'
            f"{options}</select></div>"
        )


@dataclass(frozen=True)
class Toggle(Param):
    """On or off, shown as a checkbox."""

    name: str
    default: bool
    label: str
    unit: str = ""
    kind: ClassVar[str] = "toggle"

    def valid(self) -> str:
        return "true or false"

    def check(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise self._invalid(value)
        return value

    def ends(self) -> tuple[Any, Any]:
        return False, True

    def table_values(self, value: Any) -> list[Any]:
        return _first(value, (False, True))

    def prose_text(self, value: Any) -> str:
        return "on" if value else "off"

    def table_index(self, value: Any) -> int:
        return int(value)

    def strategy(self) -> Any:
        from hypothesis import strategies as st

        return st.booleans()

    def control_html(self, control_id: str, value: Any, value_width: Reserve = NO_RESERVE) -> str:
        checked = " checked" if value else ""
        return (
            f'<div class="vw-control vw-toggle"><input type="checkbox" id="{control_id}" '
            f'name="{self.name}" data-kind="toggle"{checked}><label for="{control_id}">'
            f"{escape(self.label)}</label></div>"
        )


@dataclass(frozen=True)
class Seed(Param):
    """The seed of a ``numpy.random.Generator``; the reader's "new sample" button draws another."""

    name: str
    default: int
    label: str = "New sample"
    unit: str = ""
    kind: ClassVar[str] = "seed"

    def valid(self) -> str:
        return f"a whole number from 0 to {SEED_MAX}"

    def check(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= SEED_MAX:
            raise self._invalid(value)
        return value

    def ends(self) -> tuple[Any, Any]:
        return 0, SEED_MAX

    def other_value(self, value: Any) -> Any:
        return (value + 1) % (SEED_MAX + 1)

    def table_values(self, value: Any) -> list[Any]:
        """The figure's seed and ``SEEDS`` more, which the "new sample" button cycles through."""
        return [(value + SEED_STRIDE * i) % (SEED_MAX + 1) for i in range(SEEDS + 1)]

    def table_index(self, value: Any) -> int:
        return int(value)

    def prose_text(self, value: Any) -> str:
        return self.label

    def strategy(self) -> Any:
        from hypothesis import strategies as st

        return st.integers(0, SEED_MAX)

    def control_html(self, control_id: str, value: Any, value_width: Reserve = NO_RESERVE) -> str:
        return (
            f'<div class="vw-control vw-seed"><button type="button" id="{control_id}" '
            f'name="{self.name}" data-kind="seed" value="{value}">{escape(self.label)}'
            "</button></div>"
        )


KINDS: tuple[type[Param], ...] = (Slider, Stops, Choice, Toggle, Seed)


@dataclass(frozen=True)
class Value:
    """A value a widget computes that sentences can quote: ``{=figure.name}`` in a page shows its
    text, computed for the figure's values, and follows the reader's controls. Declared once in
    ``VALUES``, with its format: ``format`` is a Python format spec for numbers (``".3g"``,
    ``",d"``, ``".0%"``) and ``unit`` follows after a space; a word (``"left"``) is shown as it
    is. ``compute`` returns the raw values in ``scene(..., values={name: value})``."""

    name: str
    label: str  # what the value is, in a few words (for the guide and for errors)
    format: str = ".3g"
    unit: str = ""

    def text(self, value: Any) -> str:
        if isinstance(value, str):
            return true_minus(value)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParamError(f"value {self.name}: {value!r} is neither a number nor a word")
        if not math.isfinite(value):
            raise ParamError(f"value {self.name} is not finite ({value})")
        digits = re.fullmatch(r"\.(\d+)g", self.format)
        if digits:  # as "g" formats it, without its exponents: a sentence reads 1230, not 1.23e+03
            shown = significant(value, int(digits[1]))
        else:
            shown = format(int(value) if self.format.endswith("d") else value, self.format)
        return true_minus(f"{shown} {self.unit}".strip())


# A hyphen that negates a number: not after a letter, digit, point or closing bracket ("RT-2",
# "2023-07", "5-19", "f(x)-1" keep theirs), before a digit or a decimal point and a digit.
_NEGATING_HYPHEN = re.compile(r"(?<![\w.)\]])-(?=\.?\d)")


def true_minus(text: str) -> str:
    """``text`` with the minus sign (U+2212) where a hyphen negates a number, as typesetters set
    it and matplotlib sets its ticks: "-0.31" reads "−0.31", as wide as "+0.31"."""
    return _NEGATING_HYPHEN.sub("\u2212", text)


def significant(x: float, digits: int) -> str:
    """``x`` to ``digits`` significant figures as a reader writes it: Python's ``g`` format
    (its rounding, trailing zeros dropped), but never with an exponent (1230, not 1.23e+03;
    0.0000123, not 1.23e-05)."""
    shown = f"{x:.{digits}g}"
    return format(Decimal(shown), "f") if "e" in shown else shown


def value_texts(declared: Iterable[Value], values: Mapping[str, Any]) -> dict[str, str]:
    """Each declared value as its text; a value missing or undeclared is the widget's bug."""
    by_name = {v.name: v for v in declared}
    missing = [name for name in by_name if name not in values]
    extra = [name for name in values if name not in by_name]
    if missing or extra:
        problem = f"does not return {missing[0]!r}" if missing else f"returns {extra[0]!r}"
        known = ", ".join(by_name) or "(none)"
        raise ParamError(f"the scene {problem}; VALUES declares: {known}")
    return {name: by_name[name].text(values[name]) for name in by_name}


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


MOST_VALUE_TEXTS = 2000  # a slider's value texts weighed for the width its value keeps


def _slider_html(
    param: Param, control_id: str, track: str, shown: str, value_width: Reserve
) -> str:
    """A slider (or stops) control: its name with its value read right after the name's last
    word (or alone on the next line, always the same for a label: the value keeps the width
    ``value_width`` gives), over its range input, whose ``track`` attributes say its kind, range
    and position."""
    em, texts = value_width
    widest = escape(json.dumps(list(texts)))
    return (
        f'<div class="vw-control vw-slider"><span class="vw-slider-name"><label '
        f'for="{control_id}">{escape(param.label)}</label> <output for="{control_id}" '
        f'data-unit="{escape(param.unit)}" data-widest="{widest}"{_min_width(em)}>'
        f"{escape(shown)}</output></span>"
        f'<input type="range" id="{control_id}" name="{param.name}" {track}></div>'
    )


def _min_width(em: float) -> str:
    """The style attribute keeping ``em`` for a control's value, so that a wider value moves
    nothing on its line (none for 0)."""
    return f' style="min-width:{em}em"' if em else ""


ATTACHED_UNITS = ("%", "°")  # written against their number, "50%"; every other unit after a space


def with_unit(number: str, unit: str) -> str:
    """``number`` and its ``unit`` as a reader writes them ("50%", "0.5 m/s"), with a true minus
    (controls.js' valueText writes the same)."""
    space = "" if unit in ATTACHED_UNITS else " "
    return true_minus(f"{number}{space}{unit}" if unit else number)


def format_value(value: Any, unit: str) -> str:
    """As the runtime shows a slider's value: ``String(Number(v))`` and unit."""
    if float(value).is_integer():
        value = int(value)
    return with_unit(str(value), unit)


def defaults(params: Iterable[Param]) -> dict[str, Any]:
    return {p.name: p.default for p in params}


def resolve(params: Iterable[Param], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """The full parameter dict: defaults, then each override checked against its declaration."""
    by_name = {p.name: p for p in params}
    unknown = [k for k in overrides if k not in by_name]
    if unknown:
        known = ", ".join(by_name) or "(none)"
        raise ParamError(f"unknown parameter {unknown[0]!r}; known: {known}")
    values = defaults(by_name.values())
    for key, value in overrides.items():
        values[key] = by_name[key].check(value)
    return values
