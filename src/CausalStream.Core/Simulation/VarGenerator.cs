namespace CausalStream.Core.Simulation;

/// <summary>
/// Synchronous sample generator for a <see cref="VarNetwork"/>: innovations, rhythmic drives, stimulation
/// pulses, scheduled edges and measurement noise, produced sample by sample into caller buffers. It is the
/// engine behind <see cref="VarSimulator"/> and lets tests and benchmarks pull samples without a pipeline.
/// Not thread-safe.
/// </summary>
/// <remarks>
/// Latent state: <c>x_t = Σ_k A_k(t) x_{t−k} + σ·e_t + d_t</c>, where A_k(t) is the base network plus the scheduled
/// edges active at sample t and d_t sums the rhythms and pulses of each channel; output <c>y_t = x_t + m·η_t</c>.
/// The state starts at zero. Innovations e and measurement noise η come from two independent seeded streams
/// drawn in a fixed order per sample, so the output depends only on the seed and on the inputs, never on how
/// the calls to <see cref="Generate"/> are split into blocks.
/// </remarks>
public sealed class VarGenerator
{
    private readonly int _channels;
    private readonly int _maxLag;
    private readonly double _sampleRate;
    private readonly double _innovationSd;
    private readonly double _measurementNoiseSd;
    private readonly double[] _baseCoefficients;
    private readonly double[] _coefficients;
    private readonly ScheduledSlot[] _schedule;
    private readonly long[] _boundaries;
    private readonly RhythmDrive[] _rhythms;
    private readonly double[] _rhythmOmega;
    private readonly GaussianNoise _innovationNoise;
    private readonly GaussianNoise _measurementNoise;

    // Ring of the last p states: slot (_head − k + p) mod p holds x_{t−k} for k = 1..p, where t is the next sample.
    private readonly double[] _history;
    private readonly double[] _current;
    private readonly double[] _drive;
    private ActivePulse[] _pulses = new ActivePulse[8];
    private int _pulseCount;
    private int _head;
    private int _nextBoundary;

    /// <summary>Creates a generator for <paramref name="options"/>; the network is <paramref name="network"/> or, when null, <see cref="VarNetwork.CreateRandom"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options, a network whose size does not match them, or a schedule that makes the network unstable.</exception>
    public VarGenerator(SimulatorOptions options, VarNetwork? network = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        network ??= VarNetwork.CreateRandom(options);
        if (network.Channels != options.Channels || network.MaxLag != options.MaxLag)
        {
            throw new ArgumentException(
                $"the network has {network.Channels} channels and order {network.MaxLag}, but SimulatorOptions.Channels is {options.Channels} and SimulatorOptions.MaxLag is {options.MaxLag}",
                nameof(network));
        }

        if (!network.IsStable)
        {
            throw new ArgumentException($"the network is not stable (spectral radius {network.SpectralRadius})", nameof(network));
        }

        Network = network;
        Options = options;
        _channels = options.Channels;
        _maxLag = options.MaxLag;
        _sampleRate = options.SampleRate;
        _innovationSd = options.InnovationSd;
        _measurementNoiseSd = options.MeasurementNoiseSd;
        _baseCoefficients = network.FlatCoefficients.ToArray();
        _coefficients = (double[])_baseCoefficients.Clone();

        _schedule = new ScheduledSlot[options.EdgeSchedule.Count];
        var boundaries = new SortedSet<long>();
        for (int i = 0; i < _schedule.Length; i++)
        {
            var edge = options.EdgeSchedule[i];
            long on = SampleIndexAt(edge.OnAt);
            long off = edge.OffAt is double offAt ? SampleIndexAt(offAt) : long.MaxValue;
            _schedule[i] = new ScheduledSlot(VarNetwork.Index(_channels, edge.Lag, edge.Target, edge.Source), edge.Coefficient, on, off);
            boundaries.Add(on);
            if (off != long.MaxValue)
            {
                boundaries.Add(off);
            }
        }

        _boundaries = [.. boundaries];
        foreach (long boundary in _boundaries)
        {
            var regime = NetworkAtSample(boundary);
            if (!regime.IsStable)
            {
                throw new ArgumentException(
                    $"SimulatorOptions.EdgeSchedule makes the network unstable (spectral radius {regime.SpectralRadius}) from t = {boundary / _sampleRate} s",
                    nameof(options));
            }
        }

        _rhythms = [.. options.Rhythms];
        _rhythmOmega = new double[_rhythms.Length];
        for (int r = 0; r < _rhythms.Length; r++)
        {
            _rhythmOmega[r] = 2 * Math.PI * _rhythms[r].FrequencyHz / _sampleRate;
        }

        _innovationNoise = new GaussianNoise(options.Seed);
        _measurementNoise = new GaussianNoise(unchecked(options.Seed ^ 0x5DEECE6));
        _history = new double[_maxLag * _channels];
        _current = new double[_channels];
        _drive = new double[_channels];
        ApplySchedule(0);
    }

    /// <summary>The base network (without scheduled edges).</summary>
    public VarNetwork Network { get; }

    /// <summary>The validated options this generator runs with.</summary>
    public SimulatorOptions Options { get; }

    /// <summary>Number of channels per sample.</summary>
    public int Channels => _channels;

    /// <summary>Index of the next sample to be generated (= samples generated so far).</summary>
    public long SampleIndex { get; private set; }

    /// <summary>Pulses currently being applied (queued with <see cref="AddPulse"/> and not yet finished).</summary>
    public int ActivePulses => _pulseCount;

    /// <summary>
    /// Adds <paramref name="amplitude"/> to the innovation of <paramref name="channel"/> for
    /// <paramref name="durationSamples"/> samples, starting with the next generated sample.
    /// </summary>
    public void AddPulse(int channel, double amplitude, int durationSamples)
    {
        if (channel < 0 || channel >= _channels)
        {
            throw new ArgumentOutOfRangeException(nameof(channel), channel, $"channel must be in 0..{_channels - 1}");
        }

        if (!double.IsFinite(amplitude))
        {
            throw new ArgumentOutOfRangeException(nameof(amplitude), amplitude, "amplitude must be finite");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(durationSamples);
        if (_pulseCount == _pulses.Length)
        {
            Array.Resize(ref _pulses, _pulses.Length * 2);
        }

        _pulses[_pulseCount++] = new ActivePulse(channel, amplitude, durationSamples);
    }

    /// <summary>
    /// Generates <paramref name="samples"/> samples into <paramref name="rowMajor"/> (sample i, channel c at
    /// <c>i · Channels + c</c>). Allocation-free.
    /// </summary>
    public void Generate(Span<double> rowMajor, int samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        if (rowMajor.Length < samples * _channels)
        {
            throw new ArgumentException($"buffer holds {rowMajor.Length} values, {samples} samples × {_channels} channels need {samples * _channels}", nameof(rowMajor));
        }

        int c = _channels;
        int p = _maxLag;
        Span<double> history = _history;
        Span<double> current = _current;
        Span<double> drive = _drive;
        ReadOnlySpan<double> coefficients = _coefficients;
        for (int s = 0; s < samples; s++)
        {
            long n = SampleIndex;
            if (_nextBoundary < _boundaries.Length && _boundaries[_nextBoundary] <= n)
            {
                ApplySchedule(n);
            }

            for (int i = 0; i < c; i++)
            {
                drive[i] = _innovationSd * _innovationNoise.Next();
            }

            for (int r = 0; r < _rhythms.Length; r++)
            {
                var rhythm = _rhythms[r];
                drive[rhythm.Channel] += rhythm.Amplitude * Math.Sin(_rhythmOmega[r] * n + rhythm.PhaseRadians);
            }

            for (int q = _pulseCount - 1; q >= 0; q--)
            {
                ref var pulse = ref _pulses[q];
                drive[pulse.Channel] += pulse.Amplitude;
                if (--pulse.Remaining == 0)
                {
                    _pulses[q] = _pulses[--_pulseCount];
                }
            }

            current.Clear();
            for (int k = 1; k <= p; k++)
            {
                int slot = (_head - k + p) % p;
                ReadOnlySpan<double> past = history.Slice(slot * c, c);
                ReadOnlySpan<double> lagMatrix = coefficients.Slice((k - 1) * c * c, c * c);
                for (int i = 0; i < c; i++)
                {
                    ReadOnlySpan<double> row = lagMatrix.Slice(i * c, c);
                    double sum = 0;
                    for (int j = 0; j < c; j++)
                    {
                        sum += row[j] * past[j];
                    }

                    current[i] += sum;
                }
            }

            Span<double> output = rowMajor.Slice(s * c, c);
            Span<double> newest = history.Slice(_head * c, c); // holds x_{t−p}, no longer needed
            for (int i = 0; i < c; i++)
            {
                double x = current[i] + drive[i];
                newest[i] = x;
                output[i] = x;
            }

            if (_measurementNoiseSd > 0)
            {
                for (int i = 0; i < c; i++)
                {
                    output[i] += _measurementNoiseSd * _measurementNoise.Next();
                }
            }

            _head = (_head + 1) % p;
            SampleIndex = n + 1;
        }
    }

    /// <summary>
    /// The network in effect at <paramref name="elapsedSeconds"/> since the first sample, i.e. for the last sample at
    /// or before that time: the base network plus the scheduled edges active then.
    /// </summary>
    public VarNetwork NetworkAt(double elapsedSeconds)
    {
        if (!double.IsFinite(elapsedSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(elapsedSeconds), elapsedSeconds, "must be finite");
        }

        double position = Math.Max(0, elapsedSeconds) * _sampleRate;
        double nearest = Math.Round(position);
        long sample = Math.Abs(position - nearest) <= 1e-9 * Math.Max(1, position) ? (long)nearest : (long)Math.Floor(position);
        return NetworkAtSample(sample);
    }

    /// <summary>
    /// The VAR model's theoretical autocovariances Γ(0..maxLag) of the output for this generator's noise levels
    /// (base network; rhythms, pulses and scheduled edges are not included), see <see cref="VarNetwork.TheoreticalCovariance"/>.
    /// </summary>
    public double[][,] TheoreticalCovariance(int maxLag)
        => Network.TheoreticalCovariance(maxLag, _innovationSd, _measurementNoiseSd);

    /// <summary>The first sample index at or after <paramref name="seconds"/>; times within 1e-9 samples of a sample instant map to it.</summary>
    internal long SampleIndexAt(double seconds)
    {
        double position = seconds * _sampleRate;
        double nearest = Math.Round(position);
        if (Math.Abs(position - nearest) <= 1e-9 * Math.Max(1, Math.Abs(position)))
        {
            return (long)nearest;
        }

        return (long)Math.Ceiling(position);
    }

    private VarNetwork NetworkAtSample(long sampleIndex)
    {
        var matrices = Network.GetLagMatrices();
        foreach (var slot in _schedule)
        {
            if (slot.On <= sampleIndex && sampleIndex < slot.Off)
            {
                int lag = slot.Index / (_channels * _channels);
                int rest = slot.Index % (_channels * _channels);
                matrices[lag][rest / _channels, rest % _channels] += slot.Coefficient;
            }
        }

        return new VarNetwork(matrices);
    }

    private void ApplySchedule(long sampleIndex)
    {
        Array.Copy(_baseCoefficients, _coefficients, _coefficients.Length);
        for (int i = 0; i < _schedule.Length; i++)
        {
            ref readonly var slot = ref _schedule[i];
            if (slot.On <= sampleIndex && sampleIndex < slot.Off)
            {
                _coefficients[slot.Index] += slot.Coefficient;
            }
        }

        while (_nextBoundary < _boundaries.Length && _boundaries[_nextBoundary] <= sampleIndex)
        {
            _nextBoundary++;
        }
    }

    private readonly record struct ScheduledSlot(int Index, double Coefficient, long On, long Off);

    private struct ActivePulse(int channel, double amplitude, int remaining)
    {
        public readonly int Channel = channel;
        public readonly double Amplitude = amplitude;
        public int Remaining = remaining;
    }
}
