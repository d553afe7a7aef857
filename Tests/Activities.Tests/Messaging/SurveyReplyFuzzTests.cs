using ComplaintWorkflows.Activities.Messaging.Sms;
using ComplaintWorkflows.TestSupport;

namespace ComplaintWorkflows.Activities.Tests.Messaging;

/// <summary>
/// Random and mutated SMS replies to the survey-reply reader: every text is read within the case limit, without an
/// exception, as a score of 1 to 5 with a comment no longer than the limit, or as "not an answer" (null). Seeded:
/// <see cref="Fuzz.SeedVariable"/> replays a run.
/// </summary>
public sealed class SurveyReplyFuzzTests
{
    private static readonly string[] Replies = ["5", "4 还可以", "五分", "评5分", "非常满意", "不满意，态度差", "2 态度不好", "１", "12315", "请问退款什么时候到账？", "好评！！", "3分 一般般", "满意满意满意"];

    [Fact]
    public async Task RandomReplies_AreReadAsAScoreOrAsNoAnswer_NeverAnExceptionOrAHang()
    {
        var run = await Fuzz.RunAsync("sms-reply", 4000, c =>
        {
            var random = c.Random;
            var text = random.Next(3) switch
            {
                0 => Mutate.RandomText(random, random.Next(0, random.Next(2) == 0 ? 20 : 5000)),
                1 => Mutate.Text(random, Replies[random.Next(Replies.Length)], 100_000),
                _ => string.Concat(Enumerable.Range(0, random.Next(1, 30)).Select(_ => random.Next(2) == 0 ? Mutate.Fragment(random) : Replies[random.Next(Replies.Length)])),
            };
            var max = random.Next(0, 3000);
            c.Note = $"{text.Length} characters '{(text.Length > 40 ? text[..40] + "..." : text)}', comment limit {max}";

            var reading = SurveyReply.Read(text, max);

            if (reading is not null)
            {
                Assert.InRange(reading.Score, 1, 5);
                Assert.True(reading.Comment is null || reading.Comment.Length <= max, $"a comment of {reading.Comment?.Length} characters over the limit of {max}");
            }
        });

        Assert.True(run >= 4000, $"{run} cases");
    }

    [Fact]
    public void AReplyWithALoneSurrogate_AsAJsonPushCanCarry_IsStillRead()
    {
        // string.Normalize throws on a lone surrogate; the reader used to, so the platform's push was answered 500 again and again.
        var reading = SurveyReply.Read("5\ud800 很好");

        Assert.Equal(5, reading?.Score);
        Assert.Equal("\ufffd 很好", reading?.Comment);
    }
}
