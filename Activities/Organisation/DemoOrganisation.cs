using ComplaintWorkflows.Activities.Calendar;
using ComplaintWorkflows.Activities.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ComplaintWorkflows.Activities.Organisation;

/// <summary>
/// A demo user the host creates a sign-in user for (same user name as the staff record), with what its claims
/// need: unit, unit kind, the units whose complaints it sees and its task groups.
/// </summary>
public sealed record DemoUser(
    string UserName,
    string DisplayName,
    IReadOnlyList<string> Roles,
    string UnitId,
    UnitKind UnitKind,
    IReadOnlyList<string> UnitScope,
    IReadOnlyList<string> Groups);

/// <summary>
/// A demo organisation: 温州市12315投诉举报中心 with three district bureaus (鹿城区, 瓯海区, 龙湾区), their
/// supervision stations and streets, departments, A/B desk officers, handlers with skills, reviewers, a leader
/// per unit, an administrator, a weekend and holiday duty roster and one platform operator. The place names are
/// real districts and streets; the people and the platform are invented.
/// </summary>
public static class DemoOrganisation
{
    public const string IntakeCentreId = "wz-12315";

    public static IReadOnlyList<Unit> Units { get; } =
    [
        new() { Id = IntakeCentreId, Name = "温州市12315投诉举报中心", Kind = UnitKind.IntakeCentre, Regions = ["温州市"], Contact = "温州市鹿城区（演示数据）" },
        Bureau("wz-lucheng", "鹿城区市场监督管理局", ["鹿城区"]),
        Station("wz-lucheng-wuma", "五马市场监督管理所", "wz-lucheng", ["五马街道", "南汇街道", "松台街道", "滨江街道"]),
        Station("wz-lucheng-shuangyu", "双屿市场监督管理所", "wz-lucheng", ["双屿街道", "仰义街道", "藤桥镇", "山福镇"]),
        Bureau("wz-ouhai", "瓯海区市场监督管理局", ["瓯海区"]),
        Station("wz-ouhai-loujiao", "娄桥市场监督管理所", "wz-ouhai", ["娄桥街道", "潘桥街道", "郭溪街道", "瞿溪街道"]),
        Station("wz-ouhai-wutian", "梧田市场监督管理所", "wz-ouhai", ["梧田街道", "南白象街道", "茶山街道", "丽岙街道"]),
        Bureau("wz-longwan", "龙湾区市场监督管理局", ["龙湾区"]),
        Station("wz-longwan-yongzhong", "永中市场监督管理所", "wz-longwan", ["永中街道", "海滨街道", "永兴街道", "海城街道"]),
    ];

    public static IReadOnlyList<Department> Departments { get; } = [.. new[] { "wz-lucheng", "wz-ouhai", "wz-longwan" }.SelectMany(BureauDepartments)];

    public static IReadOnlyList<PlatformOperator> Platforms { get; } =
    [
        new() { Id = "ouyue", PlatformName = "瓯越优选", Aliases = ["瓯越优选商城", "瓯越APP"], OperatorName = "温州瓯越网络科技有限公司（演示）", DomicileUnitId = "wz-longwan" },
    ];

    public static IReadOnlyList<StaffMember> Staff { get; } = BuildStaff();

    /// <summary>The demo users, for the host to create sign-in users (roles and candidate groups included).</summary>
    public static IReadOnlyList<DemoUser> Users { get; } = [.. Staff.Select(s =>
    {
        var profile = StaffProfile.Of(s, Units, Departments);
        return new DemoUser(s.UserName, s.DisplayName, profile.Roles, s.UnitId, profile.UnitKind, profile.UnitScope, profile.Groups);
    })];

    /// <summary>
    /// Seeds the demo organisation with the host's services (domain contexts, working calendar, clock and
    /// <see cref="OrganisationOptions"/>: time zone and <see cref="OrganisationOptions.DemoDutyRosterDays"/>).
    /// </summary>
    public static Task SeedAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<IOptions<OrganisationOptions>>().Value;
        return SeedAsync(
            services.GetRequiredService<IDbContextFactory<DomainDbContext>>(),
            services.GetRequiredService<IWorkingCalendar>(),
            services.GetRequiredService<TimeProvider>(),
            options.FindTimeZone(),
            options.DemoDutyRosterDays,
            cancellationToken);
    }

    /// <summary>
    /// Adds what is missing of the demo organisation (running it again changes nothing, and extends the duty
    /// roster to <paramref name="rosterDays"/> days from today): weekends and holidays per <paramref name="calendar"/>.
    /// </summary>
    public static async Task SeedAsync(
        IDbContextFactory<DomainDbContext> contexts,
        IWorkingCalendar calendar,
        TimeProvider time,
        TimeZoneInfo timeZone,
        int rosterDays = 60,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(timeZone);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await AddMissingAsync(db, Units, u => u.Id, cancellationToken).ConfigureAwait(false);
        await AddMissingAsync(db, Departments, d => d.Id, cancellationToken).ConfigureAwait(false);
        await AddMissingAsync(db, Staff, s => s.UserName, cancellationToken).ConfigureAwait(false);
        await AddMissingAsync(db, Platforms, p => p.Id, cancellationToken).ConfigureAwait(false);

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), timeZone).DateTime);
        var last = today.AddDays(rosterDays - 1);
        var existing = (await db.Set<DutyShift>().AsNoTracking().Where(d => d.Date >= today && d.Date <= last)
                .Select(d => new { d.UnitId, d.Date }).ToListAsync(cancellationToken).ConfigureAwait(false))
            .Select(d => (d.UnitId, d.Date)).ToHashSet();
        for (var day = today; day <= last; day = day.AddDays(1))
        {
            if (calendar.IsWorkingDay(day))
            {
                continue;
            }

            foreach (var unit in Units)
            {
                var desk = Staff.Where(s => s.UnitId == unit.Id && s.HasRole(StaffRoles.DeskOfficer)).OrderBy(s => s.UserName, StringComparer.Ordinal).ToList();
                if (desk.Count > 0 && !existing.Contains((unit.Id, day)))
                {
                    db.Add(new DutyShift { UnitId = unit.Id, Date = day, UserName = desk[day.DayNumber % desk.Count].UserName });
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task AddMissingAsync<T>(DomainDbContext db, IEnumerable<T> items, Func<T, string> key, CancellationToken cancellationToken)
        where T : class
    {
        foreach (var item in items)
        {
            if (await db.Set<T>().FindAsync([key(item)], cancellationToken).ConfigureAwait(false) is null)
            {
                db.Add(Copy(item));
            }
        }
    }

    /// <summary>A fresh copy, so the shared demo definitions are never tracked or changed by a context.</summary>
    private static T Copy<T>(T item)
        where T : class => item switch
        {
            Unit u => (T)(object)new Unit { Id = u.Id, Name = u.Name, Kind = u.Kind, ParentUnitId = u.ParentUnitId, Regions = [.. u.Regions], Contact = u.Contact, Active = u.Active },
            Department d => (T)(object)new Department
            {
                Id = d.Id, UnitId = d.UnitId, Name = d.Name, ProblemTypes = [.. d.ProblemTypes], Industries = [.. d.Industries],
                GoodsOrServices = [.. d.GoodsOrServices], Keywords = [.. d.Keywords], IsJointEnforcementGroup = d.IsJointEnforcementGroup, IsLegalSection = d.IsLegalSection,
            },
            StaffMember s => (T)(object)new StaffMember
            {
                UserName = s.UserName, DisplayName = s.DisplayName, UnitId = s.UnitId, DepartmentId = s.DepartmentId, Roles = [.. s.Roles], Skills = [.. s.Skills],
                PartnerUserName = s.PartnerUserName, MaxOpenComplaints = s.MaxOpenComplaints, Active = s.Active,
            },
            PlatformOperator p => (T)(object)new PlatformOperator { Id = p.Id, PlatformName = p.PlatformName, Aliases = [.. p.Aliases], OperatorName = p.OperatorName, DomicileUnitId = p.DomicileUnitId },
            _ => throw new NotSupportedException(typeof(T).Name),
        };

    private static Unit Bureau(string id, string name, List<string> regions)
        => new() { Id = id, Name = name, Kind = UnitKind.CountyBureau, ParentUnitId = IntakeCentreId, Regions = regions, Contact = $"温州市{name}（演示数据）" };

    private static Unit Station(string id, string name, string parent, List<string> regions)
        => new() { Id = id, Name = name, Kind = UnitKind.SupervisionStation, ParentUnitId = parent, Regions = regions };

    private static IEnumerable<Department> BureauDepartments(string unitId) =>
    [
        new()
        {
            Id = unitId + "-xbk", UnitId = unitId, Name = "消费者权益保护科",
            ProblemTypes = ["售后服务", "合同", "质量", "价格", "虚假宣传", "安全", "假冒", "人格尊严", "计量", "其他"],
            GoodsOrServices = ["日用商品", "家用电子电器", "服装鞋帽", "交通工具", "首饰及文体用品", "家居用品", "销售服务", "制作保养修理", "通讯服务", "互联网服务"],
        },
        new()
        {
            Id = unitId + "-lhzf", UnitId = unitId, Name = "联合执法小组", IsJointEnforcementGroup = true,
            Keywords = ["预付卡跑路", "跑路", "卷款", "闭店", "人去楼空", "老板失联", "群体投诉"],
            GoodsOrServices = ["预付卡"],
        },
        new() { Id = unitId + "-fzk", UnitId = unitId, Name = "法制科", IsLegalSection = true },
    ];

    private static List<StaffMember> BuildStaff()
    {
        var staff = new List<StaffMember>
        {
            Person("admin", "系统管理员", IntakeCentreId, null, [StaffRoles.Administrator]),
            Person("zx-desk-a", "林晓燕", IntakeCentreId, null, [StaffRoles.DeskOfficer], partner: "zx-desk-b"),
            Person("zx-desk-b", "陈思远", IntakeCentreId, null, [StaffRoles.DeskOfficer], partner: "zx-desk-a"),
            Person("zx-reviewer", "黄文静", IntakeCentreId, null, [StaffRoles.Reviewer]),
            Person("zx-leader", "周建国", IntakeCentreId, null, [StaffRoles.Leader]),
        };

        (string Unit, string Prefix, string[] Names, string[] Skills1, string[] Skills2)[] bureaus =
        [
            ("wz-lucheng", "lc", ["郑丽君", "吴浩然", "王志强", "李雪梅", "张伟", "刘芳", "潘国华", "叶晓东", "金海涛"], ["汽车", "新能源汽车"], ["食品"]),
            ("wz-ouhai", "oh", ["徐静怡", "孙佳琪", "胡明杰", "朱丽华", "高建平", "何晓峰", "施文博", "戴燕", "蔡立新"], ["食品", "预付卡"], ["电子商务"]),
            ("wz-longwan", "lw", ["谢美玲", "罗俊杰", "梁志远", "宋晓红", "唐伟民", "许嘉怡", "邓建华", "冯敏", "曹振宇"], ["电子商务"], ["食品", "预付卡"]),
        ];
        foreach (var (unit, p, n, skills1, skills2) in bureaus)
        {
            var xbk = unit + "-xbk";
            staff.Add(Person($"{p}-desk-a", n[0], unit, xbk, [StaffRoles.DeskOfficer], partner: $"{p}-desk-b"));
            staff.Add(Person($"{p}-desk-b", n[1], unit, xbk, [StaffRoles.DeskOfficer], partner: $"{p}-desk-a"));
            staff.Add(Person($"{p}-handler-a", n[2], unit, xbk, [StaffRoles.Handler], skills1, $"{p}-handler-b"));
            staff.Add(Person($"{p}-handler-b", n[3], unit, xbk, [StaffRoles.Handler], skills2, $"{p}-handler-a"));
            staff.Add(Person($"{p}-joint-a", n[4], unit, unit + "-lhzf", [StaffRoles.Handler], ["预付卡"], $"{p}-joint-b"));
            staff.Add(Person($"{p}-joint-b", n[5], unit, unit + "-lhzf", [StaffRoles.Handler], ["预付卡"], $"{p}-joint-a"));
            staff.Add(Person($"{p}-reviewer", n[6], unit, xbk, [StaffRoles.Reviewer]));
            staff.Add(Person($"{p}-legal", n[7], unit, unit + "-fzk", [StaffRoles.Reviewer]));
            staff.Add(Person($"{p}-leader", n[8], unit, null, [StaffRoles.Leader]));
        }

        (string Unit, string Prefix, string[] Names)[] stations =
        [
            ("wz-lucheng-wuma", "wm", ["姜雨婷", "范志诚", "汪海燕", "陆建军"]),
            ("wz-lucheng-shuangyu", "sy", ["钱晓丽", "任家豪", "夏文娟", "方国强"]),
            ("wz-ouhai-loujiao", "lq", ["袁梦琪", "杜俊辉", "彭秀英", "蒋德明"]),
            ("wz-ouhai-wutian", "wt", ["卢佳慧", "毛振华", "邹美华", "石永康"]),
            ("wz-longwan-yongzhong", "yz", ["贾晓婷", "薛志豪", "阎丽娜", "傅建新"]),
        ];
        foreach (var (unit, p, n) in stations)
        {
            staff.Add(Person($"{p}-desk-a", n[0], unit, null, [StaffRoles.DeskOfficer, StaffRoles.Handler], partner: $"{p}-desk-b"));
            staff.Add(Person($"{p}-desk-b", n[1], unit, null, [StaffRoles.DeskOfficer, StaffRoles.Handler], partner: $"{p}-desk-a"));
            staff.Add(Person($"{p}-handler", n[2], unit, null, [StaffRoles.Handler], ["食品"], $"{p}-desk-a"));
            staff.Add(Person($"{p}-leader", n[3], unit, null, [StaffRoles.Leader]));
        }

        return staff;
    }

    private static StaffMember Person(string userName, string displayName, string unitId, string? departmentId, List<string> roles, IEnumerable<string>? skills = null, string? partner = null)
        => new()
        {
            UserName = userName, DisplayName = displayName, UnitId = unitId, DepartmentId = departmentId, Roles = roles, Skills = skills is null ? [] : [.. skills],
            PartnerUserName = partner, Email = userName + "@demo.12315.example",
        };
}
