using Microsoft.OpenApi;

namespace Jisr.Server.Endpoints;

/// <summary>
/// How each operation is described in /openapi/v1.json: a summary, its success answer and the problem answers its
/// handler can give. One call per kind of operation, so every endpoint is described the same way; 401 is added
/// for the whole API in <see cref="JisrNode"/>, the <c>Location</c> header of 201 answers in <see cref="OpenApiDescription"/>.
/// </summary>
public static class OperationDescriptions
{
    /// <summary>A list or page: 200 with <typeparamref name="T"/>.</summary>
    public static RouteHandlerBuilder ListsItems<T>(this RouteHandlerBuilder endpoint, string summary, string? description = null) =>
        endpoint.Describe(summary, description).Produces<T>();

    /// <summary>One item by id: 200 with <typeparamref name="T"/>, or 404 (also for an item the caller may not see).</summary>
    public static RouteHandlerBuilder ReadsItem<T>(this RouteHandlerBuilder endpoint, string summary, string? description = null) =>
        endpoint.Describe(summary, description).Produces<T>().Problems(StatusCodes.Status404NotFound);

    /// <summary>A creation from a JSON body: 201 with <typeparamref name="T"/> and its address in <c>Location</c>, 400, 413.</summary>
    public static RouteHandlerBuilder CreatesItem<T>(this RouteHandlerBuilder endpoint, string summary, string? description = null) =>
        endpoint.Describe(summary, description)
            .Produces<T>(StatusCodes.Status201Created)
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge);

    /// <summary>A change to an item by id from a JSON body: 200 with the new state <typeparamref name="T"/>, 400, 404, 413.</summary>
    public static RouteHandlerBuilder ChangesItem<T>(this RouteHandlerBuilder endpoint, string summary, string? description = null) =>
        endpoint.Describe(summary, description)
            .Produces<T>()
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status413PayloadTooLarge);

    /// <summary>A removal by id: 204, or 404.</summary>
    public static RouteHandlerBuilder RemovesItem(this RouteHandlerBuilder endpoint, string summary, string? description = null) =>
        endpoint.Describe(summary, description).Produces(StatusCodes.Status204NoContent).Problems(StatusCodes.Status404NotFound);

    /// <summary>
    /// Further problem answers the handler can give (RFC 9457, <c>application/problem+json</c>): 400 is a validation
    /// problem naming the field; the others are plain problem details.
    /// </summary>
    public static RouteHandlerBuilder Problems(this RouteHandlerBuilder endpoint, params int[] statusCodes)
    {
        ArgumentNullException.ThrowIfNull(statusCodes);
        foreach (var status in statusCodes)
        {
            endpoint = status == StatusCodes.Status400BadRequest ? endpoint.ProducesValidationProblem() : endpoint.ProducesProblem(status);
        }

        return endpoint;
    }

    /// <summary>The operation's summary (a short line) and, where it helps, a longer description.</summary>
    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder endpoint, string summary, string? description = null)
    {
        endpoint.WithSummary(summary);
        return description is null ? endpoint : endpoint.WithDescription(description);
    }

    /// <summary>
    /// A 200 answer in a media type of its own, with a schema of <paramref name="type"/> described in words (a STIX
    /// bundle, an HTML report). Added beside any JSON answer: <c>Produces</c> keeps one media type per status code.
    /// </summary>
    public static RouteHandlerBuilder ProducesMediaType(this RouteHandlerBuilder endpoint, string mediaType, JsonSchemaType type, string description) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Responses ??= [];
            if (!operation.Responses.TryGetValue("200", out var ok))
            {
                operation.Responses["200"] = ok = new OpenApiResponse { Description = "OK" };
            }

            var answer = (OpenApiResponse)ok;
            answer.Content ??= new Dictionary<string, OpenApiMediaType>();
            answer.Content[mediaType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = type, Description = description } };
            return Task.CompletedTask;
        });

    /// <summary>Documents a query parameter the handler reads as an optional string but checks itself (e.g. required, or a fixed vocabulary).</summary>
    public static RouteHandlerBuilder QueryParameter(this RouteHandlerBuilder endpoint, string name, string description, bool required = false) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var parameter = operation.Parameters?.OfType<OpenApiParameter>()
                .FirstOrDefault(p => p.In == ParameterLocation.Query && p.Name == name)
                ?? throw new InvalidOperationException($"{operation.OperationId} has no query parameter '{name}' to describe");
            parameter.Description = description;
            parameter.Required = required;
            return Task.CompletedTask;
        });
}
