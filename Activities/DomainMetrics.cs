using System.Diagnostics.Metrics;
using ComplaintWorkflows.Activities.Complaints;

namespace ComplaintWorkflows.Activities;

/// <summary>
/// The complaint domain's own counters (<see cref="System.Diagnostics.Metrics"/>, meter <see cref="MeterName"/>), from
/// the host's <see cref="IMeterFactory"/>: complaints received per channel, SMS provider errors per provider and code.
/// The figures read from the database (notifications pending and failed, overdue complaints) are the host's gauges.
/// </summary>
public sealed class DomainMetrics
{
    public const string MeterName = "ComplaintWorkflows.Complaints";

    private readonly Counter<long> _received;
    private readonly Counter<long> _smsErrors;
    private readonly Counter<long> _emailUncertain;

    public DomainMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        Meter = meters.Create(MeterName);
        _received = Meter.CreateCounter<long>("cw.complaints.received", "{complaint}", "Complaints and reports registered (not the duplicates), by channel.");
        _emailUncertain = Meter.CreateCounter<long>("cw.email.uncertain", "{email}", "Emails whose sending host stopped between the SMTP send and recording it: marked uncertain, not resent, an alert raised.");
        _smsErrors = Meter.CreateCounter<long>("cw.sms.provider.errors", "{error}", "SMS send attempts the provider answered with an error (or that failed on the way), by provider and error code.");
    }

    public Meter Meter { get; }

    public void Received(ComplaintChannel channel) => _received.Add(1, new KeyValuePair<string, object?>("channel", channel.ToString()));

    public void EmailUncertain() => _emailUncertain.Add(1);

    public void SmsError(string? provider, string? code)
        => _smsErrors.Add(1, new KeyValuePair<string, object?>("provider", provider ?? "unknown"), new KeyValuePair<string, object?>("code", code ?? "unknown"));
}
