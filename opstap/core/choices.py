"""Choice fields over short lists of rows (offices, types, organisations, teams).

Django reads the options of a ModelChoiceField with `queryset.iterator()`, which on
PostgreSQL opens a server-side cursor: DECLARE, FETCH and CLOSE, three round trips and a cursor
held past the statement, to list a few dozen rows on every form that shows the select. These
fields read their options with one plain query instead. Same options, same HTML.
"""

from django import forms
from django.forms.models import ModelChoiceIterator


class ListedChoices(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        listed = getattr(self.field, "listed", None)
        for obj in listed() if listed is not None else self.queryset.all():
            yield self.choice(obj)


class ListChoiceField(forms.ModelChoiceField):
    """`field.listed`, when set, gives the options' rows in place of the queryset (a prepared
    read of the same rows); the queryset still validates the choice."""

    iterator = ListedChoices
    listed = None


class ListMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = ListedChoices
