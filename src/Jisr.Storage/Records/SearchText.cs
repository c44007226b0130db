using System.Text;
using Jisr.Domain.Entities;
using Jisr.Domain.Records;
using Jisr.Matching.Normalization;

namespace Jisr.Storage.Records;

/// <summary>What full-text search indexes for a record, and how a query is cut into tokens; both folded the same way.</summary>
public static class SearchText
{
    public const int MaxQueryTokens = 16;

    /// <summary>Title, body and the names of every entity the record mentions, folded (Arabic and Latin) for search.</summary>
    public static string Of(Record record, IEnumerable<Entity> entities)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(entities);
        var text = new StringBuilder();
        text.Append(record.Title).Append(' ').Append(record.Body);
        foreach (var entity in entities)
        {
            text.Append(' ').Append(entity.Label);
            if (entity is Person person)
            {
                foreach (var name in person.Names.Skip(1))
                {
                    text.Append(' ').Append(name.Text);
                }
            }
            else if (entity is Organisation organisation)
            {
                foreach (var alias in organisation.Aliases)
                {
                    text.Append(' ').Append(alias);
                }
            }
        }

        return TextFolding.FoldForSearch(text.ToString());
    }

    /// <summary>The folded, de-duplicated tokens of a query (at most <see cref="MaxQueryTokens"/>); empty when nothing searchable is left.</summary>
    public static IReadOnlyList<string> Tokens(string? query) =>
        [.. TextFolding.FoldForSearch(query).Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).Take(MaxQueryTokens)];
}
