using System.Runtime.InteropServices;

namespace CausalStream.Cli.Commands;

/// <summary>
/// Turns Ctrl+C (SIGINT) and SIGTERM into cancellation for a command: the first signal cancels <see cref="Stop"/>
/// (drain and exit cleanly), a second one cancels <see cref="Abort"/> (abandon the drain). The process is not
/// killed by the signal; the command decides how to end.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private readonly Action<int>? _onSignal;
    private int _signals;

    /// <param name="onSignal">Called with the signal's number (1 for the first) before the token is cancelled, e.g. to log it.</param>
    public StopSignals(Action<int>? onSignal = null)
    {
        _onSignal = onSignal;
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Stop => _stop.Token;

    /// <summary>Cancelled by the second signal.</summary>
    public CancellationToken Abort => _abort.Token;

    /// <summary>Cancels <see cref="Stop"/> after a delay, as a signal would (for --duration).</summary>
    public void StopAfter(TimeSpan delay) => _stop.CancelAfter(delay);

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
        _abort.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        int count = Interlocked.Increment(ref _signals);
        _onSignal?.Invoke(count);
        (count == 1 ? _stop : _abort).Cancel();
    }
}
