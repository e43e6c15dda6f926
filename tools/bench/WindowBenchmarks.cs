using BenchmarkDotNet.Attributes;
using CausalStream.Core.Streams;
using CausalStream.Core.Windows;

namespace CausalStream.Bench;

/// <summary>
/// Ingest path throughput: pooled chunk → timestamp check → sliding-window append with hop handling, per
/// sample, for several channel counts and chunk sizes. One operation is one sample (each invocation pushes
/// <see cref="SamplesPerInvoke"/> samples), so Mean is ns/sample and Allocated is bytes/sample; channel-samples/s
/// = Channels / Mean. The baseline copies the same values and timestamps into a flat array (memory-bandwidth floor).
/// </summary>
[MemoryDiagnoser]
public class WindowBenchmarks
{
    /// <summary>Samples pushed per benchmark invocation.</summary>
    public const int SamplesPerInvoke = 3200;

    private const double Rate = 500;

    private StreamInfo _stream = null!;
    private double[] _values = [];
    private double[] _timestamps = [];
    private double[] _flatValues = [];
    private double[] _flatTimestamps = [];
    private SlidingWindow _window = null!;
    private GapDetector _gaps = null!;
    private double _clockOffset;
    private long _hops;
    private double _checksum;

    [Params(8, 64, 256)]
    public int Channels { get; set; }

    [Params(1, 32)]
    public int ChunkSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _stream = new StreamInfo("bench", "EEG", "bench", Channels, Rate, ChannelFormat.Float32);
        _values = new double[SamplesPerInvoke * Channels];
        _timestamps = new double[SamplesPerInvoke];
        var random = new Random(1);
        for (int i = 0; i < _values.Length; i++)
        {
            _values[i] = random.NextDouble();
        }

        for (int i = 0; i < SamplesPerInvoke; i++)
        {
            _timestamps[i] = i / Rate;
        }

        _flatValues = new double[_values.Length];
        _flatTimestamps = new double[SamplesPerInvoke];

        // 2 s window (1000 samples) advancing every 0.25 s on the source clock.
        _window = new SlidingWindow(WindowSpec.InSeconds(2, 0.25), Channels, Rate);
        _gaps = new GapDetector(_stream);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_window.TotalWritten > 0 && (_gaps.GapCount != 0 || _gaps.BackwardsCount != 0 || _hops == 0))
        {
            throw new InvalidOperationException($"benchmark stream was not clean: {_gaps.GapCount} gaps, {_gaps.BackwardsCount} backwards, {_hops} hops");
        }
    }

    /// <summary>Memory-bandwidth floor: copy the same values and timestamps into flat arrays.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = SamplesPerInvoke)]
    public void FlatCopy()
    {
        Array.Copy(_values, _flatValues, _values.Length);
        Array.Copy(_timestamps, _flatTimestamps, _timestamps.Length);
    }

    /// <summary>Rent a chunk, fill it, check timestamps, append to the window hop by hop, release the chunk.</summary>
    [Benchmark(OperationsPerInvoke = SamplesPerInvoke)]
    public double IngestAndWindow()
    {
        int channels = Channels;
        int chunkSize = ChunkSize;
        double offset = _clockOffset;
        for (int start = 0; start < SamplesPerInvoke; start += chunkSize)
        {
            using SampleChunk chunk = SampleChunk.Rent(_stream, chunkSize);
            _values.AsSpan(start * channels, chunkSize * channels).CopyTo(chunk.Values);
            Span<double> stamps = chunk.Timestamps;
            ReadOnlySpan<double> source = _timestamps.AsSpan(start, chunkSize);
            for (int i = 0; i < stamps.Length; i++)
            {
                stamps[i] = source[i] + offset;
            }

            if (_gaps.Check(stamps, out TimestampCheck first) > 0)
            {
                _checksum += first.Jump;
            }

            ReadOnlySpan<double> values = chunk.Values;
            ReadOnlySpan<double> timestamps = stamps;
            while (!timestamps.IsEmpty)
            {
                int used = _window.Append(values, timestamps, out bool hopDue);
                values = values[(used * channels)..];
                timestamps = timestamps[used..];
                if (hopDue)
                {
                    // Stand-in for handing the window to an analysis: read its span.
                    _hops++;
                    _checksum += _window.WindowEnd - _window.WindowStart;
                }
            }
        }

        // The next invocation continues the same clock, so the stream stays gap-free and keeps hopping.
        _clockOffset = offset + (SamplesPerInvoke / Rate);
        return _checksum;
    }
}
