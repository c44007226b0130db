using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Notices;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;
using Jisr.Domain.Users;
using Jisr.Storage;
using Jisr.Storage.Records;
using Jisr.Testing;
using Xunit.Abstractions;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Server.Tests;

/// <summary>
/// Property test of the whole sharing model through the HTTP API. A seeded generator builds a random world: 5-20
/// agencies, agreements in every state (proposed, in force, suspended, ended, expired, not yet valid), users with
/// random roles and clearances, records with random markings and retention, releases (approved where the marking
/// needs it), consents and records passed on to third agencies. Then, for every (user, record) pair (at least
/// 100,000), what the API answers on the single read, the list, the full-text search, the graph neighbours and the STIX export must
/// equal what a small reference model, written here independently of the policy code, says. The same goes for
/// every (user, notice / release / consent request) pair on the single read and the list.
/// </summary>
public sealed class RandomWorldApiPropertyTests(ITestOutputHelper output)
{
    private const int MinimumPairs = 100_000;
    private const string WorldToken = "worldprobe";

    private sealed record WorldUser(TestUser User, Classification Clearance);

    [Fact]
    public async Task EveryReadPath_ForEveryUserAndRecord_AgreesWithTheReferenceModel()
    {
        var random = new Random(20261125);
        await using var node = await TestNode.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);

        // Agencies and users.
        var agencies = new List<Jisr.Domain.Agencies.Agency>();
        var agencyCount = random.Next(5, 21);
        for (var i = 0; i < agencyCount; i++)
        {
            agencies.Add(await node.AddAgencyAsync($"AG-{i:D2}", i % 2 == 0 ? "MA" : "FR"));
        }

        var users = new List<WorldUser>();
        foreach (var agency in agencies)
        {
            for (var i = random.Next(3, 9); i > 0; i--)
            {
                var clearance = (Classification)random.Next(4);
                var roles = Enum.GetValues<Role>().Where(_ => random.Next(3) == 0).DefaultIfEmpty(Role.Analyst).ToArray();
                users.Add(new WorldUser(await node.AddUserAsync(agency, $"u{users.Count}.{agency.Code.ToLowerInvariant()}", roles, clearance), clearance));
            }
        }

        var usersOf = users.GroupBy(u => u.User.Agency.Id).ToDictionary(g => g.Key, g => g.ToList());
        var originals = (MinimumPairs / users.Count) * 3 / 4 + 1;

        // Agreements between random pairs of agencies, left in every state.
        var agreements = new List<SharingAgreement>();
        for (var i = 0; i < agencyCount * 2; i++)
        {
            var a = agencies[random.Next(agencyCount)].Id;
            var b = agencies[random.Next(agencyCount)].Id;
            if (a != b)
            {
                agreements.Add(RandomAgreements.Between(random, a, b, now));
            }
        }

        var records = new List<Record>();
        var entities = new List<Entity>();
        var personOf = new Dictionary<RecordId, EntityId>();
        for (var i = 0; i < originals; i++)
        {
            var author = users[random.Next(users.Count)];
            var agencyId = author.User.Agency.Id;
            var expired = random.Next(10) == 0;
            var createdAt = now.AddDays(-random.Next(400, 900));
            var retention = expired ? now.AddDays(-random.Next(1, 300)) : now.AddDays(random.Next(30, 2000));
            var tlp = (Tlp)random.Next(5);
            var content = RecordContent.Create(
                RecordKind.IntelligenceReport, $"{WorldToken} r{i}", "random world", "en", "basis", "purpose", retention,
                DateOnly.FromDateTime(retention.UtcDateTime).AddDays(-1),
                Marking.Create((Classification)random.Next(4), tlp, (HandlingCode)random.Next(3)),
                SourceGrading.Parse("B2"), [random.Next(2) == 0 ? ThreatDomain.DrugTrafficking : ThreatDomain.Terrorism]);
            var record = Record.Create(agencyId, new UserId(author.User.Id), content, createdAt);
            var person = Person.Create(agencyId, [PersonName.Create($"Person {i}")], null, null, Gender.Unknown, [], [], createdAt);
            var phone = PhoneNumber.Create(agencyId, $"+2126{i:D8}", createdAt);
            record.SetAssertions([person, phone], [LinkDraft.Create(person.Id, phone.Id, LinkType.Owns, null, null, createdAt)]);
            if (tlp == Tlp.Red)
            {
                record.SetRecipients([.. usersOf[agencyId].Where(_ => random.Next(3) == 0).Select(u => new UserId(u.User.Id))]);
            }

            entities.Add(person);
            entities.Add(phone);
            personOf[record.Id] = person.Id;
            records.Add(record);
        }

        // Releases under agreements that were accepted at some point, and passing on with the originator's consent.
        var consents = new List<ConsentRequest>();
        var releases = new List<Release>();
        foreach (var source in records.ToList())
        {
            if (random.Next(3) != 0)
            {
                continue;
            }

            var copy = ReleaseCopy(random, source, agreements, usersOf, releases, now);
            if (copy is null)
            {
                continue;
            }

            records.Add(copy);
            personOf[copy.Id] = personOf[source.Id];
            if (random.Next(2) == 0)
            {
                var third = agreements.Where(a => a.AcceptedAt is not null && a.IsParty(copy.HolderAgencyId) && a.Counterpart(copy.HolderAgencyId) != copy.OriginatorAgencyId).ToList();
                if (third.Count > 0)
                {
                    var under = third[random.Next(third.Count)];
                    var consent = ConsentRequest.Request(copy, under.Counterpart(copy.HolderAgencyId), new UserId(usersOf[copy.HolderAgencyId][0].User.Id), null, now);
                    consent.Grant(new UserId(usersOf[copy.OriginatorAgencyId][0].User.Id), null, now);
                    consents.Add(consent);
                    var passedOn = ReleaseCopy(random, copy, [under], usersOf, releases, now);
                    if (passedOn is not null)
                    {
                        records.Add(passedOn);
                        personOf[passedOn.Id] = personOf[source.Id];
                    }
                }
            }
        }

        // Notices from random issuers to random agencies, in every state. They are stored as they were sent; the
        // partnerships may have changed since, which is what the visibility rule must follow.
        var notices = new List<Notice>();
        foreach (var record in records.Where(r => r.Provenance is null && random.Next(8) == 0))
        {
            var recipients = agencies.Where(a => a.Id != record.HolderAgencyId && random.Next(4) == 0).Select(a => a.Id).ToList();
            if (recipients.Count == 0)
            {
                continue;
            }

            var state = random.Next(4);
            var notice = Notice.Create(
                record.HolderAgencyId, record.AuthorUserId, (NoticeColor)random.Next(7), personOf[record.Id], "Notice", "random world", "trafficking",
                ThreatDomain.DrugTrafficking, recipients, state == 0 ? [] : ["political: \"election\""], now);
            switch (state)
            {
                case 1: notice.Clear("checked", now); break;
                case 2: notice.Refuse("political character", now); break;
                case 3: notice.Cancel("withdrawn", now); break;
            }

            notices.Add(notice);
        }

        await using (var db = node.Database.Open())
        {
            db.Agreements.AddRange(agreements);
            db.Notices.AddRange(notices);
            db.Entities.AddRange(entities);
            var byId = entities.ToDictionary(e => e.Id);
            foreach (var record in records)
            {
                db.Records.Add(record);
                db.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(record, record.Mentions.Select(m => byId[m.EntityId]));
            }

            db.Releases.AddRange(releases);
            db.ConsentRequests.AddRange(consents);
            await db.SaveChangesAsync();
        }

        Assert.InRange(agencyCount, 5, 20);
        Assert.True(users.Count * records.Count >= MinimumPairs, $"{users.Count} users x {records.Count} records");
        var agreementById = agreements.ToDictionary(a => a.Id);
        var recordById = records.ToDictionary(r => r.Id);

        // The reference model: the rules as the issue states them.
        bool Visible(WorldUser u, Record r) =>
            r.HolderAgencyId == u.User.Agency.Id
            && r.Marking.Classification <= u.Clearance
            && r.RetentionUntil > now
            && (r.Marking.Tlp != Tlp.Red || r.AuthorUserId.Value == u.User.Id || r.Recipients.Any(x => x.UserId == u.User.Id))
            && (r.Provenance is null || AllowsSharingOn(agreementById[r.ReleasedUnderAgreementId!.Value], today));

        var failures = new ConcurrentQueue<string>();
        var pairs = users.SelectMany(u => records.Select(r => (User: u, Record: r))).ToList();
        var visiblePairs = 0;
        var copyPairsVisible = 0;
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (u, ct) =>
        {
            var listed = await AllPagesAsync(u.User.Client, "/api/v1/records?limit=200", null);
            var found = await AllPagesAsync(u.User.Client, $"/api/v1/records/search?q={WorldToken}&limit=200", "property test");
            foreach (var r in records)
            {
                var expected = Visible(u, r);
                if (listed.Contains(r.Id.Value) != expected || found.Contains(r.Id.Value) != expected)
                {
                    failures.Enqueue($"{u.User.UserName} / {r.Id}: model {expected}, list {listed.Contains(r.Id.Value)}, search {found.Contains(r.Id.Value)}");
                }
            }
        });
        // The records whose links the user's graph step around a person shows: asked once per (user, person), since
        // release copies mention their original's person.
        var graphRecords = new ConcurrentDictionary<(WorldUser User, EntityId Person), Lazy<Task<HashSet<Guid>>>>();
        static async Task<HashSet<Guid>> GraphRecordsAsync(WorldUser user, EntityId person, CancellationToken ct)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/entities/{person}/neighbours");
            request.Headers.Add("X-Jisr-Purpose", "property test");
            var neighbours = await user.User.Client.SendAsync(request, ct);
            return neighbours.StatusCode == HttpStatusCode.OK
                ? [.. (await neighbours.Content.ReadFromJsonAsync<JsonObject>(ct))!["items"]!.AsArray().Select(n => n!["link"]!["record"]!.GetValue<Guid>())]
                : [];
        }

        await Parallel.ForEachAsync(pairs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (pair, ct) =>
        {
            var expected = Visible(pair.User, pair.Record);
            var single = await pair.User.User.Client.GetAsync($"/api/v1/records/{pair.Record.Id}", ct);
            var inGraph = (await graphRecords.GetOrAdd((pair.User, personOf[pair.Record.Id]), key => new Lazy<Task<HashSet<Guid>>>(() => GraphRecordsAsync(key.User, key.Person, ct))).Value)
                .Contains(pair.Record.Id.Value);
            using var export = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/records/{pair.Record.Id}/stix");
            export.Headers.Add("X-Jisr-Purpose", "property test");
            var stix = await pair.User.User.Client.SendAsync(export, ct);
            var exported = stix.StatusCode == HttpStatusCode.OK
                           && JsonNode.Parse(await stix.Content.ReadAsStringAsync(ct))!["objects"]!.AsArray()
                               .Any(o => o!["type"]!.GetValue<string>() == "report" && o["x_jisr_record_id"]!.GetValue<Guid>() == pair.Record.Id.Value);
            if ((single.StatusCode == HttpStatusCode.OK) != expected || inGraph != expected || exported != expected
                || single.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NotFound) || stix.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NotFound))
            {
                failures.Enqueue($"{pair.User.User.UserName} / {pair.Record.Id}: model {expected}, read {(int)single.StatusCode}, graph {inGraph}, stix {(int)stix.StatusCode}");
            }

            if (expected)
            {
                Interlocked.Increment(ref visiblePairs);
                if (pair.Record.Provenance is not null)
                {
                    Interlocked.Increment(ref copyPairsVisible);
                }
            }
        });

        // Notices, releases and consent requests: the list and the single read of every one, for every user.
        bool Partners(AgencyId a, AgencyId b) => agreements.Any(x => x.IsParty(a) && x.Counterpart(a) == b && AllowsSharingOn(x, today));
        bool NoticeVisible(WorldUser u, Notice n) =>
            n.IssuerAgencyId == u.User.Agency.Id
            || (n.Status is NoticeStatus.Issued or NoticeStatus.Cancelled && n.Recipients.Any(r => r.AgencyId == u.User.Agency.Id) && Partners(n.IssuerAgencyId, u.User.Agency.Id));
        var otherItems = notices.Select(n => ("notices", n.Id.Value, (Func<WorldUser, bool>)(u => NoticeVisible(u, n))))
            .Concat(releases.Select(r => ("releases", r.Id.Value, (Func<WorldUser, bool>)(u => r.ReleasingAgencyId == u.User.Agency.Id && Visible(u, recordById[r.RecordId])))))
            .Concat(consents.Select(c => ("consents", c.Id.Value, (Func<WorldUser, bool>)(u =>
                (c.RequesterAgencyId == u.User.Agency.Id && Visible(u, recordById[c.RecordId])) || (c.OriginatorAgencyId == u.User.Agency.Id && Visible(u, recordById[c.OriginalRecordId]))))))
            .ToList();
        var otherPairs = 0;
        var otherVisible = 0;
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (u, ct) =>
        {
            var listed = new Dictionary<string, HashSet<Guid>>();
            foreach (var kind in new[] { "notices", "releases", "consents" })
            {
                var items = await u.User.Client.GetFromJsonAsync<JsonArray>($"/api/v1/{kind}", ct);
                listed[kind] = [.. items!.Select(i => i!["id"]!.GetValue<Guid>())];
            }

            foreach (var (kind, id, visible) in otherItems)
            {
                var expected = visible(u);
                var single = await u.User.Client.GetAsync($"/api/v1/{kind}/{id}", ct);
                if ((single.StatusCode == HttpStatusCode.OK) != expected || listed[kind].Contains(id) != expected || single.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NotFound))
                {
                    failures.Enqueue($"{u.User.UserName} / {kind} {id}: model {expected}, read {(int)single.StatusCode}, list {listed[kind].Contains(id)}");
                }

                Interlocked.Increment(ref otherPairs);
                if (expected)
                {
                    Interlocked.Increment(ref otherVisible);
                }
            }
        });

        output.WriteLine($"{agencyCount} agencies, {agreements.Count} agreements, {users.Count} users, {records.Count} records ({records.Count(r => r.Provenance is not null)} release copies, {consents.Count} consents); {pairs.Count} (user, record) pairs checked on read, list, search, graph and STIX export; {visiblePairs} visible ({copyPairsVisible} through release copies)");
        output.WriteLine($"{notices.Count} notices, {releases.Count} releases, {consents.Count} consent requests: {otherPairs} (user, item) pairs checked on read and list; {otherVisible} visible");
        Assert.True(failures.IsEmpty, $"{failures.Count} disagreements, e.g.:\n{string.Join("\n", failures.Take(10))}");
        Assert.True(pairs.Count >= MinimumPairs);
        Assert.True(copyPairsVisible > 0 && visiblePairs < pairs.Count / 2, "the world must have visible copies and mostly hidden pairs");
        Assert.Contains(records, r => r.Provenance is not null && !AllowsSharingOn(agreementById[r.ReleasedUnderAgreementId!.Value], today));
        Assert.Contains(notices, n => n.Status == NoticeStatus.Issued && n.Recipients.Any(r => !Partners(n.IssuerAgencyId, r.AgencyId)));
        Assert.InRange(otherVisible, 1, otherPairs / 2);
    }

    private static bool AllowsSharingOn(SharingAgreement a, DateOnly day) =>
        a.Status == AgreementStatus.InForce && a.ValidFrom <= day && day <= a.ValidUntil;

    /// <summary>Releases <paramref name="source"/> under one of the agreements its holder was party to (once accepted), approving it if its marking needs that.</summary>
    private static Record? ReleaseCopy(Random random, Record source, IReadOnlyList<SharingAgreement> agreements, Dictionary<AgencyId, List<WorldUser>> usersOf, List<Release> releases, DateTimeOffset now)
    {
        var candidates = agreements.Where(a => a.AcceptedAt is not null && a.IsParty(source.HolderAgencyId) && a.Counterpart(source.HolderAgencyId) != source.OriginatorAgencyId).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var agreement = candidates[random.Next(candidates.Count)];
        var recipient = agreement.Counterpart(source.HolderAgencyId);
        if (releases.Any(r => r.RecordId == source.Id && r.RecipientAgencyId == recipient))
        {
            return null;
        }

        List<UserId> named = source.Marking.Tlp == Tlp.Red
            ? [.. usersOf[recipient].Where(_ => random.Next(2) == 0).Select(u => new UserId(u.User.Id)).DefaultIfEmpty(new UserId(usersOf[recipient][0].User.Id))]
            : [];
        var release = Release.Request(source, recipient, agreement, new UserId(usersOf[source.HolderAgencyId][0].User.Id), named, null, Jisr.Policy.AccessPolicy.ReleaseNeedsSecondPerson(source), now);
        if (release.Status == ReleaseStatus.AwaitingApproval)
        {
            release.Approve(source, new UserId(Guid.NewGuid()), null, now);
        }

        var copy = Record.CreateReleaseCopy(source, release, agreement, now);
        release.Delivered(copy.Id);
        releases.Add(release);
        return copy;
    }

    /// <summary>Every id on every page of a list or search (following <c>next</c>).</summary>
    private static async Task<HashSet<Guid>> AllPagesAsync(HttpClient client, string path, string? purpose)
    {
        var ids = new HashSet<Guid>();
        string? cursor = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, cursor is null ? path : $"{path}&cursor={cursor}");
            if (purpose is not null)
            {
                request.Headers.Add("X-Jisr-Purpose", purpose);
            }

            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            foreach (var item in page["items"]!.AsArray())
            {
                Assert.True(ids.Add(item!["id"]!.GetValue<Guid>()), "an item appeared on two pages");
            }

            cursor = page["next"]?.GetValue<string>();
        }
        while (cursor is not null);

        return ids;
    }
}
