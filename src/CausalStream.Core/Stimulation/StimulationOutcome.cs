namespace CausalStream.Core.Stimulation;

/// <summary>What became of one stimulation request.</summary>
public enum StimulationOutcome
{
    /// <summary>Delivered to every output.</summary>
    Fired,

    /// <summary>Passed every interlock and the randomisation, but dry-run mode delivered nothing.</summary>
    DryRun,

    /// <summary>Passed every interlock, but the randomisation draw was above the rule's probability.</summary>
    RandomizedOut,

    /// <summary>Stopped by an interlock; <see cref="StimulationDecision.Interlock"/> says which.</summary>
    Suppressed,
}
