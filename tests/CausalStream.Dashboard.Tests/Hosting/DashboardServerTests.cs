using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CausalStream.Core.Stimulation;
using CausalStream.Dashboard.Tests.Support;

namespace CausalStream.Dashboard.Tests.Hosting;

public sealed class DashboardServerTests
{
    private static CancellationToken Timeout(int seconds = 20) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    [Fact]
    public async Task Binds_an_ephemeral_loopback_port_and_serves_the_page_without_secrets()
    {
        await using var dashboard = await DashboardFixture.StartAsync();
        Assert.Equal("127.0.0.1", dashboard.Address.Host);
        Assert.NotEqual(0, dashboard.Address.Port);

        using var page = await dashboard.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        string html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain(DashboardFixture.GoodToken, html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);

        using var script = await dashboard.Http.GetAsync("/app.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(DashboardFixture.GoodToken, await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var missing = await dashboard.Http.GetAsync("/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Refuses_host_names_other_than_loopback()
    {
        await using var dashboard = await DashboardFixture.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/state");
        request.Headers.Host = "attacker.example";
        using var response = await dashboard.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
    }

    [Fact]
    public async Task Feed_delivers_graphs_status_and_decisions_as_json_events()
    {
        await using var dashboard = await DashboardFixture.StartAsync();
        var sink = dashboard.Sink;
        await sink.ConsumeAsync(TestResults.Graph(1), default);
        await sink.ConsumeAsync(TestResults.Status(1), default);

        using var response = await dashboard.Http.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead, Timeout());
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var feed = new SseReader(await response.Content.ReadAsStreamAsync());

        // The snapshot: control state, latest status, the graph history and the latest graph.
        var control = await feed.NextOfTypeAsync("control", Timeout());
        Assert.True(control.GetProperty("controlsEnabled").GetBoolean());
        Assert.False(control.GetProperty("armed").GetBoolean());
        var status = await feed.NextOfTypeAsync("status", Timeout());
        Assert.Equal(1, status.GetProperty("elapsedSeconds").GetDouble());
        var history = await feed.NextOfTypeAsync("history", Timeout());
        Assert.Equal(1, history.GetProperty("points").GetArrayLength());
        Assert.Equal(16, history.GetProperty("points")[0].GetProperty("weights").GetArrayLength());
        var snapshotGraph = await feed.NextOfTypeAsync("graph", Timeout());
        Assert.Equal(1, snapshotGraph.GetProperty("sequence").GetInt64());

        // Live events, in publication order.
        await sink.ConsumeAsync(TestResults.Graph(2), default);
        await sink.ConsumeAsync(TestResults.Decision(StimulationOutcome.Fired), default);
        await sink.ConsumeAsync(TestResults.Decision(StimulationOutcome.Suppressed, "refractory"), default);
        await sink.ConsumeAsync(TestResults.Status(2), default);

        var graph = await feed.NextOfTypeAsync("graph", Timeout());
        Assert.Equal(2, graph.GetProperty("sequence").GetInt64());
        Assert.Equal(12, graph.GetProperty("edges").GetArrayLength());
        Assert.Equal("ch1", graph.GetProperty("edges")[0].GetProperty("source").GetString());
        var fired = await feed.NextOfTypeAsync("decision", Timeout());
        Assert.Equal("fired", fired.GetProperty("outcome").GetString());
        Assert.Equal("ch1-theta-high", fired.GetProperty("rule").GetString());
        Assert.True(fired.GetProperty("latencySeconds").GetDouble() > 0);
        var suppressed = await feed.NextOfTypeAsync("decision", Timeout());
        Assert.Equal("suppressed", suppressed.GetProperty("outcome").GetString());
        Assert.Equal("refractory", suppressed.GetProperty("interlock").GetString());
        var status2 = await feed.NextOfTypeAsync("status", Timeout());
        Assert.Equal("sink:dashboard", status2.GetProperty("stages")[1].GetProperty("stage").GetString());
    }

    [Fact]
    public async Task A_new_client_gets_recent_decisions_and_graph_history()
    {
        await using var dashboard = await DashboardFixture.StartAsync();
        for (int i = 1; i <= 5; i++)
        {
            await dashboard.Sink.ConsumeAsync(TestResults.Graph(i), default);
        }

        await dashboard.Sink.ConsumeAsync(TestResults.Decision(StimulationOutcome.RandomizedOut), default);
        await dashboard.Sink.ConsumeAsync(TestResults.Decision(StimulationOutcome.DryRun), default);

        using var response = await dashboard.Http.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead, Timeout());
        using var feed = new SseReader(await response.Content.ReadAsStreamAsync());
        var history = await feed.NextOfTypeAsync("history", Timeout());
        var points = history.GetProperty("points");
        Assert.Equal(5, points.GetArrayLength());
        Assert.Equal(5, points[4].GetProperty("sequence").GetInt64());
        Assert.Equal(JsonValueKind.Null, points[0].GetProperty("weights")[0].ValueKind);
        Assert.Equal(4, points[0].GetProperty("significant").GetArrayLength());
        Assert.Equal("randomized_out", (await feed.NextOfTypeAsync("decision", Timeout())).GetProperty("outcome").GetString());
        Assert.Equal("dry_run", (await feed.NextOfTypeAsync("decision", Timeout())).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Controls_are_forbidden_without_a_configured_token()
    {
        await using var dashboard = await DashboardFixture.StartAsync(token: null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/stimulation/arm");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "anything-at-all-here");
        using var response = await dashboard.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(dashboard.Controller.IsArmed);

        var state = await GetStateAsync(dashboard);
        Assert.False(state.GetProperty("controlsEnabled").GetBoolean());
        Assert.False(state.GetProperty("armed").GetBoolean());
    }

    [Fact]
    public async Task Controls_refuse_a_missing_or_wrong_token()
    {
        await using var dashboard = await DashboardFixture.StartAsync();
        using (var none = await dashboard.Http.PostAsync("/api/stimulation/arm", null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        }

        foreach (string wrong in new[] { "correct-horse-battery-staple-43", "correct-horse-battery-staple-42-and-more", "x" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/stimulation/arm");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", wrong);
            using var response = await dashboard.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var basic = new HttpRequestMessage(HttpMethod.Post, "/api/stimulation/arm"))
        {
            basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", DashboardFixture.GoodToken);
            using var response = await dashboard.Http.SendAsync(basic);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var get = await dashboard.Http.GetAsync("/api/stimulation/arm"))
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        }

        Assert.False(dashboard.Controller.IsArmed);
    }

    [Fact]
    public async Task The_right_token_arms_and_disarms_and_the_state_and_feed_follow()
    {
        await using var dashboard = await DashboardFixture.StartAsync();
        using var response = await dashboard.Http.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead, Timeout());
        using var feed = new SseReader(await response.Content.ReadAsStreamAsync());
        Assert.False((await feed.NextOfTypeAsync("control", Timeout())).GetProperty("armed").GetBoolean());

        Assert.Equal(HttpStatusCode.OK, await PostAsync(dashboard, "/api/stimulation/arm", DashboardFixture.GoodToken));
        Assert.True(dashboard.Controller.IsArmed);
        var state = await GetStateAsync(dashboard);
        Assert.True(state.GetProperty("controlsEnabled").GetBoolean());
        Assert.True(state.GetProperty("armed").GetBoolean());
        var armed = await feed.NextOfTypeAsync("control", Timeout());
        Assert.True(armed.GetProperty("armed").GetBoolean());
        Assert.Contains("armed by an operator", armed.GetProperty("reason").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, await PostAsync(dashboard, "/api/stimulation/disarm", DashboardFixture.GoodToken));
        Assert.False(dashboard.Controller.IsArmed);
        Assert.False((await GetStateAsync(dashboard)).GetProperty("armed").GetBoolean());
        Assert.False((await feed.NextOfTypeAsync("control", Timeout())).GetProperty("armed").GetBoolean());
    }

    [Fact]
    public async Task Controls_without_a_controller_answer_conflict()
    {
        await using var dashboard = await DashboardFixture.StartAsync(attachController: false);
        Assert.Equal(HttpStatusCode.Conflict, await PostAsync(dashboard, "/api/stimulation/arm", DashboardFixture.GoodToken));
        var state = await GetStateAsync(dashboard);
        Assert.False(state.GetProperty("controllerAttached").GetBoolean());
        Assert.Equal(JsonValueKind.Null, state.GetProperty("armed").ValueKind);
    }

    [Fact]
    public async Task Arming_elsewhere_reaches_the_feed_with_the_next_status()
    {
        await using var dashboard = await DashboardFixture.StartAsync();
        using var response = await dashboard.Http.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead, Timeout());
        using var feed = new SseReader(await response.Content.ReadAsStreamAsync());
        Assert.False((await feed.NextOfTypeAsync("control", Timeout())).GetProperty("armed").GetBoolean());
        dashboard.Controller.Arm("configuration");
        await dashboard.Sink.ConsumeAsync(TestResults.Status(1), default);
        Assert.True((await feed.NextOfTypeAsync("control", Timeout())).GetProperty("armed").GetBoolean());
    }

    private static async Task<HttpStatusCode> PostAsync(DashboardFixture dashboard, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await dashboard.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<JsonElement> GetStateAsync(DashboardFixture dashboard)
    {
        using var document = JsonDocument.Parse(await dashboard.Http.GetStringAsync("/api/state"));
        return document.RootElement.Clone();
    }
}
