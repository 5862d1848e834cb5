"""The default tree of life domains and priorities (Bruges' 'building block GPMI', seed 003).

Each domain: (code, Dutch, French, English, [(priority code, Dutch, French, English), ...]).
The domain codes are those of spec/interchange.md (gpmi_goals.csv `life_domain`).
"""

DEFAULT_DOMAINS = [
    (
        "work",
        "Werk",
        "Travail",
        "Work",
        [
            ("find-job", "Werk zoeken", "Chercher un emploi", "Find a job"),
            (
                "work-experience",
                "Werkervaring opdoen",
                "Acquérir une expérience",
                "Gain work experience",
            ),
            ("keep-job", "Werk behouden", "Garder son emploi", "Keep a job"),
        ],
    ),
    (
        "education",
        "Onderwijs en opleiding",
        "Enseignement et formation",
        "Education and training",
        [
            ("diploma", "Diploma behalen", "Obtenir un diplôme", "Obtain a diploma"),
            (
                "vocational-training",
                "Beroepsopleiding volgen",
                "Suivre une formation professionnelle",
                "Follow vocational training",
            ),
            (
                "recognition",
                "Diploma laten erkennen",
                "Faire reconnaître un diplôme",
                "Have a diploma recognised",
            ),
        ],
    ),
    (
        "language",
        "Taal",
        "Langue",
        "Language",
        [
            ("dutch-course", "Nederlands leren", "Apprendre le néerlandais", "Learn Dutch"),
            ("practise-dutch", "Nederlands oefenen", "Pratiquer le néerlandais", "Practise Dutch"),
            ("literacy", "Alfabetisering", "Alphabétisation", "Literacy"),
        ],
    ),
    (
        "income",
        "Inkomen en budget",
        "Revenus et budget",
        "Income and budget",
        [
            ("budget", "Budget beheren", "Gérer son budget", "Manage the budget"),
            ("rights", "Rechten uitputten", "Faire valoir ses droits", "Claim all rights"),
        ],
    ),
    (
        "debts",
        "Schulden",
        "Dettes",
        "Debts",
        [
            (
                "debt-overview",
                "Overzicht van de schulden",
                "Aperçu des dettes",
                "Overview of the debts",
            ),
            ("debt-mediation", "Schuldbemiddeling", "Médiation de dettes", "Debt mediation"),
        ],
    ),
    (
        "housing",
        "Wonen",
        "Logement",
        "Housing",
        [
            ("find-housing", "Woning zoeken", "Chercher un logement", "Find a home"),
            ("keep-housing", "Woning behouden", "Garder son logement", "Keep the home"),
        ],
    ),
    (
        "health",
        "Gezondheid",
        "Santé",
        "Health",
        [
            ("medical-care", "Medische zorg opnemen", "Se faire soigner", "Take up medical care"),
            ("addiction", "Verslaving aanpakken", "Traiter une dépendance", "Tackle an addiction"),
        ],
    ),
    (
        "wellbeing",
        "Psychisch welbevinden",
        "Bien-être psychique",
        "Mental well-being",
        [
            (
                "psychological-support",
                "Psychologische hulp",
                "Aide psychologique",
                "Psychological help",
            ),
            ("self-confidence", "Zelfvertrouwen", "Confiance en soi", "Self-confidence"),
        ],
    ),
    (
        "family",
        "Gezin",
        "Famille",
        "Family",
        [
            ("childcare", "Kinderopvang", "Garde d'enfants", "Childcare"),
            (
                "parenting",
                "Opvoedingsondersteuning",
                "Soutien à la parentalité",
                "Parenting support",
            ),
        ],
    ),
    (
        "network",
        "Sociaal netwerk",
        "Réseau social",
        "Social network",
        [
            ("meet-people", "Mensen ontmoeten", "Rencontrer des gens", "Meet people"),
            ("volunteering", "Vrijwilligerswerk", "Volontariat", "Volunteering"),
        ],
    ),
    (
        "mobility",
        "Mobiliteit",
        "Mobilité",
        "Mobility",
        [
            (
                "driving-licence",
                "Rijbewijs halen",
                "Obtenir le permis de conduire",
                "Get a driving licence",
            ),
            (
                "public-transport",
                "Openbaar vervoer gebruiken",
                "Utiliser les transports publics",
                "Use public transport",
            ),
        ],
    ),
    (
        "administration",
        "Administratie",
        "Administration",
        "Administration",
        [
            (
                "papers-in-order",
                "Papieren in orde brengen",
                "Mettre ses papiers en ordre",
                "Put papers in order",
            ),
            ("residence", "Verblijfsstatuut", "Droit de séjour", "Residence status"),
        ],
    ),
    (
        "leisure",
        "Vrije tijd",
        "Loisirs",
        "Leisure",
        [
            ("hobby", "Een hobby vinden", "Trouver un loisir", "Find a hobby"),
            ("sports", "Sporten", "Faire du sport", "Play sports"),
        ],
    ),
    (
        "digital",
        "Digitale vaardigheden",
        "Compétences numériques",
        "Digital skills",
        [
            (
                "basic-computer",
                "Basiskennis computer",
                "Bases de l'informatique",
                "Basic computer skills",
            ),
            (
                "online-services",
                "Online diensten gebruiken",
                "Utiliser les services en ligne",
                "Use online services",
            ),
        ],
    ),
]

# Barriers of the balance (opstap.balance.models.Barrier) -> the life domain they point to.
BARRIER_DOMAINS = {
    "language": "language",
    "poverty": "income",
    "debts": "debts",
    "psychological": "wellbeing",
    "addiction": "health",
    "housing": "housing",
    "single_parent": "family",
    "health": "health",
    "budgeting": "income",
    "network": "network",
    "literacy": "language",
    "no_diploma": "education",
    "no_experience": "work",
    "self_image": "wellbeing",
    "criminal_record": "administration",
}

# Rung of the activation ladder proposed by the balance -> the domain of its first goal.
RUNG_DOMAINS = {
    "zorg": "wellbeing",
    "taal": "language",
    "sociaal": "network",
    "arbeid": "work",
    "werk": "work",
}
