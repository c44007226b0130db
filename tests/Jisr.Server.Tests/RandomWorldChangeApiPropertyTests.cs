using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Common;
using Jisr.Domain.Markings;
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
/// The change rules over real HTTP, on a random world (the policy-level property test runs 100,000+ cases; this is a
/// sample of the same through the API): every user replaces every record with a random marking and recipients; every
/// user tries to approve the declassifications that produced; random users release the originals to random agencies
/// (four-eyes judged on every marking since the last release); some records change again; every user tries to approve
/// the releases awaiting approval; random users delete random records. Each answer (200, 201, 202, 204, 403, 404,
/// 409) must be the one a plain model of the world, kept here as the answers change it, predicts.
/// </summary>
public sealed class RandomWorldChangeApiPropertyTests(ITestOutputHelper output)
{
    private sealed record WorldUser(TestUser User, IReadOnlySet<Role> Roles, Classification Clearance)
    {
        public AgencyId Agency => User.Agency.Id;

        public UserId Id => new(User.Id);
    }

    /// <summary>The model's record: what the rules read, updated as the API's answers say the record changed.</summary>
    private sealed class ModelRecord
    {
        public required RecordId Id { get; init; }

        public required AgencyId Holder { get; init; }

        public required AgencyId Originator { get; init; }

        public required UserId Author { get; init; }

        public required bool Expired { get; init; }

        /// <summary>For a copy: whether the agreement it came under is in force; null for an original.</summary>
        public required bool? CopyVisible { get; init; }

        public required Marking Marking { get; set; }

        public required HashSet<UserId> Recipients { get; set; }

        public int Version { get; set; }

        public bool Deleted { get; set; }

        /// <summary>Every marking the record has had since it last went out: four-eyes is judged on them.</summary>
        public List<Marking> SinceRelease { get; set; } = [];

        public HashSet<AgencyId> ReleasedTo { get; } = [];
    }

    private sealed record Pending(Guid Id, ModelRecord Record, AgencyId Partner, UserId RequestedBy, int Version)
    {
        public bool Decided { get; set; }
    }

    private sealed record Held(Guid Id, ModelRecord Record, UserId RequestedBy, int Version, Marking Proposed, HashSet<UserId> Recipients)
    {
        public bool Decided { get; set; }
    }

    private static bool Readable(WorldUser u, ModelRecord r) =>
        !r.Deleted && r.Holder == u.Agency && (int)r.Marking.Classification <= (int)u.Clearance && !r.Expired
        && (r.Marking.Tlp != Tlp.Red || r.Author == u.Id || r.Recipients.Contains(u.Id))
        && r.CopyVisible != false;

    private static bool Writer(WorldUser u) => u.Roles.Contains(Role.Analyst) || u.Roles.Contains(Role.FieldOfficer) || u.Roles.Contains(Role.LiaisonOfficer);

    private static HttpStatusCode ExpectedPut(WorldUser u, ModelRecord r, Marking to, HashSet<UserId> recipients)
    {
        if (!Readable(u, r))
        {
            return HttpStatusCode.NotFound;
        }

        var mayChange = r.CopyVisible is null
                        && ((r.Author == u.Id && Writer(u)) || (u.Roles.Contains(Role.Editor) && u.Agency == r.Originator))
                        && (int)to.Classification <= (int)u.Clearance;
        if (!mayChange)
        {
            return HttpStatusCode.Forbidden;
        }

        var from = r.Marking;
        var lowered = to.Classification < from.Classification || to.Tlp < from.Tlp || to.Handling < from.Handling
                      || (from.Handling == HandlingCode.H3 && to.Handling == HandlingCode.H3 && from.HandlingNote != to.HandlingNote);
        var widened = from.Tlp == Tlp.Red && to.Tlp == Tlp.Red && recipients.Any(x => x != r.Author && !r.Recipients.Contains(x));
        return lowered || widened ? HttpStatusCode.Accepted : HttpStatusCode.OK;
    }

    private static HttpStatusCode ExpectedApproval(WorldUser u, Held h)
    {
        if (h.Record.Holder != u.Agency || !Readable(u, h.Record) || (int)h.Proposed.Classification > (int)u.Clearance)
        {
            return HttpStatusCode.NotFound;
        }

        if (!u.Roles.Contains(Role.LegalReviewer) || h.RequestedBy == u.Id)
        {
            return HttpStatusCode.Forbidden;
        }

        return h.Decided || h.Record.Version != h.Version ? HttpStatusCode.Conflict : HttpStatusCode.OK;
    }

    private static bool Sensitive(Marking m) => m.Classification is Classification.Confidential or Classification.Secret || m.Tlp is Tlp.AmberStrict or Tlp.Red;

    private static HttpStatusCode ExpectedRelease(WorldUser u, ModelRecord r, AgencyId partner, bool agreementInForce, IEnumerable<Pending> pending)
    {
        if (!Readable(u, r))
        {
            return HttpStatusCode.NotFound;
        }

        if (!Writer(u) || !agreementInForce)
        {
            return HttpStatusCode.Forbidden;
        }

        return r.ReleasedTo.Contains(partner) || pending.Any(p => p.Record == r && p.Partner == partner && !p.Decided && p.Version == r.Version)
            ? HttpStatusCode.Conflict
            : HttpStatusCode.Created;
    }

    private static HttpStatusCode ExpectedReleaseApproval(WorldUser u, Pending p) =>
        p.Record.Holder != u.Agency ? HttpStatusCode.NotFound
        : !u.Roles.Contains(Role.LegalReviewer) || p.RequestedBy == u.Id || !Readable(u, p.Record) ? HttpStatusCode.Forbidden
        : p.Decided || p.Record.Version != p.Version ? HttpStatusCode.Conflict
        : HttpStatusCode.OK;

    private static HttpStatusCode ExpectedDelete(WorldUser u, ModelRecord r) =>
        !Readable(u, r) ? HttpStatusCode.NotFound
        : r.Author == u.Id || u.Roles.Contains(Role.LegalReviewer) || u.Roles.Contains(Role.Administrator) ? HttpStatusCode.NoContent
        : HttpStatusCode.Forbidden;

    [Fact]
    public async Task Changes_ThroughTheApi_AgreeWithTheReferenceModel()
    {
        var random = new Random(20261130);
        await using var node = await TestNode.StartAsync();
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var roles = Enum.GetValues<Role>();

        var agencies = new List<Jisr.Domain.Agencies.Agency>();
        for (var i = 0; i < 4; i++)
        {
            agencies.Add(await node.AddAgencyAsync($"CH-{i:D2}"));
        }

        var users = new List<WorldUser>();
        foreach (var agency in agencies)
        {
            for (var i = 0; i < 7; i++)
            {
                var granted = roles.Where(_ => random.Next(3) == 0).DefaultIfEmpty(Role.Analyst).ToHashSet();
                granted.Add(i switch { 0 => Role.Analyst, 1 => Role.Editor, 2 => Role.LegalReviewer, 3 => Role.LegalReviewer, _ => granted.First() });
                var clearance = i is 2 or 3 ? Classification.Secret : (Classification)random.Next(4);
                users.Add(new WorldUser(await node.AddUserAsync(agency, $"c{users.Count}.{agency.Code.ToLowerInvariant()}", [.. granted], clearance), granted, clearance));
            }
        }

        var usersOf = users.GroupBy(u => u.Agency).ToDictionary(g => g.Key, g => g.ToList());
        var agreements = new List<SharingAgreement>();
        for (var i = 0; i < 16; i++)
        {
            var a = agencies[random.Next(agencies.Count)].Id;
            var b = agencies.Where(x => x.Id != a).ElementAt(random.Next(agencies.Count - 1)).Id;
            agreements.Add(RandomAgreements.Between(random, a, b, now));
        }

        // Records (originals and release copies) with random markings and recipients.
        var records = new List<Record>();
        var model = new List<ModelRecord>();
        for (var i = 0; i < 40; i++)
        {
            var author = users[random.Next(users.Count)];
            var expired = random.Next(12) == 0;
            var created = now.AddDays(-random.Next(30, 300));
            var retention = expired ? now.AddDays(-1) : now.AddDays(random.Next(60, 900));
            var marking = RandomMarking(random);
            var record = Record.Create(author.Agency, author.Id, RecordContent.Create(
                RecordKind.IntelligenceReport, $"change world {i}", "text", "en", "basis", "purpose", retention, DateOnly.FromDateTime(retention.UtcDateTime).AddDays(-1),
                marking, SourceGrading.Parse("B2"), [ThreatDomain.DrugTrafficking]), created);
            record.SetRecipients(marking.Tlp == Tlp.Red ? [.. usersOf[author.Agency].Where(_ => random.Next(3) == 0).Select(u => u.Id)] : []);
            records.Add(record);
            model.Add(Model(record, expired, null));

            var under = agreements.FirstOrDefault(a => a.AcceptedAt is not null && a.IsParty(record.HolderAgencyId));
            if (under is not null && random.Next(3) == 0)
            {
                var to = under.Counterpart(record.HolderAgencyId);
                var release = Release.Request(record, to, under, author.Id, marking.Tlp == Tlp.Red ? [usersOf[to][0].Id] : [], null, needsSecondPerson: false, now);
                var copy = Record.CreateReleaseCopy(record, release, under, now);
                release.Delivered(copy.Id);
                records.Add(copy);
                model.Add(Model(copy, expired, under.Status == AgreementStatus.InForce && under.ValidFrom <= today && today <= under.ValidUntil));
            }
        }

        await using (var db = node.Database.Open())
        {
            db.Agreements.AddRange(agreements);
            foreach (var record in records)
            {
                db.Records.Add(record);
                db.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(record, []);
            }

            await db.SaveChangesAsync();
        }

        var failures = new List<string>();
        var tally = new Dictionary<(string, HttpStatusCode), int>();
        void Compare(string what, WorldUser u, ModelRecord r, HttpStatusCode expected, HttpStatusCode actual)
        {
            tally[(what, expected)] = tally.GetValueOrDefault((what, expected)) + 1;
            if (expected != actual)
            {
                failures.Add($"{what} by {u.User.UserName} ({string.Join('+', u.Roles)}, {u.Clearance}) on {r.Id} ({r.Marking}, author {r.Author == u.Id}, copy {r.CopyVisible is not null}): model {(int)expected}, API {(int)actual}");
            }
        }

        var held = new List<Held>();
        async Task ReplaceAsync(WorldUser u, ModelRecord r)
        {
            var to = RandomMarking(random);
            var named = to.Tlp == Tlp.Red ? usersOf[r.Holder].Where(_ => random.Next(3) == 0).ToList() : [];
            var recipients = named.Select(x => x.Id).Where(x => x != r.Author).ToHashSet();
            var expected = ExpectedPut(u, r, to, recipients);
            var request = RecordRequests.Valid(title: $"changed by {u.User.UserName}");
            request["marking"] = new JsonObject { ["classification"] = Marking.ClassificationNames[to.Classification], ["tlp"] = Marking.TlpNames[to.Tlp], ["handling"] = Marking.HandlingNames[to.Handling], ["handlingNote"] = to.HandlingNote };
            request["recipients"] = new JsonArray([.. named.Select(x => (JsonNode)x.User.UserName)]);
            var response = await u.User.Client.PutAsJsonAsync($"/api/v1/records/{r.Id}", request);
            Compare("replace", u, r, expected, response.StatusCode);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                r.Marking = to;
                r.Recipients = recipients;
                r.Version++;
                r.SinceRelease.Add(to);
            }
            else if (response.StatusCode == HttpStatusCode.Accepted)
            {
                var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
                held.Add(new Held(id, r, u.Id, r.Version, to, recipients));
            }
        }

        // Every user replaces every record.
        foreach (var u in users)
        {
            foreach (var r in model)
            {
                await ReplaceAsync(u, r);
            }
        }

        // Every user tries to approve the declassifications, newest first (older ones are often stale by then).
        foreach (var h in held.AsEnumerable().Reverse().Take(40))
        {
            foreach (var u in users.OrderBy(_ => random.Next()))
            {
                var expected = ExpectedApproval(u, h);
                var response = await u.User.Client.PostAsJsonAsync($"/api/v1/declassifications/{h.Id}/approve", new { });
                Compare("approve declassification", u, h.Record, expected, response.StatusCode);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    h.Decided = true;
                    h.Record.Marking = h.Proposed;
                    h.Record.Recipients = h.Recipients;
                    h.Record.Version++;
                    h.Record.SinceRelease.Add(h.Proposed);
                }
            }
        }

        // Random users release the originals to random agencies; four-eyes is judged on the markings since the last release.
        var pending = new List<Pending>();
        foreach (var r in model.Where(r => r.CopyVisible is null))
        {
            for (var i = 0; i < 4; i++)
            {
                // Mostly the holder's users and partners in force, so that releases happen.
                var u = i == 0 ? users[random.Next(users.Count)] : usersOf[r.Holder][random.Next(usersOf[r.Holder].Count)];
                var partners = agencies.Where(a => a.Id != r.Holder && (i == 0 || agreements.Any(x => x.IsParty(r.Holder) && x.Counterpart(r.Holder) == a.Id && x.IsInForce(today)))).ToList();
                var partner = partners.Count > 0 ? partners[random.Next(partners.Count)] : agencies.First(a => a.Id != r.Holder);
                var inForce = agreements.Any(a => a.IsParty(r.Holder) && a.Counterpart(r.Holder) == partner.Id && a.IsInForce(today));
                var expected = ExpectedRelease(u, r, partner.Id, inForce, pending);
                var response = await u.User.Client.PostAsJsonAsync($"/api/v1/records/{r.Id}/releases",
                    new { agency = partner.Code, recipients = r.Marking.Tlp == Tlp.Red ? new[] { usersOf[partner.Id][0].User.UserName } : null });
                Compare("release", u, r, expected, response.StatusCode);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    continue;
                }

                var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
                var needsSecond = r.SinceRelease.Any(Sensitive);
                Compare("release four-eyes", u, r, needsSecond ? HttpStatusCode.Accepted : HttpStatusCode.OK, body["status"]!.GetValue<string>() == "awaiting-approval" ? HttpStatusCode.Accepted : HttpStatusCode.OK);
                foreach (var stale in pending.Where(p => p.Record == r && p.Partner == partner.Id && !p.Decided))
                {
                    stale.Decided = true; // superseded by asking again
                }

                if (needsSecond)
                {
                    pending.Add(new Pending(body["id"]!.GetValue<Guid>(), r, partner.Id, u.Id, r.Version));
                }
                else
                {
                    r.ReleasedTo.Add(partner.Id);
                    r.SinceRelease = [r.Marking];
                }
            }
        }

        // Some records change again after their release was asked for (those requests go stale), then every user tries to approve.
        foreach (var p in pending.Where(_ => random.Next(3) == 0).ToList())
        {
            await ReplaceAsync(usersOf[p.Record.Holder].FirstOrDefault(u => u.Id == p.Record.Author) ?? usersOf[p.Record.Holder][1], p.Record);
        }

        foreach (var p in pending)
        {
            foreach (var u in users.OrderBy(_ => random.Next()))
            {
                var expected = ExpectedReleaseApproval(u, p);
                var response = await u.User.Client.PostAsJsonAsync($"/api/v1/releases/{p.Id}/approve", new { });
                Compare("approve release", u, p.Record, expected, response.StatusCode);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    p.Decided = true;
                    p.Record.ReleasedTo.Add(p.Partner);
                    p.Record.SinceRelease = [p.Record.Marking];
                }
            }
        }

        // Random deletions.
        for (var i = 0; i < 300; i++)
        {
            var u = users[random.Next(users.Count)];
            var r = model[random.Next(model.Count)];
            var expected = ExpectedDelete(u, r);
            var response = await u.User.Client.DeleteAsync($"/api/v1/records/{r.Id}");
            Compare("delete", u, r, expected, response.StatusCode);
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                r.Deleted = true;
            }
        }

        output.WriteLine($"{agencies.Count} agencies, {users.Count} users, {model.Count} records ({model.Count(r => r.CopyVisible is not null)} copies), {held.Count} held declassifications: {tally.Values.Sum()} API cases");
        foreach (var group in tally.GroupBy(t => t.Key.Item1).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{group.Key}: {string.Join(", ", group.OrderBy(t => t.Key.Item2).Select(t => $"{(int)t.Key.Item2} x{t.Value}"))}");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} disagreements, e.g.:\n{string.Join("\n", failures.Take(15))}");
        foreach (var status in new[] { HttpStatusCode.OK, HttpStatusCode.Accepted, HttpStatusCode.Forbidden, HttpStatusCode.NotFound })
        {
            Assert.True(tally.GetValueOrDefault(("replace", status)) > 0, $"no replace answered {(int)status}");
        }

        foreach (var status in new[] { HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.Forbidden, HttpStatusCode.NotFound })
        {
            Assert.True(tally.GetValueOrDefault(("approve declassification", status)) > 0, $"no declassification approval answered {(int)status}");
            Assert.True(tally.GetValueOrDefault(("approve release", status)) > 0, $"no release approval answered {(int)status}");
        }

        Assert.True(tally.GetValueOrDefault(("release", HttpStatusCode.Created)) > 0 && tally.GetValueOrDefault(("release four-eyes", HttpStatusCode.Accepted)) > 0, "no release asked for a second person");
    }

    private static ModelRecord Model(Record record, bool expired, bool? copyVisible) => new()
    {
        Id = record.Id,
        Holder = record.HolderAgencyId,
        Originator = record.OriginatorAgencyId,
        Author = record.AuthorUserId,
        Expired = expired,
        CopyVisible = copyVisible,
        Marking = record.Marking,
        Recipients = [.. record.Recipients.Select(x => new UserId(x.UserId))],
        SinceRelease = [record.Marking],
    };

    private static Marking RandomMarking(Random random)
    {
        var handling = (HandlingCode)random.Next(4);
        return Marking.Create((Classification)random.Next(4), (Tlp)random.Next(5), handling, handling == HandlingCode.H3 ? (random.Next(2) == 0 ? "court only" : "no copies") : null);
    }
}
