using CausalStream.Cli.Tests.Configuration;

namespace CausalStream.Cli.Tests.Commands;

/// <summary>Runs the command line in this process, as the executable would, and finds the engine's shared fixtures.</summary>
internal static class InProcessCli
{
    /// <summary>Runs <c>causalstream ARGS</c>; a usage error becomes exit code 2 with its message on standard error.</summary>
    public static async Task<(int Code, string Output, string Errors)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int code;
        try
        {
            code = await Program.RunAsync(args, output, errors);
        }
        catch (CausalStream.Cli.Commands.UsageException ex)
        {
            errors.WriteLine(ex.Message);
            code = Program.ExitUsage;
        }

        return (code, output.ToString(), errors.ToString());
    }

    /// <summary>A file under tests/CausalStream.Engine.Tests/Fixtures.</summary>
    public static string EngineFixture(string name) => Path.Combine(ConfigLoaderTests.RepoRoot(), "tests", "CausalStream.Engine.Tests", "Fixtures", name);
}
