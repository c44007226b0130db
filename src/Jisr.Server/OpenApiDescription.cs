using System.Text.Json.Serialization;
using Jisr.Server.Endpoints;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Jisr.Server;

/// <summary>
/// Adds what the generated OpenAPI document cannot infer: how to authenticate, the declared-purpose header, what the
/// tags and problem answers mean, the <c>Location</c> of created items, and schemas that say what the node really
/// sends. Each operation's own summary and answers are declared where it is mapped (<see cref="OperationDescriptions"/>).
/// </summary>
public static class OpenApiDescription
{
    public const string DocumentName = "v1";

    private const string BearerScheme = "bearer";
    private const string SessionScheme = "session";

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Records"] = "Intelligence reports and other records: list, full-text search, read, create, replace, delete, STIX export.",
        ["Entities"] = "Persons, organisations, places, identifiers and the other entities records assert, and the link graph between them.",
        ["Persons"] = "Name matching across scripts, and data-subject access exports.",
        ["Agreements"] = "Sharing agreements with partner agencies: proposed by one, in force once the other accepts.",
        ["Review"] = "The legal reviewers' queue of records whose review date has come.",
        ["Notices"] = "Typed international alerts about a person or an event, screened for neutrality before issue.",
        ["Releases"] = "Releases of records to partner agencies under an agreement in force, with four-eyes approval for sensitive markings.",
        ["Consents"] = "The third-party rule: a received record passes on to a third agency only with its originator's consent.",
        ["Accounts"] = "Sign-in, the caller's own account and personal API tokens.",
        ["Agencies"] = "The agencies registered on this node.",
        ["Users"] = "User administration, for administrators of the agency.",
        ["Audit"] = "The agency's hash-chained audit trail.",
    };

    /// <summary>What a problem answer means on any operation of this API.</summary>
    private static readonly Dictionary<string, string> ProblemDescriptions = new(StringComparer.Ordinal)
    {
        ["400"] = "The request is not valid; the problem names the field and what to fix.",
        ["401"] = "Not signed in: send 'Authorization: Bearer TOKEN' or the session cookie.",
        ["403"] = "Your account or agency may not do this; the problem says why.",
        ["404"] = "It does not exist, or you may not see it (the two are not told apart).",
        ["409"] = "The item's current state does not allow this change (or someone changed it at the same moment).",
        ["413"] = $"The request body is larger than the node accepts ({NodeOptions.MaxRequestBodyBytes / (1024 * 1024)} MB).",
    };

    /// <summary>Query parameters that mean the same on every operation that has them.</summary>
    private static readonly Dictionary<string, string> CommonQueryParameters = new(StringComparer.Ordinal)
    {
        ["cursor"] = "The 'next' value of the previous page; omit it for the first page.",
        ["limit"] = "The most items to return.",
    };

    public static void Configure(OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddDocumentTransformer((document, _, _) =>
        {
            DescribeDocument(document);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            DescribeOperation(operation, context);
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            DescribeSchema(schema, context.JsonTypeInfo);
            return Task.CompletedTask;
        });
    }

    private static void DescribeDocument(OpenApiDocument document)
    {
        document.Info.Title = "Jisr node API";
        document.Info.Description = "Records, entities, sharing and accounts of one Jisr node. Errors are RFC 9457 problem details.";

        // Every agency runs its own node at its own address: the API is on the same server as this document.
        document.Servers = [new OpenApiServer { Url = "/", Description = "The node that serves this document" }];
        document.Tags = new HashSet<OpenApiTag>(TagDescriptions.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A personal API token (jisr_…), issued with POST /api/v1/tokens or `jisr token create`.",
        };
        document.Components.SecuritySchemes[SessionScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = "jisr.session",
            Description = "The session cookie set by POST /api/v1/auth/login.",
        };

        // Either scheme will do: two requirement objects are alternatives.
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SessionScheme, document)] = [] },
        ];
    }

    private static void DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        if (anonymous)
        {
            operation.Security = [];
        }

        if (metadata.OfType<PurposeRequiredMetadata>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = Purpose.Header,
                In = ParameterLocation.Header,
                Required = true,
                Description = "Why you are searching or exporting; kept in the audit log. Plain ASCII, or UTF-8 percent-encoded for Arabic or accented text. Missing: 400.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = Purpose.MaxLength },
            });
        }

        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.In == ParameterLocation.Query && parameter.Description is null && CommonQueryParameters.TryGetValue(parameter.Name!, out var description))
            {
                parameter.Description = description;
            }
        }

        if (operation.Responses is not null)
        {
            DescribeResponses(operation.Responses, anonymous);
        }
    }

    private static void DescribeResponses(OpenApiResponses responses, bool anonymous)
    {
        // Success first, then the problems in status order, whatever order the conventions added them in.
        var answers = responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        responses.Clear();
        foreach (var (status, response) in answers)
        {
            responses.Add(status, response);
            if (response is OpenApiResponse answer && ProblemDescriptions.TryGetValue(status, out var meaning))
            {
                // An operation open to anyone (sign-in) answers 401 to wrong credentials, not to a missing sign-in.
                answer.Description = anonymous && status == "401" ? "Unknown user name or wrong password." : meaning;
            }

            if (response is OpenApiResponse { } created && status is "201" or "202")
            {
                created.Headers ??= new Dictionary<string, IOpenApiHeader>();
                created.Headers["Location"] = new OpenApiHeader
                {
                    Description = status == "201" ? "The address of the new item." : "The address of the request that holds the change.",
                    Required = true,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
                };
            }
        }
    }

    /// <summary>Makes a schema say what the node sends and accepts, which the generator cannot tell from the types alone.</summary>
    private static void DescribeSchema(OpenApiSchema schema, System.Text.Json.Serialization.Metadata.JsonTypeInfo type)
    {
        // Numbers are documented as numbers: the node also reads "12" for 12 (the web default), but never writes it.
        if (schema.Type is { } kinds && (kinds.HasFlag(JsonSchemaType.Integer) || kinds.HasFlag(JsonSchemaType.Number)) && kinds.HasFlag(JsonSchemaType.String))
        {
            schema.Type = kinds & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        // Problem details carry extension members (traceId, errors).
        if (type.Type.IsAssignableTo(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails)))
        {
            schema.AdditionalPropertiesAllowed = true;
        }

        // The node leaves out null values (JsonIgnoreCondition.WhenWritingNull) and reads a missing one as null,
        // so a property that may be null is not required, unless it is always written.
        if (schema.Required is not { Count: > 0 } required)
        {
            return;
        }

        foreach (var property in type.Properties)
        {
            var alwaysWritten = property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: false)
                .OfType<JsonIgnoreAttribute>().Any(a => a.Condition == JsonIgnoreCondition.Never) == true;
            if (!alwaysWritten && (property.IsGetNullable || property.IsSetNullable))
            {
                required.Remove(property.Name);
            }
        }
    }
}
