namespace Jisr.Server.Application;

/// <summary>
/// Declassifications: a record change that lowers its marking or widens its TLP:RED recipients is held
/// (<see cref="RecordService.UpdateAsync"/>) until a legal reviewer of the record's agency who is not the requester
/// approves it, for the record's version it was proposed against. Every decision is the policy's.
/// </summary>
public sealed class DeclassificationService(DeclassificationStore store, RecordStore records, RecordService recordService, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The proposed change as kept with the request (the same shape the API takes).</summary>
    public static string Serialize(RecordRequest request) => JsonSerializer.Serialize(request, Json);

    public static RecordRequest Proposed(Declassification declassification)
    {
        ArgumentNullException.ThrowIfNull(declassification);
        return JsonSerializer.Deserialize<RecordRequest>(declassification.ProposedChange, Json)
               ?? throw new InvalidOperationException($"declassification {declassification.Id} holds no proposed change");
    }

    public Task<List<Declassification>> ListAsync(Principal caller, string? status, Guid? record, CancellationToken cancellationToken)
    {
        DeclassificationStatus? wanted = string.IsNullOrEmpty(status) ? null : Declassification.Statuses.Parse(status, "status");
        return store.ListAsync(caller, wanted, record is { } id ? new RecordId(id) : null, cancellationToken);
    }

    public async Task<Outcome<Declassification>> ReadAsync(Principal caller, Guid id, CancellationToken cancellationToken) =>
        Change.Found(await store.ReadAsync(caller, new DeclassificationId(id), cancellationToken), $"declassification {id}");

    /// <summary>Approval applies the proposed change to the record, unless the record changed since (409); refusal leaves it as it is.</summary>
    public async Task<Outcome<Declassification>> DecideAsync(Principal caller, Guid id, bool approve, string? reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var what = $"declassification {id}";
        var declassification = await store.FindAsync(caller, new DeclassificationId(id), cancellationToken);
        if (declassification is null)
        {
            return Refusal.NotFound(what);
        }

        var record = await records.FindForUpdateAsync(caller, declassification.RecordId, cancellationToken);
        if (Refusal.Of(AccessPolicy.CanDecideDeclassification(caller, declassification, record, now), what) is { } refused)
        {
            return refused;
        }

        if (!approve)
        {
            declassification.Refuse(caller.UserId, reason, now);
            await store.RefuseAsync(caller, declassification, cancellationToken);
            return declassification;
        }

        declassification.Approve(record!, caller.UserId, reason, now);
        var assertions = await recordService.ApplyApprovedAsync(caller, record!, Proposed(declassification), now, cancellationToken);
        await store.ApproveAsync(caller, declassification, record!, assertions.NewEntities, assertions.AllEntities, cancellationToken);
        recordService.Added(assertions);
        return declassification;
    }
}
