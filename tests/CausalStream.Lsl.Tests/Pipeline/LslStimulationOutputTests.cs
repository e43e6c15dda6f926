using CausalStream.Core.Stimulation;
using CausalStream.Lsl.Pipeline;

namespace CausalStream.Lsl.Tests.Pipeline;

public sealed class LslStimulationOutputTests
{
    [Fact]
    public async Task CommandsArriveAsMarkersAtAnLslInlet()
    {
        var token = Loopback.Timeout(30);
        await using var output = new LslStimulationOutput(new LslSinkOptions { Name = "stim-out", Config = Loopback.Config });
        await using var source = await LslSource.ResolveAsync(new LslSourceOptions { Name = "stim-out-markers", Config = Loopback.Config, TimeCorrection = false }, token);
        var received = new CollectingOutput();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var run = source.RunAsync(received, stop.Token);
        Assert.True(await output.Outlet.WaitForConsumersAsync(TimeSpan.FromSeconds(20), token));
        Assert.True(output.TryDeliver(new StimulationCommand(2, 1.5, 0.004, 12.25, "theta-high")));
        while (received.Count < 1)
        {
            await Task.Delay(10, token);
        }

        await stop.CancelAsync();
        await run;
        Assert.Equal("stim channel=2 amplitude=1.5 duration=0.004 issued=12.25 reason=theta-high", received.Markers[0].Payload);
    }
}
