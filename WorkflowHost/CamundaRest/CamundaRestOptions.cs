namespace ComplaintWorkflows.WorkflowHost.CamundaRest;

/// <summary>The <c>Workflows:Rest</c> section: who may call <c>/engine-rest</c>. With no entries authentication is off.</summary>
public sealed class CamundaRestOptions
{
    public const string Section = "Workflows:Rest";

    /// <summary>API tokens sent as <c>Authorization: Bearer TOKEN</c>.</summary>
    public IList<RestToken> Tokens { get; } = [];

    /// <summary>Users for HTTP Basic authentication (Camunda Modeler's default).</summary>
    public IList<RestBasicUser> Basic { get; } = [];

    public bool AuthenticationEnabled => Tokens.Count > 0 || Basic.Count > 0;
}

public sealed class RestToken
{
    public string User { get; set; } = "";

    public string Token { get; set; } = "";
}

public sealed class RestBasicUser
{
    public string User { get; set; } = "";

    public string Password { get; set; } = "";
}
