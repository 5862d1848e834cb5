"""Time-based one-time codes (RFC 6238) with pyotp, and their QR code as inline SVG."""

from __future__ import annotations

import datetime
import hmac
import io

import pyotp
import segno
from django.utils import timezone

ISSUER = "Opstap"
STEP_SECONDS = 30


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(*, secret: str, account: str, centre_name: str = "") -> str:
    issuer = f"{ISSUER} {centre_name}".strip() if centre_name else ISSUER
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The QR code of `uri` as an <svg> element, drawn on the server (no external service)."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(
        out,
        kind="svg",
        scale=5,
        border=2,
        xmldecl=False,
        svgns=True,
        nl=False,
        title="QR code",
        svgclass="qr",
    )
    return out.getvalue().decode()


def matching_step(*, secret: str, code: str, after_step: int | None = None) -> int | None:
    """The time step whose code equals `code` (now, or one step either side), else None.

    Steps at or before `after_step` are refused so an accepted code cannot be used again.
    """
    code = "".join(code.split())
    if not secret or not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = timezone.now()
    for offset in (0, -1, 1):
        at = now + datetime.timedelta(seconds=offset * STEP_SECONDS)
        step = totp.timecode(at)
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(totp.at(at), code):
            return step
    return None
