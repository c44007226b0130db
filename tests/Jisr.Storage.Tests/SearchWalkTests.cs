using Jisr.Domain.Agencies;
using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Users;
using Jisr.Policy;
using Jisr.Storage.Records;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Storage.Tests;

/// <summary>
/// A search page walks the text index newest first (<see cref="JisrDbContext.SearchNewestFirstAsync"/>; on SQLite the FTS
/// table drives the query, each prefix turned into the whole words it begins). It must find exactly what the plain
/// condition <see cref="JisrDbContext.WhereSearchTextMatches"/> (every token a prefix) under the policy filter finds, in
/// the same order, for every caller of a random world: Arabic with vowel marks, alef forms and the article, French
/// accents, mixed case, prefixes (of one word, of a few, of more than a prefix may stand for), words in entity names;
/// also after records are edited and deleted (the index and the word list follow the row in the same save).
/// </summary>
public sealed class SearchWalkTests
{
    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    private static readonly string[] Titles =
    [
        "Réunion au port de Tanger", "REUNION des passeurs", "réunion reportée", "مُحَمَّد الإدريسي في الميناء",
        "محمد ادريسي", "أحمد وإبراهيم", "احمد و ابراهيم", "شاحنة محملة", "شاحنه اخرى", "Convoi de camions", "convoyeur arrêté",
        "Événement à Fès", "evenement a fes", "O'Brien vu à Ceuta", "Numéro 212 6 61", "ليلة الإثنين",
    ];

    private static readonly string[] EntityNames =
    [
        "يوسف الإدريسي", "Youssef El Idrissi", "Ahmed Benali", "أحمد بن علي", "Société Atlas", "شركة الأطلس",
    ];

    private static readonly string[] Queries =
    [
        "reunion", "Réunion", "REU", "réu tanger", "محمد", "مُحَمَّد", "الإدريسي", "ادريسي", "إدريس", "احمد", "أحمد", "ابراهيم",
        "شاحنة", "شاحنه", "conv", "événement", "FES", "o'brien", "212", "youssef", "idrissi", "atlas", "الأطلس",
        // Titles end with their number: "1" begins more words than a prefix may stand for (1, 10-19, 100-149), "12" a few.
        "1", "12", "r", "ش", "nothing-here",
    ];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TheIndexWalk_FindsWhatThePlainConditionFinds_ForEveryCaller_AfterEditsAndDeletes(string provider)
    {
        var random = new Random(provider.Length * 1009);
        await using var database = await TestDatabase.CreateAsync(provider);
        var now = DateTimeOffset.UtcNow;
        var agencies = Enumerable.Range(0, 3).Select(i => Agency.Create($"SW-{i}", $"Agency {i}", "MA", now)).ToList();
        var records = new List<Record>();
        await using (var db = database.Open())
        {
            db.Agencies.AddRange(agencies);
            for (var i = 0; i < 150; i++)
            {
                var title = $"{Titles[random.Next(Titles.Length)]} {i}";
                var body = random.Next(2) == 0 ? Titles[random.Next(Titles.Length)] : "";
                var content = RecordContent.Create(
                    RecordKind.IntelligenceReport, title, body, "fr", "basis", "purpose",
                    now.AddDays(400), DateOnly.FromDateTime(now.AddDays(20).UtcDateTime),
                    Marking.Create((Classification)random.Next(4), Tlp.Amber, HandlingCode.H0), SourceGrading.Parse("B2"), [ThreatDomain.Terrorism]);
                var record = Record.Create(agencies[random.Next(agencies.Count)].Id, new UserId(Guid.NewGuid()), content, now);
                records.Add(record);
                db.Records.Add(record);
                var entities = Enumerable.Range(0, random.Next(3)).Select(_ => EntityNames[random.Next(EntityNames.Length)]);
                db.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.OfTexts(record, entities);
                if (i % 10 == 9)
                {
                    await db.SaveChangesAsync(); // several saves: the FTS index holds several segments, as on a node
                }
            }

            await db.SaveChangesAsync();
        }

        var principals = Enumerable.Range(0, 6)
            .Select(u => agencies[u % agencies.Count])
            .Select((agency, u) => new Principal(new UserId(Guid.NewGuid()), $"user{u}", agency.Id, agency.Code, new HashSet<Role> { Role.Analyst }, (Classification)random.Next(4)))
            .ToList();
        await using var audit = new Audit.AuditLog(database.Open, TimeProvider.System);

        var matched = await AssertSameAsync(database, audit, principals);
        await AssertWordListIsTheIndexedWordsAsync(database);
        // Every query but the last finds something for someone (vowel marks, alef forms, the article, accents and case
        // are folded), so the comparison is not between two empty lists.
        Assert.All(Queries[..^1], q => Assert.True(matched[q] > 0, $"'{q}' found nothing"));
        Assert.Equal(0, matched[Queries[^1]]);

        // Edit a record's search text (the store sets the column in the same save as the edit) and delete another: the index
        // follows, so the old word no longer finds the edited record, the new one does, and the deleted one is gone.
        var edited = records.First(r => r.HolderAgencyId == principals[0].AgencyId && r.Marking.Classification <= principals[0].Clearance);
        var deleted = records.Last(r => r.HolderAgencyId == principals[0].AgencyId && r.Marking.Classification <= principals[0].Clearance);
        await using (var db = database.Open())
        {
            var row = await db.Records.SingleAsync(r => r.Id == edited.Id);
            db.Entry(row).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = "zacharie oufkir زكرياء اوفقير";
            db.Records.Remove(await db.Records.SingleAsync(r => r.Id == deleted.Id));
            await db.SaveChangesAsync();
        }

        await AssertSameAsync(database, audit, principals);
        await AssertWordListIsTheIndexedWordsAsync(database);
        Assert.Contains(edited.Id, await SearchAllAsync(database, audit, principals[0], "oufkir"));
        Assert.Contains(edited.Id, await SearchAllAsync(database, audit, principals[0], "أوفقير"));
        Assert.DoesNotContain(edited.Id, await SearchAllAsync(database, audit, principals[0], edited.Title.Split(' ')[0]));
        foreach (var word in deleted.Title.Split(' '))
        {
            Assert.DoesNotContain(deleted.Id, await SearchAllAsync(database, audit, principals[0], word));
        }
    }

    /// <summary>On SQLite the FTS table drives a search page (newest first, no sort), and the cursor's bound goes to it.</summary>
    [Fact]
    public async Task OnSqlite_ASearchPage_WalksTheTextIndexNewestFirst_WithoutASort()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var principal = new Principal(new UserId(Guid.NewGuid()), "planner", AgencyId.New(DateTimeOffset.UtcNow), "PL", new HashSet<Role> { Role.Analyst }, Classification.Secret);
        await using var db = database.Open();
        foreach (var before in new long?[] { null, 1000 })
        {
            var query = await db.SearchQueryAsync(principal, DateTimeOffset.UtcNow, SearchText.Tokens("tanger الإدريسي"), before, 51, CancellationToken.None);
            await using var command = query.CreateDbCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
            await command.Connection!.OpenAsync();
            var plan = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    plan.Add(reader.GetString(3));
                }
            }

            var text = string.Join(" | ", plan);
            Assert.True(plan.Count >= 2, text);
            // The first step scans the FTS5 table (the only virtual table), the second reads Records by rowid.
            Assert.Matches(@"^SCAN \w+ VIRTUAL TABLE INDEX ", plan[0]);
            Assert.Matches(@"^SEARCH \w+ USING INTEGER PRIMARY KEY \(rowid=\?\)", plan[1]);
            Assert.DoesNotContain("TEMP B-TREE", text, StringComparison.Ordinal);
            Assert.DoesNotContain("LIST SUBQUERY", text, StringComparison.Ordinal);
            if (before is not null)
            {
                Assert.EndsWith("<", plan[0], StringComparison.Ordinal); // the rowid bound is handed to FTS5
            }
        }
    }

    /// <summary>
    /// On SQLite a token becomes the whole words it begins (looked up in the word list, with FTS5's own folding), unless
    /// it begins none or more than a prefix may stand for: then it stays a prefix. Either way the answers are the same
    /// (the random-world test); this says the word list is used.
    /// </summary>
    [Fact]
    public async Task OnSqlite_APrefix_BecomesTheWordsItBegins_UpToTheLimit()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        await using (var db = database.Open())
        {
            var agency = Agency.Create("SW-W", "Agency W", "MA", DateTimeOffset.UtcNow);
            db.Agencies.Add(agency);
            var many = Enumerable.Range(0, SqliteJisrDbContext.MaxWordsPerPrefix + 1).Select(i => $"mot{i:D3}");
            foreach (var text in new[] { "tanger tangerois", "TANGER", "ادريسي", string.Join(' ', many) })
            {
                var record = Record.Create(agency.Id, new UserId(Guid.NewGuid()), RecordContent.Create(
                    RecordKind.IntelligenceReport, text, "", "fr", "basis", "purpose", DateTimeOffset.UtcNow.AddDays(400), DateOnly.FromDateTime(DateTime.UtcNow.AddDays(20)),
                    Marking.Create(Classification.Unclassified, Tlp.Amber, HandlingCode.H0), SourceGrading.Parse("B2"), [ThreatDomain.Terrorism]), DateTimeOffset.UtcNow);
                db.Records.Add(record);
                db.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.OfTexts(record, []);
            }

            await db.SaveChangesAsync();
        }

        await using (var db = (SqliteJisrDbContext)database.Open())
        {
            Assert.Equal("(\"tanger\" OR \"tangerois\")", await db.MatchQueryAsync(SearchText.Tokens("Tangér"), CancellationToken.None));
            Assert.Equal("(\"tangerois\") AND (\"ادريسي\")", await db.MatchQueryAsync(SearchText.Tokens("tangero إدريس"), CancellationToken.None));
            Assert.Equal("\"mot\"*", await db.MatchQueryAsync(SearchText.Tokens("mot"), CancellationToken.None));
            Assert.Equal("\"absent\"*", await db.MatchQueryAsync(SearchText.Tokens("absent"), CancellationToken.None));
            Assert.Equal(10, (await db.MatchQueryAsync(SearchText.Tokens("mot01"), CancellationToken.None)).Split(" OR ").Length);
        }
    }

    /// <summary>On SQLite the word list holds exactly the distinct words of the indexed texts: none missing, none left behind by an edit or a delete.</summary>
    private static async Task AssertWordListIsTheIndexedWordsAsync(TestDatabase database)
    {
        if (database.Provider != DatabaseProvider.Sqlite)
        {
            return;
        }

        await using var db = database.Open();
        var texts = await db.Database.SqlQuery<string>($"SELECT SearchText AS Value FROM Records").ToListAsync();
        var listed = await db.Database.SqlQuery<string>($"SELECT Word AS Value FROM SearchWords").ToListAsync();
        var expected = texts.SelectMany(t => t.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        Assert.Equal(expected, listed.Order(StringComparer.Ordinal));
    }

    /// <summary>Every (caller, query): the store's paged search equals the plain condition under the policy filter, newest first. Returns the matches per query.</summary>
    private static async Task<Dictionary<string, int>> AssertSameAsync(TestDatabase database, Audit.AuditLog audit, IReadOnlyList<Principal> principals)
    {
        var matched = Queries.ToDictionary(q => q, _ => 0);
        foreach (var principal in principals)
        {
            foreach (var query in Queries)
            {
                List<RecordId> expected;
                await using (var db = database.Open())
                {
                    expected = await db.WhereSearchTextMatches(db.ReadableRecords(principal, TimeProvider.System), SearchText.Tokens(query))
                        .OrderByDescending(r => EF.Property<long>(r, "Sequence"))
                        .Select(r => r.Id)
                        .ToListAsync();
                }

                Assert.Equal(expected, await SearchAllAsync(database, audit, principal, query));
                matched[query] += expected.Count;
            }
        }

        return matched;
    }

    /// <summary>Every page of the store's search, in small pages (so cursors are used).</summary>
    private static async Task<List<RecordId>> SearchAllAsync(TestDatabase database, Audit.AuditLog audit, Principal principal, string query)
    {
        await using var db = database.Open();
        var store = new RecordStore(db, audit, new EntityCache(), TimeProvider.System);
        var found = new List<RecordId>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await store.SearchAsync(principal, query, "test", cursor, 4, CancellationToken.None);
            found.AddRange(page.Items.Select(r => r.Id));
            cursor = page.Next;
        }
        while (cursor is not null && ++pages < 200);

        return found;
    }
}
