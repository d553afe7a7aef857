using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ComplaintWorkflows.WorkflowHost.Tests.Web;

public sealed class AttachmentApiTests(WebStaffHost host) : IClassFixture<WebStaffHost>
{
    [Fact]
    public async Task ConsumerUpload_IsListedInTheFile_AndDownloadableByTheUnitsStaff_ButNotByAnotherUnit()
    {
        var ids = await host.IdsAsync();
        using var staff = host.As("wm-handler");
        var photo = Files.Png("unit");

        using var upload = await staff.PostAsync(new Uri($"/api/complaints/{ids["wuma"]}/attachments", UriKind.Relative), Files.Form(("收据 receipt.png", photo, "image/png")));
        Assert.True(upload.StatusCode == HttpStatusCode.Created, await upload.Content.ReadAsStringAsync());
        var stored = (await upload.Content.ReadFromJsonAsync<JsonElement>())[0];
        Assert.Equal("image/png", stored.GetProperty("contentType").GetString());
        Assert.Equal(photo.Length, stored.GetProperty("size").GetInt64());

        var file = await staff.GetFromJsonAsync<JsonElement>(new Uri($"/api/complaints/{ids["wuma"]}", UriKind.Relative));
        var listed = file.GetProperty("attachments").EnumerateArray().Single(a => a.GetProperty("id").GetString() == stored.GetProperty("id").GetString());
        Assert.Equal("收据 receipt.png", listed.GetProperty("fileName").GetString());
        Assert.Contains(file.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("kind").GetString() == "attachment");

        var path = new Uri($"/api/complaints/{ids["wuma"]}/attachments/{stored.GetProperty("id").GetString()}", UriKind.Relative);
        using var leader = host.As("wm-leader");
        using var download = await leader.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(photo, await download.Content.ReadAsByteArrayAsync());

        using var otherUnit = host.As("lq-handler");
        Assert.Equal(HttpStatusCode.NotFound, (await otherUnit.GetAsync(path)).StatusCode);
        using var consumer = host.As("consumer1");
        Assert.Equal(HttpStatusCode.NotFound, (await consumer.GetAsync(path)).StatusCode);
        using var anonymous = host.As(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Consumer_AddsFilesToTheirOwnComplaint_NotToAnothers()
    {
        var ids = await host.IdsAsync();
        using var consumer = host.As("consumer1");

        using var own = await consumer.PostAsync(new Uri($"/api/complaints/{ids["mine"]}/attachments", UriKind.Relative), Files.Form(("合同.pdf", Files.Pdf("own"), "application/pdf")));
        using var theirs = await consumer.PostAsync(new Uri($"/api/complaints/{ids["theirs"]}/attachments", UriKind.Relative), Files.Form(("合同.pdf", Files.Pdf("theirs"), "application/pdf")));

        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        var list = await consumer.GetFromJsonAsync<JsonElement>(new Uri($"/api/complaints/{ids["mine"]}/attachments", UriKind.Relative));
        Assert.Contains(list.EnumerateArray(), a => a.GetProperty("fileName").GetString() == "合同.pdf" && a.GetProperty("fromConsumer").GetBoolean());
    }

    [Fact]
    public async Task AnonymousConsumer_AddsFilesWithTrackingNumberAndPhone_AndAWrongPhoneFindsNothing()
    {
        var (id, tracking) = await WebStaffHost.FileAsync(host.As(null), "13933334444", "匿名上传附件测试 " + Guid.NewGuid());
        using var anonymous = host.As(null);

        using var form = Files.Form(("小票.jpg", Files.Jpeg(), "image/jpeg"));
        form.Add(new StringContent("13933334444"), "phone");
        using var ok = await anonymous.PostAsync(new Uri($"/api/public/complaints/{tracking}/attachments", UriKind.Relative), form);
        using var wrong = Files.Form(("小票.jpg", Files.Jpeg(), "image/jpeg"));
        wrong.Add(new StringContent("13900000000"), "phone");
        using var refused = await anonymous.PostAsync(new Uri($"/api/public/complaints/{tracking}/attachments", UriKind.Relative), wrong);

        Assert.True(ok.StatusCode == HttpStatusCode.Created, await ok.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        using var admin = host.As("admin");
        var list = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/api/complaints/{id}/attachments", UriKind.Relative));
        Assert.Equal(["小票.jpg"], list.EnumerateArray().Select(a => a.GetProperty("fileName").GetString()));
    }

    [Theory]
    [InlineData("script.jpg", "html", "image/jpeg", HttpStatusCode.UnsupportedMediaType, "attachment-type")]
    [InlineData("page.html", "html", "text/html", HttpStatusCode.UnsupportedMediaType, "attachment-type")]
    [InlineData("photo.pdf", "png", "application/pdf", HttpStatusCode.UnsupportedMediaType, "attachment-type")]
    [InlineData("huge.jpg", "huge", "image/jpeg", HttpStatusCode.RequestEntityTooLarge, "attachment-too-large")]
    public async Task Upload_OfTheWrongTypeOrSize_IsRefusedByName_AndNothingIsStored(string name, string kind, string claimedType, HttpStatusCode expected, string code)
    {
        var ids = await host.IdsAsync();
        using var consumer = host.As("consumer2");
        var content = kind switch
        {
            "html" => Files.Html(),
            "png" => Files.Png(name),
            _ => Files.Jpeg(WebStaffHost.MaxFileBytes + 1),
        };

        // A good file beside the bad one: the batch is refused as a whole.
        using var response = await consumer.PostAsync(new Uri($"/api/complaints/{ids["theirs"]}/attachments", UriKind.Relative),
            Files.Form(("ok.png", Files.Png("batch-" + name), "image/png"), (name, content, claimedType)));

        Assert.Equal(expected, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(name, problem.GetProperty("fileName").GetString());
        Assert.Contains(name, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var list = await consumer.GetFromJsonAsync<JsonElement>(new Uri($"/api/complaints/{ids["theirs"]}/attachments", UriKind.Relative));
        Assert.DoesNotContain(list.EnumerateArray(), a => a.GetProperty("fileName").GetString() is "ok.png" || a.GetProperty("fileName").GetString() == name);
    }

    [Fact]
    public async Task Upload_BeyondTheCountLimit_IsRefused_AndTheSameFileTwiceIsKeptOnce()
    {
        var (id, _) = await WebStaffHost.FileAsync(host.As("consumer1"), "13911110001", "附件数量测试 " + Guid.NewGuid());
        using var consumer = host.As("consumer1");
        var uri = new Uri($"/api/complaints/{id}/attachments", UriKind.Relative);
        var same = Files.Png("same");

        for (var i = 0; i < WebStaffHost.MaxFiles; i++)
        {
            using var ok = await consumer.PostAsync(uri, Files.Form(($"p{i}.png", i == 1 ? same : Files.Png("n" + i), "image/png")));
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        using var again = await consumer.PostAsync(uri, Files.Form(("again.png", Files.Png("n0"), "image/png")));
        using var tooMany = await consumer.PostAsync(uri, Files.Form(("extra.png", Files.Png("extra"), "image/png")));

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("p0.png", (await again.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("fileName").GetString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany.StatusCode);
        Assert.Equal("attachment-too-many", (await tooMany.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Limits_AreThoseConfigured_ForThePortal()
    {
        using var anonymous = host.As(null);

        var limits = await anonymous.GetFromJsonAsync<JsonElement>(new Uri("/api/public/attachment-limits", UriKind.Relative));

        Assert.Equal(WebStaffHost.MaxFileBytes, limits.GetProperty("maxFileBytes").GetInt64());
        Assert.Equal(WebStaffHost.MaxFiles, limits.GetProperty("maxFilesPerComplaint").GetInt32());
        Assert.Contains(".jpg", limits.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()));
    }
}
