"""The partner portal's referral rows written in Python are the HTML the templates wrote."""

import datetime
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from opstap.factories import ClientFactory
from opstap.network.models import REFERRAL_ANSWER_DAYS, Referral, ReferralStatus
from opstap.network.rows import earlier_referral_item_html, partner_referral_row_html

pytestmark = pytest.mark.django_db

# The row loops as network/_partner_referral_table.html and network/partner_home.html wrote
# them before they moved to opstap/network/rows.py. They include the status badge and form
# templates the other referral pages still use, so a change there shows here too.
HERE = Path(__file__).parent
ROWS = Template((HERE / "partner_referral_rows_reference.html").read_text())
EARLIER = Template((HERE / "earlier_referrals_reference.html").read_text())
TODAY = datetime.date.today()
LONG_REASON = " ".join(f"word{n}" for n in range(30)) + " <b>& 'quoted'</b>"


@pytest.fixture
def referrals(centre, alice, organisation, place, offer):
    clients = [
        ClientFactory(centre=centre, first_name="Ève", last_name="D'Hondt & <Co>"),
        ClientFactory(centre=centre),
    ]
    made = []
    shapes = [
        # status, days ago, shares the name, place, offer, reason
        (ReferralStatus.REQUESTED, 2, True, place, None, "Fietsen <herstellen>"),
        (ReferralStatus.REQUESTED, REFERRAL_ANSWER_DAYS, False, None, offer, LONG_REASON),
        (ReferralStatus.REQUESTED, REFERRAL_ANSWER_DAYS + 30, True, None, None, "—"),
        (ReferralStatus.ACCEPTED, 40, True, place, None, "Start in maart"),
        (ReferralStatus.STARTED, 90, False, place, offer, LONG_REASON),
        (ReferralStatus.REFUSED, 120, True, None, offer, "Geen plaats"),
        (ReferralStatus.ENDED, 400, False, place, None, "Afgerond"),
        (ReferralStatus.ENDED, 500, True, None, None, "Afgerond & 'klaar'"),
    ]
    for n, (status, days, name, to_place, to_offer, reason) in enumerate(shapes):
        made.append(
            Referral.objects.create(
                centre=centre,
                client=clients[n % 2],
                organisation=organisation,
                place=to_place,
                offer=to_offer,
                referred_by=alice,
                reason=reason,
                referred_on=TODAY - datetime.timedelta(days=days),
                shared_info=["name", "phone"] if name else ["phone"],
                status=status,
            )
        )
    return list(
        Referral.objects.filter(pk__in=[r.pk for r in made])
        .select_related("client", "offer", "place")
        .order_by("pk")
    )


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize("answer", [True, False])
def test_same_rows_as_the_referral_table_template(referrals, language, answer):
    request = RequestFactory().get("/network/partner/?running=2&page=3")
    token = "tok'en&<x>"
    with translation.override(language):
        context = Context(
            {"referrals": referrals, "answer": answer, "csrf_token": token, "request": request}
        )
        expected = ROWS.render(context)
        rows = "".join(
            partner_referral_row_html(
                r, answer=answer, csrf_token=token, next_path=request.get_full_path()
            )
            for r in referrals
        )
    assert rows == expected
    assert ("status-form" in rows) == answer
    assert "D&#x27;Hondt &amp; &lt;Co&gt;" in rows and "&lt;herstellen&gt;" in rows
    assert "word24 …" in rows and "word25" not in rows


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_same_items_as_the_earlier_referrals_template(referrals, language):
    with translation.override(language):
        expected = EARLIER.render(Context({"closed_referrals": referrals}))
        items = "".join(earlier_referral_item_html(r) for r in referrals)
    assert items == expected
    assert items.count("<li>") == len(referrals)


def test_the_portal_shows_the_rows(client, pete, pete_contact, referrals):
    client.force_login(pete)
    html = client.get("/network/partner/").content.decode()
    waiting = [r for r in referrals if r.status == ReferralStatus.REQUESTED]
    earlier = [r for r in referrals if r.status in (ReferralStatus.ENDED, ReferralStatus.REFUSED)]
    for r in waiting:
        row = partner_referral_row_html(r, answer=True, csrf_token="", next_path="/")
        start = row.split('<form method="post"')[0]
        assert start in html
    for r in earlier:
        assert earlier_referral_item_html(r) in html
    assert html.count('class="status-form"') == len(waiting)
    assert 'name="next" value="/network/partner/"' in html
