namespace CausalStream.Core.Simulation;

/// <summary>
/// The recording of one <see cref="StimulationScenario"/> run: every generated sample (row-major, with
/// measurement noise, as a source would stream it), their timestamps, the opportunities with their decisions,
/// and the network that produced them.
/// </summary>
public sealed class StimulationScenarioRun
{
    internal StimulationScenarioRun(VarNetwork network, double sampleRate, double[] samples, double[] timestamps, IReadOnlyList<ScenarioEvent> events)
    {
        Network = network;
        SampleRate = sampleRate;
        Samples = samples;
        Timestamps = timestamps;
        Events = events;
    }

    /// <summary>The true network behind the samples.</summary>
    public VarNetwork Network { get; }

    /// <summary>Samples per second.</summary>
    public double SampleRate { get; }

    /// <summary>Number of channels.</summary>
    public int Channels => Network.Channels;

    /// <summary>Sample n, channel c at <c>n · Channels + c</c>.</summary>
    public double[] Samples { get; }

    /// <summary>Source time of each sample.</summary>
    public double[] Timestamps { get; }

    /// <summary>Number of samples.</summary>
    public int SampleCount => Timestamps.Length;

    /// <summary>The opportunities in time order.</summary>
    public IReadOnlyList<ScenarioEvent> Events { get; }
}
