using System.Text.Json;
using Jisr.Fusion.Resolution;
using Jisr.Storage.Fusion;
using Microsoft.Extensions.Logging;

namespace Jisr.Server.Application.Fusion;

/// <summary>
/// Cross-reference jobs: started by one request, stored (<see cref="XrefJobStore"/>), run in the background in a
/// scope of their own, renewed while they run and finished with their hits in the database, so a job, its progress
/// and its result outlive a restart of the node (or are read through another process of it). Only the user who
/// started a job sees it: another user's job id is "not found". One running job per user (409). A job whose process
/// stopped is shown failed, with what to do, once its renewals stop.
/// </summary>
public sealed class XrefJobs(IServiceScopeFactory scopes, ILogger<XrefJobs> log)
{
    /// <summary>How often a running job's progress is written (and the job renewed).</summary>
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);

    /// <summary>Starts a job after the policy's and the input's checks (so those answer at once, not later in the job).</summary>
    public async Task<Outcome<XrefJobRow>> StartAsync(Principal caller, string? against, double? minScore, string purpose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var scope = FusionService.ParseAgainst(against);
        if (minScore is { } score && score is <= 0 or >= 1)
        {
            throw DomainValidationException.Coded("minScore", ValidationCodes.BetweenExclusive, "must be between 0 and 1, exclusive (e.g. 0.5)", 0, 1);
        }

        if (Refusal.Of(AccessPolicy.CanResolveEntities(caller), "cross-reference") is { } refused)
        {
            return refused;
        }

        await using var services = scopes.CreateAsyncScope();
        var store = services.ServiceProvider.GetRequiredService<XrefJobStore>();
        var job = await store.StartAsync(caller, scope, minScore, purpose, cancellationToken);
        if (job is null)
        {
            var running = await store.RunningAsync(caller, cancellationToken);
            return Refusal.Conflict($"your cross-reference {running?.Id} is still running ({running?.Progress} of {running?.Total} persons): wait for it to finish");
        }

        _ = Task.Run(() => RunAsync(caller, job, minScore, purpose));
        return job;
    }

    private async Task RunAsync(Principal caller, XrefJobRow job, double? minScore, string purpose)
    {
        var progress = new LatestProgress();
        using var stop = new CancellationTokenSource();
        var renewals = RenewAsync(job.Id, progress, stop.Token);
        string? hits = null;
        XrefResult? result = null;
        string? error = null;
        try
        {
            await using var services = scopes.CreateAsyncScope();
            var service = services.ServiceProvider.GetRequiredService<FusionService>();
            var outcome = await service.XrefAsync(caller, job.Against, minScore, purpose, progress, CancellationToken.None);
            result = outcome.Value;
            error = outcome.Refusal?.Detail;
            hits = result is null ? null : JsonSerializer.Serialize(result.Hits.Select(StoredHit.Of).ToList(), StoredHit.Json);
        }
        catch (Exception failure)
        {
            log.LogError(failure, "cross-reference job {Job} failed", job.Id);
            error = "the cross-reference failed on the node; the node's log says why";
        }
        finally
        {
            await stop.CancelAsync();
            await renewals;
        }

        try
        {
            await using var services = scopes.CreateAsyncScope();
            await services.ServiceProvider.GetRequiredService<XrefJobStore>()
                .FinishAsync(job.Id, hits, result?.Probes, result?.Targets, result?.Compared, result is null ? error ?? "the cross-reference failed" : null, CancellationToken.None);
        }
        catch (Exception failure)
        {
            // The job stays running until its renewals are missed, then reads as interrupted.
            log.LogError(failure, "cross-reference job {Job} could not be stored as finished", job.Id);
        }
    }

    private async Task RenewAsync(Guid id, LatestProgress progress, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Heartbeat);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    await using var services = scopes.CreateAsyncScope();
                    var (done, total) = progress.Latest;
                    await services.ServiceProvider.GetRequiredService<XrefJobStore>().ReportAsync(id, done, total, stop);
                }
                catch (Exception failure) when (failure is not OperationCanceledException)
                {
                    log.LogWarning(failure, "cross-reference job {Job}: progress not stored this time", id);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    /// <summary>The latest progress, read by the renewals (the run reports from many threads).</summary>
    private sealed class LatestProgress : IProgress<XrefProgress>
    {
        private long _packed;

        public (int Done, int Total) Latest
        {
            get
            {
                var packed = Interlocked.Read(ref _packed);
                return ((int)(packed >> 32), (int)packed);
            }
        }

        public void Report(XrefProgress value)
        {
            while (true)
            {
                var seen = Interlocked.Read(ref _packed);
                var done = Math.Max((int)(seen >> 32), value.Done);
                var next = ((long)done << 32) | (uint)value.Total;
                if (Interlocked.CompareExchange(ref _packed, next, seen) == seen)
                {
                    return;
                }
            }
        }
    }
}

/// <summary>A hit as a finished job keeps it: the two entity ids, the score and the evidence (the persons are read again when shown).</summary>
public sealed record StoredHit(Guid A, Guid B, double Score, IReadOnlyList<Evidence> Evidence)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static StoredHit Of(XrefHit hit) => new(hit.A.Value, hit.B.Value, hit.Score, hit.Evidence);
}
