using System.Text.Json;
using CausalStream.Cli.Commands;
using CausalStream.Core.Streams;
using CausalStream.Lsl.Discovery;
using CausalStream.Lsl.Inlet;
using CausalStream.Lsl.Outlet;

namespace CausalStream.Lsl.Tests.Commands;

public sealed class LslCommandTests : IDisposable
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), $"lsl_loopback_{Guid.NewGuid():N}.cfg");

    public LslCommandTests()
    {
        File.WriteAllText(_config, """
            ; loopback only: nothing leaves 127.0.0.1
            [ports]
            IPv6 = disable
            [multicast]
            ResolveScope = machine
            ListenAddress = 127.0.0.1
            [lab]
            KnownPeers = {127.0.0.1}
            """);
    }

    public void Dispose() => File.Delete(_config);

    [Fact]
    public async Task ListPrintsVisibleStreamsAsTableAndJson()
    {
        await using var outlet = new LslOutlet(Loopback.Stream("cli-list", ChannelFormat.Int16, 4, 1000, "dev-9"), Loopback.OutletOptions());
        var output = new StringWriter();
        Assert.Equal(0, await LslCommand.ExecuteAsync(["list", "--timeout", "0.8", "--lsl-config", _config], output, new StringWriter(), Loopback.Timeout()));
        string table = output.ToString();
        Assert.Contains("name", table, StringComparison.Ordinal);
        Assert.Contains("cli-list", table, StringComparison.Ordinal);
        Assert.Contains("int16", table, StringComparison.Ordinal);
        Assert.Contains(outlet.Info.Uid, table, StringComparison.Ordinal);

        var json = new StringWriter();
        Assert.Equal(0, await LslCommand.ExecuteAsync(["list", "--json", "--timeout", "0.8", "--lsl-config", _config], json, new StringWriter(), Loopback.Timeout()));
        using var doc = JsonDocument.Parse(json.ToString());
        var entry = doc.RootElement.EnumerateArray().Single(e => e.GetProperty("uid").GetString() == outlet.Info.Uid);
        Assert.Equal("cli-list", entry.GetProperty("name").GetString());
        Assert.Equal(4, entry.GetProperty("channels").GetInt32());
        Assert.Equal(1000, entry.GetProperty("rate").GetDouble());
        Assert.Equal("dev-9", entry.GetProperty("source_id").GetString());
        Assert.Equal("127.0.0.1", entry.GetProperty("address").GetString());
    }

    [Fact]
    public async Task DumpWritesCsvWithLabelsAndCorrectedTimestamps()
    {
        var token = Loopback.Timeout(15);
        var stream = new StreamInfo("cli-dump", "EEG", "dev-1", 2, 100, ChannelFormat.Float32, ["Fz", "Cz"]);
        await using var outlet = new LslOutlet(stream, Loopback.OutletOptions());
        string csv = Path.Combine(Path.GetTempPath(), $"dump_{Guid.NewGuid():N}.csv");
        try
        {
            var errors = new StringWriter();
            var dump = LslCommand.ExecuteAsync(["dump", "name='cli-dump'", "--count", "5", "--out", csv, "--lsl-config", _config], new StringWriter(), errors, token);
            Assert.True(await outlet.WaitForConsumersAsync(TimeSpan.FromSeconds(10), token), errors.ToString());
            for (int k = 0; k < 5; k++)
            {
                outlet.PushSample([k + 0.5, -k], 100 + k);
            }

            Assert.Equal(0, await dump);
            string[] lines = File.ReadAllLines(csv);
            Assert.Equal("t,Fz,Cz", lines[0]);
            Assert.Equal(6, lines.Length);
            string[] first = lines[1].Split(',');
            Assert.InRange(double.Parse(first[0], System.Globalization.CultureInfo.InvariantCulture), 99.999, 100.001);
            Assert.Equal(["0.5", "0"], first[1..]);
            Assert.Equal(["4.5", "-4"], lines[5].Split(',')[1..]);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Fact]
    public async Task DumpOfAMissingStreamFailsAndListsVisibleOnes()
    {
        await using var outlet = new LslOutlet(Loopback.Stream("cli-other", ChannelFormat.Float32, 1, 10), Loopback.OutletOptions());
        var errors = new StringWriter();
        int code = await LslCommand.ExecuteAsync(["dump", "name='nope'", "--timeout", "0.6", "--lsl-config", _config], new StringWriter(), errors, Loopback.Timeout());
        Assert.Equal(1, code);
        Assert.Contains("no LSL stream matches \"name='nope'\"", errors.ToString(), StringComparison.Ordinal);
        Assert.Contains("cli-other", errors.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("dump")]
    [InlineData("dump name=")]
    [InlineData("dump name='x' --count 0")]
    [InlineData("list --timeout -1")]
    public async Task BadArgumentsAreUsageErrors(string commandLine)
        => await Assert.ThrowsAsync<UsageException>(() => LslCommand.ExecuteAsync(commandLine.Split(' '), new StringWriter(), new StringWriter(), Loopback.Timeout()));

    [Fact]
    public async Task SimulatePublishesTheSimulatorAsAnLslOutlet()
    {
        var token = Loopback.Timeout(15);
        var output = new StringWriter();
        var simulate = SimulateCommand.ExecuteAsync(["--lsl", "cli-sim", "--channels", "4", "--rate", "200", "--duration", "3", "--lsl-config", _config], output, new StringWriter(), token);
        var found = await new LslResolver(Loopback.Config).ResolveAsync(LslQuery.ByProperty("name", "cli-sim"), 1, TimeSpan.FromSeconds(5), token);
        var info = Assert.Single(found);
        Assert.Equal(4, info.ChannelCount);
        Assert.Equal(200, info.NominalSrate);
        Assert.Equal(ChannelFormat.Double64, info.Format);
        await using var inlet = new LslInlet(info, Loopback.InletOptions());
        await inlet.OpenAsync(token);
        var (values, stamps) = await Loopback.ReadAsync(inlet, 50, token);
        Assert.All(values, v => Assert.True(double.IsFinite(v)));
        Assert.Equal(1 / 200.0, stamps[1] - stamps[0], 6);
        Assert.Equal(0, await simulate);
        Assert.Contains("publishing LSL stream 'cli-sim'", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("publishing LSL stream 'cli-sim-markers'", output.ToString(), StringComparison.Ordinal);
        await Assert.ThrowsAsync<UsageException>(() => SimulateCommand.ExecuteAsync(["--channels", "4"], new StringWriter(), new StringWriter(), token));
    }
}
