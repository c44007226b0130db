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

    /// <summary>Every person name with the agency that holds the person (the index keeps one candidate pass per agency).</summary>
    public async Task<HeldPersons> AllHeldAsync(CancellationToken cancellationToken) => await CreatedSinceAsync(null, cancellationToken);

    /// <summary>Names of the persons stored at or after <paramref name="since"/> (all when null), by this process or another.</summary>
    public async Task<HeldPersons> CreatedSinceAsync(DateTimeOffset? since, CancellationToken cancellationToken)
    {
        await using var db = JisrDatabase.Open(location);
        var query = db.Entities.AsNoTracking().OfType<Person>();
        if (since is { } from)
        {
            query = query.Where(p => p.CreatedAt >= from);
        }

        // The columns the index needs, not whole entities: over a million persons, materialising every person with its
        // identifiers, nationalities and dates cost most of the build.
        var persons = await query.Select(p => new { p.Id, p.AgencyId, p.Names, p.CreatedAt }).ToListAsync(cancellationToken);
        return new HeldPersons([.. persons.SelectMany(p => p.Names.Select(n => new HeldPersonName(p.Id, p.AgencyId, n.Text, p.CreatedAt)))], [.. persons.Select(p => p.Id)], persons.Count == 0 ? null : persons.Max(p => p.CreatedAt));
    }

    /// <summary>A cheap fingerprint of the stored persons (how many, the latest stored): it changes when any process adds or deletes one.</summary>
    public async Task<(int Count, DateTimeOffset? Latest)> FingerprintAsync(CancellationToken cancellationToken)
    {
        await using var db = JisrDatabase.Open(location);
        var persons = db.Entities.AsNoTracking().OfType<Person>();
        var count = await persons.CountAsync(cancellationToken);
        var latest = count == 0 ? (DateTimeOffset?)null : await persons.MaxAsync(p => (DateTimeOffset?)p.CreatedAt, cancellationToken);
        return (count, latest);
    }
}

/// <summary>Stored persons: their names, their ids (a person may have no name) and when the latest was stored.</summary>
public sealed record HeldPersons(IReadOnlyList<HeldPersonName> Names, IReadOnlyList<EntityId> Persons, DateTimeOffset? Latest);

/// <summary>One name of a stored person, with the agency that holds the person and when it was stored.</summary>
public sealed record HeldPersonName(EntityId PersonId, AgencyId AgencyId, string Name, DateTimeOffset CreatedAt);
