using ComplaintWorkflows.Activities;
using ComplaintWorkflows.Engine.Expressions;
using ComplaintWorkflows.Engine.Model;
using ComplaintWorkflows.Engine.Parsing;
using ComplaintWorkflows.Engine.Timers;

namespace ComplaintWorkflows.WorkflowHost;

/// <summary>
/// <c>dotnet run --project WorkflowHost -- validate FILE...</c>: prints each file's findings; exits 0 when
/// every file is executable, 1 when any has errors (warnings and info do not count), 2 when a file cannot be read (the others are still checked).
/// </summary>
public static class ValidateCommand
{
    public static int Run(IReadOnlyList<string> files, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(output);
        if (files.Count == 0)
        {
            output.WriteLine("usage: validate <file.bpmn>...");
            return 2;
        }

        var parser = new BpmnParser(new ExpressionEngine());
        var activities = WorkflowActivities.CreateRegistry();
        var unreadable = false;
        var errors = false;
        foreach (var file in files)
        {
            byte[] xml;
            try
            {
                xml = File.ReadAllBytes(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                output.WriteLine($"{file}: cannot be read: {ex.Message}");
                unreadable = true;
                continue;
            }

            using var stream = new MemoryStream(xml);
            var parsed = parser.Parse(stream, Path.GetFileName(file));
            IReadOnlyList<ValidationFinding> findings = parsed.Definitions is null
                ? parsed.Findings
                : [.. parsed.Findings, .. ExecutableValidator.Validate(parsed.Definitions, activities, TimerSchedule.Check)];
            var fileErrors = findings.Count(f => f.IsError);
            var warnings = findings.Count(f => f.Severity == FindingSeverity.Warning);
            var infos = findings.Count(f => f.Severity == FindingSeverity.Info);
            errors |= fileErrors > 0;
            output.WriteLine(fileErrors == 0
                ? $"{file}: OK, executable{(findings.Count > 0 ? $" ({warnings} warning(s), {infos} info)" : "")}"
                : $"{file}: {fileErrors} error(s), {warnings} warning(s), {infos} info");
            foreach (var finding in findings.OrderBy(f => f.Line))
            {
                output.WriteLine($"  {finding}");
            }
        }

        return unreadable ? 2 : errors ? 1 : 0;
    }
}
