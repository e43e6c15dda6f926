using CausalStream.Cli.Commands;
using CausalStream.Core.Replay;
using Spectre.Console;

namespace CausalStream.Cli.Tests.Commands;

/// <summary>The terminal progress bar of <c>replay</c>, drawn on a Spectre console that records what a terminal would receive.</summary>
public sealed class ReplayProgressBarTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "causalstream-replaybar-" + Guid.NewGuid().ToString("N"));

    public ReplayProgressBarTests()
    {
        Directory.CreateDirectory(_folder);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task ATerminalGetsABarWithPaceAndRateInsteadOfPlainLines()
    {
        string input = ReplayCommandTests.WriteRecording(_folder);
        var screen = new StringWriter();
        var terminal = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(screen),
        });
        terminal.Profile.Width = 120;
        var stdout = new StringWriter();

        int code = await ReplayCommand.ExecuteAsync([input, "--speed", "4", "--progress", "0.1"], stdout, new StringWriter(), terminal);

        Assert.Equal(0, code);
        string drawn = screen.ToString();
        Assert.Contains("replay 4.0/4.0 s", drawn, StringComparison.Ordinal);
        Assert.Contains("x real time", drawn, StringComparison.Ordinal);
        Assert.Contains("100%", drawn, StringComparison.Ordinal);
        Assert.Contains("\u001b[", drawn, StringComparison.Ordinal); // redrawn in place with cursor movement
        // The plain periodic lines are not written beside the bar; the final summary still is.
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines, l => l.StartsWith("replay: ", StringComparison.Ordinal));
        Assert.Contains("(done)", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LabelShowsSecondsPaceAndRate()
    {
        var label = ReplayProgressBar.Label(new ReplayProgress(12, 600, 650_000, 3, 1.0));
        Assert.Equal("replay 12.0/600.0 s  12.0x real time  650 k samples/s", label);
        var open = ReplayProgressBar.Label(new ReplayProgress(5, double.PositiveInfinity, 0, 0, 0));
        Assert.StartsWith("replay 5.0 s ", open, StringComparison.Ordinal);
    }

    [Fact]
    public void RedirectedOutputGetsNoBar()
    {
        // Test processes run with redirected standard output, as CI and pipes do.
        Assert.True(Console.IsOutputRedirected);
        Assert.Null(ReplayProgressBar.ForStandardOutput());
    }
}
