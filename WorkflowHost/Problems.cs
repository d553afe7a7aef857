using Microsoft.AspNetCore.Http.HttpResults;

namespace ComplaintWorkflows.WorkflowHost;

/// <summary>The Problem Details answers every endpoint gives for sign-in, permission and missing things, with a stable <c>code</c>.</summary>
internal static class Problems
{
    public static ProblemHttpResult Unauthenticated(string detail = "This call needs a signed-in user.")
        => TypedResults.Problem(title: "请先登录 (Sign-in required)", detail: detail, statusCode: StatusCodes.Status401Unauthorized, extensions: new Dictionary<string, object?> { ["code"] = "unauthenticated" });

    public static ProblemHttpResult Forbidden(string detail)
        => TypedResults.Problem(title: "无权访问 (Forbidden)", detail: detail, statusCode: StatusCodes.Status403Forbidden, extensions: new Dictionary<string, object?> { ["code"] = "forbidden" });

    public static ProblemHttpResult NotFoundProblem(string detail)
        => TypedResults.Problem(title: "未找到 (Not found)", detail: detail, statusCode: StatusCodes.Status404NotFound, extensions: new Dictionary<string, object?> { ["code"] = "not-found" });
}
