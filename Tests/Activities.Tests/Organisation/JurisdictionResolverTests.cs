using ComplaintWorkflows.Activities.Organisation;

namespace ComplaintWorkflows.Activities.Tests.Organisation;

public sealed class JurisdictionResolverTests
{
    [Fact]
    public async Task Resolve_ReturnsCountyBureau_GivenDistrictAddressWithNoStationStreet()
    {
        using var host = await OrganisationTestHost.CreateAsync();

        var result = await host.Get<JurisdictionResolver>().ResolveAsync("温州某某电器有限公司", "浙江省温州市鹿城区人民东路88号");

        Assert.True(result.InJurisdiction);
        Assert.Equal(JurisdictionRule.Address, result.Rule);
        Assert.Equal("wz-lucheng", result.UnitId);
        Assert.Equal("wz-lucheng", result.CountyUnitId);
        Assert.Equal("鹿城区", result.MatchedRegion);
    }

    [Theory]
    [InlineData("温州市鹿城区五马街道解放街12号", "wz-lucheng-wuma", "wz-lucheng")]
    [InlineData("温 州 市 龙湾区 永中街道 罗东北街5号", "wz-longwan-yongzhong", "wz-longwan")]
    [InlineData("娄桥街道古岸头村工业区", "wz-ouhai-loujiao", "wz-ouhai")]
    public async Task Resolve_ReturnsTheStationUnderItsBureau_GivenAStreetItCovers(string address, string station, string county)
    {
        using var host = await OrganisationTestHost.CreateAsync();

        var result = await host.Get<JurisdictionResolver>().ResolveAsync("某某餐厅", address);

        Assert.True(result.InJurisdiction);
        Assert.Equal(station, result.UnitId);
        Assert.Equal(county, result.CountyUnitId);
        Assert.Contains("属", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_KeepsTheMatchedDistrict_WhenAStreetOfAnotherDistrictAlsoAppears()
    {
        using var host = await OrganisationTestHost.CreateAsync();

        // 梧田街道 belongs to a station of 瓯海区; the address is in 龙湾区, whose bureau keeps it.
        var result = await host.Get<JurisdictionResolver>().ResolveAsync("某某超市", "温州市龙湾区蒲州梧田街道路口");

        Assert.Equal("wz-longwan", result.UnitId);
    }

    [Theory]
    [InlineData("某某旗舰店（瓯越优选）")]
    [InlineData("某某旗舰店 (瓯越优选商城)")]
    public async Task Resolve_GoesToThePlatformsDomicile_GivenInPlatformSellerWithNoReachableAddress(string name)
    {
        using var host = await OrganisationTestHost.CreateAsync();

        var result = await host.Get<JurisdictionResolver>().ResolveAsync(name, "网店，地址不详");

        Assert.True(result.InJurisdiction);
        Assert.Equal(JurisdictionRule.Platform, result.Rule);
        Assert.Equal("wz-longwan", result.UnitId);
        Assert.Equal("瓯越优选", result.Platform);
        Assert.Contains("平台住所地", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_UsesTheSellersOwnAddress_GivenPlatformSellerWithAnAddressInADistrict()
    {
        using var host = await OrganisationTestHost.CreateAsync();

        var result = await host.Get<JurisdictionResolver>().ResolveAsync("某某旗舰店（瓯越优选）", "温州市瓯海区梧田街道锦绣路1号");

        Assert.Equal(JurisdictionRule.Address, result.Rule);
        Assert.Equal("wz-ouhai-wutian", result.UnitId);
    }

    [Fact]
    public async Task Resolve_SaysNotInJurisdictionAndWhereToGo_GivenAddressOutsideEveryUnit()
    {
        using var host = await OrganisationTestHost.CreateAsync(new Dictionary<string, string?>
        {
            ["Workflows:Domain:Organisation:Referrals:0:Region"] = "杭州市西湖区",
            ["Workflows:Domain:Organisation:Referrals:0:Text"] = "请向杭州市西湖区市场监督管理局投诉。",
        });
        var resolver = host.Get<JurisdictionResolver>();

        var referred = await resolver.ResolveAsync("某某旗舰店（瓯越优选）", "浙江省杭州市西湖区文三路1号");
        var unknown = await resolver.ResolveAsync("某某公司", "江苏省南京市玄武区中山路1号");

        Assert.False(referred.InJurisdiction);
        Assert.Equal(JurisdictionRule.None, referred.Rule);
        Assert.Null(referred.UnitId);
        Assert.StartsWith("不属于本中心管辖", referred.Reason, StringComparison.Ordinal);
        Assert.Equal("请向杭州市西湖区市场监督管理局投诉。", referred.Referral);
        Assert.False(unknown.InJurisdiction);
        Assert.Contains("县级市场监督管理部门", unknown.Referral, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_LeavesItToTheIntakeCentre_GivenOnlyTheCity()
    {
        using var host = await OrganisationTestHost.CreateAsync();

        var result = await host.Get<JurisdictionResolver>().ResolveAsync("某某公司", "温州市");

        Assert.True(result.InJurisdiction);
        Assert.Equal(JurisdictionRule.CityOnly, result.Rule);
        Assert.Equal(DemoOrganisation.IntakeCentreId, result.UnitId);
        Assert.True(result.Confidence < 0.5);
    }
}
