using ComplaintWorkflows.Engine.Persistence;
using ComplaintWorkflows.Engine.Runtime;
using static ComplaintWorkflows.Engine.Tests.Runtime.Bpmn;

namespace ComplaintWorkflows.Engine.Tests.Runtime;

/// <summary>An outbox entry delivered again after a crash (receiver committed, entry not yet deleted) changes nothing.</summary>
public abstract class DeliveryTests(StoreKind store)
{
    private const string Roots = """
        <bpmn:message id="mReply" name="reply" />
        <bpmn:signal id="sAlarm" name="alarm" />
        """;

    /// <summary>Waits for <paramref name="catchDefinition"/> in a loop, recording each time it came.</summary>
    private static string Receiver(string catchDefinition) => $$"""
        <bpmn:startEvent id="s" />
        <bpmn:intermediateCatchEvent id="wait">{{catchDefinition}}</bpmn:intermediateCatchEvent>
        <bpmn:serviceTask id="came" camunda:delegateExpression="${record}" />
        {{Chain("s", "wait", "came")}}
        <bpmn:sequenceFlow id="again" sourceRef="came" targetRef="wait" />
        """;

    private static string Thrower(string throwDefinition) => $$"""
        <bpmn:startEvent id="s" />
        <bpmn:intermediateThrowEvent id="throw">{{throwDefinition}}</bpmn:intermediateThrowEvent>
        <bpmn:endEvent id="e" />
        {{Chain("s", "throw", "e")}}
        """;

    [Fact]
    public async Task MessageEntryDeliveredTwice_AdvancesTheReceiverOnce()
    {
        var h = new EngineHarness(store: store);
        h.Deploy(Receiver("""<bpmn:messageEventDefinition messageRef="mReply" />"""), Roots, "receiver");
        h.Deploy(Thrower("""<bpmn:messageEventDefinition messageRef="mReply" />"""), Roots, "thrower");
        var receiver = await h.StartAsync("receiver");

        await ThrowAndDieBeforeTheEntryIsDeletedAsync(h);

        Assert.Equal(["came"], h.Trail);
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await h.Engine.RedeliverOutboxAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(["came"], h.Trail);
        Assert.Equal(["wait"], await h.ActiveElementsAsync(receiver.Id));
        Assert.Equal(0, await h.Engine.RedeliverOutboxAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task SignalEntryDeliveredTwice_AdvancesEachReceiverOnce()
    {
        var h = new EngineHarness(store: store);
        h.Deploy(Receiver("""<bpmn:signalEventDefinition signalRef="sAlarm" />"""), Roots, "receiver");
        h.Deploy(Thrower("""<bpmn:signalEventDefinition signalRef="sAlarm" />"""), Roots, "thrower");
        await h.StartAsync("receiver");
        await h.StartAsync("receiver");

        await ThrowAndDieBeforeTheEntryIsDeletedAsync(h);

        Assert.Equal(["came", "came"], h.Trail);
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await h.Engine.RedeliverOutboxAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(["came", "came"], h.Trail);
    }

    [Fact]
    public async Task DeliveredEntry_IsForgotten_OnceDeleted()
    {
        var h = new EngineHarness(store: store);
        h.Deploy(Receiver("""<bpmn:messageEventDefinition messageRef="mReply" />"""), Roots, "receiver");
        h.Deploy(Thrower("""<bpmn:messageEventDefinition messageRef="mReply" />"""), Roots, "thrower");
        await h.StartAsync("receiver");
        var recording = new RecordsDeletions(h.Engine.Store);
        var engine = h.OtherEngine(recording);
        await engine.LoadDefinitionsAsync();

        await engine.StartProcessAsync("thrower");

        var deleted = Assert.Single(recording.Deleted);
        Assert.Empty(await h.Engine.Store.FindDeliveryReceiversAsync(deleted));
        Assert.Equal(["came"], h.Trail);
    }

    /// <summary>Starts the thrower on a host that dies after the receivers committed, before the outbox entry is deleted.</summary>
    private static async Task ThrowAndDieBeforeTheEntryIsDeletedAsync(EngineHarness h)
    {
        var dying = h.OtherEngine(new DiesBeforeDeletingOutbox(h.Engine.Store));
        await dying.LoadDefinitionsAsync();
        await Assert.ThrowsAsync<HostDiedException>(() => dying.StartProcessAsync("thrower"));
        Assert.Single(await h.Engine.Store.FindOutboxAsync(DateTimeOffset.MaxValue, 10));
    }

    private sealed class DiesBeforeDeletingOutbox(IWorkflowStore inner) : DelegatingStore(inner)
    {
        public override Task DeleteOutboxAsync(string id, CancellationToken cancellationToken = default) => throw new HostDiedException();
    }

    private sealed class RecordsDeletions(IWorkflowStore inner) : DelegatingStore(inner)
    {
        public List<string> Deleted { get; } = [];

        public override async Task DeleteOutboxAsync(string id, CancellationToken cancellationToken = default)
        {
            await Inner.DeleteOutboxAsync(id, cancellationToken);
            Deleted.Add(id);
        }
    }
}

public sealed class DeliveryTests_InMemory() : DeliveryTests(StoreKind.InMemory);

public sealed class DeliveryTests_Sqlite() : DeliveryTests(StoreKind.Sqlite);

public sealed class DeliveryTests_Postgres() : DeliveryTests(StoreKind.Postgres);
