using System.Text.RegularExpressions;

namespace ComplaintWorkflows.Activities.CaseLibrary;

/// <summary>
/// Masks personal data in complaint texts before they are published: the names given (the consumer's, staff's),
/// names after a cue (我叫、消费者、店员、丈夫 ...), surname + title (张先生 → 某先生), mobile and landline numbers
/// (with spaces, dashes, +86), 18- and 15-digit ID numbers, bank card numbers, car plates, e-mail addresses and
/// the detailed part of addresses (street, number, building, room; the province, city and district stay).
/// The names it must keep (the respondent) are left as they are.
/// </summary>
public static partial class Anonymizer
{
    /// <summary>The masked text.</summary>
    /// <param name="text">The text to publish.</param>
    /// <param name="knownNames">Names to mask wherever they appear (the consumer, staff, people in the record).</param>
    /// <param name="keep">Names to keep (the respondent), even where a rule would mask part of them.</param>
    public static string Mask(string? text, IEnumerable<string>? knownNames = null, IEnumerable<string>? keep = null)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        // Kept names are swapped for placeholders so no rule touches them, and put back at the end.
        var kept = (keep ?? []).Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k.Trim()).Distinct(StringComparer.Ordinal).OrderByDescending(k => k.Length).ToList();
        var s = text;
        for (var i = 0; i < kept.Count; i++)
        {
            s = s.Replace(kept[i], Placeholder(i), StringComparison.Ordinal);
        }

        s = PersonalDataPatterns.Email().Replace(s, "***@***");
        s = PersonalDataPatterns.IdNumber().Replace(s, "******************");
        s = BankCard().Replace(s, "****************");
        s = PersonalDataPatterns.Mobile().Replace(s, "***********");
        s = Landline().Replace(s, "****-*******");
        s = Plate().Replace(s, m => m.Value[..2] + "·*****");
        s = Address().Replace(s, "****");
        foreach (var name in (knownNames ?? []).Where(n => n is { Length: >= 2 }).Select(n => n.Trim()).Distinct(StringComparer.Ordinal).OrderByDescending(n => n.Length))
        {
            s = s.Replace(name, "某" + new string('某', Math.Max(0, Math.Min(name.Length, 3) - 1)), StringComparison.Ordinal);
        }

        s = Titled().Replace(s, m => "某" + m.Groups["title"].Value);
        s = CuedName().Replace(s, m => m.Groups["cue"].Value + m.Groups["is"].Value + "某某");
        for (var i = 0; i < kept.Count; i++)
        {
            s = s.Replace(Placeholder(i), kept[i], StringComparison.Ordinal);
        }

        return s;
    }

    private static string Placeholder(int i) => "\uE000" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\uE001";

    // The common surnames (百家姓, the most frequent first); two-character ones too.
    private const string Surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝";

    [GeneratedRegex(@"(?<![\d\-])(?:\d{4}[ \-]){3,4}\d{1,4}(?![\d\-])|(?<!\d)(?:62|4\d|5[1-5])\d{14,17}(?!\d)")]
    private static partial Regex BankCard();

    [GeneratedRegex(@"(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3})[ \-]?[2-9]\d{6,7}(?!\d)")]
    private static partial Regex Landline();

    [GeneratedRegex(@"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·\s]?[A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警]?(?![A-Za-z0-9])")]
    private static partial Regex Plate();

    // The detailed part of an address: a street, lane, village or estate, then numbers with 号/栋/幢/单元/室 ...
    // The classes exclude 省/市/区/县 so the region before it stays.
    [GeneratedRegex(@"(?:[\u4e00-\u9fa5-[省市区县的在住于到和与及、]]{1,8}(?:街道|镇|乡))?[\u4e00-\u9fa5A-Za-z0-9-[省市区县的在住于到和与及、]]{1,12}?(?:大道|路|街|巷|弄|里|村|组|小区|花园|公寓|大厦|广场|苑|园|城|社区|新村)[\u4e00-\u9fa5A-Za-z0-9\-#-[省市区县，。、]]{0,12}?\d+(?:[\-—]\d+)*(?:号楼|号|弄|栋|幢|座|单元|室|楼|层|户)(?:[\dA-Za-z\-#]+(?:号|栋|幢|座|单元|室|楼|层|户))*(?:[\dA-Za-z]{1,6}(?:室|户))?")]
    private static partial Regex Address();

    [GeneratedRegex(@"[" + Surnames + @"](?<title>先生|女士|小姐|师傅|老师|阿姨|大爷|大妈|经理|老板|同学|医生|律师)")]
    private static partial Regex Titled();

    [GeneratedRegex(@"(?<cue>我叫|名叫|叫做|姓名[:：]?|投诉人[:：]?|消费者|联系人[:：]?|本人|申请人|我丈夫|我妻子|我老公|我老婆|我爱人|我儿子|我女儿|我母亲|我父亲|我妈妈|我爸爸|我朋友|我同事|店员|店长|员工|客服|业务员|销售员|销售|经理|老板|法人|负责人|工作人员|代表)(?<is>是|为)?[" + Surnames + @"](?:[\u4e00-\u9fa5]{1,2}?(?=[，。,.；;：:、\s）)（(和与及的在于向说称表示要求了已也都把被对给等去来到不拒让承答回打电失就才又还却曾将会没未]|$)|[\u4e00-\u9fa5]{2})")]
    private static partial Regex CuedName();
}
