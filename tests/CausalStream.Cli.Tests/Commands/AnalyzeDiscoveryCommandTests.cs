using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CausalStream.Cli.Tests.Commands;

/// <summary><c>analyze --method pcmciplus|te</c>: the JSON Lines graph against the peer reference and closed forms.</summary>
public sealed class AnalyzeDiscoveryCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("causalstream-analyze-disc-").FullName;

    private static string Fixture(string name) => InProcessCli.EngineFixture(name);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task PcmciPlusWritesTigramitesGraphWithOrientedContemporaneousLinks()
    {
        string output = Path.Combine(_folder, "plus.jsonl");
        var (code, _, errors) = await Run("analyze", Fixture("pcmci/scm_c6_t2000/data.csv"), "--method", "pcmciplus", "--tau-max", "3", "--pc-alpha", "0.01", "--out", output);
        Assert.True(code == 0, errors);
        using var doc = JsonDocument.Parse((await File.ReadAllLinesAsync(output)).Single());
        var graph = doc.RootElement;
        Assert.Equal("pcmciplus", graph.GetProperty("method").GetString());
        Assert.Equal(2000 - 6, graph.GetProperty("rowsUsed").GetInt32());

        using var reference = JsonDocument.Parse(await File.ReadAllTextAsync(Fixture("pcmci/scm_c6_t2000/tigramite.json")));
        var run = reference.RootElement.GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("method").GetString() == "pcmciplus");
        var expected = new HashSet<string>();
        var marks = run.GetProperty("graph");
        for (int i = 0; i < 6; i++)
        {
            for (int j = 0; j < 6; j++)
            {
                for (int tau = 0; tau <= 3; tau++)
                {
                    string link = marks[i][j][tau].GetString()!;
                    if (link == "-->" || (tau == 0 && i < j && link.Length > 0 && link != "<--"))
                    {
                        expected.Add($"{i}>{j}@{tau}:{link}");
                    }
                }
            }
        }

        var found = new HashSet<string>();
        int edges = 0;
        foreach (var e in graph.GetProperty("edges").EnumerateArray())
        {
            edges++;
            if (e.GetProperty("significant").GetBoolean())
            {
                found.Add($"{e.GetProperty("sourceIndex").GetInt32()}>{e.GetProperty("targetIndex").GetInt32()}@{e.GetProperty("lag").GetInt32()}:{e.GetProperty("link").GetString()}");
            }
        }
        Assert.Equal(expected.Order(), found.Order());
        Assert.Contains("0>2@0:-->", found);
        Assert.Contains("5>2@0:-->", found);
        Assert.Equal((6 * 6 * 3) + 15, edges);
    }

    [Fact]
    public async Task PcmciPlusFlagsADuplicatedChannel()
    {
        var lines = await File.ReadAllLinesAsync(Fixture("pcmci/var_c4_p2_t1500/data.csv"));
        var text = new StringBuilder();
        text.Append(lines[0]).Append(",dup\n");
        for (int r = 1; r < lines.Length; r++)
        {
            var cells = lines[r].Split(',');
            text.Append(lines[r]).Append(',').Append(cells[1]).Append('\n');
        }
        string csv = Path.Combine(_folder, "dup.csv");
        await File.WriteAllTextAsync(csv, text.ToString());
        string output = Path.Combine(_folder, "dup.jsonl");
        var (code, _, errors) = await Run("analyze", csv, "--method", "pcmciplus", "--tau-max", "2", "--out", output);
        Assert.True(code == 0, errors);
        Assert.Contains("collinear conditions", errors);
        using var doc = JsonDocument.Parse((await File.ReadAllLinesAsync(output)).Single());
        Assert.True(doc.RootElement.GetProperty("regularized").GetBoolean());
        foreach (var e in doc.RootElement.GetProperty("edges").EnumerateArray())
        {
            Assert.True(double.IsFinite(e.GetProperty("p").GetDouble()));
        }
    }

    [Theory]
    [InlineData(new[] { "analyze", "x.csv", "--method", "pcmciplus", "--pc-alpha", "auto" }, "needs a fixed --pc-alpha")]
    [InlineData(new[] { "analyze", "x.csv", "--method", "pcmciplus", "--pc-alpha", "0.01", "--alpha", "0.05" }, "not both")]
    public async Task PcmciPlusUsageErrors(string[] args, string message)
    {
        var (code, _, errors) = await Run(args);
        Assert.Equal(2, code);
        Assert.Contains(message, errors);
    }

    [Fact]
    public async Task PcmciPlusRejectsTooShortFiles()
    {
        string csv = Path.Combine(_folder, "short.csv");
        var text = new StringBuilder("t,a,b\n");
        for (int r = 0; r < 12; r++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{r * 0.004},{Math.Sin(r)},{Math.Cos(r * 1.3)}\n");
        }
        await File.WriteAllTextAsync(csv, text.ToString());
        var (code, _, errors) = await Run("analyze", csv, "--method", "pcmciplus", "--tau-max", "5", "--out", Path.Combine(_folder, "o.jsonl"));
        Assert.Equal(1, code);
        Assert.Contains("too few for PCMCI+ with tau-max 5", errors);
    }

    [Fact]
    public async Task TransferEntropyFindsTheQuadraticCouplingOfTheChosenPair()
    {
        // dst(t) = 0.4 dst(t−1) + 0.6 (src(t−1)² − 1) + 0.5 e: invisible to linear tests, strong for KSG TE.
        const int samples = 1500;
        var rng = new Random(8);
        var text = new StringBuilder("t,src,dst\n");
        double x = 0, y = 0;
        for (int t = 0; t < samples; t++)
        {
            double nx = Gauss(rng);
            double ny = (0.4 * y) + (0.6 * ((x * x) - 1)) + (0.5 * Gauss(rng));
            x = nx;
            y = ny;
            text.Append(CultureInfo.InvariantCulture, $"{t / 250.0:R},{x:R},{y:R}\n");
        }
        string csv = Path.Combine(_folder, "quad.csv");
        await File.WriteAllTextAsync(csv, text.ToString());
        string output = Path.Combine(_folder, "te.jsonl");
        var (code, _, errors) = await Run("analyze", csv, "--method", "te", "--pairs", "src>dst,1>0", "--surrogates", "39", "--out", output);
        Assert.True(code == 0, errors);
        using var doc = JsonDocument.Parse((await File.ReadAllLinesAsync(output)).Single());
        var graph = doc.RootElement;
        Assert.Equal("te-ksg", graph.GetProperty("method").GetString());
        Assert.Equal("fdr_bh", graph.GetProperty("correction").GetString());
        var edges = graph.GetProperty("edges").EnumerateArray().ToList();
        Assert.Equal(2, edges.Count);
        var forward = edges.Single(e => e.GetProperty("source").GetString() == "src");
        Assert.True(forward.GetProperty("weight").GetDouble() > 0.2);
        Assert.Equal(0.025, forward.GetProperty("p").GetDouble(), 12);
        Assert.True(forward.GetProperty("significant").GetBoolean());
        Assert.Equal(1, forward.GetProperty("lag").GetInt32());
        Assert.Equal("-->", forward.GetProperty("link").GetString());
        Assert.True(edges.Single(e => e.GetProperty("source").GetString() == "dst").GetProperty("weight").GetDouble() < 0.05);
    }

    [Theory]
    [InlineData(new[] { "analyze", "x.csv", "--method", "te", "--estimator", "binning" }, "unknown --estimator 'binning'")]
    [InlineData(new[] { "analyze", "x.csv", "--method", "te", "--neighbours", "0" }, "--neighbours needs a whole number of at least 1")]
    [InlineData(new[] { "analyze", "x.csv", "--method", "te", "--tau-max", "3" }, "use --history and --delay")]
    public async Task TransferEntropyUsageErrors(string[] args, string message)
    {
        var (code, _, errors) = await Run(args);
        Assert.Equal(2, code);
        Assert.Contains(message, errors);
    }

    private static double Gauss(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static Task<(int Code, string Output, string Errors)> Run(params string[] args) => InProcessCli.RunAsync(args);
}
