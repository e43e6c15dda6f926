namespace CausalStream.Core.Simulation;

/// <summary>
/// A closed-loop stimulation experiment on the simulator's network with a known true effect: at regular
/// opportunities a controller stimulates with a probability that rises with the recent amplitude of a
/// confounder channel. Because the same state carries on into the post-stimulation window, the naive
/// difference in means is biased, while estimators that adjust for the pre-event state (IPW, AIPW, DML) are not.
/// </summary>
/// <remarks>
/// The network is linear, so a pulse changes every later sample by exactly <see cref="PulseResponse"/>: the effect
/// of stimulation on the mean amplitude of a channel over a latency range is a constant, <see cref="TrueMeanEffect"/>.
/// The decision at sample n uses samples up to n; its pulse starts at sample n + 1 (as in the live simulator,
/// which applies a pulse from the next chunk). The probability is
/// <c>clamp(logistic(logit(BaseProbability) + ConfoundingStrength · z / sd), MinProbability, 1 − MinProbability)</c>,
/// z the confounder's window mean and sd its stationary standard deviation.
/// </remarks>
public sealed class StimulationScenario
{
    private readonly SimulatorOptions _simulator;
    private readonly StimulationScenarioOptions _options;
    private readonly VarNetwork _network;
    private readonly double _confounderSd;

    /// <summary>Creates the scenario; the network is <paramref name="network"/> or the simulator's random network.</summary>
    /// <exception cref="ArgumentException">Invalid options (the message names the field).</exception>
    public StimulationScenario(SimulatorOptions simulator, StimulationScenarioOptions options, VarNetwork? network = null)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        ArgumentNullException.ThrowIfNull(options);
        simulator.Validate();
        options.Validate(simulator.Channels);
        _simulator = simulator with { Rhythms = [], EdgeSchedule = [] };
        _options = options;
        _network = network ?? VarNetwork.CreateRandom(simulator);
        var gamma = _network.TheoreticalCovariance(0, simulator.InnovationSd, simulator.MeasurementNoiseSd);
        _confounderSd = Math.Sqrt(Math.Max(gamma[0][options.ConfounderChannel, options.ConfounderChannel], 1e-12));
    }

    /// <summary>The network that generates the data.</summary>
    public VarNetwork Network => _network;

    /// <summary>The scenario settings.</summary>
    public StimulationScenarioOptions Options => _options;

    /// <summary>The probability of stimulating at a confounder value <paramref name="confounder"/>.</summary>
    public double Propensity(double confounder)
    {
        double p0 = _options.BaseProbability;
        double logit = Math.Log(p0 / (1 - p0)) + (_options.ConfoundingStrength * confounder / _confounderSd);
        double e = 1 / (1 + Math.Exp(-logit));
        return Math.Clamp(e, _options.MinProbability, 1 - _options.MinProbability);
    }

    /// <summary>
    /// The true effect of one pulse on the mean amplitude of <paramref name="outcomeChannel"/> over sample offsets
    /// [<paramref name="firstOffset"/>, <paramref name="endOffset"/>) after the decision sample.
    /// </summary>
    public double TrueMeanEffect(int outcomeChannel, int firstOffset, int endOffset)
        => PulseResponse.MeanOverWindow(_network, _options.StimulatedChannel, _options.Amplitude, _options.DurationSamples, outcomeChannel, firstOffset, endOffset, delaySamples: 1);

    /// <summary>The true response of every channel to one pulse, t = 0..horizon−1 after the pulse onset (row-major).</summary>
    public double[] TrueResponse(int horizon)
        => PulseResponse.Compute(_network, _options.StimulatedChannel, _options.Amplitude, _options.DurationSamples, horizon);

    /// <summary>
    /// Runs <paramref name="opportunities"/> opportunities and then <paramref name="tailSamples"/> more samples
    /// (so the last outcome windows complete). Deterministic for given seeds.
    /// </summary>
    public StimulationScenarioRun Run(int opportunities, int tailSamples = 100)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(opportunities);
        ArgumentOutOfRangeException.ThrowIfNegative(tailSamples);
        var generator = new VarGenerator(_simulator, _network);
        var random = new Random(_options.Seed);
        int c = _network.Channels;
        double rate = _simulator.SampleRate;
        var values = new List<double>(((_options.BurnInSamples + (opportunities * (_options.SpacingSamples + _options.JitterSamples))) + tailSamples) * c);
        var events = new List<ScenarioEvent>(opportunities);
        var block = new double[Math.Max(_options.BurnInSamples, _options.SpacingSamples + _options.JitterSamples + tailSamples + 1) * c];
        long generated = 0;

        void Generate(int samples)
        {
            generator.Generate(block, samples);
            for (int i = 0; i < samples * c; i++)
            {
                values.Add(block[i]);
            }

            generated += samples;
        }

        Generate(_options.BurnInSamples);
        for (int o = 0; o < opportunities; o++)
        {
            int gap = _options.SpacingSamples + (_options.JitterSamples > 0 ? random.Next(_options.JitterSamples + 1) : 0);
            Generate(gap);
            long n = generated - 1;
            double z = 0;
            for (int k = 0; k < _options.ConfounderWindowSamples; k++)
            {
                z += values[(int)((n - k) * c) + _options.ConfounderChannel];
            }

            z /= _options.ConfounderWindowSamples;
            double e = Propensity(z);
            bool treated = random.NextDouble() < e;
            if (treated)
            {
                generator.AddPulse(_options.StimulatedChannel, _options.Amplitude, _options.DurationSamples);
            }

            events.Add(new ScenarioEvent(n, _simulator.StartTime + (n / rate), treated, e, z));
        }

        Generate(tailSamples);
        var timestamps = new double[generated];
        for (long i = 0; i < generated; i++)
        {
            timestamps[i] = _simulator.StartTime + (i / rate);
        }

        return new StimulationScenarioRun(_network, rate, [.. values], timestamps, events);
    }
}
