using Microsoft.Extensions.Logging;

namespace Jisr.Server.Application.Fusion;

/// <summary>
/// Cross-reference jobs of this node process: started by one request, run in the background in a scope of their own,
/// watched (progress, then the hits) by the user who started them, and by no one else: another user's job id is
/// "not found". One running job per user; finished jobs are kept an hour. Jobs live in memory: a restart forgets them,
/// and the user starts again (the run itself is audited when it ends).
/// </summary>
public sealed class XrefJobs(IServiceScopeFactory scopes, TimeProvider time, ILogger<XrefJobs> log)
{
    private static readonly TimeSpan KeepFinished = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<Guid, XrefJob> _jobs = new();

    /// <summary>Starts a job after the policy's and the input's checks (so those answer at once, not later in the job).</summary>
    public Outcome<XrefJob> Start(Principal caller, string? against, double? minScore, string purpose)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var scope = FusionService.ParseAgainst(against);
        if (minScore is { } score && score is <= 0 or >= 1)
        {
            throw new DomainValidationException("minScore", "must be between 0 and 1, exclusive (e.g. 0.5)");
        }

        if (Refusal.Of(AccessPolicy.CanResolveEntities(caller), "cross-reference") is { } refused)
        {
            return refused;
        }

        var now = time.GetUtcNow();
        foreach (var old in _jobs.Values.Where(j => j.FinishedAt is { } at && now - at > KeepFinished))
        {
            _jobs.TryRemove(old.Id, out _);
        }

        if (_jobs.Values.FirstOrDefault(j => j.Owner == caller.UserId && j.FinishedAt is null) is { } running)
        {
            return Refusal.Conflict($"your cross-reference {running.Id} is still running ({running.Done} of {running.Total} persons): wait for it to finish");
        }

        var job = new XrefJob(Guid.CreateVersion7(now), caller.UserId, scope, now);
        _jobs[job.Id] = job;
        _ = Task.Run(async () =>
        {
            try
            {
                await using var services = scopes.CreateAsyncScope();
                var service = services.ServiceProvider.GetRequiredService<FusionService>();
                var outcome = await service.XrefAsync(caller, scope, minScore, purpose, new JobProgress(job), CancellationToken.None);
                job.Finish(outcome.Value, outcome.Refusal?.Detail, time.GetUtcNow());
            }
            catch (Exception failure)
            {
                log.LogError(failure, "cross-reference job {Job} failed", job.Id);
                job.Finish(null, "the cross-reference failed on the node; the node's log says why", time.GetUtcNow());
            }
        });
        return job;
    }

    /// <summary>The caller's own job, or null (unknown, expired, or another user's: the same answer).</summary>
    public XrefJob? Find(Principal caller, Guid id) =>
        _jobs.TryGetValue(id, out var job) && job.Owner == caller.UserId ? job : null;

    private sealed class JobProgress(XrefJob job) : IProgress<XrefProgress>
    {
        public void Report(XrefProgress value) => job.Report(value);
    }
}

/// <summary>One cross-reference job: its progress while it runs, then its result or why it failed.</summary>
public sealed class XrefJob(Guid id, UserId owner, string against, DateTimeOffset startedAt)
{
    private readonly Lock _lock = new();

    public Guid Id { get; } = id;

    public UserId Owner { get; } = owner;

    public string Against { get; } = against;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public int Done { get; private set; }

    public int Total { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public XrefResult? Result { get; private set; }

    public string? Error { get; private set; }

    public string Status => FinishedAt is null ? "running" : Error is null ? "done" : "failed";

    internal void Report(XrefProgress progress)
    {
        lock (_lock)
        {
            Total = progress.Total;
            Done = Math.Max(Done, progress.Done);
        }
    }

    internal void Finish(XrefResult? result, string? error, DateTimeOffset at)
    {
        lock (_lock)
        {
            Result = result;
            Error = result is null ? error ?? "the cross-reference failed" : null;
            Done = result?.Probes ?? Done;
            Total = result?.Probes ?? Total;
            FinishedAt = at;
        }
    }
}
