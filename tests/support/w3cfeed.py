"""The W3C Feed Validation Service's own validator (github.com/w3c/feedvalidator), run offline on presskit's feeds.

It is not on PyPI: a copy lives in ../shared/tools/feedvalidator, next to the repository (CI has it). A test
that needs it is skipped, with that reason, where it is absent. It needs lxml, html5lib and rdflib (the
`test` extra).
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass

import pytest

from support.readers import REPO

FEEDVALIDATOR = REPO.parent / "shared" / "tools" / "feedvalidator"
# What the validator says of correct feeds that presskit cannot avoid: two releases of one day (a
# release and its translation) have the same atom:updated.
ACCEPTED_WARNINGS = ("Two entries with the same value for atom:updated",)


@dataclass(frozen=True)
class Report:
    errors: list[str]
    warnings: list[str]  # the ones not in ACCEPTED_WARNINGS


def validate(data: bytes, location: str) -> Report:
    """What validator.w3.org/feed reports for a feed served at `location` (an ASCII URL): errors and warnings."""
    if not (FEEDVALIDATOR / "feedvalidator" / "__init__.py").is_file():
        pytest.skip(f"the W3C feed validator is not at {FEEDVALIDATOR} (../shared/tools/feedvalidator, present in CI)")
    if str(FEEDVALIDATOR) not in sys.path:
        sys.path.insert(0, str(FEEDVALIDATOR))
    import feedvalidator
    from feedvalidator import compatibility, logging
    from feedvalidator.formatter.text_plain import Formatter

    events = feedvalidator.validateStream(io.BytesIO(data), firstOccurrenceOnly=1, base=location)["loggedEvents"]
    events = compatibility.AA(events)  # what the web service shows: the "Valid..." events dropped
    errors = [Formatter([e])[0] for e in events if isinstance(e, logging.Error)]
    warnings = [Formatter([e])[0] for e in events if not isinstance(e, logging.Error)]
    return Report(errors, [w for w in warnings if not any(accepted in w for accepted in ACCEPTED_WARNINGS)])
