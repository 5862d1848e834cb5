"""The organisation of a partner account, chosen on the administrator's user form.

Registered with opstap.accounts.user_links in NetworkConfig.ready(), so the accounts app needs
no import of the network app.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from opstap.accounts.roles import Role
from opstap.accounts.user_links import UserLink
from opstap.core.choices import ListChoiceField

from .models import Organisation, PartnerContact
from .services import partner_contact_remove, partner_contact_set


def organisation_field(centre) -> ListChoiceField:
    return ListChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(centre=centre).order_by("name", "id"),
        required=False,
        empty_label=_("None"),
        help_text=_(
            "For a partner account: the one organisation whose places and referrals it sees "
            "in the partner portal."
        ),
    )


def organisation_of(user) -> Organisation | None:
    contact = PartnerContact.objects.select_related("organisation").filter(user=user).first()
    return contact.organisation if contact else None


def organisation_save(*, actor, user, value: Organisation | None) -> None:
    if value is None:
        partner_contact_remove(actor=actor, user=user)
    else:
        partner_contact_set(actor=actor, user=user, organisation=value)


ORGANISATION_LINK = UserLink(
    name="organisation",
    roles=frozenset({Role.PARTNER}),
    field=organisation_field,
    initial=organisation_of,
    save=organisation_save,
    missing=_("This partner account is not linked to an organisation yet: choose it below."),
)
