"""The month's premiums as a SEPA credit transfer file (ISO 20022 pain.001.001.03)."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import HoursStatus
from .reports import allowance_amounts, allowance_records
from .selectors import settings_for

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"


@dataclass(frozen=True)
class Transfer:
    end_to_end_id: str
    name: str
    iban: str
    amount: Decimal
    remittance: str


def sepa_text(value: str, length: int) -> str:
    """The SEPA (Latin) character set: accents dropped, other characters become spaces."""
    plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9/\-?:().,'+ ]", " ", plain)
    return re.sub(r"\s+", " ", plain).strip()[:length] or "-"


def transfers_for_month(centre, month: datetime.date) -> list[Transfer]:
    """One transfer per client: the sum of their approved premiums and allowances.
    Refused (with every problem named) when hours are not approved or an IBAN is missing."""
    rate = Decimal(centre.hourly_premium_eur)
    per_client: dict[int, list] = {}
    problems = []
    for record in allowance_records(centre, None, month):
        client = record.placement.client
        if record.status != HoursStatus.APPROVED:
            problems.append(
                _("%(client)s (%(ref)s): the hours are not approved yet.")
                % {"client": client.full_name, "ref": record.placement.ref}
            )
        if not hasattr(client, "payment"):
            problems.append(_("%(client)s: no IBAN recorded.") % {"client": client.full_name})
        per_client.setdefault(client.pk, []).append(record)
    if problems:
        raise ValidationError(sorted(set(problems)))
    transfers = []
    for records in per_client.values():
        client = records[0].placement.client
        amount = sum((allowance_amounts(r, rate)["total"] for r in records), Decimal("0"))
        if amount <= 0:
            continue
        transfers.append(
            Transfer(
                end_to_end_id=sepa_text(f"{client.ref}-{month:%Y%m}", 35),
                name=sepa_text(client.payment.account_holder or client.full_name, 70),
                iban=client.payment.iban,
                amount=amount,
                remittance=sepa_text(
                    _("Encouragement premium %(month)s") % {"month": f"{month:%m/%Y}"}, 140
                ),
            )
        )
    return transfers


def _el(tag: str, text) -> str:
    return f"<{tag}>{escape(str(text))}</{tag}>"


def credit_transfer_xml(
    centre, month: datetime.date, *, execution_date: datetime.date | None = None, now=None
) -> bytes:
    """The pain.001.001.03 document for the month, ready for the centre's bank."""
    settings = settings_for(centre)
    missing = [
        label
        for label, value in (
            (_("account holder (centre)"), settings.debtor_name),
            (_("centre's IBAN"), settings.debtor_iban),
        )
        if not value
    ]
    if missing:
        raise ValidationError(
            _("Fill in the centre's bank details first: %(fields)s.")
            % {"fields": ", ".join(missing)}
        )
    transfers = transfers_for_month(centre, month)
    if not transfers:
        raise ValidationError(_("There is nothing to pay for this month."))
    now = timezone.localtime(now or timezone.now()).replace(microsecond=0, tzinfo=None)
    execution_date = execution_date or datetime.date.today()
    total = sum((t.amount for t in transfers), Decimal("0"))
    msg_id = sepa_text(f"OPSTAP-{centre.code}-{month:%Y%m}-{now:%Y%m%d%H%M%S}", 35)
    debtor = sepa_text(settings.debtor_name, 70)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<Document xmlns="{NAMESPACE}">',
        "<CstmrCdtTrfInitn>",
        "<GrpHdr>",
        _el("MsgId", msg_id),
        _el("CreDtTm", now.isoformat()),
        _el("NbOfTxs", len(transfers)),
        _el("CtrlSum", f"{total:.2f}"),
        f"<InitgPty>{_el('Nm', debtor)}</InitgPty>",
        "</GrpHdr>",
        "<PmtInf>",
        _el("PmtInfId", sepa_text(f"PREMIUM-{month:%Y%m}", 35)),
        _el("PmtMtd", "TRF"),
        _el("BtchBookg", "true"),
        _el("NbOfTxs", len(transfers)),
        _el("CtrlSum", f"{total:.2f}"),
        f"<PmtTpInf><SvcLvl>{_el('Cd', 'SEPA')}</SvcLvl></PmtTpInf>",
        _el("ReqdExctnDt", execution_date.isoformat()),
        f"<Dbtr>{_el('Nm', debtor)}</Dbtr>",
        f"<DbtrAcct><Id>{_el('IBAN', settings.debtor_iban)}</Id></DbtrAcct>",
    ]
    if settings.debtor_bic:
        parts.append(
            f"<DbtrAgt><FinInstnId>{_el('BIC', settings.debtor_bic)}</FinInstnId></DbtrAgt>"
        )
    else:  # IBAN-only: "NOTPROVIDED" as the EPC implementation guidelines allow
        parts.append(
            "<DbtrAgt><FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></DbtrAgt>"
        )
    parts.append(_el("ChrgBr", "SLEV"))
    for t in transfers:
        parts += [
            "<CdtTrfTxInf>",
            f"<PmtId>{_el('EndToEndId', t.end_to_end_id)}</PmtId>",
            f'<Amt><InstdAmt Ccy="EUR">{t.amount:.2f}</InstdAmt></Amt>',
            f"<Cdtr>{_el('Nm', t.name)}</Cdtr>",
            f"<CdtrAcct><Id>{_el('IBAN', t.iban)}</Id></CdtrAcct>",
            f"<RmtInf>{_el('Ustrd', t.remittance)}</RmtInf>",
            "</CdtTrfTxInf>",
        ]
    parts += ["</PmtInf>", "</CstmrCdtTrfInitn>", "</Document>"]
    return "\n".join(parts).encode("utf-8")
