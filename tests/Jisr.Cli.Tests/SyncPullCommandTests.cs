using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Cli.Tests;

/// <summary><c>jisr sync pull</c> end to end: the real command against a second real node, and against a fake TAXII server.</summary>
public sealed class SyncPullCommandTests
{
    public static IEnumerable<object[]> Providers => TestDatabase.Providers;

    private static string Db(TestDatabase database) =>
        database.Location.Provider == Storage.DatabaseProvider.Sqlite ? $"sqlite:{database.Location.Target}" : $"postgres:{database.Location.Target}";

    private static async Task<string> AddAgencyAsync(TestDatabase database, string code = "ES-PART")
    {
        var added = await Jisr.RunAsync("agency", "add", "--db", Db(database), "--code", code, "--name", "Partner", "--country", code[..2]);
        Assert.True(added.ExitCode == 0, added.Error);
        return code;
    }

    [Fact]
    public async Task Pull_FromAPartnersNode_TakesInTheAgreementCollection_InPages_AndASecondRunPullsNothingNew()
    {
        await using var nodeA = await TestDatabase.CreateAsync("sqlite", migrate: false);
        await using var nodeB = await TestDatabase.CreateAsync("sqlite");
        var port = Jisr.FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        using var server = Jisr.Start(["serve", "--db", Db(nodeA), "--urls", baseAddress.ToString(), "--demo"]);
        try
        {
            var printed = new List<string>();
            while (await server.StandardOutput.ReadLineAsync() is { } line)
            {
                printed.Add(line);
                if (line.Contains("ready at", StringComparison.Ordinal))
                {
                    break;
                }
            }

            // MA-DGST gives its partner FR-DGSI's liaison an account on node A; FR-DGSI's node B pulls with its token.
            var token = printed.Select(l => l.Split('\t')).First(l => l.Length == 4 && l[0] == "MA-DGST" && l[2] == "analyst")[3];
            using var client = new HttpClient { BaseAddress = baseAddress };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var collections = (await client.GetFromJsonAsync<JsonObject>("/taxii2/api/collections/"))!["collections"]!.AsArray();
            string? collection = null;
            var served = 0;
            foreach (var c in collections.Where(c => !c!["can_write"]!.GetValue<bool>()))
            {
                var id = c!["id"]!.GetValue<string>();
                var objects = (await client.GetFromJsonAsync<JsonObject>($"/taxii2/api/collections/{id}/objects/"))!["objects"]?.AsArray().Count ?? 0;
                if (objects > served)
                {
                    (collection, served) = (id, objects);
                }
            }

            Assert.NotNull(collection);
            Assert.True(served > 10);
            await AddAgencyAsync(nodeB, "FR-DGSI");
            string[] pull = ["sync", "pull", "--db", Db(nodeB), "--agency", "FR-DGSI", "--from", $"{baseAddress}taxii2/api/", "--collection", collection!, "--token", token, "--limit", "10"];

            var first = await Jisr.RunAsync(pull);
            var second = await Jisr.RunAsync(pull);

            Assert.True(first.ExitCode == 0, first.Error);
            Assert.True(first.OutputLines.Count(l => l.StartsWith("pulled ", StringComparison.Ordinal)) >= 2, first.Output);
            Assert.EndsWith($" objects (total {served})", first.OutputLines[^2], StringComparison.Ordinal);
            Assert.Equal($"OK pulled {served} objects from {collection}", first.OutputLines[^1]);
            Assert.True(second.ExitCode == 0, second.Error);
            Assert.Equal($"OK pulled 0 objects from {collection}", second.OutputLines[^1]);
            Assert.DoesNotContain(token, first.Output + first.Error + second.Output + second.Error, StringComparison.Ordinal);
            await using var context = nodeB.Open();
            Assert.Equal(served, await context.StixObjects.Where(o => o.Json.Length > 0).Select(o => o.StixId).Distinct().CountAsync());
            Assert.True(await context.Records.CountAsync() > 0);
            var position = await context.TaxiiSyncPositions.SingleAsync();
            Assert.Equal(collection, position.Collection);
            Assert.Null(position.Next);
            Assert.NotNull(position.AddedAfter);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SecondRun_AsksWithAddedAfter_AndPullsOnlyWhatWasAddedSince_TokenFromTheEnvironment(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var agency = await AddAgencyAsync(database);
        using var fake = new FakeTaxiiServer();
        fake.Add(3);
        string[] pull = ["sync", "pull", "--db", Db(database), "--agency", agency, "--from", fake.ApiRoot, "--collection", FakeTaxiiServer.Collection, "--limit", "2"];

        var first = await RunWithTokenAsync(pull);
        var firstLast = fake.DateAdded(3);
        fake.Add(2);
        var second = await RunWithTokenAsync(pull);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Equal(["pulled 2 objects (total 2)", "pulled 1 objects (total 3)", $"OK pulled 3 objects from {FakeTaxiiServer.Collection}"], first.OutputLines);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Equal(["pulled 2 objects (total 2)", $"OK pulled 2 objects from {FakeTaxiiServer.Collection}"], second.OutputLines);
        Assert.Contains($"added_after={Uri.EscapeDataString(firstLast)}", fake.Requests[^1].Query, StringComparison.Ordinal);
        Assert.All(fake.Requests.Concat(fake.OtherRequests), r => Assert.Equal("Bearer secret-token", r.Authorization));
        // Each run asked for one manifest entry before it opened its database (a server prepares the collection
        // meanwhile); a server without it (this one answers 404) changes nothing.
        Assert.Equal(2, fake.OtherRequests.Count(r => r.Query == $"/taxii2/api/collections/{FakeTaxiiServer.Collection}/manifest/?limit=1"));
        Assert.All(fake.Requests, r => Assert.Equal("application/taxii+json; version=2.1", r.Accept.Replace(";version", "; version", StringComparison.Ordinal)));
        Assert.DoesNotContain("secret-token", first.Output + first.Error + second.Output + second.Error, StringComparison.Ordinal);
        await using var context = database.Open();
        Assert.Equal(5, await context.StixObjects.CountAsync(o => o.Type == "indicator"));
    }

    [Fact]
    public async Task BasicAuthentication_SendsUserAndPasswordFromTheEnvironment_AndNeverPrintsThePassword()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var agency = await AddAgencyAsync(database);
        using var fake = new FakeTaxiiServer();
        fake.Add(3);
        string[] pull = ["sync", "pull", "--db", Db(database), "--agency", agency, "--from", fake.ApiRoot, "--collection", FakeTaxiiServer.Collection, "--user", "liaison.fr"];

        var withoutPassword = await Jisr.RunAsync(pull);
        Jisr.Result pulled;
        Environment.SetEnvironmentVariable("JISR_SYNC_PASSWORD", "s3cret-pässword");
        try
        {
            pulled = await Jisr.RunAsync(pull);
        }
        finally
        {
            Environment.SetEnvironmentVariable("JISR_SYNC_PASSWORD", null);
        }

        Assert.NotEqual(0, withoutPassword.ExitCode);
        Assert.Contains("JISR_SYNC_PASSWORD", withoutPassword.Error, StringComparison.Ordinal);
        Assert.True(pulled.ExitCode == 0, pulled.Error);
        Assert.Equal($"OK pulled 3 objects from {FakeTaxiiServer.Collection}", pulled.OutputLines[^1]);
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("liaison.fr:s3cret-pässword"));
        Assert.NotEmpty(fake.Requests);
        Assert.All(fake.Requests, r => Assert.Equal(expected, r.Authorization));
        Assert.DoesNotContain("s3cret", pulled.Output + pulled.Error + withoutPassword.Output + withoutPassword.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AServerThatNoLongerTakesTheSavedCursor_IsPagedAgainFromAddedAfter_WithoutImportingAnythingTwice(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var agency = await AddAgencyAsync(database);
        using var fake = new FakeTaxiiServer { DropOnRequest = 3 };
        fake.Add(5);
        string[] pull = ["sync", "pull", "--db", Db(database), "--agency", agency, "--from", fake.ApiRoot, "--collection", FakeTaxiiServer.Collection, "--token", "secret-token", "--limit", "2"];

        var stopped = await Jisr.RunAsync(pull); // two pages in, the cursor of the third saved
        fake.DropOnRequest = null;
        fake.Epoch++; // the server restarted: the saved cursor means nothing to it now
        var resumed = await Jisr.RunAsync(pull);

        Assert.Equal(1, stopped.ExitCode);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.StartsWith("the server refused the saved cursor: paging again from the start", resumed.OutputLines[0], StringComparison.Ordinal);
        Assert.Contains(fake.Requests, r => r.Query.Contains("next=", StringComparison.Ordinal) && !r.Query.Contains("added_after", StringComparison.Ordinal));
        await using var context = database.Open();
        Assert.Equal(5, await context.StixObjects.CountAsync(o => o.Type == "indicator"));
        Assert.Equal(5, await context.StixObjects.Where(o => o.Type == "indicator").Select(o => o.StixId).Distinct().CountAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AServerThatDropsTheConnectionHalfWay_StopsWithOneLine_AndTheNextRunResumesAtThatPage(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var agency = await AddAgencyAsync(database);
        using var fake = new FakeTaxiiServer { DropOnRequest = 3 };
        fake.Add(5);
        string[] pull = ["sync", "pull", "--db", Db(database), "--agency", agency, "--from", fake.ApiRoot, "--collection", FakeTaxiiServer.Collection, "--token", "secret-token", "--limit", "2"];

        var stopped = await Jisr.RunAsync(pull);
        await using (var context = database.Open())
        {
            Assert.Equal(4, await context.StixObjects.CountAsync(o => o.Type == "indicator"));
        }

        fake.DropOnRequest = null;
        var resumed = await Jisr.RunAsync(pull);

        Assert.Equal(1, stopped.ExitCode);
        Assert.Equal(["pulled 2 objects (total 2)", "pulled 2 objects (total 4)"], stopped.OutputLines);
        var error = Assert.Single(stopped.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("jisr: pull stopped: ", error, StringComparison.Ordinal);
        Assert.Contains("run the same command again to resume", error, StringComparison.Ordinal);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(["pulled 1 objects (total 1)", $"OK pulled 1 objects from {FakeTaxiiServer.Collection}"], resumed.OutputLines);
        Assert.Contains("next=0.4", fake.Requests[^1].Query, StringComparison.Ordinal); // the saved cursor (epoch 0, position 4)
        await using var after = database.Open();
        Assert.Equal(5, await after.StixObjects.CountAsync(o => o.Type == "indicator"));
        Assert.Equal(5, await after.StixObjects.Where(o => o.Type == "indicator").Select(o => o.StixId).Distinct().CountAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ARefusedPage_StopsNamingTheObjectAndTheRule_KeepsThePositionBeforeIt_AndARerunResumesThere(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var agency = await AddAgencyAsync(database);
        using var fake = new FakeTaxiiServer();
        fake.Add(3);
        var bad = fake.Objects[2].Stix;
        bad["modified"] = "2001-01-01T00:00:00.000Z"; // before its creation
        string[] pull = ["sync", "pull", "--db", Db(database), "--agency", agency, "--from", fake.ApiRoot, "--collection", FakeTaxiiServer.Collection, "--token", "t", "--limit", "2"];

        var refused = await Jisr.RunAsync(pull);
        bad["modified"] = bad["created"]!.DeepClone();
        var resumed = await Jisr.RunAsync(pull);

        Assert.Equal(1, refused.ExitCode);
        var error = Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"{bad["id"]}: timestamp-order: ", error, StringComparison.Ordinal);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(["pulled 1 objects (total 1)", $"OK pulled 1 objects from {FakeTaxiiServer.Collection}"], resumed.OutputLines);
        await using var context = database.Open();
        Assert.Equal(3, await context.StixObjects.CountAsync(o => o.Type == "indicator"));
    }

    [Fact]
    public async Task APageThatRefersToAnObjectOnALaterPage_IsHeldBack_AndImportedOnceWithThePageThatBringsIt()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var agency = await AddAgencyAsync(database);
        using var fake = new FakeTaxiiServer();
        fake.Add(5);
        // The first object names its creator, an identity served last (three pages of two further on).
        var creator = fake.Objects[4].Stix;
        var creatorId = $"identity--{Guid.NewGuid():D}";
        foreach (var name in new[] { "pattern", "pattern_type", "valid_from" })
        {
            creator.Remove(name);
        }

        creator["type"] = "identity";
        creator["id"] = creatorId;
        creator["identity_class"] = "organization";
        fake.Objects[0].Stix["created_by_ref"] = creatorId;

        var result = await Jisr.RunAsync("sync", "pull", "--db", Db(database), "--agency", agency, "--from", fake.ApiRoot, "--collection", FakeTaxiiServer.Collection, "--token", "t", "--limit", "2");

        Assert.True(result.ExitCode == 0, result.Error);
        // One refused attempt for the first page; the second page (which does not bring the identity) is not imported
        // on its own again; the third brings it and all five go in together.
        Assert.Equal(
            ["held back 2 objects: they refer to 1 objects not received yet; paging on", "pulled 5 objects (total 5)", $"OK pulled 5 objects from {FakeTaxiiServer.Collection}"],
            result.OutputLines);
        await using var context = database.Open();
        Assert.Equal(5, await context.StixObjects.CountAsync(o => o.Json.Length > 0));
    }

    [Fact]
    public async Task Pull_ReadsTheTaxii2ClientGetObjectsFixture()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var agency = await AddAgencyAsync(database);
        var fixture = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "data", "taxii", "cti-taxii-client", "GET_OBJECTS_RESPONSE.json"));
        using var fake = new FakeTaxiiServer { FixedBody = fixture };

        var result = await Jisr.RunAsync("sync", "pull", "--db", Db(database), "--agency", agency, "--from", fake.ApiRoot.TrimEnd('/'), "--collection", FakeTaxiiServer.Collection, "--token", "t");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(["pulled 1 objects (total 1)", $"OK pulled 1 objects from {FakeTaxiiServer.Collection}"], result.OutputLines);
        await using var context = database.Open();
        Assert.Equal("indicator--252c7c11-daf2-42bd-843b-be65edca9f61", (await context.StixObjects.SingleAsync(o => o.Type == "indicator")).StixId);
    }

    [Fact]
    public async Task AWrongToken_IsOneLineWithTheServersTaxiiError_NotTheToken_AndNothingIsSaved()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite");
        var agency = await AddAgencyAsync(database);
        using var fake = new FakeTaxiiServer { RequiredAuthorization = "Bearer right" };
        fake.Add(1);

        var result = await Jisr.RunAsync("sync", "pull", "--db", Db(database), "--agency", agency, "--from", fake.ApiRoot, "--collection", FakeTaxiiServer.Collection, "--token", "wrong-token");

        Assert.Equal(1, result.ExitCode);
        var error = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("answered 401 Unauthorized (Unauthorized: a valid API token is needed)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-token", result.Output + result.Error, StringComparison.Ordinal);
        await using var context = database.Open();
        Assert.Equal(0, await context.TaxiiSyncPositions.CountAsync());
    }

    private static async Task<Jisr.Result> RunWithTokenAsync(string[] args)
    {
        Environment.SetEnvironmentVariable("JISR_SYNC_TOKEN", "secret-token");
        try
        {
            return await Jisr.RunAsync(args);
        }
        finally
        {
            Environment.SetEnvironmentVariable("JISR_SYNC_TOKEN", null);
        }
    }

    /// <summary>
    /// A TAXII 2.1 objects endpoint over <see cref="HttpListener"/>: <c>added_after</c>, <c>limit</c> and a <c>next</c>
    /// cursor (the index of the next object); it can cut a response off half-way, or serve a fixed body.
    /// </summary>
    private sealed class FakeTaxiiServer : IDisposable
    {
        public const string Collection = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";
        private readonly HttpListener _listener = new();
        private readonly Task _loop;
        private readonly DateTimeOffset _start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public FakeTaxiiServer()
        {
            var port = Jisr.FreePort();
            ApiRoot = $"http://127.0.0.1:{port}/taxii2/api/";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public sealed record Request(string Query, string Authorization, string Accept);

        public sealed record Item(JsonObject Stix, string DateAdded);

        public string ApiRoot { get; }

        public List<Item> Objects { get; } = [];

        /// <summary>The objects requests, in order (what <see cref="DropOnRequest"/> counts).</summary>
        public List<Request> Requests { get; } = [];

        /// <summary>Requests to any other path (answered 404), with the path: the client's look-ahead manifest request.</summary>
        public List<Request> OtherRequests { get; } = [];

        public int? DropOnRequest { get; set; }

        /// <summary>Cursors carry this; a restart changes it, and the server answers 400 to the cursors it gave before.</summary>
        public int Epoch { get; set; }

        public byte[]? FixedBody { get; init; }

        public string? RequiredAuthorization { get; init; }

        public string DateAdded(int count) => Objects[count - 1].DateAdded;

        public void Add(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var at = _start.AddMinutes(Objects.Count).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
                Objects.Add(new Item(
                    new JsonObject
                    {
                        ["type"] = "indicator", ["spec_version"] = "2.1", ["id"] = $"indicator--{Guid.NewGuid():D}",
                        ["created"] = "2016-04-06T20:03:48.000Z", ["modified"] = "2016-04-06T20:03:48.000Z", ["name"] = $"bad domain {Objects.Count}",
                        ["pattern"] = $"[domain-name:value = 'bad{Objects.Count}.example']", ["pattern_type"] = "stix", ["valid_from"] = "2016-01-01T00:00:00Z",
                    },
                    at));
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            try
            {
                _loop.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // stopped
            }
        }

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                var request = context.Request;
                var response = context.Response;
                response.ContentType = "application/taxii+json;version=2.1";
                if (!request.Url!.AbsolutePath.Equals($"/taxii2/api/collections/{Collection}/objects/", StringComparison.Ordinal))
                {
                    OtherRequests.Add(new Request(request.Url.PathAndQuery, request.Headers["Authorization"] ?? "", request.Headers["Accept"] ?? ""));
                    response.StatusCode = 404;
                    response.Close();
                    continue;
                }

                Requests.Add(new Request(request.Url.Query, request.Headers["Authorization"] ?? "", request.Headers["Accept"] ?? ""));
                if (RequiredAuthorization is { } required && request.Headers["Authorization"] != required)
                {
                    response.StatusCode = 401;
                    response.Close(Encoding.UTF8.GetBytes("""{"title":"Unauthorized","description":"a valid API token is needed","http_status":"401"}"""), willBlock: false);
                    continue;
                }

                if (FixedBody is { } fixedBody)
                {
                    response.Close(fixedBody, willBlock: false);
                    continue;
                }

                var query = System.Web.HttpUtility.ParseQueryString(request.Url.Query);
                if (query["next"] is { } cursor && !cursor.StartsWith($"{Epoch}.", StringComparison.Ordinal))
                {
                    response.StatusCode = 400;
                    response.Close(Encoding.UTF8.GetBytes("""{"title":"Bad Request","description":"next: not a token this server gave","http_status":"400"}"""), willBlock: false);
                    continue;
                }

                var limit = int.Parse(query["limit"] ?? "100", System.Globalization.CultureInfo.InvariantCulture);
                var from = query["next"] is { } next ? int.Parse(next[(next.IndexOf('.', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture) : 0;
                var after = query["added_after"] is { } a ? DateTimeOffset.Parse(a, System.Globalization.CultureInfo.InvariantCulture) : DateTimeOffset.MinValue;
                var matching = Objects.Where(o => DateTimeOffset.Parse(o.DateAdded, System.Globalization.CultureInfo.InvariantCulture) > after).ToList();
                var page = matching.Skip(from).Take(limit).ToList();
                var more = from + page.Count < matching.Count;
                var envelope = new JsonObject { ["more"] = more, ["objects"] = new JsonArray([.. page.Select(p => p.Stix.DeepClone())]) };
                if (more)
                {
                    envelope["next"] = $"{Epoch}.{(from + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture)}";
                }

                if (page.Count > 0)
                {
                    response.Headers["X-TAXII-Date-Added-First"] = page[0].DateAdded;
                    response.Headers["X-TAXII-Date-Added-Last"] = page[^1].DateAdded;
                }

                var body = Encoding.UTF8.GetBytes(envelope.ToJsonString());
                if (Requests.Count == DropOnRequest)
                {
                    response.ContentLength64 = body.Length;
                    await response.OutputStream.WriteAsync(body.AsMemory(0, body.Length / 2));
                    await response.OutputStream.FlushAsync();
                    response.Abort(); // the connection drops half-way through the page
                    continue;
                }

                response.Close(body, willBlock: false);
            }
        }
    }
}
