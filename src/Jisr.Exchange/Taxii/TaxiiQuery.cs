namespace Jisr.Exchange.Taxii;

/// <summary>One version of one STIX object in a TAXII collection, with the moment the collection got it.</summary>
public sealed record TaxiiObject(string Id, string Type, string Version, string SpecVersion, DateTimeOffset DateAdded, string Json);

/// <summary>A request the TAXII filters or paging cannot serve (400).</summary>
public sealed class TaxiiQueryException(string message) : Exception(message);

/// <summary>
/// The TAXII 2.1 filters of a GET objects / manifest / versions request: <c>added_after</c>, <c>match[id]</c>,
/// <c>match[type]</c>, <c>match[version]</c> (first, last, all, or timestamps; default last), <c>match[spec_version]</c>
/// (default: each object's latest specification version), <c>limit</c> and <c>next</c>.
/// </summary>
public sealed record TaxiiFilter(
    DateTimeOffset? AddedAfter,
    IReadOnlySet<string>? Ids,
    IReadOnlySet<string>? Types,
    IReadOnlySet<string> Versions,
    IReadOnlySet<string>? SpecVersions,
    int? Limit,
    string? Next)
{
    /// <summary>
    /// The most objects a page holds (a client's larger <c>limit</c> gets this many). A pulled page is one import: at
    /// 1,000 the fixed cost of each (its transaction, prepared statements, records, audit) was a large share of a pull.
    /// </summary>
    public const int MaxPageSize = 5000;

    public static readonly TaxiiFilter All = new(null, null, null, new HashSet<string> { "all" }, null, null, null);

    /// <summary>Reads the query string; unknown parameters are ignored (the specification lets a server do so).</summary>
    public static TaxiiFilter Parse(Func<string, string?> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        DateTimeOffset? addedAfter = null;
        if (query("added_after") is { Length: > 0 } after)
        {
            addedAfter = TaxiiTime.Parse(after) ?? throw new TaxiiQueryException($"added_after: '{after}' is not a timestamp");
        }

        int? limit = null;
        if (query("limit") is { Length: > 0 } text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                throw new TaxiiQueryException($"limit: '{text}' is not a positive whole number");
            }

            limit = n;
        }

        var versions = List(query("match[version]")) ?? new HashSet<string> { "last" };
        foreach (var version in versions.Where(v => v is not ("first" or "last" or "all")))
        {
            _ = TaxiiTime.Parse(version) ?? throw new TaxiiQueryException($"match[version]: '{version}' is not first, last, all or a timestamp");
        }

        return new TaxiiFilter(addedAfter, List(query("match[id]")), List(query("match[type]")), versions, List(query("match[spec_version]")), limit, NullIfEmpty(query("next")));
    }

    private static HashSet<string>? List(string? value) =>
        string.IsNullOrEmpty(value) ? null : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>What a <c>next</c> token is bound to: the filters (not the page size), so that changing them while paging is refused.</summary>
    internal string Fingerprint()
    {
        static string Join(IEnumerable<string>? items) => items is null ? "-" : string.Join(",", items.Order(StringComparer.Ordinal));
        var text = $"{AddedAfter?.UtcTicks}|{Join(Ids)}|{Join(Types)}|{Join(Versions)}|{Join(SpecVersions)}";
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}

/// <summary>One page of a TAXII answer.</summary>
public sealed record TaxiiPage(IReadOnlyList<TaxiiObject> Items, bool More, string? Next)
{
    public DateTimeOffset? First => Items.Count == 0 ? null : Items.Min(i => i.DateAdded);

    public DateTimeOffset? Last => Items.Count == 0 ? null : Items.Max(i => i.DateAdded);
}

/// <summary>
/// Applies <see cref="TaxiiFilter"/> to a collection's object versions and pages them in date-added order. A <c>next</c>
/// token names the last item of the page (date added, id, version) and the filters it was made for: the next page is
/// what comes after that item, so objects added meanwhile are neither skipped nor repeated.
/// </summary>
public static class TaxiiQuery
{
    public static TaxiiPage Select(IEnumerable<TaxiiObject> objects, TaxiiFilter filter, int maxPageSize = TaxiiFilter.MaxPageSize)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(filter);
        if (objects is TaxiiObjectSet { IsComplete: true } set)
        {
            var chosen = Choose(set, filter, maxPageSize);
            return new TaxiiPage([.. chosen.Positions.Select(p => set[p])], chosen.More, chosen.Next);
        }

        var selected = new List<TaxiiObject>();
        foreach (var versions in objects
            .Where(o => Matches(o, filter))
            .GroupBy(o => o.Id, StringComparer.Ordinal))
        {
            selected.AddRange(Chosen(versions.ToList(), filter).Where(v => filter.AddedAfter is null || v.DateAdded > filter.AddedAfter));
        }

        if (!IsInOrder(selected))
        {
            selected.Sort(Compare); // a collection kept in order (see InOrder) is not sorted again for every page
        }

        var fingerprint = filter.Fingerprint();
        var start = 0;
        if (After(filter, fingerprint) is { } after)
        {
            start = selected.FindIndex(o => Compare(o, after) > 0);
            if (start < 0)
            {
                start = selected.Count;
            }
        }

        var size = Math.Min(filter.Limit ?? maxPageSize, maxPageSize);
        var page = selected.Skip(start).Take(size).ToList();
        var more = start + page.Count < selected.Count;
        return new TaxiiPage(page, more, more ? Encode(page[^1], fingerprint) : null);
    }

    /// <summary>
    /// A page of a kept collection (<see cref="TaxiiObjectSet"/>), once the texts of its objects are made (the first
    /// pages of a set still making its texts go out before the last ones exist). Same answer as <see cref="Select"/>.
    /// </summary>
    public static async Task<TaxiiPage> SelectAsync(TaxiiObjectSet set, TaxiiFilter filter, CancellationToken cancellationToken, int maxPageSize = TaxiiFilter.MaxPageSize)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(filter);
        var (positions, more, next) = Choose(set, filter, maxPageSize);
        await set.ReadyAsync(positions.Count == 0 ? -1 : positions[^1], cancellationToken);
        return new TaxiiPage([.. positions.Select(p => set[p])], more, next);
    }

    /// <summary>
    /// The positions of a page of a kept collection: the page after <c>next</c> is found by binary search and read
    /// forward until it is full and one more object is known to follow, deciding each object from its own id's versions
    /// only (its identity, type and versions: no text needed). Same answer as grouping the whole collection (a test
    /// compares both), at the cost of a page, not of the collection, on every request.
    /// </summary>
    private static (List<int> Positions, bool More, string? Next) Choose(TaxiiObjectSet set, TaxiiFilter filter, int maxPageSize)
    {
        var fingerprint = filter.Fingerprint();
        var from = After(filter, fingerprint) is { } after ? set.FirstAfter(after, Compare) : 0;

        var size = Math.Min(filter.Limit ?? maxPageSize, maxPageSize);
        var page = new List<int>(Math.Min(size, 1024));
        var more = false;
        Dictionary<int, HashSet<int>>? chosenByGroup = null; // ids with several versions: decided once per request, by position (a text made meanwhile replaces the object)
        foreach (var position in filter.Ids is null ? Enumerable.Range(from, Math.Max(0, set.Count - from)) : set.PositionsOf(filter.Ids, from))
        {
            var item = set[position];
            if (!Matches(item, filter) || (filter.AddedAfter is not null && item.DateAdded <= filter.AddedAfter))
            {
                continue;
            }

            var group = set.GroupAt(position);
            bool chosen;
            if (group.Length == 1)
            {
                chosen = Chosen([item], filter).Count == 1;
            }
            else
            {
                chosenByGroup ??= [];
                var key = set.GroupNumberAt(position);
                if (!chosenByGroup.TryGetValue(key, out var versions))
                {
                    var candidates = group.Select(p => (Position: p, Item: set[p])).Where(c => Matches(c.Item, filter)).ToList();
                    var picked = new HashSet<TaxiiObject>(Chosen([.. candidates.Select(c => c.Item)], filter), ReferenceEqualityComparer.Instance);
                    versions = [.. candidates.Where(c => picked.Contains(c.Item)).Select(c => c.Position)];
                    chosenByGroup[key] = versions;
                }

                chosen = versions.Contains(position);
            }

            if (!chosen)
            {
                continue;
            }

            if (page.Count == size)
            {
                more = true;
                break;
            }

            page.Add(position);
        }

        return (page, more, more ? Encode(set[page[^1]], fingerprint) : null);
    }

    private static bool Matches(TaxiiObject item, TaxiiFilter filter) =>
        (filter.Ids is null || filter.Ids.Contains(item.Id)) && (filter.Types is null || filter.Types.Contains(item.Type));

    /// <summary>
    /// Which versions of one object the filter chooses (<c>match[spec_version]</c>, then <c>match[version]</c>), before
    /// <c>added_after</c>: the same rule for a whole collection and for a kept one read page by page.
    /// </summary>
    private static List<TaxiiObject> Chosen(List<TaxiiObject> versions, TaxiiFilter filter)
    {
        var latestSpec = filter.SpecVersions is null ? versions.Max(x => x.SpecVersion) : null;
        var bySpec = filter.SpecVersions is null
            ? versions.Where(v => v.SpecVersion == latestSpec).ToList()
            : [.. versions.Where(v => filter.SpecVersions.Contains(v.SpecVersion))];
        if (bySpec.Count == 0)
        {
            return bySpec;
        }

        // Most objects have one version: nothing to order (parsing every version's timestamp was most of a page's cost).
        if (bySpec.Count == 1)
        {
            var only = bySpec[0];
            return filter.Versions.Any(v => v is "all" or "first" or "last" || TaxiiTime.Parse(v) == TaxiiTime.Parse(only.Version)) ? bySpec : [];
        }

        var ordered = bySpec.OrderBy(v => TaxiiTime.Parse(v.Version) ?? v.DateAdded).ThenBy(v => v.Version, StringComparer.Ordinal).ToList();
        var chosen = new HashSet<TaxiiObject>(ReferenceEqualityComparer.Instance); // by reference: hashing a record hashes its whole JSON
        foreach (var version in filter.Versions)
        {
            switch (version)
            {
                case "all":
                    chosen.UnionWith(ordered);
                    break;
                case "first":
                    chosen.Add(ordered[0]);
                    break;
                case "last":
                    chosen.Add(ordered[^1]);
                    break;
                default:
                    var at = TaxiiTime.Parse(version);
                    chosen.UnionWith(ordered.Where(v => TaxiiTime.Parse(v.Version) == at));
                    break;
            }
        }

        return [.. chosen];
    }

    /// <summary>Puts a collection's objects in the order pages give them (date added, id, version), once.</summary>
    public static void InOrder(List<TaxiiObject> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        objects.Sort(Compare);
    }

    private static bool IsInOrder(List<TaxiiObject> objects)
    {
        for (var i = 1; i < objects.Count; i++)
        {
            if (Compare(objects[i - 1], objects[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    internal static int Compare(TaxiiObject a, TaxiiObject b)
    {
        var byDate = a.DateAdded.CompareTo(b.DateAdded);
        if (byDate != 0)
        {
            return byDate;
        }

        var byId = string.CompareOrdinal(a.Id, b.Id);
        return byId != 0 ? byId : string.CompareOrdinal(a.Version, b.Version);
    }

    private static string Encode(TaxiiObject last, string fingerprint) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{last.DateAdded.UtcTicks}|{last.Id}|{last.Version}|{fingerprint}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The last object of the page before, named by the request's <c>next</c> token; null on a first page.</summary>
    private static TaxiiObject? After(TaxiiFilter filter, string fingerprint)
    {
        if (filter.Next is not { } next)
        {
            return null;
        }

        var (after, boundTo) = Decode(next);
        return boundTo == fingerprint
            ? after
            : throw new TaxiiQueryException("next: the token was made for other filters; repeat the first request");
    }

    private static (TaxiiObject After, string Fingerprint) Decode(string token)
    {
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('|');
            if (parts.Length == 4 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                return (new TaxiiObject(parts[1], string.Empty, parts[2], string.Empty, new DateTimeOffset(ticks, TimeSpan.Zero), string.Empty), parts[3]);
            }
        }
        catch (FormatException)
        {
        }

        throw new TaxiiQueryException("next: not a token this server gave");
    }
}

/// <summary>TAXII timestamps: RFC 3339 in UTC, written with microseconds.</summary>
public static class TaxiiTime
{
    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? Parse(string? value) =>
        value is { Length: >= 20 } && value.EndsWith('Z') && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;
}
