namespace Jisr.Server.Application;

/// <summary>
/// Data-subject access: everything the caller's agency holds on one person, gathered for a legal reviewer answering
/// the person's access request. The export and its declared purpose are audited.
/// </summary>
public sealed class SubjectAccessService(SubjectAccessStore store)
{
    public async Task<Outcome<SubjectAccess>> ExportAsync(Principal caller, Guid personId, string purpose, CancellationToken cancellationToken)
    {
        var what = $"person {personId}";
        if (Refusal.Of(AccessPolicy.CanExportSubjectAccess(caller), what) is { } refused)
        {
            return refused;
        }

        return Change.Found(await store.ExportAsync(caller, new EntityId(personId), purpose, cancellationToken), what);
    }
}
