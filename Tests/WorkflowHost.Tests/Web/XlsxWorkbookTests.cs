using ComplaintWorkflows.WorkflowHost.Dashboard;

namespace ComplaintWorkflows.WorkflowHost.Tests.Web;

public sealed class XlsxWorkbookTests
{
    [Fact]
    public void Text_KeepsEmojiAndChinese_DropsControlCharacters_AndFormulasStayText()
    {
        var book = new XlsxWorkbook();
        var rows = book.AddSheet("投诉/列表:[1]", "文本 Text", "数 Number", "率 Rate", "时间 Time");
        rows.Add(["好评👍\u0007结束", 3, XlsxCell.Rate(0.975), XlsxCell.Time(new DateTime(2026, 12, 1, 8, 30, 0))]);
        rows.Add(["=1+1", null, XlsxCell.Rate(null), XlsxCell.Time(null)]);

        var sheets = Xlsx.Read(book.ToArray());

        var sheet = Assert.Single(sheets);
        Assert.Equal("投诉列表1", sheet.Key);
        Assert.Equal("好评👍结束", sheet.Value[1][0]);
        Assert.Equal("3", sheet.Value[1][1]);
        Assert.Equal("0.975", sheet.Value[1][2]);
        Assert.Equal(new DateTime(2026, 12, 1, 8, 30, 0), DateTime.FromOADate(double.Parse(sheet.Value[1][3]!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("=1+1", sheet.Value[2][0]);
        Assert.Single(sheet.Value[2]);
    }

    [Theory]
    [InlineData(0, "A")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    [InlineData(701, "ZZ")]
    [InlineData(702, "AAA")]
    public void ColumnName_CountsLikeExcel(int index, string expected) => Assert.Equal(expected, XlsxWorkbook.ColumnName(index));
}
