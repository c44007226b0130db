namespace Jisr.Exchange.Stix.Import;

/// <summary>What an import assumes where a foreign bundle says nothing (no Jisr extension), and its limits.</summary>
public sealed record StixImportOptions
{
    /// <summary>Bundles above this size are refused before reading (2 GB feeds are cut up by the sender or let in on purpose).</summary>
    public long MaxBundleBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Threat domain of records made from foreign reports whose labels name none of Jisr's.</summary>
    public ThreatDomain DefaultThreatDomain { get; init; } = ThreatDomain.Cybercrime;

    /// <summary>TLP where an object carries none: AMBER, so that nothing unmarked is shared wider than its sender may have meant.</summary>
    public Tlp DefaultTlp { get; init; } = Tlp.Amber;

    public Classification DefaultClassification { get; init; } = Classification.Unclassified;

    /// <summary>Admiralty grade of foreign information: F6, reliability and credibility cannot be judged.</summary>
    public SourceGrading DefaultGrading { get; init; } = SourceGrading.Parse("F6");

    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(5 * 365);

    public TimeSpan Review { get; init; } = TimeSpan.FromDays(365);

    public string Purpose { get; init; } = "information received from a partner in STIX 2.1";

    /// <summary>What the received objects' source says: "stix" for a bundle file, "misp" for an event.</summary>
    public string SourceKind { get; init; } = "stix";
}
