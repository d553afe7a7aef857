using System.Globalization;
using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Engine.Activities;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Messaging;

/// <summary>How activities address a complaint's consumer and which values every complaint template gets.</summary>
public sealed class ConsumerNotifications(IOptions<NotificationOptions> options)
{
    /// <summary>The consumer on the channel they chose at intake; null when they chose none or have no contact for it.</summary>
    public static NotificationRecipient? Consumer(Complaint complaint, MessageChannel? channel = null)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        var chosen = channel ?? complaint.NotifyBy;
        return chosen switch
        {
            MessageChannel.Sms => new NotificationRecipient { PhoneNumber = complaint.ConsumerPhone, Channel = MessageChannel.Sms },
            MessageChannel.Email when complaint.ConsumerEmail is not null => new NotificationRecipient { Email = complaint.ConsumerEmail, Channel = MessageChannel.Email },
            _ => null,
        };
    }

    /// <summary>The values of a complaint every template may use: consumer's name, tracking number, respondent, tracking page.</summary>
    public Dictionary<string, string> ComplaintValues(Complaint complaint)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["consumerName"] = complaint.ConsumerName,
            ["trackingNumber"] = complaint.TrackingNumber,
            ["respondentName"] = complaint.RespondentName,
            ["trackUrl"] = TrackUrl(complaint.TrackingNumber),
        };
    }

    public string TrackUrl(string trackingNumber) => options.Value.PublicBaseUrl.TrimEnd('/') + "/track?trackingNumber=" + Uri.EscapeDataString(trackingNumber);

    /// <summary>
    /// The identity of a notification an element asks for: instance, element and how many times that element asked
    /// before in this instance (kept in a variable). A step that is run again after a failure reuses its key; the same
    /// element reached again later (a loop) gets a new one.
    /// </summary>
    public static string KeyFor(ActivityContext context, string? suffix = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var counter = "_notify_" + context.ElementId;
        var count = context.GetVariable(counter) is { } value ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;
        context.SetVariable(counter, count + 1);
        return $"{context.ProcessInstanceId}:{context.ElementId}:{count}{(suffix is null ? "" : ":" + suffix)}";
    }
}
