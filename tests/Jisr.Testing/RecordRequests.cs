using System.Text.Json.Nodes;

namespace Jisr.Testing;

/// <summary>Builders for record requests as a client would send them (JSON), valid unless a test changes them.</summary>
public static class RecordRequests
{
    /// <summary>A valid record with a person (Arabic and Latin names), a phone and a link between them.</summary>
    public static JsonObject Valid(string title = "Réunion observée au port de Tanger", string body = "Deux individus ont été observés.", string language = "fr", string classification = "RESTRICTED") => new()
    {
        ["kind"] = "field-report",
        ["title"] = title,
        ["body"] = body,
        ["language"] = language,
        ["legalBasis"] = "Code de procédure pénale, art. 82",
        ["purpose"] = "Prévention du trafic de stupéfiants",
        ["retentionUntil"] = DateTimeOffset.UtcNow.AddYears(5).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["reviewDate"] = DateOnly.FromDateTime(DateTime.UtcNow.AddYears(1)).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["marking"] = new JsonObject { ["classification"] = classification, ["tlp"] = "AMBER", ["handling"] = "H1" },
        ["sourceGrading"] = "B2",
        ["threatDomains"] = new JsonArray("drug-trafficking", "organised-crime"),
        ["entities"] = new JsonArray(
            new JsonObject
            {
                ["ref"] = "p1",
                ["type"] = "person",
                ["names"] = new JsonArray("يوسف الإدريسي", "Youssef El Idrissi"),
                ["dateOfBirth"] = "1987-03",
                ["nationalities"] = new JsonArray("MA"),
                ["identifiers"] = new JsonArray(new JsonObject { ["kind"] = "passport", ["value"] = "AB123456", ["country"] = "MA" }),
            },
            new JsonObject { ["ref"] = "ph", ["type"] = "phone", ["number"] = "+212 6-61 23 45 67" }),
        ["links"] = new JsonArray(new JsonObject { ["from"] = "p1", ["to"] = "ph", ["type"] = "owns", ["validFrom"] = "2024-01" }),
    };

    /// <summary>
    /// A record the size of a real investigation report: <paramref name="people"/> persons, each an associate of the
    /// next (a ring of as many links), so a read returns as many entities and links as the demo data set's records.
    /// </summary>
    public static JsonObject Network(int people = 8, string title = "Réseau observé au port de Tanger")
    {
        var request = Valid(title);
        var entities = new JsonArray();
        var links = new JsonArray();
        for (var i = 0; i < people; i++)
        {
            entities.Add(new JsonObject { ["ref"] = $"p{i}", ["type"] = "person", ["names"] = new JsonArray($"Person {i} El Idrissi", $"الشخص {i}") });
            links.Add(new JsonObject { ["from"] = $"p{i}", ["to"] = $"p{(i + 1) % people}", ["type"] = "associate-of", ["validFrom"] = "2024-01" });
        }

        request["entities"] = entities;
        request["links"] = links;
        return request;
    }

    /// <summary>Sets the request's retention end two days after <paramref name="clock"/>'s now (and its review date the day before), for a test that moves the clock past it.</summary>
    public static void ExpiringInTwoDays(JsonObject request, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(clock);
        request["retentionUntil"] = clock.GetUtcNow().AddDays(2).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        request["reviewDate"] = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddDays(1)).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
    }
}
