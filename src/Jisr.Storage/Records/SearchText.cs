using Jisr.Domain.Text;

namespace Jisr.Storage.Records;

/// <summary>What full-text search indexes for a record, and how a query is cut into tokens; both folded the same way.</summary>
public static class SearchText
{
    public const int MaxQueryTokens = 16;

    /// <summary>Title, body and the names of every entity the record mentions, folded (Arabic and Latin) for search.</summary>
    public static string Of(Record record, IEnumerable<Entity> entities)
    {
        ArgumentNullException.ThrowIfNull(entities);
        return OfTexts(record, entities.SelectMany(TextsOf));
    }

    /// <summary>The same from the entities' texts (label, other names, aliases), for an import that no longer holds the entities.</summary>
    public static string OfTexts(Record record, IEnumerable<string> entityTexts)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(entityTexts);
        var text = new StringBuilder();
        text.Append(record.Title).Append(' ').Append(record.Body);
        foreach (var entityText in entityTexts)
        {
            text.Append(' ').Append(entityText);
        }

        var folded = TextFolding.FoldForSearch(text.ToString());

        // Arabic writes the article into the word (الإدريسي): index the bare word too, so "ادريسي" finds it.
        var bare = folded.Split(' ').Where(HasArticle).Select(t => t[ArabicArticle.Length..]).Distinct(StringComparer.Ordinal);
        return string.Join(' ', [folded, .. bare]).TrimEnd();
    }

    private static IEnumerable<string> TextsOf(Entity entity) => entity switch
    {
        Person person => [entity.Label, .. person.Names.Skip(1).Select(n => n.Text)],
        Organisation organisation => [entity.Label, .. organisation.Aliases],
        _ => [entity.Label],
    };

    /// <summary>The folded, de-duplicated tokens of a query (at most <see cref="MaxQueryTokens"/>); empty when nothing searchable is left.</summary>
    public static IReadOnlyList<string> Tokens(string? query) =>
        [.. TextFolding.FoldForSearch(query).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(t => HasArticle(t) ? t[ArabicArticle.Length..] : t)
            .Distinct(StringComparer.Ordinal)
            .Take(MaxQueryTokens)];

    private const string ArabicArticle = "\u0627\u0644";

    /// <summary>A word starting with ال whose rest is still a word of at least three letters (so الله and ألم stay whole).</summary>
    private static bool HasArticle(string token) =>
        token.Length >= ArabicArticle.Length + 3 && token.StartsWith(ArabicArticle, StringComparison.Ordinal);
}
