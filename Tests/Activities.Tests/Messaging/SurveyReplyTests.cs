using ComplaintWorkflows.Activities.Messaging.Sms;

namespace ComplaintWorkflows.Activities.Tests.Messaging;

public sealed class SurveyReplyTests
{
    [Theory]
    [InlineData("1", 5, null)]
    [InlineData("１", 5, null)]
    [InlineData(" 1 ", 5, null)]
    [InlineData("满意", 5, null)]
    [InlineData("非常满意", 5, null)]
    [InlineData("非常满意！谢谢", 5, "谢谢")]
    [InlineData("我很满意", 5, null)]
    [InlineData("2", 3, null)]
    [InlineData("2 态度不好", 3, "态度不好")]
    [InlineData("２，等待太久", 3, "等待太久")]
    [InlineData("基本满意", 3, null)]
    [InlineData("3", 1, null)]
    [InlineData("不满意，没退款", 1, "没退款")]
    [InlineData("不满意", 1, null)]
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
    [InlineData("4")]
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

        Assert.Equal(1, reading!.Score);
        Assert.Equal(100, reading.Comment!.Length);
    }

    [Fact]
    public void InvitationText_OffersTheChoicesTheReaderScores()
    {
        Assert.Contains("满意回复1", SurveyReply.InvitationText, StringComparison.Ordinal);
        Assert.Contains("基本满意回复2", SurveyReply.InvitationText, StringComparison.Ordinal);
        Assert.Contains("不满意回复3", SurveyReply.InvitationText, StringComparison.Ordinal);
    }
}
