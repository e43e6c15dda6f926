using BenchmarkDotNet.Attributes;
using CausalStream.Core.Streams;
using CausalStream.Engine.Graphs;
using CausalStream.Engine.Statistics;

namespace CausalStream.Bench;

/// <summary>
/// The per-hop work around the solve in the live stage, at 64 channels × p = 10: the statistics snapshot the
/// ingest task hands to the worker (<c>CopyTo</c>) and turning a result into the immutable graph record.
/// </summary>
[MemoryDiagnoser]
public class GrangerHopBenchmarks
{
    private const int Channels = 64;
    private const int Lags = 10;
    private LaggedCovariance _stats = null!;
    private LaggedCovariance _snapshot = null!;
    private GrangerResult _result = null!;
    private StreamInfo _stream = null!;

    [GlobalSetup]
    public void Setup()
    {
        var data = GrangerBenchData.Generate(Channels, 4096, seed: 42);
        _stats = new LaggedCovariance(Channels, Lags, 2000);
        _snapshot = new LaggedCovariance(Channels, Lags, 2000);
        for (int i = 0; i < 4096; i++)
        {
            _stats.Push(data.AsSpan(i * Channels, Channels));
        }

        _result = new VarGrangerSolver(Channels, Lags).Solve(_stats);
        _stream = new StreamInfo("bench", "LFP", "bench", Channels, 1000, ChannelFormat.Float32);
    }

    [Benchmark]
    public void Snapshot() => _stats.CopyTo(_snapshot);

    [Benchmark]
    public CausalGraph BuildGraph() => GrangerGraphBuilder.Build(_stream, _result, 0, 2, 2000, 1);
}
