using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.WorkflowHost.Tests;

/// <summary>
/// The test hosts hash passwords with one PBKDF2 iteration instead of Identity's 100,000: each host creates the first
/// administrator and 51 demo staff accounts at start (about 6 s of CPU at the default count, two thirds of a host's
/// start), and every request signed in with HTTP Basic verifies a hash. Hashes keep their format and record their
/// iteration count, so sign-in, lockout and password changes work as in production.
/// </summary>
internal static class QuickPasswordHashing
{
    public static IServiceCollection AddQuickPasswordHashing(this IServiceCollection services)
        => services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1);
}
