"""The HTML report of a comparison (the page of ``grid2gpu compare --html``)."""

from __future__ import annotations

from grid2gpu import _core


def html(comparison: _core.CompareResult) -> str:
    """The report page of `comparison` (from grid2gpu.compare) as HTML text. Raises
    InvalidInput when this build has no report layer (``_core.has_report``)."""
    return _core.report_html(comparison)
