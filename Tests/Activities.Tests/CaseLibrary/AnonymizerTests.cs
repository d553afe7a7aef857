using ComplaintWorkflows.Activities.CaseLibrary;

namespace ComplaintWorkflows.Activities.Tests.CaseLibrary;

public sealed class AnonymizerTests
{
    [Theory]
    [InlineData("请联系我，电话13812345678。")]
    [InlineData("请联系我，电话138 1234 5678。")]
    [InlineData("请联系我，电话138-1234-5678。")]
    [InlineData("请联系我，电话+86 138 1234 5678。")]
    [InlineData("请联系我，电话+8613812345678。")]
    [InlineData("请联系我，电话0086-138-1234-5678。")]
    [InlineData("请联系我，电话(0577)88886666。")]
    [InlineData("请联系我，电话0577-88886666。")]
    public void Mask_RemovesPhoneNumbers_InTheirUsualSpellings(string text)
    {
        var masked = Anonymizer.Mask(text);
        Assert.DoesNotContain("1234", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("8888", masked, StringComparison.Ordinal);
        Assert.StartsWith("请联系我，电话", masked, StringComparison.Ordinal);
        Assert.Contains("*", masked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("联系方式abc13812345678。", "联系方式abc***********。")]
    [InlineData("联系方式13812345678abc。", "联系方式***********abc。")]
    [InlineData("微信号wx13812345678，电话Tel13812345678", "微信号wx***********，电话Tel***********")]
    [InlineData("请打+8613812345678qq", "请打***********qq")]
    public void Mask_RemovesAMobileNumberGluedToLatinLetters(string text, string masked)
        => Assert.Equal(masked, Anonymizer.Mask(text));

    [Theory]
    [InlineData("快递单号SF1381234567890已签收。")]
    [InlineData("快递单号YT13812345678901已签收。")]
    [InlineData("订单号138123456789012，物流单号JD0013812345678A1。")]
    public void Mask_KeepsLongerDigitRunsThatHoldAMobileNumbersShape(string text)
        => Assert.Equal(text, Anonymizer.Mask(text));

    [Fact]
    public void Mask_RemovesIdNumbersBankCardsPlatesAndEmail_ButKeepsAmountsAndDates()
    {
        var masked = Anonymizer.Mask("身份证号33030219900101123X，旧证330302900101123，银行卡6222 0212 3456 7890 123，另一张6217001234567890，车牌浙C·D12345和浙C12345，邮箱wangxm@example.com。2026年11月20日付款2999元，订单金额12,800元。");
        foreach (var personal in new[] { "33030219900101123X", "330302900101123", "6222", "6217001234567890", "D12345", "C12345", "wangxm", "example.com" })
        {
            Assert.DoesNotContain(personal, masked, StringComparison.Ordinal);
        }

        Assert.Contains("2026年11月20日付款2999元", masked, StringComparison.Ordinal);
        Assert.Contains("12,800元", masked, StringComparison.Ordinal);
        Assert.Contains("浙C·*****", masked, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("我住在浙江省温州市鹿城区五马街道解放街12号3幢501室，", "浙江省温州市鹿城区", "解放街")]
    [InlineData("送货地址：温州市瓯海区娄桥街道古莲路88号", "温州市瓯海区", "古莲路")]
    [InlineData("杭州市西湖区文三路478号华星时代广场A座1203室", "杭州市西湖区", "1203")]
    [InlineData("温州市龙湾区永中街道阳光小区3幢2单元501室", "温州市龙湾区", "阳光小区")]
    [InlineData("上海市浦东新区张江镇科苑路88弄12号602室", "上海市浦东新区", "科苑路")]
    public void Mask_KeepsTheRegion_AndRemovesTheStreetNumberBuildingAndRoom(string text, string region, string detail)
    {
        var masked = Anonymizer.Mask(text);
        Assert.Contains(region, masked, StringComparison.Ordinal);
        Assert.DoesNotContain(detail, masked, StringComparison.Ordinal);
        Assert.DoesNotContain("室", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void Mask_RemovesNames_GivenTitledAndAfterACue_AndKeepsTheRespondent()
    {
        var text = "我叫王小明，2026年11月在鹿城区小王数码店买手机。店员李建国称只能维修，张先生（店长）和李女士都拒绝退货，我丈夫刘建华去理论也没用。消费者赵敏于次日再次投诉。";
        var masked = Anonymizer.Mask(text, knownNames: ["王小明"], keep: ["鹿城区小王数码店"]);
        foreach (var name in new[] { "王小明", "李建国", "张先生", "李女士", "刘建华", "赵敏" })
        {
            Assert.DoesNotContain(name, masked, StringComparison.Ordinal);
        }

        Assert.Contains("鹿城区小王数码店", masked, StringComparison.Ordinal);
        Assert.Contains("某先生", masked, StringComparison.Ordinal);
        Assert.Contains("某女士", masked, StringComparison.Ordinal);
        Assert.Contains("店员某某称只能维修", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void Mask_OfARealisticComplaint_LeavesNothingPersonal()
    {
        var text = "投诉人：陈丽华，手机 159-5770-8899，身份证 330304198512120027。本人于2026年10月在温州市瓯海区乐活健身会所办理年卡（预付卡）3000元，地址温州市瓯海区娄桥街道古莲路100号。"
            + "10月28日会所突然关门，负责人孙强失联。我的住址：温州市鹿城区南汇街道锦江路9弄6号1201室。退款请打到农业银行卡 6228 4804 0256 1234 567。";
        var masked = Anonymizer.Mask(text, ["陈丽华"], ["温州市瓯海区乐活健身会所"]);
        foreach (var personal in new[] { "陈丽华", "159", "8899", "330304198512120027", "孙强", "锦江路", "1201室", "6228", "567。" })
        {
            Assert.DoesNotContain(personal, masked, StringComparison.Ordinal);
        }

        Assert.Contains("温州市瓯海区乐活健身会所", masked, StringComparison.Ordinal);
        Assert.Contains("3000元", masked, StringComparison.Ordinal);
        Assert.Contains("10月28日会所突然关门", masked, StringComparison.Ordinal);
    }

    [Fact]
    public void Mask_OfNothing_IsEmpty() => Assert.Equal("", Anonymizer.Mask(null));
}
