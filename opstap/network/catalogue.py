"""The default support catalogue, drawn from the integrated plan of the seed documents.

Each entry: (code, kind, Dutch name, French name, English name). A centre can edit, deactivate
or add offers; `ensure_default_catalogue` only adds the codes it does not have yet.
"""

DEFAULT_OFFERS: list[tuple[str, str, str, str, str]] = [
    # Welfare: help and care
    (
        "psychological-support",
        "welfare",
        "Psychologische begeleiding",
        "Accompagnement psychologique",
        "Psychological support",
    ),
    ("budget-management", "welfare", "Budgetbeheer", "Gestion budgétaire", "Budget management"),
    ("debt-mediation", "welfare", "Schuldbemiddeling", "Médiation de dettes", "Debt mediation"),
    (
        "experts-by-experience",
        "welfare",
        "Inschakelen ervaringsdeskundige",
        "Experts du vécu",
        "Experts by experience",
    ),
    (
        "psychosocial-support",
        "welfare",
        "Psychosociale en administratieve ondersteuning",
        "Soutien psychosocial et administratif",
        "Psychosocial and administrative support",
    ),
    (
        "group-work",
        "welfare",
        "Emancipatorisch groepswerk",
        "Travail de groupe émancipateur",
        "Emancipatory group work",
    ),
    (
        "housing-coaching",
        "welfare",
        "Wooncoaching",
        "Accompagnement au logement",
        "Housing coaching",
    ),
    (
        "intercultural-mediation",
        "welfare",
        "Interculturele bemiddeling en tolken",
        "Médiation interculturelle et interprétariat",
        "Intercultural mediation and interpreting",
    ),
    # Language
    (
        "pre-trajectory-non-native",
        "language",
        "Voortraject voor anderstaligen",
        "Pré-trajet pour allophones",
        "Pre-trajectory for non-native speakers",
    ),
    (
        "dutch-courses",
        "language",
        "Opleidingen Nederlands",
        "Cours de néerlandais",
        "Dutch courses",
    ),
    (
        "language-coaching-at-work",
        "language",
        "Taalcoaching op de werkvloer",
        "Coaching linguistique sur le lieu de travail",
        "Language coaching at work",
    ),
    # Social activation
    (
        "supported-volunteering",
        "social",
        "Begeleid vrijwilligerswerk",
        "Volontariat accompagné",
        "Supported volunteering",
    ),
    (
        "arbeidszorg",
        "social",
        "Arbeidszorg",
        "Travail adapté (arbeidszorg)",
        "Work-care (arbeidszorg)",
    ),
    (
        "pre-trajectory-young",
        "social",
        "Voortraject voor jongeren",
        "Pré-trajet pour jeunes",
        "Pre-trajectory for young people",
    ),
    # Work
    (
        "screening-assessment",
        "work",
        "Screening en assessment",
        "Screening et évaluation",
        "Screening and assessment",
    ),
    ("jobcoaching", "work", "Jobcoaching", "Job coaching", "Job coaching"),
    (
        "article-60",
        "work",
        "Tewerkstelling artikel 60",
        "Mise à l'emploi article 60",
        "Article 60 employment",
    ),
    (
        "article-60-private",
        "work",
        "Artikel 60 privé",
        "Article 60 privé",
        "Article 60 with a private employer",
    ),
    ("activa", "work", "Activa", "Activa", "Activa"),
    ("sine", "work", "SINE", "SINE", "SINE (social economy)"),
    (
        "technical-training",
        "work",
        "Technische en oriënterende opleidingen",
        "Formations techniques et d'orientation",
        "Technical and orientation training",
    ),
    # Own learning workplaces
    (
        "workplace-moving",
        "work",
        "Leerwerkplek verhuisploeg",
        "Lieu d'apprentissage : équipe de déménagement",
        "Learning workplace: moving team",
    ),
    (
        "workplace-cleaning",
        "work",
        "Leerwerkplek poetsploeg",
        "Lieu d'apprentissage : équipe de nettoyage",
        "Learning workplace: cleaning team",
    ),
    (
        "workplace-carpentry",
        "work",
        "Leerwerkplek schrijnwerkerij",
        "Lieu d'apprentissage : menuiserie",
        "Learning workplace: carpentry",
    ),
    (
        "workplace-renovation",
        "work",
        "Leerwerkplek renovatie- en karweiploeg",
        "Lieu d'apprentissage : rénovation et petits travaux",
        "Learning workplace: renovation and odd jobs",
    ),
    (
        "workplace-green",
        "work",
        "Leerwerkplek groenwerkers",
        "Lieu d'apprentissage : équipe espaces verts",
        "Learning workplace: green team",
    ),
    (
        "workplace-restaurant",
        "work",
        "Leerwerkplek restaurant",
        "Lieu d'apprentissage : restaurant",
        "Learning workplace: restaurant",
    ),
]
