using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ComplaintWorkflows.WorkflowHost;

/// <summary>
/// Declares in the OpenAPI document how to authenticate (HTTP Basic, personal access tokens, the sign-in
/// cookie) and that calls need one of them, so generated clients and API browsers offer the right sign-in.
/// </summary>
internal sealed class OpenApiSecurity : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes["basic"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "basic",
            Description = "用户名和密码 (user name and password), as Camunda Modeler sends them.",
        };
        document.Components.SecuritySchemes["token"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "个人访问令牌 (personal access token) from POST /api/auth/tokens.",
        };
        document.Components.SecuritySchemes["cookie"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = "cw.auth",
            Description = "浏览器登录 (browser sign-in) through POST /api/auth/login.",
        };
        document.Security ??= [];
        foreach (var scheme in new[] { "basic", "token", "cookie" })
        {
            document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = [] });
        }

        return Task.CompletedTask;
    }
}
