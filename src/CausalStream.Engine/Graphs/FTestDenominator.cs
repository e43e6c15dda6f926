namespace CausalStream.Engine.Graphs;

/// <summary>
/// Denominator degrees of freedom of the pairwise Granger F test. The statistic is the same in both
/// cases; only df2, and so the p-value, differ.
/// </summary>
public enum FTestDenominator
{
    /// <summary>statsmodels' VARResults.test_causality(kind='f'): df2 = C·(nobs − C·p − 1), the whole system's residual dof.</summary>
    SystemWide = 0,

    /// <summary>The single-equation F test: df2 = nobs − C·p − 1, the target equation's residual dof.</summary>
    SingleEquation = 1,
}
