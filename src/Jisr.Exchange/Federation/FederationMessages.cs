namespace Jisr.Exchange.Federation;

/// <summary>The message types nodes exchange; the payload of each is the JSON form of the record named beside it.</summary>
public static class FederationMessageTypes
{
    /// <summary><see cref="AgreementTerms"/>: an administrator proposed an agreement to an agency of the recipient node.</summary>
    public const string AgreementPropose = "agreement.propose";

    /// <summary><see cref="AgreementChangeMessage"/>: accept, suspend, resume or end, by one party's administrator.</summary>
    public const string AgreementChange = "agreement.change";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { AgreementPropose, AgreementChange };
}

/// <summary>The terms of an agreement, the same on both nodes (same id); names as in the API (threat domains, markings).</summary>
public sealed record AgreementTerms(
    Guid Id,
    Guid ProposerAgencyId,
    Guid PartnerAgencyId,
    IReadOnlyList<string> ThreatDomains,
    string HighestClassification,
    IReadOnlyList<string> HandlingCodes,
    DateOnly ValidFrom,
    DateOnly ValidUntil,
    Guid ProposedBy,
    DateTimeOffset ProposedAt);

/// <summary>A change of an agreement's status made on the sender's node by one party (<paramref name="ByAgencyId"/>).</summary>
public sealed record AgreementChangeMessage(Guid AgreementId, string Action, Guid ByAgencyId, Guid ByUserId, string? Reason, DateTimeOffset At);

/// <summary>What a node says about itself at <c>/federation/v1/node</c>: its key and the agencies it hosts.</summary>
public sealed record NodeDescription(string Fingerprint, string PublicKey, IReadOnlyList<NodeAgency> Agencies);

public sealed record NodeAgency(Guid Id, string Code, string Name, string Country);
