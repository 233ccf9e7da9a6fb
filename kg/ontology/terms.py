"""The kg ontology's terms. Generated from ontology/*.ttl by `python -m kg.ontology`: do not edit."""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class KG(DefinedNamespace):
    """kg ontology: actors, places, events, equipment, time, sources and claims."""

    _fail = True
    _NS = Namespace("https://w3id.org/osint-kg/ontology#")

    AbsoluteTime: URIRef  # A calendar date, month or year (kg:date, kg:yearMonth, kg:year).
    ActivityScheme: URIRef  # Activities that actors are tied to.
    Actor: URIRef  # Anyone who acts, is acted upon or makes a claim: an organisation, a person, or a collectiv
    AdminRegion: URIRef  # A first-level administrative division of a country: a state, department or province.
    AircraftDowning: URIRef  # An aircraft (plane, helicopter) brought down by hostile action.
    Allegation: URIRef  # An accusation or attribution of responsibility not shown to be proven ("allegedly", "descr
    Ambush: URIRef  # A surprise attack from a concealed position.
    Approximately: URIRef  # The number is an estimate or a loose count ("about 20"; "a pair of incidents": about 2).
    ArmedClash: URIRef  # Fighting between armed groups, including a prolonged internal war between factions.
    ArmedForces: URIRef  # A state's army, navy, air force or their units.
    ArmedGroup: URIRef  # A non-state organisation that uses armed violence for political or economic ends.
    Assessment: URIRef  # An analytical judgement or warning ("analysts have warned").
    Asset: URIRef  # A particular physical object that takes part in events, such as one police helicopter; its
    AtLeast: URIRef  # The number is a lower bound ("at least 18"; "a colonel was killed": at least 1).
    AtMost: URIRef  # The number is an upper bound ("up to 10").
    Attack: URIRef  # A violent attack on people or property.
    AttackDrone: URIRef  # A drone used to strike targets.
    AttributionScheme: URIRef  # How a source reports what a claimant said, so that a person's own words can be told apa
    BoundScheme: URIRef  # How exact a reported number is. A count is exact only when the text makes it exact: "at le
    Cartel: URIRef  # A drug-trafficking criminal organisation, such as the CJNG.
    CartelFaction: URIRef  # A faction inside or split from a cartel.
    City: URIRef  # A city or town.
    Claim: URIRef  # One statement (rdf:subject, rdf:predicate, rdf:object) as a source makes it: who claims it
    CocaineTrade: URIRef  # Producing, moving and selling cocaine.
    CollectiveActor: URIRef  # An unspecified group referred to collectively ("intelligence analysts", "Mexican drug car
    Country: URIRef  # A sovereign state's territory.
    Credibility1: URIRef  # Confirmed by other independent sources; logical in itself; consistent with other informati
    Credibility2: URIRef  # Not confirmed; logical in itself; consistent with other information on the subject.
    Credibility3: URIRef  # Not confirmed; reasonably logical in itself; agrees with some other information on the sub
    Credibility4: URIRef  # Not confirmed; possible but not logical; no other information on the subject.
    Credibility5: URIRef  # Not confirmed; not logical in itself; contradicted by other information on the subject.
    Credibility6: URIRef  # No basis exists for evaluating the validity of the information.
    CredibilityScheme: URIRef  # NATO Admiralty code (AJP-2.1) information credibility, 1 to 6.
    CriminalOrganization: URIRef  # An organisation whose main business is crime: trafficking, extortion, smuggling.
    CuratorNote: URIRef  # Knowledge the curator brings from outside the sources, such as the expansion of a name or
    Dataset: URIRef  # A structured dataset, such as an RDF file read as input. Claims from it need no quote.
    Digest: URIRef  # A report's facts retold in other words (a curator's digest, a press review); the words in
    DirectQuotation: URIRef  # The claimant's own words, in quotation marks ('"The CJNG ... has its own drone operators,
    Dispute: URIRef  # Computed: sources give different values of a single-valued property for one subject. Each
    DissidentFaction: URIRef  # A faction that broke away from a guerrilla group or refused its peace process, such as t
    Drone: URIRef  # An uncrewed aerial vehicle of any kind.
    DroneAttack: URIRef  # An attack carried out with one or more drones (ACLED: Air/drone strike).
    DroneContrabandDrop: URIRef  # Using drones to carry and drop contraband.
    DroneImpactAttack: URIRef  # Flying an armed drone into its target and detonating it (one-way attack).
    DronePrecisionStrike: URIRef  # Striking a chosen target precisely with a drone.
    DroneReconnaissance: URIRef  # Using drones to scout, for example to watch patrols.
    DrugTrafficking: URIRef  # Producing, moving and selling illegal drugs.
    EquipmentScheme: URIRef  # Kinds of weapons, vehicles and kit.
    Event: URIRef  # Something that happened (or is said to have happened), as an n-ary node whose roles link a
    EventTypeScheme: URIRef  # Kinds of event, loosely following ACLED's event types where they overlap.
    Exact: URIRef  # The text gives the number exactly ("12 people killed", "two separate attacks").
    Explosive: URIRef  # Explosive charges of any kind.
    ExplosiveDrone: URIRef  # A drone carrying an explosive charge.
    FPVDrone: URIRef  # A first-person-view drone, flown through a live camera feed, often into its target.
    Forecast: URIRef  # A statement about what may happen ("I wouldn't be surprised if").
    ForeignLegion: URIRef  # A military unit of foreign volunteers, such as Ukraine's International Legion.
    Government: URIRef  # The executive of a state, sometimes named after its capital ("Kyiv").
    Grenade: URIRef  # A hand grenade or similar small explosive munition.
    GrenadeDrone: URIRef  # A drone fitted with a grenade to drop or to detonate on impact.
    GuerrillaGroup: URIRef  # An insurgent armed group waging irregular warfare, such as the FARC.
    Helicopter: URIRef  # A rotary-wing aircraft.
    Killing: URIRef  # The killing of one or more people.
    MediaOrganization: URIRef  # A newspaper, journal, broadcaster or news agency.
    MilitaryKit: URIRef  # Personal military equipment: uniform, armour, webbing.
    MilitaryUnit: URIRef  # A unit of an armed force.
    Ministry: URIRef  # A government ministry or department, such as a defence ministry.
    ModalityScheme: URIRef  # How a claim is put forward.
    Most: URIRef  # The larger part of a whole the text counts, with no number of its own ("115 drone attacks
    NationalGuard: URIRef  # A gendarmerie-type national guard, such as Mexico's Guardia Nacional.
    NewsReport: URIRef  # A news article or report.
    OfficialStatement: URIRef  # A statement published by an authority itself (a ministry's communiqué, a police press r
    OrganisedCrime: URIRef  # Serious crime planned and carried out by organised groups.
    Organization: URIRef  # An organised group of people with a name or a recognisable identity.
    OriginalReport: URIRef  # An outlet's own reporting (the default).
    Paraphrase: URIRef  # The narrator's summary or characterisation of what the claimant says ("describing the stri
    PeaceTalks: URIRef  # Negotiations between a state and armed groups.
    Person: URIRef  # An individual human being, named or not.
    Place: URIRef  # A named location. Places nest with kg:locatedIn: city, state or department, country, regio
    PoliceForce: URIRef  # A national, state or local police force.
    PublicStatement: URIRef  # An actor speaks to the press or the public ("told a European defence journal").
    Quadcopter: URIRef  # A small four-rotor drone, often a commercial model.
    Quantity: URIRef  # A number as a source gives it, with its bound: a value (kg:value) and how exact it is (kg:
    RecruitmentTravel: URIRef  # Fighters are recruited, join a force, or travel to, through or back from a conflict zon
    Region: URIRef  # A supranational region such as Latin America or Europe.
    RelativeTime: URIRef  # A time given relative to a document's date or to another event ("last week", "in recent mo
    ReliabilityA: URIRef  # No doubt of authenticity, trustworthiness or competency; a history of complete reliability
    ReliabilityB: URIRef  # Minor doubt; a history of valid information most of the time.
    ReliabilityC: URIRef  # Doubt; has provided valid information in the past.
    ReliabilityD: URIRef  # Significant doubt; has provided valid information in the past.
    ReliabilityE: URIRef  # Lacks authenticity, trustworthiness and competency; a history of invalid information.
    ReliabilityF: URIRef  # No basis exists for evaluating the reliability of the source.
    ReliabilityScheme: URIRef  # NATO Admiralty code (AJP-2.1) source reliability, A to F.
    ReportedFact: URIRef  # Stated as fact: by the source in its own voice (the one case a statement is asserted as a
    ReportedSpeech: URIRef  # The claimant's statement retold with a verb of saying ("President Gustavo Petro said the a
    Retelling: URIRef  # An outlet's story built on another outlet's report ("first reported by Intelligence Online
    RiskConsultancy: URIRef  # A private firm selling risk and intelligence analysis, such as Sibylline.
    SecurityCrisis: URIRef  # A prolonged, country-wide deterioration of security.
    SecurityForce: URIRef  # A state force that uses force lawfully: police, armed forces, national guard.
    SecurityService: URIRef  # A state security or intelligence service.
    SeizureDisplay: URIRef  # Authorities seize weapons or equipment, or display what they seized.
    SingleValuedProperty: URIRef  # A property with one true value per subject (deaths, place, date, perpetrator, aircra
    SocialMediaPost: URIRef  # A post on a social network (a governor writing on X).
    Source: URIRef  # A document that claims come from: a news report, an official statement, a dataset.
    SourceKindScheme: URIRef  # What a source is, and whether it derives from another (the sources table's kind column).
    StateBody: URIRef  # An organisation of a state: government, ministry, security force or service.
    Statistic: URIRef  # A count of events over a period, as a source reports it ("115 drone attacks were recorded
    SyndicatedCopy: URIRef  # The same report republished by another site (a wire story, a syndication partner).
    TacticScheme: URIRef  # Ways of fighting or operating.
    TimeExpression: URIRef  # When something happened, with its precision (time:unitType) and the words the source used
    Trafficking: URIRef  # Smuggling of drugs or contraband, and the operations that support it.
    Training: URIRef  # Actors learn or are taught skills, tactics or the use of equipment.
    Transaction: URIRef  # Goods, services or know-how are sold or bought ("sell that knowledge to whoever pays the h
    Translation: URIRef  # A report translated into another language.
    Trend: URIRef  # A change over time that a source describes without a count ("a very large uptick", "a fall
    UnnamedActor: URIRef  # A single actor the source does not name ("a Ukrainian security official", "a FARC operativ
    Vague: URIRef  # No number is given, only words ("dozens", "a wave of attacks"), kept in kg:asWorded.
    Zone: URIRef  # An informally bounded area: a production zone, a border strip.
    affiliatedWith: URIRef  # The subject works for or is attached to the object organisation.
    after: URIRef  # The event happened after the object event ("later").
    agent: URIRef  # The actor who did a non-violent act, such as displaying seized equipment or recording a st
    aggravates: URIRef  # The event worsens or deepens the object situation (attacks "deepening the country's most s
    alliedWith: URIRef  # The two actors fight or work on the same side.
    anchorDate: URIRef  # Computed: the publication date a relative time was anchored to, as precise as the source g
    anchorSource: URIRef  # Computed: the source whose publication date a relative time was anchored to (its own sourc
    anchoredEnd: URIRef  # Computed: the last day of the interval a relative time stands for.
    anchoredPrecision: URIRef  # Computed: the precision of the anchored interval (day, week, month, year).
    anchoredStart: URIRef  # Computed: the first day of the interval a relative time stands for, from its wording and i
    asWorded: URIRef  # The source's words for a quantity that has no number ("dozens", "a wave", "most").
    asserted: URIRef  # True when the claim is a source's own voice stating a reported fact: no claimant, modality
    attracts: URIRef  # The subject draws recruits or volunteers from the object group.
    attribution: URIRef  # How the source reports a claimant's words (kg:AttributionScheme): direct quotation, report
    basedIn: URIRef  # The actor is based in, or comes from, the place.
    bound: URIRef  # How exact a kg:Quantity is (a concept of kg:BoundScheme): exactly, at least, at most, abou
    claimant: URIRef  # Who makes the claim: a named person or body, or an unnamed or collective voice ("a Ukraini
    concerns: URIRef  # The statement, warning, trend or statistic is about the object event ("Reports of Colombia
    copyOf: URIRef  # The source is a syndicated copy of the object source: the same report, republished.
    count: URIRef  # For a statistic or an aggregate event: how many events it counts, as a kg:Quantity with it
    countOf: URIRef  # The kind of event a statistic counts (a concept of kg:EventTypeScheme).
    curatorInference: URIRef  # True when the text only implies the statement (a containment, an identity, a nationality
    date: URIRef  # The calendar day, when known to the day.
    datedBy: URIRef  # Computed: the source whose publication date dates this source's content: the source itself
    digestOf: URIRef  # The source is a digest of the object source: its facts retold in other words.
    disputedProperty: URIRef  # Computed: the single-valued property whose value the sources dispute.
    disputedSubject: URIRef  # Computed: the subject whose value the sources dispute.
    dissidentFactionOf: URIRef  # The subject is a faction that broke away from the object group.
    distinctFrom: URIRef  # The curator's claim that two entities with alike names are different (two police forces bo
    equipmentType: URIRef  # The kind of an asset, a concept of kg:EquipmentScheme.
    eventType: URIRef  # The kind of event, a concept of kg:EventTypeScheme.
    expressionText: URIRef  # The words the source uses for the time ("last week").
    external: URIRef  # True when the claim comes from outside the sources (a curator note), not from the text.
    factionOf: URIRef  # The subject is a faction of the object organisation.
    fightsAlongside: URIRef  # The subject fights on the side of the object.
    formerLeaderOf: URIRef  # The subject once led the object organisation.
    formerStrongholdOf: URIRef  # The place was once the stronghold of the actor.
    hasActor: URIRef  # An actor takes part in the event in some role; the sub-properties name the role.
    hasPart: URIRef  # The aggregate event includes the object event.
    hasPurpose: URIRef  # The event is done in order to bring about the object event (fighters sent "to gain battlef
    hasTime: URIRef  # When the event happened, as a time expression with its precision.
    informationCredibility: URIRef  # NATO Admiralty grade of the information's credibility, 1 (confirmed) to 6 (cannot
    involvedIn: URIRef  # The actor is tied to an illicit activity (a concept of kg:ActivityScheme).
    killed: URIRef  # How many people were killed, as a kg:Quantity that carries its own bound (exactly 12, at l
    latitude: URIRef  # WGS84 latitude in decimal degrees; the build also writes a geo:Geometry with a WKT point.
    leaderOf: URIRef  # The subject leads or heads the object organisation.
    locatedIn: URIRef  # The subject place lies within the object place. Transitive: walk it with kg:locatedIn+ in
    longitude: URIRef  # WGS84 longitude in decimal degrees.
    memberOf: URIRef  # The subject belongs to the object organisation or group.
    mission: URIRef  # The purpose the asset or actor was on, in the source's words.
    modality: URIRef  # How the claim is put forward: reported fact, assessment, allegation or forecast (kg:Modali
    nationality: URIRef  # The country whose nationals the person or group are.
    note: URIRef  # A curator's note on a claim or entity.
    occursAmid: URIRef  # The event (often a statement or warning) happens while the object situation is under way (
    operatedBy: URIRef  # The actor who operates or owns the asset.
    operatesIn: URIRef  # The actor is active in the place.
    origin: URIRef  # Computed: the independent origin a source's reporting counts as. Follow the source's deriv
    outlet: URIRef  # The outlet or publisher of the source: an organisation entity (usually a kg:MediaOrganizat
    partOf: URIRef  # The event is one of the parts of an aggregate event (one of "two separate attacks").
    participant: URIRef  # An actor who took part in the event without a more specific role.
    perpetrator: URIRef  # The actor who carried out the event (an attack, an ambush).
    place: URIRef  # Where the event happened.
    published: URIRef  # When the source was published, as precisely as known: an xsd:date, xsd:gYearMonth or xsd:g
    publishedPrecision: URIRef  # How precise kg:published is: time:unitDay, time:unitMonth or time:unitYear.
    quote: URIRef  # The verbatim words of the source that support the claim, in the source's language (tagged
    quoteTranslation: URIRef  # The curator's translation of a claim's quote, language-tagged, beside the verbatim quote
    relativeTo: URIRef  # What a relative time counts from: a source document (whose date may be unknown) or an even
    reportedVia: URIRef  # The outlet the claimant spoke through before the source reported it ("told a European defe
    retellingOf: URIRef  # The source retells another outlet's report ("first reported by Intelligence Online"): what
    rivalOf: URIRef  # The two actors are rivals or at war with each other.
    role: URIRef  # The role or title the source gives a person, in its words ("President", "police chief of s
    sameAs: URIRef  # The curator's claim that the subject entity is the object entity (two reports name one gro
    seizedAsset: URIRef  # A particular asset seized, or displayed after seizure, in the event.
    source: URIRef  # The document the claim was read from.
    sourceKind: URIRef  # What kind of source it is (kg:SourceKindScheme): an original report, a syndicated copy, a
    sourceReliability: URIRef  # NATO Admiralty grade of the claimant's reliability, A (completely reliable) to F (canno
    status: URIRef  # The state of an ongoing process in the source's words ("stalled", "rising again").
    target: URIRef  # Who or what the event was aimed at: an actor or an asset.
    textFile: URIRef  # The file name of the source's full text, looked up on the source search path to check quot
    textSha256: URIRef  # The hex SHA-256 of the source's text file when it was registered; kg validate warns (KG905
    translationOf: URIRef  # The source is a translation of the object source.
    unitCostUSD: URIRef  # The cost of one item in US dollars, as the source gives it.
    unitUnspecified: URIRef  # No precision can be given ("recently", "later").
    usedAsset: URIRef  # A particular asset (one helicopter, one batch of drones) used in the event.
    usedEquipment: URIRef  # Equipment of this kind (a concept of kg:EquipmentScheme) was used in the event.
    usedTactic: URIRef  # This tactic (a concept of kg:TacticScheme) was used in the event.
    usesEquipment: URIRef  # The actor uses equipment of this kind (a concept of kg:EquipmentScheme).
    usesTactic: URIRef  # The actor uses this tactic (a concept of kg:TacticScheme).
    value: URIRef  # The number of a kg:Quantity; read it with the quantity's kg:bound (18 with kg:AtLeast is "
    version: URIRef  # Computed: a claim giving one of the disputed values.
    versionRank: URIRef  # Computed: the place of a disputed claim in the order of its source's publication (1 first;
    wounded: URIRef  # How many people were wounded, as a kg:Quantity with its bound ("dozens" is a vague quantit
    year: URIRef  # The year, when known to the year.
    yearMonth: URIRef  # The month, when known to the month.


#: The notations of kg:ModalityScheme's concepts (what a claim's modality cell may say), sorted.
MODALITIES: tuple[str, ...] = ('allegation', 'assessment', 'forecast', 'reported-fact')
