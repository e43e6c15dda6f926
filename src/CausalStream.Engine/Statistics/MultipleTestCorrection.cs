namespace CausalStream.Engine.Statistics;

/// <summary>How p-values of a family of tests are adjusted before comparing them with alpha.</summary>
public enum MultipleTestCorrection
{
    /// <summary>No adjustment: the adjusted p-value is the raw one.</summary>
    None = 0,

    /// <summary>Benjamini–Hochberg step-up q-values (controls the false discovery rate).</summary>
    BenjaminiHochberg = 1,

    /// <summary>Bonferroni: p·m capped at 1 (controls the family-wise error rate).</summary>
    Bonferroni = 2,
}
