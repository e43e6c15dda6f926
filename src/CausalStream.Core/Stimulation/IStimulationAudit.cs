namespace CausalStream.Core.Stimulation;

/// <summary>Receives every stimulation decision (fired, suppressed, randomised out, dry-run) and arm/disarm change.</summary>
public interface IStimulationAudit
{
    /// <summary>Records a decision; must not block the trigger path.</summary>
    void Record(StimulationDecision decision);

    /// <summary>Records an arm/disarm change or a watchdog action.</summary>
    void RecordState(bool armed, string reason, DateTime wallClock);
}
