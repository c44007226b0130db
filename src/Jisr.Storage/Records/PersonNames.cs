using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Storage.Records;

/// <summary>
/// Every person name the node holds, whatever agency holds it: what the node's name-matching candidate index is
/// built from. The index only proposes candidates; the caller's policy filter decides which of them they see.
/// </summary>
public sealed class PersonNames(DatabaseLocation location)
{
    public async Task<List<(EntityId PersonId, string Name)>> AllAsync(CancellationToken cancellationToken)
    {
        await using var db = JisrDatabase.Open(location);
        var persons = await db.Entities.AsNoTracking().OfType<Person>().ToListAsync(cancellationToken);
        return [.. persons.SelectMany(p => p.Names.Select(n => (p.Id, n.Text)))];
    }
}
