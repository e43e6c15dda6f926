namespace CausalStream.Core.Stimulation;

/// <summary>Which feature of the latest samples a <see cref="FeatureRule"/> watches.</summary>
public enum FeatureKind
{
    BandPower,
    Value,

    /// <summary>The band's instantaneous phase (<see cref="PhaseTracker"/>): fires when it crosses <see cref="FeatureRule.PhaseDegrees"/>.</summary>
    Phase,
}
