using Jisr.Server.Endpoints;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Jisr.Server;

/// <summary>Adds what the generated OpenAPI document cannot infer: how to authenticate, and the declared-purpose header on searches.</summary>
internal static class OpenApiDescription
{
    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Jisr node API";
            document.Info.Description = "Records, entities and accounts of one Jisr node. Errors are RFC 9457 problem details.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A personal API token (jisr_…), issued with POST /api/v1/tokens or `jisr token create`.",
            };
            document.Security ??= [];
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<PurposeRequiredMetadata>().Any())
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = Purpose.Header,
                    In = ParameterLocation.Header,
                    Required = true,
                    Description = "Why you are searching; kept in the audit log. Missing: 400.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = Purpose.MaxLength },
                });
            }

            return Task.CompletedTask;
        });
    }
}
