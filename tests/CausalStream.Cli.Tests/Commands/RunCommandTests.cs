using System.Diagnostics;

namespace CausalStream.Cli.Tests.Commands;

public class RunCommandTests
{
    /// <summary>Runs the embedded default with its dashboard on an ephemeral port, so a dashboard already on 5080 does not collide.</summary>
    private const string EphemeralDashboard = "sinks.dashboard.url=http://127.0.0.1:0";

    [Fact]
    public async Task RunWithDurationPrintsLiveUpdatesAndExitsZero()
    {
        var (code, stdout, stderr) = await RunCliAsync(["run", "--duration", "6", "--set", EphemeralDashboard], interruptAfter: null);
        Assert.True(code == 0, $"exit {code}; stderr: {stderr}");
        Assert.Contains("[graph sim #1 0.00-4.00 s, granger p=3", stdout);
        Assert.Contains("| truth ", stdout);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 2, "expected a status line per second: " + stdout);
        Assert.Contains(lines, l => l.Contains("final", StringComparison.Ordinal) && l.Contains("sim ", StringComparison.Ordinal));
        Assert.Contains("Stopped cleanly", stderr);
    }

    [Fact]
    public async Task InterruptStopsCleanlyWithFinalReport()
    {
        var (code, stdout, stderr) = await RunCliAsync(["run", "--set", EphemeralDashboard], interruptAfter: TimeSpan.FromSeconds(1.5));
        Assert.True(code == 0, $"exit {code}; stderr: {stderr}");
        Assert.Contains("final", stdout);
        Assert.Contains("Stopped cleanly", stderr);
    }

    [Fact]
    public async Task TerminateSignalAlsoStopsCleanly()
    {
        var (code, stdout, stderr) = await RunCliAsync(["run", "--set", EphemeralDashboard], interruptAfter: TimeSpan.FromSeconds(1), signal: "-TERM");
        Assert.True(code == 0, $"exit {code}; stderr: {stderr}");
        Assert.Contains("final", stdout);
        Assert.Contains("Stopped cleanly", stderr);
    }

    [Fact]
    public async Task BadConfigExitsTwoNamingTheKey()
    {
        string path = Path.Combine(Path.GetTempPath(), $"causalstream-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{ "source": { "simulator": {} }, "window": { "length": 1, "hop": 2 } }""");
        try
        {
            var (code, _, stderr) = await RunCliAsync(["run", "--config", path], interruptAfter: null);
            Assert.Equal(2, code);
            Assert.Contains($"configuration error: {path}: window.hop:", stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task OverridesAreValidatedLikeTheFileAndNameTheKey()
    {
        var (code, _, stderr) = await RunCliAsync(["run", "--set", EphemeralDashboard, "--set", "window.hop=-1"], interruptAfter: null);
        Assert.Equal(2, code);
        Assert.Contains("configuration error: config/default.json (embedded): window.hop:", stderr);
        (code, _, stderr) = await RunCliAsync(["run", "--set", "stimulation.featureRules[3].threshold=1"], interruptAfter: null);
        Assert.Equal(2, code);
        Assert.Contains("stimulation.featureRules[3].threshold: 'featureRules' has no element 3 (it has 1)", stderr);
    }

    [Fact]
    public async Task UnknownOptionAndCommandAreUsageErrors()
    {
        var (code, _, stderr) = await RunCliAsync(["run", "--durration", "3"], interruptAfter: null);
        Assert.Equal(2, code);
        Assert.Contains("unknown option '--durration'", stderr);
        (code, _, stderr) = await RunCliAsync(["frobnicate"], interruptAfter: null);
        Assert.Equal(2, code);
        Assert.Contains("unknown command 'frobnicate'", stderr);
    }

    [Fact]
    public async Task HelpDescribesTheCommands()
    {
        var (code, stdout, _) = await RunCliAsync(["--help"], interruptAfter: null);
        Assert.Equal(0, code);
        Assert.Contains("causalstream run [--config FILE] [--duration SECONDS]", stdout);
        (code, stdout, _) = await RunCliAsync(["run", "--help"], interruptAfter: null);
        Assert.Equal(0, code);
        Assert.Contains("--duration SECONDS", stdout);
    }

    /// <summary>Runs the real causalstream executable in a child process, optionally sending SIGINT.</summary>
    internal static async Task<(int Code, string Stdout, string Stderr)> RunCliAsync(string[] args, TimeSpan? interruptAfter, string signal = "-INT")
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "causalstream.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["CAUSALSTREAM_TEST"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start causalstream");
        var firstLine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var collected = new System.Text.StringBuilder();
        var stdout = Task.Run(async () =>
        {
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync()) is not null)
            {
                lock (collected)
                {
                    collected.AppendLine(line);
                }

                if (line.StartsWith('[') && line.Contains("s]", StringComparison.Ordinal))
                {
                    firstLine.TrySetResult();
                }
            }

            firstLine.TrySetResult();
            lock (collected)
            {
                return collected.ToString();
            }
        });
        var stderr = process.StandardError.ReadToEndAsync();
        if (interruptAfter is TimeSpan delay)
        {
            // Interrupt only once the run is printing status lines, so the signal handlers are in place.
            await firstLine.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(delay);
            using var kill = Process.Start("kill", [signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("causalstream did not exit within 60 s; stderr: " + await stderr);
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
