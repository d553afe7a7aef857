using ComplaintWorkflows.Activities.Organisation;

namespace ComplaintWorkflows.Activities.Tests.Organisation;

public sealed class DemoOrganisationTests
{
    [Fact]
    public async Task Seed_IsIdempotent()
    {
        using var host = await OrganisationTestHost.CreateAsync();
        var service = host.Get<OrganisationService>();
        var from = DateOnly.FromDateTime(OrganisationTestHost.Monday.DateTime);
        var before = (await service.ListUnitsAsync()).Count + (await service.ListStaffAsync()).Count + (await service.ListDepartmentsAsync()).Count
            + (await service.ListPlatformsAsync()).Count;
        var shifts = (await ShiftsAsync(host, from, from.AddDays(59))).Count;

        await DemoOrganisation.SeedAsync(host.Services);

        var after = (await service.ListUnitsAsync()).Count + (await service.ListStaffAsync()).Count + (await service.ListDepartmentsAsync()).Count
            + (await service.ListPlatformsAsync()).Count;
        Assert.Equal(before, after);
        Assert.Equal(shifts, (await ShiftsAsync(host, from, from.AddDays(59))).Count);
        Assert.Equal(DemoOrganisation.Staff.Count, (await service.ListStaffAsync()).Count);
    }

    [Fact]
    public async Task Seed_IsConsistent_PartnersExistAndEveryUnitHasALeaderAndDeskOfficers()
    {
        using var host = await OrganisationTestHost.CreateAsync();
        var service = host.Get<OrganisationService>();
        var units = await service.ListUnitsAsync();
        var staff = (await service.ListStaffAsync()).ToDictionary(s => s.UserName, StringComparer.Ordinal);
        var departments = await service.ListDepartmentsAsync();

        Assert.Equal(3, units.Count(u => u.Kind == UnitKind.CountyBureau));
        Assert.Single(units, u => u.Kind == UnitKind.IntakeCentre);
        foreach (var member in staff.Values.Where(s => s.PartnerUserName is not null))
        {
            Assert.True(staff.TryGetValue(member.PartnerUserName!, out var partner), $"{member.UserName}'s partner {member.PartnerUserName} is missing");
            Assert.Equal(member.UnitId, partner.UnitId);
        }

        foreach (var unit in units)
        {
            Assert.Contains(staff.Values, s => s.UnitId == unit.Id && s.HasRole(StaffRoles.Leader));
            var desk = staff.Values.Where(s => s.UnitId == unit.Id && s.HasRole(StaffRoles.DeskOfficer)).ToList();
            Assert.Equal(2, desk.Count);
            Assert.Equal(desk[1].UserName, desk[0].PartnerUserName);
            Assert.Equal(desk[0].UserName, desk[1].PartnerUserName);
            Assert.True(unit.ParentUnitId is null || units.Any(u => u.Id == unit.ParentUnitId));
        }

        foreach (var bureau in units.Where(u => u.Kind == UnitKind.CountyBureau))
        {
            Assert.Contains(units, u => u.Kind == UnitKind.SupervisionStation && u.ParentUnitId == bureau.Id);
            Assert.Contains(departments, d => d.UnitId == bureau.Id && d.IsJointEnforcementGroup);
            Assert.Contains(departments, d => d.UnitId == bureau.Id && d.IsLegalSection);
        }

        Assert.Single(staff.Values, s => s.HasRole(StaffRoles.Administrator));
        Assert.Contains(staff.Values, s => s.Skills.Contains("汽车"));
        Assert.All((await service.ListPlatformsAsync()), p => Assert.Contains(units, u => u.Id == p.DomicileUnitId));
    }

    [Fact]
    public async Task Seed_PutsSomeoneOnDutyInEveryUnit_OnEveryWeekendAndHolidayOfTheNext60Days()
    {
        using var host = await OrganisationTestHost.CreateAsync();
        var service = host.Get<OrganisationService>();
        var from = DateOnly.FromDateTime(OrganisationTestHost.Monday.DateTime);
        var shifts = await ShiftsAsync(host, from, from.AddDays(59));
        var units = await service.ListUnitsAsync();
        var staff = (await service.ListStaffAsync()).ToDictionary(s => s.UserName, StringComparer.Ordinal);

        var daysOff = Enumerable.Range(0, 60).Select(from.AddDays).Where(d => !host.Calendar.IsWorkingDay(d)).ToList();
        Assert.Contains(OrganisationTestHost.Holiday, daysOff);
        foreach (var unit in units)
        {
            Assert.Equal(daysOff, shifts.Where(s => s.UnitId == unit.Id).Select(s => s.Date).Order());
        }

        Assert.All(shifts, s => Assert.Equal(s.UnitId, staff[s.UserName].UnitId));
        Assert.DoesNotContain(shifts, s => host.Calendar.IsWorkingDay(s.Date));
    }

    [Fact]
    public void Users_ListEveryDemoStaffMember_WithTheirTaskGroups()
    {
        var users = DemoOrganisation.Users.ToDictionary(u => u.UserName, StringComparer.Ordinal);

        Assert.Equal(DemoOrganisation.Staff.Count, users.Count);
        Assert.Contains("intake_desk", users["zx-desk-a"].Groups);
        Assert.Contains("desk_officer@wz-12315", users["zx-desk-a"].Groups);
        Assert.Contains("legal@wz-lucheng", users["lc-legal"].Groups);
        Assert.Equal(["administrator"], users["admin"].Roles);
        Assert.Equal(UnitKind.IntakeCentre, users["zx-desk-a"].UnitKind);
        Assert.Equal(["wz-lucheng", "wz-lucheng-shuangyu", "wz-lucheng-wuma"], users["lc-leader"].UnitScope.Order(StringComparer.Ordinal));
        Assert.Equal(["wz-lucheng-wuma"], users["wm-leader"].UnitScope);
        Assert.Equal("温州市12315投诉举报中心", DemoOrganisation.Units.Single(u => u.Id == users["zx-leader"].UnitId).Name);
    }

    /// <summary>Every unit's duty officers from the roster between two dates, one row per officer and day.</summary>
    private static async Task<List<(string UnitId, DateOnly Date, string UserName)>> ShiftsAsync(OrganisationTestHost host, DateOnly from, DateOnly to)
    {
        var roster = host.Roster();
        var shifts = new List<(string UnitId, DateOnly Date, string UserName)>();
        foreach (var unit in await host.Get<OrganisationService>().ListUnitsAsync())
        {
            shifts.AddRange((await roster.GetAsync(unit.Id, from, to))!.Days.SelectMany(d => d.UserNames.Select(u => (unit.Id, d.Date, u))));
        }

        return shifts;
    }
}
