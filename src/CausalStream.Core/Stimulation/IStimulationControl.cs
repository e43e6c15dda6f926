namespace CausalStream.Core.Stimulation;

/// <summary>
/// The part of the stimulation controller that an operator surface (the dashboard) may touch: read whether it
/// is armed, arm it and disarm it. Every change goes through the controller, so it is audited like any other.
/// </summary>
public interface IStimulationControl
{
    /// <summary>Whether requests can currently pass the arming interlock.</summary>
    bool IsArmed { get; }

    /// <summary>Arms the controller; <paramref name="reason"/> goes to the audit log.</summary>
    void Arm(string reason);

    /// <summary>Disarms the controller; <paramref name="reason"/> goes to the audit log.</summary>
    void Disarm(string reason);
}
