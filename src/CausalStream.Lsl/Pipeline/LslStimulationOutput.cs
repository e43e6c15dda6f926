using CausalStream.Core.Stimulation;

namespace CausalStream.Lsl.Pipeline;

/// <summary>
/// Delivers stimulation commands as text markers on an LSL outlet (<c>&lt;name&gt;-markers</c>), for stimulus
/// programs that listen to LSL: <c>stim channel=… amplitude=… duration=… issued=… reason=…</c>.
/// </summary>
public sealed class LslStimulationOutput : IStimulationReceiver, IAsyncDisposable
{
    private readonly LslSink _sink;

    public LslStimulationOutput(LslSinkOptions options)
    {
        _sink = new LslSink(options with { Graphs = false, Markers = true });
        _sink.EnsureMarkerOutlet();
    }

    /// <summary>The outlet the markers go to.</summary>
    public Outlet.LslOutlet Outlet => _sink.MarkerOutlet!;

    public bool TryDeliver(StimulationCommand command)
    {
        _sink.PublishStimulation(command);
        return true;
    }

    public ValueTask DisposeAsync() => _sink.DisposeAsync();
}
