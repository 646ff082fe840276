"""The site's own words in French and English: interface strings, property and type labels, dates."""

from __future__ import annotations

import re
from datetime import date

# The languages the site's own words are written in; a project's languages come from tourgraph.toml
# (``[project] languages``), and a language without words of its own here is given the English ones.
LANGUAGES = ("fr", "en")
_TABLE_LANGUAGES = ("fr", "en")

STRINGS = {
    "fr": {
        "language_name": "Français",
        "sep": "\u00a0: ",
        "choose_language": "Choisissez votre langue",
        "facts": "Fiche",
        "programme": "Programme",
        "timeline": "Calendrier",
        "map": "Carte des lieux",
        "map_caption": "Lieux placés d'après leurs coordonnées (WGS 84), numérotés comme le programme.",
        "map_basemap": "Fond de carte : {sources}.",
        "map_missing": "Sans coordonnées dans les données",
        "open_map": "Voir sur OpenStreetMap",
        "interactive_map": "Carte interactive (tuiles OpenStreetMap)",
        "no_date": "date non donnée par la source",
        "undated": "Sans date donnée par la source",
        "other_attendees": "Autres participants",
        "about": "À propos de ces données",
        "about_intro": "Les faits de cette page viennent des fichiers ci-dessous ; chaque entité a un identifiant (IRI) et une description RDF.",
        "identifier": "Identifiant",
        "source_file": "Fichier",
        "derived_from": "D'après",
        "published": "publié le {date}",
        "licence": "Licence",
        "data": "Données",
        "dumps": "Graphe complet",
        "csv": "Tableaux CSV et catalogue",
        "catalogue": "Catalogue DCAT",
        "sparql": "Requêtes SPARQL",
        "calendar": "Calendrier (.ics)",
        "describe_rdf": "Description RDF",
        "entities": "Entités",
        "navigation": "Navigation du site",
        "tours": "Tournées",
        "count": "{n} entrées",
        "role": "rôle : {roles}",
        "skip": "Aller au contenu",
        "location": "Lieu",
        "inverse": "{label} (lien inverse)",
        "glance": "En bref",
        "when": "Quand",
        "where": "Où",
        "who": "Qui",
        # A group's name, then its count: "Délégation : 8" reads right whatever the group, with no plural rules.
        "count_sep": "\u202f: ",
        "stops": "{n} étapes",
        "venues": "Lieux",
        "organisers": "Organisation",
        "press": "Contacts presse",
        "image_credit": "Image : {credit}",
        "quote": "Texte du communiqué",
        "original": "Lire l'original",
        "search": "Rechercher",
        "search_label": "Rechercher une personne, un lieu, un événement",
        "search_none": "Aucun résultat.",
        "search_results": "{n} résultats",
        "not_found": "Page introuvable",
        "preview_failed": "Le projet ne passe pas la validation",
        "preview_failed_text": "Aucune construction n'a encore réussi : corrigez ce qui suit (les messages de tourgraph validate), enregistrez, et cette page se recharge d'elle-même.",
        "example": "Exemple — fictif",
        "example_text": "Les données de cette page sont inventées pour servir d'exemple : elles ne décrivent rien de réel.",
        "not_found_text": "Cette page n'existe pas (ou plus). Depuis l'accueil, la recherche et les listes mènent à chaque personne, organisation, lieu et événement.",
        "home": "Accueil",
        "page": "Page {n} sur {total}",
        "previous": "Page précédente",
        "next": "Page suivante",
        "all_tours": "Toutes les tournées",
        "query": "Requête",
        "run": "Exécuter",
        "results": "Résultats",
        "rows": "{n} lignes",
        "truncated": "(limité à {n})",
        "examples": "Exemples",
        "open_query": "ouvrir dans la page de requête",
        "parameters": "Paramètres",
        "default": "par défaut",
        "stored_queries": "Requêtes enregistrées",
        "sparql_intro": "Point d'accès en lecture seule sur le graphe publié : le graphe par défaut est l'union des {graphs} graphes nommés, un par fichier source. Une requête s'arrête après {timeout} s ; au plus {rows} lignes sont rendues.",
        "queries_intro": "Chaque requête s'exécute en /queries/NOM.json ou /queries/NOM.csv ; ses paramètres se passent dans l'URL.",
        "download": "Télécharger",
        "error": "Erreur",
    },
    "en": {
        "language_name": "English",
        "sep": ": ",
        "choose_language": "Choose your language",
        "facts": "Details",
        "programme": "Programme",
        "timeline": "Timeline",
        "map": "Map of the venues",
        "map_caption": "Venues placed from their coordinates (WGS 84), numbered as in the programme.",
        "map_basemap": "Base map: {sources}.",
        "map_missing": "No coordinates in the data",
        "open_map": "View on OpenStreetMap",
        "interactive_map": "Interactive map (OpenStreetMap tiles)",
        "no_date": "date not given by the source",
        "undated": "Date not given by the source",
        "other_attendees": "Other attendees",
        "about": "About this data",
        "about_intro": "The facts on this page come from the files below; each entity has an identifier (IRI) and an RDF description.",
        "identifier": "Identifier",
        "source_file": "File",
        "derived_from": "From",
        "published": "published {date}",
        "licence": "Licence",
        "data": "Data",
        "dumps": "Whole graph",
        "csv": "CSV tables and catalogue",
        "catalogue": "DCAT catalogue",
        "sparql": "SPARQL queries",
        "calendar": "Calendar (.ics)",
        "describe_rdf": "RDF description",
        "entities": "Entities",
        "navigation": "Site navigation",
        "tours": "Tours",
        "count": "{n} entries",
        "role": "role: {roles}",
        "skip": "Skip to content",
        "location": "Venue",
        "inverse": "{label} (inverse)",
        "glance": "At a glance",
        "when": "When",
        "where": "Where",
        "who": "Who",
        "count_sep": ": ",
        "stops": "{n} stops",
        "venues": "Venues",
        "organisers": "Organised by",
        "press": "Press contacts",
        "image_credit": "Image: {credit}",
        "quote": "Text of the release",
        "original": "Read the original",
        "search": "Search",
        "search_label": "Search for a person, place or event",
        "search_none": "No results.",
        "search_results": "{n} results",
        "not_found": "Page not found",
        "preview_failed": "The project does not validate",
        "preview_failed_text": "No build has succeeded yet: fix what follows (the messages of tourgraph validate), save, and this page reloads by itself.",
        "example": "Example — fictional",
        "example_text": "The data on this page is invented as an example: it describes nothing real.",
        "not_found_text": "This page does not exist (or no longer does). From the home page, search and the lists lead to every person, organisation, place and event.",
        "home": "Home",
        "page": "Page {n} of {total}",
        "previous": "Previous page",
        "next": "Next page",
        "all_tours": "All tours",
        "query": "Query",
        "run": "Run",
        "results": "Results",
        "rows": "{n} rows",
        "truncated": "(truncated at {n})",
        "examples": "Examples",
        "open_query": "open in the query page",
        "parameters": "Parameters",
        "default": "default",
        "stored_queries": "Stored queries",
        "sparql_intro": "Read-only endpoint over the published graph: the default graph is the union of the {graphs} named graphs, one per source file. Queries stop after {timeout} s; at most {rows} rows are returned.",
        "queries_intro": "Each query runs as /queries/NAME.json or /queries/NAME.csv; pass its parameters in the query string.",
        "download": "Download",
        "error": "Error",
    },
}


def strings(lang: str) -> dict:
    """The site's words in ``lang`` (English for a language it has no words in)."""
    return STRINGS.get(lang) or STRINGS["en"]


def pick(pair, lang: str) -> str:
    """One language's entry of a ``{lang: text}`` dict or an ``(fr, en)`` pair."""
    if isinstance(pair, dict):
        return pair.get(lang) or pair.get("en") or next(iter(pair.values()))
    return pair[_TABLE_LANGUAGES.index(lang)] if lang in _TABLE_LANGUAGES else pair[1]


KIND_LABELS = {
    "event": {"fr": "Événements", "en": "Events"},
    "person": {"fr": "Personnes", "en": "People"},
    "organization": {"fr": "Organisations", "en": "Organisations"},
    "place": {"fr": "Lieux", "en": "Places"},
    "document": {"fr": "Documents", "en": "Documents"},
}

# Headings for groups of attendees: the ontology's labels are singular nouns, a heading wants a plural.
GROUP_LABELS = {
    "https://tourgraph.example/ns#delegate": {"fr": "Délégation", "en": "Delegation"},
    "https://tourgraph.example/ns#ambassador": {"fr": "Ambassadrices et ambassadeurs", "en": "Ambassadors"},
    "https://tourgraph.example/ns#participatingOrganization": {"fr": "Entreprises participantes", "en": "Participating companies"},
    "https://schema.org/organizer": {"fr": "Organisateurs", "en": "Organisers"},
}

PROPERTY_LABELS = {
    "name": ("Nom", "Name"),
    "alternateName": ("Autre nom", "Other name"),
    "description": ("Description", "Description"),
    "startDate": ("Début", "Start"),
    "endDate": ("Fin", "End"),
    "location": ("Lieu", "Venue"),
    "eventStatus": ("Statut", "Status"),
    "eventAttendanceMode": ("Mode de participation", "Attendance mode"),
    "organizer": ("Organisateur", "Organiser"),
    "funder": ("Financeur", "Funder"),
    "contributor": ("Contributeur", "Contributor"),
    "attendee": ("Participant", "Attendee"),
    "superEvent": ("Fait partie de", "Part of"),
    "subEvent": ("Comprend", "Includes"),
    "subjectOf": ("Sujet de", "Subject of"),
    "givenName": ("Prénom", "Given name"),
    "familyName": ("Nom de famille", "Family name"),
    "jobTitle": ("Fonction", "Job title"),
    "worksFor": ("Employeur", "Works for"),
    "memberOf": ("Membre de", "Member of"),
    "additionalType": ("Catégorie", "Category"),
    "parentOrganization": ("Organisation mère", "Parent organisation"),
    "department": ("Service", "Department"),
    "areaServed": ("Territoire", "Area served"),
    "contactPoint": ("Contact", "Contact"),
    "address": ("Adresse", "Address"),
    "geo": ("Coordonnées", "Coordinates"),
    "containedInPlace": ("Situé dans", "Contained in"),
    "headline": ("Titre", "Headline"),
    "datePublished": ("Date de publication", "Date published"),
    "inLanguage": ("Langue", "Language"),
    "workTranslation": ("Traduction", "Translation"),
    "translationOfWork": ("Traduction de", "Translation of"),
    "about": ("À propos de", "About"),
    "mentions": ("Mentionne", "Mentions"),
    "sameAs": ("Même entité", "Same as"),
    "url": ("Site web", "Website"),
    "issued": ("Date de parution", "Issued"),
}

INVERSE_LABELS = {
    "attendee": ("Participe à", "Attends"),
    "organizer": ("Organise", "Organises"),
    "funder": ("Finance", "Funds"),
    "contributor": ("Contribue à", "Contributes to"),
    "location": ("Événements en ce lieu", "Events held here"),
    "containedInPlace": ("Lieux situés ici", "Places within"),
    "worksFor": ("Personnes", "People"),
    "memberOf": ("Membres", "Members"),
    "mentions": ("Mentionné dans", "Mentioned in"),
    "about": ("Sujet de", "Subject of"),
    "subjectOf": ("Traite de", "About"),
    "areaServed": ("Organisations actives ici", "Organisations serving this area"),
    "parentOrganization": ("Services", "Departments"),
    "department": ("Rattaché à", "Part of"),
    "superEvent": ("Comprend", "Includes"),
    "subEvent": ("Fait partie de", "Part of"),
    "workTranslation": ("Traduction de", "Translation of"),
    "translationOfWork": ("Traduit par", "Translated as"),
}

TYPE_LABELS = {
    "Event": ("Événement", "Event"),
    "BusinessEvent": ("Événement professionnel", "Business event"),
    "EventSeries": ("Série d'événements", "Event series"),
    "Person": ("Personne", "Person"),
    "Organization": ("Organisation", "Organisation"),
    "GovernmentOrganization": ("Organisme public", "Government organisation"),
    "Place": ("Lieu", "Place"),
    "City": ("Ville", "City"),
    "Country": ("Pays", "Country"),
    "AdministrativeArea": ("Territoire", "Administrative area"),
    "LandmarksOrHistoricalBuildings": ("Monument historique", "Landmark or historical building"),
    "Museum": ("Musée", "Museum"),
    "TouristAttraction": ("Site touristique", "Tourist attraction"),
    "Church": ("Église", "Church"),
    "Article": ("Article", "Article"),
    "EventScheduled": ("Programmé", "Scheduled"),
    "EventCancelled": ("Annulé", "Cancelled"),
    "EventPostponed": ("Reporté", "Postponed"),
    "EventRescheduled": ("Reprogrammé", "Rescheduled"),
    "EventMovedOnline": ("Passé en ligne", "Moved online"),
    "OfflineEventAttendanceMode": ("En présentiel", "In person"),
    "OnlineEventAttendanceMode": ("En ligne", "Online"),
    "MixedEventAttendanceMode": ("Mixte", "Mixed"),
}

_MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"),
}


def text(lang: str, key: str, **values) -> str:
    return strings(lang)[key].format(**values)


def _pick(table: dict, key: str, lang: str) -> str | None:
    pair = table.get(key)
    return None if pair is None else pick(pair, lang)


def words(local: str) -> str:
    """``eventAttendanceMode`` -> ``Event attendance mode``: a readable fallback for an unlabelled term."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).lower()
    return spaced[:1].upper() + spaced[1:]


def property_label(local: str, lang: str) -> str | None:
    return _pick(PROPERTY_LABELS, local, lang)


def inverse_label(local: str, lang: str) -> str | None:
    return _pick(INVERSE_LABELS, local, lang)


def type_label(local: str, lang: str) -> str:
    return _pick(TYPE_LABELS, local, lang) or words(local)


def format_date(value: str, lang: str) -> str:
    """``2026-03-22`` -> ``22 mars 2026`` / ``22 March 2026``; other forms are returned unchanged."""
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return value
    rest = value[10:]
    months = _MONTHS.get(lang, _MONTHS["en"])
    return f"{day.day} {months[day.month - 1]} {day.year}" + (f" {rest.lstrip('T')}" if rest else "")


def format_number(value: int, lang: str) -> str:
    """``10 000`` in French (a narrow no-break space between thousands), ``10,000`` in English."""
    grouped = f"{int(value):,}"
    return grouped.replace(",", "\u202f") if lang == "fr" else grouped
