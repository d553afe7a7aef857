using ComplaintWorkflows.WorkflowHost;

if (args is ["validate", .. var files])
{
    return ValidateCommand.Run(files, Console.Out);
}

if (args is ["classify", .. var classifyArgs])
{
    return ComplaintWorkflows.Activities.Classification.ClassifyEvaluateCommand.Run(classifyArgs, Console.Out, Console.Error);
}

if (args is [("backup" or "restore") and var command, .. var backupArgs])
{
    return await ComplaintWorkflows.WorkflowHost.Operations.BackupCommand.RunAsync(command, backupArgs, Console.Out, Console.Error);
}

// Settings ship beside the binary; the working directory is the user's (see RunWorkingDirectory).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddComplaintWorkflows();

var app = builder.Build();
app.MapComplaintWorkflows();
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
