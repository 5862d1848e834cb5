"""The default catalogues of spec/interchange.md, created for a centre when it has none."""

from __future__ import annotations

# code, Dutch, French, English, rung, counts as activation
DEFAULT_TYPES = [
    (
        "instap",
        "Instaptraject / nieuwe aanvraag",
        "Trajet d'accueil / nouvelle demande",
        "Intake trajectory / new request",
        None,
        False,
    ),
    (
        "welzijn",
        "Welzijnstraject / hulpverlening",
        "Trajet bien-être / aide sociale",
        "Welfare trajectory / help and care",
        "zorg",
        True,
    ),
    (
        "taal",
        "Taaltraject / taalactivering",
        "Trajet linguistique / activation linguistique",
        "Language trajectory / language activation",
        "taal",
        True,
    ),
    (
        "sociale_activering",
        "Sociale activering",
        "Activation sociale",
        "Social activation",
        "sociaal",
        True,
    ),
    (
        "activering",
        "Activeringstraject / arbeidsactivering",
        "Trajet d'activation / activation professionnelle",
        "Activation trajectory / work activation",
        "arbeid",
        True,
    ),
    (
        "extern",
        "Activering via externe partner",
        "Activation via un partenaire externe",
        "Activation through an external partner",
        "arbeid",
        True,
    ),
    (
        "studie",
        "Studietraject / studenten",
        "Trajet d'études / étudiants",
        "Study trajectory / students",
        None,
        True,
    ),
    ("werk", "Arbeid / nazorg", "Emploi / suivi", "Work and aftercare", "werk", True),
]

DEFAULT_OUTCOMES = [
    ("work", "Werk", "Emploi", "Work"),
    ("training", "Opleiding", "Formation", "Training"),
    ("other_trajectory", "Ander traject", "Autre trajet", "Another trajectory"),
    ("dropout", "Afgehaakt", "Abandon", "Dropped out"),
    ("moved", "Verhuisd", "Déménagement", "Moved away"),
    ("ended_right", "Einde recht", "Fin du droit", "Income right ended"),
    ("other", "Andere", "Autre", "Other"),
]


def ensure_default_catalogue(centre, *, type_model=None, outcome_model=None) -> None:
    """Give a centre the default trajectory types and outcomes when it has none yet.

    The models can be passed in so a data migration can use its historical models.
    """
    if type_model is None or outcome_model is None:
        from .models import TrajectoryOutcome, TrajectoryType

        type_model, outcome_model = TrajectoryType, TrajectoryOutcome
    if not type_model.objects.filter(centre_id=centre.pk).exists():
        type_model.objects.bulk_create(
            type_model(
                centre_id=centre.pk,
                code=code,
                label_nl=nl,
                label_fr=fr,
                label_en=en,
                rung=rung,
                counts_as_activation=activation,
                position=(index + 1) * 10,
            )
            for index, (code, nl, fr, en, rung, activation) in enumerate(DEFAULT_TYPES)
        )
    if not outcome_model.objects.filter(centre_id=centre.pk).exists():
        outcome_model.objects.bulk_create(
            outcome_model(
                centre_id=centre.pk,
                code=code,
                label_nl=nl,
                label_fr=fr,
                label_en=en,
                position=(index + 1) * 10,
            )
            for index, (code, nl, fr, en) in enumerate(DEFAULT_OUTCOMES)
        )
