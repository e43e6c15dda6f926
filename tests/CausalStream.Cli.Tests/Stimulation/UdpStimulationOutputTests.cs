using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CausalStream.Cli.Stimulation;
using CausalStream.Core.Stimulation;

namespace CausalStream.Cli.Tests.Stimulation;

public sealed class UdpStimulationOutputTests
{
    [Fact]
    public async Task EachCommandArrivesAsOneJsonLineDatagramOnLoopback()
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var endpoint = (IPEndPoint)receiver.Client.LocalEndPoint!;
        using var output = new UdpStimulationOutput(endpoint);
        Assert.True(output.TryDeliver(new StimulationCommand(3, 2.5, 0.004, 12.25, "theta \"high\"")));
        Assert.True(output.TryDeliver(new StimulationCommand(0, -1, 0.001, 12.5, "second")));

        var first = await receiver.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var second = await receiver.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10));
        string text = Encoding.UTF8.GetString(first.Buffer);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal(3, json.GetProperty("channel").GetInt32());
        Assert.Equal(2.5, json.GetProperty("amplitude").GetDouble());
        Assert.Equal(0.004, json.GetProperty("durationSeconds").GetDouble());
        Assert.Equal(12.25, json.GetProperty("issuedAt").GetDouble());
        Assert.Equal("theta \"high\"", json.GetProperty("reason").GetString());
        Assert.Equal("second", JsonDocument.Parse(second.Buffer).RootElement.GetProperty("reason").GetString());
        Assert.Equal(2, output.Sent);
    }
}
