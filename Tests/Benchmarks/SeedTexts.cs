using System.Globalization;

namespace ComplaintWorkflows.Benchmarks;

/// <summary>
/// Realistic complaint content for the seeded database: the facts and problem types of the classifier's labelled
/// complaints (<c>Tests/Activities.Tests/Classification/Data/complaints-labeled.tsv</c>), with their dates moved to
/// the receipt day, consumers with Chinese names and mobile numbers, and respondents from a few thousand generated
/// Wenzhou businesses. Deterministic for a seed.
/// </summary>
internal sealed class SeedTexts
{
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "郑", "金", "叶", "潘", "蔡"];
    private static readonly string[] Given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "建华", "海燕", "志强", "晓东", "雪梅", "国平", "丽华", "文斌"];
    private static readonly string[] Districts = ["鹿城区", "瓯海区", "龙湾区", "洞头区", "乐清市", "瑞安市", "永嘉县", "平阳县", "苍南县", "文成县", "泰顺县", "龙港市"];
    private static readonly string[] Brands = ["宏达", "新世纪", "好运来", "美丽人生", "健身达人", "开心", "瓯越", "金鹿", "华联", "百佳", "永盛", "东方", "锦绣", "万家", "福泰", "鑫源", "嘉禾", "天成", "明珠", "星辰", "恒信", "佳美", "盛世", "和美", "大润", "蓝天", "绿源", "安居", "乐购", "优品"];
    private static readonly string[] Kinds = ["数码店", "超市", "美容美发店", "汽车销售服务有限公司", "健身房", "教育培训中心", "装饰工程有限公司", "家电商场", "餐饮店", "电子商务有限公司", "通信营业厅", "房地产经纪有限公司", "旅行社", "眼镜店", "母婴用品店", "物业服务有限公司", "珠宝店", "家具城", "药店", "快递服务点"];
    private static readonly string[] Streets = ["车站大道", "人民路", "解放街", "学院路", "府东路", "温州大道", "锦绣路", "新城大道", "瓯江路", "飞霞路"];
    private static readonly string[] Requests = ["要求退款", "要求退货并退款", "要求赔偿损失", "要求更换商品", "要求履行合同约定", "要求退还预付卡余额", "要求维修并赔偿", "要求赔礼道歉", "要求依法查处", "要求三倍赔偿"];
    private static readonly string[] Industries = ["零售", "餐饮", "汽车", "美容美发", "教育培训", "通信", "房地产", "旅游", "网络购物", "家装", "健身", "医疗器械"];

    private readonly (string Text, string Label)[] _labelled;

    public SeedTexts(string labelledFile)
    {
        _labelled = [.. File.ReadLines(labelledFile).Skip(1).Select(l => l.Split('\t')).Where(p => p.Length == 2 && p[0].Length > 0).Select(p => (p[0], p[1]))];
        if (_labelled.Length == 0)
        {
            throw new InvalidOperationException($"{labelledFile}: no labelled complaints (expected 'text<TAB>label' lines after a header).");
        }
    }

    public static string Name(Random random) => Surnames[random.Next(Surnames.Length)] + Given[random.Next(Given.Length)] + (random.Next(3) == 0 ? Given[random.Next(Given.Length)] : "");

    /// <summary>A mobile number; about one consumer in twenty complains again (a number of a small pool), a few very often.</summary>
    public static string Phone(Random random)
        => random.Next(20) == 0
            ? string.Create(CultureInfo.InvariantCulture, $"1390577{random.Next(2000):D4}")
            : string.Create(CultureInfo.InvariantCulture, $"1{"3578"[random.Next(4)]}{random.Next(1_000_000_000):D9}");

    /// <summary>One of about 86,000 businesses (district, brand, kind), the popular ones more often.</summary>
    public static (string Name, string Address) Respondent(Random random)
    {
        var popular = random.Next(4) == 0;
        var district = Districts[popular ? random.Next(3) : random.Next(Districts.Length)];
        var brand = Brands[popular ? random.Next(6) : random.Next(Brands.Length)];
        var kind = Kinds[random.Next(Kinds.Length)];
        var branch = popular ? "" : Given[random.Next(Given.Length)];
        var address = string.Create(CultureInfo.InvariantCulture, $"浙江省温州市{district}{Streets[random.Next(Streets.Length)]}{random.Next(1, 400)}号");
        return ($"{district}{brand}{branch}{kind}", address);
    }

    public (string Facts, string Request, string ProblemType, string Industry) Story(Random random, DateTimeOffset receivedAt, string respondent)
    {
        var (text, label) = _labelled[random.Next(_labelled.Length)];
        var day = receivedAt.AddDays(-random.Next(1, 30));
        var facts = System.Text.RegularExpressions.Regex.Replace(text, @"\d{4}年\d{1,2}月\d{1,2}日", day.ToString("yyyy年M月d日", CultureInfo.InvariantCulture));
        facts = $"本人在{respondent}消费。{facts}";
        return (facts, Requests[random.Next(Requests.Length)], label, Industries[random.Next(Industries.Length)]);
    }
}
