using System.Globalization;
using Jisr.Storage.Configurations;

namespace Jisr.Storage.Records;

/// <summary>A record with its insertion sequence (the keyset of record pages).</summary>
internal sealed record SequencedRecord(Record Record, long Sequence);

/// <summary>One page of a list: the items and the cursor of the next page (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>
/// How every list is cut into pages. A cursor is a non-negative number the server issued: for records, the insertion
/// sequence of the last item (a keyset, so a page stays right while records are added); for other lists, an offset.
/// </summary>
public static class Paging
{
    public const int MaxPageSize = 200;

    /// <summary>Records newest first; <paramref name="cursor"/> is the <see cref="Page{T}.Next"/> of the previous page.</summary>
    internal static async Task<Page<Record>> NewestFirstAsync(IQueryable<Record> query, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var size = Math.Clamp(limit, 1, MaxPageSize);
        var rows = await NewestFirst(query, Before(cursor)).Take(size + 1).ToListAsync(cancellationToken);
        var next = rows.Count > size ? rows[size - 1].Sequence.ToString(CultureInfo.InvariantCulture) : null;
        return new Page<Record>([.. rows.Take(size).Select(r => r.Record)], next);
    }

    /// <summary>
    /// A page of headers from <paramref name="rows"/> (newest first), read as <see cref="RowsFor"/> rows: one more than
    /// the page holds, to know whether a next page exists.
    /// </summary>
    internal static async Task<Page<RecordHeader>> HeadersAsync(IAsyncEnumerable<SequencedHeader> rows, int limit, CancellationToken cancellationToken)
    {
        var size = Math.Clamp(limit, 1, MaxPageSize);
        var read = new List<SequencedHeader>(size + 1);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            read.Add(row);
        }

        var next = read.Count > size ? read[size - 1].Sequence.ToString(CultureInfo.InvariantCulture) : null;
        return new Page<RecordHeader>([.. read.Take(size).Select(r => r.Header)], next);
    }

    /// <summary>How many rows to read for a page of <paramref name="limit"/> items (one more, see <see cref="HeadersAsync"/>).</summary>
    internal static int RowsFor(int limit) => Math.Clamp(limit, 1, MaxPageSize) + 1;

    /// <summary><paramref name="query"/>'s records before the sequence <paramref name="before"/> (all when null), newest first, with their sequence.</summary>
    internal static IQueryable<SequencedRecord> NewestFirst(IQueryable<Record> query, long? before)
    {
        if (before is { } after)
        {
            query = query.Where(r => EF.Property<long>(r, RecordConfiguration.SequenceColumn) < after);
        }

        return query
            .OrderByDescending(r => EF.Property<long>(r, RecordConfiguration.SequenceColumn))
            .Select(r => new SequencedRecord(r, EF.Property<long>(r, RecordConfiguration.SequenceColumn)));
    }

    /// <summary>The sequence a record cursor stands at: null for the first page.</summary>
    internal static long? Before(string? cursor) => string.IsNullOrEmpty(cursor) ? null : ParseCursor(cursor);

    /// <summary>Items in the order of <paramref name="query"/>, skipping as many as <paramref name="cursor"/> says.</summary>
    internal static async Task<Page<T>> ByOffsetAsync<T>(IOrderedQueryable<T> query, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var offset = ParseCursor(cursor);
        var size = Math.Clamp(limit, 1, MaxPageSize);
        var items = await query.Skip((int)Math.Min(offset, int.MaxValue)).Take(size + 1).ToListAsync(cancellationToken);
        return new Page<T>(items.Take(size).ToList(), items.Count > size ? (offset + size).ToString(CultureInfo.InvariantCulture) : null);
    }

    private static long ParseCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return 0;
        }

        return long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw DomainValidationException.Coded("cursor", ValidationCodes.NotACursor, $"'{cursor}' is not a cursor this server issued; pass the 'next' value of the previous page", cursor);
    }
}
