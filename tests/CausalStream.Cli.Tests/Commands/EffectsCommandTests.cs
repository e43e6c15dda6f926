using System.Text.Json;
using CausalStream.Cli.Commands;
using CausalStream.Cli.Tests.Configuration;

namespace CausalStream.Cli.Tests.Commands;

public sealed class EffectsCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("causalstream-effects-").FullName;

    private static string Fixture(string dataset, string name) => Path.Combine(ConfigLoaderTests.RepoRoot(), "tests", "CausalStream.Engine.Tests", "Fixtures", "effects", dataset, name);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task AllEstimatorsMatchTheStoredReferences()
    {
        var (code, output, errors) = await Run(Fixture("confounded_linear_n3000", "data.csv"), "--treatment", "d", "--outcome", "y", "--covariates", "x1,x2,x3,x4,x5,x6", "--folds", "fold");
        Assert.True(code == 0, errors);
        var root = JsonDocument.Parse(output).RootElement;
        using var reference = JsonDocument.Parse(await File.ReadAllTextAsync(Fixture("confounded_linear_n3000", "estimates.json")));
        var r = reference.RootElement;
        var estimates = root.GetProperty("estimates").EnumerateArray().ToDictionary(e => e.GetProperty("estimator").GetString()!);
        Assert.Equal(5, root.GetProperty("folds").GetInt32());
        Check(r.GetProperty("naive_difference_in_means"), estimates["diff"]);
        Check(r.GetProperty("ipw").GetProperty("clipped_0.01_0.99").GetProperty("hajek"), estimates["ipw"]);
        Check(r.GetProperty("psm_att").GetProperty("with_replacement"), estimates["match"]);
        Check(r.GetProperty("aipw").GetProperty("clipped_0.01_0.99"), estimates["aipw"]);
        Check(r.GetProperty("aipw_crossfit_irm").GetProperty("doubleml_0_7_1"), estimates["aipw_crossfit"]);
        Check(r.GetProperty("dml_plr").GetProperty("OLS").GetProperty("doubleml_0_7_1"), estimates["dml"]);
        Assert.Equal("ATT", estimates["match"].GetProperty("estimand").GetString());
    }

    [Fact]
    public async Task RidgeDmlWithFoldColumn()
    {
        var (code, output, errors) = await Run(Fixture("randomized_n2000", "data.csv"), "--treatment", "d", "--outcome", "y", "--covariates", "x1,x2,x3,x4", "--estimator", "dml", "--folds", "fold", "--ridge", "1");
        Assert.True(code == 0, errors);
        using var reference = JsonDocument.Parse(await File.ReadAllTextAsync(Fixture("randomized_n2000", "estimates.json")));
        var estimate = Assert.Single(JsonDocument.Parse(output).RootElement.GetProperty("estimates").EnumerateArray());
        Check(reference.RootElement.GetProperty("dml_plr").GetProperty("Ridge_alpha1").GetProperty("doubleml_0_7_1"), estimate);
    }

    [Fact]
    public async Task FoldCountReproducesExactly()
    {
        string[] args = [Fixture("randomized_n2000", "data.csv"), "--treatment", "d", "--outcome", "y", "--covariates", "x1,x2,x3,x4", "--estimator", "dml", "--folds", "4", "--fold-seed", "3"];
        var first = await Run(args);
        var second = await Run(args);
        Assert.Equal(0, first.Code);
        Assert.Equal(first.Output, second.Output);
    }

    [Fact]
    public async Task NoControlsGivesWithheldEstimatesNotNaN()
    {
        string path = Path.Combine(_folder, "treated.csv");
        await File.WriteAllTextAsync(path, "d,y,x\n1,1,0.1\n1,2,0.3\n1,3,0.2\n");
        var (code, output, errors) = await Run(path, "--treatment", "d", "--outcome", "y", "--covariates", "x");
        Assert.Equal(0, code);
        foreach (var e in JsonDocument.Parse(output).RootElement.GetProperty("estimates").EnumerateArray())
        {
            Assert.Equal(JsonValueKind.Null, e.GetProperty("estimate").ValueKind);
            Assert.Contains("no control", e.GetProperty("withheld").GetString(), StringComparison.Ordinal);
        }

        Assert.Contains("withheld", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadFieldAndBadOptionsAreReported()
    {
        string path = Path.Combine(_folder, "bad.csv");
        await File.WriteAllTextAsync(path, "d,y,x\n1,1,0.1\n0,oops,0.3\n");
        var (code, _, errors) = await Run(path, "--treatment", "d", "--outcome", "y", "--covariates", "x");
        Assert.Equal(1, code);
        Assert.Contains("line 3, column 2", errors, StringComparison.Ordinal);

        await Assert.ThrowsAsync<UsageException>(() => EffectsCommand.ExecuteAsync([path, "--treatment", "d", "--outcome", "y", "--covariates", "x", "--estimator", "magic"], TextWriter.Null, TextWriter.Null));
        await Assert.ThrowsAsync<UsageException>(() => EffectsCommand.ExecuteAsync([path, "--outcome", "y", "--covariates", "x"], TextWriter.Null, TextWriter.Null));
    }

    private static void Check(JsonElement expected, JsonElement actual)
    {
        Assert.Equal(expected.GetProperty("estimate").GetDouble(), actual.GetProperty("estimate").GetDouble(), 1e-6);
        Assert.Equal(expected.GetProperty("se").GetDouble(), actual.GetProperty("se").GetDouble(), 1e-6);
        Assert.Equal(expected.GetProperty("ci95")[0].GetDouble(), actual.GetProperty("ci")[0].GetDouble(), 1e-6);
        Assert.Equal(expected.GetProperty("ci95")[1].GetDouble(), actual.GetProperty("ci")[1].GetDouble(), 1e-6);
    }

    private static async Task<(int Code, string Output, string Errors)> Run(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int code = await EffectsCommand.ExecuteAsync(args, output, errors);
        return (code, output.ToString(), errors.ToString());
    }
}
