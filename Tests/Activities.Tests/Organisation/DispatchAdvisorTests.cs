using ComplaintWorkflows.Activities.Complaints;
using ComplaintWorkflows.Activities.Organisation;

namespace ComplaintWorkflows.Activities.Tests.Organisation;

public sealed class DispatchAdvisorTests
{
    private static readonly DispatchRequest NewEnergyVehicle = new(
        "温州某某汽车销售服务有限公司", "温州市鹿城区五马街道车站大道100号", "质量", "汽车", "交通工具",
        "购买的新能源汽车三个月后续航严重衰减，4S店拒绝检测动力电池。");

    private static readonly DispatchRequest PrepaidCardRunOff = new(
        "温州某某健身俱乐部", "温州市瓯海区娄桥街道某某路8号", "合同", "体育健身", "预付卡",
        "办了五千元会员卡，健身房突然闭店，老板失联，疑似预付卡跑路。");

    [Fact]
    public async Task Advise_SendsNewEnergyVehicleDispute_ToAHandlerWithAutomotiveBackground()
    {
        using var host = await OrganisationTestHost.CreateAsync();

        var advice = await host.Get<DispatchAdvisor>().AdviseAsync(NewEnergyVehicle);

        Assert.True(advice.InJurisdiction);
        Assert.Equal("lc-handler-a", advice.Handler);
        Assert.Equal("wz-lucheng", advice.UnitId);
        Assert.Equal("wz-lucheng-xbk", advice.DepartmentId);
        Assert.Contains("汽车", advice.Reason, StringComparison.Ordinal);
        Assert.InRange(advice.Confidence, 0.5, 1.0);
    }

    [Fact]
    public async Task Advise_SendsPrepaidCardRunOff_ToTheJointEnforcementGroup()
    {
        using var host = await OrganisationTestHost.CreateAsync();

        var advice = await host.Get<DispatchAdvisor>().AdviseAsync(PrepaidCardRunOff);

        Assert.Equal("wz-ouhai", advice.UnitId);
        Assert.Equal("wz-ouhai-lhzf", advice.DepartmentId);
        Assert.Equal("联合执法小组", advice.DepartmentName);
        Assert.Matches("^oh-joint-[ab]$", advice.Handler);
        Assert.Contains("预付卡跑路", advice.Reason, StringComparison.Ordinal);
        Assert.True(advice.Confidence >= 0.85, $"confidence {advice.Confidence}");
    }

    [Fact]
    public async Task Advise_ChoosesTheLeastLoadedHandler_CountingOnlyOpenComplaints()
    {
        using var host = await OrganisationTestHost.CreateAsync();
        var request = new DispatchRequest("温州某某电器商行", "温州市龙湾区龙江路55号", "售后服务", "家电", "家用电子电器", "空调安装后漏水，商家不予维修。");
        await host.AddComplaintsAsync("lw-handler-a", 5);
        await host.AddComplaintsAsync("lw-handler-b", 2);
        await host.AddComplaintsAsync("lw-handler-b", 10, ComplaintStatus.Closed);
        await host.AddComplaintsAsync("lw-handler-b", 4, ComplaintStatus.Archived);

        var first = await host.Get<DispatchAdvisor>().AdviseAsync(request);
        await host.AddComplaintsAsync("lw-handler-b", 4);
        var second = await host.Get<DispatchAdvisor>().AdviseAsync(request);

        Assert.Equal("lw-handler-b", first.Handler);
        Assert.Contains("在办2件", first.Reason, StringComparison.Ordinal);
        Assert.Equal("lw-handler-a", second.Handler);
    }

    [Fact]
    public async Task Advise_GivesItToTheABPartner_WhenTheChosenHandlerIsAbsent()
    {
        using var host = await OrganisationTestHost.CreateAsync();
        await host.AbsentAsync("lc-handler-a", "年休假");

        var advice = await host.Get<DispatchAdvisor>().AdviseAsync(NewEnergyVehicle);

        Assert.Equal("lc-handler-b", advice.Handler);
        Assert.Equal(AssigneeBasis.Partner, advice.Assignee.Basis);
        Assert.Contains("A/B岗搭档", advice.Reason, StringComparison.Ordinal);
        Assert.Contains("年休假", advice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Advise_GivesItToTheDutyOfficer_OnAHoliday()
    {
        using var host = await OrganisationTestHost.CreateAsync();
        host.Clock.SetUtcNow(new DateTimeOffset(OrganisationTestHost.Holiday.ToDateTime(new TimeOnly(10, 0)), OrganisationTestHost.Beijing));
        var duty = Assert.Single(await host.DutyAsync("wz-lucheng", OrganisationTestHost.Holiday));

        var advice = await host.Get<DispatchAdvisor>().AdviseAsync(NewEnergyVehicle);

        Assert.Equal(duty, advice.Handler);
        Assert.Equal(AssigneeBasis.DutyOfficer, advice.Assignee.Basis);
        Assert.Contains("非工作时间（2027-01-01）", advice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Advise_FallsBackToTheUnitsDeskOfficers_OutOfHoursWithNobodyOnTheRoster()
    {
        using var host = await OrganisationTestHost.CreateAsync();
        host.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 24, 21, 0, 0, OrganisationTestHost.Beijing)); // a Tuesday evening: no roster
        Assert.Empty(await host.DutyAsync("wz-lucheng", new DateOnly(2026, 11, 24)));

        var advice = await host.Get<DispatchAdvisor>().AdviseAsync(NewEnergyVehicle);

        Assert.Matches("^lc-desk-[ab]$", advice.Handler);
        Assert.Equal(AssigneeBasis.DeskOfficerOutOfHours, advice.Assignee.Basis);
    }

    [Fact]
    public async Task Advise_KeepsTheChosenHandler_DuringTheLunchBreak()
    {
        using var host = await OrganisationTestHost.CreateAsync();
        host.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 24, 12, 30, 0, OrganisationTestHost.Beijing));
        Assert.False(host.Calendar.IsOfficeHours(host.Clock.GetUtcNow()));

        var advice = await host.Get<DispatchAdvisor>().AdviseAsync(NewEnergyVehicle);

        Assert.Equal("lc-handler-a", advice.Handler);
        Assert.Equal(AssigneeBasis.Preferred, advice.Assignee.Basis);
    }

    [Fact]
    public async Task Advise_SendsItBackToTheIntakeDesk_GivenARespondentOutsideTheJurisdiction()
    {
        using var host = await OrganisationTestHost.CreateAsync();

        var advice = await host.Get<DispatchAdvisor>().AdviseAsync(new DispatchRequest("某某公司", "江苏省南京市玄武区中山路1号", "质量"));

        Assert.False(advice.InJurisdiction);
        Assert.Equal(DemoOrganisation.IntakeCentreId, advice.UnitId);
        Assert.Matches("^zx-desk-[ab]$", advice.Handler);
        Assert.StartsWith("不属于本中心管辖", advice.Reason, StringComparison.Ordinal);
    }
}
