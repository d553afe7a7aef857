using ComplaintWorkflows.Activities.Organisation;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Tests.Organisation;

public sealed class OrganisationServiceTests
{
    [Fact]
    public async Task AddStaff_NamesEveryInvalidField()
    {
        using var host = await OrganisationTestHost.CreateAsync();

        var error = await Assert.ThrowsAsync<OrganisationValidationException>(() => host.Get<OrganisationService>().AddStaffAsync(new StaffMember
        {
            UserName = "new-person",
            DisplayName = "",
            UnitId = "no-such-unit",
            Roles = ["handler", "boss"],
            PartnerUserName = "new-person",
            MaxOpenComplaints = 0,
        }));

        Assert.Equal(["displayName", "maxOpenComplaints", "partnerUserName", "roles", "unitId"], error.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("boss", error.Errors["roles"].Single(), StringComparison.Ordinal);
        Assert.Contains("no-such-unit", error.Errors["unitId"].Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddUnit_RejectsAStationWhoseParentIsNotACountyBureau()
    {
        using var host = await OrganisationTestHost.CreateAsync();

        var error = await Assert.ThrowsAsync<OrganisationValidationException>(() => host.Get<OrganisationService>().AddUnitAsync(new Unit
        {
            Id = "wz-new-station", Name = "新城市场监督管理所", Kind = UnitKind.SupervisionStation, ParentUnitId = "wz-12315", Regions = ["新城街道"],
        }));

        Assert.Contains("区县局", Assert.Single(error.Errors["parentUnitId"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateStaff_ChangesSkillsAndPartner_AndTheDispatcherUsesThem()
    {
        using var host = await OrganisationTestHost.CreateAsync();
        var service = host.Get<OrganisationService>();
        var member = (await service.GetStaffAsync("lw-handler-a"))!;
        member.Skills = ["汽车", "新能源汽车"];
        member.PartnerUserName = "lw-joint-a";

        await service.UpdateStaffAsync(member);
        var stored = (await service.GetStaffAsync("lw-handler-a"))!;
        var advice = await host.Get<DispatchAdvisor>().AdviseAsync(new DispatchRequest("某某4S店", "温州市龙湾区龙江路1号", "质量", "汽车", "交通工具", "新能源汽车续航衰减"));

        Assert.Equal(["汽车", "新能源汽车"], stored.Skills);
        Assert.Equal("lw-joint-a", stored.PartnerUserName);
        Assert.Equal("lw-handler-a", advice.Handler);
    }

    [Fact]
    public async Task SaveRoster_RejectsSomeoneFromAnotherUnit()
    {
        using var host = await OrganisationTestHost.CreateAsync();

        var error = await Assert.ThrowsAsync<OrganisationValidationException>(() => host.Roster().SaveAsync(
            "wz-ouhai", new DateOnly(2026, 11, 1), [new RosterDay(new DateOnly(2026, 11, 28), false, ["lc-desk-a"])]));

        Assert.Contains("不属于单位", Assert.Single(error.Errors["days[0].userNames"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddOrganisation_RejectsAnUnknownTimeZone_AtStartUp()
    {
        using var host = await OrganisationTestHost.CreateAsync(new Dictionary<string, string?> { ["Workflows:Domain:Organisation:TimeZone"] = "Mars/Olympus" }, seed: false);

        var error = Assert.Throws<OptionsValidationException>(() => host.Get<IOptions<OrganisationOptions>>().Value);

        Assert.Contains("TimeZone", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IntakeCentreOf_ReturnsTheCentreAStationReturnsComplaintsTo()
    {
        using var host = await OrganisationTestHost.CreateAsync();

        var centre = await host.Get<OrganisationService>().IntakeCentreOfAsync("wz-ouhai-wutian");

        Assert.Equal(DemoOrganisation.IntakeCentreId, centre?.Id);
    }

    [Fact]
    public async Task Profile_GivesAStationDeskOfficerTheirUnitAndGroups_AndNothingForAnInactiveUser()
    {
        using var host = await OrganisationTestHost.CreateAsync();
        var service = host.Get<OrganisationService>();
        var member = (await service.GetStaffAsync("sy-desk-b"))!;

        var profile = await service.ProfileAsync("sy-desk-b");
        member.Active = false;
        await service.UpdateStaffAsync(member);

        Assert.NotNull(profile);
        Assert.Equal(UnitKind.SupervisionStation, profile.UnitKind);
        Assert.Equal(["desk_officer@wz-lucheng-shuangyu", "handler@wz-lucheng-shuangyu"], profile.Groups);
        Assert.Null(await service.ProfileAsync("sy-desk-b"));
    }
}
