using CausalStream.Core.Stimulation;

namespace CausalStream.Dashboard.Tests.Support;

/// <summary>A started dashboard on 127.0.0.1 with an ephemeral port, an HTTP client for it, and a real controller.</summary>
internal sealed class DashboardFixture : IAsyncDisposable
{
    public const string GoodToken = "correct-horse-battery-staple-42";

    private DashboardFixture(DashboardSink sink, StimulationController controller, HttpClient http)
    {
        Sink = sink;
        Controller = controller;
        Http = http;
    }

    public DashboardSink Sink { get; }

    public StimulationController Controller { get; }

    public HttpClient Http { get; }

    public Uri Address => Sink.Address!;

    public static async Task<DashboardFixture> StartAsync(string? token = GoodToken, int capacityPerClient = 256, bool attachController = true)
    {
        var controller = new StimulationController(new StimulationSafety { Armed = false }, []);
        var options = new DashboardOptions { Url = "http://127.0.0.1:0", Token = token, CapacityPerClient = capacityPerClient };
        var sink = new DashboardSink(options, attachController ? new ControllerControl(controller) : null);
        var address = await sink.StartAsync();
        var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        return new DashboardFixture(sink, controller, http);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Sink.DisposeAsync();
    }
}
