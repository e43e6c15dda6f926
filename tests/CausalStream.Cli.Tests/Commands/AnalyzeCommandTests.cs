using System.Text.Json;

namespace CausalStream.Cli.Tests.Commands;

public sealed class AnalyzeCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("causalstream-analyze-").FullName;

    private static string Fixture(string name) => InProcessCli.EngineFixture(name);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task WholeFileGraphMatchesStatsmodelsTestCausality()
    {
        string output = Path.Combine(_folder, "graph.jsonl");
        var (code, _, errors) = await Run("analyze", Fixture("var5_p3.csv"), "--method", "granger", "--max-lag", "3", "--out", output);
        Assert.True(code == 0, errors);

        var lines = await File.ReadAllLinesAsync(output);
        var graph = JsonDocument.Parse(Assert.Single(lines)).RootElement;
        Assert.Equal("graph", graph.GetProperty("type").GetString());
        Assert.Equal(3, graph.GetProperty("maxLag").GetInt32());
        Assert.Equal(2997, graph.GetProperty("rowsUsed").GetInt32());
        var edges = graph.GetProperty("edges");
        Assert.Equal(20, edges.GetArrayLength());

        using var reference = JsonDocument.Parse(await File.ReadAllTextAsync(Fixture("var5_p3.reference.json")));
        int compared = 0;
        foreach (var expected in reference.RootElement.GetProperty("causality").EnumerateArray())
        {
            int target = expected.GetProperty("target").GetInt32();
            int source = expected.GetProperty("source").GetInt32();
            var edge = edges.EnumerateArray().Single(e => e.GetProperty("sourceIndex").GetInt32() == source && e.GetProperty("targetIndex").GetInt32() == target);
            AssertRelative(expected.GetProperty("F").GetDouble(), edge.GetProperty("f").GetDouble(), 1e-6);
            AssertRelative(expected.GetProperty("pvalue").GetDouble(), edge.GetProperty("p").GetDouble(), 1e-6);
            Assert.Equal(expected.GetProperty("df2").GetDouble(), edge.GetProperty("df2").GetDouble());
            compared++;
        }

        Assert.Equal(20, compared);
    }

    [Fact]
    public async Task WindowsGiveOneGraphPerHopWithEveryEdge()
    {
        string output = Path.Combine(_folder, "windows.jsonl");
        var (code, _, errors) = await Run("analyze", Fixture("var5_p3.csv"), "--method", "granger", "--max-lag", "2", "--window", "4", "--hop", "2", "--out", output);
        Assert.True(code == 0, errors);
        var lines = await File.ReadAllLinesAsync(output);
        Assert.Equal(5, lines.Length); // 3000 samples at 250 Hz: windows of 1000 ending at 1000, 1500, ..., 3000
        for (int k = 0; k < lines.Length; k++)
        {
            var graph = JsonDocument.Parse(lines[k]).RootElement;
            Assert.Equal(1000, graph.GetProperty("samples").GetInt32());
            Assert.Equal(20, graph.GetProperty("edges").GetArrayLength());
            Assert.Equal(2.0 * k, graph.GetProperty("windowStart").GetDouble(), 9);
            Assert.Equal((999 + (500 * k)) * 0.004, graph.GetProperty("windowEnd").GetDouble(), 9);
        }
    }

    [Fact]
    public async Task DamagedRowsAreReportedByLineAndTheRestIsAnalysed()
    {
        string csv = Path.Combine(_folder, "damaged.csv");
        var text = (await File.ReadAllLinesAsync(Fixture("var5_p3.csv"))).ToList();
        text[101] = "0.4,1,2";               // too few fields
        text[201] = text[201].Replace(",", ",x", StringComparison.Ordinal); // unreadable values -> NaN
        await File.WriteAllLinesAsync(csv, text);
        string output = Path.Combine(_folder, "damaged.jsonl");
        var (code, _, errors) = await Run("analyze", csv, "--method", "granger", "--max-lag", "3", "--out", output);
        Assert.True(code == 0, errors);
        Assert.Contains("line 102: 3 fields, the header has 6", errors);
        Assert.Contains("line 202, column 2", errors);
        var graph = JsonDocument.Parse(Assert.Single(await File.ReadAllLinesAsync(output))).RootElement;
        Assert.Equal(4, graph.GetProperty("rowsSkipped").GetInt32()); // the NaN row and the 3 rows that use it as a lag
        Assert.Equal(2999 - 3 - 4, graph.GetProperty("rowsUsed").GetInt32());
    }

    [Theory]
    [InlineData(new[] { "analyze", "x.csv" }, "--method is required")]
    [InlineData(new[] { "analyze", "x.csv", "--method", "lingam" }, "unknown method 'lingam'")]
    [InlineData(new[] { "analyze", "x.csv", "--method", "granger", "--max-lag", "0" }, "--max-lag needs a positive whole number or 'auto'")]
    [InlineData(new[] { "analyze", "x.csv", "--method", "granger", "--hop", "1" }, "--hop needs --window")]
    [InlineData(new[] { "analyze", "x.csv", "--method", "granger", "--window", "1", "--hop", "2" }, "--hop must not exceed --window")]
    [InlineData(new[] { "analyze", "--method", "granger" }, "give exactly one CSV file")]
    public async Task UsageErrorsExitTwo(string[] args, string message)
    {
        var (code, _, errors) = await Run(args);
        Assert.Equal(2, code);
        Assert.Contains(message, errors);
    }

    [Fact]
    public async Task MissingFileAndTooShortWindowAreNamed()
    {
        var (code, _, errors) = await Run("analyze", Path.Combine(_folder, "absent.csv"), "--method", "granger");
        Assert.Equal(1, code);
        Assert.Contains("absent.csv: (file): cannot open", errors);

        (code, _, errors) = await Run("analyze", Fixture("var5_p3.csv"), "--method", "granger", "--max-lag", "10", "--window", "0.1", "--out", Path.Combine(_folder, "o.jsonl"));
        Assert.Equal(1, code);
        Assert.Contains("a window holds 25 samples, but a VAR(10) on 5 channels needs at least 62", errors);
    }

    private static Task<(int Code, string Output, string Errors)> Run(params string[] args) => InProcessCli.RunAsync(args);

    private static void AssertRelative(double expected, double actual, double tolerance)
    {
        double scale = Math.Max(Math.Abs(expected), 1e-300);
        Assert.True(Math.Abs(expected - actual) / scale <= tolerance, $"expected {expected:R}, got {actual:R} (relative tolerance {tolerance})");
    }
}
