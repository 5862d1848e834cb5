"""Word material for synthetic dossiers: invented names and case-note texts.

Every person is made up. Names of Belgian speakers come from Faker (nl_BE, fr_BE); for the
other languages a short list of common given and family names is combined at random, so no
generated person matches a real one except by chance.
"""

# Common given names (female, male) and family names per home language, transliterated.
NAMES = {
    "ar": (
        ["Fatima", "Khadija", "Amina", "Salma", "Nour", "Yasmina", "Malika", "Hanane", "Samira"],
        ["Mohamed", "Ahmed", "Youssef", "Karim", "Omar", "Rachid", "Bilal", "Hamza", "Said"],
        ["El Amrani", "Benali", "Bouzid", "El Idrissi", "Haddad", "Mansour", "Azzouzi", "Tahiri"],
    ),
    "ti": (
        ["Selam", "Senait", "Helen", "Mebrat", "Winta", "Yordanos", "Saba", "Rahel"],
        ["Yonas", "Tesfay", "Dawit", "Filmon", "Mussie", "Biniam", "Henok", "Robel"],
        ["Tesfamariam", "Gebremedhin", "Haile", "Kidane", "Berhane", "Tekle", "Ghebreyesus"],
    ),
    "ps": (
        ["Zarghuna", "Mariam", "Nazia", "Parwana", "Shabnam", "Freshta", "Malalai"],
        ["Ahmad", "Wahid", "Jawad", "Naveed", "Sayed", "Rahmatullah", "Hamid", "Farid"],
        ["Ahmadzai", "Noori", "Safi", "Popal", "Sultani", "Stanikzai", "Karimi", "Rahimi"],
    ),
    "so": (
        ["Hodan", "Ayaan", "Fadumo", "Hibo", "Sahra", "Ubah", "Nimco", "Deeqa"],
        ["Abdi", "Abdirahman", "Mahad", "Liban", "Guled", "Hassan", "Ismail", "Yusuf"],
        ["Mohamud", "Warsame", "Farah", "Jama", "Hersi", "Abdullahi", "Osman", "Egal"],
    ),
    "ru": (
        ["Olga", "Natalia", "Irina", "Svetlana", "Anastasia", "Ekaterina", "Yulia", "Marina"],
        ["Ivan", "Sergei", "Dmitri", "Alexei", "Andrei", "Nikolai", "Pavel", "Timur"],
        ["Petrov", "Ivanov", "Kuznetsov", "Sokolov", "Volkov", "Morozov", "Lebedev", "Orlov"],
    ),
    "ro": (
        ["Ioana", "Elena", "Maria", "Andreea", "Mihaela", "Gabriela", "Alina", "Cristina"],
        ["Andrei", "Ion", "Mihai", "Florin", "Constantin", "Adrian", "Bogdan", "Marius"],
        ["Popescu", "Ionescu", "Dumitru", "Stan", "Constantinescu", "Marin", "Lungu", "Moldovan"],
    ),
    "en": (
        ["Grace", "Blessing", "Mercy", "Joy", "Esther", "Patience", "Rita", "Comfort"],
        ["Samuel", "Emmanuel", "Kwame", "Daniel", "Godfrey", "Michael", "Joseph", "Isaac"],
        ["Mensah", "Okafor", "Adeyemi", "Owusu", "Boateng", "Nwosu", "Asante", "Okoro"],
    ),
}

OFFICE_NAMES = [
    "Wijkcentrum Noord",
    "Wijkcentrum Zuid",
    "Wijkcentrum Oost",
    "Wijkcentrum West",
    "Wijkcentrum Centrum",
    "Wijkcentrum Haven",
    "Wijkcentrum Kouter",
    "Wijkcentrum Rabot",
    "Wijkcentrum Brugse Poort",
    "Wijkcentrum Ledeberg",
    "Wijkcentrum Sluizeken",
    "Wijkcentrum Dampoort",
    "Wijkcentrum Muide",
    "Wijkcentrum Nieuw Gent",
    "Wijkcentrum Watersport",
    "Wijkcentrum Zwijnaarde",
    "Wijkcentrum Gentbrugge",
    "Wijkcentrum Oostakker",
    "Wijkcentrum Drongen",
    "Wijkcentrum Mariakerke",
    "Wijkcentrum Wondelgem",
]

# Case notes: (subject, text). {name} is the client's first name, {office} the office.
NOTES_NL = [
    (
        "Intakegesprek",
        "Eerste gesprek met {name} op {office}. Aanvraag leefloon besproken, documenten "
        "overlopen (identiteitskaart, huurcontract, bankuittreksels). Rechten en plichten "
        "uitgelegd. Nog binnen te brengen: attest van de mutualiteit.",
    ),
    (
        "Opvolggesprek",
        "{name} vertelt dat de taalles goed loopt, maar dat het moeilijk is om de kinderen "
        "op tijd naar school te brengen en zelf op tijd in de les te zijn. Samen gezocht naar "
        "opvang na school. Volgend gesprek over twee weken.",
    ),
    (
        "Huisbezoek",
        "Huisbezoek gedaan. Woning is klein maar verzorgd; vochtprobleem in de slaapkamer. "
        "{name} heeft de verhuurder al twee keer gecontacteerd zonder antwoord. Afgesproken "
        "dat we samen een brief opstellen en de huurdersbond contacteren.",
    ),
    (
        "Telefonisch contact",
        "{name} belde om de afspraak van donderdag te verzetten wegens een sollicitatiegesprek "
        "bij een schoonmaakbedrijf. Nieuwe afspraak gemaakt. Succes gewenst.",
    ),
    (
        "Overleg VDAB",
        "Overleg met de VDAB-bemiddelaar over {name}. Inschrijving als werkzoekende is in orde. "
        "Voorstel: eerst een oriënteringstraject van zes weken, daarna opleiding logistiek "
        "medewerker. {name} staat hier positief tegenover.",
    ),
    (
        "Budgetbegeleiding",
        "Budget overlopen met {name}. Vaste kosten: huur, energie, telefoon, school. Er blijft "
        "weinig over na de twintigste van de maand. Afspraak: weekbudget op een aparte rekening "
        "en de energiefactuur in maandelijkse schijven.",
    ),
    (
        "Evaluatie GPMI",
        "Tussentijdse evaluatie van het GPMI met {name}. Doel Nederlands niveau 1.2 is behaald. "
        "Doel werkervaring nog niet gestart: wachtlijst. Afspraken aangepast en ondertekend.",
    ),
    (
        "Attest ontvangen",
        "Medisch attest ontvangen voor twee weken arbeidsongeschiktheid. Afspraken met de "
        "trajectbegeleider uitgesteld tot na de herstelperiode.",
    ),
    (
        "Sociaal onderzoek",
        "Sociaal onderzoek afgerond voor de herziening van het leefloon. Gezinssamenstelling "
        "ongewijzigd, geen nieuwe inkomsten. Verslag bezorgd aan het bijzonder comité.",
    ),
    (
        "Doorverwijzing",
        "{name} doorverwezen naar de dienst Sociale Activering voor een kennismakingsgesprek "
        "rond vrijwilligerswerk. {name} wil graag iets doen met dieren of in een tuin.",
    ),
    (
        "Gesprek opleiding",
        "{name} wil de opleiding verzorgende starten in september. Toelatingsvoorwaarden "
        "bekeken: taalniveau volstaat nog niet. Eerst extra taalles, daarna opnieuw bekijken.",
    ),
    (
        "Afspraak gemist",
        "{name} kwam niet opdagen en belde niet af. Brief gestuurd met een nieuwe afspraak en "
        "de vraag om contact op te nemen.",
    ),
]

NOTES_NL_RESTRICTED = [
    (
        "Psychisch welzijn",
        "{name} vertelt over slapeloosheid en piekeren sinds het overlijden van een familielid. "
        "Voorzichtig gepolst naar hulp: {name} wil een eerste gesprek met de psycholoog van het "
        "CAW. Met toestemming doorverwezen.",
    ),
    (
        "Schulden",
        "Overzicht van de schulden opgemaakt: achterstallige huur, ziekenhuisfacturen en een "
        "lening. Samen met {name} beslist om schuldbemiddeling aan te vragen. Deze informatie "
        "niet delen buiten het zorgteam.",
    ),
    (
        "Gezinssituatie",
        "Gesprek over spanningen thuis. {name} voelt zich veilig, maar wil ondersteuning bij "
        "de opvoeding. Contact gelegd met het Huis van het Kind.",
    ),
]

NOTES_FR = [
    (
        "Entretien d'accueil",
        "Premier entretien avec {name} à {office}. Demande de revenu d'intégration expliquée, "
        "documents vérifiés. Il manque encore la composition de ménage et le contrat de bail.",
    ),
    (
        "Entretien de suivi",
        "{name} a commencé le cours de néerlandais et s'y sent bien. Difficulté à trouver une "
        "garderie pour le plus jeune. Pistes discutées; prochain rendez-vous dans quinze jours.",
    ),
    (
        "Visite à domicile",
        "Visite à domicile effectuée. Logement propre mais humide; le propriétaire ne répond "
        "pas. Nous rédigerons ensemble un courrier recommandé.",
    ),
    (
        "Contact téléphonique",
        "{name} a téléphoné pour déplacer le rendez-vous: entretien d'embauche dans une "
        "entreprise de nettoyage. Nouveau rendez-vous fixé.",
    ),
    (
        "Budget",
        "Budget mensuel établi avec {name}. Loyer et énergie prennent plus de la moitié du "
        "revenu. Plan de paiement demandé au fournisseur d'énergie.",
    ),
    (
        "Évaluation PIIS",
        "Évaluation intermédiaire du PIIS. Objectif langue atteint; la recherche d'une "
        "formation continue. {name} est motivé(e) et ponctuel(le).",
    ),
    (
        "Orientation",
        "{name} orienté(e) vers le service d'activation sociale pour un premier entretien sur "
        "le bénévolat.",
    ),
]

NOTES_FR_RESTRICTED = [
    (
        "Santé mentale",
        "{name} parle de troubles du sommeil et d'anxiété. Accord pour une première rencontre "
        "avec un psychologue du CAW. Information confidentielle.",
    ),
    (
        "Dettes",
        "Inventaire des dettes réalisé: loyers impayés, factures d'hôpital. Demande de "
        "médiation de dettes introduite avec l'accord de {name}.",
    ),
]

APPOINTMENT_SUBJECTS = {
    "nl": [
        "Opvolggesprek",
        "Evaluatie GPMI",
        "Budgetgesprek",
        "Huisbezoek",
        "Documenten binnenbrengen",
        "Gesprek opleiding",
        "Trajectgesprek",
    ],
    "fr": [
        "Entretien de suivi",
        "Évaluation PIIS",
        "Entretien budget",
        "Visite à domicile",
        "Remise de documents",
    ],
}

# Notes written by the other carers, by care-team role (Dutch; French workers use NOTES_FR).
NOTES_BY_ROLE = {
    "counsellor": [
        (
            "Trajectgesprek",
            "Trajectgesprek met {name}. Interesses en werkervaring overlopen: ervaring in de "
            "schoonmaak en in een keuken. Voorstel: werkervaring via artikel 60 in het "
            "restaurant van het OCMW. {name} denkt erover na.",
        ),
        (
            "Sollicitatietraining",
            "{name} oefende een sollicitatiegesprek. Goede voorbereiding, maar nog onzeker over "
            "de eigen sterktes. Volgende keer: cv afwerken en twee vacatures selecteren.",
        ),
    ],
    "language_coach": [
        (
            "Taalcoaching",
            "Taalcoaching met {name}: woordenschat rond werk en afspraken geoefend. Spreken gaat "
            "vlotter, lezen van brieven blijft moeilijk. Oefenblad meegegeven.",
        ),
        (
            "Taaltest",
            "Niveaubepaling bij het Huis van het Nederlands besproken. {name} start in de "
            "volgende module; vervoer naar de les geregeld met een busabonnement.",
        ),
    ],
    "activation": [
        (
            "Kennismaking sociale activering",
            "Kennismakingsgesprek met {name} over vrijwilligerswerk. {name} wil graag buiten "
            "werken en heeft geen problemen met vroeg beginnen. Op zoek naar een plaats in "
            "een groendienst of kinderboerderij.",
        ),
        (
            "Opvolging vrijwilligerswerk",
            "Driegesprek met {name} en de begeleider van de organisatie. Het loopt goed: "
            "{name} is stipt en werkt zelfstandig. Uren worden opgebouwd naar drie halve dagen.",
        ),
    ],
}
