namespace CausalStream.Engine.Graphs;

/// <summary>Conditions met while solving one window; the result's numbers stay finite in every case.</summary>
[Flags]
public enum GrangerFlags
{
    /// <summary>A regular full-rank solve.</summary>
    None = 0,

    /// <summary>The Gram matrix was near-singular (a flat or duplicated channel) and a ridge was added to the lag regressors' diagonal.</summary>
    RidgeApplied = 1,

    /// <summary>At least one target has (numerically) zero residual variance, e.g. a constant channel; its tests report F = 0 and p = 1.</summary>
    DegenerateTarget = 2,

    /// <summary>Fewer used rows than C·p + 2; no model was fitted and every test reports F = 0 and p = 1.</summary>
    InsufficientRows = 4,

    /// <summary>The Gram matrix stayed singular even with the largest ridge; every test reports F = 0 and p = 1.</summary>
    Singular = 8,
}
