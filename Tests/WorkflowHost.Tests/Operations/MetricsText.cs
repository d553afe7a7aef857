using System.Globalization;
using System.Net.Http.Headers;
using ComplaintWorkflows.WorkflowHost.Tests.Complaints;

namespace ComplaintWorkflows.WorkflowHost.Tests.Operations;

/// <summary>Reads <c>/metrics</c> (Prometheus text format) and sums the samples of one metric whose labels include the given ones.</summary>
public sealed class MetricsText(string text)
{
    public string Text { get; } = text;

    public static async Task<MetricsText> ScrapeAsync(ComplaintHost host, string user = "admin")
    {
        using var client = host.As(user);
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/metrics answered {(int)response.StatusCode}: {body}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
        return new MetricsText(body);
    }

    /// <summary>The sum of the samples named <paramref name="name"/> carrying every label given as <c>key="value"</c>; 0 when there is none.</summary>
    public double Sum(string name, params string[] labels)
    {
        var sum = 0.0;
        foreach (var line in Text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(name, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = line[name.Length..];
            string labelText;
            if (rest.StartsWith('{'))
            {
                var end = rest.IndexOf('}', StringComparison.Ordinal);
                labelText = rest[1..end];
                rest = rest[(end + 1)..];
            }
            else if (rest.StartsWith(' '))
            {
                labelText = "";
            }
            else
            {
                continue; // another metric whose name starts with this one
            }

            if (labels.All(l => labelText.Split(',').Contains(l, StringComparer.Ordinal)))
            {
                sum += double.Parse(rest.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    /// <summary>Whether a metric of that name is exported at all (its TYPE line).</summary>
    public bool Has(string name) => Text.Contains($"# TYPE {name} ", StringComparison.Ordinal);

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}
