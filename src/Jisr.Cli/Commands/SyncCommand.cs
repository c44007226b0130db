using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jisr.Exchange.Stix.Import;
using Jisr.Exchange.Stix.Validation;
using Jisr.Server.Application;
using Jisr.Storage.Exchange;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Cli.Commands;

/// <summary>
/// <c>jisr sync pull</c>: takes in a TAXII 2.1 collection (a partner's Jisr node, MISP, OpenCTI) page by page, each page
/// through the all-or-nothing STIX importer, remembering per agency, source and collection where it stands
/// (<see cref="TaxiiSyncPosition"/>), so the next run asks only for what was added since, and a run that stopped
/// (network, a refused page) resumes at the page it stopped on.
/// </summary>
internal static class SyncCommand
{
    public const string TokenVariable = "JISR_SYNC_TOKEN";
    public const string PasswordVariable = "JISR_SYNC_PASSWORD";
    public const string MediaType = "application/taxii+json;version=2.1";

    /// <summary>At most this many objects of pages that refer to objects on later pages are held back to go in together.</summary>
    public const int MaxUnitObjects = 100_000;

    public static Command Create()
    {
        var db = CommonOptions.Database();
        var agency = StixCommand.Agency();
        var from = new Option<string>("--from") { Description = "The TAXII 2.1 API root, e.g. https://partner.example/taxii2/api/", Required = true };
        var collection = new Option<string>("--collection") { Description = "Collection id", Required = true };
        var token = new Option<string?>("--token") { Description = $"API token sent as 'Authorization: Bearer' (or set {TokenVariable}); never printed" };
        var user = new Option<string?>("--user") { Description = $"User name for HTTP Basic authentication (MISP, OpenCTI, a Jisr node: user name and API token); the password is read from {PasswordVariable}, never from the command line" };
        var limit = new Option<int>("--limit") { Description = "Objects asked for per page (a server may send fewer)", DefaultValueFactory = _ => 5000 };
        var options = StixCommand.ImportOptions();
        var pull = new Command("pull", "Pull a TAXII 2.1 collection into the agency: incremental (added_after) and resumable, one page = one all-or-nothing import")
        {
            db, agency, from, collection, token, user, limit,
        };
        foreach (var option in options.All)
        {
            pull.Options.Add(option);
        }

        pull.SetAction(async (parsed, cancellationToken) =>
        {
            if (parsed.GetValue(limit) is <= 0 or > 10_000)
            {
                throw new CommandException("--limit must be between 1 and 10,000");
            }

            var request = new PullRequest(ApiRoot(parsed.GetValue(from)!), parsed.GetValue(collection)!, Credentials(parsed.GetValue(token), parsed.GetValue(user)), parsed.GetValue(limit));
            return await PullAsync(parsed.GetValue(db)!, parsed.GetValue(agency)!, request, options.Read(parsed) with { Purpose = "information received from a partner over TAXII 2.1", SourceKind = "taxii" }, cancellationToken);
        });
        return new Command("sync", "Take in partners' TAXII 2.1 feeds") { pull };
    }

    private sealed record PullRequest(Uri Root, string Collection, AuthenticationHeaderValue? Authorization, int Limit);

    /// <summary>Bearer with a token (--token or the environment), or Basic with --user and the password from the environment; never both.</summary>
    private static AuthenticationHeaderValue? Credentials(string? tokenOption, string? user)
    {
        if (!string.IsNullOrEmpty(user))
        {
            if (!string.IsNullOrEmpty(tokenOption))
            {
                throw new CommandException("--user and --token: choose one way to authenticate (Basic or Bearer)");
            }

            if (user.Contains(':', StringComparison.Ordinal))
            {
                throw new CommandException("--user: a user name for HTTP Basic cannot contain ':'");
            }

            var password = Environment.GetEnvironmentVariable(PasswordVariable);
            if (string.IsNullOrEmpty(password))
            {
                throw new CommandException($"--user needs the password in the environment variable {PasswordVariable}");
            }

            return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        var secret = tokenOption ?? Environment.GetEnvironmentVariable(TokenVariable);
        return string.IsNullOrEmpty(secret) ? null : new AuthenticationHeaderValue("Bearer", secret);
    }

    private static Uri ApiRoot(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.Query.Length > 0)
        {
            throw new CommandException($"--from: '{text}' is not an http(s) URL of a TAXII API root");
        }

        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    private static async Task<int> PullAsync(string db, string agencyCode, PullRequest request, StixImportOptions options, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30) }) { Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(MediaType));
        http.DefaultRequestHeaders.Authorization = request.Authorization;
        var collectionUrl = new Uri(request.Root, $"collections/{Uri.EscapeDataString(request.Collection)}/");
        var objectsUrl = new Uri(collectionUrl, "objects/");

        // Opening the database costs this process seconds of start-up before it knows where the pull stands: one
        // manifest entry is asked for first, so that a server that prepares a collection on first use (a Jisr node
        // makes the whole collection, policy checks included) does it meanwhile and the first page comes sooner. Its
        // answer is not used: the objects requests say what went wrong, if anything did.
        Forget(http.GetAsync(new Uri(collectionUrl, "manifest/?limit=1"), cancellationToken));
        Forget(Task.Run(StixObjectValidator.Prepare, CancellationToken.None)); // and validation starts up meanwhile too

        await using var services = await StixCommand.OpenAsync(db, cancellationToken);
        await using var scope = services.CreateAsyncScope();
        var found = await StixCommand.FindAgencyAsync(scope.ServiceProvider, agencyCode, cancellationToken);
        var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var source = request.Root.AbsoluteUri;
        if (source.Length > TaxiiSyncPosition.MaxSourceLength)
        {
            throw new CommandException("--from: the URL is too long");
        }

        var agencyId = found.Id.Value;
        TaxiiSyncPosition? position;
        await using (var lookup = services.CreateAsyncScope())
        {
            position = await lookup.ServiceProvider.GetRequiredService<JisrDbContext>().TaxiiSyncPositions.AsNoTracking()
                .SingleOrDefaultAsync(p => p.AgencyId == agencyId && p.Source == source && p.Collection == request.Collection, cancellationToken);
        }

        var saved = position is not null;
        position ??= new TaxiiSyncPosition { AgencyId = agencyId, Source = source, Collection = request.Collection };

        var exchange = scope.ServiceProvider.GetRequiredService<StixExchangeService>();
        long total = 0;
        var cursorRefused = false;
        var unit = new List<byte[]>(); // objects of pages not yet imported (exact text): a page referring to objects on later pages waits for them
        // The next page is asked for while this one is imported (the cursor is known before the import): the server's
        // and the network's time overlap the import's instead of adding to it.
        Task<Page?>? prefetch = null;
        HashSet<string>? awaited = null; // ids a refused unit refers to, that later pages should bring
        (string? AddedAfter, string? Next) prefetched = default;
        while (true)
        {
            Page? page;
            if (prefetch is not null && prefetched == (position.AddedAfter, position.Next))
            {
                page = await prefetch;
            }
            else
            {
                Forget(prefetch);
                page = await FetchAsync(http, objectsUrl, position.AddedAfter, position.Next, request.Limit, cancellationToken);
            }

            prefetch = null;
            if (page is null)
            {
                if (cursorRefused)
                {
                    throw new CommandException("pull stopped: the server refused a cursor it had just given; nothing of that page imported");
                }

                cursorRefused = true;
                // The server no longer takes the saved cursor (it restarted, or its cursors expire): page again from the
                // saved added_after. What came in already is recognised by id and version and not imported twice.
                Console.WriteLine($"the server refused the saved cursor: paging again from {(position.AddedAfter is { } since ? $"added_after {since}" : "the start")}; objects already held are skipped");
                position.Next = null;
                unit = [];
                awaited = null;
                continue;
            }

            unit.AddRange(page.Objects);
            awaited?.ExceptWith(page.Ids);
            cursorRefused = false;
            var done = Advance(position, page); // in memory only: saved with the unit's import
            if (!done)
            {
                prefetched = (position.AddedAfter, position.Next);
                prefetch = FetchAsync(http, objectsUrl, prefetched.AddedAfter, prefetched.Next, request.Limit, cancellationToken);
            }

            if (unit.Count > 0 && !done && awaited is { Count: > 0 } && unit.Count < MaxUnitObjects)
            {
                continue; // what the refused unit refers to has not come yet: importing it again now would only fail again
            }

            if (unit.Count > 0)
            {
                using var stream = Bundle(unit);
                var imported = unit.Count;
                var result = await exchange.ImportAsync(StixExchangeService.SystemWriter(found), stream, options, cancellationToken, session =>
                {
                    position.ObjectsPulled += imported;
                    position.UpdatedAt = time.GetUtcNow();
                    session.SavePosition(position, saved); // the page and the position after it commit together
                });
                if (!result.Succeeded)
                {
                    if (!done && unit.Count < MaxUnitObjects && result.Refusals.All(r => r.Rule == "reference"))
                    {
                        // What it refers to may come on a later page: the pages up to the one that brings it all go in
                        // together, imported once (not again with every page, which made a pull quadratic).
                        awaited = [.. result.MissingReferences];
                        Console.WriteLine($"held back {unit.Count} objects: they refer to {awaited.Count} objects not received yet; paging on");
                        continue;
                    }

                    // The saved position is not moved: a re-run asks for these pages again.
                    Forget(prefetch);
                    throw new CommandException(
                        $"pull stopped after {total} objects: {unit.Count} objects refused, nothing of them imported ({result.Refusals.Count} refusal(s)), first: {result.Refusals[0]}");
                }
            }
            else
            {
                position.UpdatedAt = time.GetUtcNow();
                await SaveAsync(services, position, saved, cancellationToken);
            }

            saved = true;
            awaited = null;
            total += unit.Count;
            Console.WriteLine($"pulled {unit.Count} objects (total {total})");
            unit = [];
            if (done)
            {
                break;
            }
        }

        Console.WriteLine($"OK pulled {total} objects from {request.Collection}");
        return 0;
    }

    /// <summary>Saves the position after an empty page, in a context of its own (the import's may hold it detached).</summary>
    private static async Task SaveAsync(IServiceProvider services, TaxiiSyncPosition position, bool exists, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<JisrDbContext>();
        if (exists)
        {
            context.TaxiiSyncPositions.Update(position);
        }
        else
        {
            context.TaxiiSyncPositions.Add(position);
        }

        await context.SaveChangesAsync(cancellationToken);
    }

    private sealed record Page(List<byte[]> Objects, List<string> Ids, bool More, string? Next, string? DateAddedLast);

    /// <summary>A bundle of the objects as they came (their exact bytes, not parsed again into a tree and written back).</summary>
    private static MemoryStream Bundle(List<byte[]> objects)
    {
        var stream = new MemoryStream(objects.Sum(o => o.Length + 1) + 128);
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "bundle");
            writer.WriteString("id", $"bundle--{Guid.NewGuid():D}");
            writer.WriteStartArray("objects");
            foreach (var item in objects)
            {
                writer.WriteRawValue(item, skipInputValidation: true); // each was read as one complete JSON value
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        stream.Position = 0;
        return stream;
    }

    /// <summary>Work whose result is not used (a page asked for ahead, a start-up done ahead): its failure, if any, is observed, not raised.</summary>
    private static void Forget(Task? work) =>
        work?.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>A request whose answer is not used: the answer is let go, a failure observed, not raised.</summary>
    private static void Forget(Task<HttpResponseMessage> request) =>
        request.ContinueWith(t => { if (t.IsCompletedSuccessfully) { t.Result.Dispose(); } else { _ = t.Exception; } }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>Moves the position past an imported page; true when the pull is complete.</summary>
    private static bool Advance(TaxiiSyncPosition position, Page page)
    {
        if (page.DateAddedLast is { } last && (position.LatestAdded is null || Later(last, position.LatestAdded)))
        {
            position.LatestAdded = last;
        }

        if (page.More && page.Next is { } next)
        {
            position.Next = next;
            return false;
        }

        if (page.More && page.DateAddedLast is { } after)
        {
            position.AddedAfter = after; // a server that pages without a cursor
            position.Next = null;
            return false;
        }

        if (page.More)
        {
            throw new CommandException("the server says there is more but gives neither 'next' nor X-TAXII-Date-Added-Last; cannot page on");
        }

        position.AddedAfter = position.LatestAdded ?? position.AddedAfter;
        position.Next = null;
        return true;
    }

    private static bool Later(string candidate, string current) =>
        !DateTimeOffset.TryParse(candidate, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var a)
        || !DateTimeOffset.TryParse(current, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var b)
        || a > b
        || (a == b && string.CompareOrdinal(candidate, current) > 0);

    private static async Task<Page?> FetchAsync(HttpClient http, Uri objectsUrl, string? addedAfter, string? next, int limit, CancellationToken cancellationToken)
    {
        var query = new StringBuilder("?limit=").Append(limit.ToString(CultureInfo.InvariantCulture));
        if (addedAfter is not null)
        {
            query.Append("&added_after=").Append(Uri.EscapeDataString(addedAfter));
        }

        if (next is not null)
        {
            query.Append("&next=").Append(Uri.EscapeDataString(next));
        }

        var where = objectsUrl.GetLeftPart(UriPartial.Path);
        try
        {
            using var response = await http.GetAsync(new Uri(objectsUrl + query.ToString()), HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (response.StatusCode == System.Net.HttpStatusCode.BadRequest && next is not null)
            {
                return null; // the cursor, not the request: the caller pages again without it
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new CommandException($"pull stopped: {where} answered {(int)response.StatusCode} {response.ReasonPhrase}{ErrorDetail(body)}; nothing of that page imported");
            }

            using var document = JsonDocument.Parse(body);
            var envelope = document.RootElement;
            if (envelope.ValueKind != JsonValueKind.Object)
            {
                throw new CommandException($"pull stopped: {where} did not answer with a TAXII envelope");
            }

            var objects = new List<byte[]>();
            var ids = new List<string>();
            if (envelope.TryGetProperty("objects", out var array) && array.ValueKind != JsonValueKind.Null)
            {
                if (array.ValueKind != JsonValueKind.Array)
                {
                    throw new CommandException($"pull stopped: {where}: 'objects' is not an array");
                }

                foreach (var item in array.EnumerateArray())
                {
                    objects.Add(JsonMarshal.GetRawUtf8Value(item).ToArray());
                    if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                    {
                        ids.Add(id.GetString()!);
                    }
                }
            }

            var more = envelope.TryGetProperty("more", out var m) && m.ValueKind == JsonValueKind.True;
            var cursor = envelope.TryGetProperty("next", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() is { Length: > 0 } text ? text : null;
            var lastAdded = response.Headers.TryGetValues("X-TAXII-Date-Added-Last", out var values) ? values.FirstOrDefault() : null;
            return new Page(objects, ids, more, cursor, lastAdded);
        }
        catch (HttpRequestException failed)
        {
            throw new CommandException($"pull stopped: {where}: {OneLine(failed)}; run the same command again to resume");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CommandException($"pull stopped: {where} did not answer in time; run the same command again to resume");
        }
        catch (IOException failed)
        {
            throw new CommandException($"pull stopped: {where}: {OneLine(failed)}; run the same command again to resume");
        }
        catch (JsonException)
        {
            throw new CommandException($"pull stopped: {where} answered with JSON that is not a TAXII envelope (cut off?); run the same command again to resume");
        }
    }

    private static string OneLine(Exception failed)
    {
        var messages = new List<string>();
        for (var e = failed; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message.Split('\n')[0].Trim());
        }

        return string.Join(": ", messages.Distinct());
    }

    private static string ErrorDetail(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject error && error["title"] is JsonValue title
                ? $" ({title}{(error["description"] is JsonValue description ? $": {description}" : "")})"
                : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
