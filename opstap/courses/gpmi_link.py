"""Carrying a step plan into the client's GPMI, when the GPMI app offers a way to add steps."""

from __future__ import annotations


def _adder():
    try:
        from opstap.gpmi import services
    except ImportError:  # pragma: no cover - the GPMI app is always installed
        return None
    return getattr(services, "steps_add_to_active", None)


def available() -> bool:
    return _adder() is not None


def carry_steps(*, actor, enrolment) -> int:  # pragma: no cover - see available()
    raise NotImplementedError
