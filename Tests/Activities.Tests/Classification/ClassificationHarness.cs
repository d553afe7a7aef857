using ComplaintWorkflows.Activities.Classification;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ComplaintWorkflows.Activities.Tests.Classification;

/// <summary>The classifier on an in-memory domain database with a fake clock, wired as the host wires it.</summary>
internal sealed class ClassificationHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8));

    public ClassificationHarness(IDictionary<string, string?>? settings = null, InMemoryDomainDatabase? database = null)
    {
        OwnsDatabase = database is null;
        Database = database ?? DomainDatabase.InMemory();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<Microsoft.EntityFrameworkCore.IDbContextFactory<DomainDbContext>>(Database);
        services.AddClassification(configuration);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private bool OwnsDatabase { get; }

    public InMemoryDomainDatabase Database { get; }

    public FakeTimeProvider Clock { get; } = new(Start);

    public ServiceProvider Services { get; }

    public ClassificationRuleService Rules => Services.GetRequiredService<ClassificationRuleService>();

    public ClassificationModelService Models => Services.GetRequiredService<ClassificationModelService>();

    public ComplaintClassifier Classifier => Services.GetRequiredService<ComplaintClassifier>();

    public ClassificationOptions Options => Services.GetRequiredService<IOptions<ClassificationOptions>>().Value;

    public Task<ClassificationResult> ClassifyAsync(string text, string? respondent = null, string? phone = null)
        => Classifier.ClassifyAsync(new ClassificationRequest(text, respondent, phone));

    /// <summary>Adds a complaint received at the given time to cw_complaint.</summary>
    public async Task AddComplaintAsync(string phone, string respondent, DateTimeOffset receivedAt)
    {
        await using var db = Database.CreateDbContext();
        var id = Guid.NewGuid().ToString("N");
        db.Add(new Complaint
        {
            Id = id,
            TrackingNumber = "TS" + id[..20],
            ConsumerName = "测试消费者",
            ConsumerPhone = phone,
            RespondentName = respondent,
            RespondentAddress = "某市某区",
            Request = "退款",
            Facts = "事实",
            ReceivedAt = receivedAt,
        });
        await db.SaveChangesAsync();
    }

    public void Dispose()
    {
        Services.Dispose();
        if (OwnsDatabase)
        {
            Database.Dispose();
        }
    }
}
