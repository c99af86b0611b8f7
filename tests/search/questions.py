"""Natural staff questions against the demo content (``portal setup --demo``: the content, the
demo people and meetings), each with the pages that answer it. Written for issue 12's classes:
questions, compounds, ASCII spellings, everyday words, partial words; not the issue's set."""

QUESTIONS: list[tuple[str, tuple[str, ...]]] = [
    # Question phrasing
    ("hvem skal jeg ringe til i SOF", ("/vejviser/sof-organisation",)),
    ("hvordan opretter jeg grøn linie", ("/vejviser/groen-linie",)),
    ("hvad gør jeg når borgeren har et misbrug", ("/sagsgange/borger-med-misbrug",)),
    ("hvad gør vi hvis BIF og SOF er uenige", ("/sagsgange/uenighed-mellem-bif-og-sof",)),
    ("hvordan laver jeg en social handleplan", ("/vejviser/social-handleplan",)),
    ("hvad er en tilbudspakke", ("/vejviser/tilbudspakker",)),
    ("hvad betyder matchgruppe", ("/vejviser/matchgrupper",)),
    ("hvad er fremskudt sagsbehandling", ("/sagsgange/fremskudt-sagsbehandling",)),
    ("skal borgeren skrive under på samtykke", ("/vejviser/samtykke",)),
    (
        "hvor mange timer varer et længerevarende tilbud",
        ("/vejviser/laengerevarende-beskaeftigelsesrettede-tilbud",),
    ),
    (
        "borgeren har fået en sanktion hvad nu",
        ("/sagsgange/borger-henvender-sig-til-sof-efter-sanktion",),
    ),
    (
        "hvem kan hjælpe en borger med gæld",
        ("/vejviser/gaeldsraadgivning-og-socialoekonomiske-virksomheder",),
    ),
    # Compounds
    ("rusmiddelbehandling", ("/sagsgange/borger-med-misbrug",)),
    ("misbrugsproblemer", ("/sagsgange/borger-med-misbrug",)),
    ("samtykkeerklæringen", ("/vejviser/samtykke",)),
    (
        "misbrugsbehandling i rådgivningscentret",
        ("/sagsgange/borger-med-misbrug", "/sagsgange/fremskudt-sagsbehandling"),
    ),
    ("kontaktpersonordning", ("/vejviser/kontaktpersonordningen",)),
    ("bydelsmor", ("/vejviser/kvinder-med-anden-etnisk-baggrund",)),
    ("handicapsag i jobcentret", ("/sagsgange/borger-med-handicap",)),
    # ASCII spellings
    ("groen linie", ("/vejviser/groen-linie",)),
    ("hjemloes borger", ("/sagsgange/hjemloes-borger",)),
    ("foertidspension og handicap", ("/sagsgange/borger-med-handicap",)),
    ("gaeldsraadgivning", ("/vejviser/gaeldsraadgivning-og-socialoekonomiske-virksomheder",)),
    # Everyday words
    ("borger drikker for meget", ("/sagsgange/borger-med-misbrug",)),
    ("narkotika", ("/sagsgange/borger-med-misbrug",)),
    ("borgeren har ingen bolig", ("/sagsgange/hjemloes-borger",)),
    ("psykisk syge borgere i jobcentret", ("/sagsgange/borger-med-psykisk-sygdom",)),
    # Partial words
    ("misb", ("/sagsgange/borger-med-misbrug",)),
    ("specialenh", ("/vejviser/specialenheden",)),
    # Kinds: a topic, not a person
    (
        "hvornår er der netværksmøde for kontaktpersoner",
        ("/vejviser/kontaktpersonordningen", "/kalender/"),
    ),
]
