"""Catalogue texts in the active language, with their fallbacks (opstap.core.labels)."""

from django.utils import translation

from opstap.balance.models import InstrumentTemplate, Question
from opstap.core.labels import in_language
from opstap.gpmi.models import LifeDomain
from opstap.network.models import SupportOffer
from opstap.trajectories.models import TrajectoryType


def test_the_label_follows_the_active_language_and_falls_back_to_dutch():
    domain = LifeDomain(code="work", label_nl="Werk", label_fr="Travail", label_en="")
    with translation.override("fr"):
        assert domain.label == "Travail" and str(domain) == "Travail"
    with translation.override("en"):
        assert domain.label == "Werk"
    assert domain.label_in("fr-be") == "Travail"


def test_names_and_titles_follow_the_active_language():
    offer = SupportOffer(name_nl="Budgetbeheer", name_fr="Gestion budgétaire")
    template = InstrumentTemplate(title_nl="Intake", title_en="Intake interview", version=2)
    with translation.override("fr"):
        assert offer.name == "Gestion budgétaire" and str(offer) == "Gestion budgétaire"
        assert template.title == "Intake"
    with translation.override("en"):
        assert offer.name == "Budgetbeheer"
        assert str(template) == "Intake interview (v2)"


def test_trajectory_types_fall_back_to_dutch_and_then_to_the_code():
    with_label = TrajectoryType(code="taal", label_nl="Taaltraject", label_fr="Trajet langue")
    without = TrajectoryType(code="taal")
    assert with_label.label_in(None) == "Taaltraject"
    assert with_label.label_in("fr") == "Trajet langue"
    with translation.override("en"):
        assert with_label.label == "Taaltraject" and without.label == "taal"


def test_field_definitions_are_kept_per_model():
    question = Question._meta.get_field("label_nl")
    assert question.max_length == 300 and str(question.verbose_name) == "question (Dutch)"
    assert LifeDomain._meta.get_field("label_fr").max_length == 120
    assert LifeDomain._meta.get_field("label_fr").blank
    assert not LifeDomain._meta.get_field("label_nl").blank


def test_in_language_reads_any_trilingual_field():
    class Text:
        goal_nl, goal_fr = "Doel", ""

    assert in_language(Text(), "goal", "fr") == "Doel"
