namespace CausalStream.Core.Stimulation;

/// <summary>Hands every decision and state change to several audits (the audit file and the live log, say).</summary>
public sealed class CompositeStimulationAudit : IStimulationAudit
{
    private readonly IStimulationAudit[] _audits;

    public CompositeStimulationAudit(params IStimulationAudit[] audits)
    {
        _audits = audits;
    }

    public void Record(StimulationDecision decision)
    {
        foreach (var audit in _audits)
        {
            audit.Record(decision);
        }
    }

    public void RecordState(bool armed, string reason, DateTime wallClock)
    {
        foreach (var audit in _audits)
        {
            audit.RecordState(armed, reason, wallClock);
        }
    }
}
