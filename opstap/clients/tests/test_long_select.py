"""The worker selects of the care team and trajectory forms are written out in Python (a large
centre has hundreds of workers): the same options, escaped, the choice kept after an error."""

import re

from django import forms
from django.urls import reverse

from opstap.clients.forms import LongSelect
from opstap.factories import UserFactory


def _options(html):
    return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)


class _Form(forms.Form):
    plain = forms.ChoiceField(choices=[("", "---"), ("1", "A & B"), ("2", "<i>")])
    long = forms.ChoiceField(
        choices=[("", "---"), ("1", "A & B"), ("2", "<i>")], widget=LongSelect()
    )


def test_long_select_gives_the_options_of_a_plain_select():
    for data in ({"plain": "2", "long": "2"}, {"plain": "9", "long": "9"}, None):
        form = _Form(data)
        form.is_valid()
        plain, long = str(form["plain"]), str(form["long"])
        assert _options(plain) == _options(long)
        assert "&lt;i&gt;" in long and "<i>" not in long
        assert 'name="long"' in long and 'id="id_long"' in long
    assert ("2", " selected", "&lt;i&gt;") in _options(str(_Form({"long": "2"})["long"]))


def test_care_team_lists_the_centre_workers_and_keeps_the_choice(
    client, centre, alice, client_record, django_assert_max_num_queries
):
    others = UserFactory.create_batch(30, centre=centre)
    partner = UserFactory(centre=centre, role_list=["partner"])
    client.force_login(alice)
    url = reverse("clients:care-team", args=[client_record.pk])
    with django_assert_max_num_queries(25):
        page = client.get(url).content.decode()
    values = {value for value, _sel, _label in _options(page)}
    assert {str(u.pk) for u in others} <= values
    assert str(partner.pk) not in values
    response = client.post(url, {"user": str(others[3].pk), "role": "", "start_date": ""})
    assert response.status_code == 200
    assert (str(others[3].pk), " selected", str(others[3])) in _options(response.content.decode())


def test_trajectory_form_lists_workers_with_the_user_chosen(client, centre, alice, client_record):
    UserFactory.create_batch(20, centre=centre, role_list=["counsellor"])
    client.force_login(alice)
    page = client.get(reverse("trajectories:list", args=[client_record.pk])).content.decode()
    options = _options(page[page.index('name="responsible"') :])
    assert (str(alice.pk), " selected", str(alice)) in options
    assert len([o for o in options if o[0]]) >= 21


def test_worker_choices_are_labelled_as_the_user_is_named(centre, alice):
    """The worker select reads four columns per worker; its labels are still str(user)."""
    from opstap.clients.forms import CareMemberForm

    nameless = UserFactory(centre=centre, first_name="", last_name="", username="jdoe")
    odd = UserFactory(centre=centre, first_name="Zoë <b>", last_name="D'Hondt & Co")
    html = str(CareMemberForm(centre=centre)["user"])
    options = {value: label for value, _sel, label in _options(html)}
    assert options[str(nameless.pk)] == "jdoe"
    assert options[str(odd.pk)] == "Zoë &lt;b&gt; D&#x27;Hondt &amp; Co"
    assert options[str(alice.pk)] == str(alice)
    assert options[""] == "---------"
