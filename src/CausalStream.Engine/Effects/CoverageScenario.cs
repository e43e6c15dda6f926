namespace CausalStream.Engine.Effects;

/// <summary>The simulated event-table designs of the coverage study (<see cref="CoverageStudy"/>).</summary>
public enum CoverageScenario
{
    /// <summary>Propensity and outcome linear in three covariates; constant effect 1.</summary>
    LinearConfounding,

    /// <summary>Randomised with known probability 0.5; constant effect 0.5.</summary>
    Randomized,

    /// <summary>Strong confounding on one covariate, propensities near 0 and 1; constant effect 1.</summary>
    PoorOverlap,

    /// <summary>Effect 1 + 0.5·x₁ varying with a confounder; average effect 1.</summary>
    HeterogeneousEffect,

    /// <summary>Confounded, known (logged) propensity, zero effect: for the confidence sequence's error rate.</summary>
    NullConfounded,

    /// <summary>Randomised with probability 0.5, zero effect: for the confidence sequence's error rate.</summary>
    NullRandomized,
}
