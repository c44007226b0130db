using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;
using Jisr.Domain.Users;
using Jisr.Fusion.Graph;
using Jisr.Fusion.Resolution;
using Jisr.Server.Application.Fusion;
using Jisr.Storage;
using Jisr.Storage.Fusion;
using Jisr.Storage.Records;
using Jisr.Policy;
using Jisr.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Server.Tests;

/// <summary>
/// Property test of every fusion read path through the HTTP API, on a real node and database. A seeded generator
/// builds a random world: agencies, agreements in every state, users with random roles and clearances, records with
/// random markings (TLP:RED with named recipients among them) about persons written in several spellings and scripts
/// with shared documents and phones, release copies to partners, and judgements analysts make through the API.
/// Then, for every user, each answer (proposals, judgements, persons shown as one, cross-reference jobs, graph
/// neighbourhoods, paths, connected components, cells, brokers and the JSON export) must equal what the fusion core computes from the
/// records a reference model written here says the user may read, and nothing else. Equality, not inclusion: a hidden
/// record that changed a score, a "N records bear a like name" count, a cell's shape or a betweenness would differ.
/// Cross-reference runs are incremental from their agency's last run, made by another user who sees other records:
/// equality here also proves that nothing another user saw survives into a hit. On both engines.
/// </summary>
public sealed class FusionPolicyPropertyTests(ITestOutputHelper output)
{
    private const string Purpose = "fusion property test";

    private static readonly string[][] People =
    [
        ["Mohamed El Alami", "MOHAMMED ALAMI", "محمد العلمي"],
        ["Youssef Benali", "BENALI Youssef", "يوسف بنعلي"],
        ["Karim Haddad", "Kareem Hadad", "كريم حداد"],
        ["Fatima Zahra Idrissi", "IDRISSI Fatima-Zahra", "فاطمة الزهراء الإدريسي"],
        ["Rachid Oubaha", "Rashid Oubaha", "رشيد أوباها"],
        ["Nadia Chraibi", "CHRAIBI Nadia", "نادية الشرايبي"],
        ["Hamid Tazi", "Hamid Tazzi", "حميد التازي"],
        ["Samir Amrani", "AMRANI Samir", "سمير العمراني"],
    ];

    private sealed record WorldUser(TestUser User, Classification Clearance, Role[] Roles)
    {
        public bool Resolves => Roles.Contains(Role.Analyst) || Roles.Contains(Role.LiaisonOfficer);

        public bool Analyst => Roles.Contains(Role.Analyst);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task EveryFusionReadPath_ForEveryUser_IsWhatTheCoreComputesFromWhatTheUserMayRead(string provider)
    {
        var random = new Random(20261130);
        await using var node = await TestNode.StartAsync(provider);
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);

        var agencies = new List<Jisr.Domain.Agencies.Agency>();
        for (var i = 0; i < 4; i++)
        {
            agencies.Add(await node.AddAgencyAsync($"FU-{i}", i % 2 == 0 ? "MA" : "ES"));
        }

        var users = new List<WorldUser>();
        foreach (var agency in agencies)
        {
            for (var i = 0; i < 4; i++)
            {
                Role[][] choices = [[Role.Analyst], [Role.LiaisonOfficer], [Role.FieldOfficer], [Role.LegalReviewer]];
                var roles = i == 0 ? [Role.Analyst] : choices[random.Next(choices.Length)];
                var clearance = i == 0 ? Classification.Secret : (Classification)random.Next(4);
                users.Add(new WorldUser(await node.AddUserAsync(agency, $"f{users.Count}.{agency.Code.ToLowerInvariant()}", roles, clearance), clearance, roles));
            }
        }

        var usersOf = users.GroupBy(u => u.User.Agency.Id).ToDictionary(g => g.Key, g => g.ToList());
        var agreements = new List<SharingAgreement>();
        for (var a = 0; a < agencies.Count; a++)
        {
            for (var b = a + 1; b < agencies.Count; b++)
            {
                agreements.Add(RandomAgreements.Between(random, agencies[a].Id, agencies[b].Id, now));
            }
        }

        // Records about persons (a spelling of one of the people, sometimes a passport), each owning a phone from a
        // small pool of the agency's, sometimes an associate of another person: a graph with shared ends and cells.
        var records = new List<Record>();
        var entities = new Dictionary<EntityId, Entity>();
        var phones = agencies.ToDictionary(a => a.Id, a => Enumerable.Range(0, 6).Select(i => (Entity)PhoneNumber.Create(a.Id, $"+2126{agencies.IndexOf(a)}{i:D7}", now)).ToList());
        for (var i = 0; i < 120; i++)
        {
            var author = users[random.Next(users.Count)];
            var agencyId = author.User.Agency.Id;
            var tlp = random.Next(8) == 0 ? Tlp.Red : Tlp.Amber;
            var content = RecordContent.Create(
                RecordKind.IntelligenceReport, $"fusion world r{i}", "random world", "en", "basis", "purpose", now.AddDays(random.Next(30, 2000)),
                today.AddDays(20), Marking.Create((Classification)random.Next(4), tlp, HandlingCode.H0), SourceGrading.Parse("B2"), [ThreatDomain.Terrorism]);
            var record = Record.Create(agencyId, new UserId(author.User.Id), content, now.AddDays(-random.Next(1, 300)));
            var mentioned = new List<Entity>();
            var links = new List<LinkDraft>();
            for (var p = random.Next(3) == 0 ? 2 : 1; p > 0; p--)
            {
                var who = random.Next(People.Length);
                var name = People[who][random.Next(3)];
                PersonIdentifier[] documents = random.Next(3) == 0 ? [PersonIdentifier.Create("passport", $"AB{who:D2}{random.Next(2) * 7:D4}", "MA")] : [];
                var person = Person.Create(agencyId, [PersonName.Create(name)], random.Next(2) == 0 ? PartialDate.Parse($"{1970 + who}") : null, null, Gender.Unknown, [], documents, now.AddDays(-400));
                var phone = phones[agencyId][random.Next(phones[agencyId].Count)];
                mentioned.Add(person);
                if (!mentioned.Contains(phone))
                {
                    mentioned.Add(phone);
                }

                links.Add(LinkDraft.Create(person.Id, phone.Id, LinkType.Owns, null, null, now));
            }

            var people = mentioned.OfType<Person>().ToList();
            if (people.Count == 2)
            {
                links.Add(LinkDraft.Create(people[0].Id, people[1].Id, LinkType.AssociateOf, null, null, now));
            }

            record.SetAssertions(mentioned, links);
            if (tlp == Tlp.Red)
            {
                record.SetRecipients([.. usersOf[agencyId].Where(_ => random.Next(2) == 0).Select(u => new UserId(u.User.Id))]);
            }

            foreach (var entity in mentioned)
            {
                entities.TryAdd(entity.Id, entity);
            }

            records.Add(record);
        }

        var releases = new List<Release>();
        foreach (var source in records.ToList())
        {
            if (random.Next(2) == 0 && ReleaseCopy(random, source, agreements, usersOf, releases, now) is { } copy)
            {
                records.Add(copy);
            }
        }

        await using (var db = node.Database.Open())
        {
            db.Agreements.AddRange(agreements);
            db.Entities.AddRange(entities.Values);
            foreach (var record in records)
            {
                db.Records.Add(record);
                db.Entry(record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(record, record.Mentions.Select(m => entities[m.EntityId]));
            }

            db.Releases.AddRange(releases);
            await db.SaveChangesAsync();
        }

        // The reference model: the read rule as the issue states it, written here, not taken from the policy.
        var agreementById = agreements.ToDictionary(a => a.Id);
        bool Visible(WorldUser u, Record r) =>
            r.HolderAgencyId == u.User.Agency.Id
            && r.Marking.Classification <= u.Clearance
            && r.RetentionUntil > now
            && (r.Marking.Tlp != Tlp.Red || r.AuthorUserId.Value == u.User.Id || r.Recipients.Any(x => x.UserId == u.User.Id))
            && (r.Provenance is null || AllowsSharingOn(agreementById[r.ReleasedUnderAgreementId!.Value], today));
        List<Record> ReadableRecords(WorldUser u) => [.. records.Where(r => Visible(u, r))];
        HashSet<EntityId> ReadableEntities(WorldUser u) => [.. ReadableRecords(u).SelectMany(r => r.Mentions).Select(m => m.EntityId)];

        // Judgements through the API: each agency's first analyst confirms or rejects pairs of persons they may read;
        // a pair with a person they may not read is "not found", and a user who is not an analyst is refused.
        var judgements = new List<(AgencyId Agency, EntityId A, EntityId B, MatchDecision Decision)>();
        var refusals = 0;
        foreach (var agency in agencies)
        {
            var analyst = usersOf[agency.Id][0];
            var readable = ReadableEntities(analyst).Where(id => entities[id] is Person).OrderBy(id => id.ToString(), StringComparer.Ordinal).ToList();
            var hidden = entities.Values.OfType<Person>().Select(p => p.Id).Where(id => !readable.Contains(id)).ToList();
            for (var j = 0; j < 6 && readable.Count >= 2; j++)
            {
                var a = readable[random.Next(readable.Count)];
                var b = readable[random.Next(readable.Count)];
                if (a == b || judgements.Any(x => x.Agency == agency.Id && MatchJudgement.Order(x.A, x.B) == MatchJudgement.Order(a, b)))
                {
                    continue;
                }

                var decision = random.Next(2) == 0 ? MatchDecision.Confirmed : MatchDecision.Rejected;
                var answer = await analyst.User.Client.PostAsJsonAsync("/api/v1/fusion/judgements", new { a = a.Value, b = b.Value, decision = decision.ToString().ToLowerInvariant() });
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                judgements.Add((agency.Id, a, b, decision));
            }

            if (hidden.Count > 0 && readable.Count > 0)
            {
                var refused = await analyst.User.Client.PostAsJsonAsync("/api/v1/fusion/judgements", new { a = readable[0].Value, b = hidden[random.Next(hidden.Count)].Value, decision = "confirmed" });
                Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
                refusals++;
            }

            if (usersOf[agency.Id].FirstOrDefault(u => !u.Analyst) is { } other && readable.Count >= 2)
            {
                var refused = await other.User.Client.PostAsJsonAsync("/api/v1/fusion/judgements", new { a = readable[0].Value, b = readable[1].Value, decision = "rejected" });
                Assert.Equal(ReadableEntities(other).Contains(readable[0]) && ReadableEntities(other).Contains(readable[1]) ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound, refused.StatusCode);
                refusals++;
            }
        }

        var failures = new ConcurrentQueue<string>();
        var counts = new ConcurrentDictionary<string, int>();
        void Count(string what, int n = 1) => counts.AddOrUpdate(what, n, (_, c) => c + n);
        void Expect(bool ok, WorldUser u, string what)
        {
            if (!ok)
            {
                failures.Enqueue($"{u.User.UserName} ({string.Join(',', u.Roles)}, {u.Clearance}): {what}");
            }
        }

        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (u, ct) =>
        {
            var client = u.User.Client;
            var random = new Random(users.IndexOf(u)); // one generator per user: Random is not thread-safe
            var readableRecords = ReadableRecords(u);
            var readable = ReadableEntities(u);
            var persons = readable.Select(id => entities[id]).OfType<Person>().ToList();
            var own = readableRecords.Where(r => r.OriginatorAgencyId == u.User.Agency.Id).SelectMany(r => r.Mentions).Select(m => m.EntityId).ToHashSet();
            var shown = judgements.Where(j => j.Agency == u.User.Agency.Id && readable.Contains(j.A) && readable.Contains(j.B))
                .Select(j => MatchJudgement.Create(j.Agency, j.A, j.B, j.Decision, new UserId(Guid.NewGuid()), null, now)).ToList();
            var world = FusionWorld.Of(new FusionPersons(persons, own), [.. readableRecords.SelectMany(r => r.Links)], shown);

            // Proposals: the core run on exactly what the user may read (scores, explanations, counts and all).
            var proposals = await GetAsync(client, "/api/v1/fusion/proposals?limit=10000", ct);
            Expect(proposals.Status == (u.Resolves ? HttpStatusCode.OK : HttpStatusCode.Forbidden), u, $"proposals answered {(int)proposals.Status}");
            if (proposals.Status == HttpStatusCode.OK)
            {
                var expected = EntityResolver.Resolve(world.Records, world.Links, world.Decisions)
                    .OrderByDescending(p => p.Score).ThenBy(p => p.A, StringComparer.Ordinal).ThenBy(p => p.B, StringComparer.Ordinal)
                    .Select(p => $"{p.A} {p.B} {p.Score} {p.Explanation}").ToList();
                var got = proposals.Json!["items"]!.AsArray().Select(p => $"{p!["a"]!["id"]} {p["b"]!["id"]} {p["score"]!.GetValue<double>()} {p["explanation"]}").ToList();
                Expect(expected.SequenceEqual(got), u, $"proposals: {got.Count} against {expected.Count} expected; first difference: {expected.Except(got).Concat(got.Except(expected)).FirstOrDefault()}");
                Expect(proposals.Json["total"]!.GetValue<int>() == expected.Count, u, "proposals total");
                Count("proposals", got.Count);
            }

            // Judgements: their agency's, on persons they may read both of.
            var listed = await GetAsync(client, "/api/v1/fusion/judgements", ct);
            var listedPairs = listed.Array!.Select(j => $"{j!["a"]} {j["b"]} {j["decision"]}").Order().ToList();
            var expectedPairs = shown.Select(j => $"{j.FirstEntityId} {j.SecondEntityId} {j.Decision.ToString().ToLowerInvariant()}").Order().ToList();
            Expect(listedPairs.SequenceEqual(expectedPairs), u, $"judgements: {listedPairs.Count} against {expectedPairs.Count}");
            Count("judgements shown", listedPairs.Count);

            // Cross-reference jobs: own persons against partners' (and against all, own included).
            foreach (var against in new[] { FusionService.AgainstPartners, FusionService.AgainstAll })
            {
                using var start = new HttpRequestMessage(HttpMethod.Post, "/api/v1/fusion/xref") { Content = JsonContent.Create(new { against }) };
                start.Headers.Add("X-Jisr-Purpose", Purpose);
                var started = await client.SendAsync(start, ct);
                Expect(started.StatusCode == (u.Resolves ? HttpStatusCode.Accepted : HttpStatusCode.Forbidden), u, $"xref start answered {(int)started.StatusCode}");
                if (started.StatusCode != HttpStatusCode.Accepted)
                {
                    continue;
                }

                JsonObject job;
                do
                {
                    await Task.Delay(50, ct);
                    job = (await client.GetFromJsonAsync<JsonObject>(started.Headers.Location, ct))!;
                }
                while (job["status"]!.GetValue<string>() == "running");

                var probes = world.Records.Where(r => own.Contains(TypedId.Parse<EntityId>(r.Id))).ToList();
                var targets = against == FusionService.AgainstAll ? world.Records : [.. world.Records.Where(r => !own.Contains(TypedId.Parse<EntityId>(r.Id)))];
                var expected = EntityResolver.CrossReference(probes, targets, world.Links, world.Decisions)
                    .Where(h => !(own.Contains(TypedId.Parse<EntityId>(h.B)) && string.CompareOrdinal(h.A, h.B) > 0))
                    .OrderByDescending(h => h.Score).ThenBy(h => h.A, StringComparer.Ordinal).ThenBy(h => h.B, StringComparer.Ordinal)
                    .Select(p => $"{p.A} {p.B} {p.Score} {p.Explanation}").ToList();
                var got = job["hits"]!.AsArray().Select(p => $"{p!["a"]!["id"]} {p["b"]!["id"]} {p["score"]!.GetValue<double>()} {p["explanation"]}").ToList();
                Expect(job["status"]!.GetValue<string>() == "done" && expected.SequenceEqual(got), u, $"xref {against}: {got.Count} hits against {expected.Count}");
                Expect(job["probes"]!.GetValue<int>() == probes.Count && job["targets"]!.GetValue<int>() == targets.Count, u, $"xref {against} counts");
                Count($"xref hits ({against})", got.Count);

                // Another user's job is not found, as one that never existed.
                var stranger = users[(users.IndexOf(u) + 1) % users.Count].User.Client;
                Expect((await stranger.GetAsync(started.Headers.Location, ct)).StatusCode == HttpStatusCode.NotFound, u, "another user read the job");
            }

            // The graph: the same construction over what the user may read.
            var (graph, _) = GraphService.Build(readable.Select(id => entities[id]), readableRecords.SelectMany(r => r.Links));
            var all = entities.Keys.ToList();
            for (var k = 0; k < 6; k++)
            {
                var centre = all[random.Next(all.Count)];
                var around = await GetAsync(client, $"/api/v1/graph/neighbourhood/{centre}?depth=2", ct);
                Expect(around.Status == (readable.Contains(centre) ? HttpStatusCode.OK : HttpStatusCode.NotFound), u, $"neighbourhood of {centre}: {(int)around.Status}");
                if (around.Status == HttpStatusCode.OK)
                {
                    var expected = graph.Neighbourhood(centre.ToString(), 2, GraphService.MaxNodes);
                    var nodes = around.Json!["nodes"]!.AsArray().Select(n => n!["entity"]!["id"]!.GetValue<string>()).ToHashSet();
                    Expect(nodes.SetEquals(expected.Distances.Keys) && around.Json["links"]!.AsArray().Count == expected.Edges.Count, u, $"neighbourhood of {centre}");
                    Count("neighbourhood entities", nodes.Count);
                }

                var (from, to) = (all[random.Next(all.Count)], all[random.Next(all.Count)]);
                var path = await GetAsync(client, $"/api/v1/graph/path?from={from}&to={to}", ct);
                Expect(path.Status == (readable.Contains(from) && readable.Contains(to) ? HttpStatusCode.OK : HttpStatusCode.NotFound), u, $"path {from} {to}: {(int)path.Status}");
                if (path.Status == HttpStatusCode.OK)
                {
                    var expected = graph.ShortestPath(from.ToString(), to.ToString()) ?? [];
                    var got = path.Json!["nodes"]!.AsArray().Select(n => n!["entity"]!["id"]!.GetValue<string>()).ToList();
                    Expect(expected.SequenceEqual(got), u, $"path {from} {to}");
                    Count("path entities", got.Count);
                }
            }

            // The neighbourhood read ring by ring from the database is the one over the whole graph, in the same order,
            // truncation included: every depth, caps from one entity to more than the world holds, centres hidden or not.
            // The node's service searches the links it holds in memory; a service without them reads the rings from the
            // database: both give that answer, entity for entity.
            var principal = new Principal(new UserId(u.User.Id), u.User.UserName, u.User.Agency.Id, u.User.Agency.Code, u.Roles.ToHashSet(), u.Clearance);
            await using (var scope = node.App.Services.CreateAsyncScope())
            {
                var service = scope.ServiceProvider.GetRequiredService<GraphService>();
                var services = scope.ServiceProvider;
                var rings = new GraphService(
                    new FusionStore(services.GetRequiredService<JisrDbContext>(), services.GetRequiredService<Jisr.Storage.Audit.AuditLog>(), services.GetRequiredService<TimeProvider>(), services.GetRequiredService<EntityCache>()),
                    services.GetRequiredService<GraphCache>());
                static string Shown((Neighbourhood Around, Dictionary<string, Entity> Entities)? found) => found is (var around, var shown)
                    ? $"{string.Join(' ', around.Distances.Select(d => $"{d.Key}:{d.Value}"))} / {string.Join('|', around.Edges.Select(e => $"{e.A} {e.B} {e.Weight} {string.Join(',', e.Types)}"))} / {around.Omitted} / {string.Join(' ', shown.Keys.Order(StringComparer.Ordinal))}"
                    : "not found";
                int[] caps = [1, 2, 3, 5, 8, 13, 30, GraphService.MaxNodes];
                for (var k = 0; k < 16; k++)
                {
                    var centre = k % 4 == 0 || readable.Count == 0 ? all[random.Next(all.Count)] : readable.ElementAt(random.Next(readable.Count));
                    var (depth, cap) = (random.Next(1, GraphService.MaxDepth + 1), caps[random.Next(caps.Length)]);
                    var got = await service.NeighbourhoodOfAsync(principal, centre, depth, cap, ct);
                    Expect(got.HasValue == readable.Contains(centre), u, $"ring neighbourhood of {centre}: found {got.HasValue}");
                    Expect(Shown(got) == Shown(await rings.NeighbourhoodOfAsync(principal, centre, depth, cap, ct)), u, $"neighbourhood of {centre}, depth {depth}, cap {cap}: from memory against the rings read from the database");
                    if (got is (var around, var entitiesShown))
                    {
                        var expected = graph.Neighbourhood(centre.ToString(), depth, cap);
                        static string Edges(Neighbourhood n) => string.Join('|', n.Edges.Select(e => $"{e.A} {e.B} {e.Weight} {string.Join(',', e.Types)}"));
                        Expect(
                            expected.Distances.SequenceEqual(around.Distances) && Edges(expected) == Edges(around)
                            && (expected.Truncated, expected.Omitted) == (around.Truncated, around.Omitted) && around.Distances.Keys.All(entitiesShown.ContainsKey),
                            u,
                            $"ring neighbourhood of {centre}, depth {depth}, cap {cap}: {around.Distances.Count} entities, {around.Edges.Count} links, {around.Omitted} omitted against {expected.Distances.Count}, {expected.Edges.Count}, {expected.Omitted}");
                        Count("ring neighbourhoods", 1);
                        Count("ring neighbourhoods truncated", expected.Truncated ? 1 : 0);
                        Count("ring neighbourhood entities", around.Distances.Count);
                    }
                }

                // A shortest path searched ring by ring from both ends in the database is the whole graph's, link by link.
                var readableList = readable.ToList();
                for (var k = 0; k < 16 && readableList.Count > 0; k++)
                {
                    var (from, to) = (readableList[random.Next(readableList.Count)], readableList[random.Next(readableList.Count)]);
                    var (path, pathLinks, pathEntities) = await service.PathOfAsync(principal, entities[from], entities[to], ct);
                    var expected = graph.ShortestPath(from.ToString(), to.ToString(), GraphService.MaxPathLength) ?? [];
                    var expectedLinks = expected.Zip(expected.Skip(1)).Select(step => graph.Neighbourhood(step.First, 1).Edges.First(e => (e.A, e.B) == (step.First, step.Second) || (e.A, e.B) == (step.Second, step.First)));
                    static string Links(IEnumerable<GraphEdge> edges) => string.Join('|', edges.Select(e => $"{e.A} {e.B} {e.Weight} {string.Join(',', e.Types)}"));
                    Expect(
                        expected.SequenceEqual(path) && Links(expectedLinks) == Links(pathLinks) && path.All(pathEntities.ContainsKey) && pathEntities.Keys.All(id => readable.Contains(TypedId.Parse<EntityId>(id))),
                        u,
                        $"ring path {from} to {to}: {string.Join(' ', path)} against {string.Join(' ', expected)}");
                    Count("ring paths", 1);
                    Count("ring path links", Math.Max(0, path.Count - 1));
                    Count("ring paths of 3+ links", path.Count > 3 ? 1 : 0);
                }
            }

            var cells = await GetAsync(client, "/api/v1/graph/cells?minSize=3", ct);
            var expectedCells = Louvain.Detect(graph).Groups(3).Select(g => string.Join(' ', g)).ToList();
            var gotCells = cells.Json!["cells"]!.AsArray().Select(c => string.Join(' ', c!["nodes"]!.AsArray().Select(n => n!["entity"]!["id"]!.GetValue<string>()))).ToList();
            Expect(expectedCells.SequenceEqual(gotCells), u, $"cells: {gotCells.Count} against {expectedCells.Count}");
            Count("cells", gotCells.Count);

            // Connected components: the core's over what the user may read, every entity and link in them readable,
            // and the counts (which a hidden bridge or entity would change) the same.
            var expectedComponents = graph.ConnectedComponents();
            var readableLinks = readableRecords.SelectMany(r => r.Links).Select(l => $"{l.FromEntityId} {l.ToEntityId}").ToHashSet();
            var minSize = 1 + random.Next(3);
            var components = await GetAsync(client, $"/api/v1/graph/components?minSize={minSize}&top={GraphService.MaxComponents}", ct);
            var expectedShown = expectedComponents.Where(c => c.Count >= minSize).Select(c => string.Join(' ', c)).ToList();
            var gotComponents = components.Json!["components"]!.AsArray();
            Expect(expectedShown.SequenceEqual(gotComponents.Select(c => string.Join(' ', c!["nodes"]!.AsArray().Select(n => n!["entity"]!["id"]!.GetValue<string>())))), u, $"components: {gotComponents.Count} against {expectedShown.Count}");
            Expect(components.Json["total"]!.GetValue<int>() == expectedComponents.Count && components.Json["matching"]!.GetValue<int>() == expectedShown.Count, u, "component counts");
            foreach (var component in gotComponents)
            {
                var ids = component!["nodes"]!.AsArray().Select(n => n!["entity"]!["id"]!.GetValue<string>()).ToList();
                var links = component["links"]!.AsArray().Select(l => (A: l!["a"]!.GetValue<string>(), B: l["b"]!.GetValue<string>())).ToList();
                Expect(ids.All(id => readable.Contains(TypedId.Parse<EntityId>(id))), u, "a component holds an entity the user may not read");
                Expect(links.All(l => readableLinks.Contains($"{l.A} {l.B}") || readableLinks.Contains($"{l.B} {l.A}")), u, "a component holds a link the user may not read");
                var expectedLinks = graph.Edges().Count(e => ids.Contains(e.A));
                Expect(links.Count == expectedLinks && component["linkCount"]!.GetValue<int>() == expectedLinks && component["size"]!.GetValue<int>() == ids.Count, u, $"component of {ids.Count}: {links.Count} links against {expectedLinks}");
                Count("component entities", ids.Count);
            }

            Count("components of 3+", gotComponents.Count(c => c!["size"]!.GetValue<int>() >= 3));

            var brokers = await GetAsync(client, "/api/v1/graph/brokers?top=10", ct);
            var expectedBrokers = Centrality.Betweenness(graph).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(10)
                .Select(kv => $"{kv.Key} {Math.Round(kv.Value, 4)}").ToList();
            var gotBrokers = brokers.Array!.Select(b => $"{b!["entity"]!["id"]} {b["betweenness"]!.GetValue<double>()}").ToList();
            Expect(expectedBrokers.SequenceEqual(gotBrokers), u, "brokers");

            var export = await GetAsync(client, "/api/v1/graph/export?format=json", ct);
            Expect(export.Status == (u.Analyst ? HttpStatusCode.OK : HttpStatusCode.Forbidden), u, $"export answered {(int)export.Status}");
            if (export.Status == HttpStatusCode.OK)
            {
                var nodes = export.Json!["nodes"]!.AsArray().Select(n => n!["id"]!.GetValue<string>()).ToHashSet();
                Expect(nodes.SetEquals(readable.Select(id => id.ToString())) && export.Json["links"]!.AsArray().Count == graph.EdgeCount, u, $"export: {nodes.Count} entities against {readable.Count}");
            }

            // A person as one: what the agency confirmed, among the persons and records the user may read.
            var everyone = entities.Values.OfType<Person>().ToList();
            for (var k = 0; k < 4; k++)
            {
                var person = everyone[random.Next(everyone.Count)];
                var resolved = await GetAsync(client, $"/api/v1/fusion/persons/{person.Id}", ct);
                Expect(resolved.Status == (readable.Contains(person.Id) ? HttpStatusCode.OK : HttpStatusCode.NotFound), u, $"person {person.Id}: {(int)resolved.Status}");
                if (resolved.Status != HttpStatusCode.OK)
                {
                    continue;
                }

                var group = new HashSet<EntityId> { person.Id };
                for (var grown = true; grown;)
                {
                    grown = false;
                    foreach (var j in shown.Where(j => j.Decision == MatchDecision.Confirmed && (group.Contains(j.FirstEntityId) || group.Contains(j.SecondEntityId))))
                    {
                        grown |= group.Add(j.FirstEntityId) | group.Add(j.SecondEntityId);
                    }
                }

                foreach (var part in resolved.Json!["parts"]!.AsArray())
                {
                    var id = TypedId.Parse<EntityId>(part!["entity"]!["id"]!.GetValue<string>());
                    var recordIds = part["records"]!.AsArray().Select(r => r!["id"]!.GetValue<Guid>()).ToHashSet();
                    var expectedRecords = readableRecords.Where(r => r.Mentions.Any(m => m.EntityId == id)).Select(r => r.Id.Value).ToHashSet();
                    Expect(group.Remove(id) && recordIds.SetEquals(expectedRecords), u, $"person {person.Id}: part {id}");
                }

                Expect(group.Count == 0, u, $"person {person.Id}: {group.Count} confirmed parts missing");
                Count("persons shown as one");
            }
        });

        output.WriteLine($"{agencies.Count} agencies, {users.Count} users, {records.Count} records ({records.Count(r => r.Provenance is not null)} release copies), {entities.Count} entities, {judgements.Count} judgements, {refusals} refused");
        output.WriteLine(string.Join("; ", counts.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}")));
        Assert.True(failures.IsEmpty, $"{failures.Count} disagreements, e.g.:\n{string.Join("\n", failures.Take(10))}");
        Assert.True(node.App.Services.GetRequiredService<LinkAdjacency>().Searches > 0, "no neighbourhood was searched over the links held in memory");

        // The world must exercise what it claims to: proposals, hits from partners, cells, confirmed persons, refusals.
        Assert.True(counts.GetValueOrDefault("proposals") > 0 && counts.GetValueOrDefault($"xref hits ({FusionService.AgainstPartners})") > 0 && counts.GetValueOrDefault("cells") > 0 && counts.GetValueOrDefault("ring neighbourhoods truncated") > 0
            && counts.GetValueOrDefault("ring paths of 3+ links") > 0 && counts.GetValueOrDefault("components of 3+") > 0);
        Assert.Contains(judgements, j => j.Decision == MatchDecision.Confirmed);
        Assert.True(refusals > 0);
        Assert.Contains(records, r => r.Provenance is not null && !AllowsSharingOn(agreementById[r.ReleasedUnderAgreementId!.Value], today));
    }

    private static bool AllowsSharingOn(SharingAgreement a, DateOnly day) =>
        a.Status == AgreementStatus.InForce && a.ValidFrom <= day && day <= a.ValidUntil;

    private sealed record Answer(HttpStatusCode Status, JsonObject? Json, JsonArray? Array);

    private static async Task<Answer> GetAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Jisr-Purpose", Purpose);
        var response = await client.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new Answer(response.StatusCode, null, null);
        }

        var node = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return new Answer(response.StatusCode, node as JsonObject, node as JsonArray);
    }

    /// <summary>Releases <paramref name="source"/> under an agreement its holder was party to (once accepted), approving it where its marking needs that.</summary>
    private static Record? ReleaseCopy(Random random, Record source, IReadOnlyList<SharingAgreement> agreements, Dictionary<AgencyId, List<WorldUser>> usersOf, List<Release> releases, DateTimeOffset now)
    {
        var candidates = agreements.Where(a => a.AcceptedAt is not null && a.IsParty(source.HolderAgencyId)).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var agreement = candidates[random.Next(candidates.Count)];
        var recipient = agreement.Counterpart(source.HolderAgencyId);
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
}
