using CausalStream.Core.Streams;

namespace CausalStream.Engine.Stages;

/// <summary>The two halves of one stage's per-hop work that a <see cref="HopWorker"/> schedules.</summary>
internal interface IHopJob
{
    /// <summary>On the ingest task, once the previous hop's work has finished: copy what this hop needs (cheap).</summary>
    void Snapshot(long arrivalTicks);

    /// <summary>On the worker: compute the hop's result from the snapshot; null publishes nothing.</summary>
    CausalGraph? Solve();
}
