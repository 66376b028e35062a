"""Namespaces of the project: the ontology's closed vocabulary and the id spaces.

``KG`` is a closed :class:`rdflib.namespace.DefinedNamespace`: a typo such as
``KG.particpant`` raises at once. ``tests/test_namespaces.py`` checks that it
declares exactly the terms of ``ontology.ttl``.

Examples
--------
>>> KG.Event
rdflib.term.URIRef('https://w3id.org/newskg/ns#Event')
>>> ENT["gustavo-petro"]
rdflib.term.URIRef('https://w3id.org/newskg/id/gustavo-petro')
>>> ART["002"]
rdflib.term.URIRef('https://w3id.org/newskg/id/article/002')

"""

from __future__ import annotations

import functools
import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = [
    "ART",
    "BASE",
    "DIS",
    "ENT",
    "EV",
    "FACT",
    "KG",
    "PREFIXES",
    "PROV",
    "SCHEMA",
    "TIE",
    "curie",
    "expand",
    "slug",
    "with_prefixes",
]

BASE = "https://w3id.org/newskg/"


class KG(DefinedNamespace):
    """The newskg ontology (``ontology.ttl``)."""

    _NS = Namespace(BASE + "ns#")
    _fail = True

    ACCUSE: URIRef  # accuse
    AGREE: URIRef  # agree
    AID: URIRef  # aid
    ASSAULT: URIRef  # assault
    Actor: URIRef  # actor
    Actual: URIRef  # actual
    Approximate: URIRef  # approximate
    ArmedGroupSector: URIRef  # armed group
    Article: URIRef  # article
    ArticleShape: URIRef  # article
    COERCE: URIRef  # coerce
    CONCEDE: URIRef  # concede
    CONSULT: URIRef  # consult
    COOPERATE: URIRef  # cooperate
    CivilSocietySector: URIRef  # civil society
    ClaimProperty: URIRef  # claim property
    ComparedProperty: URIRef  # compared property
    Country: URIRef  # country
    DatedShape: URIRef  # dated fact
    Day: URIRef  # day
    DerivedEdge: URIRef  # derived edge
    Disagreement: URIRef  # disagreement
    Event: URIRef  # event
    EventShape: URIRef  # event
    EventType: URIRef  # event type
    Evidence: URIRef  # evidence
    EvidenceShape: URIRef  # evidence
    Exact: URIRef  # exact
    Fact: URIRef  # fact
    FactShape: URIRef  # fact
    GovernmentSector: URIRef  # government
    Group: URIRef  # group
    Hypothetical: URIRef  # hypothetical
    LabelledShape: URIRef  # labelled entity
    LegislatureSector: URIRef  # legislature
    LessThan: URIRef  # less than
    MOBILIZE: URIRef  # mobilize
    Measurement: URIRef  # measurement
    MeasurementShape: URIRef  # measurement
    MediaSector: URIRef  # media
    MilitarySector: URIRef  # military
    Modality: URIRef  # modality
    Mode: URIRef  # mode
    Month: URIRef  # month
    MoreThan: URIRef  # more than
    Negated: URIRef  # negated
    Organisation: URIRef  # organisation
    PROTEST: URIRef  # protest
    Person: URIRef  # person
    Place: URIRef  # place
    PlaceShape: URIRef  # place
    Planned: URIRef  # planned
    Position: URIRef  # position
    PositionShape: URIRef  # position
    Post: URIRef  # post
    PostShape: URIRef  # post
    Precision: URIRef  # date precision
    Qualifier: URIRef  # value qualifier
    REJECT: URIRef  # reject
    REQUEST: URIRef  # request
    RETREAT: URIRef  # retreat
    Relation: URIRef  # relation
    RelationShape: URIRef  # relation
    RelationType: URIRef  # relation type
    SANCTION: URIRef  # sanction
    SUPPORT: URIRef  # support
    Sector: URIRef  # sector
    THREATEN: URIRef  # threaten
    Tenure: URIRef  # tenure
    TenureShape: URIRef  # tenure
    Tie: URIRef  # tie
    Topic: URIRef  # topic
    Year: URIRef  # year
    about: URIRef  # about
    accompaniment: URIRef  # accompaniment
    accuses: URIRef  # accuses
    actor: URIRef  # actor
    actualCount: URIRef  # actual count
    agreedWith: URIRef  # agreed with
    aidCut: URIRef  # aid cut
    aids: URIRef  # aids
    alias: URIRef  # alias
    allegation: URIRef  # allegation
    alliance: URIRef  # allied with
    alliedWith: URIRef  # allied with
    articleCount: URIRef  # article count
    assaults: URIRef  # assaults
    attributedTo: URIRef  # attributed to
    attribution: URIRef  # attribution
    backing: URIRef  # supports
    byline: URIRef  # byline
    callToAction: URIRef  # call to action
    claimedBy: URIRef  # claimed by
    coerces: URIRef  # coerces
    concededTo: URIRef  # conceded to
    contradicts: URIRef  # contradicts
    cooperatesWith: URIRef  # cooperates with
    country: URIRef  # country
    criticism: URIRef  # criticism
    date: URIRef  # date
    datePrecision: URIRef  # date precision
    dateText: URIRef  # date as written
    decertification: URIRef  # decertification
    demonstration: URIRef  # demonstration
    denial: URIRef  # denial
    designates: URIRef  # designates
    designation: URIRef  # designation
    diplomacy: URIRef  # diplomacy
    drugs: URIRef  # drugs
    earliestDate: URIRef  # earliest date
    economy: URIRef  # economy
    edgeProperty: URIRef  # edge property
    elections: URIRef  # elections
    endDate: URIRef  # end date
    energy: URIRef  # energy
    eventType: URIRef  # event type
    eventTypes: URIRef  # PLOVER event types
    extradition: URIRef  # extradition
    factCount: URIRef  # fact count
    financialSanction: URIRef  # financial sanction
    firstDate: URIRef  # first date
    firstWhen: URIRef  # first
    governance: URIRef  # governance
    health: URIRef  # health
    holder: URIRef  # holder
    hypotheticalCount: URIRef  # hypothetical count
    inArticle: URIRef  # in article
    insult: URIRef  # insult
    invitation: URIRef  # invitation
    justice: URIRef  # justice
    kinship: URIRef  # kin of
    lastDate: URIRef  # last date
    lastWhen: URIRef  # last
    latestDate: URIRef  # latest date
    listing: URIRef  # designates
    measures: URIRef  # measures
    meeting: URIRef  # meeting
    memberOf: URIRef  # member of
    metWith: URIRef  # met with
    migration: URIRef  # migration
    military: URIRef  # military
    militaryAid: URIRef  # military aid
    militaryOperation: URIRef  # military operation
    mobilisesAgainst: URIRef  # mobilises against
    modalities: URIRef  # modalities
    modality: URIRef  # modality
    mode: URIRef  # mode
    modeOf: URIRef  # mode of
    modes: URIRef  # modes
    negatedCount: URIRef  # negated count
    note: URIRef  # note
    object: URIRef  # object
    onFact: URIRef  # on fact
    onProperty: URIRef  # on property
    operatesIn: URIRef  # operates in
    opposes: URIRef  # opposes
    opposition: URIRef  # opposes
    otherStatedIn: URIRef  # other side in
    otherValue: URIRef  # other value
    outlet: URIRef  # outlet
    partOf: URIRef  # part of
    participant: URIRef  # participant
    partnership: URIRef  # cooperates with
    periodText: URIRef  # period as written
    phoneCall: URIRef  # phone call
    place: URIRef  # place
    plannedCount: URIRef  # planned count
    post: URIRef  # post
    postIn: URIRef  # post in
    precisions: URIRef  # date precisions
    presence: URIRef  # operates in
    protestsAgainst: URIRef  # protests against
    qualifiers: URIRef  # value qualifiers
    quote: URIRef  # quote
    refusal: URIRef  # refusal
    rejects: URIRef  # rejects
    relatedTo: URIRef  # related to
    relationType: URIRef  # relation type
    relationTypes: URIRef  # relation types
    reportedIn: URIRef  # reported in
    reportsFrom: URIRef  # reports from
    requested: URIRef  # made a request of
    retreatedFrom: URIRef  # retreated from
    sanctions: URIRef  # sanctions
    score: URIRef  # score
    sector: URIRef  # sector
    sectors: URIRef  # sectors
    security: URIRef  # security
    securityCooperation: URIRef  # security cooperation
    seizure: URIRef  # seizure
    sourceFile: URIRef  # source file
    sourceLength: URIRef  # source length
    sourceSha256: URIRef  # source SHA-256
    sovereignty: URIRef  # sovereignty
    stance: URIRef  # stance
    statedIn: URIRef  # stated in
    statedValue: URIRef  # stated value
    statement: URIRef  # statement
    subEventOf: URIRef  # sub-event of
    subject: URIRef  # subject
    supportedBy: URIRef  # supported by
    supports: URIRef  # supports
    target: URIRef  # target
    tariffs: URIRef  # tariffs
    terrorism: URIRef  # terrorism
    threatens: URIRef  # threatens
    tieFrom: URIRef  # tie from
    tieProperty: URIRef  # tie property
    tieTo: URIRef  # tie to
    topic: URIRef  # topic
    topics: URIRef  # topics
    troopDeployment: URIRef  # troop deployment
    unit: URIRef  # unit
    value: URIRef  # value
    valueQualifier: URIRef  # value qualifier
    visaRevocation: URIRef  # visa revocation
    visit: URIRef  # visit
    warning: URIRef  # warning
    weight: URIRef  # weight
    when: URIRef  # when


ENT = Namespace(BASE + "id/")
ART = Namespace(BASE + "id/article/")
EV = Namespace(BASE + "id/evidence/")
FACT = Namespace(BASE + "id/fact/")
TIE = Namespace(BASE + "id/tie/")
DIS = Namespace(BASE + "id/disagreement/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")


#: Prefixes used in written output and declared for every query.
PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "ent": str(ENT),
    "art": str(ART),
    "ev": str(EV),
    "fact": str(FACT),
    "tie": str(TIE),
    "dis": str(DIS),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "org": "http://www.w3.org/ns/org#",
    "dct": "http://purl.org/dc/terms/",
}


def curie(iri: object) -> str:
    """The shortest prefixed form of ``iri`` with the project's prefixes, else ``<iri>``.

    Examples
    --------
    >>> curie("https://w3id.org/newskg/id/fact/x"), curie(KG.Event), curie("http://x.org/y")
    ('fact:x', 'kg:Event', '<http://x.org/y>')

    """
    return _curie(str(iri))


@functools.lru_cache(maxsize=1 << 17)
def _curie(text: str) -> str:  # results name the same ids over and over: each is worked out once
    best = max((ns for ns in PREFIXES.values() if text.startswith(ns)), key=len, default=None)
    if best is None:
        return f"<{text}>"
    prefix = next(k for k, v in PREFIXES.items() if v == best)
    return f"{prefix}:{text[len(best) :]}"


def slug(name: str) -> str:
    """The local name of a prefixed name as a file name (lower-case letters, digits, hyphens).

    The pages kg writes after an actor or a fact are named so (``kg view ego``, the site).

    Examples
    --------
    >>> slug("ent:gustavo-petro"), slug("fact:Petro_Trump 2026"), slug("ent:***")
    ('gustavo-petro', 'petro-trump-2026', '')

    """
    return "-".join(re.findall(r"[a-z0-9]+", name.rpartition(":")[2].lower()))


def expand(name: str) -> str:
    """The full IRI of a prefixed name; anything else is returned as it is.

    Examples
    --------
    >>> expand("ent:gustavo-petro")
    'https://w3id.org/newskg/id/gustavo-petro'

    """
    prefix, colon, local = name.partition(":")
    return PREFIXES[prefix] + local if colon and prefix in PREFIXES else name


def with_prefixes(sparql: str) -> str:
    """``sparql`` after a ``PREFIX`` line for each of the project's prefixes.

    They come first, so that the query's own ``PREFIX`` lines override them.

    >>> with_prefixes("ASK {}").splitlines()[0]
    'PREFIX kg: <https://w3id.org/newskg/ns#>'
    """
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items()) + sparql
