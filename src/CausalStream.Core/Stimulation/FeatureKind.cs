namespace CausalStream.Core.Stimulation;

/// <summary>Which feature of the latest samples a <see cref="FeatureRule"/> watches.</summary>
public enum FeatureKind
{
    BandPower,
    Value,
}
