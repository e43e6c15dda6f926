namespace CausalStream.Core.Stimulation;

/// <summary>
/// Checks the controller's data freshness on its own timer, so a source that stops (and so sends no chunk that
/// could trigger a check) still disarms the controller within the stale-data limit plus one period.
/// </summary>
public sealed class StimulationWatchdog : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public StimulationWatchdog(StimulationController controller, TimeSpan? period = null)
    {
        var interval = period ?? TimeSpan.FromSeconds(Math.Max(0.005, controller.Safety.StaleDataSeconds / 10));
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                {
                    controller.CheckWatchdog(Streams.MonotonicClock.Now);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
