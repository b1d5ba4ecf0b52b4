"""Thermal paper widths, and the python-escpos printer profile that matches the paper."""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from typing import Any

from escpos.capabilities import Profile, get_profile_class

DEFAULT_PROFILE = "default"


class UnknownProfile(ValueError):
    """A printer profile name that python-escpos does not know."""


@dataclass(frozen=True)
class Paper:
    """A paper roll and what fits on it at font A (12 x 24 dots per character)."""

    width_mm: int
    dots: int
    columns: int
    number_scale: int
    qr_dots: int
    profile: str = DEFAULT_PROFILE


PAPER_58 = Paper(width_mm=58, dots=384, columns=32, number_scale=4, qr_dots=288)
PAPER_80 = Paper(width_mm=80, dots=576, columns=48, number_scale=5, qr_dots=352)
PAPER_WIDTHS = {58: PAPER_58, 80: PAPER_80}


def ticket_paper(width_mm: int = 80, profile: str = DEFAULT_PROFILE) -> Paper:
    """Return the 58 or 80 mm paper, narrowed to what the named printer profile can print."""
    if width_mm not in PAPER_WIDTHS:
        raise ValueError(f"paper width must be 58 or 80 mm, not {width_mm}")
    paper = replace(PAPER_WIDTHS[width_mm], profile=profile)
    media = _profile_data(profile).get("media", {}).get("width", {})
    if not isinstance(media.get("pixels"), int):
        return paper
    dots = min(paper.dots, media["pixels"])
    columns = min(paper.columns, dots // 12)
    return replace(paper, dots=dots, columns=columns, qr_dots=min(paper.qr_dots, dots))


class PaperProfile(Profile):  # type: ignore[misc]  # python-escpos builds its profile classes at run time
    """A python-escpos profile whose media width is the paper's, so images centre on the paper."""

    def __init__(self, paper: Paper) -> None:
        data = copy.deepcopy(_profile_data(paper.profile))
        data["media"] = {
            **data.get("media", {}),
            "width": {"mm": paper.width_mm, "pixels": paper.dots},
        }
        # Profile.__init__ would replace the named profile's features (paper cut, ...) with none.
        self.profile_data = data
        self.columns = None


def printer_profile(paper: Paper) -> PaperProfile:
    """Return the printer profile to build a python-escpos printer with for this paper."""
    return PaperProfile(paper)


def _profile_data(name: str) -> dict[str, Any]:
    """Return python-escpos's capabilities for a profile name such as `TM-T88V` or `default`."""
    try:
        data: dict[str, Any] = get_profile_class(name).profile_data
    except KeyError:
        raise UnknownProfile(
            f"unknown printer profile {name!r}; use one of python-escpos's profiles, "
            "e.g. default, TM-T88V, TM-T20II, POS-5890, RP-F10-80mm"
        ) from None
    return data
