namespace Jisr.Domain.Records;

public enum ThreatDomain
{
    Terrorism,
    TerrorismFinancing,
    OrganisedCrime,
    MigrantSmuggling,
    HumanTrafficking,
    DrugTrafficking,
    Cybercrime,
    OnlineExtremism,
}

public enum RecordKind
{
    IntelligenceReport,
    FieldReport,
    Notice,
    Request,
    Reply,
}

public static class RecordVocabulary
{
    public static readonly WireNames<ThreatDomain> ThreatDomains = new(
        (ThreatDomain.Terrorism, "terrorism"),
        (ThreatDomain.TerrorismFinancing, "terrorism-financing"),
        (ThreatDomain.OrganisedCrime, "organised-crime"),
        (ThreatDomain.MigrantSmuggling, "migrant-smuggling"),
        (ThreatDomain.HumanTrafficking, "human-trafficking"),
        (ThreatDomain.DrugTrafficking, "drug-trafficking"),
        (ThreatDomain.Cybercrime, "cybercrime"),
        (ThreatDomain.OnlineExtremism, "online-extremism"));

    public static readonly WireNames<RecordKind> Kinds = new(
        (RecordKind.IntelligenceReport, "intelligence-report"),
        (RecordKind.FieldReport, "field-report"),
        (RecordKind.Notice, "notice"),
        (RecordKind.Request, "request"),
        (RecordKind.Reply, "reply"));
}
