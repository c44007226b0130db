using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Matching.Names;
using Jisr.Storage.Records;

namespace Jisr.Server.Persons;

/// <summary>
/// The node's candidate index over every person name it holds, whatever agency holds it: it only proposes
/// candidates, and the caller's policy filter decides which of them the caller sees. Built from the database on first
/// use; persons created through this node's API are added as they are stored, and the index is rebuilt once the
/// additions grow large. Persons written by another process (the CLI) appear after the node restarts.
/// </summary>
public sealed class PersonNameIndex(PersonNames names)
{
    private const int RebuildAfter = 20_000;

    private readonly SemaphoreSlim _build = new(1, 1);
    private readonly Lock _additionsLock = new();
    private NameIndex<EntityId>? _index;
    private List<(EntityId Id, string Name, IReadOnlyList<NameToken> Tokens)> _additions = [];

    /// <summary>Candidate person ids with the best-matching name and its score, best first (at most <paramref name="k"/>).</summary>
    public async Task<IReadOnlyList<NameCandidate<EntityId>>> CandidatesAsync(string name, int k, CancellationToken cancellationToken)
    {
        var index = _index ?? await BuildAsync(cancellationToken);
        var found = index.Query(name, k).ToList();
        List<(EntityId Id, string Name, IReadOnlyList<NameToken> Tokens)> additions;
        lock (_additionsLock)
        {
            additions = _additions;
        }

        if (additions.Count > 0)
        {
            var query = NameParser.Parse(name);
            found.AddRange(additions.Select(a => new NameCandidate<EntityId>(a.Id, a.Name, NameMatcher.Score(query, a.Tokens))));
        }

        // One line per person: the best of its names.
        return [.. found.GroupBy(c => c.Id).Select(g => g.MaxBy(c => c.Score)!).OrderByDescending(c => c.Score).Take(k)];
    }

    /// <summary>Adds the names of persons just stored through this node.</summary>
    public void Add(IEnumerable<Entity> entities)
    {
        var persons = entities.OfType<Person>().SelectMany(p => p.Names.Select(n => (p.Id, n.Text, NameParser.Parse(n.Text)))).ToList();
        if (persons.Count == 0 || _index is null)
        {
            return; // not built yet: the build will read them from the database
        }

        lock (_additionsLock)
        {
            _additions = [.. _additions, .. persons];
            if (_additions.Count > RebuildAfter)
            {
                _index = null; // the next query rebuilds from the database, additions included
                _additions = [];
            }
        }
    }

    private async Task<NameIndex<EntityId>> BuildAsync(CancellationToken cancellationToken)
    {
        await _build.WaitAsync(cancellationToken);
        try
        {
            if (_index is { } built)
            {
                return built;
            }

            var index = NameIndex<EntityId>.Build(await names.AllAsync(cancellationToken));
            lock (_additionsLock)
            {
                _additions = [];
                _index = index;
            }

            return index;
        }
        finally
        {
            _build.Release();
        }
    }
}
