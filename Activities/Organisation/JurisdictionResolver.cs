using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Organisation;

/// <summary>Which rule decided the jurisdiction.</summary>
public enum JurisdictionRule
{
    /// <summary>The respondent's address lies in a unit's regions (where it operates or is domiciled).</summary>
    Address,

    /// <summary>The platform's domicile: the platform itself, or an in-platform seller with no reachable address.</summary>
    Platform,

    /// <summary>The address names only the city: the intake centre must choose the county-level unit.</summary>
    CityOnly,

    /// <summary>No unit covers the respondent (不属于本中心管辖).</summary>
    None,
}

/// <summary>
/// The unit with jurisdiction over a respondent: the county bureau, or the supervision station under it
/// whose region matched more precisely. <see cref="CountyUnitId"/> is the county-level bureau either way.
/// </summary>
public sealed record JurisdictionResult(
    bool InJurisdiction,
    JurisdictionRule Rule,
    string? UnitId,
    string? UnitName,
    string? CountyUnitId,
    string? CountyUnitName,
    string? MatchedRegion,
    string? Platform,
    string Reason,
    string? Referral,
    double Confidence);

/// <summary>
/// Finds the unit with jurisdiction from the respondent's address (and name, for platform sellers such as
/// "某某旗舰店（天猫）"): the longest, most specific region match wins, a station inside the matched county
/// before the county bureau; in-platform sellers with no reachable address go to the platform's domicile.
/// When nothing matches the result says so and where the complainant can go.
/// </summary>
public sealed class JurisdictionResolver(IDbContextFactory<DomainDbContext> contexts, IOptions<OrganisationOptions> options, OrganisationCache? cache = null)
{
    private readonly OrganisationOptions _options = options.Value;

    public async Task<JurisdictionResult> ResolveAsync(string? respondentName, string? respondentAddress, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var organisation = await OrganisationSnapshot.LoadAsync(db, cache, cancellationToken).ConfigureAwait(false);
        return Resolve(organisation, respondentName, respondentAddress);
    }

    internal JurisdictionResult Resolve(OrganisationSnapshot organisation, string? respondentName, string? respondentAddress)
    {
        var name = Normalize(respondentName);
        var address = Normalize(respondentAddress);

        // The platform itself is handled where its operator is domiciled.
        var platform = FindPlatform(organisation, name);
        if (platform is not null && platform.Value.IsThePlatform && organisation.Unit(platform.Value.Operator.DomicileUnitId) is { Active: true } domicile)
        {
            return ForUnit(organisation, domicile, JurisdictionRule.Platform, null, platform.Value.Name, 0.9,
                $"被投诉方为平台经营者（{platform.Value.Name}），由其住所地{domicile.Name}管辖");
        }

        if (MatchAddress(organisation, address) is { } match)
        {
            var reason = $"被投诉方地址位于“{match.Region}”，属{match.Unit.Name}管辖" + (match.Ambiguous ? "（地址同时匹配多个单位，请核对）" : "");
            return ForUnit(organisation, match.Unit, JurisdictionRule.Address, match.Region, platform?.Name, match.Ambiguous ? 0.6 : 0.95, reason);
        }

        if (platform is not null && !IsReachable(address) && organisation.Unit(platform.Value.Operator.DomicileUnitId) is { Active: true } platformUnit)
        {
            return ForUnit(organisation, platformUnit, JurisdictionRule.Platform, null, platform.Value.Name, 0.85,
                $"平台内经营者（{platform.Value.Name}）无有效经营地址，由平台住所地{platformUnit.Name}管辖");
        }

        var centre = organisation.IntakeCentre(_options.IntakeCentreUnitId);
        if (centre is not null && LongestRegion(centre, address) is { } city)
        {
            return new JurisdictionResult(true, JurisdictionRule.CityOnly, centre.Id, centre.Name, null, null, city, platform?.Name,
                $"被投诉方地址只能确定到“{city}”，无法确定区县，请受理员人工确定承办单位", null, 0.4);
        }

        var referral = _options.Referrals.FirstOrDefault(r => r.Region.Length > 0 && address.Contains(r.Region, StringComparison.Ordinal))?.Text
            ?? _options.DefaultReferral;
        var why = address.Length == 0 ? "未提供被投诉方地址" : "被投诉方地址不在本中心所属各单位辖区内";
        return new JurisdictionResult(false, JurisdictionRule.None, null, null, null, null, null, platform?.Name,
            $"不属于本中心管辖（{why}）。{referral}", referral, address.Length == 0 ? 0.3 : 0.8);
    }

    private static JurisdictionResult ForUnit(OrganisationSnapshot organisation, Unit unit, JurisdictionRule rule, string? region, string? platform, double confidence, string reason)
    {
        var county = organisation.County(unit);
        return new JurisdictionResult(true, rule, unit.Id, unit.Name, county?.Id, county?.Name, region, platform, reason, null, confidence);
    }

    private static (Unit Unit, string Region, bool Ambiguous)? MatchAddress(OrganisationSnapshot organisation, string address)
    {
        if (address.Length == 0)
        {
            return null;
        }

        var bureaus = Best(organisation.Units.Where(u => u is { Active: true, Kind: UnitKind.CountyBureau }), address);
        if (bureaus.Count > 0)
        {
            var bureau = bureaus[0];
            var stations = Best(organisation.Units.Where(u => u is { Active: true, Kind: UnitKind.SupervisionStation } && u.ParentUnitId == bureau.Unit.Id), address);
            return stations.Count > 0
                ? (stations[0].Unit, stations[0].Region, stations.Count > 1)
                : (bureau.Unit, bureau.Region, bureaus.Count > 1);
        }

        // No county named: a town or street alone (a station's region) still places the respondent.
        var anyStation = Best(organisation.Units.Where(u => u is { Active: true, Kind: UnitKind.SupervisionStation }), address);
        return anyStation.Count > 0 ? (anyStation[0].Unit, anyStation[0].Region, anyStation.Count > 1) : null;
    }

    /// <summary>The units whose region matches best (longest region, then earliest in the address); more than one when tied.</summary>
    private static List<(Unit Unit, string Region)> Best(IEnumerable<Unit> units, string address)
    {
        var matches = units
            .Select(u => (Unit: u, Region: LongestRegion(u, address)))
            .Where(m => m.Region is not null)
            .Select(m => (m.Unit, Region: m.Region!, Index: address.IndexOf(m.Region!, StringComparison.Ordinal)))
            .OrderByDescending(m => m.Region.Length).ThenBy(m => m.Index).ThenBy(m => m.Unit.Id, StringComparer.Ordinal)
            .ToList();
        if (matches.Count == 0)
        {
            return [];
        }

        var best = matches[0];
        return [.. matches.Where(m => m.Region.Length == best.Region.Length && m.Index == best.Index).Select(m => (m.Unit, m.Region))];
    }

    private static string? LongestRegion(Unit unit, string address)
        => unit.Regions.Where(r => r.Length > 0 && address.Contains(Normalize(r), StringComparison.Ordinal))
            .OrderByDescending(r => r.Length).FirstOrDefault();

    private static (PlatformOperator Operator, string Name, bool IsThePlatform)? FindPlatform(OrganisationSnapshot organisation, string name)
    {
        if (name.Length == 0)
        {
            return null;
        }

        var found = organisation.Platforms
            .SelectMany(p => p.Names.Where(n => n.Length > 0).Select(n => (Operator: p, Name: Normalize(n))))
            .Where(p => name.Contains(p.Name, StringComparison.Ordinal))
            .OrderByDescending(p => p.Name.Length)
            .FirstOrDefault();
        if (found.Operator is null)
        {
            return null;
        }

        var isThePlatform = organisation.Platforms.Any(p => p == found.Operator && p.Names.Any(n => Normalize(n) == name));
        return (found.Operator, found.Operator.PlatformName, isThePlatform);
    }

    private bool IsReachable(string address)
        => address.Length > 0 && _options.EffectiveAddressMarkers.Any(m => address.Contains(m, StringComparison.Ordinal));

    /// <summary>Removes white space and unifies brackets, so "某某旗舰店 (天猫)" and "某某旗舰店（天猫）" compare alike.</summary>
    internal static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        return string.Concat(text.Where(c => !char.IsWhiteSpace(c))).Replace('(', '（').Replace(')', '）');
    }
}
