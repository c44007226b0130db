namespace Jisr.Storage.Fusion;

/// <summary>
/// A cross-reference job as stored: who started it and why, where it stands, and when done its hits (JSON written by
/// the application, entity ids and scores with their evidence: the persons are read again, through the policy, when
/// the job is shown). Kept in the database so a job and its result outlive a restart of the node.
/// </summary>
public sealed class XrefJobRow
{
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";

    public const int MaxPurposeLength = 500;

    public Guid Id { get; set; }

    /// <summary>The user who started it: the only one who sees it.</summary>
    public UserId OwnerId { get; set; }

    public AgencyId AgencyId { get; set; }

    public string Against { get; set; } = "";

    public double? MinScore { get; set; }

    public string Purpose { get; set; } = "";

    public string Status { get; set; } = Running;

    public int Progress { get; set; }

    public int Total { get; set; }

    /// <summary>Probes compared by this run (fewer than <see cref="Probes"/> when it reused an earlier run).</summary>
    public int? Compared { get; set; }

    public int? Probes { get; set; }

    public int? Targets { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Renewed while the job runs: a running job not renewed for <see cref="XrefJobStore.StaleAfter"/> died with its process.</summary>
    public DateTimeOffset HeartbeatAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public string? Error { get; set; }

    public string? HitsJson { get; set; }
}

/// <summary>
/// Where an agency's last cross-reference of one scope stands (what it saw of every person, and its hits, as bytes
/// the fusion core writes): the next run compares only what changed since. It is the core's own working state, never
/// shown to anyone; a run that reuses it answers exactly what a full run would for its caller. Stored in parts of at most
/// <see cref="XrefJobStore.PartBytes"/> (a state kept before parts came is one part, until the next run replaces it),
/// one row each, written and read in turn: the state of a million persons is 140 MB, which as one value was held three
/// times over while it was written (the bytes, the parameter, the engine's copy), the peak of the whole run.
/// </summary>
public sealed class XrefWatermark
{
    public AgencyId AgencyId { get; set; }

    /// <summary>The scope and the options that decide hits (e.g. "partners;0.5").</summary>
    public string Scope { get; set; } = "";

    /// <summary>This row's place in the state, from 0: the state is the parts' bytes in this order.</summary>
    public int Part { get; set; }

    public byte[] State { get; set; } = [];

    public DateTimeOffset UpdatedAt { get; set; }
}
