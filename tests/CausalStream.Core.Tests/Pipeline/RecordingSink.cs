using CausalStream.Core.Pipeline;
using CausalStream.Core.Streams;

namespace CausalStream.Core.Tests.Pipeline;

/// <summary>A sink that keeps every result; it can be stalled until released, and remembers whether it was flushed.</summary>
internal sealed class RecordingSink : IResultSink
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<PipelineResult> _results = [];

    public RecordingSink(string name, bool stalled = false)
    {
        Name = name;
        if (!stalled)
        {
            _release.SetResult();
        }
    }

    public string Name { get; }

    public bool Flushed { get; private set; }

    public int ResultsAtFlush { get; private set; } = -1;

    public List<PipelineResult> Results
    {
        get
        {
            lock (_results)
            {
                return [.. _results];
            }
        }
    }

    public void Release() => _release.TrySetResult();

    public async ValueTask ConsumeAsync(PipelineResult result, CancellationToken cancellationToken)
    {
        await _release.Task.WaitAsync(cancellationToken);
        lock (_results)
        {
            _results.Add(result);
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        Flushed = true;
        ResultsAtFlush = Results.Count;
        return ValueTask.CompletedTask;
    }
}
