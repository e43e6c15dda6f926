using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CausalStream.Core.Pipeline;
using CausalStream.Core.Stimulation;
using CausalStream.Core.Streams;
using CausalStream.Dashboard.Tests.Support;

namespace CausalStream.Dashboard.Tests.Hosting;

/// <summary>The token-guarded threshold control acting on a real fast-path trigger stage and controller.</summary>
public sealed class ThresholdControlTests
{
    private static readonly StreamInfo Lfp = new("lfp", "LFP", "test", 1, 1000, ChannelFormat.Double64);

    [Fact]
    public async Task The_right_token_changes_a_threshold_that_then_decides_and_is_audited()
    {
        await using var dashboard = await DashboardFixture.StartAsync();
        var (stage, receiver, audit) = ValueRuleStage(threshold: 5.0);
        dashboard.Sink.Thresholds = stage;

        var rules = (await GetStateAsync(dashboard)).GetProperty("rules");
        Assert.Equal("level", rules[0].GetProperty("rule").GetString());
        Assert.Equal("value", rules[0].GetProperty("feature").GetString());
        Assert.Equal(5.0, rules[0].GetProperty("threshold").GetDouble());

        await FeedAsync(stage, 3.0);
        Assert.Empty(receiver.Commands);

        var (status, body) = await PostAsync(dashboard, """{"rule":"level","threshold":2.5}""", DashboardFixture.GoodToken);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(2.5, Assert.Single(stage.Thresholds).Threshold);
        Assert.Equal(2.5, (await GetStateAsync(dashboard)).GetProperty("rules")[0].GetProperty("threshold").GetDouble());

        await FeedAsync(stage, 3.0);
        var command = Assert.Single(receiver.Commands);
        Assert.Equal("level", command.Reason);
        Assert.Contains(audit.States, s => s.Contains("threshold of rule 'level' 5 -> 2.5", StringComparison.Ordinal) && s.StartsWith("dashboard: an operator from", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_token_or_with_a_wrong_one_nothing_changes()
    {
        await using (var open = await DashboardFixture.StartAsync(token: null))
        {
            var (stage, _, _) = ValueRuleStage(threshold: 5.0);
            open.Sink.Thresholds = stage;
            var (status, body) = await PostAsync(open, """{"rule":"level","threshold":1}""", token: null);
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Contains("no token is configured", body, StringComparison.Ordinal);
            Assert.Equal(5.0, Assert.Single(stage.Thresholds).Threshold);
        }

        await using var guarded = await DashboardFixture.StartAsync();
        var (guardedStage, _, _) = ValueRuleStage(threshold: 5.0);
        guarded.Sink.Thresholds = guardedStage;
        var (wrong, _) = await PostAsync(guarded, """{"rule":"level","threshold":1}""", "not-the-token-at-all-123");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong);
        Assert.Equal(5.0, Assert.Single(guardedStage.Thresholds).Threshold);
    }

    [Theory]
    [InlineData("""{"rule":"nope","threshold":1}""", "no fast-path rule is named 'nope'")]
    [InlineData("""{"rule":"level"}""", "send {\"rule\"")]
    [InlineData("""{"rule":"level","threshold":"high"}""", "send {\"rule\"")]
    [InlineData("""not json""", "the body is not JSON")]
    [InlineData("""{"rule":"level","threshold":9}""", "must stay below its high threshold 8")]
    public async Task Bad_requests_are_refused_with_the_reason(string json, string reason)
    {
        await using var dashboard = await DashboardFixture.StartAsync();
        var controller = new StimulationController(new StimulationSafety { Armed = true, StaleDataSeconds = 60 }, []);
        var rule = new FeatureRule { Name = "level", Channel = 0, Feature = FeatureKind.Value, Threshold = 5, HighThreshold = 8, HighProbability = 1 };
        var stage = new FeatureTriggerStage(Lfp, [rule], controller);
        dashboard.Sink.Thresholds = stage;
        var (status, body) = await PostAsync(dashboard, json, DashboardFixture.GoodToken);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(reason, body, StringComparison.Ordinal);
        Assert.Equal(5.0, Assert.Single(stage.Thresholds).Threshold);
    }

    [Fact]
    public async Task Without_adjustable_rules_the_control_answers_conflict()
    {
        await using var dashboard = await DashboardFixture.StartAsync();
        var (status, _) = await PostAsync(dashboard, """{"rule":"level","threshold":1}""", DashboardFixture.GoodToken);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(0, (await GetStateAsync(dashboard)).GetProperty("rules").GetArrayLength());
    }

    private static (FeatureTriggerStage Stage, CollectingReceiver Receiver, CollectingAudit Audit) ValueRuleStage(double threshold)
    {
        var receiver = new CollectingReceiver();
        var audit = new CollectingAudit();
        var safety = new StimulationSafety { Armed = true, StaleDataSeconds = 60, RefractorySeconds = 0 };
        var controller = new StimulationController(safety, [receiver], audit);
        var rule = new FeatureRule { Name = "level", Channel = 0, Feature = FeatureKind.Value, Threshold = threshold, Trigger = TriggerMode.Level, Amplitude = 1, DurationSeconds = 0.001 };
        return (new FeatureTriggerStage(Lfp, [rule], controller), receiver, audit);
    }

    private static async Task FeedAsync(FeatureTriggerStage stage, double value)
    {
        using var chunk = SampleChunk.Rent(Lfp, 1, MonotonicClock.Now);
        chunk.Timestamps[0] = 1.0;
        chunk.Values[0] = value;
        await stage.OnChunkAsync(chunk, NoPublisher.Instance, CancellationToken.None);
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(DashboardFixture dashboard, string json, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/stimulation/threshold")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await dashboard.Http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            using var error = JsonDocument.Parse(body);
            body = error.RootElement.GetProperty("error").GetString() ?? string.Empty;
        }

        return (response.StatusCode, body);
    }

    private static async Task<JsonElement> GetStateAsync(DashboardFixture dashboard)
    {
        using var document = JsonDocument.Parse(await dashboard.Http.GetStringAsync("/api/state"));
        return document.RootElement.Clone();
    }

    private sealed class CollectingReceiver : IStimulationReceiver
    {
        public List<StimulationCommand> Commands { get; } = [];

        public bool TryDeliver(StimulationCommand command)
        {
            lock (Commands)
            {
                Commands.Add(command);
            }

            return true;
        }
    }

    private sealed class CollectingAudit : IStimulationAudit
    {
        public List<string> States { get; } = [];

        public void Record(StimulationDecision decision)
        {
        }

        public void RecordState(bool armed, string reason, DateTime wallClock)
        {
            lock (States)
            {
                States.Add(reason);
            }
        }
    }

    private sealed class NoPublisher : IResultPublisher
    {
        public static readonly NoPublisher Instance = new();

        public ValueTask PublishAsync(PipelineResult result, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
