using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Users;
using Jisr.Server.Persons;
using Jisr.Storage.Records;
using Jisr.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Server.Tests;

/// <summary>
/// Candidates before policy on a node shared by agencies of very different sizes, and an index that follows the
/// database: deleted persons leave it at once, persons another process stores reach it without a restart.
/// </summary>
public sealed class PersonMatchTenancyTests
{
    private static readonly string[] Given = ["Youssef", "Yusuf", "Youcef", "Mohamed", "Ahmed", "Omar", "Khalid", "Hassan", "Ali", "Karim", "Said", "Rachid"];
    private static readonly string[] Family = ["Bouzid", "Bouzide", "Bouzaid", "El Alami", "Benali", "Tazi", "Cherkaoui", "Idrissi"];

    [Fact]
    public async Task SmallAgency_GetsItsOwnBestMatches_WhateverALargeAgencyHolds()
    {
        await using var node = await TestNode.StartAsync();
        var large = await node.AddAgencyAsync("XX-BIG");
        var small = await node.AddAgencyAsync("XX-SMALL");
        var analyst = await node.AddUserAsync(small, "analyst.small", [Role.Analyst]);

        // 21,000 persons of the large agency, many named exactly like the small agency's (about 220 "Youssef Bouzid"
        // and 1,750 more of its spellings, where the small agency asks for its best 100), mentioned in no record: more
        // than the index takes in one by one before it rebuilds (PersonNameIndex.RebuildAfter, 20,000), so they are
        // searched through the large agency's own index and its best k, as on a node that holds them.
        var now = DateTimeOffset.UtcNow;
        var random = new Random(11);
        var largeIds = new HashSet<Guid>();
        await using (var db = node.Database.Open())
        {
            for (var batch = 0; batch < 3; batch++)
            {
                var persons = Enumerable.Range(0, 7_000).Select(_ => Person.Create(large.Id, [PersonName.Create($"{Given[random.Next(Given.Length)]} {Family[random.Next(Family.Length)]}")], null, null, Gender.Unknown, [], [], now)).ToList();
                db.Entities.AddRange(persons);
                await db.SaveChangesAsync();
                largeIds.UnionWith(persons.Select(p => p.Id.Value));
                db.ChangeTracker.Clear();
            }
        }

        // The node built its index as it started; persons written by another connection reach it through the
        // background check: wait until they are candidates, so the answer below is given with them in the index.
        var index = node.App.Services.GetRequiredService<PersonNameIndex>();
        await WaitForCandidateAsync(index, "Youssef Bouzid", c => largeIds.Contains(c.Id.Value));

        // The small agency's ten persons, through the API.
        var exact = await AddPersonAsync(analyst, "Youssef Bouzid");
        var arabic = await AddPersonAsync(analyst, "يوسف بوزيد");
        for (var i = 0; i < 8; i++)
        {
            await AddPersonAsync(analyst, $"{Given[i + 3]} {Family[(i % 5) + 3]}");
        }

        var items = await MatchAsync(analyst, "Youssef Bouzid", limit: 5);

        Assert.Equal(new[] { exact, arabic }.Order(), items.Take(2).Select(i => i!["person"]!["id"]!.GetValue<Guid>()).Order());
        Assert.Equal("match", items[0]!["decision"]!.GetValue<string>());
        Assert.Equal("match", items[1]!["decision"]!.GetValue<string>());
        Assert.DoesNotContain(items, i => largeIds.Contains(i!["person"]!["id"]!.GetValue<Guid>()));
        Assert.All(items.Skip(2), i => Assert.Equal("possible", i!["decision"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PartialQueries_ListEveryPersonCarryingThePart_InAnyScript_NeverAsAMatch()
    {
        await using var node = await TestNode.StartAsync();
        var agency = await node.AddAgencyAsync("XX-PART");
        var analyst = await node.AddUserAsync(agency, "analyst.part", [Role.Analyst]);
        var latin = await AddPersonAsync(analyst, "BOUZID Smail");
        var script = await AddPersonAsync(analyst, "إسماعيل بوزيد");
        var variant = await AddPersonAsync(analyst, "Karim Bouzide");
        var other = await AddPersonAsync(analyst, "Smail Tazi");

        foreach (var query in new[] { "Bouzid", "بوزيد" })
        {
            var items = await MatchAsync(analyst, query, limit: 10);
            var ids = items.Select(i => i!["person"]!["id"]!.GetValue<Guid>()).ToList();

            Assert.Contains(latin, ids);
            Assert.Contains(script, ids);
            Assert.Contains(variant, ids);
            Assert.DoesNotContain(other, ids);
            Assert.True(ids.IndexOf(variant) > ids.IndexOf(latin) && ids.IndexOf(variant) > ids.IndexOf(script), $"{query}: exact before variant");
            Assert.All(items, i => Assert.Equal("possible", i!["decision"]!.GetValue<string>()));
        }

        var initial = await MatchAsync(analyst, "Smail B.", limit: 10);
        var found = initial.Select(i => i!["person"]!["id"]!.GetValue<Guid>()).ToList();
        Assert.Contains(latin, found);
        Assert.Contains(script, found);
        Assert.DoesNotContain(other, found); // Smail, but no family name starting with B
        Assert.All(initial, i => Assert.Equal("possible", i!["decision"]!.GetValue<string>()));

        // A full name decides.
        var full = await MatchAsync(analyst, "Smail Bouzid", limit: 3);
        Assert.Equal("match", full[0]!["decision"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeletedPersons_LeaveTheIndexAtOnce_AndPersonsStoredByAnotherProcess_ReachItWithoutARestart()
    {
        await using var node = await TestNode.StartAsync();
        var agency = await node.AddAgencyAsync("XX-SYNC");
        var analyst = await node.AddUserAsync(agency, "analyst.sync", [Role.Analyst]);
        var kept = await AddPersonAsync(analyst, "Hicham Tazi");
        var doomed = Person.Create(agency.Id, [PersonName.Create("Hisham Al-Tazi")], null, null, Gender.Male, [], [], DateTimeOffset.UtcNow);
        await using (var db = node.Database.Open())
        {
            db.Entities.Add(doomed);
            await db.SaveChangesAsync();
        }

        // Written by another connection after the index was built at start: the background check brings it in.
        var purged = doomed.Id.Value;
        var index = node.App.Services.GetRequiredService<PersonNameIndex>();
        await WaitForCandidateAsync(index, "Hicham Tazi", c => c.Id.Value == purged);

        // What the retention purge does: delete the entity, then forget it in memory; the index drops it in the same call.
        await using (var db = node.Database.Open())
        {
            db.Entities.Remove(db.Entities.Single(e => e.Id == doomed.Id));
            await db.SaveChangesAsync();
        }

        node.App.Services.GetRequiredService<EntityCache>().Forget([doomed.Id]);

        var after = await index.CandidatesAsync("Hicham Tazi", 10, CancellationToken.None);
        Assert.DoesNotContain(after, c => c.Id.Value == purged);
        Assert.Contains(after, c => c.Id.Value == kept);

        // Another process (here: its own connection, not this node) stores a person.
        var written = Person.Create(agency.Id, [PersonName.Create("Zoubir Ouazzani"), PersonName.Create("زبير الوزاني")], null, null, Gender.Male, [], [], DateTimeOffset.UtcNow);
        await using (var db = node.Database.Open())
        {
            db.Entities.Add(written);
            await db.SaveChangesAsync();
        }

        await WaitForCandidateAsync(index, "Zubair Al-Wazzani", c => c.Id == written.Id);
        Assert.DoesNotContain(await index.CandidatesAsync("Hicham Tazi", 10, CancellationToken.None), c => c.Id.Value == purged);
    }

    /// <summary>Asks the index until a candidate satisfies <paramref name="found"/> (the background check runs at most every few seconds after a query).</summary>
    private static async Task WaitForCandidateAsync(PersonNameIndex index, string name, Func<Matching.Names.NameCandidate<EntityId>, bool> found)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<Matching.Names.NameCandidate<EntityId>> candidates = [];
        while (DateTime.UtcNow < deadline && !candidates.Any(found))
        {
            candidates = await index.CandidatesAsync(name, 200, CancellationToken.None);
            await Task.Delay(200);
        }

        Assert.Contains(candidates, c => found(c));
    }

    private static async Task<Guid> AddPersonAsync(TestUser user, string name)
    {
        var request = RecordRequests.Valid();
        request["entities"] = new JsonArray(new JsonObject { ["ref"] = "p", ["type"] = "person", ["names"] = new JsonArray(name) });
        request["links"] = new JsonArray();
        var response = await user.Client.PostAsJsonAsync("/api/v1/records", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["entities"]![0]!["id"]!.GetValue<Guid>();
    }

    private static async Task<JsonArray> MatchAsync(TestUser user, string name, int limit)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/persons/match?name={Uri.EscapeDataString(name)}&limit={limit}");
        request.Headers.Add("X-Jisr-Purpose", "identity check, case 2026/11");
        var response = await user.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["items"]!.AsArray();
    }
}
