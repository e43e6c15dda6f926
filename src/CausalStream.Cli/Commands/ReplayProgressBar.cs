using System.Globalization;
using CausalStream.Core.Replay;
using Spectre.Console;

namespace CausalStream.Cli.Commands;

/// <summary>
/// The terminal view of a running replay: a progress bar over the recording's span with the pace (× real time),
/// the sample rate and the time left, redrawn in place while the pipeline runs. Used only when standard output is
/// an interactive terminal; redirected output gets plain periodic lines instead.
/// </summary>
public static class ReplayProgressBar
{
    /// <summary>Redraws every this many milliseconds.</summary>
    public const int RefreshMilliseconds = 200;

    /// <summary>
    /// The console to draw on when standard output is an interactive terminal that understands cursor movement,
    /// or null (redirected output, a dumb terminal, CI).
    /// </summary>
    public static IAnsiConsole? ForStandardOutput()
    {
        if (Console.IsOutputRedirected)
        {
            return null;
        }
        var console = AnsiConsole.Console;
        return console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi ? console : null;
    }

    /// <summary>Shows the bar on <paramref name="console"/> until <paramref name="run"/> completes, then leaves its final state.</summary>
    public static Task ShowAsync(IAnsiConsole console, Task run, Func<ReplayProgress> progress)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(progress);
        return console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var first = progress();
                bool bounded = double.IsFinite(first.TotalSeconds) && first.TotalSeconds > 0;
                var task = context.AddTask(Label(first), maxValue: bounded ? first.TotalSeconds : 1.0);
                task.IsIndeterminate = !bounded;
                while (!run.IsCompleted)
                {
                    await Task.WhenAny(run, Task.Delay(RefreshMilliseconds)).ConfigureAwait(false);
                    Update(task, progress(), bounded);
                    context.Refresh();
                }
                Update(task, progress(), bounded);
                task.StopTask();
            });
    }

    /// <summary>The bar's caption: recording seconds replayed, pace and sample rate.</summary>
    public static string Label(ReplayProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var c = CultureInfo.InvariantCulture;
        string total = double.IsFinite(progress.TotalSeconds) ? string.Format(c, "/{0:F1}", progress.TotalSeconds) : string.Empty;
        return string.Format(c, "replay {0:F1}{1} s  {2:F1}x real time  {3:F0} k samples/s", progress.RecordingSeconds, total, progress.Pace, progress.SamplesPerSecond / 1000);
    }

    private static void Update(ProgressTask task, ReplayProgress progress, bool bounded)
    {
        task.Description = Markup.Escape(Label(progress));
        if (bounded)
        {
            task.Value = Math.Min(progress.RecordingSeconds, progress.TotalSeconds);
        }
    }
}
