using System.Text.Json;
using CausalStream.Cli.Commands;

namespace CausalStream.Cli.Tests.Commands;

public class InspectCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "causalstream-inspect-" + Guid.NewGuid().ToString("N"));

    public InspectCommandTests()
    {
        Directory.CreateDirectory(_folder);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task PrintsStreamsRatesCountsTimesAndMarkers()
    {
        string input = ReplayCommandTests.WriteRecording(_folder);
        var stdout = new StringWriter();
        int code = await InspectCommand.ExecuteAsync([input], stdout, new StringWriter());
        Assert.Equal(0, code);
        string text = stdout.ToString();
        Assert.Contains(input + ": XDF, 2 streams", text, StringComparison.Ordinal);
        Assert.Contains("stream 'EEG'", text, StringComparison.Ordinal);
        Assert.Contains("channels    4: Fz, Cz, Pz, Oz", text, StringComparison.Ordinal);
        Assert.Contains("rate        nominal 100 Hz, effective 100 Hz", text, StringComparison.Ordinal);
        Assert.Contains("samples     400", text, StringComparison.Ordinal);
        Assert.Contains("time        first 50 s, last 53.99 s", text, StringComparison.Ordinal);
        Assert.Contains("format      float32", text, StringComparison.Ordinal);
        Assert.Contains("markers and annotations: 4", text, StringComparison.Ordinal);
        Assert.Contains("Task: trial 3", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonHasTheSameFacts()
    {
        string input = ReplayCommandTests.WriteRecording(_folder);
        var stdout = new StringWriter();
        Assert.Equal(0, await InspectCommand.ExecuteAsync([input, "--json"], stdout, new StringWriter()));
        using var json = JsonDocument.Parse(stdout.ToString());
        var root = json.RootElement;
        Assert.Equal("XDF", root.GetProperty("format").GetString());
        var eeg = root.GetProperty("streams")[0];
        Assert.Equal("EEG", eeg.GetProperty("name").GetString());
        Assert.Equal(400, eeg.GetProperty("samples").GetInt64());
        Assert.Equal(100, eeg.GetProperty("effectiveRate").GetDouble(), 6);
        Assert.Equal(53.99, eeg.GetProperty("lastTimestamp").GetDouble(), 9);
        Assert.Equal(4, root.GetProperty("markerCount").GetInt32());
        Assert.Equal("trial 0", root.GetProperty("markers")[0].GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("damage").ValueKind);
    }

    [Fact]
    public async Task ADamagedFileIsListedUpToTheDamageAndExitsOne()
    {
        string input = ReplayCommandTests.WriteRecording(_folder);
        var bytes = File.ReadAllBytes(input);
        File.WriteAllBytes(input, bytes[..(bytes.Length - 1500)]);
        var stderr = new StringWriter();
        var stdout = new StringWriter();
        Assert.Equal(1, await InspectCommand.ExecuteAsync([input], stdout, stderr));
        Assert.Contains("stream 'EEG'", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("truncated", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SharedEdfFileListsItsAnnotationsWithOnsets()
    {
        string path = Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "data", "edf", "test_subsecond.edf"));
        if (!File.Exists(path))
        {
            return; // the third-party sample lives outside the repository; Core.Tests reports the skip
        }

        var stdout = new StringWriter();
        Assert.Equal(0, await InspectCommand.ExecuteAsync([path], stdout, new StringWriter()));
        string text = stdout.ToString();
        Assert.Contains("EDF+, 2 streams", text, StringComparison.Ordinal);
        Assert.Contains("channels    1: Fp1", text, StringComparison.Ordinal);
        Assert.Contains("samples     89344", text, StringComparison.Ordinal);
        Assert.Contains("markers and annotations: 4", text, StringComparison.Ordinal);
        Assert.Contains("2.3457031", text, StringComparison.Ordinal);
        Assert.Contains("XLSpike", text, StringComparison.Ordinal);
    }

    private static string RepositoryRoot() => typeof(InspectCommandTests).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepositoryRoot").Value!;
}
