"""The site's own words in French and English: interface strings, property and type labels, dates."""

from __future__ import annotations

import re
from datetime import date

LANGUAGES = ("fr", "en")

STRINGS = {
    "fr": {
        "language_name": "Français",
        "sep": "\u00a0: ",
        "choose_language": "Choisissez votre langue",
        "facts": "Faits",
        "programme": "Programme",
        "timeline": "Calendrier",
        "map": "Carte des lieux",
        "map_caption": "Position des lieux d'après leurs coordonnées (WGS 84).",
        "map_frame": "Cadre : {name}",
        "open_map": "Voir sur OpenStreetMap",
        "no_date": "date non donnée par la source",
        "undated": "Sans date donnée par la source",
        "other_attendees": "Autres participants",
        "sources": "Sources des faits",
        "source_file": "Fichier",
        "derived_from": "D'après",
        "published": "publié le {date}",
        "licence": "Licence",
        "data": "Données",
        "describe_rdf": "Description RDF",
        "entities": "Entités",
        "tours": "Tournées",
        "count": "{n} entrées",
        "role": "rôle : {roles}",
        "skip": "Aller au contenu",
        "location": "Lieu",
    },
    "en": {
        "language_name": "English",
        "sep": ": ",
        "choose_language": "Choose your language",
        "facts": "Facts",
        "programme": "Programme",
        "timeline": "Timeline",
        "map": "Map of the venues",
        "map_caption": "Venues placed from their coordinates (WGS 84).",
        "map_frame": "Frame: {name}",
        "open_map": "View on OpenStreetMap",
        "no_date": "date not given by the source",
        "undated": "Date not given by the source",
        "other_attendees": "Other attendees",
        "sources": "Sources of these facts",
        "source_file": "File",
        "derived_from": "From",
        "published": "published {date}",
        "licence": "Licence",
        "data": "Data",
        "describe_rdf": "RDF description",
        "entities": "Entities",
        "tours": "Tours",
        "count": "{n} entries",
        "role": "role: {roles}",
        "skip": "Skip to content",
        "location": "Venue",
    },
}

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
    return STRINGS[lang][key].format(**values)


def _pick(table: dict, key: str, lang: str) -> str | None:
    pair = table.get(key)
    return None if pair is None else pair[LANGUAGES.index(lang)]


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
    return f"{day.day} {_MONTHS[lang][day.month - 1]} {day.year}" + (f" {rest.lstrip('T')}" if rest else "")
