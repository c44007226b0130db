using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;
using Jisr.Domain.Users;
using Jisr.Exchange.Stix;
using Jisr.Server.Taxii;
using Jisr.Storage;
using Jisr.Storage.Records;
using Jisr.Testing;
using Xunit.Abstractions;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Server.Tests;

/// <summary>
/// Property test of the TAXII collections. A seeded random world: 4-7 agencies, users with random clearances, agreements
/// between random pairs in every state (proposed, in force, suspended, ended, expired, not yet valid) covering random
/// threat domains, classifications and handling codes, records with random markings (TLP:RED included), threat domains
/// and retention, and release copies. For every (user, collection) pair, the collections listed and every object served
/// (all pages) must equal what a plain reference model written here says: the user's agency's own records (never a
/// copy), not TLP:RED, within the user's clearance and retention, whose marking and threat domains the agreement in
/// force covers; every other object must be one those reports refer to, or the fixed objects of an export.
/// </summary>
public sealed class TaxiiRandomWorldTests(ITestOutputHelper output)
{
    private enum State
    {
        Proposed,
        InForce,
        Suspended,
        Ended,
        Expired,
        NotYetValid,
    }

    private sealed record WorldUser(TestUser User, Classification Clearance);

    private sealed record WorldAgreement(SharingAgreement Agreement, State State);

    [Theory]
    [InlineData(20261130, "sqlite")]
    [InlineData(7, "sqlite")]
    [InlineData(11, "postgres")]
    public async Task EveryCollection_ForEveryUser_ServesExactlyWhatTheAgreementAndMarkingsAllow(int seed, string provider)
    {
        var random = new Random(seed);
        await using var node = await TestNode.StartAsync(provider);
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var agencies = new List<Jisr.Domain.Agencies.Agency>();
        for (var i = random.Next(4, 8); i > 0; i--)
        {
            agencies.Add(await node.AddAgencyAsync($"TX-{seed % 1000}-{agencies.Count}"));
        }

        var users = new List<WorldUser>();
        foreach (var agency in agencies)
        {
            for (var i = random.Next(2, 4); i > 0; i--)
            {
                var clearance = (Classification)random.Next(4);
                users.Add(new WorldUser(await node.AddUserAsync(agency, $"tx{seed % 1000}.u{users.Count}", [Role.Analyst], clearance), clearance));
            }
        }

        var agreements = new List<WorldAgreement>();
        for (var i = 0; i < agencies.Count * 2; i++)
        {
            var a = agencies[random.Next(agencies.Count)].Id;
            var b = agencies[random.Next(agencies.Count)].Id;
            if (a != b)
            {
                agreements.Add(RandomAgreement(random, a, b, today));
            }
        }

        var records = new List<Record>();
        var entities = new List<Entity>();
        var domains = Enum.GetValues<ThreatDomain>();
        for (var i = 0; i < agencies.Count * 25; i++)
        {
            var author = users[random.Next(users.Count)];
            var agencyId = author.User.Agency.Id;
            var retention = random.Next(10) == 0 ? now.AddDays(-random.Next(1, 300)) : now.AddDays(random.Next(30, 2000));
            var createdAt = now.AddDays(-random.Next(400, 900));
            var content = RecordContent.Create(
                RecordKind.IntelligenceReport, $"taxiiworld r{i}", "random world", "en", "basis", "purpose", retention,
                DateOnly.FromDateTime(retention.UtcDateTime).AddDays(-1),
                Marking.Create((Classification)random.Next(4), (Tlp)random.Next(5), (HandlingCode)random.Next(3)),
                SourceGrading.Parse("B2"), [.. domains.Where(_ => random.Next(4) == 0).DefaultIfEmpty(domains[random.Next(domains.Length)])]);
            var record = Record.Create(agencyId, new UserId(author.User.Id), content, createdAt);
            var person = Person.Create(agencyId, [PersonName.Create($"Person {i}")], null, null, Gender.Unknown, [], [], createdAt);
            var phone = PhoneNumber.Create(agencyId, $"+2126{i:D8}", createdAt);
            record.SetAssertions([person, phone], [LinkDraft.Create(person.Id, phone.Id, LinkType.Owns, null, null, createdAt)]);
            if (record.Marking.Tlp == Tlp.Red)
            {
                record.SetRecipients([new UserId(author.User.Id)]);
            }

            entities.Add(person);
            entities.Add(phone);
            records.Add(record);
        }

        // Release copies under agreements accepted at some point: held by the partner, never in its collections.
        var releases = new List<Release>();
        foreach (var source in records.Where(r => r.Marking.Tlp != Tlp.Red && random.Next(4) == 0).ToList())
        {
            var under = agreements.Select(a => a.Agreement).FirstOrDefault(a => a.AcceptedAt is not null && a.IsParty(source.HolderAgencyId));
            if (under is null)
            {
                continue;
            }

            var recipient = under.Counterpart(source.HolderAgencyId);
            var release = Release.Request(source, recipient, under, new UserId(users.First(u => u.User.Agency.Id == source.HolderAgencyId).User.Id), [], null, Jisr.Policy.AccessPolicy.ReleaseNeedsSecondPerson(source), now);
            if (release.Status == ReleaseStatus.AwaitingApproval)
            {
                release.Approve(source, new UserId(Guid.NewGuid()), null, now);
            }

            var copy = Record.CreateReleaseCopy(source, release, under, now);
            release.Delivered(copy.Id);
            releases.Add(release);
            records.Add(copy);
        }

        await using (var db = node.Database.Open())
        {
            db.Agreements.AddRange(agreements.Select(a => a.Agreement));
            db.Entities.AddRange(entities);
            var byId = entities.ToDictionary(e => e.Id);
            foreach (var record in records)
            {
                db.Records.Add(record);
                db.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(record, record.Mentions.Select(m => byId[m.EntityId]));
            }

            db.Releases.AddRange(releases);
            await db.SaveChangesAsync();
        }

        // One agency posts an object into its own collection: no one else ever sees it.
        var poster = users[0].User;
        var posted = $"indicator--{Guid.NewGuid():D}";
        var status = await TaxiiApiTests.PostEnvelopeAsync(poster.Client, TaxiiService.OwnCollectionId(poster.Agency.Id), TaxiiApiTests.Indicator(posted));
        Assert.Equal(HttpStatusCode.Accepted, status.StatusCode);

        var fixedTypes = new HashSet<string> { "marking-definition", "extension-definition" };
        int pairs = 0, served = 0, refused = 0;
        foreach (var (user, clearance) in users)
        {
            var agencyId = user.Agency.Id;
            var inForce = agreements.Where(a => a.State == State.InForce && a.Agreement.IsParty(agencyId)).Select(a => a.Agreement).ToList();
            var listed = (await TaxiiApiTests.GetAsync(user.Client, "/taxii2/api/collections/"))["collections"]!.AsArray().Select(c => c!["id"]!.GetValue<Guid>()).ToHashSet();
            HashSet<Guid> expectedCollections = [TaxiiService.OwnCollectionId(agencyId), .. inForce.Select(a => a.Id.Value)];
            Assert.True(listed.SetEquals(expectedCollections), $"{user.UserName} lists {listed.Count} collections, the model {expectedCollections.Count}");

            foreach (var agreement in inForce)
            {
                var expected = records
                    .Where(r => r.HolderAgencyId == agencyId && r.OriginatorAgencyId == agencyId && r.Provenance is null && r.Marking.Tlp != Tlp.Red)
                    .Where(r => r.Marking.Classification <= clearance && r.RetentionUntil > now)
                    .Where(r => r.Marking.Classification <= agreement.HighestClassification && agreement.HandlingCodes.Contains(r.Marking.Handling))
                    .Where(r => r.ThreatDomains.All(agreement.ThreatDomains.Contains))
                    .Select(r => StixIds.For("report", r.Id.Value))
                    .ToHashSet();
                var objects = await AllObjectsAsync(user.Client, agreement.Id.Value);
                var reports = objects.Where(o => o["type"]!.GetValue<string>() == "report").ToList();
                var actual = reports.Select(r => r["id"]!.GetValue<string>()).ToHashSet();
                string Describe(string id)
                {
                    var r = records.SingleOrDefault(x => StixIds.For("report", x.Id.Value) == id);
                    if (r is null)
                    {
                        return $"{id} (no record: {reports.FirstOrDefault(x => x["id"]!.GetValue<string>() == id)?["name"]})";
                    }

                    return $"{id} {r.Marking.Classification}/{r.Marking.Tlp}/{r.Marking.Handling} [{string.Join(",", r.ThreatDomains)}] until {r.RetentionUntil:O} copy={r.Provenance is not null}";
                }

                Assert.True(
                    actual.SetEquals(expected),
                    $"{user.UserName} ({clearance}) under {agreement.HighestClassification}/[{string.Join(",", agreement.HandlingCodes)}]/[{string.Join(",", agreement.ThreatDomains)}]: " +
                    $"missing {string.Join("; ", expected.Except(actual).Select(Describe))}; extra {string.Join("; ", actual.Except(expected).Select(Describe))}");
                var referred = reports.SelectMany(r => r["object_refs"]!.AsArray().Select(x => x!.GetValue<string>())).ToHashSet();
                var author = StixIds.For("identity", agencyId.Value);
                foreach (var item in objects.Where(o => o["type"]!.GetValue<string>() != "report"))
                {
                    var id = item["id"]!.GetValue<string>();
                    Assert.True(
                        referred.Contains(id) || id == author || fixedTypes.Contains(item["type"]!.GetValue<string>()) || item["id"]!.GetValue<string>().StartsWith("identity--0b6f2a44", StringComparison.Ordinal),
                        $"{user.UserName} under agreement {agreement.Id.Value}: {id} is in no allowed report");
                }

                Assert.DoesNotContain(objects, o => o["id"]!.GetValue<string>() == posted);
                served += reports.Count;
                pairs++;
            }

            // Agreements not in force, or of other agencies: no collection.
            foreach (var other in agreements.Where(a => !(a.State == State.InForce && a.Agreement.IsParty(agencyId))))
            {
                var response = await user.Client.GetAsync($"/taxii2/api/collections/{other.Agreement.Id.Value}/objects/");
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                refused++;
            }

            var own = await AllObjectsAsync(user.Client, TaxiiService.OwnCollectionId(agencyId));
            Assert.Equal(agencyId == poster.Agency.Id, own.Any(o => o["id"]!.GetValue<string>() == posted));
            if (agencyId != poster.Agency.Id)
            {
                Assert.Equal(HttpStatusCode.NotFound, (await user.Client.GetAsync($"/taxii2/api/collections/{TaxiiService.OwnCollectionId(poster.Agency.Id)}/objects/")).StatusCode);
            }

            pairs++;
        }

        output.WriteLine($"{agencies.Count} agencies, {users.Count} users, {agreements.Count} agreements ({agreements.Count(a => a.State == State.InForce)} in force), {records.Count} records; {pairs} (user, collection) pairs, {served} reports served, {refused} collections refused");
        Assert.True(served > 0, "no report served: the world is too small to prove anything");
        Assert.True(refused > 0);
    }

    /// <summary>Every object of a collection, following <c>next</c> in pages of 40.</summary>
    private static async Task<List<JsonObject>> AllObjectsAsync(HttpClient client, Guid collection)
    {
        var result = new List<JsonObject>();
        string? next = null;
        do
        {
            var page = await TaxiiApiTests.GetAsync(client, $"/taxii2/api/collections/{collection}/objects/?limit=40" + (next is null ? string.Empty : $"&next={next}"));
            result.AddRange(page["objects"]?.AsArray().Select(o => o!.AsObject()) ?? []);
            next = page["next"]?.GetValue<string>();
        }
        while (next is not null);
        return result;
    }

    private static WorldAgreement RandomAgreement(Random random, AgencyId a, AgencyId b, DateOnly today)
    {
        var state = random.Next(2) == 0 ? State.InForce : (State)random.Next(6);
        var (from, until) = state switch
        {
            State.Expired => (today.AddDays(-800), today.AddDays(-random.Next(2, 300))),
            State.NotYetValid => (today.AddDays(random.Next(2, 60)), today.AddDays(700)),
            _ => (today.AddDays(-random.Next(2, 700)), today.AddDays(random.Next(2, 700))),
        };
        var proposedAt = new DateTimeOffset(from.AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var domains = Enum.GetValues<ThreatDomain>();
        var agreement = SharingAgreement.Propose(
            new SharingTerms(a, b, [.. domains.Where(_ => random.Next(2) == 0).DefaultIfEmpty(domains[0])], (Classification)random.Next(4),
            [.. Enum.GetValues<HandlingCode>().Where(_ => random.Next(3) != 0).DefaultIfEmpty(HandlingCode.H0)], from, until), new UserId(Guid.NewGuid()), proposedAt);
        if (state != State.Proposed)
        {
            agreement.Accept(new UserId(Guid.NewGuid()), proposedAt);
        }

        if (state == State.Suspended)
        {
            agreement.Suspend(a, "suspended for review", proposedAt);
        }
        else if (state == State.Ended)
        {
            agreement.End("cooperation ended", proposedAt);
        }

        return new WorldAgreement(agreement, state);
    }
}
