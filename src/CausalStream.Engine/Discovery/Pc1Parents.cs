namespace CausalStream.Engine.Discovery;

/// <summary>
/// The PC1 outcome for one target: the surviving lagged parents in PCMCI's order (decreasing smallest |value| over
/// their tests), and for every candidate tested the smallest |value| and largest p-value seen.
/// </summary>
public sealed class Pc1Parents
{
    internal Pc1Parents(int target, double alpha, IReadOnlyList<LaggedVariable> parents, IReadOnlyDictionary<LaggedVariable, CiTestResult> extremes, IReadOnlyDictionary<LaggedVariable, CiTestResult> weakest, IReadOnlyList<Pc1Test> tests)
    {
        Weakest = weakest;
        Target = target;
        Alpha = alpha;
        Parents = parents;
        Extremes = extremes;
        Tests = tests;
    }

    /// <summary>Target channel.</summary>
    public int Target { get; }

    /// <summary>The PC1 significance level used (the selected one when chosen by AIC).</summary>
    public double Alpha { get; }

    /// <summary>Surviving parents, strongest first.</summary>
    public IReadOnlyList<LaggedVariable> Parents { get; }

    /// <summary>Per tested candidate: the smallest |value| over its tests (Value) and the largest p-value (PValue).</summary>
    public IReadOnlyDictionary<LaggedVariable, CiTestResult> Extremes { get; }

    /// <summary>
    /// Per tested candidate: the test with the largest p-value (the first such test on ties), value and p-value as
    /// run. tigramite reports these for links the PC1 stage dropped (its <c>run_pc_stable</c> matrices).
    /// </summary>
    public IReadOnlyDictionary<LaggedVariable, CiTestResult> Weakest { get; }

    /// <summary>Every test in the order run.</summary>
    public IReadOnlyList<Pc1Test> Tests { get; }

    /// <summary>The AIC score of the parents (set when the level was chosen by AIC, otherwise NaN).</summary>
    public double AicScore { get; internal set; } = double.NaN;
}
