"""The exceptions grid2gpu raises, each with the fields of its C++ error.

Every error of the library is a :class:`Grid2gpuError`; the C++ module translates each
``g2g::Error`` to one of these (python/src/bind_errors.cpp), never to a bare RuntimeError.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in an input: where it is and how to fix it.

    ``line`` and ``column`` are 1-based (0: unknown); ``path`` is the place in the document
    tree of a JSON model (``components[12].length``), empty for YAML.
    """

    severity: str
    file: str
    line: int
    column: int
    path: str
    message: str
    fix: str

    def __str__(self) -> str:
        place = self.file or "<input>"
        if self.line > 0:
            place += f":{self.line}" + (f":{self.column}" if self.column > 0 else "")
        if self.path:
            place += f" ({self.path})"
        text = f"{place}: {self.severity}: {self.message}"
        return text + (f" (fix: {self.fix})" if self.fix else "")


class Grid2gpuError(Exception):
    """Base of every grid2gpu error. ``str(error)`` is the C++ message with its fix."""


class ModelError(Grid2gpuError):
    """An input that is not a valid model; ``diagnostics`` holds every problem found."""

    def __init__(self, message: str, diagnostics: List[Diagnostic]) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics


class NonConvergenceError(Grid2gpuError):
    """No operating point: beyond maximum loadability, or diverging."""

    def __init__(
        self, message: str, worst_bus_id: str, iterations: int, max_mismatch_pu: float
    ) -> None:
        super().__init__(message)
        self.worst_bus_id = worst_bus_id
        self.iterations = iterations
        self.max_mismatch_pu = max_mismatch_pu


class IntegrationError(Grid2gpuError):
    """The time-domain integration failed (IDA): the SUNDIALS function, IDA's flag and its name
    (e.g. "IDA_CONV_FAIL") and IDA's own message; the message holds the diagnostics at the
    failing point (largest residuals, empty rows, zero diagonals)."""

    def __init__(self, message: str, function: str = "", flag: int = 0, flag_name: str = "",
                 sundials_message: str = "") -> None:
        super().__init__(message)
        self.function = function
        self.flag = flag
        self.flag_name = flag_name
        self.sundials_message = sundials_message


class FileError(Grid2gpuError):
    """A file that cannot be read or written: its path, the operation and the system's reason."""

    def __init__(self, message: str, path: str, operation: str, reason: str) -> None:
        super().__init__(message)
        self.path = path
        self.operation = operation
        self.reason = reason


class DesignError(Grid2gpuError):
    """A converter design that cannot be evaluated: the design, the field at fault, the fix."""

    def __init__(self, message: str, design: str, field: str, fix: str) -> None:
        super().__init__(message)
        self.design = design
        self.field = field
        self.fix = fix


class InvalidInput(Grid2gpuError):
    """A value outside what is accepted; ``subject`` names the option, field or argument."""

    def __init__(self, message: str, subject: str, fix: str = "") -> None:
        super().__init__(message)
        self.subject = subject
        self.fix = fix


class SizingOptionsError(InvalidInput):
    """A sizing option outside the tables or the method: the option and the value given."""

    def __init__(self, message: str, option: str, value: str, fix: str = "") -> None:
        super().__init__(message, option, fix)
        self.option = option
        self.value = value


class InternalError(Grid2gpuError):
    """A broken invariant inside grid2gpu: a bug to report."""
