using System.Text.Json.Nodes;
using Jisr.Exchange.Taxii;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Jisr.Server.Taxii;

/// <summary>
/// TAXII 2.1 at <c>/taxii2/</c> (discovery) and the API root <c>/taxii2/api/</c>. Authenticated like the API, with an
/// API token as Bearer or as the password of HTTP Basic (never an account's password). Every answer is
/// <c>application/taxii+json;version=2.1</c>; errors are TAXII error messages. Not in the OpenAPI description.
/// </summary>
public static class TaxiiEndpoints
{
    public const string MediaType = "application/taxii+json;version=2.1";
    public const string StixMediaType = "application/stix+json;version=2.1";
    public const string Root = "/taxii2";
    private const int MaxContentLength = 10 * 1024 * 1024;

    public static void MapTaxiiEndpoints(this IEndpointRouteBuilder app)
    {
        var taxii = app.MapGroup(Root).RequireAuthorization().ExcludeFromDescription().AddEndpointFilter(async (context, next) =>
            AcceptsTaxii(context.HttpContext.Request)
                ? await next(context)
                : Error(StatusCodes.Status406NotAcceptable, "NotAcceptable", $"this server answers only {MediaType}"));

        taxii.MapGet("/", (HttpContext http) => Taxii(new JsonObject
        {
            ["title"] = "Jisr TAXII 2.1",
            ["description"] = "STIX 2.1 exchange with partner agencies: one collection per sharing agreement in force, and the agency's own.",
            ["default"] = $"{Root}/api/",
            ["api_roots"] = new JsonArray($"{Root}/api/"),
        }));

        taxii.MapGet("/api/", () => Taxii(new JsonObject
        {
            ["title"] = "Jisr",
            ["description"] = "The collections of the caller's agency: its own, and its feed to each partner under an agreement in force.",
            ["versions"] = new JsonArray(MediaType),
            ["max_content_length"] = MaxContentLength,
        }));

        taxii.MapGet("/api/collections/", async (Principal caller, TaxiiService service, CancellationToken ct) =>
            Taxii(new JsonObject { ["collections"] = new JsonArray([.. (await service.CollectionsAsync(caller, ct)).Select(Describe)]) }));

        taxii.MapGet("/api/collections/{id:guid}/", async (Guid id, Principal caller, TaxiiService service, CancellationToken ct) =>
            await service.CollectionAsync(caller, id, "collection", ct) is { } collection ? Taxii(Describe(collection)) : NoCollection());

        taxii.MapGet("/api/collections/{id:guid}/objects/", (Guid id, HttpContext http, Principal caller, TaxiiService service, CancellationToken ct) =>
            PageAsync(id, null, "objects", http, caller, service, ct));

        taxii.MapGet("/api/collections/{id:guid}/objects/{objectId}/", (Guid id, string objectId, HttpContext http, Principal caller, TaxiiService service, CancellationToken ct) =>
            PageAsync(id, objectId, "object", http, caller, service, ct));

        taxii.MapGet("/api/collections/{id:guid}/objects/{objectId}/versions/", (Guid id, string objectId, HttpContext http, Principal caller, TaxiiService service, CancellationToken ct) =>
            PageAsync(id, objectId, "versions", http, caller, service, ct));

        taxii.MapGet("/api/collections/{id:guid}/manifest/", (Guid id, HttpContext http, Principal caller, TaxiiService service, CancellationToken ct) =>
            PageAsync(id, null, "manifest", http, caller, service, ct));

        taxii.MapPost("/api/collections/{id:guid}/objects/", AddAsync);

        taxii.MapGet("/api/status/{id:guid}/", async (Guid id, Principal caller, TaxiiService service) =>
            await service.StatusAsync(caller, id) is { } status ? Taxii(status) : Error(StatusCodes.Status404NotFound, "NotFound", "no status resource of your agency has this id"));
    }

    /// <summary>Whether the request's Accept allows a TAXII 2.1 answer (no Accept at all does).</summary>
    public static bool AcceptsTaxii(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.Headers.Accept;
        if (accept.Count == 0)
        {
            return true;
        }

        if (!MediaTypeHeaderValue.TryParseList(accept, out var types))
        {
            return false;
        }

        return types.Any(t =>
            t.MediaType.Equals("*/*", StringComparison.Ordinal) || t.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase) ||
            (t.MediaType.Equals("application/taxii+json", StringComparison.OrdinalIgnoreCase) &&
             t.Parameters.All(p => p.Name.Equals("version", StringComparison.OrdinalIgnoreCase) && p.Value.Equals("2.1", StringComparison.Ordinal))));
    }

    public static IResult Taxii(JsonNode body, int status = StatusCodes.Status200OK, Action<HttpResponse>? headers = null) => new TaxiiResult(body, status, headers);

    /// <summary>A TAXII error message (http_status is a string, as the specification's examples and medallion write it).</summary>
    public static IResult Error(int status, string title, string description) =>
        Taxii(new JsonObject { ["title"] = title, ["description"] = description, ["http_status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture) }, status);

    private static IResult NoCollection() => Error(StatusCodes.Status404NotFound, "NotFound", "no collection with this id is open to your agency");

    private static JsonObject Describe(TaxiiCollection c) => new()
    {
        ["id"] = c.Id.ToString("D"),
        ["title"] = c.Title,
        ["description"] = c.Description,
        ["can_read"] = c.CanRead,
        ["can_write"] = c.CanWrite,
        ["media_types"] = new JsonArray(StixMediaType),
    };

    private static async Task<IResult> PageAsync(Guid id, string? objectId, string what, HttpContext http, Principal caller, TaxiiService service, CancellationToken ct)
    {
        var collection = await service.CollectionAsync(caller, id, objectId is null ? what : $"{what} {objectId}", ct);
        if (collection is null)
        {
            return NoCollection();
        }

        TaxiiFilter filter;
        try
        {
            filter = TaxiiFilter.Parse(name => http.Request.Query.TryGetValue(name, out var v) ? v.ToString() : null);
            if (objectId is not null)
            {
                filter = filter with { Ids = new HashSet<string>(StringComparer.Ordinal) { objectId } };
            }

            if (what == "versions")
            {
                filter = filter with { Versions = new HashSet<string> { "all" } };
            }
        }
        catch (TaxiiQueryException e)
        {
            return Error(StatusCodes.Status400BadRequest, "BadRequest", e.Message);
        }

        TaxiiPage page;
        try
        {
            page = await TaxiiQuery.SelectAsync(await service.ObjectsAsync(caller, collection, ct), filter, ct);
        }
        catch (TaxiiQueryException e)
        {
            return Error(StatusCodes.Status400BadRequest, "ProcessingError", e.Message);
        }

        if (objectId is not null && page.Items.Count == 0 && filter.Next is null)
        {
            return Error(StatusCodes.Status404NotFound, "NotFound", $"no object {objectId} in this collection matches");
        }

        Action<HttpResponse> dateHeaders = response =>
        {
            if (page.First is { } first && page.Last is { } last)
            {
                response.Headers["X-TAXII-Date-Added-First"] = TaxiiTime.Format(first);
                response.Headers["X-TAXII-Date-Added-Last"] = TaxiiTime.Format(last);
            }
        };
        if (what is not ("manifest" or "versions"))
        {
            return new TaxiiObjectsResult(page, dateHeaders);
        }

        var body = new JsonObject { ["more"] = page.More };
        if (page.Next is { } next)
        {
            body["next"] = next;
        }

        switch (what)
        {
            case "manifest":
                body["objects"] = new JsonArray([.. page.Items.Select(o => (JsonNode)new JsonObject
                {
                    ["id"] = o.Id,
                    ["date_added"] = TaxiiTime.Format(o.DateAdded),
                    ["version"] = o.Version,
                    ["media_type"] = $"application/stix+json;version={o.SpecVersion}",
                })]);
                break;
            case "versions":
                body["versions"] = new JsonArray([.. page.Items.Select(o => (JsonNode)JsonValue.Create(o.Version))]);
                break;
        }

        return Taxii(body, headers: dateHeaders);
    }

    private static async Task<IResult> AddAsync(Guid id, HttpContext http, Principal caller, TaxiiService service, CancellationToken ct)
    {
        var collection = await service.CollectionAsync(caller, id, "add objects", ct);
        if (collection is null)
        {
            return NoCollection();
        }

        if (!collection.CanWrite)
        {
            return Error(StatusCodes.Status403Forbidden, "Forbidden", "this collection is your agency's feed to a partner: it is read-only (post to your agency's own collection)");
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) || !type.MediaType.Equals("application/taxii+json", StringComparison.OrdinalIgnoreCase))
        {
            return Error(StatusCodes.Status415UnsupportedMediaType, "UnsupportedMediaType", $"send the envelope as {MediaType}");
        }

        if (http.Request.ContentLength > MaxContentLength)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, "PayloadTooLarge", $"an envelope is at most {MaxContentLength} bytes");
        }

        // A body sent without a Content-Length (chunked) is held to the same limit while it is read.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = MaxContentLength;
        }

        JsonNode? envelope;
        try
        {
            envelope = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            return Error(StatusCodes.Status422UnprocessableEntity, "ProcessingError", $"the body is not JSON: {e.Message.Split('.')[0]}");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, "PayloadTooLarge", $"an envelope is at most {MaxContentLength} bytes");
        }

        if (envelope is not JsonObject { } root || root["objects"] is not JsonArray objects || root.ContainsKey("type"))
        {
            return Error(StatusCodes.Status422UnprocessableEntity, "ProcessingError", "the body must be a TAXII envelope: an object with an 'objects' list (not a bundle or a bare STIX object)");
        }

        return Taxii(await service.AddAsync(caller, objects, ct), StatusCodes.Status202Accepted);
    }

    private sealed class TaxiiResult(JsonNode body, int status, Action<HttpResponse>? headers) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = MediaType;
            headers?.Invoke(response);
            await response.WriteAsync(body.ToJsonString(), httpContext.RequestAborted);
        }
    }

    /// <summary>
    /// A page of objects (an envelope): each object's stored text written as it is, straight into the response, not
    /// parsed into a tree and serialised again per object (that was most of the server's CPU per pulled object).
    /// </summary>
    private sealed class TaxiiObjectsResult(TaxiiPage page, Action<HttpResponse> headers) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = MediaType;
            headers(response);
            await using var writer = new Utf8JsonWriter(response.BodyWriter);
            writer.WriteStartObject();
            writer.WriteBoolean("more", page.More);
            if (page.Next is { } next)
            {
                writer.WriteString("next", next);
            }

            writer.WriteStartArray("objects");
            foreach (var item in page.Items)
            {
                writer.WriteRawValue(item.Json); // checked to be one JSON value (as it was by parsing it)
                if (writer.BytesPending > 32 * 1024)
                {
                    await writer.FlushAsync(httpContext.RequestAborted);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            await writer.FlushAsync(httpContext.RequestAborted);
        }
    }
}
