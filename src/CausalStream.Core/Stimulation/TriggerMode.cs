namespace CausalStream.Core.Stimulation;

/// <summary>When a rule whose condition holds asks for a pulse.</summary>
public enum TriggerMode
{
    /// <summary>Once, when the condition becomes true.</summary>
    Crossing,

    /// <summary>On every evaluation while the condition is true.</summary>
    Level,
}
