using ComplaintWorkflows.Activities.Messaging;
using ComplaintWorkflows.Activities.Messaging.Sms;

namespace ComplaintWorkflows.Activities.Tests.Messaging;

public sealed class SurveyReplyTests
{
    [Theory]
    [InlineData("1", 1, null)]
    [InlineData("１", 1, null)]
    [InlineData(" 5 ", 5, null)]
    [InlineData("５", 5, null)]
    [InlineData("满意", 4, null)]
    [InlineData("非常满意", 5, null)]
    [InlineData("非常满意！谢谢", 5, "谢谢")]
    [InlineData("我很满意", 5, null)]
    [InlineData("2 态度不好", 2, "态度不好")]
    [InlineData("２，等待太久", 2, "等待太久")]
    [InlineData("4", 4, null)]
    [InlineData("3一般吧", 3, "一般吧")]
    [InlineData("一般", 3, null)]
    [InlineData("不满意，没退款", 2, "没退款")]
    [InlineData("不满意", 2, null)]
    [InlineData("非常不满意", 1, null)]
    [InlineData("很不满意。商家没道歉", 1, "商家没道歉")]
    [InlineData("5分", 5, null)]
    [InlineData("５分", 5, null)]
    [InlineData("4 分 还可以更快", 4, "还可以更快")]
    [InlineData("五分", 5, null)]
    [InlineData("打2分，处理太慢", 2, "处理太慢")]
    [InlineData("1分", 1, null)]
    public void Read_GivesTheScoreAndComment(string text, int score, string? comment)
    {
        var reading = SurveyReply.Read(text);

        Assert.NotNull(reading);
        Assert.Equal(score, reading.Score);
        Assert.Equal(comment, reading.Comment);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("6")]
    [InlineData("12315")]
    [InlineData("你好，请问我的投诉怎么样了")]
    [InlineData("不是很满意")]
    [InlineData("TD")]
    [InlineData("6分")]
    public void Read_IsNull_ForTextThatIsNoAnswer(string text)
        => Assert.Null(SurveyReply.Read(text));

    [Fact]
    public void Read_CutsALongComment()
    {
        var reading = SurveyReply.Read("3 " + new string('慢', 3000), maxCommentLength: 100);

        Assert.Equal(3, reading!.Score);
        Assert.Equal(100, reading.Comment!.Length);
    }

    [Fact]
    public void TheSurveyInvitationsScale_IsTheReadersScale()
    {
        // The notification service's survey SMS: "请回复数字评价：5非常满意 4满意 3一般 2不满意 1非常不满意".
        var text = DefaultNotificationTemplates.All.Single(t => t.Key == DefaultNotificationTemplates.SurveyInvitation).SmsText;

        foreach (var (digit, word) in new[] { (5, "非常满意"), (4, "满意"), (3, "一般"), (2, "不满意"), (1, "非常不满意") })
        {
            Assert.Contains($"{digit}{word}", text, StringComparison.Ordinal);
            Assert.Equal(digit, SurveyReply.Read(digit.ToString(System.Globalization.CultureInfo.InvariantCulture))!.Score);
            Assert.Equal(digit, SurveyReply.Read(word)!.Score);
        }
    }
}
