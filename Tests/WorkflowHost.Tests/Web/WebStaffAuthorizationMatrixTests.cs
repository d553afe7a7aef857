using System.Net;
using System.Net.Http.Json;

namespace ComplaintWorkflows.WorkflowHost.Tests.Web;

/// <summary>Every endpoint added for the web pages (organisation, attachments, dashboard, exports) against every role, signed in with real accounts.</summary>
public sealed class WebStaffAuthorizationMatrixTests(WebStaffHost host) : IClassFixture<WebStaffHost>
{
    private static readonly string?[] Everyone = [null, "consumer1", "wm-handler", "wm-desk-a", "wm-leader", "lc-reviewer", "lc-legal", "zx-desk-a", "admin"];
    private static readonly string[] Nobody = ["nobody"];

    public static TheoryData<string?, string, string, HttpStatusCode> Matrix()
    {
        var data = new TheoryData<string?, string, string, HttpStatusCode>();
        void Rule(string method, string path, Func<string?, HttpStatusCode> expected)
        {
            foreach (var user in Everyone)
            {
                data.Add(user, method, path, expected(user));
            }
        }

        static HttpStatusCode StaffRead(string? user) => user switch { null => HttpStatusCode.Unauthorized, "consumer1" => HttpStatusCode.Forbidden, _ => HttpStatusCode.OK };
        static HttpStatusCode AdminWrite(string? user, HttpStatusCode ok) => user switch { null => HttpStatusCode.Unauthorized, "admin" => ok, _ => HttpStatusCode.Forbidden };
        static HttpStatusCode Kpi(string? user) => user switch { null => HttpStatusCode.Unauthorized, "wm-leader" or "lc-reviewer" or "lc-legal" or "admin" => HttpStatusCode.OK, _ => HttpStatusCode.Forbidden };

        foreach (var path in new[] { "/api/admin/units", "/api/admin/departments", "/api/admin/staff", "/api/admin/absences", "/api/duty-roster?unitId=wz-lucheng-wuma&month=2030-01", "/api/duty-roster/reminders?month=2030-01" })
        {
            Rule("GET", path, StaffRead);
        }

        // Writes: a body that would be invalid, so an administrator gets 400 (validated) and nothing changes.
        Rule("POST", "/api/admin/units", u => AdminWrite(u, HttpStatusCode.BadRequest));
        Rule("PUT", "/api/admin/units/wz-lucheng", u => AdminWrite(u, HttpStatusCode.BadRequest));
        Rule("POST", "/api/admin/departments", u => AdminWrite(u, HttpStatusCode.BadRequest));
        Rule("PUT", "/api/admin/departments/wz-lucheng-xbk", u => AdminWrite(u, HttpStatusCode.BadRequest));
        Rule("POST", "/api/admin/staff", u => AdminWrite(u, HttpStatusCode.BadRequest));
        Rule("PUT", "/api/admin/staff/wm-handler", u => AdminWrite(u, HttpStatusCode.BadRequest));
        Rule("PUT", "/api/admin/staff/wm-handler/partner", u => AdminWrite(u, HttpStatusCode.BadRequest));
        Rule("POST", "/api/admin/absences", u => AdminWrite(u, HttpStatusCode.BadRequest));
        Rule("DELETE", "/api/admin/absences/987654321", u => AdminWrite(u, HttpStatusCode.NotFound));

        // The duty roster: administrators for any unit, a unit's own leader and desk officers for theirs (the units enter their schedules).
        Rule("PUT", "/api/duty-roster/wz-ouhai/2030-01", u => AdminWrite(u, HttpStatusCode.BadRequest));
        Rule("PUT", "/api/duty-roster/wz-lucheng-wuma/2030-01", u => u is "wm-desk-a" or "wm-leader" ? HttpStatusCode.BadRequest : AdminWrite(u, HttpStatusCode.BadRequest));

        // Attachments: whoever may see the complaint (its unit's staff, the intake centre, administrators, its consumer).
        Rule("GET", "/api/complaints/{wuma}/attachments", u => u switch
        {
            null => HttpStatusCode.Unauthorized,
            "consumer1" or "lc-legal" or "lc-reviewer" => u == "consumer1" ? HttpStatusCode.NotFound : HttpStatusCode.OK,
            _ => HttpStatusCode.OK,
        });
        Rule("GET", "/api/complaints/{mine}/attachments", u => u switch { null => HttpStatusCode.Unauthorized, "consumer1" or "zx-desk-a" or "admin" => HttpStatusCode.OK, _ => HttpStatusCode.NotFound });
        Rule("POST", "/api/complaints/{mine}/attachments", u => u switch { null => HttpStatusCode.Unauthorized, "consumer1" or "zx-desk-a" or "admin" => HttpStatusCode.UnsupportedMediaType, _ => HttpStatusCode.NotFound });
        Rule("GET", "/api/complaints/{ouhai}/attachments/none", u => u switch { null => HttpStatusCode.Unauthorized, _ => HttpStatusCode.NotFound });
        Rule("GET", "/api/public/attachment-limits", _ => HttpStatusCode.OK);

        // Dashboards: KPI figures for leaders, reviewers and administrators; deadline lists and the complaint export for staff.
        Rule("GET", "/api/dashboard/trends", Kpi);
        Rule("GET", "/api/exports/kpis.xlsx", Kpi);
        Rule("GET", "/api/dashboard/deadlines", StaffRead);
        Rule("GET", "/api/exports/complaints.xlsx", StaffRead);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public Task Endpoint_AnswersEachRole_AsItsRulesSay(string? user, string method, string path, HttpStatusCode expected)
        => host.AssertAnswersAsync(user, method, path, expected, p => method is not ("POST" or "PUT") ? null : p switch
        {
            // Attachments: JSON instead of multipart (415 for those allowed); organisation: an invalid body (400 for administrators).
            _ when p.EndsWith("/partner", StringComparison.Ordinal) => JsonContent.Create(new { partnerUserName = "wm-handler" }),
            _ when p.Contains("/duty-roster", StringComparison.Ordinal) => JsonContent.Create(new { days = new[] { new { date = "2030-01-05", userNames = Nobody } } }),
            _ when p.Contains("/absences", StringComparison.Ordinal) => JsonContent.Create(new { userName = "nobody", from = "2030-01-02T00:00:00Z", to = "2030-01-01T00:00:00Z" }),
            _ => JsonContent.Create(new { id = "BAD ID", userName = "nobody", unitId = "no-such-unit", name = "", displayName = "" }),
        });
}
