using System.Text.Json;
using CausalStream.Cli.Commands;
using CausalStream.Core.Formats;
using CausalStream.Core.Streams;

namespace CausalStream.Cli.Tests.Commands;

public class ReplayCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "causalstream-replay-" + Guid.NewGuid().ToString("N"));

    public ReplayCommandTests()
    {
        Directory.CreateDirectory(_folder);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Writes 4 s of a 4-channel 100 Hz stream (t from 50 s) and a marker per second.</summary>
    internal static string WriteRecording(string folder)
    {
        string path = Path.Combine(folder, "session.xdf");
        using var writer = new XdfWriter(path);
        int eeg = writer.AddStream(new StreamInfo("EEG", "EEG", "amp", 4, 100, ChannelFormat.Float32, ["Fz", "Cz", "Pz", "Oz"]));
        int markers = writer.AddStream(new StreamInfo("Task", "Markers", "task", 1, 0, ChannelFormat.String));
        for (int k = 0; k < 16; k++)
        {
            var stamps = new double[25];
            var values = new double[100];
            for (int i = 0; i < 25; i++)
            {
                stamps[i] = 50 + (((k * 25) + i) / 100.0);
                for (int c = 0; c < 4; c++)
                {
                    values[(i * 4) + c] = Math.Sin((k * 25) + i + c);
                }
            }

            writer.WriteSamples(eeg, stamps, values);
            if (k % 4 == 0)
            {
                writer.WriteMarker(markers, stamps[0], "trial " + (k / 4));
            }
        }

        return path;
    }

    /// <summary>A configuration with 2 s windows, 0.25 s hop and no engine, so window counts are exact.</summary>
    private string WindowsOnlyConfig()
    {
        string path = Path.Combine(_folder, "windows.json");
        File.WriteAllText(path, """{ "source": { "simulator": {} }, "window": { "length": 2, "hop": 0.25 } }""");
        return path;
    }

    [Fact]
    public async Task WithoutConfigTheDefaultEngineWritesAGraph()
    {
        string input = WriteRecording(_folder);
        string results = Path.Combine(_folder, "graphs.jsonl");
        int code = await ReplayCommand.ExecuteAsync([input, "--speed", "max", "--out", results, "--progress", "0"], new StringWriter(), new StringWriter());
        Assert.Equal(0, code);
        var types = File.ReadAllLines(results).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString()).ToList();
        Assert.Equal(1, types.Count(t => t == "graph")); // 4 s of data, the default 4 s window
        Assert.Equal(1, types.Count(t => t == "window"));
    }

    [Fact]
    public async Task ReplaysAtMaxSpeedWritingResultsAndARecording()
    {
        string input = WriteRecording(_folder);
        string results = Path.Combine(_folder, "out.jsonl");
        string recorded = Path.Combine(_folder, "rec.xdf");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await ReplayCommand.ExecuteAsync([input, "--speed", "max", "--out", results, "--record", recorded, "--progress", "0", "--config", WindowsOnlyConfig()], stdout, stderr);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Contains("replaying " + input + " (XDF) at max speed: EEG (4 ch @ 100 Hz), Task (markers)", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("(done)", stdout.ToString(), StringComparison.Ordinal);

        var lines = File.ReadAllLines(results);
        Assert.Equal(9, lines.Length);
        using (var first = JsonDocument.Parse(lines[0]))
        {
            Assert.Equal("window", first.RootElement.GetProperty("type").GetString());
            Assert.Equal(50.0, first.RootElement.GetProperty("windowStart").GetDouble(), 9);
        }

        using var reader = XdfReader.Open(recorded);
        Assert.Equal(400, reader.Streams.Single(s => s.Info.Name == "EEG").SampleCount);
        Assert.Equal(4, reader.Streams.Single(s => s.Info.Name == "Task").SampleCount);
        Assert.Equal(9, reader.Streams.Single(s => s.Info.Name == "CausalStream results").SampleCount);
    }

    [Fact]
    public async Task ASpanAndAPaceAreHonoured()
    {
        string input = WriteRecording(_folder);
        string results = Path.Combine(_folder, "out.jsonl");
        var stdout = new StringWriter();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int code = await ReplayCommand.ExecuteAsync([input, "--speed", "10", "--from", "1", "--to", "3.5", "--out", results, "--progress", "0.1", "--config", WindowsOnlyConfig()], stdout, new StringWriter());
        Assert.Equal(0, code);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.2, 5);
        Assert.Contains("replay: ", stdout.ToString(), StringComparison.Ordinal);
        using var first = JsonDocument.Parse(File.ReadLines(results).First());
        Assert.Equal(51.0, first.RootElement.GetProperty("windowStart").GetDouble(), 9);
    }

    [Fact]
    public async Task ADamagedFileIsReplayedUpToTheDamageAndExitsOne()
    {
        string input = WriteRecording(_folder);
        var bytes = File.ReadAllBytes(input);
        File.WriteAllBytes(input, bytes[..(bytes.Length - 1500)]);
        var stderr = new StringWriter();
        var stdout = new StringWriter();
        int code = await ReplayCommand.ExecuteAsync([input, "--speed", "max", "--progress", "0"], stdout, stderr);
        Assert.Equal(1, code);
        Assert.Contains("byte offset", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("truncated", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("(stopped at damage)", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANonRecordingExitsOneWithTheReason()
    {
        string input = Path.Combine(_folder, "notes.xdf");
        File.WriteAllText(input, "not xdf at all");
        var stderr = new StringWriter();
        Assert.Equal(1, await ReplayCommand.ExecuteAsync([input], new StringWriter(), stderr));
        Assert.Contains("not an XDF file", stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "which file")]
    [InlineData(new[] { "a.xdf", "--speed", "fast" }, "--speed needs a positive number or 'max'")]
    [InlineData(new[] { "a.xdf", "--from", "5", "--to", "2" }, "must be after --from")]
    [InlineData(new[] { "a.xdf", "--bogus" }, "unknown option '--bogus'")]
    public async Task BadCommandLinesAreUsageErrors(string[] args, string expected)
    {
        var error = await Assert.ThrowsAsync<UsageException>(() => ReplayCommand.ExecuteAsync(args, new StringWriter(), new StringWriter()));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
