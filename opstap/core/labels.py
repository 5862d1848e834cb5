"""Catalogue texts in the three UI languages (Dutch, French and English).

A catalogue entry a centre maintains (a life domain, a barrier, a support offer, ...) keeps one
text per language: `<field>_nl` (required), `<field>_fr` and `<field>_en` (optional). The
property `<field>` gives the text of the active language and falls back to Dutch; the entry
shows as that text.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LABEL_NAMES = (_("label (Dutch)"), _("label (French)"), _("label (English)"))


def in_language(obj, field: str, language: str | None = None) -> str:
    """The value of `<field>_<language>` (default: the active language), else the Dutch one."""
    lang = (language or get_language() or "nl")[:2]
    return getattr(obj, f"{field}_{lang}", "") or getattr(obj, f"{field}_nl", "")


def labelled(*, max_length: int, verbose_names=LABEL_NAMES) -> type[models.Model]:
    """An abstract base model with `label_nl`, `label_fr` and `label_en` of `max_length`.

    The length differs per catalogue, hence a function; `verbose_names` are those of the Dutch,
    French and English fields.
    """
    nl, fr, en = verbose_names

    class Labelled(models.Model):
        label_nl = models.CharField(nl, max_length=max_length)
        label_fr = models.CharField(fr, max_length=max_length, blank=True)
        label_en = models.CharField(en, max_length=max_length, blank=True)

        class Meta:
            abstract = True

        def __str__(self) -> str:
            return self.label

        def label_in(self, language: str | None) -> str:
            return in_language(self, "label", language)

        @property
        def label(self) -> str:
            return self.label_in(get_language())

    return Labelled


class NamedModel(models.Model):
    """An abstract base model with `name_nl`, `name_fr` and `name_en`."""

    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, falling back to Dutch."""
        return in_language(self, "name")


class TitledModel(models.Model):
    """An abstract base model with `title_nl`, `title_fr` and `title_en`."""

    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """The title in the active language, falling back to Dutch."""
        return in_language(self, "title")
