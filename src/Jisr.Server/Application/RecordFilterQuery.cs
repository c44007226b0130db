namespace Jisr.Server.Application;

/// <summary>
/// A records list's filter as the API's query gives it (<c>GET /api/v1/records?threatDomain=&amp;classification=&amp;originator=&amp;createdFrom=&amp;createdTo=</c>):
/// vocabulary names, an agency code, ISO dates. Each value that does not parse is refused naming its parameter and what
/// it accepts (400), never ignored: a mistyped filter must not answer the whole list in its place.
/// </summary>
public static class RecordFilterQuery
{
    public static async Task<RecordFilter> ParseAsync(
        AccountService accounts, string? threatDomain, string? classification, string? originator, string? createdFrom, string? createdTo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var filter = RecordFilter.None;
        if (!string.IsNullOrWhiteSpace(threatDomain))
        {
            filter = filter with { ThreatDomain = RecordVocabulary.ThreatDomains.Parse(threatDomain.Trim(), "threatDomain") };
        }

        if (!string.IsNullOrWhiteSpace(classification))
        {
            filter = filter with { Classification = Marking.ClassificationNames.Parse(classification.Trim(), "classification") };
        }

        if (!string.IsNullOrWhiteSpace(originator))
        {
            var agency = await accounts.FindAgencyAsync(originator.Trim(), cancellationToken)
                         ?? throw DomainValidationException.Coded("originator", ValidationCodes.NoSuchAgency, $"no agency has the code '{originator.Trim()}'", originator.Trim());
            filter = filter with { Originator = agency.Id };
        }

        filter = filter with { CreatedFrom = Date(createdFrom, "createdFrom"), CreatedTo = Date(createdTo, "createdTo") };
        Guard.That(filter.CreatedFrom is not { } from || filter.CreatedTo is not { } to || from <= to, "createdTo", ValidationCodes.EndBeforeStart, "is before createdFrom");
        return filter;
    }

    private static DateOnly? Date(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw DomainValidationException.Coded(field, ValidationCodes.NotADate, $"'{text.Trim()}' is not a date: give it as YYYY-MM-DD (a whole UTC day)", text.Trim());
    }
}
