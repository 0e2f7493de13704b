"""Parameters, declared once as data.

A widget lists its controls in ``PARAMS``. That one declaration builds the HTML control, checks the
Markdown's overrides and the URL's values, seeds the build-time figure and bounds the fuzz tests.
Standard library only: this module also runs in the reader's browser.
"""

from dataclasses import dataclass
import math


class ParamError(ValueError):
    """A parameter value that the declaration does not allow; the message names both."""


@dataclass(frozen=True)
class Slider:
    """A number between ``min`` and ``max``; whole numbers when ``step`` and both ends are whole."""

    name: str
    min: float
    max: float
    step: float
    default: float
    label: str
    unit: str = ""
    kind = "slider"

    @property
    def integer(self):
        return all(float(v).is_integer() for v in (self.min, self.max, self.step))

    def valid(self):
        noun = "a whole number" if self.integer else "a number"
        return f"{noun} from {_fmt(self.min)} to {_fmt(self.max)}"

    def check(self, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParamError(f"invalid {self.name}: {value!r} (expected {self.valid()})")
        if not math.isfinite(value) or not self.min <= value <= self.max:
            raise ParamError(f"invalid {self.name}: {value!r} (expected {self.valid()})")
        if self.integer:
            if not float(value).is_integer():
                raise ParamError(f"invalid {self.name}: {value!r} (expected {self.valid()})")
            return int(value)
        return float(value)


@dataclass(frozen=True)
class Choice:
    """One of a few named options, shown as a select box."""

    name: str
    choices: tuple
    default: str
    label: str
    unit: str = ""
    kind = "choice"

    def valid(self):
        return "one of " + ", ".join(self.choices)

    def check(self, value):
        if value not in self.choices:
            raise ParamError(f"invalid {self.name}: {value!r} (expected {self.valid()})")
        return value


@dataclass(frozen=True)
class Toggle:
    """On or off, shown as a checkbox."""

    name: str
    default: bool
    label: str
    unit: str = ""
    kind = "toggle"

    def valid(self):
        return "true or false"

    def check(self, value):
        if not isinstance(value, bool):
            raise ParamError(f"invalid {self.name}: {value!r} (expected {self.valid()})")
        return value


SEED_MAX = 2**31 - 1


@dataclass(frozen=True)
class Seed:
    """The seed of a ``numpy.random.Generator``; the reader's "new sample" button draws another."""

    name: str
    default: int
    label: str = "New sample"
    unit: str = ""
    kind = "seed"

    def valid(self):
        return f"a whole number from 0 to {SEED_MAX}"

    def check(self, value):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= SEED_MAX:
            raise ParamError(f"invalid {self.name}: {value!r} (expected {self.valid()})")
        return value


def _fmt(x):
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def defaults(params):
    return {p.name: p.default for p in params}


def resolve(params, overrides):
    """The full parameter dict: defaults, then each override checked against its declaration."""
    by_name = {p.name: p for p in params}
    unknown = [k for k in overrides if k not in by_name]
    if unknown:
        known = ", ".join(by_name) or "(none)"
        raise ParamError(f"unknown parameter {unknown[0]!r}; known: {known}")
    values = defaults(params)
    for key, value in overrides.items():
        values[key] = by_name[key].check(value)
    return values
