"""The instruments every centre starts with, in Dutch, French and English.

Taken from the SPB handbook's exploration phase (seeds 000-002). Centres adapt them in the app.
Each entry: (code, (nl, fr, en), [(section titles, [(kind, (nl, fr, en), [choice labels])])]).
"""

YES_NO_DONT_KNOW = [
    ("Ja", "Oui", "Yes"),
    ("Nee", "Non", "No"),
    ("Weet niet", "Ne sait pas", "Don't know"),
]
LANGUAGE_LEVELS = [
    ("Geen kennis", "Aucune connaissance", "None"),
    ("Beginner (A1)", "Débutant (A1)", "Beginner (A1)"),
    ("Basis (A2)", "Élémentaire (A2)", "Elementary (A2)"),
    ("Zelfstandig (B1)", "Indépendant (B1)", "Independent (B1)"),
    ("Vlot (B2 of hoger)", "Courant (B2 ou plus)", "Fluent (B2 or higher)"),
    ("Moedertaal", "Langue maternelle", "Mother tongue"),
]

DEFAULT_INSTRUMENTS = [
    (
        "life-course",
        (
            "Levensloop en werkervaring",
            "Parcours de vie et expérience professionnelle",
            "Life course and work history",
        ),
        [
            (
                ("Levensloop", "Parcours de vie", "Life course"),
                [
                    (
                        "text",
                        (
                            "Belangrijke gebeurtenissen in je leven",
                            "Événements importants de ta vie",
                            "Important events in your life",
                        ),
                        [],
                    ),
                    (
                        "text",
                        (
                            "Hoe ziet je dag er nu uit?",
                            "À quoi ressemble ta journée aujourd'hui ?",
                            "What does your day look like now?",
                        ),
                        [],
                    ),
                ],
            ),
            (
                ("Werkervaring", "Expérience professionnelle", "Work history"),
                [
                    (
                        "yes_no",
                        (
                            "Heb je al betaald werk gedaan?",
                            "As-tu déjà eu un emploi rémunéré ?",
                            "Have you ever had paid work?",
                        ),
                        [],
                    ),
                    (
                        "text",
                        (
                            "Vorige jobs (werkgever, functie, periode)",
                            "Emplois précédents (employeur, fonction, période)",
                            "Previous jobs (employer, position, period)",
                        ),
                        [],
                    ),
                    (
                        "text",
                        (
                            "Vrijwilligerswerk of informeel werk",
                            "Bénévolat ou travail informel",
                            "Volunteering or informal work",
                        ),
                        [],
                    ),
                    (
                        "date",
                        (
                            "Einde van de laatste job",
                            "Fin du dernier emploi",
                            "End of the last job",
                        ),
                        [],
                    ),
                    (
                        "text",
                        (
                            "Waarom stopte de laatste job?",
                            "Pourquoi le dernier emploi s'est-il arrêté ?",
                            "Why did the last job end?",
                        ),
                        [],
                    ),
                ],
            ),
        ],
    ),
    (
        "education",
        ("Opleiding en diploma's", "Formation et diplômes", "Education and diplomas"),
        [
            (
                ("Opleiding", "Formation", "Education"),
                [
                    (
                        "single",
                        (
                            "Hoogst behaalde diploma",
                            "Diplôme le plus élevé obtenu",
                            "Highest diploma obtained",
                        ),
                        [
                            ("Geen", "Aucun", "None"),
                            ("Lager onderwijs", "Enseignement primaire", "Primary school"),
                            ("Lager secundair", "Secondaire inférieur", "Lower secondary"),
                            ("Hoger secundair", "Secondaire supérieur", "Upper secondary"),
                            ("Hoger onderwijs", "Enseignement supérieur", "Higher education"),
                        ],
                    ),
                    (
                        "yes_no",
                        (
                            "Werd het diploma in het buitenland behaald?",
                            "Le diplôme a-t-il été obtenu à l'étranger ?",
                            "Was the diploma obtained abroad?",
                        ),
                        [],
                    ),
                    (
                        "single",
                        (
                            "Is het buitenlands diploma erkend (gelijkwaardigheid)?",
                            "Le diplôme étranger est-il reconnu (équivalence) ?",
                            "Is the foreign diploma recognised (equivalence)?",
                        ),
                        YES_NO_DONT_KNOW,
                    ),
                    (
                        "text",
                        (
                            "Cursussen, opleidingen en attesten",
                            "Cours, formations et attestations",
                            "Courses, training and certificates",
                        ),
                        [],
                    ),
                    (
                        "yes_no",
                        (
                            "Heb je een rijbewijs?",
                            "As-tu un permis de conduire ?",
                            "Do you have a driving licence?",
                        ),
                        [],
                    ),
                ],
            ),
        ],
    ),
    (
        "competences",
        ("Competenties en vaardigheden", "Compétences et aptitudes", "Competences and skills"),
        [
            (
                ("Wat kan je?", "Que sais-tu faire ?", "What can you do?"),
                [
                    (
                        "text",
                        (
                            "Vaktechnische vaardigheden",
                            "Compétences techniques",
                            "Technical skills",
                        ),
                        [],
                    ),
                    (
                        "multiple",
                        ("Digitale vaardigheden", "Compétences numériques", "Digital skills"),
                        [
                            ("E-mail", "E-mail", "E-mail"),
                            ("Smartphone-apps", "Applications smartphone", "Smartphone apps"),
                            ("Tekstverwerking", "Traitement de texte", "Word processing"),
                            ("Online formulieren", "Formulaires en ligne", "Online forms"),
                        ],
                    ),
                ],
            ),
            (
                ("Zelfbeoordeling", "Auto-évaluation", "Self-assessment"),
                [
                    (
                        "scale",
                        (
                            "Op tijd komen en afspraken nakomen",
                            "Être à l'heure et respecter les accords",
                            "Being on time and keeping agreements",
                        ),
                        [],
                    ),
                    (
                        "scale",
                        (
                            "Samenwerken met anderen",
                            "Travailler avec d'autres",
                            "Working with others",
                        ),
                        [],
                    ),
                    (
                        "scale",
                        (
                            "Zelfstandig werken",
                            "Travailler de manière autonome",
                            "Working independently",
                        ),
                        [],
                    ),
                    (
                        "scale",
                        (
                            "Fysiek zwaar werk aankunnen",
                            "Supporter un travail physique",
                            "Coping with physical work",
                        ),
                        [],
                    ),
                ],
            ),
        ],
    ),
    (
        "interests",
        ("Interesses en verwachtingen", "Intérêts et attentes", "Interests and expectations"),
        [
            (
                ("Interesses", "Intérêts", "Interests"),
                [
                    (
                        "multiple",
                        (
                            "Welke sectoren spreken je aan?",
                            "Quels secteurs t'intéressent ?",
                            "Which sectors appeal to you?",
                        ),
                        [
                            ("Zorg en welzijn", "Soins et bien-être", "Care and welfare"),
                            ("Schoonmaak", "Nettoyage", "Cleaning"),
                            ("Horeca", "Horeca", "Hospitality"),
                            (
                                "Bouw en techniek",
                                "Construction et technique",
                                "Construction and technical",
                            ),
                            (
                                "Groen en milieu",
                                "Espaces verts et environnement",
                                "Green spaces and environment",
                            ),
                            ("Logistiek", "Logistique", "Logistics"),
                            (
                                "Administratie en onthaal",
                                "Administration et accueil",
                                "Administration and reception",
                            ),
                        ],
                    ),
                    (
                        "text",
                        (
                            "Wat doe je graag in je vrije tijd?",
                            "Qu'aimes-tu faire pendant ton temps libre ?",
                            "What do you like to do in your free time?",
                        ),
                        [],
                    ),
                ],
            ),
            (
                ("Verwachtingen", "Attentes", "Expectations"),
                [
                    (
                        "text",
                        (
                            "Wat wil je bereiken over een jaar?",
                            "Que veux-tu atteindre dans un an ?",
                            "What do you want to achieve in a year?",
                        ),
                        [],
                    ),
                    (
                        "single",
                        (
                            "Gewenst werkregime",
                            "Régime de travail souhaité",
                            "Preferred working time",
                        ),
                        [
                            ("Voltijds", "Temps plein", "Full time"),
                            ("Deeltijds", "Temps partiel", "Part time"),
                            ("Nog niet", "Pas encore", "Not yet"),
                        ],
                    ),
                    (
                        "text",
                        (
                            "Wat verwacht je van het OCMW?",
                            "Qu'attends-tu du CPAS ?",
                            "What do you expect from the centre?",
                        ),
                        [],
                    ),
                ],
            ),
        ],
    ),
    (
        "language",
        ("Taalniveau", "Niveau de langue", "Language level"),
        [
            (
                ("Talen", "Langues", "Languages"),
                [
                    ("text", ("Moedertaal", "Langue maternelle", "Mother tongue"), []),
                    (
                        "single",
                        ("Nederlands spreken", "Parler le néerlandais", "Speaking Dutch"),
                        LANGUAGE_LEVELS,
                    ),
                    (
                        "single",
                        (
                            "Nederlands lezen en schrijven",
                            "Lire et écrire le néerlandais",
                            "Reading and writing Dutch",
                        ),
                        LANGUAGE_LEVELS,
                    ),
                    ("single", ("Frans", "Français", "French"), LANGUAGE_LEVELS),
                    ("text", ("Andere talen", "Autres langues", "Other languages"), []),
                    (
                        "yes_no",
                        (
                            "Volgt of volgde je een taalcursus (NT2)?",
                            "Suis-tu ou as-tu suivi un cours de langue ?",
                            "Are you taking or did you take a language course?",
                        ),
                        [],
                    ),
                    (
                        "scale",
                        (
                            "Hoe goed red je je in het Nederlands in het dagelijks leven?",
                            "Comment te débrouilles-tu en néerlandais au quotidien ?",
                            "How well do you manage in Dutch in daily life?",
                        ),
                        [],
                    ),
                ],
            ),
        ],
    ),
    (
        "barriers",
        ("Belemmeringen", "Obstacles", "Barriers"),
        [
            (
                ("Wat houdt je tegen?", "Qu'est-ce qui te freine ?", "What holds you back?"),
                [
                    (
                        "text",
                        (
                            "Gezondheid en welbevinden",
                            "Santé et bien-être",
                            "Health and well-being",
                        ),
                        [],
                    ),
                    (
                        "text",
                        (
                            "Huisvesting en gezin (kinderopvang)",
                            "Logement et famille (garde d'enfants)",
                            "Housing and family (childcare)",
                        ),
                        [],
                    ),
                    (
                        "multiple",
                        ("Mobiliteit", "Mobilité", "Mobility"),
                        [
                            ("Openbaar vervoer", "Transports en commun", "Public transport"),
                            ("Fiets", "Vélo", "Bicycle"),
                            ("Auto", "Voiture", "Car"),
                            ("Beperkt mobiel", "Mobilité réduite", "Limited mobility"),
                        ],
                    ),
                    (
                        "text",
                        (
                            "Financiële situatie en schulden",
                            "Situation financière et dettes",
                            "Money matters and debts",
                        ),
                        [],
                    ),
                ],
            ),
        ],
    ),
    (
        "strengths",
        ("Sterktes en hulpbronnen", "Forces et ressources", "Strengths and resources"),
        [
            (
                ("Sterktes", "Forces", "Strengths"),
                [
                    (
                        "text",
                        (
                            "Waar ben je trots op?",
                            "De quoi es-tu fier·ère ?",
                            "What are you proud of?",
                        ),
                        [],
                    ),
                    (
                        "text",
                        (
                            "Wat zeggen anderen dat je goed kan?",
                            "Que disent les autres de tes talents ?",
                            "What do others say you are good at?",
                        ),
                        [],
                    ),
                    ("scale", ("Vertrouwen in jezelf", "Confiance en soi", "Self-confidence"), []),
                ],
            ),
            (
                ("Netwerk en hulpbronnen", "Réseau et ressources", "Network and resources"),
                [
                    (
                        "text",
                        (
                            "Op wie kan je rekenen?",
                            "Sur qui peux-tu compter ?",
                            "Who can you count on?",
                        ),
                        [],
                    ),
                    (
                        "text",
                        (
                            "Welke diensten helpen je al?",
                            "Quels services t'aident déjà ?",
                            "Which services already help you?",
                        ),
                        [],
                    ),
                ],
            ),
        ],
    ),
]
